#pragma once

#include "domain/call.h"
#include "domain/result.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

typedef struct _GstElement GstElement;
typedef struct _GstPad GstPad;

namespace Switchboard {

struct EchoPeerBridge;

/// The mock provider's far end for one call: a GStreamer webrtcbin peer.
///
/// It makes a non-trickle SDP offer (every candidate included) as soon as it starts, plays a
/// ringback tone once media connects, and after pickUp() sends back what it receives — or a
/// steady tone while nothing arrives. GStreamer calls back on its own threads; everything it
/// reports is handed to this object's thread through a Bridge, so all signals arrive there.
class EchoPeer : public QObject
{
    Q_OBJECT
public:
    enum class State { Starting, OfferReady, Connecting, Connected, PickedUp, Failed, Closed };

    explicit EchoPeer(QObject *parent = nullptr);
    ~EchoPeer() override;

    /// Builds the pipeline and starts negotiating the offer; offerReady() or failed() follows.
    void start();
    State state() const { return m_state; }
    QString offer() const { return m_offer; }

    /// Applies the softphone's answer; `done` reports whether webrtcbin accepted it.
    void setAnswer(const QString &sdp, std::function<void(Status)> done);

    /// Stops the ringback and starts echoing.
    void pickUp();
    /// On hold the far end stops echoing and plays a hold tone; off hold it echoes again.
    void setHeld(bool held);

    /// Asks webrtcbin for statistics; qualitySampled() follows.
    void sampleQuality();
    CallQuality lastQuality() const { return m_quality; }

    /// Stops the pipeline; no signal is emitted afterwards.
    void close();

    /// Loads GStreamer once and checks that the elements the peer needs exist.
    static Status initializeGStreamer();

Q_SIGNALS:
    void offerReady();
    void connected();
    void failed(const QString &reason);
    void qualitySampled(const Switchboard::CallQuality &quality);

private:
    static Status loadGStreamer();
    void fail(const QString &reason);
    void onNegotiationNeeded();
    void onOfferCreated(const QString &sdp);
    void onGatheringComplete();
    void onConnectionState(int state);
    void onStats(const CallQuality &quality);

    void onEchoLinked(GstPad *echoPad);
    void applyRoute();
    friend struct EchoPeerCallbacks;

    State m_state = State::Starting;
    bool m_held = false;
    GstElement *m_pipeline = nullptr;
    GstElement *m_webrtc = nullptr;
    GstElement *m_tone = nullptr;
    GstElement *m_toneValve = nullptr;
    GstElement *m_selector = nullptr; ///< what is sent: the tone or the echo
    GstPad *m_tonePad = nullptr;
    GstPad *m_echoPad = nullptr; ///< once the caller's audio arrives
    QString m_offer;
    CallQuality m_quality;
    std::shared_ptr<EchoPeerBridge> m_bridge;
};

} // namespace Switchboard
