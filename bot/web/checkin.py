"""The two-week check-in page (HTTP only; bot/checkins.py decides): `GET /checkin/<secret>`
shows the question, `POST` records the answer and an optional photo.

No sign-in: the secret in the link (256 random bits, only its hash stored) is the key. The page
says nothing about the patient beyond their first name, every value is HTML-escaped, forms from
other sites are refused, and a wrong or used-up link answers 404 like any unknown page.
"""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from bot.checkins import CHOICES, CareService
from bot.care_store import ANSWERED
from bot.web import photos

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates" / "checkin"
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
MAX_FORM_BYTES = photos.MAX_PHOTO_BYTES + 64 * 1024
NOT_FOUND = "This check-in link is not valid."  # no check-in found, so no language to say it in


def create_checkin_router(care: CareService, photo_root: Path) -> APIRouter:
    """The /checkin/<secret> page."""
    pages = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(
        enabled_extensions=("html",), default=True))
    router = APIRouter()

    def render(text: dict[str, str], status_code: int = 200, **values) -> HTMLResponse:
        body = pages.get_template("page.html").render(
            clinic=care.clinic, text=text, choices=[(c, text[f"choice_{c}"]) for c in CHOICES],
            **values)
        return HTMLResponse(body, status_code=status_code, headers={
            "Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"})

    def found(secret: str) -> dict:
        row = care.page(secret[:100])
        if row is None:
            raise HTTPException(404, NOT_FOUND)
        return row

    @router.get("/checkin/{secret}", response_class=HTMLResponse)
    def checkin_page(secret: str) -> HTMLResponse:
        """The question (or, once answered, the thanks)."""
        row = found(secret)
        text = care.page_text(row)
        return render(text, reply=text["already_answered"] if row["status"] == ANSWERED else None)

    @router.post("/checkin/{secret}", response_class=HTMLResponse)
    async def checkin_answer(secret: str, request: Request) -> HTMLResponse:
        """Record the answer and any photo; say what happens next (urgent advice at once)."""
        if request.headers.get("sec-fetch-site") == "cross-site":
            raise HTTPException(403, "Forms from other websites are not accepted.")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
            raise HTTPException(413, photos.refusal(photos.TOO_BIG))
        row = await run_in_threadpool(found, secret)
        async with request.form(max_files=1, max_fields=5) as form:
            choice, details = form.get("answer"), form.get("details")
            upload = form.get("photo")
            data = await upload.read(photos.MAX_PHOTO_BYTES + 1) \
                if isinstance(upload, UploadFile) and upload.filename else b""
        text = await run_in_threadpool(care.page_text, row)
        if choice not in CHOICES:
            return render(text, 422, error=text["page_choose_one"])
        said = details.strip()[:2000] if isinstance(details, str) else ""
        if data:
            await run_in_threadpool(_keep_photo, care, photo_root, row, data)
        reading, reply = await run_in_threadpool(care.answer, row["id"], said, choice)
        return render(text, reply=reply, urgent=reading.urgent)

    return router


def _keep_photo(care: CareService, root: Path, row: dict, data: bytes) -> None:
    """Clean and store the photo for staff; a refused file is logged, never fatal: the answer
    matters more than the photo."""
    try:
        clean = photos.clean_photo(data[:photos.MAX_PHOTO_BYTES + 1])
    except photos.PhotoRefused as refused:
        logger.info("Check-in %s: photo refused (%s)", row["id"], refused)
        return
    photo_id, relative = photos.save_photo(root, row["conversation_id"], clean)
    care.store.add_photo(row["id"], {"id": photo_id, "file": relative,
                                     "media_type": clean.media_type})
