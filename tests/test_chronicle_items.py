"""Structured chronicles become one proposal per news item, dated and scoped as the text says."""

from __future__ import annotations

import pytest

from belarchive.domain.values import FigureScope
from belarchive.errors import ImportError_
from belarchive.importing.chronicle import decode_text, parse_chronicle
from belarchive.importing.chronicle.model import ProposedEvent


def _items(text: str, year: int = 2020) -> list[ProposedEvent]:
    return [e for e in parse_chronicle(text, year=year).events if not e.is_background]


def _figures(e: ProposedEvent) -> list[tuple[str, int, str, str]]:
    return [(f.kind.value, f.value_min, f.qualifier.value, f.scope.value) for f in e.figures]


DIGEST = """# Хроника

## Воскресенье, 8 ноября

- В Минске задержаны более 1 000 человек ([Вясна](https://spring96.org/ru/news/1)).
- В Гомеле задержали шестерых студентов.
  Источник: [Зеркало](https://zerkalo.io/news/2)

## Понедельник, 9 ноября

- Вчера в Бресте задержаны 15 человек.
- В воскресенье в Витебске задержаны 20 человек.
- С начала протестов задержаны более 25 000 человек.
- Суд отменил два ареста; студентку гимназии № 8 осудили на 15 суток.
"""


def test_each_bullet_is_an_item_dated_by_its_heading_or_its_words() -> None:
    items = _items(DIGEST)
    assert [(e.line_start, e.edtf, e.date_basis) for e in items] == [
        (5, "2020-11-08", "heading"),
        (6, "2020-11-08", "heading"),
        (11, "2020-11-08", "relative"),  # вчера, counted from 9 November
        (12, "2020-11-08", "relative"),  # в воскресенье
        (13, "2020-11-09", "heading"),
        (14, "2020-11-09", "heading"),
    ]
    assert "relative to 2020-11-09" in items[2].date_derivation
    assert items[1].line_end == 7  # the source line belongs to its item


def test_each_item_cites_its_own_source_with_a_publisher() -> None:
    first, second, *_ = _items(DIGEST)
    assert [(link.publisher, link.url) for link in first.links] == [
        ("Вясна", "https://spring96.org/ru/news/1")
    ]
    assert [(link.publisher, link.url) for link in second.links] == [
        ("Зеркало", "https://zerkalo.io/news/2")
    ]


def test_running_totals_are_scoped_and_undone_arrests_are_no_figures() -> None:
    items = _items(DIGEST)
    assert _figures(items[0]) == [("detained", 1000, "more_than", "incident")]
    assert _figures(items[1]) == [("detained", 6, "exact", "incident")]  # шестерых
    total = items[4].figures[0]
    assert (total.value_min, total.scope, total.period) == (
        25000,
        FigureScope.PERIOD,
        "../2020-11-09",
    )
    assert items[5].figures == []  # a cancelled arrest, a № and a sentence in days


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Всего за 9 августа – 3 ноября задержаны 25 800 человек.", "2020-08-09/2020-11-03"),
        ("Since 9 August, more than 25,000 people have been detained.", "2020-08-09/2020-11-09"),
        ("In total, 30,000 people have been detained.", "../2020-11-09"),
        ("На прошлой неделе задержаны более 1 500 человек.", "2020-11-02/2020-11-08"),
        ("Over the weekend 76 people were detained.", "2020-11-07/2020-11-08"),
        ("Από τις 9 Αυγούστου έχουν συλληφθεί συνολικά 25.000 άτομα .", "2020-08-09/2020-11-09"),
        ("З пачатку пратэстаў затрыманыя больш за 30 000 чалавек.", "../2020-11-09"),
        ("In October, more than 600 people were detained.", "2020-10-01/2020-10-31"),
    ],
)
def test_running_totals_in_four_languages(text: str, period: str) -> None:
    (item,) = _items(f"Date: 9 November 2020\n\n- {text}\n")
    (figure,) = item.figures
    assert (figure.scope, figure.period) == (FigureScope.PERIOD, period)


def test_a_part_of_a_figure_is_marked_and_keeps_its_wholes_scope() -> None:
    (item,) = _items(
        "## 8 ноября 2020\n\n- Задержаны более 1 000 человек, из них 20 журналистов.\n"
    )
    _, part = item.figures
    assert (part.value_min, part.part_of, part.scope) == (20, 0, FigureScope.INCIDENT)
    (greek,) = _items(
        "Στις 25 Μαρτίου συνελήφθησαν 200 άτομα .\nΑνάμεσά τους ήταν δέκα δημοσιογράφοι .\n"
    )
    assert [(f.value_min, f.part_of) for f in greek.figures] == [(200, None), (10, 0)]


def test_day_summaries_are_summary_records_whose_figures_are_the_days() -> None:
    text = (
        "## 2 ноября 2020\n\n- В Минске задержаны 5 человек.\n\n"
        "### Итоги дня\n\n- За день задержаны 17 человек.\n"
    )
    item, summary = _items(text)
    assert not item.is_summary and summary.is_summary
    assert (summary.figures[0].scope, summary.figures[0].period) == (
        FigureScope.PERIOD,
        "2020-11-02",
    )


def test_lookalike_letters_and_a_date_line_and_a_headline_with_a_month() -> None:
    text = (
        "Date: 9 November 2020\n\n- Police detained 12 people.\n\n"
        "# Cреда, 11 ноября\n\n### Август повторяется?\n\nВ Гомеле задержаны 40 человек.\n"
    )
    report = parse_chronicle(text, year=2020)
    assert [(s.line, s.edtf) for s in report.sections] == [(1, "2020-11-09"), (5, "2020-11-11")]
    assert [(e.line_start, e.edtf) for e in report.events] == [(3, "2020-11-09"), (7, "2020-11-11")]
    assert report.events[1].title == "Август повторяется?"  # a headline, not a date


def test_relative_days_in_english_greek_and_belarusian_reports() -> None:
    text = (
        "Date: 16 November 2020\n\n- Sunday's march: 1,127 people were detained.\n"
        "- Yesterday in Gomel 21 were detained.\n- Police detained 5 people today.\n"
        "- Tomorrow a march is planned.\n"
    )
    assert [e.edtf for e in _items(text)] == [
        "2020-11-15",
        "2020-11-15",
        "2020-11-16",
        "2020-11-17",
    ]
    be = (
        "## Панядзелак, 14 снежня 2020\n\n- Учора ў Мінску затрымалі 8 чалавек.\n"
        "- У нядзелю ў Гомелі затрымалі 11.\n"
    )
    assert [e.edtf for e in _items(be)] == ["2020-12-13", "2020-12-13"]
    el = "Στις 13 Νοεμβρίου 2020 έγινε απεργία .\nΤην Κυριακή συνελήφθησαν 300 άτομα .\n"
    assert [e.edtf for e in _items(el)] == ["2020-11-13", "2020-11-15"]


def test_a_named_or_described_single_arrest_counts_one() -> None:
    for text in (
        "On 23 May 2021 Raman Pratasevich was arrested.",
        "23 мая 2021 года в Минске задержали журналистку местной газеты.",
        "Στις 24 Νοεμβρίου 2020 ένας αναρχιστής συνελήφθη .",
    ):
        (item,) = _items(text, year=2021)
        assert _figures(item) == [("detained", 1, "exact", "incident")], text


def test_a_chronicle_pasted_twice_is_said_and_its_repeats_point_at_the_originals() -> None:
    once = (
        "## 8 ноября 2020\n\n- В Минске задержаны 300 человек.\n"
        "- В Бресте задержаны 20 человек.\n\n"
    )
    report = parse_chronicle(once + once, year=2020)
    assert any("repeats itself" in w for w in report.warnings)
    assert [e.duplicate_of for e in report.events] == [None, None, 0, 1]


def test_a_heading_with_no_items_and_a_link_without_address_are_reported() -> None:
    text = "## 8 ноября 2020\n\n## 9 ноября 2020\n\n- Задержаны 3 человека ([Meduza]()).\n"
    report = parse_chronicle(text, year=2020)
    assert any("line 1" in w and "no items" in w for w in report.warnings)
    assert any("no web address" in w for w in report.warnings)
    (item,) = report.events
    assert [(link.publisher, link.url) for link in item.links] == [("Meduza", "")]


def test_markdown_escapes_leave_the_text() -> None:
    (item,) = _items("## 8 ноября 2020\n\n- Марш \\(снова\\) прошёл\\!\n")
    assert item.text == "Марш (снова) прошёл!"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<!DOCTYPE html><html><body><p>9 November</p></body></html>", "web page"),
        ("Строка в UTF-8\n".encode() + "Строка в cp1251\n".encode("cp1251"), "mixes two"),
        (b"a" * 1_048_576, "characters long"),
    ],
)
def test_unusable_files_get_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(ImportError_, match=message):
        decode_text(data)


def test_last_week_dates_what_happened_but_only_scopes_a_count() -> None:
    text = (
        "Date: 16 November 2020\n\n- Last week police raided the office of Viasna.\n"
        "- Last week 1,500 people were detained.\n"
    )
    raid, total = _items(text)
    assert (raid.edtf, raid.date_basis) == ("2020-11-09/2020-11-15", "relative")
    assert total.edtf == "2020-11-16"  # the report; the count is the week's running total
    assert [(f.scope, f.period) for f in total.figures] == [
        (FigureScope.PERIOD, "2020-11-09/2020-11-15")
    ]
