"""Build the in-repo spaCy pipeline Rasa's SpacyNLP loads: blank English + entity_ruler.

No model is downloaded: the pipeline is made from the lexicon (`bot/lexicon.py`), so the words
the NLU tags and the words the screening reads are the same list.

    python -m bot.nlp build/spacy_intake
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from bot.lexicon import entity_patterns


def patterns_hash() -> str:
    """A hash of the entity patterns, so a changed lexicon forces a rebuild and a retrain."""
    return hashlib.sha256(json.dumps(entity_patterns(), sort_keys=True).encode()).hexdigest()[:16]


def build(target: Path) -> Path:
    """Write the spaCy pipeline to `target` (idempotent: skipped when the patterns are unchanged)."""
    stamp = target / "patterns.sha"
    if stamp.exists() and stamp.read_text() == patterns_hash():
        return target
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(entity_patterns())
    nlp.meta["name"] = "intake_en"
    target.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    stamp.write_text(patterns_hash())
    return target


def main(argv: list[str] | None = None) -> int:
    """Command line: build the pipeline into the given folder."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0] if args else "build/spacy_intake")
    build(target)
    print(f"spaCy pipeline at {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
