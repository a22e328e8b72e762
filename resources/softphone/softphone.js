// The softphone's engine: talks to the Switchboard REST API and carries the call's audio over
// WebRTC. The page (index.html) and the tests drive it through the same methods.

export class ApiError extends Error {
  constructor(status, type, message) {
    super(message);
    this.status = status;
    this.type = type;
  }
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
  }

  async request(method, path, body) {
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
    if (!response.ok) throw new ApiError(response.status, json.error, json.message);
    return json;
  }

  async register(email, password) {
    const session = await this.request('POST', '/api/auth/register', { email, password });
    this.token = session.token;
    return session;
  }

  async login(email, password) {
    const session = await this.request('POST', '/api/auth/login', { email, password });
    this.token = session.token;
    return session;
  }

  setStatus(status, detail = {}) {
    this.call = { ...this.call, ...detail, status };
    this.dispatchEvent(new CustomEvent('status', { detail: this.call }));
  }

  async openMicrophone() {
    if (!navigator.mediaDevices?.getUserMedia)
      throw new ApiError(0, 'no_media_devices', 'This browser cannot capture audio');
    try {
      this.localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    } catch (error) {
      const type = error.name === 'NotAllowedError' ? 'microphone_denied' : 'no_input_device';
      throw new ApiError(0, type, error.message);
    }
    return this.localStream;
  }

  // Places a call: initiate, answer the far end's offer, then follow the status until it ends.
  async dial(phoneNumber) {
    if (!this.localStream) await this.openMicrophone();
    const offer = await this.request('POST', '/api/calls/initiate', { phone_number: phoneNumber });
    this.setStatus('connecting', { id: offer.call_id, phoneNumber: offer.phone_number, startTime: offer.start_time });

    const { iceServers } = await this.request('GET', '/api/webrtc/config');
    this.pc = new RTCPeerConnection({ iceServers });
    for (const track of this.localStream.getAudioTracks()) this.pc.addTrack(track, this.localStream);
    this.pc.ontrack = (event) => {
      if (!this.remoteAudio) this.remoteAudio = new Audio();
      this.remoteAudio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      this.remoteAudio.play().catch(() => {});
    };
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp_offer });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await this.iceGatheringComplete();
    const answered = await this.request('POST', '/api/calls/answer', {
      call_id: offer.call_id, sdp_answer: this.pc.localDescription.sdp,
    });
    this.setStatus(answered.status);
    this.follow(offer.call_id);
    return offer.call_id;
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
