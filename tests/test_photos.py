"""Patient photos: only real images get in, they lose every bit of metadata, staff can see them."""
from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from bot.config import Settings
from bot.models import IntakeSummary
from bot.store import IntakeStore
from bot.web import photos
from bot.web.app import SESSION_COOKIE, create_app, reply_text
from bot.web.rasa_client import FakeRasaClient

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size: tuple[int, int] = (40, 20), orientation: int = 6) -> bytes:
    """A phone-like JPEG: camera make, orientation and GPS position in its EXIF."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (40.0, 26.0, 46.0), 3: "W", 4: (79.0, 58.0, 56.0)})
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 100)).save(buffer, "JPEG", exif=exif, comment=b"secret note")
    return buffer.getvalue()


def image_bytes(fmt: str, mode: str = "RGB", size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(secret_key="photo-secret", db_path=tmp_path / "intake.db")


@pytest.fixture
def store() -> IntakeStore:
    return IntakeStore(None)


@pytest.fixture
def client(settings, store) -> TestClient:
    """A browser whose intake has begun: it said hello and the bot saved the intake."""
    client = TestClient(create_app(settings, store, FakeRasaClient()))
    client.post("/api/chat", json={"message": "hello"})
    conversation_id = client.cookies[SESSION_COOKIE].split("~")[0]
    store.save_summary(IntakeSummary(conversation_id=conversation_id))  # as the first turn does
    return client


@pytest.fixture
def conversation(client) -> str:
    return client.cookies[SESSION_COOKIE].split("~")[0]


@pytest.fixture
def staff(store) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.create_api_token('tests')}"}


def upload(client: TestClient, data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg",
           pose: str | None = None):
    return client.post("/api/chat/photos", files={"photo": (name, data, content_type)},
                       data={"pose": pose} if pose else None)


# --- cleaning, without the web app ------------------------------------------------------------


def test_clean_photo_drops_exif_gps_and_comments_but_keeps_orientation():
    clean = photos.clean_photo(jpeg_with_gps(size=(40, 20), orientation=6))
    stored = Image.open(io.BytesIO(clean.data))
    assert clean.media_type == "image/jpeg"
    assert stored.size == (20, 40)  # rotated as the phone meant, before the tag went away
    assert len(stored.getexif()) == 0
    assert not {"exif", "comment", "icc_profile", "xmp"} & set(stored.info)
    assert b"Exif" not in clean.data and b"PhoneMaker" not in clean.data and b"secret" not in clean.data


@pytest.mark.parametrize(
    "fmt, mode, media_type",
    [("PNG", "RGB", "image/jpeg"), ("PNG", "RGBA", "image/png"), ("WEBP", "RGB", "image/jpeg"),
     ("JPEG", "CMYK", "image/jpeg"), ("PNG", "P", "image/jpeg")],
)
def test_supported_formats_are_re_encoded(fmt, mode, media_type):
    clean = photos.clean_photo(image_bytes(fmt, mode))
    assert clean.media_type == media_type
    assert Image.open(io.BytesIO(clean.data)).size == (8, 8)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"just some notes about my face", photos.NOT_A_PHOTO),
        (b"%PDF-1.7\n...", photos.NOT_A_PHOTO),
        (image_bytes("GIF"), photos.NOT_A_PHOTO),
        (image_bytes("JPEG")[:40], photos.NOT_A_PHOTO),  # truncated
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", photos.HEIC_UNSUPPORTED),
        (b"", photos.EMPTY),
    ],
    ids=["text", "pdf", "gif", "truncated-jpeg", "heic", "empty"],
)
def test_files_that_are_not_usable_photos_are_refused_kindly(data, message):
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.clean_photo(data)
    assert refused.value.key == message
    assert refused.value.message() == photos.refusal(message) and "photo" in photos.refusal(message)


def test_folder_names_never_leave_the_photo_folder(tmp_path):
    for bad in ("../etc", "a/b", ".hidden", ""):
        with pytest.raises(ValueError):
            photos.conversation_folder(tmp_path, bad)


# --- upload through the widget endpoint -------------------------------------------------------


def test_uploaded_photo_is_stored_privately_without_exif(client, settings, store, conversation):
    response = upload(client, jpeg_with_gps())
    assert response.status_code == 200, response.text
    body = response.json()
    assert f"1 of {photos.MAX_PHOTOS}" in body["messages"][0]["text"]
    photo_id = body["photo"]["id"]
    root = settings.db_path.parent / "photos"
    [stored] = list((root / conversation).iterdir())
    assert stored.name.startswith(photo_id) and stored.suffix == ".jpg"
    assert photo_id not in ("photo", "photo.jpg")  # the patient's file name is not used
    image = Image.open(stored)
    assert len(image.getexif()) == 0 and "exif" not in image.info
    assert b"Exif" not in stored.read_bytes()
    assert store.photo_refs(conversation) == [photo_id]


def test_photo_shows_in_history_and_the_patient_can_see_it_again(client, conversation):
    photo_id = upload(client, jpeg_with_gps()).json()["photo"]["id"]
    messages = client.get("/api/chat/history").json()["messages"]
    assert messages[-2]["photo_url"] == f"/api/chat/photos/{photo_id}"
    assert messages[-1]["text"].startswith("Thanks")
    mine = client.get(f"/api/chat/photos/{photo_id}")
    assert mine.status_code == 200 and mine.headers["content-type"] == "image/jpeg"
    assert mine.headers["Cache-Control"] == "no-store"
    stranger = TestClient(client.app)
    assert stranger.get(f"/api/chat/photos/{photo_id}").status_code == 404


def test_text_file_named_jpg_is_refused(client, settings, conversation):
    response = upload(client, b"hello, this is not a picture", name="face.jpg")
    assert response.status_code == 422
    assert response.json()["detail"] == photos.refusal(photos.NOT_A_PHOTO)
    assert not (settings.db_path.parent / "photos" / conversation).exists()


def test_oversized_photo_is_refused(client):
    big = jpeg_with_gps() + b"\0" * (photos.MAX_PHOTO_BYTES + 1)
    response = upload(client, big)
    assert response.status_code == 413
    assert response.json()["detail"] == photos.refusal(photos.TOO_BIG)


def test_a_sixth_photo_is_refused(client, store, conversation):
    for _ in range(photos.MAX_PHOTOS):
        assert upload(client, jpeg_with_gps()).status_code == 200
    response = upload(client, jpeg_with_gps())
    assert response.status_code == 409
    assert response.json()["detail"] == photos.refusal(photos.TOO_MANY)
    assert len(store.photo_refs(conversation)) == photos.MAX_PHOTOS


# --- the guided set: one photo per pose ---------------------------------------------------------


def test_guide_lists_the_poses_in_order_and_what_is_still_to_take(client):
    guide = client.get("/api/chat/photo-guide").json()
    assert [p["key"] for p in guide["poses"]] == ["rest", "frown", "brows", "smile", "favourite"]
    assert guide["next"] == "rest" and not any(p["taken"] for p in guide["poses"])
    assert [p["optional"] for p in guide["poses"]] == [False, False, False, False, True]
    assert "frown" in guide["poses"][1]["ask"].lower()


def test_a_photo_sent_for_a_pose_is_labelled_with_it_everywhere(client, store, conversation):
    response = upload(client, jpeg_with_gps(), pose="frown")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["messages"][0]["text"] == "Thanks, I've got your photo: Frowning."
    taken = {p["key"]: p["taken"] for p in body["guide"]["poses"]}
    assert taken["frown"] and not taken["rest"]
    assert body["guide"]["next"] == "rest"  # the first pose still missing
    photo_id = body["photo"]["id"]
    assert store.get_photo(conversation, photo_id)["pose"] == "frown"
    assert store.get_summary(conversation).photo_poses == {photo_id: "frown"}
    # The transcript staff read names the pose too.
    history = client.get("/api/chat/history").json()["messages"]
    assert history[-2]["photo_url"].endswith(photo_id)


def test_a_pose_outside_the_set_is_refused_and_nothing_is_kept(client, settings, store,
                                                               conversation):
    response = upload(client, jpeg_with_gps(), pose="<b>profile</b>")
    assert response.status_code == 422
    assert "photo guide" in response.json()["detail"]
    assert store.photo_refs(conversation) == []
    assert not (settings.db_path.parent / "photos" / conversation).exists()


def test_poses_survive_a_later_save_of_the_summary_by_the_bot(client, store, conversation):
    photo_id = upload(client, jpeg_with_gps(), pose="smile").json()["photo"]["id"]
    later = IntakeSummary(conversation_id=conversation, patient_name="Ana")  # no photos in it
    store.save_summary(later)
    saved = store.get_summary(conversation)
    assert saved.photos == [photo_id] and saved.photo_poses == {photo_id: "smile"}


def test_upload_without_a_file_gets_a_clear_message(client):
    response = client.post("/api/chat/photos", data={"photo": "not a file"})
    assert response.status_code == 422
    assert "photo" in response.json()["detail"]


def test_photos_are_linked_to_the_intake_summary(client, store, conversation):
    first = upload(client, jpeg_with_gps()).json()["photo"]["id"]
    second = upload(client, image_bytes("PNG", "RGBA")).json()["photo"]["id"]
    assert store.get_summary(conversation).photos == [first, second]


def test_a_photo_without_a_conversation_is_refused_and_nothing_is_kept(settings, store):
    browser = TestClient(create_app(settings, store, FakeRasaClient()))
    response = upload(browser, jpeg_with_gps())
    assert response.status_code == 409
    assert response.json() == {"detail": reply_text("photo_needs_conversation")}
    assert "set-cookie" not in response.headers  # no conversation made up for the photo
    assert not (settings.db_path.parent / "photos").exists()


def test_a_photo_before_the_intake_has_begun_is_refused(settings, store):
    rasa = FakeRasaClient(down=True)  # the first message never reached the bot: no intake
    browser = TestClient(create_app(settings, store, rasa))
    browser.post("/api/chat", json={"message": "hello"})
    conversation = browser.cookies[SESSION_COOKIE].split("~")[0]
    response = upload(browser, jpeg_with_gps())
    assert response.status_code == 409
    assert response.json()["detail"] == reply_text("photo_needs_conversation")
    assert store.photo_refs(conversation) == []
    assert not (settings.db_path.parent / "photos").exists()


def test_intake_without_photos_still_works(client, store, staff, conversation):
    store.save_summary(IntakeSummary(conversation_id=conversation))
    response = client.get(f"/api/intakes/{conversation}", headers=staff)
    assert response.status_code == 200 and response.json()["photos"] == []


# --- staff access -----------------------------------------------------------------------------


def test_staff_photo_endpoint_needs_a_token(client, staff, conversation):
    photo_id = upload(client, jpeg_with_gps()).json()["photo"]["id"]
    path = f"/api/intakes/{conversation}/photos/{photo_id}"
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        assert client.get(path, headers=headers).status_code == 401
    response = client.get(path, headers=staff)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert len(Image.open(io.BytesIO(response.content)).getexif()) == 0
    assert client.get(f"/api/intakes/{conversation}/photos/nope", headers=staff).status_code == 404
    assert client.get(f"/api/intakes/other/photos/{photo_id}", headers=staff).status_code == 404


# --- a patient whose intake is in Spanish -----------------------------------------------------


def test_a_spanish_patients_photo_guide_thanks_and_refusals_are_in_spanish(client, store,
                                                                            conversation):
    store.save_summary(IntakeSummary(conversation_id=conversation, conversation_language="es"))
    guide = client.get("/api/chat/photo-guide").json()
    assert [p["title"] for p in guide["poses"]][:2] == ["Cara en reposo", "Frunciendo el ceño"]
    assert guide["poses"][0]["ask"].startswith("Su cara en reposo")
    sent = upload(client, image_bytes("JPEG"), pose="frown").json()
    assert sent["messages"][0]["text"] == "Gracias, recibí su foto: Frunciendo el ceño."
    assert sent["guide"]["poses"][1]["taken"] and sent["guide"]["poses"][1]["title"] == \
        "Frunciendo el ceño"
    assert upload(client, image_bytes("JPEG")).json()["messages"][0]["text"] == \
        "Gracias, recibí su foto (2 de 8)."
    refused = upload(client, b"%PDF-1.7\n...", "notes.pdf", "application/pdf")
    assert refused.status_code == 422
    assert refused.json()["detail"] == photos.refusal(photos.NOT_A_PHOTO, "es")
    assert refused.json()["detail"].startswith("Ese archivo no parece una foto")
    # Staff still see the pose labelled in English.
    assert "Photo: Frowning" in [m["text"] for m in store.list_messages(conversation)]
