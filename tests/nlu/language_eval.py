"""Language detection on the held-out suite: recall per language, false alarms on English.

Run: `PYTHONPATH=. .venv/bin/python -m tests.nlu.language_eval` (also part of `make nlu-eval`).
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml

from bot.language import foreign_language

SUITE = Path(__file__).resolve().parent / "languages.yml"


def evaluate() -> dict:
    """Per-language recall and the English false alarms, as numbers and examples."""
    suite = yaml.safe_load(SUITE.read_text(encoding="utf-8"))
    per_language: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed = []
    for code, text in suite["foreign"]:
        got = foreign_language(text)
        per_language[code][1] += 1
        per_language[code][0] += got == code
        if got != code:
            missed.append((code, got, text))
    alarms = [(t, foreign_language(t)) for t in suite["english"] if foreign_language(t)]
    return {"per_language": dict(per_language), "missed": missed, "alarms": alarms,
            "english": len(suite["english"])}


def main() -> None:
    result = evaluate()
    hits = sum(h for h, _ in result["per_language"].values())
    total = sum(n for _, n in result["per_language"].values())
    print("## Language detection (held-out suite tests/nlu/languages.yml)")
    print(f"other languages detected: {hits}/{total}; " + ", ".join(
        f"{c} {h}/{n}" for c, (h, n) in sorted(result["per_language"].items())))
    print(f"English taken for another language: {len(result['alarms'])}/{result['english']}")
    for code, got, text in result["missed"]:
        print(f"  missed {code} (got {got}): {text}")
    for text, got in result["alarms"]:
        print(f"  false alarm ({got}): {text}")


if __name__ == "__main__":
    main()
