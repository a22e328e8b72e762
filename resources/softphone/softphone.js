// The softphone's engine: talks to the Switchboard REST API and carries the call's audio over
// WebRTC. The page (index.html) and the tests drive it through the same methods.

export class ApiError extends Error {
  constructor(status, type, message) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

export function estimateMos(rttMs, jitterMs, lossPercent) {
  const latency = rttMs / 2 + 2 * jitterMs + 10;
  let r = latency < 160 ? 93.2 - latency / 40 : 93.2 - (latency - 120) / 10;
  r -= 2.5 * Math.min(Math.max(lossPercent, 0), 100);
  r = Math.min(Math.max(r, 0), 100);
  const mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
  return Math.min(Math.max(mos, 1), 4.5);
}

export class Softphone extends EventTarget {
  constructor(baseUrl = '') {
    super();
    this.baseUrl = baseUrl;
    this.token = null;
    this.call = null; // {id, status, ...} of the current or last call
    this.pc = null;
    this.localStream = null;
    this.remoteAudio = null;
    this.microphoneId = '';
    this.speakerId = '';
    this.muted = false;
  }

  // A server checking many passwords at once answers 503 server_busy with Retry-After: the
  // request is sent again after that wait, a few times, before the operator hears of it.
  async request(method, path, body) {
    for (let attempt = 1; ; ++attempt) {
      try {
        return await this.requestOnce(method, path, body);
      } catch (error) {
        if (error.type !== 'server_busy' || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, (error.retryAfter || 1) * 1000));
      }
    }
  }

  async requestOnce(method, path, body) {
    const headers = {};
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(this.baseUrl + path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(0, 'server_unreachable', 'The Switchboard server cannot be reached');
    }
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    if (!response.ok) {
      const error = new ApiError(response.status, json.error, json.message);
      error.retryAfter = Number(response.headers.get('Retry-After')) || 0;
      throw error;
    }
    return json;
  }

  async register(email, password) {
    const session = await this.request('POST', '/api/auth/register', { email, password });
    this.keepFresh(session);
    return session;
  }

  async login(email, password) {
    const session = await this.request('POST', '/api/auth/login', { email, password });
    this.keepFresh(session);
    return session;
  }

  // A login token lives JWT_TTL unless refreshed, which is the server's idle timeout: while the
  // operator is active (noteActivity(): a key, a click; or a call in progress) the token is
  // refreshed before it runs out, and a page left alone lets it expire.
  keepFresh(session) {
    clearTimeout(this.refreshTimer);
    this.token = session.token;
    this.refreshedAt = Date.now();
    const remaining = Date.parse(session.expires_at) - this.refreshedAt;
    if (remaining > 0) this.refreshTimer = setTimeout(() => this.refreshIfActive(), Math.max(remaining * 2 / 3, 1000));
  }

  noteActivity() {
    this.activeAt = Date.now();
  }

  async refreshIfActive() {
    const inCall = ['initiated', 'connecting', 'active'].includes(this.call?.status);
    if (!this.token || (!inCall && !(this.activeAt >= this.refreshedAt))) return;
    try {
      this.keepFresh(await this.request('POST', '/api/auth/refresh'));
    } catch (error) {
      // Unreachable for a moment: try again shortly, while the token still lives.
      if (error.type === 'server_unreachable') this.refreshTimer = setTimeout(() => this.refreshIfActive(), 5000);
    }
  }

  forget() {
    clearTimeout(this.refreshTimer);
    this.token = null;
  }

  setStatus(status, detail = {}) {
    this.call = { ...this.call, ...detail, status };
    this.dispatchEvent(new CustomEvent('status', { detail: this.call }));
  }

  // Opens the microphone (`deviceId`, or the default one); a different device replaces the open one.
  async openMicrophone(deviceId = this.microphoneId) {
    if (!navigator.mediaDevices?.getUserMedia)
      throw new ApiError(0, 'no_media_devices', 'This browser cannot capture audio');
    if (this.localStream && deviceId === this.microphoneId) return this.localStream;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: deviceId ? { deviceId: { exact: deviceId } } : true, video: false,
      });
    } catch (error) {
      const type = error.name === 'NotAllowedError' || error.name === 'SecurityError' ? 'microphone_denied' : 'no_input_device';
      throw new ApiError(0, type, error.message);
    }
    this.localStream?.getTracks().forEach((track) => track.stop());
    this.localStream = stream;
    this.microphoneId = deviceId;
    for (const track of stream.getAudioTracks()) track.enabled = !this.muted;
    const sender = this.pc?.getSenders().find((s) => s.track?.kind === 'audio');
    if (sender) await sender.replaceTrack(stream.getAudioTracks()[0]);
    return stream;
  }

  // The audio inputs and outputs the browser reports (labels only once the microphone was allowed).
  async devices() {
    if (!navigator.mediaDevices?.enumerateDevices) return { inputs: [], outputs: [] };
    const all = await navigator.mediaDevices.enumerateDevices();
    return {
      inputs: all.filter((d) => d.kind === 'audioinput'),
      outputs: all.filter((d) => d.kind === 'audiooutput'),
    };
  }

  // What the browser says about the microphone permission: granted, denied, prompt or unknown.
  async microphonePermission() {
    try {
      return (await navigator.permissions.query({ name: 'microphone' })).state;
    } catch {
      return 'unknown';
    }
  }

  async setSpeaker(deviceId) {
    this.speakerId = deviceId;
    if (this.remoteAudio?.setSinkId) await this.remoteAudio.setSinkId(deviceId || '');
  }

  setMuted(muted) {
    this.muted = muted;
    for (const track of this.localStream?.getAudioTracks() ?? []) track.enabled = !muted;
  }

  // Sends DTMF tones (0-9, *, #) on the call's audio sender; false when there is none.
  sendDtmf(tones) {
    const sender = this.pc?.getSenders().find((s) => s.track?.kind === 'audio');
    if (!sender?.dtmf || !sender.dtmf.canInsertDTMF) return false;
    sender.dtmf.insertDTMF(tones, 120, 70);
    return true;
  }

  regions() {
    return this.request('GET', '/api/phone/regions');
  }

  // The number as the server sees it while typing: formatted, valid or the reason why not.
  checkNumber(number) {
    return this.request('GET', `/api/phone/check?number=${encodeURIComponent(number)}`);
  }

  // Places a call: initiate, answer the far end's offer, then follow the status until it ends.
  async dial(phoneNumber) {
    if (!this.localStream) await this.openMicrophone();
    const offer = await this.request('POST', '/api/calls/initiate', { phone_number: phoneNumber });
    this.setStatus('connecting', { id: offer.call_id, phoneNumber: offer.phone_number, startTime: offer.start_time });
    await this.answerOffer(offer.call_id, offer.sdp_offer);
    this.follow(offer.call_id);
    return offer.call_id;
  }

  // Connects the audio of a call placed for this operator by another client (click-to-call):
  // `call` as GET /api/calls/{id} answers it, with the far end's offer, which is answered as
  // dial() answers its own; the call is followed whether or not its audio connects, so a call
  // that ends first (or a microphone refused) still shows how it went.
  async takeCall(call) {
    this.setStatus(call.status, { id: call.call_id, phoneNumber: call.phone_number, startTime: call.start_time });
    try {
      if (!this.localStream) await this.openMicrophone();
      await this.answerOffer(call.call_id, call.sdp_offer);
    } finally {
      this.follow(call.call_id);
    }
  }

  // Answers the far end's SDP offer with this softphone's audio (POST /api/calls/answer).
  async answerOffer(callId, sdpOffer) {
    const { iceServers } = await this.request('GET', '/api/webrtc/config');
    this.pc = new RTCPeerConnection({ iceServers });
    for (const track of this.localStream.getAudioTracks()) this.pc.addTrack(track, this.localStream);
    this.pc.ontrack = (event) => {
      if (!this.remoteAudio) {
        this.remoteAudio = new Audio();
        if (this.speakerId && this.remoteAudio.setSinkId) this.remoteAudio.setSinkId(this.speakerId).catch(() => {});
      }
      this.remoteAudio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      this.remoteAudio.play().catch(() => {});
    };
    await this.pc.setRemoteDescription({ type: 'offer', sdp: sdpOffer });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await this.iceGatheringComplete();
    const answered = await this.request('POST', '/api/calls/answer', {
      call_id: callId, sdp_answer: this.pc.localDescription.sdp,
    });
    this.setStatus(answered.status);
  }

  iceGatheringComplete() {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.pc.iceGatheringState === 'complete') {
          this.pc.removeEventListener('icegatheringstatechange', check);
          resolve();
        }
      };
      this.pc.addEventListener('icegatheringstatechange', check);
      setTimeout(resolve, 3000); // whatever was gathered by then is enough on loopback
    });
  }

  // Long-polls GET /api/calls/{id}?wait=…&status=… until the call ends.
  async follow(callId) {
    let status = this.call.status;
    while (this.call?.id === callId && !['completed', 'failed', 'canceled'].includes(status)) {
      let call;
      try {
        call = await this.request('GET', `/api/calls/${callId}?wait=25&status=${status}`);
      } catch (error) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (this.call?.id !== callId) return;
      status = call.status;
      this.setStatus(call.status, { duration: call.duration, failureReason: call.failure_reason, quality: call.quality });
    }
    this.closeMedia();
  }

  async hangUp() {
    if (!this.call?.id) return null;
    const result = await this.request('POST', '/api/calls/terminate', { call_id: this.call.id });
    this.setStatus(result.status, { duration: result.duration });
    this.closeMedia();
    return result;
  }

  closeMedia() {
    this.pc?.close();
    this.pc = null;
  }

  // Puts the current call on hold (on = true) or resumes it; answers the call with `on_hold`.
  async hold(on) {
    const call = await this.request('POST', `/api/calls/${this.call.id}/hold`, { on });
    this.call = { ...this.call, onHold: call.on_hold === true };
    return call;
  }

  // Blind transfer: the far end is handed to `phoneNumber` and this leg ends as completed, with
  // `transferred_to` saying where the party went.
  async transfer(phoneNumber) {
    const call = await this.request('POST', `/api/calls/${this.call.id}/transfer`, { phone_number: phoneNumber });
    this.setStatus(call.status, { duration: call.duration, transferredTo: call.transferred_to, onHold: false });
    this.closeMedia();
    return call;
  }

  // Live call quality from RTCPeerConnection.getStats(): RTT and jitter in ms, loss in %, and the
  // MOS estimated with the simplified E-model the server uses (backend/voip/callquality.cpp).
  async quality() {
    if (!this.pc) return null;
    let rtt = null; let jitter = 0; let received = 0; let lost = 0;
    (await this.pc.getStats()).forEach((report) => {
      if (report.type === 'inbound-rtp' && report.kind === 'audio') {
        received += report.packetsReceived ?? 0;
        lost += Math.max(0, report.packetsLost ?? 0);
        jitter = (report.jitter ?? 0) * 1000;
      }
      if (report.type === 'candidate-pair' && report.state === 'succeeded' && report.currentRoundTripTime !== undefined)
        rtt = report.currentRoundTripTime * 1000;
      if (report.type === 'remote-inbound-rtp' && report.roundTripTime !== undefined && rtt === null)
        rtt = report.roundTripTime * 1000;
    });
    const loss = received + lost > 0 ? (100 * lost) / (received + lost) : 0;
    return { rttMs: rtt ?? 0, jitterMs: jitter, lossPercent: loss, mos: estimateMos(rtt ?? 0, jitter, loss) };
  }

  // Audio packets the browser received and sent on the call, from RTCPeerConnection.getStats().
  async mediaStats() {
    if (!this.pc) return null;
    const result = { packetsReceived: 0, packetsSent: 0, jitter: 0, roundTripTime: null };
    (await this.pc.getStats()).forEach((report) => {
      if (report.type === 'inbound-rtp' && report.kind === 'audio') {
        result.packetsReceived += report.packetsReceived;
        result.jitter = report.jitter;
      }
      if (report.type === 'outbound-rtp' && report.kind === 'audio') result.packetsSent += report.packetsSent;
      if (report.type === 'candidate-pair' && report.state === 'succeeded' && report.currentRoundTripTime !== undefined)
        result.roundTripTime = report.currentRoundTripTime;
    });
    result.connectionState = this.pc.connectionState;
    return result;
  }
}
