// The softphone on Twilio. The operator's audio goes through Twilio's Voice JavaScript SDK
// (served beside this file as twilio-voice-sdk.min.js) instead of a WebRTC answer to an offer:
// initiate makes Twilio call the dialled number, and once the party answers the call's TwiML
// rings this Device, registered under the operator's identity. The Device takes the leg that
// carries the id of the call it placed, and refuses any other.
//
// Beyond the base class's status events, a TwilioSoftphone dispatches:
//   'reachability'    {reachable, reason}: whether Twilio can ring this Device at all (reason:
//                     registered, unregistered, token, error, signed_out); while it is false an
//                     answered call would find no operator.
//   'quality-warning' {name, active}: the SDK's call quality warnings (high-rtt, high-jitter,
//                     high-packet-loss, low-mos, constant-audio-input-level, …) raised and cleared.
//   'level'           {input, output}: the call's audio levels from the SDK (0..1, every 50 ms).

import { ApiError, Softphone, estimateMos } from './softphone.js';

const ended = ['completed', 'failed', 'canceled'];
// Twilio Voice SDK error codes that mean the Access Token is no longer good.
const tokenErrors = [20101, 20104, 31204, 31205];
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function loadVoiceSdk(url) {
  if (globalThis.Twilio?.Device) return Promise.resolve(globalThis.Twilio);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onload = () => resolve(globalThis.Twilio);
    script.onerror = () => reject(new ApiError(0, 'voice_sdk_unavailable', 'The Twilio Voice SDK could not be loaded'));
    document.head.append(script);
  });
}

export class TwilioSoftphone extends Softphone {
  // `retryDelaysMs`: the pauses between attempts to renew the token or register again; the last
  // one repeats for as long as the Device stays unreachable.
  constructor(baseUrl = '', loadTwilio = () => loadVoiceSdk(`${baseUrl}/softphone/twilio-voice-sdk.min.js`),
    { retryDelaysMs = [1000, 2000, 5000, 10000, 30000] } = {}) {
    super(baseUrl);
    this.loadTwilio = loadTwilio;
    this.retryDelaysMs = retryDelaysMs;
    this.device = null;
    this.creating = null;
    this.recovering = false;
    this.reachable = false;
    this.signedOut = false;
    this.leg = null; // Twilio's call to this Device for the current call
    this.sample = null; // the leg's latest quality sample
    this.placing = false;
    this.early = []; // legs that rang while initiate had not yet told us the call id
  }

  setReachable(reachable, reason) {
    if (this.reachable === reachable && reachable) return;
    this.reachable = reachable;
    this.dispatchEvent(new CustomEvent('reachability', { detail: { reachable, reason } }));
  }

  // A registered Device, or an ApiError('softphone_unreachable') when Twilio cannot ring it:
  // a call placed then would be answered by nobody.
  async connectDevice() {
    if (!this.device) {
      this.creating ??= this.createDevice().finally(() => { this.creating = null; });
      await this.creating;
    } else if (this.device.state !== 'registered') {
      await this.refreshToken(this.device); // the old one may be what lapsed
    }
    const device = this.device;
    await this.register(device);
    if (device.state !== 'registered')
      throw new ApiError(0, 'softphone_unreachable', 'Twilio cannot reach this softphone');
    return device;
  }

  async createDevice() {
    const { Device } = await this.loadTwilio();
    const { token } = await this.request('GET', '/api/voice/token');
    const device = new Device(token, { closeProtection: true });
    // The SDK would ring here up to 2 s before 'incoming' fires; the party has answered and
    // hears silence meanwhile. The leg is taken at once instead.
    device.audio?.incoming(false);
    device.on('registered', () => this.setReachable(true, 'registered'));
    device.on('unregistered', () => {
      this.setReachable(false, 'unregistered');
      this.recover();
    });
    device.on('error', (error) => {
      if (!tokenErrors.includes(error?.code) && device.state === 'registered') return;
      this.setReachable(false, tokenErrors.includes(error?.code) ? 'token' : 'error');
      this.recover();
    });
    device.on('tokenWillExpire', () => this.renewToken(device));
    device.on('incoming', (leg) => this.onIncoming(leg));
    this.device = device;
    await this.useAudioDevices(device);
    return device;
  }

  async register(device) {
    try {
      if (device.state === 'unregistered') await device.register();
    } catch {
      // Reported through 'unregistered' or 'error', which start the recovery.
    }
  }

  // A fresh token for the Device; false when none could be had: the server is unreachable, or
  // the Switchboard session ended (then `signedOut` stops the retries until the next dial).
  async refreshToken(device) {
    try {
      device.updateToken((await this.request('GET', '/api/voice/token')).token);
      this.signedOut = false;
      return true;
    } catch (error) {
      this.signedOut = error.status === 401;
      if (this.signedOut) this.setReachable(false, 'signed_out');
      return false;
    }
  }

  // The SDK warns once before the token lapses: the renewal is retried until it works, and the
  // operator hears of it when it does not.
  async renewToken(device) {
    for (const delay of [0, ...this.retryDelaysMs]) {
      if (delay) await pause(delay);
      if (this.device !== device) return;
      if (await this.refreshToken(device)) return;
      if (this.signedOut || !this.reachable) return; // nothing to renew for, or already recovering
    }
    this.setReachable(false, 'token');
    this.recover();
  }

  // Until Twilio can ring the Device again: a fresh token, then register.
  async recover() {
    if (this.recovering) return;
    this.recovering = true;
    try {
      for (let attempt = 0; this.device && this.device.state !== 'registered'; attempt++) {
        await pause(this.retryDelaysMs[Math.min(attempt, this.retryDelaysMs.length - 1)]);
        const device = this.device;
        if (!device || device.state === 'registered') break;
        if (await this.refreshToken(device)) await this.register(device);
        else if (this.signedOut) break; // nothing to recover until the operator is back
      }
    } finally {
      this.recovering = false;
    }
  }

  onIncoming(leg) {
    const callId = leg.customParameters?.get('switchboard_call_id');
    if (this.placing) {
      this.early.push(leg);
      return;
    }
    // One leg at a time, for the call this softphone placed and the backend still has live;
    // after a hold the call rings again, and the new leg is taken like the first.
    if (callId && callId === this.call?.id && !ended.includes(this.call.status) && !this.leg) {
      this.take(leg);
      return;
    }
    leg.reject();
  }

  take(leg) {
    this.leg = leg;
    this.sample = null;
    leg.on('accept', () => leg.mute(this.muted));
    leg.on('sample', (sample) => { if (this.leg === leg) this.sample = sample; });
    leg.on('volume', (input, output) => {
      if (this.leg === leg) this.dispatchEvent(new CustomEvent('level', { detail: { input, output } }));
    });
    leg.on('warning', (name) => this.dispatchEvent(new CustomEvent('quality-warning', { detail: { name, active: true } })));
    leg.on('warning-cleared', (name) =>
      this.dispatchEvent(new CustomEvent('quality-warning', { detail: { name, active: false } })));
    leg.on('disconnect', () => {
      if (this.leg === leg) this.leg = null;
    });
    leg.accept();
  }

  async dial(phoneNumber) {
    await this.connectDevice();
    this.placing = true;
    let placed;
    try {
      placed = await this.request('POST', '/api/calls/initiate', { phone_number: phoneNumber });
      this.setStatus(placed.status, {
        id: placed.call_id, sessionId: placed.session_id, phoneNumber: placed.phone_number, startTime: placed.start_time,
      });
    } finally {
      this.placing = false;
      const early = this.early;
      this.early = [];
      for (const leg of early) this.onIncoming(leg);
    }
    this.follow(placed.call_id);
    return placed.call_id;
  }

  // A call placed for this operator by another client (click-to-call): once the party answers,
  // Twilio rings this Device with the call's id, and onIncoming takes that leg as for a call
  // placed here. The call is followed whether or not the Device could register.
  async takeCall(call) {
    this.setStatus(call.status, {
      id: call.call_id, sessionId: call.session_id, phoneNumber: call.phone_number, startTime: call.start_time,
    });
    try {
      await this.connectDevice();
    } finally {
      this.follow(call.call_id);
    }
  }

  // The microphone the SDK sends: the same one the page checks and meters.
  async openMicrophone(deviceId = this.microphoneId) {
    const stream = await super.openMicrophone(deviceId);
    if (this.device) await this.useAudioDevices(this.device);
    return stream;
  }

  async setSpeaker(deviceId) {
    await super.setSpeaker(deviceId);
    if (this.device) await this.useAudioDevices(this.device);
  }

  async useAudioDevices(device) {
    const audio = device.audio;
    if (!audio) return;
    try {
      if (this.microphoneId) await audio.setInputDevice(this.microphoneId);
      else if (audio.inputDevice) await audio.unsetInputDevice();
    } catch (error) {
      throw new ApiError(0, 'no_input_device', error.message);
    }
    if (audio.isOutputSelectionSupported) await audio.speakerDevices.set(this.speakerId || 'default');
  }

  setMuted(muted) {
    super.setMuted(muted);
    this.leg?.mute(muted);
  }

  // Tones go through Twilio's call (the SDK sends them as DTMF); false when there is no call.
  sendDtmf(tones) {
    if (!this.leg || this.leg.status() !== 'open') return false;
    try {
      this.leg.sendDigits(tones);
      return true;
    } catch {
      return false;
    }
  }

  // The SDK's latest sample (every second): RTT and jitter in ms, loss in %, and its MOS.
  async quality() {
    const sample = this.sample;
    if (!sample) return null;
    const rttMs = sample.rtt ?? 0;
    const jitterMs = sample.jitter ?? 0;
    const lossPercent = sample.packetsLostFraction ?? 0;
    return { rttMs, jitterMs, lossPercent, mos: sample.mos ?? estimateMos(rttMs, jitterMs, lossPercent) };
  }

  async mediaStats() {
    const sample = this.sample;
    if (!sample || !this.leg) return null;
    return {
      packetsReceived: sample.totals?.packetsReceived ?? 0,
      packetsSent: sample.totals?.packetsSent ?? 0,
      jitter: (sample.jitter ?? 0) / 1000,
      roundTripTime: sample.rtt === undefined ? null : sample.rtt / 1000,
      connectionState: this.leg.status() === 'open' ? 'connected' : this.leg.status(),
    };
  }

  closeMedia() {
    this.leg?.disconnect();
    this.leg = null;
    this.sample = null;
    super.closeMedia();
  }
}
