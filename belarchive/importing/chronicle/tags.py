"""Event-type tags suggested by cue words (keys from resources/vocabularies/tags.json).

Each cue is a word start on folded text ("συλληψ" → "συλλήψεις"); the evidence is the
word as written. Internet/transport shutdowns need an object and a closure in the same
sentence, and no sign that things were open again ("όλοι οι σταθμοί του μετρό ήταν
ανοικτοί" is not a shutdown).
"""

from __future__ import annotations

import re

from belarchive.importing.chronicle.model import ProposedTag
from belarchive.importing.chronicle.text import fold

_CUES: dict[str, tuple[str, ...]] = {
    "detention": ("συλλήψ", "συλληφθ", "συνέλαβ", "συνελήφθ", "προσήχθ", "κρατούμεν", "κράτηση",
                  "κρατήσεις", "κρατήσεων", "задерж", "арест", "затрыма", "detain", "detention",
                  "arrest"),
    "protest": ("διαδήλ", "διαδηλ", "πορεί", "διαμαρτυρ", "κινητοποιήσ", "συγκεντρώσ",
                "протест", "шестви", "марш", "митинг", "пикет", "акци", "пратэст", "шэсце",
                "protest", "marche", "marchi", "rally", "rallies", "demonstrat"),
    "death": ("θάνατ", "σκοτώθ", "νεκρ", "πέθαν", "погиб", "умер", "скончал", "смерт",
              "гибел", "загін", "died", "death", "killed", "dead"),
    "torture": ("βασαν", "κακοδιαχείρ", "κακομεταχείρ", "пытк", "пыток", "издевательств",
                "катаван", "tortur", "ill-treat", "mistreat"),
    "police_violence": ("ξυλοκοπ", "ξυλοδαρμ", "δακρυγόν", "σφαίρ", "κροτίδ", "χρήση βίας",
                        "βία της αστυνομίας", "αστυνομική βία", "избил", "избиени", "резинов",
                        "светошумов", "водомёт", "водомет", "слезоточ", "дубинк", "beaten",
                        "beating", "tear gas", "rubber bullet", "stun grenade", "water cannon",
                        "police violence", "brutal"),
    "abduction": ("απήχθ", "απαγωγ", "απαγάγ", "похищ", "похити", "выкрада", "abduct",
                  "kidnap"),
    "forced_exile": ("απελασ", "απελάθ", "απελαύν", "διέφυγ", "κατέφυγ", "εγκαταλείψουν την χώρα",
                     "εξορ", "выдвор", "депорт", "выслан", "вынуждена покинуть",
                     "вынужден покинуть", "эмигрир", "exile", "deport", "expelled", "fled",
                     "forced to leave"),
    "intimidation": ("εκφοβ", "απειλ", "запуг", "угрож", "угроз", "запалох", "intimidat",
                     "threat"),
    "statement": ("δήλωσε", "δήλωση", "ανακοίνωσ", "заявил", "заявлени", "объявил", "заявіл",
                  "stated", "statement", "announced", "declared", "said"),
    "international_reaction": ("διεθν", "международн", "міжнародн", "international"),
    "sanction": ("κυρώσ", "санкци", "санкцы", "sanction"),
    "report": ("έκθεσ", "αναφορά", "доклад", "отчёт", "отчет", "справаздач", "report ", "reports"),
}  # fmt: skip
# One alternation for all tags, scanned once per sentence: a group per tag.
_TAG_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        f"(?P<{tag}>" + "|".join(re.escape(fold(c)) for c in cues) + ")"
        for tag, cues in _CUES.items()
    )
    + r")\w*"
)

_SHUT_OBJECT = re.compile(
    r"(?<!\w)(?:μετρ[οό]|ιντερνετ|διαδικτυ\w*|ηλεκτρονικ\w* πλατφορμ\w*|метро|интернет\w*|"
    r"мобильн\w* связ\w*|інтэрнэт\w*|internet|metro|subway|mobile data)"
)
_SHUT_CLOSED = re.compile(
    r"(?<!\w)(?:κλειστ|κλειν|περιορισ|εμποδ|μπλοκ|закры|отключ|огранич|блокир|адключ|closed|"
    r"shut|blocked|restricted|cut|disrupted|outage)\w*"
)
_SHUT_OPEN = re.compile(r"(?<!\w)(?:ανοικτ|ανοιχτ|ανεμποδ|открыт|восстановл|reopen|restored)")


def sentence_tags(sentence: str, folded: str | None = None) -> list[ProposedTag]:
    folded = fold(sentence) if folded is None else folded
    tags = []
    seen: set[str] = set()
    for m in _TAG_RE.finditer(folded):
        tag = m.lastgroup
        if tag is not None and tag not in seen:
            seen.add(tag)
            tags.append(ProposedTag(tag, sentence[m.start() : m.end()].strip()))
    obj = _SHUT_OBJECT.search(folded)
    if obj and _SHUT_CLOSED.search(folded) and not _SHUT_OPEN.search(folded):
        tags.append(ProposedTag("shutdown", sentence[obj.start() : obj.end()]))
    return tags


def merge_tags(tags: list[ProposedTag]) -> list[ProposedTag]:
    """First evidence per tag key, in order of first appearance."""
    seen: dict[str, ProposedTag] = {}
    for tag in tags:
        seen.setdefault(tag.key, tag)
    return list(seen.values())
