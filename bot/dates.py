"""Dates in patient text ("in 9 days", "next Saturday", "June 14", "2 months ago").

Resolved against today in the clinic's timezone. Every resolved date is read back to the patient,
because "the 14th" or "next Saturday" can mean two things. The common shapes are read by small
rules (predictable, and they never turn "the 3rd" into March); dateparser is the last resort.

`prefer` only settles ambiguous words ("June 14", "the 3rd", "2 months"): "future" for events,
"past" for prior treatment. Words that carry their own direction ("ago", "last", "yesterday",
"in 9 days") are honoured whatever `prefer` says, so callers can tell a past event from a future
one.
"""
from __future__ import annotations

import calendar
import functools
import re
import warnings
from datetime import date, datetime, timedelta

from bot.text import SHORTHAND, SHORTHAND_RE

NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
                "eighteen": 18, "nineteen": 19, "twenty": 20,
                "couple": 2, "a couple of": 2, "a couple": 2, "few": 3, "a few": 3,
                "several": 3, "some": 3, "many": 3}
UNIT_DAYS = {"day": 1, "week": 7, "wk": 7, "fortnight": 14, "month": 30, "mo": 30, "mth": 30,
             "year": 365, "yr": 365}
_MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
           "june|july|august|september|october|november|december")
MONTH_NUMBERS = {name: i for i, names in enumerate(
    [(), ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")]) for name in names}
_WEEKDAY_FORMS = [("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "weds", "wendsday", "wensday", "wednsday", "wednesday"),
                  ("thu", "thur", "thurs", "thursday"), ("fri", "friday"), ("sat", "saturday"),
                  ("sun", "sunday")]
WEEKDAYS = {name: i for i, names in enumerate(_WEEKDAY_FORMS) for name in names}
DAY_NAMES = tuple(names[-1] for names in _WEEKDAY_FORMS)  # "monday" ... "sunday"
_DATEISH = re.compile(rf"\d|\b({_MONTHS})\b|monday|tuesday|wednesday|thursday|friday|saturday|"
                      r"sunday|tomorrow|today|tonight|week|month|year|weekend", re.I)
_COUNT = r"\d+|a couple of|a couple|a few|couple|few|several|some|many|an?|one|two|three|" \
    r"four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|" \
    r"seventeen|eighteen|nineteen|twenty"
_RELATIVE = re.compile(
    r"(?<!every )(?<!each )(?<!once )(?<!twice )(?<!times )(?<!per )"  # "every 3 months": no date
    r"\b(?P<lead>in\s+(?:about\s+|around\s+|just\s+)?|over\s+)?"
    rf"(?:(?P<n>{_COUNT})\s*|(?=(?:weeks|months|years)\s+ago))"
    r"(?P<unit>days?|weeks?|wks?|fortnights?|months?|mos|mths?|years?|yrs?)\b"
    r"(?P<tail>\s+(?:ago|back|before|earlier|from now|away|out|time))?", re.I)
_KEYWORDS = {  # words with their own direction: days from today
    "day after tomorrow": 2, "today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1,
    "yesterday": -1, "next week": 7, "last week": -7, "next month": 30, "last month": -30,
    "next year": 365, "last year": -365, "a week today": 7, "the year before last": -730,
}
HOLIDAYS = {"carnival": None, "mardi gras": None, "shrove tuesday": None, "pancake day": None,
            "ash wednesday": None, "good friday": None, "easter monday": None, "easter": None,
            "mothering sunday": None,
            "epiphany": (1, 6), "day of the dead": (11, 2), "christmas eve": (12, 24), "christmas": (12, 25), "xmas": (12, 25),
            "new years eve": (12, 31), "nye": (12, 31), "new years day": (1, 1),
            "new years": (1, 1), "valentines": (2, 14), "halloween": (10, 31),
            "boxing day": (12, 26), "st patricks day": (3, 17), "st paddys day": (3, 17),
            "st johns day": (6, 24), "saint johns day": (6, 24), "st johns eve": (6, 23),
            "st pattys day": (3, 17), "paddys day": (3, 17), "patricks day": (3, 17),
            "pattys day": (3, 17), "independence day": (7, 4), "fourth of july": (7, 4),
            "4th of july": (7, 4), "canada day": (7, 1), "australia day": (1, 26),
            "cinco de mayo": (5, 5), "anzac day": (4, 25), "waitangi day": (2, 6),
            "groundhog day": (2, 2), "burns night": (1, 25), "bonfire night": (11, 5),
            "guy fawkes night": (11, 5), "guy fawkes": (11, 5), "fireworks night": (11, 5),
            "st davids day": (3, 1), "st georges day": (4, 23),
            "st andrews day": (11, 30), "juneteenth": (6, 19), "remembrance day": (11, 11),
            "veterans day": (11, 11), "earth day": (4, 22), "may day": (5, 1),
            "bastille day": (7, 14), "glorious twelfth": (8, 12),  # France; grouse season (UK)
            "heritage day": (9, 24),  # South Africa
            "guadalupe day": (12, 12),  # Mexico
            "ghana independence day": (3, 6), "human rights day": (3, 21),  # Ghana; South Africa
            "madaraka day": (6, 1), "mashujaa day": (10, 20), "jamhuri day": (12, 12)}  # Kenya
# Days that move with Easter: days from Easter Sunday.
EASTER_OFFSETS = {"carnival": -47, "mardi gras": -47, "shrove tuesday": -47, "pancake day": -47,
                  "ash wednesday": -46, "good friday": -2, "easter monday": 1,
                  "mothering sunday": -21}  # UK and Irish Mother's Day: the fourth Sunday of Lent
# Holidays on the n-th (or last, -1) weekday of a month: (month, weekday Mon=0, n).
WEEKDAY_HOLIDAYS = {"memorial day": (5, 0, -1), "labor day": (9, 0, 1), "labour day": (9, 0, 1),
                    "mothers day": (5, 6, 2), "fathers day": (6, 6, 3), "mlk day": (1, 0, 3),
                    "martin luther king day": (1, 0, 3), "presidents day": (2, 0, 3),
                    "early may bank holiday": (5, 0, 1), "may bank holiday": (5, 0, 1),
                    "spring bank holiday": (5, 0, -1), "august bank holiday": (8, 0, -1),
                    "late may bank holiday": (5, 0, -1), "summer bank holiday": (8, 0, -1),
                    # London's carnival ends on the August bank holiday Monday
                    "notting hill carnival": (8, 0, -1),
                    "columbus day": (10, 0, 2), "canadian thanksgiving": (10, 0, 2),
                    "canada thanksgiving": (10, 0, 2), "thanksgiving monday": (10, 0, 2),
                    "thanksgiving": (11, 3, 4),
                    "martin luther king": (1, 0, 3), "mlk": (1, 0, 3),
                    "melbourne cup": (11, 1, 1),  # the first Tuesday of November (Australia)
                    # Mexico's long weekends ("el puente de Benito Juárez"), in the gloss's words
                    "benito juarez": (3, 0, 3), "constitution day": (2, 0, 1),
                    "day of the constitution": (2, 0, 1), "revolution day": (11, 0, 3),
                    "day of the revolution": (11, 0, 3)}
# Days counted from US Thanksgiving (the fourth Thursday of November).
AFTER_THANKSGIVING = {"black friday": 1, "cyber monday": 4}

# Holidays that move with a lunar or lunisolar calendar, by the words patients use, and where their
# dates come from: the `holidays` package's calendars (country, category, that calendar's name
# for the day). The first day is meant ("Hanukkah", "Chinese New Year"); a bare "Eid" is whichever
# of the two comes first on the preferred side.
_EID_FITR = ("SA", "public", "Eid al-Fitr Holiday")
_EID_ADHA = ("SA", "public", "Eid al-Adha Holiday")
MOVING_HOLIDAYS = {
    r"diwali|deepavali|divali|deepawali|dipawali": (("IN", "public", "Diwali"),),
    r"holi": (("IN", "optional", "Holi"),),
    r"navratri|navaratri": (("IN", "optional", "Navratri / Sharad Navratri"),),
    r"rakhi|raksha bandhan": (("IN", "optional", "Raksha Bandhan"),),
    r"dussehra|dussera|dasara|dashain|vijayadashami": (("IN", "public", "Dussehra"),),
    r"(chinese|lunar) new year|cny|tet": (("CN", "public", "Chinese New Year (Spring Festival)"),),
    r"mid ?autumn festival|mooncake festival": (("CN", "public", "Mid-Autumn Festival"),),
    r"eid (al |ul |el |e )?fitr|eid fitr|hari raya( puasa| aidilfitri)?": (_EID_FITR,),
    r"eid (al |ul |el |e )?adha|eid adha|bakri eid|bakrid|hari raya haji|eid qurban": (_EID_ADHA,),
    r"eid": (_EID_FITR, _EID_ADHA),
    r"rosh hashanah?|rosh hashana": (("IL", "public", "Rosh Hashanah"),),
    r"yom kippur": (("IL", "public", "Yom Kippur"),),
    r"passover|pesach|seder": (("IL", "public", "Pesach"),),
    r"hanukk?ah|chanukk?ah|hannukk?ah": (("IL", "school", "Hanukkah"),),
    r"purim": (("IL", "optional", "Purim"),),
}
_MOVING_RE = re.compile(r"\b(" + "|".join(MOVING_HOLIDAYS) + r")\b")


def find_date(text: str, today: date, prefer: str = "future") -> tuple[date, str] | None:
    """The first date in `text` as (date, the words that gave it), or None.

    >>> find_date("wedding in 9 days", date(2026, 11, 25))
    (datetime.date(2026, 12, 4), 'in 9 days')
    """
    lowered = text.lower().replace("’", "'")
    # "my best friend's 30th is next Saturday": someone's birthday, unless a month follows
    lowered = re.sub(r"\b\w+'s \d{1,2}(st|nd|rd|th)\b(?! (of )?(jan|feb|mar|apr|may|jun|jul|aug|"
                     r"sep|oct|nov|dec))", " ", lowered)
    lowered = re.sub(r"(\w)'(\w)", r"\1\2", lowered)
    lowered = SHORTHAND_RE.sub(lambda m: SHORTHAND[m.group()], lowered)  # "nxt sat", "lst month"
    lowered = re.sub(r"\b(\d{1,2})(?:nth|rth|tht)\b", r"\1th", lowered)  # "the 12nth"
    # "first had botox at 31, now 44": ages, not days or times
    lowered = re.sub(r"\b(?:at|aged|age) (?:about |around )?(2[5-9]|[3-9]\d)\b(?!\s*(?:am|pm|:|h\b|hrs|"
                     r"oclock|st|nd|rd|th))|\bnow (\d{2})\b(?!\s*(?:am|pm|:|days?|weeks?|wks?|months?|"
                     r"mos?|years?|yrs?))", " ", lowered)
    # "Saturday's my wedding": the day, not a plural
    lowered = re.sub(r"\b((?:mon|tues|wednes|thurs|fri|satur|sun)day)s (?=(?:my|the|our|his|her|their|"
                     r"it|is)\b)", r"\1 ", lowered)
    # "on Saturday just gone", "Tuesday that's just gone": the last one
    lowered = re.sub(r"\b(?:on )?((?:mon|tues|wednes|thurs|fri|satur|sun)day|sat|sun) (?:that ?s |"
                     r"thats |that has |which has )?just (?:gone|been|passed)\b", r"last \1", lowered)
    lowered = re.sub(r"\b(\d+) ?ish\b", r"\1", lowered)  # "95ish days ago"
    # "my 30th", "her 21st": a birthday, not the day of the month
    lowered = re.sub(r"\b(my|her|his|their|our|your|the big) \d{1,2}(st|nd|rd|th)\b", " ", lowered)
    lowered = re.sub(r"\b(\d+)\s*(mg|mcg|ml|units?|iu|u|%|lbs?|kg|yo|y/o|years? old|"
                     r"weeks? pregnant|weeks? along)\b", " ", lowered)
    # "every 3 months" is how often, and "my 11s" are frown lines: neither is a date
    lowered = re.sub(r"\b(every|each|per|once|twice) (\d+|other|few|couple of|a|an) ?(days?|weeks?|"
                     r"wks?|months?|mos|mths?|years?|yrs?)\b|\b\d{1,2}s\b", " ", lowered)
    lowered = re.sub(r"\b(mid|early|late)-(?=[a-z])", r"\1 ", lowered)  # "mid-may"
    lowered = re.sub(r"\b(begin+ing|begining|beggin+ing|begg?inn?ing)\b", "beginning", lowered)
    lowered = re.sub(r"\bboxin day\b", "boxing day", lowered)
    lowered = re.sub(r"\bholl?idd?ay\b", "holiday", re.sub(r"\baprill\b", "april", lowered))
    lowered = re.sub(r"\bjully\b", "july", lowered)
    lowered = re.sub(r"\bnovembre\b", "november", lowered)
    # "photoshoot sat", "this sat": Saturday, where "sat" cannot be the verb
    lowered = re.sub(r"\b(this|next|on|coming|by|shoot|photoshoot|wedding|party|event|gig|launch|"
                     r"birthday|bday|hen|stag|reunion|interview|do) sat\b(?! (down|on|in|with|there|next)\b)",
                     r"\1 saturday", lowered)
    lowered = re.sub(r"\b(sunday|saturday) (league|school|roast|paper|papers|best|service)\b", " ", lowered)
    # "getting wed sat wk": British "Saturday week", a week after the coming Saturday
    lowered = re.sub(r"\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.? (wk|week)\b",
                     lambda m: f"{DAY_NAMES[WEEKDAYS[m[1]]]} week", lowered)
    lowered = re.sub(r"\b(some ?day|one of these days|any ?day now)\b", " ", lowered)  # not a Sunday
    # "the 20th... of january": the dots do not part the day from its month
    lowered = re.sub(r"(\d(?:st|nd|rd|th)?)\s*(?:\.{2,}|\u2026)\s*(?=of\b)", r"\1 ", lowered)
    # "is that over the 90 days?", "within the 2 weeks": a span asked about, not a date
    lowered = re.sub(r"\b(the|over|under|within|past|than|inside|outside) (\d+) (days?|weeks?|wks?|"
                     r"months?)(?! (ago|before|after|from|later|back|since))\b", " ", lowered)
    lowered = _ordinal_words(lowered)  # "the twenty-fifth", "the thirtyeth of august"
    lowered = re.sub(rf"\b({_MONTHS}) the (\d{{1,2}})(st|nd|rd|th)\b", r"\1 \2\3", lowered)  # "march the 10th"
    lowered = re.sub(r"([,;]\s*|\s-\s*)may\W*$", r"\1in may", lowered)  # "11s + fhead, may": the month
    # "the Monday of Thanksgiving weekend": Canada's Thanksgiving, a Monday in October
    lowered = re.sub(r"\b(the )?monday of (the )?(canadian |canada )?thanksgiving\b", "canadian thanksgiving",
                     lowered)
    # "the Saturday 27": a weekday and its day of the month
    lowered = re.sub(r"\b((?:mon|tues|wednes|thurs|fri|satur|sun)day) (\d{1,2})\b(?!\s*(?:st|nd|rd|th|:|"
                     r"\.\d|am|pm|h\b|hrs?|oclock|o clock|days?|weeks?|wks?|months?|years?|/|-\d)|\s*(?:of\s+)?"
                     rf"(?:{_MONTHS})\b)",
                     r"\1 the \2th", lowered)
    # "the 4th of next month": that day, a month on
    next_month = re.search(r"\bthe (\d{1,2})(?:st|nd|rd|th)? of next month\b", lowered)
    if next_month:
        year, month = (today.year + (today.month == 12), today.month % 12 + 1)
        try:
            return date(year, month, int(next_month.group(1))), next_month.group()
        except ValueError:
            pass
    found = [f for rule in RULES if (f := rule(lowered, today, prefer))]
    found = [_shifted(f, lowered) if _is_holiday(f[1]) else f for f in found]
    holidays = [f[1] for f in found if _is_holiday(f[1])]
    found = [f for f in found if not _holidays_weekday(f[1], holidays, lowered)]
    named = [f for f in found if _is_holiday(f[1])]
    if named and len(found) > len(named):  # "Mothering Sunday - the UK one, in march": that day
        found = [f for f in found if not (re.fullmatch(rf"(in |during )?({_MONTHS})", f[1]) and any(
            h[0].month == f[0].month for h in named))]
    if len(found) > 1 and _is_holiday(found[-1][1]):
        found.pop()  # "Christmas party next week": the party is next week, not on the 25th
    found = [f for f in found if _plausible(f[0], today)]
    if not found:
        parsed = _dateparser(lowered, today, prefer)
        return parsed if parsed and _plausible(parsed[0], today) else None
    return _first(found, lowered)


# Ordinal words for days of the month, with the spellings patients type ("fith", "thirtyeth")
_ORDINAL_UNITS = {"first": 1, "frist": 1, "second": 2, "secnd": 2, "third": 3, "thrid": 3,
                  "fourth": 4, "forth": 4, "fifth": 5, "fith": 5, "fifht": 5, "sixth": 6,
                  "sixt": 6, "seventh": 7, "sevnth": 7, "sevenht": 7, "eighth": 8, "eigth": 8, "ninth": 9, "nineth": 9}
_ORDINAL_TEENS = {"tenth": 10, "eleventh": 11, "twelfth": 12, "twelth": 12, "thirteenth": 13,
                  "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
                  "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twentyeth": 20,
                  "thirtieth": 30, "thirtyeth": 30, "thirtith": 30}
_TENS = r"(?P<tens>twenty|tweny|twenny|twentie|thirty|thirtie|thirdy)"
_ORDINAL = (rf"(?:{_TENS}[\s-]?)?(?P<unit>{'|'.join(_ORDINAL_UNITS)})|"
            rf"(?P<whole>{'|'.join(_ORDINAL_TEENS)})")
_ORDINAL_DAY = re.compile(
    rf"\b(?P<lead>(?:the|on|of|by|from|until|till|before|after|{_MONTHS})\s+(?:the\s+)?)(?:{_ORDINAL})\b"
    rf"(?=\s*(?:$|[,.;:!?)\-]|of\s+(?:{_MONTHS})\b|(?:and|or|at|so|but|then|is|was|for|i|we|lol|"
    r"please|next|this|x+)\b))")


def _ordinal_words(text: str) -> str:
    """"on the twenty fifth" -> "on the 25th": a day of the month said in words."""
    def digits(match: re.Match) -> str:
        if match["whole"]:
            day = _ORDINAL_TEENS[match["whole"]]
        else:
            day = _ORDINAL_UNITS[match["unit"]] + (
                (30 if match["tens"].startswith("th") else 20) if match["tens"] else 0)
        if day > 31:
            return match.group()
        suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        return f"{match['lead']}{day}{suffix}"
    return _ORDINAL_DAY.sub(digits, text)


def _shifted(found: tuple[date, str], text: str) -> tuple[date, str]:
    """"the week after Easter", "Easter-ish, maybe the week after": a holiday moved by a week or
    a day, said before or after its name."""
    near = re.search(r"\b(?:a|the|one) (week|day) (after|before)\b", text)
    if not near:
        return found
    days = (7 if near.group(1) == "week" else 1) * (1 if near.group(2) == "after" else -1)
    return found[0] + timedelta(days=days), found[1]


def _is_holiday(words: str) -> bool:
    """Whether a rule's words name a holiday ("christmas", "diwali")."""
    return words in HOLIDAYS_AND_THANKSGIVING or bool(_MOVING_RE.fullmatch(words))


def _holidays_weekday(words: str, holidays: list[str], text: str) -> bool:
    """"Easter Sunday", "Good Friday": a weekday that is part of a holiday's name."""
    if not re.fullmatch(r"(mon|tues|wednes|thurs|fri|satur|sun)day", words):
        return False
    return any(re.search(rf"\b{words}\b", name) or re.search(
        rf"\b{re.escape(name)} {words}\b|\b{words} {re.escape(name)}\b", text) for name in holidays)


def _plausible(day: date, today: date) -> bool:
    """A date a patient could mean: within a lifetime back and a few years ahead."""
    return -MAX_RELATIVE_DAYS <= (day - today).days <= 5 * 366


def _first(found: list[tuple[date, str]], text: str) -> tuple[date, str]:
    """The earliest date in the text; of overlapping readings, the longest ("14th of June")."""
    spans = sorted((text.find(words), text.find(words) + len(words), i)
                   for i, (_, words) in enumerate(found))
    start, end, best = spans[0]
    for other_start, other_end, i in spans[1:]:
        if other_start < end and other_end - other_start > end - start:
            start, end, best = other_start, other_end, i
        elif re.fullmatch(r"(on |this |next )?(mon|tues|wednes|thurs|fri|satur|sun)day",
                          found[best][1]) and 0 <= other_start - end <= 4:
            start, end, best = other_start, other_end, i  # "Wednesday 2nd February": the date
    return found[best]


MAX_RELATIVE_DAYS = 120 * 365  # a lifetime; beyond it a number with a unit is not a date


def _relative(text: str, today: date, prefer: str) -> tuple[date, str] | None:
    """"in 9 days", "6 weeks ago", "a couple of months back", "years ago"."""
    match = _RELATIVE.search(text)
    if not match:
        return None
    raw_n = (match.group("n") or "").lower()
    n = int(raw_n) if raw_n.isdigit() else NUMBER_WORDS.get(raw_n, 2)  # bare "years ago": 2
    unit = re.sub(r"s$", "", match.group("unit").lower())
    days = n * UNIT_DAYS.get(unit, UNIT_DAYS.get(unit[:2], 30))
    if days > MAX_RELATIVE_DAYS:  # "lines for 9000 years lol", "ISO 8601 year": not a date
        return None
    tail = (match.group("tail") or "").strip().lower()
    lead = (match.group("lead") or "").strip().lower()
    past = tail in ("ago", "back", "before", "earlier") or (
        prefer == "past" and not lead.startswith("in") and tail not in ("from now", "away", "out"))
    return (today - timedelta(days=days) if past else today + timedelta(days=days)), \
        match.group().strip()


def _keyword(text: str, today: date, prefer: str) -> tuple[date, str] | None:
    """"tomorrow", "last week", "this weekend"."""
    weekend = re.search(r"\b(this|next) weekend\b", text)
    if weekend:
        days = (5 - today.weekday()) % 7 + (7 if weekend.group(1) == "next" else 0)
        return today + timedelta(days=days), weekend.group()
    for words, days in _KEYWORDS.items():
        if re.search(rf"\b{words}s?\b", text):  # "last month's botox"
            return today + timedelta(days=days), words
    return None


def _weekday(text: str, today: date, prefer: str) -> tuple[date, str] | None:
    """"Saturday", "this sat", "next Friday" (the one in the following week), "last Monday"."""
    names = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
    for match in re.finditer(rf"\b(?:(this|next|last|on|coming|this coming)\s+)?({names})\b",
                             text):
        # "sat", "sun", "wed" (we'd), "mon" are ordinary words unless "on" or "next" precedes,
        # or an event ends the message with one: "hen do sat", "party sun"
        tail = re.sub(r"^ week\b", "", text[match.end():])  # "hen do sat week"
        event_day = not re.sub(r"[\W_]+", "", tail) and re.search(
            r"\b(do|party|wedding|night|event|shoot|dinner|lunch|bash|drinks|gig|ball|gala|"
            r"do on|function|hen|hens|stag|bday|birthday|reunion|launch|christening)\s+$",
            text[:match.start()])
        if len(match.group(2)) > 3 or match.group(2) in ("fri", "tue", "thu") or match.group(1) \
                or event_day:
            day, words = _resolve_weekday(match, today, prefer)
            if re.match(r" week\b", text[match.end():]) and prefer != "past" \
                    and match.group(1) in (None, "on"):
                # British "Tuesday week": the Tuesday after the coming one
                return day + timedelta(days=7), words + " week"
            return day, words
    return None


def _resolve_weekday(match: re.Match, today: date, prefer: str) -> tuple[date, str]:
    which, target = match.group(1) or "", WEEKDAYS[match.group(2)]
    if which == "last" or (prefer == "past" and which not in ("next", "this", "coming",
                                                               "this coming")):
        back = (today.weekday() - target) % 7 or 7
        return today - timedelta(days=back), match.group()
    ahead = (target - today.weekday()) % 7 or 7
    if which == "next" and today.weekday() + ahead <= 6:
        ahead += 7  # "next Saturday" said on a Wednesday: Saturday of next week
    return today + timedelta(days=ahead), match.group()


def _month_day(text: str, today: date, prefer: str) -> tuple[date, str] | None:
    """"June 14", "14th of June", "Dec 1st 2026", "last March", "early October"."""
    m = _MONTHS.replace("may|", "may(?! be\\b)|")
    pattern = (rf"\b(?:(?P<which>last|next|this|in|early|mid|late|end of|beginning of|start of|"
               rf"first week of|1st week of)"
               rf"\s+)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?P<month>{m})\.?"
               rf"(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")
    for match in re.finditer(pattern, text):
        if len(match.group("month")) <= 3 and not (match.group("d1") or match.group("d2") or
                                                   match.group("which") or match.group("year")):
            continue  # "may", "jan", "mar" alone are a verb or a name more often than a month
        return _resolve_month(match, today, prefer), match.group().strip()
    return None


def _resolve_month(match: re.Match, today: date, prefer: str) -> date:
    month = MONTH_NUMBERS[match.group("month")]
    which = match.group("which") or ""
    day_words = match.group("d1") or match.group("d2")
    year = int(match.group("year")) if match.group("year") else None
    direction = "past" if which == "last" else "future" if which == "next" else prefer
    if year is None:
        year = today.year
        if direction == "future" and (month, int(day_words or 31)) < (today.month, today.day):
            year += 1
        if direction == "past" and (month, int(day_words or 1)) > (today.month, today.day):
            year -= 1
    last = calendar.monthrange(year, month)[1]
    if day_words:
        day = min(int(day_words), last)
    elif which in ("early", "beginning of", "start of"):
        day = 5
    elif which in ("first week of", "1st week of"):
        day = 7 if direction == "past" else 1  # the end of that week that matters most
    elif which == "mid":
        day = 15
    elif which in ("late", "end of") or direction == "past":
        day = last  # a past month with no day: its last day, so a recent treatment is not missed
    else:
        day = 1  # a future month with no day: its first, so a near event is not missed
    resolved = date(year, month, day)
    if day_words or match.group("year"):
        return resolved
    return min(resolved, today) if direction == "past" else max(resolved, today)


def _numeric(text: str, today: date, prefer: str) -> tuple[date, str] | None:
    """"12/20", "20/12/2026", "2026-12-04" (month first unless the first number can't be one)."""
    iso = re.search(r"\b((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})\b", text)
    if iso:
        return _safe_date(*map(int, iso.groups())), iso.group()
    match = re.search(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b|\b(\d{1,2})\.(\d{1,2})\.(\d{2,4})\b",
                      text)  # "2.5" is a dose: a dotted date needs its year
    if not match:
        return None
    groups = match.groups()[:3] if match.group(1) else match.groups()[3:]
    a, b = int(groups[0]), int(groups[1])
    month, day = (b, a) if a > 12 else (a, b)
    year = int(groups[2]) if groups[2] else None
    if year is not None and year < 100:
        year += 2000

    def reading(m: int, d: int) -> date | None:
        found = _safe_date(year or today.year, m, d)
        return found if year or not found else _toward(found, today, prefer)

    resolved = reading(month, day)
    if a <= 12 and b <= 12 and a != b:
        # "3/11" is March 11 or 3 November, "2/8/28" 8 February or 2 August: the reading nearer
        # today, so an event or a treatment that may be close is never read as far away (the
        # words stay as evidence)
        other = reading(day, month)
        if other and (resolved is None or abs((other - today).days) < abs(
                (resolved - today).days)):
            resolved = other
    return (resolved, match.group()) if resolved else None


def _ordinal_day(text: str, today: date, prefer: str) -> tuple[date, str] | None:
    """"the 14th", "on the 3rd": this month, or the next (past: the previous) when it has gone."""
    # "3rd trimester", "1st time": an ordinal followed by a noun is not a day of the month
    match = re.search(r"\b(?:on\s+)?(?:the\s+)?(\d{1,2})(st|nd|rd|th)\b(?!\s+(?!(?:of|at|and|"
                      r"this|next|in|for|so|but|or|is|was|if|unless|otherwise|then|when|as|because|cos|"
                      r"though|probably|maybe|hopefully|at|on|i|we|its|it|where|which|that|with|"
                      r"too|also|lol|haha|please|right|and|x+|innit|yeah)\b)[a-z])", text)
    if not match or not 1 <= int(match.group(1)) <= 31:
        return None
    day = int(match.group(1))
    year, month = today.year, today.month
    step = -1 if prefer == "past" else 1
    for _ in range(3):  # the 31st may skip a short month
        candidate = _safe_date(year, month, day)
        if candidate and (candidate >= today if step > 0 else candidate <= today):
            return candidate, match.group().strip()
        month += step
        if month in (0, 13):
            year, month = year + step, 12 if month == 0 else 1
    return None


SEASONS = {"spring": 4, "summer": 7, "fall": 10, "autumn": 10, "winter": 1}  # mid-season month


def _season(text: str, today: date, prefer: str) -> tuple[date, str] | None:
    """"last summer", "this fall", "next spring": the middle of that season (northern)."""
    before_last = re.search(r"\b(the )?(spring|summer|fall|autumn|winter) before last\b", text)
    if before_last:  # "the summer before last": a year before the last one
        last = _season(f"last {before_last.group(2)}", today, "past")
        return _shift_year(last[0], -1), before_last.group().strip()
    match = re.search(r"\b(last|this|next|in the|over the|until the|till the|til the|by the|"
                      r"around the) (spring|summer|fall|autumn|winter)\b",
                      text)
    if not match:
        return None
    which, month = match.group(1), SEASONS[match.group(2)]
    middle = date(today.year, month, 15)
    if which == "last" or (which != "next" and prefer == "past"):
        # the most recent one that is over ("last spring" in May is a year ago)
        while middle + timedelta(days=45) >= today:
            middle = _shift_year(middle, -1)
    elif which == "next":
        while middle - timedelta(days=45) <= today:
            middle = _shift_year(middle, 1)
    else:
        middle = _toward(middle, today, prefer)
    return middle, match.group()


def _holiday(text: str, today: date, prefer: str) -> tuple[date, str] | None:
    """"Christmas", "New Year's Eve", "Thanksgiving" (the fourth Thursday of November); "the
    day after Guy Fawkes" is the 6th of November."""
    found = _holiday_day(text, today, prefer)
    if found is None:
        return None
    day, name = found
    shift = re.search(rf"\bday (after|before) {re.escape(name)}\b", text)
    if shift:
        return day + timedelta(days=1 if shift.group(1) == "after" else -1), shift.group()
    return day, name


# Names tried longest first ("ghana independence day", "late may bank holiday"), sorted once; a
# weekday holiday whose name holds a fixed one's ("notting hill carnival") is tried before them.
_HOLIDAYS_LONGEST_FIRST = sorted(HOLIDAYS.items(), key=lambda item: -len(item[0]))
_WEEKDAY_LONGEST_FIRST = sorted(WEEKDAY_HOLIDAYS.items(), key=lambda item: -len(item[0]))
_WEEKDAY_HOLDING_A_HOLIDAY = [(name, spec) for name, spec in _WEEKDAY_LONGEST_FIRST
                              if any(other in name and other != name for other in HOLIDAYS)]


def _holiday_day(text: str, today: date, prefer: str) -> tuple[date, str] | None:
    """The holiday named in text, on the preferred side of today."""
    if re.search(r"\bcanad(a|ian)\b|\bmonday of( the)? thanksgiving\b", text) and not re.search(
            r"\b(canadian|canada) thanksgiving|thanksgiving monday\b", text):
        # "the Monday of Thanksgiving weekend - the Canadian one": October's, not November's
        text = re.sub(r"\bthanksgiving\b", "canadian thanksgiving", text)
    if re.search(r"\bmothers day\b", text) and re.search(r"\b(uk|british|england|english|ireland|irish|"
                                                      r"scotland|wales|in march)\b", text):
        text = re.sub(r"\bmothers day\b", "mothering sunday", text)  # "Mother's Day, the UK one"
    for name, (month, weekday, n) in _WEEKDAY_HOLDING_A_HOLIDAY:
        if re.search(rf"\b{name}\b", text):  # "Notting Hill Carnival", not the Easter "carnival"
            return _yearly(lambda year: _nth_weekday(year, month, weekday, n), today, prefer), name
    for name, month_day in _HOLIDAYS_LONGEST_FIRST:
        if re.search(rf"\b{name}\b", text):  # the longest name first: "ghana independence day"
            if month_day is None:  # Easter moves: the Western date of that year
                from dateutil.easter import easter

                offset = timedelta(days=EASTER_OFFSETS.get(name, 0))
                day = easter(today.year) + offset
                if prefer == "past" and day > today:
                    day = easter(today.year - 1) + offset
                elif prefer != "past" and day < today:
                    day = easter(today.year + 1) + offset
                return day, name
            month, day = month_day
            return _toward(date(today.year, month, day), today, prefer), name
    moving = _MOVING_RE.search(text)
    if moving:
        found = _moving_holiday(moving.group(), today, prefer)
        if found:
            return found, moving.group()
    for name, (month, weekday, n) in _WEEKDAY_LONGEST_FIRST:
        if re.search(rf"\b{name}\b", text):  # "late may bank holiday" before "may bank holiday"
            return _yearly(lambda year: _nth_weekday(year, month, weekday, n), today, prefer), name
    for name, after in AFTER_THANKSGIVING.items():  # "Black Friday": the day after (US)
        if re.search(rf"\b{name}\b", text):
            return _yearly(lambda year: _nth_weekday(year, 11, 3, 4) + timedelta(days=after), today,
                           prefer), name
    return None


def _yearly(on, today: date, prefer: str) -> date:
    """A yearly day (`on(year)`) in this year, or the next or last when prefer says so."""
    day = on(today.year)
    if prefer == "future" and day < today:
        return on(today.year + 1)
    if prefer == "past" and day > today:
        return on(today.year - 1)
    return day


def _moving_holiday(words: str, today: date, prefer: str) -> date | None:
    """The first day of a lunar holiday nearest today on the preferred side (past: the last one
    on or before today; otherwise the next one on or after today)."""
    sources = next(found for pattern, found in MOVING_HOLIDAYS.items()
                   if re.fullmatch(pattern, words))
    spans = sorted(span for year in (today.year - 1, today.year, today.year + 1)
                   for source in sources for span in _spans(*source, year))
    if prefer == "past":
        before = [first for first, _ in spans if first <= today]
        return before[-1] if before else None
    if any(first <= today <= last for first, last in spans):
        return today  # "a Hanukkah party" on its fourth night: it is on now
    after = [first for first, _ in spans if first >= today]
    return after[0] if after else None


@functools.lru_cache(maxsize=64)
def _spans(country: str, category: str, name: str, year: int) -> tuple[tuple[date, date], ...]:
    """The (first, last) days of a holiday in one year, by that country's calendar in
    `holidays`."""
    import holidays

    calendar_ = holidays.country_holidays(country, years=year, categories=(category,))
    days = {day for day, names in calendar_.items() if name in names.split("; ")}
    firsts = sorted(day for day in days if day - timedelta(days=1) not in days)
    spans = []
    for first in firsts:
        last = first
        while last + timedelta(days=1) in days:
            last += timedelta(days=1)
        spans.append((first, last))
    return tuple(spans)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday of a month (n = -1: the last), e.g. Memorial Day."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _toward(day: date, today: date, prefer: str) -> date:
    """A date without a year, moved a year forward or back to lie on the preferred side."""
    if prefer == "future" and day < today:
        return _shift_year(day, 1)
    if prefer == "past" and day > today:
        return _shift_year(day, -1)
    return day


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29
        return day + timedelta(days=365 * years)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _dateparser(text: str, today: date, prefer: str) -> tuple[date, str] | None:
    from dateparser.search import search_dates  # slow import: only when a date is needed

    base = datetime(today.year, today.month, today.day, 12)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer,
                "PREFER_DAY_OF_MONTH": "first" if prefer == "past" else "current"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = search_dates(text, languages=["en"], settings=settings) or []
    for words, when in results:
        if not _DATEISH.search(words) or re.fullmatch(
                r"\s*(on\s+)?(may|march|jan|mar|sat|sun|wed|mon)\s*", words, re.I):
            continue
        if re.fullmatch(r"\s*\d{1,3}\s*", words):  # a bare number is an age or a dose, not a date
            continue
        if re.fullmatch(r"\s*\d{1,3}\s+(now|today)\s*", words, re.I):
            continue  # "I'm 41 now": an age, not today's date
        if re.fullmatch(r"\s*\d{1,3}\s*,\s*(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|"
                        r"ten|eleven|twelve)\s*", words, re.I):
            continue  # "I'm 39, two kids": numbers in a list, not a date
        if re.fullmatch(r"\W*\d{1,2}\s*-\s*\d{1,2}\W*", words):
            continue  # "lines 3-5": a range, not a date
        if re.search(r"\bmay\s*$", words) and re.match(
                r"\s+(be|not|have|also|need|want|occur|change|include|cause|take|use|vary|contain|"
                r"return|raise|help|make|get|seem|appear|require|apply|differ|fail|work|result|"
                r"only|never|still|well|even|just|already|then|now|or|and)\b",
                text[text.find(words) + len(words):]):
            continue  # "this may occur": the verb, not the month
        if re.fullmatch(r"\s*(at\s+)?\d{1,2}(:\d\d)?\s*(am|pm|a\.m\.|p\.m\.|oclock|o'clock)?\s*",
                        words, re.I):
            continue  # "at 5pm": a time of day is not a date
        if re.fullmatch(r"\s*(of\s+)?(the\s+)?(days?|weeks?|months?|years?|\d{1,2}(st|nd|rd|th))"
                        r"\s*", words, re.I):
            continue  # "for years", "3rd trimester": a unit or an ordinal alone is not a date
        return _toward(when.date(), today, prefer), words.strip()
    return None


RULES = (_relative, _keyword, _weekday, _month_day, _numeric, _ordinal_day, _holiday, _season)
HOLIDAYS_AND_THANKSGIVING = set(HOLIDAYS) | {"thanksgiving", "canadian thanksgiving",
                                              "canada thanksgiving", "thanksgiving monday"}


def spoken_date(day: date, today: date, language: str = "en") -> str:
    """"Saturday, June 14" (with the year when it is not this year's), in the patient's language
    (bot/catalogue/patient.<language>.yml)."""
    from bot.language import patient_catalogue

    say = patient_catalogue(language)["dates"]
    shown = say["date"].format(weekday=say["weekdays"][day.weekday()],
                               month=say["months"][day.month - 1], day=day.day)
    return shown if day.year == today.year else say["year"].format(date=shown, year=day.year)


def describe(day: date, today: date, language: str = "en") -> str:
    """A date read back to the patient: "Friday, December 4 (9 days away)", in the language the
    intake is held in."""
    from bot.language import patient_catalogue

    say = patient_catalogue(language)["dates"]
    delta = (day - today).days
    when = spoken_date(day, today, language)
    if delta == 0:
        return say["today"].format(date=when)
    if abs(delta) == 1:
        return say["away_one" if delta > 0 else "ago_one"].format(date=when)
    return say["away" if delta > 0 else "ago"].format(date=when, days=abs(delta))
