"""Benchmark over HTTP: the product beside a fair baseline and bare `rasa init`, same messages.

    make bench       # = python -m tests.bench.bench (all three bots, 1 / 20 / 100 patients)
    python -m tests.bench.bench --bots product fair --patients 1 5 --think 1 --no-train

Each typing patient does one whole intake (tests/bench/patients.py: read-back, correction and
submit included), waiting --think seconds (±20 %) after each reply; arrivals are spread over the
first think time. Saturation: --closed patients doing intakes back to back with no pause for
--saturation-seconds. For each bot: training time (full, with an empty cache), seconds to ready,
latency per message, completed intakes, errors, lost answers (product: the stored summary
against what was sent), CPU per message and memory of every process. Figures are printed, not
asserted: the machine may be shared (the load average is printed with each run).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

from tests.bench.bots import BareRasa, Bot, FairBaseline, Product, cpu_seconds, memory_mb
from tests.bench.patients import (PERSONAS, IntakePlay, PatientValues, Replay, lost_answers,
                                  messages_for, persona_of)

BOTS = {"product": Product, "fair": FairBaseline, "bare": BareRasa}


@dataclass
class Run:
    """What one load level gave: latencies, intakes, errors, CPU."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: Counter = field(default_factory=Counter)
    retries: int = 0  # requests sent again on a fresh connection, as a browser does
    started: int = 0
    completed: int = 0
    lost: int = 0
    lost_detail: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    load: float = 0.0

    def pct(self, p: float) -> float:
        lat = sorted(self.latencies)
        return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        cpu = ", ".join(f"{k} {v * 1000 / max(len(self.latencies), 1):.0f}"
                        for k, v in self.cpu.items())
        return (f"{len(self.latencies)} messages in {self.seconds:.0f} s ({self.rate:.1f} msg/s), "
                f"p50 {self.pct(.5):.0f} ms, p95 {self.pct(.95):.0f} ms, p99 {self.pct(.99):.0f} ms, "
                f"max {self.pct(1):.0f} ms; intakes completed {self.completed}/{self.started}; "
                f"errors {self.errors} {dict(self.error_kinds) or ''}; retried on a fresh "
                f"connection {self.retries}; lost answers {self.lost}; CPU ms/message: {cpu}; "
                f"load average {self.load:.1f}")


class Patients:
    """Makes each patient's intake for one bot: adaptive on the product, a replay elsewhere."""

    def __init__(self, bot: Bot, asked: dict[str, list[str]]) -> None:
        self.bot, self.asked = bot, asked

    def play(self, index: int):
        if self.bot.checks_answers:
            return IntakePlay(persona_of(index), PatientValues.for_index(index))
        return Replay(messages_for(self.asked, index))


async def send(run: Run, call):
    """Await call(); once more if the server had just closed the kept-alive connection.

    Browsers resend a request that failed this way; without it, a think time close to the
    server's keep-alive timeout (5 s for uvicorn and Sanic) loses messages on the client side.
    """
    try:
        return await call()
    except httpx.RemoteProtocolError:
        run.retries += 1
        return await call()


def failed(run: Run, kind: str) -> None:
    run.errors += 1
    run.error_kinds[kind] += 1


async def one_intake(bot: Bot, http: httpx.AsyncClient, play, run: Run, think: float,
                     until: float | None = None) -> str | None:
    """Play one intake to its end (or until `until`); returns the conversation id if completed."""
    run.started += 1
    try:
        conversation = await send(run, lambda: bot.open(http))
    except httpx.HTTPError as error:
        failed(run, f"open: {type(error).__name__}")
        return None
    replies = None
    while (message := play.next_message(replies)) is not None:
        if until is not None and time.monotonic() > until:
            run.started -= 1  # cut off by the end of the window: not an intake that failed
            return None
        began = time.monotonic()
        try:
            ok, replies = await send(run, lambda: bot.say(http, conversation, message))
            kind = "no reply"
        except httpx.HTTPError as error:
            ok, replies, kind = False, [], type(error).__name__
        run.latencies.append(time.monotonic() - began)
        play.sent.append(message)
        if not ok:
            failed(run, kind)
        if think:
            await asyncio.sleep(think * random.uniform(0.8, 1.2))
    if play.completed:
        run.completed += 1
        return conversation
    failed(run, "intake not completed")
    if getattr(play, "off_script", None) and len(run.lost_detail) < 10:
        run.lost_detail.append(f"off script: {play.off_script}")
    return None


async def typing_patients(bot: Bot, patients: Patients, n: int, think: float, first: int,
                          run: Run) -> list[tuple[int, str]]:
    """n patients, one whole intake each, arrivals spread over one think time."""
    async def patient(index: int) -> tuple[int, str | None]:
        async with httpx.AsyncClient(base_url=bot.base_url, timeout=300) as http:
            return index, await one_intake(bot, http, patients.play(index), run, think)

    tasks = []
    for i in range(n):
        tasks.append(asyncio.create_task(patient(first + i)))
        await asyncio.sleep(think / n if think else 0)
    return [(i, c) for i, c in await asyncio.gather(*tasks) if c]


async def closed_loop(bot: Bot, patients: Patients, clients: int, seconds: float, first: int,
                      run: Run) -> list[tuple[int, str]]:
    """`clients` patients with no pause, intake after intake, for `seconds`."""
    until = time.monotonic() + seconds
    done: list[tuple[int, str]] = []
    counter = iter(range(first, first + 10**6))

    async def client() -> None:
        async with httpx.AsyncClient(base_url=bot.base_url, timeout=300) as http:
            while time.monotonic() < until:
                index = next(counter)
                conversation = await one_intake(bot, http, patients.play(index), run, 0, until)
                if conversation:
                    done.append((index, conversation))

    await asyncio.gather(*(client() for _ in range(clients)))
    return done


async def closed_loop_once(bot: Bot, patients: Patients, run: Run) -> list[tuple[int, str]]:
    """One intake per persona, one after the other, with no pause (a warm-up)."""
    async with httpx.AsyncClient(base_url=bot.base_url, timeout=300) as http:
        for number in range(len(PERSONAS)):
            await one_intake(bot, http, patients.play(10**7 + number), run, 0)
    return []


def measured(bot: Bot, name: str, coroutine_factory) -> tuple[Run, list[tuple[int, str]]]:
    """Run one level and record its wall time, CPU per process and load average."""
    run = Run(name)
    cpu_before = {k: cpu_seconds(pid) for k, pid in bot.pids().items()}
    began = time.monotonic()
    done = asyncio.run(coroutine_factory(run))
    run.seconds = time.monotonic() - began
    run.cpu = {k: cpu_seconds(pid) - cpu_before[k] for k, pid in bot.pids().items()}
    run.load = os.getloadavg()[0]
    if bot.checks_answers:
        for index, conversation in done:
            lost = lost_answers(bot.summary(conversation), persona_of(index),
                                PatientValues.for_index(index))
            run.lost += len(lost)
            if lost:
                run.lost_detail.append(f"lost: patient {index} ({persona_of(index).id}): {lost}")
    return run, done


def calibrate(product: Product) -> dict[str, list[str]]:
    """One unhurried intake per persona on the product: the questions asked (and a warm-up)."""
    asked: dict[str, list[str]] = {}
    for number, persona in enumerate(PERSONAS):
        index = 10**7 + number  # values of their own, outside the measured patients
        run = Run("calibration")
        play = IntakePlay(persona, PatientValues.for_index(index))

        async def go() -> str | None:
            async with httpx.AsyncClient(base_url=product.base_url, timeout=300) as http:
                return await one_intake(product, http, play, run, 0)

        conversation = asyncio.run(go())
        lost = lost_answers(product.summary(conversation), persona,
                            PatientValues.for_index(index)) if conversation else ["not completed"]
        print(f"[product] calibration {persona.id}: {len(play.sent)} messages, asked "
              f"{' '.join(play.asked)}" + (f"; DIFFERS: {lost} {play.off_script or ''}"
                                           if lost else "; summary holds every answer"),
              flush=True)
        asked[persona.id] = play.asked
    return asked


def bench_bot(bot: Bot, args, asked: dict[str, list[str]] | None) -> dict:
    """Start a bot, run every level, return its figures; always stops it."""
    out: dict = {"training": bot.training, "runs": {}, "checks_answers": bot.checks_answers}
    try:
        bot.start()
        out["ready"] = dict(bot.ready)
        print(f"[{bot.label}] ready: " + ", ".join(f"{k} {v:.1f} s" for k, v in bot.ready.items()),
              flush=True)
        if isinstance(bot, Product):
            asked = calibrate(bot)  # also the warm-up: first-use imports happen here
            out["asked"] = asked
        patients = Patients(bot, asked)
        if not isinstance(bot, Product):  # the same warm-up: one intake per persona
            measured(bot, "warm-up", lambda r: closed_loop_once(bot, patients, r))
        first = 0
        for n in args.patients:
            run, _ = measured(bot, f"{n} typing", lambda r, n=n, f=first: typing_patients(
                bot, patients, n, args.think, f, r))
            first += n
            out["runs"][n] = run
            print(f"[{bot.label}] {n} typing patients ({args.think:g} s think): {run.line()}",
                  flush=True)
            for detail in run.lost_detail[:10]:
                print(f"[{bot.label}]   {detail}")
        if args.saturation_seconds > 0:
            run, _ = measured(bot, "saturation", lambda r: closed_loop(
                bot, patients, args.closed, args.saturation_seconds, 10**6, r))
            out["runs"]["saturation"] = run
            print(f"[{bot.label}] saturation ({args.closed} patients, no pause): {run.line()}",
                  flush=True)
        out["memory"] = {k: memory_mb(pid) for k, pid in bot.pids().items()}
        print(f"[{bot.label}] memory (MB, now / peak): " + ", ".join(
            f"{k} {now:.0f} / {peak:.0f}" for k, (now, peak) in out["memory"].items()), flush=True)
        return out
    finally:
        bot.stop()


def cell(fig: dict | None, key) -> str:
    if not fig or key not in fig["runs"]:
        return "—"
    run = fig["runs"][key]
    lost = f", lost answers {run.lost}" if fig["checks_answers"] else ""
    if key == "saturation":
        return (f"**{run.rate:.1f} msg/s** (p95 {run.pct(.95):.0f} ms), intakes {run.completed}, "
                f"errors {run.errors}{lost}")
    retried = f", resent {run.retries}" if run.retries else ""
    return (f"p50 {run.pct(.5):.0f} / p95 {run.pct(.95):.0f} ms, intakes "
            f"{run.completed}/{run.started}, errors {run.errors}{lost}{retried}")


def table(figures: dict[str, dict], args) -> str:
    """The three-way Markdown table."""
    names = [n for n in ("product", "fair", "bare") if n in figures]
    heads = {"product": "this product", "fair": "fair baseline", "bare": "bare `rasa init`"}
    rows = [f"| | {' | '.join(heads[n] for n in names)} |", "|---" * (len(names) + 1) + "|"]
    for n in args.patients:
        rows.append(f"| {n} typing patient{'s' if n > 1 else ''} | "
                    + " | ".join(cell(figures[b], n) for b in names) + " |")
    rows.append(f"| saturation ({args.closed}, no pause) | "
                + " | ".join(cell(figures[b], "saturation") for b in names) + " |")

    def cpu(fig: dict) -> str:
        runs = [r for r in fig["runs"].values()]
        messages = sum(len(r.latencies) for r in runs) or 1
        per = {}
        for r in runs:
            for k, v in r.cpu.items():
                per[k] = per.get(k, 0) + v
        return ", ".join(f"{k} {v * 1000 / messages:.0f}" for k, v in per.items()) + \
            f" (total {sum(per.values()) * 1000 / messages:.0f})"

    rows.append("| CPU ms per message | " + " | ".join(cpu(figures[b]) for b in names) + " |")
    rows.append("| memory RSS now / peak (MB) | " + " | ".join(", ".join(
        f"{k} {a:.0f}/{p:.0f}" for k, (a, p) in figures[b].get("memory", {}).items())
        + f" (total {sum(a for a, _ in figures[b].get('memory', {}).values()):.0f})"
        for b in names) + " |")
    rows.append("| time to ready | " + " | ".join(", ".join(
        f"{k} {v:.1f} s" for k, v in figures[b].get("ready", {}).items()) for b in names) + " |")
    rows.append("| load average after each run | " + " | ".join(" / ".join(
        f"{r.load:.1f}" for r in figures[b]["runs"].values()) for b in names) + " |")
    rows.append("| training (full, empty cache) | " + " | ".join(
        f"{figures[b]['training']:.0f} s" if figures[b].get("training") is not None
        else "not timed (--no-train)" for b in names) + " |")
    return "\n".join(rows)


def aims(figures: dict[str, dict], args) -> list[str]:
    """The issue's aims, met or missed, when the product and the fair baseline both ran."""
    if "product" not in figures or "fair" not in figures:
        return []
    ours, fair = figures["product"]["runs"], figures["fair"]["runs"]
    lines = []
    level = 20 if 20 in ours else args.patients[-1]
    if level in ours and level in fair:
        ratio = ours[level].pct(.95) / fair[level].pct(.95)
        lines.append(f"p95 at {level} typing patients: product / fair baseline = {ratio:.2f} "
                     f"(aim <= 1.2: {'met' if ratio <= 1.2 else 'MISSED'})")
    if "saturation" in ours and "saturation" in fair:
        ratio = ours["saturation"].rate / fair["saturation"].rate
        lines.append(f"saturation: product / fair baseline = {ratio:.2f} "
                     f"(aim >= 0.9: {'met' if ratio >= 0.9 else 'MISSED'})")
    if "bare" in figures:
        bare = figures["bare"]["runs"]
        if level in bare and "saturation" in bare and "saturation" in ours:
            lines.append(f"beside bare rasa init: p95 at {level} x"
                         f"{ours[level].pct(.95) / bare[level].pct(.95):.2f}, saturation x"
                         f"{ours['saturation'].rate / bare['saturation'].rate:.2f}")
    top = max(args.patients)
    run = ours[top]
    ok = run.errors == 0 and run.lost == 0 and run.completed == run.started
    lines.append(f"{top} typing patients on the product: errors {run.errors}, lost answers "
                 f"{run.lost}, intakes completed {run.completed}/{run.started} "
                 f"(aim 0 / 0 / all: {'met' if ok else 'MISSED'})")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Train, start and measure each bot in turn; print the three-way table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bots", nargs="+", choices=list(BOTS), default=list(BOTS))
    parser.add_argument("--patients", type=int, nargs="+", default=[1, 20, 100])
    parser.add_argument("--think", type=float, default=5.0)
    parser.add_argument("--closed", type=int, default=8)
    parser.add_argument("--saturation-seconds", type=float, default=60.0)
    parser.add_argument("--no-train", action="store_true",
                        help="use models/intake.tar.gz for the product instead of training it")
    args = parser.parse_args(argv)
    if "product" not in args.bots:
        parser.error("the baselines replay the messages the product asked for: include product")
    print(f"bench: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start; "
          f"bots {' '.join(args.bots)}; patients {args.patients}; think {args.think:g} s; "
          f"saturation {args.closed} patients x {args.saturation_seconds:g} s", flush=True)
    # Train all first, so no bot is measured while another trains.
    bots = {}
    for name in [n for n in BOTS if n in args.bots]:  # the product first: it calibrates
        began = time.monotonic()
        bots[name] = Product(train=not args.no_train) if name == "product" else BOTS[name]()
        print(f"[{bots[name].label}] trained in {time.monotonic() - began:.0f} s"
              if bots[name].training is not None else f"[{bots[name].label}] not trained (--no-train)",
              flush=True)
    figures: dict[str, dict] = {}
    asked = None
    try:
        for name, bot in bots.items():
            figures[name] = bench_bot(bot, args, asked)
            asked = figures[name].get("asked", asked)
    finally:
        for bot in bots.values():
            bot.stop()
    print("\n" + table(figures, args))
    for line in aims(figures, args):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
