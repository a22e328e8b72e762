// Test harness for the browser suite: starts `switchboard --headless` on a free port with a
// fresh data folder and SQLite file, launches Debian's Chromium through playwright-core, and
// opens the softphone page the server serves.
//
// SWITCHBOARD_BINARY names the switchboard executable (ctest sets it to the built target).

import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const { chromium } = await import('playwright-core').catch((error) => {
  throw new Error(`playwright-core is not installed: run \`npm ci\` in tests/browser (${error.message})`);
});

const here = path.dirname(fileURLToPath(import.meta.url));
const lsanSuppressions = path.resolve(here, '..', 'lsan.supp');

export const ENDED = ['completed', 'failed', 'canceled'];

export const CHROMIUM = process.env.CHROMIUM_BINARY || '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  // The far end runs on this machine: its candidates must meet the page's plain host addresses.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
];

function binary() {
  const file = process.env.SWITCHBOARD_BINARY;
  if (!file) {
    throw new Error('SWITCHBOARD_BINARY is not set: point it at the switchboard executable (ctest sets it; '
      + 'by hand: SWITCHBOARD_BINARY=$PWD/build/test/app/switchboard npm --prefix tests/browser test)');
  }
  return path.resolve(file);
}

/// Polls `check` until it returns a truthy value, or throws `what` after `timeoutMs`.
export async function waitFor(what, check, { timeoutMs = 10000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

// Servers still running when this process exits (a test abandoned midway) go with it.
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/// A running `switchboard --headless`.
export class Server {
  constructor(child, dataDir) {
    this.child = child;
    this.dataDir = dataDir;
    this.pid = child.pid;
    this.log = '';
    this.pages = []; // softphone pages opened on this server: their console goes with the log
    running.add(child);
    this.exit = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        running.delete(child);
        resolve({ code, signal });
      });
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => { this.log += chunk; });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => { this.log += chunk; });
  }

  /// Fetches `path` with an optional bearer token and JSON body; answers {status, body}.
  async request(method, urlPath, { token, body } = {}) {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(this.url + urlPath, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { unparsed: text };
    }
    return { status: response.status, body: json };
  }

  /// The server process's threads, open file descriptors and resident memory (KiB), and how many
  /// far ends (GStreamer webrtcbins) are alive: each runs one ICE thread named "webrtc:ice".
  async resources() {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const field = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm'))[1]);
    const tasks = await readdir(`/proc/${this.pid}/task`);
    const names = await Promise.all(tasks.map((task) =>
      readFile(`/proc/${this.pid}/task/${task}/comm`, 'utf8').then((name) => name.trim(), () => '')));
    return {
      threads: tasks.length,
      fds: (await readdir(`/proc/${this.pid}/fd`)).length,
      rssKiB: field('VmRSS'),
      farEnds: names.filter((name) => name === 'webrtc:ice').length,
      // thread names with their numbers folded ("queue12:src" → "queueN:src") and their counts
      threadNames: names.reduce((counts, name) => {
        const folded = name.replace(/\d+/g, 'N');
        counts[folded] = (counts[folded] ?? 0) + 1;
        return counts;
      }, {}),
    };
  }

  /// SIGTERM, then waits for the exit; answers {code, signal}.
  async stop(timeoutMs = 30000) {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    let exit = await Promise.race([this.exit, timedOut]);
    clearTimeout(timer);
    if (!exit) {
      this.child.kill('SIGKILL');
      exit = { ...(await this.exit), hung: true };
    }
    await rm(this.dataDir, { recursive: true, force: true });
    return exit;
  }

  printLog(reason) {
    let text = `\n----- switchboard (pid ${this.pid}) log, ${reason} -----\n${this.log}`
      + '----- end of switchboard log -----\n';
    this.pages.forEach((page, i) => {
      if (page.consoleLines.length)
        text += `----- console of softphone page ${i + 1} -----\n${page.consoleLines.join('\n')}\n`;
    });
    process.stderr.write(text);
  }
}

/// The server's resources once its threads and descriptors stop changing (sampled a second
/// apart; at most `timeoutMs`): the offer pool full, no far end half made or half stopped.
export async function settledResources(server, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let previous = await server.resources();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await server.resources();
    if (now.threads === previous.threads && now.fds === previous.fds) return now;
    if (Date.now() > deadline) throw new Error(`the server did not settle in ${timeoutMs} ms: ${JSON.stringify(now)}`);
    previous = now;
  }
}

/// Starts `switchboard --headless --port 0` with a fresh DATA_DIR and SQLite file and the
/// given extra environment, and waits until GET /system/health answers 200.
export async function startServer(env = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-browser-'));
  const inherited = { ...process.env };
  // Only what the test asks for: no provider, timing or database settings from the caller.
  for (const name of Object.keys(inherited)) {
    if (/^(VOIP_|JWT_|CALL_SETUP_|SESSION_|LOGIN_RATE_|REGISTER_RATE_|DATABASE_URL$|DATA_DIR$|SERVER_|INSTANCE_ID$)/.test(name))
      delete inherited[name];
  }
  const childEnv = {
    ...inherited,
    DATA_DIR: dataDir,
    VOIP_PROVIDER: 'mock',
    // The suites register an operator per test from one address.
    REGISTER_RATE_LIMIT: '0',
    // use_tls=0: GCC 12's LeakSanitizer misreads the dynamic TLS blocks of GStreamer's dlopen'ed
    // plugins, and its tracer dies at exit ("Tracer caught signal 11") in about one run of four.
    // Not scanning TLS cannot hide a leak, only report more.
    LSAN_OPTIONS: `${process.env.LSAN_OPTIONS || `suppressions=${lsanSuppressions}`}:use_tls=0`,
    ...env,
  };
  const child = spawn(binary(), ['--headless', '--host', '127.0.0.1', '--port', '0',
    '--database', path.join(dataDir, 'switchboard.db')], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = new Server(child, dataDir);
  const spawned = new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  try {
    await spawned;
    let exited = null;
    server.exit.then((exit) => { exited = exit; });
    // The port it picked is in its start-up line.
    const port = await waitFor('the server to start listening', () => {
      if (exited) throw new Error(`switchboard exited during start-up: ${JSON.stringify(exited)}`);
      return server.log.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/)?.[1];
    }, { timeoutMs: 30000 });
    server.port = Number(port);
    server.url = `http://127.0.0.1:${port}`;
    await waitFor('GET /system/health to answer 200', async () => {
      if (exited) throw new Error(`switchboard exited during start-up: ${JSON.stringify(exited)}`);
      try {
        return (await server.request('GET', '/system/health')).status === 200;
      } catch {
        return false;
      }
    }, { timeoutMs: 30000 });
  } catch (error) {
    await server.stop();
    server.printLog('start-up failed');
    throw error;
  }
  return server;
}

/// Stops the server and fails unless it exited 0 after SIGTERM; prints its log when `failed`
/// (the test already failed) or when the exit was not clean.
export async function stopServer(server, failed) {
  const exit = await server.stop();
  const clean = exit.code === 0 && !exit.hung;
  if (failed || !clean) server.printLog(failed ? 'the test failed' : `unclean exit ${JSON.stringify(exit)}`);
  if (!failed && !clean)
    throw new Error(`switchboard did not exit 0 after SIGTERM: ${JSON.stringify(exit)}`);
}

/// A node:test test with its own server: `serverTest(name, {env, timeout}, async (t, server) => …)`.
/// The server's log is printed when the test fails (also when it runs out of time); an unclean
/// exit fails the test.
export function serverTest(name, { env = {}, timeout = 60000, ...options } = {}, body) {
  // node:test abandons a test at its timeout without unwinding it: keep a deadline of our own, a
  // little shorter, so that the server is stopped and its log printed.
  return test(name, { timeout: timeout + 40000, ...options }, async (t) => {
    const server = await startServer(env);
    let failed = true;
    let timer;
    try {
      await Promise.race([
        body(t, server),
        new Promise((resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`test timed out after ${timeout} ms`)), timeout);
        }),
      ]);
      failed = false;
    } finally {
      clearTimeout(timer);
      await stopServer(server, failed);
    }
  });
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
}

/// A new browser context (microphone granted unless `permissions` says otherwise, fake device) with
/// the softphone page loaded; `initScript` runs in the page before its own scripts; `viewport`
/// ({width, height}) and `colorScheme` ('light' or 'dark') set the window and the system's scheme.
/// The page records every status event of window.softphone in window.statusLog.
export async function openSoftphone(browser, server,
  { permissions = ['microphone'], initScript = null, viewport = undefined, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ permissions, viewport, colorScheme });
  const page = await context.newPage();
  if (initScript) await page.addInitScript(initScript);
  const consoleLines = [];
  page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
  page.consoleLines = consoleLines;
  server.pages.push(page);
  const response = await page.goto(`${server.url}/softphone/`);
  if (response.status() !== 200) throw new Error(`GET /softphone/ answered ${response.status()}`);
  await page.waitForFunction(() => window.softphone !== undefined);
  await page.evaluate(() => {
    window.statusLog = [];
    window.softphone.addEventListener('status', ({ detail }) => {
      window.statusLog.push({ status: detail.status, at: Date.now(), failureReason: detail.failureReason ?? null });
    });
  });
  return page;
}

let userCounter = 0;
export function uniqueEmail(prefix = 'operator') {
  userCounter += 1;
  return `${prefix}-${process.pid}-${userCounter}-${Date.now()}@example.com`;
}

export const PASSWORD = 'correct horse battery staple';

/// Registers a user through window.softphone and answers its token.
export async function registerInPage(page, email = uniqueEmail()) {
  return page.evaluate(async ({ email, password }) => {
    const session = await window.softphone.register(email, password);
    return session.token;
  }, { email, password: PASSWORD });
}

/// Runs softphone.dial() in the page; answers {callId} or {error: {name, status, type, message}}.
export async function dialInPage(page, number) {
  return page.evaluate(async (number) => {
    try {
      return { callId: await window.softphone.dial(number) };
    } catch (error) {
      return { error: { name: error.constructor.name, status: error.status, type: error.type, message: error.message } };
    }
  }, number);
}

/// Waits until the page's softphone reports `status` for its current call, or an end that is
/// not `status` (so that a wrong outcome fails at once, not at the timeout); answers the call.
export async function waitForStatus(page, status, timeoutMs = 15000) {
  await page.waitForFunction(({ status, ended }) => {
    const current = window.softphone.call?.status;
    return current === status || ended.includes(current);
  }, { status, ended: ENDED }, { timeout: timeoutMs, polling: 20 });
  return page.evaluate(() => window.softphone.call);
}

export async function mediaStats(page) {
  return page.evaluate(() => window.softphone.mediaStats());
}

