"""Turning one patient message into findings, topic by topic.

Each `extract_<topic>` reads a message and returns the findings it holds for that topic, or an
empty list. `asked` is True when the message answers that topic's question, so a bare "yes",
"no" or "not sure" counts; otherwise only explicit mentions ("I'm breastfeeding") count, which is
how volunteered answers and corrections are kept.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Callable

from bot import drug_table, lexicon
from bot.dates import find_date
from bot.drug_names import ALSO_CONTAINS
from bot.models import Finding, Polarity
from bot.text import (FAMILY_WORDS, FIRST_PERSON, ME_TOO, HYPOTHETICAL_CUES, PRESENT_CUES, SELF_DENIAL, Clause,
                      clauses, edit_distance, ended_now, find_phrase, followup_polarity, is_english_word,
                      is_question, known_words, normalise, polarity_at, segment_at, tokens, typo_tolerance,
                      yes_no)

YES_NO_POLARITY = {"yes": Polarity.PRESENT, "no": Polarity.ABSENT, "unsure": Polarity.UNSURE}


def _masked(norm: str, mask: tuple[str, ...], topic: str = "") -> str:
    """The clause with phrases that only look like a term blanked out ("nursing school"), and
    the topic's everyday uses ("swallowing my pride", "allergic to mondays")."""
    for phrase in mask:
        norm = re.sub(rf"\b{re.escape(phrase)}\b", " " * len(phrase), norm)
    return everyday_masked(norm, topic)


def everyday_masked(norm: str, topic: str) -> str:
    """`norm` with everyday uses of the topic's words blanked (same length, so positions hold)."""
    for pattern in lexicon.EVERYDAY_USES.get(topic, ()):
        norm = re.sub(rf"\b{pattern}", lambda m: " " * len(m.group()), norm)
    if not re.match(r"\W*(no|nope|nah|naw|not really|none|nothing|never|not me)\b", norm):
        return norm  # only after the patient's own no: "the only thing I choke on is bread" counts
    return ONLY_MINE.sub(_joke_blanked, ONLY_THING.sub(_joke_blanked, norm))


# "the only thing I choke on is karaoke high notes", "only thing we're trying is a new thai
# place": a clinical verb whose object is named, and is nothing clinical. (An object that names
# a term, "the only thing I take is warfarin", is kept.)
ONLY_THING = re.compile(r"\b(the )?only (thing|things|one|stuff|[a-z]+(?: [a-z]+)?) (that )?(i|we|im|were|"
                        r"ive|weve|id)( am| are| have| been| ever| really| still| get)*( [a-z]+( [a-z]+)?)?"
                        r"( on| for| with| to| at| about| in)? (is|are|s|=) (?P<what>[^.;,!?]+)")

# "no, the only event this week is the school run"
ONLY_THIS_WEEK = re.compile(r"\b(the )?only ([a-z]+) ((this|next|coming|that) (week|weekend|month|fortnight)|"
                            r"(a?round|near|out) here|on the (horizon|calendar|cards)|in my (diary|calendar|life))"
                            r"( coming up)? (is|are|s|=) (?P<what>[^.;,!?]+)")

# "no, my only blood thinner is red wine": the patient's only one of a kind is nothing clinical
ONLY_MINE = re.compile(r"\b(my|our) only ([a-z]+ ){0,2}[a-z]+ (is|are|s|=) (?P<what>[^.;,!?]+)|"
                       # "only thing hard to swallow is my electricity bill", "the only sore
                       # thing will be my wallet"
                       r"\b(the )?only ([a-z]+ )?(thing|things|one|stuff) ([a-z]+ ){0,4}?(is|are|s|will be|="
                       r") (?P<what2>[^.;,!?]+)")


def _joke_blanked(match: re.Match) -> str:
    what = match.group("what") or match.groupdict().get("what2") or ""
    if _terms_in(what, lexicon.all_terms()) or re.search(
            r"\b(baby|babies|pregnan\w*|my (son|daughter|little|lo|bub)|him|her|food|water|pills?|"
            r"tablets?|meds?|medicines?|air|breath|breathing|swallowing)\b", what):
        return match.group()
    return " " * len(match.group())


def _terms_in(norm: str, terms: list[lexicon.Term]) -> list[tuple[lexicon.Term, str, int]]:
    """Each term named in a clause, with the phrase that named it and where."""
    named = []
    for term in terms:  # its first mention, in its longest form ("pregnant, ... 1st trimester?")
        hits = [(pos, phrase) for phrase in term.phrases if (pos := find_phrase(norm, phrase)) >= 0]
        if hits:
            pos, phrase = min(hits, key=lambda h: (h[0], -len(h[1])))
            named.append((term, phrase, pos))
    return named


def _match_terms(cls: list[Clause], terms: list[lexicon.Term], topic: str,
                 mask: tuple[str, ...] = ()) -> list[Finding]:
    """Findings for every term named in the clauses, each with its clause as evidence.

    A short next clause naming nothing itself can take a statement back: "had a cold sore last
    month / but it cleared up".
    """
    found: dict[str, Finding] = {}
    norms = [_masked(c.norm, mask, topic) for c in cls]
    # "maybe? water goes down the wrong way", "possibly - I got itchy bumps after Xeomin"
    hedged = bool(cls) and bool(re.match(r"\W*(maybe|possibly|possibley|perhaps|kind of|kinda|sort of|"
                                        r"sorta|not sure|unsure|idk|could be)\W*(\?|-|,|$)", cls[0].norm))
    for i, (clause, norm) in enumerate(zip(cls, norms)):
        for term, phrase, pos in _terms_in(norm, terms):
            polarity = _polarity_of_mentions(norm, term)
            evidence = clause.original
            if i + 1 < len(cls) and not _terms_in(norms[i + 1], terms):
                later = followup_polarity(norm, norms[i + 1])
                if polarity == Polarity.OTHER_PERSON and re.search(SELF_DENIAL, norms[i + 1]):
                    later = Polarity.ABSENT  # "my aunt had ALS / but I don't"
                elif polarity == Polarity.OTHER_PERSON and re.match(
                        r"\W*(and |so |but )?(now )?" + ME_TOO, norms[i + 1]):
                    later = Polarity.PRESENT  # "my husband takes krill oil / and I've started taking it too"
                if later is not None and polarity != Polarity.ABSENT:
                    polarity, evidence = later, f"{clause.original} {cls[i + 1].original}"
            if hedged and polarity == Polarity.PRESENT:
                polarity = Polarity.UNSURE
            detail = {"category": term.category, "kind": term.kind}
            earlier = found.get(term.item)
            if earlier is not None and earlier.polarity == Polarity.PRESENT and polarity in (
                    Polarity.HYPOTHETICAL, Polarity.UNSURE):
                continue  # "I'm pregnant, can I have it after the 1st trimester?": still a yes
            found[term.item] = Finding(topic=topic, item=term.item, polarity=polarity,
                                       evidence=evidence, detail=detail)
    return list(found.values())


def _polarity_of_mentions(norm: str, term: lexicon.Term) -> Polarity:
    """A term named more than once in a clause: a denial wins ("a few pimples, nothing
    infected"), then a present statement ("I'm pregnant, can I ... after the 1st trimester?"),
    else the first mention's reading."""
    spans: list[tuple[int, str]] = []
    for phrase in sorted(term.phrases, key=len, reverse=True):
        for match in re.finditer(rf"(?<![a-z0-9]){re.escape(normalise(phrase))}s?(?![a-z0-9])", norm):
            if not any(start <= match.start() < start + len(p) for start, p in spans):
                spans.append((match.start(), phrase))
    lengths = {}
    if not spans:  # a typo match: read where find_phrase found it, over the words it matched
        found = _terms_in(norm, [term])
        spans = [(found[0][2], found[0][1])] if found else []
        for pos, phrase in spans:  # "appixaban" is one letter longer than "apixaban"
            words = re.match(r"\S+(?:\s+\S+){%d}" % (len(phrase.split()) - 1), norm[pos:])
            lengths[pos] = len(words.group()) if words else len(phrase)
    readings = [polarity_at(norm, pos, lengths.get(pos, len(phrase)))
                for pos, phrase in sorted(spans)]
    for wanted in (Polarity.ABSENT, Polarity.PRESENT):
        if wanted in readings:
            return wanted
    return readings[0]


def _bare(text: str, topic: str, item: str, detail: dict | None = None) -> list[Finding]:
    """A bare yes / no / not sure to a question about one item."""
    answer = yes_no(text)
    plan = re.sub(r"\b(not sure|unsure|dont know|no idea|idk|not certain|wondering) (if|whether)\b",
                  " ", normalise(text))
    if answer is None or (answer == "unsure" and re.search(HYPOTHETICAL_CUES, plan)):
        return []  # "we might start trying in the fall": a plan, not doubt about now
    return [Finding(topic=topic, item=item, polarity=YES_NO_POLARITY[answer],
                    evidence=text.strip(), detail=detail or {})]


# Free text that answers some other question: booking, a treatment area, "whatever you think".
NON_ANSWER = r"\b(slot|appointment|appt|book|booking|schedule|availability|available|monday|" \
    r"tuesday|wednesday|thursday|friday|saturday|sunday|weekend|morning|afternoon|evening|" \
    r"whatever you think|you tell me|up to you|you decide|dont mind|no preference)\b"
# "hold on, baby's crying": the patient stepping away answers no question at all.
HOLD_ON = r"(^|,\s*)(hold on|hang on|one sec|1 sec|one min|1 min|brb|one moment|be right back|" \
    r"\d+ ?(mins?|minutes|secs?|seconds)|doorbell|someones at the door|phone(s)? ringing|" \
    r"i cant (talk )?right now|(in|at) the (queue|line|checkout)|supermarket queue|" \
    r"(on|in) a (call|meeting|zoom|teams call)|back (soon|in a (sec|min|minute|bit))|" \
    r"give me a (sec|second|" \
    r"minute|min|moment)|just a (sec|second|minute|min|moment)|wait a (sec|second|minute|min)|" \
    r"(hmm+ )?(let me|lemme|ill|i need to|i have to|i gotta|got to) (check|look|find out|ask))\b"
# "on my way to work", "driving rn": where the patient is, as the whole message, answers nothing
ON_THE_MOVE = r"^(im |i am )?(on (my|the) way (to|home|back|in|out|over)\b|omw\b|(driving|at work|" \
    r"on the (bus|train|tube)|in the car)( (rn|right now|atm|at the moment|sorry|lol|so))*\W*$)"


def not_an_answer(text: str, topic: str) -> bool:
    """True when free text given to `topic` plainly answers something else."""
    norm = normalise(text)
    if topic == "medications":  # "Zorbix every morning": when a medicine is taken, not a booking
        norm = re.sub(r"\b(every|each|in the|at|once a|twice a|per|most|some|on) (monday|tuesday|wednesday|"
                      r"thursday|friday|saturday|sunday|weekend|morning|afternoon|evening)s?\b", " ", norm)
    if re.search(HOLD_ON, norm) or re.match(ON_THE_MOVE, norm) or (
            topic != "event" and re.search(NON_ANSWER, norm)):
        return True
    if topic != "concerns" and _terms_in(norm, lexicon.AREAS) and not _terms_in(
            norm, lexicon.MEDICINES + lexicon.SUPPLEMENTS + lexicon.PRODUCTS):
        return True  # "my forehead mostly" to the medicines question
    return topic == "concerns" and bool(re.search(r"\b(whatever you think|you tell me|up to you|"
                                                  r"you decide|dont know|no idea|idk)\b", norm))


def _is_bare_answer(text: str) -> bool:
    """True when the message is only a yes/no/unsure and nothing else worth reading."""
    return yes_no(text) is not None and len(tokens(normalise(text))) <= 4


# --- concerns ---------------------------------------------------------------------------------

REST_WORDS = r"\b(at rest|all the time|always|even when (i'?m |im |i am |my face is |its |" \
    r"theyre |face is )?(relaxed|not moving|resting|still|neutral|asleep|sleeping)|" \
    r"when relaxed|resting|constantly|(even )?with my face (totally |completely |fully )?(relaxed|still)|" \
    r"permanent|etched|static|no matter what|24/?7|" \
    r"in my sleep|(dont|do not|never|no longer|wont) (fade|go away|disappear|soften)|" \
    r"(stay|stays|still there|there all day)|used to (fade|go away|disappear|soften)|all day( long)?|" \
    r"(most|all|much|\d{2,3} ?%|\d{2,3} percent) of the (day|time)|even (when )?asleep|" \
    r"(dont|do not|never|wont|doesnt) budge)\b|@ ?rest\b"
MOVE_WORDS = r"\b(when i (smile|frown|laugh|squint|raise|move|talk|make|scrunch|concentrate)|" \
    r"expression|expressions|moving|move|smiling|frowning|laughing|squinting|raising|dynamic|" \
    r"when(ever)? i'?m (smiling|frowning|laughing|squinting|concentrating|stressed|talking|reading|" \
    r"thinking|focusing|working|doing (my|the) (tax\w*|accounts|admin|homework|sudoku|crossword))|" \
    r"reading|concentrating|focusing|squint|squints|" \
    r"pull(ing)? (a )?faces?|make (a )?faces?|making faces|on (a |my )?(\w+ )?calls?|animated|" \
    r"scowl\w*|grimac\w*|when i'?m (cross|angry|annoyed|mad|fed up|stressed out)|" \
    r"laffing|laffin|laughin|smilin|frownin|squintin|" \
    r"(every ?time|whenever) (my|someone|somebody|he|she|they|the|a)\b[^.]{0,30}\b(says|does|asks|" \
    r"talks|tells|starts|leaves?|forgets?|fights?|argues?|plays?|winds? me up)|" \
    r"at my (computer|screen|laptop|desk|monitor)|at the (computer|screen|laptop)|staring at (my |the |a )?" \
    r"(screen|computer|laptop|phone|spreadsheets?|emails?|telly|tv|monitor|code|numbers))\b"
# Misspelt expression words, read only in the answer to the timing question ("wen i smlie").
EXPRESSION_TYPOS = ("smile", "smiling", "frown", "frowning", "laugh", "laughing", "squint",
                    "squinting", "relaxed", "resting", "raise", "talking", "concentrating",
                    "concentrate", "when")


def shows_from(norm: str) -> str | None:
    """Whether lines show at rest, with expression, or both."""
    if re.search(r"\bboth\b", norm):
        return "both"
    rest, move = bool(re.search(REST_WORDS, norm)), bool(re.search(MOVE_WORDS, norm))
    if rest and move:
        return "both"
    return "rest" if rest else "expression" if move else None


# A request put as a question names what the patient wants treated: "can you fix a gummy smile?",
# "if you can do something about a pebbly chin".
REQUEST = r"^(if you (can|could)|(can|could|do|would) you) (fix|treat|do|help( with)?|" \
    r"sort( out)?|get rid of|improve|reduce)\b"


def extract_concerns(text: str, asked: bool, today: date) -> list[Finding]:
    """Treatment areas the patient wants help with, and whether they show at rest or moving."""
    cls = clauses(text)
    named = _match_terms(cls, lexicon.AREAS, "concerns")
    found = [f for f in named if f.polarity in (Polarity.PRESENT, Polarity.UNSURE)]
    norm = normalise(text)
    if named and not found and asked and (re.search(
            r"\b(i want|i would like|id like|id love|want the same|same for me|me too|i need)\b",
            norm) or re.match(REQUEST, norm)):
        # "my friend had her 11s done, I want the same", "can you fix a gummy smile?"
        found = [f.model_copy(update={"polarity": Polarity.PRESENT}) for f in named
                 if f.polarity in (Polarity.OTHER_PERSON, Polarity.HYPOTHETICAL)]
    if named and not found and re.search(r"\bused to (vanish|go away|disappear|fade|soften|go)\b[^.;]{0,60}"
                                         r"[,;-]\s*(but )?(not|no) (anymore|any more|longer)\W*$", norm):
        # "my crow's feet used to vanish when I stopped smiling, not anymore": there now
        found = [f.model_copy(update={"polarity": Polarity.PRESENT}) for f in named
                 if f.polarity in (Polarity.PAST, Polarity.ABSENT)]
    if named and not found and re.search(r"\b(but |and )?now (theyre|they are|its|it is|theyve|they have|"
                                         r"theyre there|ive got|i have)\b[^.;?]{0,30}\b(there|visible|"
                                         r"showing|deeper|deep|worse|permanent|all the time|at rest|"
                                         r"constant|set in|etched|stuck)\b", norm):
        # "my frown lines only showed when I was cross, now they're there all the time"
        found = [f.model_copy(update={"polarity": Polarity.PRESENT}) for f in named
                 if f.polarity == Polarity.PAST]
    if named and not found:  # "my friend had her crow's feet done": not the patient's concern
        return [f for f in named if f.polarity in (Polarity.OTHER_PERSON, Polarity.HYPOTHETICAL)]
    shows = shows_from(norm)
    for finding in found:
        finding.polarity = Polarity.PRESENT
        finding.detail = {"shows": shows_from(normalise(finding.evidence)) or shows}
    if not found and asked and re.match(r"(can|could|do|does|is|how|what|whats|when|where|will|"
                                        r"should|who|why)\b", norm) and not re.search(
            r"\b(face|skin|lines?|wrinkles?|looks?|looking|fix|smooth\w*|soften\w*|lift\w*|"
            r"get rid|tired|old|older|age|aging|ageing)\b", norm):
        return []  # "can I buy a voucher for my sister while I'm at it": a question back
    if not found and asked and re.match(r"(my )?(skin|face|complexion)( was| used to be)\b", norm) and \
            not re.search(r"\b(now|but|anymore|any more|these days|no longer)\b", norm):
        return []  # "my skin was flawless in my twenties": then, not what bothers the patient now
    if not found and asked and not _is_bare_answer(text) and re.search(r"[a-z]{3}", norm) \
            and not not_an_answer(text, "concerns"):
        found = [Finding(topic="concerns", item="other", polarity=Polarity.PRESENT,
                         evidence=text.strip(), detail={"shows": shows})]
    return found


def extract_concern_timing(text: str, asked: bool, today: date) -> list[Finding]:
    """Answer to "do they show at rest, with expression, or both?"."""
    norm = normalise(text)
    if asked:  # "wen i smlie": a misspelt expression word, only in answer to this question
        norm = " ".join(next((t for t in EXPRESSION_TYPOS if t == w or (
            len(w) >= 3 and w[0] == t[0] and len(t) <= 7 and edit_distance(w, t) == 1) or (
            len(t) > 7 and len(w) >= 8 and w[:3] == t[:3] and edit_distance(w, t) <= 2)), w)
            for w in norm.split())
    if asked and text.strip().endswith("?") and (re.search(
            r"\b(vs|versus|or|difference|what do you mean|meaning)\b", norm) or re.match(
            r"\W*((sorry|sry|um+|erm|so),? )?(what|whats|which|how|define)\b[^.;]{0,20}\b(counts?|means?|"
            r"mean by|is meant|do you mean|does)\b", norm)):
        return []  # "sorry, rest vs expression?": a question back
    shows = shows_from(norm)
    if asked and re.search(r"\b(hard to (tell|say)|not sure|unsure|dont know|dunno|idk|no idea|"
                           r"maybe|perhaps|possibly)\b", norm) and shows in (None, "both"):
        return []  # "hard to tell, maybe both?": asked again in other words
    if shows is None and asked and re.search(r"\b(all|everything|yes)\b", norm):
        shows = "both"
    if shows is None and asked and re.search(r"\b(smile|smiles|frown|frowns|laugh|laughs|talk|"
                                             r"move|expressions?)\b", norm):
        shows = "expression"  # "wen i smile", in answer to "at rest or when you move?"
    if shows is None:
        return []
    return [Finding(topic="concern_timing", item="shows", polarity=Polarity.PRESENT,
                    evidence=text.strip(), detail={"shows": shows})]


# "my eyelids feel heavy", "my brows are starting to droop": the lid and the word apart.
LIDS_THEN_HEAVY = re.compile(r"\b(eye ?lids?|lids|brows?|eyebrows?)\b(?:\s+\w+){0,4}?\s+"
                             r"(heavy|heavier|hooded|hooding|droop\w*|sag\w*|sink\w*|falling|low|dropped|"
                             r"dropping|fallen|hanging)\b")


def extract_eyelids(text: str, asked: bool, today: date) -> list[Finding]:
    """Heavy or hooded lids and drooping brows, from anything the patient writes."""
    found = _match_terms(clauses(text), [lexicon.HEAVY_EYELIDS], "eyelids")
    if found:
        return found
    for clause in clauses(text):
        match = LIDS_THEN_HEAVY.search(clause.norm)
        if match:
            polarity = polarity_at(clause.norm, match.start(2), len(match.group(2)))
            return [Finding(topic="eyelids", item="heavy_eyelids", polarity=polarity,
                            evidence=clause.original,
                            detail={"category": "heavy_eyelids", "kind": "condition"})]
    return []


# --- photos -----------------------------------------------------------------------------------

def extract_photos(text: str, asked: bool, today: date) -> list[Finding]:
    """Whether the patient will share photos now, bring them, or not."""
    if not asked:
        return []
    norm = normalise(text)
    if re.search(r"\b(bring|brimg|bribg|brng|brin|later|(at|for|to) the (appointment|appt|consult|"
                 r"consultation|visit)|in person|tomorrow|on the day|show you|when i (come|get) in)\b",
                 norm):
        plan = "bring"
    elif re.search(r"\b(id |i would )?(rather not|prefer not)\b|"
                   r"\b(none|no (photos|pics|pictures)|nothing) of me\b|\bdont have (any )?"
                   r"(photos|pics|pictures)\b|\b(arent|are not|isnt) (really )?any (recent )?"
                   r"(photos|pics|pictures)\b",
                   norm):
        plan = "none"  # "my phone's full of photos of my dog, none of me"
    elif re.search(r"\b(upload|attach\w*|atach\w*|send\w*|sent|sned|snd|here|heres|pick|choose|"
                   r"\d+ (pics?|photos?|pictures?|pictres|selfies)|brace yourself|incoming|"
                   r"coming (your way|now|through|over)|on (its|their) way|"
                   r"tonight|select|uploaded|uploading|attaching|texted|emailed|"
                   r"camera roll|gallery|email|e-mail|whatsapp|text them|message them|inbox|"
                   r"(check|look at) (your|ur|yr) (inbox|email|messages|phone))\b|^done\b", norm):
        plan = "upload"
    else:
        answer = yes_no(text)
        if answer is None:
            return []
        if answer == "unsure":
            return []  # "maybe, I'll have a look": asked again, with the choices
        plan = {"yes": "upload", "no": "none"}[answer]
    polarity = Polarity.ABSENT if plan == "none" else Polarity.PRESENT
    return [Finding(topic="photos", item="photos", polarity=polarity, evidence=text.strip(),
                    detail={"plan": plan})]


# --- medicines and supplements ------------------------------------------------------------------

GENERIC_MEDS = lexicon.Term("any", ("medication", "medications", "meds", "medicine", "medicines",
                                    "supplements", "supplement", "pills", "vitamins",
                                    "prescriptions", "anything", "drugs"), None, "generic")
# Volunteered, only a medicine word says "no medicines": "no MG or anything" is not about them.
GENERIC_MEDS_NAMED = lexicon.Term("any", tuple(p for p in GENERIC_MEDS.phrases
                                               if p not in ("anything", "drugs")), None, "generic")


def extract_medications(text: str, asked: bool, today: date) -> list[Finding]:
    """Medicines and supplements taken now, with their flag category; "none" clears the list."""
    cls = clauses(text)
    found = _match_terms(cls, lexicon.MEDICINES + lexicon.SUPPLEMENTS + lexicon.BLEEDING_DISORDERS,
                         "medications")
    with typo_tolerance(False):  # the list's names exactly: drug names are close to each other
        listed = _match_terms(cls, drug_table.flag_terms(), "medications")  # ("mefenamine")
    found += [f for f in listed if f.item not in {g.item for g in found}]
    if asked:  # a medicine with no flag, named by the drug list ("Pristiq" is desvenlafaxine)
        found += _named_medicines(text, cls)
    generic = [f for f in _match_terms(cls, [GENERIC_MEDS if asked else GENERIC_MEDS_NAMED],
                                       "medications")
               if f.polarity == Polarity.ABSENT]
    found = _owned_by_another(text, found)
    if generic and found:
        # "turmeric pills ages ago, haven't for years": the pills are the turmeric, not a no to all
        rest = normalise(text)
        for f in found:
            for phrase in getattr(_TERMS_BY_ITEM.get(f.item), "phrases", ()):
                rest = re.sub(rf"\b{re.escape(phrase)} (pills|tablets|capsules|caps|supplements?)\b",
                              " ", rest)
        if not _match_terms(clauses(rest), [GENERIC_MEDS if asked else GENERIC_MEDS_NAMED],
                            "medications"):
            generic = []
    if not asked:  # "allergic to clindamycin", "Dalacin gave me a rash": an allergen, not taken
        whole = normalise(text)
        alone = len(found) == 1 and not re.search(r"\b(except|apart from|besides|other than|no meds|"
                                                  r"no medications?|none|take|taking|on)\b", whole)
        found = [f for f in found if not (_named_as_allergen(_part_naming(f)) or (
            alone and _named_as_allergen(whole)))]
    if found and all(f.polarity in (Polarity.PAST, Polarity.ABSENT) for f in found) and \
            re.search(r"\b(now (nothing|none)|nothing now|on (zilch|nada|zip|nothing) (now|these days|"
                      r"anymore|any more|atm|at the moment)|so (nothing|none)\W*$|"
                      r"now on (zilch|nada|zip|nothing)|(not on|not taking) anything now|"
                      r"now (im )?not on anything|none now)\b", normalise(text)) or (
            found and all(f.polarity in (Polarity.PAST, Polarity.ABSENT, Polarity.OTHER_PERSON,
                                         Polarity.HYPOTHETICAL) for f in found)
            and any(f.polarity == Polarity.OTHER_PERSON for f in found) and re.search(
                r"\b(im|i am|me im|myself im|ive been|i have been|im still|i am still) on (zero|zilch|nada|"
                r"zip|nothing|none|no meds|"
                r"no medication)\b|\b(i take|i am taking|im taking) (nothing|none|zero)\b|"
                r"\bi (dont|do not) take (anything|any)\b|\bnothing for me\b|\bnone for me\b",
                normalise(text))):
        # "stopped the Eliquis last week, now nothing"; "hubby's the one on Plavix, me I'm on
        # zero": a clear no to now, said by the patient beside someone else's yes
        # "stopped the Eliquis last week, now nothing": a clear no to now
        return [Finding(topic="medications", item="none", polarity=Polarity.ABSENT,
                        evidence=text.strip())] + found
    if found and asked and all(f.polarity == Polarity.ABSENT for f in found) and (
            ended_now(normalise(text)) or re.search(
                r"\bused to\b|\b(havent|have not|not|didnt|did not)( taken| had| touched)?( (it|them|any))? "
                r"(for|in) (years|ages|a long time|a while|donkeys)\b", normalise(text))) and \
            yes_no(text) != "no" and not re.search(
                r"\b(now|anymore|any more|no longer|these days|at the moment|currently|atm|rn)\b",
                normalise(text)) and not re.search(
                r"\b(nothing|none|no other|no more|not on anything|not taking anything|nowt|"
                r"nada|zilch|no meds|no medication|no tablets|no pills)\b", normalise(text)):
        # "used to take turmeric but stopped years ago", "was on Eliquis, finished the course":
        # over, and nothing said about now; the question is asked again
        found = [f.model_copy(update={"polarity": Polarity.PAST}) for f in found]
    if found:
        return _with_components(found) + generic
    if generic:
        return [Finding(topic="medications", item="none", polarity=Polarity.ABSENT,
                        evidence=generic[0].evidence)]
    if not asked:
        return []
    begun = _named_by_its_start(text)
    if begun:
        return [begun]
    answer = yes_no(text)
    norm = normalise(text)
    if answer is None and (re.search(r"\bon (nothing|nada|zilch|zip)( (now|these days|at the moment|"
                                     r"atm|rn|anymore|any more))?\W*$", norm) or re.search(
                                         r"(,|\bso) (nothing|none|nada|zilch)( now| these days)?\W*$", norm) or re.match(
                                         r"(i )?(take|taking|im taking|i am taking) (nothing|nada|zilch|"
                                         r"zip|zero|nowt|none)\b", norm)):
        answer = "no"  # "that was my old prescription, on nothing now"
    treats = r"\b(caffeine|coffee|tea|chocolate|wine|gin|beer|prosecco|sugar|haribo|sweets|cake|" \
        r"biscuits|crisps|coke|diet coke|red bull|vodka|netflix|cheese|carbs|chips|fizzy|podcasts?|" \
        r"true crime|tiktok|shopping|reality tv|the gym|online shopping|my phone|memes)\b"
    if answer == "no" and (re.search(r"\bmy only (drugs?|vices?|pills?|medicines?|meds?|habit|"
                                     r"addiction|dependency|supplements?|vitamins?)\b", norm)
                           and re.search(treats, norm) or re.search(
                               r"\b(high on life|addicted to (coffee|tea|chocolate|tiktok|my phone)|"
                               r"vitamin (sea|see)|fresh air and (sunshine|coffee))\b", norm)):
        return [Finding(topic="medications", item="none", polarity=Polarity.ABSENT,
                        evidence=text.strip())]  # "no, my only supplement is chocolate"
    besides = re.search(r"\b(?:except|apart from|other than|besides|bar|but (?:i|im|i am)(?: on| take|"
                        r" taking)?|only|just)\b\s*(?P<rest>.*)$",
                        re.sub(r"[\s,]+", " ", everyday_masked(norm, "medications")))  # "I only take the mickey"
    if answer == "no" and besides and re.fullmatch(
            r"(a |some |the odd |my )?(plasters?|band ?aids?|bandages?|cotton wool|sun ?screen|"
            r"suncream|chill pills?|tic ?tacs?|mints?|lip balm|hand cream)( now and then| and \w+)?"
            r"( (ha|haha\w*|lol|lmao))*\W*",
            besides["rest"]) or answer == "no" and besides and re.match(
            r"(on )?(a |the |my )?(diet|break|budget|health kick|detox|cleanse|juice cleanse|mission|"
            r"roll|streak|hiatus|waiting list|keto|fast|social media (break|detox)|dry january|"
            r"sober october|no sugar)\b", besides["rest"]):
        # "no, my medicine cabinet's just plasters", "nope, only on a diet": not a medicine
        return [Finding(topic="medications", item="none", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    if answer == "no" and besides and re.search(r"[a-z]{4}", besides["rest"]) and not re.search(
            r"^(no|not|nothing|none|never|that|this|it|the odd)\b", besides["rest"]) and not re.match(
            r"(drugs?|vices?|pills?|medicines?|meds?|habit|addiction|dependency) (is|are)\b",
            besides["rest"]):
        # "nothing except tramadol for my back": the exception is a medicine to ask about
        if re.match(r"(a |some |my )?(multi ?)?vit(amin)?s?\b", besides["rest"]):
            return [Finding(topic="medications", item="multivitamin", polarity=Polarity.PRESENT,
                            evidence=text.strip(), detail={"kind": "supplement",
                                                           "category": None})]
        return [_unrecognised_medicine(text)]
    if answer == "no" or (re.search(r"\b(caffeine|coffee|tea|chocolate|wine)\b", norm) and
                          re.search(r"\b(nothing|none) else\b", norm)):
        return [Finding(topic="medications", item="none", polarity=Polarity.ABSENT,
                        evidence=text.strip())]  # "my only drug is caffeine lol, nothing else"
    if answer is not None and _is_bare_answer(text):
        return []  # "yes" alone: ask which ones
    if re.search(FAMILY_WORDS, norm) and not re.search(FIRST_PERSON, norm):
        # "my son's on loads of meds for his epilepsy": kept, answers nothing for the patient
        return [Finding(topic="medications", item="unrecognised", polarity=Polarity.OTHER_PERSON,
                        evidence=text.strip(), detail={"kind": "unknown", "category": None})]
    if re.search(r"[a-z]{3}", normalise(text)) and not not_an_answer(text, "medications"):
        return [_unrecognised_medicine(text)]
    return []


def _part_naming(finding: Finding) -> str:
    """The comma-separated part of a finding's evidence that names its medicine ("no meds except
    ginkgo, allergic to nothing": the ginkgo part, not the allergy part)."""
    norm = normalise(finding.evidence)
    term = _TERMS_BY_ITEM.get(finding.item)
    parts = re.split(r"[,;]| and | but ", norm)
    if term is None:
        return norm
    named = [p for p in parts if any(find_phrase(p, phrase) >= 0 for phrase in term.phrases)]
    return " ".join(named) if named else norm


def _named_as_allergen(norm: str) -> bool:
    """A medicine named with an allergy or a reaction to it, and not as taken now."""
    return (any(find_phrase(norm, w) >= 0 for w in ("allergic", "allergy", "allergies",
                                                   "reaction", "reacted", "anaphylaxis")
                + REACTION_WORDS) or bool(re.search(r"\bgave me (a |an )?(rash|hives|reaction|"
                                                    r"itch|swelling)", norm))) and not re.search(
        r"\b(i take|im taking|i am taking|taking|im on|i am on|still on|currently on|i use|"
        r"prescribed|every day|daily|twice a day)\b", norm)


# "apixaban - no sorry that's my dad's": a correction giving what was just named to someone else.
GIVEN_AWAY = re.compile(
    r"\b(no|sorry|oops|wait|scratch that|my bad|actually)\b[^.;?!]{0,20}?\b(thats|those are|"
    r"theyre|they are|its|that is|those r|thats actually) (my|his|her|our) (\w+ )?(mums|moms|"
    r"mothers|dads|fathers|husbands|hubbys|wifes|partners|sisters|brothers|sons|daughters|nans|"
    r"grans|grandmas|grandads|flatmates|boyfriends|girlfriends|friends|mates|kids|babys)\b")


def _owned_by_another(text: str, found: list[Finding]) -> list[Finding]:
    """Findings named before a correction that gives them to someone else become theirs."""
    norm = normalise(text)
    given = GIVEN_AWAY.search(norm)
    if not given:
        return found
    before = norm[:given.start()]
    return [f.model_copy(update={"polarity": Polarity.OTHER_PERSON})
            if f.polarity == Polarity.PRESENT and normalise(f.evidence) and
            normalise(f.evidence) in before else f for f in found]


def _named_by_its_start(text: str) -> Finding | None:
    """"a heart tablet that starts with clopi, can't remember the rest": the start of a name that
    only medicines of one flag category begin with is that medicine, for the clinician to check
    (any of them raises the same flag). Another person's, or a start shared across categories,
    is not."""
    norm = normalise(text)
    start = re.search(r"\b(?:starts?|starting|begins?|beginning|start) with (?:an? )?([a-z]{4,})\b",
                      norm)
    if not start or (re.search(FAMILY_WORDS, norm) and not re.search(FIRST_PERSON, norm)):
        return None
    prefix = start.group(1)
    terms = [t for t in lexicon.MEDICINES + lexicon.SUPPLEMENTS + drug_table.flag_terms()
             if any(p.startswith(prefix) for p in t.phrases)]
    flagged = {p for t in terms if t.category for p in t.phrases}
    if not terms or len({t.category for t in terms}) != 1 or terms[0].category is None or any(
            name.startswith(prefix) and name not in flagged for name in drug_table.all_names()):
        return None  # "starts with meto": methocarbamol or metoprolol, so asked about
    term = terms[0]
    return Finding(topic="medications", item=term.item, polarity=Polarity.PRESENT,
                   evidence=text.strip(), detail={"category": term.category, "kind": term.kind,
                                                   "name_begins": prefix})


def _named_medicines(text: str, cls: list[Clause]) -> list[Finding]:
    """The no-flag medicines of the drug list named in an answer, read like any other term, and
    a medicine nobody could name beside them when another word looks like one ("Pristiq and
    Zentrovan": the second still goes to a clinician)."""
    terms = drug_table.named_medicines(text)
    if not terms:
        return []
    with typo_tolerance(False):  # exact names only: 28,000 names are too many to guess at
        found = _match_terms(cls, terms, "medications")
    names = {t.item: " / ".join(t.phrases) for t in terms}
    for finding in found:  # the staff see the name the patient used and what it is
        finding.detail.update(name=names.get(finding.item, ""), ingredient=finding.item)
    named = {w for t in terms for w in t.phrases}
    if any(f.polarity == Polarity.PRESENT for f in found) and _unknown_words(text, named):
        found.append(_unrecognised_medicine(text))
    return found


def _unknown_words(text: str, named: set[str]) -> list[str]:
    """Words of an answer that are neither English, nor the lexicon's, nor a listed name: maybe
    a medicine nobody could name."""
    return [w for w in re.findall(r"[a-z]{4,}", normalise(text))
            if w not in named and not is_english_word(w) and w not in known_words()
            and not drug_table.ingredients(w) and w not in DOSING_WORDS]


DOSING_WORDS = frozenset({"tabs", "caps", "nocte", "mane", "sachet", "sachets", "puffs", "gummies",
                          "gummy", "mgs", "mcgs", "lozenges", "drops", "patch", "patches"})


def _with_components(found: list[Finding]) -> list[Finding]:
    """A combination brand is each of its medicines: DuoPlavin (clopidogrel and aspirin) raises
    what each of them raises. The brand is matched under its main item (a name belongs to one
    item); the other components come from drug_names.ALSO_CONTAINS, with the brand's reading."""
    have = {f.item for f in found}
    extra = []
    for finding in found:
        evidence = normalise(finding.evidence)
        for brand, components in ALSO_CONTAINS.items():
            if not re.search(rf"\b{brand}\b", evidence):
                continue
            for item in components:
                term = _TERMS_BY_ITEM.get(item)
                if term is None or item in have:
                    continue
                have.add(item)
                extra.append(Finding(topic="medications", item=item, polarity=finding.polarity,
                                     evidence=finding.evidence,
                                     detail={"category": term.category, "kind": term.kind,
                                             "in": brand}))
    return found + extra


_TERMS_BY_ITEM = {t.item: t for t in lexicon.MEDICINES + lexicon.SUPPLEMENTS}


def _unrecognised_medicine(text: str) -> Finding:
    """A medicine the lexicon does not know, with what it is for when the patient said so."""
    detail: dict = {"kind": "unknown", "category": None}
    purpose = stated_purpose(text)
    after_surgery = re.search(r"\b(inject\w*|injections?|jabs?|shots?)\b.*\b(since|after)\b.{0,30}\b(op|"
                              r"operation|surgery|c-?section|caesarean|cesarean|replacement)\b",
                              normalise(text))
    if purpose and (purpose_category(purpose) or not re.search(UNCLEAR_PURPOSE, purpose)):
        # "my thyroid meds": what it is for is already said ("heart pills" is asked about)
        detail.update(purpose=purpose, category=purpose_category(purpose))
    elif after_surgery:
        # "Arovi injections every day since my knee op": a daily injection after surgery is
        # most often a heparin against clots; a clinician checks which one it is
        detail.update(purpose=after_surgery.group(), category="anticoagulant")
    return Finding(topic="medications", item="unrecognised", polarity=Polarity.PRESENT,
                   evidence=text.strip(), detail=detail)


# "my thyroid med", "blood pressure pills", "something for my reflux": what it is taken for.
PURPOSE_FOR = re.compile(
    r"\bfor (?:(?:my|the|a|an|her|his) )?(?!(?:years?|ages|months?|weeks?|days?|now|a while|ever|"
    r"life|good|long|the last|a long|a bit|a few|some time|yonks|decades?|today|tonight|"
    r"sleep|it|that|this|them|me|you|him|us)\b)([a-z][a-z ]{2,30}?)(?:$|[,.;!?]| and | but )")
PURPOSE_STATED = re.compile(
    r"\b(?!(?:my|a|an|the|some|any|daily|prescription|prescribed|other|no|few|couple|all|"
    r"his|her|usual|regular|normal|little|white|blue|pink|yellow|red|green|orange|purple|small|"
    r"big|tiny|round|oval|new|same|one|two|three|these|those|that|this|generic|brand|over|"
    r"counter|doctors?|gps?|the|their)\b)([a-z]{3,}(?: [a-z]{3,})?) (?:meds?|medications?|"
    r"medicines?|pills?|tablets?|tabs|drops|inhalers?|creams?|patch(?:es)?|sprays?)\b")


# Purposes that may or may not mean a blood thinner: asked about, never assumed.
UNCLEAR_PURPOSE = r"\b(heart|cardiac|cardio|blood(?! pressure)|circulation|veins?|legs?|stroke)\b"


def stated_purpose(text: str) -> str | None:
    """What an unknown medicine is for, when the patient said it ("only my thyroid med")."""
    norm = normalise(text)
    match = PURPOSE_FOR.search(norm) or PURPOSE_STATED.search(norm)
    return match.group(1).strip() if match else None


# What an unknown medicine is taken for, when that points to a flag: "it's for my clots".
PURPOSES = {
    "anticoagulant": r"\b(blood thin\w*|thin\w* (my|the) blood|clots?|clotting|afib|a-?fib|"
                     r"atrial fibrillation|strokes?|dvt|embolism|stents?|heart valve|"
                     r"anticoagula\w*|antiplatelet)\b",
    "interacting_medication": r"\b(muscle (spasms?|relax\w*)|spasms?|bladder|overactive|"
                              r"incontinence|motion sickness|urgency|peeing|weeing|"
                              r"frequent urination)\b",
    # an unknown painkiller for inflammation or period pain is most often an NSAID (advisory)
    "bleeding_risk_supplement": r"\b(period (pains?|cramps?)|menstrual (pains?|cramps?)|"
                                r"arthritis|inflammation|swollen joints?|joint pains?)\b",
}


def purpose_category(text: str) -> str | None:
    """The flag an unknown medicine's purpose points to, if any (the clinician checks it)."""
    norm = normalise(text)
    for category, pattern in PURPOSES.items():
        if re.search(pattern, norm):
            return category
    return None


# --- pregnancy, breastfeeding, trying to conceive ------------------------------------------------

TTC, PREGNANT, BREASTFEEDING = lexicon.TTC, lexicon.PREGNANT, lexicon.BREASTFEEDING
# Said in answer to the pregnancy question these mean yes; volunteered they are too vague
# ("expecting great results", "20 weeks until my wedding").
PREGNANT_WHEN_ASKED = lexicon.Term("pregnant", (
    "expecting", "due in", "due on", "weeks", "wks", "months along", "first baby", "baby boy",
    "baby girl", "pg", "tested positive", "test was positive", "test came back positive",
    "its positive", "it was positive", "it came back positive", "second line", "two lines"),
    "pregnant", "condition")


# Said in answer to the trying-to-conceive question, "trying" alone is the thing asked about.
TTC_WHEN_ASKED = lexicon.Term("trying_to_conceive", (
    "trying", "try", "tried", "conceive", "concieve", "trying again", "trying for one",
    # "gave up for a year but started again in may", "we just started this cycle"
    "started again", "starting again", "just started", "this cycle", "back to trying",
    "back at it",
    # "yes, though we've paused it for my exams": a pause is a no to now
    "paused it", "paused trying", "put it on hold", "on hold", "on pause", "paused until",
    "paused till", "paused for now", "on a break", "taking a break", "having a break"),
    "trying_to_conceive", "condition")


# Said in answer to the breastfeeding question, a feed is a breastfeed ("only the night feed").
BREASTFEEDING_WHEN_ASKED = lexicon.Term("breastfeeding", (
    "night feed", "night feeds", "morning feed", "bedtime feed", "feeding him", "feeding her",
    "feeding the baby", "feeding my", "feed him", "feed her", "feeding the new baby",
    "feeding the newborn", "feeding our new", "on the boob", "latch", "feeds a day",
    "a feed", "one feed", "expressing", "pump", "i pump", "pump for", "pumping for",
    "i express", "still express", "express a bottle", "express a few", "express for",
    "comfort feed", "comfort feeds", "feeding", "feeds", "nap feed", "naptime feed", "nap time feed",
    "expressed milk", "feeds at the breast", "i only feed", "feed at night", "feed him at night",
    "feed her at night", "only feed at night",
    # "weaned in march but she's been back on since her teeth came through"
    "back on since", "been back on", "back on it", "feeding again", "nursing again",
    "relactated", "relactating", "started again"),
    "breastfeeding", "condition")
BOTTLE = ("bottle feed", "bottle feeding", "bottle fed", "formula feed", "formula feeding",
          "formula fed", "bottle feeds", "formula feeds", "bottle feeing", "bottle feedin",
          "bottle feding", "bottle-fed", "formula feeing", "bottle only")


def _reproductive(text: str, asked: bool, topic: str, terms: list[lexicon.Term]
                  ) -> list[Finding]:
    mask = lexicon.REPRODUCTIVE_MASKS.get(terms[0].item, ()) + (
        BOTTLE if terms[0].item == "breastfeeding" else ())
    found = _match_terms(clauses(text), terms[:1], topic, mask)
    not_now = (Polarity.HYPOTHETICAL, Polarity.OTHER_PERSON) + (
        (Polarity.ABSENT,) if terms[0].item == "breastfeeding" else ())
    if found and asked and all(f.polarity in not_now for f in found):
        # "is pumping the same? yes I pump for him"; "not really breastfeeding, but I still
        # express a bottle a day": pumping is breastfeeding, and it is now
        found += [f for f in _match_terms(clauses(text), terms[1:], topic, mask)
                  if f.polarity == Polarity.PRESENT]
    if not found and asked and yes_no(text) != "no":
        found = _match_terms(clauses(text), terms[1:], topic, mask)
    elif not found and asked:  # "no, not trying": the no, and the word it negates
        # ("nothing except one night feed": the exception is a yes)
        exception = re.search(r"\b(except|apart from|other than|besides|but|only|just)\b",
                              normalise(text))
        found = [f for f in _match_terms(clauses(text), terms[1:], topic, mask)
                 if f.polarity == Polarity.ABSENT or (exception and f.polarity == Polarity.PRESENT)]
        if not found and topic == "breastfeeding" and re.match(
                r"\W*(no|nope|nah|not really)\b[\s,.!-]*(except|apart from|other than|besides|bar|but for)\b"
                r"(?! (that|this|it|those|them|the fact)\b)", normalise(text)) and not re.search(
                HYPOTHETICAL_CUES + "|" + FAMILY_WORDS, normalise(text)):
            # "no apart from the 3am one, she won't settle without it": an exception we cannot
            # name is not a no; a clinician asks
            found = [Finding(topic=topic, item=terms[0].item, polarity=Polarity.UNSURE,
                             evidence=text.strip())]
    for finding in found:  # "stopped nursing in january", "weaned": a clear no to now
        evidence = normalise(finding.evidence)
        if finding.polarity == Polarity.PAST and re.search(
                r"\b(in order |so as )?to try\b|\b(stopped|quit|came off|come off|ditched|dropped|"
                r"had (out|removed)|off) (taking )?(the |my )?(pill|pills|contraception|"
                r"contraceptive|birth control|coil|iud|implant|injection|depo|mini pill|patch|ring)"
                r"( \w+){0,3} (in order |so as |so we can |so i can )?(to )?(get|fall|try|conceive)\b",
                evidence):
            # "stopped birth control last month to try", "stopped the pills to get pregnant"
            finding.polarity = Polarity.PRESENT
        elif finding.polarity == Polarity.PAST and ended_now(evidence):
            finding.polarity = Polarity.ABSENT
        elif finding.polarity == Polarity.PRESENT and topic == "breastfeeding" and re.search(
                r"\b(fully|completely|totally|all) weaned\b", evidence) and not re.search(
                STILL_SOME_FEEDS, evidence):
            finding.polarity = Polarity.ABSENT  # "my baby's fully weaned since march"
    if found:
        return _most_current(found)
    return _bare(text, topic, terms[0].item) if asked else []


def _most_current(found: list[Finding]) -> list[Finding]:
    """One finding for a one-item question: a statement about now wins over the past."""
    order = [Polarity.PRESENT, Polarity.UNSURE, Polarity.ABSENT, Polarity.PAST,
             Polarity.HYPOTHETICAL, Polarity.OTHER_PERSON]
    return [min(found, key=lambda f: order.index(f.polarity))]


# A contraceptive that failed: possibly pregnant, whatever else is said ("hope not, the condom
# broke"); asked about, a clinician decides.
CONTRACEPTION_FAILED = r"\b(condom|johnny|rubber) (broke|split|burst|came off|slipped( off)?|failed)\b|" \
    r"\b(broke|split) the condom\b|\b(took|needed|had to take) the morning after pill\b|" \
    r"\bforgot (to take )?my pills?\b|\bmissed (a few|some|two|three|\d) pills\b"


# Pregnancy said in SMS shape, in any message: "16wks pg", "due in december (22 wks now)"
PREGNANT_SHORTHAND = r"\b\d{1,2} ?(wks?|weeks?) (pg|preg|pregnant|along)\b|^(im |i am )?(pg|preg) (w|with) " \
    r"(my|our|no|number|baby|#)\b|\bdue in (jan|feb|mar|apr|may|" \
    r"jun|jul|aug|sep|oct|nov|dec)[a-z]*\W+\(?\d{1,2} ?(wks?|weeks?)( now| today| along)?\b|" \
    r"\b(baby|bub|bubba) (number|no) (two|three|four|2|3|4) (is )?on (the|its) way\b|" \
    r"^(im |i am )?(pg|preg) \d{1,2} ?(wks?|weeks?|\+ ?\d)"
# A late period not yet tested: possibly pregnant ("10 days late, not tested", "af 1wk late, no
# test yet", "no period this month and too scared to test")
LATE_UNTESTED = r"(?:^|,|\band|\bim|\bi am|\bperiods?(?: is| was|s)?|\bno (?:period|af) for|\baf(?: is|s)?|\baunt flo(?: is|s)?|" \
    r"\bcycle(?: is|s)?)\s*(\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of) ?" \
    r"(days?|dys|wks?|weeks?) (late|overdue|past due)\b|\bno (period|af) this month\b"
NOT_TESTED = r"\b(not tested|no test|not done a test|havent (done a |taken a )?test(ed)?|" \
    r"not taken a test|(too )?scared to test|afraid to test|yet to test|not tested yet)\b"


def extract_pregnancy(text: str, asked: bool, today: date) -> list[Finding]:
    """Pregnant, possibly pregnant (unsure) or not."""
    found = _reproductive(text, asked, "pregnancy", [PREGNANT, PREGNANT_WHEN_ASKED])
    norm = normalise(text)
    if not any(f.polarity in (Polarity.PRESENT, Polarity.UNSURE) for f in found) and not re.search(
            FAMILY_WORDS + r"|\b(if|would|when i was|last time|was)\b|\b(not|never|no)\b[^,.;]{0,12}"
            r"\b(pg|preg|pregnant)\b", norm):
        shorthand = re.search(PREGNANT_SHORTHAND, norm)
        late = re.search(LATE_UNTESTED, norm) and re.search(NOT_TESTED, norm)
        if shorthand or late:
            return [Finding(topic="pregnancy", item="pregnant",
                            polarity=Polarity.PRESENT if shorthand else Polarity.UNSURE,
                            evidence=text.strip(), detail={"category": "pregnant",
                                                           "kind": "condition"})]
    if asked and not any(f.polarity == Polarity.UNSURE for f in found) and not (any(
            f.polarity == Polarity.PRESENT for f in found) and re.search(
            r"\b(again|now|currently|still|weeks|wks)\b", norm)) and re.search(
            r"\b(nothing|none|no pregnancy|not pregnant) since( then)?\W*$|\bsince (then|that) (nothing|"
            r"none|no pregnancy|not pregnant)\W*$", norm) and re.search(
            r"\b(miscarriage|miscarried|d and c|d&c|erpc|lost (the|a|my) (baby|pregnancy)|ectopic|"
            r"termination|gave birth|had (my|the|a) baby)\b", norm):
        # "I had a D and C in June and nothing since then": not pregnant now
        return [Finding(topic="pregnancy", item="pregnant", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    if asked and re.search(CONTRACEPTION_FAILED, norm) and not any(
            f.polarity == Polarity.PRESENT for f in found) and not re.search(
            FAMILY_WORDS + r"|" + HYPOTHETICAL_CUES, norm):
        return [Finding(topic="pregnancy", item="pregnant", polarity=Polarity.UNSURE,
                        evidence=text.strip(), detail={"category": "pregnant",
                                                       "kind": "condition"})]
    return found


# A baby fed only by bottle or formula, said in answer: the patient is not breastfeeding.
BOTTLE_ONLY = r"\b(on (the )?(bottle|bottles|formula)|(switched|moved|changed|gone) (over )?to " \
    r"(the )?(formula|bottles?)|formula (fed|feeding|only)|bottle ?(fed|feeding)|" \
    r"(only|just|all) (formula|bottles?)|bottle (feeing|feedin|feding) only)\b"


# Weaning, not weaned: a feed or two still given is breastfeeding now.
STILL_SOME_FEEDS = r"\b(mostly|almost|nearly|partly|partially|half|not fully|not quite) weaned\b|" \
    r"\b(one|1|a|the|just the|only the|last|single) (\w+ ){0,2}(feed|feeding|nursing session|" \
    r"boob feed|breastfeed)s? (left|a day|a night|per day|each day|at night|before bed|in the " \
    r"morning|on a \w+|still)\b|\b(odd|occasional) (dream |night |bedtime |morning )?feeds?\b|" \
    r"\bdream ?feeds?\b|\bstill (bf|bfing|breastfeeding|nursing|feeding)\b|\bwe still (bf|feed|nurse)\b"
# "no, apart from the 5am feed he won't give up": the exception is a feed now
FEED_EXCEPTED = r"\b(apart from|except|other than|besides|but|only|just) (the|a|one|her|his|my|our) " \
    r"(\w+ ){0,2}feeds?\b(?! (the|my|him|her|it|them|round|around|this|that|our)\b)"


# "feeding my 3 month old myself": a baby fed by the patient, said in any message
FED_BY_ME = r"\b(feeding|feed|nursing|nurse) (my|our|the) ([a-z0-9-]+ ){0,3}?(old|baby|newborn|bub|" \
    r"bubba|lo|little one|infant|son|daughter|boy|girl)\b[^,.;?]{0,12}\b(myself|from me|off me)\b"


def extract_breastfeeding(text: str, asked: bool, today: date) -> list[Finding]:
    """Breastfeeding, nursing, pumping or chestfeeding now."""
    found = _reproductive(text, asked, "breastfeeding", [BREASTFEEDING, BREASTFEEDING_WHEN_ASKED])
    norm = normalise(text)
    same_now = re.search(r"\b(and |but )?now (im|i am|were|we are|i am also|im also) (doing|feeding|nursing|"
                         r"breastfeeding) (the same|again|it again)\b", norm)
    if same_now and (any(f.polarity == Polarity.PAST for f in found) or (asked and re.search(
            r"^(i )?(fed|nursed|breastfed|bf|bfd) (my|our|the|both|all)\b", norm))):
        # "fed my eldest till she was 2 and now I'm doing the same with this one": feeding now
        return [Finding(topic="breastfeeding", item="breastfeeding", polarity=Polarity.PRESENT,
                        evidence=text.strip(), detail={"category": "breastfeeding",
                                                       "kind": "condition"})]
    if not any(f.polarity in (Polarity.PRESENT, Polarity.UNSURE) for f in found) and re.search(
            FED_BY_ME, normalise(text)) and not re.search(
            r"(?<!or )\b(if|would|used to|stopped|was|when i|not|no longer|never)\b", normalise(text)):
        return [Finding(topic="breastfeeding", item="breastfeeding", polarity=Polarity.PRESENT,
                        evidence=text.strip(), detail={"category": "breastfeeding",
                                                       "kind": "condition"})]
    if asked and not any(f.detail.get("category") and f.polarity != Polarity.PAST for f in found) and \
            re.search(BOTTLE_ONLY, normalise(text)) and not re.search(HYPOTHETICAL_CUES,
                                                                      normalise(text)) and (
            not found or re.search(r"\b(now|since then|since|ever since|from then on)\b[^.;]{0,20}" + BOTTLE_ONLY + r"|"
                                   + BOTTLE_ONLY + r"\s+(since|ever since|from then|now)\b", normalise(text))):
        # "breastfed till 4 months, now she only takes the bottle": a no to now
        return [Finding(topic="breastfeeding", item="breastfeeding", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    norm = normalise(text)
    if asked and not any(f.polarity == Polarity.PRESENT for f in found) and ((
            re.search(STILL_SOME_FEEDS, norm) and not re.search(
                r"\b(no|not|never|none|nothing)\b[^.,;]{0,20}\bfeed", norm)) or re.search(
            FEED_EXCEPTED, norm)) and not re.search(HYPOTHETICAL_CUES, norm):
        # "mostly weaned, one feed left", "just the odd dream feed": still breastfeeding
        return [Finding(topic="breastfeeding", item="breastfeeding", polarity=Polarity.PRESENT,
                        evidence=text.strip(), detail={"category": "breastfeeding",
                                                       "kind": "condition"})]
    if asked and not any(f.polarity == Polarity.PRESENT for f in found) and (
            ended_now(norm) or re.search(r"\b(dried up|no more feeds|not any ?more)\b", norm)) \
            and not re.search(HYPOTHETICAL_CUES + r"|\b(still|but)\b", norm):
        # "gave up at 6 weeks", "my milk dried up a month ago": a clear no to now
        return [Finding(topic="breastfeeding", item="breastfeeding", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    return found


def extract_trying_to_conceive(text: str, asked: bool, today: date) -> list[Finding]:
    """Actively trying to conceive."""
    found = _reproductive(text, asked, "trying_to_conceive", [TTC, TTC_WHEN_ASKED])
    if re.search(r"\b(were|we are|im|i am|weve been|we have been|its|it is)( currently| now)? (on a break|"
                 r"taking a break|having a break|on pause|on hold|pausing|paused|holding off)\b|"
                 r"\btrying but (we )?(stopped|paused|gave up|quit)\b|\b(decided|agreed) to (wait|hold off|"
                 r"pause)\b", normalise(text)):
        # "yes, but we're on a break till after the wedding": not trying now
        found = [f.model_copy(update={"polarity": Polarity.ABSENT})
                 if f.polarity == Polarity.PRESENT else f for f in found]
    if re.search(r"\b(finally|it|ivf|the transfer|this one|round \w+) (took|worked|stuck)\b|\bgot (our|my|a) "
                 r"(bfp|positive)\b", normalise(text)) and not re.search(r"\b(again|another|next)\b",
                                                                       normalise(text)):
        # "three rounds of IVF and it finally took, 9 weeks today": the trying is over
        found = [f.model_copy(update={"polarity": Polarity.PAST})
                 if f.polarity == Polarity.PRESENT else f for f in found]
    elif found and not re.search(r"\b(again|another|next|second|more)\b", normalise(text)) and any(
            f.polarity == Polarity.PRESENT for f in extract_pregnancy(text, not asked, today)):
        # "after three rounds of IVF at the Rotunda, yes, 10 weeks today": pregnant, so not trying
        found = [f.model_copy(update={"polarity": Polarity.PAST})
                 if f.polarity == Polarity.PRESENT else f for f in found]
    return found


# --- neuromuscular, breathing, skin -------------------------------------------------------------

# Answers that mean "nothing of the kind" without a yes/no word.
NOTHING_TO_REPORT = r"^(all good|im good|i am good|fine|all fine|healthy|im healthy|i am healthy|" \
    r"nothing like that|no issues|none of those|none of them|n/?a|nope all good|" \
    r"perfectly healthy|" \
    r"nothing|none|all clear|clear)\b|" \
    r"^((my )?(skin|face|breathing|swallowing|lungs|chest|everything|all|it)( is| are|s)?( all)? " \
    r"(fine|clear|good|gd|ok|okay|normal|great|healthy|perfect)( now| atm| rn| at the moment| today)?" \
    r"( ta| thanks| thx| x+)?" \
    r"( and|,)?\s*)+$|" \
    r"^(no|nah|nope),? (my )?(lungs|breathing|chest|skin|swallowing)( are| is|s)? (fine|good|ok|" \
    r"okay|great|clear)\b|" \
    r"\b(breathing|lungs|chest|swallowing)(s| is| are| has| have)?( been)? (fine|great|good|ok|" \
    r"okay|normal|perfect)( since| now| ever since)?\b(?!.*\b(trouble|problem|issue|hard|short)\b)"
# Words that say an unrecognised answer names a condition: recorded for the clinician to judge.
CONDITION_WORDS = r"\b(diagnosed|disease|syndrome|disorder|condition|palsy|sclerosis|" \
    r"dystrophy|neuropathy|myopathy|weakness|weak|apnea|apnoea|bronchitis|lung|lungs|wheez\w*|" \
    r"cough\w*|choke|chok\w*|twitch\w*|spasms?|tremors?)\b"
# Everyday words that name a condition only in a short first-person answer ("I have trouble
# with my grip"), not in a sentence ("we have limited bandwidth to address issues").
CONDITION_WORDS_SHORT = r"^(i|im|ive|i have|my)\b.*\b(have|had|trouble|problems?|issues?)\b"


def _condition(text: str, asked: bool, topic: str, terms: list[lexicon.Term], bare_item: str,
               abbreviations: dict[str, str] | None = None) -> list[Finding]:
    found = _match_terms(clauses(text), terms, topic)
    if not found and asked:  # "no, I have MS but none of those": the abbreviation, read the same way
        found = _abbreviation(text, topic, abbreviations or {})
    if found and asked and all(f.detail.get("category") is None or f.polarity == Polarity.ABSENT
                               for f in found) \
            and any(f.detail.get("category") is None for f in found) \
            and (yes_no(clauses(text)[0].original) == "no"
                 or re.match(r"\W*(only|just|nothing but)\b", normalise(text))):
        # "no, but I have fibromyalgia": a no to the question; the other condition stays in
        # the patient's words
        return [Finding(topic=topic, item=bare_item, polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    if not found:  # volunteered, only as the patient's own: "apart from my MG"
        found = _abbreviation(text, topic, abbreviations or {}, owned=not asked)
    norm = normalise(text)
    if found and asked and all(f.polarity in (Polarity.PAST, Polarity.UNSURE, Polarity.ABSENT)
                               for f in found) and re.search(OVER_NOW, norm) and not re.search(
            r"\b(waiting|awaiting|still|but now|again|back)\b", norm):
        # "asthma as a kid, none since high school"; "they tested me for ALS last year, all
        # clear": the patient's own no to now
        return [f.model_copy(update={"polarity": Polarity.ABSENT})
                if f.polarity == Polarity.UNSURE else f for f in found] + [
            Finding(topic=topic, item=bare_item, polarity=Polarity.ABSENT, evidence=text.strip())]
    if found:
        return found
    if not asked:
        return []
    if re.search(r"\b(nothing|none|no|not|fine|clear|cleared|cleared up|better|healed|sorted|ok|"
                 r"okay|gone|normal)( at all)? (now|anymore|"
                 r"any more|these days|at the moment|currently|today|nowadays)[.!]*$",
                 normalise(text)):  # "used to get eye twitches from stress, nothing now"
        return [Finding(topic=topic, item=bare_item, polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    return _bare(text, topic, bare_item) or _nothing(text, topic, bare_item) or \
        _unrecognised_condition(text, topic)


# Said after a past condition or a test for one: it is over, or it never was.
OVER_NOW = r"\b((none|nothing|no (attacks?|problems?|issues?|trouble|symptoms?|flare ?ups?)) (since|in " \
    r"(years|ages|decades)|for (years|ages|decades))|(cleared|cleared up|all clear|gone|fine|healed|" \
    r"sorted|resolved|better|went away|recovered) (now|completely|totally|fully|for good)|all clear|" \
    r"(fully|completely|totally) (recovered|healed|better)|came back (clear|negative|normal|fine)|(was|were|been|" \
    r"got) ruled out|nothing (was )?(found|showed up)|(results?|tests?|scans?|emg) (were |was |came " \
    r"back )?(normal|clear|negative|fine)|(it|that|they|all) (was|were|came back) (all )?(negative|" \
    r"clear|normal)|outgrew it|grew out of it|now\b[^.;]{0,40}\bwithout (any )?" \
    r"(problems?|issues?|trouble))\b"


def _nothing(text: str, topic: str, item: str) -> list[Finding]:
    """"all good", "nothing like that", "I'm healthy": a no, said another way."""
    norm = normalise(text)
    # "brething fine, swallowng fine": the two words of this question, misspelt
    norm = re.sub(r"\bbre+a?th?(i|e)?ng\b|\bbreathin\b", "breathing",
                  re.sub(r"\bswall?o+w?(i|e)?ng?\b|\bswallowin\b|\bswall?(e|o)rin[g']?\b", "swallowing", norm))
    if not re.search(NOTHING_TO_REPORT, norm) and not re.search(
            r"\b(breathing|swallowing|chest|lungs)( is|s)? no (trouble|problem|issue|bother)\b|"
            r"\bnothing (wrong )?(with|on|in) my (chest|lungs|breathing|swallowing|throat)\b|"
            r"\b(lungs|breathing|swallowing|skin|face|chest|everything)( is| are|s)? (fine|clear|"
            r"good|ok|okay|normal|great|healthy)( now)?[.!]*$|"
            r"\bi (breathe|swallow)\b[^.;]{0,25}\b(without (any )?(problems?|issues?|trouble)|"
            r"fine|ok|okay|normally|everything)\b|"
            r"\b(all )?(good|gud|fine|ok|okay|normal|clear)\b (w|with|on|for) (my )?(chest|throat|"
            r"lungs|breathing|swallowing|skin|face)\b|"
            r"\b(breathing|swallowing|chest|throat|lungs)( and | n | & )(breathing|swallowing|chest|"
            r"throat|lungs)( are| r| is)?( both)? (fine|normal|good|ok|okay|great)\b|"
            r"(^|,\s*)(but )?no (medical |health )?"
            r"(issues|problems|trouble|complaints)( at all| there)?[.!]*$|"
            # "my neurologist cleared me of everything, no muscle or nerve diagnosis at all"
            # "my face is clear, what I have is athlete's foot": an infection elsewhere
            r"^(my )?(skin|face)( is|s)? (fine|clear|good|ok|okay|normal)\b,? (but |just |only )?(what i have "
            r"is|i have|ive got|i get|i do have)\b[^.;]{0,40}\b(foot|feet|toes?|toenails?|athletes foot|"
            r"groin|thrush|uti|chest|ear|leg|fingernails?|finger ?nails?|fingers?|hand|nail)\b|"
            r"(^|,\s*)(but |so )?no ((muscle|nerve|neuro|neurological|neuromuscular|lung|breathing|"
            r"swallowing|skin)( or| and| n| &)? ){1,3}(issues?|problems?|trouble|diagnosis|diagnoses|"
            r"conditions?|disorders?|diseases?)( at all| whatsoever| there)?[.!]*$|"
            # "my nerves and muscles have never given me bother"
            r"^(my )?(nerves|muscles|lungs|breathing|swallowing|skin)( and| n| &)?( my)?( nerves| muscles)? "
            r"(have|has|ve)? ?(never|not) (given|caused|gave) me (any )?(bother|trouble|problems?|issues?|"
            r"grief)( at all| whatsoever)?[.!]*$", norm):
        return []
    return [Finding(topic=topic, item=item, polarity=Polarity.ABSENT, evidence=text.strip())]


def _abbreviation(text: str, topic: str, abbreviations: dict[str, str], owned: bool = False
                  ) -> list[Finding]:
    """"MG", "MS" answer the question asked; anywhere else they are a dose or a title, unless
    the patient owns them ("my MG", "I have MG")."""
    norm = normalise(text)
    owner = r"\b(?:my|i have|ive got|i got|diagnosed with|living with|i live with) " if owned \
        else ""
    for abbreviation, item in abbreviations.items():
        match = re.search(rf"(?<!\d)(?<!\d ){owner}\b(?P<abbr>{abbreviation})\b", norm) or (re.search(
            rf"(?<!\d)(?<!\d )\b(?P<abbr>{abbreviation}) (patient|sufferer|warrior)\b", norm)
            if owned else None)  # "MG patient (66)"
        if match:
            return [Finding(topic=topic, item=item, polarity=polarity_at(norm, match.start("abbr"),
                                                                       len(abbreviation)),
                            evidence=text.strip(), detail={"kind": "condition", "category": next(
                                (t.category for t in lexicon.all_terms() if t.item == item), None)})]
    return []


def _unrecognised_condition(text: str, topic: str) -> list[Finding]:
    """A condition the lexicon does not know, said in answer: the clinician judges it."""
    norm = everyday_masked(normalise(text), topic)
    word = re.search(CONDITION_WORDS, norm)
    if not word and len(tokens(norm)) <= 10:
        word = re.search(CONDITION_WORDS_SHORT, norm) or (  # "trouble swallowin"
            len(tokens(norm)) <= 4 and re.search(r"\b(trouble|problems?|issues?|difficult\w*)\b",
                                                 norm))
        word = re.search(r"\b(have|had|trouble|problems?|issues?)\b", norm) if word else None
    if re.search(NOTHING_TO_REPORT, norm) or not word or (
            len(tokens(norm)) > 4 and not re.search(FIRST_PERSON, norm)) or len(tokens(norm)) > 25:
        return []  # a sentence not about the patient ("this class implements condition
        # variables") is no answer
    polarity = polarity_at(norm, word.start(), len(word.group()))
    return [Finding(topic=topic, item="other condition", polarity=polarity,
                    evidence=text.strip(), detail={"kind": "unrecognised"})]


def extract_neuromuscular(text: str, asked: bool, today: date) -> list[Finding]:
    """Myasthenia gravis, Lambert-Eaton, ALS and other neuromuscular disorders."""
    # conditions that are not neuromuscular are read only in the answer to this question
    found = _neuromuscular(text, asked)
    for finding in found:  # "myasthenia, well controlled now": a chronic condition, still there
        if finding.polarity == Polarity.ABSENT and finding.detail.get("category") and re.search(
                r"\b(well controlled|under control|controlled|managed|in remission|stable)\b",
                normalise(finding.evidence)) and not re.search(
                r"\b(no|not|never|dont|havent|nothing)\b", normalise(finding.evidence)):
            finding.polarity = Polarity.PRESENT
    return found


def _neuromuscular(text: str, asked: bool) -> list[Finding]:
    found = _condition(text, asked, "neuromuscular", lexicon.NEUROMUSCULAR + lexicon.OTHER_NEURO
                       + (lexicon.NOT_NEUROMUSCULAR if asked else []),
                       "neuromuscular disorder",
                       {"mg": "myasthenia gravis", "ms": "multiple sclerosis"})
    if any(f.item == "sensory neuropathy" for f in found):
        # "diabetic neuropathy": the named kind, not the bare word "neuropathy", is the answer
        found = [f for f in found if f.item != "peripheral neuropathy"]
    return found


INHALER_ONLY = r"^(inhalers?|puffers?|ventolin|salbutamol|albuterol inhaler|blue inhaler|" \
    r"brown inhaler|preventer|reliever)$"


def extract_breathing(text: str, asked: bool, today: date) -> list[Finding]:
    """Trouble swallowing or breathing, active asthma or emphysema."""
    if asked and re.fullmatch(r"\W*(only|just|a bit of|bit of|some|the odd)?\s*(hay ?fever|the sniffles|"
                              r"sniffles|a cold|a runny nose|a blocked nose|a stuffy nose)( sniffles| in "
                              r"(the )?(spring|summer)| (from|with|due to|because of|cos of|off) (a |the |my )?"
                              r"(cold|hay ?fever|allergies|flu|sinuses|sinusitis|pollen))?"
                              r"(,? (a bit of|bit of|some|the odd|and)? ?(a )?(sniffle|sniffles|runny nose|"
                              r"blocked nose|stuffy nose|sneezing|itchy eyes))?"
                              r"( (lol|tbh|thats it|thats all))?\W*", normalise(text)):
        # "only hay fever sniffles": a runny nose is no trouble breathing or swallowing
        return [Finding(topic="breathing", item="swallowing or breathing trouble",
                        polarity=Polarity.ABSENT, evidence=text.strip())]
    found = _condition(text, asked, "breathing", lexicon.BREATHING,
                       "swallowing or breathing trouble")
    if not asked and found and all(re.match(INHALER_ONLY, p) for p in _breathing_phrases(text)):
        return []  # "just my inhaler", said of medicines: the breathing question is still asked
    return found


def _breathing_phrases(text: str) -> list[str]:
    return [phrase for c in clauses(text) for _, phrase, _ in _terms_in(c.norm, lexicon.BREATHING)]


HABITUAL = r"\b(i (usually |often |sometimes |always |occasionally |tend to )?get (them|it|one|" \
    r"\w+ ?\w*) (sometimes|often|occasionally|now and then|a lot|every so often|from time to time|" \
    r"when (im |i am )?(stressed|run down|ill|sick|tired))|i tend to get|i (usually|often|" \
    r"sometimes|occasionally) get|prone to|every so often|from time to time|now and then)\b"


# An infection somewhere the treatment does not go: "infection yes, but it's a UTI"
ELSEWHERE_INFECTION = r"\b(uti|utis|urinary|urine|bladder|kidney|chest|ear|sinus|throat|strep|tooth|" \
    r"dental|water|yeast|vaginal|thrush|stomach|tummy|gut|lung|bone|toe ?nail|toenail|foot|finger ?nail|" \
    r"fingernail|nail bed|finger)\b"


def extract_skin_infection(text: str, asked: bool, today: date) -> list[Finding]:
    """An active infection, cold sore or open rash at or near a treatment area."""
    cls = clauses(text)
    found = _match_terms(cls, lexicon.SKIN_INFECTION, "skin_infection")
    norm = normalise(text)
    skin = "|".join(lexicon.SKIN_CONTEXT)
    # "ear infection yes, but in the face nothing": the skin named only to be denied
    skin_denied = re.sub(rf"\b(on|in) (my |the )?({skin}) (nothing|none|nada|clear|fine|all good)\b|"
                         rf"\b(nothing|none|no infections?) (on|in) (my |the )?({skin})\b", " ", norm)
    if asked and not found and re.search(r"\binfect\w*", norm) and re.search(
            ELSEWHERE_INFECTION, norm) and not re.search(rf"\b({skin})\b", skin_denied):
        # "infection yes, but it's a urinary one": an infection, not on the skin being treated
        return [Finding(topic="skin_infection", item="skin infection", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    if all(f.polarity == Polarity.ABSENT for f in found):  # none named, or all denied
        context = [c for c in cls if asked or any(find_phrase(c.norm, w) >= 0
                                                  for w in lexicon.SKIN_CONTEXT)]
        generic = _match_terms(context, [lexicon.GENERIC_INFECTION], "skin_infection")
        # "no cold sore, but my nose piercing got infected": the named one is denied, the
        # infection described after it is not
        found = generic if not found else found + [
            f for f in generic if f.polarity in (Polarity.PRESENT, Polarity.UNSURE)]
    allergy = not asked and (re.search(r"\b(allerg\w*|alergi\w*|reactions?|reacted)\b", norm) or (
        # "none except Vibramycin, I get a rash": a medicine named, then how it takes the patient
        (re.search(r"\b(i get|i got|gives me|give me|makes me|brings? me out|i break out|i come out|came up in|"
                   r"come up in|comes up in|broke out|after my|after the)\b", norm)
         # "penicillin - rash", "amoxicillin = hives", "sulfa (rash)": a medicine and its reaction
         or re.search(r"[-:=>(]\s*(a |an )?(rash|rashes|hives|welts|itching|itchy)\b", (text or "").lower()))
        and (drug_table.named_medicines(norm) or _terms_in(norm, lexicon.PRODUCTS)
             or any(find_phrase(norm, allergen) >= 0 for allergen in lexicon.ALLERGENS))))
    for finding in found:  # "I get cold sores sometimes": prone to them, not one now
        evidence = normalise(finding.evidence)
        if allergy and finding.polarity in (Polarity.PRESENT, Polarity.UNSURE) and re.search(
                r"\b(rash|rashes|hives|welts|itch\w*)\b", evidence) and not re.search(
                r"\b(now|right now|at the moment|atm|today|currently|on my (face|lip|lips|forehead|chin|"
                r"cheeks?|nose|mouth|jaw|neck))\b",
                evidence):
            # "allergic to sulfa drugs, I get a rash": how the allergy shows, not a rash now
            finding.polarity = Polarity.HYPOTHETICAL
            continue
        if finding.polarity == Polarity.PRESENT and re.search(HABITUAL, evidence) \
                and not re.search(PRESENT_CUES, evidence):
            finding.polarity = Polarity.HYPOTHETICAL
    if found and asked and all(f.polarity in (Polarity.PAST, Polarity.ABSENT) for f in found) and \
            re.search(OVER_NOW, norm) and not re.search(r"\b(still|but now|again|back)\b", norm):
        # "had a stye in march, the drops cleared it up completely": over, a no to now
        return found + [Finding(topic="skin_infection", item="skin infection",
                                polarity=Polarity.ABSENT, evidence=text.strip())]
    if not found and asked and re.search(r"\b(a|got|have|ive got|getting) (a )?cs\b", normalise(text)) \
            and not re.search(r"\b(section|c-section|baby|born|delivery)\b", normalise(text)):
        # "got a cs rn": SMS shorthand for a cold sore, in answer to this question
        found = _match_terms(clauses(re.sub(r"\bcs\b", "cold sore", text, flags=re.I)),
                             lexicon.SKIN_INFECTION, "skin_infection")
    if found or not asked:
        return found
    return _bare(text, "skin_infection", "skin infection") or _nothing(
        text, "skin_infection", "skin infection")


# --- events -------------------------------------------------------------------------------------

NOTHING_ELSE = r"\b(nothing (else|more|coming|planned|on|big)|no other|none (coming|planned)|" \
    r"thats it|thats all)\b"
GENERIC_EVENT = ("event", "events", "anything coming up", "plans", "nothing planned")


def _event_word(norm: str) -> str | None:
    for word in lexicon.EVENT_WORDS:
        if find_phrase(norm, word) >= 0:
            return word
    # "my dad's 80th on the 13th", "our 25th": a milestone birthday or anniversary
    milestone = re.search(r"\b(my|our|(?!it)[a-z]+s) (18|21|25|[1-9]0|100)(th|st)\b(?! (of|century|"
                          r"week|day|time|floor|place|row|percentile|birthday was|today|is today|was)\b)", norm)
    return milestone.group() if milestone else None


def _event_polarity(norm: str, pos: int, word: str) -> Polarity:
    """Someone else's wedding is still the patient's event: only negation and the past count.

    A question back or a condition is not an event: "does a job interview count?", "if he
    proposes there'll be a party".
    """
    if is_question(norm) or segment_at(norm, pos).rstrip().endswith("?") or re.search(
            r"\b(if|what if|in case|whether|unless|might|maybe|possibly|could)\b|(?<!in )(?<!of )"
            r"(?<!since )(?<!early )(?<!late )(?<!mid )(?<!last )(?<!next )(?<!this )(?<!from )"
            r"(?<!until )(?<!till )(?<!by )(?<!end of )\bmay\b(?! \d)", norm[:pos]):
        return Polarity.HYPOTHETICAL
    if _negated(norm, pos, word):
        return Polarity.ABSENT
    if re.search(r"\b(been and gone|came and went|come and gone|already happened|(is|are|its|it is|was|"
                 r"were) (all |already )?over( now| already)?)\b", norm[pos:]):
        return Polarity.PAST  # "our hanukkah party has been and gone"
    # "had Dysport on 20 November, son's wedding the 22nd": the past of another part is not its
    own = segment_at(norm, pos) + " " + norm[pos:]
    past = r"\b(was|went|had|last|did (a|an|the|my|our|that|this|some)|done and dusted)\b"
    return Polarity.PAST if re.search(past, own) and not re.search(
        r"\b(next|coming|upcoming|in \d+|soon|will|is|am|have|postponed|moved|rescheduled|"
        r"pushed back|delayed)\b", norm) else Polarity.PRESENT


def _negated(norm: str, pos: int, word: str) -> bool:
    without_family = re.sub(FAMILY_WORDS + r"|\bjust (gone|been|passed)\b",  # "Saturday just gone"
                            lambda m: " " * len(m.group()), norm)
    return polarity_at(without_family, pos, len(word)) == Polarity.ABSENT


def _only_joke(norm: str, word: str, text: str, today: date) -> bool:
    """After a no, "the only shoot I'm doing is sunday league football": the event word's only
    object is no event and no date."""
    joke = (ONLY_THING.search(norm) or ONLY_THIS_WEEK.search(norm)) if word and re.match(
        r"\W*(no|nope|nah|not really)\b", normalise(text)) else None
    # "a pity party", "the school run": an event word in an everyday phrase names no event
    what = re.sub(r"\b(pity party|party of one|party pooper|school run|tea party for one)\b|"
                  # "the only event round here is bin day on thursday": a chore's day
                  r"\b(bin|bins|rubbish|trash|garbage|recycling|laundry|washing|wash|pay|cleaning|"
                  r"shopping|market) (day|night)( (on|this|next|every) \w+)?\b", " ",
                  joke["what"]) if joke else ""
    return bool(joke and joke.start() <= find_phrase(norm, word) < joke.start("what")
                and not _event_word(what) and not event_date(what, today))


def extract_event(text: str, asked: bool, today: date) -> list[Finding]:
    """An upcoming event and its date ("my wedding in 9 days")."""
    results, past_event, joked = [], False, False
    for clause in _event_parts(text):
        word = _event_word(clause.norm)
        if not word:
            continue
        if _only_joke(clause.norm, word, text, today):
            joked = True  # "no, the only shoot I'm doing is sunday league football"
            continue
        pos = find_phrase(clause.norm, word)
        polarity = _event_polarity(clause.norm, pos, word)
        when = event_date(clause.original, today) if polarity not in (
            Polarity.ABSENT, Polarity.HYPOTHETICAL) else None
        if re.match(r"(does|do|would|will|is|should|could)\b[^.;]{0,60}\bcounts?\b", clause.norm):
            continue  # "does a tinder date friday count as an event lol": a question back
        if when and when[0] < today and polarity != Polarity.PAST:
            # "got botox 5 weeks ago and it did nothing, engagement party friday": the date in
            # the event's own part of the clause, not the treatment's
            own = clause.original[:_original_pos(clause.original, word)].rfind(",")
            if own > 0:
                when = event_date(clause.original[own + 1:], today) or when
        if polarity == Polarity.PAST or (when and when[0] < today):
            past_event = True  # "my wedding was last month": not an upcoming event
            continue
        if not asked and not when and polarity != Polarity.ABSENT and word in ("event", "shoot"):
            continue  # "a photo event" without a date, unasked, is too vague to record
        if not asked and re.search(r"\b((19|20)\d\d|old|last years?) (\w+ )?" + re.escape(word) +
                                   r" (snaps?|photos?|pics?|pictures?|selfies?)\b", clause.norm):
            continue  # "sent 2: a 2019 holiday snap and a selfie from monday": a photo of it
        results.append(_event_finding(clause.original, word, polarity, when, today))
    exception = re.match(r"^([a-z]+ )?(nothing|none|no|not really|nope|nah)\b.*?\b(except|apart from|"
                         r"other than|besides|but|only|just)\b(.+)$", normalise(text))
    if asked and exception and not past_event and not _only_joke(
            normalise(text), _event_word(exception.group(4)) or "", text, today) and not any(
            r.polarity == Polarity.PRESENT for r in results) and not re.search(
            HYPOTHETICAL_CUES, exception.group(4)):
        # "nothing except our vow renewal on the 15th": the exception is the event
        when = event_date(exception.group(4), today)
        # "no wedding, but I'm on a panel being filmed next Tuesday": a dated exception is one
        # ... within the two weeks where it matters; a day at work or a free slot is no event
        ordinary = re.search(r"\b(free|available|appointment|appt|book\w*|work|working|shift|"
                             r"day off|off work|busy|school run|gym|job)\b", exception.group(4))
        soon = when and 0 <= (when[0] - today).days < 14 and not ordinary
        if (_event_word(exception.group(4)) or soon) and not (when and when[0] < today):
            results.append(_event_finding(text.strip(), _event_word(exception.group(4)) or
                                          "event", Polarity.PRESENT, when, today))
    moved = MOVED_TO.search(text)
    if not results and past_event and moved:
        # "the wedding was on the 8th but they moved it to the 29th": the date it moved to
        when = event_date(text[moved.end():], today) or event_date(text, today)
        if when and when[0] >= today:
            word = next((w for c in clauses(text) if (w := _event_word(c.norm))), "event")
            results.append(_event_finding(text.strip(), word, Polarity.PRESENT, when, today))
    if len(results) == 1 and moved and results[0].polarity == Polarity.PRESENT and \
            moved.start() >= len(results[0].evidence) - 1:
        # "the christening was going to be in July but we moved it to Sunday 1 September"
        later = event_date(text[moved.end():], today)
        if later and later[0] >= today:
            results = [_event_finding(text.strip(), results[0].detail.get("description", "event"),
                                      Polarity.PRESENT, later, today)]
    if results:  # "no events but a big presentation tomorrow": the event named wins
        return _most_current(results)
    if asked and joked and not results and yes_no(text) == "no":  # "no, the only party I'm going to is a pity party"
        return [Finding(topic="event", item="event", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    if asked and past_event and re.search(NOTHING_ELSE, normalise(text)):
        return [Finding(topic="event", item="event", polarity=Polarity.ABSENT,
                        evidence=text.strip())]  # "the wedding was last month, nothing else"
    if not asked or past_event or not_an_answer(text, "event") or re.search(
            r"\b(photos?|pictures?|pics|selfies?)\b|" + HYPOTHETICAL_CUES, normalise(text)):
        return []  # "I'd like the forehead done", "no photos right now": another question's
    if yes_no(text) == "no" or re.search(r"\b(diary|calendar|schedule|social life)( s| is|s)? (totally |"
                                         r"completely |pretty |basically )?(empty|clear|blank|free|"
                                         r"dead)\b|^(ive |i have |weve |we have )?(got )?nothing (planned|"
                                         r"booked|lined up|coming up|on)\b", normalise(text)):
        return [Finding(topic="event", item="event", polarity=Polarity.ABSENT,
                        evidence=text.strip())]  # "Nope, quiet few months ahead", "diary's empty"
    if re.match(r"(how|what|whats|why|when|can|could|does|do|is|will|should|who|where|any chance|"
                r"any way|anyway i can|are there|is there)\b", normalise(text)) and yes_no(text) is None:
        return []  # "how long does the whole thing take": a question back, not an event
    when = event_date(text, today)
    if when and when[0] >= today:
        return [_event_finding(text.strip(), "event", Polarity.PRESENT, when, today)]
    answer = yes_no(text)
    if answer == "no":
        return [Finding(topic="event", item="event", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    if answer is not None:
        return [_event_finding(text.strip(), "event", YES_NO_POLARITY[answer], None, today)]
    if when and when[0] < today:
        return []  # "my sister got married last saturday": over, so no answer about what is coming
    if re.search(r"[a-z]{3}", normalise(text)) and not re.search(r"\d", text):
        # free words name an event; a number that is not a date ("400 guests") needs asking
        return [_event_finding(text.strip(), "event", Polarity.PRESENT, None, today)]
    return []


def _original_pos(original: str, word: str) -> int:
    """Where an event word is in the patient's own text (its normalised form, found again)."""
    match = re.search(r"\b" + r"\W+".join(map(re.escape, word.split())), original, re.I)
    return match.start() if match else len(original)


def _event_parts(text: str) -> list[Clause]:
    """The clauses of a message, a clause naming two events split at its commas: "had my hen
    weekend in May, the wedding's the 24th" is a past event and an upcoming one."""
    parts = []
    for clause in clauses(text):
        pieces = [Clause(p.strip(), normalise(p)) for p in clause.original.split(",") if p.strip()]
        named = [p for p in pieces if _event_word(p.norm)]
        past = [p for p in named if re.search(r"\b(was|went|had|did)\b", p.norm)]
        split = len(named) > 1 and 0 < len(past) < len(named) and not re.search(
            HYPOTHETICAL_CUES, clause.norm) and not is_question(clause.norm)
        parts += pieces if split else [clause]
    return parts


MOVED_TO = re.compile(r"\b(moved|pushed|postponed|rescheduled|changed|delayed|brought forward|pulled|"
                      r"bumped|shifted|put back)\b(?: (?:back|forward|up))?.*?\b(?:to|till|until)\b"
                      r"|\b(?:its|it's|it is|now) now\b|\bbut (?:its|it's|it is) now\b"
                      # "the 20th - no wait, 20th of March", "back on for the 22nd": the later date
                      r"|\b(?:no wait|wait no|sorry|i mean|i meant|correction|scratch that)\b"
                      r"|\bback on (?:for|on)\b", re.I)


# Words that take back a date just given: "in January - sorry, it was last September"; the date
# after them is the one meant.
DATE_CORRECTION = r"\b(sorry|i mean|i meant|no wait|wait|actually|scratch that|correction|hold on|hang on|" \
    r"my mistake|my bad)\b"


NOT_THE_DATE = r"\W*(not|isnt|its not|it's not|it is not)\b"


def event_date(text: str, today: date) -> tuple | None:
    """The date an event is on; when it was moved, the date it was moved to ("got pushed to the
    9th", "moved from last week to this friday")."""
    moved = None
    for moved in MOVED_TO.finditer(text):
        pass
    if moved:
        when = find_date(text[moved.end():], today, "future")
        if when:
            return when
    # several dates ("June 6, but the rehearsal photos are on the 16th"): the soonest ahead
    fixed = re.search(DATE_CORRECTION, text, re.I)
    if fixed and find_date(text[:fixed.start()], today, "future"):
        when = find_date(text[fixed.end():], today, "future")  # "on the 2nd - wait, the 2nd of
        if when:  # December": the corrected date
            return when
    parts = [p for p in re.split(r",|;|\bbut\b|\band\b", text) if p.strip()]
    if len(parts) > 1:  # "the 12th of April, a Thursday": the weekday of the date just given
        parts = [p for p in parts if not re.fullmatch(
            r"\W*(a|on a|which is a|(it|that) ?(i|')?s a|its a|the)?\s*(mon|tues|wednes|thurs|fri|"
            r"satur|sun)day\W*", p.strip(), re.I)] or parts
    # "the 20th... of january, not this month": a date the patient says it is not
    whole_text = text
    kept = [p for p in parts if not re.match(NOT_THE_DATE, p.strip(), re.I)] or parts
    if len(kept) == len(parts) and re.search(r"\s[-\u2013\u2014]\s", text):
        # "not this year at all - spring 2033": the part said not to be the date is left out
        dashed = [p for p in re.split(r"\s[-\u2013\u2014]\s", text) if p.strip()]
        said = [p for p in dashed if not re.match(NOT_THE_DATE, p.strip(), re.I)]
        if said and len(said) < len(dashed):
            kept, whole_text = said, " ; ".join(said)
    dates = [w for p in kept if (w := find_date(p, today, "future")) and w[0] >= today]
    whole = find_date(whole_text, today, "future")
    if len(dates) > 1:
        return min(dates, key=lambda w: w[0])
    if whole and re.fullmatch(r"(in |during )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*",
                              whole[1]) and re.search(VAGUE_DATE, normalise(text)) and \
            (whole[0] - today).days < 14:
        return None  # "sometime in October, date TBC" late in September: which day matters
    return whole


# A month named with words that say the day is not known yet
VAGUE_DATE = r"\b(tbc|tbd|tba|to be (confirmed|decided|announced|arranged|sorted)|sometime|" \
    r"some time|at some point|date (not|isnt|is not|hasnt been|not yet) (set|fixed|confirmed|" \
    r"decided|sorted)|not sure (of )?(the|which|what) (date|day)|(havent|have not|not|yet to) (set|fixed|" \
    r"picked|chosen|confirmed|booked|decided) (a|the) (date|day)|no date (set|yet|fixed))\b"


def _event_finding(evidence: str, word: str, polarity: Polarity, when: tuple | None,
                   today: date) -> Finding:
    detail: dict = {"description": word}
    if when:
        detail.update(date=when[0].isoformat(), date_words=when[1],
                      days_away=(when[0] - today).days)
    return Finding(topic="event", item="event", polarity=polarity, evidence=evidence,
                   detail=detail)


def extract_event_date(text: str, asked: bool, today: date) -> list[Finding]:
    """The date of an event the patient already mentioned."""
    when = event_date(text, today)
    if when and when[1] in ("tonight", "today", "tomorrow", "later") and re.search(
            r"\b(lemme|let me|ill|i will|i need to|gotta|have to|need to|i can) (double )?(check|ask|confirm|find "
            r"out|look)\b[^,.;]{0,40}\b" + when[1] + r"\b", normalise(text)):
        return []  # "lemme check with my fiancee tonight and message you back": not the date yet
    if when and when[0] >= today:
        return [Finding(topic="event_date", item="date", polarity=Polarity.PRESENT,
                        evidence=text.strip(),
                        detail={"date": when[0].isoformat(), "date_words": when[1],
                                "days_away": (when[0] - today).days})]
    if asked and yes_no(text) in ("unsure", "no"):
        return [Finding(topic="event_date", item="date", polarity=Polarity.UNSURE,
                        evidence=text.strip())]
    return []


# --- prior treatment ----------------------------------------------------------------------------

_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
PRIOR_MARKERS = r"\b(had|got|did|done|tried|last|ago|previously|received|was|used to|ive had)\b"
# Hyaluronic acid and other dermal fillers by brand: a treatment, but not a toxin.
FILLER_BRANDS = r"\b(juvederm|restylane|belotero|teosyal|radiesse|sculptra|neuramis|stylage|" \
    r"revanesse|volbella|voluma|volift|volux|kysse|defyne|refyne|saypha|yvoire|perfectha|" \
    r"ellanse|princess (filler|volume)|rha ?\d?|emervel|varioderm|hyacorp|plinest|profhilo|" \
    r"kybella|belkyra|aqualyx|eptq|aliaxin|profhilo structura|viscoderm|saypha|teoxane|" \
    r"thread lifts?|" \
    r"rejuran|polynucleotides?|skinvive|jalupro|sunekos|seventy hyal|lumi eyes|nucleofill|juvelook|" \
    r"morpheus ?8|emface|sofwave|ultherapy|thermage|hifu|exilis|emsculpt|fraxel|ultraformer|harmonyca|" \
    r"exosomes?|exosomas|" \
    r"clear (and|\+|n) brilliant|coolsculpting|rf microneedling|plasma rico en plaquetas)\b"
FIRST_TIME = r"\b(first time|never had|never tried|never done|first ever|not before|neva?r? (dun|done|had)|" \
    r"havent had|haven't had|never(?! (knew|know|found out|was told|asked|understood|checked|" \
    r"remembered|remember|realised|realized|heard|sure|told|said|mentioned|explained|wrote|gave|showed|" \
    r"called|replied|followed up|got back))|chickened out|backed out|talked myself out|didnt go through|" \
    r"(got|had|get) cold feet|lost my nerve|wimped out|(almost|nearly) (did|had|got|went for) it|" \
    r"cancel+ed|bailed|bottled it|not once|never once|(toxin|botox|tox|needle) virgin|" \
    r"(botox|tox|toxin|injectables?) (newbie|novice|noob|beginner|first[- ]timer)|first[- ]timer|" \
    r"(nobody|no one|noone|nobodys|no ones)( has)? ever (put|stuck|injected)|" \
    r"only (botox|tox|toxin)\w* (ive|i have|i) (ever )?(met|seen|watched|known|heard of|come across)|" \
    r"(supposed|meant|was going|going) to (have|get|go)\b[^.;]{0,40}\b(left|bailed|didnt|never|chickened|" \
    r"backed|ran out of|couldnt afford|cancel\w*))\b"
WANTS = r"\b(want|wants|wanting|would like|id like|interested in|looking (for|into)|hoping)\b"
COMPLICATIONS = {"droopy eyelid": r"\b(droop\w*|ptosis)\b|\b(brow|lid|eyelid|eye)s? "
                                  r"(dropped|fell|dropping|went down)\b",
                 "asymmetry": r"\b(asymmetr|uneven|lopsided|one side|wonky)\w*",
                 "headache": r"\bheadaches?\b", "bruising": r"\bbruis\w*",
                 "heavy brow": r"\bheavy (brow|forehead)\b", "spock brow": r"\bspock\b",
                 "no effect": r"\b(didn'?t work|did not work|no effect|didnt do anything)\b"}


# "did my forehead once in 2026", "had my 11s done in March": an area treated before
TREATED_AREA = r"(forehead|brows?|11s|frown( lines)?|crows feet|face|lines|jaw|masseters?)"
DONE_AREA = r"(did|done) my " + TREATED_AREA + r"|" \
    r"(forehead|brows?|11s|frown lines|crows feet|jaw|masseters?) (did|done|was done)|" \
    r"(had|got|have had|ive had) my (" + TREATED_AREA + r"|lips?) (done|treated|injected|frozen)"


WHICH_ONE = r"\b(not sure|unsure|no idea|dont know|never knew|didnt know|cant remember|" \
    r"dont remember|not certain) (if|whether) (it was|they used|that was|it were)\b[^.;]{0,40}\bor\b|" \
    r"\b(tox|toxin|botox|anti ?wrinkle|filler|booster|skin booster)s? or (a |an |some )?[a-z ]{2,25},? " \
    r"(cant|cannot|dont|do not|i cant|i dont) (remember|recall|know) which\b|" \
    r"\b(could|might|may)(ve| have) been (\w+ ){0,2}or\b"
# ("toxin or a skin booster, can't remember which", "could've been toxin or polynucleotides")


def extract_prior_treatment(text: str, asked: bool, today: date) -> list[Finding]:
    """Previous toxin treatment: product, when, complications; or a first-timer."""
    norm = normalise(text)
    products = [f for f in _match_terms(clauses(text), lexicon.PRODUCTS, "prior_treatment")]
    products = [f for f in products if not re.search(WANTS, normalise(f.evidence)) or re.search(
        PRIOR_MARKERS, re.split(WANTS, normalise(f.evidence))[0].split(",")[-1])]  # a wish
    if re.search(WHICH_ONE, norm):
        for finding in products:  # "can't remember if it was botox or filler": maybe a toxin
            if finding.polarity == Polarity.HYPOTHETICAL:
                finding.polarity = Polarity.UNSURE
    aside = [f for f in products if f.polarity in (Polarity.OTHER_PERSON, Polarity.HYPOTHETICAL)]
    if aside and len(aside) == len(products) and re.search(
            r"\b(ive|i have|i)( personally)? never (tried|had|done)\b|\bnever (tried|had|done)( it| them|"
            r" any| botox)? (myself|personally)\b", norm):
        # "my sister's the botox addict, I've never tried it": the patient's own no
        return [Finding(topic="prior_treatment", item="toxin", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    if aside and len(aside) == len(products):  # "my mom gets botox": kept, answers nothing
        return [Finding(topic="prior_treatment", item="toxin", polarity=aside[0].polarity,
                        evidence=text.strip(), detail={"product": _product_name(aside)})]
    # "haven't had it since", "not in years": had it before, so not a first-timer
    had_before = re.search(r"\b(havent|have not|not) (had|done|been) (it|any|them|one|some)? ?"
                           r"(since|in (years|ages|a while|a long time))\b|\b(last|latest|most recent) "
                           r"(botox|tox|treatment|session|round|dose)\b[^.;]{0,30}\b(nothing|none|not|no more) "
                           r"since\b", norm)  # "my last botox was february, nothing since"
    # "never cosmetically, but the neurologist did Botox for my migraines": a toxin had after all
    turned = re.search(FIRST_TIME + r".*\b(but|then|except|apart from|until|till)\b", norm) and any(
        f.polarity == Polarity.PRESENT for f in products)
    if re.search(FIRST_TIME, norm) and not had_before and not turned and (
            asked or products or "botox" in norm):
        return [Finding(topic="prior_treatment", item="toxin", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    products = [f for f in products if not any(
        find_phrase(normalise(f.evidence), w) >= 0 for w in lexicon.ALLERGY_WORDS)]
    done_with_trouble = not asked and not products and re.search(
        r"\b(salon|clinic|beautician|injector|nurse|doctor|dr|aesthetician|she|he|they|someone)\b[^.;?]{0,40}"
        + DONE_AREA, norm) and any(re.search(p, norm) for p in COMPLICATIONS.values()) and \
        _latest_past_date(text, today)
    # "my brows are wonky since a salon did my forehead 5 weeks ago": a treatment with a toxin's
    # after-effect, dated; read as a toxin treatment, so a recent one is flagged
    if not done_with_trouble and not asked and not any(
            re.search(PRIOR_MARKERS, f_norm) or _product_then_past_date(f_norm, today)
            for f_norm in (normalise(f.evidence) for f in products)):
        return []
    if not asked and re.search(r"\b(booked|booking|scheduled|appointment|appt|coming up)\b", norm) \
            and not re.search(r"\b(had|ago|last (time|one|session|round)|was done|previously)\b", norm):
        return []  # "I've got botox booked Thursday": a plan, not a treatment had
    answer = yes_no(text)
    if answer == "no" and re.search(r"^\W*(none|nothing|no|not)\b[^.;]{0,25}\b(for|in) (ages|years|yonks|"
                                    r"a (long )?while|a long time|donkeys years|(a (couple|few) of|some|several|"
                                    r"a good few|many|\d+|two|three|four|five) (years|yrs|months))\b[^.;]{0,10}\b(then|until|"
                                    r"till|but)\b", norm):
        answer = None  # "none for ages, then a top-up the day after Paddy's Day": had it since
    if products and re.search(r"[-,:]\s*(none of (them|those|these|the above)|neither|not any of them)"
                              r"(,? (ever|at all|never))?\W*$", norm):
        products = [f.model_copy(update={"polarity": Polarity.ABSENT}) for f in products]
    if products and all(f.polarity == Polarity.ABSENT for f in products) and not had_before:
        # "no botox but I've had lip filler": no toxin; the rest stays in the patient's words
        return [Finding(topic="prior_treatment", item="toxin", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    other_treatment = re.search(
        r"\b(filler|fillers|microneedling|laser|peels?|facials?|hydrafacial|prp|profhilo|skin "
        r"boosters?|thread lift|threads|microdermabrasion)\b", norm)
    if asked and not products and (answer == "no" or (other_treatment and re.search(
            r"\b(only|just|never)\b", norm)) or (answer is None and re.search(
                FILLER_BRANDS + r"|\b(lip |cheek |chin |jaw |tear trough )?fillers?\b", norm)
                                                  and not re.search(r"\b(tox|toxin|units?)\b", norm))):
        # "only ever had filler and microneedling"; "Neuramis in my lips in April": a filler
        return [Finding(topic="prior_treatment", item="toxin", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    when = _latest_past_date(text, today)
    if asked and not products and answer is None and re.search(
            FAMILY_WORDS + r"\s*(s )?(had|has|have|gets|got|did|does|went)\b", norm) and not re.search(
            FIRST_PERSON + r"|\bmy " + TREATED_AREA + r"\b", norm):
        # "my husband had his masseters done in april": kept, answers nothing for the patient
        return [Finding(topic="prior_treatment", item="toxin", polarity=Polarity.OTHER_PERSON,
                        evidence=text.strip())]
    if asked and not products and answer is None and not_an_answer(text, "prior_treatment") \
            and not re.search(r"\b(\d+ ?units?|injections?|injected|tox|shots?|top[ -]?ups?|" + DONE_AREA +
                              r"|(i )?had (it|them|"
                              r"some|one) (done )?(at|in|on|for|last|" + _WEEKDAYS + r"|the \d|\d)|"
                              r"started again)\b", norm):
        return []  # "my 11s between my brows": the concerns, not a treatment
    if asked and not products and answer is None and (not when or len(tokens(norm)) > 10) \
            and not re.search(r"\b(yes|yeah|once|twice|times|years|regularly|every|"
                              r"injections?|injected|started again|went back|back on it|top[ -]?ups?|"
                              + DONE_AREA + r"|"
                              r"(i )?had (it|them|some|one) (done )?(at|in|on|for|last|" + _WEEKDAYS + r"|the \d|\d))\b",
                              norm):
        return []  # a long sentence with a date in it says nothing about a treatment
    detail: dict = {"product": _product_name(products),
                    "complications": [k for k, p in COMPLICATIONS.items() if re.search(p, norm)]}
    if when and when[0] <= today:
        detail.update(date=when[0].isoformat(), date_words=when[1], days_ago=(today - when[0]).days)
    elif re.search(RECENTLY, norm):
        detail["recently"] = True  # "had botox recently", no date: may be within 90 days
    unknown_product = re.search(r"\b(not sure|unsure|no idea|dont know|dont remember|cant remember)"
                                r" (what|which)\b", norm) and not re.search(
        r"\b(botox|tox|toxin|dysport|xeomin|jeuveau|daxxify)\b", norm)  # "a beautician injected, not sure what"
    which_one = re.search(WHICH_ONE, norm)  # "not sure if it was botox or filler"
    polarity = Polarity.UNSURE if ((answer == "unsure" or unknown_product) and not products) \
        or which_one else Polarity.PRESENT
    return [Finding(topic="prior_treatment", item="toxin", polarity=polarity,
                    evidence=text.strip(), detail=detail)]


def _product_then_past_date(norm: str, today: date) -> bool:
    """"Xeomin on 1 May", "Dysport in March": a toxin named with a date already past is a
    treatment had (unasked, a bare product name is only what the patient came for)."""
    dated = re.search(r"\b(botox|tox|dysport|xeomin|jeuveau|daxxify|bocouture|azzalure|letybo)"
                      r" (on|in) (the )?(\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", norm)
    if not dated or re.search(r"\b(booked|booking|want|wanting|next|planning|hoping|book|"
                              r"appointment|appt)\b", norm):
        return False
    when = _latest_past_date(norm[dated.start():], today)
    return bool(when and 0 <= (today - when[0]).days <= 400)


# A toxin treatment said to be recent with no date: counted as within 90 days until a date is
# given (a clinician checks it), never left to look like an old one.
RECENTLY = r"\b(recently|not long ago|not that long ago|the other day|lately|just had|only just|" \
    r"a little while ago|a short while ago)\b"


def _product_name(products: list[Finding]) -> str | None:
    named = [f.item for f in products if f.item != "botulinum toxin"]
    return named[0] if named else ("botulinum toxin" if products else None)


def _latest_past_date(text: str, today: date) -> tuple | None:
    """The most recent past date in a message: "stopped for a couple of years but went back for
    a top-up 3 weeks ago" is 3 weeks ago."""
    # "in January - sorry, it was last September": the corrected date
    fixed = re.search(DATE_CORRECTION, text, re.I)
    if fixed and find_date(text[:fixed.start()], today, "past"):
        when = find_date(text[fixed.end():], today, "past")
        if when and when[0] <= today:
            return when
    # ("November or December": either may be the date, so the later one, the one that may count)
    split = re.split(r",|;|\bbut\b|\band\b|\bor\b|\bo\b", text)
    parts = [p for p in split if p.strip()]
    if len(parts) > 1:  # "wednesday, march the 10th": the weekday of the date just given
        parts = [p for p in parts if not re.fullmatch(
            r"\W*(a|on a|on|which was a|(it|that) ?(i|')?s a|its a|the)?\s*(mon|tues|wednes|thurs|fri|"
            r"satur|sun)day\W*", p.strip(), re.I)] or parts
    dates = [w for p in parts if (w := find_date(p, today, "past")) and w[0] <= today]
    # "Mothering Sunday - the UK one, in march": the month only says where the day is
    month = r"(in |during )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    dates = [w for w in dates if not (re.fullmatch(month, w[1]) and any(
        o is not w and o[0].month == w[0].month and o[0].year == w[0].year and not re.fullmatch(
            month, o[1]) for o in dates))] or dates
    if len(dates) > 1:
        return max(dates, key=lambda w: w[0])
    if len(dates) == 1 and len(parts) < len(split):
        return dates[0]
    return find_date(text, today, "past")


def extract_prior_treatment_date(text: str, asked: bool, today: date) -> list[Finding]:
    """When the last toxin treatment was (not someone else's: "my sister went last week")."""
    norm = normalise(text)
    family = re.sub(FAMILY_WORDS + r"s? (birthday|bday|wedding|party|graduation|christening|"
                    r"anniversary|funeral|do|\d{1,2}(st|nd|rd|th))\b|\b(mothers|mums|moms|fathers|dads|"
                    r"grandparents) day\b", " ", norm)  # "my son's 18th", "around Mother's Day"
    if re.search(FAMILY_WORDS, family) and not re.search(r"\b(i|im|ive|me|my last|mine)\b", norm) \
            and not (asked and re.search(r"\b(same (day|time|week) as|with|together with)\b", norm)):
        return []  # "my sister went last week"; but "same day as my sister, the 2nd of March"
    if not asked and not any(f.polarity in (Polarity.PRESENT, Polarity.PAST)
                             for f in extract_prior_treatment(text, False, today)):
        return []  # "never had botox ... awards night on the 4th": no treatment to date
    when = _latest_past_date(text, today)
    if when and when[0] <= today:
        return [Finding(topic="prior_treatment_date", item="date", polarity=Polarity.PRESENT,
                        evidence=text.strip(),
                        detail={"date": when[0].isoformat(), "date_words": when[1],
                                "days_ago": (today - when[0]).days})]
    if asked and (yes_no(text) in ("unsure", "no") or re.search(r"\b(remember|recall)\b",
                                                                normalise(text))):
        return [Finding(topic="prior_treatment_date", item="date", polarity=Polarity.UNSURE,
                        evidence=text.strip())]
    return []


# --- allergies ----------------------------------------------------------------------------------

def _toxin_named_apart(text: str, found: list[Finding]) -> list[Finding]:
    """"Yes, to Xeomin - my eyelids swelled", "yes, Botox. I got hives": the toxin and the
    reaction in different clauses of one answer to the allergy question are one allergy."""
    norm = normalise(text)
    # "yes, wasps - is that a problem for botox?": a toxin named in a question back is not it
    asked_about = " ".join(c.norm for c in clauses(text) if is_question(c.original))
    named = [(t, pos) for t, phrase, pos in _terms_in(norm, lexicon.PRODUCTS)
             if (t.item != "botulinum toxin" or re.search(r"\b(botulinum|toxin|tox)\b", norm))
             and find_phrase(asked_about, phrase) < 0]
    # a reaction said, not denied ("no allergies" next to "had botox once" is no reaction)
    reaction = any((pos := find_phrase(norm, w)) >= 0 and polarity_at(norm, pos, len(w)) not in (
        Polarity.ABSENT, Polarity.OTHER_PERSON, Polarity.HYPOTHETICAL)
        for w in lexicon.ALLERGY_WORDS + REACTION_WORDS)  # "Botox gave me a rash back in 2025"
    if not named or not (reaction or (yes_no(text) == "yes" and not found)) or re.search(
            r"\b(fine|no (problem|issue|reaction)s?|was ok|were ok|never reacted|(which|and) i "
            r"(loved|liked)|loved it|no side effects)\b|" + WANTS + \
            r"|\b(book|booking|appointment|get|getting|have|having) (some |my |a )?(botox|tox)\b",
            norm):
        return []  # "penicillin, and I want botox": the toxin is what they came for
    polarity = polarity_at(norm, named[0][1])
    if polarity == Polarity.ABSENT and re.search(RULED_OUT_BEFORE, norm[:named[0][1]]):
        polarity = Polarity.PRESENT  # "I can't have Dysport, it gave me hives": a reaction to it
    if polarity not in (Polarity.PRESENT, Polarity.PAST):  # an old reaction is still an allergy
        return []
    rest = [f for f in found if not (f.item == "other" and f.polarity == Polarity.PRESENT)]
    return rest + [Finding(topic="allergies", item="toxin_allergy", polarity=Polarity.PRESENT,
                           evidence=text.strip(), detail={})]


def extract_allergies(text: str, asked: bool, today: date) -> list[Finding]:
    """Allergy to a toxin product or albumin (defer), cow's milk protein (review), or others."""
    # "my face went blotchy after Dysport but it could have been the cleanser": a reaction the
    # patient doubts is still possibly an allergy, which a clinician judges
    doubted = re.search(r"[\s,;.-]+(?:but|though|although|tho)?\s*(?:it|that|this)\s+(?:could|might|may)"
                        r"\s+(?:have been|have|also have been|just have been|be)\b.*$|"
                        # "itchy bumps after Xeomin but I'd also changed my moisturiser"
                        r"[\s,;.-]+(?:but|though|although|tho)\s+i(?:d|'d| had)?\s+(?:also|just)\s+(?:changed|"
                        r"started|switched|tried|used|begun|began)\b.*$", text, re.I | re.S)
    if doubted and doubted.start() > 0:
        before = extract_allergies(text[:doubted.start()], asked, today)
        if any(f.item == "toxin_allergy" and f.polarity in (Polarity.PRESENT, Polarity.UNSURE)
               for f in before):
            return [f.model_copy(update={"polarity": Polarity.UNSURE, "evidence": text.strip()})
                    if f.item == "toxin_allergy" else f for f in before]
    found: list[Finding] = []
    previous_about_allergies = asked
    # "bee stings = hives": the arrow or equals sign of a text message, a reaction
    text = re.sub(r"\s*(?:=|->|=>|\u2192)\s*(hives|a rash|rash|rashes|swelling|swollen|anaphylaxis|welts|itching|"
                  r"itchy|wheezing|a reaction)\b", r" give me \1", text, flags=re.I)
    # "nkda, shellfish tho": no drug allergy, but an allergy all the same
    text = re.sub(r"^\W*(nkda|no known drug allerg\w*)\W+(?P<rest>[a-z][^,.;]*?)\s+(tho|though)\W*$",
                  r"\1, but \g<rest>", text, flags=re.I)
    parts = [Clause(part, normalise(part)) for c in clauses(text)
             for part in re.split(r",\s*(?=(?:just|only|but|except)\b)", c.original) if part]
    for clause in parts:
        norm = everyday_masked(clause.norm, "allergies")
        has_allergy_word = any(find_phrase(norm, w) >= 0 for w in lexicon.ALLERGY_WORDS)
        exception = re.match(EXCEPT, norm)
        if exception and not re.search(r"[a-z]{3}", re.sub(
                r"\b(i|im|i am|am|haha\w*|lol|lmao|jaja\w*|rofl|jk)\b", " ", norm[exception.end():])):
            exception = None  # "only I'm allergic to my mother-in-law haha": a joke, read below
        if exception and re.match(EXCEPT + r"(thats|that is|that s) (about |pretty much |basically |"
                                  r"really )?(it|all|the lot)\b", norm):
            continue  # "... but that's about it": nothing more
        if exception and re.search(r"\b(never|not|nobodys|nobody has|no one has|noones)( ever)? (been |had "
                                   r"(a |any )?)?(tested|checked)\b|"
                                   r"\bwho knows\b|\bcant be (sure|certain)\b", norm):
            continue  # "don't think so, but I've never been tested": a hedge, not an allergen
        if exception and previous_about_allergies and not re.search(SELF_DENIAL, norm) and (
                not has_allergy_word or (
                not _allergy_in_clause(clause, norm, has_allergy_word, normalise(text))
                and not re.match(EXCEPT + r"(no|not|none|nothing|never)\b", norm))):
            # "no allergies except to Botox", "none besides cats": the exception is an allergy
            if re.search(r"lactose|intoleran|upsets?|stomach|bloat|digest|diarr", norm):
                found.append(Finding(topic="allergies", item="lactose intolerance",
                                     polarity=Polarity.PRESENT, evidence=clause.original))
                continue  # "no allergies, but dairy upsets my stomach (lactose)"
            found += _allergy_in_clause(Clause(text.strip(), norm), "allergic to "
                                        f"{norm[exception.end():]}", True)
            continue
        previous_about_allergies = has_allergy_word or asked
        if not (has_allergy_word or asked):
            continue
        found += _allergy_in_clause(clause, norm, has_allergy_word, normalise(text))
        if asked and not has_allergy_word:
            found += _milk_named_as_allergy(clause, norm)
    if not any(f.item == "toxin_allergy" for f in found) and (asked or re.search(
            r"\b(gave|give|gives|giving|brought) me (out in )?(a |an )?(rash|hives|allergic reaction|"
            r"welts)\b", normalise(text))):  # volunteered: "last time Dysport gave me a rash"
        found = _toxin_named_apart(text, found) or found
    if asked and re.search(OUTGROWN, normalise(text)) and all(
            f.item == "other" for f in found) and not re.search(
            r"\b(still|now allergic|now (i am|im) allergic|and (also|now)|except|apart from)\b",
            normalise(text)):
        # "outgrew my peanut allergy at 10", "strawberries as a kid, now I eat them fine"
        return [Finding(topic="allergies", item="none", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    if found and all(f.item == "other" and _vague_allergen(f) for f in found):
        return []  # "allergic to a few things": which ones is still to be asked
    if found and asked and all(f.polarity in (Polarity.OTHER_PERSON, Polarity.PAST,
                                              Polarity.HYPOTHETICAL) for f in found) and \
            re.search(r"\b(i have|ive|ive got|i|im|i am) (got )?(no|not any|zero) (known )?"
                      r"allerg\w*|\bnot allergic (to anything|myself)\b", normalise(text)):
        # "it's my husband who had a reaction to Botox, I've no allergies": the patient's own no
        return found + [Finding(topic="allergies", item="none", polarity=Polarity.ABSENT,
                                evidence=text.strip())]
    if (found or asked) and ((all(f.item in ("lactose intolerance", "milk_protein_allergy") for f in found)
                              and re.search(NOT_AN_ALLERGY, normalise(text))) or (
            all(f.item == "lactose intolerance" or f.polarity == Polarity.ABSENT for f in found)
            and re.search(NO_ALLERGY_THEN_LACTOSE, normalise(text)))) and not re.search(
                OTHER_NAMED, normalise(text)):
        # "dairy bloats me, but the doctor said it is intolerance, not allergy": no allergy
        return [Finding(topic="allergies", item="none", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    if found:
        return found
    if not asked:
        return []
    masked = re.sub(r"\b(lol|haha\w*|lmao|jk|rofl)\b", " ", everyday_masked(normalise(text),
                                                                         "allergies"))
    only = r"\b(only|just|(but )?(thats|that is) (about |pretty much |basically )?(it|all|the lot)|" \
        r"nothing else|apart from that|other than that)\b"
    if masked.strip() != normalise(text) and not re.search(
            r"[a-z]{3}", re.sub(only + r"|\b(im|i am|but|and|really|just|so)\b", " ", masked)):
        if re.search(only, masked) or re.search(r"\b(allergic|allergy) (only|just)\b|\b(only|just) "
                                               r"(allergic|allergy)\b", normalise(text)) or \
                yes_no(text) == "no":
            # "only allergic to paying full price", "... but that's it", "no, but I'm allergic
            # to my ex"
            return [Finding(topic="allergies", item="none", polarity=Polarity.ABSENT,
                            evidence=text.strip())]
        return []  # "allergic to mondays lol": a joke, not an answer
    answer = yes_no(text)
    if answer == "no" or (re.search(r"\b(no|none|nkda|nka|no known)\b", normalise(text)) and
                          not re.search(r"\bno (clue|idea)\b", normalise(text))):
        return [Finding(topic="allergies", item="none", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    whole = normalise(text)
    if answer == "unsure" and ((re.search(r"\b(never|not) (been |had (a |any )?)?(tested|checked)\b", whole)
                                and re.search(r"\bnot (that i know|that im aware|that i am aware|as far as "
                                              r"i know|as far as im aware|to my knowledge)\b",
                                              whole)) or (
            text.strip().endswith("?") and re.search(r"\b(what|and) if (i|im|i am)\b", whole))):
        # "not that I know of, but I've never been tested": confirmed with the patient, as
        # "don't think so" is; "and if I'm allergic and don't know it?": a question back
        return []
    if answer == "unsure":
        return [Finding(topic="allergies", item="toxin_allergy", polarity=Polarity.UNSURE,
                        evidence=text.strip())]
    rest = re.sub(r"^\W*(y|yes|yeah|yep|yup|ya|i do|i am)\b[\s,.:;-]*", "", text.strip(), flags=re.I)
    if answer is not None and _is_bare_answer(text) and not (answer == "yes" and re.search(
            r"[a-z]{3}", normalise(rest))):
        return []  # "yes" alone: ask to what
    norm = normalise(text)
    if (re.search(FAMILY_WORDS, norm) and re.search(SELF_DENIAL, norm)) or re.search(
            r"\b(grew out of|outgrew|grown out of)\b.*\b(nothing|none|fine|not any ?more)( now)?\b",
            norm):  # "my husband's the allergic one, not me", "grew out of it, nothing now"
        return [Finding(topic="allergies", item="none", polarity=Polarity.ABSENT,
                        evidence=text.strip())]
    if re.search(FAMILY_WORDS, norm) and not re.search(FIRST_PERSON, norm):
        # "my son has a peanut allergy": kept, but it does not answer for the patient
        return [Finding(topic="allergies", item="other", polarity=Polarity.OTHER_PERSON,
                        evidence=text.strip())]
    if re.match(r"^(i|ill|im|id|we|were|it|its|that|thats|this|can|will|should|do|does|is|are|"
                r"what|how|when|where|why)\b", normalise(rest or text)) or len(tokens(norm)) > 8 and not (
            len(tokens(norm)) <= 14 and any(find_phrase(norm, w) >= 0 for w in REACTION_WORDS)
            and drug_table.named_medicines(norm)):
        # "I'll be coming straight from work": a sentence, not an allergen ("Targocid brought me
        # out in a rash in hospital" names a medicine and what it did)
        return []
    allergen = rest if answer == "yes" and rest else text.strip()
    if re.search(r"[a-z]{3}", norm) and not not_an_answer(text, "allergies") and \
            names_an_allergen(allergen):
        return [Finding(topic="allergies", item="other", polarity=Polarity.PRESENT,
                        evidence=text.strip(), detail={"allergen": allergen})]
    return []  # "Return the named value": not an allergen, so the question is asked again


# An allergy the patient had as a child and has grown out of.
OUTGROWN = r"\b(outgrew|grew out of|grown out of)\b|\b(as a (kid|child|baby|toddler|girl|boy)|when i was " \
    r"(little|young|small|a (kid|child|baby))|in my childhood|in childhood)\b[^.;]*\bnow\b[^.;]{0,40}" \
    r"\b(fine|without (any )?(problems?|issues?|reactions?)|no problems?)\b"


# A reaction described: "Ciproxin makes me itch all over", "Klacid made me come out in a rash".
REACTION_WORDS = ("rash", "rashes", "itch", "itchy", "hives", "urticaria", "blotchy", "welts",
                  "come out in", "came out in", "comes out in", "brings me out", "brought me out",
                  "blotches", "blotchy", "gave me a rash", "gave me hives",
                  "swell", "swelled", "swells", "wheezy", "sneeze", "sneezing", "ronchas",
                  "balloon", "ballooned", "puffed up",
                  "anaphylactic", "epipen", "epi pen")
# Words that make a short answer a sentence rather than a list of allergens.
SENTENCE_WORDS = r"\b(i|im|ive|id|ill|me|my|mine|you|your|youre|we|our|us|they|their|he|she|his|her|" \
    r"it|its|is|are|was|were|be|been|am|do|does|did|dont|doesnt|have|has|had|can|cant|will|" \
    r"wont|would|should|could|this|that|these|those|what|which|who|how|when|where|why|please|" \
    r"thanks|thank|ok|okay|hi|hello|hey|lol|haha|yes|yeah|sure|maybe|monday|tuesday|wednesday|" \
    r"thursday|friday|saturday|sunday|mondays|tuesdays|wednesdays|thursdays|fridays|" \
    r"saturdays|sundays|work|people|life|the|return|returns|get|set|use|see|make|let)\b"


def names_an_allergen(allergen: str) -> bool:
    """Whether a free-text answer to the allergy question names something one can be allergic to:
    a known allergen or medicine ("shellfish", "latex n plasters", "Zinnat"), or a short list of
    nouns with no sentence in it ("kiwi fruit", "bee stings"). "Return the named value" and "my
    kids drive me nuts" do not."""
    norm = everyday_masked(normalise(allergen), "allergies")
    if any(find_phrase(norm, word) >= 0 for word in lexicon.ALLERGENS + lexicon.ALLERGY_WORDS +
           REACTION_WORDS) or _terms_in(
            norm, lexicon.MEDICINES + lexicon.SUPPLEMENTS + lexicon.PRODUCTS) or \
            drug_table.named_medicines(norm):
        return True
    words = tokens(norm)
    return 0 < len(words) <= 3 and not re.search(SENTENCE_WORDS, norm)


EXCEPT = r"^(except|other than|besides|apart from|aside from|but|only|just|bar)( for| to| from)?\s+"
VAGUE_ALLERGEN = r"\b(a (few|couple|couple of|number of|lot of|bunch of)|some|several|various|varias|" \
    r"varios|many|lots of|loads of|multiple|certain|a lot of|different) (things?|stuff|" \
    r"medicines?|medications?|meds|foods?|products?|cosas)\b"


def _vague_allergen(finding: Finding) -> bool:
    """"allergic to a few things": an allergy with nothing named, which answers nothing yet."""
    allergen = normalise(str(finding.detail.get("allergen") or finding.evidence))
    named = re.sub(VAGUE_ALLERGEN + r"|\b(im|i am|allergic|to|and|i|want|know|if|can|get|hi|"
                   r"hello|botox|the|a|an|so|but|also|really|very)\b|[^a-z ]", " ", allergen)
    return bool(re.search(VAGUE_ALLERGEN, allergen)) and not re.search(r"[a-z]{4}", named)


def _milk_named_as_allergy(clause: Clause, norm: str) -> list[Finding]:
    """"cow's milk" or "dairy" in answer to the allergy question is a milk allergy, unless it is
    lactose intolerance. (A toxin product named there without an allergy word is not: "had
    Dysport in May" may answer the wrong question.)"""
    protein = re.search(r"\bmi?lk prot[a-z]*|casein|whey|cmpa", norm)  # "milk protine", "mlk protien"
    if protein:  # "I can't have dairy, it's the milk protein not lactose"; "my niece can't ..."
        return [Finding(topic="allergies", item="milk_protein_allergy", evidence=clause.original,
                        polarity=polarity_at(norm, protein.start(), len(protein.group())))]
    if re.search(r"lactose|bloat|intoleran|stomach|\bgas|upset|sensitiv|diarr|cramp|digest", norm) \
            or len(tokens(norm)) > 5:  # a digestive complaint or a sentence, not a named allergen
        return []
    for word in lexicon.MILK_ALLERGENS:
        pos = find_phrase(norm, word)
        if pos >= 0:
            return [Finding(topic="allergies", item="milk_protein_allergy",
                            polarity=polarity_at(norm, pos, len(word)), evidence=clause.original)]
    return []


# "allergic to aspirin, want botox": the toxin is what the patient came for, not an allergen.
# ("I have a Botox allergy" is not: only a wish or a booking says so.)
WANTED_BEFORE = r"\b(want|wants|wanting|wanna|would like|id like|book|booking|interested in|" \
    r"looking for|looking to get|here for|in for|come for|coming for|(matter|matters|ok|okay|safe|" \
    r"fine|a problem|an issue|affect|affects|affecting|count|counts) for|affect|affects)( some| my| a| " \
    r"the| first| more)?\s*$"
# "I can't have Dysport because of my allergy to milk protein": the toxin is ruled out by another
# allergy, not reacted to
RULED_OUT_BEFORE = r"\b(cant|can not|cannot|shouldnt|should not|not allowed to|told not to|not to|must not|" \
    r"mustnt) (have|get|use|take|be given)\s*$"
RULED_OUT_AFTER = r"^\W*(because of|for|due to|with|given) (my|the|an?) (\w+ ){0,3}(allergy|allergies) (to|of)\b"


# Toxin words that can carry an allergy: not bare "injection", which may be a flu shot.
TOXIN_ALLERGENS = tuple(p for t in lexicon.PRODUCTS for p in t.phrases
                        if p not in ("injection", "injections", "lip flip")) + lexicon.ALBUMIN


def _allergy_polarity(norm: str, pos: int, length: int, whole: str = "") -> Polarity:
    """A reaction in the past is an allergy now ("I reacted to Botox in 2022"), unless outgrown."""
    # "I can't have dairy protein, I get hives": can't tolerate, not a denial
    norm = re.sub(r"\b(cant|cannot|can not|couldnt) (have|eat|drink|tolerate|take|do|touch|go near)\b",
                  lambda m: "x" * len(m.group()), norm)
    polarity = polarity_at(norm, pos, length)
    over = re.search(r"\b(outgrew|grew out|grown out|no longer|not anymore|anymore|any more|"
                     r"(till|until) i was (about |around )?\d+|fine with [a-z ]+ now|"
                     r"now (i )?(eat|have|drink|take|use|can eat|can have)\b[^.;]{0,30}\b(without (any )?"
                     r"(problems?|issues?|reaction)|no problem|fine))\b",
                     f"{norm} {whole}")
    if polarity == Polarity.PAST:
        return Polarity.ABSENT if over else Polarity.PRESENT  # "allergic as a kid, outgrew it"
    return polarity


# "lactose intolerant, not allergic", "the doctor said it's intolerance, not allergy": said of
# the intolerance, unless something else is named as the one allergy ("only hay fever, but ...")
NOT_AN_ALLERGY = r"\b(lactose|intoleran\w*)\b[^.;]{0,60}(\b(no|not|isnt|not an?|never)( real| true| actual)? " \
    r"(allergy|allergic|allergies)\b|\bruled out (an |the |any )?(allergy|allergies)\b|\b(allergy|allergies) " \
    r"(was|were|has been|have been) ruled out\b)"
# "no allergies, just lactose intolerant", "I'm not allergic to milk, just lactose intolerant"
NO_ALLERGY_THEN_LACTOSE = r"\b(no|not|isnt|never)( real| true| actual| known)? (allergy|allergic|allergies)\b" \
    r"[^.;]{0,60}\b(lactose|intoleran\w*)\b"
OTHER_NAMED = r"^\W*(only|just)\b(?! (lactose|dairy|intoleran\w*|milk|the lactose))|\b(except|apart from|" \
    r"besides|other than|but for)\b(?! (lactose|dairy|intoleran\w*|milk))"


def _allergy_in_clause(clause: Clause, norm: str, has_allergy_word: bool, whole: str = ""
                       ) -> list[Finding]:
    found = []
    if not has_allergy_word:  # "had Dysport in May" answers nothing about allergies
        return []
    if "lactose" in norm and not re.search(r"\bmi?lk prot|casein|whey|dairy allerg|dairy prot|allergic to (the )?(cow|milk|"
                                           r"dairy)|\bthe protein\b", norm):
        if (re.search(NOT_AN_ALLERGY, norm) or re.search(NO_ALLERGY_THEN_LACTOSE, whole or norm)) \
                and not re.search(OTHER_NAMED, whole or norm):
            # "lactose intolerant, if that counts, not allergic though"
            return [Finding(topic="allergies", item="none", polarity=Polarity.ABSENT,
                            evidence=clause.original)]
        return [Finding(topic="allergies", item="lactose intolerance", polarity=Polarity.PRESENT,
                        evidence=clause.original)]
    order = [Polarity.PRESENT, Polarity.UNSURE, Polarity.ABSENT, Polarity.PAST,
             Polarity.HYPOTHETICAL, Polarity.OTHER_PERSON]
    said = [polarity_at(norm, pos, len(w)) for w in lexicon.ALLERGY_WORDS
            if (pos := find_phrase(norm, w)) >= 0]
    # "I had botox once in 2021 which I loved, no allergies": the toxin is not an allergen
    denied = bool(said) and all(p == Polarity.ABSENT for p in said) and not re.search(
        r"\b(allerg\w*|reactions?|reacted)\b[^.;]{0,12}\b(except|apart from|other than|besides|but|"
        r"only|just|bar)\b", norm)
    for item, words in (("toxin_allergy", () if denied else TOXIN_ALLERGENS),
                        ("milk_protein_allergy", lexicon.MILK_ALLERGENS)):
        # "hives after Jeuveau, can I try Dysport instead": the product reacted to counts
        readings = [_allergy_polarity(norm, pos, len(word), whole) for word in words
                    if (pos := find_phrase(norm, word)) >= 0 and not (
                        item == "toxin_allergy" and (re.search(WANTED_BEFORE, norm[:pos]) or (
                            re.search(RULED_OUT_BEFORE, norm[:pos])
                            and re.search(RULED_OUT_AFTER, norm[pos + len(word):]))))]
        if readings:
            found.append(Finding(topic="allergies", item=item,
                                 polarity=min(readings, key=order.index),
                                 evidence=clause.original))
    if not found:
        other = re.search(r"(?:allergic|allergy|allergies|reaction|reacted|react|reacts) (?:to|from|"
                          r"with) ([a-z ,]+?)(?:$|[.;!?,]| and i| but| as a)", norm) or re.search(
                              r"allergic to ([a-z ,]+?)(?:$|[.;!?]| and i| but)", norm) or re.search(
            # "I broke out in a rash from Penbritin", "came up in hives after amoxicillin"
            r"\b(?:rash|rashes|hives|welts|swelling|swelled up|broke out|itching|itchy)\b(?: [a-z]+){0,3}? "
            r"(?:from|after|with) (?:the |my |a |an |some )?([a-z]+(?: [a-z]+)?)(?:$|[.;!?,]| and| but)", norm)
        if other and re.match(r"(nada|nothing|nothin|nuthin|zilch|zip|none|nowt|nout)\b",
                              other.group(1)):  # "allergic to nada, bru"
            return [Finding(topic="allergies", item="none", polarity=Polarity.ABSENT,
                            evidence=clause.original)]
        if other:
            polarity = polarity_at(norm, other.start(), 0)
            found.append(Finding(topic="allergies", item="other", polarity=polarity,
                                 evidence=clause.original, detail={"allergen": other.group(1)}))
    return found


# --- age, name, contact -------------------------------------------------------------------------

_NOT_YEARS = r"(?!\s*(?:weeks?|wks?|days?|months?|mos?|mg|mcg|ml|units?|%|lbs?|kg|'|ft|feet|" \
    r"times|x|pm|am|oclock|kids?|children|minutes?|mins?|hours?|hrs?)\b)(?!(?:st|nd|rd|th)\b)"
AGE_VOLUNTEERED = re.compile(
    rf"\b(?:i am|im|age|aged|i turned|just turned|(?:^|(?<=, )|(?<=; ))turned|age is|ages?|age to|age should be|"
    rf"im actually|i am actually|im only|i am only|^me,?|^(?:hi+|hey+|hello) am)\s+(\d{{1,3}})\b{_NOT_YEARS}"
    r"(?!\s*(?:years?|yrs?)\s+(?:post|since|after|into|clean|sober|married|out|of|in|ago|together|"
    r"with|at|on))"
    r"|(?<!my )(?<!our )(?<!a )(?<!his )(?<!her )(?<!the )(?<!their )"
    r"\b(\d{1,3})\s*(?:years? old|yrs? old|yo|y/o|yr old|years young|years of age)\b"
    # "hi I'm Jen, 34, ...": a name, then two digits on their own
    rf"|\b(?:i am|im|its|this is) [a-z]+(?: [a-z]+)?,\s*(\d{{2}})\b{_NOT_YEARS}(?=\s*(?:[,.;!]|$))"
    # "29f", "34 M": the age-and-sex shorthand of messages and forms
    r"|(?<![\d/.:-])\b(\d{2})\s?(?:f|m|female|male)\b(?![\d/])"
    # "just had my 50th", "turned 40 last month"
    r"|\b(?:had|celebrated|just had|turned) my (\d{2})(?:st|nd|rd|th)\b"
    # "I am a 68 year old lady": the patient is the one who is that old
    r"|\b(?:i am|im) an? (\d{1,3})[\s-]*(?:years?|yrs?|yr)[\s-]*old\b"
    # "just turned the big 6-0", "the big 40"
    r"|\b(?:turned|turning|hit|hitting|reached) the big (\d)[\s-]?(?:0|oh|o)\b"
    # "my husband 50 and me 47": the patient's own age after someone else's
    rf"|\b(?:and|but|while|whereas|n|&) (?:me|i|myself|im|i am|moi)\b,?\s*(\d{{2}})\b{_NOT_YEARS}"
    # "I was 30 when I started, now 41": the age now, after an age then
    rf"|\b(?:was|at|aged|had) \d{{2}}\b[^.;!?]{{0,60}}?\bnow (?:im |i am |already |just |)"
    rf"(\d{{2}})\b{_NOT_YEARS}"
    # "for my bad back (48)"; "... on the 14th. 55. am I ok?": a number alone in brackets or
    # as a sentence of its own
    r"|(?<!units )(?<!unit )(?<!mg )(?<!ml )(?<!iu )\(\s*(\d{2})\s*\)|(?:^|(?<=[.!?] ))(\d{2})\s*[.!](?=\s|$)")
# "turning 18 next month", "I'll be 18 in May": one year younger than the number.
AGE_NEXT = re.compile(rf"\b(?:turning|turn|ill be|i will be|will be)\s+(\d{{1,3}})\b{_NOT_YEARS}"
                      r"|^(\d{2}) (?:tomorrow|tmrw|tmr|tomoz|2moro|2morrow)\b"
                      r"|^(\d{2}) (?:next|in|on|this) (?:the )?(?:\d{1,2}(?:st|nd|rd|th)? (?:of )?)?"
                      r"(?:week|month|year|monday|tuesday|wednesday|"
                      r"thursday|friday|saturday|sunday|jan\w*|feb\w*|mar\w*|apr\w*|may|june?|"
                      r"july?|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|christmas|xmas|boxing day|"
                      r"new years?|valentines|easter|halloween|thanksgiving)\b"
)
# "18 in three weeks", "I'm 40 in a couple of months": that age comes later, so one less now
AGE_SOON = re.compile(r"(?:^|\b(?:im|i am|ill be|i will be) )(\d{2}) (?:in|within) (?:a|an|one|two|"
                      r"three|four|five|six|a few|a couple(?: of)?|\d{1,2}) (?:days?|weeks?|wks?|"
                      r"months?|mths?)\b")
UNDER_18 = r"\b(under|below|not yet|not|almost|nearly|about to turn|soon to be) (18|eighteen)\b|\bunder ?age\b|\b(a|still a|im a|i am a|as a) minor\b|^minor[.!]*$|\bteen(ager)?\b|" \
    r"\bhigh school\b|\bnot an adult\b"
ADULT = r"\b(over|above|older than) (18|21|twenty one|eighteen)\b|\b(18|21)\s*\+|\b(\d)0s\b|" \
    r"\badult\b"
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}


# Misspelt units after a tens word: "sixty thre", "thirty for" (never "to"/"too": "thirty too")
UNIT_TYPOS = {"sixx": 6, "for": 4, "fore": 4, "thre": 3, "tree": 3, "fiv": 5, "fve": 5, "sevn": 7,
              "twoo": 2, "tow": 2, "sevin": 7, "seving": 7, "ate": 8, "eigh": 8, "fiev": 5,
              "nein": 9, "sicks": 6, "siks": 6, "thee": 3, "fuor": 4, "foor": 4, "won": 1, "wun": 1, "siix": 6,
              "seven": 7, "eigth": 8, "eigt": 8, "nin": 9, "nien": 9, "sixe": 6}
_UNITS = "|".join(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                   *UNIT_TYPOS])


def _unit(word: str | None) -> int:
    return 0 if not word else NUMBER_WORDS.get(word, UNIT_TYPOS.get(word, 0))


def _words_to_number(norm: str) -> int | None:
    match = re.search(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]?"
                      rf"({_UNITS}|[1-9](?!\d))?\b", norm)
    if match:
        unit = match.group(2)
        return TENS[match.group(1)] + (int(unit) if unit and unit.isdigit() else _unit(unit))
    match = re.search(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", norm)
    return NUMBER_WORDS[match.group(1)] if match and NUMBER_WORDS[match.group(1)] > 9 else None


MEASURES = re.compile(
    r"\b\d\s*(?:'|’|ft\.?|feet|foot)\s*(?:\d{1,2}\s*(?:\"|”|''|in\.?|inches)?)?"
    r"|\b\d+\.\d+\s*m\b"  # "1.7m" tall ("30 m" may be an age and a sex)
    r"|\b\d+(?:\.\d+)?\s*(?:%|percent\b|cm\b|kg\b|kgs\b|kilos?\b|kilograms?\b|lbs?\b|pounds\b|"
    r"metres?\b|meters?\b|"
    r"(?:stone\b|st\b(?=\s*\d))(?:\s*\d{1,2}\b(?:\s*(?:lbs?|pounds)\b)?)?)", re.I)


def extract_age(text: str, asked: bool, today: date) -> list[Finding]:
    """Age in years, from "34", "I'm 17", "thirty four", "turning 18" or a date of birth.

    "under 18" or "over 21" without a number is kept as a range: enough to screen.
    """
    original = text
    text = re.sub(r"\bd\.o\.b\.?(?!\w)", "dob", text, flags=re.I)  # "d.o.b. 01/02/79"
    text = MEASURES.sub(" ", text)  # a height, weight or percentage is never an age
    if re.search(r"\b(born|birth|dob|bday|birthday)\b", text, re.I):  # "born on leap day 1988"
        text = re.sub(r"\b(?:on )?(?:a |the )?leap (?:day|year day)(?:,? (?:in )?((?:19|20)\d\d))?",
                      lambda m: f"on 29 february {m[1] or ''}", text, flags=re.I)
    # "1.65": a height, a price, never an age (but "3.4.1990" is a date of birth)
    text = re.sub(r"(?<![\d.])\b\d+[.,]\d+\b(?![.,/-]\d)", " ", text)
    plain = normalise(text)
    if asked and re.search(r"\b(\d0|twenty|thirty|forty|fifty|sixty|seventy|eighty)[\s-]?"
                           r"(something|odd|plus|ish)\b|\b(north|south) of (\d0|twenty|thirty|forty|"
                           r"fifty|sixty|seventy|eighty)\b|\b(wrong|right|other) side of (\d0|twenty|"
                           r"thirty|forty|fifty|sixty|seventy|eighty)\b", plain) and \
            len(re.findall(r"\b\d{2}\b", plain)) <= 1:
        return []  # "forty something": which age is still to be asked
    if asked and re.search(r"\b(early|mid|late)[\s-]?(\d0s|twenties|thirties|forties|fifties|sixties|"
                           r"seventies|eighties)\b", plain) and not re.search(r"\b\d{2}\b(?!s)", plain):
        return []  # "late 30s, put it that way": an adult, but which age is still to be asked
    fixed = re.search(r"\b(?:no,? )?(?:sorry|i mean|i meant|correction|wait|typo)(?:\W+(?:typo|i mean|i meant))?"
                      r"\W+(\d{1,2})\b|"
                      r"\b\d{1,2}\W+(?:(?:ay|oh|oops|er|um|uh|ah|ugh)\W+)?no\W+(\d{1,2})\b", plain)
    if asked and fixed:  # "25, no sorry, 26": the corrected number
        return [_age_finding(original, int(fixed.group(1) or fixed.group(2)))]
    text = re.sub(r"\b(\d{1,3})\s*y\.\s?o\.?(?!\w)", r"\1 yo", text, flags=re.I)  # "31 y.o."
    if asked:  # "16 - do I need a parent with me?": the answer comes before the question back
        text = re.split(r"\s+[-\u2013\u2014]\s+(?=(?:do|does|can|could|is|are|will|would|should|"
                        r"what|how|when|why|am)\b)", text, maxsplit=1, flags=re.I)[0]
    text = re.sub(r"\b(size|sz|us|uk|eu|number|no\.?|#|room|table|day|week|step|level|bmi|inr|"
                  r"hba1c|a1c|score|iq|"
                  r"grade|class|page|version|v|unit|flat|apt|apartment|block|building|floor|"
                  r"suite|bus|route|gate|platform|seat|row|house|street|road|avenue|ave|lane|"
                  r"drive)(?:\s+(?:is|was|of))?\s*\d+\b", " ", text,
                  flags=re.I)  # "size 8", "unit 42", "my shoe size is 38"
    # "16 n in yr 11": a school year, not an age
    text = re.sub(r"\b(?:in|at|doing|sitting|finishing|starting) (?:yr|year|form|grade|gr)\s*(?:1[0-3]|[1-9])\b", " ", text,
                  flags=re.I)
    # "born in October '88": a two-digit year
    if re.search(r"\b(born|birth|dob|bday|birthday)\b", text, re.I):
        # "born in 1975, on 3 january": the year first, then the day
        text = re.sub(r"\bborn in ((?:19|20)\d\d),? (?:of |on )?(?:the )?(\d{1,2})(?:st|nd|rd|th)? (?:of )?"
                      r"(jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|"
                      r"dec\w*)\b", r"born on \2 \3 \1", text, flags=re.I)
        text = re.sub(r"(?<![\w'])['’](\d{2})\b", lambda m: ("19" if int(m[1]) > today.year % 100
                                                           else "20") + m[1], text)
        # "dob: 20.11.12": a day, a month and a two-digit year
        text = re.sub(r"\b(\d{1,2})([./-])(\d{1,2})\2(\d{2})\b(?![./-]?\d)",
                      lambda m: f"{m[1]}{m[2]}{m[3]}{m[2]}" + ("19" if int(m[4]) > today.year % 100
                                                             else "20") + m[4], text)
        # "born in 84", "dob 92": a two-digit year of birth
        text = re.sub(r"\b((?:born|dob|birth year|year of birth)(?: in| on)?(?: the year)?:? )(\d{2})\b"
                      r"(?!\s*(?:st|nd|rd|th|of|[/.-]|years?|yrs?|weeks?|days?|months?|\d|jan\w*|"
                      r"feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|"
                      r"dec\w*)\b)",
                      lambda m: m[1] + ("19" if int(m[2]) > today.year % 100 else "20") + m[2],
                      text, flags=re.I)
    # "24 but everyone says I look 30": how old they look or feel is not their age
    text = re.sub(r"\b(?:but )?(?:every ?one|people|they|he|she|my \w+)? ?(?:says?|said|thinks?|"
                  r"reckons?)? ?(?:i |you )?(look|looks|feel|feels|seem|seems|pass for|mistaken for|"
                  r"act|acting)( like)?( about| around)? (\d{1,3}|(a )?hundred|(twenty|thirty|forty|fifty|sixty|"
                  r"seventy|eighty|ninety)([\s-](one|two|three|four|five|six|seven|eight|nine))?)\b", " ", text,
                  flags=re.I)
    # "not the 40 I look, I'm 33": the age the patient looks is not theirs
    text = re.sub(r"\b(?:the )?\d{1,3}(?:th)? (?:that )?(?:i|people think i) (?:look|seem|appear)\b", " ", text,
                  flags=re.I)
    # "seventy, but my spirit's about 35": the age of a spirit is no age
    text = re.sub(r"\b(?:but )?(?:my |me )?(?:spirit|soul|heart|mind|brain|inner \w+|mental age)(?:'s|s| is)?"
                  r"(?: still| only| about| around| like| more like)* \d{1,3}\b", " ", text, flags=re.I)
    # years of something else, a school year, a number the age is near: not the age
    # "together 15 years, married 10": how long, not how old
    # "my height is 1 m 62" (a Spanish "mido un metro sesenta y dos"), "25 years married"
    # "my skin was like glass until I turned 35": an age then, not now
    text = re.sub(r"\b(?:until|till|til|before|since|when|after|by the time|once) (?:i|im) (?:turned|was|hit|"
                  r"reached)\s+\d{1,2}\b", " ", text, flags=re.I)
    text = re.sub(r"\b(?:my height is|height|i weigh)\b[^,;.]*|\b\d{1,2} (?:years?|yrs?) (?:married|"
                  r"together)\b", " ", text, flags=re.I)
    text = re.sub(r"\b(?:married|engaged|divorced|widowed|graduated|qualified|retired)\s+(?:aged|at age|at)\s+"
                  r"\d{1,2}\b", " ", text, flags=re.I)  # "got married at 25, now 46": then, not now
    text = re.sub(r"\b(?:married|together|divorced|widowed|engaged|with him|with her)\s+(?:for\s+)?"
                  r"\d{1,2}(?!\s*(?:weeks?|months?))\b", " ", text, flags=re.I)
    text = re.sub(r"\b(?:married|together|worked|working|lived|living|been with \w+|retired|"
                  r"(?:been |was )?(?:a|an) \w+|been \w+ing|been (?:in|at|with) \w+)(?: for)? "
                  r"\d{1,3} (?:years?|yrs?)\b|"
                  # "I started getting lines at 28": when something began, not the age now
                  r"\b(?:started|began|begun|first (?:got|noticed|had)|since)\b[^.,;!?]{0,30}?"
                  r"\bat (?:age |about |around )?\d{1,2}\b|\bclass of \d{2,4}\b|\bgraduated(?: in)? \d{4}\b|"
                  r"\b(?:not quite|nearly|almost|soon to be|about to turn|pushing|approaching|"
                  r"knocking on|getting on for|(?:on )?the (?:wrong|right|"
                  r"other) side of|wrong side of)\s+(?!18\b)\d{2}\b|\bto be (?:exact|precise)\b|"
                  r"\bnot (?!18\b)\d{2} (?:yet|till|until)\b",
                  " ", text, flags=re.I)
    norm = normalise(text)
    # "I'm not under 18 don't worry, 19": a denied range says nothing more than the number
    norm = re.sub(r"\b(?:im |i am )?(?:not|no longer|nt|aint) (?:under|below) (?:18|eighteen)\b"
                  r"(?: (?:dont|do not) worry)?|\b(?:im |i am )?not (?:a minor|underage)\b",
                  " ", norm).strip(" ,.")
    # "sixty-too", "forty to": the unit two misspelt after a tens word
    norm = re.sub(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-](nyne|nien|nin|nein)$",
                  r"\1-nine", norm)  # "thirty nyne"
    norm = re.sub(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-](too|to)$", r"\1-two",
                  re.sub(r"\b(th[ue]rte?y|thrity|thirtty)\b", "thirty", norm))
    norm = re.sub(r"\b(fou?rte?y|thirte?y|twente?y|fift?hy|sixte?y)\b",
                  lambda m: {"f": "forty", "t": "thirty" if m[1].startswith("th") else "twenty",
                             "s": "sixty"}.get(m[1][0]) if not m[1].startswith("fif") else "fifty",
                  norm)  # "fortey-5", "fourty"
    norm = re.sub(r"\b(\d{1,2}) (?:n|and|&) (?:a )?half\b", r"\1", norm)  # "16 n a half"
    between = re.search(r"\bbetween (\d{2}) and (\d{2})\b", norm)
    if between and asked and int(between.group(1)) >= 18:  # "somewhere between 30 and 35"
        return [_age_finding(original, None, under_18=False)]
    # "my son is 19", "my girl's 16": someone else's age
    someone = re.search(r"(?:" + FAMILY_WORDS + r"|\bmy (?:little )?(?:girl|boy|lad|lass)s?\b|"
                        r"\b(?:he|she|hes|shes)\b(?! (?:says|said|thinks|reckons)\b)|"
                        r"\b(?:youngest|eldest|oldest|middle one|baby|toddler)\b(?! (?:age|you|patient|"
                        r"client|person|one you)\b))"
                        r"[^.,;]*?\b(is|turns?|turning|was)?\s*\d+(?!\d)(?!\s*(?:st|nd|rd|th)\b)",
                        # "MG patient here (58)", "Lambert-Eaton patient (70)": the patient is the writer
                        re.sub(r"\bpatient (?=here\b|\(\d{2}\))", "i am ", norm))
    if someone and not re.search(r"\b(i|im|i am|me|myself)\b", norm[:someone.start()]):
        # "my son is 19, I'm 47"; "52, on clopidogrel, my son's wedding ..."; "33 (my sister's 36)"
        lead = re.match(r"^\W*(\d{2})\W*(?:my\s*)?$", norm[:someone.start()]) if asked else None
        # "granddaughter gets married in october ... - I'm 73": the number after "I'm" is mine
        mine = re.search(r"\b(?:im|i am)\b(?!.*\b(?:hes|shes|he is|she is|theyre)\b)",
                         norm[someone.start():someone.end()])
        own = _stated_age(norm[someone.end():]) or _stated_age(norm[:someone.start()]) or (
            int(lead.group(1)) if lead else None) or (
            _stated_age(norm[someone.start() + mine.start():]) if mine else None)
        if own is None and re.search(r"\b(i|im|ive|me)\b", norm[someone.start():someone.end()]):
            # "grandson's wedding is in may and I want to look fresh - 76, on a low-dose aspirin":
            # after the patient's own words, a number set apart as an item is the patient's
            mid = AGE_MID_ITEM.search(norm, someone.start())
            own = int(mid.group(1)) if mid else None
        return [_age_finding(original, own)] if own is not None else []  # "my daughter is 16"
    age = _stated_age(norm)
    if age is None and re.search(r"\b(nearly|almost|not quite|soon to be|about to turn|turning) "
                                 r"(18|eighteen)\b", norm) and not re.search(r"\b(1[0-6])\b", norm):
        age = 17  # "nearly 18, birthday in august"
    norm = re.sub(r"\b(no longer|not|nt|never) (a )?teen(ager)?\b", " ", norm)  # "no longer a teen"
    if age is None and re.search(UNDER_18, norm):
        young = re.search(r"\b(1[0-7])\b(?!\s*(?:weeks?|days?|months?))", norm)
        age = int(young.group(1)) if young else None  # "I'm not 18 yet - 17"
    if age is None and re.search(UNDER_18, norm) and (asked or re.search(r"\b(i am|im)\b", norm)):
        return [_age_finding(original, None, under_18=True)]
    if age is None and asked and re.search(ADULT, norm):
        last = re.search(r"(?:^|[,;:]\s*|\s-\s)(\d{2})\W*$", norm)  # "in my late 30s, 38"
        return [_age_finding(original, int(last.group(1)) if last else None,
                             under_18=None if last else False)]
    after_question = re.search(r"\?\s*(\d{1,3})\s*[.!]*$", text)
    if age is None and asked and after_question:  # "why do u need my age? 38"
        age = int(after_question.group(1))
    turning = re.match(r"^(\d{2}) on (?P<when>[^,;.!?]+)$", norm)
    if age is None and asked and turning:  # "50 on christmas day": turning 50 then, 49 today
        when = find_date(turning["when"], today, "future")
        if when and today < when[0] < today + timedelta(days=183):
            age = int(turning.group(1)) - 1
    if age is None and asked and (len(tokens(norm)) <= 6 or re.search(r"\bnow (?:already |im |i am )?\d{2}$|"
                                                                    r"\b(born|birth|dob|bday|"
                                                                    r"birthday|leap year|leap day)\b", norm)
                                  or re.match(r"\W*\d{1,2}[/.-]\d{1,2}[/.-](19|20)\d\d\b", text)):
        age = _answered_age(text, norm, today)  # a number in a longer sentence is not an age
    lead = re.match(r"^(\d{1,2}),? but\b|^(\d{2}),? (?:and|n|&|with|still|yet|plus|now)\b(?! ?(?:\d|a "
                    r"half\b|half\b))", norm)
    next_year = re.match(r"^(\d{1,2})\s*[,;-]?\s*(\d{1,2}) (?:on|in|next|this|by|come|at|from)\b", norm)
    if age is None and asked and next_year and int(next_year.group(2)) == int(next_year.group(1)) + 1:
        age = int(next_year.group(1))  # "17, 18 on the 2nd of march"
    if age is None and lead and (asked or (lead.group(1) and 10 <= int(lead.group(1)) <= 99)
                                 or re.match(r"^\d{2},? with\b", norm)):
        # "16 but my mum's fine with it", "66 and still dancing"; in a first message only
        # "17 but 18 in august" and "66 with Lambert-Eaton"
        age = int(lead.group(1) or lead.group(2))
    return [_age_finding(original, age)] if age is not None and 1 <= age <= 120 else []


def _age_finding(text: str, age: int | None, under_18: bool | None = None) -> Finding:
    detail = {"age": age} if under_18 is None else {"age": None, "under_18": under_18}
    return Finding(topic="age", item="age", polarity=Polarity.PRESENT, evidence=text.strip(),
                   detail=detail)


# "hi, 33, no meds, ...": two digits on their own as the first item of an opening list
AGE_FIRST_ITEM = re.compile(r"^(?:(?:hi|hello|hey|hiya|morning|gday|hey hey|hi hi|evening|afternoon|"
                            r"good (?:morning|afternoon|evening)|howdy|yo)(?: (?:yall|all|there|"
                            r"everyone|guys|team|folks|hun|lovely))?\b[\s,!.]*)?(\d{2})\s*(?:,\s*"
                            r"(?=[a-z]|\d{1,2}\s*(?:weeks?|wks?|months?|mos?)\b)|here\b|"
                            r"and (?=healthy|well|fit|fine|single|married|a mum|a mom|new|first|on|"
                            r"pregnant|breastfeeding|expressing|pumping|nursing|trying|ttc|"
                            r"\d{1,2}\s*(?:weeks?|wks?|months?|mos?|days? late)\b)\b|"
                            r"\s+(?=pregnant|breastfeeding|ttc|nursing|ebf|bf|on (?!the\b|\d|my\b|her\b|his\b|"
                            r"(mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
                            r"nov|dec|christmas|xmas|boxing day|new year|valentine|easter|"
                            r"halloween|thanksgiving)))\b|"
                            # "39 | not pg | ...", "57 - ginseng daily", "71 n on warfarin",
                            # "26 and my period's late": the first item of a list about the patient
                            r"\s*\|\s*(?=[a-z])|\s+[-\u2013]\s+(?=[a-z])|\.\s+(?=[a-z])|\s+n\s+(?=on|not|no|have|had|"
                            r"take|taking|pregnant|bf|ttc)\b|\s+and (?=i|im|ive|my|on|not|no)\b)"
                            r"|\bhere,? (\d{2}) (?:years?|yrs?)\b(?! (?:ago|since|married))"
                            # "ALS patient, 63.": who the patient is, then the age
                            r"|^(?:[a-z]+ )?(?:patient|lady|woman|man|mum|mom|dad|guy|gal|girl|nan|"
                            r"grandma|grandmother|here),\s*(\d{2})\b(?=\s*(?:[.,;!]|$))"
                            # "Myasthenia patient here (58).", "45 if that matters"
                            r"|\b(?:here|me|myself|patient|lady|woman|mum|mom|grandma|nan) \((\d{2})\)"
                            r"|\b(\d{2}) (?:if|in case) (?:that|it) "
                            r"(?:matters|helps)\b")
AGE_IN_WORDS = re.compile(r"\b(?:i am|im|aged|i turned|just turned|im only|i am only)\s+("
                          r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                          rf"(?:[\s-]?(?:{_UNITS}))?|"
                          r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b")


# "no health problems except hayfever, 36, looking at forehead": two digits alone between
# commas, among words, with no other number beside them (not "the 12, 13 or 14").
AGE_MID_ITEM = re.compile(r"(?<=[a-z])\s*(?:,|\s-|[!.]+(?=\s))\s*([2-9]\d)\s*(?:,|-)\s*(?=[a-z])"
                          r"(?!.*\b(?:or|and) \d{1,2}\b)")


def _stated_age(norm: str) -> int | None:
    """An age the patient states in any message: "I'm 52", "17 years old", "turning 18"."""
    soon = AGE_SOON.search(norm)
    if soon:
        return int(soon.group(1)) - 1
    match = AGE_VOLUNTEERED.search(norm) or AGE_FIRST_ITEM.search(norm) or (
        AGE_MID_ITEM.search(norm) if not re.search(r"\b(on|the|from|till|until|by|before|"
                                                   r"after)\s*,?\s*\d{1,2}\s*,", norm) else None)
    if match:
        value = int(next(g for g in match.groups() if g))
        return value * 10 if re.search(r"\bthe big \d", match.group()) else value
    words = AGE_IN_WORDS.search(norm)
    if words:
        return _words_to_number(words.group(1))
    match = AGE_NEXT.search(norm)
    return int(next(g for g in match.groups() if g)) - 1 if match else None


def _answered_age(text: str, norm: str, today: date) -> int | None:
    """An age given in answer to "how old are you?": "34", "thirty four", "born in 2009"."""
    if re.search(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]?\d\b", norm):
        return _words_to_number(norm)  # "forty-5"
    now = re.search(r"\b(\d{2}) (now|today|currently|atm|rn)\b|\bnow (?:already |im |i am )?(\d{2})$",
                    norm)
    if now:  # "not 30 till august, 29 now"; "I was 39 last time, now already 41"
        return int(now.group(1) or now.group(3))
    year = re.search(r"\b(19|20)\d\d\b", norm)
    if year:
        when = find_date(text, today, "past")
        # A year alone: the youngest age it allows, so a 17-year-old is never read as 18.
        born = when[0] if when and re.search(r"\d[/.-]\d|[a-z]{3}", when[1]) and \
            when[0].year == int(year.group()) else date(int(year.group()), 12, 31)
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    # a number is an age when nothing but age words follow it: "34", "34 now", "34 yrs";
    # "2 kids, 1 dog" counts things
    # (and SMS asides: "16 tbh", "41 ngl", "29 honestly")
    numbers = re.findall(r"\b(\d{1,3})\b(?=\s*(?:$|[,.;!?)(]|(?:years?|yrs?|yo|y/?o|now|next|this|"
                         r"soon|lol|haha|in|on|at|tomorrow|today|and|but|so|though|actually|i|ish|as|"
                         r"last|please|thanks|x+|tho|mate|hun|tbh|ngl|honestly|fr|lmao|sadly|"
                         r"unfortunately|apparently|just turned|recently turned)\b))", norm)
    if numbers and not re.search(r"\b\d{1,3} (?!(?:years?|yrs?|yo|y/?o|now|next|this|soon|lol|"
                                 r"haha|in|on|at|tomorrow|today|and|but|so|though|actually|i|"
                                 r"ish|last|please|thanks|tho|as|tbh|ngl|honestly|fr|lmao|sadly|"
                                 r"unfortunately|apparently|just turned|recently turned)\b)"
                                 r"[a-z]{2,}", norm):
        return int(numbers[0])
    return _words_to_number(norm)


NAME_VOLUNTEERED = re.compile(r"\b(?:my name is|my name's|name is|names|this is|call me)\s+"
                              r"([^\W\d_][^\W\d_'\-]+(?:\s+[^\W\d_][^\W\d_'\-]+){0,3})", re.I)
NOT_NAMES = {"yes", "no", "hi", "hello", "hey", "ok", "okay", "sure", "thanks", "why", "what",
             "nope", "nah", "idk", "botox", "help", "stop", "restart"}


def _bare_name(text: str) -> str | None:
    """The text as a name if it is one: 1-4 words of letters, openers like "hi, it's" removed."""
    cleaned = text.strip()
    for opener in (r"^(hi|hello|hey)\b[,!.\s]*", r"^(it'?s|i'?m|i am|im)\s+"):
        cleaned = re.sub(opener, "", cleaned, flags=re.I).strip(" .!")  # "hi, it's Jo"
    words = cleaned.split()
    if not (1 <= len(words) <= 4
            and all(re.fullmatch(r"[^\W\d_][^\W\d_'\-.]*\.?", w) for w in words)):
        return None
    norm = normalise(cleaned)
    named = _terms_in(norm, lexicon.AREAS + lexicon.PRODUCTS)
    if any(" " in phrase or len(phrase) >= 6 for _, phrase, _ in named):
        return None  # "forehead lines" is not a name; "Chin" may well be
    return cleaned


def extract_name(text: str, asked: bool, today: date) -> list[Finding]:
    """The patient's name, from "my name is ..." or a short answer to the name question."""
    match = NAME_VOLUNTEERED.search(text)
    name = match.group(1) if match else None
    if name is None and asked:
        name = _bare_name(text)
        if name is None:  # "Jane, and I'm pregnant btw": the name, then something else
            first = re.split(r"(?<=\w)[,;!]\s+|(?<=[a-z]{2})\.\s+|\s+(?:but|and|&)\s+",
                             text.strip(), maxsplit=1)[0]
            name = _bare_name(first) if first != text.strip() else None
    if not name or name.lower() in NOT_NAMES or name.split()[0].lower() in NOT_NAMES:
        return []
    name = " ".join(w[:1].upper() + w[1:] for w in name.split())
    return [Finding(topic="name", item="name", polarity=Polarity.PRESENT, evidence=text.strip(),
                    detail={"name": name[:80]})]


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+?\(?\d[\d\s().-]{6,}\d)")


def extract_contact(text: str, asked: bool, today: date) -> list[Finding]:
    """An email address or phone number to reach the patient."""
    email, phone = EMAIL.search(text), PHONE.search(text)
    value = email.group() if email else phone.group().strip() if phone else None
    if value is None and asked and re.search(r"\b(this number|text me|here|same number|"
                                             r"this one|this no|this num|this #)\b",
                                             normalise(text)):
        value = "this chat"
    if value is None:
        return []
    return [Finding(topic="contact", item="contact", polarity=Polarity.PRESENT,
                    evidence=text.strip(), detail={"contact": value})]


def extract_confirm(text: str, asked: bool, today: date) -> list[Finding]:
    """Yes to the read-back sends the intake; anything else keeps it open for changes."""
    if not asked:
        return []
    answer = yes_no(text)
    norm = normalise(text)
    if answer == "yes" and not re.search(r"\b(but|except|change|actually|wrong|not)\b", norm) \
            or re.fullmatch(r"(send|submit|send it|looks good|all good|perfect|done|correct)"
                            r"( it)?[.!]*", norm):
        return [Finding(topic="confirm", item="confirm", polarity=Polarity.PRESENT,
                        evidence=text.strip())]
    return []


EXTRACTORS: dict[str, Callable[[str, bool, date], list[Finding]]] = {
    "name": extract_name,
    "concerns": extract_concerns,
    "concern_timing": extract_concern_timing,
    "photos": extract_photos,
    "medications": extract_medications,
    "pregnancy": extract_pregnancy,
    "breastfeeding": extract_breastfeeding,
    "trying_to_conceive": extract_trying_to_conceive,
    "neuromuscular": extract_neuromuscular,
    "breathing": extract_breathing,
    "skin_infection": extract_skin_infection,
    "event": extract_event,
    "event_date": extract_event_date,
    "prior_treatment": extract_prior_treatment,
    "prior_treatment_date": extract_prior_treatment_date,
    "allergies": extract_allergies,
    "age": extract_age,
    "contact": extract_contact,
    "confirm": extract_confirm,
    "eyelids": extract_eyelids,
}
