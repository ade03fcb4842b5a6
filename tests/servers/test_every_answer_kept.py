"""Property: every answer a patient gives, and nothing else, reaches the clinic.

Hypothesis plays whole intakes through the path a patient uses (web app -> Rasa server -> action
server, all real processes on loopback; or the Twilio SMS webhook with real signatures, where a
reply "2" picks the second option), choosing for each question one of several answers: a
button's payload, a typed answer, follow-ups (at rest / with expression, an event's date, the last
treatment's date) and, sometimes, a correction at the read-back. At the end the stored summary
(staff API), the staff page and the FHIR export must hold exactly the answers given, and every
flag the staff API showed on any turn must still be there unless the patient corrected it.

Each expectation below is written from what the patient said, not from the parser's output.
`INTAKE_PROPERTY_EXAMPLES` sets how many intakes are played (default 12; CI is reproducible
because the examples are derandomised).
"""
from __future__ import annotations

import html
import itertools
import os
import secrets
from dataclasses import dataclass, field
from datetime import date

import httpx
import pytest
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st

from tests.servers.test_sms_full import send_sms, texts
from tests.stack import ChatClient, Stack

pytestmark = pytest.mark.servers
EXAMPLES = int(os.environ.get("INTAKE_PROPERTY_EXAMPLES", "12"))


@dataclass(frozen=True)
class Choice:
    """One way to answer one question, and what the clinic must see because of it."""

    text: str
    flags: frozenset[str] = frozenset()
    facts: tuple[tuple[str, object], ...] = ()

    def fact(self, name: str, default: object = None) -> object:
        return dict(self.facts).get(name, default)


def c(text: str, *flags: str, **facts: object) -> Choice:
    return Choice(text, frozenset(flags), tuple(sorted(facts.items())))


CHOICES: dict[str, list[Choice]] = {
    "name": [c("Jane Doe", name="Jane"), c("its Maria", name="Maria"), c("Lee", name="Lee")],
    "concerns": [c("my 11s", areas=("frown_lines",)),
                 c("forehead lines", areas=("forehead_lines",)),
                 c("crows feet and my forehead", areas=("crows_feet", "forehead_lines"))],
    "concern_timing": [c("at rest", shows="rest"), c("only with expression", shows="expression"),
                       c("both", shows="both"), c("both really", shows="both")],
    "photos": [c("I'll bring them", photos="I'll bring them"), c("no", photos="no"),
               c("I'll upload them", photos="I'll upload them")],
    "medications": [c("none", meds=()), c("nope nothing", meds=()),
                    c("Eliquis", "anticoagulant", meds=("eliquis",)),
                    c("fish oil", "bleeding_risk_supplement", meds=("fish oil",)),
                    c("xarelto and fish oil", "anticoagulant", "bleeding_risk_supplement",
                      meds=("xarelto", "fish oil"))],
    "pregnancy": [c("no"), c("nope"), c("yes", "pregnant"), c("not sure", "pregnant")],
    "breastfeeding": [c("no"), c("n"), c("yes I'm nursing", "breastfeeding")],
    "trying_to_conceive": [c("no"), c("yes we are trying", "trying_to_conceive")],
    "neuromuscular": [c("no"), c("I have myasthenia gravis", "neuromuscular_disorder")],
    "breathing": [c("no"), c("yes, trouble swallowing", "swallowing_or_breathing_difficulty")],
    "skin_infection": [c("no"), c("I have a cold sore on my lip", "skin_infection")],
    "event": [c("no"), c("my wedding", event="wedding")],
    "event_date": [c("in 10 days", "event_within_two_weeks", days=10),
                   c("in 2 months", days_min=55, days_max=65)],
    "prior_treatment": [c("no"), c("no, first time"), c("yes botox", prior=True)],
    "prior_treatment_date": [c("6 weeks ago", "recent_toxin_treatment", ago_min=35, ago_max=49),
                             c("a year ago", ago_min=330, ago_max=400)],
    "allergies": [c("none"), c("penicillin", allergy="penicillin")],
    "age": [c("34", age=34), c("52", age=52), c("17", "under_18", age=17)],
    "contact": [c("jane@example.com", contact="jane@example.com"),
                c("555-201-3344", contact="555-201-3344")],
}

def _numbered(yes_flag: str) -> list[Choice]:
    """SMS replies by number to Yes / No / Not sure."""
    return [c("1", yes_flag), c("2"), c("3", yes_flag)]


# By SMS, buttons become numbered options: a reply "2" picks the second.
SMS_CHOICES: dict[str, list[Choice]] = {
    "concern_timing": [c("1", shows="rest"), c("2", shows="expression"), c("3", shows="both")],
    "photos": [c("1", photos="I'll upload them"), c("2", photos="I'll bring them"),
               c("3", photos="no")],
    "pregnancy": _numbered("pregnant"), "breastfeeding": _numbered("breastfeeding"),
    "trying_to_conceive": _numbered("trying_to_conceive"),
    "neuromuscular": _numbered("neuromuscular_disorder"),
    "breathing": _numbered("swallowing_or_breathing_difficulty"),
    "skin_infection": _numbered("skin_infection"),
}
_phones = itertools.count(secrets.randbelow(10**6) * 10)


# Corrections typed at the read-back: (message, question it changes, the new choice).
CORRECTIONS = [
    ("actually I'm 45", "age", c("45", age=45)),
    ("sorry, I'm not pregnant", "pregnancy", c("no")),
]


@dataclass
class Plan:
    """A generated patient: a channel, one choice per question, maybe a correction."""

    channel: str
    answers: dict[str, Choice]
    correction: tuple[str, str, Choice] | None
    phone: str = field(default_factory=lambda: f"+1555{next(_phones) % 10**7:07d}")
    asked: list[str] = field(default_factory=list)

    def given(self) -> dict[str, Choice]:
        """The answers the patient gave to the questions they were asked, corrections applied."""
        final = {q: self.answers[q] for q in self.asked if q in self.answers}
        if self.channel == "sms":  # the number they text from is their contact
            final["contact"] = c("(texted)", contact=self.phone)
        if self.correction:
            final[self.correction[1]] = self.correction[2]
        return final


def _plans(channel: str) -> st.SearchStrategy[Plan]:
    extra = SMS_CHOICES if channel == "sms" else {}
    return st.builds(Plan, channel=st.just(channel), answers=st.fixed_dictionaries(
        {q: st.sampled_from(options + extra.get(q, [])) for q, options in CHOICES.items()}),
        correction=st.one_of(st.none(), st.sampled_from(CORRECTIONS)))


plans = st.sampled_from(["web", "sms"]).flatmap(_plans)


@pytest.fixture(scope="module")
def staff(stack: Stack):
    """A clinician signed in to the staff pages over HTTP, and a staff API client."""
    api = httpx.Client(base_url=stack.web_url, timeout=30,
                       headers={"Authorization": f"Bearer {stack.staff_token()}"})
    return stack.staff_browser("prop.clinician"), api


def asked_now(stack: Stack, conversation_id: str) -> str | None:
    """The question the form is waiting on, from Rasa's tracker (JWT-protected API)."""
    tracker = httpx.get(f"{stack.rasa_url}/conversations/{conversation_id}/tracker",
                        headers=stack.rasa_api_headers(), timeout=30).json()
    return tracker["slots"].get("requested_slot")


class SmsPatient:
    """A patient texting the SMS webhook, with real Twilio signatures."""

    def __init__(self, stack: Stack, api: httpx.Client, phone: str) -> None:
        self.stack, self.phone = stack, phone
        first = self.say("hi")
        listed = api.get("/api/intakes", params={"limit": 1000}).json()["intakes"]
        found = [s["conversation_id"] for s in listed if s["contact"] == phone]
        assert found, (phone, first, [(s["channel"], s["contact"]) for s in listed][:4])
        self.id = found[0]

    def say(self, text: str) -> list[str]:
        response = send_sms(self.stack, text, phone=self.phone)
        assert response.status_code == 200, response.text
        return texts(response)


def play(stack: Stack, api: httpx.Client, plan: Plan) -> tuple[str, set[str]]:
    """Play one intake to the end; returns its id and every flag the staff API showed on the way."""
    if plan.channel == "sms":
        chat = SmsPatient(stack, api, plan.phone)
    else:
        chat = ChatClient(stack.web_url)
        chat.say("hi")
    seen: set[str] = set()
    corrected = False
    for _ in range(60):
        question = asked_now(stack, chat.id)
        if question is None:
            return chat.id, seen
        plan.asked.append(question)
        assert not (plan.channel == "sms" and question == "contact"), "asked for their number"
        if question == "confirm" and plan.correction and not corrected:
            text, corrected = plan.correction[0], True
        else:
            text = "yes" if question == "confirm" else plan.answers[question].text
        assert chat.say(text), f"no reply to {text!r}"
        seen |= {f["code"] for f in api.get(f"/api/intakes/{chat.id}").json()["flags"]}
    raise AssertionError(f"the intake did not finish: {plan.asked}")


# No shrinking: each example is a whole intake over real servers; the failing plan is printed.
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
@given(plan=plans)
def test_every_answer_given_and_nothing_else_reaches_the_clinic(stack, staff, plan):
    browser, api = staff
    event(f"channel: {plan.channel}")
    conversation_id, seen = play(stack, api, plan)
    note(f"{plan.channel} {plan.phone}; asked {plan.asked}; answers {[(q, a.text) for q, a in plan.given().items()]}; "
         f"correction {plan.correction}")
    given_answers = plan.given()
    summary = api.get(f"/api/intakes/{conversation_id}").json()
    assert summary["status"] == "completed" and summary["channel"] == plan.channel

    expected_flags = set().union(*(choice.flags for choice in given_answers.values()))
    flags = {f["code"]: f for f in summary["flags"]}
    assert set(flags) == expected_flags, (plan.asked, given_answers)
    corrected_away = set(plan.correction[2].flags ^ plan.answers[plan.correction[1]].flags) \
        if plan.correction else set()
    assert seen - corrected_away <= set(flags), "a flag raised on a turn was lost by the end"
    assert all(f["evidence"] for f in flags.values())
    _check_summary(summary, given_answers)
    _check_staff_page(browser.get(f"/staff/intakes/{conversation_id}"), summary)
    _check_fhir(browser.get(f"/staff/intakes/{conversation_id}/fhir"), summary, given_answers)


def _check_summary(summary: dict, given_answers: dict[str, Choice]) -> None:
    """Each answer given is in the stored summary, and no answer that was not given."""
    fact = {name: value for choice in given_answers.values() for name, value in choice.facts}
    assert fact["name"] in (summary["patient_name"] or "")
    assert summary["age"] == fact["age"]
    assert summary["contact"] == fact["contact"]
    assert sorted(x["area"] for x in summary["concerns"]) == sorted(fact["areas"])
    assert {x["shows"] for x in summary["concerns"]} == {fact["shows"]}, summary["concerns"]
    assert summary["photos_answer"] == fact["photos"]
    named = " ".join(m["text"].lower() + " " + m["name"].lower()
                     for m in summary["medications"] + summary["supplements"])
    for med in fact["meds"]:
        assert med in named, (med, summary["medications"], summary["supplements"])
    if not fact["meds"]:
        assert summary["medications"] == [] and summary["supplements"] == []
    if "event" in fact:
        event = summary["event"]
        assert event and fact["event"] in event["description"]
        days = (date.fromisoformat(event["date"]) - date.fromisoformat(
            summary["updated_at"][:10])).days
        low, high = fact.get("days", fact.get("days_min")), fact.get("days", fact.get("days_max"))
        assert low - 1 <= days <= high + 1, event
    else:
        assert summary["event"] is None
    prior = summary["prior_treatment"]
    if fact.get("prior"):
        assert prior["had_before"] is True and prior["date"], prior
        assert fact["ago_min"] <= prior["days_ago"] <= fact["ago_max"], prior
    else:
        assert prior is None or prior["had_before"] is not True
    assert ("penicillin" in " ".join(summary["allergies"]).lower()) == ("allergy" in fact)


def _check_staff_page(page: httpx.Response, summary: dict) -> None:
    """The clinician's page shows the name, each concern in the patient's words, every flag's
    evidence and the event date."""
    assert page.status_code == 200
    text = html.unescape(page.text)  # what the clinician reads (escaping is tested elsewhere)
    assert summary["patient_name"] in text
    for concern in summary["concerns"]:
        assert concern["text"] in text
    for flag in summary["flags"]:
        assert flag["evidence"] in text, flag
    assert str(summary["age"]) in text


def _check_fhir(response: httpx.Response, summary: dict, given_answers: dict[str, Choice]) -> None:
    """The FHIR QuestionnaireResponse carries the same flags, concerns and dates."""
    assert response.status_code == 200
    bundle = response.json()
    resource = next(e["resource"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "QuestionnaireResponse") \
        if bundle.get("resourceType") == "Bundle" else bundle
    groups = resource["item"]

    def values(link_id: str) -> list:
        found = []
        for group in groups:
            for item in group.get("item", [group]):
                if item["linkId"] == link_id:
                    for answer in item["answer"]:
                        found.append(next(iter(answer.values())))
        return found

    assert sorted(v["code"] for v in values("flags.code")) == sorted(f["code"] for f in summary["flags"])
    assert sorted(v["code"] for v in values("concerns.shows")) == sorted(
        x["shows"] for x in summary["concerns"])
    if summary["event"]:
        assert values("event.date") == [summary["event"]["date"]]
    if summary["prior_treatment"] and summary["prior_treatment"]["date"]:
        assert values("prior_treatment.date") == [summary["prior_treatment"]["date"]]
    assert values("patient.age") == [summary["age"]]
