// How the softphone page looks in Chromium, checked rather than eyeballed: one font in every
// control (the fonts Chromium actually drew, not only the computed styles), nothing scrolls at
// the console's smallest window in English and Russian, idle and in a call, and every text, icon
// and field border passes WCAG AA contrast in the light and the dark scheme. The checks
// themselves (pagechecks.js) are shared with the QtWebEngine tests.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before } from 'node:test';

import { launchBrowser, openSoftphone, PASSWORD, serverTest, uniqueEmail, waitForStatus } from './harness.mjs';

// The mock goes active when the page answers: a call without media is enough to lay out the call panel.
const NO_MEDIA = { VOIP_MOCK_MEDIA: 'off' };
// The page's area in the console at its design size (1024×680 less the navigation rail and the
// status line) and at the window's minimum (960×640), and a browser window of the design size.
const SIZES = [{ width: 928, height: 640 }, { width: 864, height: 600 }, { width: 1024, height: 680 }];
const checks = await readFile(new URL('./pagechecks.js', import.meta.url), 'utf8');

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/// The script a host injects: `window.switchboardHost = {…}`.
const hostScript = (host) => `window.switchboardHost = ${JSON.stringify(host)};`;

/// The softphone as the console shows it: logged in by the host, in `language`, in the browser's
/// own scheme (no theme injected: the page's defaults are the console's Theme, see tst_theme).
async function consolePage(server, { language = 'en', viewport, colorScheme } = {}) {
  const { body } = await server.request('POST', '/api/auth/register',
    { body: { email: uniqueEmail('look'), password: PASSWORD } });
  const page = await openSoftphone(browser, server, {
    viewport, colorScheme, initScript: hostScript({ token: body.token, language }),
  });
  await page.waitForSelector('#phone:not([hidden])');
  await page.waitForFunction(() => document.querySelectorAll('#country option').length > 200);
  await page.evaluate(checks);
  return page;
}

async function problems(page, check) {
  return page.evaluate((name) => window.pageChecks[name](), check);
}

async function startCall(page) {
  await page.fill('#number', '+4915123456789');
  await page.waitForSelector('#number-hint[data-valid="true"]');
  await page.click('#call');
  await waitForStatus(page, 'active');
  await page.waitForSelector('#call-panel', { state: 'visible' });
}

/// The families Chromium drew the element's text with (CSS.getPlatformFontsForNode).
async function drawnFonts(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector });
  const families = new Set();
  for (const nodeId of nodeIds) {
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    for (const font of fonts) families.add(font.familyName);
  }
  await cdp.detach();
  return [...families];
}

serverTest('one font: every control takes the page\'s sans-serif, as computed and as drawn',
  { env: NO_MEDIA }, async (t, server) => {
    const page = await consolePage(server);
    await page.click('#devices-button');
    await page.waitForSelector('#devices[open]');
    assert.deepEqual(await problems(page, 'fonts'), []);
    const body = await drawnFonts(page, '#status');
    const controls = await drawnFonts(page, 'button, input, select, option');
    t.diagnostic(`page text drawn with ${body}, controls with ${controls}`);
    assert.ok(body.length > 0, 'Chromium reports the fonts it drew');
    for (const family of controls) {
      assert.ok(!/serif|times/i.test(family) || /sans/i.test(family), `a control was drawn with ${family}`);
      assert.ok(body.includes(family), `a control was drawn with ${family}, the page's text with ${body}`);
    }
  });

serverTest('nothing scrolls at the console\'s smallest window, in English and Russian, idle and in a call',
  { env: NO_MEDIA, timeout: 120000 }, async (t, server) => {
    for (const language of ['en', 'ru']) {
      for (const viewport of SIZES) {
        const where = `${language} ${viewport.width}×${viewport.height}`;
        const page = await consolePage(server, { language, viewport });
        // The longest idle texts: an invalid number's reason under the field, and an error line.
        await page.fill('#number', '+49 1');
        await page.waitForFunction(() => document.getElementById('number-hint').textContent !== '');
        assert.deepEqual(await problems(page, 'overflow'), [], `idle, ${where}`);
        const tabRows = await page.$$eval('.tabs [role="tab"]:not([hidden])', (tabs) => new Set(tabs.map((tab) => tab.offsetHeight)).size);
        assert.equal(tabRows, 1, `every tab label on one line, ${where}`);
        await page.click('#tab-test-numbers');
        assert.deepEqual(await problems(page, 'overflow'), [], `test numbers, ${where}`);

        await startCall(page);
        assert.deepEqual(await problems(page, 'overflow'), [], `in a call, ${where}`);
        const rows = await page.$$eval('.round-controls button', (buttons) => new Set(buttons.map((b) => b.offsetTop)).size);
        assert.equal(rows, 1, `the call controls are one row, ${where}`);
        await page.click('#keypad-toggle');
        assert.deepEqual(await problems(page, 'overflow'), [], `in a call with the keypad, ${where}`);
        await page.click('#transfer-toggle');
        assert.deepEqual(await problems(page, 'overflow'), [], `in a call with the transfer form, ${where}`);
        await page.keyboard.press('Escape'); // closes the transfer form
        await page.keyboard.press('Escape'); // hangs up
        await waitForStatus(page, 'completed');
        await page.waitForFunction(() => document.querySelectorAll('#recent-list li').length > 0);
        assert.deepEqual(await problems(page, 'overflow'), [], `after the call, ${where}`);
        await page.context().close();
      }
    }
  });

serverTest('contrast: WCAG AA for every text, icon and field in the light and the dark scheme',
  { env: { ...NO_MEDIA, VOIP_MOCK_RINGBACK_MS: '300' }, timeout: 120000 }, async (t, server) => {
    for (const colorScheme of ['light', 'dark']) {
      const page = await consolePage(server, { colorScheme, viewport: SIZES[0] });
      assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--color-scheme').trim()),
        colorScheme, 'the page follows prefers-color-scheme');
      const states = [];
      await page.fill('#number', '+49 1'); // the invalid hint
      states.push(['idle, invalid number', await problems(page, 'contrast')]);
      await page.fill('#number', '+4915123456789'); // the valid hint
      await page.waitForSelector('#number-hint[data-valid="true"]');
      states.push(['idle, valid number', await problems(page, 'contrast')]);
      await startCall(page);
      await page.click('#keypad-toggle');
      await page.focus('#quality-indicator');
      states.push(['in a call', await problems(page, 'contrast')]);
      await page.keyboard.press('Escape');
      await waitForStatus(page, 'completed');
      await page.fill('#number', '+1 202 555 0101'); // busy: a failed call, its error and its row
      await page.click('#call');
      await page.waitForFunction(() => document.getElementById('error').dataset.type === 'busy', null, { timeout: 15000 });
      await page.waitForFunction(() => document.querySelector('#recent-list [data-status="failed"]'));
      states.push(['a failed call', await problems(page, 'contrast')]);
      await page.click('#tab-test-numbers');
      await page.click('#devices-button');
      await page.waitForSelector('#devices[open]');
      states.push(['devices and test numbers', await problems(page, 'contrast')]);
      for (const [state, found] of states) assert.deepEqual(found, [], `${colorScheme}: ${state}`);
      await page.context().close();
    }
    // The login form of a browser without the console.
    for (const colorScheme of ['light', 'dark']) {
      const page = await openSoftphone(browser, server, { colorScheme });
      await page.evaluate(checks);
      await page.fill('#email', 'nobody@example.com');
      await page.fill('#password', 'wrong password');
      await page.click('#login button[type=submit]');
      await page.waitForFunction(() => document.getElementById('error').textContent !== '');
      assert.deepEqual(await problems(page, 'contrast'), [], `${colorScheme}: login`);
      assert.deepEqual(await problems(page, 'fonts'), [], `${colorScheme}: login fonts`);
    }
  });

serverTest('the host\'s theme wins over the browser\'s scheme and switches at run time',
  { env: NO_MEDIA }, async (t, server) => {
    const dark = { '--color-scheme': 'dark', '--bg': '#12161c', '--fg': '#e7ebf1', '--surface': '#1b2129' };
    const page = await openSoftphone(browser, server,
      { colorScheme: 'light', initScript: hostScript({ language: 'en', theme: dark }) });
    await page.waitForFunction(() => window.softphoneUi !== undefined);
    const colours = () => page.evaluate(() => ({
      body: getComputedStyle(document.body).backgroundColor, text: getComputedStyle(document.body).color,
    }));
    assert.deepEqual(await colours(), { body: 'rgb(18, 22, 28)', text: 'rgb(231, 235, 241)' });
    await page.evaluate(() => window.softphoneUi.setTheme({ '--color-scheme': 'light', '--bg': '#f3f5f8', '--fg': '#1a2130' }));
    assert.deepEqual(await colours(), { body: 'rgb(243, 245, 248)', text: 'rgb(26, 33, 48)' });
  });
