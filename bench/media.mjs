// Media benchmark of the mock far end: call set-up time and concurrent echo calls.
//
// Usage: node bench/media.mjs BASE_URL SERVER_PID   (bench/media.sh starts the server and runs this)
// Drives Debian's Chromium through playwright-core (installed by `npm ci --prefix tests/browser`).
import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';
import { readFileSync } from 'node:fs';

const [base, serverPid] = process.argv.slice(2);
const setupCalls = Number(process.env.BENCH_SETUP_CALLS ?? 50);
const levels = (process.env.BENCH_LEVELS ?? '10 20 30 40 50 60').split(' ').map(Number);
const holdSeconds = Number(process.env.BENCH_HOLD ?? 8);
const cpuLimit = Number(process.env.BENCH_CPU_LIMIT ?? 80);
const clockTicks = 100; // USER_HZ on Linux
const cores = Number(process.env.BENCH_CORES ?? 2);

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function machineTicks() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const numbers = values.map(Number);
  const idle = numbers[3] + numbers[4];
  return { busy: numbers.reduce((a, b) => a + b, 0) - idle, total: numbers.reduce((a, b) => a + b, 0) };
}

async function measureCpu(seconds) {
  const server0 = cpuTicks(serverPid);
  const machine0 = machineTicks();
  const start = Date.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsed = (Date.now() - start) / 1000;
  const machine1 = machineTicks();
  return {
    server: (100 * (cpuTicks(serverPid) - server0)) / clockTicks / elapsed / cores,
    machine: (100 * (machine1.busy - machine0.busy)) / (machine1.total - machine0.total),
  };
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream', '--disable-features=WebRtcHideLocalIpsWithMdns'],
});
const context = await browser.newContext({ permissions: ['microphone'] });
const page = await context.newPage();
await page.goto(`${base}/softphone/`);

// 1. Set-up time: initiate request sent → RTCPeerConnection connected (ICE and DTLS up).
const setup = await page.evaluate(async (count) => {
  const { Softphone } = await import('/softphone/softphone.js');
  const phone = new Softphone();
  await phone.register(`bench-${Date.now()}@example.com`, 'bench password');
  await phone.openMicrophone();
  const setupMs = [];
  const initiateMs = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const offer = await phone.request('POST', '/api/calls/initiate', { phone_number: '+4915123456789' });
    initiateMs.push(performance.now() - started);
    const pc = new RTCPeerConnection();
    phone.localStream.getAudioTracks().forEach((track) => pc.addTrack(track, phone.localStream));
    const connected = new Promise((resolve, reject) => {
      pc.onconnectionstatechange = () => {
        if (pc.connectionState === 'connected') resolve();
        if (pc.connectionState === 'failed') reject(new Error('connection failed'));
      };
    });
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp_offer });
    await pc.setLocalDescription(await pc.createAnswer());
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
    });
    await phone.request('POST', '/api/calls/answer', { call_id: offer.call_id, sdp_answer: pc.localDescription.sdp });
    await connected;
    setupMs.push(performance.now() - started);
    await phone.request('POST', '/api/calls/terminate', { call_id: offer.call_id });
    pc.close();
  }
  return { setupMs, initiateMs };
}, setupCalls);

console.log(`\n## Call set-up over ${setupCalls} calls (initiate request → media connected)\n`);
console.log('| measure | p50 ms | p95 ms | max ms |');
console.log('|---|---|---|---|');
for (const [name, values] of [['initiate request', setup.initiateMs], ['set-up (to media connected)', setup.setupMs]])
  console.log(`| ${name} | ${percentile(values, 50).toFixed(1)} | ${percentile(values, 95).toFixed(1)} | ${Math.max(...values).toFixed(1)} |`);

// 2. Concurrent echo calls: hold N calls active, measure the server's CPU (share of all cores).
console.log(`\n## Concurrent echo calls (held ${holdSeconds} s each level; CPU as a share of ${cores} cores)\n`);
console.log('| calls | all active | server CPU % | machine CPU % |');
console.log('|---|---|---|---|');
let best = 0;
// A few calls per browser context: each call long-polls its status, and a browser allows only six
// connections per host and context, so one context cannot carry dozens of softphones.
const callsPerPage = Number(process.env.BENCH_CALLS_PER_PAGE ?? 4);
const pages = [];
let calls = 0;
for (const level of levels) {
  while (calls < level) {
    if (calls % callsPerPage === 0) {
      const next = await (await browser.newContext({ permissions: ['microphone'] })).newPage();
      next.on('crash', () => console.error('a bench page crashed'));
      await next.goto(`${base}/softphone/`);
      await next.evaluate(async () => {
        const { Softphone } = await import('/softphone/softphone.js');
        window.benchPhones = [];
        window.benchSoftphone = Softphone;
      });
      pages.push(next);
    }
    await pages.at(-1).evaluate(async () => {
      const phone = new window.benchSoftphone();
      await phone.register(`echo-${Date.now()}-${Math.random()}@example.com`, 'bench password');
      await phone.dial('+4915123456789');
      window.benchPhones.push(phone);
    });
    calls += 1;
  }
  const deadline = Date.now() + 30000;
  let active = false;
  while (!active && Date.now() < deadline) {
    const states = await Promise.all(pages.map((p) => p.evaluate(() => window.benchPhones.every((phone) => phone.call.status === 'active'))));
    active = states.every(Boolean);
    if (!active) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const cpu = await measureCpu(holdSeconds);
  console.log(`| ${level} | ${active ? 'yes' : 'no'} | ${cpu.server.toFixed(1)} | ${cpu.machine.toFixed(1)} |`);
  if (!active || cpu.server >= cpuLimit) break;
  best = level;
}
console.log(`\nLargest level held with every call active and server CPU below ${cpuLimit} %: ${best}`);
for (const p of pages)
  await p.evaluate(async () => Promise.all(window.benchPhones.map((phone) => phone.hangUp().catch(() => {}))));
await browser.close();
