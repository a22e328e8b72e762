#!/usr/bin/env python3
"""Soak: a fixed mixed load against a running server for a fixed time, sampling its RSS, threads
and open file descriptors. Prints a Markdown table (one row per sample) and the drift.

usage: soak.py BASE_URL SERVER_PID
env:   SOAK_SECONDS=600  SOAK_SAMPLE_SECONDS=30  SOAK_OPERATORS=8  SOAK_RATE=40 (call loops/s in all)

Each operator loops: initiate → answer → long-poll the status → history → terminate, plus a
login and a health check every tenth loop, paced so that all operators together make SOAK_RATE
loops per second. Works with VOIP_MOCK_MEDIA=off (the answer is a hand-written SDP).
"""

import functools
import os
import sys
import threading
import time

import benchapi  # bench/, next to this script

BASE, PID = sys.argv[1], int(sys.argv[2])
SECONDS = float(os.environ.get('SOAK_SECONDS', '600'))
SAMPLE_SECONDS = float(os.environ.get('SOAK_SAMPLE_SECONDS', '30'))
OPERATORS = int(os.environ.get('SOAK_OPERATORS', '8'))
RATE = float(os.environ.get('SOAK_RATE', '40'))
PASSWORD = 'soak password 1'
SDP = ('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n'
       'm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\n')


api = functools.partial(benchapi.request, BASE)


def resources():
    status = open(f'/proc/{PID}/status').read()
    rss_kib = int(next(line for line in status.splitlines() if line.startswith('VmRSS:')).split()[1])
    threads = int(next(line for line in status.splitlines() if line.startswith('Threads:')).split()[1])
    return rss_kib, threads, len(os.listdir(f'/proc/{PID}/fd'))


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.loops = 0
        self.errors = 0

    def add(self, loops=0, errors=0):
        with self.lock:
            self.loops += loops
            self.errors += errors


def operator(index, stop, counters):
    email = f'soak-{os.getpid()}-{index}@example.com'
    status, session = api('POST', '/api/auth/register', body={'email': email, 'password': PASSWORD})
    if status != 201:
        counters.add(errors=1)
        return
    token = session['token']
    interval = OPERATORS / RATE
    loop = 0
    next_at = time.monotonic()
    while not stop.is_set():
        loop += 1
        ok = True
        status, call = api('POST', '/api/calls/initiate', token, {'phone_number': '+4915123456789'})
        if status == 200:
            call_id = call['call_id']
            ok &= api('POST', '/api/calls/answer', token, {'call_id': call_id, 'sdp_answer': SDP})[0] == 200
            ok &= api('GET', f'/api/calls/{call_id}?wait=5&status=connecting', token)[0] == 200
            ok &= api('GET', '/api/calls/history?limit=20', token)[0] == 200
            ok &= api('POST', '/api/calls/terminate', token, {'call_id': call_id})[0] == 200
        else:
            ok = False
        if loop % 10 == 0:
            ok &= api('POST', '/api/auth/login', body={'email': email, 'password': PASSWORD})[0] == 200
            ok &= api('GET', '/system/health')[0] == 200
        counters.add(loops=1, errors=0 if ok else 1)
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))


def main():
    counters = Counters()
    stop = threading.Event()
    workers = [threading.Thread(target=operator, args=(i, stop, counters), daemon=True) for i in range(OPERATORS)]
    for worker in workers:
        worker.start()
    started = time.monotonic()
    print(f'Soak: {OPERATORS} operators, {RATE:g} call loops/s in all, {SECONDS:g} s, '
          f'sampled every {SAMPLE_SECONDS:g} s (server pid {PID})\n')
    print('| time s | loops | errors | RSS MiB | threads | fds |')
    print('|---:|---:|---:|---:|---:|---:|')
    samples = []
    while True:
        elapsed = time.monotonic() - started
        rss, threads, fds = resources()
        samples.append((elapsed, rss, threads, fds))
        print(f'| {elapsed:.0f} | {counters.loops} | {counters.errors} | {rss / 1024:.1f} | {threads} | {fds} |',
              flush=True)
        if elapsed >= SECONDS:
            break
        time.sleep(min(SAMPLE_SECONDS, SECONDS - elapsed))
    stop.set()
    for worker in workers:
        worker.join(timeout=40)
    # Drift over the second half: the first minutes include warm-up (caches, SQLite pages).
    half = [s for s in samples if s[0] >= SECONDS / 2]
    print(f'\nSecond half: RSS {half[0][1] / 1024:.1f} → {half[-1][1] / 1024:.1f} MiB, '
          f'threads {half[0][2]} → {half[-1][2]}, fds {half[0][3]} → {half[-1][3]}; '
          f'{counters.loops} loops, {counters.errors} with an error')
    return 1 if counters.errors else 0


if __name__ == '__main__':
    sys.exit(main())
