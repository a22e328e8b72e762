#include "echopeer.h"

#include "voip/callquality.h"
#include "sdpanswer.h"
#include "core/logging.h"

#include <QMetaObject>
#include <QMutex>
#include <QThreadPool>

#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace Switchboard {

/// Carries GStreamer's callbacks, which run on its threads, to the peer's thread. The peer
/// clears `peer` before it goes; a callback that comes later finds nobody and does nothing.
struct EchoPeerBridge
{
    QMutex mutex;
    EchoPeer *peer = nullptr;
    GstElement *selector = nullptr;

    template<typename Function>
    void post(Function function)
    {
        QMutexLocker lock(&mutex);
        if (peer)
            QMetaObject::invokeMethod(peer, std::move(function), Qt::QueuedConnection);
    }
};

namespace {

using BridgeRef = std::shared_ptr<EchoPeerBridge>;

// Each GStreamer callback owns a reference to the bridge, released by GLib's destroy notify.
gpointer keep(const BridgeRef &bridge)
{
    return new BridgeRef(bridge);
}

void release(gpointer data, GClosure * = nullptr)
{
    delete static_cast<BridgeRef *>(data);
}

void releasePromiseData(gpointer data)
{
    release(data);
}

EchoPeerBridge &bridgeOf(gpointer data)
{
    return **static_cast<BridgeRef *>(data);
}

QString promiseError(GstPromise *promise)
{
    if (gst_promise_wait(promise) != GST_PROMISE_RESULT_REPLIED)
        return u"webrtcbin did not reply"_s;
    const GstStructure *reply = gst_promise_get_reply(promise);
    if (!reply)
        return {};
    GError *error = nullptr;
    if (gst_structure_get(reply, "error", G_TYPE_ERROR, &error, nullptr) && error) {
        const QString message = QString::fromUtf8(error->message);
        g_error_free(error);
        return message;
    }
    return {};
}

std::optional<double> number(const GstStructure *structure, const char *field)
{
    const GValue *value = gst_structure_get_value(structure, field);
    if (!value)
        return std::nullopt;
    GValue asDouble = G_VALUE_INIT;
    g_value_init(&asDouble, G_TYPE_DOUBLE);
    std::optional<double> result;
    if (g_value_transform(value, &asDouble))
        result = g_value_get_double(&asDouble);
    g_value_unset(&asDouble);
    return result;
}

struct StatsTotals
{
    double packetsReceived = 0;
    double packetsLost = 0;
    std::optional<double> jitterSeconds;
    std::optional<double> rttSeconds;
};

gboolean collectStat(GQuark, const GValue *value, gpointer data)
{
    if (!GST_VALUE_HOLDS_STRUCTURE(value))
        return TRUE;
    const GstStructure *stat = gst_value_get_structure(value);
    GstWebRTCStatsType type;
    if (!gst_structure_get(stat, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type, nullptr))
        return TRUE;
    auto *totals = static_cast<StatsTotals *>(data);
    if (type == GST_WEBRTC_STATS_INBOUND_RTP) {
        totals->packetsReceived += number(stat, "packets-received").value_or(0);
        totals->packetsLost += qMax(0.0, number(stat, "packets-lost").value_or(0));
        if (auto jitter = number(stat, "jitter"))
            totals->jitterSeconds = qMax(totals->jitterSeconds.value_or(0), *jitter);
    } else if (type == GST_WEBRTC_STATS_REMOTE_INBOUND_RTP) {
        if (auto rtt = number(stat, "round-trip-time"))
            totals->rttSeconds = *rtt;
    }
    return TRUE;
}

void flushStart(const GValue *pad, gpointer)
{
    gst_pad_send_event(GST_PAD(g_value_get_object(pad)), gst_event_new_flush_start());
}

} // namespace

/// The C callbacks GStreamer calls; friends of EchoPeer so that they reach its bridge.
struct EchoPeerCallbacks
{
    static void negotiationNeeded(GstElement *, gpointer data)
    {
        EchoPeerBridge &bridge = bridgeOf(data);
        bridge.post([&bridge]() {
            if (bridge.peer)
                bridge.peer->onNegotiationNeeded();
        });
    }

    static void offerCreated(GstPromise *promise, gpointer data)
    {
        EchoPeerBridge &bridge = bridgeOf(data);
        const QString error = promiseError(promise);
        QString sdp;
        if (error.isEmpty()) {
            GstWebRTCSessionDescription *offer = nullptr;
            gst_structure_get(gst_promise_get_reply(promise), "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer,
                              nullptr);
            if (offer) {
                gchar *text = gst_sdp_message_as_text(offer->sdp);
                sdp = QString::fromUtf8(text);
                g_free(text);
                // Applied here, on webrtcbin's thread, without waiting for its promise (that would deadlock).
                GstElement *webrtc = nullptr;
                {
                    QMutexLocker lock(&bridge.mutex);
                    webrtc = bridge.peer ? bridge.peer->m_webrtc : nullptr;
                }
                if (webrtc) {
                    GstPromise *applied = gst_promise_new_with_change_func(
                        EchoPeerCallbacks::localDescriptionApplied, keep(*static_cast<BridgeRef *>(data)),
                        releasePromiseData);
                    g_signal_emit_by_name(webrtc, "set-local-description", offer, applied);
                }
                gst_webrtc_session_description_free(offer);
            }
        }
        gst_promise_unref(promise);
        bridge.post([&bridge, error, sdp]() {
            if (!bridge.peer)
                return;
            if (!error.isEmpty() || sdp.isEmpty())
                bridge.peer->fail(u"offer failed: "_s + (error.isEmpty() ? u"no SDP"_s : error));
        });
    }

    static void localDescriptionApplied(GstPromise *promise, gpointer data)
    {
        EchoPeerBridge &bridge = bridgeOf(data);
        const QString error = promiseError(promise);
        gst_promise_unref(promise);
        if (error.isEmpty())
            return;
        bridge.post([&bridge, error]() {
            if (bridge.peer)
                bridge.peer->fail(u"local description refused: "_s + error);
        });
    }

    static void gatheringState(GstElement *webrtc, GParamSpec *, gpointer data)
    {
        GstWebRTCICEGatheringState state;
        g_object_get(webrtc, "ice-gathering-state", &state, nullptr);
        if (state != GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE)
            return;
        EchoPeerBridge &bridge = bridgeOf(data);
        bridge.post([&bridge]() {
            if (bridge.peer)
                bridge.peer->onGatheringComplete();
        });
    }

    static void connectionState(GstElement *webrtc, GParamSpec *, gpointer data)
    {
        GstWebRTCPeerConnectionState state;
        g_object_get(webrtc, "connection-state", &state, nullptr);
        EchoPeerBridge &bridge = bridgeOf(data);
        bridge.post([&bridge, state]() {
            if (bridge.peer)
                bridge.peer->onConnectionState(int(state));
        });
    }

    // Runs on a streaming thread: the branch must be linked before the first buffer arrives.
    // The echo sends back the caller's own Opus frames, depayloaded and payloaded again (new
    // SSRC, sequence and timestamps), without decoding them: it passes through this thread into
    // the selector, which drops it until the peer makes it the active input.
    static void padAdded(GstElement *, GstPad *pad, gpointer data)
    {
        if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC)
            return;
        EchoPeerBridge &bridge = bridgeOf(data);
        GstElement *depay = gst_element_factory_make("rtpopusdepay", nullptr);
        GstElement *pipeline = GST_ELEMENT(gst_element_get_parent(bridge.selector));
        gst_bin_add(GST_BIN(pipeline), depay);
        gst_element_sync_state_with_parent(depay);
        GstPad *depaySink = gst_element_get_static_pad(depay, "sink");
        GstPad *depaySrc = gst_element_get_static_pad(depay, "src");
        GstPad *echoPad = gst_element_request_pad_simple(bridge.selector, "sink_%u");
        gst_pad_link(depaySrc, echoPad);
        gst_pad_link(pad, depaySink);
        gst_object_unref(depaySink);
        gst_object_unref(depaySrc);
        gst_object_unref(pipeline);
        bridge.post([&bridge, echoPad]() {
            if (bridge.peer)
                bridge.peer->onEchoLinked(echoPad);
            gst_object_unref(echoPad);
        });
    }

    static void answerApplied(GstPromise *promise, gpointer data)
    {
        auto *done = static_cast<std::function<void(QString)> *>(data);
        (*done)(promiseError(promise));
        gst_promise_unref(promise);
    }

    static void statsReady(GstPromise *promise, gpointer data)
    {
        EchoPeerBridge &bridge = bridgeOf(data);
        StatsTotals totals;
        if (promiseError(promise).isEmpty() && gst_promise_get_reply(promise))
            gst_structure_foreach(gst_promise_get_reply(promise), collectStat, &totals);
        gst_promise_unref(promise);
        const double lossPercent = totals.packetsReceived + totals.packetsLost > 0
            ? 100.0 * totals.packetsLost / (totals.packetsReceived + totals.packetsLost)
            : 0.0;
        CallQuality quality;
        quality.rttMs = totals.rttSeconds.value_or(0) * 1000.0;
        quality.jitterMs = totals.jitterSeconds.value_or(0) * 1000.0;
        quality.packetLossPercent = lossPercent;
        quality.packetsReceived = qint64(totals.packetsReceived);
        quality.mos = estimateMos(quality.rttMs, quality.jitterMs, lossPercent);
        bridge.post([&bridge, quality]() {
            if (bridge.peer)
                bridge.peer->onStats(quality);
        });
    }
};

Status EchoPeer::initializeGStreamer()
{
    static const Status loaded = loadGStreamer();
    return loaded;
}

Status EchoPeer::loadGStreamer()
{
    GError *error = nullptr;
    if (!gst_init_check(nullptr, nullptr, &error)) {
        const QString message = QString::fromUtf8(error ? error->message : "unknown error");
        g_clear_error(&error);
        return Error{ErrorCode::Internal, u"GStreamer failed to initialise: "_s + message};
    }
    for (const char *element : {"webrtcbin", "audiotestsrc", "valve", "input-selector", "opusenc", "rtpopuspay",
                                "rtpopusdepay", "nicesrc", "dtlssrtpenc", "srtpenc"}) {
        GstElementFactory *factory = gst_element_factory_find(element);
        if (!factory)
            return Error{ErrorCode::Internal, u"GStreamer element %1 is missing"_s.arg(QString::fromLatin1(element))};
        gst_object_unref(factory);
    }
    return Done{};
}

EchoPeer::EchoPeer(QObject *parent) : QObject(parent), m_bridge(std::make_shared<EchoPeerBridge>())
{
    m_bridge->peer = this;
}

EchoPeer::~EchoPeer()
{
    close();
}

void EchoPeer::start()
{
    if (Status loaded = initializeGStreamer(); !loaded)
        return fail(loaded.error().message);
    GError *error = nullptr;
    // A hundred of these run at once on two cores, so each one does as little as a far end can:
    // the echo is not decoded and encoded again (see padAdded), only the tone is encoded, and only
    // while it is heard (the valve drops it otherwise); it comes from a table rather than sin()
    // per sample, in 20 ms buffers (one Opus frame), and Opus at complexity 3 costs half of the
    // default 10 (60 s of audio encoded with 0.25 s of CPU instead of 0.49 s).
    m_pipeline = gst_parse_launch(
        "webrtcbin name=webrtc bundle-policy=max-bundle "
        "input-selector name=selector sync-streams=false ! rtpopuspay pt=96 ! "
        "application/x-rtp,media=audio,encoding-name=OPUS,payload=96,clock-rate=48000 ! webrtc. "
        "audiotestsrc name=tone is-live=true wave=sine-table samplesperbuffer=960 freq=425 volume=0.3 ! "
        "audio/x-raw,rate=48000,channels=1 ! valve name=tonevalve ! opusenc name=toneencoder complexity=3 ! "
        "selector.",
        &error);
    if (!m_pipeline) {
        const QString message = QString::fromUtf8(error ? error->message : "unknown error");
        g_clear_error(&error);
        return fail(u"pipeline: "_s + message);
    }
    g_clear_error(&error);
    m_webrtc = gst_bin_get_by_name(GST_BIN(m_pipeline), "webrtc");
    m_tone = gst_bin_get_by_name(GST_BIN(m_pipeline), "tone");
    m_toneValve = gst_bin_get_by_name(GST_BIN(m_pipeline), "tonevalve");
    m_selector = gst_bin_get_by_name(GST_BIN(m_pipeline), "selector");
    m_bridge->selector = m_selector;
    GstElement *toneEncoder = gst_bin_get_by_name(GST_BIN(m_pipeline), "toneencoder");
    GstPad *toneOut = gst_element_get_static_pad(toneEncoder, "src");
    m_tonePad = gst_pad_get_peer(toneOut);
    gst_object_unref(toneOut);
    gst_object_unref(toneEncoder);

    // Loopback only: the far end and the softphone share this machine.
    GstObject *ice = nullptr;
    g_object_get(m_webrtc, "ice-agent", &ice, nullptr);
    if (ice) {
        gboolean added = FALSE;
        g_signal_emit_by_name(ice, "add-local-ip-address", "127.0.0.1", &added);
        g_object_set(ice, "ice-tcp", FALSE, nullptr);
        gst_object_unref(ice);
    }

    const auto connectSignal = [this](const char *name, GCallback callback) {
        g_signal_connect_data(m_webrtc, name, callback, keep(m_bridge), release, GConnectFlags(0));
    };
    connectSignal("on-negotiation-needed", G_CALLBACK(EchoPeerCallbacks::negotiationNeeded));
    connectSignal("notify::ice-gathering-state", G_CALLBACK(EchoPeerCallbacks::gatheringState));
    connectSignal("notify::connection-state", G_CALLBACK(EchoPeerCallbacks::connectionState));
    connectSignal("pad-added", G_CALLBACK(EchoPeerCallbacks::padAdded));

    if (gst_element_set_state(m_pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
        fail(u"pipeline refused to play"_s);
}

void EchoPeer::onNegotiationNeeded()
{
    if (m_state != State::Starting)
        return;
    GstPromise *promise =
        gst_promise_new_with_change_func(EchoPeerCallbacks::offerCreated, keep(m_bridge), releasePromiseData);
    g_signal_emit_by_name(m_webrtc, "create-offer", nullptr, promise);
}

void EchoPeer::onGatheringComplete()
{
    if (m_state != State::Starting)
        return;
    GstWebRTCSessionDescription *local = nullptr;
    g_object_get(m_webrtc, "local-description", &local, nullptr);
    if (!local)
        return fail(u"no local description after gathering"_s);
    gchar *text = gst_sdp_message_as_text(local->sdp);
    m_offer = QString::fromUtf8(text);
    g_free(text);
    gst_webrtc_session_description_free(local);
    m_state = State::OfferReady;
    Q_EMIT offerReady();
}

void EchoPeer::setAnswer(const QString &sdp, std::function<void(Status)> done)
{
    if (m_state != State::OfferReady)
        return done(Error{ErrorCode::InvalidCallState, u"The far end is not waiting for an answer"_s});

    GstSDPMessage *message = parseSdpAnswer(sdp);
    if (!message)
        return done(Error::validation(u"sdp_answer is not a valid SDP description"_s));
    m_state = State::Connecting;

    // webrtcbin reports a bad answer only through a promise: check it, or a rejected answer would
    // look exactly like media that never connects. Its verdict reaches `done` on this thread.
    auto bridge = m_bridge;
    auto reply = std::make_unique<std::function<void(QString)>>([bridge, done = std::move(done)](const QString &error) {
        bridge->post([bridge, done, error]() {
            if (!bridge->peer)
                return;
            if (!error.isEmpty()) {
                bridge->peer->fail(u"answer rejected: "_s + error);
                return done(Error::validation(u"sdp_answer was rejected by the far end: "_s + error));
            }
            done(Done{});
        });
    });
    // webrtcbin before gst-plugins-bad 1.22.0-4+deb12u8 (Debian's security update) takes an answer
    // without a DTLS fingerprint, and the media would then flow with a certificate nobody checked:
    // refused here as the updated webrtcbin refuses it, whichever one is installed.
    if (!hasFingerprints(message)) {
        gst_sdp_message_free(message);
        return (*reply)(u"No fingerprint lines in sdp"_s);
    }
    GstWebRTCSessionDescription *answer = gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_ANSWER, message);
    GstPromise *promise = gst_promise_new_with_change_func(
        EchoPeerCallbacks::answerApplied, reply.release(),
        [](gpointer data) { delete static_cast<std::function<void(QString)> *>(data); });
    g_signal_emit_by_name(m_webrtc, "set-remote-description", answer, promise);
    gst_webrtc_session_description_free(answer);
}

void EchoPeer::onConnectionState(int state)
{
    if (m_state == State::Closed || m_state == State::Failed)
        return;
    if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED && m_state == State::Connecting) {
        m_state = State::Connected;
        Q_EMIT connected();
    } else if (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED) {
        fail(u"ICE or DTLS failed"_s);
    }
}

void EchoPeer::pickUp()
{
    if (m_state != State::Connected)
        return;
    m_state = State::PickedUp;
    applyRoute();
}

void EchoPeer::setHeld(bool held)
{
    m_held = held;
    applyRoute();
}

void EchoPeer::onEchoLinked(GstPad *echoPad)
{
    if (m_echoPad || !m_selector)
        return;
    m_echoPad = GST_PAD(gst_object_ref(echoPad));
    applyRoute();
}

void EchoPeer::applyRoute()
{
    const bool pickedUp = m_state == State::PickedUp;
    const bool echoing = pickedUp && !m_held && m_echoPad;
    // Ringback before pick-up, a lower hold tone while held; otherwise a steady tone only while
    // no voice comes back.
    g_object_set(m_tone, "freq", m_held ? 350.0 : pickedUp ? 440.0 : 425.0, nullptr);
    g_object_set(m_toneValve, "drop", echoing, nullptr);
    g_object_set(m_selector, "active-pad", echoing ? m_echoPad : m_tonePad, nullptr);
}

void EchoPeer::sampleQuality()
{
    if (!m_webrtc || m_state == State::Closed)
        return;
    GstPromise *promise =
        gst_promise_new_with_change_func(EchoPeerCallbacks::statsReady, keep(m_bridge), releasePromiseData);
    g_signal_emit_by_name(m_webrtc, "get-stats", nullptr, promise);
}

void EchoPeer::onStats(const CallQuality &quality)
{
    m_quality = quality;
    Q_EMIT qualitySampled(quality);
}

void EchoPeer::fail(const QString &reason)
{
    if (m_state == State::Failed || m_state == State::Closed)
        return;
    qCWarning(lcVoip).noquote() << "far end failed:" << reason;
    m_state = State::Failed;
    Q_EMIT failed(reason);
}

void EchoPeer::close()
{
    {
        QMutexLocker lock(&m_bridge->mutex);
        m_bridge->peer = nullptr;
    }
    m_state = State::Closed;
    if (!m_pipeline)
        return;

    GstPad *echoPad = std::exchange(m_echoPad, nullptr);
    GstElement *pipeline = std::exchange(m_pipeline, nullptr);
    GstElement *webrtc = std::exchange(m_webrtc, nullptr);
    GstElement *selector = std::exchange(m_selector, nullptr);
    for (GstElement **element : {&m_tone, &m_toneValve}) {
        if (*element)
            gst_object_unref(std::exchange(*element, nullptr));
    }
    if (m_tonePad)
        gst_object_unref(std::exchange(m_tonePad, nullptr));

    // Stopping joins GStreamer's threads, which takes a while per call: it runs on a worker so
    // that the server thread does not wait. The order matters. The echo closes a loop
    // (webrtcbin → echo → selector → webrtcbin) that a bin's state change cannot order, so it is
    // cut first; then webrtcbin stops before what feeds it, so that a buffer blocked inside it is
    // released instead of holding the encoder's stream lock while that is deactivated.
    // Buffers block inside webrtcbin while it passes through PAUSED (its clocksync, and a sink
    // within it, hold them there), so a flush on its inputs goes first: it wakes them and turns
    // later buffers away. Its state is locked, or the pipeline's own change to NULL would take
    // it back up to PAUSED, where the encoder's thread blocks again.
    QThreadPool::globalInstance()->start([pipeline, webrtc, selector, echoPad]() {
        if (echoPad) {
            if (GstPad *depayOut = gst_pad_get_peer(echoPad)) {
                gst_pad_unlink(depayOut, echoPad);
                gst_object_unref(depayOut);
            }
            gst_element_release_request_pad(selector, echoPad);
            gst_object_unref(echoPad);
        }
        GstIterator *inputs = gst_element_iterate_sink_pads(webrtc);
        gst_iterator_foreach(inputs, flushStart, nullptr);
        gst_iterator_free(inputs);
        gst_element_set_locked_state(webrtc, TRUE);
        gst_element_set_state(webrtc, GST_STATE_NULL);
        gst_element_set_state(pipeline, GST_STATE_NULL);
        gst_object_unref(selector);
        gst_object_unref(webrtc);
        gst_object_unref(pipeline);
    });
}

} // namespace Switchboard
