"""Dates in patient text, resolved against a fixed today (Wednesday 25 November 2026)."""
from __future__ import annotations

from datetime import date

import pytest

from bot.dates import describe, find_date

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize("text, expected", [
    ("in 9 days", date(2026, 12, 4)),
    ("wedding in 9 days", date(2026, 12, 4)),
    ("in two weeks", date(2026, 12, 9)),
    ("in a couple weeks", date(2026, 12, 9)),
    ("in a fortnight", date(2026, 12, 9)),
    ("in 3 wks", date(2026, 12, 16)),
    ("tomorrow", date(2026, 11, 26)),
    ("this weekend", date(2026, 11, 28)),
    ("Saturday", date(2026, 11, 28)),
    ("this Saturday", date(2026, 11, 28)),
    ("next Saturday", date(2026, 12, 5)),  # said on a Wednesday: Saturday of next week
    ("next Monday", date(2026, 11, 30)),   # Monday is already in next week
    ("next week", date(2026, 12, 2)),
    ("June 14", date(2027, 6, 14)),        # June has gone this year
    ("14th of June", date(2027, 6, 14)),
    ("Dec 1st", date(2026, 12, 1)),
    ("december 1", date(2026, 12, 1)),
    ("the 14th", date(2026, 12, 14)),      # the 14th has gone this month: next month's
    ("the 30th", date(2026, 11, 30)),
    ("on the 3rd", date(2026, 12, 3)),
    ("the 3rd of January", date(2027, 1, 3)),
    ("12/20", date(2026, 12, 20)),
    ("20/12", date(2026, 12, 20)),         # 20 can't be a month: day first
    ("Christmas", date(2026, 12, 25)),
    ("Christmas party next week", date(2026, 12, 2)),
    ("new year's eve", date(2026, 12, 31)),
    ("wedding in December", date(2026, 12, 1)),  # a month without a day: its earliest day
])
def test_future_dates_for_events(text, expected):
    when = find_date(text, TODAY, "future")
    assert when is not None and when[0] == expected
    assert when[0] >= TODAY  # an event date is never in the past unless the patient says so


@pytest.mark.parametrize("text, expected", [
    ("2 months ago", date(2026, 9, 26)),
    ("6 weeks ago", date(2026, 10, 14)),
    ("3 weeks back", date(2026, 11, 4)),
    ("a few months ago", date(2026, 8, 27)),
    ("about 2 months", date(2026, 9, 26)),
    ("last March", date(2026, 3, 31)),     # a past month without a day: its latest day
    ("in September", date(2026, 9, 30)),
    ("early october", date(2026, 10, 5)),
    ("mid september", date(2026, 9, 15)),
    ("Aug 2025", date(2025, 8, 31)),
    ("last month", date(2026, 10, 26)),
    ("last year", date(2025, 11, 25)),
    ("years ago", date(2024, 11, 25)),
    ("once, years ago", date(2024, 11, 25)),
    ("every 3 months, last one was 10 weeks ago", date(2026, 9, 16)),  # not "every 3 months"
    ("June 14", date(2026, 6, 14)),
])
def test_past_dates_for_prior_treatment(text, expected):
    when = find_date(text, TODAY, "past")
    assert when is not None and when[0] == expected
    assert when[0] <= TODAY


@pytest.mark.parametrize("text, expected", [
    ("my wedding was last month", date(2026, 10, 26)),
    ("yesterday", date(2026, 11, 24)),
    ("a month ago", date(2026, 10, 26)),
])
def test_words_with_their_own_direction_win_over_prefer(text, expected):
    assert find_date(text, TODAY, "future")[0] == expected


@pytest.mark.parametrize("text", [
    "10 mg", "2.5 mg", "20 units", "I take 81mg aspirin", "I'm 34 weeks pregnant",
    "3rd trimester", "first time", "twice a day", "my name is Jan", "we'd like it done",
    "I may be pregnant", "sun damage", "I sat down", "34",
])
def test_not_a_date(text):
    assert find_date(text, TODAY, "future") is None
    assert find_date(text, TODAY, "past") is None


def test_find_date_returns_the_words_that_gave_the_date():
    assert find_date("wedding in 9 days", TODAY) == (date(2026, 12, 4), "in 9 days")
    assert find_date("my sister's wedding on the 14th!", TODAY)[1] == "on the 14th"


@pytest.mark.parametrize("day, expected", [
    (date(2026, 12, 4), "Friday, December 4 (9 days away)"),
    (date(2026, 11, 26), "Thursday, November 26 (1 day away)"),
    (date(2026, 11, 25), "Wednesday, November 25 (today)"),
    (date(2026, 10, 14), "Wednesday, October 14 (42 days ago)"),
    (date(2027, 6, 14), "Monday, June 14, 2027 (201 days away)"),
])
def test_describe_reads_the_date_back(day, expected):
    assert describe(day, TODAY) == expected


@pytest.mark.parametrize("text", ["I have had lines for 9000 years lol", "ISO 8601 year",
                                  "99999999 weeks ago"])
def test_a_number_too_big_for_a_date_is_not_one_and_never_crashes(text):
    from bot.intake import IntakeState, take_turn

    for asked in (None, "event", "event_date", "prior_treatment_date", "age"):
        turn = take_turn(IntakeState(), text, asked, date(2026, 12, 4))
        event = turn.state.answers.get("event_date")
        assert event is None or not event.findings[-1].detail.get("date")


@pytest.mark.parametrize("text, today, prefer, expected", [
    ("our Diwali party", date(2029, 10, 25), "future", date(2029, 11, 5)),
    ("had it done just after Diwali", date(2029, 10, 25), "past", date(2028, 10, 17)),
    ("a Hanukkah party", date(2029, 12, 5), "future", date(2029, 12, 5)),  # on now
    ("a Hanukkah party", date(2029, 12, 11), "future", date(2030, 12, 21)),  # over for this year
    ("Chinese New Year", date(2029, 1, 20), "future", date(2029, 2, 13)),
    ("the day after Diwali", date(2029, 10, 25), "future", date(2029, 11, 6)),
    ("Holi", date(2029, 2, 20), "future", date(2029, 3, 1)),
    ("Rosh Hashanah", date(2029, 9, 1), "future", date(2029, 9, 10)),
])
def test_holidays_that_move_with_the_moon_are_dated_by_their_calendar(text, today, prefer,
                                                                       expected):
    assert find_date(text, today, prefer)[0] == expected


def test_a_bare_eid_is_the_next_of_the_two():
    day, _ = find_date("Eid", date(2029, 3, 1))
    assert date(2029, 4, 20) <= day <= date(2029, 4, 28)  # Eid al-Adha, not next year's al-Fitr
