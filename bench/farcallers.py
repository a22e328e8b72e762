#!/usr/bin/python3
"""Concurrent echo calls against the mock far end, with a load generator light enough to leave the
two cores to the server: every caller is a GStreamer webrtcbin (not a browser) that answers the
server's offer, sends one shared Opus stream (encoded once, teed to every call) and counts what it
receives without decoding it. Levels of concurrent calls are added one on top of the other; at each
level the calls are held and the CPU of the server, of this generator and of the whole machine is
sampled from /proc. A level is held only if every call is still active at the end of it, every
caller received at least BENCH_MIN_RATE packets/s from the far end and every far end received as
many from its caller (its own count, the call's quality.packets_received from the API), with the
server's CPU under BENCH_CPU_LIMIT. Prints a Markdown table.

usage: farcallers.py BASE_URL SERVER_PID
env:   BENCH_LEVELS="10 20 30 40 50 60 70 80 90 100"  BENCH_HOLD=8  BENCH_CPU_LIMIT=80  BENCH_MIN_RATE=45
"""

import functools
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstSdp', '1.0')
gi.require_version('GstWebRTC', '1.0')
from gi.repository import Gst, GstSdp, GstWebRTC  # noqa: E402

import benchapi  # noqa: E402  (bench/, next to this script)

BASE, SERVER_PID = sys.argv[1], int(sys.argv[2])
LEVELS = [int(n) for n in os.environ.get('BENCH_LEVELS', '10 20 30 40 50 60 70 80 90 100').split()]
HOLD_SECONDS = float(os.environ.get('BENCH_HOLD', '8'))
CPU_LIMIT = float(os.environ.get('BENCH_CPU_LIMIT', '80'))
# Opus sends a packet every 20 ms: 50 packets/s is the full rate.
MIN_RATE = float(os.environ.get('BENCH_MIN_RATE', '45'))
PASSWORD = 'bench-password-1'
CORES = os.cpu_count()
TICKS = os.sysconf('SC_CLK_TCK')


api = functools.partial(benchapi.request, BASE)


def process_ticks(pid):
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def machine_ticks():
    values = [int(v) for v in open('/proc/stat').readline().split()[1:]]
    return sum(values), values[3] + values[4]  # total, idle + iowait


def measure_cpu(seconds):
    """CPU over `seconds` as a share of all cores: server, this generator, the whole machine."""
    server0, own0, (total0, idle0) = process_ticks(SERVER_PID), process_ticks(os.getpid()), machine_ticks()
    started = time.monotonic()
    time.sleep(seconds)
    elapsed = time.monotonic() - started
    total1, idle1 = machine_ticks()
    share = lambda ticks: 100.0 * ticks / TICKS / elapsed / CORES
    return (share(process_ticks(SERVER_PID) - server0), share(process_ticks(os.getpid()) - own0),
            100.0 * (1 - (idle1 - idle0) / max(1, total1 - total0)))


class Caller:
    """One operator: a user, a webrtcbin fed from the shared tee, and its call."""

    def __init__(self, pipeline, tee, index):
        self.index = index
        self.call_id = None
        status, session = api('POST', '/api/auth/register',
                              body={'email': f'farcaller-{os.getpid()}-{index}@bench.example', 'password': PASSWORD})
        if status != 201:
            raise RuntimeError(f'register: {status} {session}')
        self.token = session['token']
        self.pipeline = pipeline
        self.webrtc = Gst.ElementFactory.make('webrtcbin')
        self.webrtc.set_property('bundle-policy', GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
        # Loopback only, as the far end: libnice leaves 127.0.0.1 out unless asked. The agent stays
        # referenced for the caller's life: without that PyGObject lets it go early (GST_IS_WEBRTC_ICE criticals).
        self.ice = self.webrtc.get_property('ice-agent')
        self.ice.emit('add-local-ip-address', '127.0.0.1')
        self.ice.set_property('ice-tcp', False)
        self.queue = Gst.ElementFactory.make('queue')
        self.queue.set_property('leaky', 2)
        pipeline.add(self.queue)
        pipeline.add(self.webrtc)
        self.webrtc.connect('pad-added', self._on_pad_added)
        self.webrtc.sync_state_with_parent()
        self.queue.sync_state_with_parent()
        self.queue.link(self.webrtc)
        # Into the running tee last, once the branch plays: a pad still flushing answers the tee's
        # push with FLUSHING, the tee passes that up, and the shared source stops for good
        # ("pausing after gst_pad_push() = flushing") — every call then goes silent towards the far end.
        tee.request_pad_simple('src_%u').link(self.queue.get_static_pad('sink'))

    def _on_pad_added(self, _webrtc, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        sink = Gst.ElementFactory.make('fakesink')
        sink.set_property('sync', False)
        sink.set_property('async', False)
        self.pipeline.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad('sink'))

    def received(self):
        """Packets received from the far end, from webrtcbin's statistics: a Python callback per
        packet cost the generator CPU that the server then lacked."""
        reply = self._emit('get-stats', None).get_reply()
        for index in range(reply.n_fields()):
            stat = reply.get_value(reply.nth_field_name(index))
            if stat.get_value('type') == GstWebRTC.WebRTCStatsType.INBOUND_RTP:
                return stat.get_value('packets-received')
        return 0

    def _emit(self, signal, *args):
        """Emits a webrtcbin action and waits for its reply. Answers the promise: it owns the reply."""
        promise = Gst.Promise.new()
        self.webrtc.emit(signal, *args, promise)
        if promise.wait() != Gst.PromiseResult.REPLIED:
            raise RuntimeError(f'{signal}: no reply')
        reply = promise.get_reply()
        if reply is not None and reply.has_field('error'):
            raise RuntimeError(f'{signal}: {reply.get_value("error")}')
        return promise

    def call(self, number):
        """Initiates, answers the offer, and returns once the server says the call is active."""
        status, call = api('POST', '/api/calls/initiate', self.token, {'phone_number': number})
        if status != 200:
            raise RuntimeError(f'initiate: {status} {call}')
        self.call_id = call['call_id']
        _, offer_sdp = GstSdp.SDPMessage.new_from_text(call['sdp_offer'])
        offer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.OFFER, offer_sdp)
        self._emit('set-remote-description', offer)
        # Each object kept in a name: the answer points into the reply, which the promise owns.
        created = self._emit('create-answer', None)
        reply = created.get_reply()
        answer = reply.get_value('answer')
        self._emit('set-local-description', answer)
        deadline = time.monotonic() + 10
        while self.webrtc.get_property('ice-gathering-state') != GstWebRTC.WebRTCICEGatheringState.COMPLETE:
            if time.monotonic() > deadline:
                raise RuntimeError('ICE gathering did not complete')
            time.sleep(0.01)
        sdp = self.webrtc.get_property('local-description').sdp.as_text()
        status, body = api('POST', '/api/calls/answer', self.token, {'call_id': self.call_id, 'sdp_answer': sdp})
        if status != 200:
            raise RuntimeError(f'answer: {status} {body}')
        known = body['status']
        deadline = time.monotonic() + 30
        while known != 'active' and time.monotonic() < deadline:
            status, body = api('GET', f'/api/calls/{self.call_id}?wait=10&status={known}', self.token)
            if status != 200:
                raise RuntimeError(f'status: {status} {body}')
            if body['status'] not in ('connecting', 'active'):
                raise RuntimeError(f'call ended as {body["status"]}')
            known = body['status']
        return known == 'active'

    def far_end(self):
        """The call's status and the packets its far end has received (the server samples them once a second)."""
        if self.call_id is None:
            return 'not placed', 0
        status, body = api('GET', f'/api/calls/{self.call_id}', self.token)
        if status != 200:
            return f'HTTP {status}', 0
        return body['status'], (body['quality'] or {}).get('packets_received', 0)

    def hang_up(self):
        api('POST', '/api/calls/terminate', self.token, {'call_id': self.call_id})


def main():
    Gst.init(None)
    for element in ('webrtcbin', 'opusenc', 'rtpopuspay', 'nicesrc'):
        if Gst.ElementFactory.find(element) is None:
            sys.exit(f'GStreamer element {element} is missing')
    # One Opus stream for everyone; payload type 96 as in the far end's offer.
    pipeline = Gst.parse_launch(
        'audiotestsrc is-live=true wave=sine freq=300 volume=0.3 ! audio/x-raw,rate=48000,channels=1 ! '
        'opusenc ! rtpopuspay pt=96 ! '
        'application/x-rtp,media=audio,encoding-name=OPUS,payload=96,clock-rate=48000 ! '
        'tee name=shared allow-not-linked=true')
    tee = pipeline.get_by_name('shared')
    pipeline.set_state(Gst.State.PLAYING)

    callers = []
    lock = threading.Lock()

    def place(index):
        caller = Caller(pipeline, tee, index)
        with lock:
            callers.append(caller)
        # Numbers that answer and echo (README: any valid number outside the scenario ranges).
        return caller.call(f'+4915123{index:06d}')

    print(f'## Concurrent echo calls, GStreamer callers (held {HOLD_SECONDS:g} s per level; '
          f'CPU as a share of {CORES} cores; packets/s median / minimum over the calls)\n')
    print('| calls | all active at the end | caller receives | far end receives | server CPU % | callers CPU % '
          '| machine CPU % |')
    print('|---:|---|---:|---:|---:|---:|---:|')
    best = 0
    placed = 0
    with ThreadPoolExecutor(max_workers=8) as pool:
        for level in LEVELS:
            results = list(pool.map(lambda i: _safely(place, i), range(placed, level)))
            placed = level
            errors = [r for r in results if isinstance(r, Exception)]
            with lock:
                held = list(callers)
            held_level = _hold_level(level, held, pool) and not errors and all(results)
            if errors:
                print(f'\n{len(errors)} calls failed, first: {errors[0]}')
            if not held_level:
                break
            best = level
        pool.map(lambda c: c.hang_up(), callers)
    print(f'\nLargest level held (every call active, at least {MIN_RATE:g} packets/s both ways, '
          f'server CPU below {CPU_LIMIT:g} %): {best}')
    # Exits without tearing the callers' pipeline down: the server's side is what is measured.
    sys.stdout.flush()
    os._exit(0)


def _hold_level(level, callers, pool):
    """Holds the calls for HOLD_SECONDS, prints the level's row and says whether the level held."""
    received_before = list(pool.map(lambda c: c.received(), callers))
    far_before = list(pool.map(lambda c: c.far_end(), callers))
    server, own, machine = measure_cpu(HOLD_SECONDS)
    received_after = list(pool.map(lambda c: c.received(), callers))
    received = [(after - before) / HOLD_SECONDS for before, after in zip(received_before, received_after)]
    far_after = list(pool.map(lambda c: c.far_end(), callers))
    far_received = [(after - before) / HOLD_SECONDS for (_, before), (_, after) in zip(far_before, far_after)]
    statuses = [status for status, _ in far_after]
    all_active = all(status == 'active' for status in statuses)
    rates = lambda values: f'{statistics.median(values):.0f} / {min(values):.0f}'
    print(f'| {level} | {"yes" if all_active else "no"} | {rates(received)} | {rates(far_received)} | '
          f'{server:.1f} | {own:.1f} | {machine:.1f} |', flush=True)
    if not all_active:
        ended = {status: statuses.count(status) for status in statuses if status != 'active'}
        print(f'\nnot active at the end of the level: {ended}')
    return all_active and min(received) >= MIN_RATE and min(far_received) >= MIN_RATE and server < CPU_LIMIT


def _safely(function, *args):
    try:
        return function(*args)
    except Exception as error:  # reported in the table, the run goes on to the CPU sample
        return error


if __name__ == '__main__':
    main()
