"""Language tables for dates: month names, month parts, lead words, relative phrases.

Everything here is written in ordinary spelling and folded (accents and case removed) when
the tables are built, so the tables stay readable and the matcher stays simple.
"""

from __future__ import annotations

from belarchive.importing.chronicle.text import fold

# Month number → every spelling seen in chronicles (nominative, genitive, accusative,
# locative...). Belarusian forms are included with the Russian ones.
_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("Ιανουάριος", "Ιανουαρίου", "Ιανουάριο", "январь", "января", "январе",
        "студзень", "студзеня", "студзені", "January", "Jan"),
    2: ("Φεβρουάριος", "Φεβρουαρίου", "Φεβρουάριο", "февраль", "февраля", "феврале",
        "люты", "лютага", "лютым", "February", "Feb"),
    3: ("Μάρτιος", "Μαρτίου", "Μάρτιο", "март", "марта", "марте",
        "сакавік", "сакавіка", "сакавіку", "March", "Mar"),
    4: ("Απρίλιος", "Απριλίου", "Απρίλιο", "апрель", "апреля", "апреле",
        "красавік", "красавіка", "красавіку", "April", "Apr"),
    5: ("Μάιος", "Μαΐου", "Μάιο", "Μάη", "май", "мая", "мае",
        "травень", "траўня", "траўні", "May"),
    6: ("Ιούνιος", "Ιουνίου", "Ιούνιο", "Ιούνη", "июнь", "июня", "июне",
        "чэрвень", "чэрвеня", "чэрвені", "June", "Jun"),
    7: ("Ιούλιος", "Ιουλίου", "Ιούλιο", "Ιούλη", "июль", "июля", "июле",
        "ліпень", "ліпеня", "ліпені", "July", "Jul"),
    8: ("Αύγουστος", "Αυγούστου", "Αύγουστο", "август", "августа", "августе",
        "жнівень", "жніўня", "жніўні", "August", "Aug"),
    9: ("Σεπτέμβριος", "Σεπτεμβρίου", "Σεπτέμβριο", "сентябрь", "сентября", "сентябре",
        "верасень", "верасня", "верасні", "September", "Sep", "Sept"),
    10: ("Οκτώβριος", "Οκτωβρίου", "Οκτώβριο", "октябрь", "октября", "октябре",
         "кастрычнік", "кастрычніка", "кастрычніку", "October", "Oct"),
    11: ("Νοέμβριος", "Νοεμβρίου", "Νοέμβριο", "ноябрь", "ноября", "ноябре",
         "лістапад", "лістапада", "лістападзе", "November", "Nov"),
    12: ("Δεκέμβριος", "Δεκεμβρίου", "Δεκέμβριο", "декабрь", "декабря", "декабре",
         "снежань", "снежня", "снежні", "December", "Dec"),
}  # fmt: skip

MONTH_FORMS: dict[str, int] = {fold(f): m for m, forms in _MONTHS.items() for f in forms}

# English month names that are also ordinary words: only accepted capitalised.
AMBIGUOUS_MONTHS = frozenset({"may", "march", "mar", "jan", "dec", "sept", "sep"})

# "early / mid / late <month>" → the part name used by edtf_dates.month_part_edtf.
MONTH_PARTS: dict[str, str] = {
    fold(w): part
    for part, words in {
        "early": ("αρχές", "начале", "пачатку", "early", "beginning", "start"),
        "mid": ("μέσα", "середине", "сярэдзіне", "mid", "middle"),
        "late": ("τέλη", "τέλος", "конце", "канцы", "late", "end"),
    }.items()
    for w in words
}

# Words that may stand between a month part and its month: "στα μέσα *του* Αυγούστου".
PART_FILLERS = frozenset(fold(w) for w in ("του", "της", "of", "the", "in"))

# Words that may precede an anchor at the start of a sentence ("Στις", "Την Κυριακή ,",
# "On", "# Воскресенье,"): a date after only these words *starts* an entry.
LEAD_WORDS = frozenset(
    fold(w)
    for w in (
        # Greek
        "στις", "στη", "στην", "τη", "την", "το", "τον", "τα", "στα", "στο", "η", "και",
        "κατά", "από", "μέχρι", "ως", "της", "του", "επομένη", "επόμενη", "άλλη", "μέρα",
        "ημέρα", "πρωί", "απόγευμα", "βράδυ", "Κυριακή", "Δευτέρα", "Τρίτη", "Τετάρτη",
        "Πέμπτη", "Παρασκευή", "Σάββατο",
        # Russian / Belarusian
        "в", "во", "с", "со", "на", "к", "и", "у", "ў", "утром", "вечером", "днём", "днем",
        "ночью", "следующий", "день", "воскресенье", "понедельник", "вторник", "среда",
        "среду", "четверг", "пятница", "пятницу", "суббота", "субботу", "нядзеля",
        "нядзелю", "панядзелак", "аўторак", "серада", "сераду", "чацвер", "пятніца",
        "пятніцу", "субота", "суботу", "наступны", "дзень",
        # English
        "on", "in", "the", "of", "by", "at", "and", "next", "following", "day", "morning",
        "evening", "night", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
        "Friday", "Saturday",
    )
)  # fmt: skip

# Capitalised lead words that, found in the middle of a line, begin a new entry there
# ("... εδώ Στις 7 Νοεβρίου , ..."): a sentence boundary whose full stop was lost.
SPLIT_LEADS = frozenset(fold(w) for w in ("Στις", "Την", "Στα", "On", "In", "В", "На", "У"))

# Words after a year that belong to it ("2020 г.", "2020 года").
YEAR_TAILS = frozenset(fold(w) for w in ("г", "года", "году", "гг"))

# Relative anchors at the start of a sentence: (folded regex, kind, days).
#   next     — the day after the previous entry (days = offset)
#   first    — the first of the month (the month after the previous entry's, if that
#              entry was later than the 1st: a chronicle moves forward)
#   weekday  — the next such weekday after the previous entry (days = weekday, Monday 0)
RELATIVE_PATTERNS: tuple[tuple[str, str, int], ...] = (
    (r"την επομενη(?: μερα| ημερα)?|την αλλη μερα|την επαυριο", "next", 1),
    (r"на следующий день|назавтра|на другой день|на наступны дзень", "next", 1),
    (r"(?:on )?the (?:next|following) day|next day", "next", 1),
    (r"δυο (?:μερες|ημερες) αργοτερα|two days later|через два дня|спустя два дня", "next", 2),
    (r"την πρωτη του μηνα", "first", 0),
    # A weekday opening an entry of a running chronicle: the next such day after the entry
    # before ("Στις 13 Νοεμβρίου … Την Κυριακή …" is 15 November). Days: Monday=0.
    (r"τη(?:ν)? δευτερα|on monday|в понедельник|у панядзелак", "weekday", 0),
    (r"τη(?:ν)? τριτη|on tuesday|во вторник|у аўторак", "weekday", 1),
    (r"τη(?:ν)? τεταρτη|on wednesday|в среду|у сераду", "weekday", 2),
    (r"τη(?:ν)? πεμπτη|on thursday|в четверг|у чацвер", "weekday", 3),
    (r"τη(?:ν)? παρασκευη|on friday|в пятницу|у пятніцу", "weekday", 4),
    (r"το σαββατο|on saturday|в субботу|у суботу", "weekday", 5),
    (r"την κυριακη|on sunday|в воскресенье|у нядзелю", "weekday", 6),
    (r"(?:on )?the first of the month|(?:в )?первый день месяца|первого числа", "first", 0),
)

# Words showing that a sentence looks back over the whole period instead of reporting a
# day: after the last entry of the chronicle, the first such sentence opens the
# background part.
RETROSPECTIVE_CUES: tuple[str, ...] = tuple(
    fold(w)
    for w in (
        "ήδη πριν", "από την αρχή των", "συνολικά", "οι μέθοδοι", "με το ξέσπασμα",
        "с начала протестов", "с начала акций", "ещё до", "в целом", "всего с",
        "методы", "за всё время", "since the start", "since the beginning", "already before",
        "overall,", "in total since", "throughout the", "the methods", "by the end of",
        "с начала", "к концу", "μέχρι το τέλος",
    )
)  # fmt: skip
