"""FHIR R4 export: the Questionnaire and a QuestionnaireResponse obey the R4 rules that matter.

The validator below is a small hand-written check of those rules (required elements, status
codes, exactly one value[x] per answer and of the item's type, linkIds unique and known, no empty
answer lists), so the tests need no network and no extra package.
"""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from bot import fhir
from bot.models import IntakeSummary, Status
from tests.staff_samples import T0, deferred, proceeding, reviewable

QUESTIONNAIRE_STATUS = {"draft", "active", "retired", "unknown"}
RESPONSE_STATUS = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
              "string", "text", "url", "choice", "open-choice", "attachment", "reference",
              "quantity"}
VALUE_FOR_TYPE = {"boolean": "valueBoolean", "integer": "valueInteger", "date": "valueDate",
                  "string": "valueString", "text": "valueString", "choice": "valueCoding"}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def validate_questionnaire(resource: dict) -> dict[str, dict]:
    """Raise AssertionError for an invalid Questionnaire; return its items by linkId."""
    assert resource["resourceType"] == "Questionnaire"
    assert resource["status"] in QUESTIONNAIRE_STATUS
    assert resource["url"].startswith("https://")
    items: dict[str, dict] = {}

    def walk(item_list: list, parent: str | None) -> None:
        assert item_list, "an item list is never empty"
        for item in item_list:
            link_id, kind = item["linkId"], item["type"]
            assert link_id not in items, f"linkId {link_id} is not unique (que-2)"
            assert kind in ITEM_TYPES, kind
            assert item.get("text"), link_id
            items[link_id] = {**item, "parent": parent}
            if kind == "group":
                walk(item["item"], link_id)  # que-1: a group has items
            else:
                assert "item" not in item, link_id
            if "answerOption" in item:
                assert kind in ("choice", "open-choice"), f"que-5 {link_id}"
                for option in item["answerOption"]:
                    assert len([k for k in option if k.startswith("value")]) == 1

    walk(resource["item"], None)
    return items


def validate_response(resource: dict, questionnaire: dict) -> None:
    """Raise AssertionError unless resource is a valid R4 QuestionnaireResponse to questionnaire."""
    items = validate_questionnaire(questionnaire)
    assert resource["resourceType"] == "QuestionnaireResponse"
    assert resource["status"] in RESPONSE_STATUS
    assert resource["questionnaire"].split("|")[0] == questionnaire["url"]
    assert DATETIME.match(resource["authored"]), resource["authored"]

    def walk(item_list: list, parent: str | None) -> None:
        seen: set[str] = set()
        for item in item_list:
            link_id = item["linkId"]
            assert link_id in items, f"unknown linkId {link_id}"
            definition = items[link_id]
            assert definition["parent"] == parent, f"{link_id} is not nested as defined"
            assert item.get("text") == definition["text"], link_id
            if link_id in seen:
                assert definition.get("repeats"), f"{link_id} repeats but may not"
            seen.add(link_id)
            assert not ("answer" in item and "item" in item), f"qrs-1 {link_id}"
            if definition["type"] == "group":
                assert item.get("item"), f"empty group {link_id}"
                walk(item["item"], link_id)
            else:
                check_answers(item, definition)

    walk(resource["item"], None)


def check_answers(item: dict, definition: dict) -> None:
    """Every answer has exactly one value[x], of the item's type and (for choice) an option."""
    answers = item.get("answer")
    assert answers, f"{item['linkId']}: an answer list is never empty"
    if not definition.get("repeats"):
        assert len(answers) == 1, f"{item['linkId']} has several answers but does not repeat"
    for answer in answers:
        values = [key for key in answer if key.startswith("value")]
        assert len(values) == 1, f"{item['linkId']}: exactly one value[x]"
        key = values[0]
        assert key == VALUE_FOR_TYPE[definition["type"]], f"{item['linkId']}: {key}"
        check_value(key, answer[key], definition)


def check_value(key: str, value, definition: dict) -> None:
    """The value has the JSON shape R4 gives its type."""
    if key == "valueInteger":
        assert isinstance(value, int) and not isinstance(value, bool)
    elif key == "valueBoolean":
        assert isinstance(value, bool)
    elif key == "valueDate":
        assert DATE.match(value)
    elif key == "valueString":
        assert isinstance(value, str) and value.strip()
    elif key == "valueCoding":
        options = [o["valueCoding"] for o in definition.get("answerOption", [])]
        assert {"system": value["system"], "code": value["code"]} in [
            {"system": o["system"], "code": o["code"]} for o in options], value


def answers_of(resource: dict, link_id: str) -> list:
    """All answers given to link_id anywhere in the response."""
    found = []

    def walk(item_list: list) -> None:
        for item in item_list:
            if item["linkId"] == link_id:
                found.extend(item.get("answer", []))
            walk(item.get("item", []))

    walk(resource["item"])
    return found


# --- the Questionnaire ----------------------------------------------------------------------------


def test_questionnaire_is_valid_r4_and_active():
    resource = fhir.questionnaire()
    items = validate_questionnaire(resource)
    assert resource["status"] == "active" and resource["url"] == fhir.QUESTIONNAIRE_URL
    assert {"concerns", "pregnancy", "breastfeeding", "medications", "event", "prior_treatment",
            "allergies", "flags", "recommendation"} <= set(items)


def test_questionnaire_uses_every_answer_type():
    kinds = {item["type"] for item in validate_questionnaire(fhir.questionnaire()).values()}
    assert {"choice", "string", "integer", "date", "boolean"} <= kinds


def test_every_flag_code_is_a_choice_in_the_questionnaire():
    items = validate_questionnaire(fhir.questionnaire())
    codes = {o["valueCoding"]["code"] for o in items["flags.code"]["answerOption"]}
    assert codes == set(fhir.DEFAULT_SEVERITIES)


# --- QuestionnaireResponse ------------------------------------------------------------------------


@pytest.mark.parametrize("summary", [deferred(), reviewable(), proceeding(),
                                     IntakeSummary(conversation_id="empty")],
                         ids=["deferred", "review", "proceed", "empty"])
def test_responses_are_valid_r4_against_the_questionnaire(summary):
    resource = fhir.questionnaire_response(summary)
    validate_response(resource, fhir.questionnaire())
    json.dumps(resource)  # plain JSON, nothing a serializer would choke on


@pytest.mark.parametrize("status,expected", [(Status.COMPLETED, "completed"),
                                             (Status.IN_PROGRESS, "in-progress"),
                                             (Status.ABANDONED, "stopped")])
def test_response_status_follows_the_intake(status, expected):
    summary = proceeding(status=status)
    assert fhir.questionnaire_response(summary)["status"] == expected


def test_flags_carry_code_severity_and_the_patients_words():
    resource = fhir.questionnaire_response(deferred())
    flags = [item for item in resource["item"] if item["linkId"] == "flags"]
    by_code = {next(i for i in f["item"] if i["linkId"] == "flags.code")["answer"][0]
               ["valueCoding"]["code"]: f for f in flags}
    breastfeeding = {i["linkId"]: i["answer"][0] for i in by_code["breastfeeding"]["item"]}
    assert breastfeeding["flags.severity"]["valueCoding"]["code"] == "defer"
    assert breastfeeding["flags.evidence"]["valueString"] == "yes, still nursing my 4 month old"
    assert len(flags) == 3


def test_answers_use_the_value_type_of_their_question():
    summary = deferred()
    summary.completed_at = T0 + timedelta(minutes=8)
    resource = fhir.questionnaire_response(summary)
    assert answers_of(resource, "patient.age") == [{"valueInteger": 34}]
    assert answers_of(resource, "event.date") == [{"valueDate": "2025-03-12"}]
    assert answers_of(resource, "prior_treatment.had_before") == [{"valueBoolean": True}]
    assert answers_of(resource, "breastfeeding.reported")[0]["valueCoding"]["code"] == "yes"
    assert answers_of(resource, "pregnancy.reported")[0]["valueCoding"]["code"] == "no"
    assert answers_of(resource, "recommendation")[0]["valueCoding"]["code"] == "defer"
    assert resource["authored"] == "2025-03-01T14:08:00+00:00"
    assert resource["identifier"]["value"] == "conv-defer"


def test_concerns_repeat_with_area_and_rest_or_expression():
    resource = fhir.questionnaire_response(deferred())
    areas = [a["valueCoding"]["code"] for a in answers_of(resource, "concerns.area")]
    shows = [a["valueCoding"]["code"] for a in answers_of(resource, "concerns.shows")]
    assert areas == ["frown_lines", "crows_feet"] and shows == ["both", "expression"]


CONTACT_SYSTEMS = {"phone", "fax", "email", "pager", "url", "sms", "other"}  # R4 ContactPoint
CONTACT_USES = {"home", "work", "temp", "old", "mobile"}


@pytest.mark.parametrize("contact, channel, expected", [
    ("+15550100123", "sms", [{"system": "phone", "value": "+15550100123", "use": "mobile"}]),
    ("+1 (555) 010-0123", "web", [{"system": "phone", "value": "+1 (555) 010-0123"}]),
    ("maya@example.com", "web", [{"system": "email", "value": "maya@example.com"}]),
    ("my work line after 5pm", "web", [{"system": "other", "value": "my work line after 5pm"}]),
    ("555", "web", [{"system": "other", "value": "555"}]),
], ids=["sms-number", "typed-number", "email", "words", "too-short-for-a-number"])
def test_the_contact_is_a_contact_point_of_the_patient_who_answered(contact, channel, expected):
    summary = proceeding().model_copy(update={"contact": contact, "channel": channel})
    resource = fhir.questionnaire_response(summary)
    [patient] = resource["contained"]
    assert patient["resourceType"] == "Patient" and patient["telecom"] == expected
    assert patient["name"] == [{"text": "Ana Silva"}]
    # A contained resource must be referenced from the container (R4 dom-3).
    assert resource["subject"] == resource["source"] == {"reference": "#" + patient["id"]}
    for point in patient["telecom"]:
        assert point["system"] in CONTACT_SYSTEMS and point["value"].strip()
        assert point.get("use", "home") in CONTACT_USES
    validate_response(resource, fhir.questionnaire())
    json.dumps(resource)


def test_an_intake_with_no_name_or_contact_names_no_patient():
    resource = fhir.questionnaire_response(IntakeSummary(conversation_id="empty"))
    assert "contained" not in resource and "subject" not in resource


# --- the validator itself catches what it should --------------------------------------------------


def _broken(change) -> dict:
    resource = fhir.questionnaire_response(deferred())
    change(resource)
    return resource


@pytest.mark.parametrize("change", [
    lambda r: r.update(status="done"),
    lambda r: r["item"][0]["item"][0]["answer"][0].update(valueInteger=3),
    lambda r: r["item"][0]["item"][0].update(linkId="patient.nickname"),
    lambda r: r["item"][0]["item"][0].update(answer=[]),
    lambda r: r["item"].append({"linkId": "recommendation", "text": "Recommendation",
                                "answer": [{"valueCoding": {"system": fhir.RECOMMENDATION_SYSTEM,
                                                            "code": "proceed"}}]}),
    lambda r: r.update(authored="2025-03-01T14:08:00"),
], ids=["status", "two-values", "unknown-linkId", "empty-answer", "non-repeating-twice",
        "no-timezone"])
def test_the_validator_rejects_broken_responses(change):
    with pytest.raises((AssertionError, KeyError)):
        validate_response(_broken(change), fhir.questionnaire())


def test_unread_messages_and_a_needed_call_are_exported():
    from bot.models import Recommendation

    summary = proceeding()
    summary.recommendation = Recommendation.NEEDS_CALL
    summary.language, summary.unread_messages = "es", ["estoy embarazada", "llámeme"]
    response = fhir.questionnaire_response(summary)
    validate_response(response, fhir.questionnaire())
    unread = next(i for i in response["item"] if i["linkId"] == "unread")
    assert [a["valueString"] for a in unread["answer"]] == ["estoy embarazada", "llámeme"]
    recommendation = next(i for i in response["item"] if i["linkId"] == "recommendation")
    assert recommendation["answer"][0]["valueCoding"]["code"] == "needs_call"


def test_each_photo_is_exported_with_its_pose_and_the_missing_poses_are_named():
    summary = proceeding()
    summary.photos = ["p1", "p2", "p3"]
    summary.photo_poses = {"p1": "rest", "p2": "smile"}  # p3 came without a pose
    resource = fhir.questionnaire_response(summary)
    validate_response(resource, fhir.questionnaire())
    photos = next(i for i in resource["item"] if i["linkId"] == "photos")
    rows = [{i["linkId"]: i["answer"][0] for i in group["item"]}
            for group in photos["item"] if group["linkId"] == "photos.photo"]
    assert [r["photos.photo.number"]["valueInteger"] for r in rows] == [1, 2, 3]
    assert [r.get("photos.photo.pose", {}).get("valueCoding", {}).get("code") for r in rows] == [
        "rest", "smile", None]
    assert rows[0]["photos.photo.pose"]["valueCoding"]["display"] == "Face at rest"
    missing = [a["valueCoding"]["code"] for a in answers_of(resource, "photos.missing")]
    assert missing == ["frown", "brows"]  # the optional photo they like is never "missing"
