"""The staff review pages in real headless Chromium, against a real uvicorn server on loopback.

A small app holds only the staff router, so these tests do not depend on how bot/web/app.py
mounts it. They check what clinic staff see and do: the deferred patient on top, flags with the
patient's words, marking reviewed, signing out, the front desk's narrower view, and that markup
in a patient's name never runs.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI

from bot.config import Settings
from bot.web.staff import create_staff_router
from tests.browser import serve_app
from tests.staff_samples import PASSWORD, T0, TODAY, deferred, proceeding, reviewable, stores

pytestmark = pytest.mark.browser  # without Chromium: fails under `make test`/CI (conftest)

QUEUE_SCREENSHOT = Path("/tmp/staff_queue.png")
INTAKE_SCREENSHOT = Path("/tmp/staff_intake.png")
TIMEOUT_MS = 10_000
SCRIPT_NAME = "<script>window.__pwned=1</script>"
IMG_NAME = "<img src=x onerror=\"window.__pwned=2;alert(2)\">"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("staff") / "intake.db"
    intakes, staff = stores(db_path)
    intakes.save_summary(proceeding("p-new", "Ana Silva", T0 + timedelta(hours=3)))
    intakes.save_summary(reviewable("r-new", "Omar Haddad", T0 + timedelta(hours=2)))
    intakes.save_summary(deferred("d-old", "Maya Brooks", T0))
    intakes.save_summary(proceeding("xss-script", SCRIPT_NAME, T0 + timedelta(hours=1)))
    intakes.save_summary(proceeding("xss-img", IMG_NAME, T0 + timedelta(hours=1)))
    intakes.add_message("d-old", "patient", "yes, still nursing my 4 month old")
    settings = Settings(secret_key="staff-browser-secret", db_path=db_path,
                        today_override=TODAY.isoformat(), clinic_timezone="UTC")
    app = FastAPI()
    photos = db_path.parent / "photos"
    app.include_router(create_staff_router(settings, intakes, staff, None, photos))
    with serve_app(app) as url:
        yield url


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=base_url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def sign_in(page, username: str) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/staff")
    page.get_by_role("heading", name="Staff sign in").wait_for()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Intake queue").wait_for()


def assert_nothing_ran(page) -> None:
    """No script from patient data ran: the global is unset and no dialog opened."""
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []


def test_clinician_reviews_the_deferred_patient_first_and_signs_out(page):
    sign_in(page, "dr.lee")
    first_row = page.locator("table.queue tbody tr").first
    assert first_row.locator(".patient").inner_text() == "Maya Brooks"
    assert first_row.locator(".badge").inner_text().strip().lower() == "defer"
    # The stylesheet loaded despite the strict CSP (the bar is dark blue, not default white).
    assert page.locator(".topbar").evaluate("el => getComputedStyle(el).backgroundColor") == \
        "rgb(31, 58, 86)"
    page.screenshot(path=str(QUEUE_SCREENSHOT), full_page=True)

    first_row.get_by_role("link", name="Maya Brooks").click()
    flags = page.locator("section", has=page.get_by_role("heading", name="Flags"))
    flags.locator(".flag-label", has_text="Breastfeeding").wait_for()
    assert "yes, still nursing my 4 month old" in flags.inner_text()
    assert "in 9 days" in page.inner_text("main")
    page.screenshot(path=str(INTAKE_SCREENSHOT), full_page=True)

    page.get_by_label("Review note").fill("Rebook once she has stopped breastfeeding.")
    page.get_by_role("button", name="Mark reviewed").click()
    page.get_by_role("status").filter(has_text="Marked as reviewed.").wait_for()
    assert "Rebook once she has stopped breastfeeding." in page.inner_text("main")

    page.get_by_role("link", name="← Back to the queue").click()
    row = page.locator("table.queue tbody tr", has_text="Maya Brooks")
    assert "✓ dr.lee" in row.inner_text()

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Staff sign in").wait_for()
    page.goto("/staff")
    page.get_by_role("heading", name="Staff sign in").wait_for()  # the session is gone
    assert_nothing_ran(page)


def test_front_desk_sees_who_waits_and_why_but_no_medical_answers(page):
    sign_in(page, "frontdesk")
    assert "Reports breastfeeding" in page.inner_text("table.queue")
    page.get_by_role("link", name="Maya Brooks").click()
    page.get_by_role("heading", name="Why treatment must wait").wait_for()
    main = page.inner_text("main")
    assert "maya@example.com" in main
    for medical in ("still nursing", "fish oil", "sertraline", "penicillin", "Flags"):
        assert medical not in main, medical
    assert page.get_by_role("button", name="Mark reviewed").count() == 0
    response = page.goto("/staff/intakes/d-old/fhir")
    assert response.status == 403


def test_markup_in_a_patients_name_never_runs(page):
    sign_in(page, "dr.lee")
    page.get_by_text(SCRIPT_NAME, exact=True).wait_for()  # shown as the text the patient typed
    page.get_by_text(IMG_NAME, exact=True).wait_for()
    assert_nothing_ran(page)
    for conversation_id in ("xss-script", "xss-img"):
        page.goto(f"/staff/intakes/{conversation_id}")
        page.locator("h1.patient-name").wait_for()
        assert page.locator("h1.patient-name").inner_text() in (SCRIPT_NAME, IMG_NAME)
        assert page.locator("main img").count() == 0
        assert_nothing_ran(page)
