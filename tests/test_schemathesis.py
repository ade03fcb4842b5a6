"""The staff API against its own OpenAPI description (FastAPI's /openapi.json), with schemathesis.

Schemathesis generates requests from the description, valid and invalid ones, and checks the
answers: never a server error, bodies that fit the documented schema. Two more checks are ours:
every error explains itself in a JSON `detail`, and a 200 for an intake is an IntakeSummary
(the description documents no response models, so the schema check alone would accept
anything). Without a token, every request must be a 401.
"""
from __future__ import annotations

import io

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from PIL import Image
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from bot.config import Settings
from bot.models import IntakeSummary
from bot.store import IntakeStore
from bot.web import photos
from bot.web.app import create_app
from bot.web.rasa_client import FakeRasaClient
from tests.staff_samples import deferred

BOUNDED = settings(max_examples=25, deadline=None, database=None,
                   suppress_health_check=list(HealthCheck))
INTAKE = "conv-defer"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """An app whose store holds one intake with one photo, and a staff API token."""
    db_path = tmp_path_factory.mktemp("staff-api") / "intake.db"
    store = IntakeStore(db_path)
    store.save_summary(deferred(INTAKE))
    image = io.BytesIO()
    Image.new("RGB", (32, 32), "tan").save(image, "JPEG")
    clean = photos.clean_photo(image.getvalue())
    photo_id, relative = photos.save_photo(photos.photos_root(db_path), INTAKE, clean)
    store.add_photo(INTAKE, photo_id, relative, clean.media_type, photos.MAX_PHOTOS)
    # The description is off by default (INTAKE_API_DOCS); these tests turn it on to read it.
    app = create_app(Settings(secret_key="schema-secret", db_path=db_path, api_docs=True), store,
                     FakeRasaClient())
    return {"app": app, "token": store.create_api_token("schemathesis"), "photo_id": photo_id}


@pytest.fixture(scope="module")
def staff_api(world):
    return schemathesis.openapi.from_asgi("/openapi.json", world["app"])


schema = schemathesis.pytest.from_fixture("staff_api").include(path_regex="^/api/intakes")


def with_token(case, token: str | None) -> None:
    """Replace whatever Authorization header was generated (FastAPI documents it as a param)."""
    case.headers = {k: v for k, v in (case.headers or {}).items()
                    if k.lower() != "authorization"}
    if token is not None:
        case.headers["Authorization"] = f"Bearer {token}"


def errors_explain_themselves(ctx, response, case) -> None:
    """Every 4xx carries a JSON `detail` (a message, or FastAPI's list of validation errors)."""
    if response.status_code >= 400:
        detail = response.json().get("detail")
        assert isinstance(detail, (str, list)) and detail, response.text


def intakes_are_summaries(ctx, response, case) -> None:
    """A 200 from the intake routes is made of IntakeSummary objects, the staff API contract."""
    if response.status_code != 200 or "json" not in response.headers.get("content-type", [""])[0]:
        return
    body = response.json()
    for item in body["intakes"] if "intakes" in body else [body]:
        IntakeSummary.model_validate(item)


CHECKS = [not_a_server_error, response_schema_conformance, errors_explain_themselves,
          intakes_are_summaries]


@schema.parametrize()
@BOUNDED
def test_staff_api_with_a_valid_token(case, world):
    with_token(case, world["token"])
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code != 401


@schema.parametrize()
@BOUNDED
def test_staff_api_without_a_token_is_always_401(case):
    with_token(case, None)
    response = case.call()
    if case.method.upper() != case.operation.method.upper():  # schemathesis tries other verbs
        assert response.status_code == 405, response.text
        return
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == ["Bearer"]
    assert response.json() == {"detail": "A valid staff API token is required."}


@pytest.mark.parametrize("path", ["/api/intakes", "/api/intakes/{conversation_id}",
                                  "/api/intakes/{conversation_id}/photos/{photo_id}"])
def test_the_existing_intake_and_photo_pass_the_same_checks(staff_api, world, path):
    operation = staff_api[path]["GET"]
    params = {"conversation_id": INTAKE, "photo_id": world["photo_id"]}
    case = operation.Case(path_parameters={k: v for k, v in params.items() if "{" + k in path})
    with_token(case, world["token"])
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code == 200


def test_the_description_covers_the_staff_api(world):
    paths = TestClient(world["app"]).get("/openapi.json").json()["paths"]
    assert {"/api/intakes", "/api/intakes/{conversation_id}",
            "/api/intakes/{conversation_id}/photos/{photo_id}"} <= set(paths)
