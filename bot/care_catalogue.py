"""The wording of the pre-appointment checklist and the two-week check-in: one catalogue file per
language (bot/catalogue/care.en.yml, care.es.yml), which a clinic may override entry by entry
with its own file named by CLINIC_CARE_CATALOGUE (English) or CLINIC_CARE_CATALOGUE_ES.

    >>> text = load_care_catalogue()
    >>> text.checklist["review"].startswith("Book your 2-week review")
    True
    >>> load_care_catalogues(env={})["es"].checkin["page_send"]
    'Enviar'
"""
from __future__ import annotations

import os
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import yaml

from bot.language import SPOKEN

CATALOGUES = Path(__file__).resolve().parent / "catalogue"
DEFAULT_CATALOGUE = CATALOGUES / "care.en.yml"
ENV_VAR = "CLINIC_CARE_CATALOGUE"


def env_var(language: str) -> str:
    """The variable naming a clinic's own wording in `language`."""
    return ENV_VAR if language == "en" else f"{ENV_VAR}_{language.upper()}"


@dataclass(frozen=True)
class CareCatalogue:
    """Checklist and check-in texts by key, with {placeholders} still in them."""

    checklist: dict[str, str]
    checkin: dict[str, str]


def load_care_catalogue(path: str | Path | None = None,
                        env: Mapping[str, str] | None = None, language: str = "en"
                        ) -> CareCatalogue:
    """The default catalogue in `language` with the clinic's file (path, else
    CLINIC_CARE_CATALOGUE, or CLINIC_CARE_CATALOGUE_ES for Spanish) over it.

    Raises ValueError for an unknown section or key, a non-text entry, or a placeholder the
    default wording does not have (a typo would otherwise reach a patient as "{clinc}").
    """
    env = os.environ if env is None else env
    base = _read(CATALOGUES / f"care.{language}.yml")
    override_path = path or env.get(env_var(language)) or None
    if override_path:
        for section, entries in _read(Path(override_path)).items():
            if section not in base:
                raise ValueError(f"{override_path}: unknown section {section!r}")
            for key, text in (entries or {}).items():
                _check_entry(override_path, section, key, text, base[section])
                base[section][key] = text
    return CareCatalogue(checklist=base["checklist"], checkin=base["checkin"])


def load_care_catalogues(env: Mapping[str, str] | None = None) -> dict[str, CareCatalogue]:
    """The catalogue of every language an intake is held in, each with the clinic's own file
    for that language over it."""
    return {language: load_care_catalogue(env=env, language=language) for language in SPOKEN}


def _read(path: Path) -> dict[str, dict[str, str]]:
    """A catalogue file as {section: {key: text}}."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected sections checklist: and checkin:")
    return {section: dict(entries or {}) for section, entries in data.items()}


def _check_entry(path: object, section: str, key: str, text: object,
                 defaults: dict[str, str]) -> None:
    """Refuse an override entry the code would not fill in correctly."""
    if key not in defaults:
        raise ValueError(f"{path}: unknown entry {section}.{key}")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{path}: {section}.{key} must be non-empty text")
    allowed = _placeholders(defaults[key])
    extra = _placeholders(text) - allowed
    if extra:
        raise ValueError(f"{path}: {section}.{key} uses {sorted(extra)}; allowed: {sorted(allowed)}")


def _placeholders(text: str) -> set[str]:
    """The {names} in a text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
