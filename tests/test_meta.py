"""Meta-tests: the domain, the docs and the code agree with each other and with the contract."""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot import screening
from bot.intake import QUESTIONS, SIDE_QUESTIONS
from bot.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
# The flag contract ships with the repo; the team's copy sits beside the repo in shared/.
CONTRACT = ROOT / "docs" / "contract" / "screening-rules.md"
SHARED_CONTRACT = ROOT.parent / "shared" / "screening-rules.md"
CONTRACT_ROW = re.compile(r"^\| `([a-z_0-9]+)` \| (defer|review|advisory) \|", re.M)


def test_every_question_has_a_question_and_a_rephrased_question():
    for question in QUESTIONS:
        name = "action_ask_confirm" if question == "confirm" else f"utter_ask_{question}"
        if question == "confirm":
            assert name in DOMAIN["actions"]
            continue
        variants = DOMAIN["responses"][name]
        assert any(v.get("condition") for v in variants), f"{name} has no rephrased variant"
        assert any(not v.get("condition") for v in variants)


def test_every_response_the_domain_code_names_exists():
    named = {f"utter_{s}" for s in SIDE_QUESTIONS}
    named |= {f"utter_defer_{code}" for code, sev in screening.DEFAULT_SEVERITIES.items()
              if sev.value == "defer"}
    named |= {f"utter_outcome_{r}" for r in ("defer", "clinician_review", "proceed")}
    for path in [ROOT / "bot" / "intake.py", ROOT / "actions" / "actions.py"]:
        named |= set(re.findall(r'"(utter_[a-z_0-9]+)"', path.read_text()))
    missing = sorted(n for n in named if n not in DOMAIN["responses"])
    assert missing == []


def test_every_slot_the_form_asks_is_in_the_domain_and_the_form():
    assert DOMAIN["forms"]["intake_form"]["required_slots"] == QUESTIONS
    assert set(QUESTIONS) <= set(DOMAIN["slots"])


def test_flag_codes_match_the_contract_and_the_docs():
    contract = set(CONTRACT_ROW.findall(CONTRACT.read_text()))
    assert len(contract) >= 10, f"no flag table found in {CONTRACT}"
    ours = {(c, s.value) for c, s in screening.DEFAULT_SEVERITIES.items()}
    assert ours == contract
    catalogue = (ROOT / "docs" / "flags.md").read_text()
    for code, severity in ours:
        assert re.search(rf"`{code}`\s*\|\s*{severity}", catalogue), f"{code} not in docs/flags.md"
    assert set(screening.REASONS) == set(screening.DEFAULT_SEVERITIES)


def test_the_contract_in_the_repo_is_the_shared_contract():
    if not SHARED_CONTRACT.exists():
        if os.environ.get("CI"):  # CI always has shared/ beside the clone
            pytest.fail(f"{SHARED_CONTRACT} is missing in CI")
        pytest.skip(f"{SHARED_CONTRACT} is not beside the repo; the repo's copy was checked above")
    assert CONTRACT.read_text() == SHARED_CONTRACT.read_text(), (
        f"{CONTRACT.relative_to(ROOT)} differs from {SHARED_CONTRACT}: the flag contract changed; "
        f"copy it (cp {SHARED_CONTRACT} {CONTRACT.relative_to(ROOT)}) and update the code to match")


def test_every_cli_command_has_help():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    for name, sub in commands.items():
        assert sub.description, f"{name} has no description"


def test_the_domain_core_never_imports_rasa_or_a_web_framework():
    core = ["models", "parsing", "screening", "summary", "intake", "text", "lexicon", "dates",
            "config", "store", "checklist", "checkins", "care_store", "care_catalogue",
            "sms_text", "care_scheduler", "sms_sender"]
    for name in core:
        tree = ast.parse((ROOT / "bot" / f"{name}.py").read_text())
        imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
                    for a in n.names}
        imported |= {n.module.split(".")[0] for n in ast.walk(tree)
                     if isinstance(n, ast.ImportFrom) and n.module}
        assert not imported & {"rasa", "rasa_sdk", "fastapi", "starlette", "uvicorn"}, name


@pytest.mark.parametrize("where, env, outcome", [
    ("make test", {"REQUIRE_BROWSER": "1"}, "1 error"),  # fails at setup: the run exits 1
    ("CI", {"CI": "true"}, "1 error"),
    ("a developer's machine", {}, "1 skipped"),
])
def test_a_browser_test_without_chromium_fails_in_ci_and_make_test(where, env, outcome):
    """Without Chromium a browser test is reported, never passed over, where it must run."""
    base = {k: v for k, v in os.environ.items() if k not in ("REQUIRE_BROWSER", "CI")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/browser/test_staff_browser.py::test_markup_in_a_patients_name_never_runs"],
        cwd=ROOT, env={**base, **env, "CHROMIUM": "/nonexistent/chromium"},
        capture_output=True, text=True, timeout=300)
    assert outcome in run.stdout, f"{where}:\n{run.stdout[-2000:]}"
    assert run.returncode == (1 if "error" in outcome else 0), where
    assert "Chromium is not installed" in run.stdout


def test_make_test_lints_first_and_a_lint_error_fails_it():
    """`make lint` runs before the tests and exits non-zero on an error such as an unused import."""
    recipe = re.search(r"^lint:\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert "ruff check" in recipe and "||" not in recipe
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert "set -euo pipefail" in script
    assert script.index("make --no-print-directory lint") < script.index("python -m pytest")
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--stdin-filename", "bot/x.py",
                          "-"], cwd=ROOT, input="import os\n", capture_output=True, text=True)
    assert run.returncode == 1 and "F401" in run.stdout


@pytest.mark.parametrize("required", [True, False])
def test_a_test_needing_postgres_or_redis_fails_in_ci_when_they_cannot_start(monkeypatch,
                                                                             required):
    """Under REQUIRE_SERVICES=1 (make test, make test-scale) or CI: a failure, never a skip."""
    from tests import databases

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("REQUIRE_SERVICES", "1" if required else "0")
    expected = pytest.fail.Exception if required else pytest.skip.Exception
    with pytest.raises(expected):
        databases._missing("scripts/services.sh start failed")
