"""SMS length rules, as carriers count them: GSM-7 or UCS-2 segments, and splitting long text
into texts of at most two segments at sensible places (paragraph, line, sentence, word).

Plain functions with no web imports: the SMS webhook (bot/web/sms.py), the pre-appointment
checklist and the check-in messages all use them.

    >>> sms_segments("Name: Zoé, age 34")
    Segments(encoding='GSM-7', count=1)
    >>> [sms_segments(t).count for t in split_message("word " * 100)]
    [2, 2]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec used to count SMS segments)

MAX_SEGMENTS = 2  # per text sent: short enough to read, few enough to keep costs down
# Segment sizes (3GPP TS 23.040): one segment, or each part of a concatenated message, which
# gives up room to the header that joins the parts again.
GSM7_SINGLE, GSM7_PART = 160, 153  # septets; an extension character (€ [ ] { } ...) takes 2
UCS2_SINGLE, UCS2_PART = 70, 67  # UTF-16 code units; an emoji takes 2

# Typographic characters with a plain GSM-7 equivalent: one curly apostrophe would otherwise
# send the whole text as UCS-2, at 67 characters a segment instead of 153.
_GSM_FRIENDLY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
    "\u201e": '"', "\u2033": '"', "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-",
    "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2022": "-",
})

def gsm_friendly(text: str) -> str:
    """Text with curly quotes, dashes, ellipses and odd spaces as their GSM-7 equivalents."""
    return text.translate(_GSM_FRIENDLY)


@dataclass(frozen=True)
class Segments:
    """How a text travels: its encoding ("GSM-7" or "UCS-2") and how many segments it takes."""

    encoding: str
    count: int


def sms_segments(text: str) -> Segments:
    """The encoding and segment count a carrier uses for text (GSM 03.38 when every character
    has a GSM-7 code, else UCS-2)."""
    try:
        costs = [len(char.encode("gsm03.38")) for char in text]
    except UnicodeEncodeError:
        costs = [len(char.encode("utf-16-le")) // 2 for char in text]
        return Segments("UCS-2", _pack(costs, UCS2_SINGLE, UCS2_PART))
    return Segments("GSM-7", _pack(costs, GSM7_SINGLE, GSM7_PART))


def _pack(costs: list[int], single: int, part: int) -> int:
    """Segments needed for characters of these costs; a character never straddles two parts."""
    if sum(costs) <= single:
        return 1 if costs else 0
    count, used = 1, 0
    for cost in costs:
        if used + cost > part:
            count, used = count + 1, 0
        used += cost
    return count



def split_message(text: str, max_segments: int = MAX_SEGMENTS) -> list[str]:
    """Text cut into texts of at most `max_segments` SMS segments each, at a paragraph, line,
    sentence or word boundary (the latest strong one in the second half of a part, else the
    latest word boundary); a single word too long for one part is the only thing ever cut."""
    parts: list[str] = []
    rest = text.strip()
    while sms_segments(rest).count > max_segments:
        cut = _cut_point(rest, _fitting_chars(rest, max_segments))
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _fitting_chars(text: str, max_segments: int) -> int:
    """The longest prefix of text (in characters) that fits in max_segments segments."""
    low, high = 1, len(text)  # a prefix only grows in segments as it grows, so bisect
    while low < high:
        middle = (low + high + 1) // 2
        if sms_segments(text[:middle]).count <= max_segments:
            low = middle
        else:
            high = middle - 1
    return low


def _cut_point(text: str, limit: int) -> int:
    """Where to end the next part of text (see split_message)."""
    window = text[: limit + 1]  # a boundary right after the limit still leaves a full part
    for pattern in (r"\n\s*\n", r"\n", r"[.!?…][)\"'”’]*\s"):
        ends = [m.end() for m in re.finditer(pattern, window) if m.end() - 1 <= limit]
        if ends and ends[-1] > limit // 2:
            return min(ends[-1], limit)
    spaces = [m.start() for m in re.finditer(r"\s", window)]
    return spaces[-1] if spaces and spaces[-1] > 0 else limit


