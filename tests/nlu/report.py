"""Print intent accuracy and entity F1 from a `rasa test nlu` results folder, weakest first."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _rows(report: dict) -> list[tuple[str, float, int]]:
    skip = {"accuracy", "macro avg", "weighted avg", "micro avg", "no_entity"}
    return sorted(((name, v["f1-score"], v["support"]) for name, v in report.items()
                   if name not in skip and isinstance(v, dict)), key=lambda r: r[1])


def main(folder: str, title: str) -> int:
    """Print the report for one results folder."""
    root = Path(folder)
    intents = json.loads((root / "intent_report.json").read_text())
    print(f"## NLU: {title}")
    accuracy = intents.get("accuracy")
    print(f"intent accuracy: {accuracy:.3f}  weighted F1: {intents['weighted avg']['f1-score']:.3f}")
    print("intent F1 (weakest first): " + ", ".join(
        f"{n} {f:.2f} (n={s})" for n, f, s in _rows(intents)))
    for path in sorted(root.glob("*Extractor_report.json")):
        entities = json.loads(path.read_text())
        micro = entities.get("micro avg") or entities.get("weighted avg") or {}
        print(f"entity F1 ({path.stem.replace('_report', '')}): {micro.get('f1-score', 0):.3f} "
              f"(precision {micro.get('precision', 0):.3f}, recall {micro.get('recall', 0):.3f})")
        print("entity F1 per label: " + ", ".join(
            f"{n} {f:.2f} (n={s})" for n, f, s in _rows(entities)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else sys.argv[1]))
