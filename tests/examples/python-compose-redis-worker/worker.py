"""A queue worker on redis-py: takes jobs from the Redis list ``jobs`` (REDIS_URL, set by
compose.yaml) and stores each result under ``result:<id>``. It serves no port.

``python worker.py --self-test`` runs one job without Redis (the image check runs it alone).
"""

import hashlib
import json
import os
import sys

import redis


def process(job: dict) -> str:
    """The work itself: count the words of the text and fingerprint it."""
    text = job["text"]
    return f"words={len(text.split())} sha256={hashlib.sha256(text.encode()).hexdigest()[:12]}"


def main() -> None:
    if sys.argv[1:] == ["--self-test"]:
        print(f"self-test {process({'text': 'one two three'})} redis-py {redis.__version__}")
        return
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.ping()
    print("worker ready, waiting on the list jobs", flush=True)
    while True:
        _, raw = client.blpop(["jobs"])
        job = json.loads(raw)
        client.set(f"result:{job['id']}", process(job))
        print(f"done job {job['id']}", flush=True)


if __name__ == "__main__":
    main()
