// The softphone page's own interface in Chromium, as an operator in a browser meets it: the login
// form and its errors, the country list, the number checked and formatted as it is typed, the
// microphone denied, the server gone, and the page in Russian. The mock runs without media: no
// test here needs a far end.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { launchBrowser, openSoftphone, PASSWORD, registerInPage, serverTest, uniqueEmail } from './harness.mjs';

const NO_MEDIA = { VOIP_MOCK_MEDIA: 'off' };

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function text(page, selector) {
  return (await page.textContent(selector)).trim();
}

/// Waits until the number hint says `expected` (each check replaces the last one's text), then
/// asserts it, so that a wrong text fails with both texts shown.
async function expectHint(page, expected) {
  await page.waitForFunction((text) => document.getElementById('number-hint').textContent === text, expected,
    { timeout: 10000 }).catch(() => {});
  assert.equal(await text(page, '#number-hint'), expected);
}

/// Logs in through the form with a fresh account (registered through the API of the page).
async function loggedInPage(server, options = {}) {
  const page = await openSoftphone(browser, server, options);
  const email = uniqueEmail('ui');
  await registerInPage(page, email);
  await page.evaluate(() => { window.softphone.token = null; });
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#phone:not([hidden])', { timeout: 15000 });
  return page;
}

serverTest('login: a wrong password is told in plain words, the right one opens the phone',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await openSoftphone(browser, server);
    const email = uniqueEmail('login');
    await registerInPage(page, email);
    await page.evaluate(() => { window.softphone.token = null; });

    await page.fill('#email', email);
    await page.fill('#password', 'not the password');
    await page.click('#login button[type=submit]');
    await page.waitForFunction(() => document.getElementById('error').textContent !== '');
    assert.equal(await text(page, '#error'), 'Wrong email or password.');
    assert.equal(await page.isHidden('#phone'), true);

    await page.fill('#password', PASSWORD);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#phone:not([hidden])', { timeout: 15000 });
    assert.equal(await text(page, '#error'), '');
    assert.equal(await text(page, '#status'), 'Ready');
  });

serverTest('the number is checked and formatted as it is typed, by the server\'s rules',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await loggedInPage(server);

    await page.fill('#number', '+49 1');
    await expectHint(page, 'The number is too short.');
    assert.equal(await page.getAttribute('#number-hint', 'data-valid'), 'false');

    await page.fill('#number', '4915123456789');
    await expectHint(page, 'Start with + and the country code.');

    await page.fill('#number', '+999 123456789');
    await expectHint(page, 'Unknown country code.');

    await page.fill('#number', '+4915123456789');
    await expectHint(page, 'Valid number: +4915123456789');
    assert.equal(await page.getAttribute('#number-hint', 'data-valid'), 'true');
    assert.equal(await page.inputValue('#number'), '+49 1512 3456789', 'formatted as libphonenumber types it');
    assert.equal(await page.inputValue('#country'), 'DE', 'the country follows the number');

    // An invalid number is refused before anything reaches the provider.
    await page.fill('#number', '+1 650 253');
    await expectHint(page, 'The number is too short.');
    await page.click('#call');
    await page.waitForFunction(() => document.getElementById('error').textContent !== '');
    assert.equal(await text(page, '#error'), 'The number is not valid.');
    assert.equal(await page.evaluate(() => window.softphone.call), null);
  });

serverTest('the country list: every region, searchable in both languages, sets the dial code',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await loggedInPage(server);
    await page.waitForFunction(() => document.querySelectorAll('#country option').length > 200);

    await page.fill('#country-search', 'germ');
    await page.waitForFunction(() => document.querySelectorAll('#country option').length === 1);
    assert.equal(await text(page, '#country option'), 'Germany (DE) +49');
    await page.fill('#country-search', 'герм');
    await page.waitForFunction(() => document.querySelectorAll('#country option').length === 1);
    assert.equal(await page.getAttribute('#country option', 'value'), 'DE');

    await page.fill('#number', '');
    await page.selectOption('#country', 'DE');
    assert.equal((await page.inputValue('#number')).trim(), '+49');

    // The dial pad types into the number.
    for (const key of ['1', '5', '1'])
      await page.click(`#dialpad button[data-key="${key}"]`);
    await page.waitForFunction(() => document.getElementById('number').value.replace(/\D/g, '') === '49151');
  });

serverTest('microphone denied: the call does not start and the operator is told why',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await loggedInPage(server, { permissions: [] });
    await page.fill('#number', '+4915123456789');
    await page.waitForSelector('#number-hint[data-valid="true"]');
    await page.click('#call');
    await page.waitForFunction(() => document.getElementById('error').dataset.type === 'microphone_denied',
      null, { timeout: 15000 });
    assert.equal(await text(page, '#error'), 'Microphone access was denied. Allow the microphone to make calls.');
    assert.equal(await page.evaluate(() => window.softphone.call), null, 'no call was initiated');
    assert.equal(await page.isEnabled('#call'), true, 'the operator can try again');
  });

serverTest('server unreachable: said in plain words, not as a browser error',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await loggedInPage(server);
    // The page now talks to an address where nothing listens (port 9, discard, is never open here).
    await page.evaluate((url) => { window.softphone.baseUrl = url; }, 'http://127.0.0.1:9');
    await page.fill('#number', '+4915123456789');
    await page.click('#call');
    await page.waitForFunction(() => document.getElementById('error').dataset.type === 'server_unreachable',
      null, { timeout: 15000 });
    assert.equal(await text(page, '#error'), 'The Switchboard server cannot be reached. Check the connection.');
    assert.equal(await page.isEnabled('#call'), true);
  });

serverTest('provider unavailable and a call already active: plain words for each',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await loggedInPage(server);
    await page.fill('#number', '+1 202 555 0103');
    await page.click('#call');
    await page.waitForFunction(() => document.getElementById('error').dataset.type === 'call_initiation_failed',
      null, { timeout: 15000 });
    assert.equal(await text(page, '#error'), 'The telephony provider is unavailable. Try again later.');

    // A second live call is refused by the server; the page says so.
    await page.evaluate(() => window.softphone.request('POST', '/api/calls/initiate', { phone_number: '+4915123456789' }));
    await page.fill('#number', '+4915123456780');
    await page.click('#call');
    await page.waitForFunction(() => document.getElementById('error').dataset.type === 'call_already_active',
      null, { timeout: 15000 });
    assert.equal(await text(page, '#error'), 'A call is already in progress.');
  });

serverTest('test numbers: the mock\'s scenarios are listed in both languages and one click dials-ready',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await loggedInPage(server);
    await page.waitForSelector('#tab-test-numbers:not([hidden])', { timeout: 10000 });
    await page.click('#tab-test-numbers');
    const items = await page.$$eval('#test-number-list li', (lis) => lis.map((li) => li.textContent.trim()));
    assert.equal(items.length, 6);
    assert.ok(items.includes('+12025550101 busy'), JSON.stringify(items));
    assert.ok(items.includes('+12025550205 hangs up after 5 s'), JSON.stringify(items));
    await page.click('#test-number-list button:text("+12025550101")');
    await expectHint(page, 'Valid number: +12025550101');
    assert.equal(await page.inputValue('#number'), '+1 202-555-0101'); // formatted as if typed
    await page.click('#call');
    await page.waitForFunction(() => document.getElementById('error').dataset.type === 'busy', null, { timeout: 15000 });

    await page.evaluate(() => window.softphoneUi.setLanguage('ru'));
    const russian = await page.$$eval('#test-number-list li', (lis) => lis.map((li) => li.textContent.trim()));
    assert.ok(russian.includes('+12025550101 занято'), JSON.stringify(russian));
    assert.equal(await text(page, '#tab-test-numbers'), 'Тестовые номера');
  });

serverTest('in Russian: the host\'s language reaches every label and error',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await openSoftphone(browser, server, { initScript: () => { window.switchboardHost = { language: 'ru' }; } });
    assert.equal(await text(page, '#login button[type=submit]'), 'Войти');
    await page.fill('#email', uniqueEmail('ru'));
    await page.fill('#password', 'wrong password');
    await page.click('#login button[type=submit]');
    await page.waitForFunction(() => document.getElementById('error').textContent !== '');
    assert.equal(await text(page, '#error'), 'Неверная эл. почта или пароль.');
    await page.evaluate(() => window.softphoneUi.setLanguage('en'));
    assert.equal(await text(page, '#error'), 'Wrong email or password.');
  });

serverTest('devices: the panel lists the microphone and speaker; with no microphone the call is refused in plain words',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await loggedInPage(server);
    await page.click('#devices-button');
    await page.waitForFunction(() => document.querySelectorAll('#microphone option').length > 1);
    assert.equal(await text(page, '#warnings'), '', 'the fake devices are present: nothing to warn about');

    // A machine without audio devices: the browser lists none.
    const bare = await loggedInPage(server, {
      initScript: () => { navigator.mediaDevices.enumerateDevices = async () => []; },
    });
    await bare.fill('#number', '+4915123456789');
    await bare.waitForSelector('#number-hint[data-valid="true"]');
    await bare.click('#call');
    await bare.waitForFunction(() => document.getElementById('error').dataset.type === 'no_input_device',
      null, { timeout: 15000 });
    assert.equal(await text(bare, '#error'), 'No microphone was found. Connect a microphone.');
    assert.equal(await bare.evaluate(() => window.softphone.call), null, 'no call was initiated');
    assert.equal(await bare.evaluate(() => document.getElementById('devices').open), true, 'the panel opens to show why');
    const warnings = await text(bare, '#warnings');
    assert.match(warnings, /No microphone was found/);
    assert.match(warnings, /No speaker or headphones were found/);
  });

serverTest('busy and no answer: the call fails with its reason in plain words and the failed look',
  { env: { VOIP_MOCK_RINGBACK_MS: '300', VOIP_MOCK_RING_TIMEOUT: '2' }, timeout: 90000 }, async (t, server) => {
    const page = await loggedInPage(server);
    for (const [number, type, words] of [
      ['+1 202 555 0101', 'busy', 'The line is busy.'],
      ['+1 202 555 0102', 'no_answer', 'Nobody answered.'],
    ]) {
      await page.fill('#number', number);
      await page.keyboard.press('Enter'); // Enter in the number field calls
      await page.waitForFunction(() => document.getElementById('status').dataset.status === 'failed',
        null, { timeout: 30000 });
      await page.waitForFunction((expected) => document.getElementById('error').dataset.type === expected, type,
        { timeout: 5000 });
      assert.equal(await text(page, '#error'), words, number);
      assert.equal(await text(page, '#status'), 'Failed');
      assert.equal(await page.getAttribute('#status-light', 'data-status'), 'failed');
      assert.equal(await page.isEnabled('#call'), true, 'the operator can call again');
    }
  });

serverTest('a revoked token brings the browser back to the login form, saying why',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await loggedInPage(server);
    // The operator logs out elsewhere: the token the page holds is revoked.
    await page.evaluate(() => window.softphone.request('POST', '/api/auth/logout'));
    await page.fill('#number', '+4915123456789');
    await page.click('#call');
    await page.waitForSelector('#login:not([hidden])', { timeout: 15000 });
    assert.equal(await page.isHidden('#phone'), true);
    assert.equal(await text(page, '#error'), 'Your session has ended. Log in again.');
  });
