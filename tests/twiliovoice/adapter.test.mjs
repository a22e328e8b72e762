// The softphone's Twilio adapter (resources/softphone/twilio.js) with a stand-in for Twilio's
// Device and for the REST API: what it asks the backend for, which legs it takes, and how it
// ends a call. Twilio's own servers are out of reach here, so the SDK itself is not exercised.

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
  }
  accept() { this.state = 'accepted'; }
  reject() { this.state = 'rejected'; }
  disconnect() { this.state = 'disconnected'; this.emit('disconnect'); }
}

class FakeDevice extends Emitter {
  static made = [];
  constructor(token, options) {
    super();
    this.token = token;
    this.options = options;
    this.registered = false;
    FakeDevice.made.push(this);
  }
  async register() { this.registered = true; }
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
  const softphone = new TwilioSoftphone('', async () => ({ Device: FakeDevice }));
  softphone.token = 'switchboard-jwt';
  return softphone;
}

test('dial registers the Device with a voice token, then initiates; there is no SDP to answer', async () => {
  const requests = fakeBackend(baseRoutes());
  const softphone = phone();
  const callId = await softphone.dial('+49 151 23456789');
  assert.equal(callId, 'call-1');
  const device = FakeDevice.made.at(-1);
  assert.ok(device.registered);
  assert.match(device.token, /^twilio-token-\d+$/);
  assert.deepEqual(requests.slice(0, 2).map((r) => `${r.method} ${r.path}`),
    ['GET /api/voice/token', 'POST /api/calls/initiate']);
  assert.deepEqual(requests[1].body, { phone_number: '+49 151 23456789' });
  for (const request of requests) assert.equal(request.headers.Authorization, 'Bearer switchboard-jwt');
  assert.ok(!requests.some((r) => r.path === '/api/calls/answer'));
  assert.equal(softphone.call.status, 'connecting');

  // A second call reuses the registered Device.
  await softphone.dial('+49 151 23456789');
  assert.equal(FakeDevice.made.at(-1), device);
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
  while (!softphone.placing) await new Promise((resolve) => setTimeout(resolve, 1));
  const early = new FakeLeg('call-1');
  FakeDevice.made.at(-1).emit('incoming', early);
  assert.equal(early.state, 'ringing');
  release();
  await dialled;
  assert.equal(early.state, 'accepted');
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
  device.emit('tokenWillExpire');
  while (device.token === first) await new Promise((resolve) => setTimeout(resolve, 1));
  assert.equal(requests.filter((r) => r.path === '/api/voice/token').length, 2);
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
