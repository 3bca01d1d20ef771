"""Places, actors and tags found in event text."""

from __future__ import annotations

import pytest

from belarchive.importing.chronicle import load_actor_lexicon, load_gazetteer, parse_chronicle
from belarchive.importing.chronicle.tags import sentence_tags

GAZETTEER = load_gazetteer()
ACTORS = load_actor_lexicon()


def place_keys(sentence: str) -> list[str]:
    return [p.key for p in GAZETTEER.find(sentence, 1)]


@pytest.mark.parametrize(
    ("sentence", "keys"),
    [
        ("στους δρόμους του Μινσκ", ["minsk"]),
        ("στην πόλη Γκόντνο , στο δυτικό μέρος", ["grodno"]),
        ("το Μινσκ , Γκόντνο και Μπρεστ", ["minsk", "grodno", "brest"]),
        ("των μεγάλων πόλεων της Λευκορωσίας", ["belarus"]),
        ("οι Λευκορώσοι και οι Λευκορωσικές αρχές", []),  # people and adjectives
        ("από την πλατεία Γιακούμπ Κολάς προς την πλατεία Ανεξαρτησίας",
         ["yakub_kolas_square", "independence_square"]),
        ("в Минске и Гродно", ["minsk", "grodno"]),
        ("В Брестской области задержаны", ["brest_region"]),
        ("на площади Независимости", ["independence_square"]),
        ("у Гродна і Брэсце", ["grodno", "brest"]),
        ("protests in Minsk, Brest and Grodno", ["minsk", "brest", "grodno"]),
        ("Minsker Straße, Brestovsky, Lidar", []),  # whole words only
        ("лидер протеста", []),
    ],
)  # fmt: skip
def test_places(sentence: str, keys: list[str]) -> None:
    assert place_keys(sentence) == keys


def test_actor_spellings_are_grouped_and_fuzzy_ones_flagged() -> None:
    text = (
        "Στις 13 Νοεμβρίου ο Ράμαν Μπαντάρεκα ξυλοκοπήθηκε .\n"
        "Ο Ράμαν Μπαντάρενκα πέθανε στο νοσοκομείο .\n"
        "Στις 14 Νοεμβρίου ο Αλεξάντερ Λουκασένκο δήλωσε κάτι ."
    )
    report = parse_chronicle(text, year=2020)
    (bandarenka,) = report.events[0].actors
    assert bandarenka.key == "bandarenka" and bandarenka.name == "Raman Bandarenka"
    assert bandarenka.matched == ["Μπαντάρεκα", "Ράμαν Μπαντάρενκα"] and bandarenka.needs_review
    (lukashenko,) = report.events[1].actors
    assert lukashenko.matched == ["Αλεξάντερ Λουκασένκο"] and not lukashenko.needs_review
    assert any("Μπαντάρεκα" in w and "review" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        ("η Μαρία Κολενσίκοβα απήχθη", "kolesnikova"),
        ("η Σβετλάνα Τσιχανόσκαγια είχε δεχθεί μυνήματα", "tsikhanouskaya"),
        ("похитили Марию Колесникову", "kolesnikova"),
        ("Тихановской пришлось уехать", "tsikhanouskaya"),
        ("ο ΟΑΣΕ σε έκθεσή του", "osce"),
        ("the EU said", "eu"),
        ("Λευκορωσική Αυτοκέφαλη Ορθόδοξη Εκκλησία αναθεμάτισε", "baoc"),
    ],
)
def test_actors(sentence: str, key: str) -> None:
    assert key in {h.key for h in ACTORS.find(sentence, 1)}


def test_acronyms_and_common_words_are_not_actors() -> None:
    assert not ACTORS.find("we went to the un-named square in spring", 1)
    assert not ACTORS.find("Αλεξάντερ Πούσκιν", 1)  # a first name alone pulls in no one


@pytest.mark.parametrize(
    ("sentence", "tag", "evidence"),
    [
        ("Η αστυνομία προχώρησε σε 340 συλλήψεις .", "detention", "συλλήψεις"),
        ("χιλιάδες διαδηλωτές βγήκαν", "protest", "διαδηλωτές"),
        ("οι αστυνομικοί τον βασάνισαν", "torture", "βασάνισαν"),
        ("η Μαρία Κολενσίκοβα απήχθη", "abduction", "απήχθη"),
        ("Πολλές φορές άτομα απελάθηκαν", "forced_exile", "απελάθηκαν"),
        ("η κυβέρνηση εκφόβιζε τακτικά", "intimidation", "εκφόβιζε"),
        ("πολλοί σταθμοί του μετρό ήταν κλειστοί", "shutdown", "μετρό"),
        ("ο Λουκασένκο δήλωσε ότι", "statement", "δήλωσε"),
        ("επέβαλαν κιόλας κυρώσεις", "sanction", "κυρώσεις"),
        ("ο ΟΑΣΕ σε έκθεσή του", "report", "έκθεσή"),
        ("Мобильный интернет был отключён.", "shutdown", "интернет"),
        ("Police used tear gas.", "police_violence", "tear gas"),
    ],
)
def test_tags(sentence: str, tag: str, evidence: str) -> None:
    assert (tag, evidence) in {(t.key, t.evidence) for t in sentence_tags(sentence)}


def test_open_metro_is_not_a_shutdown() -> None:
    sentence = "όλοι οι σταθμοί του μετρό ήταν ανοικτοί και το ίντερνετ ανεμπόδιστο"
    assert "shutdown" not in {t.key for t in sentence_tags(sentence)}


def test_international_actor_suggests_international_reaction() -> None:
    report = parse_chronicle("Στις 5 Νοεμβρίου ο ΟΑΣΕ δεν αναγνωρίζει τα αποτελέσματα .", year=2020)
    assert ("international_reaction", "ΟΑΣΕ") in {
        (t.key, t.evidence) for t in report.events[0].tags
    }
