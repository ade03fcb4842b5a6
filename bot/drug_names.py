"""More names of the medicines and supplements that raise a flag: brands sold around the world.

Data only, merged into `bot.lexicon` (MEDICINES, SUPPLEMENTS): EXTRA_NAMES[category][item] adds
names to that item, or makes a new item when the lexicon has none by that name. Names are lower
case, as a patient would type them; a name that is also an everyday English word is left out,
because a brand is matched anywhere in a message.
"""
from __future__ import annotations

EXTRA_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "anticoagulant": {},
    "interacting_medication": {},
    "bleeding_risk_supplement": {},
}
