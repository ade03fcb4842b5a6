"""Run the trained model in-process with the real custom actions: no servers, real NLU and rules.

Rasa's `RemoteAction` posts to an action endpoint; this endpoint hands the same JSON to
rasa_sdk's executor in the same process (the pattern verified in shared/rasa-notes.md).
"""
from __future__ import annotations

import logging
import uuid
from pathlib import Path

import rasa_sdk
from rasa.core.actions.action import ActionExecutionRejection
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk.executor import ActionExecutor

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "intake.tar.gz"


class InProcessActionEndpoint(EndpointConfig):
    """An action endpoint that runs the `actions` package in this process."""

    def __init__(self) -> None:
        super().__init__(url="http://in-process.invalid/webhook")
        self.executor = ActionExecutor()
        self.executor.register_package("actions")

    async def request(self, method: str = "post", subpath=None, content_type="application/json",
                      compress: bool = False, **kwargs):
        try:
            return await self.executor.run(kwargs["json"])
        except rasa_sdk.ActionExecutionRejection as error:
            raise ActionExecutionRejection(error.action_name, error.message) from error


def load_agent() -> Agent:
    """The trained model with in-process actions and an in-memory tracker store."""
    try:
        from rasa.utils.log_utils import configure_structlog
        configure_structlog(logging.WARNING)
    except Exception:  # noqa: BLE001 - quieter logs are a nicety, not a requirement
        pass
    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: run `make train` first")
    # The product's response generator (endpoints.yml `nlg`): Spanish conversations get the
    # Spanish catalogue's responses.
    return Agent.load(str(MODEL), action_endpoint=InProcessActionEndpoint(),
                      generator=EndpointConfig(type="rasa_addons.nlg.LanguageNLG"))


class Patient:
    """One patient talking to the agent; collects the bot's replies per message."""

    def __init__(self, agent: Agent, channel: str = "web") -> None:
        self.agent = agent
        self.sender = uuid.uuid4().hex
        self.channel = channel
        self.transcript: list[tuple[str, list[str]]] = []

    async def say(self, text: str) -> list[str]:
        """Send one message; returns the texts the bot answered with."""
        output = CollectingOutputChannel()
        await self.agent.handle_message(UserMessage(text, output, self.sender,
                                                    input_channel="rest",
                                                    metadata={"channel": self.channel}))
        self.last_buttons = [m.get("buttons") for m in output.messages if m.get("buttons")]
        texts = [m.get("text", "") for m in output.messages]
        self.transcript.append((text, texts))
        return texts

    async def say_all(self, messages: list[str]) -> list[str]:
        """Send several messages in order; returns the last reply texts."""
        last: list[str] = []
        for message in messages:
            last = await self.say(message)
        return last


DEFAULT_ANSWERS = {
    "name": "Jane Doe", "concerns": "crow's feet when I smile", "photos": "I'll bring them",
    "medications": "none", "pregnancy": "no", "breastfeeding": "no", "trying_to_conceive": "no",
    "neuromuscular": "no", "breathing": "no", "skin_infection": "no", "event": "no",
    "prior_treatment": "no, first time", "allergies": "none", "age": "34",
    "contact": "jane@example.com", "confirm": "yes",
}


async def asked(patient: Patient) -> str | None:
    """The question the assistant is waiting on (the form's requested slot)."""
    tracker = await patient.agent.tracker_store.retrieve(patient.sender)
    return tracker.get_slot("requested_slot") if tracker else None


async def complete_intake(patient: Patient, answers: dict[str, str], first: str = "hi",
                          max_turns: int = 40) -> list[str]:
    """Answer whatever is asked from `answers` (else the defaults) until the intake is sent.

    Returns the questions asked, in order, so tests can check what was skipped.
    """
    questions: list[str] = []
    await patient.say(first)
    for _ in range(max_turns):
        question = await asked(patient)
        if question is None:
            return questions
        questions.append(question)
        await patient.say(answers.get(question, DEFAULT_ANSWERS.get(question, "no")))
    raise AssertionError(f"intake did not finish in {max_turns} turns: {questions}")
