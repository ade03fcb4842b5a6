"""Conversation simulator: scripted patients (tests/sim/patients.yml) talk to the assistant.

The driver reads the bot's replies the way a patient would: it recognises which question was
asked from the domain's question texts, answers from the script, and at the end compares the
stored summary's flags and recommendation with what the script expects.

    python -m tests.sim.simulator            # starts the product and plays every patient over HTTP
    python -m tests.sim.simulator --url http://127.0.0.1:8000 --token TOKEN   # a running product
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Awaitable, Callable

import yaml

ROOT = Path(__file__).resolve().parents[2]
PATIENTS = Path(__file__).with_name("patients.yml")
SPANISH_PATIENTS = Path(__file__).with_name("patients_es.yml")  # language, defaults, patients
DEFAULTS = {
    "name": "Jane Doe", "concerns": "crow's feet when I smile", "concern_timing": "both",
    "photos": "I'll bring them", "medications": "none", "pregnancy": "no", "breastfeeding": "no",
    "trying_to_conceive": "no", "neuromuscular": "no", "breathing": "no", "skin_infection": "no",
    "event": "no", "event_date": "not sure", "prior_treatment": "no, first time",
    "prior_treatment_date": "can't remember", "allergies": "none", "age": "34",
    "contact": "jane@example.com", "confirm": "yes",
}
SAFETY = ("defer", "review")


def responses() -> list[dict]:
    """The domain's responses and those of every language catalogue (same names)."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    catalogues = [yaml.safe_load(p.read_text(encoding="utf-8"))["responses"]
                  for p in sorted((ROOT / "bot" / "catalogue").glob("responses.*.yml"))]
    return [domain, *catalogues]


def question_texts() -> list[tuple[str, str]]:
    """(opening words, question) for every question text in every language, longest first."""
    pairs = []
    for table in responses():
        for name, variants in table.items():
            if name.startswith("utter_ask_") and name[10:] in DEFAULTS:
                for variant in variants:
                    pairs.append((variant["text"].split("{")[0][:40], name[10:]))
    return sorted(pairs, key=lambda p: -len(p[0]))


def confirmation_texts() -> list[tuple[str, str]]:
    """(words after the patient's quoted words, "confirm_<topic>") for every check of a reading
    ("You wrote "..." Just so I have it right: are you ...?"), in every language."""
    pairs = []
    for table in responses():
        for name, variants in table.items():
            if name.startswith("utter_confirm_"):
                for variant in variants:
                    pairs.append((variant["text"].split("}")[-1][:40], name[6:]))
    return pairs


QUESTIONS = question_texts()
CONFIRMATIONS = confirmation_texts()
# What a patient says to a check of a reading unless the script says otherwise: they meant
# their answer (a hedged no is a no), and they don't know what an unknown medicine is for.
CONFIRM_DEFAULTS = {"en": ("no", "not sure"), "es": ("no", "no lo sé")}
# The first words of "your answers have been sent", in every language.
SENT = tuple(table["utter_submitted"][0]["text"][:40] for table in responses())


def question_in(replies: list[str]) -> str | None:
    """The question the last reply asks, or None."""
    for text in reversed(replies):
        for opening, question in QUESTIONS:
            if opening and text.startswith(opening):
                return question
        for tail, check in CONFIRMATIONS:
            if tail and tail in text:
                return check
    return None


@dataclass
class Result:
    """What one simulated patient ended with."""

    id: str
    completed: bool
    turns: int
    flags: dict[str, str] = field(default_factory=dict)
    recommendation: str | None = None
    expected: list[str] = field(default_factory=list)
    expected_recommendation: str | None = None
    error: str | None = None


async def play(script: dict, say: Callable[[str], Awaitable[list[str]]],
               fetch: Callable[[], Awaitable[dict | None]], severities: dict[str, str]
               ) -> Result:
    """Play one scripted patient; returns the outcome."""
    answers = {**(script.get("defaults") or DEFAULTS), **(script.get("answers") or {})}
    at_confirm = list(script.get("at_confirm") or [])
    side, side_at = script.get("side"), script.get("side_at")
    result = Result(id=script["id"], completed=False, turns=0,
                    expected=list(script.get("expect_flags") or []),
                    expected_recommendation=script.get("expect_recommendation"))
    replies = await say(script.get("first") or "hi")
    result.turns = 1
    for _ in range(60):
        if any(r.startswith(SENT) for r in replies):
            result.completed = True
            break
        question = question_in(replies)
        if question is None:
            result.error = f"no question recognised in {replies!r}"
            break
        if question == side_at and side:
            message, side = side, None
        elif question == "confirm" and at_confirm:
            message = at_confirm.pop(0)
        elif question.startswith("confirm_") and question not in answers:
            plain_no, unknown = CONFIRM_DEFAULTS[script.get("language", "en")]
            message = unknown if question == "confirm_medications" else plain_no
        else:
            message = answers[question]
        replies = await say(message)
        result.turns += 1
    summary = await fetch()
    if summary:
        result.flags = {f["code"]: f["severity"] for f in summary["flags"]}
        result.recommendation = summary["recommendation"]
    return result


def report(results: list[Result], severities: dict[str, str]) -> dict[str, float]:
    """Print and return safety recall, false alarms, recommendation accuracy, completion."""
    expected = found = false_alarms = advisory_misses = 0
    for r in results:
        want = {c for c in r.expected if severities[c] in SAFETY}
        got = {c for c, s in r.flags.items() if s in SAFETY}
        expected += len(want)
        found += len(want & got)
        false_alarms += len(got - want)
        advisory_misses += len({c for c in r.expected if severities[c] not in SAFETY}
                               ^ {c for c, s in r.flags.items() if s not in SAFETY})
        if want != got or r.recommendation != r.expected_recommendation or not r.completed:
            print(f"  MISMATCH {r.id}: expected {sorted(r.expected)} / {r.expected_recommendation}, "
                  f"got {sorted(r.flags)} / {r.recommendation}"
                  + (f" ({r.error})" if r.error else "") + ("" if r.completed else " [not completed]"))
    n = len(results)
    figures = {
        "patients": n,
        "safety_recall": found / expected if expected else 1.0,
        "false_alarms": false_alarms,
        "advisory_differences": advisory_misses,
        "recommendation_accuracy": sum(r.recommendation == r.expected_recommendation
                                       for r in results) / n,
        "completion_rate": sum(r.completed for r in results) / n,
        "turns_per_intake": sum(r.turns for r in results) / n,
        "median_turns": statistics.median(r.turns for r in results),
    }
    print(f"patients {n}; safety recall (defer+review found/expected) {found}/{expected} = "
          f"{figures['safety_recall']:.3f}; false alarms {false_alarms}; advisory differences "
          f"{advisory_misses}; recommendation accuracy {figures['recommendation_accuracy']:.3f}; "
          f"completion {figures['completion_rate']:.3f}; turns per intake "
          f"{figures['turns_per_intake']:.1f} (median {figures['median_turns']:g})")
    return figures


def load_scripts() -> list[dict]:
    """The scripted patients: English (patients.yml), then Spanish (patients_es.yml), each
    Spanish one carrying the file's defaults and language."""
    english = [{**s, "language": "en"} for s in yaml.safe_load(PATIENTS.read_text())]
    spanish = yaml.safe_load(SPANISH_PATIENTS.read_text(encoding="utf-8"))
    return english + [{**s, "language": spanish["language"], "defaults": spanish["defaults"]}
                      for s in spanish["patients"]]


async def run_http(url: str, token: str) -> list[Result]:
    """Play every script through the web app's chat endpoint; read summaries from the staff API."""
    import httpx

    from bot.screening import DEFAULT_SEVERITIES
    severities = {c: s.value for c, s in DEFAULT_SEVERITIES.items()}
    results = []
    async with httpx.AsyncClient(base_url=url, timeout=60) as staff:
        staff.headers["Authorization"] = f"Bearer {token}"
        for script in load_scripts():
            async with httpx.AsyncClient(base_url=url, timeout=60) as http:
                conv = (await http.post("/api/conversations")).json()["conversation_id"]

                async def say(text: str) -> list[str]:
                    r = await http.post("/webhooks/rest/webhook",
                                        json={"sender": conv, "message": text})
                    return [m.get("text", "") for m in r.json()]

                async def fetch() -> dict | None:
                    r = await staff.get(f"/api/intakes/{conv}")
                    return r.json() if r.status_code == 200 else None

                results.append(await play(script, say, fetch, severities))
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the simulator over HTTP and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a running web app; default: start the product")
    parser.add_argument("--token", help="staff API token for --url")
    args = parser.parse_args(argv)
    from bot.screening import DEFAULT_SEVERITIES
    severities = {c: s.value for c, s in DEFAULT_SEVERITIES.items()}
    if args.url:
        results = asyncio.run(run_http(args.url, args.token))
    else:
        from tests.stack import Stack
        stack = Stack()
        try:
            stack.start_all()
            results = asyncio.run(run_http(stack.web_url, stack.staff_token()))
        finally:
            stack.stop_all()
    scripts = load_scripts()
    language = {s["id"]: s["language"] for s in scripts}
    for code in sorted({s["language"] for s in scripts}):
        print(f"== patients writing {code}:")
        report([r for r in results if language[r.id] == code], severities)
    print("== all:")
    figures = report(results, severities)
    return 0 if figures["safety_recall"] == 1.0 and figures["false_alarms"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
