#pragma once

#include "domain/result.h"

#include <QList>
#include <QObject>

#include <functional>

namespace Switchboard {

class EchoPeer;

/// Far ends whose offers are already made, so that initiate answers at once: negotiating an
/// offer and gathering candidates takes far longer than an HTTP request should.
class EchoPeerPool : public QObject
{
    Q_OBJECT
public:
    explicit EchoPeerPool(int size, QObject *parent = nullptr);
    ~EchoPeerPool() override;

    /// Hands over a peer whose offer is ready (the caller owns it), now if one is waiting or once
    /// a new one is ready, and starts a replacement. `done` is always called from the event loop.
    void take(std::function<void(Result<EchoPeer *>)> done);

    int ready() const;

private:
    EchoPeer *startPeer();
    void refill();

    int m_size;
    QList<EchoPeer *> m_peers; ///< ready or still negotiating
};

} // namespace Switchboard
