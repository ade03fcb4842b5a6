"""Where one message's time goes: web app, Rasa, action server, and a profile of the action.

    python -m tests.bench.breakdown      # starts the product; one intake per persona each way

Sequential, one patient at a time, with the benchmark's intakes (tests/bench/patients.py):
1. through the web app (the patient's path), with CPU per message of each process;
2. the same messages straight to Rasa's channel (no web app);
3. the action server alone, called with the end-of-intake tracker (the heaviest call);
4. cProfile of that action call run in this process: the functions that take the time.
"""
from __future__ import annotations

import asyncio
import cProfile
import io
import json
import os
import pstats
import statistics
import time

import httpx

from tests.bench.bench import Run, one_intake
from tests.bench.bots import Product, cpu_seconds
from tests.bench.patients import PERSONAS, IntakePlay, PatientValues


def _p(values: list[float]) -> str:
    ordered = sorted(values)
    return (f"p50 {statistics.median(ordered):.0f} ms, p95 "
            f"{ordered[min(len(ordered) - 1, int(len(ordered) * .95))]:.0f} ms ({len(ordered)})")


def to_rasa(http: httpx.Client, stack, sender: str, text: str) -> httpx.Response:
    """One message straight to Rasa's webapp channel, signed as the web app signs it."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    return http.post(f"{stack.rasa_url}/webhooks/webapp/webhook", content=body,
                     headers=stack.channel_headers(body))


def tracker_of(http: httpx.Client, stack, sender: str) -> dict:
    """Rasa's tracker of one conversation, through its HTTP API (a JWT in Authorization)."""
    response = http.get(f"{stack.rasa_url}/conversations/{sender}/tracker",
                        headers=stack.rasa_api_headers())
    response.raise_for_status()
    return response.json()


def profile_action(body: dict, top: int = 14) -> str:
    """cProfile of validate_intake_form run in this process on `body`; the top functions."""
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    asyncio.run(executor.run(body))  # warm: first-use imports
    profile = cProfile.Profile()
    began = time.perf_counter()
    profile.enable()
    for _ in range(20):
        asyncio.run(executor.run(body))
    profile.disable()
    per_call = (time.perf_counter() - began) * 1000 / 20
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(top)
    return f"in-process: {per_call:.1f} ms per call (20 calls, profiled)\n" + out.getvalue()


def main() -> int:
    """Print sequential latency and CPU per hop, then the action's profile."""
    product = Product(train=False)
    try:
        product.start()
        stack, pids = product.stack, product.pids()
        messages: list[list[str]] = []
        web = Run("web")
        cpu_before = {k: cpu_seconds(pid) for k, pid in pids.items()}
        for round_ in range(2):  # the first round warms up (first-use imports) and is not counted
            run = web if round_ else Run("warm-up")
            for number, persona in enumerate(PERSONAS):
                play = IntakePlay(persona, PatientValues.for_index(1000 * round_ + number))

                async def go() -> None:
                    async with httpx.AsyncClient(base_url=product.base_url, timeout=120) as http:
                        await one_intake(product, http, play, run, 0)

                asyncio.run(go())
                messages.append(play.sent)
            if not round_:
                cpu_before = {k: cpu_seconds(pid) for k, pid in pids.items()}
        cpu = {k: (cpu_seconds(pid) - cpu_before[k]) * 1000 / len(web.latencies)
               for k, pid in pids.items()}
        http, rasa = httpx.Client(timeout=120), []
        for number, sent in enumerate(messages[len(PERSONAS):]):
            for text in sent:
                began = time.perf_counter()
                to_rasa(http, stack, f"direct-{number}", text).raise_for_status()
                rasa.append((time.perf_counter() - began) * 1000)
        tracker = tracker_of(http, stack, "direct-0")
        body = {"next_action": "validate_intake_form", "sender_id": "direct-0",
                "tracker": tracker, "domain": {}, "version": "3.6.21"}
        headers = stack.action_headers()
        actions = []
        for _ in range(20):
            began = time.perf_counter()
            http.post(f"http://127.0.0.1:{stack.ports['actions']}/webhook", json=body,
                      headers=headers)
            actions.append((time.perf_counter() - began) * 1000)
        print(f"through the web app: {_p([s * 1000 for s in web.latencies])}; CPU ms per "
              "message: " + ", ".join(f"{k} {v:.0f}" for k, v in cpu.items()))
        print(f"straight to Rasa:    {_p(rasa)}")
        print(f"action server call (end-of-intake tracker, {len(json.dumps(tracker)) // 1024} KB, "
              f"{len(tracker['events'])} events): {_p(actions)}")
        os.environ["INTAKE_DB"] = stack.env["INTAKE_DB"]  # the action saves: to the stack's store
        print(profile_action(body))
    finally:
        product.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
