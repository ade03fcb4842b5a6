"""The staff CLI's photo cleanup: files no intake names go, the intake's own photos stay."""
from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from PIL import Image

from bot import cli
from bot.models import IntakeSummary
from bot.store import IntakeStore
from bot.web import photos

DAY = 24 * 3600


def a_photo() -> photos.CleanPhoto:
    """A small cleaned JPEG, as an upload leaves it."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "tan").save(buffer, "JPEG")
    return photos.clean_photo(buffer.getvalue())


def age(path: Path, seconds: float) -> Path:
    """Make the file look `seconds` old (no sleeping)."""
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


@pytest.fixture
def clinic(tmp_path) -> dict:
    """A database with one intake and its photo, plus three files no intake names."""
    db_path = tmp_path / "intake.db"
    store = IntakeStore(db_path)
    root = photos.photos_root(db_path)
    store.save_summary(IntakeSummary(conversation_id="kept"))
    kept_id = photos.keep_photo(store, root, "kept", a_photo())
    # A photo recorded for a conversation whose intake never began (the old upload route).
    photo_id, lost = photos.save_photo(root, "no-intake", a_photo())
    store.add_photo("no-intake", photo_id, lost, "image/jpeg", photos.MAX_PHOTOS)
    stray = root / "kept" / "stray.jpg"  # a file with no photo record at all
    stray.write_bytes(b"x")
    _, fresh = photos.save_photo(root, "just-now", a_photo())  # an MMS photo being filed
    for path in root.rglob("*.*"):
        age(path, DAY)
    age(root / fresh, 60)
    return {"env": {"INTAKE_DB": str(db_path)}, "root": root, "store": store,
            "kept": root / store.get_photo("kept", kept_id)["file"], "lost": root / lost,
            "stray": stray, "fresh": root / fresh}


def test_dry_run_lists_the_orphaned_files_and_removes_nothing(clinic, capsys):
    assert cli.main(["cleanup-photos", "--dry-run"], env=clinic["env"]) == 0
    out, err = capsys.readouterr()
    root = clinic["root"]
    assert out.splitlines() == sorted(str(clinic[k].relative_to(root)) for k in ("lost", "stray"))
    assert "2 orphaned photo file(s) found; nothing removed" in err
    assert all(clinic[k].exists() for k in ("kept", "lost", "stray", "fresh"))


def test_cleanup_removes_orphans_and_keeps_intake_photos_and_new_files(clinic, capsys):
    assert cli.main(["cleanup-photos"], env=clinic["env"]) == 0
    assert "2 orphaned photo file(s) removed" in capsys.readouterr().err
    assert not clinic["lost"].exists() and not clinic["stray"].exists()
    assert not clinic["lost"].parent.exists()  # the emptied conversation folder went too
    assert clinic["kept"].exists() and clinic["fresh"].exists()
    [photo_id] = clinic["store"].get_summary("kept").photos
    assert clinic["store"].get_photo("kept", photo_id) is not None


def test_min_age_zero_also_takes_a_file_filed_moments_ago(clinic, capsys):
    assert cli.main(["cleanup-photos", "--min-age-hours", "0"], env=clinic["env"]) == 0
    assert "3 orphaned photo file(s) removed" in capsys.readouterr().err
    assert not clinic["fresh"].exists() and clinic["kept"].exists()


def test_cleanup_with_no_photo_folder_finds_nothing(tmp_path, capsys):
    assert cli.main(["cleanup-photos"], env={"INTAKE_DB": str(tmp_path / "intake.db")}) == 0
    out, err = capsys.readouterr()
    assert out == "" and "0 orphaned photo file(s) removed" in err
