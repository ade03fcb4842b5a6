"""More names of the medicines and supplements that raise a flag: brands sold around the world.

Data only, merged into `bot.lexicon` (MEDICINES, SUPPLEMENTS): EXTRA_NAMES[category][item] adds
names to that item, or makes a new item when the lexicon has none by that name. Names are lower
case, as a patient would type them; a name that is also an everyday English word is left out,
because a brand is matched anywhere in a message.
"""
from __future__ import annotations

# Inhaled anticholinergics (LAMA, SAMA), alone or with other inhaled drugs: the contract names
# anticholinergics without exception, so a clinician reviews them. The inhalers are also in the
# lexicon's asthma item (bot/lexicon.py BREATHING): named, they raise both flags.
INHALED_ANTICHOLINERGICS = (
    "tiotropium", "umeclidinium", "aclidinium", "ipratropium",
    "spiriva", "incruse", "seebri", "atrovent", "anoro", "ultibro", "trelegy", "trimbow",
    "stiolto", "bevespi", "breztri", "duaklir", "eklira", "bretaris", "tudorza", "lonhala",
    "yupelri", "braltus", "combivent", "duoneb",
    "duolin",  # ipratropium with levosalbutamol (India)
    "berodual",  # ipratropium with fenoterol (Europe, Latin America)
    "tiova",  # tiotropium (India)
    "trixeo",  # glycopyrronium with formoterol and budesonide (Europe)
    "revefenacin",
    # duplicate brands of the same inhalers (Europe): umeclidinium with vilanterol (Laventair), with
    # fluticasone too (Elebrato); umeclidinium alone (Rolufta); indacaterol with glycopyrronium
    # (Xoterna, Ulunar), with mometasone too (Zimbus, Enerzair); glycopyrronium alone (Tovanor);
    # beclometasone, formoterol and glycopyrronium (Riarify, Trydonis); aclidinium with formoterol
    # (Brimica)
    "laventair", "elebrato", "rolufta", "xoterna", "ulunar", "zimbus", "enerzair", "tovanor",
    "riarify", "trydonis", "brimica",
    "ipravent",  # ipratropium (India)
    "tiogiva",  # tiotropium (UK)
    "respontin",  # ipratropium nebules (UK)
    "enurev",  # glycopyrronium (Europe)
    "temybric",  # umeclidinium with vilanterol and fluticasone (Europe)
    "ipramol")  # ipratropium with salbutamol nebules (UK)

EXTRA_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "anticoagulant": {
        "warfarin": ("warf",  # as patients and prescriptions shorten it ("on warf 3mg")
                     "uniwarfin", "waran",  # India; Sweden
                     "orfarin",  # Finland, Thailand
                     "warfarex"),  # India
        "acenocoumarol": ("nicoumalone", "acitrom"),  # UK generic name; India
        "phenprocoumon": ("phenprocoumon", "fenprocumona", "marcoumar", "marcumar", "falithrom"),
        "phenindione": ("phenindione", "fenindiona", "dindevan"),
        "fluindione": ("fluindione", "previscan"),  # France
        "clopidogrel": ("grepid", "duoplavin",  # UK, Europe (with aspirin)
                        "clopilet", "clavix", "clopivas", "deplatt", "ceruvin", "plagril", "clopitab",
                        "noklot",  # India
                        "lowplat",  # Pakistan
                        "piax",  # Australia
                        "deplatt-a", "deplatt a",  # India (with aspirin)
                        "zyllt",  # Central Europe
                        "lopirel",  # Europe, Middle East
                        "coplavix",  # Europe (with aspirin)
                        "duocover",  # Europe (with aspirin)
                        "trombex", "egitromb",  # Central Europe
                        "clotix",  # Pakistan
                        "clopidogral", "clopidigrel", "clopidogrol", "clopedogrel"),  # misspelt
        "apixaban": ("apix",),  # as patients and prescriptions shorten it ("apix 5 bd")
        "rivaroxaban": ("rivaban",  # Pakistan
                        "rivarex", "xaraban", "rilex",  # Argentina, Mexico, Chile
                        "roxarel"),  # Bangladesh
        "ticagrelor": ("axcer", "possia", "brilinta 90",  # India; Europe
                       "briclot"),  # India
        "prasugrel": ("efient",  # Europe, Latin America
                      "prasita", "prasulan", "prasusafe",  # India
                      "prazugrel", "prasugrell", "prasugel"),  # misspelt
        "heparin": ("nadroparin", "nadroparina", "fraxiparine", "fraxiparina", "dalteparina",
                    "tinzaparina", "bemiparin", "zibor", "inhixa", "monoparin", "thorinane",
                    "reviparin", "clivarin", "clivarine", "certoparin", "mono-embolex",
                    "mono embolex",
                    # enoxaparin (Spain; biosimilar), nadroparin once daily, bemiparin (Spain: Ivor
                    # is also a first name, so only with a dose or an injection word)
                    "crusia", "ghemaxan", "fraxodi", "calciparine", "calciparina", "neoparin", "ivor 2500", "ivor 3500", "ivor injection",
                    "ivor injections", "ivor jab", "ivor jabs",
                    "lmwh",
                    "liquemin",  # heparin (Switzerland, Latin America)
                    "seleparina",  # nadroparin (Italy)
                    "elonox",  # enoxaparin (India)
                    "flenox",  # enoxaparin (Poland)
                    "cutenox", "enoxiluv",  # enoxaparin (India)
                    "enoxalow",  # enoxaparin (Latin America)
                    "omatex", "noxprin",  # enoxaparin (Latin America)
                    "arovi"),  # enoxaparin biosimilar (Europe)
        "other antiplatelet": ("ticlid", "danaparoid", "orgaran", "persantin", "asasantin", "dipiridamol", "ticlopidina", "zontivity",
                               "pletaal", "triflusal",
                               "disgren", "grendis"),  # triflusal (Spain, Latin America)
    },
    "interacting_medication": {
        "aminoglycoside antibiotic": (
            "ambistryn", "ambistryn-s", "ambistryn s",  # streptomycin (India)
            "mikacin",  # amikacin (India)
            # gentamicin
            "garamycin", "refobacin", "genticin", "neo-fradin", "neo fradin", "genticyn", "cidomycin", "diprogenta", "quadriderm",
            "genomycine", "gentamytrex", "gentalline",  # gentamicin (Europe, Africa)
            "neosulf", "nivemycin",  # neomycin tablets (Australia, UK)
            "mycifradin",  # neomycin tablets (US, Canada)
            "garalen",  # gentamicin injection (Mexico)
            # tobramycin, amikacin
            "tobradex", "bramitob", "tobi podhaler", "tobi", "amikin", "arikayce", "bethkis",
            "kitabis", "vantobra",
            # neomycin, framycetin
            "neosporin", "maxitrol", "otosporin", "betnovate-n", "framycetin", "framicetina",
            "sofradex", "soframycin",
            # others
            "kanamicina", "netilmicin", "netilmicina", "paromomycin", "paromomicina", "humatin",
            "plazomicin", "zemdri"),
        "muscle relaxant": (
            "methocarb",  # as a prescription shortens methocarbamol ("methocarb qds")
            # cyclobenzaprine
            "amrix", "fexmid", "yurelax",
            "mirtax",  # cyclobenzaprine (Latin America)
            "relexil",  # cyclobenzaprine (Chile)
            "miosan",  # cyclobenzaprine (Brazil)
            "cyclobenz",  # cyclobenzaprine, as a prescription is shortened
            "beklo",  # baclofen (Turkey)
            "gabalon",  # baclofen (Japan)
            # baclofen
            "kemstro", "ozobax", "lyvispah", "fleqsuvy", "gablofen", "lyflex",
            # methocarbamol (alone and in combinations)
            "robaxisal", "robaxacet",
            # carisoprodol (Naxodol: with naproxen)
            "naxodol",
            # chlorzoxazone
            "chlorzoxazone", "clorzoxazona", "parafon forte", "lorzone",
            # thiocolchicoside
            "thiocolchicoside", "tiocolchicosido", "muscoril", "myoril", "adalgur", "coltramyl",
            "tiocolsid",  # Latin America
            "miorel",
            # eperisone, tolperisone
            "eperisone", "eperisona", "myonal", "tolperisone", "tolperisona", "mydocalm",
            "mydeton",
            # cyclobenzaprine (Italy), methocarbamol (Germany), orphenadrine (UK)
            "flexiban", "ortoton", "disipal",
            # baclofen (Israel), tolperisone (Europe), dantrolene (Germany)
            "baclosal", "viveo", "dantamacrin",
            # tizanidine (Japan, Korea)
            "ternelin",
            # dantrolene
            "dantrium", "ryanodex", "dantroleno",
            # orphenadrine (alone and in combinations)
            "orfenadrina", "norgesic", "orphengesic", "biorphen",
            "orfenace",  # orphenadrine (Canada)
            # metaxalone
            "metaxalona",
            # cyclobenzaprine under the tongue (US); chlorzoxazone alone or with paracetamol
            # (India)
            "myopridin", "pridinol",  # pridinol (Europe)
            "dorflex",  # orphenadrine with metamizole and caffeine (Brazil)
            "robax platinum",  # methocarbamol with ibuprofen (Canada)
            "methoxisal",  # methocarbamol with aspirin (Canada)
            "aspirin backache",  # methocarbamol with aspirin (Canada)
            "tonmya", "myospaz", "relaxon", "myoflex", "mobizox", "parafon"),
        "anticholinergic": (
            # topical anticholinergics for sweating: sofpironium gel (US), glycopyrronium cream
            # (Germany); "oxybut" is how a prescription shortens oxybutynin
            "sofdra", "axhidrox", "oxybut",
            # oxybutynin
            "oxytrol", "gelnique", "cystrin",
            # tolterodine
            "detrusitol", "tolterodina",
            # solifenacin, darifenacin, fesoterodine, trospium, propiverine
            "solifenacina", "vesomni", "vesikur", "emselex", "darifenacina", "fesoterodina",
            "propiverine", "propiverina", "detrunorm", "mictonorm", "mictonetten",
            "ceris",  # trospium (France)
            "sertal",  # propinox (Mexico, Argentina)
            "uritos", "staybla",  # imidafenacin (Japan)
            *INHALED_ANTICHOLINERGICS,
            "urotrol",  # tolterodine (Spain)
            "uraplex",  # trospium (Spain)
            "kentera",  # oxybutynin patch (Europe)
            "spasmo-urgenin", "spasmo urgenin", "spasmex", "urivesc",  # trospium (Germany)
            "broflex",  # trihexyphenidyl syrup (UK)
            # hyoscine / scopolamine
            "scopoderm", "travacalm", "travel calm", "hioscina", "butilhioscina",
            "glycate",  # glycopyrrolate tablets (US)
            # glycopyrrolate
            "glycopyrronium", "glicopirrolato", "cuvposa", "dartisla", "sialanar",
            # hyoscyamine and belladonna alkaloids
            "levbid", "anaspaz", "hiosciamina", "donnatal",
            "symax",  # hyoscyamine (US)
            # drugs for Parkinson's: procyclidine, benztropine, trihexyphenidyl, biperiden
            "procyclidine", "prociclidina", "kemadrin", "arpicolin", "benzatropine",
            "benzatropina", "pacitane", "trihexifenidilo", "biperiden", "biperideno", "akineton",
            # gut antispasmodics: dicyclomine, clidinium, propantheline, methscopolamine
            "cyclopam", "meftal spas", "clidinium", "normaxin", "librax", "merbentyl",
            "dicycloverine", "joy-rides", "joy rides", "kwells",
            "pro-banthine", "methscopolamine",
            "kolanticon",  # dicycloverine with antacids (UK)
            "glyco tablets", "glyco tabs", "glyco pills"),
        "quinidine": ("quinidina", "nuedexta"),
        "other neuromuscular-blocking drug": ("promixin", "coly-mycin", "colomycin"),  # colistimethate
    },
    "bleeding_risk_supplement": {
        "aspirin": (
            "alabukun",  # aspirin and caffeine powder (Nigeria)
            # UK, Ireland
            "anadin", "anadin extra", "micropirin", "beechams powders",
            # Norway
            "albyl-e", "albyl e", "albyl",
            # Sweden, Denmark
            "trombyl", "hjertemagnyl", "magnyl",
            # US
            "stanback", "goodys headache powder", "halfprin", "aspergum", "vazalore", "durlaza", "bufferin",
            "yosprala", "percodan",
            # Canada
            "entrophen", "asaphen", "novasen",
            # Australia, New Zealand
            "cardiprin", "solprin",
            # India, Pakistan
            "loprin",
            # Nigeria, Ghana, Kenya
            "phensic", "cafenol",
            # Pakistan
            "besprin",
            # Poland
            "acard", "polopiryna",
            # Philippines
            "aspilets",
            # Spain, Latin America
            "tromalyt", "cafiaspirina", "acido acetil salicilico",
            # Germany, Austria, Switzerland, France, Italy
            "thrombo ass", "thromboass", "aspegic", "kardegic", "cardioaspirin",
            "cardirene",
            "godamed",  # Germany
            "ascard",  # Poland, Pakistan
            "askit",  # aspirin with caffeine powders (Australia)
            "rivasa",  # Canada
            "cardiomagnyl",  # aspirin with magnesium hydroxide (Russia, Central Asia)
            # aspirin, paracetamol and caffeine powders (South Africa)
            "grand-pa powders", "grand-pa powder", "grandpa powders", "grandpa powder",
            "grand pa powders", "grand pa powder", "grand-pa headache powder"),
        "nsaid": (
            # Spanish and British generic names
            "ketoprofeno", "dexketoprofeno", "indometacin", "indometacina", "ketorolaco",
            "nimesulida", "aceclofenaco", "acido mefenamico", "flurbiprofeno", "sulindaco",
            # other generics
            "flurbiprofen", "fenoprofen", "oxaprozin", "sulindac", "tolmetin", "diflunisal",
            "meclofenamate", "tenoxicam", "lornoxicam", "dexibuprofen", "tiaprofenic acid",
            "parecoxib", "clonixinato", "clonixin",
            # ibuprofen
            "calprofen", "cuprofen", "ibuleve", "nuromol", "combogesic", "maxigesic",
            "myprodol", "ibugesic", "medicol", "arinac", "espidifen", "neobrufen", "junifen", "dalsy",
            "ibupirac", "caldolor", "duexis", "vicoprofen", "feminax express", "ipren",
            "ibumetin", "nurofen express", "brufen retard",
            # naproxen
            "synflex", "apronax", "naprelan", "vimovo", "treximet", "feminax ultra", "naprogesic",
            # diclofenac
            "voltarol", "cataflam", "caflam", "voltral", "arthrotec", "motifene",
            "pennsaid", "solaraze", "dynapar", "diclomol", "panamor",
            "dolo-neurobion",
            # aceclofenac
            "hifenac", "preservex", "airtal", "biofenac",
            # ketoprofen, dexketoprofen
            "orudis", "oruvail", "profenid", "keral", "ketesse", "ketonal", "fastum",
            # ketorolac
            "sprix", "supradol", "ketanov",
            # flurbiprofen (throat lozenges)
            "strepsils intensive",
            # piroxicam, meloxicam, lornoxicam
            "brexidol", "mobicox", "vivlodex", "xefo", "feldene",
            # celecoxib, etoricoxib, parecoxib
            "elyxyb", "nucoxia", "etoshine",
            # indomethacin, sulindac, oxaprozin, diflunisal
            "indocin", "tivorbex", "clinoril", "daypro", "dolobid",
            # nimesulide, lysine clonixinate
            "nimulid", "dorixina", "aulin",  # nimesulide (Italy)
            "brexin",  # piroxicam (Italy)
            "moment 200", "moment act",  # ibuprofen (Italy)
            "burana",  # ibuprofen (Finland)
            "dolac",  # ketorolac (Mexico)
            "nimesil",  # nimesulide (Europe)
            # ibuprofen (Germany), meloxicam (Europe)
            "dolormin", "movalis", "ibuprom", "nalgesin",
            "naxen",  # naproxen (Mexico)
            "etorix", "etoricox",  # etoricoxib (Europe, India)
            "dioxaflex", "oxa forte",  # diclofenac (Argentina)
            "loxonin", "loxoprofen", "loxoprofeno",  # loxoprofen (Japan, Latin America)
            "actiprofen",  # ibuprofen (Canada)
            "gofex",  # ibuprofen (South-East Asia)
            "ibux",  # ibuprofen (Norway)
            "algidrin",  # ibuprofen arginine (Spain)
            "lertus", "xedenol",  # diclofenac (Chile)
            "antalgin", "naprux",  # naproxen (Chile, Argentina)
            "panafen",  # ibuprofen (New Zealand)
            "diclac",  # diclofenac (Germany, Central Europe)
            "brustan",  # ibuprofen with paracetamol (India)
            "mobiflex",  # tenoxicam (UK)
            "algifor",  # ibuprofen (Switzerland)
            "geloprofen",  # ibuprofen suspension (Spain)
            "banes forte"),  # ibuprofen suspension (Peru)
        "fish oil": ("nordic naturals",  # a fish-oil brand ("Nordic Naturals omega")
                     "omacor", "lovaza", "vascepa", "vazkepa", "icosapent", "maxepa",
                     "scotts emulsion", "emulsion de scott", "aceite de krill",
                     "eskimo-3", "eskimo 3", "eskimo3",  # Sweden, UK
                     "megared", "mega red",  # krill oil (US)
                     "balanceoil", "balance oil",  # fish oil with olive oil (Zinzino)
                     "equazen", "eye q",  # fish oil for children (UK)
                     "morepa",  # fish oil (UK)
                     "bare biology"),  # fish oil (UK: "Lion Heart")
        "vitamin e": ("tocoferol", "evion", "ephynal", "tocotrienol", "tocovid",
                  "optovit"),  # vitamin E (Germany)
        "ginkgo": ("biloba", "tanakan", "tebonin", "ginkgold", "ginkoba", "gincosan",
                  "bilobil",  # Central Europe
                  "rokan",  # Germany
                  "memoplant",  # Germany
                  "symfona",  # Central Europe
                  "ginkor",  # ginkgo with troxerutin (France)
                  "ginkobil",  # Germany
                  "tebofortan"),  # Spain
        "garlic supplement": ("allimax",  # allicin
                              "kwai", "kyolic", "garlique", "allicin", "aged garlic extract",
                              "garlic extract", "garlic oil capsules", "odourless garlic",
                              "odorless garlic", "capsulas de ajo",
                              "garlicin", "sundown garlic"),  # garlic tablets (US)
        "ginseng": ("panax", "pharmaton", "ginsana",
                    "ginsomin"),  # ginseng with vitamins (Philippines)
        "turmeric": ("curcuminoids", "theracurmin", "longvida"),
        "st john's wort": ("hypericum", "hypericin", "jarsin", "remotiv", "perika",
                           "hyperiforce", "laif 900", "laif"),  # Laif: Germany
        "other bleeding-risk herb": ("angelica sinensis", "dang gui", "danggui",
                                     "tanacetum parthenium"),
    },
}


# Combination brands: matched under one item above (a name belongs to one item), and also each
# of these items (bot.parsing._with_components). Aspirin in them raises bleeding_risk_supplement
# beside the antiplatelet or muscle relaxant.
ALSO_CONTAINS: dict[str, tuple[str, ...]] = {
    "duoplavin": ("aspirin",),  # clopidogrel + aspirin
    "deplatt-a": ("aspirin",),
    "deplatt a": ("aspirin",),
    "coplavix": ("aspirin",),
    "duocover": ("aspirin",),
    "aggrenox": ("aspirin",),  # dipyridamole + aspirin
    "asasantin": ("aspirin",),
    "robaxisal": ("aspirin",),  # methocarbamol + aspirin
    "orphengesic": ("aspirin",),  # orphenadrine + aspirin + caffeine
    "naxodol": ("nsaid",),  # carisoprodol + naproxen
    "norgesic": ("aspirin",),  # orphenadrine + aspirin + caffeine (US)
    "robax platinum": ("nsaid",),  # methocarbamol + ibuprofen (Canada)
    "methoxisal": ("aspirin",),  # methocarbamol + aspirin (Canada)
    "aspirin backache": ("aspirin",),
}
