"""The public drug list (bot/drug_table.py): a brand says what it is, the lexicon decides which
ingredients raise a flag, and a listed name is read like any other (negation, past, other people)."""
from __future__ import annotations

from datetime import date

import pytest

from bot import drug_table
from bot.intake import IntakeState, take_turn
from bot.models import Recommendation
from bot.screening import screen
from bot.summary import build_summary
from bot.text import _english

TODAY = date(2028, 6, 16)


def medications_answer(text: str):
    """The intake after `text` answers the medications question."""
    turn = take_turn(IntakeState(), text, "medications", TODAY)
    return turn, {f.code for f in screen(turn.state.answers, TODAY)}


# Each generic the contract names (shared/screening-rules.md) and a brand of it the lexicon never
# listed: the list's name for it raises the generic's flag.
@pytest.mark.parametrize("brand, ingredient, flag", [
    ("strefen", "flurbiprofen", "bleeding_risk_supplement"),
    ("clofen", "baclofen", "interacting_medication"),
    ("liofen", "baclofen", "interacting_medication"),
    ("coumadine", "warfarin", "anticoagulant"),
    ("syncumar", "acenocoumarol", "anticoagulant"),
    ("fraxiparin", "nadroparin", "anticoagulant"),
    ("nebcin", "tobramycin", "interacting_medication"),
    ("easprin", "aspirin", "bleeding_risk_supplement"),
    ("naprosin", "naproxen", "bleeding_risk_supplement"),
    # other drugs that interfere with neuromuscular transmission: without them in the lexicon,
    # the list would have named them as medicines with no flag
    ("aralen", "chloroquine", "interacting_medication"),
    ("anectine", "succinylcholine", "interacting_medication"),
    ("clindamycine", "clindamycin", "interacting_medication"),
    ("atropen", "atropine", "interacting_medication"),
])
def test_a_brand_of_a_flagged_generic_raises_its_flag(brand, ingredient, flag):
    assert ingredient in " ".join(drug_table.ingredients(brand))
    turn, flags = medications_answer(f"{brand.title()} twice a day")
    assert flag in flags
    assert turn.state.answers["medications"].status == "answered"
    assert turn.next_question != "medications"


@pytest.mark.parametrize("text", ["Pristiq 50 in the mornings", "Cardicor 2.5", "Tritace 5 every morning",
                                  "Cyklokapron on my heavy days"])
def test_a_listed_medicine_with_no_flag_is_recorded_as_itself_and_goes_ahead(text):
    turn, flags = medications_answer(text)
    assert flags == set()
    answer = turn.state.answers["medications"]
    assert answer.status == "answered" and turn.next_question != "medications"
    summary = build_summary("t", turn.state, TODAY)
    assert summary.recommendation == Recommendation.PROCEED
    name = summary.medications[0].name
    assert "(" in name and text.split()[0].lower() in name.lower()  # "Pristiq (desvenlafaxine)"


def test_an_unknown_name_beside_a_listed_one_still_goes_to_a_clinician():
    turn, _ = medications_answer("I take Pristiq 50 in the morning and Zentrovan at night")
    summary = build_summary("t", turn.state, TODAY)
    assert summary.recommendation == Recommendation.CLINICIAN_REVIEW
    assert any("Zentrovan" in note and "not recognised" in note for note in summary.notes)
    assert "Pristiq (desvenlafaxine)" in [m.name for m in summary.medications]


@pytest.mark.parametrize("text", ["my mum takes Pristiq", "I stopped Pristiq in May",
                                  "my dad is on Clofen", "I stopped Strefen last year"])
def test_a_listed_name_for_someone_else_or_in_the_past_answers_nothing(text):
    turn, flags = medications_answer(text)
    assert flags == set()
    assert turn.next_question == "medications" or turn.state.answers["medications"].status != "answered"


def test_a_misspelt_word_is_never_guessed_against_the_list():
    # "mefenamic" is two letters from "mefenamine" (orphenadrine, a muscle relaxant)
    _, flags = medications_answer("just vitamins really, oh and mefenamic acid when my period is bad")
    assert flags == {"bleeding_risk_supplement"}


def test_listed_names_are_long_and_not_everyday_words():
    names = drug_table._names()
    assert len(names) > 20000
    short = [n for n in names if len(n) < drug_table.MIN_LENGTH]
    assert short == []
    # an English-looking name is kept only when it is a rare word the list marks as a drug's own
    # name ("tylenol"); everyday words never are
    common = [n for n in names if _english().get(n, 0) >= drug_table.ENGLISH_BRAND_LIMIT]
    assert common == []
    for word in ("today", "cambia", "colgate", "relif", "isopto"):
        assert drug_table.ingredients(word) == ()
