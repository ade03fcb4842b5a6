"""Screening from real patient phrasings: every flag code in shared/screening-rules.md.

Each row is one message, as the patient would type it, either answering the question asked
(`asked=<topic>`) or volunteered with no question or another question pending. A negated, past or
family statement never raises a flag; an unsure answer to a defer question does.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.intake import IntakeState, take_turn
from bot.models import Flag, Recommendation, Severity
from bot.screening import DEFAULT_SEVERITIES, load_policy, recommend, screen

TODAY = date(2026, 11, 25)  # a Wednesday


def flags_after(*turns: tuple[str | None, str], severities=None) -> dict[str, Flag]:
    """Flags raised after the patient's messages, each sent while `asked` was pending."""
    state = IntakeState()
    for asked, text in turns:
        state = take_turn(state, text, asked, TODAY).state
    return {f.code: f for f in screen(state.answers, TODAY, severities)}


def assert_evidence_is_patients_words(flag: Flag, *texts: str) -> None:
    """Every piece of evidence is the patient's own words, taken from what they wrote."""
    for part in flag.evidence.split(" / "):
        assert any(part in text for text in texts), (part, texts)


RAISES = [
    # pregnant (defer): yes, possibly, unsure
    ("pregnancy", "yes", "pregnant"),
    ("pregnancy", "yep 👍", "pregnant"),
    ("pregnancy", "Yes I am, 8 weeks", "pregnant"),
    ("pregnancy", "pregant", "pregnant"),
    ("pregnancy", "preggers lol", "pregnant"),
    ("pregnancy", "12 weeks pregnant", "pregnant"),
    ("pregnancy", "currently 20 weeks", "pregnant"),
    ("pregnancy", "expecting in March!", "pregnant"),
    ("pregnancy", "not sure, my period is late", "pregnant"),
    ("pregnancy", "idk", "pregnant"),
    ("pregnancy", "🤷", "pregnant"),
    ("pregnancy", "maybe", "pregnant"),
    ("pregnancy", "could be, waiting to test", "pregnant"),
    ("pregnancy", "no but my period is late", "pregnant"),
    ("pregnancy", "Pregnant? yes", "pregnant"),
    (None, "Hi, I'm 6 weeks pregnant, can I still get botox?", "pregnant"),
    (None, "just found out I'm expecting", "pregnant"),
    (None, "im pregnant and want my 11s done", "pregnant"),
    (None, "I might be pregnant", "pregnant"),
    (None, "I'm in my second trimester", "pregnant"),
    ("medications", "just prenatal vitamins, I'm pregnant", "pregnant"),
    # breastfeeding (defer)
    ("breastfeeding", "yes", "breastfeeding"),
    ("breastfeeding", "yes still breastfeeding", "breastfeeding"),
    ("breastfeeding", "breastfeading", "breastfeeding"),
    ("breastfeeding", "still nursing my 6 month old", "breastfeeding"),
    ("breastfeeding", "pumping for my baby", "breastfeeding"),
    ("breastfeeding", "chestfeeding", "breastfeeding"),
    ("breastfeeding", "not sure if pumping counts", "breastfeeding"),
    ("breastfeeding", "yes, just at night", "breastfeeding"),
    ("breastfeeding", "ya", "breastfeeding"),
    (None, "exclusively pumping rn", "breastfeeding"),
    (None, "I'm breastfeeding, is that ok?", "breastfeeding"),
    ("pregnancy", "Not pregnant but I'm breastfeeding", "breastfeeding"),
    # trying_to_conceive (review)
    ("trying_to_conceive", "yes we are", "trying_to_conceive"),
    ("trying_to_conceive", "we're trying for a baby", "trying_to_conceive"),
    ("trying_to_conceive", "doing IVF next month", "trying_to_conceive"),
    ("trying_to_conceive", "TTC", "trying_to_conceive"),
    (None, "we're trying to get pregnant so want it done soon", "trying_to_conceive"),
    # skin_infection (defer)
    ("skin_infection", "yes I have a cold sore on my lip", "skin_infection"),
    ("skin_infection", "cold sore rn", "skin_infection"),
    ("skin_infection", "impetigo", "skin_infection"),
    ("skin_infection", "imptigo", "skin_infection"),
    ("skin_infection", "infected spot near my eyebrow", "skin_infection"),
    ("skin_infection", "not sure, there's a red bump on my chin", "skin_infection"),
    ("skin_infection", "herpes outbreak on my lip", "skin_infection"),
    ("skin_infection", "shingles on my forehead", "skin_infection"),
    ("skin_infection", "eczema flare on my forehead", "skin_infection"),
    ("skin_infection", "a pimple on my forehead", "skin_infection"),
    ("skin_infection", "maybe", "skin_infection"),
    (None, "I've got a cold sore at the moment", "skin_infection"),
    (None, "there's an infected pimple on my chin", "skin_infection"),
    # toxin_allergy (defer)
    ("allergies", "I had hives after Botox once", "toxin_allergy"),
    ("allergies", "allergic to dysport", "toxin_allergy"),
    ("allergies", "my face swelled up after xeomin", "toxin_allergy"),
    ("allergies", "albumin allergy", "toxin_allergy"),
    ("allergies", "I reacted badly to botox last time", "toxin_allergy"),
    ("allergies", "not sure", "toxin_allergy"),
    (None, "I'm allergic to Botox", "toxin_allergy"),
    (None, "I got hives from my last Dysport treatment", "toxin_allergy"),
    # milk_protein_allergy (review)
    ("allergies", "I'm allergic to cow's milk protein", "milk_protein_allergy"),
    ("allergies", "milk allergy", "milk_protein_allergy"),
    ("allergies", "dairy allergy", "milk_protein_allergy"),
    ("allergies", "casein allergy", "milk_protein_allergy"),
    (None, "allergic to dairy", "milk_protein_allergy"),
    # under_18 (defer)
    ("age", "17", "under_18"),
    ("age", "seventeen", "under_18"),
    ("age", "I'll be 18 next month", "under_18"),
    ("age", "turning 18 in 2 weeks", "under_18"),
    ("age", "16 turning 17", "under_18"),
    ("age", "born in 2009", "under_18"),
    ("age", "born in 2008", "under_18"),  # the year alone allows 17: take the younger age
    ("age", "under 18", "under_18"),
    ("age", "I'm a minor", "under_18"),
    (None, "I'm 17 and want botox for my forehead", "under_18"),
    (None, "I am 16 years old", "under_18"),
    # neuromuscular_disorder (review)
    ("neuromuscular", "I have myasthenia gravis", "neuromuscular_disorder"),
    ("neuromuscular", "MG", "neuromuscular_disorder"),
    ("neuromuscular", "mystenia gravis", "neuromuscular_disorder"),
    ("neuromuscular", "Lambert Eaton", "neuromuscular_disorder"),
    ("neuromuscular", "motor neurone disease", "neuromuscular_disorder"),
    ("neuromuscular", "I was diagnosed with muscular dystrophy", "neuromuscular_disorder"),
    ("neuromuscular", "was diagnosed with MG years ago", "neuromuscular_disorder"),
    ("neuromuscular", "not sure", "neuromuscular_disorder"),
    ("neuromuscular", "yes, ALS", "neuromuscular_disorder"),
    ("neuromuscular", "I have a muscle condition, can't remember the name",
     "neuromuscular_disorder"),
    (None, "i've got ALS", "neuromuscular_disorder"),
    ("neuromuscular", "my mom has ALS and so do I", "neuromuscular_disorder"),
    (None, "I have myasthenia gravis", "neuromuscular_disorder"),
    # swallowing_or_breathing_difficulty (review)
    ("breathing", "asthma", "swallowing_or_breathing_difficulty"),
    ("breathing", "asthama", "swallowing_or_breathing_difficulty"),
    ("breathing", "mild asthma, use my inhaler a few times a year",
     "swallowing_or_breathing_difficulty"),
    ("breathing", "COPD", "swallowing_or_breathing_difficulty"),
    ("breathing", "emphysema", "swallowing_or_breathing_difficulty"),
    ("breathing", "sometimes trouble swallowing", "swallowing_or_breathing_difficulty"),
    ("breathing", "I get short of breath on stairs", "swallowing_or_breathing_difficulty"),
    ("breathing", "yeah", "swallowing_or_breathing_difficulty"),
    (None, "I'm also asthmatic", "swallowing_or_breathing_difficulty"),
    # interacting_medication (review)
    ("medications", "flexeril for my back", "interacting_medication"),
    ("medications", "oxybutynin for bladder", "interacting_medication"),
    ("medications", "muscle relaxers for my back", "interacting_medication"),
    ("medications", "gentamicin", "interacting_medication"),
    ("medications", "tizanidine at night", "interacting_medication"),
    ("medications", "Baclofen 10mg", "interacting_medication"),
    (None, "I take cyclobenzaprine", "interacting_medication"),
    ("pregnancy", "no, but I'm on baclofen", "interacting_medication"),
    # anticoagulant (review)
    ("medications", "I take Eliquis", "anticoagulant"),
    ("medications", "eliqis 5mg twice a day", "anticoagulant"),
    ("medications", "warfrin", "anticoagulant"),
    ("medications", "Plavix after my stent", "anticoagulant"),
    ("medications", "xarelto", "anticoagulant"),
    ("medications", "Lovenox injections", "anticoagulant"),
    ("medications", "Brilinta", "anticoagulant"),
    ("medications", "heparin shots", "anticoagulant"),
    ("medications", "I'm on Coumadin", "anticoagulant"),
    ("medications", "I have a bleeding disorder", "anticoagulant"),
    ("medications", "I bruise easily", "anticoagulant"),
    ("medications", "No meds other than Eliquis", "anticoagulant"),
    ("medications", "I take my husband's eliquis sometimes", "anticoagulant"),
    ("medications", "Eliquis (apixaban) 5 mg", "anticoagulant"),
    (None, "I'm on blood thinners", "anticoagulant"),
    # bleeding_risk_supplement (advisory)
    ("medications", "baby aspirin daily", "bleeding_risk_supplement"),
    ("medications", "fish oil and vitamin d", "bleeding_risk_supplement"),
    ("medications", "gingko", "bleeding_risk_supplement"),
    ("medications", "I take Advil when I get headaches", "bleeding_risk_supplement"),
    ("medications", "omega 3s", "bleeding_risk_supplement"),
    ("medications", "tumeric", "bleeding_risk_supplement"),
    ("medications", "no blood thinners, just fish oil", "bleeding_risk_supplement"),
    ("medications", "garlic pills", "bleeding_risk_supplement"),
    ("medications", "st johns wort", "bleeding_risk_supplement"),
    ("medications", "vit e", "bleeding_risk_supplement"),
    ("medications", "not on any blood thinners but I take baby aspirin",
     "bleeding_risk_supplement"),
    ("medications", "I take 81mg aspirin", "bleeding_risk_supplement"),
    ("medications", "asprin", "bleeding_risk_supplement"),
    ("medications", "ginko biloba", "bleeding_risk_supplement"),
    ("medications", "naproxen", "bleeding_risk_supplement"),
    ("medications", "my mom and I both take fish oil", "bleeding_risk_supplement"),
    ("medications", "yes, fish oil", "bleeding_risk_supplement"),
    (None, "taking fish oil", "bleeding_risk_supplement"),
    # event_within_two_weeks (advisory)
    ("event", "my wedding is in 9 days", "event_within_two_weeks"),
    ("event", "yes, a wedding on December 1", "event_within_two_weeks"),
    ("event", "photo shoot next Saturday", "event_within_two_weeks"),
    ("event", "getting married on the 3rd", "event_within_two_weeks"),
    ("event", "I'm a bridesmaid next Saturday", "event_within_two_weeks"),
    ("event", "Christmas party next week", "event_within_two_weeks"),
    ("event", "no events but I have a big presentation tomorrow", "event_within_two_weeks"),
    ("event", "my sister's wedding on Dec 5th", "event_within_two_weeks"),
    (None, "getting married Dec 1st!", "event_within_two_weeks"),
    # recent_toxin_treatment (review)
    ("prior_treatment", "Dysport 6 weeks ago", "recent_toxin_treatment"),
    ("prior_treatment", "yes, xeomin in september", "recent_toxin_treatment"),
    ("prior_treatment", "yeah got tox 2 months ago, one brow dropped", "recent_toxin_treatment"),
    ("prior_treatment", "Jeuveau in october", "recent_toxin_treatment"),
    ("prior_treatment", "2 months ago", "recent_toxin_treatment"),
    (None, "I had Dysport 6 weeks ago", "recent_toxin_treatment"),
    (None, "last botox was 3 weeks ago", "recent_toxin_treatment"),
    (None, "I get botox every 3 months, last one was 10 weeks ago", "recent_toxin_treatment"),
    # heavy_eyelids (advisory)
    (None, "my eyelids are hooded", "heavy_eyelids"),
    (None, "I have heavy eyelids", "heavy_eyelids"),
    ("concerns", "my forehead lines and my eyelids feel heavy", "heavy_eyelids"),
    ("concerns", "forehead, but my brows are starting to droop", "heavy_eyelids"),
    (None, "droopy brows", "heavy_eyelids"),
]


@pytest.mark.parametrize("asked, text, code", RAISES)
def test_phrasing_raises_flag_with_the_patients_words(asked, text, code):
    flags = flags_after((asked, text))
    assert code in flags, f"{text!r} (asked {asked}) should raise {code}; got {sorted(flags)}"
    assert flags[code].severity == DEFAULT_SEVERITIES[code]
    assert_evidence_is_patients_words(flags[code], text)


NOT_RAISED = [
    # negated
    ("pregnancy", "no", "pregnant"),
    ("pregnancy", "nope 👎", "pregnant"),
    ("pregnancy", "I'm not pregnant", "pregnant"),
    ("pregnancy", "Pregnant? no", "pregnant"),
    ("pregnancy", "definitely not", "pregnant"),
    ("pregnancy", "not that I know of", "pregnant"),
    ("pregnancy", "no, 6 weeks postpartum", "pregnant"),
    ("pregnancy", "I'm not pregnant, maybe next year", "pregnant"),
    ("pregnancy", "neither pregnant nor breastfeeding", "pregnant"),
    ("pregnancy", "neither pregnant nor breastfeeding", "breastfeeding"),
    (None, "I'm not pregnant", "pregnant"),
    ("breastfeeding", "nah", "breastfeeding"),
    ("breastfeeding", "no I formula feed", "breastfeeding"),
    ("trying_to_conceive", "no, not trying", "trying_to_conceive"),
    ("skin_infection", "no", "skin_infection"),
    ("skin_infection", "nope skin is clear", "skin_infection"),
    ("skin_infection", "a few spots but not infected", "skin_infection"),
    ("skin_infection", "all good", "skin_infection"),
    ("allergies", "no", "toxin_allergy"),
    ("allergies", "nkda", "toxin_allergy"),
    ("allergies", "none that I know of", "toxin_allergy"),
    ("allergies", "no allergies to botox, only to shellfish", "toxin_allergy"),
    ("neuromuscular", "no", "neuromuscular_disorder"),
    ("neuromuscular", "not that I know of", "neuromuscular_disorder"),
    ("neuromuscular", "all good", "neuromuscular_disorder"),
    ("breathing", "no trouble breathing or swallowing", "swallowing_or_breathing_difficulty"),
    ("breathing", "I'm not asthmatic", "swallowing_or_breathing_difficulty"),
    ("breathing", "nope, breathing is fine", "swallowing_or_breathing_difficulty"),
    ("medications", "no blood thinners", "anticoagulant"),
    ("medications", "no meds", "anticoagulant"),
    (None, "I'm not on blood thinners", "anticoagulant"),
    ("medications", "no muscle relaxants", "interacting_medication"),
    ("medications", "no supplements", "bleeding_risk_supplement"),
    ("event", "no", "event_within_two_weeks"),
    ("event", "nothing planned", "event_within_two_weeks"),
    (None, "no droopy lids", "heavy_eyelids"),
    # past
    ("pregnancy", "I had my baby 6 weeks ago", "pregnant"),
    (None, "I was pregnant last year", "pregnant"),
    ("breastfeeding", "I stopped breastfeeding last year", "breastfeeding"),
    ("breastfeeding", "no, weaned in March", "breastfeeding"),
    ("breastfeeding", "used to but not anymore", "breastfeeding"),
    (None, "I breastfed my kids years ago", "breastfeeding"),
    ("trying_to_conceive", "we stopped trying", "trying_to_conceive"),
    ("skin_infection", "had a cold sore last month but it cleared up", "skin_infection"),
    ("skin_infection", "the rash cleared up", "skin_infection"),
    ("skin_infection", "I get cold sores sometimes but none right now", "skin_infection"),
    ("skin_infection", "I have herpes but no outbreak right now", "skin_infection"),
    ("allergies", "allergic to milk as a kid but outgrew it", "milk_protein_allergy"),
    ("neuromuscular", "I had guillain-barre in 2015, fully recovered", "neuromuscular_disorder"),
    ("breathing", "had asthma as a kid", "swallowing_or_breathing_difficulty"),
    ("breathing", "childhood asthma, grew out of it", "swallowing_or_breathing_difficulty"),
    ("medications", "was on warfarin years ago", "anticoagulant"),
    ("medications", "came off xarelto in the spring", "anticoagulant"),
    (None, "I used to take Plavix", "anticoagulant"),
    ("medications", "I used to take Flexeril", "interacting_medication"),
    ("medications", "I stopped taking fish oil last month", "bleeding_risk_supplement"),
    ("event", "my wedding was last month", "event_within_two_weeks"),
    (None, "had botox before my wedding last year", "event_within_two_weeks"),
    ("prior_treatment", "botox 5 months ago", "recent_toxin_treatment"),
    ("prior_treatment", "had botox last March", "recent_toxin_treatment"),
    ("prior_treatment", "once, years ago", "recent_toxin_treatment"),
    ("prior_treatment", "never", "recent_toxin_treatment"),
    ("prior_treatment", "no, first time", "recent_toxin_treatment"),
    # family and other people
    (None, "my sister is pregnant", "pregnant"),
    (None, "my sister might be pregnant", "pregnant"),
    (None, "My wife is pregnant so I want to look good", "pregnant"),
    (None, "my sister is breastfeeding", "breastfeeding"),
    (None, "my sister is trying to conceive", "trying_to_conceive"),
    (None, "my son has impetigo", "skin_infection"),
    ("allergies", "my sister is allergic to botox", "toxin_allergy"),
    ("neuromuscular", "my aunt had ALS", "neuromuscular_disorder"),
    ("neuromuscular", "ALS runs in my family", "neuromuscular_disorder"),
    ("neuromuscular", "my grandpa had lou gehrigs", "neuromuscular_disorder"),
    (None, "My aunt had ALS", "neuromuscular_disorder"),
    ("breathing", "my dad has emphysema", "swallowing_or_breathing_difficulty"),
    ("medications", "my mom takes Eliquis", "anticoagulant"),
    (None, "my dad is on warfarin", "anticoagulant"),
    ("medications", "my dad takes baclofen", "interacting_medication"),
    ("medications", "my wife takes fish oil", "bleeding_risk_supplement"),
    (None, "my mom has hooded eyes", "heavy_eyelids"),
    # look-alikes: not the thing the flag is about
    (None, "I'm a nurse", "breastfeeding"),
    (None, "I work in nursing", "breastfeeding"),
    (None, "I'm a nursing student", "breastfeeding"),
    (None, "I go to the gym, pumping iron daily", "breastfeeding"),
    (None, "I have an ear infection", "skin_infection"),
    (None, "had a sinus infection last week", "skin_infection"),
    (None, "had a sinus infection last week", "recent_toxin_treatment"),
    (None, "I'm on antibiotics for a UTI", "skin_infection"),
    (None, "I had an injection in my forehead last week", "skin_infection"),
    ("allergies", "lactose intolerant", "milk_protein_allergy"),
    ("allergies", "I'm lactose intolerant, not allergic", "milk_protein_allergy"),
    ("allergies", "Dairy makes me bloated", "milk_protein_allergy"),
    (None, "I'm lactose intolerant", "milk_protein_allergy"),
    ("allergies", "I had a reaction to my flu injection", "toxin_allergy"),
    ("allergies", "penicillin", "toxin_allergy"),
    (None, "Hi, this is Ms Jones", "neuromuscular_disorder"),
    (None, "I'm 34 weeks pregnant", "under_18"),
    ("medications", "just a multivitamin", "bleeding_risk_supplement"),
    ("medications", "only tylenol", "bleeding_risk_supplement"),
    ("medications", "I do meditation and yoga", "bleeding_risk_supplement"),
    (None, "I'm married with 2 kids", "event_within_two_weeks"),
    # ages and dates on the safe side of the line
    ("age", "18", "under_18"),
    ("age", "34", "under_18"),
    ("age", "I'm 52", "under_18"),
    ("age", "over 18", "under_18"),
    ("age", "thirty four", "under_18"),
    ("event", "wedding in 20 days", "event_within_two_weeks"),
    ("event", "a work conference in 2 weeks", "event_within_two_weeks"),  # 14 days: not < 14
    ("event", "holiday in january", "event_within_two_weeks"),
    ("event", "my sister's wedding the 14th", "event_within_two_weeks"),  # Dec 14: 19 days
    # nervous-system conditions outside the contract's list (not of the neuromuscular junction)
    ("neuromuscular", "I have MS", "neuromuscular_disorder"),
    ("neuromuscular", "fibromyalgia", "neuromuscular_disorder"),
]


@pytest.mark.parametrize("asked, text, code", NOT_RAISED)
def test_negated_past_family_or_lookalike_does_not_raise(asked, text, code):
    flags = flags_after((asked, text))
    assert code not in flags, f"{text!r} (asked {asked}) should not raise {code}: {flags[code]}"


@pytest.mark.parametrize("text, codes", [
    ("Botox for my 11s before my wedding in 9 days; I take fish oil; not pregnant",
     {"event_within_two_weeks", "bleeding_risk_supplement"}),
    ("I'm breastfeeding and on Eliquis", {"breastfeeding", "anticoagulant"}),
    ("not pregnant but breastfeeding, and I have a cold sore", {"breastfeeding", "skin_infection"}),
    ("no blood thinners. I do take fish oil and I'm 17", {"bleeding_risk_supplement", "under_18"}),
    ("hi! 52, hooded eyelids, crows feet, on warfarin", {"heavy_eyelids", "anticoagulant"}),
])
def test_first_message_volunteering_several_answers_raises_exactly_those(text, codes):
    assert set(flags_after((None, text))) == codes


def test_correction_in_a_later_message_raises_the_flag():
    flags = flags_after(("pregnancy", "no"), ("breastfeeding", "actually I might be pregnant"))
    assert "pregnant" in flags
    assert "might be pregnant" in flags["pregnant"].evidence


def test_later_past_statement_replaces_an_earlier_current_one():
    flags = flags_after((None, "I'm breastfeeding"),
                        ("breastfeeding", "sorry, I stopped breastfeeding in the summer"))
    assert "breastfeeding" not in flags


def test_three_non_answers_to_pregnancy_raise_pregnant_as_unclear():
    flags = flags_after(("pregnancy", "lol"), ("pregnancy", "pizza"), ("pregnancy", "blue"))
    assert "pregnant" in flags
    assert "blue" in flags["pregnant"].evidence


def test_two_non_answers_do_not_yet_raise_pregnant():
    assert "pregnant" not in flags_after(("pregnancy", "lol"), ("pregnancy", "pizza"))


@pytest.mark.parametrize("days, raised", [(0, True), (9, True), (13, True), (14, False),
                                          (20, False)])
def test_event_within_two_weeks_boundary(days, raised):
    flags = flags_after(("event", f"my wedding is in {days} days"))
    assert ("event_within_two_weeks" in flags) is raised


@pytest.mark.parametrize("text, raised", [
    ("Dysport 6 weeks ago", True),
    ("Dysport 12 weeks ago", True),   # 84 days
    ("Dysport 90 days ago", True),    # doses at least 90 days apart: day 90 is still recent
    ("Dysport 13 weeks ago", False),  # 91 days
    ("Dysport 5 months ago", False),
    ("Dysport last year", False),
])
def test_recent_toxin_treatment_boundary(text, raised):
    flags = flags_after(("prior_treatment", text))
    assert ("recent_toxin_treatment" in flags) is raised, flags


def test_prior_treatment_date_given_in_a_follow_up_raises_recent_toxin():
    flags = flags_after(("prior_treatment", "yes, Botox"), ("prior_treatment_date", "6 weeks ago"))
    assert "recent_toxin_treatment" in flags


def test_event_date_given_in_a_follow_up_raises_event_within_two_weeks():
    flags = flags_after(("event", "my sister's wedding"), ("event_date", "next Saturday"))
    assert "event_within_two_weeks" in flags


# --- recommendation and policy ---------------------------------------------------------------

def _flag(code: str, severity: Severity) -> Flag:
    return Flag(code=code, severity=severity, reason="r", evidence="e")


@pytest.mark.parametrize("severities, expected", [
    ([], Recommendation.PROCEED),
    ([Severity.ADVISORY], Recommendation.PROCEED),
    ([Severity.REVIEW], Recommendation.CLINICIAN_REVIEW),
    ([Severity.ADVISORY, Severity.REVIEW], Recommendation.CLINICIAN_REVIEW),
    ([Severity.DEFER], Recommendation.DEFER),
    ([Severity.ADVISORY, Severity.REVIEW, Severity.DEFER], Recommendation.DEFER),
])
def test_recommendation_is_the_strongest_severity(severities, expected):
    assert recommend([_flag(f"c{i}", s) for i, s in enumerate(severities)]) == expected


def test_recommendation_from_real_answers():
    assert recommend(list(flags_after((None, "I take fish oil")).values())) == \
        Recommendation.PROCEED
    assert recommend(list(flags_after((None, "I take Eliquis and fish oil")).values())) == \
        Recommendation.CLINICIAN_REVIEW
    assert recommend(list(flags_after((None, "I'm on Eliquis and pregnant")).values())) == \
        Recommendation.DEFER


def test_every_documented_flag_code_has_a_default_severity():
    rules = Path(__file__).parents[1] / "docs" / "contract" / "screening-rules.md"
    documented = set(re.findall(r"^\| `([a-z_0-9]+)` \|", rules.read_text(), re.M))
    assert documented == set(DEFAULT_SEVERITIES)


def test_policy_overrides_a_severity(tmp_path):
    policy = tmp_path / "policy.yml"
    policy.write_text("severities:\n  trying_to_conceive: defer\n  heavy_eyelids: review\n")
    severities = load_policy(policy)
    assert severities["trying_to_conceive"] == Severity.DEFER
    assert severities["pregnant"] == Severity.DEFER  # untouched codes keep their default
    flags = flags_after(("trying_to_conceive", "yes"), severities=severities)
    assert flags["trying_to_conceive"].severity == Severity.DEFER
    assert recommend(list(flags.values())) == Recommendation.DEFER


def test_no_policy_file_gives_the_defaults():
    assert load_policy(None) == DEFAULT_SEVERITIES


@pytest.mark.parametrize("content, message", [
    ("severities:\n  pregnancy: defer\n", "unknown flag code"),
    ("severities:\n  pregnant: block\n", "must be defer, review or advisory"),
    ("- pregnant\n", "expected a mapping"),
])
def test_bad_policy_file_raises_value_error(tmp_path, content, message):
    policy = tmp_path / "policy.yml"
    policy.write_text(content)
    with pytest.raises(ValueError, match=message):
        load_policy(policy)
