"""The intake in Spanish: chosen by the first message or "Español", read by the same reader
through a gloss (bot/spanish.py), answered in Spanish, with the patient's own words kept."""
from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.care_catalogue import load_care_catalogue
from bot.intake import IntakeState, outstanding, take_turn
from bot.language import patient_catalogue, response_catalogue
from bot.photo_guide import POSES, how_to_send
from bot.summary import build_summary, readback

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2027, 5, 4)
SPANISH = IntakeState(conversation_language="es")


def flags_after(text: str, asked: str | None, state: IntakeState = SPANISH) -> list[str]:
    turn = take_turn(state, text, asked, TODAY)
    return sorted(f.code for f in build_summary("c", turn.state, TODAY).flags)


@pytest.mark.parametrize("asked, text, flags", [
    ("pregnancy", "sí, de 10 semanas", ["pregnant"]),
    ("pregnancy", "no estoy embarazada", []),
    ("pregnancy", "mi hermana está embarazada, yo no", []),
    ("pregnancy", "creo q si, tengo un retraso", ["pregnant"]),
    ("breastfeeding", "todavía le doy pecho en las noches", ["breastfeeding"]),
    ("breastfeeding", "no, ya no doy pecho", []),
    ("breastfeeding", "di pecho a mi hija pero lo deje hace dos años", []),
    ("medications", "tomo aceite de pescado y a veces ibuprofeno", ["bleeding_risk_supplement"]),
    ("medications", "tomaba aspirina pero la deje hace un año", []),
    ("medications", "mi mama toma sintrom pero yo no tomo nada", []),
    ("medications", "Xarelto diario", ["anticoagulant"]),
    ("skin_infection", "tengo un fuego en el labio", ["skin_infection"]),
    ("breathing", "de niña tenia asma pero ya no", []),
    ("neuromuscular", "mi tía tiene miastenia, yo no", []),
    ("allergies", "me dio urticaria con el dysport", ["toxin_allergy"]),
    ("age", "tengo 17", ["under_18"]),
    ("age", "tengo treinta y cuatro años", []),
    # from Spanish set 6 (read 2026-12-07)
    ("age", "sinquenta i dos años tengo", []),  # had read 2, and raised under_18
    ("breastfeeding", "mi cuñis esta dando pecho, yo no", []),
    ("skin_infection", "a mi pareja le salio un fuego, yo estoy sana", []),
    ("skin_infection", "tengo una imfeccion en el labio de arriba, me salio pus", ["skin_infection"]),
    ("breathing", "me falta el aigre cuando camino, tengo enficema",
     ["swallowing_or_breathing_difficulty"]),
    ("medications", "vaclofeno pa la espasticidad, tres al dia", ["interacting_medication"]),
    ("medications", "Dolac cuando me duele la muela", ["bleeding_risk_supplement"]),
    ("medications", "Uraplex dos veces al dia pa la incontinencia", ["interacting_medication"]),
    ("allergies", "allergic to sulfa drugs, me sale un rash", []),  # the allergy's rash
    (None, "suponiendo que me embarace el año que viene, afecta haberme puesto botox antes?", []),
])
def test_spanish_answers_raise_exactly_the_flags_a_clinician_would(asked, text, flags):
    assert flags_after(text, asked) == flags


def test_a_negated_past_or_someone_elses_statement_never_closes_the_question():
    for text in ["mi hermana está embarazada", "estaba embarazada el año pasado",
                 "si me embarazo el año que viene, ¿puedo?"]:
        turn = take_turn(SPANISH, text, "pregnancy", TODAY)
        assert "pregnancy" not in turn.state.answers, text
        assert "pregnancy" in outstanding(turn.state)


def test_every_flag_carries_the_patients_spanish_words():
    turn = take_turn(SPANISH, "sí, tomo aspirina, pero no tomo warfarina", "medications", TODAY)
    summary = build_summary("c", turn.state, TODAY)
    assert [(f.code, f.evidence) for f in summary.flags] == [
        ("bleeding_risk_supplement", "sí, tomo aspirina")]
    assert summary.conversation_language == "es"
    assert turn.state.answers["medications"].text == "sí, tomo aspirina, pero no tomo warfarina"


def test_the_first_spanish_message_or_espanol_turns_the_intake_to_spanish_and_english_back():
    turn = take_turn(IntakeState(), "Hola, quiero información sobre el bótox", None, TODAY)
    assert turn.state.conversation_language == "es"
    chosen = take_turn(IntakeState(), "Español", "name", TODAY)
    assert chosen.state.conversation_language == "es"
    assert chosen.replies == ["utter_language_changed"] and chosen.next_question == "name"
    back = take_turn(chosen.state, "english please", "name", TODAY)
    assert back.state.conversation_language == "en" and not back.state.answers


def test_english_written_in_a_spanish_intake_is_read_as_english():
    assert flags_after("I take fish oil every day", "medications") == [
        "bleeding_risk_supplement"]
    assert flags_after("no I am not pregnant", "pregnancy") == []


def test_the_read_back_is_in_spanish():
    state = SPANISH
    for asked, text in [("name", "Me llamo Ana López"), ("concerns", "las patas de gallo"),
                        ("medications", "aceite de pescado"), ("event", "mi boda el 14 de mayo")]:
        state = take_turn(state, text, asked, TODAY).state
    text = readback(build_summary("c", state, TODAY), TODAY, "es")
    assert "Nombre: Ana López" in text and "patas de gallo" in text
    assert "aceite de pescado" in text and "boda, viernes 14 de mayo (en 10 días)" in text
    assert not re.search(r"\b(Name|Concerns|Event|Allergies|none)\b", text)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_response_has_a_spanish_twin_with_the_same_shape():
    english = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    spanish = response_catalogue("es")
    assert set(spanish) == set(english)
    for name, variants in english.items():
        twins = spanish[name]
        assert len(twins) == len(variants), name
        for en, es in zip(variants, twins):
            assert en.get("condition") == es.get("condition"), name
            assert _placeholders(en["text"]) == _placeholders(es["text"]), name
            assert len(en.get("buttons", [])) == len(es.get("buttons", [])), name


def test_spanish_buttons_send_answers_the_reader_understands():
    spanish = response_catalogue("es")
    payloads = {b["payload"] for variants in spanish.values() for v in variants
                for b in v.get("buttons", [])}
    for payload, asked in [("sí", "pregnancy"), ("no", "pregnancy"), ("no lo sé", "pregnancy"),
                           ("en reposo", "concern_timing"), ("las dos", "concern_timing"),
                           ("las llevo a la cita", "photos"), ("las subo ahora", "photos")]:
        assert payload in payloads
        state = take_turn(SPANISH, "las líneas del entrecejo", "concerns", TODAY).state \
            if asked == "concern_timing" else SPANISH
        assert asked in take_turn(state, payload, asked, TODAY).changed, payload


def test_the_other_catalogues_have_spanish_twins():
    assert patient_catalogue("es").keys() == patient_catalogue("en").keys()
    for section in ("readback", "areas", "dates", "checklist", "replies", "sms", "photos",
                    "widget"):
        assert patient_catalogue("es")[section].keys() == patient_catalogue("en")[section].keys()
        for key, text in patient_catalogue("en")[section].items():
            if isinstance(text, str):
                assert _placeholders(patient_catalogue("es")[section][key]) == \
                    _placeholders(text), (section, key)
    en, es = load_care_catalogue(env={}), load_care_catalogue(env={}, language="es")
    for section in ("checklist", "checkin"):
        for key, text in getattr(en, section).items():
            assert _placeholders(getattr(es, section)[key]) == _placeholders(text), key
    assert "guía de fotos" in how_to_send("web", "es")
    assert all(p.key in yaml.safe_load((ROOT / "bot/catalogue/photos.es.yml").read_text(
        encoding="utf-8"))["poses"] for p in POSES)


def test_rasa_speaks_the_conversations_language():
    import asyncio

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_addons.nlg import LanguageNLG

    domain = Domain.load(str(ROOT / "domain.yml"))
    nlg = LanguageNLG(domain=domain)
    english = DialogueStateTracker.from_events("a", [], slots=domain.slots)
    spanish = DialogueStateTracker.from_events("b", [SlotSet("intake_meta", {
        "conversation_language": "es"})], slots=domain.slots)

    def say(name, tracker, **kwargs):
        return asyncio.run(nlg.generate(name, tracker, "webapp", **kwargs))["text"]

    assert say("utter_ask_pregnancy", english) == "Are you pregnant, or could you be?"
    assert say("utter_ask_pregnancy", spanish).startswith("¿")
    # the action names the language on the message that chose it (the slot is set after)
    assert say("utter_ask_pregnancy", english, language="es") == say("utter_ask_pregnancy",
                                                                     spanish)


def test_another_language_inside_a_spanish_intake_is_kept_for_a_call():
    turn = take_turn(SPANISH, "bonjour, je suis enceinte", "pregnancy", TODAY)
    assert turn.replies == ["utter_other_language"]
    assert turn.state.unread == ["bonjour, je suis enceinte"] and "pregnancy" not in turn.state.answers
    assert build_summary("c", turn.state, TODAY).recommendation.value == "needs_call"


@pytest.mark.parametrize("text", ["", "😀😀", "<script>alert(1)</script>", "x" * 10_000,
                                  "¿¿??", "hola " * 2000])
def test_odd_input_in_a_spanish_intake_answers_nothing_and_loses_nothing(text):
    state = take_turn(SPANISH, "tomo aceite de pescado", "medications", TODAY).state
    turn = take_turn(state, text, "pregnancy", TODAY)
    assert "pregnancy" in outstanding(turn.state)
    assert turn.state.answers["medications"] == state.answers["medications"]
    assert turn.state.conversation_language == "es"


def test_a_spanish_answer_with_words_the_reader_cannot_read_goes_to_a_clinician():
    # "ando bien chipil y me arde la boquita": the reader reads the "no" but not the rest, which
    # may name a cold sore; the clinician sees the patient's words and the words not read
    turn = take_turn(SPANISH, "no, pero ando bien chipil y me arde la boquita", "skin_infection",
                     TODAY)
    summary = build_summary("c", turn.state, TODAY)
    assert summary.recommendation.value == "clinician_review"
    note = next(n for n in summary.notes if "only partly understood" in n)
    assert "no, pero ando bien chipil y me arde la boquita" in note
    assert "chipil" in note and "boquita" in note


def test_a_spanish_answer_read_whole_stays_a_plain_no():
    for asked, text in [("skin_infection", "no, nada de eso"), ("pregnancy", "no estoy embarazada"),
                        ("name", "Guadalupe Xochitl Hernández")]:
        turn = take_turn(SPANISH, text, asked, TODAY)
        summary = build_summary("c", turn.state, TODAY)
        assert turn.state.partly_read == [], text
        assert summary.recommendation.value == "proceed", text


@pytest.mark.parametrize("text, age", [
    ("acabo de cumplir los 38", 38), ("mido un metro sesenta y dos", None),
    ("llevo 25 años casada", None),
])
def test_a_spanish_age_is_the_patients_own_age_and_not_a_height(text, age):
    answer = take_turn(SPANISH, text, "age", TODAY).state.answers.get("age")
    assert (answer.findings[0].detail.get("age") if answer else None) == age


@pytest.mark.parametrize("text, age", [
    # number words spelt as heard
    ("trenta y dos", 32), ("trenta y sinco", 35), ("tengo cuarenta y sies", 46),
    ("tengo trenta i dos años", 32), ("treintaidos", 32),
    # a date of birth, with or without "de" and the century (today: 4 May 2027)
    ("naci el 3 de abril de 1985", 42), ("soy d abril d 2011", 16),
    ("soy del 2 de febrero del 84", 43),
    # the age beside other words
    ("tengo 36 recien cumplidos", 36), ("el sabado llego a los 40", 39),
    ("mi esposo 50 y yo 47", 47), ("66 y todavia bailo cumbia toda la noche", 66),
    ("cuando empece con el botox tenia 30, ahora 41", 41),
    # numbers that are not ages
    ("calzo un 38", None), ("vivo en la calle 42", None),
    ("cincuenta y tantos, no me gusta decirlo", None),  # "fifty-something": asked again
])
def test_a_spanish_age_written_as_patients_write_it(text, age):
    answer = take_turn(SPANISH, text, "age", TODAY).state.answers.get("age")
    assert (answer.findings[0].detail.get("age") if answer else None) == age


@pytest.mark.parametrize("text, age", [
    ("buenaz, tengo 52 i me gustaria kitarme las pata de gayo", 52),
    ("ola tengo 15 puedo ponerme votox", 15),
    ("a mis 67 los parpados ya me pesan, la toxina me los levanta?", 67),
])
def test_an_age_in_a_spanish_opening_is_read(text, age):
    turn = take_turn(IntakeState(), text, None, TODAY)
    assert turn.state.conversation_language == "es"
    assert turn.state.answers["age"].findings[0].detail.get("age") == age


LATE_APRIL = date(2030, 4, 22)  # a Monday; Easter 2030 was the day before


def _spanish_flags(asked, text, today=LATE_APRIL):
    state = SPANISH if asked else IntakeState()
    turn = take_turn(state, text, asked, today)
    return sorted(f.code for f in build_summary("c", turn.state, today).flags), turn


@pytest.mark.parametrize("asked, text, flags", [
    ("breastfeeding", "lo habia dejado cuando volvi al laburo, pero relacte y otra vez le estoy dando",
     ["breastfeeding"]),
    ("breastfeeding", "estamos en las ultimas, una tomita en la tarde y ya", ["breastfeeding"]),
    ("breastfeeding", "la lactancia mixta cuenta?", []),  # a question back, asked again
    ("medications", "las pastillas de DuoPlavin son de mi papa, yo no tomo ninguna", []),
    ("medications", "ningun medicamento, aunque tengo deficit de factor XI, me dijo el hematologo",
     ["anticoagulant"]),
    ("medications", "tomo St. John's wort pa la depresion, es natural", ["bleeding_risk_supplement"]),
    ("medications", "prazugrel 10 mg desde el infarto", ["anticoagulant"]),
    ("pregnancy", "no... bueno, espera, ayer me salio positiva la prueba de la farmacia, o sea que si",
     ["pregnant"]),
    ("pregnancy", "no, mi menor ya tiene 15 años y no pienso volver a empezar", []),
    ("trying_to_conceive", "a lo mejor el año que entra vamos por el segundo, todavia no sabemos", []),
    ("skin_infection", "la de la varicela es mi hija la chica, a mi no me ha salido nada", []),
    ("skin_infection", "me salio un cold sore en la comisura, super swollen", ["skin_infection"]),
    ("skin_infection", "nada infectado... bueno, se me infecto el rasguño que me hice depilandome "
     "el bigote", ["skin_infection"]),
    ("breathing", "el asmático es mi esposo, yo no", []),
    ("allergies", "ninguna... bueno, al latex, y el alergologo dice que tambien a la albumina "
     "humana", ["toxin_allergy"]),
    ("allergies", "al Dalacin, me dio un salpullido horrible", []),
    ("event", "la boda era el 30 de marzo pero la cambiamos al domingo 5 de mayo",
     ["event_within_two_weeks"]),
    ("event", "boda no, pero el 3 de mayo me toman las fotos pal catalogo de la tienda",
     ["event_within_two_weeks"]),
    ("event", "la boda de mi ija es el sabdo 4 de mallo", ["event_within_two_weeks"]),
    ("prior_treatment", "en una estetica de Mexicali me inyectaron la frente en marzo, nunca supe si "
     "era botox o acido hialuronico", ["recent_toxin_treatment"]),
    ("prior_treatment", "me hice Sofwave y plasma rico en plaquetas en marzo", []),
    (None, "mi suegra de 70 quiere botox pero esta con Xarelto, ustedes la atenderian?", []),
    (None, "creo que podria estar embarazada, tengo nauseas y la regla no me llega, mejor espero?",
     ["pregnant"]),
    (None, "buenas, el alergologo dice que no puedo con la caseina, eso importa pa el botox?",
     ["milk_protein_allergy"]),
])
def test_spanish_phrasings_of_set_7(asked, text, flags):
    assert _spanish_flags(asked, text)[0] == flags


@pytest.mark.parametrize("asked, text", [
    ("pregnancy", "tuve un aborto espontaneo antes de Navidad y desde entonces nada, no estoy"),
    ("neuromuscular", "neuromuscular no, lo que tengo es esclerosis multiple remitente"),
    ("neuromuscular", "hace años sospecharon miastenia pero todos los estudios salieron normales, "
     "no tengo nada"),
    ("breathing", "respiro sin broncas y trago de todo, gracias a Dios"),
    ("breathing", "de niña era asmatica, ahora corro maratones sin problema"),
    ("skin_infection", "tuve un orzuelo en marzo, con las gotas se me quito del todo"),
    ("allergies", "alergias no tengo, me han puesto de todo y nunca me paso nada"),
    ("allergies", "a la fresa de niña, pero ahora me como un kilo sin problema"),
    ("allergies", "el alergico al camaron es mi marido, yo a nada"),
    ("allergies", "alergias: ningna 👍"),
    ("allergies", "solo soy alergica a mi suegra jaja"),
])
def test_a_spanish_no_said_around_the_past_or_someone_else_closes_the_question(asked, text):
    flags, turn = _spanish_flags(asked, text)
    assert flags == [] and asked not in outstanding(turn.state)


@pytest.mark.parametrize("text, age", [
    ("44 cumplidos en marzo", 44), ("soy del 75, del 3 de enero", 55),
    ("tengo 33... ay no, 34, siempre me equivoco", 34), ("72 primaveras y con ganas de fiesta", 72),
    ("I'm forty-two, casi forty-three", 42),
])
def test_more_spanish_ages(text, age):
    answer = take_turn(SPANISH, text, "age", LATE_APRIL).state.answers.get("age")
    assert (answer.findings[0].detail.get("age") if answer else None) == age


LATE_AUGUST = date(2030, 8, 27)  # a Tuesday; Sunday 1 September is five days away


@pytest.mark.parametrize("asked, text, flags", [
    ("pregnancy", "embarazada todavia no, pero estamos buscando bebe desde julio",
     ["trying_to_conceive"]),
    ("breastfeeding", "no le doy directo, pero me extraigo y se la damos en biberon",
     ["breastfeeding"]),
    ("breastfeeding", "si, aunque ya tiene 2 años y medio, la teta no la suelta", ["breastfeeding"]),
    ("trying_to_conceive", "los que andan buscando son mi hija y su esposo, yo no", []),
    ("trying_to_conceive", "no... bueno, la verdad si, deje las pastillas pa embarazarme",
     ["trying_to_conceive"]),
    ("medications", "si, me inyecto enoxaparina diario desde la trombosis de julio", ["anticoagulant"]),
    ("medications", "medicinas no, pero tengo PTI, las plaquetas siempre me salen bajas",
     ["anticoagulant"]),
    ("medications", "ninguno... ay no, miento, el Flanax cuando me baja la regla",
     ["bleeding_risk_supplement"]),
    ("breathing", "no me ahogo ni me cuesta tragar", []),
    ("breathing", "el del oxigeno es mi suegro, que tiene EPOC", []),
    ("breathing", "si algun dia me da asma, tendria que dejar el botox?", []),
    ("skin_infection", "a mi patojo le salio impetigo en la cara, a mi nada", []),
    ("skin_infection", "infeccion si, pero es de orina y ya me dieron antibiotico", []),
    ("event", "el bautizo iba a ser en julio pero lo pasamos al domingo 1 de septiembre",
     ["event_within_two_weeks"]),
    ("prior_treatment", "me hice Ultraformer y exosomas en junio", []),
    ("prior_treatment", "me pusieron Linurase en un salon en julio y luego vi la alerta de Cofepris",
     ["recent_toxin_treatment"]),
    ("prior_treatment", "si, el dia de San Juan, que fuimos a la playa", ["recent_toxin_treatment"]),
])
def test_spanish_phrasings_of_set_8(asked, text, flags):
    assert _spanish_flags(asked, text, LATE_AUGUST)[0] == flags


@pytest.mark.parametrize("text, age", [("beintisiete", 27), ("tengo 44 pirulos, che", 44)])
def test_spanish_ages_of_set_8(text, age):
    answer = take_turn(SPANISH, text, "age", LATE_AUGUST).state.answers.get("age")
    assert (answer.findings[0].detail.get("age") if answer else None) == age


def test_a_misspelt_spanish_opening_is_read_as_spanish():
    turn = take_turn(IntakeState(), "ola kiero kitarme las arugas de la frnte, tengo 42", None,
                     LATE_AUGUST)
    assert turn.state.conversation_language == "es"
    assert turn.state.answers["age"].findings[0].detail.get("age") == 42


MID_JANUARY = date(2031, 1, 16)  # a Thursday; Friday the 24th is eight days away


@pytest.mark.parametrize("asked, text, flags", [
    ("pregnancy", "la prueba de farmacia dio negativa pero sigo sin regla y con nauseas, ya no se",
     ["pregnant"]),
    ("breastfeeding", "no lo amamanto, toma Similac desde que nacio", []),
    ("breastfeeding", "lo habia dejado por la mastitis en noviembre, pero volvi a darle y sigue pegado",
     ["breastfeeding"]),
    ("breastfeeding", "pecho pecho no, pero le doy mi leche en vasito porque no agarra el pezon",
     ["breastfeeding"]),
    ("breastfeeding", "nada mas le doy en las noches, de dia ya come de todo", ["breastfeeding"]),
    ("trying_to_conceive", "lo dejamos cuando me quede sin chamba, y desde diciembre estamos otra vez "
     "en eso", ["trying_to_conceive"]),
    ("trying_to_conceive", "no estamos buscando... bueno, la verdad si, pero no le hemos dicho a nadie",
     ["trying_to_conceive"]),
    ("medications", "el Sintrom que anda en la cocina es de mi abuelo; yo no tomo nada", []),
    ("medications", "de farmacia nada, pero si tomo capsulas de ginseng pa aguantar el turno de noche",
     ["bleeding_risk_supplement"]),
    ("medications", "ningun medicamento, aunque tengo sindrome de Bernard-Soulier y sangro por todo",
     ["anticoagulant"]),
    ("medications", "Relexil de 10, lo estoy tomando por un tiron en el trapecio",
     ["interacting_medication"]),
    ("medications", "Berodual, dos disparos en la mañana y dos en la noche", ["interacting_medication"]),
    ("medications", "Enoxalow, una inyeccion diaria en la panza desde la cirugia de cadera",
     ["anticoagulant"]),
    ("breathing", "desde la operacion de tiroides en noviembre me cuesta pasar la comida",
     ["swallowing_or_breathing_difficulty"]),
    ("breathing", "si me da covid antes de la cita, me cobran la cancelacion?", []),
    ("breathing", "tengo fibrosis pulmonar y uso oxigeno en la noche, me pueden poner igual?",
     ["swallowing_or_breathing_difficulty"]),
    ("skin_infection", "tengo algo en el labio que arde y hormiguea, no se si me va a salir fuego",
     ["skin_infection"]),
    ("skin_infection", "infeccion de oido si, pero en la cara nada", []),
    ("skin_infection", "tengo un erpes en el lavio desde antier", ["skin_infection"]),
    ("event", "si, el martes 28 presento mi libro y va a haber prensa", ["event_within_two_weeks"]),
    ("event", "el lanzamiento de mi marca se atraso de diciembre al viernes 24",
     ["event_within_two_weeks"]),
    ("event", "sip, me graduo dl master el lun 27", ["event_within_two_weeks"]),
    ("prior_treatment", "si, Dysport en la frente hace unos 3 meses y medio", []),
    ("prior_treatment", "no me acuerdo si era botox o acido hialuronico lo que me puso la cosmetologa "
     "en noviembre", ["recent_toxin_treatment"]),
    ("prior_treatment", "si, me puse bottox en la frete en nobiembre", ["recent_toxin_treatment"]),
    ("concerns", "las patas de gallo, aunque el oculista dice que tengo dermatocalasia en los parpados",
     ["heavy_eyelids"]),
    (None, "tengo alergia a la leche de vaca (la proteina, no la lactosa), que marca me pueden poner?",
     ["milk_protein_allergy"]),
    (None, "47 años, tomo aceite de krill, mi ultimo botox fue en Black Friday y quiero estar lista "
     "pal Carnaval", ["bleeding_risk_supplement", "recent_toxin_treatment"]),
    (None, "creo que puedo estar embarazada, tengo nauseas y mucho sueño, mejor no me pongo nada?",
     ["pregnant"]),
])
def test_spanish_phrasings_of_set_9(asked, text, flags):
    assert _spanish_flags(asked, text, MID_JANUARY)[0] == flags


LATE_MAY = date(2031, 5, 21)  # a Wednesday; 90 days back is Friday 20 February


@pytest.mark.parametrize("asked, text, flags", [
    ("breastfeeding", "nada, solo la toma de la madrugada", ["breastfeeding"]),
    ("breastfeeding", "ya lo habia destetado, pero con la gripe volvio a pedir y le estoy dando otra "
     "vez", ["breastfeeding"]),
    ("breastfeeding", "la que esta dando teta es mi vecina, yo no", []),
    ("medications", "no tomo nada... ah no, el Antalgin cuando me viene la regla",
     ["bleeding_risk_supplement"]),
    ("medications", "Omatex, me inyecto una diaria desde la trombosis de la pierna", ["anticoagulant"]),
    ("medications", "Tiocolsid Forte, me lo mando el fisiatra pa la espalda", ["interacting_medication"]),
    ("medications", "Emulsion de Scott, una cucharada diaria como cuando era chiquita",
     ["bleeding_risk_supplement"]),
    ("neuromuscular", "se me cansan los parpados y a veces veo doble, el neurologo me esta haciendo "
     "estudios", ["neuromuscular_disorder"]),
    ("breathing", "respirar bien, pero tragar me cuesta desde hace unas semanas",
     ["swallowing_or_breathing_difficulty"]),
    ("breathing", "tengo un asma que ni con el inhalador se me controla, es riesgoso el botox?",
     ["swallowing_or_breathing_difficulty"]),
    ("skin_infection", "a mi gato le salio una infeccion en la oreja", []),
    ("event", "si, sesion d fotos el vie 23 x mi cumple", ["event_within_two_weeks"]),
    ("prior_treatment", "creo que era botox lo que me pusieron en el spa en marzo, pero nunca me "
     "dijeron la marca", ["recent_toxin_treatment"]),
    ("prior_treatment", "si, me puce botoz en el entresejo en marso", ["recent_toxin_treatment"]),
    ("allergies", "de chiquita era alergica a la leche de vaca, pero se me quito como a los 5", []),
    ("allergies", "tengo alerjia a la proteina de la lexe, no es intolerancia, me lo confirmo la "
     "alergologa", ["milk_protein_allergy"]),
    ("age", "me faltan 3 meses pa cumplir 18", ["under_18"]),
    (None, "hola, 61, se me vienen los parpados encima y las cejas se me cayeron", ["heavy_eyelids"]),
])
def test_spanish_phrasings_of_set_10(asked, text, flags):
    assert _spanish_flags(asked, text, LATE_MAY)[0] == flags


EARLY_SEPTEMBER = date(2031, 9, 10)  # a Wednesday; 90 days back is Thursday 12 June


@pytest.mark.parametrize("asked, text, flags", [
    ("pregnancy", "tuve un aborto espontaneo en mayo y desde ahi nada", []),
    ("pregnancy", "la que esta embarazada es mi cuñada, yo no, yo voy a ser la madrina", []),
    ("pregnancy", "todavia no, seguimos en tratamiento en una clinica de fertilidad",
     ["trying_to_conceive"]),
    ("breastfeeding", "le di hasta los 4 meses y ya nomas toma formula", []),
    ("breastfeeding", "directo ya no, pero me sigo sacando leche pa la guarderia", ["breastfeeding"]),
    ("medications", "despues de la cirugia de 2029 tome Eliquis un mes", []),
    ("medications", "ninguna medicina, pero tengo deficit de factor VII", ["anticoagulant"]),
    ("medications", "asido acetil salisilico de 100 en la mañana", ["bleeding_risk_supplement"]),
    ("medications", "Dolalgial cuando me duele la regla", ["bleeding_risk_supplement"]),
    ("breathing", "de niña tuve asma hasta los 10, de ahi se fue y no ha regresado", []),
    ("skin_infection", "el que tiene fuegos es mi roomie, yo no", []),
    ("event", "ninguno, solo una cena de la oficina el viernes 26", []),
    ("event", "yes, my brother's wedding es el Saturday 27", []),  # 17 days away
    ("event", "el evento grande ya paso, fue la boda de mi prima en julio", []),
    ("allergies", "me dio anafilacsia con una toxina en la frente hase 3 años", ["toxin_allergy"]),
    ("age", "el 20 de diciembre cumplo los 18", ["under_18"]),
    (None, "tengo 52 y me recetaron oxibutinina pa la vejiga, puedo hacerme la frente?",
     ["interacting_medication"]),
    (None, "hola! mi alergologa me dijo que no puedo con Dysport por mi alergia a la proteina de "
     "la leche, hay otra?", ["milk_protein_allergy"]),
])
def test_spanish_phrasings_of_set_11(asked, text, flags):
    assert _spanish_flags(asked, text, EARLY_SEPTEMBER)[0] == flags


@pytest.mark.parametrize("text, age", [("tengo 36 desde marzo", 36),
                                       ("naci el 11 de septiembre del 89", 41),
                                       ("yo 29 y mi hermana 33, vamos juntas", 29)])
def test_spanish_ages_of_set_11(text, age):
    turn = _spanish_flags("age", text, EARLY_SEPTEMBER)[1]
    assert turn.state.answers["age"].findings[0].detail.get("age") == age


LATE_FEBRUARY = date(2032, 2, 24)  # a Tuesday; 90 days back is Wednesday 26 November


@pytest.mark.parametrize("asked, text, flags", [
    ("pregnancy", "perdi el embarazo en diciembre y desde entonces nada", []),
    ("breastfeeding", "le di pecho hasta los 6 meses, ahora ya toma puro biberon", []),
    ("breastfeeding", "nada mas la toma de la noche", ["breastfeeding"]),
    ("breastfeeding", "si algun dia tengo otro y le doy pecho, podria ponerme igual?", []),
    ("trying_to_conceive", "quien busca bebe es mi compadre con su esposa, yo no", []),
    ("medications", "antes tomaba ibuprofeno diario, ahora solo Termalgin", []),
    ("medications", "con receta nada, aunque me echo un Tabalon cuando me duele la cabeza",
     ["bleeding_risk_supplement"]),
    ("medications", "ciclobensaprina pq tengo la espalda tiesa", ["interacting_medication"]),
    ("medications", "AAS 100 diario desde el infarto", ["bleeding_risk_supplement"]),
    ("medications", "Artrotec cuando me duele la cadera y orfenadrina pa los calambres",
     ["bleeding_risk_supplement", "interacting_medication"]),
    ("breathing", "tuve asma de chica, ahora nada, hasta corro", []),
    ("breathing", "respirar bien, pero las pastillas se me quedan atoradas",
     ["swallowing_or_breathing_difficulty"]),
    ("breathing", "no, solo me ahogo en deudas", []),
    ("skin_infection", "el impetigo lo tiene mi chamaca, yo no", []),
    ("skin_infection", "de la cara limpia, lo que tengo es pie de atleta", []),
    ("allergies", "de alergias nada, ni al polen", []),
    ("concerns", "las patas de gallo, pero tambien se me estan cayendo los parpados",
     ["heavy_eyelids"]),
])
def test_spanish_phrasings_of_set_12(asked, text, flags):
    assert _spanish_flags(asked, text, LATE_FEBRUARY)[0] == flags


@pytest.mark.parametrize("text, age", [("me case a los 30 y ya voy en 52", 52),
                                       ("me faltan unos meses pa los 18", 17)])
def test_spanish_ages_of_set_12(text, age):
    turn = _spanish_flags("age", text, LATE_FEBRUARY)[1]
    assert turn.state.answers["age"].findings[0].detail.get("age") == age


def test_a_spanish_age_since_which_a_medicine_is_taken_is_not_the_age():
    turn = _spanish_flags("medications", "AAS 100, una al dia desde que cumpli 65", LATE_FEBRUARY)[1]
    assert turn.state.answers.get("age") is None


def test_misspelt_spanish_that_looks_portuguese_is_read_as_spanish():
    turn = _spanish_flags(None, "ola buenas, kiero info del votox pa la frente, tengo 39",
                          LATE_FEBRUARY)[1]
    assert turn.state.conversation_language == "es"
    assert turn.state.answers["age"].findings[0].detail.get("age") == 39


def test_portuguese_stays_another_language():
    turn = _spanish_flags(None, "ola, tenho 42 anos e quero botox na testa", LATE_FEBRUARY)[1]
    assert turn.state.conversation_language == "en" and "utter_other_language" in turn.replies


LATE_JULY = date(2032, 7, 20)  # a Tuesday; 90 days back is Wednesday 21 April


@pytest.mark.parametrize("asked, text, flags", [
    ("medications", "tomo Xaraban por la trombosis de la pierna", ["anticoagulant"]),
    ("medications", "Geloprofen cuando me duele la cabeza", ["bleeding_risk_supplement"]),
    ("medications", "nada recetado, pero soy hemofilica", ["anticoagulant"]),
    ("breastfeeding", "lo deje un mes pero volvi y ahorita sigue mamando", ["breastfeeding"]),
    ("breastfeeding", "le di pecho los primeros 2 meses, desde entonces solo formula", []),
    ("skin_infection", "mi cipota trajo impetigo del kinder, pero yo estoy limpia", []),
    ("breathing", "respirar bien, lo que pasa es que me atoro con el pan", ["swallowing_or_breathing_difficulty"]),
    ("prior_treatment", "en junio una cosmetologa me inyecto algo, nunca me dijo que era",
     ["recent_toxin_treatment"]),
    (None, "soy alergica a la proteina de la leche, hay alguna toxina que no me pongan?",
     ["milk_protein_allergy"]),
])
def test_spanish_phrasings_of_set_13(asked, text, flags):
    assert _spanish_flags(asked, text, LATE_JULY)[0] == flags


@pytest.mark.parametrize("asked, text", [
    ("pregnancy", "nda, cero chance"),
    ("pregnancy", "ya no, di a luz en abril"),
    ("neuromuscular", "tuve una paralisis de Bell en 2029, ya estoy recuperada al 100"),
    ("breathing", "trago y respiro sin ningun problema"),
    ("allergies", "la leche me cae mal pero es intolerancia, la alergia me la descartaron"),
])
def test_spanish_noes_of_set_13_close(asked, text):
    from bot.models import Polarity

    turn = _spanish_flags(asked, text, LATE_JULY)[1]
    polarities = {f.polarity for f in turn.state.answers[asked].findings}
    assert asked not in outstanding(turn.state)
    assert Polarity.ABSENT in polarities and Polarity.PRESENT not in polarities


def test_spanglish_that_the_detector_calls_english_is_read_as_spanish():
    turn = _spanish_flags(None, "hey! tengo 29 y quiero botox, hay slots este weekend?", LATE_JULY)[1]
    assert turn.state.conversation_language == "es"
    assert turn.state.answers["age"].findings[0].detail.get("age") == 29
