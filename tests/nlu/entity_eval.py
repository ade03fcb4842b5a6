"""Entity F1 on the held-out set for the lexicon's entity_ruler (via Rasa's SpacyEntityExtractor).

`rasa test nlu` leaves pretrained extractors (SpacyEntityExtractor) out of its entity report, so
this compares exact spans (start, end, label) itself. Run: python -m tests.nlu.entity_eval
"""
from __future__ import annotations

import asyncio
import logging
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


async def evaluate(model: Path, data: Path) -> dict[str, Counter]:
    """True positives, false positives and false negatives per label."""
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(str(model))
    counts: dict[str, Counter] = {}
    for example in load_data(str(data)).intent_examples:
        text = example.get("text")
        gold = {(e["start"], e["end"], e["entity"]) for e in example.get("entities") or []}
        parsed = await agent.parse_message(text)
        pred = {(e["start"], e["end"], e["entity"]) for e in parsed.get("entities", [])}
        for *_, label in gold | pred:
            counts.setdefault(label, Counter())
        for span in gold & pred:
            counts[span[2]]["tp"] += 1
        for span in pred - gold:
            counts[span[2]]["fp"] += 1
        for span in gold - pred:
            counts[span[2]]["fn"] += 1
    return counts


def f1(c: Counter) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    """Print micro F1 and per-label F1, weakest first."""
    logging.disable(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog
    configure_structlog(logging.WARNING)  # rasa's structlog prints every parse otherwise
    counts = asyncio.run(evaluate(ROOT / "models/intake.tar.gz", ROOT / "tests/nlu/heldout.yml"))
    total = sum(counts.values(), Counter())
    p, r, f = f1(total)
    print(f"entity F1 (held-out, exact span+label): {f:.3f} (precision {p:.3f}, recall {r:.3f})")
    rows = sorted(((label, *f1(c), c["tp"] + c["fn"]) for label, c in counts.items()),
                  key=lambda row: row[3])
    print("entity F1 per label: " + ", ".join(f"{label} {f:.2f} (n={n})" for label, _, _, f, n in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
