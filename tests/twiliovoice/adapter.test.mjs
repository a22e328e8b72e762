// The softphone's Twilio adapter (resources/softphone/twilio.js) with stand-ins for Twilio's
// Device, its AudioHelper and its Call (as @twilio/voice-sdk 2.18 defines them: states, events,
// methods), and for the REST API: what it asks the backend for, which legs it takes, how it stays
// reachable when tokens or registrations fail, and how mute, DTMF, devices and quality reach the
// SDK. Twilio's own servers are out of reach here, so the SDK itself is not exercised.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TwilioSoftphone } from '../../resources/softphone/twilio.js';

class Emitter {
  constructor() { this.handlers = {}; }
  on(event, handler) { (this.handlers[event] ??= []).push(handler); }
  emit(event, ...args) { for (const handler of this.handlers[event] ?? []) handler(...args); }
}

class FakeLeg extends Emitter {
  constructor(callId) {
    super();
    this.customParameters = new Map(callId ? [['switchboard_call_id', callId]] : []);
    this.state = 'ringing';
    this.muted = false;
    this.digits = [];
  }
  accept() { this.state = 'accepted'; this.emit('accept', this); }
  reject() { this.state = 'rejected'; }
  disconnect() { this.state = 'disconnected'; this.emit('disconnect', this); }
  mute(muted = true) { this.muted = muted; }
  status() { return this.state === 'accepted' ? 'open' : 'closed'; }
  sendDigits(digits) {
    if (/[^0-9*#w]/.test(digits)) throw new Error('Illegal character passed into sendDigits');
    this.digits.push(digits);
  }
}

class FakeAudioHelper {
  constructor() {
    this.ringtone = true;
    this.inputDevice = null;
    this.isOutputSelectionSupported = true;
    this.speakers = [];
    this.speakerDevices = { set: async (id) => { this.speakers.push(id); } };
  }
  incoming(enable) { if (enable !== undefined) this.ringtone = enable; return this.ringtone; }
  async setInputDevice(id) { this.inputDevice = { deviceId: id }; }
  async unsetInputDevice() { this.inputDevice = null; }
}

// Device.State and the events it emits on each change; register() settles on registered or
// unregistered, as the SDK's does.
class FakeDevice extends Emitter {
  static made = [];
  static registers = true; // what Twilio does with the next register()
  constructor(token, options) {
    super();
    this.token = token;
    this.options = options;
    this.state = 'unregistered';
    this.registerCalls = 0;
    this.audio = new FakeAudioHelper();
    this.ringtoneAtRegister = null;
    FakeDevice.made.push(this);
  }
  setState(state) { this.state = state; this.emit(state); }
  async register() {
    if (this.state !== 'unregistered') throw new Error(`Attempt to register when device is in state "${this.state}"`);
    ++this.registerCalls;
    this.ringtoneAtRegister ??= this.audio.ringtone;
    this.setState('registering');
    this.setState(FakeDevice.registers ? 'registered' : 'unregistered');
    if (this.state !== 'registered') throw new Error('unregistered');
  }
  updateToken(token) { this.token = token; }
}

/// Answers the adapter's fetch calls from `routes` ("METHOD /path" → handler) and records them.
function fakeBackend(routes) {
  const requests = [];
  globalThis.fetch = async (url, init) => {
    const path = new URL(url, 'http://switchboard').pathname;
    requests.push({ method: init.method, path, body: init.body && JSON.parse(init.body), headers: init.headers });
    const handler = routes[`${init.method} ${path}`];
    if (!handler) return new Response(JSON.stringify({ error: 'not_found', message: path }), { status: 404 });
    const { status = 200, body } = await handler(init);
    return new Response(JSON.stringify(body), { status });
  };
  return requests;
}

const never = () => new Promise(() => {});
// Waits for `condition`, and fails the test instead of hanging when it never comes.
async function until(condition, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeoutMs} ms for ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
let tokens = 0;
const baseRoutes = () => ({
  'GET /api/voice/token': async () => ({ body: { token: `twilio-token-${++tokens}`, identity: 'operator_1' } }),
  'POST /api/calls/initiate': async () => ({
    body: { call_id: 'call-1', session_id: 'CA1', sdp_offer: '', status: 'connecting', phone_number: '+4915123456789' },
  }),
  'GET /api/calls/call-1': never, // the long poll: nothing changes during these tests
  'POST /api/calls/terminate': async () => ({ body: { call_id: 'call-1', duration: 0, status: 'canceled' } }),
});

function phone() {
  FakeDevice.registers = true;
  const softphone = new TwilioSoftphone('', async () => ({ Device: FakeDevice }), { retryDelaysMs: [1, 1, 1] });
  softphone.token = 'switchboard-jwt';
  return softphone;
}

function events(softphone, type) {
  const seen = [];
  softphone.addEventListener(type, ({ detail }) => seen.push(detail));
  return seen;
}

// A phone in a call whose leg the Device has rung and the softphone has taken.
async function inCall(routes = baseRoutes()) {
  fakeBackend(routes);
  const softphone = phone();
  await softphone.dial('+4915123456789');
  const leg = new FakeLeg('call-1');
  FakeDevice.made.at(-1).emit('incoming', leg);
  return { softphone, leg, device: FakeDevice.made.at(-1) };
}

test('dial registers the Device with a voice token, then initiates; there is no SDP to answer', async () => {
  const requests = fakeBackend(baseRoutes());
  const softphone = phone();
  const callId = await softphone.dial('+49 151 23456789');
  assert.equal(callId, 'call-1');
  const device = FakeDevice.made.at(-1);
  assert.equal(device.state, 'registered');
  assert.match(device.token, /^twilio-token-\d+$/);
  assert.deepEqual(requests.slice(0, 2).map((r) => `${r.method} ${r.path}`),
    ['GET /api/voice/token', 'POST /api/calls/initiate']);
  assert.deepEqual(requests[1].body, { phone_number: '+49 151 23456789' });
  for (const request of requests) assert.equal(request.headers.Authorization, 'Bearer switchboard-jwt');
  assert.ok(!requests.some((r) => r.path === '/api/calls/answer'));
  assert.equal(softphone.call.status, 'connecting');
  assert.equal(softphone.call.sessionId, 'CA1');

  // A second call reuses the registered Device.
  await softphone.dial('+49 151 23456789');
  assert.equal(FakeDevice.made.at(-1), device);
  assert.equal(device.registerCalls, 1);
});

test("the SDK's ringtone is off before the Device can ring: the answered party would hear its silence", async () => {
  fakeBackend(baseRoutes());
  await phone().dial('+4915123456789');
  assert.equal(FakeDevice.made.at(-1).ringtoneAtRegister, false);
});

test('only the leg that carries its own call id is taken', async () => {
  fakeBackend(baseRoutes());
  const softphone = phone();
  await softphone.dial('+4915123456789');
  const device = FakeDevice.made.at(-1);
  const stranger = new FakeLeg('call-0');
  const anonymous = new FakeLeg(null);
  const own = new FakeLeg('call-1');
  const again = new FakeLeg('call-1');
  device.emit('incoming', stranger);
  device.emit('incoming', anonymous);
  device.emit('incoming', own);
  device.emit('incoming', again);
  assert.equal(stranger.state, 'rejected');
  assert.equal(anonymous.state, 'rejected');
  assert.equal(own.state, 'accepted');
  assert.equal(again.state, 'rejected'); // one leg per call
});

test('a leg that rings before initiate has answered is held, then taken', async () => {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const routes = baseRoutes();
  const initiate = routes['POST /api/calls/initiate'];
  routes['POST /api/calls/initiate'] = async (init) => { await gate; return initiate(init); };
  fakeBackend(routes);
  const softphone = phone();
  const dialled = softphone.dial('+4915123456789');
  await until(() => softphone.placing);
  const early = new FakeLeg('call-1');
  FakeDevice.made.at(-1).emit('incoming', early);
  assert.equal(early.state, 'ringing');
  release();
  await dialled;
  assert.equal(early.state, 'accepted');
});

test('after a hold the call rings again, and the new leg is taken like the first', async () => {
  const { softphone, leg, device } = await inCall();
  softphone.setMuted(true);
  leg.disconnect(); // Twilio ended the leg: the party hears hold music
  assert.equal(softphone.leg, null);
  const resumed = new FakeLeg('call-1');
  device.emit('incoming', resumed);
  assert.equal(resumed.state, 'accepted');
  assert.equal(resumed.muted, true); // still muted, as the operator left it
});

test('hanging up ends the call over the API and drops the leg', async () => {
  const requests = fakeBackend(baseRoutes());
  const softphone = phone();
  await softphone.dial('+4915123456789');
  const leg = new FakeLeg('call-1');
  FakeDevice.made.at(-1).emit('incoming', leg);
  const result = await softphone.hangUp();
  assert.deepEqual(result, { call_id: 'call-1', duration: 0, status: 'canceled' });
  assert.deepEqual(requests.at(-1).body, { call_id: 'call-1' });
  assert.equal(leg.state, 'disconnected');
  assert.equal(softphone.leg, null);
  // After the call has ended, a late leg for it is refused.
  const late = new FakeLeg('call-1');
  FakeDevice.made.at(-1).emit('incoming', late);
  assert.equal(late.state, 'rejected');
});

test('the voice token is renewed when the SDK says it will expire', async () => {
  const requests = fakeBackend(baseRoutes());
  const softphone = phone();
  await softphone.dial('+4915123456789');
  const device = FakeDevice.made.at(-1);
  const first = device.token;
  device.emit('tokenWillExpire', device);
  await until(() => device.token !== first);
  assert.equal(requests.filter((r) => r.path === '/api/voice/token').length, 2);
});

test('a renewal that fails is tried again until a token comes', async () => {
  const routes = baseRoutes();
  const token = routes['GET /api/voice/token'];
  let failures = 2;
  routes['GET /api/voice/token'] = async (init) =>
    failures-- > 0 ? { status: 503, body: { error: 'storage_unavailable', message: 'down' } } : token(init);
  fakeBackend(baseRoutes());
  const softphone = phone();
  await softphone.dial('+4915123456789');
  const reachability = events(softphone, 'reachability');
  const requests = fakeBackend(routes);
  const device = FakeDevice.made.at(-1);
  const first = device.token;
  device.emit('tokenWillExpire', device);
  await until(() => device.token !== first);
  assert.equal(requests.filter((r) => r.path === '/api/voice/token').length, 3);
  assert.deepEqual(reachability, []); // renewed in time: the operator was never unreachable
});

test('a token that lapses unregisters the Device: the operator is told, and it registers again', async () => {
  fakeBackend(baseRoutes());
  const softphone = phone();
  await softphone.dial('+4915123456789');
  const device = FakeDevice.made.at(-1);
  const reachability = events(softphone, 'reachability');
  // Every renewal fails while the server is down; the SDK then reports the expired token.
  const routes = baseRoutes();
  let serverDown = true;
  const token = routes['GET /api/voice/token'];
  routes['GET /api/voice/token'] = async (init) =>
    serverDown ? { status: 503, body: { error: 'storage_unavailable', message: 'down' } } : token(init);
  fakeBackend(routes);
  device.emit('tokenWillExpire', device);
  await until(() => reachability.length > 0);
  assert.deepEqual(reachability[0], { reachable: false, reason: 'token' });
  device.emit('error', { code: 20104, message: 'AccessTokenExpired' });
  device.setState('unregistered');
  assert.equal(softphone.reachable, false);
  serverDown = false;
  await until(() => softphone.reachable);
  assert.equal(device.state, 'registered');
  assert.deepEqual(reachability.at(-1), { reachable: true, reason: 'registered' });
  assert.equal(device.registerCalls, 2);
});

test('a Device that Twilio unregisters is registered again', async () => {
  fakeBackend(baseRoutes());
  const softphone = phone();
  await softphone.dial('+4915123456789');
  const device = FakeDevice.made.at(-1);
  const reachability = events(softphone, 'reachability');
  device.setState('unregistered');
  assert.deepEqual(reachability[0], { reachable: false, reason: 'unregistered' });
  await until(() => device.state === 'registered');
  assert.deepEqual(reachability.at(-1), { reachable: true, reason: 'registered' });
});

test('a signaling error while registered changes nothing; one while unregistered starts the recovery', async () => {
  fakeBackend(baseRoutes());
  const softphone = phone();
  await softphone.dial('+4915123456789');
  const device = FakeDevice.made.at(-1);
  const reachability = events(softphone, 'reachability');
  device.emit('error', { code: 31005, message: 'Connection error' });
  assert.deepEqual(reachability, []);
  FakeDevice.registers = false;
  device.state = 'unregistered';
  device.emit('error', { code: 31005, message: 'Connection error' });
  assert.deepEqual(reachability[0], { reachable: false, reason: 'error' });
  FakeDevice.registers = true;
  await until(() => softphone.reachable);
});

test('no call is placed while Twilio cannot ring the softphone', async () => {
  const requests = fakeBackend(baseRoutes());
  const softphone = phone();
  FakeDevice.registers = false;
  await assert.rejects(softphone.dial('+4915123456789'), { type: 'softphone_unreachable', status: 0 });
  assert.ok(!requests.some((r) => r.path === '/api/calls/initiate'));
  // Reachable again (the recovery registered the Device): the call is placed.
  FakeDevice.registers = true;
  await until(() => softphone.reachable);
  assert.equal(await softphone.dial('+4915123456789'), 'call-1');
});

test('signed out of Switchboard: the recovery stops, and says why', async () => {
  fakeBackend(baseRoutes());
  const softphone = phone();
  await softphone.dial('+4915123456789');
  const device = FakeDevice.made.at(-1);
  const reachability = events(softphone, 'reachability');
  const routes = baseRoutes();
  routes['GET /api/voice/token'] = async () => ({ status: 401, body: { error: 'unauthorized', message: 'revoked' } });
  const requests = fakeBackend(routes);
  FakeDevice.registers = false;
  device.setState('unregistered');
  await until(() => !softphone.recovering);
  assert.deepEqual(reachability.at(-1), { reachable: false, reason: 'signed_out' });
  const asked = requests.length;
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(requests.length, asked);
});

test('a failed initiate leaves no call to take legs for', async () => {
  const routes = baseRoutes();
  routes['POST /api/calls/initiate'] = async () => ({
    status: 503, body: { error: 'call_initiation_failed', message: 'Twilio is unavailable' },
  });
  fakeBackend(routes);
  const softphone = phone();
  await assert.rejects(softphone.dial('+4915123456789'), { type: 'call_initiation_failed', status: 503 });
  const leg = new FakeLeg('call-1');
  FakeDevice.made.at(-1).emit('incoming', leg);
  assert.equal(leg.state, 'rejected');
});

test('mute silences the Twilio call itself, before and after the leg is taken', async () => {
  fakeBackend(baseRoutes());
  const softphone = phone();
  await softphone.dial('+4915123456789');
  softphone.setMuted(true);
  const leg = new FakeLeg('call-1');
  FakeDevice.made.at(-1).emit('incoming', leg);
  assert.equal(leg.muted, true);
  softphone.setMuted(false);
  assert.equal(leg.muted, false);
  assert.equal(softphone.muted, false);
});

test('DTMF goes through the Twilio call', async () => {
  const { softphone, leg } = await inCall();
  assert.equal(softphone.sendDtmf('5'), true);
  assert.equal(softphone.sendDtmf('#'), true);
  assert.deepEqual(leg.digits, ['5', '#']);
  assert.equal(softphone.sendDtmf('x'), false); // the SDK refuses it
  leg.disconnect();
  assert.equal(softphone.sendDtmf('1'), false); // no call, no tones
});

test('the chosen microphone and speaker are the SDK’s too', async () => {
  const { softphone, device } = await inCall();
  const stream = { getAudioTracks: () => [], getTracks: () => [] };
  Object.defineProperty(globalThis, 'navigator', {
    value: { mediaDevices: { getUserMedia: async () => stream } }, configurable: true,
  });
  await softphone.openMicrophone('mic-2');
  assert.deepEqual(device.audio.inputDevice, { deviceId: 'mic-2' });
  await softphone.setSpeaker('speaker-3');
  assert.equal(device.audio.speakers.at(-1), 'speaker-3');
  await softphone.setSpeaker('');
  assert.equal(device.audio.speakers.at(-1), 'default');
  // Back to the system's microphone.
  softphone.microphoneId = 'mic-2';
  await softphone.openMicrophone('');
  assert.equal(device.audio.inputDevice, null);
});

test('quality figures, warnings and levels come from the SDK', async () => {
  const { softphone, leg } = await inCall();
  assert.equal(await softphone.quality(), null); // no sample yet
  const warnings = events(softphone, 'quality-warning');
  const levels = events(softphone, 'level');
  leg.emit('sample', {
    rtt: 120, jitter: 7, packetsLostFraction: 1.5, mos: 4.1,
    totals: { packetsReceived: 500, packetsSent: 490 }, audioInputLevel: 9000, audioOutputLevel: 12000,
  });
  assert.deepEqual(await softphone.quality(), { rttMs: 120, jitterMs: 7, lossPercent: 1.5, mos: 4.1 });
  const stats = await softphone.mediaStats();
  assert.equal(stats.packetsReceived, 500);
  assert.equal(stats.packetsSent, 490);
  assert.equal(stats.roundTripTime, 0.12);
  assert.equal(stats.connectionState, 'connected');
  // Without the SDK's MOS (early samples), the page's own estimate from the same figures.
  leg.emit('sample', { rtt: 120, jitter: 7, packetsLostFraction: 1.5, mos: null });
  const estimated = await softphone.quality();
  assert.ok(estimated.mos > 1 && estimated.mos < 4.5);
  leg.emit('warning', 'high-rtt', { name: 'high-rtt' });
  leg.emit('warning-cleared', 'high-rtt');
  assert.deepEqual(warnings, [{ name: 'high-rtt', active: true }, { name: 'high-rtt', active: false }]);
  leg.emit('volume', 0.4, 0.6);
  assert.deepEqual(levels, [{ input: 0.4, output: 0.6 }]);
  leg.disconnect();
  softphone.closeMedia();
  assert.equal(await softphone.quality(), null);
});

test('a call placed elsewhere (click-to-call) is taken: the Device registers, and the leg carrying its id is accepted', async () => {
  const requests = fakeBackend(baseRoutes());
  const softphone = phone();
  await softphone.takeCall({
    call_id: 'call-1', session_id: 'CA1', status: 'connecting', phone_number: '+4915123456789', sdp_offer: null,
  });
  const device = FakeDevice.made.at(-1);
  assert.equal(device.state, 'registered');
  assert.equal(softphone.call.id, 'call-1');
  assert.ok(!requests.some((r) => r.path === '/api/calls/initiate' || r.path === '/api/calls/answer'));
  const other = new FakeLeg('call-2');
  device.emit('incoming', other);
  assert.equal(other.state, 'rejected');
  const leg = new FakeLeg('call-1');
  device.emit('incoming', leg);
  assert.equal(leg.state, 'accepted');
  await until(() => requests.some((r) => r.path === '/api/calls/call-1')); // followed
});
