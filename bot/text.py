"""Reading patient text: clauses, term matching with typos, and negation, past, family, unsure.

A statement's polarity is decided per clause, deterministically, so that "I'm not pregnant but I
am breastfeeding" gives two findings of opposite polarity, each with its own words as evidence.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache

from bot.models import Polarity

EMOJI_WORDS = {
    "👍": " yes ", "✅": " yes ", "✔": " yes ", "☑": " yes ", "👌": " yes ", "🙋": " yes ",
    "👎": " no ", "❌": " no ", "✖": " no ", "🚫": " no ", "🙅": " no ",
    "🤷": " not sure ", "🤔": " not sure ",
}

NEGATION_CUES = {"no", "not", "never", "none", "nothing", "nor", "neither", "without", "nope",
                 "nah", "negative", "deny", "denies", "dont", "doesnt", "isnt", "arent", "havent",
                 "hasnt", "didnt", "wont", "cant", "aint", "non", "zero", "nil", "nada", "nuh", "nt",
                 "nothings"}
# Words that end a negation's reach: "no blood thinners, just fish oil".
SCOPE_RESETS = {"but", "except", "besides", "only", "just", "however", "though", "although", "yet",
                "also", "apart", "aside", "than", "plus", "i", "im", "we", "were", "ive", "weve",
                "currently", "more", "rather", "instead", "mostly", "mainly", "bar"}
# Words that say a thing is over, whatever else the clause says.
STRONG_PAST = [
    r"\bstopped\b", r"\bused to\b", r"\bno longer\b", r"\banymore\b", r"\bany more\b", r"\bquit\b",
    r"\bcleared\b", r"\bhealed\b",
    # ...but not British "Monday gone", "week gone" (= last Monday, last week)
    r"(?<!day )(?<!week )(?<!weeks )(?<!month )(?<!weekend )\bgone\b(?! (yellow|red|crusty|green|white|black|bad|weird|septic|infected|hard|puffy|"
    r"swollen|scabby|worse|bigger|up|down|pink|sore|hot|droopy|funny|strange|wonky|dodgy|droopier|saggy|heavy|heavier|hooded|"
    r"crepey|wrinkly|loose|lower|a bit|a little|really|so|quite|very|all))", r"\bwent away\b", r"\bresolved\b", r"\bweaned\b",
    r"\bfinished\b", r"\bdone with\b", r"\bnot anymore\b", r"\b(fully )?recovered\b",
    r"\bcame off\b", r"\bgot off\b", r"\bditched\b", r"\bgave up\b", r"\bgiven up\b", r"\b(decided|chose|agreed) to (stop|quit|give up|pause|take a break|have a break|put it on hold)\b", r"\b(weve|we have|we) (paused|put it on hold)\b", r"\boff (it|them|of it)\b", r"\bgrew out of\b",
    r"\boutgrew\b", r"\bsince cleared\b", r"\ball better\b", r"\bbetter now\b",
    # "lost a pregnancy at 12 weeks back in March": a pregnancy that ended
    r"\b(lost|miscarried|terminated|ended) (a|the|my|our|that)( \w+)? (pregnancy|baby)\b",
    # "my last pregnancy ended in an emergency c-section": a pregnancy that is over
    r"\b(my |our |the )?(last|previous|first|1st|second|2nd|third|3rd|earlier|other) pregnancy (ended|was|went)\b",
    r"\b(fully|completely|totally) weaned\b",
    # "did 2 years of breastfeeding with my eldest", "i stoppd feeding her" (a typo of stopped)
    r"\bdid (\d+|a|an|one|two|three|four|five|six|nine|a few|a couple of) (years?|months?|weeks?|yrs?|mos?) of\b",
    r"\b(stoppd|stopd|stoped|stopt|stoppped)\b",
]
# Words that place a thing in the past only when nothing in the clause says it is current:
# "I was diagnosed with MG years ago" is a current diagnosis.
WEAK_PAST = [r"\byears? ago\b", r"\b(a few |some |many |two |three |\d+ )?(years|yrs) back\b", r"\b(a long time|ages|a while|long) ago\b", r"\bwe did\b", r"\bas a (kid|child|teen|teenager|baby)\b", r"\bwhen i was\b",
             r"\bin the past\b", r"\bpreviously\b",
             # "my cheek got cellulitis once, 2029 I think"
             r"\b(got|had|caught|tried|took|used) (\w+ ){0,5}once\W*$",
             # "I was prescribed oxybutynin", "I was switched to Dolostop": taken since then
             r"\bwas\b(?! (prescribed|put on|started on|switched to|moved to|changed to|told to take|"
             r"advised to take|recently prescribed|just prescribed)\b)", r"\bhad (a|my) baby\b",
             r"\bin (19|20)\d\d\b", r"\bchildhood\b",
             r"\btook (us|me) [a-z0-9 ]{0,20}?to (conceive|get pregnant|fall pregnant)\b",
             r"\btook (us|me) (years|ages|months|a while|a long time|\w+ (years|months)) of trying\b",
             # "after the surgery of 2030 I took Xarelto a month", "during the pandemic I was given
             # a relaxant for some weeks": a course that ended
             r"\b(i took|i was given|was given|i was prescribed|they gave me)\b[^.;?]{0,40}?\b(for )?(a|one|two|"
             r"three|four|\d+|some|a few|a couple of) (days?|weeks?|months?)\b(?! (now|ago|and still))",
             r"\bduring (the )?(pandemic|lockdown|covid)\b", r"\b(surgery|operation|op) (of|in) (19|20)\d\d\b", r"(?<!ive )(?<!have )(?<!has )\bhad\b",
             r"\blast (year|month|week|summer|spring|fall|autumn|winter|time|christmas|xmas|easter|"
             r"new year|halloween|thanksgiving|diwali|eid|ramadan|hanukkah|valentines)\b",
             r"\bbefore (the pandemic|covid|lockdown|my (first|second|son|daughter|kids?))\b",
             r"\b(\d+|a few|a couple of|some|many) (years|months|weeks) ago\b",
             r"\bin my (teens|twenties|thirties|forties|fifties|sixties|\d0s)\b",
    r"\b(at|in) (primary|secondary|high|middle|elementary|grammar|boarding|nursery) school\b",
             # "took warfarin for half of 2022"
             r"\b(for|during|through|throughout) (half|most|part|much|all|the whole) of (19|20)\d\d\b",
             r"\btook\b[^.,;]{0,40}\bfor (a while|a bit|a few \w+|a couple of \w+|years|months|ages)\b"]
STILL_CURRENT = r"\b(still|currently|right now|at the moment|atm|rn|these days|diagnosed|diagnosis|dx|" \
    r"was told i have|born with|ongoing|chronic|since|ive had|i have had|ive been|i have been|" \
    r"for the (past|last))\b"
# A wish is not an ending: "apixaban for my heart, I want these frown lines gone"
WISHED_GONE = re.compile(r"\b(want|wants|wanted|would like|d like|like|love|need|needs|make|making)"
                         r" ([a-z0-9']+ ){0,4}gone\b")
PAST_PATTERNS = STRONG_PAST + WEAK_PAST  # kept for callers that ask "is this clause historical?"
UNSURE_PATTERNS = [
    r"\bno (clue|clew)\b", r"\bma+y+be+\b", r"^(kind of|kinda|sort of|sorta)\b", r"\bask my (doctor|dr|gp|obgyn|ob)\b",
    r"\bnot (really )?sure\b", r"\bunsure\b", r"\bno idea\b", r"\bidk\b", r"\bi ?dont know\b",
    r"\bdont know\b", r"\bdunno\b", r"\bmaybe\b", r"\bmight\b", r"\bmay be\b", r"\bpossibly\b",
    r"\bpossible\b", r"\bcould be\b", r"\bperhaps\b", r"\bnot certain\b", r"\buncertain\b",
    r"\bperiod is late\b", r"\blate period\b", r"\bmissed (my )?period\b", r"\bperiod.{0,12}late\b",
    r"\bhavent tested\b", r"\bwaiting to (test|find out)\b", r"\bnot confirmed\b",
    r"\bprobably\b(?! not)", r"\bcant remember\b", r"\bdont remember\b", r"\bnot positive\b",
    r"\bunclear\b", r"\bthink i (might|may|could)\b", r"\b(suspects?|suspecting|is suspected)\b", r"\bwho knows\b", r"\bhmm+\b", r"\bunknown\b",
    r"\btoo (early|soon) to (tell|know|say|test)\b", r"\bim late\b",
    r"\bnot (really )?not trying\b",  # "not really trying, not really not trying"
    r"\b(wants?|trying|going|needs?|has) to rule out\b|\bruling out\b",  # "the neuro wants to rule out ALS"
    r"\b(havent|have not|not) had (a|my) period\b", r"\bno periods? since\b",
    r"\bperiod (still )?(hasnt|has not) (come|arrived)\b",
    r"\b(a (week|few days|couple of days|couple days)|\d+ (days?|weeks?)) late\b",
    r"\b(testing me|tested me|being tested|getting tested|been tested|to be tested|being checked|"
    r"getting checked|being investigated|investigating me|waiting on tests?|awaiting tests?|"
    r"checking me|check me|referred|referred me) for\b",
    r"\b(couldnt|cant|could not|cannot) (say|tell)\b", r"\bnever been tested\b",
    # "GP has sent bloods for myasthenia", "doing an EMG next week to check for MND"
    r"\b(bloods|blood tests?|blood work|an? emg|an? mri|nerve (conduction )?tests?|a biopsy|"
    r"referred me|referred) (for|to (check|test|look) for|to rule out)\b",
    r"\b(doing|having|booked|waiting (on|for)|sent|getting) (me )?(an? |some |my )?(tests?|bloods|"
    r"emg|mri|scans?|biopsy)\b[^.;]{0,30}\b(for|to (check|rule out))\b",
]
# "maybe next year" is a plan, not doubt about now.
FUTURE_PLAN = r"\b(maybe|might|possibly|probably|perhaps|may)\b[^.;]{0,30}?\b(next (year|month|" \
    r"summer|spring|autumn|fall|winter)|later (on|this year)?|someday|some day|one day|" \
    r"eventually|in the future|in a (few|couple of)? ?(years?|months?)|down the (road|line)|" \
    r"(once|when|after) (we|were|we are|im|i am) (married|engaged|settled|wed)|" \
    r"(in |by |around |after |not before |not till |not until )?20\d\d)\b"
FAMILY_AFTER = r"\b(runs?|running) in (my|the|our) (family|kids|children|genes|blood|side|" \
    r"(dads|moms|mums|fathers|mothers|husbands|partners) (side|family))\b|" \
    r"\b(is|are|was|were|thats|its|theyre) (my|his|her|our) (\w+ )?(mums|moms|mothers|dads|fathers|" \
    r"husbands|wifes|partners|sisters|brothers|sons|daughters|nans|grans|grandmas|grandads|grandpas|" \
    r"granddads|grannys|aunts|aunties|uncles|cousins|flatmates|housemates|roommates|boyfriends|girlfriends|friends|mates)\b|\b(on|from) my (moms|mums|dads|" \
    r"mothers|fathers) side\b|\bfamily history\b|\bin my family\b|" \
    r"\b\w+s (my|his|her|our) (\w+ )?(mums|moms|mothers|dads|fathers|husbands|wifes|partners|" \
    r"sisters|brothers|sons|daughters|nans|grans|grandmas|grandads|flatmates|housemates|" \
    r"roommates|boyfriends|girlfriends|friends|mates|kids|childs|babys|boys|girls)(?= *($|[,.;!]|" \
    r"(not mine|and not|but|my|i|im)\b))"
ME_TOO = r"\b(so do i|so am i|me too|me as well|i do too|i have it too|and i (do|have|am)|" \
    r"both of us|we both|(ive|i have|i|im|i am) (started|been|begun|now) (taking|on|using) (it|them|" \
    r"that|those|the same)( too| as well| also)?|i (take|use) (it|them|that|the same) (too|as well)|" \
    r"(and|&) i (take|have|use|swallow|pop) (one|some|a couple|two|it|them)( of them| too| as well)? " \
    r"(with (him|her|them)|too|as well|also|every|each|daily|most))\b"
FAMILY_WORDS = r"(?:\b(mom|mum|mother|dad|father|sister|brother|aunt|auntie|uncle|grandma|grandmother|" \
    r"grandpa|grandfather|cousin|friend|husband|wife|partner|boyfriend|girlfriend|son|daughter|" \
    r"niece|nephew|family|neighbou?r|coworker|colleague|sis|bro|kid|child|children|toddler|" \
    r"in-?law|bestie|bff|roommate|flatmate|client|patient|hubby|hubs|wifey|missus|fiance|fiancee|" \
    r"mate|best mate|pal|buddy|boss|twin|stepmum|stepmom|stepdad|stepson|stepdaughter|godmother|" \
    r"other half|household|whole house|everyone (else|at home|at work)|everybody else|mam|mammy|" \
    r"housemate|surrogate|gestational carrier|nan|nana|nanna|gran|granny|fella|feller|bloke|lad|" \
    r"spouse|grandad|granddad|gramps|grandkid|grandson|granddaughter|grandchild|stepsister|" \
    r"stepbrother|little one|aunty|aunti|madda|mudda|puppa|fada)s?\b|\bmy (bf|gf|lo|youngest|eldest|oldest|middle one|" \
    r"old man|old lady|old dear)s?\b|" \
    r"\b(my|our|her|his) (little|baby|youngest|eldest) (girl|boy|lad|lass)\b|" \
    r"\b(my|our) (boy|lad|lass|wee one|wean|bairn|bub|bubba)s?\b|" \
    r"\b(my|our|the|his|her|their) (dog|cat|puppy|pup|kitten|pet|mare|horse)s?\b)"
# "the one with the chickenpox is my daughter": the one who has it is someone else
FAMILY_AFTER += r"|\b(the ones?|the person|whoever|the only one|the (asthmatic|allergic|diabetic|" \
    r"epileptic|sick|pregnant|poorly|ill) (one)?)\b[^.;,]{0,40}\b(is|s|was|are) (my|our) " \
    r"(\w+ )?" + FAMILY_WORDS
FAMILY_AFTER += r"|\bthe allergic (one )?(to [a-z ]{2,30} )?(is|s|was) (my|our) (\w+ )?" + FAMILY_WORDS
# "I'm a guy lol, it's my partner who's 20 weeks"
FAMILY_AFTER += r"|\b(its|it is|thats|that is) (my|our) (\w+ )?" + FAMILY_WORDS + r" (who|that)"
# "MND took my grandad", "cancer killed my nan": the illness is the subject, a relative its object.
FAMILY_AFTER += r"|\b(took|killed|claimed|runs through) (my|our) " \
    r"(late |poor |dear |old |lovely )?" + FAMILY_WORDS
FIRST_PERSON = r"\b(i|im|ive|id|ill|me|myself|we|were|weve|us)\b"
# The patient's own clear no, said beside someone else's yes: "my wife feeds the baby, I don't",
# "my husband has COPD, my lungs are fine", "it's my girlfriend who's pregnant, I'm the bloke".
SELF_DENIAL = r"\b(not me|im not|i am not|im (definitely|deffo|defo|def|certainly|absolutely|really|" \
    r"totally|100%) not|i am (definitely|certainly|absolutely) not|im on nothing myself|i havent|i have not|i dont|i do not|i never (have|did)|" \
    r"im fine|i am fine|im ok|im okay|im good|im all good|im clear|i am clear|i am ok|i am okay|i am good|" \
    r"im healthy|im on nothing|" \
    r"im grand|im sound|im alright|im all right|except (me|myself)|apart from me|but not me|" \
    r"mi (alright|all right|fine|ok|okay|good|grand|irie)|(none|nothing|not) on me|" \
    r"were not|we are not|we arent|not us|we dont|we do not|" \
    r"i take nothing|im not on anything|nothing for me|ive never had (a|any) (problem|issue|reaction)s?|" \
    r"(ive|i have|i) never reacted( to anything)?|" \
    r"i (breathe|swallow) (fine|ok|okay|normally|" \
    r"well|good))\b" \
    r"(?! (know|think|remember|reckon|believe|care|mind|understand|want|like|need|see|get|sure)\b)|" \
    r"\b(my|mine) (\w+ ){0,2}(is|are|s|were|have been|has been) (fine|clear|ok|okay|good|normal|" \
    r"healthy|perfect|great)\b|" \
    r"\bim (just )?the (bloke|guy|man|dad|husband|father|boyfriend|daddy)\b|" \
    r"\bim (just )?the one (booking|asking|texting|messaging|organising|organizing|paying|" \
    r"making the booking|doing the booking)\b|" \
    r"\bso (im |i am )?(definitely |def )?not (\w+ )?(now|anymore|any more|atm|rn)\b|" \
    r"\bim (his|her|their|the babys|the kids) (dad|father|daddy|husband|grandad|grandpa)\b|" \
    r"\bim (a )?(guy|man|bloke|male|dude|fella|bloke)\b" \
    r"|\b(ive got|i have got|i have|ive|i got|ive had|i have had|i had) nothing( myself| at all)?\b|" \
    r"\bnothing myself\b|\bnothing (wrong|the matter|up) with me\b|" \
    r"\b(ive|i have|i) (not|never) (got|caught|had) (it|that|them|one|any)\b|" \
    r"\bi (havent|have not|didnt|did not) (got|caught|catch|get) (it|that|them|one|any)\b|" \
    r"\bim the non-? ?(birthing|pregnant|carrying|nursing|breastfeeding|gestational)\b|" \
    r"\bthe (pregnant|expecting|breastfeeding|nursing|feeding|carrying) one\b"

YES_WORDS = {"y", "yes", "ya", "yah", "yeah", "yea", "yep", "yup", "ye", "yass", "yesh", "sure",
             "correct", "affirmative", "absolutely", "definitely", "true", "right", "ok", "okay",
             "k", "kk", "indeed", "certainly", "aye", "uh-huh", "yess", "yesss", "mhm", "yas",
             "opo", "oho", "haan", "ja"}
# Yes words that mean yes only in a short reply.
WEAK_YES = {"sure", "correct", "true", "right", "ok", "okay", "k", "kk", "indeed", "certainly",
            "absolutely", "definitely", "affirmative"}
# Hedges that say little alone ("the arguments may be ints"): doubt only with the patient as
# their subject (OWN_DOUBT); every other unsure pattern is doubt said outright.
MODAL_HEDGES = {r"\bma+y+be+\b", r"\bmaybe\b", r"\bmight\b", r"\bmay be\b", r"\bpossibly\b",
                r"\bpossible\b", r"\bcould be\b", r"\bperhaps\b", r"\bprobably\b(?! not)",
                r"\bhmm+\b", r"\bunknown\b", r"\bunclear\b", r"\bthink i (might|may|could)\b"}
OWN_DOUBT = r"^(ma+y+be+|possibly|perhaps|probably|hmm+|could be|might be|may be|not sure|" \
    r"i (think|guess)|think so)\b|\b(i|im|i am|ive|i have|i think i|i might|i may) " \
    r"(might|may|could|possibly|probably|maybe|perhaps)\b|\bi (might|may|could) be\b|" \
    r"^(it|its|that|thats|there|theres) (might|may|could|possibly|probably)( be)?( \w+)?[.!?]*$"
NO_WORDS = {"n", "no", "nope", "nah", "na", "none", "nothing", "never", "negative", "nada", "nil",
            "nay", "noo", "nooo", "nopes", "non", "zero", "neither", "nothin", "naw", "nae", "nop", "nahh", "nvr",
            "takde", "takda", "tiada"}  # Malay "takde lah": no


def normalise(text: str) -> str:
    """Lower-case, map emoji yes/no to words, drop apostrophes and control characters."""
    for emoji, word in EMOJI_WORDS.items():
        text = text.replace(emoji, word)
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in text)
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"(\w)'(\w)", r"\1\2", text)  # don't -> dont, crow's -> crows
    # accents dropped ("ácido" -> "acido"), as patients often type them either way
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if unicodedata.category(ch) != "Mn")
    text = SHORTHAND_RE.sub(lambda m: SHORTHAND[m.group()], text)
    text = NUMBER_UNIT.sub(r"\1 \2", text)  # "6wks" -> "6 wks"
    text = re.sub(r"\b([a-z]+)[ -]wise\b", r"\1:", text)  # "allergy wise nada", "meds-wise none"
    # "bf 4 mo": SMS shorthand for breastfeeding a baby of that age ("my bf" is a boyfriend)
    text = re.sub(r"(?<!my )(?<!her )(?<!the )\bbf(?= \d{1,2} (?:mo|mos|mths?|months?|wks?|weeks?)\b)",
                  "breastfeeding", text)
    text = re.sub(r"\b(\d{1,2})(?:nth|rth|tht)\b", r"\1th", text)  # "the 12nth"
    return re.sub(r"[ \t]+", " ", text).strip()


# SMS shorthand and common misspellings of ordinary words, read as the word ("nxt sat").
SHORTHAND = {"decembr": "december", "yeasr": "years", "yeras": "years", "yaers": "years", "clr": "clear", "baclo": "baclofen", "clopi": "clopidogrel", "botoks": "botox", "protien": "protein", "mlk": "milk", "mlik": "milk", "protine": "protein",
             "asthmer": "asthma", "asthmers": "asthmas", "flarin": "flaring", "nothng": "nothing", "nuthin": "nothing", "nothin": "nothing", "nothign": "nothing", "notihng": "nothing",
             "whatsoevr": "whatsoever", "all g": "all good",
             "alergy": "allergy", "alergic": "allergic", "allergie": "allergy", "breething": "breathing",
             "problms": "problems", "photoes": "photos", "atached": "attached", "nurolojical": "neurological",
             "ishues": "issues", "novembr": "november", "ocotber": "october", "setpember": "september", "diagnosd": "diagnosed", "diagnoised": "diagnosed", "daignosed": "diagnosed",
             "diagonsed": "diagnosed", "diagnossed": "diagnosed", "gd": "good", "satrday": "saturday", "thirsday": "thursday", "wknd": "weekend",
             "jaunary": "january", "ninteen": "nineteen", "consentrating": "concentrating",
             "janury": "january", "feburary": "february", "augest": "august",
             "setember": "september", "octobor": "october", "decemeber": "december",
             "nien": "nine", "thirtey": "thirty", "fourtey": "forty", "fivety": "fifty",
             "sevan": "seven", "twentey": "twenty", "nxt": "next", "lst": "last", "bth": "both",
             "fourty": "forty", "nevr": "never",
             "neva": "never", "mnth": "month", "mnths": "months", "wk": "week", "yr": "year",
             "yrs": "years", "tmrw": "tomorrow", "tmr": "tomorrow", "2moro": "tomorrow",
             "b4": "before", "cuz": "because", "coz": "because", "abt": "about",
             "w/": "with", "w/o": "without", "thx": "thanks", "pls": "please", "plz": "please",
             "prob": "probably", "probs": "probably", "def": "definitely", "defo": "definitely",
             "rly": "really", "wanna": "want to", "gonna": "going to", "dunno": "dont know",
             "yh": "yeah", "tomorow": "tomorrow", "tommorow": "tomorrow",
             "tommorrow": "tomorrow", "tomoro": "tomorrow", "2morrow": "tomorrow",
             "2mrw": "tomorrow", "febuary": "february",
             "janurary": "january", "wensday": "wednesday", "wendsday": "wednesday",
             "wednsday": "wednesday", "saterday": "saturday", "satuday": "saturday",
             "thurday": "thursday", "fridy": "friday", "agust": "august",
             "septmber": "september", "novmber": "november", "decmber": "december",
             "fortnite": "fortnight", "thrusday": "thursday", "thursay": "thursday",
             "tuesay": "tuesday", "wednesay": "wednesday", "wen": "when", "aprl": "april",
             "apirl": "april", "decembre": "december", "novembre": "november",
             "octobre": "october", "twnety": "twenty", "tewnty": "twenty", "thrity": "thirty",
             "fourty-": "forty-", "exc": "except", "excl": "except", "excpt": "except",
             "xcept": "except", "xcpt": "except", "stil": "still", "stll": "still",
             "marhc": "march", "mrach": "march", "aprli": "april", "juen": "june", "jnue": "june",
             "jluy": "july", "spetember": "september", "octber": "october",
             "novemeber": "november", "decmeber": "december", "mabye": "maybe",
             "mybe": "maybe", "maybee": "maybe", "mayb": "maybe", "neevr": "never",
             "nver": "never", "breathin": "breathing",
             "swallowin": "swallowing", "uplaod": "upload", "uplod": "upload",
             "tonite": "tonight", "finshed": "finished", "finsihed": "finished",
             "fnished": "finished", "shure": "sure", "shur": "sure", "priod": "period",
             "peroid": "period", "perod": "period", "stoped": "stopped", "stopt": "stopped",
             "feding": "feeding", "octobr": "october", "augst": "august",
             "januray": "january", "janaury": "january",
             "botx": "botox", "boxtox": "botox", "nowt": "nothing", "pregant": "pregnant",
             "pregnat": "pregnant", "pregnent": "pregnant", "pregnet": "pregnant",
             "prenant": "pregnant", "nt": "not", "fhead": "forehead", "fhd": "forehead", "right as rain": "fine", "fit as a fiddle": "fine", "brestfeedin": "breastfeeding", "brestfeeding": "breastfeeding",
             "breastfeedin": "breastfeeding", "hv": "have", "sur": "sure", "periud": "period",
             "lait": "late", "swolowing": "swallowing", "swollowing": "swallowing",
             "uplaoded": "uploaded", "cuple": "couple", "ninteenth": "nineteenth",
             "thurd": "third", "septembr": "september", "moter": "motor", "nuron": "neurone",
             "diseaze": "disease", "forhead": "forehead", "foreheaad": "forehead"}
NUMBER_UNIT = re.compile(r"(\d)(wks?|weeks?|months?|mos?|mths?|yrs?|years?|days?|hrs?|ish)\b")
SHORTHAND_RE = re.compile(r"(?<![\w/])(" + "|".join(re.escape(k) for k in SHORTHAND) + r")(?![\w/])")


@dataclass
class Clause:
    """A stretch of the patient's words that one polarity governs."""

    original: str
    norm: str


_CLAUSE_SPLIT = re.compile(r"(?<=[.!?;\n])(?<!\bst\.)(?<!\bSt\.)(?<!\bdr\.)(?<!\bDr\.)(?<!\bmr\.)"
                           r"(?<!\bMr\.)(?<!\bmrs\.)(?<!\bMrs\.)(?<!\bms\.)(?<!\bMs\.)(?!(?<=\b[Nn]o\.)\s+\d)(?!(?<=\.\.)\s+of\s)\s+|\s*[;\n]\s*|\s+(?=\bbut\b)|\s+(?=\b(?:except|exc|excl|excpt|xcept|xcpt)\b)"
                           r"|\s+(?=\b(?:other than|besides|apart from|aside from)\b)"
                           r"|\s+(?=\balthough\b)|\s+(?=\bhowever\b)|\s+-\s+|\s*\|\s*"
                           # "no breastfeeding, tho baby no. 3 is due": a contrast, as "but" is
                           r"|,\s+(?=\b(?:though|tho|altho)\b)"
                           # "tobramycin drip in hospital, that was 2019": the item, then its date
                           r"|,\s+(?=\b(?:that|this) was (?:back )?(?:in )?(?:(?:19|20)\d\d|years ago|ages ago)\W*$)"
                           # "I had a baby in August and I'm nursing": a new subject, a new clause
                           # ...but "me and my husband are trying": one subject, with the patient
                           r"|,?\s+(?=\band (?:i|i'm|i’m|im|we|we're|we’re|my)\b)"
                           r"(?!and my \w+ (?:are|were|have|both|take|use|get)\b)", re.I)
# "impetigo on my chin ..., can I still come next week?": the patient's statement, then the
# question about it at the end of the message: two clauses, so the question does not make the
# statement a hypothetical.
_STATEMENT_THEN_QUESTION = re.compile(
    r"^(?!\W*(?:if|what if|when|whenever|once|suppose|say|in case|should|would|could(?! be\b)|can|"
    r"is|are|do|does)\b)(?P<statement>.*\b(?:my|im|i'm|i’m|ive|i've|i’ve|i have|i am|i take|i got|"
    r"i get)\b[^,?]*|\W*(?:could|might|may) be\b[^?]*?)"
    r",\s+(?P<question>(?:can|could|is|will|would|should|do|does|am|may) (?:i|it|that|this|"
    r"botox|we|you)\b[^,.;?]*\?\s*)$", re.I)


# "only breathless when I see the bill lol jk, no": what comes before "jk" was a joke.
JOKE_TAKEN_BACK = re.compile(r"^.*\b(jk|j/k|just kidding|just joking|only joking|kidding)\b[\s,.!:;-]*",
                             re.I | re.S)


def _checklist(part: str) -> list[str]:
    """"age 41, no preg, no bf, take ginkgo, no allergies": a message written as a checklist is
    one clause per item, so each "no" covers its own item only. A checklist is three or more
    short comma-separated items, two or more of them starting with their own no ("not warfarin,
    aspirin or ginkgo" is one negated list, and stays one clause)."""
    items = [i.strip() for i in re.split(r",|\s/\s", part)]  # "38F / ginkgo daily / not preg or bf"
    if len(items) < 3 or any(not i for i in items) or \
            any(len(tokens(normalise(i))) > 6 for i in items[:-1]) or \
            len(tokens(normalise(items[-1]))) > 10:
        return [part]
    negated = [i for i in items if re.match(r"(no|not|non|none|never|nil|nope|nah|neg)\b",
                                            normalise(i))]
    return items if len(negated) >= 2 else [part]


def clauses(text: str) -> list[Clause]:
    """Split a message into clauses; each keeps the patient's original words for evidence."""
    rest = JOKE_TAKEN_BACK.sub("", text)
    text = rest if rest.strip(" ,.!") else text
    parts = [p.strip(" ,") for p in _CLAUSE_SPLIT.split(text) if p and p.strip(" ,.")]
    split = []
    for part in [p for whole in parts for p in _checklist(whole)]:
        asked_after = _STATEMENT_THEN_QUESTION.match(part)
        split += [asked_after["statement"], asked_after["question"]] if asked_after else [part]
    merged: list[str] = []
    for part in split:  # "for my wife not me - she takes rivaroxaban": one clause, about her
        if merged and (re.fullmatch(FOR_SOMEONE_ELSE, normalise(merged[-1])) or (
                re.match(r"(but |and |though )?(she|he|they)( is|s| has| takes| was| uses| gets)\b",
                         normalise(part)) and re.search(FAMILY_WORDS, normalise(merged[-1]))
                and not re.search(FIRST_PERSON, normalise(merged[-1])))):
            # "my mother-in-law wants botox but she is on Xarelto": still about her
            merged[-1] = f"{merged[-1]} - {part}"
        elif merged and re.match(r"and (i|im|we|were|my)\b", normalise(part)) and re.match(
                r"\W*(if|what if|suppose|supposing|in case|say)\b", normalise(merged[-1])) and \
                "," not in merged[-1]:
            # "if someday I have another and I breastfeed, could I still have it?": one condition
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return [Clause(p, normalise(p)) for p in merged if normalise(p)]


# A message opened as an enquiry for someone else: what follows is about them.
FOR_SOMEONE_ELSE = r"\W*(hi+|hello|hey)?\W*(im |i am )?(asking|booking|enquiring|inquiring|messaging|" \
    r"texting|writing|this is|its)?\s*(for|on behalf of) (my|our) [a-z ]{2,20}?(,? not (me|for me|" \
    r"myself))?\W*"


def tokens(norm: str) -> list[str]:
    """Word tokens of a normalised clause."""
    return re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", norm)


@lru_cache(maxsize=4096)
def _phrase_regex(phrase: str) -> re.Pattern:
    body = re.escape(normalise(phrase)).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?")
    # a plural or a possessive with its apostrophe dropped ("my asthma's been bad") still names it
    return re.compile(rf"(?<![a-z0-9]){body}s?(?![a-z0-9])")


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Correctly spelt words that must never be read as a typo of another term.

    Every single-word lexicon phrase ("infection" is not a typo of "injections") and the real
    words listed in `lexicon.REAL_WORDS` ("meditation" is not "medication").
    """
    from bot import lexicon  # lexicon imports nothing from bot: no cycle

    words = {normalise(p) for t in lexicon.all_terms() for p in t.phrases if " " not in p}
    words |= set(lexicon.REAL_WORDS)
    return frozenset(words | {w + "s" for w in words})


ENGLISH_MIN_FREQUENCY = 20  # pyspellchecker's count; rarer entries may be misspellings


@lru_cache(maxsize=1)
def _english() -> dict[str, int]:
    from spellchecker import SpellChecker  # its English word list ships in the package

    return SpellChecker(language="en", distance=1).word_frequency.dictionary


@lru_cache(maxsize=16384)
def is_english_word(word: str) -> bool:
    """A common English word ("inspection", "heres"): never read as a typo of a term."""
    return _english().get(word, 0) >= ENGLISH_MIN_FREQUENCY


@lru_cache(maxsize=8192)
def _normalised_phrase(phrase: str) -> str:
    return normalise(phrase)


_TYPOS_ALLOWED: ContextVar[bool] = ContextVar("typos_allowed", default=True)


@contextmanager
def typo_tolerance(allowed: bool) -> Iterator[None]:
    """Allow or forbid typo matching while reading one answer.

    Typos are read only in the answer to the question being asked, against its own terms: an
    ordinary word elsewhere ("single", "cellulite", "efficient") is never taken for a
    misspelt condition or drug.
    """
    token = _TYPOS_ALLOWED.set(allowed)
    try:
        yield
    finally:
        _TYPOS_ALLOWED.reset(token)


def find_phrase(norm: str, phrase: str) -> int:
    """Position of `phrase` in a normalised clause (word boundaries, typo-tolerant), or -1."""
    match = _phrase_regex(phrase).search(norm)
    if match:
        return match.start()
    target = _normalised_phrase(phrase)
    if not _TYPOS_ALLOWED.get():
        return -1
    if " " in target:
        return _find_misspelt_words(norm, target.split())
    if len(target) < 6:
        return -1
    for m in re.finditer(r"[a-z]+", norm):
        if is_typo_of(m.group(), target):
            return m.start()
    return -1


@lru_cache(maxsize=65536)
def is_typo_of(word: str, target: str) -> bool:
    """`word` is a misspelling of `target` (not a real word, close in letters or in sound)."""
    if word == target or len(target) < 6 or abs(len(word) - len(target)) > 2 or len(word) < 5:
        return False
    if word[0] != target[0] and sounds_alike(word)[0] != sounds_alike(target)[0]:
        return False
    if word in known_words() or is_english_word(word):
        return False
    return (SequenceMatcher(None, word, target).ratio() >= 0.84
            or sounds_alike(word) == sounds_alike(target) or swapped(word, target)
            or edit_distance(word, target) <= (
                2 if len(target) >= 8 and word[:2] == target[:2] and word[-1] == target[-1]
                else 1))


def _find_misspelt_words(norm: str, words: list[str]) -> int:
    """A phrase of several words with one of them misspelt ("difficulty swolloing")."""
    found = list(re.finditer(r"[a-z0-9']+", norm))
    for i in range(len(found) - len(words) + 1):
        window = [m.group() for m in found[i:i + len(words)]]
        typos = sum(w != t for w, t in zip(window, words))
        if typos == 1 and all(w == t or is_typo_of(w, t) for w, t in zip(window, words)):
            return found[i].start()
    return -1


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, transpositions."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, prev2[j - 2] + 1)
            row.append(cost)
        prev2, prev = prev, row
    return prev[-1]


def swapped(word: str, target: str) -> bool:
    """Two neighbouring letters typed the wrong way round: "pergnant", "trynig"."""
    if len(word) != len(target) or word == target:
        return False
    diff = [i for i, (a, b) in enumerate(zip(word, target)) if a != b]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == target[diff[1]] \
        and word[diff[1]] == target[diff[0]]


@lru_cache(maxsize=8192)
def sounds_alike(word: str) -> str:
    """A rough spelling-by-ear key: "plavics" and "plavix", "zanaflecks" and "zanaflex" agree."""
    word = re.sub(r"^x", "z", word)  # "xarelto" is said "zarelto"
    for a, b in (("ph", "f"), ("ck", "k"), ("cks", "x"), ("ks", "x"), ("cs", "x"), ("qu", "kw"),
                 ("c", "k"), ("z", "s"), ("y", "i"), ("ee", "i"), ("ea", "i")):
        word = word.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", word)


def _any(patterns: list[str], text: str) -> bool:
    return any(re.search(p, text) for p in patterns)


# ConText-style assertion (Harkema et al. 2009, as in medspaCy's ConText): each cue governs a
# bounded scope. Negation reaches forward until a scope reset ("but", "just", a new "I"); past,
# hypothetical and present cues govern only their own segment of the clause, which ends at a
# comma or at "and"/"so"/"then" before a new subject or time ("stopped the pill last year | and
# now I'm pregnant").
SEGMENT_BREAK = re.compile(r"\s*,\s*|\s+(?=\b(?:and|so|then)\b\s+(?:now|currently|still|again|"
                           r"yes|no|i|im|ive|we|were|weve|my|just|only|then|today)\b)"
                           # "none for years then had dysport in march": a new statement
                           r"|\s+(?=\bthen\b\s+(?:had|got|did|went|started|a|an|some|last|in)\b)"
                           # "impetigo on my chin and Xeomin gave me hives in 2022": a new subject
                           r"|\s+(?=\band\s+\w+\s+(?:gave|made|caused|left|gives|makes|causes)\s+"
                           r"(?:me|my)\b)"
                           # "Artrotec when my knee hurts and orphenadrine for the cramps": a new item
                           r"|\s+(?=\band\s+[a-z]+\s+(?:for|pa|para)\s+(?:the|my|los|las|el|la)\b)")
# Words that make a statement about now, whatever tense the segment is in.
PRESENT_CUES = r"\b(now|currently|still|again|right now|at the moment|atm|rn|these days|" \
    r"nowadays|today|found out|just found|just learned|finding out|they found|" \
    r"got (my|a|the) (bfp|positive|big fat positive|faint line))\b"
# A plan, a condition or a wish: "if I get pregnant", "thinking about starting fish oil".
HYPOTHETICAL_CUES = r"\b(if|what if|whether|in case|would|wouldnt|could i|can i|should i|" \
    r"^(lets )?say (i|im|we|were)\b|" \
    r"(im|i am|were|we are) due to (start|begin|go on|have)|suppose|supposing|imagine|hypothetically|" \
    r"plan(ning)? (to|on)|plans? (to|for)|thinking (about|of)|considering|hoping|hope to|" \
    r"hopefully|wants? to|wanting to|wanna|wish|going to(?! (a|an|the|my|our)\b)|gonna|about to|(might|may|will|could) " \
    r"(start|need|have to|go on|be put|put me|begin|try|get|develop|end up|break out)|" \
    r"(starting|putting) me on|(mentioned|suggested|discussed|talked about|raised) (possibly |maybe |" \
    r"perhaps )?(starting|putting me on|going on|trying|adding)|possibly (starting|going on)|" \
    r"someday|some day|one day|wants? me to|" \
    r"(id|i would|would) (like|love) to|(ill|i will|will) (go|be going|be put|be starting|need " \
    r"to go) on|" \
    r"supposed to (start|take|begin|go on)|(well|ill|will|gonna|going to|probably|plan to) " \
    r"start|havent started|not started yet|" \
    r"(after|once|when|until|till) (we|i) (buy|get|move|finish|find|save|sell|settle|marry|go|" \
    r"start|become|turn|retire|graduate|are|have)|" \
    r"in the future|eventually|when i (have|get|start|become)|once i (have|get|start|become)|" \
    r"(after|once|when) (the|our|my) (wedding|honeymoon|move|holiday|trip|exams?|graduation|summer)" \
    r",? (we|i) (start|begin|try|will)|" \
    r"later on|down the (road|line)|(theres |there is )?talk of|talking about (putting me on|starting)|" \
    r"once (my|the) [a-z ]{0,25}(results?|tests?|scans?) (come|comes|are) back)\b"
# Words that affirm what their segment names: a negation before a comma does not reach it.
AFFIRMED = r"\b(daily|every (day|morning|night|evening)|nightly|twice|once a|each (day|morning)|" \
    r"\d+ ?mg|regularly|still|yes|only|just|prn|as needed|when needed|if needed|sometimes|" \
    r"occasionally|now and then|the odd|most days)\b"
# Said after a thing, these end it now: "had Bell's palsy years ago, fully recovered".
RESOLVED_NOW = r"\b(fully recovered|all better|better now|fine now|none now|none right now|" \
    r"(fully |completely |totally )weaned( off)? (since|in|at|last|by|now|for)|" \
    r"(is|are|s|its|it is|been) (all |totally |completely )?back to normal|" \
    r"no (issues|problems|symptoms|attacks|flare ?ups?|allergies|outbreaks?)( \w+)? now|" \
    r"not anymore|not any more|nothing now|take nothing now|no more|so no|all clear now|" \
    r"(^|,\s*)now (nothing|none|nada|zero|zilch)\b|" \
    r"(so |but |and )?(definitely |def |deffo |defo )?not (right )?now$|" \
    r"on hold|on a break|taking a break|having a break|given up|gave up|paused|stopped for now|" \
    r"(decided|chose|agreed) to (stop|quit|pause|give up)|(we|i) (have |ve )?stopped( trying)?$|" \
    r"sorted (since|now)|all sorted|(antibiotics|cream|the cream|tablets|the tablets|a course|the course|" \
    r"fucidin|fusidic|flucloxacillin|it|that) (sorted|cleared|fixed|got rid of|did the trick|" \
    r"knocked)( it| them| that)?( out| up| off)?\b|healed( up| over)?( a| \w+)? (days?|weeks?|months?) ago|" \
    r"dormant|havent needed (a|an|my|one|it|any)\b|havent (used|had) (a|an|my) (puffer|inhaler)|fine with (it|them|that|those) now|" \
    r"now (all |just |only |fully |exclusively )?(formula|bottle)( fed| feeding)?|" \
    r"all negative|came back (negative|clear|normal|fine)|tested negative|ruled out|" \
    r"(it|that|they|the test|the result|tests?|results?) (was|were|came back|is|are) (all )?negative|" \
    r"done with (it|them|that)( now)?|finished (it|them|the course)|" \
    r"(grew|grown) out of (my |the |it|them)|outgrew (my |the |it|them)|" \
    r"(breathing|breathe|breath|swallowing|lungs|chest)( is| are)? (fine|ok|okay|good|normal|clear)|" \
    r"(healed|cleared( up)?|gone|went away)( up)? (last|this|a|about|over a|\d+|two|three|a few|" \
    r"a couple of) (week|weeks|days?|months?|weekend)( ago)?|" \
    r"fine (with|on) (it|them|dairy|milk|that) now|can (have|eat|drink) (it|dairy|milk) (now|again)|" \
    r"(tests?|scans?|results?|bloods?|biopsy|emg|mri) (were|was|came back|are|all) (all |both )?" \
    r"(clear|negative|normal|fine|ok)|" \
    r"(havent|have not|not) (needed (it|one|them)? ?)?(for|in) (years|ages|a long time|months|" \
    r"decades)|(cleared|cleared up|healed|went away|gone) (with|after|by|thanks to)\b|" \
    r"nothing since|gone now|cleared now|healed now|" \
    r"completely gone|all gone|gone completely|totally gone|fully healed|completely healed|" \
    r"healed up|all healed|cleared up completely|completely cleared|" \
    r"well controlled|under control|no attacks( in (years|ages|a long time))?|" \
    r"(grew|grown) out of (it|them)|outgrew (it|them)|" \
    r"no (symptoms|flare ?ups?|attacks) (in|for) (years|ages|a long time)|" \
    r"(cleared|cleared up|healed|(?<!day )(?<!week )(?<!weeks )(?<!month )(?<!weekend )gone|" \
    r"resolved|went away)( now| since| completely)?$|went away (after|when|once|as|years|ages)|" \
    r"finished clearing( up)?|cleared up (in|last|by|before))\b"
STILL_ACTIVE = r"\b(healing|still (there|here|active|healing|have it|got it)|flaring|spreading|" \
    r"getting worse|not (yet )?healed|not (yet )?gone|hasnt (healed|gone|cleared)|" \
    r"(its|it has|theyve|they have|has|have) (come|came) back(?! (negative|clear|normal|fine))|" \
    r"flared (up )?again|back again)\b"
SWITCHED_TO = r"\b(switched|changed|moved|swapped|put)\b[^,]*\bto\s*$|\b(swapped|switched|traded) (my |the )?\w+( \w+)? for\s*$"
SWITCHED_FROM = r"\b(switched|changed|moved|swapped|taken|took|came)\b( \w+)? (off|from)\s*$|" \
    r"(?<!take )(?<!took )(?<!taking )(?<!kick )(?<!kicked )(?<!put )(?<!cut )(?<!paid )" \
    r"\boff (the |my |of |of the |of my )\s*$"  # "off the baclofen since september": stopped
# "swapped ibuprofen for paracetamol", "replaced warfarin with Eliquis": the first one has gone
SWAPPED_OUT = r"\b(swapped|switched|traded|changed|replaced|exchanged)( (my|the|over))?\s*$"
SWAPPED_FOR = r"\s*(\w+\s*){0,2}?\b(for|with|to|over to)\b"
# A question back ("can you do botox while pregnant?"): not a statement about the patient.
QUESTION_START = r"^(can|could|does|do|did|is|are|am|would|will|should|shall|what|whats|how|" \
    r"if|why|when|which|any|anyone|anybody)\b"
# Past tense forms that say a thing happened, not that it goes on ("breastfed my first").
PAST_FORMS = {"breastfed", "nursed", "pumped", "had", "tried", "conceived"}


def segment_span(clause: str, pos: int) -> tuple[int, int]:
    """Start and end of the part of a clause that holds position `pos` (see SEGMENT_BREAK)."""
    start = 0
    for match in SEGMENT_BREAK.finditer(clause):
        if match.start() >= pos:
            return start, match.start()
        start = match.end()
    return start, len(clause)


def segment_at(clause: str, pos: int) -> str:
    """The part of a clause that holds position `pos`."""
    start, end = segment_span(clause, pos)
    return clause[start:end]


def is_question(clause: str) -> bool:
    """A clause that asks something ("is it safe while breastfeeding?")."""
    return clause.rstrip().endswith("?") and bool(
        re.match(QUESTION_START, clause.strip()) or re.match(r"(or|and|or maybe|or even) \w+\W*$",
                                                             clause.strip(), re.I) or re.search(
            # "should I take arnica after? or ibuprofen?", "combi feeding counts?"
            r"\b(counts?|count as (\w+ ){0,3}\w+|that count|this count)\W*$", clause.strip()))


def polarity_at(clause: str, pos: int, phrase_len: int = 0) -> Polarity:
    """Polarity of the term at `pos` in a normalised clause.

    Order matters: someone else's statement first ("my sister might be pregnant"), then a
    question or a plan, then doubt, then negation, then the past.
    """
    seg_start, seg_end = segment_span(clause, pos)
    segment, later = clause[seg_start:seg_end], WISHED_GONE.sub(" ", clause[seg_end:])
    in_segment = about_someone_else(clause[seg_start:], pos - seg_start) or (
        # "asking for my wife, she's breastfeeding": a pronoun for the person named before
        re.search(r"\b(she|he|shes|hes|her|his|him|they|theyre|their)\b", clause[seg_start:pos])
        and not re.search(FIRST_PERSON, re.sub(r"\b(told|tells|telling|texted|messaged|rang|called)"
                                               r" me\b", " ", clause[seg_start:pos]))) or (
        # "the one on oxygen is my father-in-law, who has COPD": said of the person just named
        re.match(r"\W*(who|that|whos|thats|which)\b", clause[seg_start:pos])
        and re.search(FAMILY_WORDS + r"( in law)?s?\W*$", clause[:seg_start]))
    # "I'm the dad here, my wife does the boob feeds": a part of its own about a relative
    own_part = re.match(r"\W*(and |but |so |while )?((its|it is|thats|that is) )?(my|our|the) ",
                        clause[seg_start:]) and re.search(
        FAMILY_WORDS, clause[seg_start:pos]) and not re.search(FIRST_PERSON, segment) and not re.search(
        r"\b(me|i|myself)\W*$", clause[:seg_start])  # "both me and my husband take fish oil": both
    if in_segment and (about_someone_else(clause, pos) or own_part):
        # "my mom has MG, I don't": the patient's own no, by contrast
        return Polarity.ABSENT if re.search(SELF_DENIAL, later) else Polarity.OTHER_PERSON
    before = re.sub(r"\b(not sure|unsure|dont know|no idea|idk|not certain|wondering|unclear) "
                    r"(if|whether)\b|\b(wants?|trying|going|needs?|has) to rule out\b", "unsure",
                    clause[seg_start:pos])  # "the neuro wants to rule out ALS": not a plan, a doubt
    stated = re.search(r"\b(while|since|as|because|cos|cause|given|seeing as) (im|i am|i have|ive|"
                       r"i take|i use|im taking|im on)\b(\s+\w+){0,3}\s*$", clause[:pos])
    if not stated and (is_question(clause) or is_question(segment + later) or re.search(
            HYPOTHETICAL_CUES, before) or re.search(  # "next year we will try for a second"
                r"\b(will|shall|ll|gonna|going to) " + re.escape(clause[pos:pos + phrase_len]) + r"\b",
                clause[seg_start:pos + phrase_len])):
        # "can I get botox while I'm on gentamicin?" still says the patient is on it
        if re.search(r"\bif (i|im|ive|i have|i am)( got| have| get| got a| have a)?\b[^?]{0,40}\b"
                     r"(at the moment|right now|currently|atm|rn|at present)\b|\b(can|could|should) i "
                     r"(still )?(come|go|ir|attend|have it|get it|have botox|get botox)( in)? with "
                     r"(a|an|my)\b|\b(is|would|will) (botox|it|tox|treatment|that|this) (still )?(ok|okay|"
                     r"safe|alright|fine|possible|a problem) (with|if i have|if ive got|if i have got) "
                     r"(a|an|my)\b[^?]{0,40}\b(right now|at the moment|currently|atm|rn|today|now)\b", clause):
            return Polarity.UNSURE  # "can I have botox if I've got impetigo at the moment?": asked
        return Polarity.HYPOTHETICAL
    if _unsure(clause):
        return Polarity.UNSURE
    # "pregnant: no", "fish oil - nope": a no right after the term, closing its part of the clause;
    # but not "fish oil, not pregnant", where the "not" belongs to the next item.
    if re.match(r"\s*[:=-]?\s*(no|nope|nah|none|n|not|nil|nada|zero|zilch|nothing)\s*([,.;!x]|$)|"
                r"\s*-?\s*free\b", clause[pos + phrase_len:]):  # "infection-free"
        return Polarity.ABSENT
    # "I don't think I'm pregnant": the "not" of think/believe reaches the clause it governs
    raised = re.sub(r"\b((dont|do not|didnt|did not) (think|believe|suppose|reckon|expect)|"
                    r"no chance|no way|not a chance|zero chance|theres no way)"
                    r"( that)? (im|i am|i|ive|i have|i was|id be)\b", "not", clause[:pos])
    raised = re.sub(r"\bno more\b", "no", raised)  # "so no more feeds"
    # "no doctor has ever told me I have a nerve or muscle disease": the "no" reaches the thing
    raised = re.sub(r"\b(no (doctor|gp|dr|one|specialist|neurologist)|nobody|noone)( has| have)?( ever)? "
                    r"(told|said|diagnosed)( me)?( that| with)?( i have| ive got| i had| im| i am)?\b|"
                    r"\bnever been (told|diagnosed)( that| with)?( i have| ive got| im| i am)?\b",
                    "not", raised)
    # "a pill so I'm not running to the bathroom, Detrol": the negation is of the purpose, and
    # ends where it does ("para no andar corriendo al baño, Detrol" glosses "for no andar ...")
    raised = re.sub(r"\b(so( that)?|to|for|in order to) (i |im |i am |i do |i will |i can |i wont |"
                    r"i dont )?(not|no|dont|do not|wont|will not|cant|never|stop|avoid)\b"
                    r"(?! (on|taking|any|anything|nothing|pregnant|breastfeeding)\b)[^,;.]*[,;.]",
                    lambda m: " " * len(m.group()), raised)
    # "not currently pregnant", "no way am I pregnant": the negation reaches past these words
    raised = re.sub(r"\b(not|isnt|arent|never) (currently|presently|now|right now|at present|"
                    r"at the moment|even|actually|really)\b", "not", raised)
    raised = re.sub(r"\b(ruled out|excluded|tested negative for|cleared of|no sign of|no signs of|"
                    r"free of|free from|clear of)\b", "not", raised)  # "they ruled out MND", "free of cold sores"
    raised = re.sub(r"\b(no way|no chance|not a chance|theres no way|not likely) (am i|are we|"
                    r"is it|would i|have i|do i)\b", "not", raised)
    # "not sure what it's called, the lines by my mouth": unsure of a name, not denying a thing
    raised = re.sub(r"\bnot (really )?sure (of|about) (the|its) (name|brand|dose|spelling)\b", " ", raised)
    raised = re.sub(r"\b(not|dont|do not) (really )?(sure|know) (what|which|how) (its|it is|theyre|"
                    r"they are|this is|thats|the \w+ (is|are)) (called|named)\b", " ", raised)
    if (re.search(AFFIRMED, segment) or re.match(
            r"\s*(its|it is|thats|that is|mainly|mostly|just|only|more|rather|its more)\b",
            clause[seg_start:pos])) and seg_start > 0:
        # "no aspirin, Xarelto daily", "not bothered about wrinkles, it's my gummy smile"
        raised = raised[seg_start:]  # "no aspirin, Xarelto daily": the no ends at the comma
    # "no allergies, had botox once in 2020, and a TV appearance on the 6th": a statement of its
    # own between the negation and the term ends the negation's reach
    stated = list(re.finditer(r",\s*(?:and\s+|then\s+|and then\s+)?(?:had|have|ive had|ive got|got|i take|im on|i had|"
                              r"i have|i got|(?:it|that|which|this|they) (?:gave|gives|made|makes|brought|"
                              r"brings|caused|causes) me)\b(?! (no|not|none|nothing|never|any)\b)", raised))
    if stated:
        raised = raised[stated[-1].end():]
    if _negated_before(raised):
        return Polarity.ABSENT
    after = WISHED_GONE.sub(" ", clause[pos + phrase_len:])
    if re.search(NOT_QUITE_OVER, after):  # (`later` is the tail of `after`)
        return Polarity.PRESENT  # "impetigo but it's almost gone": still there
    # "a cold sore, but otherwise I'm fine now": the rest is fine, not the cold sore
    if not re.search(OTHERWISE, after) and (
            re.search(RESOLVED_NOW, later) or re.search(RESOLVED_NOW, after)
            or re.search(RESOLVED_LATER, later.strip(" ,"))
            or re.search(NONE_NOW, later.strip(" ,"))):
        return Polarity.ABSENT  # "had asthma as a kid, none now", "the rash cleared up"
    if re.search(STILL_ACTIVE, later):
        return Polarity.PRESENT  # "cold sore last week, healing now"
    if re.search(SWITCHED_TO, clause[:pos]):
        return Polarity.PRESENT  # "switched from warfarin to Pradaxa"
    if re.search(SWITCHED_FROM, clause[:pos]) or (
            re.search(SWAPPED_OUT, clause[:pos]) and re.match(SWAPPED_FOR, clause[pos + phrase_len:])):
        return Polarity.PAST
    if re.search(PRESENT_CUES, segment) or re.search(STILL_CURRENT, segment):
        return Polarity.PRESENT  # "stopped Plavix last year, now just fish oil"
    if re.search(r"\b(started|began|begun|start|been on|been taking|put me on|got me on)"
                 r"( \w+){0,2}\s*$",
                 clause[:pos]) and not ended_now(clause) and not re.search(
                     r"\bback (in|then|when)\b", segment):
        # ...but not "they put me on a gentamicin drip back in 2026": a course long ago
        return Polarity.PRESENT  # "started fish oil last week": taken since then
    # A word that ends a thing reaches a few words ahead ("stopped taking Xarelto") or back
    # across the clause ("Eliquis, stopped it in May"); a weaker one ("was", "in 2023") only its
    # own segment ("was on the pill, pregnant again").
    near_before = " ".join(tokens(clause[:pos])[-4:])
    # "I take aspirin every day because my dad had a heart attack": the reason's past is not
    # the aspirin's
    reason = re.search(r"\b(because|cos|coz|cause|bc)\b", clause[pos:])
    own = segment[:pos - seg_start + reason.start()] if reason else segment
    if seg_start > 1 and re.fullmatch(r"\W*(the |some |a )?" + re.escape(clause[pos:pos + phrase_len])
                                      + r"\W*", segment) and re.search(
            r"\b(antibiotics?|meds|medications?|medicines?|tablets?|pills?|painkillers?|drips?|"
            r"injections?|jabs?|thinners?|course|supplements?|vitamins?)\W*$", clause[:seg_start]):
        # "I had a week of IV antibiotics, gentamicin, for a kidney thing": the name in apposition
        # is read with the words it names
        own = clause[segment_span(clause, seg_start - 2)[0]:seg_end]
    # one string, so "have gone droopy" reads "gone" with the word after it (a change, not the past)
    if _any(STRONG_PAST, WISHED_GONE.sub(" ", f"{near_before} {clause[pos:]}")) \
            or _any(WEAK_PAST, own) or (_word_at(clause, pos) in PAST_FORMS and not re.search(
                r"\b(is|s|are|being|fully|exclusively|exclusivly|exclusivley|still|currently|mostly|partly|totally|"
                r"only|solely)\s*$", clause[:pos])):  # "she's fully breastfed": now
        return Polarity.PAST
    return Polarity.PRESENT


def ended_now(clause: str) -> bool:
    """The clause says a thing has ended: "stopped nursing", "weaned", "no longer"."""
    return bool(re.search(r"\b(stopped|quit|weaned|no longer|not anymore|anymore|any more|paused|"
                          r"done with|finished|came off|gave up)\b", clause))


def _word_at(clause: str, pos: int) -> str:
    match = re.match(r"[a-z]+", clause[pos:])
    return match.group() if match else ""


def _unsure(clause: str) -> bool:
    # "a blood thinner, not sure which one": sure of the thing, not of its name
    clause = re.sub(r"\b(cant|can not|cannot|dont) (remember|recall|know) (the |its |what its )?"
                    r"(name|called)\b|\bforgot (the|its) name\b", " ", clause)
    clause = re.sub(r"\bnot (really )?sure (which|what|of the|about the) (one|kind|type|brand|name|"
                    r"dose|its called|it is called)\w*", " ", clause)
    return _any(UNSURE_PATTERNS, re.sub(FUTURE_PLAN, " ", clause))


def is_past(clause: str) -> bool:
    """True when the clause puts what it names in the past ("stopped", "as a kid", "was").

    A present cue in the same stretch wins over a weak one: "just found out I was pregnant".
    """
    if _any(STRONG_PAST, WISHED_GONE.sub(" ", clause)):
        return True
    return _any(WEAK_PAST, clause) and not re.search(STILL_CURRENT, clause) \
        and not re.search(PRESENT_CUES, clause)


def about_someone_else(clause: str, pos: int) -> bool:
    """"my aunt had ALS", "ALS runs in my family": the patient is not the one who has it.

    Only when the patient is not the subject too: "I take my husband's Eliquis" is the patient's.
    """
    # "my daughter just told me she's pregnant": told the patient, it is still the daughter
    if re.search(FIRST_PERSON, re.sub(r"\b(told|tells|telling|texted|messaged|rang|called|showed)"
                                      r" me\b", " ", clause[:pos])) or re.search(ME_TOO, clause[pos:]):
        return False
    if re.search(r"\b(says|said|saying|thinks|thought|tells me|told me|telling me|reckons|"
                 r"noticed|noticed that)"
                 r"( that)? (my|i|im|me)\b", clause[:pos]) or re.search(
                     r"\b(says|said|thinks|reckons|noticed)( that)? (the|these|those) [^,.;]{0,25}?\b"
                     r"(on|in|around|under|by|of) my\b", clause):
        return False  # "my husband says my forehead lines make me look worried"
    if re.search(FAMILY_WORDS, clause[:pos]):
        return True
    after = re.search(FAMILY_AFTER, clause)
    # "... in my kids, not me"; "the one who is pregnant is my cousin, not me, I'm going to be the
    # godmother": the patient's own words after the other person are about something else
    return bool(after) and not re.search(
        FIRST_PERSON, re.sub(SELF_DENIAL + r"|\bmyself\b", " ", clause[:after.end()])) and not re.search(
        r"\b(i (have|get|got) (one|them|it|some) (too|as well)|me too|so do i|so am i|i am too|im too)\b",
        clause[after.end():])


# A short clause after the one naming a thing can take it back: "had a cold sore last month /
# but it cleared up", "I get cold sores / but none right now", "Pregnant? / no".
RESOLVED_LATER = r"^(but |and |though |which |after that |since then |then |and then )?(it|its|they|theyre|that|thats|this|which|now|" \
    r"all)\b.{0,30}\b(cleared|cleared up|healed|gone|resolved|better|went away|(?<!all )(?<!come )(?<!came )" \
    r"(?<!coming )over|fine now)\b"  # ("it made me itch all over", "came over me": not over)
NONE_NOW = r"^(but |though |however |and )?(none|not|no|nothing|never|havent|dont|isnt|arent)" \
    r"\b.{0,30}\b(now|currently|at the moment|atm|rn|today|anymore|any more|these days|lately|" \
    r"active|outbreak|flare|flaring|at present)\b"

# "I breastfed my daughter / but I stopped 2 years ago": the thing named before has ended.
STOPPED_LATER = r"^(but |and |though |then )?(i |we )?(have |ve )?(stopped|quit|weaned( \w+)?|" \
    r"gave (it |them |that )?up|finished|came off)( it| them| that| doing it)?\b.{0,30}" \
    r"\b(ago|last (year|month|week|summer|spring|winter|autumn|fall)|in (19|20)\d\d|years|" \
    r"months|a while|already|long|after|since|for now|in the (spring|summer|winter|autumn|fall)|" \
    r"in (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\b"

# The patient's own present statement after a question about a thing: "I take one daily".
STATED_AFTER_QUESTION = r"^((just |only )?asking )?(because |cause |cos |coz |as |and |well |but )?" \
    r"(yes |yeah |yep |ya )?" \
    r"(i (take|use|have|get|do|pump|am on|am taking|am using)|im (on|taking|using|doing)|" \
    r"ive got|i have got|i ve got|" \
    r"we (are|do)|i am|im)\b(?!\s+(not|never|thinking|considering|planning|going|hoping|" \
    r"wondering|asking|curious|worried)\b)|^thats (all|it|the only one|what) (i (take|use|have)" \
    r"|for me)\b|^thats (what im on|what i am on|what i take|me|my age|mine|the one i (take|use|" \
    r"have))\b"


# Words that turn a "fine now" to everything else: "a cold sore, but otherwise I'm fine now";
# and how the patient feels is not whether a thing is over ("pregnant but feeling fine now")
OTHERWISE = r"\b(otherwise|apart from (that|this|it|the \w+)|other than (that|this|it|the \w+)|" \
    r"besides (that|this|it)|aside from (that|this|it)|(the )?rest of (my|me|the|her|him)|" \
    r"everything else|all else|the rest|(feel|feels|feeling|felt|doing|going) (really |totally |" \
    r"absolutely )?(fine|good|great|ok|okay|well|alright|grand))\b"
# Over, but not yet: "it's almost gone", "nearly healed", "not fully cleared", "clearing up"
NOT_QUITE_OVER = r"\b(almost|nearly|mostly|not quite|not fully|not completely|not totally|half|" \
    r"partly|partially|pretty much|practically|virtually|not yet|not all the way) (gone|cleared|" \
    r"cleared up|healed|healed up|better|over|clear|done|fine)\b|(?<!finished )(?<!done )" \
    r"(?<!stopped )\b(still clearing|still healing|clearing|healing) up\b|\b(crusting|scabbing)( over)?\b"


def followup_polarity(term_clause: str, next_clause: str) -> Polarity | None:
    """How a following clause with no term of its own changes the previous one, if at all."""
    if re.search(NOT_QUITE_OVER, next_clause):
        return Polarity.PRESENT  # "impetigo / but it's almost gone"
    if re.search(OTHERWISE, next_clause):
        return None  # "I have a cold sore / but otherwise I'm fine now"
    if re.search(RESOLVED_LATER, next_clause) or re.search(RESOLVED_NOW, next_clause) or \
            re.search(STOPPED_LATER, next_clause):
        return Polarity.ABSENT  # over now: a clear "not now"
    if re.search(NONE_NOW, next_clause):
        return Polarity.ABSENT
    if re.match(r"\W*(but |and )?(that|it|this|that one)( was|s| was all)( back)? ((in )?(19|20)\d\d|"
                r"(years|ages|a long time|a while|decades) ago|when i was|as a (kid|child|teen)|"
                r"at (primary|secondary|high|middle|elementary) school|last year|before (covid|"
                r"lockdown|the pandemic))\b", next_clause) and not re.search(PRESENT_CUES, next_clause):
        return Polarity.PAST  # "my piercing got infected, but that was back in 2022"
    if re.search(r"\b(started|starting|begun|began|back on|back to|going) (again|it again|back|"
                 r"back up|over)\b|\b(again|back on it) (now|this (cycle|month|week|year))\b|"
                 r"\b(its|it has|it s|theyve|they have) (come|came) back\b(?! (negative|clear|"
                 r"normal|fine))|\bflared (up )?again\b",
                 next_clause) and not re.search(HYPOTHETICAL_CUES, next_clause):
        return Polarity.PRESENT
    if term_clause.rstrip().endswith("?") and re.search(STATED_AFTER_QUESTION, next_clause):
        return Polarity.PRESENT  # "does aspirin count? I take one most mornings"
    if (term_clause.rstrip().endswith("?") and len(tokens(next_clause)) <= 3) or (
            len(tokens(next_clause)) <= 2 and yes_no(next_clause) in ("yes", "no") and not re.search(
                r"\b(allerg\w*|meds?|medicines?|medications?|pills?|supplements?|events?|plans?|"
                r"botox|tox|infections?|pg|preg\w*|bf|ttc|problems?|issues?|conditions?)\b",
                next_clause)):  # ("vit E daily | no allergies": that no answers something else)
        answer = yes_no(next_clause)  # the patient echoed the question: "Pregnant? no"
        return {"yes": Polarity.PRESENT, "no": Polarity.ABSENT,
                "unsure": Polarity.UNSURE}.get(answer or "")
    return None


def _negated_before(prefix: str) -> bool:
    # "I don't get breathless nor I have trouble swallowing": the "nor" reaches past its "I"
    words = tokens(re.sub(r"\b(nor|neither) (do i|have i|am i|i|im|i have|i am)\b", r"\1", prefix))
    for word in reversed(words):
        if word in NEGATION_CUES or word.endswith("nt") and word in {
                "dont", "doesnt", "isnt", "arent", "havent", "hasnt", "didnt", "wont", "cant"}:
            return True
        if word in SCOPE_RESETS:
            return False
    return False


# "No, never - actually hang on, I had some in February", "Yes - no sorry, thought you said
# breastfeeding!": a first yes or no taken back at once; what follows is the answer.
SELF_CORRECTION = re.compile(
    r"^\W*(yes|yeah|yep|ya|no|nope|nah|never|nothing|none|negative)\b[\s,.!:-]*(never|not)?[\s,.!:-]*((oh|um+|er+|ah|no|yes|well)[\s,]+)*"
    r"(?P<turn>wait|actually|sorry|hang on|hold on|i mean|scratch that|my bad|oops|no sorry|yes sorry)"
    r"\b[\s,.!:-]*((wait|actually|sorry|hang on|hold on|i mean|no|yes|technically|honestly)\b[\s,.!:-]*)*"
    r"(?P<rest>\S.*)$", re.I | re.S)


# ...and taken back a few words in: "no, apart from... oh wait, yes, my neurologist confirmed MG"
LATE_SELF_CORRECTION = re.compile(
    r"^\W*(?P<first>yes|yeah|yep|no|nope|nah|not really|not)\b[^.!?]{0,40}?[\s,.!:-]+(oh[\s,]+)?"
    r"(wait|actually|hang on|hold on|scratch that|ok|okay|fine|alright|(oh |ah )?well|hmm+|um+)\b[\s,.!:-]*"
    r"(?:(?:actually|honestly|to be honest|tbh)[\s,]+)?"  # "no... well, actually yes"
    r"(?P<rest>(?P<last>yes|yeah|yep|no|nope|nah)\b.*)$", re.I | re.S)


# "ibuprofen - sorry, no, it's paracetamol these days": the first item taken back at once
RETRACTED_ITEM = re.compile(
    r"^\W*[\w' -]{2,40}?\s*(?:\.{2,}|\u2026|-|,)\s*(?:no[\s,.!-]+)?(?:sorry|wait|oops|my bad|"
    r"hang on|hold on)"
    r"[\s,.!-]+(?:no[\s,.!-]+)?(?P<rest>(?:its|it's|it is|i mean|i meant|that was|that's|thats|"
    r"those were|they were|they're)\b.*)$", re.I | re.S)


# "edoxaban... actually no, the cardiologist stopped it in the spring, so nothing": an item named
# and then taken back with "actually no"; the answer is the no and what follows it
DROPPED_ITEM = re.compile(
    r"^\W*(?P<item>[\w' -]{2,40}?)\s*(?:\.{2,}|\u2026|-|\u2013|\u2014)\s*actually,?\s+no\b[\s,.!-]+"
    r"(?P<rest>\S.*)$", re.I | re.S)


# "yes, my asthma - well, no, it's been fine for years": a first yes taken back a few words in;
# "yes, in July - no, sorry, it was April": only the date is taken back.
MID_CORRECTION = re.compile(
    r"^\W*(?:yes|yeah|yep|yup)\b(?P<first>[^.!?]{0,40}?)\s*(?:-|\u2013|\u2014|\.\.\.)\s*"
    r"(?:(?:well|sorry|oh|oops),?\s*)?(?:no|nope)\b[\s,.!]*(?:(?:wait|sorry|actually|hang on|my bad)\b[\s,.!]*)?"
    r"(?P<rest>(?:its|it's|it is|it was|it has|thats|that's|i mean|i meant|i was|i've|ive)\b.*)$",
    re.I | re.S)


# "no - but I had a positive test this morning so actually yes??": the answer turned at the end
END_CORRECTION = re.compile(
    r"^\W*(?P<first>yes|yeah|yep|no|nope|nah)\b[\s,.!:-]*(?:but\b)?(?P<middle>[^?]{3,120}?)[\s,.!-]*"
    r"\b(?:so|which means|meaning|then)\s+(?:actually|i guess|i suppose|technically|maybe)?\s*"
    r"(?P<last>yes|yeah|yep|no|nope|maybe|possibly|not sure|who knows)\b[\s?!.]*(?:[^\w\s]\W*)?$",
    re.I | re.S)


# "I'm on eliquis... actually scrap that, I was reading Dad's dosette box. Nothing for me"
SCRAPPED = re.compile(r"^(?P<first>[^?]{2,80}?)\s*(?:\.{2,}|\u2026|-|,|\.|!)\s*(?:(?:actually|oh|wait|sorry|"
                      r"no|um+|hmm+),?\s+)*(?:scrap that|scratch that|ignore (?:that|me)|forget (?:that|"
                      r"i said that|what i said)|disregard that)\b[\s,.!:-]*(?P<rest>\S.*)$", re.I | re.S)


def corrected_answer(text: str) -> str:
    """The answer after a first yes or no the patient took back; else the text unchanged."""
    straight = text.replace("\u2019", "'")
    scrapped = SCRAPPED.match(straight)
    if scrapped:
        return scrapped["rest"].strip()
    turned = END_CORRECTION.match(straight)
    if turned and turned["first"][0].lower() != turned["last"][0].lower():
        last = turned["last"].lower()
        last = last if last[0] in "yn" and last != "not sure" else "not sure"
        return f"{last}, {turned['middle'].strip()}"
    retracted = RETRACTED_ITEM.match(text.replace("\u2019", "'"))
    if retracted and not re.match(r"\W*(yes|yeah|yep|no|nope|nah|never)\b", text, re.I):
        return retracted["rest"].strip()
    dropped = DROPPED_ITEM.match(straight)
    if dropped and not re.match(r"\W*(yes|yeah|yep|no|nope|nah|never|not|i|i'm|im)\b", dropped["item"], re.I) \
            and not re.match(r"(its|it's|it is|i mean|i meant)\b", dropped["rest"], re.I):
        return f"no, {dropped['rest'].strip()}"
    mid = MID_CORRECTION.match(text.replace("\u2019", "'"))
    if mid:
        from bot.dates import find_date  # a date replaced by a date: the yes stands

        today = date.today()
        if find_date(mid["first"], today, "past") and find_date(mid["rest"], today, "past"):
            return f"yes, {mid['rest'].strip()}"
        return f"no, {mid['rest'].strip()}"
    rethought = re.match(r"^\W*(no|nope|nah)\s*(?:\.{2,}|\u2026)\s*well\b[\s,]*(?P<rest>\S.*)$", straight, re.I | re.S)
    if rethought and not re.match(r"(no|not|nothing|none|never|yes|yeah|actually|wait|sorry|hang on|"
                                  r"hold on|i mean)\b", rethought["rest"], re.I):
        return rethought["rest"].strip()  # "no... well I still express a bottle for her nursery days"
    match = SELF_CORRECTION.match(text.replace("\u2019", "'"))
    rest = match["rest"].strip() if match else ""
    # "yep - oh wait, breastfeeding? no, we switched to formula": the question echoed back first
    rest = re.sub(r"^[a-z' ]{3,30}\?+\s*(?=(yes|yeah|yep|no|nope|nah)\b)", "", rest, flags=re.I)
    if len(rest) > 1:
        # "no - wait, yes! 9 weeks": the answer is the yes, with what follows it
        turned = re.sub(r"\b(oh|ah|ay|aw) no\b", " ", match.string[match.end("turn"):match.start("rest")],
                        flags=re.I)  # "oh no" is not an answer
        said = re.findall(r"\b(yes|yeah|yep|no|nope|nah)\b", turned, re.I)
        return f"{said[-1]}, {rest}" if said and not re.match(r"\W*(yes|yeah|yep|no|nope|nah)\b",
                                                              rest, re.I) else rest
    late = LATE_SELF_CORRECTION.match(text.replace("\u2019", "'"))
    if late and late["first"][0].lower() != late["last"][0].lower():  # a no became a yes
        from bot.dates import find_date

        after = re.sub(r"^\W*(no|nope|nah)\b[\s,.!:-]*", "", late["rest"], flags=re.I)
        between = late.string[late.end("first"):late.start("rest")]
        if late["first"][0].lower() == "y" and find_date(between, date.today()) and re.match(
                r"(on |the |\d|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)", after.strip(),
                re.I) and find_date(after, date.today()):  # "yes, the 25th - wait, no, the 25th of october": the date
            return f"yes, {after.strip()}"
        return late["rest"].strip()
    return text


def yes_no(text: str) -> str | None:
    """A bare answer's meaning: "yes", "no", "unsure" or None when it is not a yes/no answer."""
    norm = normalise(text)
    # a laugh or an interjection first says nothing: "lol no", "haha yes", "omg no"
    norm = re.sub(r"^((lol|lmao|haha\w*|hah|ha|omg|oh|ah|um+|uh+|hmm+|well|honestly|tbh|ok|okay|"
                  r"so|aw+|aww+|abeg|abi|eh|eish|lah|sha|o|still)\b[\s,.!:-]*)+(?=(no|nope|nah|naw|yes|yeah|yep|ja|nope|not|never|"
                  r"definitely|absolutely)\b)", "", norm)
    if not norm:
        return None
    # "No - wait, sorry, yes!", "yes - well no": the patient corrected themself; the last answer
    corrected = re.match(r"^(yes|yeah|yep|no|nope|nah)\b[\s,.!:-]*((wait|actually|sorry|oops|"
                         r"i mean|scratch that|correction|my bad|hang on|hold on|well|um+|er+)"
                         r"\b[\s,.!:-]*)+(?P<last>yes|yeah|yep|no|nope|nah)\b", norm)
    # "yes - no sorry, it's just a shaving rash": the second answer, taken back to with a sorry
    corrected = corrected or re.match(r"^(yes|yeah|yep|no|nope|nah)\b[\s,.!:-]+(?P<last>yes|yeah|yep|no|"
                                      r"nope|nah)\b[\s,.!:-]*(sorry|i mean|oops|my bad|wait|scratch "
                                      r"that)\b", norm)
    if corrected:
        return "yes" if corrected["last"].startswith("y") else "no"
    words = tokens(norm)
    if re.match(r"^(i am|im|i do|i have|we are|i sure am|i certainly am),? (yes|yeah|yep|yup)\b",
                norm):
        return "yes"  # "I am, yes. Twins, would you believe"
    if re.match(r"^(i am|im|i do|i think so|think so)\s*(,|\bbut\b|\band\b|\bthough\b|\btho\b|!|\.)",
                norm):
        return "yes"  # "I am but only just found out", "think so, did a test"
    if re.match(r"^(i )?(dont|do not|shouldnt|should not|wouldnt|would not) (think|reckon|believe) so\b|"
                r"^(i )?(very much )?doubt it\b|"
                r"^(very |highly |pretty |quite |most )?unlikely\b|^probably not\b", norm):
        return "no"  # "I doubt it very much, but who knows": a hedged no, checked on defer questions
    if re.match(r"^no (idea|clue)\b", norm) or (
            _unsure(norm) and not re.match(r"^(no|nope|nah)\b", norm)):
        # doubt about the patient, not a sentence that happens to hedge ("the arguments may be
        # ints", "when possible"): said outright, or a hedge with the patient as its subject
        if re.search(r"\b(not (really )?sure|unsure|uncertain|dont know|no idea|not certain) "
                     r"(which|what|how|where|who|why|when)\b", norm) and not re.search(
                         FIRST_PERSON, norm) and len(words) > 4:
            return None  # "if you're not sure which to use, ...": doubt about something else
        if len(words) <= 3 or re.match(r"^no (idea|clue)\b", norm) or _any(
                [p for p in UNSURE_PATTERNS if p not in MODAL_HEDGES], norm) \
                or re.search(OWN_DOUBT, norm):
            return "unsure"
        return None
    if not words:
        return None
    if re.search(r"(,|\bso|\bso thats a)\s+(no|nope)(,? (thank you|thanks|ta|thx|love|hun))?[.!]*$|\bso (no|nope),? not (again|yet|now|at the "
                 r"moment|currently|anymore)( yet| again)?\W*$", norm):
        return "no"  # "had my tubes tied after my second, so no", "... so no, not again yet"
    if re.search(r"(,|\bso|\bbut)\s+(definitely |def |deffo |certainly |obviously |defo )?not "
                 r"(now|at the moment|anymore|any more|currently|these days|again yet|yet again)\b|"
                 r"(,|\bso)\s+(definitely |def |deffo |certainly |obviously |defo )?not (again|yet)"
                 r"([,.!]* (no way|no chance|never again|not happening|thats for sure))?[.!]*$", norm):
        return "no"  # "gave birth in march so definitely not now"
    if re.search(r"(,|\bso|\bbut|\band)\s+(but )?(i am|im) (definitely |def |certainly |really )?"
                 r"not( now| anymore| any more| at the moment)?[.!]*$", norm) and not re.search(
                     r"\b(sure|certain|positive)\b", norm):
        return "no"  # "miscarried in jan, i am not": the patient's own no, said last
    if re.search(r"(,|\bso|\bso thats a)\s+(yes|yep|yeah)[.!]*$", norm) and not re.match(
            r"^(no|not|nope|nah)\b", norm):
        return "yes"
    first, rest = words[0], " ".join(words)
    if re.match(r"^(neuromuscular|allerg\w*|alergias?|medications?|meds|medicines?|infections?|"
                r"pregnant|pregnancy|breastfeeding|events?|botox|asthma|breathing|swallowing|"
                r"skin) (no|nope|nah|none|nada)\b(?!\s+\w+ing\b)", norm):
        return "no"  # "neuromuscular no, what I have is MS": the topic, then the patient's no
    if re.match(r"^(yeah|yea|yeh|ya) (nah|na|no)\b", rest):
        return "no"  # Australian "yeah nah": no
    if re.match(r"^(nah|na) (yeah|yea|yeh)\b", rest):
        return "yes"
    if first in WEAK_YES and len(words) > 4:
        return None  # "sure, that's the classic approach", "true if the files match"
    if re.match(r"^(i )?(dont|do not|am not|im not|have not|havent|didnt|did not|wasnt|"
                r"arent|not at all|not really|no way|i think not|not me|not that i know|not to my knowledge|not to my knowlege|"
                r"probably not|doubt it|i doubt it|not in the (slightest|least)|nuh uh|nu uh|"
                r"not (at the moment|right now|now|currently|yet|atm|rn|at present|for now|anymore|any more|"
                r"this year|these days)\b)", rest):
        return "no"  # "not at the moment, maybe in a couple of years": no, for now
    if re.match(r"^hindi (po|pa|na|naman)\b", rest):
        return "no"  # Filipino "hindi po": no
    if re.match(r"^(theres|there is|there s) (nothing|no|none)\b", rest):
        return "no"  # "there's nothing special happening"
    if re.match(r"^(definitely|absolutely|certainly|of course|hell|surely) (not|no)\b", rest):
        return "no"
    if first in NO_WORDS or re.fullmatch(r"no+|n+o+p+e+|na+h+", first):
        return "no"
    if first in YES_WORDS or re.fullmatch(r"ye+s*|ya+|yu+p|ye+a+h*|y+|yeh+|yes+(sir|maam)", first):
        return "yes"
    if re.fullmatch(r"(100 ?%?|100 percent|you got it|thats accurate|accurate|thats correct|"
                    r"spot on|yes indeed|that is correct)", rest):
        return "yes"
    if " ".join(words) in {"i am", "im", "i do", "i have", "i did", "i was", "i think so",
                           "i guess", "i guess so", "of course", "for sure", "thats right",
                           "that is right", "uh huh", "i am yes", "i do yes", "yes i am", "we are", "we do",
                           "we have", "were", "we are yes"}:
        return "yes"
    return None
