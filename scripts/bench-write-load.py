#!/usr/bin/env python3
"""Write load on the team server: THREADS client threads share REQUESTS
POST /api/v1/sessions (one customer message each) across the given base URLs,
round robin, each thread on its own kept-alive connection. Prints one JSON
line: requests/s over the whole run and the latency p50/p95 per request.

  bench-write-load.py --key tdk_… --threads 8 --requests 2000 http://127.0.0.1:PORT [...]

Used by scripts/bench-postgres.sh.
"""
import argparse
import http.client
import json
import threading
import time
import urllib.parse


def percentile(samples, p):
    s = sorted(samples)
    k = (len(s) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--key", required=True)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--label", default="")
    ap.add_argument("bases", nargs="+")
    args = ap.parse_args()

    next_request = iter(range(args.requests))
    take = threading.Lock()
    latencies, failures = [], []
    record = threading.Lock()

    def client(index):
        url = urllib.parse.urlsplit(args.bases[index % len(args.bases)])
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        headers = {"Authorization": f"Bearer {args.key}", "Content-Type": "application/json"}
        mine, bad = [], []
        while True:
            with take:
                n = next(next_request, None)
            if n is None:
                break
            body = json.dumps({
                "channel": "web",
                "customer": f"Load Customer {n}",
                "messages": [{"author": "customer", "text": f"Order {n} has not arrived yet"}],
            })
            start = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/sessions", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as e:
                # A dropped keep-alive connection: counted, then a fresh one.
                status = str(e)
                conn.close()
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            ms = (time.perf_counter() - start) * 1000
            if status == 201:
                mine.append(ms)
            else:
                bad.append(status)
        conn.close()
        with record:
            latencies.extend(mine)
            failures.extend(bad)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.threads)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    print(json.dumps({
        "bench": "write_throughput",
        "setup": args.label,
        "servers": len(args.bases),
        "threads": args.threads,
        "requests": args.requests,
        "created": len(latencies),
        "failed": len(failures),
        "failures": sorted({str(f) for f in failures})[:5],
        "seconds": round(seconds, 3),
        "requests_per_s": round(len(latencies) / seconds, 1),
        "latency_ms": {
            "p50": round(percentile(latencies, 50), 3) if latencies else None,
            "p95": round(percentile(latencies, 95), 3) if latencies else None,
        },
    }))


if __name__ == "__main__":
    main()
