"""Ordinary English that is not about the patient's health raises no flag (issue #8, item 7).

A sample of the sentences `make nlu-eval` reads (every 8th of the 2,000 from text shipped on this
machine: stdlib docstrings, package descriptions and docs), each sent as an opening message and
as the answer to every defer or review question. The full run is
`PYTHONPATH=. .venv/bin/python -m tests.nlu.ordinary_text`.
"""
from __future__ import annotations

import pytest

from tests.nlu.ordinary_text import QUESTIONS, flags_raised, ordinary_sentences

SAMPLE = ordinary_sentences()[::8]


def test_the_sample_is_real_text():
    assert len(SAMPLE) >= 200
    assert len({source for _, source in SAMPLE}) >= 50  # many files, not one document


@pytest.mark.parametrize("asked", [None] + QUESTIONS)
def test_ordinary_sentences_raise_no_flag(asked):
    raised = {sentence: flags for sentence, _ in SAMPLE
              if (flags := flags_raised(sentence, asked))}
    assert not raised, f"asked {asked}: " + "; ".join(
        f"{s!r} -> {f}" for s, f in list(raised.items())[:5])
