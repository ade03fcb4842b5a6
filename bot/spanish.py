"""Reading a patient's Spanish: a domain gloss into the plain English the reader understands.

One reader decides everything. Rather than a second set of extractors (and a second set of
safety rules that could drift apart), a Spanish message is glossed phrase by phrase into the
plain English a patient would have written ("no estoy embarazada" -> "i am not pregnant",
"mi hermana sí" -> "my sister yes", "tomaba aspirina" -> "i used to take aspirin"), keeping
what carries meaning for the reader: negation, the past, another person, a hypothetical, doubt,
dates and numbers. The English reader (bot.parsing, bot.text) then reads it with its own
assertion rules, and every flag is decided by the same deterministic screening.

The patient's own words are never lost: `Gloss.to_spanish` turns any piece of the gloss (a
finding's evidence, an answer's text) back into the Spanish it came from, segment by segment,
so staff see what the patient wrote.

The vocabulary below is data: phrases (accents dropped, lower case, SMS shorthand expanded)
and what they mean. Longer phrases win; a word with no entry passes through as written (names,
brands, English words in a Spanglish message).

    >>> gloss("No estoy embarazada").english
    'i am not pregnant'
    >>> gloss("mi hermana sí, yo no").english
    'my sister yes, not me'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from bot.text import _negated_before, edit_distance, is_english_word, normalise, swapped

# --- the words ------------------------------------------------------------------------------

# SMS shorthand and frequent misspellings, one word to its full form (read before phrases).
SHORTHAND = {
    # "beintisiete": a b for the v of the twenties
    "beintiuno": "veintiuno", "beintidos": "veintidos", "beintitres": "veintitres",
    "beinticuatro": "veinticuatro", "beinticinco": "veinticinco", "beintiseis": "veintiseis",
    "beintisiete": "veintisiete", "beintiocho": "veintiocho", "beintinueve": "veintinueve",
    "ija": "hija", "ijo": "hijo", "sabdo": "sabado", "sbdo": "sabado", "mallo": "mayo",
    "q": "que", "k": "que", "ke": "que", "xq": "porque", "pq": "porque", "porq": "porque",
    "xk": "porque", "tb": "tambien", "tmb": "tambien", "tbn": "tambien", "tambn": "tambien",
    "x": "por", "d": "de", "toy": "estoy", "tamos": "estamos", "ta": "esta", "tas": "estas",
    "pa": "para", "ntp": "no te preocupes", "nd": "nada", "ns": "no se", "nc": "no se",
    "sip": "si", "sipi": "si", "sii": "si", "sep": "si", "simon": "si", "sis": "si", "sì": "si",
    "nel": "no", "nop": "no", "nopi": "no", "nones": "no", "noo": "no", "nope": "no",
    "bn": "bien", "xfa": "por favor", "porfa": "por favor", "porfis": "por favor",
    "msj": "mensaje", "grax": "gracias", "grs": "gracias", "salu2": "saludos", "tqm": "",
    "aki": "aqui", "ahi": "ahi",  # kept: a Spanish word the gloss leaves as it is "weno": "bueno", "wena": "buena", "oki": "ok", "okey": "ok",
    "okay": "ok", "dnd": "donde", "cdo": "cuando", "qdo": "cuando", "mñn": "manana",
    "mna": "manana", "hrs": "horas", "sem": "semanas", "sems": "semanas", "tmpc": "tampoco",
    "tampco": "tampoco", "tnemos": "tenemos", "tngo": "tengo", "tego": "tengo", "tomoo": "tomo",
    "embarasada": "embarazada", "enbarazada": "embarazada", "embrazada": "embarazada",
    "embarazda": "embarazada", "embarazadaa": "embarazada", "embaraz": "embarazada",
    "alerjica": "alergica", "alergika": "alergica",
    "alerjico": "alergico", "alergiko": "alergico", "alerjia": "alergia",
    "medicametos": "medicamentos", "medicamntos": "medicamentos",
    "pastiyas": "pastillas", "pastias": "pastillas", "aspirna": "aspirina", "aspirinas": "aspirina",
    "asprina": "aspirina", "aspririna": "aspirina", "botx": "botox", "votox": "botox",
    "bottox": "botox", "boto": "botox", "amamantado": "amamantando", "amamantandoo": "amamantando",
    "lactansia": "lactancia", "lactanzia": "lactancia",
    "infecion": "infeccion", "infexion": "infeccion", "ynfeccion": "infeccion",
    "anio": "ano", "anios": "anos", "anyos": "anos",
    "vitamna": "vitamina", "bitamina": "vitamina", "omega3": "omega 3",
    "tomandoo": "tomando", "azma": "asma",
    "trajar": "tragar", "miastemia": "miastenia",
    "semanaa": "semana", "m": "me", "t": "te", "sab": "sabado", "dom": "domingo",
    "lun": "lunes", "juev": "jueves", "vier": "viernes", "erpes": "herpes", "lavio": "labio",
    "frete": "frente", "nobiembre": "noviembre", "dl": "del", "jeuves": "jueves", "ennero": "enero",
    "pienzo": "pienso",
    "llebo": "llevo", "yebo": "llevo", "sita": "cita", "ola": "hola", "soi": "soy", "estoi": "estoy",
    "boi": "voy", "leshe": "leche", "baca": "vaca",
    "retrazo": "retraso", "abirl": "abril", "aseite": "aceite", "jinseng": "ginseng",
    "sivil": "civil", "biernes": "viernes", "cuanod": "cuando", "tdo": "todo", "beintinuebe": "veintinueve",
    "beinte": "veinte", "nuebe": "nueve", "bentinueve": "veintinueve", "dies": "diez", "sincuenta": "cincuenta",
    "consentro": "concentro", "nose": "no se", "seman": "semana", "xa": "para", "xo": "pero", "pro": "pero",
    "tons": "entonces", "entons": "entonces", "namas": "nomas",
    "sinquenta": "cincuenta", "sinkuenta": "cincuenta", "imfeccion": "infeccion",
    "aigre": "aire", "enficema": "enfisema", "vaclofeno": "baclofeno",
    "cunis": "cunada", "anoz": "anos", "anyoz": "anos",
}

# Phrases, longest first when read; values are the English a patient would have written.
# Grouped by what they carry. Keys: lower case, no accents, shorthand already expanded.
PHRASES: dict[str, str] = {}


def _add(table: dict[str, str]) -> None:
    PHRASES.update(table)


# Choosing the language itself, and greetings.
_add({
    "hola": "hi", "buenas": "hi", "buenos dias": "good morning", "buenas tardes": "good afternoon",
    "buenas noches": "good evening", "que tal": "hi", "gracias": "thanks",
    "muchas gracias": "thank you", "mil gracias": "thank you", "de nada": "youre welcome",
    "por favor": "please", "saludos": "regards", "bendiciones": "regards", "disculpe": "sorry",
    "disculpa": "sorry", "perdon": "sorry", "lo siento": "sorry", "adios": "bye",
    "hasta luego": "bye", "ok": "ok", "vale": "ok", "va": "ok", "sale": "ok", "dale": "ok",
    "de acuerdo": "ok", "entendido": "ok", "listo": "done", "bueno": "well", "pues": "well",
    "ps": "well", "oye": "hey", "mire": "look", "mira": "look", "jaja": "haha", "jajaja": "haha",
    "jeje": "haha", "jajajaja": "haha", "ntp": "no worries", "no te preocupes": "no worries",
})

# Yes, no, doubt.
_add({
    "saber si": "know if", "preguntar si": "ask if", "pregunto si": "ask if", "ver si": "see if",
    "si": "yes", "claro": "yes of course", "claro que si": "yes of course", "por supuesto": "yes of course",
    "obvio": "yes obviously", "afirmativo": "yes", "correcto": "correct", "exacto": "yes exactly",
    "asi es": "yes", "eso es": "yes", "efectivamente": "yes", "seguro": "sure",
    "desde luego": "yes of course", "cierto": "right", "todo bien": "all good",
    "todo correcto": "all correct", "esta bien": "that is right", "esta todo bien": "all good",
    "si esta bien": "yes that is right", "asi esta bien": "that is right",
    "no": "no", "para nada": "not at all", "en absoluto": "not at all", "negativo": "no",
    "de ninguna manera": "no way", "ni modo": "no", "que va": "no way", "ni de broma": "no way",
    "nada que ver": "no", "ni loca": "no way", "ni loco": "no way", "nunca": "never",
    "jamas": "never", "nunca jamas": "never", "nada": "nothing", "nada de nada": "nothing at all",
    "ninguno": "none", "ninguna": "none", "cero": "none", "ninguno cero": "none", "ningunos": "none", "ningunas": "none", "ningun": "no",
    "ni uno": "none", "ni una": "none", "tampoco": "no", "yo tampoco": "no", "ni": "nor",
    "ni embarazada": "not pregnant", "ni dando pecho": "not breastfeeding",
    "ni lactando": "not breastfeeding", "sin": "without", "no tengo nada": "i have nothing", "no tomo nada": "i take nothing",
    "nada de eso": "none of that", "nada por ahora": "nothing right now",
    "no se": "not sure", "yo no se": "i dont know", "no lo se": "i dont know",
    "no sabria decir": "not sure", "no sabria": "not sure", "no estoy segura": "im not sure",
    "no estoy seguro": "im not sure", "no estoy muy segura": "im not sure",
    "no estoy muy seguro": "im not sure", "ni idea": "no idea", "quien sabe": "who knows",
    "tal vez": "maybe", "talvez": "maybe", "quizas": "maybe", "quiza": "maybe",
    "a lo mejor": "maybe", "capaz": "maybe", "puede ser": "maybe", "puede que": "maybe",
    "puede que si": "maybe", "igual si": "maybe", "posiblemente": "possibly",
    "probablemente": "probably", "probablemente no": "probably not", "creo que si": "i think so",
    "creo que no": "i dont think so", "no creo": "i dont think so", "no creo que": "i dont think",
    "creo que": "i think", "creo": "i think", "pienso que": "i think", "me parece que": "i think",
    "espero que no": "i hope not", "ojala que no": "i hope not", "ojala no": "i hope not",
    "no que yo sepa": "not that i know of", "que yo sepa no": "not that i know of",
    "que yo sepa": "as far as i know", "no que sepa": "not that i know of",
    "supongo que no": "i dont think so", "supongo que si": "i think so", "supongo": "i suppose",
    "igual": "maybe", "mas o menos": "sort of", "no estoy segura si": "im not sure if",
    "no estoy seguro si": "im not sure if", "no me acuerdo": "i cant remember",
    "no recuerdo": "i cant remember", "no me acuerdo bien": "i cant remember",
    "la verdad no": "honestly no", "la verdad que no": "honestly no", "la verdad": "honestly",
    "de hecho": "actually", "en realidad": "actually", "bueno no": "well no", "pues no": "well no",
    "pues si": "well yes", "si si": "yes", "no no": "no", "si claro": "yes of course",
    "o sea": "i mean", "osea": "i mean", "digo": "i mean", "mejor dicho": "i mean",
    "espera": "wait", "espere": "wait", "un momento": "one moment", "perdon quise decir": "sorry i meant",
    "me equivoque": "sorry i was wrong", "corrijo": "correction", "rectifico": "correction",
})

# People other than the patient (the English reader knows "my sister is pregnant").
_add({
    "yo": "i", "yo no": "not me", "yo si": "i do", "a mi no": "not me", "a mi si": "i do",
    "a mi tampoco": "not me", "yo tampoco": "not me", "yo a nada": "not me, nothing",
    "yo a ninguna": "not me, none", "yo nada": "not me, nothing", "yo ninguna": "not me, none",
    "a mi nada": "not me, nothing", "yo ninguno": "not me, none",
    "mi hermana": "my sister", "mi hermano": "my brother", "mi mama": "my mom",
    "mi madre": "my mother", "mi mami": "my mom", "mi papa": "my dad", "mi padre": "my father",
    "mi esposo": "my husband", "mi marido": "my husband", "mi esposa": "my wife",
    "mi mujer": "my wife", "mi pareja": "my partner", "mi novio": "my boyfriend",
    "mi novia": "my girlfriend", "mi hija": "my daughter", "mi hijo": "my son",
    "mis hijos": "my kids", "mi prima": "my cousin", "mi primo": "my cousin", "mi tia": "my aunt",
    "mi tio": "my uncle", "mi abuela": "my grandma", "mi abuelo": "my grandpa",
    "mi suegra": "my mother in law", "mi suegro": "my father in law", "mi cunada": "my sister in law",
    "mi cunado": "my brother in law", "mi sobrina": "my niece", "mi sobrino": "my nephew",
    "mi amiga": "my friend", "mi amigo": "my friend", "una amiga": "a friend", "un amigo": "a friend",
    "mi vecina": "my neighbour", "mi jefa": "my boss", "mi companera": "my coworker",
    "mi nuera": "my daughter in law", "la nena": "my baby", "mi nena": "my baby",
    "mi bebe": "my baby", "el bebe": "the baby", "la bebe": "the baby", "mi gorda": "my daughter",
    "ella": "she", "el": "the", "ellos": "they", "ellas": "they", "nosotros": "we",
    "ustedes": "you", "usted": "you", "tu": "you", "su": "their", "sus": "their",
})

# Pregnancy, breastfeeding, trying to conceive.
_add({
    "embarazada": "pregnant", "embarazadas": "pregnant", "encinta": "pregnant",
    "en estado": "pregnant", "en cinta": "pregnant", "en espera": "expecting",
    "esperando un bebe": "expecting a baby", "esperando bebe": "expecting a baby",
    "embarazo": "pregnancy", "mi embarazo": "my pregnancy", "el embarazo": "the pregnancy",
    "me embarazo": "i get pregnant", "me embarace": "i got pregnant",
    "quedar embarazada": "get pregnant", "quede embarazada": "i got pregnant",
    "quedo embarazada": "i get pregnant", "salgo embarazada": "i get pregnant",
    "salir embarazada": "get pregnant", "embarazarme": "get pregnant",
    "embarazarnos": "get pregnant", "prueba de embarazo": "pregnancy test",
    "test de embarazo": "pregnancy test", "salio positiva": "came out positive",
    "salio negativa": "came out negative", "positivo": "positive", "negativo": "negative",
    "retraso": "late period", "tengo un retraso": "my period is late", "atrasada": "late",
    "me toca la regla": "my period is due", "me bajo la regla": "my period came",
    "me bajo": "my period came", "me vino la regla": "my period came", "la regla": "my period",
    "regla": "period", "periodo": "period", "menstruacion": "period", "semanas de embarazo": "weeks pregnant",
    "dar a luz": "give birth", "di a luz": "i gave birth", "parto": "birth", "tuve a mi bebe": "i had my baby",
    "naci": "i was born", "nacio": "was born", "perdi un embarazo": "i lost a pregnancy",
    "aborto": "miscarriage", "perdida": "miscarriage", "menopausia": "menopause",
    "ligadura de trompas": "tubes tied", "me ligaron": "my tubes are tied",
    "operada para no tener": "tubes tied", "vasectomia": "vasectomy",
    "amamantando": "breastfeeding", "amamanto": "i breastfeed", "amamantar": "breastfeed",
    "lactancia": "breastfeeding", "lactando": "breastfeeding", "lacto": "i breastfeed",
    "lactancia materna": "breastfeeding", "dando pecho": "breastfeeding", "doy pecho": "i breastfeed",
    "doy el pecho": "i breastfeed", "le doy pecho": "i breastfeed", "le doy el pecho": "i breastfeed",
    "dando el pecho": "breastfeeding", "doy de mamar": "i breastfeed", "dando de mamar": "breastfeeding",
    "doy teta": "i breastfeed", "le doy teta": "i breastfeed", "dando teta": "breastfeeding",
    "pecho": "breast", "teta": "breast", "toma pecho": "breastfeeds", "mama": "breastfeeds",
    "daba pecho": "i used to breastfeed", "di pecho": "i breastfed", "le di pecho": "i breastfed",
    "di de mamar": "i breastfed", "le di de mamar": "i breastfed", "di teta": "i breastfed",
    "amamante": "i breastfed", "embarazada de": "pregnant with", "gemelos": "twins",
    "mellizos": "twins", "bebe": "baby", "las 11": "the 11s", "los 11": "the 11s",
    "las onces": "the 11s", "los onces": "the 11s", "le daba pecho": "i used to breastfeed",
    "deje de dar pecho": "i stopped breastfeeding", "deje de amamantar": "i stopped breastfeeding",
    "ya no doy pecho": "i dont breastfeed anymore", "ya no le doy pecho": "i dont breastfeed anymore",
    "destete": "weaned", "destetado": "weaned", "destetada": "weaned", "ya lo destete": "i weaned",
    "me saco leche": "i pump", "saco leche": "i pump", "sacandome leche": "pumping",
    "extraigo leche": "i pump", "extrayendo leche": "pumping", "sacaleches": "breast pump",
    "tiraleches": "breast pump", "extractor": "breast pump", "formula": "formula",
    "biberon": "bottle", "mamila": "bottle", "mamadera": "bottle", "tetero": "bottle",
    "buscando bebe": "trying for a baby", "buscando un bebe": "trying for a baby",
    "buscando embarazo": "trying to get pregnant", "buscando el bebe": "trying for a baby",
    "buscando familia": "trying for a baby", "buscando otro bebe": "trying for another baby",
    "intentando quedar embarazada": "trying to get pregnant",
    "intentando embarazarme": "trying to get pregnant", "intentando tener un bebe": "trying for a baby",
    "tratando de quedar embarazada": "trying to get pregnant",
    "tratando de embarazarme": "trying to get pregnant", "tratando de tener un bebe": "trying for a baby",
    "intentando": "trying", "tratando": "trying", "buscando": "trying for",
    "queremos tener un bebe": "we want to have a baby", "queremos un bebe": "we want a baby",
    "fertilidad": "fertility", "tratamiento de fertilidad": "fertility treatment",
    "in vitro": "ivf", "fiv": "ivf", "inseminacion": "iui", "anticonceptivo": "contraception",
    "anticonceptivos": "contraception", "pastilla anticonceptiva": "birth control pill",
    "pastillas anticonceptivas": "birth control pills", "la pastilla": "the pill",
    "diu": "iud", "implante": "implant", "inyeccion anticonceptiva": "contraceptive injection",
    "me cuido": "i use contraception", "nos cuidamos": "we use contraception",
    "planificando": "using contraception", "planifico": "i use contraception",
})

# Verbs, by person and time: "tomo" is the patient now, "tomaba" the past, "toma" someone else.
_add({
    "estoy": "i am", "estaba": "i was", "estuve": "i was", "esta": "is", "estan": "they are",
    "estamos": "we are", "estas": "you are", "estare": "i will be", "estaria": "i would be",
    "no estoy": "i am not", "ya no estoy": "i am not anymore", "no esta": "is not",
    "no estaba": "i was not", "soy": "i am", "no soy": "i am not", "era": "i was", "fui": "i was",
    "es": "is", "no es": "is not", "son": "are", "seria": "would be", "fue": "was",
    "tengo": "i have", "no tengo": "i dont have", "tenia": "i had", "no tenia": "i did not have",
    "tuve": "i had", "no tuve": "i did not have", "tiene": "has", "no tiene": "does not have",
    "tienen": "have", "tenemos": "we have", "tendre": "i will have", "tendria": "i would have",
    "ya no tengo": "i dont have anymore", "aun tengo": "i still have", "todavia tengo": "i still have",
    "sigo con": "i still have", "sigo": "i am still", "sigue": "still", "siguo": "i am still",
    "tomo": "i take", "no tomo": "i dont take", "tomaba": "i used to take", "tome": "i took",
    "toma": "takes", "no toma": "does not take", "tomamos": "we take", "tomar": "take",
    "tomando": "taking", "estoy tomando": "i am taking", "no estoy tomando": "i am not taking",
    "ya no tomo": "i dont take anymore", "deje de tomar": "i stopped taking",
    "dejo de tomar": "stopped taking", "deje": "i stopped", "lo deje": "i stopped it",
    "la deje": "i stopped it", "los deje": "i stopped them", "las deje": "i stopped them",
    "deje de": "i stopped", "dejamos de": "we stopped", "suspendi": "i stopped",
    "he tomado": "i have taken", "he dejado": "i have stopped", "uso": "i use", "no uso": "i dont use",
    "usaba": "i used to use", "use": "i used", "usando": "using", "ocupo": "i use",
    "me pongo": "i use", "me ponia": "i used to use", "me unto": "i use",
    "sufro de": "i have", "sufro": "i suffer", "padezco de": "i have", "padezco": "i have",
    "sufria de": "i used to have", "padecia": "i used to have", "me diagnosticaron": "i was diagnosed with",
    "me detectaron": "i was diagnosed with", "me dijeron que tengo": "i was told i have",
    "diagnosticada": "diagnosed", "diagnosticado": "diagnosed", "diagnostico": "diagnosis",
    "he": "i have", "no he": "i have not", "ha": "has", "han": "have", "hemos": "we have",
    "hay": "there is", "no hay": "there is not", "habia": "there was", "hubo": "there was",
    "he tenido": "i have had", "nunca he tenido": "i have never had", "no he tenido": "i have not had",
    "he estado": "i have been", "quiero": "i want", "queria": "i wanted", "quisiera": "i would like",
    "me gustaria": "i would like", "necesito": "i need", "puedo": "can i", "podria": "could i",
    "debo": "should i", "tengo que": "do i have to", "hay que": "do i need to",
    "voy a": "i am going to", "vamos a": "we are going to", "va a": "is going to",
    "me duele": "it hurts", "duele": "does it hurt", "me molesta": "bothers me",
    "me molestan": "bother me", "me preocupa": "worries me", "me preocupan": "worry me",
    "me cuesta": "i have trouble", "me cuesta trabajo": "i have trouble",
    "me da": "i get",
    "me sale": "i get", "me salen": "i get", "me paso": "it happened to me", "paso": "happened",
    "se me quito": "it cleared up", "se quito": "it cleared up", "ya se quito": "it has cleared up",
    "ya se me quito": "it has cleared up", "ya se curo": "it has cleared up",
    "se curo": "it cleared up", "ya sano": "it has healed", "sano": "healed",
    "ya paso": "it is over", "ya se fue": "it has gone", "se fue": "it went away",
    "se me paso": "it went away", "no se me ha quitado": "it has not cleared up",
    "no se ha quitado": "it has not cleared up", "no se quita": "it does not go away",
    "ya esta bien": "it is fine now", "ya estoy bien": "i am fine now",
    "ya me recupere": "i have recovered", "me recupere": "i recovered",
    "soy hombre": "i am a man", "soy varon": "i am a man", "soy un hombre": "i am a man",
    "soy el esposo": "i am the husband", "soy el papa": "i am the dad", "soy el marido": "i am the husband",
    "soy menor": "i am under 18", "soy menor de edad": "i am under 18", "menor de edad": "under 18",
    "me lo quitaron": "i was taken off it", "me la quitaron": "i was taken off it",
    "me los quitaron": "i was taken off them", "me quitaron": "i was taken off",
    "me lo suspendieron": "i was taken off it", "me lo cambiaron": "i was switched",
    "me quieren recetar": "they want to prescribe me", "me van a recetar": "i will be prescribed",
    "me recetaron": "i was prescribed", "recetar": "prescribe", "recetado": "prescribed",
    "me equivoco": "sorry i meant", "perdona": "sorry", "perdoname": "sorry",
    "me dio": "i had", "me salio": "i got", "me salieron": "i got",
    # "sospecharon miastenia pero los estudios salieron normales": tested, and it was not that
    "salieron normales": "came back normal", "salio normal": "came back normal",
    "salieron bien": "came back normal", "salio bien": "came back normal",
    "salieron negativos": "came back negative", "salio negativo": "came back negative",
    "salio negativa": "came back negative", "salieron negativas": "came back negative",
    "los estudios": "the tests", "todos los estudios": "all the tests", "estudios": "tests",
    "sospecharon": "they suspected", "lo descartaron": "it was ruled out",
    "la descartaron": "it was ruled out", "descartaron": "ruled out", "descartado": "ruled out",
    "ya esta curada": "it has healed", "ya esta curado": "it has healed", "curada": "healed",
    "curado": "healed", "pupa": "cold sore", "pupas": "cold sores",
    "sigue tomando pecho": "still breastfeeds", "sigue tomando el pecho": "still breastfeeds",
    "todavia toma pecho": "still breastfeeds", "casi lo desteto": "mostly weaned",
    "casi la desteto": "mostly weaned", "casi destetado": "mostly weaned",
    "le doy antes de dormir": "one feed before bed", "solo le doy en la noche": "one feed at night",
    "un par de": "a couple of", "ya te mande": "i already sent", "te mande": "i sent",
    "mande": "i sent", "envie": "i sent", "subi": "i uploaded", "primaveras": "years old",
    "abuelita": "grandma", "mi abuelita": "my grandma", "la del": "the one on", "el del": "the one on",
    "el mas chico": "my youngest", "la mas chica": "my youngest", "el mas pequeno": "my youngest",
    "la mas pequena": "my youngest", "mi chiquito": "my little one", "mi chiquita": "my little one",
    "me llamo": "my name is", "mi nombre es": "my name is", "me dicen": "call me",
    "soy la": "i am", "llamame": "call me",
})

# Time: now, the past, the future, dates.
_add({
    "ahora": "now", "ahorita": "right now", "ahora mismo": "right now", "actualmente": "currently",
    "en este momento": "at the moment", "por ahora": "for now", "hoy": "today", "hoy en dia": "these days",
    "todavia": "still", "aun": "still", "ya": "already", "ya no": "not anymore",
    "antes": "before", "antes si": "i used to", "antes tomaba": "i used to take",
    "hace": "AGO", "hace como": "AGO about", "hace unos": "AGO about", "hace unas": "AGO about",
    "hace mas o menos": "AGO about", "hace aproximadamente": "AGO about", "hace casi": "AGO almost",
    "hace tiempo": "a long time ago", "hace mucho": "a long time ago",
    "hace mucho tiempo": "a long time ago", "hace anos": "years ago", "hace unos anos": "a few years ago",
    "hace poco": "recently", "hace un rato": "a while ago", "hace unos dias": "a few days ago",
    "hace unas semanas": "a few weeks ago", "hace unos meses": "a few months ago",
    "de nina": "as a child", "de nino": "as a child", "de chica": "as a kid", "de chico": "as a kid",
    "de pequena": "as a child", "de pequeno": "as a child", "de chiquita": "as a child",
    "de chiquito": "as a child", "cuando era nina": "when i was a child",
    "cuando era nino": "when i was a child", "cuando era chica": "when i was a kid",
    "cuando era joven": "when i was young", "de joven": "when i was young",
    "de adolescente": "as a teenager", "en la adolescencia": "as a teenager",
    "el ano pasado": "last year", "el mes pasado": "last month", "la semana pasada": "last week",
    "el otro dia": "the other day", "anteayer": "the day before yesterday", "ayer": "yesterday",
    "antier": "the day before yesterday", "manana": "tomorrow", "pasado manana": "the day after tomorrow",
    "la manana": "the morning", "por la manana": "in the morning", "en la manana": "in the morning",
    "esta manana": "this morning", "esta semana": "this week", "esta noche": "tonight",
    "esta tarde": "this afternoon", "esta vez": "this time", "este mes": "this month",
    "este ano": "this year", "este fin de semana": "this weekend", "fin de semana": "weekend",
    "el fin de semana": "the weekend", "el proximo fin de semana": "next weekend",
    "el fin de semana que viene": "next weekend", "la semana que viene": "next week",
    "la proxima semana": "next week", "la semana proxima": "next week", "la semana que entra": "next week",
    "el mes que viene": "next month", "el proximo mes": "next month", "el mes que entra": "next month",
    "el ano que viene": "next year", "el proximo ano": "next year", "el otro ano": "next year",
    "fin de mes": "the end of the month", "a fin de mes": "at the end of the month",
    "a finales de mes": "at the end of the month", "para fin de mes": "at the end of the month",
    "a fines de": "late", "a finales de": "late", "a principios de": "early", "a mediados de": "mid",
    "dentro de": "in", "en": "in", "de aqui a": "in", "en una semana": "in a week",
    "en dos semanas": "in 2 weeks", "en quince dias": "in 2 weeks", "en 15 dias": "in 15 days",
    "dentro de quince dias": "in 2 weeks", "en un mes": "in a month", "en unos dias": "in a few days",
    "en pocos dias": "in a few days", "pronto": "soon", "muy pronto": "very soon",
    "dia": "day", "dias": "days", "semana": "week", "semanas": "weeks", "mes": "month",
    "meses": "months", "ano": "year", "anos": "years", "hora": "hour", "horas": "hours",
    "de vez en cuando": "now and then", "a veces": "sometimes", "todos los dias": "every day",
    "diario": "daily", "a diario": "daily", "cada dia": "every day", "diariamente": "daily",
    "cada manana": "every morning", "cada noche": "every night", "en las noches": "at night",
    "por las noches": "at night", "en la noche": "at night", "una vez al dia": "once a day",
    "dos veces al dia": "twice a day", "cuando me duele la cabeza": "when i get a headache",
    "dolor de cabeza": "headache", "cuando lo necesito": "when i need it", "ocasionalmente": "occasionally",
    "siempre": "always", "casi nunca": "hardly ever", "rara vez": "rarely",
    "la ultima vez": "the last time", "ultima vez": "last time", "la primera vez": "the first time",
    "primera vez": "first time", "es mi primera vez": "it is my first time", "seria mi primera vez": "it would be my first time",
    "enero": "january", "febrero": "february", "marzo": "march", "abril": "april", "mayo": "may",
    "junio": "june", "julio": "july", "agosto": "august", "septiembre": "september",
    "setiembre": "september", "octubre": "october", "noviembre": "november", "diciembre": "december",
    "lunes": "monday", "martes": "tuesday", "miercoles": "wednesday", "jueves": "thursday",
    "viernes": "friday", "sabado": "saturday", "domingo": "sunday",
    "el sabado que viene": "next saturday", "el proximo sabado": "next saturday",
    "el domingo que viene": "next sunday", "el proximo domingo": "next sunday",
    "el viernes que viene": "next friday", "el proximo viernes": "next friday",
    "el lunes que viene": "next monday", "el proximo lunes": "next monday",
    "el martes que viene": "next tuesday", "el proximo martes": "next tuesday",
    "el miercoles que viene": "next wednesday", "el proximo miercoles": "next wednesday",
    "el jueves que viene": "next thursday", "el proximo jueves": "next thursday",
    "este sabado": "this saturday", "este domingo": "this sunday", "este viernes": "this friday",
    "este lunes": "this monday", "este martes": "this tuesday", "este miercoles": "this wednesday",
    "este jueves": "this thursday", "el sabado": "on saturday", "el domingo": "on sunday",
    "el viernes": "on friday", "el lunes": "on monday", "el martes": "on tuesday",
    "el miercoles": "on wednesday", "el jueves": "on thursday", "navidad": "christmas",
    "ano nuevo": "new year", "semana santa": "easter", "pascua": "easter",
    "dia de las madres": "mothers day", "dia de la madre": "mothers day",
    "dia de san valentin": "valentines day", "san valentin": "valentines day",
    "accion de gracias": "thanksgiving", "dia de gracias": "thanksgiving",
})

# The consult's words: areas, photos, events, treatments, allergies, conditions, medicines.
_add({
    "patas de gallo": "crows feet", "pata de gallo": "crows feet", "patitas de gallo": "crows feet",
    "entrecejo": "frown lines between my brows", "el entrecejo": "frown lines between my brows",
    "lineas del entrecejo": "frown lines between my brows", "arrugas del entrecejo": "frown lines between my brows",
    "entre las cejas": "between my brows", "ceno": "frown lines", "el ceno": "frown lines",
    "fruncir el ceno": "frown", "frunzo el ceno": "i frown", "frunciendo el ceno": "frowning",
    "el 11": "the 11s", "los 11": "the 11s", "el once": "the 11s", "las lineas del 11": "the 11s",
    "frente": "forehead", "la frente": "forehead", "arrugas de la frente": "forehead lines",
    "lineas de la frente": "forehead lines", "lineas de expresion": "expression lines",
    "arrugas": "wrinkles", "arruga": "wrinkle", "lineas": "lines", "linea": "line",
    "ojeras": "under eye", "bajo los ojos": "under my eyes", "debajo de los ojos": "under my eyes",
    "alrededor de los ojos": "around my eyes", "contorno de ojos": "around my eyes",
    "lineas de conejo": "bunny lines", "arrugas de la nariz": "bunny lines", "nariz": "nose",
    "codigo de barras": "barcode lines", "arrugas del labio": "lip lines", "lineas del labio": "lip lines",
    "arrugas alrededor de la boca": "lines around my mouth", "labio": "lip", "labios": "lips",
    "sonrisa gingival": "gummy smile", "encias": "my gums", "se me ven las encias": "gums show",
    "comisuras": "mouth corners", "comisuras caidas": "downturned mouth", "lineas de marioneta": "marionette lines",
    "menton": "chin", "barbilla": "chin", "mandibula": "jaw", "quijada": "jaw", "masetero": "masseter",
    "maseteros": "masseters", "bruxismo": "bruxism", "aprieto los dientes": "i clench my teeth",
    "rechino los dientes": "i grind my teeth", "rechinar los dientes": "teeth grinding",
    "apretar los dientes": "clenching", "cuello": "neck", "bandas del cuello": "neck bands",
    "papada": "double chin", "cara": "face", "rostro": "face", "cejas": "brows", "ceja": "brow",
    "parpados caidos": "droopy eyelids", "parpados caidos ": "droopy eyelids",
    "parpado caido": "droopy eyelid", "parpados encapotados": "hooded eyelids",
    "ojos encapotados": "hooded eyes", "parpados pesados": "heavy eyelids", "parpados": "eyelids",
    "cejas caidas": "droopy brows", "ojo": "eye", "ojos": "eyes", "mejillas": "cheeks",
    "en reposo": "at rest", "en descanso": "at rest", "relajada": "relaxed", "relajado": "relaxed",
    "con la cara relajada": "at rest", "todo el tiempo": "all the time",
    "solo al gesticular": "only with expression", "al gesticular": "when i move my face",
    "solo con gestos": "only with expression", "con gestos": "with expression",
    "solo cuando hago gestos": "only when i make expressions", "cuando hago gestos": "when i make expressions",
    "cuando me rio": "when i laugh", "cuando sonrio": "when i smile", "al sonreir": "when i smile",
    "al reir": "when i laugh", "cuando frunzo": "when i frown", "al fruncir": "when i frown",
    "solo cuando": "only when", "con expresion": "with expression", "las dos": "both",
    "los dos": "both", "ambas": "both", "ambos": "both", "las dos cosas": "both",
    "fotos": "photos", "foto": "photo", "fotografias": "photos", "selfies": "selfies",
    "las subo": "ill upload them", "las subo ahora": "ill upload them", "subo": "ill upload",
    "las mando": "ill upload them", "te las mando": "ill upload them", "se las mando": "ill upload them",
    "las envio": "ill upload them", "te las envio": "ill upload them", "se las envio": "ill upload them",
    "subirlas": "upload them", "mandarlas": "send them", "las llevo": "ill bring them",
    "las traigo": "ill bring them", "las llevo a la cita": "ill bring them",
    "llevo": "ill bring", "traigo": "ill bring", "a la cita": "to the appointment",
    "no tengo fotos": "no photos", "saltar": "skip", "omitir": "skip", "luego": "later",
    "despues": "later", "mas tarde": "later",
    "boda": "wedding", "mi boda": "my wedding", "casamiento": "wedding", "me caso": "i am getting married",
    "nos casamos": "we are getting married", "quinceanera": "quinceanera party",
    "quince anos": "quinceanera party", "xv anos": "quinceanera party", "mis xv": "my quinceanera party",
    "los xv": "the quinceanera party", "fiesta de quince": "quinceanera party",
    "graduacion": "graduation", "bautizo": "christening", "primera comunion": "first communion",
    "sesion de fotos": "photo shoot", "sesion fotografica": "photo shoot", "fiesta": "party",
    "cumpleanos": "birthday", "cumple": "birthday", "viaje": "trip", "vacaciones": "vacation",
    "reunion": "reunion", "evento": "event", "eventos": "events", "entrevista": "interview",
    "aniversario": "anniversary", "cena": "dinner", "crucero": "cruise", "concierto": "concert",
    "evento importante": "big event", "nada planeado": "nothing planned",
    "botox": "botox", "toxina botulinica": "botulinum toxin", "toxina": "toxin", "botulinica": "botulinum",
    "relleno": "filler", "rellenos": "fillers", "acido hialuronico": "hyaluronic acid filler",
    "me puse botox": "i had botox", "me puse": "i had", "me pusieron": "i had", "me hice": "i had",
    "me aplicaron": "i had", "me aplique": "i had", "me inyecte": "i had injections",
    "me inyectaron": "i had injections", "inyecciones": "injections", "inyeccion": "injection",
    "me he puesto": "i have had", "nunca me he puesto": "i have never had",
    "nunca me he hecho": "i have never had", "nunca me puse": "i have never had",
    "nunca me he inyectado": "i have never had injections", "ponerme": "get", "hacerme": "get",
    "tratamiento": "treatment", "tratamientos": "treatments", "aplicacion": "treatment",
    "alergia": "allergy", "alergias": "allergies", "alergica": "allergic", "alergico": "allergic",
    "soy alergica": "i am allergic", "soy alergico": "i am allergic",
    "tengo alergia": "i am allergic", "me da alergia": "i am allergic",
    "leche de vaca": "cows milk", "proteina de la leche": "milk protein",
    "proteina de leche": "milk protein", "proteina de la leche de vaca": "cows milk protein",
    "lacteos": "dairy", "leche": "milk", "intolerante a la lactosa": "lactose intolerant",
    "intolerancia a la lactosa": "lactose intolerance", "lactosa": "lactose",
    "penicilina": "penicillin", "mariscos": "shellfish", "camarones": "shrimp", "nueces": "nuts",
    "cacahuate": "peanuts", "cacahuates": "peanuts", "mani": "peanuts", "polen": "pollen",
    "polvo": "dust", "gatos": "cats", "perros": "dogs", "huevo": "egg", "picaduras": "stings",
    "abejas": "bees", "ronchas": "hives", "urticaria": "hives", "hinchazon": "swelling",
    "se me hincho": "swelled up", "me hinche": "i swelled up", "reaccion": "reaction",
    "reaccion alergica": "allergic reaction", "albumina": "albumin", "sulfa": "sulfa",
    "medicamentos": "medications", "medicamento": "medication", "medicinas": "medicines",
    "medicina": "medicine", "pastillas": "pills", "pastilla": "pill", "remedios": "medicines",
    "vitaminas": "vitamins", "vitamina": "vitamin", "vitamina e": "vitamin e",
    "vitamina d": "vitamin d", "vitamina c": "vitamin c", "vitamina b": "vitamin b",
    "vitamina b12": "vitamin b12", "complejo b": "vitamin b complex", "vit e": "vitamin e",
    "mes y medio": "a month and a half", "ano y medio": "a year and a half",
    "semana y media": "a week and a half", "suplementos": "supplements",
    "suplemento": "supplement", "multivitaminico": "multivitamin", "multivitaminas": "multivitamin",
    "aceite de pescado": "fish oil", "aceite de higado de bacalao": "cod liver oil",
    "ajo": "garlic", "ajo en capsulas": "garlic pills", "capsulas de ajo": "garlic pills",
    "jengibre": "ginger", "curcuma": "turmeric", "hierba de san juan": "st johns wort",
    "hiperico": "st johns wort", "cola de caballo": "horsetail", "te verde": "green tea",
    "te": "", "tes": "teas", "un te": "a tea", "hierro": "iron", "calcio": "calcium", "magnesio": "magnesium",
    "colageno": "collagen", "biotina": "biotin", "probioticos": "probiotics", "zinc": "zinc",
    "melatonina": "melatonin", "acetaminofen": "acetaminophen", "aspirina infantil": "baby aspirin",
    "aspirina de bebe": "baby aspirin", "aspirinita": "baby aspirin", "aspirina": "aspirin",
    "para el corazon": "for my heart", "anticoagulante": "blood thinner", "anticoagulantes": "blood thinners",
    "para adelgazar la sangre": "blood thinner", "para diluir la sangre": "blood thinner",
    "para la sangre": "for my blood", "sangre": "blood", "la presion": "blood pressure",
    "para la presion": "for blood pressure", "presion alta": "high blood pressure",
    "hipertension": "high blood pressure", "tiroides": "thyroid", "colesterol": "cholesterol",
    "diabetes": "diabetes", "azucar": "sugar", "para dormir": "for sleep", "ansiedad": "anxiety",
    "depresion": "depression", "antidepresivo": "antidepressant", "antidepresivos": "antidepressants",
    "antibiotico": "antibiotic", "antibioticos": "antibiotics", "relajante muscular": "muscle relaxant",
    "relajantes musculares": "muscle relaxants", "relajante": "relaxant", "para los nervios": "for my nerves",
    "para la vejiga": "for my bladder", "vejiga": "bladder", "para el dolor": "for pain",
    "dolor": "pain", "cabeza": "head", "para el dolor de cabeza": "for headaches",
    "y medio": "and a half", "y media": "and a half", "antiinflamatorio": "anti inflammatory", "antiinflamatorios": "anti inflammatories",
    "gotas": "drops", "crema": "cream", "inhalador": "inhaler", "bomba para el asma": "asthma inhaler",
    "miastenia gravis": "myasthenia gravis", "miastenia": "myasthenia",
    "esclerosis lateral amiotrofica": "als", "ela": "als", "sindrome de lambert eaton": "lambert eaton syndrome",
    "lambert eaton": "lambert eaton", "neuropatia motora": "motor neuropathy",
    "enfermedad de la neurona motora": "motor neuron disease", "neurona motora": "motor neuron disease",
    "esclerosis multiple": "multiple sclerosis", "distrofia muscular": "muscular dystrophy",
    "epilepsia": "epilepsy", "parkinson": "parkinsons", "enfermedad neuromuscular": "neuromuscular disease",
    "condicion neuromuscular": "neuromuscular condition", "problema neuromuscular": "neuromuscular problem",
    "nervios o musculos": "nerve or muscle condition", "debilidad muscular": "muscle weakness",
    "guillain barre": "guillain barre", "botulismo": "botulism",
    "asma": "asthma", "enfisema": "emphysema", "epoc": "copd", "bronquitis": "bronchitis",
    "dificultad para tragar": "trouble swallowing", "dificultad para respirar": "trouble breathing",
    "me cuesta tragar": "i have trouble swallowing", "me cuesta respirar": "i have trouble breathing",
    "problemas para tragar": "trouble swallowing", "problemas para respirar": "trouble breathing",
    "me falta el aire": "i get short of breath", "falta de aire": "short of breath",
    "me ahogo": "i get short of breath", "tragar": "swallowing", "respirar": "breathing",
    "sibilancias": "wheezing", "silbido en el pecho": "wheezing", "tos": "cough",
    "herpes labial": "cold sore", "fuego": "cold sore", "fueguito": "cold sore", "fuegos": "cold sores",
    "calentura": "cold sore", "boquera": "cold sore", "herpes": "herpes", "infeccion": "infection",
    "infectado": "infected", "infectada": "infected", "grano infectado": "infected spot",
    "granito": "spot", "grano": "spot", "granos": "spots", "espinilla": "pimple", "espinillas": "pimples",
    "barros": "pimples", "acne": "acne", "impetigo": "impetigo", "sarpullido": "rash", "salpullido": "rash",
    "erupcion": "rash", "irritacion": "irritation", "llaga": "sore", "llagas": "sores",
    "herida": "wound", "herida abierta": "open wound", "pus": "pus", "costra": "scab",
    "rojo": "red", "roja": "red", "hinchado": "swollen", "hinchada": "swollen", "piel": "skin",
    "rosacea": "rosacea", "dermatitis": "dermatitis", "eccema": "eczema", "psoriasis": "psoriasis",
    "verruga": "wart", "lunar": "mole", "pecas": "freckles", "piel seca": "dry skin",
    "telefono": "phone", "mi telefono": "my phone", "celular": "cell", "mi cel": "my cell",
    "cel": "cell", "numero": "number", "mi numero": "my number", "correo": "email",
    "mi correo": "my email", "email": "email", "mail": "email", "este numero": "this number",
    "a este numero": "this number", "por aqui": "here", "aqui": "here", "por whatsapp": "by text",
    "mensaje": "text", "mensajes": "texts", "llamada": "call", "llamenme": "call me",
    "edad": "age", "mi edad": "my age", "cumplo": "i turn", "voy a cumplir": "i will be",
    "cumpli": "i turned", "naci en": "i was born in", "nacida en": "born in", "nacido en": "born in",
    "estoy sana": "im healthy", "estoy sano": "im healthy", "suponiendo que": "supposing that",
    "acabo de cumplir": "i just turned", "acabo de cumplir los": "i just turned",
    "ahora ya": "now", "ya voy": "im already", "dias tarde": "days late",
    "no me ha bajado": "my period hasnt come", "no me ha llegado la regla": "my period hasnt come",
    "mido": "my height is", "peso": "i weigh", "kilos": "kg", "kg": "kg", "talla": "size",
    "numero de zapato": "shoe size", "calle": "street", "casada": "married", "casado": "married",
    "anos de casada": "years married", "anos de casados": "years married", "anos de casado": "years married",
    "estatura": "height", "metro": "m", "metros": "m", "centimetros": "cm",
    # "tengo 36 recien cumplidos", "el sabado llego a los 40", "calzo un 38"
    "recien cumplidos": "just turned", "recien cumplido": "just turned",
    "recien cumplidas": "just turned", "llego a los": "i turn",
    "me pesan": "feel heavy", "me pesa": "feels heavy", "pesan": "are heavy",
    "calzo": "my shoe size is", "calzo un": "my shoe size is", "avenida": "avenue",
})

# Questions back and side questions ("does it hurt?").
_add({
    "duele": "does it hurt", "duele mucho": "does it hurt a lot", "me va a doler": "will it hurt",
    "cuanto cuesta": "how much does it cost", "cuanto sale": "how much does it cost",
    "cuanto vale": "how much does it cost", "precio": "price", "costo": "cost", "cuesta": "cost",
    "cuanto dura": "how long does it last", "cuanto tiempo dura": "how long does it last",
    "cuando se ven los resultados": "when will i see results", "cuando veo resultados": "when will i see results",
    "cuanto tarda": "how long until it works", "cuanto tarda en hacer efecto": "how long until it works",
    "es seguro": "is it safe", "efectos secundarios": "side effects", "riesgos": "risks",
    "es peligroso": "is it dangerous", "hablar con alguien": "talk to someone",
    "hablar con una persona": "talk to a person", "una persona real": "a real person",
    "eres un robot": "are you a bot", "es un robot": "are you a bot", "llamenme": "call me back",
    "cuenta": "count", "eso cuenta": "does that count", "importa": "does it matter",
    "afecta": "does it affect", "es malo": "is it bad", "pasa algo": "is that a problem",
    "que pasa si": "what if", "y si": "what if", "si llegara a": "if i", "en caso de": "in case",
    "por si acaso": "just in case", "por si": "in case", "que": "that", "porque": "because",
    "por que": "why", "como": "like", "cuando": "when", "donde": "where", "cual": "which",
    "cuanto": "how much", "quien": "who", "que es": "what is",
})

# Small words.
_add({
    "y": "and", "e": "and", "o": "or", "u": "or", "pero": "but", "sino": "but", "aunque": "although",
    "excepto": "except", "salvo": "except", "menos": "except", "aparte de": "except",
    "fuera de": "except", "solo": "only", "solamente": "only", "nomas": "only", "nada mas": "only",
    "nada mas que": "only", "unicamente": "only", "tambien": "also", "ademas": "also",
    "de": "of", "del": "of the", "con": "with", "para": "for", "por": "for", "a": "to", "al": "to the",
    "la": "the", "las": "the", "los": "the", "lo": "it", "le": "", "les": "", "se": "",
    "un": "a", "una": "a", "unos": "some", "unas": "some", "mi": "my", "mis": "my", "me": "me",
    "muy": "very", "mucho": "a lot", "mucha": "a lot", "poco": "a little", "un poco": "a little",
    "bien": "fine", "mal": "bad", "mas": "more", "algo": "something", "alguno": "any",
    "alguna": "any", "algun": "any", "cosa": "thing", "cosas": "things", "otra": "other",
    "otro": "other", "otros": "others", "todo": "everything", "todos": "all", "eso": "that",
    "esto": "this", "este": "this", "ese": "that", "esa": "that", "entonces": "so", "asi": "so",
    "tan": "so", "muy bien": "very good", "nuevo": "new", "nueva": "new", "desde": "since",
    "hasta": "until", "sobre": "about", "contra": "against", "entre": "between", "sus": "their",
    "cada": "every", "como unos": "about", "como unas": "about", "mas o menos hace": "about",
    "aproximadamente": "about", "casi": "almost", "unos cuantos": "a few", "varios": "several",
    "hablo espanol": "i speak spanish", "en espanol": "in spanish", "espanol": "spanish",
})

# Added after the second Spanish blind set was measured (0.78) and read.
_add({
    # pregnancy
    "aborto espontaneo": "miscarriage", "ahorita no estoy": "not now", "ahora no estoy": "not now",
    "la embarazada es": "the one who is pregnant is", "estoy operada": "my tubes are tied",
    "ya estoy operada": "my tubes are tied", "se rompio el condon": "the condom broke",
    "se rompio": "broke", "condon": "condom", "me tenia que bajar": "my period is late, it was due",
    "me tenia que venir": "my period is late, it was due", "proyectos": "projects",
    "atraso": "late period", "tengo un atraso": "my period is late",
    "no me he hecho la prueba": "i havent tested", "no me hice la prueba": "i havent tested",
    # breastfeeding
    "le quite el pecho": "i stopped breastfeeding", "quite el pecho": "i stopped breastfeeding",
    "le quite la teta": "i stopped breastfeeding", "toma leche de vaca": "has cows milk",
    "volvi a darle pecho": "i am breastfeeding again", "volvi a dar pecho": "i am breastfeeding again",
    "lo habia dejado": "i had stopped", "la habia dejado": "i had stopped",
    "yo hace mucho que no": "not me, not for a long time", "si adoptamos": "if we adopt",
    "inducir la lactancia": "induce lactation", "solo le doy en la madrugada": "only the night feed",
    "destetando": "weaning", "lo estoy destetando": "i am weaning him",
    "la estoy destetando": "i am weaning her", "sigue tomando teta": "still breastfeeds",
    "sigue tomando pecho": "still breastfeeds", "lactancia mixta": "mixed feeding",
    # trying to conceive
    "hicimos": "we did", "tuvimos": "we had", "lo volvimos a intentar": "we are trying again",
    "volvimos a intentar": "we are trying again", "anda buscando bebe": "is trying for a baby",
    "anda buscando": "is trying for", "si me caso": "if i get married",
    "si me dan": "if they give me", "si me dieran": "if they gave me", "si me toca": "if i get",
    "si me aceptan": "if they accept me", "si me contratan": "if they hire me",
    "si me llaman": "if they call me",
    "vamos a buscar bebe": "we will try for a baby", "quiere otro bebe": "wants another baby",
    "yo no se todavia": "i am not sure yet",
    # medicines
    "yo nomas vitaminas": "i only take vitamins", "yo solo vitaminas": "i only take vitamins",
    "panza": "belly", "coagulo": "clot", "pal": "for the", "recetado nada": "nothing prescribed",
    "cuando ando crudo": "when i am hungover", "cuando ando cruda": "when i am hungover",
    "sigo tomandolo": "i am still taking it", "tomandolo": "taking it", "rodilla": "knee",
    "espalda": "back", "colicos": "cramps", "cuando me duele": "when i have pain in",
    # nerves, breathing, skin
    "paralisis facial": "bells palsy", "ya me recupere del todo": "fully recovered",
    "me recupere del todo": "fully recovered", "ya me recupere": "recovered now",
    "si se me cae la cara": "if my face droops", "se quita": "does it go away",
    "sospecha": "suspects", "me estan haciendo analisis": "i am being tested for it",
    "bronquitis asmatica": "asthmatic bronchitis", "ahora ya nada": "nothing now",
    "estaba dormida": "had been dormant", "me volvio": "came back", "volvio": "came back",
    "ando con silbido": "i am wheezing", "silbido": "wheezing",
    "no que me haya dado cuenta": "not that i have noticed", "infestado": "infected",
    "infestada": "infected", "barro": "pimple", "sien": "temple",
    # events and dates
    "me toman fotos": "i have a photoshoot", "me van a tomar fotos": "i have a photoshoot",
    "la pasaron al": "it was moved to", "lo pasaron al": "it was moved to", "pasaron": "moved",
    "se gradua": "graduates", "voy a salir en todas las fotos": "i will be in all the photos",
    "nos vamos a casar": "we are getting married", "dia de reyes": "epiphany",
    "dia de muertos": "day of the dead", "carnaval": "carnival", "semana santa": "easter week",
    # prior treatment
    "me lo ponia seguido": "i used to have it regularly", "me lo ponia": "i used to have it",
    "hilos tensores": "thread lift",
    # allergies, questions back
    "aplv": "cows milk protein allergy", "no puedo con": "i cant have",
    "nunca me han hecho pruebas": "never been tested", "se me cayo el cel": "i dropped my phone",
    "que me preguntaste": "what did you ask me",
    # age, photos
    "pues no que me haya dado cuenta": "not that i have noticed",
    "que me haya dado cuenta": "that i have noticed", "barro infestado": "infected pimple",
    "barro infectado": "infected pimple", "grano infectado": "infected spot",
    "grano infestado": "infected spot", "pesados": "heavy", "pesado": "heavy", "pesada": "heavy",
    "pesadas": "heavy", "de un lado": "on one side", "me lo pueden subir": "can you lift it",
    "cuando me concentro": "when i am concentrating", "me concentro": "i concentrate",
    "no yo": "not me", "de bebes no": "not with babies", "es para mi": "it is for my",
    "anitos": "years old", "y pico": "something", "y tantos": "something", "y tantas": "something", "antes mentia y decia": "i used to say",
    "te mando": "i am sending you", "te envio": "i am sending you", "soy de": "i am",
})

# Added after the third Spanish blind set was measured (0.82) and read.
_add({
    "legrado": "a d and c", "un legrado": "a d and c", "no he vuelto a quedar": "not pregnant since", "desde entonces": "since then",
    "la que esta esperando es": "the one who is expecting is", "me quitaron la matriz": "i had a hysterectomy",
    "ya me quitaron la matriz": "i had a hysterectomy", "a mi ya": "i already", "ni se": "not sure",
    "prueba de farmacia": "home pregnancy test", "salio una rayita": "it showed a faint line",
    "una rayita": "a faint line", "rayita": "faint line", "bien clarita": "very faint",
    "me salio dudosa": "came out unclear", "salio dudosa": "came out unclear", "dudosa": "unclear",
    "le estoy quitando el pecho": "i am weaning", "poco a poco": "gradually",
    "ya nomas le doy en la siesta": "just the nap feed", "nomas le doy en la siesta": "just the nap feed",
    "ya no le doy": "i dont breastfeed anymore", "ninguna toma directa": "no feeds at the breast",
    "toma directa": "feed at the breast", "leche extraida": "expressed milk", "con la bomba": "with the pump",
    "no se prende": "he wont latch", "estuvimos intentando": "we were trying",
    "antes de la pandemia": "before the pandemic", "si se da": "if it happens",
    "no lo estamos buscando": "we are not trying", "me checo la ovulacion": "i track my ovulation",
    "tiritas": "test strips", "se me olvidaba": "i forgot", "aparte del": "apart from the",
    "aparte de": "apart from", "por sospecha de": "for suspected", "salio normal": "came back normal",
    "salio bien": "came back normal", "electromiografia": "emg", "ando en estudios": "i am being tested",
    "sospechan": "they suspect", "pero es leve": "but it is mild",
    "enfermedad de motoneurona": "motor neurone disease", "me lo pueden poner igual": "can i still have it",
    "me dieron de alta": "i was discharged", "respiro normal": "breathing is normal",
    "respiro bien": "breathing is fine", "absceso": "abscess", "mejilla": "cheek",
    "me lo drenaron": "it was drained", "ya cerro": "it has healed", "mi nieto": "my grandson",
    "mi nieta": "my granddaughter", "trae": "has", "yo estoy bien": "i am fine", "si me sale": "if i get",
    "se casa": "is getting married", "madrina": "maid of honour", "se cambio pal": "it was moved to",
    "se cambio para el": "it was moved to", "se cambio al": "it was moved to", "se cambio": "it was moved",
    "me toca dar una platica": "i might have to give a talk", "congreso": "conference",
    "no me confirman": "not confirmed", "lanzamos": "we launch", "linea de ropa": "clothing line",
    "prensa": "press", "por el civil": "at the registry office", "semanitas": "weeks",
    "mesecitos": "months", "diitas": "days", "ya no segui": "i stopped", "que era": "it was",
    "decian": "they said", "por san juan": "around st johns day",
    "me hacian dano los mariscos": "shellfish used to upset me",
    "ya los como sin problema": "i eat them fine now", "no me acuerdo de ninguna": "none that i remember",
    "ni 1 alergia": "no allergies", "ni una alergia": "no allergies", "todo bien": "all good",
    "ahorita no puedo": "i cant right now", "fila del super": "supermarket queue", "de verdad": "really",
    "me sale rash": "i get a rash", "me sale ronchas": "i get hives", "soy del": "i was born in",
    "ya voy a ser mayor de edad": "i will be 18", "voy a ser mayor de edad": "i will be 18",
    "mayor de edad": "18", "se me esta cayendo la piel de los parpados": "the skin of my eyelids is drooping",
    "mas caida": "droops more", "caida": "drooping", "me enojo": "i frown", "te paso": "i am sending you",
    "de mis 15 anos": "from my 15th birthday", "esclerosis lateral primaria": "primary lateral sclerosis",
    "atrofia muscular espinal": "spinal muscular atrophy",
    "los parpados de arriba casi me tapan los ojos": "my upper eyelids almost cover my eyes",
    "anafilaxia": "anaphylaxis", "proteina de la leche": "milk protein", "yogur": "yogurt",
})

# Everyday words found unread in the simulated Spanish patients once unread words were listed
# ("unico", "tele", "trabajo" were tried and left out: they changed how jokes are read).
_add({
    "tuvo": "had", "pastilla anticonceptiva": "the pill", "anticonceptiva": "contraceptive",
    "trago": "drink", "un trago": "a drink", "findes": "weekends", "finde": "weekend",
    "reseca": "dry", "reseco": "dry", "veremos": "we will see", "ya veremos": "we will see",
    "en serio": "seriously", "cafe": "coffee", "problema": "problem", "problemas": "problems",
    "grandes": "grown up", "enfermedad": "disease", "nervios": "nerves", "musculos": "muscles",
    "dije": "said", "como te dije": "as i said", "ya te dije": "as i said", "diaria": "daily",
    "comida": "food", "siento": "i feel", "se me atora": "gets stuck", "intolerancia": "intolerance",
    "negocio": "business", "lanzamiento": "launch", "comisura del labio": "corner of my lip",
    "se me hincharon": "swelled up", "hincharon": "swelled", "arritmia": "arrhythmia",
    "rinon": "kidney", "diagnosticaron": "diagnosed", "me la diagnosticaron": "i was diagnosed",
    "retocarme": "touch up", "retocar": "touch up", "retoque": "touch-up", "agendar": "book",
    "consulta": "consultation", "volver": "come back", "informacion": "information",
    "buen dia": "good morning", "me interesa": "i am interested in", "me muero de ganas": "i cant wait",
    "probar": "try", "miedo": "scared", "urgente": "urgently", "verme bien": "look good",
})

NUMBERS = {
    "cero": 0, "uno": 1, "una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
    "trece": 13, "catorce": 14, "quince": 15, "dieciseis": 16, "diecisiete": 17,
    "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiun": 21,
    "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26,
    "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40,
    "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
}
# Number words read as digits only where a number is meant ("tengo treinta y cuatro"); "un"
# and "una" stay articles unless a unit follows ("un mes" is read by the phrase table).
ARTICLE_NUMBERS = {"un", "una", "uno"}

# Spanish names of medicines end differently ("aspirina", "ibuprofeno", "gentamicina"): tried
# against the English lexicon only, so an unknown word is never turned into a medicine.
_DRUG_ENDINGS = (("micina", "mycin"), ("ina", "in"), ("ina", "ine"), ("ano", "an"), ("eno", "en"),
                 ("ol", "ol"), ("o", ""), ("a", ""), ("e", ""))

# From Spanish set 4 (read after set 5 was written): breastfeeding only, counting fertile days,
# getting out of breath, a brow that drops, spare eyelid skin, Kennedy's disease.
_add({
    "nada mas pecho": "only breastfeeding", "solo pecho": "only breastfeeding",
    "puro pecho": "only breastfeeding", "nomas pecho": "only breastfeeding",
    "dias fertiles": "ovulation", "contando mis dias fertiles": "tracking my ovulation",
    "pa embarazarme": "to get pregnant", "para embarazarme": "to get pregnant",
    "me agito": "i get out of breath", "me agito mucho": "i get out of breath",
    "me quedo sin aire": "i get out of breath", "ultimamente": "lately", "subiendo": "climbing",
    "se me esta cayendo la ceja": "my brow is drooping", "se me cae la ceja": "my brow droops",
    "se me estan cayendo los parpados": "my eyelids are drooping",
    "se me caen los parpados": "my eyelids droop", "me tapa el ojo": "covers my eye",
    "piel sobrante": "excess skin", "sobrante": "excess", "piel de sobra": "excess skin",
    "enfermedad de kennedy": "kennedys disease", "tiene arreglo": "can it be fixed",
    "foliculitis": "folliculitis", "bigote": "upper lip", "perrilla": "stye", "orzuelo": "stye",
    "cronica": "chronic", "cronico": "chronic", "bronquitis cronica": "chronic bronchitis",
    "caminar": "walking", "al caminar": "when walking", "iglecia": "church", "iglesia": "church",
    "vierne": "friday", "hablo": "i talk", "ampolla del labio": "cold sore",
    "ampolla en el labio": "cold sore", "en pleno destete": "still weaning",
    "volvimos a intentarlo": "we are trying again", "volvimos a intentar": "we are trying again",
    "tampoco usamos nada": "not using anything", "no usamos nada": "not using anything",
    "atrofia muscular progresiva": "progressive muscular atrophy",
})


# Phrases that mean what they say only as a whole part of the answer ("mi hermana sí, yo no").
_ALONE = {"yo no", "yo si", "a mi no", "a mi si", "yo tampoco", "a mi tampoco"}
# Words after "si" that make it "if" rather than "yes" (subjunctive, future, "me embarazo").
_IF_AFTER = {"me", "quedo", "quedara", "quedase", "estuviera", "estuviese", "tuviera", "tuviese",
             "fuera", "fuese", "hubiera", "llego", "llegara", "salgo", "saliera", "pasa", "pasara",
             "necesito", "necesitara", "tomo", "tomara", "decido", "quiero", "queremos",
             "empiezo", "empezamos", "planeo", "planeamos", "hay", "hubiera", "resulta",
             "tengo", "estoy", "el", "la", "mi", "es", "alguien", "uno", "despues", "algun", "alguna"}
# ...unless the patient is plainly answering with their own verb: "si tengo", "si estoy".
_OWN_VERBS = {"tengo", "estoy", "tomo", "soy", "uso", "he", "me", "lo", "la", "las", "los", "le"}
_OPENERS = {"espera", "espere", "bueno", "pues", "ah", "oh", "ay", "perdon", "ok", "claro",
            "digo", "mmm", "mm", "eh", "ya", "ahora", "que"}
_CONDITIONAL = {"pasa", "pasaria", "puedo", "podria", "seria", "tendria", "afecta", "debo",
                "deberia", "puede", "importa", "habria", "hay", "problema", "despues", "entonces"}

_KNOWN = frozenset(w for key in PHRASES for w in key.split()) | frozenset(SHORTHAND)
# Words of the phrase table that English patients don't write ("a", "me", "no" are both).
_SPANISH_ONLY = frozenset(w for key in list(PHRASES) + list(SHORTHAND) + list(NUMBERS)
                          for w in key.split() if len(w) > 2) - frozenset(
    {"no", "me", "son", "era", "fue", "ella", "come", "pan", "tan", "sale", "dale", "ok", "mail",
     "email", "acne", "herpes", "botox", "zinc", "sulfa", "diabetes", "pus", "fiesta", "formula",
     "dermatitis", "psoriasis", "rosacea", "impetigo", "parkinson", "bronquitis", "ela", "diu",
     "solo", "menos", "once", "total", "real", "final", "normal", "mama", "papa", "pro"})

_TOKEN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\d[\d\s().-]{6,}\d|\d+(?:[.,:/]\d+)*(?:st|nd|rd|th|a|o)?"
                    r"|[^\W\d_]+(?:'[^\W\d_]+)?|[^\s\w]", re.UNICODE)
_BREAKS = {",", ";", ".", "!", "?", ":", "\n", "-", "/", "(", ")"}
_MAX_PHRASE = 7


@dataclass
class Segment:
    """A stretch of the Spanish message between punctuation, and where its English landed."""

    spanish: str
    start: int = 0  # in the gloss
    end: int = 0
    source: tuple[int, int] = (0, 0)  # where it is in the patient's message


@dataclass
class Gloss:
    """A Spanish message, its English gloss, and how to get the Spanish back for any part."""

    spanish: str
    english: str
    segments: list[Segment] = field(default_factory=list)
    original: str = ""  # the message as sent (segments' `source` index into it)
    # Spanish words the gloss could not read, passed through as written ("me checo", "tiritas"):
    # the reader may have missed what they say
    unread: list[str] = field(default_factory=list)

    def to_spanish(self, text: str, whole_if_unknown: bool = False) -> str:
        """`text` (the gloss or any piece of it, or several joined with " / ") in the patient's
        own Spanish; parts that are not from this gloss are kept as they are (earlier answers),
        or with `whole_if_unknown` become the whole Spanish message (never English words as
        the patient's).

        >>> g = gloss("tomo aspirina, pero no tomo warfarina")
        >>> g.to_spanish("i take aspirin")
        'tomo aspirina'
        """
        if not text:
            return text
        if text.strip() == self.english.strip():
            return self.spanish.strip()
        return " / ".join(self._part(p, whole_if_unknown) for p in text.split(" / "))

    def _part(self, part: str, whole_if_unknown: bool) -> str:
        where = self.english.lower().find(part.strip().lower()) if part.strip() else -1
        if where < 0:
            return self.spanish if whole_if_unknown and part.strip() not in self.spanish else part
        end = where + len(part.strip())
        hit = [s for s in self.segments if s.start < end and s.end > where and s.spanish]
        return self.original[hit[0].source[0]:hit[-1].source[1]] if hit else part


# Asking for a language: the whole message, in either language.
_CHOICES = {
    "es": r"(en )?espanol( por favor)?|spanish( please)?|in spanish( please)?|"
          r"habla(s)? espanol|(puedo|podemos|se puede) (hablar|escribir|seguir) en espanol|"
          r"prefiero (en )?espanol|espanol,? por favor",
    "en": r"(in )?english( please)?|en ingles( por favor)?|ingles( por favor)?|"
          r"(can we|can i|lets) (speak|talk|write|continue|do this) in english|"
          r"(do you )?speak english|prefiero (en )?ingles",
}


def language_choice(text: str) -> str | None:
    """"es" or "en" when the whole message asks for that language ("Español", "English
    please"), else None.

    >>> language_choice("Español"), language_choice("english please"), language_choice("no")
    ('es', 'en', None)
    """
    words = " ".join(plain(w) for w in re.findall(r"[^\W\d_]+", text or ""))
    for code, pattern in _CHOICES.items():
        if re.fullmatch(pattern, words):
            return code
    return None


def reads_as_english(text: str) -> bool:
    """A message of a Spanish conversation written in English ("no I'm not pregnant, I take fish
    oil"): read as it is. Most of its words are English and hardly any Spanish."""
    from bot.language import _english_words

    found = [plain(w) for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text or "")]
    if len(found) < 3:
        return False
    spanish_words = sum(w in _SPANISH_ONLY for w in found)
    english = sum(w.replace("'", "") in _english_words() or w in _english_words() for w in found)
    return spanish_words == 0 and english >= 0.6 * len(found)


def mostly_spanish(text: str) -> bool:
    """At least half the words are Spanish words the gloss knows: short Spanish the language
    detector gives to French or Portuguese ("no lo sé") is still Spanish."""
    found = [_expand(plain(w)) for w in re.findall(r"[^\W\d_]+", text or "")]
    return bool(found) and sum(w in _KNOWN for w in found) >= 0.5 * len(found)


def plain(word: str) -> str:
    """A word as the phrase table holds it: lower case, accents and dieresis dropped, ñ as n."""
    word = unicodedata.normalize("NFKD", word.lower())
    word = "".join(ch for ch in word if unicodedata.category(ch) != "Mn")
    return re.sub(r"([a-z])\1{2,}", r"\1", word)  # "siii", "nooo"


def gloss(text: str) -> Gloss:
    """The English gloss of a Spanish message (see the module's docstring)."""
    original = text or ""
    text = original.replace("¿", " ").replace("¡", " ")  # same length: offsets hold
    # "forty-two": an English number word keeps its hyphen's place as a space
    text = re.sub(r"(?i)\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?=(one|two|three|"
                  r"four|five|six|seven|eight|nine)\b)", r"\1 ", text)
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    tokens = _hyphenated_names(tokens)
    words = [_expand(plain(t)) if _is_word(t) else t for t, _, _ in tokens]
    english, segments, unread, i = "", [], [], 0
    while i < len(tokens):
        if tokens[i][0] in _BREAKS:
            english = _punctuate(english, tokens[i][0])
            i += 1
            continue
        first, parts = i, []
        while i < len(tokens) and tokens[i][0] not in _BREAKS:
            part, used = _read_at(words, tokens, i)
            if used == 1 and part in (tokens[i][0], words[i]) and _unreadable(words[i]):
                unread.append(tokens[i][0])
            parts.append(part)
            i += used
        piece = _tidy(" ".join(p for p in parts if p))
        if not piece:
            continue
        english += " " if english else ""
        segments.append(Segment(text[tokens[first][1]:tokens[i - 1][2]].strip(), len(english),
                                len(english) + len(piece), (tokens[first][1], tokens[i - 1][2])))
        english += piece
    english = english.strip()
    norm = normalise(english) if unread else ""
    return Gloss(spanish=original.strip(), english=english, segments=segments,
                 original=original, unread=[w for w in unread if not _negated_in(norm, w)])


def _negated_in(norm: str, word: str) -> bool:
    """"no, ninguna enfermedad de nervios": an unread word inside a negation's reach (`norm`: the
    normalised gloss) says nothing the reader needed (whatever it names is denied); after "pero"
    it may say anything."""
    where = norm.find(normalise(word))
    return where >= 0 and _negated_before(norm[:where])


def _unreadable(word: str) -> bool:
    """A word the gloss passed through that the English reader cannot read either: not
    English, not a name the lexicon knows, not a number."""
    return len(word) >= 4 and word.isalpha() and word not in NUMBERS and \
        word not in _lexicon_words() and not is_english_word(word)


def _hyphenated_names(tokens: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """"Alka-Seltzer", "Dolo-Neurobion": a brand written with a hyphen stays one word."""
    out: list[tuple[str, int, int]] = []
    for token in tokens:
        if len(out) >= 2 and out[-1][0] == "-" and out[-1][1] == out[-2][2] and \
                token[1] == out[-1][2] and _is_word(token[0]) and _is_word(out[-2][0]):
            joined = f"{out[-2][0]}-{token[0]}"
            if plain(joined) in _lexicon_words():
                out[-2:] = [(joined, out[-2][1], token[2])]
                continue
            spaced = f"{out[-2][0]} {token[0]}"  # "Charcot-Marie-Tooth": the lexicon's spaced name
            if any(p.startswith(plain(spaced)) for p in _lexicon_phrases()):
                out[-2:] = [(spaced, out[-2][1], token[2])]
                continue
        out.append(token)
    return out


def _punctuate(english: str, mark: str) -> str:
    """A break of the Spanish carried over: "," and "." stick to the word before."""
    if mark in {"-", "/", "("}:
        return f"{english} {mark}" if english else mark
    return english.rstrip() + mark


def _is_word(token: str) -> bool:
    return bool(re.match(r"[^\W\d_]", token))


def _expand(word: str) -> str:
    if word not in SHORTHAND and word not in _KNOWN and len(word) > 3 and word[-1] == word[-2] \
            and word[:-1] in _KNOWN:
        word = word[:-1]  # "ningunoo", "sii": a letter held down
    return SHORTHAND.get(word, word)


def _read_at(words: list[str], tokens: list[tuple[str, int, int]], i: int) -> tuple[str, int]:
    """The English for the longest phrase starting at word i, and how many tokens it used."""
    if words[i] == "si" and _means_if(words, tokens, i):
        return "if", 1
    if words[i] == "tampoco" and i + 1 < len(words) and words[i + 1] not in _BREAKS and \
            words[i + 1] not in {"no", "nada", "ninguno", "ninguna"}:
        return "also not", 1  # "tampoco doy pecho": not breastfeeding either (see _REORDER)
    for size in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
        span = words[i:i + size]
        if " ".join(span) in _ALONE and i + size < len(words) and words[i + size] not in _BREAKS:
            continue  # "yo no tomo nada": "i" then "no tomo", not "not me"
        if any(not _is_word(w) and not w.isdigit() for w in span):
            continue
        key = " ".join(w for w in span if w)
        if key in PHRASES:
            return PHRASES[key], size
    number, used = _number_at(words, i)
    if number is not None:
        return str(number), used
    word = words[i]
    if _is_word(tokens[i][0]):
        drug = _english_drug(word)
        if drug:
            return drug, 1
    return tokens[i][0] if word == plain(tokens[i][0]) else word, 1


def _means_if(words: list[str], tokens: list[tuple[str, int, int]], i: int) -> bool:
    """"si" written without its accent is "if" or "yes". "Si" alone or before a break is yes;
    at the start of an answer, before the patient's own verb ("si tomo vitamina E", "no
    espera, si tengo") it is yes unless a question or a condition follows ("si me embarazo el
    año que viene, ¿puedo?"); before a subjunctive or a plan it is "if"."""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if not nxt or nxt in _BREAKS or nxt not in _IF_AFTER:
        return False
    starts = i == 0 or words[i - 1] in _BREAKS or words[i - 1] in _OPENERS
    ahead = words[i + 2:i + 10]
    conditional = "?" in ahead or any(w in _CONDITIONAL for w in ahead)
    return not (starts and nxt in _OWN_VERBS and not conditional)


def _number_at(words: list[str], i: int) -> tuple[int | None, int]:
    """A number written in words ("treinta y cuatro", "veinte"), as digits; spelt as heard
    ("trenta i sinco", "cuarenta y sies", "treintaidos")."""
    word = words[i]
    if word in ARTICLE_NUMBERS:
        return None, 1
    if word not in NUMBERS and word.isalpha():  # "treintaidos", "cuarentaycinco"
        for cut in range(5, len(word) - 2):
            tens, unit = _tens(word[:cut]), _unit_word(word[cut + 1:])
            if word[cut] in "yie" and tens and unit:
                return tens + unit, 1
    value = NUMBERS.get(word) or _tens(word)
    if value is None:
        return None, 1
    used = 1
    if value >= 30 and value % 10 == 0 and i + 2 < len(words) and words[i + 1] in {"y", "i", "e"} \
            and _unit_word(words[i + 2]):
        value += _unit_word(words[i + 2])
        used = 3
    return value, used


def _sound(word: str) -> str:
    """How a Spanish word sounds, roughly: "sinquenta", "cincuenta" -> "sinkuenta"."""
    word = re.sub(r"(?<!c)h", "", word).replace("ch", "x")
    word = re.sub(r"qu", "k", word)
    word = re.sub(r"c(?=[ei])", "s", word)
    word = word.replace("ll", "i").translate(str.maketrans("czvy", "ksbi"))
    return re.sub(r"(.)\1+", r"\1", word)


_TENS_SOUNDS = {_sound(w): n for w, n in NUMBERS.items() if n >= 20 and n % 10 == 0}
_UNIT_SOUNDS = {_sound(w): n for w, n in NUMBERS.items() if 1 <= n <= 9 and w not in {"un", "una"}}


def _tens(word: str) -> int | None:
    """A tens word, also misspelt by a letter ("trenta", "cuarnta", "sinquenta")."""
    if word in NUMBERS:
        return NUMBERS[word] if NUMBERS[word] >= 20 and NUMBERS[word] % 10 == 0 else None
    if len(word) < 6 or word in _NOT_TENS:
        return None
    sound = _sound(word)
    for tens, value in _TENS_SOUNDS.items():
        if sound == tens or edit_distance(sound, tens) == 1 or swapped(sound, tens):
            return value
    return None


# Real words a letter away from a tens word's sound.
_NOT_TENS = {"cuenta", "cuentas", "renta", "rentas", "tienta", "sienta", "senta"}


def _unit_word(word: str) -> int:
    """A unit after a tens word and "y" ("y sinco", "i sies", "y 5"); 0 when it is none."""
    if word.isdigit() and len(word) == 1:
        return int(word)
    if word in NUMBERS and 1 <= NUMBERS[word] <= 9:
        return NUMBERS[word]
    sound = _sound(word)
    if sound in _UNIT_SOUNDS:
        return _UNIT_SOUNDS[sound]
    return next((value for unit, value in _UNIT_SOUNDS.items()
                 if len(sound) >= 4 and (swapped(sound, unit) or len(unit) >= 5
                                         and edit_distance(sound, unit) == 1)),
                0)


@lru_cache(maxsize=4096)
def _english_drug(word: str) -> str | None:
    """"ibuprofeno" -> "ibuprofen": the English name, when the lexicon knows it."""
    known = _lexicon_words()
    if word in known or len(word) < 5:
        return None
    for ending, english in _DRUG_ENDINGS:
        if word.endswith(ending):
            candidate = word[: len(word) - len(ending)] + english
            if candidate in known:
                return candidate
    return None


@lru_cache(maxsize=1)
def _lexicon_phrases() -> frozenset[str]:
    from bot.lexicon import all_terms

    return frozenset(p for term in all_terms() for p in term.phrases if " " in p)


@lru_cache(maxsize=1)
def _lexicon_words() -> frozenset[str]:
    from bot.lexicon import all_terms

    return frozenset(p for term in all_terms() for p in term.phrases if " " not in p)


_MONTHS = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
_UNITS = r"(days?|weeks?|months?|years?)"
# English word order the reader expects, where Spanish puts things the other way round.
_REORDER = [
    (re.compile(r"\bAGO ((?:about |almost )?(?:\d+|a|a few|some|several|one|two) " + _UNITS +
                r"(?: and a half)?)"), r"\1 ago"),
    (re.compile(r"\bAGO (a long time|years|a while|recently)"), r"\1 ago"),
    (re.compile(r"\s*\bAGO\b\s*"), " "),
    # "la que da pecho es mi nuera, yo hace años que no": the patient's own no, said last
    (re.compile(r"\bi years ago that (?:not|no)\b(?!\s*[a-z])"), r"not me for years"),
    (re.compile(r"\b(i am|i have) (\d{1,3}) years\b(?! (ago|married))"), r"i am \2 years old"),
    (re.compile(r"\b(has|is) (\d{1,3}) years\b(?! (ago|married))"), r"he is \2 years old"),
    (re.compile(r"^(?:i am )?(\d{1,3}) years(?: old)?$"), r"i am \1 years old"),
    # "soy de abril de 2011": the month and year of birth
    (re.compile(r"\bi am (?:of |from )?(?:the )?(\d{1,2}(?:th)? (?:of )?)?" + _MONTHS +
                r"(?= (?:of )?(?:the )?\d{2,4}\b)"), r"i was born in \1\2"),
    # "nací el 3 de abril de 1985", "soy del 2 de febrero del 84": no "of" before the year
    (re.compile(r"\b(born(?: in| on)? (?:the )?(?:\d{1,2}(?:th)? )?(?:of )?" + _MONTHS +
                r" )of (?:the )?((?:19|20)\d\d)\b"), r"\1\3"),
    (re.compile(r"\b(born(?: in| on)? (?:the )?(?:\d{1,2}(?:th)? )?(?:of )?" + _MONTHS +
                r" )of (?:the )?([3-9]\d)(?:th)?\b"), r"\g<1>19\3"),
    (re.compile(r"\b(born(?: in| on)? (?:the )?(?:\d{1,2}(?:th)? )?(?:of )?" + _MONTHS +
                r" )of (?:the )?([0-2]\d)(?:th)?\b"), r"\g<1>20\3"),
    (re.compile(r"\b(born in (?:[a-z]+ )?)of the ([3-9]\d)\b"), r"\g<1>19\2"),
    (re.compile(r"\b(born in )(?:the )?([3-9]\d)(?:th)?\b"), r"\g<1>19\2"),
    (re.compile(r"\b(born in )(?:the )?([0-2]\d)(?:th)?\b"), r"\g<1>20\2"),
    (re.compile(r"\b(born in (?:[a-z]+ )?)of the ([0-2]\d)\b"), r"\g<1>20\2"),
    (re.compile(r"\b(?:on )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday) (\d{1,2})\b"),
     r"\1 the \2th"),
    (re.compile(r"\bi have (\d{1,3})(?=\s*(?:$|[,.;!?]|no\b|not\b|and\b|but\b|haha\b|lol\b|i\b|"
                r"can\b|could\b|would\b|want\b|just\b|from\b|so\b|with\b|y\b|e\b|since\b))"),
     r"i am \1"),
    # "yo 29 y mi hermana 33": the patient's own age first
    (re.compile(r"^i (\d{2})(?= (?:and|y)\b|,)"), r"i am \1"),
    # "me dio asma hasta los 12": until that age
    (re.compile(r"\buntil the (\d{1,2})(?:th)?\b(?! (?:of|months?|weeks?|days?|years?)\b)"), r"until i was \1"),
    # "cumplo los 18": the age the patient turns
    (re.compile(r"\bi turn the (\d{1,2})(?:th)?\b(?! of\b)"), r"i turn \1"),
    # "a mis 67 los párpados ya me pesan": at the patient's own age
    (re.compile(r"\bto my (\d{2})(?: years(?: old)?)?\b(?! (?:kids|children|sons|daughters|"
                r"grandchildren|patients|clients)\b)"), r"i am \1,"),
    (re.compile(r"\b(\d{1,3}) no (\d{1,3})\b"), r"\1 not \2"),
    # "soy del 75, del 3 de enero": the year, then the day
    (re.compile(r"\bborn in ((?:19|20)\d\d),? (?:of |on )?(?:the )?(\d{1,2})(?:th)? (?:of )?" + _MONTHS + r"\b"),
     r"born on \2 \3 \1"),
    # "las pastillas son de mi papá": they belong to him
    (re.compile(r"\b(is|are|was|were) of (my|his|her|our) ([a-z-]+)\b"), r"\1 \2 \3s"),
    # "no le doy pecho", "tampoco tomo": "no" before the patient's verb, with no comma between
    (re.compile(r"\b(?:also not|not|no) i (am|was|have been)\b"), r"i \1 not"),
    (re.compile(r"\b(?:also not|not|no) i (?!dont\b|am\b|was\b)(\w+)"), r"i dont \1"),
    (re.compile(r"\b(?:the |on the )?(\d{1,2}) of " + _MONTHS + r"\b"), r"\1 \2"),
    (re.compile(r"\bthe (\d{1,2})\b(?! (years?|days?|weeks?|months?|kg|m|cm)\b)"), r"the \1th"),
]


def _tidy(text: str) -> str:
    """Small repairs: Spanish order turned English ("AGO 2 months" -> "2 months ago"), "i i am"
    -> "i am", doubled spaces."""
    for pattern, replacement in _REORDER:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\bi (i|i am|im)\b", r"\1", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip()

# From Spanish set 5 (read after set 6 was written): pumping milk at work, a piercing that got
# infected, eyelid skin over the lashes, brows that have dropped, "or something like that".
_add({
    "propia": "own", "propio": "own", "mi propia leche": "my own breast milk",
    "me saco": "i pump", "que me saco": "that i pump", "me saco leche": "i pump milk",
    "oficina": "office", "se me infecto": "got infected", "se infecto": "got infected",
    "infecto": "got infected", "se me infecta": "is getting infected",
    "parpado": "eyelid", "pestanas": "lashes", "mejora": "improve", "traigo": "i have",
    "caidas": "droopy", "caidos": "droopy", "caida": "droopy", "caido": "droopy",
    "algo asi": "something like that", "o algo asi": "or something like that",
    "cuenta si": "does it count if", "cuenta que": "does it count that",
})

# From Spanish set 7 (read after set 8 was written): relactation, the last feed of the day,
# bottles of the patient's own milk, things that belong to someone else, tests that came back
# clear, chickenpox.
_add({
    "relacte": "i relactated",     "otra vez": "again", "de nuevo": "again", "le estoy dando": "i am feeding", "le doy": "i feed",
    "una tomita": "one feed", "una toma": "one feed", "la tomita": "the feed", "tomitas": "feeds",
    "en la tarde": "in the afternoon",     "estamos en las ultimas": "almost weaned",
    "biberones de mi leche": "bottles of my breast milk", "mi leche": "my breast milk",
    "me la saco": "i pump it", "me lo saco": "i pump it",
    "varicela": "chickenpox", "la de la": "the one with the", "el de la": "the one with the",
    "a mi no me ha salido nada": "i have had nothing", "no me ha salido nada": "i have had nothing",
    "me ha salido": "i have had", "del todo": "completely",
    "me salio positiva": "i got a positive", "me salio positivo": "i got a positive",
    "salio positivo": "came back positive",
    "la prueba": "the test", "farmacia": "pharmacy",
    "o sea que si": "so yes", "o sea que no": "so no",
    "mi menor": "my youngest", "mi mayor": "my eldest", "el menor": "the youngest",
    "la menor": "the youngest", "el mayor": "the eldest", "la mayor": "the eldest",
    "el ano que entra": "next year", "vamos por el segundo": "we will try for a second",
    "vamos por otro": "we will try for another", "si llega": "if it happens",
    "bienvenido": "welcome", "bienvenida": "welcome", "contando dias": "counting days",
    "ya tuve la menopausia": "i am postmenopausal", "tuve la menopausia": "i am postmenopausal",
    "renta": "rent",
    "respiro": "i breathe", "trago de todo": "i swallow everything",
    "trago bien": "i swallow fine", "sin broncas": "without problems", "sin bronca": "without problems",
    "sin problema": "without problems", "sin problemas": "without problems",
    "asmatica": "asthmatic", "asmatico": "asthmatic", "corro": "i run", "maratones": "marathons",
    "lo que tengo es": "what i have is", "remitente": "relapsing remitting",
    "alergias no tengo": "i have no allergies", "alergia no tengo": "i have no allergies",
    "me han puesto de todo": "i have been given everything",
    "nunca me paso nada": "nothing ever happened to me", "nunca me ha pasado nada": "nothing ever happened to me",
    "fresa": "strawberry", "fresas": "strawberries", "me como": "i eat", "camaron": "shrimp",
    "alergologo": "allergist", "alergologa": "allergist", "dice que": "says",
    "fuera del": "except for the", "me hace estornudar": "makes me sneeze", "estornudar": "sneeze",
    "ningna": "none", "ningno": "none",     "la quince": "the quinceanera", "los quince": "the quinceanera", "fue en": "was in",
    "boda era": "wedding was", "la boda era": "the wedding was", "la cambiamos": "we moved it",
    "lo cambiamos": "we moved it", "la cambiaron": "they moved it", "cambiamos": "we moved",
    "me toman las fotos": "i have a photo shoot",     "catalogo": "catalogue", "tienda": "shop",
    "nunca supe si": "i never knew if", "no supe si": "i never knew if", "si era": "if it was",
    "me lo hice": "i had it done", "me la hice": "i had it done", "me los hice": "i had them done",
    "me las hice": "i had them done", "ya se puede repetir": "can i repeat it already",
    "plasma rico en plaquetas": "prp",     "el puente de": "the long weekend of", "puente": "long weekend",
    "dia de la constitucion": "constitution day", "dia de la revolucion": "revolution day",
    "ya me toca": "is it time for",
    "nunca supe si era": "i never knew if it was", "no se si era": "i dont know if it was",
    "no supe si era": "i never knew if it was",
    "mama de": "mother of", "mami de": "mother of", "abuela de": "grandmother of",
    "abuelo de": "grandfather of", "abuela": "grandmother", "cumplidos": "just turned",
    "cumplidas": "just turned",
    "hasta donde se": "as far as i know", "hasta donde yo se": "as far as i know",
    "se me infecto el": "i have an infected",
    "se me infecto la": "i have an infected", "rasguno": "scratch", "depilandome": "waxing",
    "caseina": "casein", "esta con": "she is on", "podria estar": "might be", "estar": "be",
    "la regla no me llega": "my period is late", "no me llega la regla": "my period is late",
    "nauseas": "nausea", "internista": "internist",
    "cajas": "boxes", "mejor espero": "should i wait",
    "que me hice": "from", "que me hice al": "from",
})

# From Spanish set 8 (read after set 9 was written): "not pregnant yet", pumping for a bottle,
# a correction ("no... bueno, la verdad sí", "ay no, miento"), ITP, someone else's relative clause,
# a urinary infection, a moved christening, a day of San Juan, Guatemalan and Argentine words.
_add({
    "embarazada todavia no": "not pregnant yet", "embarazada aun no": "not pregnant yet",
    "todavia no embarazada": "not pregnant yet",
    "me extraigo": "i pump", "me extraigo leche": "i pump milk", "se la damos": "we give it",
    "en biberon": "in a bottle",
    "los que andan buscando": "the ones trying", "las que andan buscando": "the ones trying",
    "andan buscando": "are trying",
    "la verdad si": "actually yes", "la verdad no": "actually no", "miento": "actually",
    "me inyecto": "i inject", "me inyectan": "i get injections of",
    "vejiga hiperactiva": "overactive bladder", "pti": "itp",
    "plaquetas bajas": "low platelets",
    "patojo": "kid", "patoja": "kid", "patojos": "kids", "mi patojo": "my kid",
    "mi patoja": "my kid", "le salio": "got", "le salieron": "got",
    "de orina": "urinary", "infeccion de orina": "urinary infection",
    "lo pasamos al": "we moved it to", "la pasamos al": "we moved it to",
    "lo pasamos para el": "we moved it to", "la pasamos para el": "we moved it to",
    "capaz que": "maybe",
    "supongamos que": "suppose", "suponiendo que": "suppose", "supongamos": "suppose",
    "hace rato que no": "not for a while now", "yo hace rato que no": "not me, not for a while now",
    "me broto": "i broke out in a rash", "me brote": "i broke out in a rash",
    "todita": "all over", "todito": "all over",
    "pirulos": "years", "exosomas": "exosomes",
    "encapotados": "hooded", "encapotado": "hooded", "parpados encapotados": "hooded eyelids",
    "se me vinieron abajo": "have drooped", "se me vino abajo": "has drooped",
    "cara de enojo": "an angry face", "pongo cara de enojo": "i frown",
    "igual me pueden atender": "can you still see me", "igual me puedo poner": "can i still have it",
    "igual puedo": "can i still", "igual me pueden": "can you still",
    "ya respiro normalito": "now i breathe fine", "respiro normalito": "i breathe fine",
    "fotos profesionales": "professional photos", "me hacen fotos": "i have a photo shoot",
    "no se que me pusieron": "i dont know what they used", "no se que me inyectaron": "i dont know what they used",
    "dia de san juan": "st johns day", "el dia de san juan": "st johns day",
    "noche de san juan": "st johns eve",
    "lactoglobulina": "cows milk protein", "beta lactoglobulina": "cows milk protein",
    "alergia a la proteina": "allergy to the protein",
    "algun dia": "someday", "si algun dia": "if someday",
    "trombosis": "thrombosis", "una trombosis": "a thrombosis", "trombo": "blood clot",
    "pa la vejiga hiperactiva": "for my overactive bladder",
    "para la vejiga hiperactiva": "for my overactive bladder", "ay no": "oh no", "ay": "oh",
})

# From Spanish set 9 (read after set 10 was written): breastfeeding from a cup or only at night,
# trying again after a pause, an embryo transfer, a grandparent's medicine, a bleeding disorder,
# a hypothetical covid, an ear infection, a launch moved to a date, a toxin three and a half months
# ago, "creo que puedo estar embarazada".
_add({
    "dio negativa": "was negative", "dio negativo": "was negative", "salio negativa": "was negative",
    "sigo sin regla": "my period is late", "sigo sin la regla": "my period is late",
    "ya no se": "now i dont know",
    "transferencia de embriones": "embryo transfer", "la transferencia": "the embryo transfer",
    "me hacen la transferencia": "i am having the embryo transfer",
    "no lo amamanto": "i dont breastfeed him", "no la amamanto": "i dont breastfeed her",
    "ya no lo amamanto": "i dont breastfeed him anymore",
    "desde que nacio": "since birth", "nacio": "was born",
    "lo habia dejado": "i had stopped", "la habia dejado": "i had stopped",
    "volvi a darle": "i started feeding again", "volvi a darle pecho": "i started breastfeeding again",
    "sigue pegado": "and he still feeds", "sigue pegada": "and she still feeds",
    "le doy mi leche": "i give him my breast milk", "en vasito": "in a cup", "vasito": "cup", "no agarra el pezon": "he does not latch",
    "nada mas le doy": "i only feed", "nomas le doy": "i only feed", "solo le doy": "i only feed",
    "duramos": "we spent", "antes de que llegara": "before the baby came", "llegara": "came",
    "estamos otra vez en eso": "we are trying again", "otra vez en eso": "trying again",
    "lo dejamos": "we stopped", "me quede sin chamba": "i lost my job",
    "me quede sin trabajo": "i lost my job",
    "que anda en la cocina": "in the kitchen", "anda en la cocina": "is in the kitchen",
    "pero si tomo": "but i do take", "pero si me tomo": "but i do take", "pero si uso": "but i do use",
    "capsulas": "capsules", "turno de noche": "night shift",
    "sindrome de bernard soulier": "bernard-soulier", "bernard soulier": "bernard-soulier",
    "sangro por todo": "i bleed from everything", "sangro": "i bleed",
    "me hicieron": "i had", "hormigueo": "tingling", "manos": "hands", "operacion": "operation",
    "me cuesta pasar la comida": "i have trouble swallowing food",
    "me cuesta pasar": "i have trouble swallowing", "pasar la comida": "swallowing food",
    "si me da": "if i get", "si me llega a dar": "if i get", "me cobran": "do you charge",
    "me pueden poner igual": "can you still do it", "fibrosis pulmonar": "pulmonary fibrosis", "uso oxigeno": "i use oxygen", "oxigeno": "oxygen",
    "arde": "burns", "hormiguea": "tingles", "me va a salir": "i am getting",
    "infeccion de oido": "ear infection", "oido": "ear", "de oido": "ear",
    "presento mi libro": "i launch my book", "presentacion de mi libro": "my book launch",
    "va a haber prensa": "there will be press",
    "se atraso de": "was moved from", "se atraso para": "was moved to", "se atraso al": "was moved to",
    "marca": "brand", "me graduo": "i graduate", "me gradue": "i graduated",
    "y medio": "and a half",
    "meses y medio": "and a half months", "acido hialuronico": "hyaluronic acid filler",
    "dia de la virgen de guadalupe": "guadalupe day", "virgen de guadalupe": "guadalupe day",
    "la guadalupana": "guadalupe day", "dia de la guadalupana": "guadalupe day",
    "dermatocalasia": "dermatochalasis", "oculista": "eye doctor",
    "proteina": "protein", "la proteina": "the protein",
    "aceite de krill": "krill oil",
    "si nos va bien": "if things go well", "si me va bien": "if things go well",
    "si todo va bien": "if things go well",
    "creo que puedo estar": "i think i might be", "puedo estar": "i might be",
})

# From Spanish set 10 (read after set 11 was written): a night feed, feeding again after weaning,
# someone else's breastfeeding, no longer using protection, a toxin "I think", an asthma no
# inhaler controls, weeks counted from a treatment, "me faltan 3 meses pa cumplir 18".
_add({
    "la toma de la madrugada": "the night feed", "toma de la madrugada": "night feed",
    "la toma de la noche": "the night feed", "toma de la noche": "night feed",
    "ya lo habia destetado": "i had weaned him", "ya la habia destetado": "i had weaned her",
    "volvio a pedir": "he wanted it again", "le estoy dando otra vez": "i am breastfeeding again",
    "me lo pego": "i breastfeed him", "me la pego": "i breastfeed her",
    "me lo pego mi": "i caught it from my", "me la pego mi": "i caught it from my",
    "me lo pego el": "i caught it from", "me lo pego la": "i caught it from",
    "la que esta dando teta": "the one breastfeeding", "la que esta dando pecho": "the one breastfeeding",
    "mi vecina": "my neighbour",
    "dejamos de cuidarnos": "we stopped contraception so we can try",
    "a ver si pega": "to see if it happens", "lo estamos platicando": "we are talking about it",
    "platicando": "talking about it",
    "me mandaron": "i was prescribed", "me lo mando": "prescribed by", "me la mando": "prescribed by",
    "me operaron": "i had surgery on", "no me acuerdo como se llama": "i cant remember the name",
    "ah no": "oh wait, yes", "me viene la regla": "i have my period",
    "tiocolsid": "thiocolchicoside", "tiocolsid forte": "thiocolchicoside",
    "emulsion de scott": "scotts emulsion", "cucharada": "spoonful",
    "se me cansan los parpados": "my eyelids get tired", "veo doble": "i see double",
    "me esta haciendo estudios": "is testing me for it",
    "tragar me cuesta": "i have trouble swallowing", "me cuesta tragar": "i have trouble swallowing",
    "ni con el inhalador se me controla": "that is still bad even with my inhaler",
    "riesgoso": "risky",
    "sigo quedandome sin aire": "i am still short of breath", "quedandome sin aire": "short of breath",
    "me quedo sin aire": "i get short of breath", "sin aire": "short of breath",
    "mi gato": "my cat", "mi perro": "my dog", "la oreja": "the ear", "oreja": "ear",
    "vie": "friday",
    "creo que era botox lo que me pusieron": "i think it was botox that i had",
    "creo que era botox": "i think it was botox", "creo que fue botox": "i think it was botox",
    "me pusieron": "i had", "nunca me dijeron la marca": "they never told me the brand",
    "puce": "puse", "botoz": "botox", "entresejo": "between the brows", "marso": "march",
    "hoy se cumplen": "it is exactly", "se cumplen": "it is exactly",
    "se me quito": "i outgrew it",
    "me cae mal": "upsets my stomach", "alerjia": "allergy", "lexe": "milk",
    "la proteina de la leche": "cows milk protein",
    "me faltan": "i have left", "pa cumplir": "until i turn", "para cumplir": "until i turn",
    "se me vienen los parpados encima": "my eyelids are drooping",
    "se me vienen encima": "are drooping", "se me cayeron": "have drooped",
    "las cejas se me cayeron": "my brows have drooped",
})

# From Spanish set 11 (read after set 12 was written): "since then nothing", weaning to formula,
# expressing milk for nursery, trying again after a pause, an IUD taken out, a past course of
# a medicine, a daily injection since a caesarean, Bell's palsy that passed, pneumonia that left
# the patient short of breath, a child's impetigo, an ingrown nail on a foot, an event brought
# forward, "botox virgin", "the twenty-something of July", a birth date as "fnac".
_add({
    "desde ahi nada": "nothing since then", "desde ahi": "since then", "de ahi": "after that",
    "y desde ahi nada": "and nothing since then",
    "despues de": "after", "cirugia": "surgery", "la cirugia": "the surgery",
    "durante": "during", "pandemia": "pandemic", "la pandemia": "the pandemic",
    "me receto": "prescribed by", "receto": "prescribed", "chiquita": "small", "chiquito": "small",
    "le di hasta": "i breastfed until", "le di pecho hasta": "i breastfed until",
    "ya nomas toma formula": "now only formula", "nomas toma formula": "only formula",
    "solo toma formula": "only formula", "toma formula": "has formula",
    "me sigo sacando leche": "i still express milk", "sigo sacando leche": "i still express milk",
    "me saco leche": "i express milk", "sacandome leche": "expressing milk",
    "sacando leche": "expressing milk", "guarderia": "nursery", "la guarderia": "nursery",
    "pa que se duerma": "as a feed so she sleeps", "para que se duerma": "as a feed so she sleeps",
    "lo pausamos": "we paused it", "pausamos": "we paused",
    "le volvimos a echar ganas": "we are trying again", "volvimos a echarle ganas": "we are trying again",
    "echarle ganas": "trying", "echar ganas": "trying",
    "buscar buscar": "trying trying", "me quite el diu": "i had my iud removed",
    "me quitaron el diu": "i had my iud removed",
    "depende de": "it depends on", "depende": "it depends",
    "tome": "i took", "me dieron un": "i was given a", "me dieron una": "i was given a",
    "me lo cambiaron por": "i was switched to", "me la cambiaron por": "i was switched to",
    "me la aplico": "i inject it", "me lo aplico": "i inject it", "me aplico": "i inject",
    "cesarea": "c-section", "la cesarea": "my c-section", "cateterismo": "stent procedure",
    "el cateterismo": "my stent procedure",
    "asido acetil salisilico": "aspirin", "acido acetil salisilico": "aspirin",
    "asido acetilsalicilico": "aspirin", "acido acetilsalisilico": "aspirin",
    "paralisis de bell": "bells palsy", "ya quede bien": "i am fine now", "quede bien": "fine now",
    "no ha regresado": "it has not come back", "no me ha regresado": "it has not come back",
    "neumonia": "pneumonia", "la neumonia": "the pneumonia",
    "me quede con el aire corto": "i am still short of breath", "el aire corto": "short of breath",
    "aire corto": "short of breath", "me quede sin aire": "i am still short of breath",
    "mi roomie": "my flatmate", "roomie": "flatmate", "mi nene": "my little boy", "nene": "little boy",
    "mi nena": "my little girl", "nena": "little girl", "trae": "has",
    "uñero": "ingrown toenail", "unero": "ingrown toenail", "en el pie": "on my foot",
    "la adelantaron al": "it was moved to", "lo adelantaron al": "it was moved to",
    "la adelantaron para el": "it was moved to", "adelantaron": "moved",
    "virgen de botox": "never had botox", "virgen del botox": "never had botox",
    "julyo": "july", "julio": "july",
    "el veintitantos de": "in the last third of", "veintitantos de": "in the last third of",
    "anafilacsia": "anaphylaxis", "anafilaxia": "anaphylaxis", "anafilaxis": "anaphylaxis",
    "hase": "AGO",  # "hase 2 años": "hace", moved after its number as "hace" is
    "se me bajo la presion": "my blood pressure dropped", "me llene de ronchas": "i came out in hives",
    "me lleno de ronchas": "i come out in hives",
    "fnac": "born", "f nac": "born", "fecha de nac": "born", "fecha de nacimiento": "born",
    "trentidoz": "thirty-two", "treintidos": "thirty-two", "treinta y dos": "thirty-two",
    "hasta dormida": "even asleep", "hasta dormido": "even asleep",
    "cuamdo": "when", "frunso": "frown", "frunso la cara": "frown",
    "cada vez que": "every time",
    "ahi te van": "here are", "ahi van": "here are", "luz de ventana": "window light",
    "ojos cerrados": "eyes closed", "bnas": "hi", "cardio": "cardiologist",
    "x indicacion": "as prescribed", "por indicacion": "as prescribed", "indicacion": "prescription",
    "oxibutinina": "oxybutynin", "fibromialgia": "fibromyalgia",
    "ando desvelada": "i am short of sleep", "desvelada": "short of sleep",
    "desvelado": "short of sleep", "tic del ojo": "eye twitch",
    "saetil": "dexketoprofen", "dolalgial": "clonixin", "elontril": "bupropion",
    "cardyl": "atorvastatin", "dolostop": "paracetamol", "nolotil": "metamizole",
    # "el 11 de septiembre": a date, not the frown lines "el 11"
    "el 11 de": "the 11th of", "el once de": "the 11th of", "las 11 de": "the 11th of",
    "la que tiene": "the one who has", "el que tiene": "the one who has",
    "la que esta": "the one who is", "el que esta": "the one who is",
    "clinica de fertilidad": "fertility clinic", "una clinica de fertilidad": "a fertility clinic",
    "en tratamiento en una clinica de fertilidad": "having fertility treatment at a clinic",
    "en tratamiento en la clinica de fertilidad": "having fertility treatment at the clinic",
    "si en el futuro": "if in the future", "en el futuro": "in the future", "futuro": "future",
    "me diagnostican": "i am diagnosed with", "diagnostican": "diagnose",
    "avisarles": "tell you", "avisarte": "tell you", "grande": "big",
    "cena de la oficina": "office dinner", "una cena de la oficina": "an office dinner",
    "cena de trabajo": "work dinner", "cena de la empresa": "work dinner",
    "ya no volvi": "i havent been back since", "no volvi": "i did not go back",
    "ya no he vuelto": "i havent been back since", "seguido": "regularly",
    "me manda": "sends me", "minutos": "minutes", "todas": "all of them",
    "me inflo": "i get bloated", "queso": "cheese", "seguimos": "we are still",
    "empezamos": "we start", "me mandaron a descartar": "i was sent for tests to rule out",
    "descartar": "rule out",
    "el gastro": "the gastroenterologist", "dijo": "said", "me dijo": "told me",
    "cadera": "hip", "la cadera": "my hip", "me operaron la": "i had surgery on my",
    "ciatica": "sciatica", "me agarra": "i get", "agarra": "gets",
    "cabecera": "family doctor", "medico de cabecera": "family doctor",
    "torticolis": "stiff neck", "endocrino": "endocrinologist", "diga": "says",
})

# From Spanish set 12 (read after set 13 was written): Mexican "nanay", a baby turning some weeks
# old, feeds named by the time of day, a pause in trying, a friend ("comadre") who is trying,
# pills that get stuck, drowning in debt, a kid's impetigo, a wedding "if I'm invited", brands
# (Termalgin, Tabalon, AAS), turning an age, drooping brows and lids.
_add({
    "nanay": "no", "imposible": "impossible", "perdi el embarazo": "i lost the pregnancy",
    "perdi al bebe": "i lost the baby", "perdi el bebe": "i lost the baby",
    "va a cumplir": "will be", "van a ser": "will be",
    "puro biberon": "only bottle", "pura formula": "only formula", "puro bibi": "only bottle",
    "la toma de la siesta": "the nap feed", "toma de la siesta": "nap feed",
    "la toma de la noche": "the night feed", "toma de la noche": "night feed",
    "la toma de la manana": "the morning feed", "toma de la manana": "morning feed",
    "la toma de la tarde": "the afternoon feed", "toma de la tarde": "afternoon feed",
    "podria ponerme igual": "could i still have it", "ponerme igual": "still have it",
    "lo dejamos en pausa": "we paused it", "la dejamos en pausa": "we paused it",
    "en pausa": "on pause", "estamos otra vez": "we are trying again",
    "quien busca bebe": "the one trying for a baby", "la que busca bebe": "the one trying for a baby",
    "busca bebe": "is trying for a baby", "mi comadre": "my friend", "comadre": "friend",
    "mi compadre": "my friend", "compadre": "friend",
    "termalgin": "paracetamol", "tabalon": "ibuprofen", "aas": "aspirin",
    "me echo un": "i take a", "me echo una": "i take a", "con receta nada": "nothing prescribed",
    "desde que cumpli": "since i turned", "siclobensaprina": "cyclobenzaprine",
    "ciclobensaprina": "cyclobenzaprine", "siclobenzaprina": "cyclobenzaprine",
    "eso no": "no", "lo que padezco es": "what i have is", "padezco": "i have",
    "hasta corro": "i even run", "hasta camino": "i even walk", "maratones": "marathons",
    "yo respiro bien": "my breathing is fine",
    "se me quedan atoradas": "get stuck in my throat", "se me quedan atorados": "get stuck in my throat",
    "se me queda atorada": "gets stuck in my throat", "me cuesta pasarlas": "i struggle to swallow them",
    "me cuesta pasarlos": "i struggle to swallow them", "pasarlas": "swallow them",
    "me ahogo en deudas": "i am drowning in debt", "ahogo en deudas": "drowning in debt",
    "deudas": "debts", "mi chamaco": "my kid", "chamaco": "kid", "mi chamaca": "my kid",
    "chamaca": "kid", "lo tiene mi": "the one who has it is my", "la tiene mi": "the one who has it is my",
    "pie de atleta": "athletes foot", "de la cara limpia": "my face is clear",
    "lo que tengo es": "what i have is",
    "si me invitan": "if i am invited", "me invitan": "i am invited", "deberia": "should i",
    "si me pongo": "if i get it", "ya se nota": "will it show",
    "de alergias nada": "no allergies", "alergias nada": "no allergies", "ni al": "not even to",
    "me daba alergia": "i was allergic to", "la supere": "outgrew it", "lo supere": "outgrew it",
    "me imagino que no": "i dont think so", "dijo que es": "said it is", "no alergia": "not allergy",
    "me case": "i got married", "ya voy en": "i am now", "voy en los": "i am",
    "me faltan unos meses pa los": "nearly", "me faltan unos meses para los": "nearly",
    "los cumplo en": "birthday in",
    "estan cayendo": "are drooping", "se me cayeron": "i have drooping",
    "cuabdo": "when", "hago jestos": "i make expressions", "hago gestos": "i make expressions",
    "jestos": "expressions", "opina de mi vida": "comments on my life",
    "dsp d": "after", "mismo cel": "same number", "embarazadita": "pregnant",
    "el toma": "he takes", "ella toma": "she takes", "kiero": "i want",
})
_add({
    "me case a los": "i got married at",
    # (seven words at most: _MAX_PHRASE)
    "estan cayendo las cejas y los parpados": "my brows and eyelids are drooping",
    "estan cayendo los parpados y las cejas": "my eyelids and brows are drooping",
    "se me cayeron los parpados y las cejas": "my eyelids and brows have drooped",
    "se me cayeron las cejas y los parpados": "my brows and eyelids have drooped",
    "se me estan cayendo los parpados": "my eyelids are drooping",
    "se me cayeron los parpados": "my eyelids have drooped",
})


# From Spanish set 13 (read after set 14 was written): SMS noes, births and curettage, IVF under
# way, feeds resumed or given up, a curettage "since then nothing", the heel of the week,
# swallowing and breathing said plainly, a kid's infection, a fingernail, the quinceanera, a
# question about timing, a glossed "aparento".
_add({
    "nda": "nothing", "cero chance": "no chance", "nada de nada": "nothing at all",
    "desde ahi nada de nada": "nothing since then", "desde ahi nada": "nothing since then",
    "y desde ahi nada de nada": "and nothing since then", "y desde entonces nada de nada": "and nothing since then",
    "desde entonces nada de nada": "nothing since then",
    "embarazada no estoy": "i am not pregnant", "embarazada no": "not pregnant",
    "en plena fiv": "in the middle of ivf", "en plena": "in the middle of",
    "los primeros": "the first", "las primeras": "the first",
    "desde entonces solo formula": "since then only formula",
    "desde entonces solo biberon": "since then only bottle",
    "volvi y ahorita sigue mamando": "i went back and now i am still breastfeeding",
    "ahorita sigue mamando": "now i am still breastfeeding", "sigue mamando": "still breastfeeding",
    "la que da pecho": "the one breastfeeding", "el que da pecho": "the one breastfeeding",
    "cuando se despierta de madrugada": "the night feed when the baby wakes",
    "unicamente": "only",
    "si pa esa fecha": "if by that date", "si para esa fecha": "if by that date",
    "me dan antibiotico": "they give me an antibiotic", "me dan antibioticos": "they give me antibiotics",
    "hay problema": "is that a problem",
    "soy hemofilico": "i have haemophilia", "soy hemofilica": "i have haemophilia",
    "hemofilico": "haemophilia", "hemofilica": "haemophilia", "tipo a": "type a", "tipo b": "type b",
    "recuperada al 100": "fully recovered", "recuperado al 100": "fully recovered",
    "estoy recuperada": "i have recovered", "estoy recuperado": "i have recovered",
    "trago y respiro": "i swallow and breathe", "respiro y trago": "i breathe and swallow",
    "sin ningun problema": "without any problem",
    "hoy ya respiro perfecto": "now i breathe fine", "respiro perfecto": "i breathe fine",
    "me quedo un ahogo": "i was left with breathlessness", "que no se me quita": "that wont go away",
    "me cuesta agarrar aire": "i struggle to breathe", "agarrar aire": "breathe",
    "el doctor no sabe si": "the doctor is not sure if", "el medico no sabe si": "the doctor is not sure if",
    "lo que pasa es que": "the thing is", "me atoro": "i choke", "tragarla": "swallow it",
    "tragarlo": "swallow it", "con la carne": "on meat",
    "mal controlada": "poorly controlled", "mal controlado": "poorly controlled",
    "mi cipote": "my kid", "mi cipota": "my kid", "cipote": "kid", "cipota": "kid",
    "yo estoy limpia": "i am clear", "yo estoy limpio": "i am clear",
    "una una de la mano": "a fingernail", "una una del pie": "a toenail",
    "los 15 de mi": "the quinceanera party of my", "los quince de mi": "the quinceanera party of my",
    "si me lo pongo": "if i get it", "si me la pongo": "if i get it",
    "nunca me dijo que era": "never told me what it was",
    "la vispera de san juan": "st johns eve", "vispera de san juan": "st johns eve",
    "la tuve de chiquito": "i had it as a child", "la tuve de chiquita": "i had it as a child",
    "hoy tomo leche normal": "now i drink milk fine",
    "la alergia me la descartaron": "they ruled out an allergy",
    "me la descartaron": "they ruled it out",
    "que aparento": "i look", "los que aparento": "i look",
    "abriles": "years", "se marca la rayita": "the line shows", "la rayita": "the line",
    "fotos recientes no tengo": "i dont have recent photos",
    "dsp de": "after", "despues de las": "after", "al mismo #": "on the same number",
    "por la tarde": "in the afternoon",
    "que no pueda usar": "i cant use",
    "ya estoy recuperada al 100": "i have fully recovered now",
    "ya estoy recuperado al 100": "i have fully recovered now",
    "estoy recuperada al 100": "i have fully recovered", "estoy recuperado al 100": "i have fully recovered",
    "trajo": "brought", "me inyecto algo": "injected me with something",
    "me inyecto algo en el entrecejo": "injected me with something between my brows",
    "cosmetologa": "beautician", "cosmetologo": "beautician", "cosmiatra": "beautician",
    "gases": "gas", "todo el cuerpo": "all over my body",
    "los 40 que aparento": "the 40 i look", "los 50 que aparento": "the 50 i look",
    "dsp de las": "after", "anos y embarazada": "years old and pregnant",
    "anos y amamantando": "years old and breastfeeding",
    "me lo pueden hacer igual": "can you still do it", "me la pueden hacer igual": "can you still do it",
    "varias veces al dia": "several times a day",
    "de la cara todo bien": "my face is fine", "de la cara bien": "my face is fine",
    "al mismo": "on the same number", "al mismo tiempo": "at the same time",
    "al mismo numero": "on the same number",
    "hay alguna toxina": "is there any toxin", "hay algun botox": "is there any botox",
    "ya no quiero": "i no longer want", "ya no quiero seguir": "i no longer want to go on",
    "me atoro con": "i choke on", "me atoro con el": "i choke on", "me atoro con la": "i choke on",
    "me atraganto con": "i choke on", "con el pan": "on bread", "el pan": "bread",
})
