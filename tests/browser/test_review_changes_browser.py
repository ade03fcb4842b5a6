"""A review follows the intake, in real headless Chromium against a real uvicorn server.

A clinician reviews an intake; the patient then says they might be pregnant (saved through the
store, as the action server saves every message); the queue puts the intake back in front of
clinicians as "Changed since review", and its page says what changed, when and in the patient's
words. The test saves a 1280 px screenshot of that page to docs/screenshots/staff-intake.png.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from bot.config import Settings
from bot.web.staff import create_staff_router
from tests.browser import serve_app
from tests.staff_samples import PASSWORD, TODAY, deferred, reviewable, stores
from tests.test_review_changes import PREGNANT_WORDS, pregnant, said_no_to_pregnancy

pytestmark = pytest.mark.browser  # without Chromium: fails under `make test`/CI (conftest)

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "staff-intake.png"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    """The staff pages on loopback, and the stores behind them."""
    db_path = tmp_path_factory.mktemp("review-changes") / "intake.db"
    intakes, staff = stores(db_path)
    intakes.save_summary(deferred("d-old", "Maya Brooks"))
    intakes.save_summary(said_no_to_pregnancy(reviewable("r-1", "Omar Haddad")))
    settings = Settings(secret_key="review-changes-secret", db_path=db_path,
                        today_override=TODAY.isoformat(), clinic_timezone="UTC")
    app = FastAPI()
    app.include_router(create_staff_router(settings, intakes, staff, None,
                                           db_path.parent / "photos"))
    with serve_app(app) as url:
        yield {"url": url, "intakes": intakes, "staff": staff}


@pytest.fixture
def page(browser, clinic):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=clinic["url"])
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def sign_in(page, username: str) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/staff")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Intake queue").wait_for()


def queue_row(page, name: str):
    """The queue row of a patient."""
    return page.locator("table.queue tbody tr", has_text=name)


def test_a_reviewed_intake_that_changes_comes_back_with_what_changed(page, clinic):
    sign_in(page, "dr.lee")
    page.get_by_role("link", name="Omar Haddad").click()
    page.get_by_label("Review note").fill("Warfarin: plan for bruising.")
    page.get_by_role("button", name="Mark reviewed").click()
    page.get_by_role("status").filter(has_text="Marked as reviewed.").wait_for()
    page.get_by_role("link", name="← Back to the queue").click()
    assert "✓ dr.lee" in queue_row(page, "Omar Haddad").inner_text()

    clinic["intakes"].save_summary(pregnant(reviewable("r-1", "Omar Haddad")))
    [change] = clinic["intakes"].changes_after("r-1")

    page.reload()
    first = page.locator("table.queue tbody tr").first
    assert "Omar Haddad" in first.inner_text()  # deferred now, and changed since its review
    assert first.locator(".badge.changed").inner_text().lower() == "changed since review"
    page.get_by_label("Status").select_option("needs_review")
    page.get_by_role("button", name="Filter").click()
    queue_row(page, "Omar Haddad").locator(".badge.changed").wait_for()

    queue_row(page, "Omar Haddad").get_by_role("link", name="Omar Haddad").click()
    panel = page.locator("section", has=page.get_by_role("heading", name="Changed since review"))
    panel.wait_for()
    text = panel.inner_text()
    assert "New flag: Pregnant or possibly pregnant: Not flagged → Defer" in text
    assert "Recommendation: Clinician review → Defer" in text
    assert "Pregnant: No → Not sure" in text
    assert f"Patient said: “{PREGNANT_WORDS}”" in text
    assert change["changed_at"][:16].replace("T", " ") in text  # when, in clinic time (UTC)
    flags = page.locator("section", has=page.get_by_role("heading", name="Flags"))
    assert flags.locator(".flag-label").all_inner_texts() == [  # labels, not codes
        "Pregnant or possibly pregnant", "Blood thinner or bleeding disorder"]
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert int.from_bytes(SCREENSHOT.read_bytes()[16:20], "big") == 1280  # PNG header width

    page.get_by_label("Review note").fill("Asked her to take a test before booking.")
    page.get_by_role("button", name="Mark reviewed").click()
    page.get_by_role("status").filter(has_text="Marked as reviewed.").wait_for()
    assert page.get_by_role("heading", name="Changed since review").count() == 0
    actions = [e.action for e in reversed(clinic["staff"].audit_log(conversation_id="r-1"))]
    reviews = [i for i, action in enumerate(actions) if action == "review"]
    assert reviews[0] < actions.index("changed_after_review") < reviews[1]
