// The call page as operators use it, in Chromium against the real server: recent calls one click
// from a redial, the one field that takes a number or a name, the call panel's controls (mute,
// keypad with DTMF, hold, transfer) by mouse and by keyboard. Hold and transfer run once the
// server offers their routes (its OpenAPI document lists them); until then they are skipped.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { launchBrowser, openSoftphone, PASSWORD, serverTest, startServer, stopServer, uniqueEmail, waitForStatus }
  from './harness.mjs';

const NO_MEDIA = { VOIP_MOCK_MEDIA: 'off' };

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Whether this build's server has the hold and transfer routes (the backend adds them separately).
const probe = await startServer(NO_MEDIA);
const paths = Object.keys((await probe.request('GET', '/api/openapi.json')).body?.paths ?? {});
await stopServer(probe, false);
const waitingForBackend = (route) => (paths.includes(route) ? false : `waiting for the backend: ${route}`);

async function loggedIn(server, language = 'en') {
  const { body } = await server.request('POST', '/api/auth/register', { body: { email: uniqueEmail('panel'), password: PASSWORD } });
  const page = await openSoftphone(browser, server, {
    initScript: `window.switchboardHost = ${JSON.stringify({ token: body.token, language })};`,
  });
  await page.waitForSelector('#phone:not([hidden])');
  page.token = body.token;
  return page;
}

async function dial(page, number) {
  await page.fill('#number', number);
  await page.waitForSelector('#number-hint[data-valid="true"]');
  await page.keyboard.press('Enter');
  return waitForStatus(page, 'active');
}

serverTest('recent calls: the last calls beside the dialer, one click redials',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await loggedIn(server);
    assert.equal(await page.isVisible('#recent-empty'), true, 'a new operator has no calls yet');
    await dial(page, '+4915123456789');
    await page.keyboard.press('Escape');
    await waitForStatus(page, 'completed');

    await page.waitForFunction(() => document.querySelectorAll('#recent-list li').length === 1);
    // The list is shown at once and its numbers formatted when the server's check answers.
    await page.waitForFunction(() => document.querySelector('#recent-list .primary-line')?.textContent.trim() !== '+4915123456789')
      .catch(() => {});
    assert.equal((await page.textContent('#recent-list .primary-line')).trim(), '+49 1512 3456789', 'formatted by the server');
    assert.match(await page.textContent('#recent-list .secondary-line'), /0:0\d · Finished$/);
    await page.fill('#number', '');
    await page.click('#recent-list .dial'); // one click: the number is back and the call goes out
    const again = await waitForStatus(page, 'active');
    assert.equal(again.phoneNumber, '+4915123456789');
    await page.click('#hangup');
    await waitForStatus(page, 'completed');
    await page.waitForFunction(() => document.querySelectorAll('#recent-list li').length === 2);
  });

serverTest('one field for a number or a name: without contacts on the server, a name is judged as a number',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await loggedIn(server);
    const contacts = await server.request('GET', '/api/contacts?q=anna', { token: page.token });
    t.diagnostic(`GET /api/contacts answers ${contacts.status}`);
    await page.fill('#number', 'Anna');
    if (contacts.status === 404) {
      await page.waitForFunction(() => document.getElementById('number-hint').textContent !== '');
      assert.equal(await page.textContent('#number-hint'), 'Use only digits, spaces, +, -, ., ( and ).');
      assert.equal(await page.isHidden('#tab-contacts'), true);
    } else {
      // With contacts, a name is looked up: the contacts that match (none here), not a number's hint.
      await page.waitForFunction(() => !document.getElementById('tab-contacts').hidden);
      assert.equal(await page.isVisible('#contacts'), true, 'the contacts that match are shown');
      assert.equal(await page.isVisible('#contacts-empty'), true, 'nobody is called Anna yet');
      assert.equal(await page.textContent('#number-hint'), '');
    }
  });

serverTest('the call panel: number, large timer, quality bars with figures on focus, mute by click and Alt+M',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await loggedIn(server);
    await dial(page, '+4915123456789');
    assert.equal(await page.isVisible('#dialer'), false, 'the dialer gives way to the call panel');
    assert.equal(await page.textContent('#call-number'), '+49 1512 3456789');
    const timerSize = await page.$eval('#timer', (timer) => parseFloat(getComputedStyle(timer).fontSize));
    assert.ok(timerSize >= 32, `a large timer: ${timerSize}px`);
    await page.waitForFunction(() => document.getElementById('timer').textContent === '0:02', null, { timeout: 5000 });

    // Without media there are no figures; the indicator still says so in words.
    await page.focus('#quality-indicator');
    assert.equal(await page.getAttribute('#quality-indicator', 'aria-describedby'), 'quality');

    await page.click('#mute');
    assert.equal(await page.getAttribute('#mute', 'aria-pressed'), 'true');
    assert.equal((await page.textContent('#mute .caption')).trim(), 'Unmute');
    assert.equal(await page.evaluate(() => window.softphone.muted), true);
    await page.keyboard.press('Alt+KeyM');
    assert.equal(await page.evaluate(() => window.softphone.muted), false, 'Alt+M unmutes');
    assert.equal(await page.getAttribute('#mute', 'aria-pressed'), 'false');
    await page.keyboard.press('Escape');
    await waitForStatus(page, 'completed');
    assert.equal(await page.isVisible('#dialer'), true, 'the dialer is back after the call');
  });

serverTest('the keypad sends DTMF: by click and by typing, Alt+K shows it',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await loggedIn(server);
    await dial(page, '+4915123456789');
    await page.evaluate(() => {
      window.tonesSent = [];
      const send = window.softphone.sendDtmf.bind(window.softphone);
      window.softphone.sendDtmf = (tones) => { window.tonesSent.push(tones); return send(tones); };
    });
    assert.equal(await page.isVisible('#dialpad'), false, 'the keypad waits for the operator');
    await page.keyboard.press('Alt+KeyK');
    assert.equal(await page.isVisible('#dialpad'), true);
    assert.equal(await page.getAttribute('#keypad-toggle', 'aria-expanded'), 'true');
    await page.click('#dialpad button[data-key="1"]');
    await page.click('#dialpad button[data-key="#"]');
    await page.keyboard.press('5');
    assert.deepEqual(await page.evaluate(() => window.tonesSent), ['1', '#', '5']);
    assert.match(await page.textContent('#tones'), /^Tones: 1#5/);
    await page.click('#keypad-toggle');
    assert.equal(await page.isVisible('#dialpad'), false);
    await page.click('#hangup');
    await waitForStatus(page, 'completed');
  });

serverTest('in a browser the page lists its shortcuts (F1 or ?), in both languages; Escape closes the list, not the call',
  { env: NO_MEDIA }, async (t, server) => {
    const email = uniqueEmail('help');
    await server.request('POST', '/api/auth/register', { body: { email, password: PASSWORD } });
    const page = await openSoftphone(browser, server); // no host: the page's own login form
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#phone:not([hidden])');
    await dial(page, '+4915123456789');
    await page.keyboard.press('F1');
    await page.waitForSelector('#help[open]');
    assert.equal((await page.textContent('#help-title')).trim(), 'Keyboard shortcuts');
    assert.match(await page.textContent('#help-list'), /Alt\+HHold or resume the call/);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.getElementById('help').open);
    assert.equal(await page.evaluate(() => window.softphone.call.status), 'active', 'Escape closed the list only');
    await page.evaluate(() => window.softphoneUi.setLanguage('ru'));
    await page.keyboard.press('?');
    await page.waitForSelector('#help[open]');
    assert.equal((await page.textContent('#help-title')).trim(), 'Сочетания клавиш');
    await page.click('#help-close');
    await page.keyboard.press('Escape');
    await waitForStatus(page, 'completed');
  });

serverTest('hold and resume from the call panel, in both languages',
  { env: NO_MEDIA, skip: waitingForBackend('/api/calls/{id}/hold') }, async (t, server) => {
    const page = await loggedIn(server);
    const call = await dial(page, '+4915123456789');
    await page.click('#hold');
    await page.waitForSelector('#hold[aria-pressed="true"]');
    assert.equal(await page.isVisible('#hold-state'), true);
    assert.equal((await page.textContent('#hold-state')).trim(), 'On hold');
    assert.equal((await page.textContent('#hold .caption')).trim(), 'Resume');
    assert.equal((await server.request('GET', `/api/calls/${call.id}`, { token: page.token })).body.on_hold, true);
    await page.evaluate(() => window.softphoneUi.setLanguage('ru'));
    assert.equal((await page.textContent('#hold-state')).trim(), 'На удержании');
    await page.keyboard.press('Alt+KeyH');
    await page.waitForSelector('#hold[aria-pressed="false"]');
    assert.equal(await page.isVisible('#hold-state'), false);
    assert.equal((await server.request('GET', `/api/calls/${call.id}`, { token: page.token })).body.on_hold, false);
    await page.click('#hangup');
    await waitForStatus(page, 'completed');
  });

serverTest('blind transfer: a bad number is refused in plain words, a good one ends the leg and says where it went',
  { env: NO_MEDIA, skip: waitingForBackend('/api/calls/{id}/transfer') }, async (t, server) => {
    const page = await loggedIn(server);
    const call = await dial(page, '+4915123456789');
    await page.keyboard.press('Alt+KeyT');
    assert.equal(await page.isVisible('#transfer'), true);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'transfer-number');
    await page.fill('#transfer-number', '+44 20');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('error').dataset.type === 'validation_error');
    assert.equal(await page.textContent('#error'), 'The number is not valid.');
    assert.equal(await page.evaluate(() => window.softphone.call.status), 'active', 'the call goes on');

    await page.fill('#transfer-number', '+44 20 7946 0958');
    await page.click('#transfer-confirm');
    await waitForStatus(page, 'completed');
    await page.waitForFunction(() => document.getElementById('notice').textContent !== '');
    assert.equal(await page.textContent('#notice'), 'Transferred to +442079460958');
    const ended = (await server.request('GET', `/api/calls/${call.id}`, { token: page.token })).body;
    assert.equal(ended.status, 'completed');
    assert.equal(ended.transferred_to, '+442079460958');
  });
