"""Rasa's response generator, speaking the language the intake is held in.

The domain's responses are English. A conversation held in Spanish (bot.intake keeps the
language in the `intake_meta` slot) gets the twin response of the same name from
bot/catalogue/responses.<lang>.yml, with the same variations and conditions (e.g. the rephrased
question). The action server may name the language of a response itself (`language` in the
response), which matters on the very message that switched the language: Rasa renders an
action's responses with the tracker as it was before the action's own slot events.
Registered in endpoints.yml as `nlg: {type: rasa_addons.nlg.LanguageNLG}`.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.trackers import DialogueStateTracker

from bot.language import SPOKEN, response_catalogue


class LanguageNLG(TemplatedNaturalLanguageGenerator):
    """Templated responses from the domain (English) or from the conversation's catalogue."""

    def __init__(self, endpoint_config: Any = None, domain: Any = None) -> None:
        super().__init__(domain.responses if domain is not None else {})
        self.translated = {code: TemplatedNaturalLanguageGenerator(response_catalogue(code))
                           for code in SPOKEN if code != "en"}

    async def generate(self, utter_action: Text, tracker: DialogueStateTracker,
                       output_channel: Text, **kwargs: Any) -> Optional[Dict[Text, Any]]:
        """The response in the language the action named, else the conversation's."""
        language = kwargs.pop("language", None) or language_of(tracker)
        filled_slots = tracker.current_slot_values()
        generator = self.translated.get(language)
        if generator is not None and utter_action in generator.responses:
            return generator.generate_from_slots(utter_action, filled_slots, output_channel,
                                                 **kwargs)
        return self.generate_from_slots(utter_action, filled_slots, output_channel, **kwargs)


def language_of(tracker: DialogueStateTracker) -> str:
    """The language the intake is held in, from the intake's own slot ("en" by default)."""
    meta = tracker.get_slot("intake_meta") or {}
    return meta.get("conversation_language") or "en"
