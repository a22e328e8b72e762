// The softphone on Twilio. The operator's audio goes through Twilio's Voice JavaScript SDK
// (served beside this file as twilio-voice-sdk.min.js) instead of a WebRTC answer to an offer:
// initiate makes Twilio call the dialled number, and once the party answers the call's TwiML
// rings this Device, registered under the operator's identity. The Device takes the leg that
// carries the id of the call it placed, and refuses any other.

import { ApiError, Softphone } from './softphone.js';

const ended = ['completed', 'failed', 'canceled'];

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
  constructor(baseUrl = '', loadTwilio = () => loadVoiceSdk(`${baseUrl}/softphone/twilio-voice-sdk.min.js`)) {
    super(baseUrl);
    this.loadTwilio = loadTwilio;
    this.device = null;
    this.leg = null; // Twilio's call to this Device for the current call
    this.placing = false;
    this.early = []; // legs that rang while initiate had not yet told us the call id
  }

  // Registers with Twilio under the operator's identity, renewing the token before it lapses.
  async connectDevice() {
    if (this.device) return this.device;
    const { Device } = await this.loadTwilio();
    const { token } = await this.request('GET', '/api/voice/token');
    const device = new Device(token, { closeProtection: true });
    device.on('tokenWillExpire', async () => {
      try {
        device.updateToken((await this.request('GET', '/api/voice/token')).token);
      } catch {
        // The SDK warns again before the token lapses; a failed renewal is retried then.
      }
    });
    device.on('incoming', (leg) => this.onIncoming(leg));
    await device.register();
    this.device = device;
    return device;
  }

  onIncoming(leg) {
    const callId = leg.customParameters?.get('switchboard_call_id');
    if (this.placing) {
      this.early.push(leg);
      return;
    }
    if (callId && callId === this.call?.id && !ended.includes(this.call.status) && !this.leg) {
      this.leg = leg;
      leg.on('disconnect', () => {
        if (this.leg === leg) this.leg = null;
      });
      leg.accept();
      return;
    }
    leg.reject();
  }

  async dial(phoneNumber) {
    await this.connectDevice();
    this.placing = true;
    let placed;
    try {
      placed = await this.request('POST', '/api/calls/initiate', { phone_number: phoneNumber });
      this.setStatus(placed.status, { id: placed.call_id, phoneNumber: placed.phone_number, startTime: placed.start_time });
    } finally {
      this.placing = false;
      const early = this.early;
      this.early = [];
      for (const leg of early) this.onIncoming(leg);
    }
    this.follow(placed.call_id);
    return placed.call_id;
  }

  closeMedia() {
    this.leg?.disconnect();
    this.leg = null;
    super.closeMedia();
  }
}
