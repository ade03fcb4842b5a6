"""Words patients use, mapped to normalised items.

One source of truth: the parser matches these terms and the spaCy `entity_ruler` patterns that
Rasa's NLU uses are generated from them (`bot/nlp.py`). Terms are lower case; multi-word terms
match on word boundaries; single words of 6+ letters also match with one or two typos.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A normalised item and the phrases that name it."""

    item: str
    phrases: tuple[str, ...]
    category: str | None = None  # the flag code this item can raise, if any
    kind: str = ""  # medicine / supplement / condition / area / product


def _terms(kind: str, category: str | None, table: dict[str, tuple[str, ...]]) -> list[Term]:
    return [Term(item, phrases, category, kind) for item, phrases in table.items()]


AREAS = _terms("area", None, {
    "forehead_lines": ("forehead lines", "forehead", "forehead wrinkles", "worry lines",
                       "horizontal lines", "lines on my forehead", "forhead", "foreheads"),
    "frown_lines": ("frown lines", "11s", "11's", "elevens", "eleven lines", "the 11s", "glabella",
                    "glabellar", "between my brows", "between my eyebrows", "between the brows",
                    "between the eyebrows", "frown line", "furrow", "furrows", "scowl lines",
                    "angry lines", "frown", "brow furrow"),
    "crows_feet": ("crow's feet", "crows feet", "crowsfeet", "crows feat", "crow feet",
                   "corners of my eyes", "around my eyes", "eye wrinkles", "smile lines by my eyes",
                   "laugh lines around my eyes", "lines around my eyes",
                   "lines round my eyes", "round my eyes", "around the eyes", "eye lines"),
    "under_eye": ("under eye", "under-eye", "undereye", "under my eyes", "below my eyes"),
    "bunny_lines": ("bunny lines", "nose lines", "lines on my nose", "nose scrunch"),
    "lip_lines": ("lip lines", "smoker's lines", "smokers lines", "lipstick lines", "lip flip",
                  "lines around my mouth", "upper lip lines", "barcode lines"),
    "gummy_smile": ("gummy smile", "gums show", "too much gum", "gummy", "my gums"),
    "mouth_corners": ("downturned mouth", "mouth corners", "corners of my mouth", "marionette",
                      "marionette lines", "sad mouth", "dao", "down turned mouth"),
    "chin": ("chin", "pebble chin", "dimpled chin", "orange peel chin", "mental crease",
             "chin dimples"),
    "masseter": ("jaw", "jawline", "masseter", "masseters", "jaw slimming", "clenching",
                 "clench", "grinding", "teeth grinding", "tmj", "bruxism", "square jaw",
                 "grind my teeth", "grind", "clench my teeth", "slimmer face", "face slimming",
                 "v shape", "v-line"),
    "platysma": ("neck bands", "platysma", "platysmal bands", "neck lines", "neck cords",
                 "turkey neck", "neck", "bands on my neck", "bands in my neck", "cords in my neck",
                 "cords on my neck"),
})

HEAVY_EYELIDS = Term("heavy_eyelids", (
    "heavy eyelids", "heavy lids", "hooded eyelids", "hooded eyes", "hooded lids", "droopy eyelids",
    "droopy lids", "drooping eyelids", "droopy brows", "drooping brows", "droopy eyebrows",
    "saggy eyelids", "sagging eyelids", "dermatochalasis", "eyelid laxity", "heavy brows",
    "hooded", "eyelids droop", "lids are heavy", "eyelids are heavy",
    "eyelids almost cover my eyes", "eyelids cover my eyes", "lids cover my eyes",
    "skin of my eyelids is drooping", "eyelid skin is drooping", "brow droops more",
    "brow is drooping", "eyebrow droops", "droopy eyelid", "droopy brow",
    "excess skin in the eyelids", "excess skin on my eyelids", "excess skin on the eyelids",
    "excess eyelid skin", "extra skin on my eyelids", "eyelids are drooping",
    # "my upper lids hang over my lashes", "el parpado me tapa el ojo"
    "lids hang over", "eyelids hang over", "lids hang down", "lids are hanging", "lids sag",
    "eyelids sag", "lids droop", "lids are drooping", "lids have dropped", "hang over my lashes",
    "hanging over my lashes", "lids sit on my lashes", "lids rest on my lashes",
    "eyelid covers my eye", "lid covers my eye", "eyelids cover my eyes", "eyelid covers the eye",
    # a brow that has come down over the years: "my eyebrows have sunk lower"
    "eyebrows have sunk", "brows have sunk", "eyebrows have dropped", "brows have dropped",
    "eyebrows have dropped lower", "eyebrows sit lower", "brows sit lower", "eyebrows have come down",
    "eyebrows are sinking", "brows are sinking", "eyebrows have fallen", "brows have fallen",
), "heavy_eyelids", "condition")

MEDICINES = _terms("medicine", "anticoagulant", {
    "warfarin": ("warfarin", "coumadin", "jantoven", "warfarina", "aldocumar", "warfrin",
                 "warferin", "wafarin", "warfarine", "warafin",
                 "marevan", "marevan"),
    "acenocoumarol": ("acenocoumarol", "acenocumarol", "sintrom"),
    "apixaban": ("apixaban", "eliquis", "eliquise", "elequis", "eliqis", "eliqus", "elliquis"),
    "rivaroxaban": ("rivaroxaban", "xarelto"),
    "dabigatran": ("dabigatran", "pradaxa"),
    "edoxaban": ("edoxaban", "savaysa", "lixiana", "roteas"),
    "clopidogrel": ("clopidogrel", "plavix", "iscover"),
    "ticagrelor": ("ticagrelor", "brilinta", "brilique"),
    "prasugrel": ("prasugrel", "effient"),
    "heparin": ("heparin", "heparina", "enoxaparin", "enoxaparina", "lovenox", "clexane",
                "dalteparin", "fragmin", "tinzaparin", "innohep", "bemiparina", "hibor",
                "fondaparinux", "arixtra"),
    "other antiplatelet": ("cilostazol", "pletal", "dipyridamole", "persantine", "aggrenox",
                           "ticlopidine", "vorapaxar"),
    "blood thinner": ("blood thinner", "blood thinners", "anticoagulant", "anticoagulants",
                      "antiplatelet", "blood-thinner", "blood-thinners", "anticoagulante",
                      "anticoagulantes", "antiagregante", "antiagregantes",
                      "anticoagulation", "blood thining", "blood thinning medication"),
}) + _terms("medicine", "interacting_medication", {
    "aminoglycoside antibiotic": ("gentamicin", "amikacin", "tobramycin", "neomycin",
                                  "streptomycin", "kanamycin", "aminoglycoside",
                                  "aminoglycosides", "gentamicina", "amikacina", "tobramicina",
                                  "neomicina", "estreptomicina"),
    "muscle relaxant": ("cyclobenzaprine", "flexeril", "tizanidine", "zanaflex", "baclofen",
                        "methocarbamol", "robaxin", "carisoprodol", "soma", "metaxalone",
                        "orphenadrine", "dantrolene", "skelaxin", "norflex", "muscle relaxant",
                        "muscle relaxants",
                        "muscle relaxer", "muscle relaxers", "lioresal", "baclofeno",
                        "ciclobenzaprina", "tizanidina", "sirdalud", "metocarbamol"),
    "anticholinergic": ("oxybutynin", "ditropan", "scopolamine", "glycopyrrolate", "robinul",
                        "levsin", "levsinex", "levbid", "anaspaz",
                        "tolterodine", "detrol", "solifenacin", "vesicare", "trihexyphenidyl",
                        "benztropine", "hyoscyamine", "anticholinergic", "buscopan", "cogentin",
                        "trospium", "regurin", "sanctura", "fesoterodine",
                        "darifenacin", "propantheline", "benzhexol",
                        "dicyclomine", "dicycloverine", "merbentyl", "bentyl", "toviaz", "enablex",
                        "artane",
                        "buscapina", "hyoscine", "transderm scop", "scop patch", "kwells",
                        "escopolamina", "oxibutinina"),
    "quinidine": ("quinidine",),
    # Other drugs that interfere with neuromuscular transmission (shared/screening-rules.md): the
    # lincosamide and polymyxin antibiotics, curare-like blockers, procainamide, and the
    # antimalarials and penicillamine that can bring on or worsen myasthenia. With the public
    # drug list naming 20,000 medicines, an ingredient missing here would read as "no flag".
    "other neuromuscular-blocking drug": (
        "clindamycin", "clindamicina", "cleocin", "dalacin", "lincomycin", "lincocin", "colistin",
        "colistimethate", "polymyxin", "polymyxin b", "polimixina", "succinylcholine",
        "suxamethonium", "vecuronium", "rocuronium", "atracurium", "cisatracurium",
        "pancuronium", "tubocurarine", "curare", "procainamide", "chloroquine", "cloroquina",
        "hydroxychloroquine", "hidroxicloroquina", "plaquenil", "penicillamine", "cuprimine",
        "depen", "telithromycin", "magnesium sulfate infusion", "magnesium sulphate infusion",
        "magnesium drip"),
    "atropine": ("atropine", "atropina", "atropine drops", "atropine eye drops"),
    "quinine": ("quinine", "quinine sulfate", "quinine sulphate", "qualaquin", "quinina",
                "quinate", "q300", "q 300"),  # Australia
}) + _terms("medicine", "bleeding_risk_supplement", {
    "aspirin": ("aspirin", "baby aspirin", "asprin", "ecotrin", "bayer aspirin", "aspirina",
                "anacin", "st joseph 81", "st. joseph 81", "st joseph de 81", "st. joseph de 81",
                "st joseph aspirin", "st. joseph aspirin", "st joseph low dose", "st joseph chewable",
                "adiro", "acido acetilsalicilico", "acetylsalicylic acid", "excedrin",
                "alka-seltzer", "alka seltzer", "bc powder", "goodys powder", "disprin",
                "asa", "asa 81", "aspirin 81", "cardioaspirina", "aspirine", "aspro",
                "aspro clear", "ecosprin", "cartia", "astrix", "caprin", "nu-seals"),
    "nsaid": ("ibuprofen", "ibu", "advil", "motrin", "naproxen", "aleve", "nsaid", "nsaids",
              "diclofenac", "meloxicam", "celecoxib", "celebrex", "ibuprofeno", "naproxeno",
              "diclofenaco", "nurofen", "voltaren", "mobic", "naprosyn", "anaprox", "ketorolac",
              "toradol", "indomethacin", "nabumetone", "etodolac", "ketoprofen", "piroxicam",
              "feldene", "dexketoprofen", "enantyum", "antiinflamatorio", "antiinflamatorios",
              "anti-inflammatory", "anti-inflammatories", "anti inflammatories", "arcoxia",
              "etoricoxib", "brufen", "naprogesic", "ponstan", "mefenamic acid", "combiflam",
              "alaxan", "alaxan fr", "flanax", "dolfenal", "midol", "nuprin", "aceclofenac", "nimesulide", "dolonex",
              "zerodol", "zerodol sp", "nise"),
}) + _terms("medicine", None, {
    name: (name,) + alts for name, alts in {
        "lisinopril": (), "metformin": (), "levothyroxine": ("synthroid", "eutirox", "euthyrox",
                                                                    "levotiroxina", "levaxin",
                                                                    "thyroxine", "eltroxin",
                                                                    "tirosint", "oroxine"),
        "dulaglutide": ("trulicity",), "fexofenadine": ("telfast",),
        "lamotrigine": ("lamictal",), "propranolol": ("inderal",),
        "birth control": ("the pill", "contraceptive pill", "oral contraceptive"),
        "sertraline": ("zoloft",), "escitalopram": ("lexapro",), "fluoxetine": ("prozac",),
        "atorvastatin": ("lipitor",), "amlodipine": (), "omeprazole": (),
        "isotretinoin": ("accutane", "roaccutane"), "tretinoin": ("retin-a", "retin a"),
        "amphetamine": ("adderall",), "metoprolol": (), "losartan": (), "albuterol": (),
        "insulin": (), "prednisone": (), "spironolactone": (),
        "acetaminophen": ("tylenol", "paracetamol", "crocin", "calpol", "panado", "tempra",
                          "panadol", "biogesic", "dolo", "dolo 650", "tafirol"), "cetirizine": ("zyrtec",),
        "loratadine": ("claritin",), "semaglutide": ("ozempic", "wegovy"),
        "tirzepatide": ("mounjaro", "zepbound"), "bupropion": ("wellbutrin",),
        "antibiotics": ("antibiotic", "amoxicillin", "doxycycline"),
        "antidepressant": ("antidepressants",), "thyroid medication": ("thyroid meds",),
        "paroxetine": ("seroxat", "paxil"), "citalopram": ("cipramil", "celexa"),
        "venlafaxine": ("effexor",), "duloxetine": ("cymbalta",), "mirtazapine": ("remeron",),
        "semaglutide tablets": ("rybelsus",), "pantoprazole": ("pantoloc", "protonix"),
        "lansoprazole": ("prevacid",), "esomeprazole": ("nexium",),
        "amlodipine besylate": ("amlor", "norvasc", "istin"), "ramipril": (), "bisoprolol": (),
        "simvastatin": (), "rosuvastatin": ("crestor",), "sitagliptin": ("januvia",),
        "gabapentin": ("neurontin",), "pregabalin": ("lyrica",), "estradiol": ("estrogel",),
        "finasteride": (), "methotrexate": (), "hydroxychloroquine": ("plaquenil",),
        "allopurinol": (), "sumatriptan": ("imigran", "imitrex"), "topiramate": ("topamax",),
        "methylphenidate": ("ritalin", "concerta"), "rabeprazole": ("pariet", "aciphex"),
        "empagliflozin": ("jardiance",), "valsartan": ("diovan",),
        "co-amoxiclav": ("augmentin", "co amoxiclav"), "lisdexamfetamine": ("vyvanse", "elvanse"),
    }.items()
})

SUPPLEMENTS = _terms("supplement", "bleeding_risk_supplement", {
    "fish oil": ("fish oil", "fish oils", "omega 3", "omega-3", "omega3", "omega 3s", "omega-3s",
                 "cod liver oil", "krill oil", "fishoil", "salmon oil", "seal oil", "aceite de pescado",
                 "aceite de higado de bacalao", "omega 3 fatty acids", "epa dha"),
    "vitamin e": ("vitamin e", "vit e", "vitamina e", "vit. e", "tocopherol"),
    "ginkgo": ("ginkgo", "ginko", "gingko", "ginkgo biloba", "gingko biloba", "ginko biloba"),
    "garlic supplement": ("garlic pills", "garlic supplement", "garlic supplements",
                          "garlic capsules", "garlic tablets", "garlic capsule", "garlic caps"),
    "ginseng": ("ginseng",),
    "turmeric": ("turmeric", "curcumin", "tumeric", "curcuma"),
    "other bleeding-risk herb": ("feverfew", "dong quai", "garlic pill", "ajo en capsulas",
                                 "pills of garlic", "capsules of garlic", "tablets of garlic",
                                 "pastillas de ajo", "saw palmetto", "ginger supplement",
                                 "ginger capsules"),
    "st john's wort": ("st john's wort", "st johns wort", "st. john's wort", "saint john's wort",
                       "st john wort", "hierba de san juan", "hiperico", "johanniskraut",
                       "millepertuis", "iperico", "kira", "johns wort", "john's wort"),
}) + _terms("supplement", None, {
    name: (name,) + alts for name, alts in {
        "multivitamin": ("multi vitamin", "multivitamins", "multivit"),
        "vitamin d": ("vit d", "vitamin d3", "d3"), "vitamin c": ("vit c",),
        "vitamin b12": ("b12",), "collagen": (), "biotin": (), "magnesium": (),
        "probiotic": ("probiotics",), "iron": ("iron supplement",), "zinc": (),
        "melatonin": (), "calcium": (), "prenatal vitamins": ("prenatals", "prenatal"),
        "folic acid": ("folate", "folic"),
    }.items()
})

NEUROMUSCULAR = _terms("condition", "neuromuscular_disorder", {
    "myasthenia gravis": ("myasthenia gravis", "myasthenia", "myasthenia gravis (mg)",
                          "mysthenia gravis", "mysthenia gravus", "myasthenia gravus",
                          "myesthenia", "mysthenia", "myasthenia gravias",
                          # medicines taken only for it
                          "mestinon", "pyridostigmine"),
    "lambert-eaton syndrome": ("lambert-eaton", "lambert eaton", "lems", "lambert eaten",
                               "firdapse", "amifampridine",
                               "lambert eton", "lambert-eaten", "lamber eaton", "lambart eaton",
                               "lambert eatons", "lambart eeton", "lambert eeton",
                               "eaton lambert", "eaton-lambert", "lambart-eaton"),
    "als": ("als", "lou gehrig's", "lou gehrig", "lou gehrigs disease", "lou gehrigs",
            "motor neuron disease", "motor neurone disease", "motor neurone", "motor neuron",
            "kennedys disease", "kennedy disease", "spinal bulbar muscular atrophy", "sbma",
            "progressive muscular atrophy",
            "mnd", "amyotrophic lateral sclerosis", "riluzole", "rilutek", "edaravone",
            "radicava", "primary lateral sclerosis", "progressive bulbar palsy"),
    "motor neuropathy": ("motor neuropathy", "multifocal motor neuropathy", "cidp",
                         "chronic inflammatory demyelinating polyneuropathy", "charcot-marie-tooth",
                         "charcot marie tooth", "hereditary motor neuropathy",
                         "spinal muscular atrophy"),
    "neuromuscular disorder": ("neuromuscular disorder", "neuromuscular disease",
                               "neuromuscular condition", "muscular dystrophy", "myopathy",
                               "guillain-barre", "guillain barre", "nerve condition",
                               "muscle disease", "nerve disease", "neuromuscular"),
})

# Named nerve or muscle conditions outside the label's list: a patient who names one in answer
# to the neuromuscular question is reviewed by a clinician rather than waved through.
OTHER_NEURO = _terms("condition", "neuromuscular_disorder", {
    "peripheral neuropathy": ("neuropathy", "peripheral neuropathy", "nerve damage"),
    "muscle weakness": ("muscle weakness", "weak muscles", "muscles are weak"),
})

# Conditions patients name in answer to the nerve/muscle question that are not neuromuscular:
# kept for the clinician with the patient's words, no flag.
NOT_NEUROMUSCULAR = _terms("condition", None, {
    "fibromyalgia": ("fibromyalgia", "fibro"),
    "migraine": ("migraine", "migraines"),
    "arthritis": ("arthritis", "rheumatoid arthritis", "osteoarthritis"),
    "back pain": ("back pain", "sciatica", "slipped disc", "pinched nerve", "trapped nerve"),
    "carpal tunnel": ("carpal tunnel",),
    "sensory neuropathy": ("diabetic neuropathy", "sensory neuropathy", "small fibre neuropathy",
                           "small fiber neuropathy"),
    "chronic fatigue": ("chronic fatigue", "me/cfs"),
    # nervous-system conditions outside the label's list (not of the neuromuscular junction):
    # kept in the patient's words for the clinician, as two independent labellers read the
    # contract (shared/screening-rules.md lists junction disorders only)
    "multiple sclerosis": ("multiple sclerosis",),
    "parkinson's disease": ("parkinsons", "parkinson", "parkinsons disease"),
    "bell's palsy": ("bells palsy", "bell palsy", "facial palsy", "facial paralysis"),
    "cerebral palsy": ("cerebral palsy",),
    "huntington's disease": ("huntingtons", "huntington"),
})

BREATHING = _terms("condition", "swallowing_or_breathing_difficulty", {
    "swallowing difficulty": ("trouble swallowing", "difficulty swallowing", "hard to swallow",
                              "problems swallowing", "problem swallowing", "dysphagia",
                              "can't swallow", "cant swallow", "choking", "go down weird",
                              "goes down weird", "go down wrong", "goes down wrong",
                              "down the wrong way", "stuck in my throat", "get stuck", "stick in my throat",
                              "keeps sticking when i swallow", "sticking when i swallow",
                              "food sticks", "food keeps sticking",
                              "sticks in my throat", "sticking in my throat", "stick in my gullet",
                              "catching in my throat", "catches in my throat", "catch in my throat",
                              "gets stuck", "struggle to swallow", "struggling to swallow",
                              "struggle swallowing", "hard time swallowing", "feels stuck", "food feels stuck",
                              "stuck on the way down", "food gets stuck", "choke on",
                              "choke on my food", "choking on", "chokes on",
                              "swallowing is hard", "swallowing has been hard",
                              "swallowing is difficult", "swallowing has been difficult",
                              "swallowing is a struggle", "swallowing has been a struggle",
                              "swallowing is painful", "swallowing has been painful",
                              "swallowing is an issue", "swallowing has been an issue",
                              "swallowing is a problem", "swallowing has been a problem",
                              "swallowing's been hard", "swallowings been hard",
                              "swallowing's been difficult", "swallowings been difficult",
                              "swallowing's hard", "swallowing's difficult",
                              "swallowing's gone funny", "swallowings gone funny",
                              "swallowing has gone funny", "swallowing's gone weird",
                              "coughing when i swallow", "cough when i swallow",
                              "choke when i swallow", "choking when i swallow",
                              "swallowing's been off", "swallowings been off",
                              "swallowings gone weird", "swallowing has gone weird",
                              # "since the stroke my food goes down slowly and I choke"
                              "goes down slowly", "go down slowly", "goes down slow", "and i choke"),
    "breathing difficulty": ("trouble breathing", "difficulty breathing", "hard to breathe",
                             "short of breath", "shortness of breath", "breathless",
                             "cant catch my breath", "catch my breath", "out of breath",
                             "can't breathe", "cant breathe", "breathing problems",
                             "breathing problem", "struggle to breathe", "struggling to breathe",
                             "wheezing", "wheezy", "breathing is hard",
                             "breathing has been hard", "breathing is difficult",
                             "breathing has been difficult", "hard time breathing",
                             "get puffed", "get winded", "out of breath", "chest is tight",
                             "chest feels tight", "tight chest", "chest tightness",
                             "tightness in my chest", "chest has been tight", "wheeze",
                             "chest is really tight", "chest really tight", "chest is so tight",
                             "chest so tight", "chest is very tight", "chest still tight",
                             "chest is still tight", "chest gets tight", "chest goes tight",
                             "chest feeling tight", "chest been tight",
                             "gasping for air", "breathing is laboured", "puffing and panting",
                             "chests tight", "chest s tight", "puffed out", "out of puff",
                             "sob on exertion", "sob walking up", "sob climbing", "sob on stairs",
                             "sob w stairs", "sob with stairs", "sob on the stairs",
                             "getting sob", "gettin sob", "get sob", "go sob", "sob walking",
                             "sob walkin", "sob just walking", "sob just walkin",
                             "sob going up", "sob at rest", "sob atm", "sob rn", "sob lately"),
    "asthma": ("asthma", "asthmatic", "inhaler", "ventolin", "salbutamol", "albuterol inhaler",
               "bricanyl", "terbutaline", "symbicort", "seretide", "pulmicort", "airomir", "salamol", "asthma attack", "asthma attacks", "asma",
               "athsma", "asthama", "azma", "ashma",
               # inhalers for asthma and COPD
               "breztri", "trelegy", "spiriva", "fostair", "relvar", "anoro", "ultibro",
               "flutiform", "qvar", "alvesco", "breo", "advair", "dulera", "incruse", "seebri",
               "trimbow", "duoresp", "bevespi", "stiolto", "striverdi", "atrovent"),
    "emphysema": ("emphysema", "copd", "chronic bronchitis"),
    "chronic lung disease": ("pulmonary fibrosis", "lung fibrosis", "interstitial lung disease",
                             "home oxygen", "on oxygen", "use oxygen", "oxygen at night"),
})

def _with_extra_names(terms: list[Term], new_items: bool) -> list[Term]:
    """`terms` with the brand names of bot.drug_names merged in; new items appended if asked."""
    from bot.drug_names import EXTRA_NAMES
    merged = [Term(t.item, t.phrases + tuple(n for n in EXTRA_NAMES.get(t.category or "", {})
                                             .get(t.item, ()) if n not in t.phrases),
                   t.category, t.kind) for t in terms]
    known = {(t.category, t.item) for t in MEDICINES + SUPPLEMENTS}
    if new_items:
        merged += [Term(item, names, category, "medicine")
                   for category, items in EXTRA_NAMES.items() for item, names in items.items()
                   if (category, item) not in known]
    return merged


MEDICINES, SUPPLEMENTS = _with_extra_names(MEDICINES, True), _with_extra_names(SUPPLEMENTS, False)

BLEEDING_DISORDERS = _terms("condition", "anticoagulant", {
    "bleeding disorder": ("bleeding disorder", "hemophilia", "haemophilia", "von willebrand",
                          "low platelets", "thrombocytopenia", "bruise easily", "bleed easily",
                          "itp", "immune thrombocytopenia", "bruise really easily",
                          "bruise very easily", "bruise so easily", "bleed really easily",
                          "factor xi deficiency", "factor 11 deficiency", "deficit of factor xi",
                          "deficit of factor 11", "factor xi deficit", "factor 11 deficit", "haemophilia c",
                          # the other factor deficiencies, as "deficit of factor VII" is glossed
                          *(f"deficit of factor {n}" for n in ("i", "ii", "v", "vii", "viii", "ix", "x",
                                                               "xiii", "2", "5", "7", "8", "9", "10", "13")),
                          "factor v deficiency", "factor x deficiency", "factor xiii deficiency",
                          "hemophilia c", "factor vii deficiency", "glanzmann",
                          "bernard-soulier", "bernard soulier", "i bleed from everything",
                          # its treatments: emicizumab, clotting factor concentrates
                          "hemlibra", "emicizumab", "factor viii", "factor 8", "factor ix",
                          "factor 9", "advate", "novoseven", "alprolix", "eloctate", "altuviiio",
                          "hemgenix", "roctavian", "idelvion", "benefix", "wilate",
                          # von Willebrand disease, and its factor concentrates
                          "vwd", "vonvendi", "humate-p", "humate p", "voncento"),
})

SKIN_INFECTION = _terms("condition", "skin_infection", {
    "cold sore": ("cold sore", "cold sores", "cold sour", "cold sours", "coldsore", "coldsores",
                  "cld sre", "cold sre",
                  "cold soar", "cold soars", "fever blister", "fever blisters", "herpes",
                  "coldsore", "coldsores", "hsv", "cold-sore", "cold soar", "cold soars",
                  "cold sor", "herpes labial", "abreva", "cold sorre", "cold sorres",
                  "cold soure", "cold sorr",
                  # "cs on top lip atm", "cs came up rn": SMS for a cold sore, on a lip or coming up
                  *(f"cs {where}" for where in ("on my lip", "on lip", "on top lip", "on bottom lip",
                                                "on my top lip", "on my bottom lip", "on upper lip",
                                                "on lower lip", "on my mouth", "came up", "come up",
                                                "coming up", "popped up", "just popped up",
                                                "starting", "brewing"))),
    "impetigo": ("impetigo",),
    "folliculitis": ("folliculitis", "infected hair follicles", "infected follicles"),
    "ringworm": ("ringworm", "tinea faciei", "tinea on my face"),
    "stye": ("stye", "styes", "sty on my eye", "sty on my eyelid"),
    "skin infection": ("skin infection", "cellulitis", "abscess", "boil", "open sore", "pustule",
                       "infected spot", "infected pimple", "shingles", "infected cut",
                       "infected piercing", "piercing is infected", "piercing has gone yellow",
                       "piercing is crusty", "piercing has gone crusty", "piercing is oozing",
                       "piercing is weeping", "chickenpox", "chicken pox", "varicella"),
    "rash": ("rash", "open rash", "weeping rash", "eczema flare"),
})

PRODUCTS = _terms("product", None, {
    "Botox": ("botox", "botox cosmetic", "onabotulinumtoxina", "botax", "botux", "botex", "botix",
              "bottox", "btox"),
    "Dysport": ("dysport", "abobotulinumtoxina", "disport", "dysprot", "dyspot", "dysprt",
                "dysort"),
    "Xeomin": ("xeomin", "incobotulinumtoxina", "xiomin"),
    "Jeuveau": ("jeuveau", "newtox", "prabotulinumtoxina"),
    "Daxxify": ("daxxify", "daxi", "daxibotulinumtoxina"),
    "other toxin brand": ("bocouture", "azzalure", "letybo", "alluzience", "nabota", "botulax",
                          "linurase",  # an unlicensed toxin sold in Mexico (COFEPRIS alert)
                          "vistabel", "relfydess", "vistabex", "meditoxin", "neuronox",
                          "hutox", "innotox", "relatox", "nuceiva", "coretox", "liztox",
                          "lantox", "prosigne", "hengli", "regenox", "xeomeen", "myobloc",
                          "neurobloc", "rimabotulinumtoxinb", "letibotulinumtoxina",
                          "relabotulinumtoxina", "botulift", "zentox", "hitox", "bienox",
                          "lientox", "wondertox", "hugeltox", "btxa",
                          "medytox"),  # the maker of Meditoxin, as patients name it
    "botulinum toxin": ("botulinum", "toxin", "tox", "neurotoxin", "baby botox", "anti-wrinkle injections",
                        "botoks", "botax", "botoxx",
                        "wrinkle injections", "injections", "injection", "tox injections",
                        "lip flip"),
})

MILK_ALLERGENS = ("milk", "dairy", "cow's milk", "cows milk", "milk protein", "casein", "whey",
                  "dairy protein",
                  "protein in cows milk", "protein in milk", "cows milk protein")
ALLERGY_WORDS = ("allergic", "allergy", "allergies", "reaction", "hives", "swelling", "swelled",
                 "swollen", "swell", "anaphylaxis", "anaphylactic", "rash after", "reacted",
                 "react", "reacts", "puffed up", "puffy", "anafalaxis", "anaphalaxis",
                 "anafilaxis", "anaphylaxsis", "anaphylatic", "allergic reaction", "broke out", "itchy", "welts", "epipen",
                 "puff up", "puffed", "itched", "itching", "itch", "blew up", "came up in",
                 "come up in", "bumps", "hivs", "allergist", "makes me sneeze")
# What people are allergic to, by the names patients give (a short free-text answer to the
# allergy question is an allergen only when it names one of these, a medicine, or is a short list
# of nouns: "Return the named value" is not an allergy).
ALLERGENS = (
    # foods
    "peanut", "peanuts", "nut", "nuts", "tree nut", "tree nuts", "almond", "almonds", "cashew",
    "cashews", "walnut", "walnuts", "pecan", "pecans", "hazelnut", "hazelnuts", "pistachio",
    "pistachios", "brazil nuts", "macadamia", "shellfish", "seafood", "shrimp", "prawn", "prawns",
    "crab", "lobster", "mussels", "oysters", "clams", "scallops", "fish", "salmon", "tuna",
    "egg", "eggs", "wheat", "gluten", "soy", "soya", "sesame", "mustard", "celery", "lupin",
    "strawberry", "strawberries", "kiwi", "banana", "bananas", "avocado", "avocados", "tomato",
    "tomatoes", "mushroom", "mushrooms", "citrus", "oranges", "pineapple", "mango", "mangoes",
    "peach", "peaches", "apple", "apples", "cherries", "corn", "coconut", "garlic", "onion",
    "onions", "chocolate", "cocoa", "msg", "sulphites", "sulfites", "sulphite", "sulfite",
    "food colouring", "food coloring", "red dye", "cinnamon", "chilli", "peppers", "legumes",
    "lentils", "chickpeas", "beans", "melon", "watermelon", "grapes", "berries", "gelatin",
    "gelatine", "red wine", "caffeine", "lactose",
    # around us
    "pollen", "pollens", "grass", "grasses", "hay fever", "hayfever", "seasonal", "trees",
    "birch", "ragweed", "dust", "dust mites", "dust mite", "mites", "mould", "mold", "moulds",
    "molds", "spores", "cats", "cat", "cat hair", "dogs", "dog", "dog hair", "pets", "dander",
    "animal hair", "horses", "horse", "rabbits", "guinea pigs", "hamsters", "feathers", "bees",
    "bee", "bee stings", "bee sting", "wasps", "wasp", "wasp stings", "stings", "insect bites",
    "insect stings", "mosquitoes", "mosquito bites", "ants", "fire ants", "hornets", "cigarette smoke", "sunlight",
    # on the skin
    "latex", "rubber", "nickel", "metals", "cheap jewellery", "cheap jewelry", "cobalt", "chromium", "adhesive", "adhesives", "plaster", "plasters",
    "sticking plaster", "sticking plasters", "band aids", "bandaids", "band-aids", "medical tape", "surgical tape", "elastoplast", "dressings", "perfume", "perfumes",
    "fragrance", "fragrances", "scented", "lanolin", "wool", "hair dye", "ppd", "henna",
    "formaldehyde", "preservatives", "parabens", "methylisothiazolinone", "sunscreen",
    "sun cream", "suncream", "makeup", "make up", "cosmetics", "skincare", "moisturiser",
    "moisturizer", "retinol", "fillers", "filler", "hyaluronic acid", "tattoo ink",
    "acrylic", "acrylics", "gel nails", "nail glue", "eyelash glue", "lash glue", "soap",
    "detergent", "washing powder", "bleach", "chlorine", "tea tree", "essential oils",
    "aloe vera", "witch hazel", "benzoyl peroxide", "salicylic acid", "glycolic acid",
    "vitamin c serum", "chemicals", "dyes", "iodine", "betadine", "chlorhexidine", "alcohol wipes",
    # medicines by kind (named medicines are recognised from the drug list)
    "penicillin", "penicillins", "penicilin", "pennicillin", "sulfa", "sulpha", "sulfa drugs",
    "sulpha drugs", "sulfonamides", "antibiotics", "antibiotic", "codeine", "morphine",
    "opiates", "opioids", "painkillers", "nsaids", "anti inflammatories", "anti-inflammatories",
    "aspirin", "ibuprofen", "local anaesthetic", "local anesthetic", "anaesthetic",
    "anesthetic", "anaesthesia", "anesthesia", "general anaesthetic", "numbing cream",
    "lidocaine", "lignocaine", "novocaine", "contrast dye", "x-ray dye", "steroids",
    "vaccines", "flu jab", "flu shot", "amoxicillin", "amoxil", "erythromycin",
    "tetracycline", "cephalosporins", "cephalexin", "keflex", "ciprofloxacin", "cipro",
    "trimethoprim", "septrin", "bactrim", "doxycycline", "clindamycin", "metronidazole",
    "flagyl", "ampicillin", "penbritin", "flucloxacillin", "floxapen", "tazocin",
    "piperacillin",
    # Spanish, when the gloss leaves them
    "mariscos", "camarones", "nueces", "cacahuate", "cacahuates", "mani", "huevo", "huevos",
    "fresas", "polvo", "polen", "gatos", "perros", "abejas", "avispas", "picaduras", "latex",
    "niquel", "penicilina", "sulfas", "perfumes", "tintes", "hormigas",
)
ALBUMIN = ("albumin", "human albumin", "plasbumin", "albutein", "alburx", "albuminex",
           "flexbumin", "zenalb", "albunorm", "human albumin solution", "albiomin", "kedbumin",
           "albuked", "alburex", "human albumin grifols", "octalbin", "buminate")

EVENT_WORDS = ("wedding", "photo shoot", "photoshoot", "shoot", "photo shot", "launch", "party",
               "reunion", "birthday", "graduation", "interview", "holiday", "vacation", "trip",
               "passing out parade", "passing-out parade", "parade",
               "event", "gala", "anniversary", "conference", "prom", "date night", "ceremony",
               "engagement", "bridal", "honeymoon", "filming", "tv", "speech", "presentation",
               "shower", "christening", "funeral", "festival", "concert", "wedding day",
               "getting married", "get married", "gets married", "bridesmaid", "maid of honor",
               "maid of honour", "big day", "headshots", "headshot", "bachelorette", "hen do",
               "hen party", "hen weekend", "hen night", "stag do", "stag weekend", "bachelor party", "red carpet", "pageant", "audition", "christmas", "new years",
               "thanksgiving", "baptism", "bar mitzvah", "bat mitzvah", "quinceanera", "gig",
               "premiere", "awards", "competition", "grad pics", "grad photos", "grad party",
               "graduation pics", "engagement photos", "engagement pics", "family photos",
               "wedding photos", "graduates", "graduating", "vow renewal", "renewing our vows",
               "renew our vows", "recital", "gala dinner", "ball", "formal", "mothers day",
               "fathers day", "memorial day", "st patricks day", "fourth of july", "4th of july",
               "graduation ceremony", "work do", "works do", "black tie", "first communion",
               "communion", "confirmation", "eid", "diwali", "hanukkah",
               "being filmed", "documentary", "carnival", "mother of the bride",
               "mother of the groom", "father of the bride", "father of the groom", "marries",
               "office dinner", "work dinner", "dinner party", "christmas do", "office party",
               "marrying")

# Generic words that mean a skin infection only when the patient answers the skin question or
# names the skin or face in the same sentence ("ear infection" is not a skin infection).
GENERIC_INFECTION = Term("skin infection", ("infection", "infected", "spot", "sore", "pimple",
                                            "breakout", "blister", "blisters", "weepy",
                                            "weeping", "oozing", "crusty", "crusting", "pus",
                                            "scabby"),
                         "skin_infection", "condition")
SKIN_CONTEXT = ("skin", "face", "lip", "lips", "mouth", "forehead", "cheek", "chin", "nose",
                "eye", "eyes", "brow", "brows", "jaw", "neck", "treatment area", "where you inject")

# Pregnancy, breastfeeding and trying to conceive. "nursing" and "pumping" have other meanings
# ("nursing school", "pumping iron"), and "trying to get pregnant" is not being pregnant:
# `REPRODUCTIVE_MASKS` blanks those out before matching.
TTC = Term("trying_to_conceive", (
    "trying to conceive", "trying for a baby", "trying to get pregnant", "ttc", "ivf",
    "fertility treatment", "fertility meds", "fertility medication", "fertility drugs",
    "fertility injections", "fertility shots", "trying for baby", "trying to have a baby", "trying for another",
    "trying for a second", "trying to fall pregnant", "egg retrieval", "embryo transfer",
    "trying for a family", "trying to start a family", "trying for a third", "iui",
    "fertility treatments", "clomid", "letrozole", "clomifene", "clomiphene",
    "to get pregnant", "help us get pregnant", "help me get pregnant", "ovulation induction", "egg freezing", "trying to concieve",
    "trying to get preggers", "actively trying", "were trying", "we are trying",
    "im trying", "i am trying", "been trying", "trying again", "try for a baby",
    "try for another", "try for baby", "try to conceive", "try for a family",
    "trying for number 2", "trying for number two", "trying for number 3", "trying for number three",
    "trying for no 2", "trying for #2", "trying for baby number", "trying for baby no",
    "started trying"),
    "trying_to_conceive", "condition")
TTC = Term(TTC.item, TTC.phrases + ("track my ovulation", "tracking my ovulation", "ovulation tests",
                                    "ovulation strips", "ovulation kits", "ovulation test strips",
                                    "tracking ovulation", "opk", "opks"), TTC.category, TTC.kind)
PREGNANT = Term("pregnant", (
    "pregnant", "pregnancy", "preggers", "preggo", "prego", "im expecting", "pregnet",
    "carrying twins", "carrying triplets", "carrying a baby", "carrying my baby",
    "carrying our baby", "baby bump", "bump is growing",
    "pregant", "pregnat", "pregnent", "prenant",
    "i am expecting", "were expecting", "expecting a baby", "weeks along", "baby on the way",
    "bun in the oven", "with child", "one on the way", "another on the way", "preg",
    "bubba on the way", "bub on the way", "period is late", "periods late",
    "period late", "got a positive", "got my positive", "faint line", "faint positive",
    "periods a week late", "period is a week late", "period a week late",
    "periods a few days late", "period is a few days late", "period a few days late",
    "periods days late", "pos test", "positive preg test", "bfp", "pos pregnancy test", "late period", "missed my period",
    "missed period", "first trimester", "second trimester", "third trimester", "trimester",
    "positive test", "positive pregnancy test", "due date", "im due", "baby is due",
    "baby due", "expecting twins", "weeks with number", "wks with number", "weeks with baby",
    "weeks with my second", "weeks with my third", "weeks with my first", "weeks gone",
    "wks gone", "months gone",
    # "10 days late on my period", "another one cooking, 8 wks"
    "late on my period", "late for my period", "late with my period", "another one cooking",
    "bun cooking", "cooking another", "expecting in", "faint second line",
    *(f"{p} {n} {u} late" for p in ("periods", "period is", "period", "period was")
      for n in ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10") for u in ("days", "weeks")),
    # "haven't had a period since early november": possibly pregnant
    "havent had a period", "havent had my period", "no period since", "no periods since",
    "period hasnt come", "period hasnt arrived", "period still hasnt come",
    "havent had a period since", "not had a period", "not had my period",
    # "baby no. 3 is due in june", "number two is due in march"
    *(f"{baby} {n} is due" for baby in ("baby", "baby no", "baby no.", "baby number", "number")
      for n in ("2", "3", "4", "5", "two", "three", "four", "five")),
    "third is due", "second is due", "fourth is due", "next one is due", "little one is due"),
    "pregnant", "condition")
BREASTFEEDING = Term("breastfeeding", (
    "breastfeeding", "breast feeding", "breastfeed", "breast-feeding", "nursing", "pumping",
    "breasfeeding", "breasfeedin", "breastfeedin", "brestfeeding", "breast feedin",
    "wants the boob", "only wants boob", "has the boob",
    "chestfeeding", "chest feeding", "lactating", "feeding my baby", "nurse my baby",
    "on the breast", "on the boob", "she latches", "he latches", "latches on", "latching on", "i pump for", "pump for my", "pumping for my",
    "breast milk", "breastmilk", "expressing milk", "bfing", "breast fed", "breastfed", "breast-fed", "express milk",
    "expressed milk", "express breast milk", "expressing breast milk", "pump milk",
    "pumping milk",
    "exclusively pumping", "ebf", "nurse my son", "nurse my daughter", "nursing my",
    "still feeding", "combo feeding", "combi feeding", "weaning", "weaned",
    # the baby feeds from the patient: "my 8 month old still feeds from me", "I pump at work"
    "feeds from me", "feeding from me", "feeds off me", "feeds on me", "nurses from me",
    "pump at work", "pumping at work", "pump at the office", "pumping at the office",
    # "my 9mo still nurses", "combi fed but mostly boob", "I pump every morning for the stash"
    "still nurses", "baby nurses", "she nurses", "he nurses", "mostly boob", "boob fed",
    "boobfed", "boob feeding", "combi fed", "combo fed", "combination fed", "combination feeding",
    "mixed feeding", "mix fed", "mixed fed", "i pump", "i still pump", "freezer stash",
    "back on the boob", "back on the breast", "breastfeedng", "breastfeding", "brestfeeding",
    "breast feedng", "breastfeading",
    # "she's been latching again every night"
    "been latching", "latching again", "still latching", "shes latching", "hes latching",
    "latching every",
    # "I still nurse my 10 month old at night"
    "still nurse", "i nurse my", "i nurse her", "i nurse him", "nurse my 1", "nurse my 2",
    *(f"nurse my {n}" for n in ("3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "little",
                                "lo", "bub", "bubba", "newborn", "infant", "youngest", "twins"))),
    "breastfeeding",
    "condition")
REPRODUCTIVE_MASKS = {
    "breastfeeding": ("nursing home", "nursing student", "nursing school", "nursing degree",
                      "nursing job", "nursing career", "nursing shift", "nursing assistant",
                      "nursing care", "in nursing", "pumping iron", "pumping gas", "pumping up",
                      "nursing a hangover", "nursing a cold", "nursing a grudge",
                      "nursing an injury", "nursing a sore", "nursing my wounds",
                      "nursing a drink", "nursing my drink", "bottle-feeding", "bottle-feed", "bottle-fed"),
    "pregnant": ("trying to get pregnant", "trying to fall pregnant", "get pregnant",
                 "plan a pregnancy", "plan-a-pregnancy", "planning a pregnancy", "pregnancy mode",
                 "plan pregnancy",
                 "getting pregnant", "weeks postpartum", "weeks post partum", "months postpartum",
                 "due for", "due to", "due back", "due a", "overdue"),
}

# Everyday uses of clinical words, per topic (regular expressions over normalised text): "pregnant
# with ideas", "swallowing my pride", "allergic to mondays". Blanked out before matching.
EVERYDAY_USES = {
    "pregnancy": (r"(havent had|not had|no) (a |my )?periods? (since|for)[^.;]{0,30}\b(menopause|"
                  r"hysterectomy|the coil|mirena|implant|depo|ablation|years|ages|chemo)\b",
                  r"pregnant (with|w) (ideas?|anticipation|excitement|possibilit\w+|hope|"
                  r"thoughts?|plans?|meaning)", r"pregnant pause",
                  # "my fridge is pregnant with leftovers": with anything but a baby
                  r"pregnant (with|w) (?!(twins?|triplets|quads|my|our|a|an|baby|babies|bub|"
                  r"number|no|child|kid|his|her|the|first|second|third|fourth|1st|2nd|3rd|4th|"
                  r"boy|girl|rainbow|ivf|\d)\b)[a-z]+",
                  r"(the only thing )?(im|i am) due (is |are )?(a|an|my|the|some) (?!(baby|babies|bub|"
                  r"bubba|boy|girl|twins|little)\b)\w+.*",
                  r"expecting (great|good|amazing|the best|nice|natural|big|too much|a lot|"
                  r"miracles|results|to|that|it|you|a call|an? (email|text|reply))\b.*",
                  # "the only thing I'm expecting is a package": expecting something, not a baby
                  r"(im |i am |were |we are )?expecting (is |are )?(a|an|the|some|my|our|your|his|"
                  r"her|their)\b(?! ?(baby|babies|bub|bubba|child|little|boy|girl|twins|"
                  r"triplets|first|second|third|fourth|fifth|number|no|kid|son|daughter|rainbow|"
                  r"new|2nd|3rd|4th|1st)\b).*"),
    "trying_to_conceive": (r"(trying to )?conceive of",
                           # "trying to conceive a decent excuse": an idea, not a baby
                           r"(trying to )?(conceive|concieve) (a|an|the|some|any|my|of) (?!(baby|"
                           r"child|kid|sibling|brother|sister|second|third|little|family)\b)"
                           r"[a-z]+( [a-z]+){0,4}", r"trying (my|our|hard|so hard|to (?!(conceive|concieve|"
                           r"get pregnant|have a baby|fall pregnant|start a family|have another|"
                           r"get preg))\w+)",
                           # "try to find out", "try using it": trying something, not for a baby
                           r"(try|tries|tried) (?!(to )?(conceive|concieve|get pregnant|have a baby|"
                           r"have another|fall pregnant|start a family|get preg|for|again|now|"
                           r"since|naturally)\b)\w+", r"(a|another|one more) try\b",
                           # "the only thing we're trying for is a mortgage"
                           r"trying for (is )?(a|an|the|my|our) (?!(baby|babies|another|number|"
                           r"second|third|kid|child|family|little|boy|girl|sibling|brother|"
                           r"sister|bub|bubba)\b)\w+"),
    "breastfeeding": (r"feeding the (ducks|birds|cats?|dogs?|kids|family|fish|horses|chickens|"
                      r"five thousand|meter)",
                      # "twenty years of nursing night shifts": the job, not a baby
                      r"(years?|decades?|career|life|months?|shifts?) (of|in) nursing\b( \w+)?|"
                      r"nursing (\w+ )?(shifts?|career|background|staff|team|profession|uniform)\b",
                      # "feeding 40 people at my braai": a crowd, not a baby
                      r"feed(ing|s)? (\d+|\w+ (dozen|hundred)|all|everyone|everybody|loads of|lots of|"
                      r"a (crowd|houseful|house full|bunch|load) of)? ?(people|guests|crowd|mouths|"
                      r"friends|visitors|neighbours|neighbors|folk|folks|everyone|everybody)\b",
                      # "nursing a sprained ankle": looking after an injury or a drink
                      r"nursing (a|an|my|this) (\w+ )?(ankle|knee|wrist|back|foot|toe|finger|hand|"
                      r"arm|leg|neck|shoulder|hip|injury|bruise|cold|flu|headache|hangover|grudge|"
                      r"cuppa|coffee|tea|wine|beer|pint|drink|heart|cough|virus|bug)s?\b",
                      r"(the )?only (thing|one|mouths?) (im|i am|ive been|i) (pumping|pump|nursing|nurse|"
                      r"feeding|feed) (is|are) (?!(my|the|a|our) (baby|babies|son|daughter|little|"
                      r"lo|bub|bubba|boy|girl)\b)\w+.*",
                      # "feeding my Tamagotchi", "feeding my husband fibs": not a baby
                      r"feed(ing|s)? (my|the|our|a|an) (?!(baby|babies|son|daughter|little|"
                      r"lo|bub|bubba|boy|girl|twins?|newborn|infant|youngest|eldest|oldest|kid|"
                      r"child|toddler|one|first|second|third|wee|newest|bairn|\d)\w*)[a-z]+",
                      # "expressing my concerns": speaking, not pumping milk
                      r"express(ing|ed|es)? (my|our|your|his|her|their|some|an?|the)? ?(concerns?|"
                      r"interest|views?|opinions?|gratitude|thanks|feelings?|worries|worry|"
                      r"frustration|doubts?|myself|herself|themselves|an? interest)\b",),
    "breathing": (r"(cant|can not|cannot|couldnt) breathe? (when|if|because|at|with|in|over|"
                  r"thinking|seeing)\b.*", r"swallow(ing|ed)? (my|your|our) (pride|words|tongue)",
                  # "I can't swallow the price of filler": can't accept, not can't swallow
                  r"(cant|can not|cannot|couldnt|hard to|tough to) swallow (the|that|this|those|"
                  r"such|a) (price|prices|cost|costs|bill|bills|news|idea|fact|excuse|story|"
                  r"quote|amount)\b.*",
                  # "the only thing I can't swallow is my pride", "I choke on my words"
                  r"(swallow\w*|chok(e|es|ed|ing) on) (is |are |was )?(my |your |our |his |her |the )?"
                  r"(pride|words?|ego|feelings|tears|laughs?|laughter|anger|temper|rage|sarcasm|"
                  r"opinions?|bs|nonsense|rubbish|excuses?|lies)\b",
                  # "I do choke on the school fees every term": money, not food
                  r"chok(e|es|ed|ing) on (the |my |our |those |these )?(school |energy |electric |gas |"
                  r"vet |uni |nursery |council )?(fees|bills?|prices?|rent|costs?|quotes?|mortgage|"
                  r"invoices?|taxes|tax bill)\b",
                  # "only breathless when Gerard Butler's on screen": a crush, not a symptom
                  r"(breathless|short of breath|out of breath|cant breathe|weak at the knees) "
                  r"(when|whenever|if)\b.{0,40}\b(on (screen|tv|the telly|telly|the tv|stage)|comes on|"
                  r"walks in|smiles|sings|in (a|the|his|her) (movie|film|show|video)|shirtless|"
                  r"topless)\b.*",
                  r"breath of fresh air", r"take my breath away", r"hold(ing)? my breath",
                  r"breathing exercises?", r"yoga breathing",
                  # "only breathless when I see my credit card bill": a joke about money
                  r"(breathless|out of breath|short of breath|cant breathe|wheez\w*) (when|whenever|at|over|"
                  r"after) (i see |i get |seeing |getting |opening )?(my |the |our )?(credit card |bank |"
                  r"phone |energy |gas |electric |electricity |water |council tax |tax )?(bills?|statements?|"
                  r"balance|prices?|rent|mortgage)\b.*",
                  r"(the )?only (thing|one) (thats |that is |)?(choking|wheezing|struggling)\b.*",
                  r"(wifi|wi fi|internet|connection|broadband|traffic|engine|car|printer|laptop|"
                  r"computer|phone|drains?)( \w+)? (is |keeps |was )?(choking|wheezing|gasping)\b",
                  r"(leaves?|left|leaving|makes?|made) me breathless", r"takes? my breath away",
                  r"breathless (just )?(thinking|at the thought|with (excitement|anticipation)|"
                  r"from (laughing|excitement))\b.*",
                  r"(so busy|swamped|flat out|run off my feet|snowed under|so stressed)[^.,]{0,40}"
                  r"(breathe|breath)\w*"),
    "skin_infection": (r"infected with (wrinkles|lines|\w+ lines|laughter|\w+ness)",
                       r"(infected with|caught|got|have) the (\w+ )?bug\b",
                       # "a few hormonal breakouts on my jaw": acne, not an infection
                       r"(hormonal|period|stress|acne|teenage|monthly) (breakouts?|spots?|pimples?)",
                       # "it's just a shaving rash": razor burn, heat or sweat, not an infection
                       r"(shaving|razor|heat|sweat|nappy|diaper|chafing|friction) rash(es)?|"
                       r"razor (burn|bumps)",
                       r"(phone|laptop|computer|pc|mac|tablet|ipad|email|inbox)s?( is| s| has)? "
                       r"(been )?(infected|got a virus|has a virus)\b.*",
                       r"infectious (laugh|smile|results?|energy|personality)",
                       r"(laugh|smile|giggle|energy|enthusiasm|personality|vibe|mood|attitude|"
                       r"positivity|yawn)s? (is |are |was |so )*infectious",
                       r"(?<!cold )sore (about|from|after|loser|over|because)\b.*", r"(im|i am|so|feel) sore",
                       r"sore (muscles|legs|arms|back|feet|throat)", r"muscles? (are |is )?sore",
                       # a reaction to something, said of an allergy: not an infection now
                       r"(bring|brings|bringing|brought|come|comes|came|break|breaks|broke) "
                       r"(me )?out in (a |an )?(\w+ )?rash(es)?",
                       r"(give|gives|gave|giving) me (a |an )?(\w+ )?rash(es)?",
                       # "a rash of bad decisions", "a rash purchase": hasty, not a skin rash
                       r"\brash (of (\w+ )?(decisions?|choices?|purchases?|texts?|emails?|calls?|"
                       r"posts?|moves?|mistakes?|impulse buys?|orders?|bookings?|complaints?|"
                       r"thefts?|burglar\w*|break ins?|cancellations?)|decisions?|choices?|moves?|"
                       r"promises?|purchases?|comments?|remarks?|statements?|behaviou?r|acts?|"
                       r"to (judge|decide|buy|book|say))\b"),
    "neuromuscular": (r"pulled a muscle", r"muscle (ache|pull|strain|soreness)", r"my nerves",
                      r"nervous", r"nerves? (before|about)", r"nerve wracking",
                      r"got on my nerves", r"weak (spot|point|for)"),
    "allergies": (r"\b(drives?|driving|drove) (me|us|him|her|them) (nuts|bananas|crazy)\b|"
                  r"\b(go|goes|going|went) (nuts|bananas)\b",
                  r"allergic (only |just )?to (\d{1,2} ?(am|pm) |early )?(mondays?( mornings?)?|"
                  r"monday mornings?|work|exercise|bad (\w+)|burpees|squats|planks|lunges|spin class|"
                  r"group chats?|zoom calls|voice notes|(the )?washing up|(the )?dishes|"
                  r"(january|february|march|april|may|june|july|august|september|october|november|"
                  r"december|winter|summer|the cold|the heat|the weather|the rain|christmas|"
                  r"homework|ironing|the gym|running|hoovering|vacuuming)|"
                  r"my (job|boss|ex|husband|wife|kids|mother[ -]?in[ -]?law|in[ -]?laws|"
                  r"partner|sister|brother|mum|mom|dad|cat|dog|teenagers?)|people|mornings?|cardio|"
                  r"the gym|early mornings?|early starts?|chores|laundry|drama|stress|housework|cleaning|math|maths|running|"
                  r"wrinkles|small talk|meetings|emails?|traffic|queues|the news|politics|"
                  r"(the )?school run|homework|bills|taxes|deadlines|alarms?|people who \w+( \w+)?)\b",
                  # "allergic to paying full price", "allergic to getting up": a doing, not a thing
                  r"allergic to (?!(nothing|anything|something|bleaching|dyeing|tanning|"
                  r"waxing|shaving|threading|piercing|tattooing)\b)[a-z]+ing\b( (full|the|my|a|"
                  r"early|in|on|at|up|out|price|prices|bills?|mornings?|people|work)\b)*",),
    "medications": (r"(know|knew|heard|read|learn\w*|studied|studying|sell|selling|work with|"
                    r"deal with|dispense|dispensing) (all |a lot |lots |everything )?(about |of )?"
                    r"(\w+ ){0,2}\w+",
                    r"tak(e|es|ing) the (mickey|mick|michael|piss)"),  # "I only take the mickey"
}

# Correctly spelt words one or two letters from a term: never read them as its typo.
REAL_WORDS = ("injection", "infection", "infections", "meditation", "plumping", "pumpkin",
              "prescription", "nurse", "nurses", "relaxing", "married", "vitamin",
              "nursery", "pregnancy", "present", "prevent", "pleasant", "eligible", "elegant",
              "general", "gentle", "genetic", "asthmatic", "ginger", "gingerly", "heroin",
              "aspiring", "spring", "shingle", "shower", "showers", "hooded", "hoodie", "neck",
              "chin", "omega", "protein", "proteins", "condition", "conditions", "allergic",
              "allergy", "robin", "dental", "denied", "plastic", "platinum",
              "botanic", "bottom", "button", "toxic", "detox", "tonic", "efficient",
              "single", "singles", "cellulite", "sufficient", "deficient")

ALL_SCREENING_TERMS: list[Term] = (MEDICINES + SUPPLEMENTS + NEUROMUSCULAR + OTHER_NEURO
                                   + BREATHING + BLEEDING_DISORDERS + SKIN_INFECTION
                                   + [HEAVY_EYELIDS])


def all_terms() -> list[Term]:
    """Every term the parser matches: screening terms, areas, products, pregnancy words."""
    return (ALL_SCREENING_TERMS + NOT_NEUROMUSCULAR + AREAS + PRODUCTS
            + [GENERIC_INFECTION, TTC, PREGNANT, BREASTFEEDING])


def entity_patterns() -> list[dict]:
    """spaCy entity_ruler patterns (label, phrase) built from the lexicon, for Rasa's NLU."""
    labels = [("treatment_area", AREAS), ("medication", MEDICINES), ("supplement", SUPPLEMENTS),
              ("condition", NEUROMUSCULAR + OTHER_NEURO + BREATHING + BLEEDING_DISORDERS
               + SKIN_INFECTION + [HEAVY_EYELIDS]),
              ("toxin_product", PRODUCTS[:5])]
    patterns = []
    for label, terms in labels:
        for term in terms:
            for phrase in term.phrases:
                if len(phrase) <= 2:  # "mg", "d3": too ambiguous for entity tagging
                    continue
                patterns.append({"label": label, "pattern": phrase, "id": term.item})
    return patterns
