import { Softphone } from './softphone.js';
import { fill, pickLanguage, words } from './i18n.js';

// With Twilio the operator's audio goes through Twilio's Voice SDK: its adapter is loaded only then.
const health = await fetch('/system/health').then((response) => response.json()).catch(() => ({}));
const phone = health.provider === 'twilio' ? new (await import('./twilio.js')).TwilioSoftphone() : new Softphone();
window.softphone = phone;
const $ = (id) => document.getElementById(id);
const ENDED = ['completed', 'failed', 'canceled'];

// The desktop host injects {token, language} before this module runs (no URL carries the token);
// in an ordinary browser there is no host and the page shows its own login form.
const host = window.switchboardHost ?? null;
let language = pickLanguage(host?.language);
let t = words(language);
let regions = [];
let lastError = null;
let lastStatus = { status: 'idle' };
let timerStart = null;
let timerHandle = null;
let qualityHandle = null;
let levelHandle = null;

// ---- texts ---------------------------------------------------------------------------------------

function errorText(error) {
  if (!error) return '';
  if (error.status === 401 && error.type === 'unauthorized') return t.error.unauthenticated;
  return t.error[error.type] ?? t.error.other;
}

function showError(error) {
  // A token the server no longer accepts: in a browser, back to the page's own login form (in the
  // console, the host's session sees the same and returns to its login page).
  if (error?.status === 401 && error.type === 'unauthorized' && !host) {
    phone.token = null;
    $('phone').hidden = true;
    $('login').hidden = false;
  }
  lastError = error;
  $('error').textContent = errorText(error);
  $('error').dataset.type = error?.type ?? '';
}

function applyLanguage() {
  t = words(language);
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll('[data-text]')) element.textContent = t[element.dataset.text];
  for (const element of document.querySelectorAll('[data-placeholder]')) element.placeholder = t[element.dataset.placeholder];
  for (const element of document.querySelectorAll('[data-label]')) element.setAttribute('aria-label', t[element.dataset.label]);
  $('mute').textContent = phone.muted ? t.unmute : t.mute;
  fillCountries();
  fillTestNumbers();
  showStatus(lastStatus);
  showError(lastError);
  checkNumber();
  if ($('devices').open) updateDevices();
}

// ---- countries and the number ----------------------------------------------------------------------

function countryName(region) {
  return language === 'ru' ? region.name_ru : region.name_en;
}

function fillCountries() {
  const query = $('country-search').value.trim().toLowerCase().replace(/^\+/, '');
  const select = $('country');
  const selected = select.value;
  select.replaceChildren();
  const shown = regions
    .filter((r) => !query || r.name_en.toLowerCase().includes(query) || r.name_ru.toLowerCase().includes(query)
      || r.code.toLowerCase() === query || String(r.dial_code).startsWith(query))
    .sort((a, b) => countryName(a).localeCompare(countryName(b), language));
  for (const region of shown) {
    const option = new Option(`${countryName(region)} (${region.code}) +${region.dial_code}`, region.code);
    select.append(option);
  }
  if (selected) select.value = selected;
}

async function loadRegions() {
  try {
    regions = (await phone.regions()).regions;
    fillCountries();
  } catch (error) {
    showError(error);
  }
}

// The country's dial code replaces whatever code the number had.
function chooseCountry() {
  const region = regions.find((r) => r.code === $('country').value);
  if (!region) return;
  const digits = $('number').value.replace(/[^\d]/g, '');
  const current = regions.find((r) => digits.startsWith(String(r.dial_code)) && r.code === lastCheck?.region);
  const national = current ? digits.slice(String(current.dial_code).length) : '';
  setNumber(`+${region.dial_code}${national}`);
}

let lastCheck = null;
let checkSequence = 0;

// As you type: the server formats the number and judges it by the rules initiate applies.
async function checkNumber() {
  const input = $('number');
  const hint = $('number-hint');
  const text = input.value;
  const sequence = ++checkSequence;
  if (!text.trim()) {
    lastCheck = null;
    hint.textContent = '';
    hint.dataset.valid = '';
    return;
  }
  let check;
  try {
    check = await phone.checkNumber(text);
  } catch (error) {
    if (sequence === checkSequence) showError(error);
    return;
  }
  if (sequence !== checkSequence || input.value !== text) return; // the operator typed on
  lastCheck = check;
  const atEnd = input.selectionStart === text.length;
  if (atEnd && check.formatted && check.formatted !== text && check.formatted.replace(/[^\d+]/g, '') === text.replace(/[^\d+]/g, ''))
    input.value = check.formatted;
  hint.dataset.valid = String(check.valid);
  hint.textContent = check.valid ? fill(t.numberValid, { e164: check.e164 }) : t.reason[check.reason] ?? t.error.validation_error;
  if (check.region && $('country').value !== check.region) {
    $('country').value = check.region;
  }
  if (lastError?.type === 'server_unreachable') showError(null);
}

function setNumber(number) {
  $('number').value = number;
  checkNumber();
}

// The mock provider's scenario numbers (busy, no answer, …), one click from the number field.
let testNumbers = [];

function fillTestNumbers() {
  const list = $('test-number-list');
  list.replaceChildren(...testNumbers.map(({ number, outcome, hang_up_after_seconds: seconds }) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = number;
    button.addEventListener('click', () => { setNumber(number); $('number').focus(); });
    item.append(button, ` ${fill(t.outcome[outcome] ?? outcome, { seconds })}`);
    return item;
  }));
  $('test-numbers').hidden = testNumbers.length === 0;
}

async function loadTestNumbers() {
  if (health.provider !== 'mock') return;
  const response = await fetch('/api/mock/test-numbers').catch(() => null);
  testNumbers = response?.ok ? (await response.json()).numbers : [];
  fillTestNumbers();
}

// ---- devices and level meter -----------------------------------------------------------------------

// Asking Chromium for devices starts its audio service (about 110 MB): it is done when the
// operator opens the device panel or places a call, not while the console merely sits there.
async function updateDevices() {
  const warnings = [];
  const permission = await phone.microphonePermission();
  if (permission === 'denied') warnings.push(t.error.microphone_denied);
  const { inputs, outputs } = await phone.devices();
  if (inputs.length === 0) warnings.push(t.error.no_input_device);
  if (outputs.length === 0) warnings.push(t.error.no_output_device);
  fillDevices($('microphone'), inputs, phone.microphoneId);
  fillDevices($('speaker'), outputs, phone.speakerId);
  $('warnings').replaceChildren(...warnings.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
  if (warnings.length) $('devices').open = true;
  return { inputs, outputs };
}

function fillDevices(select, devices, selected) {
  select.replaceChildren(new Option(t.defaultDevice, ''));
  devices.forEach((device, index) => {
    if (device.deviceId === 'default' || device.deviceId === '') return;
    select.append(new Option(device.label || `${select.id === 'microphone' ? t.microphone : t.speaker} ${index + 1}`, device.deviceId));
  });
  select.value = selected ?? '';
}

async function openMicrophone(deviceId) {
  try {
    const stream = await phone.openMicrophone(deviceId);
    showError(null);
    startLevelMeter(stream);
    updateDevices();
    return true;
  } catch (error) {
    showError(error);
    updateDevices();
    return false;
  }
}

function startLevelMeter(stream) {
  cancelAnimationFrame(levelHandle);
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const draw = () => {
    analyser.getFloatTimeDomainData(samples);
    let peak = 0;
    for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
    $('level').value = phone.muted ? 0 : peak;
    levelHandle = requestAnimationFrame(draw);
  };
  draw();
}

// ---- the call ----------------------------------------------------------------------------------------

function formatTimer(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor(seconds / 60) % 60;
  const s = String(seconds % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function showStatus(detail) {
  lastStatus = detail;
  const status = detail.status;
  $('status').dataset.status = status;
  $('status-light').dataset.status = status;
  $('status').textContent = status === 'idle' ? t.ready : (t[status] ?? status);
  const inCall = status === 'connecting' || status === 'active' || status === 'initiated';
  $('call').disabled = inCall;
  $('hangup').disabled = !inCall;
  $('mute').disabled = status !== 'active';
}

function onStatus(detail) {
  showStatus(detail);
  if (detail.status === 'active' && timerStart === null) {
    timerStart = Date.now() - 1000 * (detail.duration ?? 0);
    timerHandle = setInterval(() => { $('timer').textContent = formatTimer(Math.floor((Date.now() - timerStart) / 1000)); }, 250);
    qualityHandle = setInterval(showQuality, 1000);
  }
  if (ENDED.includes(detail.status)) {
    clearInterval(timerHandle);
    clearInterval(qualityHandle);
    if (detail.duration !== undefined && timerStart !== null) $('timer').textContent = formatTimer(detail.duration);
    timerStart = null;
    if (detail.status === 'failed') showError({ type: detail.failureReason ?? 'other' });
  }
}

async function showQuality() {
  const q = await phone.quality();
  if (!q) return;
  $('quality').textContent = fill(t.quality, {
    rtt: q.rttMs.toFixed(1), jitter: q.jitterMs.toFixed(1), loss: q.lossPercent.toFixed(1), mos: q.mos.toFixed(2),
  });
}

async function call() {
  if ($('call').disabled) return;
  showError(null);
  $('quality').textContent = '';
  $('timer').textContent = formatTimer(0);
  const number = $('number').value;
  if (lastCheck?.input === number && !lastCheck.valid) {
    showError({ type: 'validation_error' });
    return;
  }
  $('call').disabled = true;
  // The presence checks come first: no microphone is said as such, a missing speaker is warned about.
  const { inputs } = await updateDevices();
  if (inputs.length === 0) {
    showError({ type: 'no_input_device' });
    $('call').disabled = false;
    return;
  }
  if (!(await openMicrophone(phone.microphoneId))) {
    $('call').disabled = false;
    return;
  }
  try {
    await phone.dial(number);
  } catch (error) {
    showError(error);
    showStatus({ status: 'idle' });
  }
}

async function hangUp() {
  if ($('hangup').disabled) return;
  try {
    await phone.hangUp();
  } catch (error) {
    showError(error);
  }
}

function pressKey(key) {
  if (['connecting', 'active'].includes(lastStatus.status)) {
    phone.sendDtmf(key);
    return;
  }
  // Outside a call * and # mean nothing; a number always starts with +.
  if (key === '*' || key === '#') return;
  const current = $('number').value;
  setNumber((current.startsWith('+') ? current : `+${current}`) + key);
}

// ---- wiring --------------------------------------------------------------------------------------

async function authenticate(action) {
  showError(null);
  try {
    await phone[action]($('email').value, $('password').value);
    showPhone();
  } catch (error) {
    showError(error);
  }
}

function showPhone() {
  $('login').hidden = true;
  $('phone').hidden = false;
  $('number').focus();
}

$('login').addEventListener('submit', (event) => { event.preventDefault(); authenticate('login'); });
$('register').addEventListener('click', () => authenticate('register'));
$('call').addEventListener('click', call);
$('hangup').addEventListener('click', hangUp);
$('mute').addEventListener('click', () => {
  phone.setMuted(!phone.muted);
  $('mute').setAttribute('aria-pressed', String(phone.muted));
  $('mute').textContent = phone.muted ? t.unmute : t.mute;
});
$('number').addEventListener('input', checkNumber);
$('country-search').addEventListener('input', fillCountries);
$('country').addEventListener('change', chooseCountry);
$('check-microphone').addEventListener('click', () => openMicrophone(phone.microphoneId));
$('devices').addEventListener('toggle', () => { if ($('devices').open) updateDevices(); });
$('microphone').addEventListener('change', (event) => openMicrophone(event.target.value));
$('speaker').addEventListener('change', (event) => phone.setSpeaker(event.target.value).catch(showError));
for (const button of document.querySelectorAll('#dialpad button'))
  button.addEventListener('click', () => pressKey(button.dataset.key));
navigator.mediaDevices?.addEventListener?.('devicechange', () => { if ($('devices').open) updateDevices(); });
phone.addEventListener('status', ({ detail }) => onStatus(detail));

// Keyboard: Enter calls, Escape hangs up, digits go to the dial pad (in a call: DTMF).
document.addEventListener('keydown', (event) => {
  if ($('phone').hidden || event.ctrlKey || event.altKey || event.metaKey) return;
  const inNumber = event.target === $('number');
  const inOtherField = !inNumber && ['INPUT', 'SELECT', 'TEXTAREA'].includes(event.target.tagName);
  if (event.key === 'Enter' && !inOtherField && event.target.tagName !== 'BUTTON') {
    event.preventDefault();
    call();
  } else if (event.key === 'Escape') {
    event.preventDefault();
    hangUp();
  } else if (/^[0-9*#]$/.test(event.key) && !inOtherField && (!inNumber || ['connecting', 'active'].includes(lastStatus.status))) {
    event.preventDefault();
    pressKey(event.key);
  }
});

// What the desktop host calls (CallPage.qml): fill in a number, switch the language.
window.softphoneUi = {
  setNumber(number) { setNumber(number); $('number').focus(); },
  setLanguage(code) { language = pickLanguage(code); applyLanguage(); },
};

if (host?.token) {
  phone.token = host.token;
  showPhone();
}
applyLanguage();
loadRegions();
loadTestNumbers();
