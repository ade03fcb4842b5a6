"""Where one message's time goes: through the web app vs straight to Rasa vs the action server.

    python -m tests.bench.breakdown      # starts the product, sends 3 scripted intakes each way
"""
from __future__ import annotations

import json
import statistics
import time

import httpx

from tests.bench.bench import SCRIPT
from tests.stack import ChatClient, Stack


def _p(values: list[float]) -> str:
    return f"p50 {statistics.median(values):.0f} ms, p95 {sorted(values)[int(len(values) * .95)]:.0f} ms"


def main() -> int:
    """Print sequential latency per hop."""
    stack = Stack()
    stack.start_all()
    try:
        for message in SCRIPT:  # warm-up: first-use imports in the action server
            ChatClient(stack.web_url).say(message)
        web, rasa, http = [], [], httpx.Client(timeout=60)
        for run in range(3):
            chat = ChatClient(stack.web_url)
            for message in SCRIPT:
                began = time.perf_counter()
                chat.say(message)
                web.append((time.perf_counter() - began) * 1000)
            for message in SCRIPT:
                began = time.perf_counter()
                http.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                          json={"sender": f"direct-{run}", "message": message})
                rasa.append((time.perf_counter() - began) * 1000)
        tracker = http.get(f"{stack.rasa_url}/conversations/direct-0/tracker",
                           params={"token": stack.rasa_token}).json()
        body = {"next_action": "validate_intake_form", "sender_id": "direct-0",
                "tracker": tracker, "domain": {}, "version": "3.6.21"}
        actions = []
        for _ in range(20):
            began = time.perf_counter()
            http.post(f"http://127.0.0.1:{stack.ports['actions']}/webhook", json=body)
            actions.append((time.perf_counter() - began) * 1000)
        print(f"through the web app: {_p(web)}")
        print(f"straight to Rasa:    {_p(rasa)}")
        print(f"action server call (end-of-intake tracker, {len(json.dumps(tracker)) // 1024} KB, "
              f"{len(tracker['events'])} events): {_p(actions)}")
    finally:
        stack.stop_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
