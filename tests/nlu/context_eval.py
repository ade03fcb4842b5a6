"""medspaCy's ConText against the hand-made assertion rules on the phrase suite (issue #8, item 2).

For each phrase asked one of the screening questions below, the target is the first lexicon term
for that question in the message, found as `bot.parsing` finds it (clauses, masks, `find_phrase`
with typos; the parser's when-asked words only when no ordinary term is named). Phrases with no
target, or with no gold assertion, are skipped and counted. Gold, from the phrase's labels, in this
order: class other_person -> family; class past that does not close the question -> historical;
class hypothetical or question_back -> hypothetical; answer no -> negated, unsure -> uncertain,
yes -> affirmed.

- hand: `bot.text.polarity_at` on the normalised clause holding the target (as the parser calls it,
  without the parser's later follow-up clause and reproductive adjustments).
- context: medspaCy ConText with its default English rules over the original message (medspaCy's
  tokenizer, spaCy's rule-based sentencizer in place of PyRuSH), the target as the only doc.ents
  span. Its attributes map to one assertion by precedence family > hypothetical > negated >
  uncertain > historical > affirmed: someone else's or an unreal thing first, as `polarity_at`
  checks them, then negation over doubt (`polarity_at` checks doubt first; on the suites only
  "not sure, a spot that might be infected" sets both), the past last.

Accuracy is per gold category, overall, and over the messages naming one term for the question
(the labels describe the message, so with several terms the first may not be what they are
about: "no aspirin, Xarelto daily" is answer yes). Speed is the assertion step alone, given the
target: `polarity_at` on the already split clause; tokenising, sentence splitting and ConText
for the message.

medspaCy is not a project dependency: install it outside the project venv, without its
dependencies (ConText needs only spaCy < 3.8), e.g.
    .venv/bin/pip install --no-deps --target /tmp/medspacy-lib medspacy==1.3.1
and point MEDSPACY_LIB at that folder if it is elsewhere. `import medspacy` loads every component
(PyRuSH, QuickUMLS): this script imports only `medspacy.context`, see `load_context`.

Run: `PYTHONPATH=. .venv/bin/python -m tests.nlu.context_eval [--suite tests/nlu/phrases.yml ...]`
(default: phrases.yml, and phrases_blind.yml when it exists).
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
import time
import types
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from bot import lexicon, parsing
from bot.models import Polarity
from bot.text import _phrase_regex  # the exact pattern find_phrase matches a phrase with
from bot.text import Clause, clauses, find_phrase, polarity_at
from tests.nlu.phrase_eval import load_suite

HERE = Path(__file__).resolve().parent
SUITES = [HERE / "phrases.yml", HERE / "phrases_blind.yml"]
MEDSPACY_LIB = os.environ.get("MEDSPACY_LIB", "/tmp/medspacy-lib")
CATEGORIES = ["affirmed", "negated", "uncertain", "historical", "hypothetical", "family"]
HAND = {Polarity.PRESENT: "affirmed", Polarity.ABSENT: "negated", Polarity.PAST: "historical",
        Polarity.UNSURE: "uncertain", Polarity.OTHER_PERSON: "family",
        Polarity.HYPOTHETICAL: "hypothetical"}
# ConText span attributes, highest precedence first.
CONTEXT = [("is_family", "family"), ("is_hypothetical", "hypothetical"),
           ("is_negated", "negated"), ("is_uncertain", "uncertain"),
           ("is_historical", "historical")]
ANSWER_GOLD = {"no": "negated", "unsure": "uncertain", "yes": "affirmed"}


# Per question: tiers of terms, as the parser reads them (a later tier only when no earlier one
# names anything: "expecting", "trying", "meds", "spot" only then).
QUESTION_TERMS: dict[str, list[list[lexicon.Term]]] = {
    "pregnancy": [[lexicon.PREGNANT], [parsing.PREGNANT_WHEN_ASKED]],
    "breastfeeding": [[lexicon.BREASTFEEDING]],
    "trying_to_conceive": [[lexicon.TTC], [parsing.TTC_WHEN_ASKED]],
    "medications": [lexicon.MEDICINES + lexicon.SUPPLEMENTS, [parsing.GENERIC_MEDS]],
    "neuromuscular": [lexicon.NEUROMUSCULAR + lexicon.OTHER_NEURO],
    "breathing": [lexicon.BREATHING],
    "skin_infection": [lexicon.SKIN_INFECTION, [lexicon.GENERIC_INFECTION]],
    "allergies": [[lexicon.Term("toxin_allergy", parsing.TOXIN_ALLERGENS),
                   lexicon.Term("milk_protein_allergy", lexicon.MILK_ALLERGENS)]],
}
# Look-alike phrases blanked before matching ("nursing school"), as `parsing._reproductive` does.
MASKS = {"pregnancy": lexicon.REPRODUCTIVE_MASKS["pregnant"],
         "breastfeeding": lexicon.REPRODUCTIVE_MASKS["breastfeeding"]}


@dataclass
class Target:
    """Where the target term is: its clause, the clause normalised and masked, and the match."""

    clause: Clause
    norm: str
    pos: int
    phrase: str
    end: int  # end of the matched words in `norm` (a typo may differ in length from `phrase`)
    named: int  # how many of the question's terms the message names (the gold is per message)


# --- finding the target -----------------------------------------------------------------------

def masked(norm: str, asked: str) -> str:
    """The clause with look-alike phrases and everyday uses blanked (positions kept)."""
    for phrase in MASKS.get(asked, ()):
        norm = re.sub(rf"\b{re.escape(phrase)}\b", " " * len(phrase), norm)
    return parsing.everyday_masked(norm, asked)


def first_term(norm: str, terms: list[lexicon.Term]) -> tuple[int, str] | None:
    """The earliest term in a clause (each term by its longest phrase found, as `_terms_in`)."""
    hits = []
    for term in terms:
        for phrase in sorted(term.phrases, key=len, reverse=True):
            pos = find_phrase(norm, phrase)
            if pos >= 0:
                hits.append((pos, -len(phrase), phrase))
                break
    return (min(hits)[0], min(hits)[2]) if hits else None


def match_end(norm: str, pos: int, phrase: str) -> int:
    """End of what matched `phrase` at `pos`: the phrase itself, or the word read as its typo."""
    match = _phrase_regex(phrase).match(norm, pos) or re.compile(r"[a-z]+").match(norm, pos)
    return match.end() if match else pos + len(phrase)


def find_target(text: str, asked: str) -> Target | None:
    """The first term for the asked question in the message, or None."""
    cls = clauses(text)
    for tier in QUESTION_TERMS[asked]:
        norms = [masked(clause.norm, asked) for clause in cls]
        for clause, norm in zip(cls, norms):
            hit = first_term(norm, tier)
            if hit:
                pos, phrase = hit
                return Target(clause, norm, pos, phrase, match_end(norm, pos, phrase),
                              terms_named(norms, tier))
    return None


def terms_named(norms: list[str], terms: list[lexicon.Term]) -> int:
    """How many different terms the clauses name."""
    return sum(any(find_phrase(norm, phrase) >= 0 for norm in norms for phrase in term.phrases)
               for term in terms)


def original_span(text: str, target: Target) -> tuple[int, int]:
    """Character offsets of the target in the original message.

    The clause is a substring of the message; inside it, normalised offsets are carried back
    through an alignment of the normalised clause with the lower-cased original.
    """
    base = max(text.find(target.clause.original), 0)
    ops = SequenceMatcher(None, target.clause.norm, target.clause.original.lower(),
                          autojunk=False).get_opcodes()
    return base + _carry(ops, target.pos), base + _carry(ops, target.end - 1) + 1


def _carry(ops: list[tuple], i: int) -> int:
    """Where index `i` of the first string of a SequenceMatcher alignment falls in the second."""
    for tag, i1, i2, j1, j2 in ops:
        if i1 <= i < i2:
            return j1 + (i - i1) if tag == "equal" else min(j1 + (i - i1), max(j2 - 1, j1))
    return ops[-1][4] if ops else i


# --- gold and the two systems -----------------------------------------------------------------

def gold(phrase: dict) -> str | None:
    """The assertion the labels give the phrase's target, or None."""
    kind = phrase.get("class")
    if kind == "other_person":
        return "family"
    if kind == "past" and phrase.get("closes") is False:
        return "historical"
    if kind in ("hypothetical", "question_back"):
        return "hypothetical"
    return ANSWER_GOLD.get(phrase.get("answer"))


def hand(target: Target) -> str:
    """The hand-made rules' assertion for the target."""
    return HAND[polarity_at(target.norm, target.pos, len(target.phrase))]


def load_context():
    """medspaCy's tokenizer, a sentencizer and ConText, or exit saying how to install medspaCy.

    `medspacy/__init__.py` imports every component, so PyRuSH and QuickUMLS would be needed;
    instead the package is registered without running it, and `quickumls` (imported at the top
    of `medspacy/util.py`, used only by `medspacy.load`) is stubbed when it is not installed.
    """
    sys.path.insert(0, MEDSPACY_LIB)
    spec = importlib.util.find_spec("medspacy")
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"medspaCy is not importable from {MEDSPACY_LIB}. Install it with\n"
                 f"  .venv/bin/pip install --no-deps --target {MEDSPACY_LIB} medspacy==1.3.1\n"
                 "or set MEDSPACY_LIB to the folder it is installed in.")
    package = types.ModuleType("medspacy")
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules.setdefault("medspacy", package)
    if importlib.util.find_spec("quickumls") is None:
        sys.modules["quickumls"] = types.SimpleNamespace(spacy_component=None)
    import spacy
    from medspacy.context import ConText
    from medspacy.custom_tokenizer import create_medspacy_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = create_medspacy_tokenizer(nlp)
    nlp.add_pipe("sentencizer")
    return nlp, ConText(nlp, rules="default")


def context(nlp, ctx, text: str, span: tuple[int, int]) -> str:
    """ConText's assertion for the target span of the message."""
    doc = nlp(text)
    ent = doc.char_span(*span, label="TARGET", alignment_mode="expand")
    doc.ents = [ent]
    ctx(doc)
    return next((name for attr, name in CONTEXT if getattr(ent._, attr)), "affirmed")


# --- evaluation and report ----------------------------------------------------------------------

def scored(phrases: list[dict], skipped: Counter) -> list[dict]:
    """The phrases with a screening question, a target and a gold assertion."""
    rows = []
    for phrase in phrases:
        if phrase.get("asked") not in QUESTION_TERMS:
            continue
        target = find_target(phrase["text"], phrase["asked"])
        want = gold(phrase)
        if target is None or want is None:
            skipped["no target term" if target is None else "no gold assertion"] += 1
            continue
        rows.append({**phrase, "target": target, "gold": want})
    return rows


def run(rows: list[dict], nlp, ctx, repeats: int = 3) -> dict[str, float]:
    """Fill in each system's answer; return each one's speed in phrases per second (best of
    `repeats` passes, so that regex and vocabulary warm-up do not count)."""
    systems = {"hand": lambda row: hand(row["target"]),
               "context": lambda row: context(nlp, ctx, row["text"],
                                              original_span(row["text"], row["target"]))}
    speed = {}
    for name, system in systems.items():
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            for row in rows:
                row[name] = system(row)
            best = min(best, time.perf_counter() - start)
        speed[name] = len(rows) / max(best, 1e-9)
    return speed


def _cell(rows: list[dict], system: str) -> str:
    right = sum(r[system] == r["gold"] for r in rows)
    return f"{right / len(rows):.2f} ({right}/{len(rows)})" if rows else "-"


def report(name: str, rows: list[dict], skipped: Counter, speed: dict[str, float]) -> None:
    """Accuracy overall and per gold category, speed, then the phrases either system misses."""
    print(f"\n## {name}: {len(rows)} phrases scored; skipped: "
          + ", ".join(f"{why} {n}" for why, n in sorted(skipped.items())))
    print(f"{'gold':<14} {'n':>4} {'hand':>16} {'context':>16}")
    single = [r for r in rows if r["target"].named == 1]
    groups = [(c, [r for r in rows if r["gold"] == c]) for c in CATEGORIES]
    for label, group in groups + [("overall", rows), ("overall 1-term", single)]:
        print(f"{label:<14} {len(group):>4} {_cell(group, 'hand'):>16} "
              f"{_cell(group, 'context'):>16}")
    print(f"{'phrases/s':<14} {'':>4} {speed['hand']:>16,.0f} {speed['context']:>16,.0f}")
    print("(1-term: the message names one term for the question, so the gold is about it)")
    _listing("differ", [r for r in rows if r["hand"] != r["context"]])
    _listing("both wrong", [r for r in rows if r["gold"] != r["hand"] == r["context"]])


def _listing(title: str, rows: list[dict]) -> None:
    print(f"\n{title} ({len(rows)}): id | text | target (+: more terms named) | gold | hand | "
          "context   (* = matches gold)")
    for r in rows:
        more = "+" if r["target"].named > 1 else ""
        hand_, context_ = (r[s] + "*" * (r[s] == r["gold"]) for s in ("hand", "context"))
        print(f"  {r['id']} | {r['text']!r} | {r['target'].phrase}{more} | {r['gold']} | "
              f"{hand_} | {context_}")


def _shown(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def main(argv: list[str] | None = None) -> int:
    """Compare the two systems on each suite file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", action="append", type=Path,
                        help="a phrase suite file (repeatable; default: phrases.yml and "
                             "phrases_blind.yml if present)")
    args = parser.parse_args(argv)
    suites = args.suite or [path for path in SUITES if path.exists()]
    nlp, ctx = load_context()
    print("medspaCy ConText (default English rules) vs bot.text.polarity_at; gold from labels")
    for path in suites:
        skipped: Counter = Counter()
        rows = scored(load_suite(path), skipped)
        speed = run(rows, nlp, ctx)
        report(_shown(path), rows, skipped, speed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
