"""The clinic page in a real browser against the real product: a full intake through the widget."""
from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from tests.browser import launch_chromium
from tests.sim.simulator import DEFAULTS, question_in

pytestmark = [pytest.mark.servers, pytest.mark.browser]  # no Chromium: see tests/conftest.py


def last_bot_texts(page) -> list[str]:
    return page.locator(".msg.bot .text").all_inner_texts()[-3:]


def send(page, text: str) -> None:
    count = page.locator(".msg.bot").count()
    page.fill("#message", text)
    page.keyboard.press("Enter")
    # (the page's CSP forbids eval, so no wait_for_function: poll from Python)
    for _ in range(600):
        if page.locator(".msg.bot").count() > count and page.locator("#typing").is_hidden():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"no reply to {text!r}")


def jpeg_with_gps(path):
    image = Image.new("RGB", (64, 64), (200, 150, 120))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}
    image.save(path, "JPEG", exif=exif.tobytes())
    return path


def test_full_intake_in_the_widget_with_a_photo_and_a_reload(stack, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 375, "height": 740})
        page.set_default_timeout(60_000)
        page.goto(stack.web_url)
        send(page, "hi, I'm not pregnant and I take fish oil")
        reloaded = False
        for _ in range(40):
            texts = last_bot_texts(page)
            if any("sent to the clinic" in t for t in texts):
                break
            question = question_in(texts)
            assert question, texts
            if question == "photos":
                page.click("#attach")  # opens the photo guide at its first pose
                page.get_by_text("Photo 1 of 5:").wait_for()
                with page.expect_file_chooser() as chooser:
                    page.click("#guide-take")
                chooser.value.set_files(str(jpeg_with_gps(tmp_path / "me.jpg")))
                page.get_by_text("Thanks, I've got your photo: Face at rest.").wait_for()
                page.click("#guide-close")
            if question == "neuromuscular" and not reloaded:
                page.reload()
                page.get_by_text("nerve or muscle condition").last.wait_for()
                reloaded = True
            send(page, {"age": "29"}.get(question, DEFAULTS[question]))
        else:
            pytest.fail("the widget intake did not finish")
        assert reloaded
        browser.close()
    token = stack.staff_token()
    api = httpx.Client(base_url=stack.web_url, headers={"Authorization": f"Bearer {token}"})
    web = [s for s in api.get("/api/intakes", params={"status": "completed"}).json()["intakes"]
           if s["channel"] == "web" and s["age"] == 29]
    assert len(web) == 1
    summary = web[0]
    assert [f["code"] for f in summary["flags"]] == ["bleeding_risk_supplement"]
    assert len(summary["photos"]) == 1
    assert summary["photo_poses"] == {summary["photos"][0]: "rest"}
    photo = api.get(f"/api/intakes/{summary['conversation_id']}/photos/{summary['photos'][0]}")
    assert photo.status_code == 200
    assert not Image.open(io.BytesIO(photo.content)).getexif()


def test_staff_sign_in_and_review_an_intake_made_in_the_chat(stack):
    """README path: create an account with the CLI, sign in, find the chat's intake, review it."""
    import subprocess

    from tests.stack import ROOT, VENV_BIN
    from tests.stack import ChatClient

    chat = ChatClient(stack.web_url)
    for message in ["hi, I'm breastfeeding", "Noor Haddad"]:
        chat.say(message)
    subprocess.run([str(VENV_BIN / "python"), "-m", "bot.staff_cli", "create-user", "--username",
                    "dr.lee", "--role", "clinician"], cwd=ROOT, check=True, capture_output=True,
                   env={**stack.env, "STAFF_PASSWORD": "correct horse battery"})
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(base_url=stack.web_url)
        page.set_default_timeout(30_000)
        page.goto("/staff")
        page.get_by_label("Username").fill("dr.lee")
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Intake queue").wait_for()
        page.get_by_role("link", name="Noor Haddad").first.click()
        page.get_by_text("I'm breastfeeding").first.wait_for()  # the patient's own words
        page.get_by_label("Review note").fill("Rebook after breastfeeding.")
        page.get_by_role("button", name="Mark reviewed").click()
        page.get_by_role("status").filter(has_text="Marked as reviewed.").wait_for()
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("heading", name="Staff sign in").wait_for()
        browser.close()
