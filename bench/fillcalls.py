#!/usr/bin/env python3
"""Fills a Switchboard database with ended calls, as a busy installation would have them.

Usage: fillcalls.py DATABASE USER_ID:CALLS [USER_ID:CALLS ...]
  DATABASE   an SQLite file, or a postgres://user:password@host:port/db URL (written through psql)

The users must exist (register them through the API first) and the database must be migrated
(start the server on it once); the server should be stopped while this runs. Calls spread over
the last two years with numbers of eight countries, 70 % completed, 15 % failed (busy, no answer,
provider unavailable, media failed), 15 % canceled. The triggers that keep the call counts and the
number search index run for every row, as they would for calls placed through the API.
Standard library only (and Debian's psql for PostgreSQL).
"""
import datetime
import random
import sqlite3
import subprocess
import sys
import uuid

PREFIXES = ["49151", "44207", "1202", "33612", "7916", "8613", "9198", "5511"]
FAILURES = ["busy", "no_answer", "provider_unavailable", "media_failed"]
SPAN_SECONDS = 2 * 365 * 24 * 3600
COLUMNS = ("id, user_id, phone_number, start_time, duration, status, provider, instance_id, answered_at, "
           "ended_at, last_alive_at, failure_reason")


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def call_row(user_id, now, rng):
    start = now - datetime.timedelta(seconds=rng.uniform(60, SPAN_SECONDS))
    number = "+" + rng.choice(PREFIXES) + "".join(rng.choice("0123456789") for _ in range(7))
    roll = rng.random()
    answered = ended = None
    duration, reason = 0, None
    if roll < 0.70:
        status = "completed"
        answered = start + datetime.timedelta(seconds=rng.uniform(2, 20))
        duration = rng.randint(5, 900)
        ended = answered + datetime.timedelta(seconds=duration)
    elif roll < 0.85:
        status, reason = "failed", rng.choice(FAILURES)
        ended = start + datetime.timedelta(seconds=rng.uniform(1, 40))
    else:
        status = "canceled"
        ended = start + datetime.timedelta(seconds=rng.uniform(1, 30))
    return (str(uuid.UUID(int=rng.getrandbits(128), version=4)), user_id, number, iso(start), duration, status,
            "mock", "bench", iso(answered) if answered else None, iso(ended), iso(ended), reason)


def fill_sqlite(path, plan, rng):
    now = datetime.datetime.now(datetime.timezone.utc)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    with connection:
        for user_id, count in plan:
            for start in range(0, count, 50000):
                rows = [call_row(user_id, now, rng) for _ in range(min(50000, count - start))]
                connection.executemany(f"INSERT INTO calls ({COLUMNS}) VALUES ({', '.join('?' * 12)})", rows)
    connection.execute("ANALYZE")
    connection.close()


def sql_literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def fill_postgres(url, plan, rng):
    # Small statements, each its own transaction: the triggers update the same few counter rows
    # (call_counts, call_hours) for every call, and PostgreSQL can prune the old versions of a
    # row only once the transaction that made them is over. In one transaction every update walks
    # all the versions before it, and two million calls took hours (perf: heap_hot_search_buffer).
    now = datetime.datetime.now(datetime.timezone.utc)
    process = subprocess.Popen(["psql", "-q", "-v", "ON_ERROR_STOP=1", url], stdin=subprocess.PIPE, text=True)
    for user_id, count in plan:
        for start in range(0, count, 200):
            rows = [call_row(user_id, now, rng) for _ in range(min(200, count - start))]
            values = ",\n".join("(" + ", ".join(sql_literal(v) for v in row) + ")" for row in rows)
            process.stdin.write(f"INSERT INTO calls ({COLUMNS}) VALUES\n{values};\n")
    process.stdin.write("VACUUM ANALYZE calls;\n")
    process.stdin.close()
    if process.wait() != 0:
        raise SystemExit("psql failed")


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    database = sys.argv[1]
    plan = [(arg.rsplit(":", 1)[0], int(arg.rsplit(":", 1)[1])) for arg in sys.argv[2:]]
    rng = random.Random(20261206)
    if database.startswith("postgres://") or database.startswith("postgresql://"):
        fill_postgres(database, plan, rng)
    else:
        fill_sqlite(database, plan, rng)


if __name__ == "__main__":
    main()
