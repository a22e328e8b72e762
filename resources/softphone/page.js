import { Softphone } from './softphone.js';
import { fill, pickLanguage, words } from './i18n.js';

// With Twilio the operator's audio goes through Twilio's Voice SDK: its adapter is loaded only then.
const health = await fetch('/system/health').then((response) => response.json()).catch(() => ({}));
const phone = health.provider === 'twilio' ? new (await import('./twilio.js')).TwilioSoftphone() : new Softphone();
window.softphone = phone;
const $ = (id) => document.getElementById(id);
const ENDED = ['completed', 'failed', 'canceled'];
const LIVE = ['initiated', 'connecting', 'active'];
const RECENT_LIMIT = 8; // as many as the side card shows at the console's smallest size

// The desktop host injects {token, language, theme} before this module runs (no URL carries the
// token); in an ordinary browser there is no host and the page shows its own login form.
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

// ---- theme and icons ---------------------------------------------------------------------------------

// The console's Theme as CSS custom properties (--bg, --fg, --accent, …). Without a host the
// stylesheet's own values apply, light or dark as the system prefers.
function applyTheme(variables) {
  for (const [name, value] of Object.entries(variables ?? {}))
    if (name.startsWith('--')) document.documentElement.style.setProperty(name, String(value));
}

// An icon of the kept set by name: the same SVG files the console draws (icon-<name>.svg).
function setIcon(element, name) {
  element.dataset.icon = name;
  element.style.setProperty('--icon', `url("${new URL(`icon-${name}.svg`, import.meta.url)}")`);
}

function iconElement(name) {
  const icon = document.createElement('span');
  icon.className = 'icon';
  setIcon(icon, name);
  return icon;
}

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
    phone.forget();
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
  for (const element of document.querySelectorAll('[data-title]')) {
    element.title = t[element.dataset.title];
    element.setAttribute('aria-label', t[element.dataset.title]);
  }
  showMuted();
  showHold();
  fillHelp();
  fillCountries();
  fillTestNumbers();
  fillRecent();
  fillContacts();
  showStatus(lastStatus);
  showError(lastError);
  showNotice(lastNotice);
  showTones();
  checkNumber();
  if ($('devices').open) updateDevices();
}

let lastNotice = null; // {key, values}: a notice in words of the current language

function showNotice(notice) {
  lastNotice = notice;
  $('notice').textContent = notice ? fill(t[notice.key], notice.values ?? {}) : '';
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
    button.className = 'test-number';
    button.textContent = number;
    button.addEventListener('click', () => { setNumber(number); $('number').focus(); });
    item.append(button, ` ${fill(t.outcome[outcome] ?? outcome, { seconds })}`);
    return item;
  }));
  $('tab-test-numbers').hidden = testNumbers.length === 0;
}

async function loadTestNumbers() {
  if (health.provider !== 'mock') return;
  const response = await fetch('/api/mock/test-numbers').catch(() => null);
  testNumbers = response?.ok ? (await response.json()).numbers : [];
  fillTestNumbers();
}

// ---- the side card: recent calls and contacts ------------------------------------------------------

function showTab(name) {
  for (const tab of document.querySelectorAll('.tabs [role="tab"]')) {
    const selected = tab.getAttribute('aria-controls') === name;
    tab.setAttribute('aria-selected', String(selected));
    $(tab.getAttribute('aria-controls')).hidden = !selected;
  }
}

/// A row of the side card: a button that puts the number in the field, and one that calls it at once.
function listItem({ number, primary, secondary, status, onPick }) {
  const item = document.createElement('li');
  const pick = document.createElement('button');
  pick.type = 'button';
  pick.className = 'pick';
  pick.title = fill(t.pickNumber, { number });
  const first = Object.assign(document.createElement('span'), { className: 'primary-line', textContent: primary });
  const second = Object.assign(document.createElement('span'), { className: 'secondary-line', textContent: secondary });
  if (status) second.dataset.status = status;
  pick.append(first, second);
  pick.addEventListener('click', () => { onPick(); $('number').focus(); });
  const dial = document.createElement('button');
  dial.type = 'button';
  dial.className = 'icon-button dial';
  dial.setAttribute('aria-label', fill(t.callNumber, { number }));
  dial.title = dial.getAttribute('aria-label');
  dial.append(iconElement('call'));
  dial.addEventListener('click', () => { onPick(); call(); });
  item.append(pick, dial);
  return item;
}

let recent = [];
const formattedNumbers = new Map(); // E.164 → as the server formats it

function callTime(startTime) {
  const date = new Date(startTime);
  const today = date.toDateString() === new Date().toDateString();
  return date.toLocaleString(language, today ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' });
}

function fillRecent() {
  $('recent-list').replaceChildren(...recent.map((entry) => listItem({
    number: entry.phone_number,
    primary: entry.contact_name || (formattedNumbers.get(entry.phone_number) ?? entry.phone_number),
    secondary: fill(t.recentItem, {
      time: callTime(entry.start_time), duration: formatTimer(entry.duration ?? 0), status: t[entry.status] ?? entry.status,
    }),
    status: entry.status,
    onPick: () => setNumber(entry.phone_number),
  })));
  $('recent-empty').hidden = recent.length > 0;
}

// The operator's last calls (GET /api/calls/history), newest first, numbers formatted by the server.
async function loadRecent() {
  if (!phone.token) return;
  try {
    recent = (await phone.request('GET', `/api/calls/history?limit=${RECENT_LIMIT}`)).calls ?? [];
  } catch (error) {
    if (error.status === 401) showError(error);
    return;
  }
  fillRecent();
  const unknown = [...new Set(recent.map((entry) => entry.phone_number))].filter((number) => !formattedNumbers.has(number));
  await Promise.all(unknown.map(async (number) => {
    const check = await phone.checkNumber(number).catch(() => null);
    if (check?.formatted) formattedNumbers.set(number, check.formatted);
  }));
  if (unknown.length) fillRecent();
}

// Contacts (GET /api/contacts?q=) answer a name typed in the number field. A server without them
// answers 404: then whatever is typed is a number.
let contactsAvailable = true;
let contacts = [];
let chosenContact = null;
let contactSequence = 0;

function fillContacts() {
  $('contact-list').replaceChildren(...contacts.map((contact) => listItem({
    number: contact.phone_number,
    primary: contact.name,
    secondary: [contact.phone_number, contact.company].filter(Boolean).join(' · '),
    onPick: () => { chosenContact = contact; setNumber(contact.phone_number); },
  })));
  $('contacts-empty').hidden = contacts.length > 0;
}

async function searchContacts(query) {
  const sequence = ++contactSequence;
  let answer;
  try {
    answer = await phone.request('GET', `/api/contacts?q=${encodeURIComponent(query)}`);
  } catch (error) {
    if (error.status === 404) contactsAvailable = false;
    return false;
  }
  if (sequence !== contactSequence) return true;
  contacts = answer.contacts ?? [];
  fillContacts();
  $('tab-contacts').hidden = false;
  showTab('contacts');
  return true;
}

// A number is checked as it is typed; letters make it a name to look up among the contacts.
async function onNumberInput() {
  const text = $('number').value;
  if (/\p{L}/u.test(text) && contactsAvailable && await searchContacts(text.trim())) {
    $('number-hint').textContent = '';
    $('number-hint').dataset.valid = '';
    return;
  }
  checkNumber();
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
  if (warnings.length && !$('devices').open) $('devices').showModal();
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
  const inCall = LIVE.includes(status);
  $('phone').classList.toggle('in-call', inCall);
  $('timer').hidden = status === 'idle';
  $('call').disabled = inCall;
  $('hangup').disabled = !inCall;
  $('keypad-toggle').disabled = !inCall;
  for (const id of ['mute', 'hold', 'transfer-toggle']) $(id).disabled = status !== 'active';
  if (!inCall) closePanels();
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
    showHold(false);
    if (detail.status === 'failed') showError({ type: detail.failureReason ?? 'other' });
    if (detail.transferredTo) showNotice({ key: 'transferredTo', values: { number: detail.transferredTo } });
    if (!document.activeElement || document.activeElement === document.body) $('number').focus();
    loadRecent();
  }
}

// Four bars from the estimated MOS; the figures behind them on hover and focus.
function qualityLevel(mos) {
  if (mos >= 4.0) return 4;
  if (mos >= 3.6) return 3;
  if (mos >= 3.1) return 2;
  return mos > 0 ? 1 : 0;
}

async function showQuality() {
  const q = await phone.quality();
  if (!q) return;
  const level = qualityLevel(q.mos);
  $('quality-indicator').dataset.level = String(level);
  $('quality-label').textContent = `${t.quality}: ${t.qualityLevel[level]}`;
  $('quality').textContent = fill(t.qualityDetails, {
    rtt: q.rttMs.toFixed(1), jitter: q.jitterMs.toFixed(1), loss: q.lossPercent.toFixed(1), mos: q.mos.toFixed(2),
  });
}

// What the call panel shows before the first status arrives: the number and, when known, the name.
function prepareCallPanel(number, knownName = '') {
  showError(null);
  showNotice(null);
  tones = '';
  showTones();
  $('quality').textContent = '';
  $('quality-label').textContent = '';
  $('quality-indicator').dataset.level = '0';
  $('timer').textContent = formatTimer(0);
  $('call-number').textContent = number;
  const digits = number.replace(/[^\d+]/g, '');
  const name = knownName || (chosenContact && chosenContact.phone_number.replace(/[^\d+]/g, '') === digits ? chosenContact.name : '');
  $('call-name').textContent = name;
  $('call-name').hidden = !name;
}

async function call() {
  if ($('call').disabled) return;
  const number = $('number').value;
  prepareCallPanel(number);
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
  placing = true;
  try {
    await phone.dial(number);
  } catch (error) {
    showError(error);
    showStatus({ status: 'idle' });
  } finally {
    placing = false;
  }
  // A call handed over while this one was being placed was not this one: it holds the line.
  const offered = offeredCall;
  offeredCall = null;
  if (offered && phone.call?.id !== offered.call_id && !LIVE.includes(lastStatus.status)) showTakenCall(offered);
}

let placing = false; // call() is placing the page's own call
let offeredCall = null; // a call the host handed over meanwhile

// A call placed for the operator by another client (click-to-call), handed over by the desktop
// host (CallPage.qml) as GET /api/calls/{id} answered it: the page shows it and connects its
// audio, unless it is the page's own call. The host raises its window when the answer is true.
// A call handed over while the page places its own is almost surely that one (the server keeps
// one live call per operator): it is decided once the page's initiate has answered.
function takeCall(call) {
  if (phone.call?.id === call.call_id || LIVE.includes(lastStatus.status)) return false;
  if (placing) {
    offeredCall = call;
    return false;
  }
  showTakenCall(call);
  return true;
}

async function showTakenCall(call) {
  prepareCallPanel(call.phone_number, call.contact_name ?? '');
  showNotice({ key: 'placedElsewhere' });
  phone.checkNumber(call.phone_number).then((check) => {
    if (check.valid && phone.call?.id === call.call_id) $('call-number').textContent = check.formatted;
  }).catch(() => {});
  try {
    await phone.takeCall(call);
  } catch (error) {
    // A call that ended before its audio connected shows how it ended, not the refused answer.
    if (error.type !== 'invalid_call_state') showError(error);
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

// ---- in-call controls: mute, hold, keypad (DTMF), transfer ----------------------------------------------

function showMuted() {
  $('mute').setAttribute('aria-pressed', String(phone.muted));
  $('mute').querySelector('.caption').textContent = phone.muted ? t.unmute : t.mute;
  setIcon($('mute').querySelector('.icon'), phone.muted ? 'mic_off' : 'mic');
}

function toggleMute() {
  if ($('mute').disabled) return;
  phone.setMuted(!phone.muted);
  showMuted();
}

let onHold = false;

function showHold(on = onHold) {
  onHold = on;
  $('hold').setAttribute('aria-pressed', String(on));
  $('hold').querySelector('.caption').textContent = on ? t.resume : t.hold;
  setIcon($('hold').querySelector('.icon'), on ? 'play_arrow' : 'pause');
  $('hold-state').hidden = !on;
}

async function toggleHold() {
  if ($('hold').disabled) return;
  $('hold').disabled = true;
  try {
    const answer = await phone.hold(!onHold);
    showHold(answer.on_hold === true);
  } catch (error) {
    showError(error);
  } finally {
    $('hold').disabled = lastStatus.status !== 'active';
  }
}

let tones = ''; // the tones sent in this call, shown under the keypad
let tonesCarried = true;

function showTones() {
  $('tones').hidden = tones === '';
  $('tones').textContent = tones && `${fill(t.tonesSent, { digits: tones })}${tonesCarried ? '' : ` — ${t.tonesUnavailable}`}`;
}

function toggleKeypad(open = !$('dialpad').classList.contains('open')) {
  if (open && $('keypad-toggle').disabled) return;
  $('dialpad').classList.toggle('open', open);
  $('keypad-toggle').setAttribute('aria-expanded', String(open));
  if (open) toggleTransfer(false);
}

function toggleTransfer(open = $('transfer').hidden) {
  if (open && $('transfer-toggle').disabled) return;
  $('transfer').hidden = !open;
  $('transfer-toggle').setAttribute('aria-expanded', String(open));
  if (open) {
    toggleKeypad(false);
    $('transfer-number').focus();
  }
}

function closePanels() {
  toggleKeypad(false);
  toggleTransfer(false);
}

async function transfer(event) {
  event.preventDefault();
  const number = $('transfer-number').value.trim();
  if (!number || $('transfer-confirm').disabled) return;
  $('transfer-confirm').disabled = true;
  try {
    await phone.transfer(number);
    $('transfer-number').value = '';
  } catch (error) {
    showError(error);
  } finally {
    $('transfer-confirm').disabled = false;
  }
}

function pressKey(key) {
  if (['connecting', 'active'].includes(lastStatus.status)) {
    tonesCarried = phone.sendDtmf(key) && tonesCarried;
    tones += key;
    showTones();
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
  loadRecent();
}

// In a browser the page lists its own shortcuts (F1 or ?); in the console the host's help
// overlay lists them with the console's.
function fillHelp() {
  $('help-list').replaceChildren(...t.shortcutList.flatMap(([keys, action]) => [
    Object.assign(document.createElement('dt'), { textContent: keys }),
    Object.assign(document.createElement('dd'), { textContent: action }),
  ]));
}

function openDevices() {
  updateDevices();
  if (!$('devices').open) $('devices').showModal();
}

$('login').addEventListener('submit', (event) => { event.preventDefault(); authenticate('login'); });
$('register').addEventListener('click', () => authenticate('register'));
$('call').addEventListener('click', call);
$('hangup').addEventListener('click', hangUp);
$('mute').addEventListener('click', toggleMute);
$('hold').addEventListener('click', toggleHold);
$('keypad-toggle').addEventListener('click', () => toggleKeypad());
$('transfer-toggle').addEventListener('click', () => toggleTransfer());
$('transfer-cancel').addEventListener('click', () => toggleTransfer(false));
$('transfer').addEventListener('submit', transfer);
$('number').addEventListener('input', onNumberInput);
$('clear-number').addEventListener('click', () => { chosenContact = null; setNumber(''); $('number').focus(); showTab('recent'); });
$('country-search').addEventListener('input', fillCountries);
$('country').addEventListener('change', chooseCountry);
$('devices-button').addEventListener('click', openDevices);
$('devices-close').addEventListener('click', () => $('devices').close());
$('help-close').addEventListener('click', () => $('help').close());
$('check-microphone').addEventListener('click', () => openMicrophone(phone.microphoneId));
$('microphone').addEventListener('change', (event) => openMicrophone(event.target.value));
$('speaker').addEventListener('change', (event) => phone.setSpeaker(event.target.value).catch(showError));
for (const button of document.querySelectorAll('#dialpad button'))
  button.addEventListener('click', () => pressKey(button.dataset.key));
for (const tab of document.querySelectorAll('.tabs [role="tab"]'))
  tab.addEventListener('click', () => showTab(tab.getAttribute('aria-controls')));
$('tab-recent').addEventListener('click', loadRecent);
navigator.mediaDevices?.addEventListener?.('devicechange', () => { if ($('devices').open) updateDevices(); });
phone.addEventListener('status', ({ detail }) => onStatus(detail));
// What keeps a browser login alive: the operator at work (in the console, the host refreshes).
for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, () => phone.noteActivity(), { capture: true });

// Alt+letter controls the call, by key position (the same keys on a Russian layout).
const CALL_SHORTCUTS = { KeyM: toggleMute, KeyH: toggleHold, KeyK: () => toggleKeypad(), KeyT: () => toggleTransfer() };

// Keyboard: Enter calls, Escape hangs up (or closes the transfer form), digits go to the dial pad
// (in a call: DTMF); in a browser F1, or ? outside a field, shows the shortcuts.
document.addEventListener('keydown', (event) => {
  // An open dialog has the keyboard (Escape closes it).
  if ($('phone').hidden || document.querySelector('dialog[open]') || event.ctrlKey || event.metaKey) return;
  if (event.altKey) {
    if (CALL_SHORTCUTS[event.code]) {
      event.preventDefault();
      CALL_SHORTCUTS[event.code]();
    }
    return;
  }
  const inNumber = event.target === $('number');
  const inOtherField = !inNumber && ['INPUT', 'SELECT', 'TEXTAREA'].includes(event.target.tagName);
  if (!host && (event.key === 'F1' || (event.key === '?' && !inNumber && !inOtherField))) {
    event.preventDefault();
    $('help').showModal();
  } else if (event.key === 'Enter' && !inOtherField && event.target.tagName !== 'BUTTON') {
    event.preventDefault();
    call();
  } else if (event.key === 'Escape') {
    event.preventDefault();
    if (!$('transfer').hidden) toggleTransfer(false);
    else hangUp();
  } else if (/^[0-9*#]$/.test(event.key) && !inOtherField && (!inNumber || ['connecting', 'active'].includes(lastStatus.status))) {
    event.preventDefault();
    pressKey(event.key);
  }
});

// What the desktop host calls (CallPage.qml): fill in a number, switch the language or the theme,
// hand over the token it refreshed, hand over a call placed elsewhere (the answer: taken or not).
window.softphoneUi = {
  setNumber(number) { setNumber(number); $('number').focus(); },
  takeCall(call) { return takeCall(call); },
  setLanguage(code) { language = pickLanguage(code); applyLanguage(); },
  setTheme(variables) { applyTheme(variables); },
  setToken(token) { phone.token = token; },
};

applyTheme(host?.theme);
for (const element of document.querySelectorAll('[data-icon]')) setIcon(element, element.dataset.icon);
if (host?.token) {
  phone.token = host.token;
  showPhone();
}
applyLanguage();
loadRegions();
loadTestNumbers();
