// The API reference at /api/docs in Chromium: Redoc, compiled into the server, renders the
// OpenAPI document under the page's own Content-Security-Policy, and nothing the page loads
// (scripts, the document, fonts, images, its search worker's requests) leaves loopback.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { launchBrowser, serverTest } from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/// Whether loading `url` stays on this machine: a loopback host, or no network at all.
function staysLocal(url) {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return LOOPBACK_HOSTS.has(hostname);
}

/// A page whose every request off loopback is refused and recorded in `offLoopback`, and whose
/// CSP violations, script errors and console errors are recorded in `problems`.
async function guardedPage() {
  const context = await browser.newContext();
  const offLoopback = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (staysLocal(url)) return route.continue();
    offLoopback.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (request) => {
    if (!staysLocal(request.url()) && !offLoopback.includes(request.url())) offLoopback.push(request.url());
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.exposeFunction('reportViolation', (text) => problems.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.reportViolation(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { context, page, offLoopback, problems };
}

serverTest('GET /api/docs renders the API reference with no request off loopback', { timeout: 60000 }, async (t, server) => {
  const { context, page, offLoopback, problems } = await guardedPage();
  try {
    const response = await page.goto(`${server.url}/api/docs`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^text\/html/);

    // Redoc's heading of the document (not the page's <title>), and a named operation with its path.
    await page.locator('h1', { hasText: 'Switchboard REST API' }).waitFor({ timeout: 30000 });
    await page.locator('h2', { hasText: /^Place a call\s*$/ }).waitFor();
    await page.getByText('/api/calls/initiate').first().waitFor({ state: 'attached' });
    assert.equal(await page.getByText('The API reference needs Redoc').count(), 0, 'the fallback text is still shown');

    // The search runs in Redoc's worker (a blob: URL): a query finds the operation by its name.
    await page.getByPlaceholder('Search...').fill('initiate');
    await page.locator('[data-role="search:results"]').getByText('Place a call').first()
      .waitFor({ timeout: 15000 });

    assert.deepEqual(offLoopback, [], `requests left loopback: ${offLoopback.join(', ')}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
