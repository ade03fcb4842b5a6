"""The pre-appointment checklist: each line's condition, from patients' own phrasings, and its
length by SMS."""
from __future__ import annotations

from datetime import date

import pytest

from bot.care_catalogue import load_care_catalogue
from bot.checklist import build_checklist, should_send_checklist
from bot.intake import IntakeState, take_turn
from bot.models import IntakeSummary, Recommendation
from bot.sms_text import sms_segments
from bot.summary import build_summary

TODAY = date(2026, 11, 25)  # a Wednesday


def summary_after(*turns: tuple[str, str], photos: int = 0) -> IntakeSummary:
    """The summary after the patient's messages, each sent while `asked` was pending."""
    state = IntakeState()
    for asked, text in turns:
        state = take_turn(state, text, asked, TODAY).state
    summary = build_summary("c1", state, TODAY)
    summary.photos = [f"p{n}" for n in range(photos)]
    return summary


def lines(summary: IntakeSummary, channel: str = "web") -> dict[str, str]:
    """The checklist's lines by code."""
    checklist = build_checklist(summary, TODAY, channel, clinic="Brightside", phone="555-0199")
    return {line.code: line.text for line in checklist.lines}


def test_someone_on_eliquis_is_told_to_keep_taking_it_never_to_pause_or_stop_it():
    got = lines(summary_after(("medications", "I take Eliquis for my heart")))
    assert "Keep taking apixaban exactly as prescribed" in got["prescribed"]
    assert "supplements" not in got
    assert not any("pause" in text.lower() for text in got.values())


@pytest.mark.parametrize("said, names", [
    ("just fish oil", "Fish oil"),
    ("fish oil and a baby aspirin every day", "Aspirin and fish oil"),
    ("omega 3 + vitamin E", None),  # named however the lexicon names them, checked below
    ("ibuprofen when I need it", "Anti-inflammatory painkillers (like ibuprofen)"),
])
def test_bruising_supplements_are_paused_only_if_the_clinic_advises(said, names):
    got = lines(summary_after(("medications", said)))
    text = got["supplements"]
    assert "unless the clinic advises you to pause them" in text
    assert "never stop anything a doctor prescribed" in text
    if names:
        assert text.startswith(names + ":")
    assert "prescribed" not in got  # no prescribed blood thinner


def test_warfarin_and_fish_oil_get_both_lines():
    got = lines(summary_after(("medications", "warfarin 5mg and fish oil")))
    assert "warfarin" in got["prescribed"] and got["supplements"].startswith("Fish oil")


@pytest.mark.parametrize("said", ["none", "no meds, no supplements", "sertraline 50mg",
                                  "no meds but I have a bleeding disorder"])
def test_no_blood_thinning_medicine_means_no_medicine_lines(said):
    got = lines(summary_after(("medications", said)))
    assert "prescribed" not in got and "supplements" not in got


def test_a_wedding_in_10_days_is_too_soon_for_the_full_effect():
    got = lines(summary_after(("event", "my wedding is in 10 days")))
    assert got["event"].startswith("Your wedding is in 10 days, sooner than the 14 days")


def test_an_event_further_off_gives_the_latest_treatment_date():
    got = lines(summary_after(("event", "my daughter's wedding on January 30th")))
    assert got["event"] == ("Your wedding on Saturday, January 30, 2027: have treatment by "
                            "Saturday, January 16, 2027 at the latest, so the full effect "
                            "(about 14 days) is there in time.")


def test_an_event_exactly_14_days_away_can_still_be_planned_for_today():
    got = lines(summary_after(("event", "photo shoot in 2 weeks")))
    assert "have treatment by Wednesday, November 25 at the latest" in got["event"]


def test_no_event_means_no_event_line():
    assert "event" not in lines(summary_after(("event", "nothing coming up")))


def test_top_two_concerns_are_named_for_confirmation():
    got = lines(summary_after(("concerns", "my 11s, crows feet and forehead lines")))
    assert got["concerns"].count(" and ") == 1
    assert got["concerns"].startswith("Your top concerns: ")


def test_no_concerns_asks_the_patient_to_think_about_two():
    assert "two things" in lines(IntakeSummary(conversation_id="c"))["concerns"]


@pytest.mark.parametrize("poses, channel, expected, absent", [
    ([], "web", "face at rest, frowning, eyebrows raised, big smile. Add them with the photo "
     "guide in this chat", "one you like"),
    ([], "sms", "face at rest, frowning, eyebrows raised, big smile. Text them to us", None),
    (["rest", "frown"], "sms", "still to come: eyebrows raised, big smile.", "frowning"),
    (["rest", None], "web", "still to come: frowning, eyebrows raised, big smile.", "face at rest"),
])
def test_photos_still_missing_are_named_by_pose(poses, channel, expected, absent):
    summary = summary_after(("photos", "I'll bring them"), photos=len(poses))
    summary.photo_poses = {ref: pose for ref, pose in zip(summary.photos, poses) if pose}
    got = lines(summary, channel)["photos"]
    assert expected in got
    assert absent is None or absent not in got


def test_no_photo_line_once_every_pose_is_in_even_without_the_optional_one():
    summary = summary_after(("photos", "uploading now"), photos=4)
    summary.photo_poses = dict(zip(summary.photos, ["rest", "frown", "brows", "smile"]))
    assert "photos" not in lines(summary, "web")


def test_every_checklist_books_the_two_week_review():
    assert "2-week review" in lines(IntakeSummary(conversation_id="c"))["review"]


@pytest.mark.parametrize("recommendation, sent", [
    (Recommendation.PROCEED, True), (Recommendation.CLINICIAN_REVIEW, True),
    (Recommendation.DEFER, False), (Recommendation.NEEDS_CALL, False)])
def test_only_patients_who_may_go_ahead_get_a_checklist(recommendation, sent):
    assert should_send_checklist(IntakeSummary(conversation_id="c",
                                               recommendation=recommendation)) is sent


def everything() -> IntakeSummary:
    return summary_after(("concerns", "11s and crows feet"),
                         ("medications", "Eliquis, fish oil, turmeric, vitamin E and ginkgo"),
                         ("event", "my wedding on January 30th"))


def test_by_sms_every_text_fits_two_gsm7_segments_and_no_item_is_cut():
    checklist = build_checklist(everything(), TODAY, "sms", clinic="Brightside",
                                phone="555-0199")
    texts = checklist.sms_texts()
    assert len(texts) >= 2  # too long for one text
    for text in texts:
        assert sms_segments(text).encoding == "GSM-7"
        assert sms_segments(text).count <= 2
    joined = "\n".join(texts)
    for line in checklist.lines:
        assert f"- {line.text}" in joined  # every item whole, in one text
    assert texts[0].startswith("Before your consult at Brightside:")


def test_an_item_longer_than_two_segments_is_split_at_a_sentence(tmp_path):
    override = tmp_path / "clinic.yml"
    override.write_text("checklist:\n  review: '" + "Book your review now. " * 20 + "'\n")
    catalogue = load_care_catalogue(override)
    texts = build_checklist(IntakeSummary(conversation_id="c"), TODAY, "sms",
                            catalogue).sms_texts()
    assert all(sms_segments(t).count <= 2 for t in texts)
    assert all(t.endswith((".", ":")) for t in texts)


def test_a_curly_quote_in_a_clinics_wording_does_not_turn_the_text_into_ucs2(tmp_path):
    override = tmp_path / "clinic.yml"
    override.write_text("checklist:\n  heading: \"Before your visit at {clinic} \u2019\"\n")
    texts = build_checklist(IntakeSummary(conversation_id="c"), TODAY, "sms",
                            load_care_catalogue(override), clinic="Brightside").sms_texts()
    assert all(sms_segments(t).encoding == "GSM-7" for t in texts)


def test_the_web_text_is_one_message_with_one_line_per_item():
    checklist = build_checklist(everything(), TODAY, "web", clinic="Brightside", phone="1")
    text = checklist.as_text()
    assert text.count("\n- ") == len(checklist.lines)


def test_a_clinic_can_override_the_wording_by_env_var(tmp_path):
    override = tmp_path / "clinic.yml"
    override.write_text("checklist:\n  review: Please book your review at the desk.\n")
    catalogue = load_care_catalogue(env={"CLINIC_CARE_CATALOGUE": str(override)})
    got = build_checklist(IntakeSummary(conversation_id="c"), TODAY, "web", catalogue)
    assert got.lines[-1].text == "Please book your review at the desk."
    assert catalogue.checklist["heading"].startswith("Before your consult")  # default kept


@pytest.mark.parametrize("content, problem", [
    ("checklist:\n  reviw: x\n", "unknown entry"),
    ("checklst:\n  review: x\n", "unknown section"),
    ("checklist:\n  heading: 'At {clinc}'\n", "clinc"),
])
def test_a_broken_override_is_refused_at_load(tmp_path, content, problem):
    override = tmp_path / "clinic.yml"
    override.write_text(content)
    with pytest.raises(ValueError, match=problem):
        load_care_catalogue(override)
