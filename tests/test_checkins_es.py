"""The two-week check-in in Spanish: a patient whose intake was held in Spanish is texted, linked
and answered in Spanish, and the answers they write in Spanish are read as carefully as English
ones (urgent always wins, unclear goes to staff)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import time_machine
import yaml

from bot.checkins import care_from_env, read_reply
from bot.config import Settings
from bot.models import IntakeSummary, Status
from bot.sms_text import Segments, gsm_friendly, sms_segments
from bot.store import IntakeStore
from tests.test_checkins import PHONE, TREATED, Clinic, at

CATALOGUES = Path(__file__).resolve().parent.parent / "bot" / "catalogue"


@pytest.mark.parametrize("reply, answer, urgent", [
    # urgent: a possible spread of the toxin, whatever else they say
    ("se me cayó el párpado", "side_effects", True),
    ("se me cayo el parpado izquierdo", "side_effects", True),  # no accents
    ("tengo el párpado caído", "side_effects", True),
    ("parpado caido", "side_effects", True),
    ("tengo el ojo caído", "side_effects", True),
    ("la ceja derecha se me cae", "side_effects", True),
    ("no puedo tragar bien", "side_effects", True),
    ("me cuesta tragar", "side_effects", True),
    ("me cuesta respirar", "side_effects", True),
    ("me cuesta hablar desde ayer", "side_effects", True),
    ("veo doble", "side_effects", True),
    ("tengo la visión borrosa", "side_effects", True),
    ("me ahogo al comer", "side_effects", True),
    ("se me hinchó la cara", "side_effects", True),
    ("se me hincharon los labios", "side_effects", True),
    ("tengo ronquera", "side_effects", True),
    ("siento debilidad en el cuello", "side_effects", True),
    ("bien pero se me cayó el párpado", "side_effects", True),
    ("1 pero me cuesta tragar", "side_effects", True),
    ("Me encanta! aunque veo borroso", "side_effects", True),
    # happy
    ("1", "happy", False),
    ("bien", "happy", False),
    ("Muy bien, gracias", "happy", False),
    ("me encanta", "happy", False),
    ("estoy muy contenta", "happy", False),
    ("contento", "happy", False),
    ("feliz!", "happy", False),
    ("perfecto", "happy", False),
    ("Excelente", "happy", False),
    ("todo bien", "happy", False),
    ("gracias, me encantó", "happy", False),
    # negated happiness is not happiness: staff read it
    ("no estoy contenta", "other", False),
    ("no muy bien", "other", False),
    ("la verdad no me encanta", "other", False),
    ("no estoy feliz con el resultado", "other", False),
    # uneven
    ("2", "uneven", False),
    ("quedó disparejo", "uneven", False),
    ("se ve desigual", "uneven", False),
    ("la sonrisa está chueca", "uneven", False),
    ("un lado más arriba que el otro", "uneven", False),
    ("se ve asimétrico", "uneven", False),
    ("tengo una ceja más arriba", "uneven", False),
    # not enough
    ("3", "not_enough", False),
    ("no hizo efecto", "not_enough", False),
    ("muy poco efecto", "not_enough", False),
    ("casi nada", "not_enough", False),
    ("todavía se ven las líneas", "not_enough", False),
    ("sigo viendo las arrugas", "not_enough", False),
    ("no noto diferencia", "not_enough", False),
    ("me gusta pero quiero más", "not_enough", False),
    # side effects that are not urgent: staff follow up, the urgent advice is shown anyway
    ("4", "side_effects", True),
    ("tengo un moretón", "side_effects", True),
    ("me dio dolor de cabeza", "side_effects", True),
    ("me duele donde me inyectaron", "side_effects", True),
    ("tuve efectos secundarios", "side_effects", True),
    # unclear: staff read the words
    ("¿podemos hablar?", "other", False),
    ("hola", "other", False),
    ("quiero hablar con alguien", "other", False),
])
def test_spanish_replies_are_read_as_patients_write_them(reply, answer, urgent):
    reading = read_reply(reply)
    assert (reading.answer, reading.urgent) == (answer, urgent)
    assert reading.touch_up is (answer != "happy")


# --- a Spanish intake's check-in, end to end ------------------------------------------------------

SPANISH_PHONE = "+15550100777"


@pytest.fixture
def clinic(tmp_path, monkeypatch):
    """The clinic with an English and a Spanish patient on each channel."""
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic = Clinic(tmp_path, monkeypatch, tmp_path / "intake.db")
        for cid, channel, name, language in (
                ("conv-sms", "sms", "Ana Lopez", "en"), ("conv-web", "web", "Zoe Kim", "en"),
                ("es-sms", "sms", "Lucía Pérez", "es"), ("es-web", "web", "Marta Ruiz", "es")):
            clinic.intakes.save_summary(IntakeSummary(
                conversation_id=cid, channel=channel, status=Status.COMPLETED,
                patient_name=name, conversation_language=language))
            clinic.treatment_given(cid)
        clinic.intakes.touch_sms_contact("conv-sms", PHONE)
        clinic.intakes.touch_sms_contact("es-sms", SPANISH_PHONE)
    with time_machine.travel(at(2026, 11, 25, 14, 0, 5), tick=False):
        clinic.scheduler.run_due()
    yield clinic
    clinic.stop()


def texted_to(clinic, number: str) -> str:
    """Everything texted to a number, the parts joined again."""
    return " ".join(body for to, body in clinic.sender.sent if to == number)


def link_secret(clinic, conversation_id: str) -> str:
    """The secret of the check-in link last said in a web patient's chat."""
    said = clinic.intakes.list_messages(conversation_id)[-1]["text"]
    return re.search(r"/checkin/(\S+)", said).group(1)


def test_a_spanish_intake_is_texted_in_spanish_and_an_english_one_in_english(clinic):
    spanish = texted_to(clinic, SPANISH_PHONE)
    assert spanish.startswith("Hola Lucía, le escribimos de Brightside")
    assert "Responda 1 Bien, 2 Desigual, 3 Poco efecto, 4 Efectos secundarios" in spanish
    assert re.search(r"https://clinic\.example/checkin/\S+", spanish)
    english = texted_to(clinic, PHONE)
    assert english.startswith("Hi Ana, it's Brightside") and "Reply 1 Happy" in english


def test_a_spanish_sms_answer_of_side_effects_gets_the_urgent_advice_in_spanish(clinic):
    with time_machine.travel(at(2026, 11, 25, 15, 0), tick=False):
        reply = " ".join(clinic.text("bien pero se me cayó el párpado", SPANISH_PHONE))
    assert "llame al 911 ahora mismo" in reply and "555-0199" in reply
    [row] = clinic.care.store.checkins_for("es-sms")
    assert row["answer"] == "side_effects" and row["urgent"]


def test_a_happy_spanish_sms_answer_is_thanked_in_spanish_and_stays_out_of_the_queue(clinic):
    with time_machine.travel(at(2026, 11, 25, 15, 0), tick=False):
        assert "Nos alegra" in clinic.text("muy bien, gracias", SPANISH_PHONE)[0]
        assert "glad you're happy" in clinic.text("1")[0]
    assert clinic.care.store.open_requests() == []


def test_a_spanish_web_patient_gets_the_link_and_the_page_in_spanish(clinic):
    said = clinic.intakes.list_messages("es-web")[-1]["text"]
    assert said.startswith("Hola Marta, le escribimos de Brightside")
    secret = link_secret(clinic, "es-web")
    page = clinic.client.get(f"/checkin/{secret}").text
    assert '<html lang="es">' in page and "Su revisión de las 2 semanas" in page
    assert "Hola Marta, ¿cómo se ve su resultado" in page
    for label in ("Bien", "Desigual", "Poco efecto", "Efectos secundarios", "Enviar",
                  "¿Algo más que quiera contarnos?", "En una emergencia, llame al 911"):
        assert label in page, label
    assert "Happy" not in page and "Send" not in page

    unanswered = clinic.client.post(f"/checkin/{secret}", data={"answer": "meh"})
    assert unanswered.status_code == 422 and "elija una de las respuestas" in unanswered.text
    answered = clinic.client.post(f"/checkin/{secret}", data={
        "answer": "uneven", "details": "una ceja quedó más arriba"})
    assert "se comunicará con usted para un retoque" in answered.text
    again = clinic.client.get(f"/checkin/{secret}").text
    assert "ya tenemos su respuesta" in again and '<html lang="es">' in again


def test_spanish_details_on_the_page_can_make_the_answer_urgent(clinic):
    secret = link_secret(clinic, "es-web")
    answered = clinic.client.post(f"/checkin/{secret}", data={
        "answer": "happy", "details": "me encanta, pero tengo la vision borrosa"})
    assert "llame al 911 ahora mismo" in answered.text and "ve borroso o doble" in answered.text
    assert clinic.care.store.open_requests()[0]["conversation_id"] == "es-web"


def test_an_english_web_patient_keeps_the_english_page(clinic):
    secret = link_secret(clinic, "conv-web")
    page = clinic.client.get(f"/checkin/{secret}").text
    assert '<html lang="en">' in page and "Hi Zoe, how does your result look" in page
    assert "Not enough" in page and "Send" in page and "Enviar" not in page


def test_a_clinics_own_spanish_wording_reaches_spanish_patients_only(tmp_path):
    override = tmp_path / "care.es.yml"
    override.write_text('checkin:\n  web_message: "Hola{first_name}, ¿qué tal? {link}"\n',
                        encoding="utf-8")
    intakes = IntakeStore(tmp_path / "intake.db")
    care = care_from_env(Settings(secret_key="k", db_path=tmp_path / "intake.db"), intakes,
                         {"CLINIC_CARE_CATALOGUE_ES": str(override)})
    care.clock = lambda: at(2026, 11, 25, 15, 0)
    for cid, language in (("es-web", "es"), ("en-web", "en")):
        intakes.save_summary(IntakeSummary(conversation_id=cid, channel="web",
                                           status=Status.COMPLETED, conversation_language=language))
        row = care.schedule(cid, TREATED, ["frown_lines"], "dr.lee", "Marta Ruiz")
        assert care.deliver(row["id"]) == "sent"
    assert intakes.list_messages("es-web")[-1]["text"].startswith("Hola Marta, ¿qué tal? http")
    assert intakes.list_messages("en-web")[-1]["text"].startswith("Hi Marta, it's")


def test_the_spanish_check_in_and_urgent_texts_cost_no_more_than_the_english():
    # á, í, ó and ú are not GSM-7: one of them makes a text UCS-2, twice the segments
    for key, values in (("sms_question", {"first_name": " Marta",
                                          "link": "https://clinic.example/checkin/" + "x" * 43}),
                        ("urgent", {"phone": "(555) 010-0199"})):
        for language in ("en", "es"):
            shipped = yaml.safe_load((CATALOGUES / f"care.{language}.yml").read_text("utf-8"))
            text = gsm_friendly(shipped["checkin"][key].format(clinic="Brightside & Co", **values))
            assert sms_segments(text) == Segments("GSM-7", 2), (language, key)
