"""Splitting the undated, thematic part of a chronicle into topical passages.

Each sentence is scored against a few topics (repression methods, detentions, exile and
intimidation, deaths, international reactions, Russia, EU) by cue words. A passage ends
when a sentence clearly belongs to another topic and does not begin with a connective
("Επίσης", "Ωστόσο", "However", "Также") that ties it to the sentence before.
Headings always start a passage.
"""

from __future__ import annotations

from belarchive.importing.chronicle.text import fold

# topic → (cue word starts, weight). Weight 2 for cues that name the topic itself,
# 1 for words that also occur in neighbouring topics.
_TOPICS: dict[str, tuple[tuple[tuple[str, ...], int], ...]] = {
    "methods": (
        (("καταστολ", "δακρυγόν", "μέθοδ", "κροτίδ", "σφαίρ", "αποκλεισμ", "методы", "разгон",
          "слезоточ", "водомёт", "tear gas", "rubber bullet", "methods", "water cannon"), 2),
        (("ξυλοκοπ", "μετρό", "ίντερνετ", "βία", "насили", "метро", "интернет", "violence",
          "internet"), 1),
    ),
    "detentions": (
        (("συλλήψ", "συλληφθ", "κρατούμεν", "κράτησ", "задерж", "арест", "политзаключ",
          "detention", "detain", "arrest", "political prisoner"), 2),
        (("βασαν", "ξυλοδαρμ", "пытк", "tortur"), 1),
    ),
    "exile": (
        (("κατέφυγ", "διέφυγ", "διαφυγ", "απελ", "εγκαταλείψ", "εξορ", "εκφοβ", "απήχθ",
          "εμιγρ", "выдвор", "эмигр", "изгнан", "запуг", "exile", "fled", "deport",
          "intimidat", "forced to leave"), 2),
        (("απειλ", "απαγ", "угрож", "threat"), 1),
    ),
    "deaths": (
        (("θάνατ", "νεκρ", "σκοτώθ", "погиб", "смерт", "гибел", "death", "died", "killed"), 2),
    ),
    "international": (
        (("διεθν", "αντιδράσ", "международн", "реакци", "international", "reaction"), 2),
        (("χώρ", "απέρριψ", "κυρώσ", "стран", "санкци", "countr", "sanction"), 1),
    ),
    "russia": (
        (("ρωσία", "ρωσίας", "ρωσική", "πούτιν", "россия", "росси", "кремл", "путин",
          "russia", "kremlin", "putin"), 2),
    ),
    "eu": (
        (("ευρωπαϊκή ένωση", "ευρωπαϊκής ένωσης", "евросоюз", "европейский союз",
          "european union"), 3),
    ),
}  # fmt: skip
_TOPIC_CUES = [
    (topic, tuple(fold(w) for w in words), weight)
    for topic, groups in _TOPICS.items()
    for words, weight in groups
]

# Sentence openings that continue the previous sentence's subject.
CONNECTIVES = tuple(
    fold(w)
    for w in (
        "επίσης", "συμπληρωματικά", "συγκεκριμένα", "παραδείγματος χάρη", "τελικά", "πάντως",
        "ωστόσο", "μάλιστα", "εκεί", "αυτή ", "αυτό ", "αυτός ", "παρόλα αυτά", "πέρα από αυτό",
        "χαρακτηριστικό", "σχεδόν", "παρακάτω", "τέτοιες", "τέτοια", "όμως", "έτσι",
        "также", "кроме того", "однако", "например", "при этом", "там", "в итоге", "тем не менее",
        "also", "however", "moreover", "for example", "for instance", "there", "finally",
        "in addition", "nevertheless", "such ", "this ", "these ",
    )
)  # fmt: skip


# Sentence openings that announce a new theme ("With the outbreak of the crisis, ...").
OPENERS = tuple(
    fold(w)
    for w in ("με το ξέσπασμα", "από την αρχή της κρίσης", "с начала", "после выборов",
              "since the start", "with the outbreak", "after the election")
)  # fmt: skip


def opens_theme(folded: str) -> bool:
    return folded.lstrip(' ,«"(-–').startswith(OPENERS)


def topic_of(folded: str) -> dict[str, int]:
    """Topic scores of a sentence (a cue counts once, however often it occurs)."""
    scores: dict[str, int] = {}
    for topic, words, weight in _TOPIC_CUES:
        for word in words:
            if _word_start(folded, word):
                scores[topic] = scores.get(topic, 0) + weight
    return scores


def _word_start(folded: str, cue: str) -> bool:
    pos = folded.find(cue)
    while pos != -1:
        if pos == 0 or not folded[pos - 1].isalnum():
            return True
        pos = folded.find(cue, pos + 1)
    return False


def starts_with_connective(folded: str) -> bool:
    head = folded.lstrip(' ,«"(-–')
    return head.startswith(CONNECTIVES)


def shifts_topic(folded: str, current: str | None) -> tuple[bool, str | None]:
    """(does this sentence open a new topic?, the topic the passage has after it)."""
    scores = topic_of(folded)
    if not scores:
        return False, current
    best = max(scores.values())
    leaders = {t for t, s in scores.items() if s == best}
    if current in leaders:
        return False, current
    if current is None:
        return False, sorted(leaders)[0] if len(leaders) == 1 else None
    if len(leaders) > 1 or starts_with_connective(folded):
        return False, current
    return True, next(iter(leaders))
