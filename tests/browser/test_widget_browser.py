"""The chat widget in real headless Chromium, against a real uvicorn server and a scripted bot.

The scripted bot walks a few intake questions the way the Rasa form does, so these tests need
no trained model; they check what the patient sees and does: typing, buttons, reloading,
photos, and that nothing they type runs as code.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PIL import Image

from bot.config import ROOT, Settings
from bot.models import IntakeSummary, Status
from bot.store import IntakeStore
from bot.web import photos
from bot.web.app import create_app, reply_text
from tests.browser import serve_app
from tests.staff_samples import PASSWORD, stores

pytestmark = pytest.mark.browser  # without Chromium: fails under `make test`/CI (conftest)

SCREENSHOT = Path("/tmp/widget-375.png")
DOCS_SCREENSHOT = ROOT / "docs" / "screenshots" / "widget.png"  # rewritten on every run
GUIDE_SCREENSHOT = Path("/tmp/widget-photo-guide.png")
DOCS_GUIDE_SCREENSHOT = ROOT / "docs" / "screenshots" / "photo-guide.png"
DOCS_STAFF_PHOTOS_SCREENSHOT = ROOT / "docs" / "screenshots" / "staff-photos.png"
DOCS_SPANISH_SCREENSHOT = ROOT / "docs" / "screenshots" / "widget-es.png"
TIMEOUT_MS = 10_000


class ScriptedRasa:
    """A Rasa stand-in that asks a few intake questions in order, one script per sender."""

    QUESTIONS = [
        lambda said: [{"text": "Hi! I'm the intake assistant.\nWhat's your first name?"}],
        lambda said: [
            {"text": f"Thanks, {said}."},
            {
                "text": "Do those lines show at rest, only with expression, or both?",
                "buttons": [
                    {"title": "At rest", "payload": "at rest"},
                    {"title": "With expression", "payload": "only with expression"},
                    {"title": "Both", "payload": "both"},
                ],
            },
        ],
        lambda said: [
            {
                "text": "Could you share a few recent photos? You can upload them, or bring them.",
                "buttons": [
                    {"title": "I'll upload", "payload": "I'll upload them"},
                    {"title": "Skip", "payload": "no"},
                ],
            }
        ],
        lambda said: [{"text": "Do you take any medicines or supplements?"}],
        lambda said: [{"text": "Thank you! That's everything for now."}],
    ]

    # After "Español" (the widget's language button), as the assistant does in Spanish.
    SPANISH = [
        lambda said: [{"text": "¡Hola! Soy el asistente de la clínica.\n¿Cuál es su nombre?"}],
        lambda said: [{
            "text": "¿Podría compartir algunas fotos? Le voy guiando, una pose a la vez.",
            "buttons": [{"title": "Las subo", "payload": "las subo ahora"},
                        {"title": "Saltar", "payload": "no"}],
        }],
        lambda said: [{"text": "¿Toma algún medicamento o suplemento?"}],
    ]

    def __init__(self, store: IntakeStore | None = None, delay: float = 0.4) -> None:
        self.store = store
        self.delay = delay  # long enough for the typing indicator to be seen
        self.calls: list[dict] = []
        self.step: dict[str, int] = {}
        self.spanish: set[str] = set()

    async def send(self, sender: str, message: str, metadata: dict | None = None) -> list[dict]:
        """Record the call, save the intake as the bot's first turn does, answer with the
        sender's next question."""
        self.calls.append({"sender": sender, "message": message, "metadata": metadata})
        if message == "Español" and sender not in self.spanish:
            self.spanish.add(sender)
            self.step[sender] = 0
            if self.store is not None:
                self.store.save_summary(IntakeSummary(conversation_id=sender,
                                                      conversation_language="es"))
        if self.store is not None and self.store.get_summary(sender) is None:
            self.store.save_summary(IntakeSummary(conversation_id=sender))
        await asyncio.sleep(self.delay)
        step = self.step.get(sender, 0)
        self.step[sender] = step + 1
        script = self.SPANISH if sender in self.spanish else self.QUESTIONS
        question = script[min(step, len(script) - 1)]
        return [{"recipient_id": sender, **reply} for reply in question(message)]


def gps_jpeg(path: Path) -> Path:
    """A JPEG carrying a GPS position and camera make, like a phone photo."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (40.0, 26.0, 46.0), 3: "W", 4: (79.0, 58.0, 56.0)})
    Image.new("RGB", (64, 48), (210, 150, 130)).save(path, "JPEG", exif=exif)
    return path


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("widget") / "intake.db"


@pytest.fixture(scope="module")
def rasa(db_path) -> ScriptedRasa:
    return ScriptedRasa(IntakeStore(db_path))


@pytest.fixture(scope="module")
def base_url(db_path, rasa):
    settings = Settings(secret_key="browser-secret", db_path=db_path, clinic_name="Brightside Aesthetics")
    app = create_app(settings, IntakeStore(db_path), rasa)
    with serve_app(app) as url:
        yield url


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base_url)
    page.wait_for_selector("#quick button")  # history loaded (or the start button shown)
    yield page
    context.close()


def texts(page, role: str) -> list[str]:
    """What the log shows for one side of the conversation, bubble by bubble."""
    return page.locator(f".msg.{role} .text").all_inner_texts()


def focus_by_tab(page, predicate: str, limit: int = 15, key: str = "Tab") -> None:
    """Press Tab until document.activeElement satisfies the JS predicate `el => ...`."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"({predicate})(document.activeElement)"):
            return
    raise AssertionError(f"keyboard focus never reached {predicate}")


def test_patient_chats_by_keyboard_and_buttons_and_picks_up_after_reload(page, rasa):
    assert page.get_by_role("log", name="Conversation").count() == 1
    assert page.get_by_label("Your message").count() == 1

    focus_by_tab(page, "el => el.id === 'message'")
    page.keyboard.type("hello")
    page.keyboard.press("Enter")
    page.wait_for_selector("#typing:not([hidden])")  # the indicator shows while the bot thinks
    page.get_by_text("What's your first name?").wait_for()
    assert page.locator("#typing").is_hidden()
    assert texts(page, "bot")[0] == "Hi! I'm the intake assistant.\nWhat's your first name?"

    page.keyboard.type("Dana")  # focus stayed in the message box
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Both").click()
    page.get_by_text("Could you share a few recent photos?").wait_for()

    page.reload()
    page.get_by_text("Could you share a few recent photos?").wait_for()
    assert texts(page, "patient") == ["hello", "Dana", "Both"]
    focus_by_tab(page, "el => el.textContent === 'Skip'")  # the offered buttons came back too
    page.keyboard.press("Enter")
    page.get_by_text("Do you take any medicines or supplements?").wait_for()
    assert len({call["sender"] for call in rasa.calls}) == 1  # one conversation throughout
    assert [call["message"] for call in rasa.calls][-2:] == ["both", "no"]


def attach(page, path: Path) -> None:
    """Choose one file for the pose the photo guide shows (opened with the camera button)."""
    if page.locator("#photo-guide").is_hidden():
        page.get_by_role("button", name="Open the photo guide").click()
    take_photo(page, path)


def take_photo(page, path: Path) -> None:
    """"Take or choose photo" in the open guide, choosing path in the file chooser."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Take or choose photo").click()
    chooser.value.set_files(str(path))


def test_photo_upload_strips_gps_and_a_text_file_is_refused(page, db_path, tmp_path):
    attach(page, gps_jpeg(tmp_path / "IMG_0000.jpg"))  # before the intake has begun
    page.locator(".msg.note", has_text=reply_text("photo_needs_conversation")).wait_for()
    assert page.locator(".msg.photo").count() == 0
    page.get_by_role("button", name="Start my intake").click()
    page.get_by_text("What's your first name?").wait_for()

    attach(page, gps_jpeg(tmp_path / "IMG_0001.jpg"))
    page.get_by_text("Thanks, I've got your photo: Face at rest.").wait_for()
    page.locator(".msg.photo img").first.wait_for()

    [stored] = list((db_path.parent / "photos").glob("*/*.jpg"))
    assert len(Image.open(stored).getexif()) == 0
    assert b"Exif" not in stored.read_bytes() and b"PhoneMaker" not in stored.read_bytes()

    fake = tmp_path / "holiday.jpg"
    fake.write_text("these are my notes, not a picture")
    take_photo(page, fake)
    page.locator(".msg.note", has_text=photos.refusal(photos.NOT_A_PHOTO)).wait_for()
    assert page.locator(".msg.photo").count() == 1  # the refused file left no thumbnail


def test_guided_photos_on_a_phone_are_labelled_side_by_side_on_the_staff_page(
        page, browser, base_url, db_path, rasa, tmp_path):
    page.get_by_role("button", name="Start my intake").click()
    page.get_by_text("What's your first name?").wait_for()
    page.keyboard.type("Dana")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Both").click()
    page.get_by_role("button", name="I'll upload").click()  # opens the guide by itself
    guide = page.get_by_role("region", name="Photo guide")
    guide.wait_for()
    assert guide.locator(".guide-step").inner_text() == "Photo 1 of 5: Face at rest"
    assert "relaxed" in guide.locator(".guide-ask").inner_text()

    take_photo(page, gps_jpeg(tmp_path / "rest.jpg"))
    page.get_by_text("Thanks, I've got your photo: Face at rest.").wait_for()
    guide.locator(".guide-step", has_text="Photo 2 of 5: Frowning").wait_for()
    take_photo(page, gps_jpeg(tmp_path / "frown.jpg"))
    guide.locator(".guide-step", has_text="Photo 3 of 5: Eyebrows raised").wait_for()
    page.get_by_role("button", name="Skip this one").click()
    guide.locator(".guide-step", has_text="Photo 4 of 5: Big smile").wait_for()
    take_photo(page, gps_jpeg(tmp_path / "smile.jpg"))
    guide.locator(".guide-step", has_text="Photo 5 of 5: A photo you like").wait_for()
    page.screenshot(path=str(GUIDE_SCREENSHOT))  # the guide as a patient sees it on a phone
    page.screenshot(path=str(DOCS_GUIDE_SCREENSHOT))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for name in ("Take or choose photo", "Skip this one", "Done for now"):
        assert page.get_by_role("button", name=name).bounding_box()["height"] >= 44
    page.get_by_role("button", name="Skip this one").click()
    guide.locator(".guide-step", has_text="All done").wait_for()
    steps = dict(zip(guide.locator(".guide-steps li").evaluate_all(
        "items => items.map(li => li.dataset.pose)"), guide.locator(".guide-steps li").evaluate_all(
        "items => items.map(li => li.className)")))
    assert steps == {"rest": "taken", "frown": "taken", "brows": "skipped", "smile": "taken",
                     "favourite": "skipped"}
    page.get_by_role("button", name="Done for now").click()
    assert guide.is_hidden()
    captions = page.locator(".msg.photo .caption").all_inner_texts()
    assert captions == ["Photo sent: Face at rest", "Photo sent: Frowning", "Photo sent: Big smile"]

    conversation_id = rasa.calls[-1]["sender"]
    stores(db_path)  # the clinic's two staff accounts, in the app's own database
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    desk.set_default_timeout(TIMEOUT_MS)
    try:
        staff = desk.new_page()
        staff.goto(f"{base_url}/staff")
        staff.get_by_label("Username").fill("dr.lee")
        staff.get_by_label("Password").fill(PASSWORD)
        staff.get_by_role("button", name="Sign in").click()
        staff.get_by_role("heading", name="Intake queue").wait_for()
        staff.goto(f"{base_url}/staff/intakes/{conversation_id}")
        grid = staff.locator(".pose-grid")
        grid.wait_for()
        figures = grid.locator("figure")
        assert figures.evaluate_all("fs => fs.map(f => f.dataset.pose)") == [
            "rest", "frown", "brows", "smile"]
        assert figures.locator("figcaption").all_inner_texts() == [
            "Face at rest", "Frowning", "Brows raised: missing", "Smiling (crow's feet)"]
        for pose in ("rest", "frown", "smile"):  # each photo really loads beside the others
            image = grid.locator(f"figure[data-pose={pose}] img")
            image.wait_for()
            staff.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                    arg=image.element_handle())
        boxes = [grid.locator(f"figure[data-pose={p}]").bounding_box() for p in ("rest", "frown")]
        assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"]  # side by side
        assert "Poses missing: Brows raised." in staff.inner_text("main")
        staff.locator("section", has=staff.get_by_role("heading", name="Photos")).screenshot(
            path=str(DOCS_STAFF_PHOTOS_SCREENSHOT))
    finally:
        desk.close()


def test_markup_typed_by_a_patient_is_shown_as_text(page):
    page.get_by_role("button", name="Start over").click()
    page.get_by_role("button", name="Yes, start over").click()
    page.get_by_role("button", name="Start my intake").click()
    page.get_by_text("What's your first name?").wait_for()
    attack = "<img src=x onerror=alert(1)>"
    page.get_by_label("Your message").fill(attack)
    page.get_by_role("button", name="Send").click()
    page.get_by_text(f"Thanks, {attack}.").wait_for()  # the bot echoes it back, also as text
    assert texts(page, "patient")[-1] == attack
    assert page.locator("#log img").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == []


def test_fits_a_375px_phone_screen(page):
    page.get_by_role("button", name="Start my intake").click()
    page.get_by_text("What's your first name?").wait_for()
    page.get_by_label("Your message").fill("Dana, and a long word: supercalifragilisticexpialidocious-" * 2)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="With expression").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    for selector in ("#send", "#attach", "#message", "#quick button"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
        assert box["height"] >= 44  # comfortable to tap
    page.screenshot(path=str(SCREENSHOT))  # what the patient sees: the latest question in view
    assert SCREENSHOT.stat().st_size > 0


def test_the_key_hint_shows_only_where_there_is_a_keyboard(page, browser, base_url):
    assert page.locator("#hint").is_visible()  # the photo limits still show on a phone
    assert f"Up to {photos.MAX_PHOTOS} photos" in page.locator("#hint").inner_text()
    assert "Enter" not in page.locator("#hint").inner_text()
    desktop = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        laptop = desktop.new_page()
        laptop.goto(base_url)
        assert laptop.locator("#hint").inner_text().startswith("Press Enter to send")
    finally:
        desktop.close()


def test_screenshot_of_the_widget_mid_conversation(page):
    page.get_by_role("button", name="Start my intake").click()
    page.get_by_text("What's your first name?").wait_for()
    page.get_by_label("Your message").fill("Dana")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="With expression").wait_for()
    privacy = page.locator(".privacy")
    assert privacy.inner_text() == ("Your answers go only to the care team at Brightside "
                                    "Aesthetics. Privacy notice")
    assert privacy.get_by_role("link", name="Privacy notice").get_attribute("href") == "/privacy"
    for shown in (privacy, page.get_by_role("button", name="Both")):
        box = shown.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 740  # in the picture
    DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS_SCREENSHOT))
    assert Image.open(DOCS_SCREENSHOT).size == (750, 1480)  # 375 x 740 at 2x


def test_typing_restart_after_sending_shows_a_fresh_conversation(page, rasa, db_path):
    page.get_by_role("button", name="Start my intake").click()
    page.get_by_text("What's your first name?").wait_for()
    sent = rasa.calls[-1]["sender"]
    store = IntakeStore(db_path)
    store.save_summary(IntakeSummary(conversation_id=sent, status=Status.COMPLETED))  # sent
    before = store.get_summary(sent).model_dump()
    page.get_by_label("Your message").fill("restart")
    page.keyboard.press("Enter")
    page.get_by_text("New conversation started.").wait_for()
    page.locator(".msg.bot").first.wait_for()
    assert texts(page, "patient") == ["restart"]
    assert texts(page, "bot") == ["Hi! I'm the intake assistant.\nWhat's your first name?"]
    assert rasa.calls[-1]["sender"] != sent
    assert store.get_summary(sent).model_dump() == before


def test_the_language_button_holds_the_whole_widget_in_spanish_photo_guide_included(
        page, db_path, rasa, tmp_path):
    language = page.get_by_role("button", name="Continuar en español")
    assert language.inner_text() == "Español" and language.get_attribute("lang") == "es"
    language.click()
    page.get_by_text("¿Cuál es su nombre?").wait_for()
    assert texts(page, "patient") == ["Español"]
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.get_by_role("button", name="Enviar").count() == 1
    assert page.get_by_label("Su mensaje").get_attribute("placeholder") == "Escriba su respuesta"
    assert page.get_by_role("button", name="Continue in English").inner_text() == "English"
    assert page.get_by_role("button", name="Empezar de nuevo").count() == 1
    assert page.locator("h1").inner_text() == "Antes de su consulta"

    page.get_by_label("Su mensaje").fill("Ana")
    page.get_by_role("button", name="Enviar").click()
    page.get_by_role("button", name="Las subo").click()  # opens the guide, in Spanish
    guide = page.get_by_role("region", name="Guía de fotos")
    guide.wait_for()
    assert guide.locator(".guide-step").inner_text() == "Foto 1 de 5: Cara en reposo"
    assert guide.locator(".guide-ask").inner_text().startswith("Su cara en reposo")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Tomar o elegir foto").click()
    chooser.value.set_files(str(gps_jpeg(tmp_path / "reposo.jpg")))
    page.get_by_text("Gracias, recibí su foto: Cara en reposo.").wait_for()
    guide.locator(".guide-step", has_text="Foto 2 de 5: Frunciendo el ceño").wait_for()
    assert page.locator(".msg.photo .caption").all_inner_texts() == ["Foto enviada: Cara en reposo"]
    page.screenshot(path=str(DOCS_SPANISH_SCREENSHOT))

    page.reload()  # the conversation comes back in Spanish, labels and all
    page.get_by_text("¿Toma algún medicamento o suplemento?").wait_for()
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.get_by_role("button", name="Enviar").count() == 1
    conversation_id = rasa.calls[-1]["sender"]
    store = IntakeStore(db_path)
    assert list(store.photo_poses(conversation_id).values()) == ["rest"]  # labelled for staff
