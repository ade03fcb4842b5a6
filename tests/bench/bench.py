"""Benchmark over HTTP: starts the product, drives simulated patients, prints figures.

    make bench                      # 20 typing patients + saturation (about 3 minutes)
    python -m tests.bench.bench --patients 1 20 100 --duration 90 --baseline

Typing patients wait --think seconds after each reply before the next message (default 5 s).
Saturation: --closed clients send with no pause for --saturation-seconds; messages per second.
--baseline also trains and measures the bare `rasa init` bot in a temp folder, for a ratio.
Results are printed, not asserted: timings belong here, not in tests.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.stack import ROOT, VENV_BIN, Stack, free_port

SCRIPT = ["hi, botox for my 11s before my wedding in 20 days", "Jordan Lee", "both",
          "I'll bring them", "fish oil and vitamin d", "no", "nope", "n", "no", "no", "no",
          "had botox 5 months ago", "none", "38", "jordan@example.com", "yes"]


class Recorder:
    """Latencies and errors of one run."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.completed = 0

    def summary(self, seconds: float) -> str:
        lat = sorted(self.latencies)
        if not lat:
            return f"no messages, errors {self.errors}"
        q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000  # noqa: E731
        return (f"messages {len(lat)}, {len(lat) / seconds:.1f} msg/s, p50 {q(0.50):.0f} ms, "
                f"p95 {q(0.95):.0f} ms, p99 {q(0.99):.0f} ms, max {lat[-1] * 1000:.0f} ms, "
                f"errors {self.errors}, intakes completed {self.completed}")


async def product_patient(base: str, rec: Recorder, think: float, until: float) -> None:
    """One patient doing whole intakes through the web app until time is up."""
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        while time.monotonic() < until:
            conv = (await http.post("/api/conversations")).json()["conversation_id"]
            for message in SCRIPT:
                if time.monotonic() >= until:
                    return
                began = time.monotonic()
                try:
                    r = await http.post("/webhooks/rest/webhook",
                                        json={"sender": conv, "message": message})
                    ok = r.status_code == 200 and r.json()
                except httpx.HTTPError:
                    ok = False
                rec.latencies.append(time.monotonic() - began)
                rec.errors += 0 if ok else 1
                if think:
                    await asyncio.sleep(think * random.uniform(0.8, 1.2))
            rec.completed += 1


async def bare_patient(base: str, rec: Recorder, think: float, until: float) -> None:
    """One patient chatting with the bare `rasa init` bot over Rasa's REST channel."""
    lines = ["hi", "great", "yes", "bye"]
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        sender = os.urandom(8).hex()
        i = 0
        while time.monotonic() < until:
            began = time.monotonic()
            try:
                r = await http.post("/webhooks/rest/webhook",
                                    json={"sender": sender, "message": lines[i % 4]})
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            rec.latencies.append(time.monotonic() - began)
            rec.errors += 0 if ok else 1
            i += 1
            if think:
                await asyncio.sleep(think * random.uniform(0.8, 1.2))


async def drive(patient, base: str, clients: int, think: float, seconds: float) -> Recorder:
    rec = Recorder()
    until = time.monotonic() + seconds
    tasks = []
    for _ in range(clients):
        tasks.append(asyncio.create_task(patient(base, rec, think, until)))
        await asyncio.sleep(min(think, 5.0) / max(clients, 1))  # staggered arrivals
    await asyncio.gather(*tasks)
    return rec


def measure(label: str, patient, base: str, args) -> dict[str, float]:
    results = {}
    for n in args.patients:
        rec = asyncio.run(drive(patient, base, n, args.think, args.duration))
        print(f"[{label}] {n} typing patients ({args.think:.0f} s think, {args.duration:.0f} s): "
              f"{rec.summary(args.duration)}", flush=True)
        results[f"p95_{n}"] = sorted(rec.latencies)[int(0.95 * len(rec.latencies))] if rec.latencies else 0
    rec = asyncio.run(drive(patient, base, args.closed, 0.0, args.saturation_seconds))
    print(f"[{label}] saturation ({args.closed} clients, no pause, {args.saturation_seconds:.0f} s): "
          f"{rec.summary(args.saturation_seconds)}", flush=True)
    results["saturation"] = len(rec.latencies) / args.saturation_seconds
    return results


def bench_product(args) -> dict[str, float]:
    began = time.monotonic()
    subprocess.run(["bash", "scripts/train.sh"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"[product] training check took {time.monotonic() - began:.0f} s "
          f"(0-2 s when the model is up to date; see `make train` for a full train)")
    stack = Stack()
    try:
        for name in ("actions", "rasa", "web"):
            print(f"[product] {name} ready in {stack.start(name):.1f} s", flush=True)
        results = measure("product", product_patient, stack.web_url, args)
        rss = stack.rss_mb()
        print("[product] memory RSS: " + ", ".join(f"{k} {v:.0f} MB" for k, v in rss.items())
              + f"; total {sum(rss.values()):.0f} MB")
        return results
    finally:
        stack.stop_all()


def bench_bare(args) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="bare-rasa-"))
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    began = time.monotonic()
    subprocess.run([str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(work)],
                   cwd=work, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    print(f"[bare rasa init] trained in {time.monotonic() - began:.0f} s")
    port = free_port()
    proc = subprocess.Popen([str(VENV_BIN / "rasa"), "run", "-i", "127.0.0.1", "-p", str(port)],
                            cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        began = time.monotonic()
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        print(f"[bare rasa init] ready in {time.monotonic() - began:.1f} s")
        return measure("bare rasa init", bare_patient, f"http://127.0.0.1:{port}", args)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, nargs="+", default=[20])
    parser.add_argument("--think", type=float, default=5.0)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--closed", type=int, default=8)
    parser.add_argument("--saturation-seconds", type=float, default=30.0)
    parser.add_argument("--baseline", action="store_true", help="also measure the bare rasa init bot")
    args = parser.parse_args(argv)
    ours = bench_product(args)
    if args.baseline:
        bare = bench_bare(args)
        print(f"[ratio] saturation product / bare = {ours['saturation'] / bare['saturation']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
