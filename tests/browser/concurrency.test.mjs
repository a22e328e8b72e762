// Twenty operators call at the same time: twenty Softphone instances (the page's own module) in
// five pages of one Chromium, twenty users, twenty GStreamer far ends. Every call becomes active
// with audio both ways, every one ends completed, and every far end is stopped afterwards.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import {
  launchBrowser, openSoftphone, PASSWORD, serverTest, settledResources, uniqueEmail, waitFor,
} from './harness.mjs';

const CALLS = 20;
// Chromium opens at most 6 connections to one host per browser context, and every Softphone
// keeps one of them in a long poll (GET /api/calls/{id}?wait=25) for the whole call. Twenty
// instances in one context would queue their answers behind those polls for up to 25 s, so the
// twenty operators share five contexts (pages) of four: four polls, two connections to spare.
const PAGES = 5;
const POOL = 4;
const PER_PAGE = CALLS / PAGES;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/// Runs `fn(arg slice)` in every page on its own phones; answers the results in phone order.
async function inEveryPage(pages, fn, args = Array(CALLS).fill(null)) {
  const parts = await Promise.all(pages.map((page, p) =>
    page.evaluate(fn, args.slice(p * PER_PAGE, (p + 1) * PER_PAGE))));
  return parts.flat();
}

serverTest(`${CALLS} calls at once all become active with audio, then all complete`,
  { env: { VOIP_MOCK_RINGBACK_MS: '200', VOIP_MOCK_POOL: String(POOL) }, timeout: 180000 }, async (t, server) => {
    // Before any page connects, with the offer pool full.
    await waitFor('the offer pool to fill', async () => (await server.resources()).farEnds === POOL,
      { timeoutMs: 20000, intervalMs: 200 });
    const idle = await settledResources(server);
    assert.equal(idle.farEnds, POOL, `the offer pool's far ends: ${JSON.stringify(idle)}`);
    const pages = await Promise.all(Array.from({ length: PAGES }, () => openSoftphone(browser, server)));
    const emails = Array.from({ length: CALLS }, () => uniqueEmail('concurrent'));
    const tokens = await inEveryPage(pages, async (users) => {
      const { Softphone } = await import('/softphone/softphone.js');
      window.phones = users.map(() => new Softphone());
      const sessions = await Promise.all(users.map(({ email, password }, i) => window.phones[i].register(email, password)));
      return sessions.map((session) => session.token);
    }, emails.map((email) => ({ email, password: PASSWORD })));
    assert.equal(new Set(tokens).size, CALLS);

    const numbers = Array.from({ length: CALLS }, (_, i) => `+49151234567${String(i).padStart(2, '0')}`);
    const dialedAt = Date.now();
    const dialed = await inEveryPage(pages, (numbers) => Promise.all(window.phones.map((phone, i) =>
      phone.dial(numbers[i]).then((callId) => ({ callId }),
        (error) => ({ error: { status: error.status, type: error.type, message: error.message } })))), numbers);
    const failures = dialed.filter((result) => result.error);
    assert.deepEqual(failures, [], 'every dial() resolves');
    const callIds = dialed.map((result) => result.callId);
    assert.equal(new Set(callIds).size, CALLS);
    t.diagnostic(`all ${CALLS} dial() calls resolved ${Date.now() - dialedAt} ms after dialling began`);

    await Promise.all(pages.map((page) => page.waitForFunction(
      () => window.phones.every((phone) => phone.call?.status !== 'connecting'), null, { timeout: 60000, polling: 50 })));
    const statuses = await inEveryPage(pages, () => window.phones.map((phone) => phone.call.status));
    t.diagnostic(`all ${CALLS} left connecting ${Date.now() - dialedAt} ms after dialling began`);
    assert.deepEqual(statuses, Array(CALLS).fill('active'));

    // Audio reaches every Softphone and keeps coming; every far end hears its caller.
    const stats = () => inEveryPage(pages, () => Promise.all(window.phones.map((phone) => phone.mediaStats())));
    const first = await stats();
    first.forEach((media, i) => {
      assert.equal(media.connectionState, 'connected', `call ${i}`);
      assert.ok(media.packetsReceived > 0 && media.packetsSent > 0, `call ${i}: ${JSON.stringify(media)}`);
    });
    await waitFor('every call to receive and send more packets', async () =>
      (await stats()).every((media, i) => media.packetsReceived >= first[i].packetsReceived + 10
        && media.packetsSent >= first[i].packetsSent + 10), { timeoutMs: 10000, intervalMs: 200 });
    const calls = () => Promise.all(callIds.map((id, i) =>
      server.request('GET', `/api/calls/${id}`, { token: tokens[i] }).then((response) => response.body)));
    const heard = await waitFor('every far end to count packets from its caller', async () => {
      const live = await calls();
      return live.every((call) => call.status === 'active' && call.quality?.packets_received > 0) && live;
    }, { timeoutMs: 10000, intervalMs: 250 });
    t.diagnostic(`server packets_received: ${heard.map((call) => call.quality.packets_received).join(' ')}`);
    assert.equal(new Set(heard.map((call) => call.session_id)).size, CALLS, 'one far end per call');

    const results = await inEveryPage(pages, () => Promise.all(window.phones.map((phone) => phone.hangUp())));
    results.forEach((result, i) => {
      assert.equal(result.call_id, callIds[i]);
      assert.equal(result.status, 'completed', `call ${i}: ${JSON.stringify(result)}`);
    });
    (await calls()).forEach((call, i) => {
      assert.equal(call.status, 'completed', `call ${i}`);
      assert.ok(call.duration >= 0 && call.end_time, `call ${i}: ${JSON.stringify(call)}`);
      assert.ok(call.quality?.packets_received > 0, `call ${i} stored its quality`);
    });
    await Promise.all(pages.map((page) => page.context().close()));

    // Twenty far ends stop at once (on worker threads): only the offer pool's may be left, and
    // with the pages gone (every HTTP connection is a descriptor) the descriptors are back too.
    // Threads are not compared: Qt's worker threads stay up to 30 s after their last job.
    const deadline = Date.now() + 20000;
    let now = await server.resources();
    while ((now.farEnds > POOL || now.fds > idle.fds + 8) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      now = await server.resources();
    }
    t.diagnostic(`server before the calls: ${JSON.stringify(idle)}; after: ${JSON.stringify(now)}`);
    assert.equal(now.farEnds, POOL, `far ends still alive 20 s after the calls ended: ${JSON.stringify(now)}`);
    assert.ok(now.fds <= idle.fds + 8, `descriptors ${now.fds} back near ${idle.fds} (one far end holds 18)`);
  });
