"""Patient photos: check what a file really is, strip every bit of metadata, store it privately.

A photo from a phone carries EXIF: where it was taken (GPS), when, on which device. None of
that belongs in an intake, so a photo is decoded and only its pixels are written back out.
The file name and the declared content type are ignored: the bytes decide.

    >>> from io import BytesIO
    >>> from PIL import Image
    >>> buffer = BytesIO(); Image.new("RGB", (4, 2)).save(buffer, "PNG")
    >>> clean_photo(buffer.getvalue()).media_type
    'image/jpeg'
"""
from __future__ import annotations

import io
import os
import re
import secrets
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from bot import photo_guide
from bot.language import patient_text

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 8  # the guided set of five (bot.photo_guide) and a few retakes
MAX_PIXELS = 50_000_000  # about 8660 x 5770; bigger is a decompression bomb, not a selfie
JPEG_QUALITY = 90

# Why a photo was refused: keys of the `photos` section of bot/catalogue/patient.<lang>.yml.
NOT_A_PHOTO, HEIC_UNSUPPORTED, TOO_BIG, TOO_MANY, EMPTY, TOO_LARGE_IMAGE = (
    "not_a_photo", "heic_unsupported", "too_big", "too_many", "empty", "too_large_image")

_SAFE_FOLDER = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}")


class PhotoRefused(ValueError):
    """The file can't be accepted; `key` names the reason, `message()` tells the patient."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key

    def message(self, language: str = "en") -> str:
        """Why the photo was refused, for the patient, in the conversation's language."""
        return refusal(self.key, language)


def refusal(key: str, language: str = "en") -> str:
    """A photo refusal (NOT_A_PHOTO, TOO_MANY...) as the patient reads it.

    >>> refusal(TOO_MANY).startswith("Thanks, I already have 8 photos")
    True
    """
    return patient_text("photos", key, language, limit=MAX_PHOTOS)


@dataclass(frozen=True)
class CleanPhoto:
    """Re-encoded pixels without metadata, ready to store."""

    data: bytes
    media_type: str  # "image/jpeg" or "image/png"
    extension: str  # "jpg" or "png"
    size: tuple[int, int]


def sniff_format(data: bytes) -> str | None:
    """The image format named by the file's first bytes ("JPEG", "PNG", "WEBP", "HEIC"), or None."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"hevc", b"hevx", b"heim",
                                               b"heis", b"mif1", b"msf1"):
        return "HEIC"
    return None


def clean_photo(data: bytes) -> CleanPhoto:
    """Check that data is a JPEG, PNG, WebP (or HEIC Pillow can open) photo and re-encode it.

    EXIF orientation is applied to the pixels first, so the photo still stands the right way
    up once the metadata is gone. Raises PhotoRefused with a message for the patient.
    """
    if not data:
        raise PhotoRefused(EMPTY)
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoRefused(TOO_BIG)
    kind = sniff_format(data)
    if kind is None:
        raise PhotoRefused(NOT_A_PHOTO)
    image = _decode(data, kind)
    image = ImageOps.exif_transpose(image)  # returns a copy without the orientation tag
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    # A new image from the raw pixels carries no info dict at all: no EXIF, XMP, ICC, text.
    pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    buffer = io.BytesIO()
    if has_alpha:
        pixels.save(buffer, "PNG", optimize=True)
        return CleanPhoto(buffer.getvalue(), "image/png", "png", pixels.size)
    pixels.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanPhoto(buffer.getvalue(), "image/jpeg", "jpg", pixels.size)


def _decode(data: bytes, kind: str) -> Image.Image:
    """Fully decoded first frame, or PhotoRefused; the decoded format must match the bytes."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[kind] if kind != "HEIC" else None)
            if image.width * image.height > MAX_PIXELS:
                raise PhotoRefused(TOO_LARGE_IMAGE)
            image.load()
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(TOO_LARGE_IMAGE) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        # Pillow raises all of these for truncated or malformed files.
        raise PhotoRefused(HEIC_UNSUPPORTED if kind == "HEIC" else NOT_A_PHOTO) from None
    if kind == "HEIC" and (image.format or "").upper() not in ("HEIF", "HEIC"):
        raise PhotoRefused(NOT_A_PHOTO)
    return image


def photos_root(db_path: Path) -> Path:
    """Where photos live: next to the database, outside anything the web app serves."""
    return Path(db_path).parent / "photos"


def conversation_folder(root: Path, conversation_id: str) -> Path:
    """The folder for one conversation's photos; refuses ids that are not a safe folder name."""
    if not _SAFE_FOLDER.fullmatch(conversation_id):
        raise ValueError("conversation id is not usable as a folder name")
    return root / conversation_id


def save_photo(root: Path, conversation_id: str, photo: CleanPhoto) -> tuple[str, str]:
    """Write the photo as root/<conversation_id>/<random>.<ext>; return (photo_id, relative path)."""
    folder = conversation_folder(root, conversation_id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    photo_id = secrets.token_urlsafe(16)
    relative = f"{conversation_id}/{photo_id}.{photo.extension}"
    path = root / relative
    with open(path, "xb") as handle:  # "x": never overwrite
        handle.write(photo.data)
    path.chmod(0o600)
    return photo_id, relative


def photo_file(root: Path, relative: str) -> Path:
    """The absolute path of a stored photo, refusing anything that escapes root."""
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ValueError("photo path escapes the photo folder")
    return path


def orphan_photo_files(store, root: Path, min_age_seconds: float = 3600.0,
                       now: float | None = None) -> list[Path]:
    """Files under root that no intake's photo row names, sorted: photos no staff member can
    see or delete (e.g. uploaded before uploads needed a live intake).

    Files younger than min_age_seconds are left alone: an MMS photo is kept a moment before its
    intake is saved.
    """
    now = time.time() if now is None else now
    found = []
    for folder, _dirs, names in os.walk(root):  # os.walk does not follow symlinked folders
        for name in sorted(names):
            path = Path(folder) / name
            if now - path.lstat().st_mtime < min_age_seconds:
                continue
            if not _is_kept(store, root, path):
                found.append(path)
    return sorted(found)


def _is_kept(store, root: Path, path: Path) -> bool:
    """True if path is the file of a photo row whose conversation has an intake."""
    relative = path.relative_to(root)
    if len(relative.parts) != 2 or path.is_symlink():
        return False
    conversation_id, file_name = relative.parts
    row = store.get_photo(conversation_id, file_name.split(".")[0])
    return (row is not None and row["file"] == relative.as_posix()
            and store.get_summary(conversation_id) is not None)


def remove_photo_files(root: Path, files: list[Path]) -> int:
    """Delete the files, then any conversation folder left empty; how many files went."""
    removed = 0
    for path in files:
        path.unlink(missing_ok=True)
        removed += 1
        folder = path.parent
        if folder != root and folder.parent == root and not any(folder.iterdir()):
            folder.rmdir()
    return removed


PHOTO_MESSAGE = "Photo"  # how a photo appears in the transcript


def keep_photo(store, root: Path, conversation_id: str, clean: "CleanPhoto",
               pose: str | None = None) -> str | None:
    """Save a cleaned photo with its pose (bot.photo_guide key, or None) and link it to the
    intake and the transcript; its id, or None when the intake already has the most photos it
    may carry (the file is then removed again)."""
    from bot.store import PhotoLimitReached

    photo_id, relative = save_photo(root, conversation_id, clean)
    try:
        store.add_photo(conversation_id, photo_id, relative, clean.media_type, MAX_PHOTOS,
                        pose=pose)
    except PhotoLimitReached:
        (root / relative).unlink(missing_ok=True)
        return None
    shown = f"{PHOTO_MESSAGE}: {photo_guide.label(pose)}" if pose else PHOTO_MESSAGE
    store.add_message(conversation_id, "patient", shown, None, photo_id)
    return photo_id
