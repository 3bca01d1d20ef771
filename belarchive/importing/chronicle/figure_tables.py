"""Cue words for figures: what a number counts, and how exactly it is stated.

Stems are matched at the start of folded words ("συλληψ" matches "συλλήψεις",
"συλλήψεων"). Order inside a tuple does not matter.
"""

from __future__ import annotations

import re

from belarchive.domain.values import FigureKind, Qualifier
from belarchive.importing.chronicle.text import fold


def _stems(*words: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in words)


KIND_CUES: dict[FigureKind, tuple[str, ...]] = {
    FigureKind.DETAINED: _stems(
        "συλλήψ", "συλληφθ", "συνέλαβ", "συνελήφθ", "προσήχθ", "προσαγωγ", "κρατούμεν",
        "κρατήθηκ", "κράτηση", "κρατήσεις", "κρατήσεων", "προσήγαγ", "προσάγ", "задерж",
        "арестова", "арестов",
        "арест", "затрыма", "арышт", "detain", "detention", "arrest",
    ),
    FigureKind.KILLED: _stems(
        "θάνατ", "νεκρ", "σκοτώθ", "σκοτωμέν", "πέθαν", "погиб", "убит", "умер", "скончал",
        "смерт", "гибел", "загін", "загіну", "killed", "dead", "died", "death",
    ),
    FigureKind.INJURED: _stems(
        "τραυματ", "ранен", "ранены", "пострада", "травм", "госпитализ", "паранен", "пацярпел",
        "injur", "wounded", "hospitalis", "hospitaliz",
    ),
    FigureKind.PARTICIPANTS: _stems(
        "διαδήλωσαν", "διαδηλώνουν", "συμμετεί", "συμμετέχ", "συμμετείχ", "κατέβηκ", "βγήκ",
        "πορεύτηκ", "πορευτηκ", "παρέλασ",
        "участвова", "участи", "вышл", "вышел", "маршир", "собрал", "удзельнічал", "выйшл",
        "marched",
        "took", "participated", "rallied", "drew", "attracted", "gathered", "turned", "joined",
    ),
}  # fmt: skip

# Whole words that cue a kind where a stem would also match a noun of things:
# "συγκέντρωσε 100.000 άτομα" (it gathered) but "70 συγκεντρώσεις" (70 rallies).
KIND_WORDS: dict[str, FigureKind] = {
    fold(w): FigureKind.PARTICIPANTS
    for w in ("συγκέντρωσε", "συγκέντρωσαν", "συγκεντρώθηκαν", "μαζεύτηκαν")
}

# Tie-break when two kinds are cued at the same distance: detentions are what the
# archive counts most, and a detention sentence often names the protesters too.
KIND_PRIORITY = (FigureKind.DETAINED, FigureKind.KILLED, FigureKind.INJURED,
                 FigureKind.PARTICIPANTS)  # fmt: skip

# Nouns for people: "390 άτομα", "200 человек" — counted people with no verb of their own.
PERSON_STEMS = _stems(
    "άτομ", "διαδηλωτ", "πολίτ", "άνθρωπ", "συνταξιούχ", "φοιτητ", "γυναίκ", "δημοσιογράφ",
    "ακτιβιστ", "κάτοικ", "жител", "жыхар", "resident", "activist", "актывіст", "активист",
    "εργαζόμεν", "человек", "люд", "граждан", "пенсионер", "студент", "женщин", "журналист",
    "рабоч", "чалавек", "people", "person", "citizen", "pensioner", "student", "women",
    "journalist", "worker",
)  # fmt: skip

# People who are protesting by definition: "5.000 διαδηλωτές" counts participants even
# when no verb says so.
PROTESTER_STEMS = _stems(
    "διαδηλωτ",
    "протестующ",
    "демонстрант",
    "участник",
    "участниц",
    "удзельнік",
    "пратэстуюч",
    "protester",
    "demonstrator",
    "marcher",
    "participant",
)

# Things that are counted but are not people: "70 διαφορετικές συγκεντρώσεις", "26 χρόνια",
# "78 χρονών", "1 δισεκατομμύρια δολλάρια", "в 30 городах", "5 %".
THING_STEMS = _stems(
    "συγκεντρώσ", "πορεί", "διαδηλώσ", "πόλ", "σταθμ", "χώρ", "σημεί", "συνοικ", "ώρ",
    "μέρ", "ημέρ", "χρόν", "χρον", "ετών", "έτος", "μήν", "εβδομ", "ευρώ", "δολ", "δισεκ",
    "εκατομ", "τοις",
    "акци", "пикет", "город", "станци", "стран", "точк", "час", "дн", "ден", "сут", "лет",
    "год", "месяц", "недел", "минут", "рубл", "доллар", "евро", "млн", "млрд", "миллион",
    "миллиард", "процент", "раз", "гадоў", "гадзін", "дзён",
    "rall", "protests", "marches", "cit", "town", "station", "countr", "hour", "day",
    "year", "month", "week", "minute", "time", "dollar", "euro", "million", "billion",
    "percent", "per", "place", "location", "point", "picket", "district", "neighbourhood",
    "neighborhood", "ноч", "начэй", "night", "νύχτ", "νυχτ", "суд", "приговор", "штраф",

    "fine", "sentence", "ποιν", "case", "дел", "υποθ",
)  # fmt: skip

# Words before a detention count that undo it: "отменил два ареста", "освободили 50
# задержанных", "released 20 detainees". Such numbers are not detentions.
UNDOING = _stems(
    "отмен",
    "освобод",
    "выпуст",
    "отпуст",
    "вызвал",
    "released",
    "freed",
    "release",
    "overturn",
    "cancel",
    "annul",
    "quash",
    "αφέθηκ",
    "απελευθερ",
    "ακύρωσ",
    "вызвал",
    "вызвален",
    "адмен",
    # a count of people sentenced or fined is not a count of detentions
    "sentenc",
    "fined",
    "приговор",
    "осуди",
    "осужд",
    "оштраф",
    "асудзі",
    "καταδίκ",
    "штраф",
    "πρόστιμ",
    "fine",
)
# After a count, words saying the people were let go: "12 … were released after ten days".
RELEASED_AFTER = _stems("released", "freed", "освобожден", "освободили", "отпущен", "отпустили",
                        "вызвалены", "вызвалілі", "αφέθηκ", "απελευθερώθ")  # fmt: skip
# A court's decision in the clause: the count is of people sentenced, not detained.
COURT = _stems("суд", "court", "δικαστ", "судз")
DURATION = _stems("сут", "дн", "day", "ημέρ", "год", "лет", "year", "χρόν", "гад")

# "из них 20 журналистов": the number is part of the figure before it, not more people.
PART_OF_BEFORE = re.compile(
    fold(
        r"(?:из них|из которых|среди них|среди задержанных|в том числе|включая|з іх|сярод іх|"
        r"у тым ліку|including|among them|among whom|of whom|of them|among the detained|"
        r"μεταξυ των οποιων|αναμεσα τους|μεταξυ τους|εκ των οποιων)\b[^.;]{0,25}$"
    )
)

# One person detained without a numeral: "задержан Иван Петров", "συνελήφθη", "was arrested".
SINGLE_DETENTION = re.compile(
    # not after the word "не"/"not" (a lookbehind of fixed width: "гродне затрыманы" is fine)
    r"(?<!\Wне )(?<!^не )(?<!\Wnot )(?<!^not )\b(?:"
    r"задержан|задержана|арестован|арестована|затрыманая|затрыманы|арыштаваны|арыштаваная|"
    r"συνελήφθη|προσήχθη|κρατείται|was (?:detained|arrested|taken into custody)|"
    r"has been (?:detained|arrested)"
    r")(?!\w)"
)
# Singular role nouns (accusative where the language has one) for one detained person.
ROLES = "|".join(
    (
        "журналиста",
        "журналистку",
        "активиста",
        "активистку",
        "студента",
        "студентку",
        "блогера",
        "учителя",
        "учительницу",
        "врача",
        "депутата",
        "адвоката",
        "священника",
        "фотографа",
        "пенсионера",
        "пенсионерку",
        "рабочего",
        "журналіста",
        "журналістку",
        "актывіста",
        "актывістку",
        "студэнта",
        "студэнтку",
        "настаўніка",
        "настаўніцу",
        "доктара",
        "фатографа",
        "святара",
        "адваката",
        "журналистка",
        "журналістка",
        "journalist",
        "activist",
        "student",
        "blogger",
        "teacher",
        "doctor",
        "councillor",
        "lawyer",
        "priest",
        "photographer",
        "worker",
        "pensioner",
        "δημοσιογράφο",
        "ακτιβιστή",
        "φοιτητή",
        "καθηγητή",
        "editor",
        "director",
        "woman",
        "man",
        "редактора",
        "директора",
        "женщину",
        "мужчину",
        "девушку",
        "парня",
        "подростка",
        "жанчыну",
        "мужчыну",
        "дзяўчыну",
        "рэдактара",
        "ιερέα",
    )
)
# One person named by a singular role noun: "затрымалі журналістку", "detained a journalist".
SINGLE_DETENTION_OF_ROLE = re.compile(
    r"\b(?:задержали|арестовали|затрымалі|арыштавалі|detained|arrested|συνέλαβαν)\s+"
    r"(?:(?:a|an|one|the|its|his|her|their)\s+)?(?:местн\w+\s+|мясцов\w+\s+|local\s+)?"
    rf"(?:{ROLES})\b",
    re.IGNORECASE,
)
# The role first, the verb after: "Журналистку «Белсата» задержали во время эфира".
SINGLE_DETENTION_ROLE_FIRST = re.compile(
    rf"^(?:{ROLES})\b[^.;]{{0,40}}?\b(?:задержали|арестовали|затрымалі|арыштавалі)\b",
    re.IGNORECASE,
)
SINGLE_DETENTION_OF_NAMED = re.compile(
    r"\b(?:задержали|арестовали|затрымалі|арыштавалі|detained|arrested|συνέλαβαν (?:τον|την))"
    r" (?:(?:журналист\w*|активист\w*|студент\w*|блогер\w*|лидер\w*|"
    r"journalist|activist|student|blogger|leader|opposition figure) )?"
    r"[A-ZА-ЯЁІЎΑ-Ω][a-zа-яёіўα-ωά-ώ]+ [A-ZА-ЯЁІЎΑ-Ω][a-zа-яёіўα-ωά-ώ]+"
)

# Political prisoners are a count of their own, not of detentions ("520 πολιτικούς
# κρατούμενους"): checked before the person nouns, since "πολιτικ" starts like "πολίτ".
POLITICAL_PRISONERS = _stems("πολιτικ", "политзаключ", "политическ", "палітвязн", "палітычн",
                             "political")  # fmt: skip

# Words before a number that make it a reference or an age, not a count: "παρ . 4",
# "№ 5", "ст. 342", "aged 78", "в возрасте 78".
REFERENCE_BEFORE = _stems("παρ", "άρθρ", "ст", "статья", "статьи", "п", "article", "no", "№",
                          "aged", "age", "возрасте", "ηλικίας")  # fmt: skip

_QUALIFIER_PHRASES: dict[Qualifier, tuple[str, ...]] = {
    Qualifier.AT_LEAST: (
        "τουλάχιστον", "τουλάχιστο", "не менее", "не менее чем", "как минимум", "минимум",
        "не менш за", "не менш як",
        "по меньшей мере", "не меньше", "по крайней мере", "не менш", "прынамсі",
        "at least", "no fewer than", "no less than", "a minimum of",
    ),
    Qualifier.APPROXIMATELY: (
        "περίπου", "γύρω στους", "γύρω στις", "γύρω στα", "κοντά στους", "κοντά στις",
        "σχεδόν", "около", "порядка", "примерно", "приблизительно", "почти", "каля",
        "прыкладна", "about", "around", "approximately", "roughly", "some", "nearly",
        "almost", "an estimated", "estimated", "circa",
    ),
    Qualifier.MORE_THAN: (
        "περισσότεροι από", "περισσότερες από", "περισσότερα από", "περισσότερους από",
        "περισσότερων από", "πάνω από", "πλέον των",
        "άνω των", "более", "свыше", "больше", "более чем", "больш за", "больш як", "звыш",
        "more than",
        "over", "upwards of", "in excess of", "above",
    ),
    Qualifier.UP_TO: ("έως", "μέχρι και", "μέχρι", "до", "вплоть до", "up to", "as many as"),
}  # fmt: skip

# A qualifier phrase ending right before the number (after folding).
QUALIFIER_BEFORE: list[tuple[Qualifier, re.Pattern[str]]] = [
    (q, re.compile(r"(?<!\w)(" + "|".join(re.escape(fold(p)) for p in phrases) + r")\s*$"))
    for q, phrases in _QUALIFIER_PHRASES.items()
]
QUALIFIER_AFTER = re.compile(
    r"^\s*(\+|και πλεον|και παραπανω|с лишним|с небольшим|or more|and more|plus)(?!\w)"
)
RANGE_BETWEEN = re.compile(r"^\s*(?:-|–|—|to|εως|до|and|και)\s*$")

# A single death stated without a number: "επιβεβαιώθηκε ο θάνατός του", "погиб", "died".
# Matched on the lower-cased original: the accent of "θάνατός/θάνατό του" marks the
# possessive ("his death"), unlike "τον θάνατο του νεαρού" ("the death of the young man").
SINGLE_DEATH = re.compile(
    r"θάνατός του|θάνατό του|θάνατός της|θάνατό της|σκοτώθηκε|πέθανε\b|"
    r"\bпогиб\b|\bпогибла\b|\bумер\b|\bумерла\b|скончался|скончалась|загінуў|"
    r"\b(?:he|she) died\b|\bwas killed\b|\bdied in custody\b|\bwas (?:found|shot) dead\b|"
    r"найден мёртвым|найден мертвым|найдена мёртвой|найдена мертвой"
)
# English names are capitalised: "Taraikovsky died" (matched on the original text).
SINGLE_DEATH_NAMED = re.compile(
    r"\b(?!Many\b|People\b|Several\b|Others\b|Some\b|Dozens\b|Hundreds\b|Thousands\b)"
    r"[A-Z][a-z]+(?:, \d{1,3},)? (?:died|was killed)\b"
)
