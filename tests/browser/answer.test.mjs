// Answers the far end must refuse: Chromium makes a real answer to the mock far end's offer, the
// test damages it before POST /api/calls/answer, and webrtcbin's set-remote-description fails.
// The client gets 400 validation_error saying why, and the call ends failed at once instead of
// waiting in `connecting` for media that cannot come.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { ENDED, launchBrowser, openSoftphone, registerInPage, serverTest, waitFor } from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/// In the page: initiate a call, make Chromium's real answer (all candidates gathered), and
/// answers {callId, sdp}. The peer connection stays open in window.answerPeers.
async function realAnswer(page, number = '+4915123456789') {
  return page.evaluate(async (number) => {
    const phone = window.softphone;
    if (!phone.localStream) await phone.openMicrophone();
    const offer = await phone.request('POST', '/api/calls/initiate', { phone_number: number });
    const pc = new RTCPeerConnection();
    (window.answerPeers ??= []).push(pc);
    for (const track of phone.localStream.getAudioTracks()) pc.addTrack(track, phone.localStream);
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp_offer });
    await pc.setLocalDescription(await pc.createAnswer());
    await new Promise((resolve) => {
      const check = () => { if (pc.iceGatheringState === 'complete') resolve(); };
      pc.addEventListener('icegatheringstatechange', check);
      check();
    });
    return { callId: offer.call_id, sdp: pc.localDescription.sdp };
  }, number);
}

function withoutLines(sdp, attribute) {
  const pattern = new RegExp(`^a=${attribute}:.*\\r\\n`, 'gm');
  assert.match(sdp, pattern, `Chromium's answer has a=${attribute}`);
  return sdp.replace(pattern, '');
}

serverTest('an answer webrtcbin rejects: 400 validation_error with the reason, and the call ends failed at once',
  { env: { VOIP_MOCK_RINGBACK_MS: '200' } }, async (t, server) => {
    const page = await openSoftphone(browser, server);
    const token = await registerInPage(page);

    // Each damage is one that webrtcbin's set-remote-description refuses, with its own words; a
    // missing fingerprint the far end refuses itself (the words without webrtcbin's "for media 0"),
    // as webrtcbin before Debian's security update 1.22.0-4+deb12u8 accepts it.
    const damages = [
      { attribute: 'fingerprint', reason: /No fingerprint lines in sdp$/ },
      { attribute: 'ice-ufrag', reason: /ice-ufrag/ },
      { attribute: 'setup', reason: /setup/ },
      { attribute: 'mid', reason: /mid/ },
    ];
    for (const { attribute, reason } of damages) {
      const { callId, sdp } = await realAnswer(page);
      const answered = await server.request('POST', '/api/calls/answer',
        { token, body: { call_id: callId, sdp_answer: withoutLines(sdp, attribute) } });
      t.diagnostic(`without a=${attribute}: ${answered.status} ${JSON.stringify(answered.body)}`);
      assert.equal(answered.status, 400, `an answer without a=${attribute}: ${JSON.stringify(answered.body)}`);
      assert.equal(answered.body.error, 'validation_error');
      assert.match(answered.body.message, /^sdp_answer was rejected by the far end: /);
      assert.match(answered.body.message, reason);

      // Already ended when the 400 arrives: no waiting for a media timeout.
      const call = (await server.request('GET', `/api/calls/${callId}`, { token })).body;
      assert.equal(call.status, 'failed', `the call of the rejected answer: ${JSON.stringify(call)}`);
      assert.equal(call.failure_reason, 'media_failed');
      assert.equal(call.duration, 0);
      assert.ok(call.end_time);

      // It cannot be answered again, and it holds nothing: the next call may start.
      const again = await server.request('POST', '/api/calls/answer', { token, body: { call_id: callId, sdp_answer: sdp } });
      assert.equal(again.status, 409);
      assert.equal(again.body.error, 'invalid_call_state');
    }
    const live = (await server.request('GET', '/api/calls/history?status=connecting', { token })).body;
    assert.equal(live.total, 0, 'no call left connecting');
    const history = (await server.request('GET', '/api/calls/history', { token })).body;
    assert.equal(history.total, damages.length);
    assert.ok(history.calls.every((call) => call.status === 'failed' && call.failure_reason === 'media_failed'));
    await page.context().close();
  });

serverTest('an answer that declines the audio (port 0) is accepted by webrtcbin, and the call fails after the media timeout',
  { env: { VOIP_MOCK_RINGBACK_MS: '200', VOIP_MOCK_MEDIA_TIMEOUT: '2' } }, async (t, server) => {
    const page = await openSoftphone(browser, server);
    const token = await registerInPage(page);
    const { callId, sdp } = await realAnswer(page);
    const declined = sdp.replace(/^m=audio \d+ /m, 'm=audio 0 ');
    assert.notEqual(declined, sdp);
    const answeredAt = Date.now();
    const answered = await server.request('POST', '/api/calls/answer',
      { token, body: { call_id: callId, sdp_answer: declined } });
    t.diagnostic(`port 0: ${answered.status} ${JSON.stringify(answered.body)}`);
    assert.ok(answered.status === 200 || answered.status === 400, JSON.stringify(answered.body));

    // Whether refused now or when media does not come: it must end failed, never stay connecting.
    const call = await waitFor('the declined call to end', async () => {
      const { body } = await server.request('GET', `/api/calls/${callId}?wait=5&status=connecting`, { token });
      return ENDED.includes(body.status) && body;
    }, { timeoutMs: 8000 });
    const endedAfter = Date.now() - answeredAt;
    t.diagnostic(`ended ${call.status}/${call.failure_reason} ${endedAfter} ms after the answer`);
    assert.equal(call.status, 'failed');
    assert.equal(call.failure_reason, 'media_failed');
    assert.equal(call.answered_at, null, 'it never became active');
    if (answered.status === 200)
      assert.ok(endedAfter >= 2000, `accepted, so it ends only when VOIP_MOCK_MEDIA_TIMEOUT runs out (${endedAfter} ms)`);
    else
      assert.equal(answered.body.error, 'validation_error');
    await page.context().close();
  });

serverTest('an answer posted after the far end picked up (signalling first, media later) brings the audio in',
  { env: { VOIP_MOCK_RINGBACK_MS: '200' } }, async (t, server) => {
    const page = await openSoftphone(browser, server);
    const token = await registerInPage(page);
    const { callId, sdp } = await realAnswer(page);

    // No answer yet: the far end rings out and picks up on its own.
    const picked = (await server.request('GET', `/api/calls/${callId}?wait=10&status=connecting`, { token })).body;
    assert.equal(picked.status, 'active', JSON.stringify(picked));
    assert.equal(picked.quality, null, 'no media yet');

    const answered = await server.request('POST', '/api/calls/answer', { token, body: { call_id: callId, sdp_answer: sdp } });
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    assert.equal(answered.body.status, 'active');

    // ICE and DTLS connect, and audio flows both ways while the call stays active.
    const call = await waitFor('the far end to hear the page', async () => {
      const { body } = await server.request('GET', `/api/calls/${callId}`, { token });
      return body.quality?.packets_received > 0 && body;
    }, { timeoutMs: 10000 });
    assert.equal(call.status, 'active');
    const received = await waitFor('the page to hear the far end', () => page.evaluate(async () => {
      const stats = await window.answerPeers.at(-1).getStats();
      let packets = 0;
      stats.forEach((report) => { if (report.type === 'inbound-rtp') packets += report.packetsReceived; });
      return packets > 0 && packets;
    }), { timeoutMs: 10000 });
    t.diagnostic(`the page received ${received} packets after answering a call that was already active`);

    const ended = await server.request('POST', '/api/calls/terminate', { token, body: { call_id: callId } });
    assert.equal(ended.body.status, 'completed');
    assert.ok(ended.body.duration >= 1, `the call counts from the pick-up: ${JSON.stringify(ended.body)}`);
    await page.context().close();
  });
