#!/usr/bin/env python3
"""Generate the demo's telemetry (python3 stdlib only, deterministic): telemetry.jsonl beside the
demo storm in jobs/src/main/resources/demo/ (or --out DIR), one MetricPoint JSON object per line,
sorted by timestamp, one point per series per minute.

The series start a day before the storm (02:00 UTC on 2026-11-02), because the anomaly stage
raises nothing for a series younger than its minHistory (1 day by default). Two of them tell a
story:
  users-pg    pg_connections climbs from ~40 to ~95 from 01:59, three minutes before the first
              threshold alert of the storm (PostgresConnectionsNearLimit, 02:02:25), and falls
              back from 02:07 when users-svc sheds load: the anomaly opens the users-pg
              incident early and resolves before the threshold alerts do.
  payments-gateway psp_request_p99_ms jumps from ~180 ms to ~900 ms from 02:33 to 02:41: no
              threshold alert exists for it, so this incident is telemetry-driven only.
The others (checkout-api request rate with a daily cycle, search-es heap) stay normal.

  python3 benchmarks/scenarios/make_demo_telemetry.py           # (re)write the file
  python3 benchmarks/scenarios/make_demo_telemetry.py --check   # exit 1 if it is stale
"""
import argparse
import json
import math
import os
import random
import sys
from datetime import datetime, timedelta, timezone

SEED = 20261123
STORM = datetime(2026, 11, 2, 2, 0, 0, tzinfo=timezone.utc)
START = STORM - timedelta(days=1, minutes=10)
END = STORM + timedelta(minutes=58)
STEP = timedelta(minutes=1)
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_OUT = os.path.join(ROOT, "jobs", "src", "main", "resources", "demo")


def minutes(t, hh, mm):
    """Minutes of t after hh:mm on the storm's day (negative before)."""
    return (t - STORM.replace(hour=hh, minute=mm)).total_seconds() / 60


def pg_connections(t, rnd):
    base = 40 + 3 * math.sin(2 * math.pi * (t.hour * 60 + t.minute) / 1440) + rnd.gauss(0, 1.5)
    up = minutes(t, 1, 59)
    down = minutes(t, 2, 7)
    if 0 <= up and down < 0:
        return base + min(55, 55 * up / 4)  # climbs to the pool limit in four minutes
    if 0 <= down < 3:
        return base + 55 * (1 - down / 3)
    return base


def psp_p99(t, rnd):
    v = 180 + rnd.gauss(0, 12)
    if 0 <= minutes(t, 2, 33) and minutes(t, 2, 41) < 0:
        v += 720 + rnd.gauss(0, 40)
    return v


def checkout_rate(t, rnd):
    day = 2 * math.pi * (t.hour * 60 + t.minute) / 1440
    return 1200 + 500 * math.sin(day - math.pi / 2) + rnd.gauss(0, 25)


def search_heap(t, rnd):
    return 0.62 + rnd.gauss(0, 0.015)


SERIES = [
    ("pg_connections", {"service": "users-pg", "cluster": "prod-shop-1", "instance": "users-pg-0"}, pg_connections),
    ("psp_request_p99_ms", {"service": "payments-gateway", "cluster": "prod-shop-1"}, psp_p99),
    ("http_requests_per_second", {"service": "checkout-api", "cluster": "prod-shop-1"}, checkout_rate),
    ("jvm_heap_used_ratio", {"service": "search-es", "cluster": "prod-search-1", "instance": "search-es-data-1"}, search_heap),
]


def lines():
    rnd = random.Random(SEED)
    out = []
    t = START
    while t <= END:
        ms = int(t.timestamp() * 1000)
        for metric, labels, shape in SERIES:
            out.append(json.dumps({"metric": metric, "labels": labels,
                                   "value": round(shape(t, rnd), 4), "timestamp": ms},
                                  separators=(",", ":"), sort_keys=True))
        t += STEP
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default=DEFAULT_OUT)
    p.add_argument("--check", action="store_true")
    a = p.parse_args()
    path = os.path.join(a.out, "telemetry.jsonl")
    text = lines()
    if a.check:
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                print(path + " is stale: run " + sys.argv[0], file=sys.stderr)
                sys.exit(1)
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote " + path + " (" + str(text.count("\n")) + " points)")


if __name__ == "__main__":
    main()
