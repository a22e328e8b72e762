#include "echopeerpool.h"

#include "echopeer.h"

#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

namespace {
// Just under the call service's own deadline for a provider (CallSettings::providerTimeoutMs,
// 15 s), so that a slow far end is named as the cause rather than cut off earlier than the service
// would wait: twenty offers made at once on two cores (under the sanitizers) need more than 10 s.
constexpr int kOfferTimeoutMs = 14000;
}

EchoPeerPool::EchoPeerPool(int size, QObject *parent) : QObject(parent), m_size(size)
{
    refill();
}

EchoPeerPool::~EchoPeerPool() = default;

EchoPeer *EchoPeerPool::startPeer()
{
    auto *peer = new EchoPeer(this);
    connect(peer, &EchoPeer::failed, this, [this, peer]() {
        if (m_peers.removeOne(peer)) {
            peer->deleteLater();
            QTimer::singleShot(1000, this, &EchoPeerPool::refill);
        }
    });
    m_peers.append(peer);
    peer->start();
    return peer;
}

void EchoPeerPool::refill()
{
    while (m_peers.size() < m_size)
        startPeer();
}

int EchoPeerPool::ready() const
{
    return int(std::count_if(m_peers.cbegin(), m_peers.cend(),
                             [](const EchoPeer *peer) { return peer->state() == EchoPeer::State::OfferReady; }));
}

void EchoPeerPool::take(std::function<void(Result<EchoPeer *>)> done)
{
    for (EchoPeer *peer : std::as_const(m_peers)) {
        if (peer->state() != EchoPeer::State::OfferReady)
            continue;
        m_peers.removeOne(peer);
        peer->disconnect(this);
        peer->setParent(nullptr);
        QTimer::singleShot(0, this, [this, peer, done = std::move(done)]() {
            refill();
            done(peer);
        });
        return;
    }

    // None ready: wait for the oldest one still negotiating, or a new one.
    EchoPeer *peer = m_peers.isEmpty() ? startPeer() : m_peers.first();
    m_peers.removeOne(peer);
    peer->disconnect(this);
    peer->setParent(nullptr);
    auto settled = std::make_shared<bool>(false);
    auto finish = [this, peer, settled, done](Result<EchoPeer *> result) {
        if (std::exchange(*settled, true))
            return;
        peer->disconnect(this);
        refill();
        if (!result)
            peer->deleteLater();
        done(result);
    };
    connect(peer, &EchoPeer::offerReady, this, [finish, peer]() { finish(peer); });
    connect(peer, &EchoPeer::failed, this, [finish](const QString &reason) {
        finish(Error{ErrorCode::CallInitiationFailed, u"the far end could not start: "_s + reason});
    });
    QTimer::singleShot(kOfferTimeoutMs, this, [finish]() {
        finish(Error{ErrorCode::CallInitiationFailed, u"the far end took too long to make an offer"_s});
    });
}

} // namespace Switchboard
