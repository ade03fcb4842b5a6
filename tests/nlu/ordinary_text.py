"""Ordinary text raises nothing (issue #8, item 7): English sentences that are not about a
patient's health, read as an opening message and as the answer to each defer or review question.

The sentences come from text shipped on this machine, chosen deterministically (sorted files,
fixed rules, at most PER_FILE sentences a file, fixed shares per source): docstrings of the
Python 3.10 standard library the venv was built from (60%), the package descriptions in
site-packages' METADATA files (30%) and the .rst/.md/.txt docs in site-packages (10%).
Code-like sentences are skipped; 4-40 words are kept.

Run: `PYTHONPATH=. .venv/bin/python -m tests.nlu.ordinary_text [--limit 2000] [--show 20]`.
`ordinary_sentences()` is the collector a test can use; `flags_raised()` the measurement.
"""
from __future__ import annotations

import argparse
import ast
import re
import sys
import sysconfig
from collections import Counter
from datetime import date
from email.parser import Parser
from pathlib import Path
from typing import Iterator

from bot.intake import IntakeState, take_turn
from bot.screening import screen

TODAY = date(2026, 5, 4)
PER_FILE = 8  # so no single long document dominates
# Questions whose flags defer treatment or need a clinician (shared/screening-rules.md).
QUESTIONS = ["medications", "pregnancy", "breastfeeding", "trying_to_conceive", "neuromuscular",
             "breathing", "skin_infection", "prior_treatment", "allergies", "age"]
SKIP_PARTS = {"test", "tests", "idle_test", "__pycache__", "site-packages", "lib2to3",
              "ensurepip", "turtledemo", "idlelib", "tkinter"}
DOC_SKIP = re.compile(r"license|copying|authors|notice|entry_points|top_level|requirements|"
                      r"record|dependency_links|wordlists|vocab|tlds|subtag|leap-seconds|"
                      r"_api\.txt", re.I)
CODE_LIKE = re.compile(r"[{}\[\]<>=_`|\\#@$*~^%]|::|->|\w\.\w|\w\(|\.\.\.|https?:|www\.|"
                       r"\b[a-z]+[A-Z]\w*|\s{2,}")
WORD = re.compile(r"^[A-Za-z][A-Za-z'-]*[,.;:!?)]?$|^\(?[A-Za-z][A-Za-z'-]*$")


def site_packages() -> Path:
    """The venv's site-packages (this interpreter's purelib)."""
    return Path(sysconfig.get_paths()["purelib"])


def stdlib() -> Path:
    """The standard library of the interpreter the venv was built from."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    return Path(sys.base_prefix) / "lib" / version


def _docstrings(path: Path) -> Iterator[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError, ValueError):
        return
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node)
            if doc:
                yield doc


def _metadata_description(path: Path) -> str:
    message = Parser().parsestr(path.read_text(encoding="utf-8", errors="replace"))
    return message.get_payload() or message.get("Description", "") or ""


def _stdlib_texts() -> Iterator[tuple[str, str]]:
    for path in sorted(stdlib().rglob("*.py")):
        if not SKIP_PARTS & set(path.relative_to(stdlib()).parts):
            for doc in _docstrings(path):
                yield f"stdlib/{path.relative_to(stdlib())}", doc


def _metadata_texts() -> Iterator[tuple[str, str]]:
    packages = site_packages()
    for path in sorted(packages.glob("*.dist-info/METADATA")):
        yield str(path.relative_to(packages)), _metadata_description(path)


def _doc_texts() -> Iterator[tuple[str, str]]:
    packages = site_packages()
    for path in sorted(p for ext in ("rst", "md", "txt") for p in packages.rglob(f"*.{ext}")):
        relative = str(path.relative_to(packages))
        if not DOC_SKIP.search(relative) and ".dist-info" not in relative:
            yield relative, path.read_text(encoding="utf-8", errors="replace")


# (source, share of the sentences): stdlib docstrings, package descriptions, package docs.
SOURCES = [(_stdlib_texts, 0.6), (_metadata_texts, 0.3), (_doc_texts, 0.1)]


def sentences_in(text: str) -> Iterator[str]:
    """Prose sentences of 4-40 words from a text; code, markup and tables are skipped."""
    for paragraph in re.split(r"\n\s*\n", text):
        lines = paragraph.splitlines()
        if not lines or any(line.startswith((" ", "\t", ">>>", "$", "#", "|", "-", "*", "=",
                                             "..", "+", "```")) for line in lines):
            continue  # indented code, prompts, headings, lists, tables, directives
        prose = " ".join(line.strip() for line in lines)
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", prose):
            sentence = sentence.strip()
            words = sentence.split()
            if (4 <= len(words) <= 40 and sentence[0].isupper() and sentence[-1] in ".!?"
                    and sentence.isascii() and not CODE_LIKE.search(sentence)
                    and sum(bool(WORD.match(w)) for w in words) >= 0.9 * len(words)):
                yield sentence


def _sentences_from(texts: Iterator[tuple[str, str]], seen: set[str], limit: int
                    ) -> list[tuple[str, str]]:
    chosen: list[tuple[str, str]] = []
    per_file: Counter = Counter()
    for source, text in texts:
        for sentence in sentences_in(text):
            key = sentence.lower()
            if key in seen or per_file[source] >= PER_FILE:
                continue
            seen.add(key)
            per_file[source] += 1
            chosen.append((sentence, source))
            if len(chosen) >= limit:
                return chosen
    return chosen


def ordinary_sentences(limit: int = 2000) -> list[tuple[str, str]]:
    """`limit` distinct ordinary sentences, each with the file it came from, in a fixed order.

    Each source gives its share (SOURCES); a source that runs short is topped up by the others.
    """
    seen: set[str] = set()
    pools = [_sentences_from(texts(), seen, limit) for texts, _ in SOURCES]
    chosen = [s for pool, (_, share) in zip(pools, SOURCES) for s in pool[:round(limit * share)]]
    extra = [s for pool, (_, share) in zip(pools, SOURCES) for s in pool[round(limit * share):]]
    return (chosen + extra)[:limit]


def flags_raised(sentence: str, asked: str | None) -> list[str]:
    """Flag codes the reader raises for one message from an empty intake ("crash: ..." if the
    reader raises an exception: a message it cannot read is as bad as a wrong flag)."""
    return read_ordinary(sentence, asked)[0]


def read_ordinary(sentence: str, asked: str | None) -> tuple[list[str], bool]:
    """The flags raised, and whether the second reading asked the patient to check the answer
    (a needless question, not a flag)."""
    try:
        turn = take_turn(IntakeState(), sentence, asked, TODAY)
    except Exception as error:
        return [f"crash: {type(error).__name__}"], False
    pending = turn.state.pending
    return ([f.code for f in screen(turn.state.answers, TODAY)],
            bool(pending and pending.detail.get("second_reading")))


def main(argv: list[str] | None = None) -> int:
    """Print how many sentences raise a flag, per way of reading them, and which."""
    parser = argparse.ArgumentParser(
        description="Flags the reader raises on ordinary sentences (aim: 0).")
    parser.add_argument("--limit", type=int, default=2000, help="sentences to read")
    parser.add_argument("--show", type=int, default=15, help="sentences to list per mode")
    parser.add_argument("--questions", default=",".join(QUESTIONS),
                        help="comma-separated questions to answer (default: defer/review ones)")
    args = parser.parse_args(argv)
    chosen = ordinary_sentences(args.limit)
    modes = [None] + [q for q in args.questions.split(",") if q]
    print(f"## Ordinary text: {len(chosen)} sentences from "
          f"{len({s for _, s in chosen})} files, read as an opening and as the answer to "
          f"{len(modes) - 1} questions")
    total, flagged_sentences, codes, checks = 0, set(), Counter(), Counter()
    for asked in modes:
        readings = [(s, src, *read_ordinary(s, asked)) for s, src in chosen]
        checks[asked or "opening"] = sum(checked for *_, checked in readings)
        hits = [(s, src, flags) for s, src, flags, _ in readings if flags]
        mode_codes = Counter(code for *_, flags in hits for code in flags)
        total += sum(mode_codes.values())
        codes.update(mode_codes)
        flagged_sentences.update(s for s, *_ in hits)
        counts = ", ".join(f"{c} {n}" for c, n in mode_codes.most_common())
        print(f"{asked or 'opening':<20} sentences raising a flag: {len(hits):>4}/{len(chosen)}"
              + (f"  ({counts})" if hits else ""))
        for sentence, source, flags in hits[:args.show]:
            print(f"    {','.join(flags)}: {sentence!r} [{source}]")
        if len(hits) > args.show:
            print(f"    ... and {len(hits) - args.show} more")
    crashes = sum(n for c, n in codes.items() if c.startswith("crash"))
    total -= crashes
    print(f"flags raised in all: {total}; reader crashes: {crashes} (codes: "
          f"{', '.join(f'{c} {n}' for c, n in codes.most_common()) or 'none'}); "
          f"distinct sentences raising any: {len(flagged_sentences)}")
    print(f"answers the second reading asked the patient to check (needless here): "
          f"{sum(checks.values())} of {len(chosen) * len(modes)} ("
          + ", ".join(f"{q} {n}" for q, n in checks.items() if n) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
