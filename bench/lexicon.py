"""Inflected word forms of Greek, Russian and English, built from real stems and real endings.

Search benchmarks need text whose statistics look like chronicle text: thousands of
distinct inflected forms per language, so that stemming and accent folding actually merge
forms, and a Zipf-like frequency curve, so that some words are in half the documents and
most are rare. Function words carry the head of the curve, content words the long tail.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

# fmt: off
# --- Greek -----------------------------------------------------------------------------------
# Endings per declension; stems carry the accent where it does not move in these forms.
_EL_ENDINGS: dict[str, tuple[str, ...]] = {
    "os": ("ος", "ου", "ο", "ε", "οι", "ων", "ους"),
    "os_acc": ("ός", "ού", "ό", "έ", "οί", "ών", "ούς"),
    "is_m": ("ής", "ή", "ές", "ών"),
    "i_f": ("η", "ης", "εις"),
    "a_f": ("α", "ας", "ες"),
    "i_acc": ("ή", "ής", "ές", "ών"),
    "o_n": ("ο", "ου", "α", "ων"),
    "adj": ("ος", "ου", "ο", "οι", "ων", "ους", "η", "ης", "ες", "α", "ων"),
    "adj_acc": ("ός", "ού", "ό", "οί", "ών", "ούς", "ή", "ής", "ές", "ά"),
    "verb": ("ω", "εις", "ει", "ουμε", "ετε", "ουν"),
    "verb_acc": ("ώ", "άς", "ά", "άμε", "άτε", "ούν"),
    "aor": ("α", "ες", "ε", "αμε", "ατε", "αν"),
    "pass": ("ηκε", "ηκαν", "ηκα", "ηκες"),
}
_EL_STEMS: dict[str, tuple[str, ...]] = {
    "os": ("δικηγόρ", "διάδρομ", "ανήλικ", "ψυχίατρ", "τοίχ",
           "κήπ", "λόφ", "θόρυβ", "φίλ", "σύζυγ", "όροφ", "χώρ", "ήλι", "πόν", "δημοσιογράφ",
           "πρόεδρ", "νόμ", "κίνδυν", "δρόμ", "θάνατ", "φόβ", "λόγ",
           "πόλεμ", "στόχ", "σύλλογ", "όμιλ", "ρόλ", "χρόν", "τρόπ", "κόσμ", "ύμν", "άνθρωπ",
           "γιατρ", "φάκελ", "κανόν", "δήμ", "ήρω"),
    "os_acc": ("αστυνομικ", "αδελφ", "στρατ", "λα", "καιρ", "υπουργ", "ξυλοδαρμ", "σταθμ",
               "τραυματισμ", "βουλευτ", "ανακριτ"),
    "is_m": ("διαδηλωτ", "φοιτητ", "εργάτ", "μαθητ", "αθλητ", "καθηγητ", "ακτιβιστ", "πολίτ",
             "αυτόπτ"),
    "i_f": ("διαδήλωσ", "επίθεσ", "απέλασ", "κατάθεσ", "δίωξ",
            "παράδοσ", "εξέτασ", "ενημέρωσ", "δήμευσ", "σύλληψ", "κράτησ", "οργάνωσ", "διεύθυνσ",
            "δήλωσ", "έκθεσ", "ανάκρισ",
            "δίκ", "πράξ", "κατάστασ", "απόφασ", "συγκέντρωσ", "διάλυσ", "αντίδρασ", "κυβέρνησ"),
    "a_f": ("πορεί", "κάμερ", "σφαίρ", "πόρτ", "φωτογραφί", "διαφάνει", "σημαί",
            "μάσκ", "ασπίδ", "σειρήν", "λίστ", "έρευν", "κατοικί", "οικογένει",
            "ηγεσί", "πρεσβεί", "μειονότητ", "αγωγ", "αστυνομί", "βί", "ημέρ", "ώρ", "ελευθερί",
            "δημοκρατί", "απεργί", "ομάδ",
            "γυναίκ", "μητέρ", "χώρ", "πλατεί", "γειτονι", "εφημερίδ", "μαρτυρί", "εξουσί",
            "καταγγελί", "σημαί", "ιστορί", "αλήθει", "αντιπολίτευσ"),
    "i_acc": ("φυλακ", "ποιν", "αρχ", "επιτροπ", "βουλ", "σιωπ", "καταστολ", "πληγ", "ψυχ",
              "συνεχ"),
    "o_n": ("κέντρ", "γεγον", "επεισόδι", "όπλ", "ρούχ", "πρόσωπ", "ταξίδι", "χωρι", "στάδι",
            "έγγραφ", "παράθυρ", "φαρμακεί", "αεροδρόμι", "δικαστήρι", "κρατητήρι", "μέτρ",
            "αυτοκίνητ", "σχολεί", "νοσοκομεί",
            "πανεπιστήμι", "εργοστάσι", "υπουργεί", "γραφεί", "κτίρι", "πρόστιμ", "άρθρ",
            "στοιχεί", "κείμεν", "δίκτυ", "βιβλί"),
    "adj": ("δημόσι", "νέ", "ανεξάρτητ", "επίσημ", "παράνομ", "άγνωστ", "βίαι", "ανθρώπιν",
            "πρώτ", "τελευταί", "ελεύθερ", "μεγάλ", "τραυματισμέν", "κρατούμεν", "σύγχρον",
            "αυθαίρετ", "ένοπλ", "μασκοφόρ"),
    "adj_acc": ("σοβαρ", "μικρ", "δυνατ", "πολλ", "νεκρ", "ισχυρ", "ειρηνικ", "πολιτικ",
                "τοπικ", "ποινικ", "διοικητικ", "ειδικ", "μαζικ", "γνωστ", "ευρωπαϊκ"),
    "verb": ("συλλαμβάν", "δηλών", "γράφ", "λέγ", "φεύγ", "καταγγέλλ", "μέν", "τρέχ", "δικάζ",
             "αφήν", "φωνάζ", "στέλν", "βλέπ", "ανακρίν", "μεταφέρ", "καταδικάζ", "κλείν"),
    "verb_acc": ("μιλ", "ρωτ", "περν", "αγαπ", "ξεχν", "κρατ", "πουλ", "γελ", "ζητ", "χτυπ"),
    "aor": ("συνέλαβ", "έγραψ", "είπ", "έφυγ", "ζήτησ", "χτύπησ", "δίκασ", "φώναξ", "έστειλ",
            "είδ", "κατήγγειλ", "απελευθέρωσ", "διέλυσ", "πέρασ", "μίλησ", "ξυλοκόπησ"),
    "pass": ("συνελήφθ", "κρατήθ", "καταδικάστ", "τραυματίστ", "απελευθερώθ", "χτυπήθ", "δικάστ",
             "ανακρίθ", "μεταφέρθ", "απελάθ"),
}
_EL_FUNCTION = ("και", "το", "η", "ο", "οι", "τα", "του", "της", "των", "σε", "στο", "στη",
                "στην", "στις", "στους", "με", "για", "από", "που", "ότι", "δεν", "ένα", "μια",
                "θα", "να", "είναι", "ήταν", "μετά", "πριν", "κατά", "τον", "την", "τους",
                "αλλά", "όπου", "ενώ", "όταν", "επίσης", "περίπου", "τουλάχιστον")  # fmt: skip

# --- Russian ---------------------------------------------------------------------------------
_RU_ENDINGS: dict[str, tuple[str, ...]] = {
    "m": ("", "а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах"),
    "m_k": ("", "а", "у", "ом", "е", "и", "ов", "ам", "ами", "ах"),
    "f": ("а", "ы", "е", "у", "ой", "ам", "ами", "ах"),
    "f_k": ("а", "и", "е", "у", "ой", "ам", "ами", "ах"),
    "f_ia": ("я", "и", "ю", "ей", "й", "ям", "ями", "ях"),
    "n_ie": ("е", "я", "ю", "ем", "и", "й", "ям", "ями", "ях"),
    "adj": ("ый", "ая", "ое", "ые", "ого", "ой", "ую", "ых", "ым", "ыми", "ому"),
    "adj_soft": ("ий", "ая", "ое", "ие", "ого", "ой", "ую", "их", "им", "ими", "ому"),
    "past": ("л", "ла", "ло", "ли"),
    "pres1": ("ет", "ют", "ть", "ем", "ешь", "ющий", "ющие", "ющих"),
    "pres2": ("ит", "ят", "ить", "им", "ишь", "ящий", "ящие", "ящих"),
}
_RU_STEMS: dict[str, tuple[str, ...]] = {
    "m": ("протест", "суд", "приговор", "арест", "штраф", "изолятор", "адвокат", "журналист",
          "студент", "активист", "министр", "протокол", "автозак", "райотдел", "пенсионер",
          "закон", "режим", "город", "двор", "район", "сайт", "канал", "паспорт", "кандидат",
          "депутат", "совет", "комитет", "срок", "флаг", "народ", "офис", "центр", "прокурор"),
    "m_k": ("митинг", "участник", "сотрудник", "правозащитник", "политзаключённ", "силовик",
            "заложник", "ученик", "учебник", "художник", "работник", "чиновник", "понедельник"),
    "f": ("колонн", "женщин", "тюрьм", "свобод", "улиц", "больниц", "страниц", "жертв", "правд",
          "угроз", "границ", "работ", "голов", "стран", "минут"),
    "f_k": ("забастовк", "листовк", "площадк", "цепочк", "студентк", "журналистк", "поездк"),
    "f_ia": ("акци", "демонстраци", "полици", "милици", "информаци", "организаци", "комисси",
             "конституци", "оппозици", "амнисти", "санкци", "эмиграци", "депортаци",
             "кампани", "истори"),
    "n_ie": ("задержани", "заявлени", "насили", "обвинени", "нарушени", "избиени", "шестви",
             "собрани", "сообщени", "решени", "движени", "давлени", "преследовани",
             "заключени", "освобождени", "здани", "управлени", "обращени", "требовани"),
    "adj": ("мирн", "массов", "незаконн", "уголовн", "административн", "официальн", "независим",
            "нов", "перв", "известн", "осуждённ", "избит", "ранен", "международн", "задержанн",
            "правозащитн", "избирательн", "вооружённ"),
    "adj_soft": ("полицейск", "белорусск", "минск", "гомельск", "брестск", "витебск", "русск",
                 "женск", "студенческ", "журналистск", "человеческ", "политическ",
                 "европейск", "жесток"),
    "past": ("задержа", "избива", "сообщи", "потребова", "осуди", "арестова", "вышл", "собра",
             "заяви", "отпусти", "оштрафова", "приговори", "объяви", "прошё", "разогна",
             "выступи", "написа", "перекры", "отключи", "провё", "пыта", "угрожа", "уволи"),
    "pres1": ("сообща", "задержива", "требу", "выступа", "избива", "собира", "помога",
              "рассказыва", "продолжа", "зна", "угрожа", "переда"),
    "pres2": ("говор", "сид", "вид", "проход", "выход", "суд", "звон", "освобожд", "хран"),
}
_RU_FUNCTION = ("и", "в", "на", "не", "что", "с", "по", "за", "из", "к", "у", "о", "от", "для",
                "как", "но", "а", "его", "её", "их", "это", "был", "была", "были", "после",
                "до", "около", "более", "также", "уже", "где", "когда", "который", "которые",
                "во", "со", "при", "без", "ещё", "менее", "человек")  # fmt: skip

# --- English ---------------------------------------------------------------------------------
_EN_NOUNS = ("protest", "protester", "detention", "arrest", "court", "sentence", "fine", "lawyer",
             "journalist", "student", "activist", "minister", "police", "officer", "riot",
             "square", "march", "rally", "strike", "worker", "prisoner", "cell", "centre",
             "hospital", "injury", "witness", "statement", "report", "charge", "trial", "judge",
             "prosecutor", "election", "vote", "candidate", "opposition", "government", "flag",
             "leaflet", "camera", "video", "channel", "website", "network", "bus", "van",
             "street", "yard", "district", "city", "region", "border", "embassy", "sanction",
             "investigation", "complaint", "beating", "death", "body", "family", "mother",
             "daughter", "son", "pensioner", "doctor", "teacher", "school", "university",
             "factory", "company", "right", "freedom", "law", "article", "code", "day", "week",
             "night", "morning", "evening", "crowd", "column", "chain", "woman", "man",
             "detainee", "demonstrator", "demonstration", "authority", "ministry", "agency",
             "citizen", "resident", "neighbour", "colleague", "friend", "relative", "husband",
             "wife", "child", "teenager", "volunteer", "medic", "ambulance", "car", "truck",
             "station", "metro", "bridge", "avenue", "park", "church", "office", "building",
             "apartment", "door", "window", "phone", "laptop", "message", "post", "account",
             "page", "photograph", "banner", "symbol", "ribbon", "umbrella", "flower", "song",
             "slogan", "speech", "letter", "petition", "lawsuit", "verdict", "appeal", "hearing",
             "colony", "penalty", "term", "month", "year", "hour", "minute", "grenade",
             "baton", "bullet", "gas", "cannon", "shield", "uniform", "mask", "helmet",
             "threat", "pressure", "search", "raid", "interrogation", "confession", "torture",
             "bruise", "wound", "fracture", "concussion", "burn", "exile", "refugee",
             "visa")  # fmt: skip
_EN_VERBS = ("detain", "arrest", "protest", "report", "gather", "demand", "attack", "sentence",
             "release", "charge", "beat", "fine", "march", "block", "disperse", "torture",
             "question", "search", "seize", "try", "elect", "open", "confiscate", "threaten",
             "dismiss", "expel",
             "condemn", "sign", "publish", "shout", "sing", "walk", "film", "record",
             "transfer", "deport", "summon", "interrogate", "injure", "kill", "hospitalise",
             "visit", "support", "organise", "announce", "declare", "refuse", "appeal",
             "photograph", "document", "describe", "claim", "deny", "confirm", "identify",
             "accuse", "prosecute", "convict", "acquit", "imprison", "punish", "raid", "storm",
             "surround", "chase", "grab", "drag", "push", "kick", "shoot", "wound", "bleed",
             "flee", "leave", "return", "cross", "hide", "escape", "resign", "strike", "chant",
             "clap", "whistle", "honk", "wave", "paint", "remove", "tear", "replace",
             "close")  # fmt: skip
_EN_ADJ = ("peaceful", "unlawful", "criminal", "administrative", "official", "independent",
           "political", "brutal", "new", "first", "last", "known", "unknown", "injured",
           "local", "international", "european", "belarusian", "massive", "large", "small",
           "violent", "severe", "public", "private", "secret", "masked", "armed",
           "young")  # fmt: skip
_EN_ADV = ("reportedly", "later", "again", "violently", "peacefully", "unlawfully", "briefly",
           "immediately", "allegedly", "publicly")  # fmt: skip
_EN_FUNCTION = ("the", "of", "and", "in", "to", "a", "on", "at", "was", "were", "by", "for",
                "with", "from", "after", "that", "who", "their", "near", "about", "least",
                "more", "than", "several", "many", "some", "his", "her", "they", "it", "is",
                "had", "have", "been", "not", "during", "against", "into", "under")  # fmt: skip


# fmt: on


def _en_verb_forms(v: str) -> list[str]:
    irregular = {"beat": ["beat", "beats", "beaten", "beating"],
                 "try": ["try", "tries", "tried", "trying"],
                 "expel": ["expel", "expels", "expelled", "expelling"],
                 "transfer": ["transfer", "transfers", "transferred", "transferring"],
                 "shoot": ["shoot", "shoots", "shot", "shooting"],
                 "flee": ["flee", "flees", "fled", "fleeing"],
                 "leave": ["leave", "leaves", "left", "leaving"],
                 "tear": ["tear", "tears", "tore", "torn", "tearing"],
                 "hide": ["hide", "hides", "hid", "hidden", "hiding"],
                 "bleed": ["bleed", "bleeds", "bled", "bleeding"],
                 "strike": ["strike", "strikes", "struck", "striking"],
                 "grab": ["grab", "grabs", "grabbed", "grabbing"],
                 "drag": ["drag", "drags", "dragged", "dragging"],
                 "deny": ["deny", "denies", "denied", "denying"],
                 "identify": ["identify", "identifies", "identified", "identifying"],
                 "sing": ["sing", "sings", "sang", "sung", "singing"],
                 "seize": ["seize", "seizes", "seized", "seizing"]}  # fmt: skip
    if v in irregular:
        return irregular[v]
    if v.endswith("e"):
        return [v, v + "s", v + "d", v[:-1] + "ing"]
    if v.endswith(("ch", "sh")):
        return [v, v + "es", v + "ed", v + "ing"]
    return [v, v + "s", v + "ed", v + "ing"]


def _en_noun_forms(n: str) -> list[str]:
    if n.endswith("y") and n[-2] not in "aeiou":
        return [n, n[:-1] + "ies", n + "'s"]
    if n.endswith(("ch", "sh", "s", "x")):
        return [n, n + "es", n + "'s"]
    return [n, n + "s", n + "'s"]


def _english() -> list[str]:
    forms = [f for n in _EN_NOUNS for f in _en_noun_forms(n)]
    forms += [f for v in _EN_VERBS for f in _en_verb_forms(v)]
    forms += list(_EN_ADJ) + list(_EN_ADV)
    # Derived forms multiply the tail the way real text does (-ly, -ness, un-, re-).
    forms += [a + "ly" for a in _EN_ADJ if a.endswith(("ful", "al", "ent", "ive", "ous"))]
    forms += ["re" + f for v in ("arrest", "detain", "release", "charge", "sentence", "open",
                                 "publish", "record", "visit", "summon", "try", "elect")
              for f in _en_verb_forms(v)]  # fmt: skip
    forms += [
        "unarmed",
        "unmasked",
        "unofficial",
        "unprovoked",
        "unidentified",
        "unnamed",
        "unconscious",
        "unregistered",
        "unauthorised",
        "unsanctioned",
    ]
    return forms


def _inflect(stems: dict[str, tuple[str, ...]], endings: dict[str, tuple[str, ...]]) -> list[str]:
    return [s + e for cls, group in stems.items() for s in group for e in endings[cls]]


def _greek() -> list[str]:
    forms = _inflect(_EL_STEMS, _EL_ENDINGS)
    # Negated and prefixed verb stems ("ξανα-", "επανα-") double the verb tail as in news text.
    forms += ["ξανα" + s + e for s in _EL_STEMS["verb"][:10] for e in _EL_ENDINGS["verb"]]
    return forms


def _russian() -> list[str]:
    forms = _inflect(_RU_STEMS, _RU_ENDINGS)
    # Negated adjectives (незаконный is already a stem; немирный, неофициальный...).
    forms += ["не" + s + e for s in _RU_STEMS["adj"][:8] for e in _RU_ENDINGS["adj"]]
    return forms


@dataclass(frozen=True, slots=True)
class ZipfVocabulary:
    """Words with cumulative Zipf weights (exponent ~1.05), function words ranked first."""

    words: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def build(cls, function: tuple[str, ...], content: list[str], seed: int,
              tail: Sequence[str] = (), exponent: float = 1.05) -> ZipfVocabulary:  # fmt: skip
        rng = random.Random(seed)
        unique = list(dict.fromkeys(w for w in content if w and w not in function))
        rng.shuffle(unique)  # which content word is frequent is arbitrary
        rare = [w for w in dict.fromkeys(tail) if w not in set(unique)]
        rng.shuffle(rare)  # names: mostly rare, as in running text
        words = tuple(function) + tuple(unique) + tuple(rare)
        weights = [1.0 / (rank + 2) ** exponent for rank in range(len(words))]
        return cls(words, tuple(itertools.accumulate(weights)))

    def draw(self, rng: random.Random) -> str:
        x = rng.random() * self.cumulative[-1]
        return self.words[bisect.bisect_left(self.cumulative, x)]


def vocabularies(seed: int = 0) -> dict[str, ZipfVocabulary]:
    return {
        "el": ZipfVocabulary.build(_EL_FUNCTION, _greek(), seed, surname_forms(2)),
        "ru": ZipfVocabulary.build(_RU_FUNCTION, _russian(), seed + 1, surname_forms(1)),
        "en": ZipfVocabulary.build(_EN_FUNCTION, _english(), seed + 2, surname_forms(0)),
    }


# fmt: off
# --- Names in three scripts ------------------------------------------------------------------
# (Latin, Cyrillic, Greek) triples of Belarusian given names and surnames.
GIVEN = (("Maria", "Мария", "Μαρία"), ("Sergei", "Сергей", "Σεργκέι"),
         ("Viktor", "Виктор", "Βίκτορ"), ("Svetlana", "Светлана", "Σβετλάνα"),
         ("Aliaksandr", "Александр", "Αλεξάντρ"), ("Ihar", "Игорь", "Ίγκορ"),
         ("Volha", "Ольга", "Όλγα"), ("Raman", "Роман", "Ρομάν"), ("Ales", "Алесь", "Άλες"),
         ("Nina", "Нина", "Νίνα"), ("Pavel", "Павел", "Πάβελ"), ("Maksim", "Максим", "Μαξίμ"),
         ("Tatsiana", "Татьяна", "Τατιάνα"), ("Dzmitry", "Дмитрий", "Ντμίτρι"),
         ("Katsiaryna", "Екатерина", "Αικατερίνα"), ("Andrei", "Андрей", "Αντρέι"),
         ("Iryna", "Ирина", "Ιρίνα"), ("Mikalai", "Николай", "Νικολάι"),
         ("Yulia", "Юлия", "Γιούλια"), ("Vital", "Виталий", "Βιτάλι"),
         ("Anastasia", "Анастасия", "Αναστασία"), ("Uladzimir", "Владимир", "Βλαντιμίρ"),
         ("Darya", "Дарья", "Ντάρια"), ("Stsiapan", "Степан", "Στεπάν"))  # fmt: skip
SURNAMES = (("Kalesnikava", "Колесникова", "Κολέσνικοβα"), ("Tsikhanouski", "Тихановский",
            "Τιχανόφσκι"), ("Babaryka", "Бабарико", "Μπαμπαρίκο"), ("Bialiatski", "Беляцкий",
            "Μπελιάτσκι"), ("Znak", "Знак", "Ζνακ"), ("Losik", "Лосик", "Λόσικ"),
            ("Bandarenka", "Бондаренко", "Μποντάρενκο"), ("Taraikouski", "Тарайковский",
            "Ταραϊκόφσκι"), ("Shutau", "Шутов", "Σούτοφ"), ("Kavalenka", "Коваленко",
            "Κοβαλένκο"), ("Nikitsenka", "Никитенко", "Νικιτένκο"), ("Pratasevich",
            "Протасевич", "Προτασέβιτς"), ("Sapega", "Сапега", "Σαπέγκα"), ("Alexievich",
            "Алексиевич", "Αλεξίεβιτς"), ("Hermanovich", "Германович", "Γκερμάνοβιτς"),
            ("Zhuk", "Жук", "Ζουκ"), ("Lukashenka", "Лукашенко", "Λουκασένκο"),
            ("Karaleu", "Королёв", "Κοραλιόφ"), ("Marozau", "Морозов", "Μορόζοφ"),
            ("Vasilevich", "Василевич", "Βασίλεβιτς"), ("Charnysheva", "Чернышёва",
            "Τσερνισόβα"), ("Hrynevich", "Гриневич", "Γκρινέβιτς"), ("Lazarenka",
            "Лазаренко", "Λαζαρένκο"), ("Ulasenka", "Власенко", "Βλασένκο"), ("Pazniak",
            "Позняк", "Πόζνιακ"), ("Mikhalevich", "Михалевич", "Μιχάλεβιτς"))  # fmt: skip
ORGANISATIONS = (("Viasna", "Вясна", "Βιάσνα"), ("OMON", "ОМОН", "ΟΜΟΝ"),
                 ("GUBOPiK", "ГУБОПиК", "ΓΚΟΥΜΠΟΠΙΚ"), ("KGB", "КГБ", "ΚΓΚΜ"),
                 ("Belarusian Association of Journalists", "Белорусская ассоциация журналистов",
                  "Ένωση Λευκορώσων Δημοσιογράφων"), ("Interior Ministry", "МВД", "Υπουργείο "
                  "Εσωτερικών"), ("Investigative Committee", "Следственный комитет",
                  "Ανακριτική Επιτροπή"), ("Central Election Commission", "ЦИК",
                  "Κεντρική Εκλογική Επιτροπή"), ("Tut.by", "Тут.бай", "Tut.by"),
                 ("Nasha Niva", "Наша Ніва", "Νάσα Νίβα"))  # fmt: skip
SCRIPT = {"en": 0, "ru": 1, "el": 2}

# Surnames: real Belarusian roots with real suffixes, in three scripts. Proper names are most
# of the long tail of chronicle text, and cross-script matching is a search feature to test.
_ROOTS = ("koval", "petr", "sidor", "march", "kravch", "shevch", "bondar",
          "mel", "lis", "zhuk", "tkach", "haln", "voron", "moroz", "kuz", "pav", "sav", "bab",
          "hrom", "kaz", "lev", "mart", "yan", "dud", "ras", "kupr", "step", "yakim", "bul",
          "kal", "min", "tar", "shum", "dub", "hol", "bel", "chern", "sokal", "vol", "bor",
          "kot", "ryb", "rad", "pash", "luk", "sem", "fed", "max", "zakh", "kir", "dan",
          "mikh", "nov", "star", "krut", "tish", "zel", "serg", "ivan")  # fmt: skip
_SUFFIXES = (
    ("enka", "енко", "ένκο"),
    ("evich", "евич", "έβιτς"),
    ("ski", "ский", "σκι"),
    ("chyk", "чик", "τσικ"),
    ("ovich", "ович", "όβιτς"),
    ("ionak", "ёнок", "ιόνακ"),
)
_LAT = (("shch", "щ", "στσ"), ("zh", "ж", "ζ"), ("sh", "ш", "σ"), ("ch", "ч", "τσ"),
        ("kh", "х", "χ"), ("ts", "ц", "τσ"), ("ya", "я", "για"), ("yu", "ю", "γιου"),
        ("a", "а", "α"), ("b", "б", "μπ"), ("v", "в", "β"), ("h", "г", "χ"), ("g", "г", "γκ"),
        ("d", "д", "ντ"),
        ("e", "е", "ε"), ("z", "з", "ζ"), ("i", "и", "ι"), ("y", "ы", "ι"), ("k", "к", "κ"),
        ("l", "л", "λ"), ("m", "м", "μ"), ("n", "н", "ν"), ("o", "о", "ο"), ("p", "п", "π"),
        ("r", "р", "ρ"), ("s", "с", "σ"), ("t", "т", "τ"), ("u", "у", "ου"), ("f", "ф", "φ"),
        ("x", "кс", "ξ"), ("c", "к", "κ"), ("j", "й", "ι"))  # fmt: skip

# Russian case endings of surnames by suffix type (-ич, -чик, -ёнок decline; -енко does not).
_RU_SURNAME_CASES = {
    "евич": ("", "а", "у", "ем"),
    "ович": ("", "а", "у", "ем"),
    "чик": ("", "а", "у", "ом"),
    "ский": ("ий", "ого", "ому", "им"),
    "ёнок": ("", "а", "у", "ом"),
    "енко": ("",),
}
# fmt: on


def _translit(latin: str, script: int) -> str:
    out, i = [], 0
    while i < len(latin):
        for src, *dst in _LAT:
            if latin.startswith(src, i):
                out.append(dst[script - 1])
                i += len(src)
                break
        else:
            out.append(latin[i])
            i += 1
    return "".join(out)


def surnames() -> list[tuple[str, str, str]]:
    """(Latin, Cyrillic, Greek) surnames: every root with every suffix."""
    out = []
    for root in _ROOTS:
        for lat, cyr, gr in _SUFFIXES:
            out.append(((root + lat).capitalize(), _translit(root, 1).capitalize() + cyr,
                        _translit(root, 2).capitalize() + gr))  # fmt: skip
    return out


def surname_forms(script: int) -> list[str]:
    """Surname word forms as they occur in running text (Russian ones declined)."""
    forms = []
    for triple in surnames():
        name = triple[script]
        if script != 1:
            forms.append(name)
            continue
        for suffix, cases in _RU_SURNAME_CASES.items():
            if name.endswith(suffix):
                base = name[:-2] if suffix == "ский" else name
                forms += [base + c for c in cases]
                break
    return forms
