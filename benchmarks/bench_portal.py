"""The public portal under gunicorn: its home page against a hello-world view, in one run.

    uv run python benchmarks/bench_portal.py [--seconds 10] [--clients 8] [--workers 2]

Initialises a fresh data directory (SQLite, the list loaded), starts gunicorn on a loopback
port with the product's settings and middleware, and drives, interleaved in rounds, four
paths with the same number of concurrent clients for the same time:

- ``/healthz``: a hello-world view through the same gunicorn and middleware (the floor);
- ``/`` : the published list's home page, rendered (its contents cached per version);
- ``/`` with ``If-None-Match``: what a returning browser costs (304, nothing rendered);
- ``/services/``: a smaller page of the list.

Prints requests per second for each and its ratio to the floor. Bounded in time, loopback
only; it stops gunicorn itself. The client runs on the same machine and takes its share of
the cores, so compare ratios, not absolute figures.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drive(port: int, path: str, headers: dict, seconds: float, clients: int) -> tuple[int, int]:
    """(responses, errors) from ``clients`` keep-alive connections hammering ``path``."""
    stop = time.monotonic() + seconds
    counts = [0] * clients
    errors = [0] * clients

    def run(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status in (200, 304):
                    counts[i] += 1
                else:
                    errors[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts), sum(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="per path and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    env = dict(os.environ)
    env["ZEREN_DATA_DIR"] = tempfile.mkdtemp(prefix="zeren-bench-portal-")
    env.pop("DATABASE_URL", None)
    env["PYTHONPATH"] = str(ROOT / "src")
    subprocess.run([sys.executable, "-m", "zeren.cli", "init"], env=env, check=True)
    subprocess.run(
        [sys.executable, "-m", "zeren.cli", "manage", "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
    )
    port = free_port()
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "zeren.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", "/")
        first = conn.getresponse()
        first.read()
        etag = first.getheader("ETag")
        paths = {
            "hello-world /healthz (floor)": ("/healthz", {}),
            "home / (rendered)": ("/", {}),
            "home / (If-None-Match → 304)": ("/", {"If-None-Match": etag or ""}),
            "services /services/": ("/services/", {}),
        }
        totals = dict.fromkeys(paths, 0)
        errors = dict.fromkeys(paths, 0)
        for _ in range(args.rounds):
            for name, (path, headers) in paths.items():
                done, failed = drive(port, path, headers, args.seconds, args.clients)
                totals[name] += done
                errors[name] += failed
        elapsed = args.seconds * args.rounds
        floor = totals["hello-world /healthz (floor)"] / elapsed
        print(
            f"gunicorn {args.workers} workers, {args.clients} clients, "
            f"{args.rounds} rounds × {args.seconds:g} s per path, interleaved"
        )
        for name in paths:
            rate = totals[name] / elapsed
            print(
                f"{name:<32}{rate:>10,.0f} req/s   {rate / floor:>6.2f} × floor"
                f"   errors {errors[name]}"
            )
    finally:
        web.terminate()
        web.wait(timeout=20)


if __name__ == "__main__":
    main()
