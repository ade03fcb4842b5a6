"""Dates in patient text ("in 9 days", "next Saturday", "June 14", "2 months ago").

Resolved against today in the clinic's timezone. Every resolved date is read back to the patient,
because "the 14th" or "next Saturday" can mean two things.
"""
from __future__ import annotations

import re
import warnings
from datetime import date, datetime, timedelta

NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                "couple": 2, "a couple of": 2, "few": 3, "a few": 3}
UNIT_DAYS = {"day": 1, "week": 7, "wk": 7, "month": 30, "mo": 30, "year": 365, "yr": 365}
_MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
           "june|july|august|september|october|november|december")
_DATEISH = re.compile(rf"\d|\b({_MONTHS})\b|monday|tuesday|wednesday|thursday|friday|saturday|"
                      r"sunday|tomorrow|today|tonight|week|month|year|weekend", re.I)
_RELATIVE = re.compile(
    r"\b(?:in\s+)?(?P<n>\d+|a couple of|a few|couple|few|an?|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve)\s*(?P<unit>day|week|wk|month|mo|year|yr)s?\b"
    r"(?P<tail>\s+(?:ago|back|from now|away|out|time))?", re.I)


def _relative(text: str, today: date, prefer: str) -> tuple[date, str] | None:
    match = _RELATIVE.search(text)
    if not match:
        return None
    raw_n = match.group("n").lower()
    n = int(raw_n) if raw_n.isdigit() else NUMBER_WORDS.get(raw_n, 1)
    days = n * UNIT_DAYS[match.group("unit").lower()]
    tail = (match.group("tail") or "").strip().lower()
    past = tail in ("ago", "back") or (prefer == "past" and tail not in ("from now", "away"))
    return (today - timedelta(days=days) if past else today + timedelta(days=days)), match.group()


def find_date(text: str, today: date, prefer: str = "future") -> tuple[date, str] | None:
    """The first date in `text` as (date, the words that gave it), or None.

    >>> find_date("wedding in 9 days", date(2026, 11, 25))
    (datetime.date(2026, 12, 4), 'in 9 days')
    """
    found = _relative(text, today, prefer)
    if found:
        return found
    lowered = text.lower()
    if re.search(r"\bthis weekend\b", lowered):
        return today + timedelta(days=(5 - today.weekday()) % 7), "this weekend"
    if re.search(r"\bnext weekend\b", lowered):
        return today + timedelta(days=(5 - today.weekday()) % 7 + 7), "next weekend"
    return _dateparser(text, today, prefer)


def _dateparser(text: str, today: date, prefer: str) -> tuple[date, str] | None:
    from dateparser.search import search_dates  # slow import: only when a date is needed

    base = datetime(today.year, today.month, today.day, 12)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer,
                "PREFER_DAY_OF_MONTH": "first" if prefer == "past" else "current"}
    cleaned = re.sub(r"\b(\d+)\s*(mg|mcg|ml|units?|iu|yo|y/o|years old|weeks pregnant)\b", " ",
                     text, flags=re.I)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = search_dates(cleaned, languages=["en"], settings=settings) or []
    for words, when in results:
        if not _DATEISH.search(words) or re.fullmatch(r"\s*(on\s+)?(may|march)\s*", words, re.I):
            continue
        if re.fullmatch(r"\s*\d{1,3}\s*", words):  # a bare number is an age or a dose, not a date
            continue
        resolved = when.date()
        if prefer == "future" and resolved < today:
            resolved = _roll_forward(resolved, today, words)
        if prefer == "past" and resolved > today:
            resolved = _roll_back(resolved)
        return resolved, words.strip()
    return None


def _roll_forward(resolved: date, today: date, words: str) -> date:
    """"the 14th" said on the 25th means next month's 14th; "June 14" said in July, next year's."""
    if re.search(r"\d{4}", words):
        return resolved
    if not re.search(rf"\b({_MONTHS})\b|/", words, re.I):
        month = today.month % 12 + 1
        year = today.year + (1 if month == 1 else 0)
        try:
            return date(year, month, resolved.day)
        except ValueError:
            return resolved
    try:
        return resolved.replace(year=resolved.year + 1)
    except ValueError:
        return resolved + timedelta(days=365)


def _roll_back(resolved: date) -> date:
    try:
        return resolved.replace(year=resolved.year - 1)
    except ValueError:
        return resolved - timedelta(days=365)


def describe(day: date, today: date) -> str:
    """A date read back to the patient: "Friday, December 4 (9 days away)"."""
    delta = (day - today).days
    when = day.strftime("%A, %B ") + str(day.day)
    if day.year != today.year:
        when += f", {day.year}"
    if delta == 0:
        return f"{when} (today)"
    if delta > 0:
        return f"{when} ({delta} day{'s' if delta != 1 else ''} away)"
    return f"{when} ({-delta} day{'s' if delta != -1 else ''} ago)"
