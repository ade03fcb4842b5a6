"""What the parser understands from real patient phrasings: yes/no, concerns, medicines, age,
names, contacts, and several answers in one message."""
from __future__ import annotations

from datetime import date

import pytest

from bot.lexicon import entity_patterns
from bot.models import Polarity
from bot.parsing import EXTRACTORS
from bot.text import clauses, normalise, yes_no

TODAY = date(2026, 11, 25)


def found(topic: str, text: str, asked: bool = True) -> dict[str, tuple[Polarity, dict]]:
    """item -> (polarity, detail) for one extractor."""
    return {f.item: (f.polarity, f.detail) for f in EXTRACTORS[topic](text, asked, TODAY)}


@pytest.mark.parametrize("text, expected", [
    ("y", "yes"), ("ya", "yes"), ("yep", "yes"), ("Yes!", "yes"), ("yess", "yes"),
    ("Yup 👍", "yes"), ("👍", "yes"), ("✅", "yes"), ("yeah sure", "yes"), ("I am", "yes"),
    ("i think so", "yes"), ("of course", "yes"), ("absolutely", "yes"),
    ("n", "no"), ("no.", "no"), ("NO", "no"), ("nah", "no"), ("nope", "no"), ("nooo", "no"),
    ("👎", "no"), ("nope 👎", "no"), ("definitely not", "no"), ("not at all", "no"),
    ("i dont think so", "no"), ("I don't think so", "no"), ("probably not", "no"),
    ("not that I know of", "no"), ("N/A", "no"),
    ("no idea", "unsure"), ("not sure", "unsure"), ("idk", "unsure"), ("dunno", "unsure"),
    ("maybe", "unsure"), ("probably", "unsure"), ("🤷", "unsure"), ("hmm", "unsure"),
    ("im good", None), ("what?", None), ("my forehead", None), ("", None),
])
def test_yes_no(text, expected):
    assert yes_no(text) == expected


@pytest.mark.parametrize("text, areas", [
    ("the lines between my brows", {"frown_lines"}),
    ("my 11s", {"frown_lines"}),
    ("elevens and forhead", {"frown_lines", "forehead_lines"}),
    ("crows feet", {"crows_feet"}),
    ("crow's feet when I smile", {"crows_feet"}),
    ("lines around my eyes when I laugh", {"crows_feet"}),
    ("my forehead and crows feet", {"forehead_lines", "crows_feet"}),
    ("jaw clenching", {"masseter"}),
    ("I grind my teeth at night", {"masseter"}),
    ("gummy smile", {"gummy_smile"}),
    ("neck bands", {"platysma"}),
    ("bunny lines", {"bunny_lines"}),
    ("lip lines from smoking", {"lip_lines"}),
    ("pebble chin", {"chin"}),
    ("my marionette lines", {"mouth_corners"}),
    ("just want to look fresher", {"other"}),
])
def test_concerns_map_to_areas(text, areas):
    result = found("concerns", text)
    assert set(result) == areas
    assert all(polarity == Polarity.PRESENT for polarity, _ in result.values())


@pytest.mark.parametrize("text, shows", [
    ("crow's feet when I smile", "expression"),
    ("forehead lines even at rest", "rest"),
    ("frown lines, they're there all the time", "rest"),
    ("11s when I frown and at rest", "both"),
    ("forehead lines, both", "both"),
    ("my forehead", None),
])
def test_concern_rest_or_expression(text, shows):
    (_, detail), *_ = found("concerns", text).values()
    assert detail["shows"] == shows


@pytest.mark.parametrize("text, shows", [
    ("both", "both"), ("only when I frown", "expression"), ("all the time", "rest"),
    ("yes all of them", "both"),
])
def test_concern_timing_answer(text, shows):
    assert found("concern_timing", text)["shows"][1]["shows"] == shows


@pytest.mark.parametrize("text, expected", [
    ("fish oil, eliquis and zoloft", {"fish oil": "bleeding_risk_supplement",
                                      "apixaban": "anticoagulant", "sertraline": None}),
    ("Advil", {"nsaid": "bleeding_risk_supplement"}),
    ("baby aspirin", {"aspirin": "bleeding_risk_supplement"}),
    ("Xarelto 20mg", {"rivaroxaban": "anticoagulant"}),
    ("Flexeril", {"muscle relaxant": "interacting_medication"}),
    ("scopolamine patch for travel", {"anticholinergic": "interacting_medication"}),
    ("vitamin D and biotin", {"vitamin d": None, "biotin": None}),
    ("ozempic", {"semaglutide": None}),
    ("I bruise easily", {"bleeding disorder": "anticoagulant"}),
])
def test_medications_and_their_categories(text, expected):
    result = found("medications", text)
    assert {item: detail["category"] for item, (_, detail) in result.items()} == expected


@pytest.mark.parametrize("text, item", [
    ("none", "none"), ("nope", "none"), ("no meds", "none"), ("nothing at all", "none"),
    ("I take something for my thyroid", "unrecognised"),
])
def test_medications_none_or_unrecognised(text, item):
    assert item in found("medications", text)


def test_bare_yes_to_medications_waits_for_names():
    assert found("medications", "yes") == {}


def test_several_answers_in_one_message():
    text = "Botox for my 11s before my wedding in 9 days; I take fish oil; not pregnant"
    assert set(found("concerns", text, asked=False)) == {"frown_lines"}
    event = found("event", text, asked=False)["event"]
    assert event[0] == Polarity.PRESENT and event[1]["days_away"] == 9
    assert found("medications", text, asked=False)["fish oil"][0] == Polarity.PRESENT
    assert found("pregnancy", text, asked=False)["pregnant"][0] == Polarity.ABSENT
    assert found("breastfeeding", text, asked=False) == {}


def test_each_finding_keeps_its_own_clause_as_evidence():
    findings = EXTRACTORS["pregnancy"]("I'm not pregnant but I am breastfeeding", True, TODAY)
    assert [(f.polarity, f.evidence) for f in findings] == [(Polarity.ABSENT, "I'm not pregnant")]
    findings = EXTRACTORS["breastfeeding"]("I'm not pregnant but I am breastfeeding", True, TODAY)
    assert [(f.polarity, f.evidence) for f in findings] == [
        (Polarity.PRESENT, "but I am breastfeeding")]


@pytest.mark.parametrize("text, asked, age", [
    ("34", True, 34), ("I'm 52", True, 52), ("I'm 52", False, 52), ("thirty four", True, 34),
    ("forty-two", True, 42), ("age 45", False, 45), ("I'm 29 years old", False, 29),
    ("I'm 34, turning 35 in may", True, 34), ("I'll be 18 next month", True, 17),
    ("dob 03/14/1990", True, 36), ("17", True, 17),
    ("I'm 34 weeks pregnant", True, None), ("I'm 34 weeks pregnant", False, None),
    ("34", False, None),  # a bare number, unasked, is not an age
    ("I have 2 kids", False, None), ("10mg of baclofen", True, None),
])
def test_age(text, asked, age):
    result = found("age", text, asked)
    assert (result["age"][1]["age"] if result else None) == age


@pytest.mark.parametrize("text, asked, name", [
    ("Sarah", True, "Sarah"), ("my name is Sarah Jones", False, "Sarah Jones"),
    ("I'm Maria", True, "Maria"), ("hi it's Jo", True, "Jo"), ("call me Liz", False, "Liz"),
    ("this is priya patel", False, "Priya Patel"), ("yes", True, None), ("hello", True, None),
    ("Sarah", False, None),
])
def test_name(text, asked, name):
    result = found("name", text, asked)
    assert (result["name"][1]["name"] if result else None) == name


@pytest.mark.parametrize("text, asked, contact", [
    ("sarah@example.com", True, "sarah@example.com"),
    ("my email is a.b+c@mail.co.uk", False, "a.b+c@mail.co.uk"),
    ("555-123-4567", True, "555-123-4567"),
    ("(555) 123 4567", True, "(555) 123 4567"),
    ("+44 7700 900123", False, "+44 7700 900123"),
    ("text me here", True, "this chat"),
    ("text me here", False, None),
    ("no thanks", True, None),
])
def test_contact(text, asked, contact):
    result = found("contact", text, asked)
    assert (result["contact"][1]["contact"] if result else None) == contact


@pytest.mark.parametrize("text, product, complications", [
    ("Dysport, my brow dropped after", "Dysport", ["droopy eyelid"]),
    ("botox, a bit uneven last time", "Botox", ["asymmetry"]),
    ("xiomin 4 months ago", "Xeomin", []),
    ("yes, some tox at a med spa", "botulinum toxin", []),
])
def test_prior_treatment_product_and_complications(text, product, complications):
    polarity, detail = found("prior_treatment", text)["toxin"]
    assert polarity == Polarity.PRESENT
    assert detail["product"] == product and detail["complications"] == complications


@pytest.mark.parametrize("text", ["never", "no, first time", "never had it done"])
def test_first_timer(text):
    assert found("prior_treatment", text)["toxin"][0] == Polarity.ABSENT


def test_clauses_split_on_but_and_keep_original_words():
    assert [c.original for c in clauses("No blood thinners, but I take fish oil. Not pregnant!")] \
        == ["No blood thinners", "but I take fish oil.", "Not pregnant!"]


def test_normalise_maps_emoji_and_apostrophes():
    assert normalise("Crow’s feet 👍") == "crows feet yes"


def test_entity_patterns_cover_the_lexicon_for_rasa():
    patterns = entity_patterns()
    by_phrase = {(p["pattern"], p["label"]): p["id"] for p in patterns}
    assert by_phrase[("eliquis", "medication")] == "apixaban"
    assert by_phrase[("fish oil", "supplement")] == "fish oil"
    assert by_phrase[("crows feet", "treatment_area")] == "crows_feet"
    assert by_phrase[("myasthenia gravis", "condition")] == "myasthenia gravis"
    assert all(len(p["pattern"]) > 2 for p in patterns)  # "mg", "ms" are never entities


@pytest.mark.parametrize("text,expected", [
    ("no clue", "unsure"), ("mayyybe", "unsure"), ("I'd have to ask my doctor", "unsure"),
    ("nopeee", "no"), ("not in the slightest", "no"), ("nuh uh", "no"),
    ("yeh", "yes"), ("yessir", "yes"), ("100%", "yes"), ("you got it", "yes"),
])
def test_more_ways_patients_say_yes_no_and_not_sure(text, expected):
    # "no clue" once read as "no": to "are you pregnant?" that would have hidden a defer.
    assert yes_no(text) == expected


@pytest.mark.parametrize("text,name", [
    ("Jane, and I'm pregnant btw", "Jane"), ("Maria Lopez. I take warfarin", "Maria Lopez"),
    ("Mei Chin", "Mei Chin"), ("Forehead lines, when I frown", None), ("crows feet", None),
    ("no, I'm pregnant", None),
])
def test_a_name_answer_may_carry_more_after_it(text, name):
    from bot.parsing import extract_name

    found = extract_name(text, True, date(2026, 11, 25))
    assert (found[0].detail["name"] if found else None) == name


@pytest.mark.parametrize("text, age", [
    ("I'm 5'4\"", None), ("5 ft 4", None), ("5'4", None), ("40% off?", None),
    ("im 5'4 and 34", 34), ("130 lbs, 29 years old", 29), ("5'6\" and 17", 17), ("34", 34),
])
def test_a_height_weight_or_percentage_is_never_an_age(text, age):
    from datetime import date

    from bot.parsing import extract_age

    found = extract_age(text, True, date(2026, 12, 4))
    assert (found[0].detail.get("age") if found else None) == age


def _flags_and_open(messages: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    from bot.intake import IntakeState, outstanding, take_turn
    from bot.summary import build_summary

    state = IntakeState()
    for asked, text in messages:
        state = take_turn(state, text, asked, TODAY).state
    return sorted(f.code for f in build_summary("c", state, TODAY).flags), outstanding(state)


@pytest.mark.parametrize("messages, flags", [
    ([("prior_treatment", "yes, botox recently")], ["recent_toxin_treatment"]),
    ([("prior_treatment", "not sure, maybe recently")], ["recent_toxin_treatment"]),
    ([("prior_treatment", "yes, botox recently"), ("prior_treatment_date", "in January 2025")], []),
    ([("prior_treatment", "no, not recently, never had it")], []),
    ([("prior_treatment", "my sister had botox recently")], []),
    ([("prior_treatment", "is it ok if I had botox recently?")], []),
    ([("prior_treatment", "I recently read about botox but never had it")], []),
])
def test_a_toxin_treatment_said_to_be_recent_counts_as_within_90_days_until_dated(messages, flags):
    assert _flags_and_open(messages)[0] == flags


@pytest.mark.parametrize("text", ["I breastfed my daughter but I stopped 2 years ago",
                                  "breastfed my daughter, stopped 2 years ago"])
def test_breastfeeding_that_ended_years_ago_raises_nothing(text):
    from bot.intake import IntakeState, take_turn

    turn = take_turn(IntakeState(), text, "breastfeeding", TODAY)
    assert _flags_and_open([("breastfeeding", text)])[0] == []
    assert turn.next_question == "confirm_answer"  # a defer question: checked, never assumed


@pytest.mark.parametrize("asked, text, closes", [
    ("allergies", "allergic to a few things", False),
    (None, "hi, I am allergic to a few things", False),
    ("allergies", "my mum is allergic to a few things", False),
    ("allergies", "are some things worth mentioning?", False),
    ("allergies", "a few things: penicillin", True),
])
def test_an_allergy_with_nothing_named_leaves_the_question_open(asked, text, closes):
    flags, still_open = _flags_and_open([(asked, text)])
    assert flags == [] and ("allergies" not in still_open) == closes


def _read(asked, text, today):
    from bot.intake import IntakeState, outstanding, take_turn
    from bot.summary import build_summary

    turn = take_turn(IntakeState(), text, asked, today)
    flags = sorted(f.code for f in build_summary("c", turn.state, today).flags)
    age = turn.state.answers.get("age")
    return flags, outstanding(turn.state), turn.next_question, (
        age.findings[0].detail.get("age") if age else None)


MID_MARCH = date(2029, 3, 15)  # Easter 2029 is Sunday 1 April: 17 days away


@pytest.mark.parametrize("text", ["Return the named value", "my kids drive me nuts", "Mondays lol",
                                  "the cat"])
def test_a_sentence_is_not_an_allergy(text):
    """Short free text to the allergy question is an allergen only when it names one."""
    flags, still_open, asked_next, _ = _read("allergies", text, TODAY)
    assert flags == [] and "allergies" in still_open and asked_next == "allergies"


@pytest.mark.parametrize("text", ["shellfish", "latex n plasters", "kiwi fruit", "Zinnat",
                                  "Ciproxin makes me itch all over", "nickel in earrings"])
def test_a_named_allergen_answers_the_allergy_question(text):
    flags, still_open, _, _ = _read("allergies", text, TODAY)
    assert flags == [] and "allergies" not in still_open


@pytest.mark.parametrize("asked, text, flags", [
    (None, "39 | not pg | not bf | vit E daily | no allergies", ["bleeding_risk_supplement"]),
    (None, "vit E daily. no allergies", ["bleeding_risk_supplement"]),
    ("medications", "a pill so I'm not running to the bathroom, Detrol or something like that",
     ["interacting_medication"]),  # the "not" is the purpose's, and ends at the comma
    ("medications", "not on anything, so no aspirin", []),
    ("medications", "Hemlibra injections every week", ["anticoagulant"]),
    ("medications", "Albyl-E 75, one a day", ["bleeding_risk_supplement"]),
    ("medications", "Brexin tablets for my back", ["bleeding_risk_supplement"]),
    ("medications", "Memoplant for my memory", ["bleeding_risk_supplement"]),
    ("medications", "Refobacin drip, day 4 of 10", ["interacting_medication"]),
    ("medications", "Urivesc is what I take for my bladder", ["interacting_medication"]),
    ("medications", "I inject Liquemin daily after my op", ["anticoagulant"]),
    ("pregnancy", "not pregnant, though my 8 month old still feeds from me", ["breastfeeding"]),
    ("pregnancy", "no, only thing is I pump at work for my 5 week old", ["breastfeeding"]),
    ("breastfeeding", "no, apart from the 5am feed he won't give up", ["breastfeeding"]),
    ("breastfeeding", "no, the only one I feed round here is the cat", []),
    ("breathing", "sob on exertion atm", ["swallowing_or_breathing_difficulty"]),
    ("breathing", "Breztri every day and I'm still puffed out",  # glycopyrronium: anticholinergic
     ["interacting_medication", "swallowing_or_breathing_difficulty"]),
    ("breathing", "I sob when I watch films", []),
    ("skin_infection", "cold sour on my top lip since yday", ["skin_infection"]),
    ("event", "Easter Sunday", []),
    ("event", "it's my daughter's, on Good Friday", []),
    ("event", "the 12th of apirl, a thursday", []),
    ("event", "hen sat", ["event_within_two_weeks"]),
    ("age", "first had botox at 31, now 44", []),
    ("event", "the wedding is now 10 days away", ["event_within_two_weeks"]),
    ("prior_treatment", "yes, in January - sorry, it was last September", []),
])
def test_more_answers_read_as_a_stranger_writes_them(asked, text, flags):
    assert _read(asked, text, MID_MARCH)[0] == flags


@pytest.mark.parametrize("asked, text", [
    ("pregnancy", "I doubt it very much, but who knows"),
    ("pregnancy", "very unlikely, I reckon"),
    ("allergies", "don't think so, but I've never been tested"),
    ("trying_to_conceive", "we're not trying, but we're not stopping it either"),
])
def test_a_hedged_no_is_checked_not_taken_or_flagged(asked, text):
    flags, still_open, asked_next, _ = _read(asked, text, MID_MARCH)
    assert flags == [] and asked in still_open and asked_next == "confirm_answer"


@pytest.mark.parametrize("asked, text, still_open", [
    ("allergies", "my little girl has CMPA", True),  # another person's allergy
    ("event", "my engagement party was on Saturday just gone", True),  # the past
    ("allergies", "allergic to nada, bru", False),
    ("skin_infection", "skins clear atm", False),
    ("breathing", "my partner has sleep apnoea, I breathe fine", False),
])
def test_only_the_patients_own_present_answer_closes_a_question(asked, text, still_open):
    flags, open_now, _, _ = _read(asked, text, MID_MARCH)
    assert flags == [] and (asked in open_now) == still_open


@pytest.mark.parametrize("asked, text, age", [
    (None, "52, on clopidogrel, had Dysport on 10 January, son's wedding on the 25th", 52),
    (None, "39 | not pg | not bf | vit E daily | no allergies", 39),
    (None, "71 n on warfarin, crows ft?", 71),
    (None, "G'day, 61 and I take a baby aspirin each morning", 61),
    (None, "ALS patient, 63. My daughter's wedding is on the 18th", 63),
    (None, "my son is 19 and wants botox", None),
    (None, "10 - 12 units last time", None),
    ("age", "33 (my sister's 36, she's coming too)", 33),
    ("age", "thirty nyne", 39),
    ("age", "started noticing lines at about 30", None),
    ("age", "somewhere north of 50", None),
])
def test_the_age_is_the_patients_own(asked, text, age):
    assert _read(asked, text, MID_MARCH)[3] == age


LATE_OCTOBER = date(2028, 10, 24)


@pytest.mark.parametrize("asked, text, flags, age", [
    (None, "hey im 14 nd want my 11s done, is that aloud", ["under_18"], 14),
    (None, "Evening! 49, my GP has me on cyclobenzaprine for back spasms",
     ["interacting_medication"], 49),
    (None, "Hello! 41. No pregnancy, no breastfeeding, only supplement is ginkgo",
     ["bleeding_risk_supplement"], 41),
    (None, "Myasthenia patient here (58). Our ruby anniversary party is on the 3rd",
     ["event_within_two_weeks", "neuromuscular_disorder"], 58),
    (None, "Saturday's my wedding!! is it too late for botox?", ["event_within_two_weeks"], None),
    ("age", "16 n a half", ["under_18"], 16),
    ("breastfeeding", "no, youngest just turned 7", [], None),
    ("medications", "ditched the naproxen in September, on zilch now", [], None),
    ("medications", "Trombyl 75 every morning", ["bleeding_risk_supplement"], None),
    ("medications", "Elonox shots while I'm in this moon boot", ["anticoagulant"], None),
    ("medications", "Glycate is what I take for drooling", ["interacting_medication"], None),
    ("breathing", "lungs all gd ta", [], None),
    ("allergies", "cows mlk protien alergy", ["milk_protein_allergy"], None),
    ("skin_infection", "got cellulitis in my shin a few years back", [], None),
    ("allergies", "allergic to milk till I was about 4, I'm fine with cheese and lattes now", [],
     None),
    ("event", "yes, on the 2nd - wait, it's the 2nd of December, I'm mixing up months", [], None),
])
def test_more_of_a_strangers_phrasings(asked, text, flags, age):
    got_flags, _, _, got_age = _read(asked, text, LATE_OCTOBER)
    assert (got_flags, got_age) == (flags, age)


@pytest.mark.parametrize("asked, text, flags", [
    ("neuromuscular", "no, the only thing I can't swallow is my pride", []),
    ("neuromuscular", "nope the only thing i choke on is my words", []),
    ("neuromuscular", "i choke on my food sometimes",
     ["neuromuscular_disorder", "swallowing_or_breathing_difficulty"]),
    ("breathing", "only breathless when Gerard Butler's on screen", []),
    ("breathing", "breathless when i walk up stairs", ["swallowing_or_breathing_difficulty"]),
    ("skin_infection", "no. a rash decision maybe", []),
    ("skin_infection", "just a rash of bad decisions lol", []),
    ("skin_infection", "rash of spots on my chin", ["skin_infection"]),
    ("neuromuscular", "MND took my grandad and now my uncle has it", []),
    ("neuromuscular", "yes MND, it took my mobility", ["neuromuscular_disorder"]),
    (None, "58, on fish oil, got my daughter's engagement do in June",
     ["bleeding_risk_supplement"]),
])
def test_a_joke_or_a_relatives_illness_is_not_the_patients_symptom(asked, text, flags):
    assert _read(asked, text, LATE_OCTOBER)[0] == flags


@pytest.mark.parametrize("text, flags", [
    ("yes our diwali party", ["event_within_two_weeks"]),  # Monday 5 November 2029: 11 days
    ("yes, chinese new year", []),  # February 2030
])
def test_an_event_on_a_moving_holiday_is_dated(text, flags):
    assert _read("event", text, date(2029, 10, 25))[0] == flags


@pytest.mark.parametrize("text, age", [
    ("70 and with more energy than my grandkids", 70), ("66 and still dance all night", 66),
    ("40 and fabulous", 40), ("10 and 12 units", None),
    ("my husband 50 and me 47", 47), ("36 just turned", 36),
    ("when i started botox i was 30, now 41", 41),
    ("born in 84", 43), ("born in 1990, my birthday is the 28th of this month", 37),
    ("born 12 March 1990", 38),
    ("my shoe size is 38", None), ("42 Wallaby Way", None),
])
def test_an_answer_to_the_age_question_as_strangers_give_it(text, age):
    assert _read("age", text, date(2028, 6, 16))[3] == age


EARLY_JULY = date(2029, 7, 2)  # a Monday; Easter 2029 was Sunday 1 April (92 days before)


@pytest.mark.parametrize("asked, text, flags", [
    # brands sold abroad, and a name said by its start
    ("medications", "Warfarex 5mg, INR checks at the clinic", ["anticoagulant"]),
    ("medications", "Etorix 90 for my knees", ["bleeding_risk_supplement"]),
    ("medications", "Kolanticon gel for my IBS", ["interacting_medication"]),
    ("medications", "Promixin nebs twice a day", ["interacting_medication"]),
    ("medications", "baclo 10 tds", ["interacting_medication"]),
    ("medications", "the one that starts with warf, can't remember the rest", ["anticoagulant"]),
    ("medications", "a pill starting with meto, dont remember", []),  # methocarbamol or metoprolol
    # another person's medicine, the patient's own no
    ("medications", "hubby's the one on Plavix, me I'm on zero", []),
    ("medications", "apixaban - no sorry that's my dad's", []),
    # an allergy to a medicine is not taking it; a toxin wanted is not a toxin allergy
    (None, "hi, allergic to clindamycin", []),
    (None, "hi, allergic to aspirin, want botox", []),
    ("allergies", "Botox gave me a rash back in 2025", ["toxin_allergy"]),
    ("allergies", "I have a Botox allergy", ["toxin_allergy"]),
    ("allergies", "allergic to aspirin, want botox", []),
    ("allergies", "my boy is allergic to dairy protein, he's 3", []),
    # present, past, over now
    ("breastfeeding", "combi fed but mostly boob", ["breastfeeding"]),
    ("breastfeeding", "no, well, I pump every morning for the freezer stash", ["breastfeeding"]),
    ("breastfeeding", "nah not feeding, bub #1 weaned, but there's another one cooking, 8 wks",
     ["pregnant"]),
    ("trying_to_conceive", "gave up for a year but started again in may", ["trying_to_conceive"]),
    ("trying_to_conceive", "maybe next year we will try for a second", []),
    ("trying_to_conceive", "no, only thing we're trying is a new thai place", []),
    ("breathing", "no, only thing I choke on is karaoke high notes", []),
    ("breathing", "the only thing I choke on is bread", ["swallowing_or_breathing_difficulty"]),
    ("breathing", "sob w stairs atm", ["swallowing_or_breathing_difficulty"]),
    ("neuromuscular", "they tested me for ALS last year, all clear", []),
    ("skin_infection", "the impetigo's my daughter's, my skin is fine", []),
    ("skin_infection", "got a cs rn", ["skin_infection"]),
    # toxin treatments: a date said loosely, a treatment that was not a toxin, one not had
    ("prior_treatment", "yeah mid-may, can i top up already?", ["recent_toxin_treatment"]),
    ("prior_treatment", "yes, easter-ish, maybe the week after", ["recent_toxin_treatment"]),
    ("prior_treatment", "yes, Easter Monday, is that over the 90 days?", []),
    ("prior_treatment", "Emface in April", []),
    ("prior_treatment", "almost did it in Bali last month lol", []),
    ("prior_treatment", "i had injections in my forehead in may, never knew if it was botox or filler",
     ["recent_toxin_treatment"]),
    ("event", "yes on the 4th, oh wait, it's the 4th of next month not this one", []),
])
def test_strangers_phrasings_of_set_16(asked, text, flags):
    assert _read(asked, text, EARLY_JULY)[0] == flags


@pytest.mark.parametrize("text, flags, age", [
    ("my 9mo still nurses, is botox ok for me?", ["breastfeeding"], None),
    ("26, my baby's 3 months and fully breastfed, is botox out?", ["breastfeeding"], 26),
    ("67 and my upper lids hang over my lashes now, will botox help?", ["heavy_eyelids"], 67),
    ("cyclobenzaprine for my bad back (48) - can I still get frown lines done?",
     ["interacting_medication"], 48),
    ("17 but 18 in august, can I book now?", ["under_18"], 17),
    ("ticagrelor since my heart attack, Xeomin on 1 May, and my daughter gets married on the "
     "14th. 55. am I ok for a top up?",
     ["anticoagulant", "event_within_two_weeks", "recent_toxin_treatment"], 55),
    ("age 41, no preg, no bf, take ginkgo, no allergies, gala on the 12th. crows feet pls",
     ["bleeding_risk_supplement", "event_within_two_weeks"], 41),
    ("39 here. got botox 5 weeks ago and it barely did anything, engagement party friday - can u "
     "top me up", ["event_within_two_weeks", "recent_toxin_treatment"], 39),
    ("10 days late on my period (24F), should I still come in tomorrow?", ["pregnant"], 24),
    ("for my wife not me - she takes rivaroxaban, would you treat her?", [], None),
    ("I had 20 units (20) last time", [], None),
])
def test_a_first_message_with_several_answers(text, flags, age):
    got_flags, _, _, got_age = _read(None, text, EARLY_JULY)
    assert (got_flags, got_age) == (flags, age)


@pytest.mark.parametrize("text, age", [
    ("18 tomorrow!!", 17), ("37 now, started botox when I was 25", 37), ("45 yeasr of age", 45),
    ("late 30s, put it that way", None), ("in my late 30s, 38", 38),
])
def test_ages_of_set_16(text, age):
    assert _read("age", text, EARLY_JULY)[3] == age


MID_DECEMBER = date(2029, 12, 11)  # a Tuesday; the Melbourne Cup was Tuesday 6 November


@pytest.mark.parametrize("asked, text, flags", [
    # names a prescription or a patient shortens, and brands sold abroad
    ("medications", "warf 3mg od", ["anticoagulant"]),
    ("medications", "oxybut 5mg bd", ["interacting_medication"]),
    ("medications", "Briclot twice a day since my heart attack", ["anticoagulant"]),
    ("medications", "Vonvendi infusions when I bleed, type 3 VWD", ["anticoagulant"]),
    ("medications", "Sofdra gel on my underarms every night", ["interacting_medication"]),
    ("medications", "Mikacin drip, day 4 of 7", ["interacting_medication"]),
    ("medications", "Allimax capsules, it's garlic I think", ["bleeding_risk_supplement"]),
    ("allergies", "an Octalbin drip gave me hives", ["toxin_allergy"]),
    # the patient among others, someone else, the past, a question, a joke
    ("medications", "both me and my husband take fish oil", ["bleeding_risk_supplement"]),
    ("medications", "took warfarin for half of 2022 after a PE", []),
    ("medications", "should I take arnica after? or ibuprofen?", []),
    ("medications", "no, my only blood thinner is red wine 🍷", []),
    ("pregnancy", "my daughter just told me she's pregnant!! I'm going to be a granny", []),
    ("pregnancy", "no - wait, yes! 9 weeks, still not used to saying it", ["pregnant"]),
    ("breastfeeding", "no breastfeeding, tho baby no. 3 is due in june", ["pregnant"]),
    ("breastfeeding", "thought we'd stopped in august but she's been latching again every night "
     "since her tummy bug", ["breastfeeding"]),
    ("trying_to_conceive", "we were trying until october, decided to take a break", []),
    ("trying_to_conceive", "i stopped the pill to get pregnant", ["trying_to_conceive"]),
    ("breathing", "my old man's on oxygen for his emphysema", []),
    ("breathing", "the one on oxygen is my father in law, who has copd", []),
    ("breathing", "gettin sob just walkin 2 the car rn", ["swallowing_or_breathing_difficulty"]),
    ("breathing", "i dont get short of breath nor i have trouble swallowing", []),
    ("skin_infection", "cold sores were my nemesis in high school", []),
    ("skin_infection", "bottom lip has a cold sorre", ["skin_infection"]),
    ("skin_infection", "infection yes, but its a uti", []),
    ("allergies", "none except Vibramycin, I get a rash", []),
    ("allergies", "yes, wasps - is that a problem for botox?", []),
    ("allergies", "and if I'm allergic and don't know it, then what?", []),
    ("concerns", "crow's feet mainly, though my eyebrows have sunk lower over the years",
     ["heavy_eyelids"]),
    ("prior_treatment", "yes, Dysport at the begining of septmber", []),
    ("prior_treatment", "yes, the day after the Melbourne Cup", ["recent_toxin_treatment"]),
    ("photos", "sent 2: a 2019 holiday snap and a selfie from monday", []),
    ("breastfeeding", "I'm the dad here, my wife does the boob feeds", []),
    ("event", "yes the 20th... of january, not this month, my bad", []),
    ("pregnancy", "haven't had a period since early november", ["pregnant"]),
    ("pregnancy", "no, haven't had a period since my hysterectomy", []),
    (None, "haven't had a period since early november and I'm 31, is it still ok to come in?",
     ["pregnant"]),
])
def test_strangers_phrasings_of_set_17(asked, text, flags):
    assert _read(asked, text, MID_DECEMBER)[0] == flags


@pytest.mark.parametrize("asked, text", [
    ("medications", "rivaroxaban - wait, no, that was my old prescription, on nothing now"),
    ("trying_to_conceive", "yes - actually no, we've put it on hold until after the move"),
    ("breathing", "brething fine, swallowng fine"),
    ("breathing", "only a stuffy head cold, nothing with my chest"),
    ("event", "the diary's empty, honestly"),
    ("photos", "there aren't really any recent photos of me, I'm always the one taking them"),
    ("prior_treatment", "my mum's the botox queen, never tried it myself"),
    ("medications", "nah, I only take the mickey, not tablets"),
])
def test_a_no_said_another_way_closes_the_question(asked, text):
    flags, todo, _, _ = _read(asked, text, MID_DECEMBER)
    assert flags == [] and asked not in todo


@pytest.mark.parametrize("asked, text", [
    ("event", "how long does the whole thing take"),
    ("concerns", "can I buy a voucher for my sister while I'm at it"),
    ("allergies", "not that I know of, but I've never been tested"),
])
def test_a_question_back_or_a_hedge_is_asked_again(asked, text):
    assert asked in _read(asked, text, MID_DECEMBER)[1]


@pytest.mark.parametrize("asked, text, age", [
    ("age", "date of birth 3.4.1990", 39), ("age", "50 on christmas day 🎄", 49),
    ("pregnancy", "no, and I'm 1.7m and 65 kilos if you need that", None),
    (None, "Lambert-Eaton patient (70) hoping to get my frown softened", 70),
])
def test_ages_of_set_17(asked, text, age):
    assert _read(asked, text, MID_DECEMBER)[3] == age


def test_a_wedding_after_a_past_treatment_in_one_message_is_still_upcoming():
    flags = _read(None, "heparin jabs after my op, had Dysport on 20 November, son's wedding the "
                  "22nd. 60. can I have a top up?", MID_DECEMBER)[0]
    assert flags == ["anticoagulant", "event_within_two_weeks", "recent_toxin_treatment"]


MID_MAY = date(2030, 5, 15)  # a Wednesday; Friday the 17th is two days away


@pytest.mark.parametrize("asked, text, flags", [
    ("pregnancy", "I'm a guy lol, it's my partner who's 20 weeks", []),
    ("pregnancy", "no... well actually I did a test this morning and it's positive 😳", ["pregnant"]),
    ("pregnancy", "not pregnant, but I'm on fertility meds to get there", ["trying_to_conceive"]),
    ("breastfeeding", "no... well I still express a bottle for her nursery days", ["breastfeeding"]),
    ("breastfeeding", "yeah exclusivly breastfed, 5 monts", ["breastfeeding"]),
    ("medications", "swapped my paracetamol for ibuprofen last month", ["bleeding_risk_supplement"]),
    ("medications", "not sure of the name, a muscle relaxer for my back, metho-something",
     ["interacting_medication"]),
    ("medications", "methocarb qds for my back atm", ["interacting_medication"]),
    ("medications", "Enoxiluv shots in my tummy since my hip op", ["anticoagulant"]),
    ("medications", "Alabukun powder when my head is banging, most days sha",
     ["bleeding_risk_supplement"]),
    ("breathing", "no, only thing hard to swallow is my electricity bill", []),
    ("skin_infection", "my face is free of cold sores and infections right now", []),
    ("skin_infection", "only a cold sore, it's crusting over now", ["skin_infection"]),
    ("skin_infection", "no, the only sore thing will be my wallet after this", []),
    ("event", "my son's passing out parade is on friday, there'll be loads of photos",
     ["event_within_two_weeks"]),
    ("prior_treatment", "botoks in aprill, top of my face", ["recent_toxin_treatment"]),
    ("prior_treatment", "crows feet did 6wks back yh", ["recent_toxin_treatment"]),
    ("allergies", "Botox made my eyelids balloon in 2026", ["toxin_allergy"]),
    ("allergies", "not sure, my forehead came up in a rash after my last Xeomin, could've been the "
     "makeup", ["toxin_allergy"]),
    ("age", "dob: 20.11.12", ["under_18"]),
    (None, "expecting in september - can I get on your list for after?", ["pregnant"]),
    (None, "garlic capsule addict (47) - giving a speech at my sister's wedding on saturday, too "
     "late for my forehead?", ["bleeding_risk_supplement", "event_within_two_weeks"]),
    (None, "MG patient (66) hoping to soften my frown before my grandson's graduation on the 28th",
     ["event_within_two_weeks", "neuromuscular_disorder"]),
    (None, "period's 2 weeks late and I'm 29, should I still come in for my appointment?",
     ["pregnant"]),
    (None, "my baby's fully weaned since march, ok to book?", []),
    (None, "breastfeedng my son is botox ok", ["breastfeeding"]),
    ("neuromuscular", "the neuro wants to rule out ALS, results in june", ["neuromuscular_disorder"]),
    ("prior_treatment", "my husband had his masseters done in april", []),
    ("prior_treatment", "HArmonyCa in my cheeks in march", []),
    (None, "38F / ginkgo daily / not preg or bf / no allergies / TV interview tues / want crow's "
     "feet done", ["bleeding_risk_supplement", "event_within_two_weeks"]),
])
def test_strangers_phrasings_of_set_18(asked, text, flags):
    assert _read(asked, text, MID_MAY)[0] == flags


def test_a_bmi_is_not_an_age():
    assert _read("medications", "rivaroxaban 15mg, BMI 31 if that matters", MID_MAY)[3] is None


EARLY_OCTOBER = date(2030, 10, 9)  # a Wednesday; "Saturday week" is the 19th, ten days away


@pytest.mark.parametrize("asked, text, flags", [
    ("medications", "Clotix 75, one a day since the angioplasty", ["anticoagulant"]),
    ("medications", "Roxarel 15 for my AF", ["anticoagulant"]),
    ("medications", "Loxonin for my knees", ["bleeding_risk_supplement"]),
    ("medications", "Gofex when my period pain is bad", ["bleeding_risk_supplement"]),
    ("medications", "OrfenAce for my back, two a day", ["interacting_medication"]),
    ("medications", "on salmon oil capsules - do I need to pause them before?",
     ["bleeding_risk_supplement"]),
    ("medications", "edoxaban... actually no, the cardiologist stopped it in the spring, so nothing",
     []),
    ("medications", "fish oil... actually no, I take krill oil", ["bleeding_risk_supplement"]),
    ("medications", "tobramycin drip in hospital with a chest infection, that was 2019", []),
    ("medications", "on warfarin, that was 2019 when I started", ["anticoagulant"]),
    ("breathing", "Duolin nebs 3 times a day, chest is tight",
     ["interacting_medication", "swallowing_or_breathing_difficulty"]),
    ("breathing", "no asthma, but swallowing's been hard since my stroke",
     ["swallowing_or_breathing_difficulty"]),
    ("breathing", "no, though I do choke on the school fees every term", []),
    ("breathing", "I choke on my food a lot", ["swallowing_or_breathing_difficulty"]),
    ("breastfeeding", "yep - oh wait, breastfeeding? no, we switched to formula in june", []),
    ("breastfeeding", "no apart from the 3am one, she won't settle without it", ["breastfeeding"]),
    ("breastfeeding", "no apart from that all good", []),
    ("breastfeeding", "we're nearly done, she only wants the boob when she's poorly",
     ["breastfeeding"]),
    ("pregnancy", "my last pregnancy ended in an emergency c-section, 2028", []),
    ("pregnancy", "yes 10 weeks, my last pregnancy was twins", ["pregnant"]),
    ("trying_to_conceive", "nah nt ttc rn, maybe 2032", []),
    ("trying_to_conceive", "probably once we're married, so not before 2032", []),
    ("trying_to_conceive", "no... I mean, technically yes, we came off contraception in july",
     ["trying_to_conceive"]),
    ("trying_to_conceive", "not trying... well, actually yes, but we have not told anyone",
     ["trying_to_conceive"]),
    ("neuromuscular", "they tested me for Lambert-Eaton last year, it was negative", []),
    ("event", "getting wed sat wk x", ["event_within_two_weeks"]),
    ("event", "my sister got married last saturday, so that's done and dusted", []),
    ("event", "yes I did book a photoshoot for saturday", ["event_within_two_weeks"]),
    ("event", "no, the only shoot I'm doing is sunday league football", []),
    ("event", "no, the only event I have is my wedding on saturday", ["event_within_two_weeks"]),
    ("prior_treatment", "eptq in my lips in september", []),
    ("prior_treatment", "filler in my lips in september", []),
    ("prior_treatment", "filler in september and tox in my forehead", ["recent_toxin_treatment"]),
    ("allergies", "a Medytox injection in Seoul gave me hives for days", ["toxin_allergy"]),
    (None, "78, on Eliquis and my swallowing's gone funny lately, ok for forehead?",
     ["anticoagulant", "swallowing_or_breathing_difficulty"]),
    (None, "43F / ginkgo + turmeric / not pg / no allergies / photoshoot sat / frown lines pls",
     ["bleeding_risk_supplement", "event_within_two_weeks"]),
    (None, "could be pregnant, waiting to test, should I keep monday's slot?", ["pregnant"]),
    (None, "could I have botox if pregnant?", []),
    (None, "breasfeedin rn, can i still do botox", ["breastfeeding"]),
])
def test_strangers_phrasings_of_set_19(asked, text, flags):
    assert _read(asked, text, EARLY_OCTOBER)[0] == flags


@pytest.mark.parametrize("asked, text, flags", [
    ("event_date", "Mashujaa Day", ["event_within_two_weeks"]),  # 20 October, Kenya
    ("event_date", "the 4th of next month", []),
    ("prior_treatment_date", "the weekend after Bastille Day - is that under 3 months?",
     ["recent_toxin_treatment"]),
    ("prior_treatment_date", "the day after the Glorious Twelfth", ["recent_toxin_treatment"]),
    ("prior_treatment_date", "early jully", []),  # 3 July 2030 is 98 days before
])
def test_holidays_and_typos_of_set_19_give_the_date(asked, text, flags):
    from tests.nlu.phrase_eval import read

    got = read({"asked": asked, "text": text, "today": EARLY_OCTOBER})
    assert got["closes"] and got["flags"] == flags


@pytest.mark.parametrize("text, age", [
    ("d.o.b. 01/02/79", 51), ("seventy, but my spirit's about 35", 70), ("sixty wun", 61),
])
def test_ages_of_set_19(text, age):
    assert _read("age", text, EARLY_OCTOBER)[3] == age


@pytest.mark.parametrize("text, allergen", [("nkda, shellfish tho", "shellfish"),
                                              ("I broke out in a rash from Penbritin", "penbritin")])
def test_an_allergy_named_in_passing_is_recorded_as_one(text, allergen):
    from bot.intake import IntakeState, take_turn

    turn = take_turn(IntakeState(), text, "allergies", EARLY_OCTOBER)
    kept = turn.state.answers["allergies"].present()
    assert kept and allergen in kept[0].evidence.lower()


EARLY_MARCH = date(2031, 3, 4)  # a Tuesday; 90 days back is Wednesday 4 December 2030


@pytest.mark.parametrize("asked, text, flags", [
    ("medications", "Ibux for cramps every month", ["bleeding_risk_supplement"]),
    ("medications", "Acard 75 every morning since my TIA", ["bleeding_risk_supplement"]),
    ("medications", "Quinate at bedtime for my cramps", ["interacting_medication"]),
    ("medications", "Tiova rotacaps daily", ["interacting_medication"]),
    ("event", "not a wedding, but I'm being filmed for a documentary on the 10th",
     ["event_within_two_weeks"]),
    ("event", "I've got nothing planned for months", []),
    ("event", "nothing planned except my wedding saturday", ["event_within_two_weeks"]),
    ("skin_infection", "cld sre on lwr lip rn", ["skin_infection"]),
    ("skin_infection", "none except a few hormonal breakouts on my jaw", []),
    ("allergies", "none except Tazocin, I got a rash in hospital", []),
    ("breathing", "no, only breathless when the electricity bill lands", []),
    ("prior_treatment", "I had botox in march, but they never told me the brand",
     ["recent_toxin_treatment"]),
    ("prior_treatment", "never had it", []),
    (None, "dairy protein allergy here (the real one, not lactose) - which toxin won't set it off?",
     ["milk_protein_allergy"]),
    (None, "80, on clopidogrel and I keep coughing when I swallow - ok for my frown?",
     ["anticoagulant", "swallowing_or_breathing_difficulty"]),
])
def test_strangers_phrasings_of_set_20(asked, text, flags):
    assert _read(asked, text, EARLY_MARCH)[0] == flags


@pytest.mark.parametrize("asked, text, flags", [
    ("prior_treatment_date", "about fifteen weeks ago, give or take", []),  # 105 days
    ("prior_treatment_date", "ten weeks ago", ["recent_toxin_treatment"]),
    ("prior_treatment_date", "Black Friday weekend, there was a deal on", []),  # 29 November: 95 days
    ("event_date", "Ghana Independence Day", ["event_within_two_weeks"]),  # 6 March
])
def test_dates_of_set_20(asked, text, flags):
    from tests.nlu.phrase_eval import read

    got = read({"asked": asked, "text": text, "today": EARLY_MARCH})
    assert got["closes"] and got["flags"] == flags


@pytest.mark.parametrize("text, age", [("15 - sorry, typo, 51", 51), ("fourty-siix", 46)])
def test_ages_of_set_20(text, age):
    assert _read("age", text, EARLY_MARCH)[3] == age


MID_AUGUST = date(2031, 8, 13)  # a Wednesday; the August bank holiday is Monday 25 August


@pytest.mark.parametrize("asked, text, flags", [
    # openings: the patient's own facts said before any question
    (None, "68, rivaroxaban for my AF, I want my forehead lines gone", ["anticoagulant"]),
    (None, "12wks pg - can I still have my frown done?", ["pregnant"]),
    (None, "due in january (19 wks now), is botox ok before then?", ["pregnant"]),
    (None, "8 days late and haven't tested yet, should I cancel thursday?", ["pregnant"]),
    (None, "nursing my 5 month old myself, is that a problem for botox?", ["breastfeeding"]),
    (None, "last time Xeomin gave me a rash, I'm 50 - is Dysport ok instead?", ["toxin_allergy"]),
    (None, "my daughter marries on the 22nd and I'd like to look fresh", ["event_within_two_weeks"]),
    (None, "on warfarin, and tablets keep catching in my throat", ["anticoagulant",
                                                                  "swallowing_or_breathing_difficulty"]),
    (None, "the delivery is 3 days late, no test needed, I'd like my 11s done", []),
    (None, "thirty years of nursing shifts gave me these lines", []),
    # medicines by brands the reader did not know, and what the patient says about them
    ("medications", "Laventair Ellipta once a day", ["interacting_medication"]),
    ("medications", "Diclac when my back flares", ["bleeding_risk_supplement"]),
    ("medications", "Cardiomagnyl daily", ["bleeding_risk_supplement"]),
    ("medications", "Zorbix injections every evening since my hip op", ["anticoagulant"]),
    ("medications", "my husband takes krill oil and I've started taking it too",
     ["bleeding_risk_supplement"]),
    ("medications", "the cardiologist mentioned possibly starting a blood thinner next year", []),
    ("breastfeeding", "no, but I'm feeding 30 people at the christening", []),
    ("neuromuscular", "no doctor has ever told me I have anything like that", []),
    ("skin_infection", "yes - no sorry, it's razor burn", []),
    ("skin_infection", "my chin got infected after waxing in may, antibiotics sorted it", []),
    ("skin_infection", "cs on my lip since yesterday", ["skin_infection"]),
    ("event", "no, the only party I'm going to is a pity party", []),
    ("event", "no, the only event this week is the bin day", []),
    ("event", "the big do is over now, it was my niece's wedding in july", []),
    ("allergies", "maybe? I came up in hives after Bocouture but it could have been the cream",
     ["toxin_allergy"]),
    ("allergies", "I can't have Dysport, it gave me welts", ["toxin_allergy"]),
    (None, "my allergist said I can't have Dysport because of my allergy to cows milk protein",
     ["milk_protein_allergy"]),
])
def test_strangers_phrasings_of_set_21(asked, text, flags):
    assert _read(asked, text, MID_AUGUST)[0] == flags


@pytest.mark.parametrize("asked, text, flags", [
    ("event_date", "on the twenty third", ["event_within_two_weeks"]),
    ("event_date", "the thirtieth of august", []),  # 17 days away
    ("event_date", "Notting Hill Carnival", ["event_within_two_weeks"]),  # Monday 25 August
    ("event_date", "shoot on wensday 20th", ["event_within_two_weeks"]),
    ("event_date", "the Saturday 30", []),  # 17 days away, not this Saturday
    ("prior_treatment_date", "a top-up on the late may bank holiday", ["recent_toxin_treatment"]),
    ("prior_treatment_date", "the early may bank holiday", []),  # 5 May: 100 days
])
def test_dates_of_set_21(asked, text, flags):
    from tests.nlu.phrase_eval import read

    got = read({"asked": asked, "text": text, "today": MID_AUGUST})
    assert got["closes"] and got["flags"] == flags


@pytest.mark.parametrize("asked, text", [
    ("medications", "used to take ginkgo but stopped ages ago"),
    ("medications", "was on apixaban after a DVT, finished the course in 2029"),
    ("trying_to_conceive", "took us years of trying to have our daughter, back in 2027"),
])
def test_the_past_alone_leaves_the_question_open(asked, text):
    flags, todo, next_question, _ = _read(asked, text, MID_AUGUST)
    assert flags == [] and asked in todo and next_question == asked


@pytest.mark.parametrize("asked, text, age", [
    (None, "wedding friday!! 41, I take ibuprofen most days - too late?", 41),
    (None, "my grandson graduates in june and I'd love smoother lines - I'm 76, on aspirin", 76),
    ("age", "thrity-sixx", 36),
])
def test_ages_of_set_21(asked, text, age):
    assert _read(asked, text, MID_AUGUST)[3] == age


def test_an_age_then_is_not_the_age_now():
    assert _read("concerns", "my skin was smooth until I turned 40", MID_AUGUST)[3] is None


@pytest.mark.parametrize("text, allergen", [
    ("none except Klacid, it made me itch all over", "klacid"),
    ("Vancocin brought me out in a rash when I was in hospital", "vancocin"),
    ("yes, to latex - will the gloves be an issue?", "latex"),
])
def test_an_allergy_with_more_said_is_recorded(text, allergen):
    from bot.intake import IntakeState, take_turn

    turn = take_turn(IntakeState(), text, "allergies", MID_AUGUST)
    kept = turn.state.answers["allergies"].present()
    assert kept and allergen in kept[0].evidence.lower()


def test_a_runny_nose_is_no_trouble_breathing():
    flags, todo, _, _ = _read("breathing", "just hay fever", MID_AUGUST)
    assert flags == [] and "breathing" not in todo


MID_JANUARY = date(2032, 1, 16)  # a Friday; Tuesday 27 January is 11 days away


@pytest.mark.parametrize("asked, text, flags", [
    # brands the reader did not know
    ("medications", "Godamed every morning since my stent", ["bleeding_risk_supplement"]),
    ("medications", "Rivasa 81, one a day", ["bleeding_risk_supplement"]),
    ("medications", "Mobiflex for my knee", ["bleeding_risk_supplement"]),
    ("medications", "a teaspoon of BalanceOil with breakfast", ["bleeding_risk_supplement"]),
    ("medications", "Ginkor Fort capsules for my veins", ["bleeding_risk_supplement"]),
    ("medications", "Robax Platinum after gardening", ["bleeding_risk_supplement",
                                                      "interacting_medication"]),
    ("medications", "Myopridin for back spasms", ["interacting_medication"]),
    ("medications", "Respontin through the nebuliser", ["interacting_medication"]),
    # a medicine given up for another, or stopped a while ago, is not taken now
    ("medications", "swapped my naproxen for paracetamol in the autumn", []),
    ("medications", "been off the tizanidine since summer but I'm on apixaban now",
     ["anticoagulant"]),
    # another person, a pause, a plan
    ("pregnancy", "no, not pregnant, but I still nurse my 9 month old", ["breastfeeding"]),
    ("pregnancy", "preg with my 3rd, 20+4", ["pregnant"]),
    ("trying_to_conceive", "yes, changed my fertility app to plan-a-pregnancy mode", [
        "trying_to_conceive"]),
    ("breastfeeding", "breastfed my son till he was 3 and now I'm doing the same with his sister",
     ["breastfeeding"]),
    ("breathing", "chest is fine, but since my stroke food goes down slowly and I choke",
     ["swallowing_or_breathing_difficulty"]),
    ("skin_infection", "my niece has school sores, none on me though", []),
    # dates: a correction, a move, a chore's day, Canada's Thanksgiving
    ("event", "yes, the 22nd - hold on, the 22nd of april", []),
    ("event", "the shoot was pulled forward from april to tuesday the 27th",
     ["event_within_two_weeks"]),
    ("event", "no, the only event round here is recycling day on monday", []),
    ("event", "takde lah, quiet month", []),
    ("event_date", "party's on the twenty sevnth", ["event_within_two_weeks"]),
    ("prior_treatment_date", "the Monday of Thanksgiving - the Canadian one", []),
    ("allergies", "my mum reacted to Xeomin, I've never reacted to anything", []),
    ("allergies", "maybe? I got a rash after Dysport but I'd also started a new serum",
     ["toxin_allergy"]),
    ("allergies", "lactose intolerant, if that matters, not allergic though", []),
])
def test_strangers_phrasings_of_set_22(asked, text, flags):
    assert _read(asked, text, MID_JANUARY)[0] == flags


@pytest.mark.parametrize("asked, text, closed", [
    ("pregnancy", "had my baby at christmas, so definitely not again yet", True),
    ("breastfeeding", "hindi po, she is on formula now", True),
    ("neuromuscular", "the neurologist cleared me, no nerve or muscle diagnosis at all", True),
    ("neuromuscular", "mi puppa had MND, but mi fine", True),
    ("neuromuscular", "only a trapped nerve in my shoulder from the gym", True),
    ("breathing", "only a stuffy nose from a cold", True),
    ("breathing", "breathin n swallerin fine", True),
    ("event", "any chance of parking round the back? my hip's bad", False),
    ("medications", "they gave me gentamicin in hospital back in 2027", False),
    ("skin_infection", "I had cellulitis on my leg once, 2028 I think", False),
    ("allergies", "not that I'm aware of, never been tested", False),
])
def test_answers_of_set_22_close_only_when_clear(asked, text, closed):
    flags, todo, _, _ = _read(asked, text, MID_JANUARY)
    assert flags == [] and (asked not in todo) == closed


@pytest.mark.parametrize("asked, text, age", [
    ("age", "01/03/1992, born in a leap year", 39),
    ("age", "17, 18 on the 4th of may", 17),
    ("age", "16 and in yr 12", 16),
    (None, "my son's wedding is in april and I want to look my best - 68, on clopidogrel", 68),
])
def test_ages_of_set_22(asked, text, age):
    assert _read(asked, text, MID_JANUARY)[3] == age


def test_a_treatment_that_may_have_been_a_booster_is_unsure():
    from tests.nlu.phrase_eval import read

    got = read({"asked": "prior_treatment", "today": MID_JANUARY,
                "text": "something was injected in my frown in december, tox or a booster, "
                        "can't remember which"})
    assert got["answer"] == "unsure" and got["flags"] == ["recent_toxin_treatment"]


def test_frown_lines_that_now_stay_are_a_concern():
    flags, todo, _, _ = _read("concerns", "my forehead lines only came when I frowned, now "
                                          "they're there all the time", MID_JANUARY)
    assert "concerns" not in todo


def test_an_allergy_written_with_an_equals_sign_is_recorded():
    from bot.intake import IntakeState, take_turn

    turn = take_turn(IntakeState(), "nkda, but wasp stings = hives", "allergies", MID_JANUARY)
    kept = turn.state.answers["allergies"].present()
    assert kept and "wasp" in kept[0].evidence.lower()


@pytest.mark.parametrize("text", ["penicillin - rash", "amoxicillin = hives", "sulfa (rash)"])
def test_a_rash_named_as_a_medicines_reaction_is_no_skin_infection(text):
    flags, todo, _, _ = _read("allergies", text, MID_JANUARY)
    assert flags == [] and "allergies" not in todo and "skin_infection" in todo


EARLY_JUNE = date(2032, 6, 9)  # a Wednesday; 90 days back is Thursday 11 March


@pytest.mark.parametrize("asked, text, flags", [
    # brands read for the first time: aspirin and methocarbamol, ibuprofen, fish oil, vitamin E,
    # ginkgo, hyoscyamine, inhaled glycopyrronium and ipratropium, neomycin
    ("medications", "a Methoxisal or two when my back goes", ["bleeding_risk_supplement",
                                                              "interacting_medication"]),
    ("medications", "ascard 150 every morning", ["bleeding_risk_supplement"]),
    ("medications", "algifor for period pain", ["bleeding_risk_supplement"]),
    ("medications", "morepa and optovit, both daily", ["bleeding_risk_supplement"]),
    ("medications", "symax before meals", ["interacting_medication"]),
    ("medications", "an enurev inhaler in the morning", ["interacting_medication"]),
    ("medications", "on apix 2.5 bd", ["anticoagulant"]),
    ("medications", "my wife gets the fish oil and I have one too every day", ["bleeding_risk_supplement"]),
    ("medications", "back in 2029 I was on a drip of antibiotics, tobramycin, for a week", []),
    ("medications", "the cardiologist took me off clopidogrel last year, so I'm on nothing now", []),
    ("pregnancy", "pg 20+3 with my first", ["pregnant"]),
    ("pregnancy", "not sur, my priod is 5 days lait and no test yet", ["pregnant"]),
    ("pregnancy", "two years of IVF and yes, 8 weeks on friday", ["pregnant"]),
    ("breastfeeding", "not breastfeeding, but baby number 3 is on the way", ["pregnant"]),
    ("trying_to_conceive", "we were trying but stopped in the spring, agreed to hold off", []),
    (None, "period is 5 days overdue and I haven't tested, should I wait?", ["pregnant"]),
    (None, "the nurse did my forehead 3 weeks ago and one brow is wonky now", ["recent_toxin_treatment"]),
    ("skin_infection", "cheeks and chin are infection-free", []),
    ("event", "my mum's 60th on saturday, the whole family is coming", ["event_within_two_weeks"]),
    ("event_date", "definitely not this month - autumn 2033", []),
    ("prior_treatment", "had it in the 11s + fhead, april", ["recent_toxin_treatment"]),
    ("prior_treatment_date", "tuesday, march the 9th", []),  # 92 days ago
    ("prior_treatment_date", "Mother's Day - the British one", []),  # 7 March, 94 days ago
    ("prior_treatment", "juvelook in my neck in may", []),  # a skin booster, not a toxin
])
def test_strangers_phrasings_of_set_23(asked, text, flags):
    assert _read(asked, text, EARLY_JUNE)[0] == flags


@pytest.mark.parametrize("asked, text, closed", [
    ("medications", "I take zilch", True),
    ("medications", "ibuprofen - oh no, scratch that, I stopped it in march, so nothing", True),
    ("medications", "turmeric capsules years ago, haven't for ages", False),
    ("pregnancy", "my son was born at easter, so not again, no chance", True),
    ("pregnancy", "nt pg, hv the implant", True),
    ("pregnancy", "I'm a bloke, it's the missus who's expecting", True),
    ("neuromuscular", "my muscles and nerves have never given me any trouble", True),
    ("neuromuscular", "my grandad had MND, nothing wrong with me though", True),
    ("breathing", "just hay fever, a bit of a runny nose", True),
    ("skin_infection", "yes - hmm, no, it's only a shaving rash", True),
    ("event", "would a first date on friday count lol", False),
    ("allergies", "none I'm aware of, but no one has ever checked", False),
    ("allergies", "I'm lactose intolerant, not allergic", True),
    ("concerns", "my skin was perfect in my thirties", False),
])
def test_answers_of_set_23_close_only_when_clear(asked, text, closed):
    flags, todo, _, _ = _read(asked, text, EARLY_JUNE)
    assert (asked not in todo) == closed


@pytest.mark.parametrize("asked, text, closed", [
    ("event_date", "let me check with my sister tonight and get back to you", False),
    ("event_date", "it's tomorrow, I'll check the time and let you know", True),
    ("concern_timing", "sorry, what does 'at rest' mean?", False),
    ("concern_timing", "whenever my husband leaves the dishes", True),
])
def test_follow_up_answers_of_set_23_close_only_when_clear(asked, text, closed):
    from tests.nlu.phrase_eval import read  # the question it follows answered first

    assert read({"asked": asked, "text": text, "today": EARLY_JUNE})["closes"] == closed


@pytest.mark.parametrize("asked, text, age", [
    ("age", "born on leap day 1992", 40),
    ("age", "lines since I was 30, turned 47 in march", 47),
    ("age", "fifty, but I feel about eighty on a monday", 50),
    (None, "41 and pumping for my 3 month old, can I still have botox?", 41),
])
def test_ages_of_set_23(asked, text, age):
    assert _read(asked, text, EARLY_JUNE)[3] == age
