"""The guided photo set: the order of the poses, what counts as missing, the SMS replies to it,
and the intake's reply when the patient says they will upload photos."""
from __future__ import annotations

from datetime import date

import pytest

from bot import photo_guide
from bot.intake import IntakeState, take_turn

TODAY = date(2026, 12, 6)


def test_the_set_asks_the_four_expressions_then_an_optional_photo_they_like():
    assert [p.key for p in photo_guide.POSES] == ["rest", "frown", "brows", "smile", "favourite"]
    assert [p.optional for p in photo_guide.POSES] == [False] * 4 + [True]


@pytest.mark.parametrize("taken, after, expected", [
    ([], None, "rest"),
    (["rest"], None, "frown"),
    (["rest"], "frown", "brows"),  # frowning was just skipped
    (["rest", "frown", "brows", "smile"], None, "favourite"),
    (["rest", "frown", "brows", "smile", "favourite"], None, None),
    (["frown"], "favourite", None),  # skipped the last one: nothing after it
    ([None, "rest"], None, "frown"),  # a photo without a pose fills nothing
])
def test_next_pose(taken, after, expected):
    found = photo_guide.next_pose(taken, after=after)
    assert (found.key if found else None) == expected


def test_missing_never_counts_the_optional_photo():
    assert photo_guide.missing(["rest", "frown", "brows", "smile"]) == []
    assert [p.key for p in photo_guide.missing(["favourite"])] == ["rest", "frown", "brows",
                                                                    "smile"]


@pytest.mark.parametrize("text, expected", [
    ("skip", "skip"), ("Skip this one", "skip"), ("SKIP!", "skip"), ("next", "skip"),
    ("pass", "skip"), ("i can't", "skip"), ("dont have one", "skip"),
    ("done", "done"), ("DONE.", "done"), ("that's all", "done"), ("no more photos", "done"),
    ("all done", "done"),
    # Anything longer is an answer to the intake, not to the photo guide.
    ("no", None), ("none", None), ("skip the botox", None), ("next week", None),
    ("done with fish oil", None), ("i'm done with the pill, not pregnant", None), ("", None),
])
def test_only_a_whole_skip_or_done_answers_the_photo_guide(text, expected):
    assert photo_guide.command(text) == expected


def test_sms_asks_name_the_place_in_the_set_and_how_to_skip():
    ask = photo_guide.sms_ask(photo_guide.pose("brows"))
    assert ask.startswith("Next photo (3 of 5): Raising your eyebrows")
    assert "SKIP" in ask and "DONE" in ask


@pytest.mark.parametrize("answer, guided", [
    ("I'll upload them", True), ("yes ill send them now", True), ("sure, uploading", True),
    ("I'll bring them", False), ("no photos of me", False), ("no", False),
])
def test_saying_they_will_upload_starts_the_guide_and_nothing_else_does(answer, guided):
    turn = take_turn(IntakeState(), answer, "photos", TODAY)
    assert "photos" in turn.changed
    assert ("utter_photo_guide" in turn.replies) == guided
    assert turn.next_question != "photos"  # the intake goes on meanwhile


def test_the_guide_is_offered_once_not_on_every_later_message():
    turn = take_turn(IntakeState(), "I'll upload them", "photos", TODAY)
    later = take_turn(turn.state, "none", turn.next_question, TODAY)
    assert "utter_photo_guide" not in later.replies


def test_the_guide_reply_says_how_on_each_channel():
    assert "camera button" in photo_guide.how_to_send("web")
    sms = photo_guide.how_to_send("sms")
    assert "text them one at a time" in sms and "face at rest" in sms
