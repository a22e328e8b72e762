#!/usr/bin/env python3
"""Registers COUNT fresh users on a running Switchboard and writes one JWT per line.

Usage: register.py BASE_URL COUNT TOKENS_FILE [PREFIX]
Standard library only. Registration hashes the password (Argon2, interactive limits) on the
server's worker pool, so two requests run at a time.
"""
import json
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def register(base, email):
    body = json.dumps({"email": email, "password": "bench-password-123"}).encode()
    req = urllib.request.Request(base + "/api/auth/register", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            if resp.status != 201:
                raise SystemExit(f"register {email}: HTTP {resp.status}")
            return json.load(resp)["token"]
    except urllib.error.HTTPError as error:
        raise SystemExit(f"register {email}: HTTP {error.code} {error.read().decode(errors='replace')}")


def main():
    if len(sys.argv) not in (4, 5):
        raise SystemExit(__doc__)
    base, count, out = sys.argv[1].rstrip("/"), int(sys.argv[2]), sys.argv[3]
    prefix = sys.argv[4] if len(sys.argv) == 5 else "operator"
    emails = [f"{prefix}-{i:03d}@bench.example" for i in range(1, count + 1)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        tokens = list(pool.map(lambda email: register(base, email), emails))
    with open(out, "w") as file:
        file.write("\n".join(tokens) + "\n")


if __name__ == "__main__":
    main()
