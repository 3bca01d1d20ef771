"""Figures: what a number counts, its qualifier, and the numbers that are not figures."""

from __future__ import annotations

import pytest

from belarchive.domain.values import FigureKind as K
from belarchive.domain.values import Qualifier as Q
from belarchive.importing.chronicle.figures import sentence_figures
from belarchive.importing.chronicle.numbers import find_numbers
from belarchive.importing.chronicle.text import tokenize


def figures(sentence: str) -> list[tuple[K, int, int | None, Q]]:
    return [
        (f.kind, f.value_min, f.value_max, f.qualifier) for f in sentence_figures(sentence, 1, [])
    ]


DET, KIL, INJ, PAR = K.DETAINED, K.KILLED, K.INJURED, K.PARTICIPANTS
EX, AL, AP, MT, UT = Q.EXACT, Q.AT_LEAST, Q.APPROXIMATELY, Q.MORE_THAN, Q.UP_TO


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Η αστυνομία προχώρησε σε τουλάχιστον 340 συλλήψεις .", (DET, 340, None, AL)),
        ("Η αστυνομία συνέλαβε περίπου 390 άτομα , ενώ μάρτυρες είδαν .", (DET, 390, None, AP)),
        ("Παρόλα αυτά , περισσότεροι από 170 προσήχθησαν από τις αρχές .", (DET, 170, None, MT)),
        ("Οι συλλήψεις έφτασαν τις διακόσιες .", (DET, 200, None, EX)),
        ("Δύο δημοσιογράφοι συνελήφθησαν στην πόλη Γκόντνο .", (DET, 2, None, EX)),
        ("Οι συλλήψεις συνολικά υπολογίζονται σε πάνω από 30.000 .", (DET, 30000, None, MT)),
        ("Είχαν καταγραφεί τέσσερις θάνατοι διαδηλωτών .", (KIL, 4, None, EX)),
        ("Περισσότεροι από 1.000 συνταξιούχοι κατέβηκαν στους δρόμους .", (PAR, 1000, None, MT)),
        ("Не менее 200 человек задержаны в Минске.", (DET, 200, None, AL)),
        ("МВД сообщило о задержании более 2 000 человек.", (DET, 2000, None, MT)),
        ("В Гродно задержали сто человек.", (DET, 100, None, EX)),
        ("Около 100 тысяч человек приняли участие в марше.", (PAR, 100000, None, AP)),
        ("Задержаны до 100 человек.", (DET, 100, None, UT)),
        ("Задержаны от 200 до 300 человек.", (DET, 200, 300, EX)),
        ("At least 633 people were detained.", (DET, 633, None, AL)),
        ("About 100,000 marched through Minsk.", (PAR, 100000, None, AP)),
        ("Two hundred people were detained.", (DET, 200, None, EX)),
        ("Police detained over 300 people.", (DET, 300, None, MT)),
        ("Up to 351 were arrested.", (DET, 351, None, UT)),
        ("Five protesters were injured.", (INJ, 5, None, EX)),
        ("Police detained between 200 and 300 protesters.", (DET, 200, 300, EX)),
    ],
)  # fmt: skip
def test_figure(sentence: str, expected: tuple[K, int, int | None, Q]) -> None:
    assert figures(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "Ο 31ων ετών καλλιτέχνης ξυλοκοπήθηκε .",  # age glued to its suffix
        "Οι συλληφθέντες έφτασαν , με τον μεγαλύτερο να είναι 78 χρονών .",  # age
        "Αυτή ήταν η 20η συνεχόμενη Κυριακή .",  # ordinal
        "επί 26 χρόνια κυβερνεί σαν δικτάτορας",  # duration
        "Μάλιστα , το 1999 είχαν υπογράψει την συνθήκη .",  # year
        "( βλέπε σε αυτό το άρθρο παρ . 4.4 ) .",  # paragraph reference
        "Εκεί συμφωνήθηκε δάνειο που ξεπερνούσε τα 1 δισεκατομμύρια δολλάρια .",  # money
        "Καταγράφηκαν τουλάχιστον 70 διαφορετικές συγκεντρώσεις μόνο στο Μινσκ .",  # rallies
        "Σε αυτές συμμετείχαν περίπου μερικές χιλιάδες ατόμων .",  # vague
        "Δύο μέρες μετά τον θάνατο του νεαρού καλλιτέχνη , χιλιάδες διαδηλωτές βγήκαν .",
        "Студенты вышли на акции; задержаны несколько десятков человек.",  # vague
        "Протесты прошли в 30 городах.",  # cities
        "Sanctions were imposed on 40 officials.",
    ],
)
def test_not_a_figure(sentence: str) -> None:
    assert figures(sentence) == []


def test_age_next_to_a_real_figure() -> None:
    assert figures("At least 77 were detained, the oldest aged 78.") == [
        (K.DETAINED, 77, None, Q.AT_LEAST)
    ]


def test_single_death_without_a_number_is_killed_one_with_low_confidence() -> None:
    found = sentence_figures(
        "Μεταφέρθηκε σε νοσοκομείο , όμως επιβεβαιώθηκε ο θάνατός του .", 12, []
    )
    assert [(f.kind, f.value_min, f.evidence, f.line) for f in found] == [
        (K.KILLED, 1, "θάνατός του", 12)
    ]
    assert found[0].confidence <= 0.5
    # "the death of the young artist" (no possessive) restates an earlier death: no figure
    assert figures("δύο μέρες μετά τον θάνατο του νεαρού καλλιτέχνη") == []


def test_evidence_is_quoted_from_the_sentence() -> None:
    sentence = "Αναφέρθηκαν τουλάχιστον 12 συλλήψεις συνταξιούχων ."
    (fig,) = sentence_figures(sentence, 28, [])
    assert fig.evidence == "τουλάχιστον 12 συλλήψεις" and fig.evidence in fig.sentence


def test_dates_are_not_figures() -> None:
    sentence = "On 6 September two hundred people were detained."
    assert figures(sentence)[0][1] in (6, 200)  # without date spans the day is a candidate
    assert [f.value_min for f in sentence_figures(sentence, 1, [(3, 14)])] == [200]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("1.000 και 30.000", [1000, 30000]),
        ("1 000, 1,000 и 100 000", [1000, 1000, 100000]),
        ("7 тыс. человек", [7000]),
        ("δύο χιλιάδες", [2000]),
        ("two hundred and fifty", [250]),
        ("двести", [200]),
        ("4.4 και 2,5", []),
    ],
)
def test_numbers(text: str, values: list[int]) -> None:
    assert [n.value for n in find_numbers(text, tokenize(text))] == values
