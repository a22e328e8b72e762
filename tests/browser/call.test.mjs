// One call through the softphone page's own controls, in Chromium, against the mock provider's
// real WebRTC far end (GStreamer webrtcbin): audio flows both ways, the call ends completed with
// its duration and quality recorded, and the history lists it.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { launchBrowser, mediaStats, openSoftphone, PASSWORD, serverTest, uniqueEmail, waitFor } from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/// The page's inbound audio as Chromium decoded it: packets and the energy of what was played out.
async function inboundAudio(page) {
  return page.evaluate(async () => {
    let inbound = null;
    (await window.softphone.pc.getStats()).forEach((report) => {
      if (report.type === 'inbound-rtp' && report.kind === 'audio') inbound = report;
    });
    return inbound && { packetsReceived: inbound.packetsReceived, totalAudioEnergy: inbound.totalAudioEnergy ?? 0 };
  });
}

serverTest('a call from the softphone page: active, audio both ways, completed, in the history',
  { env: { VOIP_MOCK_RINGBACK_MS: '500' }, timeout: 90000 }, async (t, server) => {
    const page = await openSoftphone(browser, server);

    // Register through the page's form.
    await page.fill('#email', uniqueEmail('call'));
    await page.fill('#password', PASSWORD);
    await page.click('#register');
    await page.waitForSelector('#phone:not([hidden])', { timeout: 15000 });
    const token = await page.evaluate(() => window.softphone.token);
    assert.ok(token, 'the page holds a token after registering');

    // Dial through the page's form.
    const dialedAt = Date.now();
    await page.fill('#number', '+49 151 23456789');
    await page.click('#call');
    await page.waitForSelector('#status[data-status="connecting"]', { timeout: 15000 });
    await page.waitForFunction(() => ['active', 'completed', 'failed', 'canceled'].includes(window.softphone.call?.status),
      null, { timeout: 15000, polling: 20 });
    const activeAt = Date.now();
    const call = await page.evaluate(() => window.softphone.call);
    assert.equal(call.status, 'active', `the call should become active, got ${JSON.stringify(call)}`);
    assert.equal(await page.textContent('#status'), 'In call');
    assert.equal(await page.getAttribute('#hangup', 'disabled'), null, 'the End button is enabled in a call');
    t.diagnostic(`active ${activeAt - dialedAt} ms after the Call button`);

    const live = await server.request('GET', `/api/calls/${call.id}`, { token });
    assert.equal(live.status, 200);
    assert.equal(live.body.status, 'active');
    assert.equal(live.body.phone_number, '+4915123456789');
    assert.ok(live.body.answered_at, 'an active call has answered_at');

    // Audio from the far end reaches the page, and keeps coming.
    const first = await mediaStats(page);
    assert.equal(first.connectionState, 'connected');
    assert.ok(first.packetsReceived > 0, `inbound-rtp packetsReceived > 0: ${JSON.stringify(first)}`);
    assert.ok(first.packetsSent > 0, `outbound-rtp packetsSent > 0: ${JSON.stringify(first)}`);
    const later = await waitFor('inbound and outbound packets to keep growing', async () => {
      const stats = await mediaStats(page);
      return stats.packetsReceived >= first.packetsReceived + 25 && stats.packetsSent >= first.packetsSent + 25 && stats;
    }, { timeoutMs: 5000 });
    t.diagnostic(`browser stats: ${JSON.stringify(first)} then ${JSON.stringify(later)}`);
    const audio = await inboundAudio(page);
    assert.ok(audio.totalAudioEnergy > 0, `the far end's audio is not silence: ${JSON.stringify(audio)}`);

    // The far end heard the page: its own statistics count the page's packets.
    const heard = await waitFor('the server to report packets received from the page', async () => {
      const { body } = await server.request('GET', `/api/calls/${call.id}`, { token });
      return body.quality?.packets_received > 0 && body;
    }, { timeoutMs: 5000 });
    const q = heard.quality;
    t.diagnostic(`server quality while live: ${JSON.stringify(q)}`);
    assert.ok(q.mos >= 1 && q.mos <= 4.5, `MOS in [1, 4.5]: ${q.mos}`);
    assert.ok(q.rtt_ms >= 0 && q.jitter_ms >= 0 && q.packet_loss_percent >= 0, JSON.stringify(q));

    // Stay in the call for more than two whole seconds, then hang up with the End button.
    await waitFor('two and a half seconds in the call', () => Date.now() - activeAt >= 2500, { timeoutMs: 5000 });
    const hangUpAt = Date.now();
    await page.click('#hangup');
    await page.waitForSelector('#status[data-status="completed"]', { timeout: 15000 });
    const endedAt = Date.now();
    assert.equal(await page.textContent('#status'), 'Finished');
    assert.equal(await page.evaluate(() => window.softphone.pc), null, 'the peer connection is closed');

    const activeSeconds = Math.floor((hangUpAt - activeAt) / 1000);
    const ended = (await server.request('GET', `/api/calls/${call.id}`, { token })).body;
    t.diagnostic(`in call ${hangUpAt - activeAt} ms as seen by the test; recorded ${ended.duration} s`);
    assert.equal(ended.status, 'completed');
    assert.equal(ended.failure_reason, null);
    assert.ok(ended.duration >= activeSeconds,
      `recorded duration ${ended.duration} s covers the ${activeSeconds} whole seconds the test saw the call active`);
    assert.ok(ended.duration <= Math.ceil((endedAt - dialedAt) / 1000),
      `recorded duration ${ended.duration} s is not longer than the whole call took`);
    assert.ok(ended.end_time, 'an ended call has end_time');

    // The history lists it, newest first, with its quality stored.
    const history = await server.request('GET', '/api/calls/history', { token });
    assert.equal(history.status, 200);
    assert.equal(history.body.total, 1);
    const [item] = history.body.calls;
    assert.equal(item.call_id, call.id);
    assert.equal(item.status, 'completed');
    assert.equal(item.duration, ended.duration);
    assert.equal(item.phone_number, '+4915123456789');
    assert.ok(item.quality, 'the history item carries the stored quality');
    assert.ok(item.quality.packets_received >= q.packets_received,
      `stored packets_received ${item.quality.packets_received} ≥ the live figure ${q.packets_received}`);
    assert.ok(item.quality.mos >= 1 && item.quality.mos <= 4.5, JSON.stringify(item.quality));

    // Terminate again: idempotent, the recorded outcome.
    const again = await server.request('POST', '/api/calls/terminate', { token, body: { call_id: call.id } });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { call_id: call.id, duration: ended.duration, status: 'completed' });
    await page.context().close();
  });
