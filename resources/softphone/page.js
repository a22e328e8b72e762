import { Softphone } from './softphone.js';

// With Twilio the operator's audio goes through Twilio's Voice SDK: its adapter is loaded only then.
const health = await fetch('/system/health').then((response) => response.json()).catch(() => ({}));
const phone = health.provider === 'twilio' ? new (await import('./twilio.js')).TwilioSoftphone() : new Softphone();
window.softphone = phone;
const $ = (id) => document.getElementById(id);

const labels = {
  connecting: 'Connecting…', active: 'In call', completed: 'Finished', failed: 'Failed', canceled: 'Finished',
};

function showError(error) {
  $('error').textContent = error ? error.message : '';
}

function showPhone() {
  $('login').hidden = true;
  $('phone').hidden = false;
}

async function authenticate(action) {
  showError(null);
  try {
    await phone[action]($('email').value, $('password').value);
    showPhone();
  } catch (error) {
    showError(error);
  }
}

$('login').addEventListener('submit', (event) => { event.preventDefault(); authenticate('login'); });
$('register').addEventListener('click', () => authenticate('register'));

$('call').addEventListener('click', async () => {
  showError(null);
  $('call').disabled = true;
  $('hangup').disabled = false;
  try {
    await phone.dial($('number').value);
  } catch (error) {
    showError(error);
    $('call').disabled = false;
    $('hangup').disabled = true;
  }
});

$('hangup').addEventListener('click', async () => {
  try {
    await phone.hangUp();
  } catch (error) {
    showError(error);
  }
});

phone.addEventListener('status', ({ detail }) => {
  $('status').dataset.status = detail.status;
  $('status').textContent = labels[detail.status] ?? detail.status;
  const ended = ['completed', 'failed', 'canceled'].includes(detail.status);
  $('call').disabled = !ended;
  $('hangup').disabled = ended;
  const q = detail.quality;
  $('quality').textContent = q ? `RTT ${q.rtt_ms.toFixed(1)} ms · jitter ${q.jitter_ms.toFixed(1)} ms · loss ${q.packet_loss_percent.toFixed(1)} % · MOS ${q.mos.toFixed(2)}` : '';
});

// The desktop host hands over the operator's token without a URL (an injected script).
if (window.switchboardToken) {
  phone.token = window.switchboardToken;
  showPhone();
}
