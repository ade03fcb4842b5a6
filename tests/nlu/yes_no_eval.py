"""How the deterministic yes/no reader (bot.text.yes_no) does on the held-out affirm, deny and
unsure messages: the reader, not the classifier, decides answers to yes/no questions.

    python -m tests.nlu.yes_no_eval
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

from bot.text import yes_no

HELDOUT = Path(__file__).with_name("heldout.yml")
EXPECTED = {"affirm": "yes", "deny": "no", "unsure": "unsure"}


def main() -> int:
    """Print accuracy per intent and the misread messages."""
    data = yaml.safe_load(HELDOUT.read_text())
    right, total, misses = Counter(), Counter(), []
    for block in data["nlu"]:
        want = EXPECTED.get(block.get("intent"))
        if not want:
            continue
        for line in block["examples"].splitlines():
            text = line.strip().removeprefix("- ").strip()
            if not text:
                continue
            got = yes_no(text)
            total[want] += 1
            right[want] += got == want
            if got != want:
                misses.append(f"{text!r} -> {got} (want {want})")
    print("yes/no reader on held-out: " + ", ".join(
        f"{k} {right[k]}/{total[k]}" for k in ("yes", "no", "unsure"))
          + f"; overall {sum(right.values())}/{sum(total.values())}")
    print("misread (None means asked again in other words): " + "; ".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
