"""Bad options, empty selections, cancelling, the batched loader, and the command line."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_dossier_fixtures import (
    Sample,
    needs_poppler,
    pdftotext,
    sample_catalogue,
    squash,
)

from belarchive.cli import main as cli_main
from belarchive.errors import Cancelled, ExportError, ValidationError
from belarchive.exporting.pdf import DossierOptions, build_dossier
from belarchive.exporting.pdf.data import load_details
from belarchive.storage.detail import load_event_detail


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    yield from sample_catalogue(tmp_path_factory)


@pytest.mark.parametrize(
    ("options", "error", "words"),
    [
        (DossierOptions(date_from="2020-12-01", date_to="2020-11-01"), ValidationError, "after"),
        (DossierOptions(date_from="2020-13-45"), ValidationError, "'from' date"),
        (DossierOptions(tags=("no-such-tag",)), ValidationError, "Unknown tag"),
        (DossierOptions(places=("Atlantis",)), ValidationError, "Unknown place"),
        (DossierOptions(statuses=("approved",)), ValidationError, "not a verification status"),
        (DossierOptions(lang="fr"), ValidationError, "not a dossier language"),
        (DossierOptions(template="novel"), ValidationError, "not a dossier template"),
    ],
)
def test_bad_options_are_refused_before_writing(
    sample: Sample, tmp_path: Path, options: DossierOptions, error: type, words: str
) -> None:
    out = tmp_path / "x.pdf"
    with pytest.raises(error) as info:
        build_dossier(sample.cat, options, out)
    assert words in info.value.message
    assert not out.exists() and not list(tmp_path.iterdir())


def test_unusable_output_paths(sample: Sample, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        build_dossier(sample.cat, DossierOptions(), tmp_path / "nope" / "x.pdf")
    with pytest.raises(ExportError, match="is a folder"):
        build_dossier(sample.cat, DossierOptions(), tmp_path)


def test_query_without_search_package_is_a_clear_error(
    sample: Sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulate an installation without the search package (None in sys.modules blocks it).
    monkeypatch.setitem(sys.modules, "belarchive.search.api", None)
    with pytest.raises(ExportError, match="Full-text search is not available"):
        build_dossier(sample.cat, DossierOptions(query="συλλήψεις"), tmp_path / "q.pdf")
    assert not list(tmp_path.iterdir())


@needs_poppler
def test_empty_selection_gives_a_short_dossier(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    result = build_dossier(sample.cat, DossierOptions(date_from="2030-01-01", lang="el"), out)
    assert result.incidents == 0 and result.pages <= 6
    text = squash(pdftotext(out))
    assert "Κανένα γεγονός του καταλόγου δεν αντιστοιχεί" in text
    assert "Συλλήψεις: δεν αναφέρονται αριθμοί" in text


def test_cancel_leaves_no_file(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "c.pdf"
    out.write_bytes(b"previous dossier")
    calls = iter(range(1000))
    with pytest.raises(Cancelled):
        build_dossier(sample.cat, DossierOptions(), out, cancel=lambda: next(calls) >= 3)
    assert out.read_bytes() == b"previous dossier"  # the old file is untouched
    assert [p.name for p in tmp_path.iterdir()] == ["c.pdf"]  # no temporary left over


def test_batched_loader_equals_load_event_detail(sample: Sample) -> None:
    uuids = [sample.detention, sample.death, sample.grodno, sample.protest]
    with sample.cat.session() as session:
        batched = list(load_details(session, uuids))
        single = [load_event_detail(session, u) for u in uuids]
    assert batched == single


@needs_poppler
def test_command_line_build_and_verify(
    sample: Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cli.pdf"
    cat = str(sample.cat.path)
    code = cli_main(
        [
            "dossier",
            "incident-log",
            "-C",
            cat,
            "--from",
            "2020-11-01",
            "--to",
            "2020-12-31",
            "--lang",
            "el",
            "-u",
            "anna",
            "-o",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr()
    assert "Wrote" in capsys.readouterr().out
    assert "Μαζικές συλλήψεις στο Μινσκ" in pdftotext(out)
    assert cli_main(["dossier", "verify", "-C", cat, str(out)]) == 0
    assert "OK: every page is the page that was written" in capsys.readouterr().out
    code = cli_main(
        [
            "dossier",
            "chronicle",
            "-C",
            cat,
            "--from",
            "2021-01",
            "--to",
            "2020-12",
            "-o",
            str(tmp_path / "bad.pdf"),
        ]
    )
    assert code == 1 and "after the 'to' date" in capsys.readouterr().err


@needs_poppler
def test_query_text_selects_through_search(sample: Sample, tmp_path: Path) -> None:
    if importlib.util.find_spec("belarchive.search.api") is None:
        pytest.skip("the search package is not installed here")
    out = tmp_path / "q.pdf"
    result = build_dossier(sample.cat, DossierOptions(query="Гродно"), out)
    assert result.incidents == 1
    text = squash(pdftotext(out))
    assert "Задержания в Гродно" in text and "Matching the search “Гродно”" in text
