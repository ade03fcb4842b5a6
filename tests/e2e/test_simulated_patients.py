"""The scripted patients of the simulator, played in-process against the trained model.

The bar: every defer and review flag that applies is raised, none that does not apply.
"""
from __future__ import annotations

import pytest

from bot.config import load_settings
from bot.screening import DEFAULT_SEVERITIES
from bot.store import open_store
from tests.e2e.harness import Patient, load_agent
from tests.sim.simulator import load_scripts, play, report

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]
SEVERITIES = {c: s.value for c, s in DEFAULT_SEVERITIES.items()}


@pytest.fixture(scope="module")
def agent():
    return load_agent()


async def run_one(agent, script):
    patient = Patient(agent)

    async def fetch():
        summary = open_store(load_settings()).get_summary(patient.sender)
        return summary.model_dump(mode="json") if summary else None

    return await play(script, patient.say, fetch, SEVERITIES)


@pytest.mark.parametrize("script", load_scripts(), ids=lambda s: s["id"])
async def test_scripted_patient_gets_exactly_the_expected_flags(agent, script):
    result = await run_one(agent, script)
    assert result.completed, result.error
    assert set(result.flags) == set(script.get("expect_flags") or [])
    assert result.recommendation == script["expect_recommendation"]


async def test_simulator_figures_meet_the_safety_bar(agent):
    results = [await run_one(agent, s) for s in load_scripts()]
    figures = report(results, SEVERITIES)
    assert figures["safety_recall"] == 1.0
    assert figures["false_alarms"] == 0
    assert figures["completion_rate"] == 1.0
