// The mock provider's test numbers, dialled from the softphone page in Chromium: each ends the
// way README's table says, with the documented status and failure_reason.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import {
  dialInPage, launchBrowser, mediaStats, openSoftphone, registerInPage, serverTest, waitFor, waitForStatus,
} from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const FAST = { VOIP_MOCK_RINGBACK_MS: '200' };

/// Samples softphone.mediaStats() in the page every 20 ms while a call is not yet active and
/// keeps the most packets seen, so that a call that ends before going active still shows whether
/// the far end's ringback reached the page before the peer connection closed.
async function recordRingback(page) {
  await page.evaluate(() => {
    window.ringback = { packetsReceived: 0, connected: false };
    setInterval(async () => {
      const phone = window.softphone;
      if (!phone.pc) return;
      try {
        const stats = await phone.mediaStats();
        if (!stats) return;
        window.ringback.packetsReceived = Math.max(window.ringback.packetsReceived, stats.packetsReceived);
        if (stats.connectionState === 'connected') window.ringback.connected = true;
      } catch {
        // closed meanwhile
      }
    }, 20);
  });
}

async function statuses(page) {
  return page.evaluate(() => window.statusLog.map((entry) => entry.status));
}

async function getCall(server, token, callId) {
  const response = await server.request('GET', `/api/calls/${callId}`, { token });
  assert.equal(response.status, 200);
  return response.body;
}

serverTest('+1 202 555 0101 is busy: the far end rings, then the call fails (busy)',
  { env: FAST }, async (t, server) => {
    const page = await openSoftphone(browser, server);
    const token = await registerInPage(page);
    await recordRingback(page);
    const { callId, error } = await dialInPage(page, '+12025550101');
    assert.equal(error, undefined);
    const call = await waitForStatus(page, 'failed');
    assert.equal(call.status, 'failed', JSON.stringify(call));
    assert.equal(call.failureReason, 'busy');
    assert.ok(!(await statuses(page)).includes('active'), 'a busy call never becomes active');
    const ringback = await page.evaluate(() => window.ringback);
    assert.ok(ringback.connected && ringback.packetsReceived > 0,
      `media connected and the ringback reached the page before the busy signal: ${JSON.stringify(ringback)}`);

    const stored = await getCall(server, token, callId);
    assert.equal(stored.status, 'failed');
    assert.equal(stored.failure_reason, 'busy');
    assert.equal(stored.duration, 0);
    assert.equal(stored.answered_at, null);
    await page.context().close();
  });

serverTest('+1 202 555 0102 rings until VOIP_MOCK_RING_TIMEOUT, then fails (no_answer)',
  { env: { ...FAST, VOIP_MOCK_RING_TIMEOUT: '2' } }, async (t, server) => {
    const page = await openSoftphone(browser, server);
    const token = await registerInPage(page);
    await recordRingback(page);
    const dialedAt = Date.now();
    const { callId, error } = await dialInPage(page, '+12025550102');
    assert.equal(error, undefined);
    // Still ringing, with the ringback playing, well past the ringback time.
    await waitFor('the ringback to reach the page', () => page.evaluate(() => window.ringback.packetsReceived > 0),
      { timeoutMs: 5000 });
    assert.equal((await getCall(server, token, callId)).status, 'connecting');

    const call = await waitForStatus(page, 'failed', 10000);
    const failedAfter = Date.now() - dialedAt;
    assert.equal(call.status, 'failed', JSON.stringify(call));
    assert.equal(call.failureReason, 'no_answer');
    assert.ok(failedAfter >= 2000, `it rang for the whole ring timeout (failed ${failedAfter} ms after dialling)`);
    assert.ok(!(await statuses(page)).includes('active'), 'an unanswered call never becomes active');
    const ringback = await page.evaluate(() => window.ringback);
    assert.ok(ringback.connected && ringback.packetsReceived > 0, `the ringback reached the page: ${JSON.stringify(ringback)}`);

    const stored = await getCall(server, token, callId);
    assert.equal(stored.status, 'failed');
    assert.equal(stored.failure_reason, 'no_answer');
    assert.equal(stored.duration, 0);
    await page.context().close();
  });

serverTest('+1 202 555 0103 is unavailable: dial() rejects with 503 call_initiation_failed, nothing left connecting',
  { env: FAST }, async (t, server) => {
    const page = await openSoftphone(browser, server);
    const token = await registerInPage(page);
    const { callId, error } = await dialInPage(page, '+12025550103');
    assert.equal(callId, undefined);
    assert.equal(error.name, 'ApiError');
    assert.equal(error.status, 503);
    assert.equal(error.type, 'call_initiation_failed');
    assert.match(error.message, /provider/i);
    assert.equal(await page.evaluate(() => window.softphone.pc), null, 'no peer connection was opened');

    const history = (await server.request('GET', '/api/calls/history', { token })).body;
    assert.equal(history.total, 1, JSON.stringify(history));
    assert.equal(history.calls[0].status, 'failed');
    assert.equal(history.calls[0].failure_reason, 'provider_unavailable');
    for (const status of ['initiated', 'connecting', 'active']) {
      const live = (await server.request('GET', `/api/calls/history?status=${status}`, { token })).body;
      assert.equal(live.total, 0, `no call left ${status}`);
    }

    // Nothing holds the line: the next call goes through.
    const next = await dialInPage(page, '+4915123456789');
    assert.equal(next.error, undefined, JSON.stringify(next.error));
    assert.equal((await waitForStatus(page, 'active')).status, 'active');
    const ended = await page.evaluate(() => window.softphone.hangUp());
    assert.equal(ended.status, 'completed');
    await page.context().close();
  });

serverTest('+1 202 555 0202 answers, then the far end hangs up after 2 s (completed)',
  { env: FAST }, async (t, server) => {
    const page = await openSoftphone(browser, server);
    const token = await registerInPage(page);
    const { callId, error } = await dialInPage(page, '+12025550202');
    assert.equal(error, undefined);
    assert.equal((await waitForStatus(page, 'active')).status, 'active');
    const activeAt = Date.now();
    const stats = await waitFor('audio in the call', async () => {
      const s = await mediaStats(page);
      return s?.packetsReceived > 0 && s;
    }, { timeoutMs: 3000 });
    assert.ok(stats.packetsReceived > 0);

    const call = await waitForStatus(page, 'completed', 10000);
    const endedAfter = Date.now() - activeAt;
    assert.equal(call.status, 'completed', JSON.stringify(call));
    assert.equal(await page.evaluate(() => window.softphone.pc), null, 'the page closed its media');
    const stored = await getCall(server, token, callId);
    t.diagnostic(`far end hung up ${endedAfter} ms after the page saw active; duration ${stored.duration} s`);
    assert.equal(stored.status, 'completed');
    assert.equal(stored.failure_reason, null);
    assert.ok(stored.duration >= 2 && stored.duration <= 3, `duration ${stored.duration} s for a 2 s hang-up`);
    assert.ok(stored.quality?.packets_received > 0, `quality stored: ${JSON.stringify(stored.quality)}`);

    // The operator pressing End afterwards changes nothing.
    const again = await server.request('POST', '/api/calls/terminate', { token, body: { call_id: callId } });
    assert.deepEqual(again.body, { call_id: callId, duration: stored.duration, status: 'completed' });
    await page.context().close();
  });

serverTest('+1 202 555 0106: media never connects, the call fails after VOIP_MOCK_MEDIA_TIMEOUT (media_failed)',
  { env: { ...FAST, VOIP_MOCK_MEDIA_TIMEOUT: '2' } }, async (t, server) => {
    const page = await openSoftphone(browser, server);
    const token = await registerInPage(page);
    await recordRingback(page);
    const dialedAt = Date.now();
    const { callId, error } = await dialInPage(page, '+12025550106');
    assert.equal(error, undefined, 'the answer is accepted; the failure comes later');
    assert.equal((await getCall(server, token, callId)).status, 'connecting');

    const call = await waitForStatus(page, 'failed', 10000);
    const failedAfter = Date.now() - dialedAt;
    assert.equal(call.status, 'failed', JSON.stringify(call));
    assert.equal(call.failureReason, 'media_failed');
    assert.ok(failedAfter >= 2000, `failed only after the media timeout (${failedAfter} ms after dialling)`);
    const ringback = await page.evaluate(() => window.ringback);
    assert.deepEqual(ringback, { packetsReceived: 0, connected: false }, 'no media ever reached the page');

    const stored = await getCall(server, token, callId);
    assert.equal(stored.status, 'failed');
    assert.equal(stored.failure_reason, 'media_failed');
    assert.equal(stored.duration, 0);
    await page.context().close();
  });

serverTest('audio lost mid-call: when the softphone stops sending, the far end fails the call (media_failed)',
  { env: { ...FAST, VOIP_MOCK_MEDIA_TIMEOUT: '2' } }, async (t, server) => {
    const page = await openSoftphone(browser, server);
    const token = await registerInPage(page);
    const { callId, error } = await dialInPage(page, '+4915123456789');
    assert.equal(error, undefined);
    assert.equal((await waitForStatus(page, 'active')).status, 'active');
    await waitFor('the far end to hear the page', async () =>
      (await getCall(server, token, callId)).quality?.packets_received > 0, { timeoutMs: 5000 });

    // The microphone's track goes (a device unplugged, a renderer stuck): no more RTP, while ICE
    // and DTLS stay up, so only the missing audio can tell.
    const stoppedAt = Date.now();
    await page.evaluate(() => Promise.all(window.softphone.pc.getSenders().map((sender) => sender.replaceTrack(null))));
    const call = await waitForStatus(page, 'failed', 15000);
    const failedAfter = Date.now() - stoppedAt;
    assert.equal(call.status, 'failed', JSON.stringify(call));
    assert.equal(call.failureReason, 'media_failed');
    t.diagnostic(`failed ${failedAfter} ms after the audio stopped`);
    assert.ok(failedAfter >= 1500, `not before the media timeout (${failedAfter} ms)`);

    const stored = await getCall(server, token, callId);
    assert.equal(stored.status, 'failed');
    assert.equal(stored.failure_reason, 'media_failed');
    assert.ok(stored.duration >= 1, `the time it was active counts: ${stored.duration} s`);
    // Its far end is stopped: only the offer pool's (4 by default) remain.
    await waitFor('the far end to stop', async () => (await server.resources()).farEnds === 4, { timeoutMs: 10000 });
    await page.context().close();
  });

