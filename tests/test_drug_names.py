"""Brand and generic names from around the world (bot/drug_names.py): well formed, never an everyday
word, and read as the patient means them when answering the medications question."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from bot import lexicon
from bot.drug_names import EXTRA_NAMES, INHALED_ANTICHOLINERGICS
from bot.intake import IntakeState, take_turn
from bot.screening import DEFAULT_SEVERITIES, screen
from bot.text import is_english_word, normalise

TODAY = date(2026, 11, 25)
NAMES = [(category, item, name) for category, items in EXTRA_NAMES.items()
         for item, names in items.items() for name in names]


def test_every_category_is_a_flag_code_and_has_names():
    assert set(EXTRA_NAMES) <= set(DEFAULT_SEVERITIES)
    for category, items in EXTRA_NAMES.items():
        assert items and all(items.values()), category


@pytest.mark.parametrize("category, item, name", NAMES)
def test_a_name_is_lower_case_long_enough_and_not_an_english_word(category, item, name):
    assert name == name.lower() == normalise(name).strip()
    assert len(name) >= 4
    assert not is_english_word(name)


def test_no_name_is_listed_twice_or_under_two_items():
    counts = Counter(name for _, _, name in NAMES)
    assert [name for name, n in counts.items() if n > 1] == []
    # nor does it repeat a name the lexicon already gives to another item
    ours = {(category, item, name) for category, item, name in NAMES}
    for term in lexicon.all_terms():
        for phrase in term.phrases:
            owners = {(c, i) for c, i, n in ours if n == phrase}
            if phrase in INHALED_ANTICHOLINERGICS and term.item == "asthma":
                continue  # an inhaler for asthma or COPD that is an anticholinergic: both, on purpose
            assert owners <= {(term.category, term.item)}, (phrase, term.item, owners)


def test_the_names_reach_the_lexicon_under_their_flag():
    by_name = {p: t for t in lexicon.MEDICINES + lexicon.SUPPLEMENTS for p in t.phrases}
    for category, item, name in NAMES:
        assert by_name[name].category == category and by_name[name].item == item, name


@pytest.mark.parametrize("text, expected", [
    # blood thinners and antiplatelets, by brands from several countries
    ("I take Grepid 75 every morning since my stent", {"anticoagulant"}),
    ("on Clopilet and Ecosprin after my angioplasty", {"anticoagulant", "bleeding_risk_supplement"}),
    ("acitrom 2mg, my INR is checked monthly", {"anticoagulant"}),
    ("Marcoumar", {"anticoagulant"}),
    ("Fraxiparine injections after my knee surgery", {"anticoagulant"}),
    ("I inject Inhixa once a day till next week", {"anticoagulant"}),
    ("Persantin for my heart", {"anticoagulant"}),
    # aspirin products and NSAIDs
    ("only Anadin Extra when I get a headache", {"bleeding_risk_supplement"}),
    ("Entrophen 81 daily", {"bleeding_risk_supplement"}),
    ("just Cardiprin 100", {"bleeding_risk_supplement"}),
    ("Aspilets 80 every day", {"bleeding_risk_supplement"}),
    ("Tromalyt 150 diario", {"bleeding_risk_supplement"}),
    ("Voltarol gel on my knee most days", {"bleeding_risk_supplement"}),
    ("I take Cataflam for period pain", {"bleeding_risk_supplement"}),
    ("Maxigesic now and then", {"bleeding_risk_supplement"}),
    ("Synflex for my period", {"bleeding_risk_supplement"}),
    ("Hifenac P twice a day", {"bleeding_risk_supplement"}),
    # supplements
    ("Omacor 1g prescribed by my GP", {"bleeding_risk_supplement"}),
    ("Evion 400 capsules", {"bleeding_risk_supplement"}),
    ("Kyolic garlic", {"bleeding_risk_supplement"}),
    ("hypericum for my mood", {"bleeding_risk_supplement"}),
    # muscle relaxants, anticholinergics, aminoglycosides
    ("amrix at night for my neck", {"interacting_medication"}),
    ("Yurelax 10 mg por las noches", {"interacting_medication"}),
    ("Mydocalm for back spasm", {"interacting_medication"}),
    ("Detrusitol for my bladder", {"interacting_medication"}),
    ("Scopoderm patch when I travel", {"interacting_medication"}),
    ("Pacitane 2mg", {"interacting_medication"}),
    ("Tobradex eye drops", {"interacting_medication"}),
    # stopped, or someone else's: no flag
    ("stopped Xarelto last year", set()),
    ("I stopped Grepid after my stent check in March", set()),
    ("no Cardiprin anymore", set()),
    ("my husband takes Omacor, I take nothing", set()),
])
def test_a_brand_in_the_answer_raises_its_flag(text, expected):
    turn = take_turn(IntakeState(), text, "medications", TODAY)
    flags = screen(turn.state.answers, TODAY)
    assert {f.code for f in flags} == expected
    for flag in flags:
        assert flag.evidence and flag.evidence in text
