"""Brand and generic names of 20,000 medicines, from a public drug list, mapped to ingredients.

The list is the dictionary shipped in the `drug-named-entity-recognition` package (MIT; built
from DrugBank's open vocabulary, MeSH, MedlinePlus and Wikipedia): 107,000 names, each linked to
its ingredient. It is read as data only (none of that package's matching runs here):

- `flag_terms()`: every one-word name of an ingredient the lexicon already flags (Strefen is
  flurbiprofen, Clofen is baclofen), as extra phrases of that lexicon item. They are read like
  the lexicon's own names (negation, past, other people, typos only in the asked answer).
- `named_medicines(text)`: the medicines with no flag that a medications answer names (Pristiq
  is desvenlafaxine, Cardicor is bisoprolol), so they are recorded as what they are instead of
  as a medicine nobody could name.

Which ingredients raise a flag stays the lexicon's decision (`bot/lexicon.py`, checked against
the contract in tests/test_drug_table.py); this table only says what a name is.
A name is used only when it is one word of 5+ letters and not an everyday English word
(pyspellchecker's list), so "Sone" (a prednisone brand) or "Cambia" never count.
"""
from __future__ import annotations

import bz2
import importlib.util
import pickle
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from bot import lexicon
from bot.text import _english, normalise

PACKAGE = "drug_named_entity_recognition"
MIN_LENGTH = 5
# A brand that is also a word in everyday English use, a first name or a Spanish word a patient
# may write in an answer: never read as a medicine, however the list spells it.
NOT_MEDICINES = frozenset({
    "cambia", "colgate", "sunkist", "aquafresh", "crest", "dove", "emend", "alli", "creon",
    "genpharm", "atrofen", "kaon", "today", "dristan", "mycostatin", "lebic", "rela",
    "sonata", "ambien", "allegra", "ella", "estrace", "marinol", "neosporin", "savella",
    "viagra", "carmen", "diana", "elena", "linda", "paloma", "rosa", "sandra", "silvia",
    "relif", "relifex", "oprad", "lomine", "dibent", "isopto",
    "vicks", "tums", "rolaids", "listerine", "vaseline", "nivea", "pepto", "gaviscon",
})
ENGLISH_BRAND_LIMIT = 2000  # a brand that is English-looking but rare ("tylenol") still counts


def _dictionary_path() -> Path:
    spec = importlib.util.find_spec(PACKAGE)  # found without importing the package
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{PACKAGE} is not installed: run `make setup`")
    return Path(next(iter(spec.submodule_search_locations))) / "drug_ner_dictionary.pkl.bz2"


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[str, ...]]:
    """Usable one-word name -> its ingredients (the list's canonical names), normalised."""
    with bz2.open(_dictionary_path()) as handle:
        data = pickle.load(handle)  # noqa: S301 - a pinned package's own data file
    variant_data = data.get("drug_variant_to_variant_data", {})
    english = _english()
    names: dict[str, tuple[str, ...]] = {}
    for variant, canonicals in data["drug_variant_to_canonical"].items():
        name = normalise(variant).strip()
        if not re.fullmatch(r"[a-z][a-z-]*[a-z]", name) or len(name) < MIN_LENGTH:
            continue
        if name in NOT_MEDICINES:
            continue
        linked = tuple(normalise(c) for c in canonicals)
        frequency = english.get(name, 0)
        generic = name in linked
        brand = variant_data.get(variant, {}).get("is_brand", False)
        if frequency >= 20 and not ((generic or brand) and frequency < ENGLISH_BRAND_LIMIT):
            continue
        names[name] = linked
    return names


def ingredients(name: str) -> tuple[str, ...]:
    """The ingredients of a medicine named by one word ("strefen" -> flurbiprofen), or ()."""
    return _names().get(normalise(name).strip(), ())


@lru_cache(maxsize=1)
def _flagged_items() -> dict[str, lexicon.Term]:
    """Each ingredient of the list that the lexicon flags -> the lexicon term that flags it.

    Only an ingredient the lexicon names itself counts (its generic name, not a brand that the
    list may file under another ingredient); a combination counts when one of its parts does
    ("aspirin and dipyridamole")."""
    named: dict[str, lexicon.Term] = {}
    for term in lexicon.MEDICINES + lexicon.SUPPLEMENTS:
        if term.category:
            for phrase in (term.item,) + term.phrases:
                named.setdefault(normalise(phrase).strip(), term)
    items: dict[str, lexicon.Term] = {}
    for canonicals in _names().values():
        for canonical in canonicals:
            parts = [p.strip() for p in re.split(r",| and | with ", canonical) if p.strip()]
            term = next((named[p] for p in [canonical] + parts if p in named), None)
            if term is not None:
                items.setdefault(canonical, term)
    return items


@lru_cache(maxsize=1)
def flag_terms() -> list[lexicon.Term]:
    """The list's names for what the lexicon flags, as extra phrases of the lexicon's items."""
    flagged = _flagged_items()
    taken = {normalise(p) for t in lexicon.all_terms() for p in t.phrases}
    extra: dict[tuple[str, str], list[str]] = {}
    for name, canonicals in sorted(_names().items()):
        if name in taken:
            continue
        for ingredient in canonicals:
            term = flagged.get(ingredient)
            if term is not None:
                extra.setdefault((term.item, term.category), []).append(name)
                break
    kinds = {(t.item, t.category): t.kind for t in lexicon.MEDICINES + lexicon.SUPPLEMENTS}
    return [lexicon.Term(item, tuple(names), category, kinds.get((item, category), "medicine"))
            for (item, category), names in extra.items()]


def all_names() -> Iterable[str]:
    """Every usable one-word name of the list (brands and generics, flagged or not), uncopied."""
    return _names().keys()


def named_medicines(text: str) -> list[lexicon.Term]:
    """Terms for the medicines with no flag named in `text` by a name of the list (exact words),
    one per ingredient: the name as the phrase, the ingredient as the item."""
    flagged = _flagged_items()
    found: dict[str, list[str]] = {}
    for word in re.findall(r"[a-z][a-z-]*[a-z]", normalise(text)):
        canonicals = _names().get(word, ())
        if canonicals and not any(c in flagged for c in canonicals):
            found.setdefault(" and ".join(canonicals), []).append(word)
    return [lexicon.Term(item, tuple(dict.fromkeys(words)), None, "medicine")
            for item, words in found.items()]


def warm() -> None:
    """Load the list and the terms built from it (about 3 s), so no patient waits for it."""
    flag_terms()
