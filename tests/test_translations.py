"""One translation system (gettext, with Babel) for the window, the dossiers and the core's
messages: compiled at build time, plural forms, English whenever a translation is missing,
and a catalogue that would break a string at run time refused when it is compiled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from test_gui_main import translations_tool

from belarchive import i18n
from belarchive.cli import main

SEALED = ("Sealed {path}: {n} archived copy encrypted.",
          "Sealed {path}: {n} archived copies encrypted.")  # fmt: skip


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


def _catalogue(folder: Path, lang: str, entries: dict[str, str]) -> Path:
    catalog = Catalog(locale=lang)
    for source, text in entries.items():
        catalog.add(source, text)
    path = folder / lang / "LC_MESSAGES" / "belarchive.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as fh:
        write_po(fh, catalog)
    return path


@pytest.mark.parametrize(
    ("text", "why"),
    [("Λάθος για τον/την {nmae}", r"does not fill \(nmae\)"),
     ("Λάθος για {name", "malformed"),
     ("<b>{name}</b> λάθος", "markup differs")],
)  # fmt: skip
def test_a_broken_placeholder_is_caught_when_compiling(tmp_path: Path, text: str, why: str) -> None:
    tool = translations_tool()
    _catalogue(tmp_path, "el", {"Wrong passphrase for {name}.": text})
    with pytest.raises(tool.CatalogueError, match=why):
        tool.compile_catalogues(tmp_path)
    assert not list(tmp_path.rglob("*.mo"))  # nothing half-compiled is left to ship


def test_compiled_catalogues_are_what_the_program_reads(tmp_path: Path) -> None:
    tool = translations_tool()
    written = tool.compile_catalogues(tool.LOCALE, tmp_path)
    assert sorted(p.parent.parent.name for p in written) == ["be", "el", "ru"]
    import gettext

    with (tmp_path / "ru" / "LC_MESSAGES" / "belarchive.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    assert compiled.gettext("&File") == i18n.translation("ru").gettext("&File") != "&File"


def test_plural_forms_follow_each_language() -> None:
    i18n.set_language("ru")
    forms = [i18n.ngettext(*SEALED, n).format(path="M", n=n) for n in (1, 3, 5, 21, 112)]
    assert forms == [
        "Каталог M запечатан: зашифрована 1 архивная копия.",
        "Каталог M запечатан: зашифрованы 3 архивные копии.",
        "Каталог M запечатан: зашифровано 5 архивных копий.",
        "Каталог M запечатан: зашифрована 21 архивная копия.",
        "Каталог M запечатан: зашифровано 112 архивных копий.",
    ]
    i18n.set_language("el")
    assert "αντίγραφα" in i18n.ngettext(*SEALED, 2) and "αντίγραφο" in i18n.ngettext(*SEALED, 1)


def test_a_missing_translation_is_english_never_blank(tmp_path: Path) -> None:
    for lang in ("el", "ru", "be"):
        i18n.set_language(lang)
        assert i18n._("A sentence no catalogue has.") == "A sentence no catalogue has."
        assert i18n.gettext_in(lang, "A sentence no catalogue has.") is None  # Qt: source
    # An entry left empty by a translator is English too.
    import gettext

    _catalogue(tmp_path, "el", {"Check the rows": ""})
    tool = translations_tool()
    tool.compile_catalogues(tmp_path)
    with (tmp_path / "el" / "LC_MESSAGES" / "belarchive.mo").open("rb") as fh:
        assert gettext.GNUTranslations(fh).gettext("Check the rows") == "Check the rows"


def test_the_core_speaks_the_users_language_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / "S.belarchive")
    assert main(["init", path, "-u", "anna", "--encrypt"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("BELARCHIVE_LANG", "ru")
    monkeypatch.setenv("BELARCHIVE_PASSPHRASE", "not the passphrase")
    assert main(["list", "-C", path]) == 1
    assert "Неверная парольная фраза для anna" in capsys.readouterr().err
    monkeypatch.setenv("BELARCHIVE_LANG", "be")
    assert main(["list", "-C", path]) == 1
    assert "Няправільная парольная фраза для anna" in capsys.readouterr().err


def test_the_language_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BELARCHIVE_LANG", raising=False)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "el_GR.UTF-8")
    assert i18n.language_from_environment() == "el"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.language_from_environment() == "en"  # a language we do not have: English
    monkeypatch.setenv("BELARCHIVE_LANG", "be")
    assert i18n.language_from_environment() == "be"


def test_core_refusals_are_told_in_the_chosen_language() -> None:
    from belarchive.errors import ValidationError
    from belarchive.services import validation

    for lang, words in (("ru", "Заголовок пуст"), ("be", "Загаловак пусты"),
                        ("el", "Ο τίτλος είναι κενός"), ("en", "The title is empty")):  # fmt: skip
        i18n.set_language(lang)
        with pytest.raises(ValidationError, match=words):
            validation.title("   ")
    i18n.set_language("ru")
    with pytest.raises(ValidationError, match="Число 2\u00a0000\u00a0000\u00a0000 больше любого"):
        validation.figure_values("2000000000", None)


def test_a_search_syntax_error_is_told_in_the_window_language() -> None:
    from belarchive.errors import SearchQueryError
    from belarchive.search.query import parse as parse_query

    i18n.set_language("ru")
    with pytest.raises(SearchQueryError, match=r"Диапазон дат «2020-12\.\.2020-01»"):
        parse_query("date:2020-12..2020-01")
    i18n.set_language("el")
    with pytest.raises(SearchQueryError, match="Τα εισαγωγικά δεν κλείνουν"):
        parse_query('"Минск')


def test_no_module_that_translates_reuses_the_underscore_as_a_variable() -> None:
    """``left, _, right = …`` in a module that imports ``_`` from belarchive.i18n makes
    every ``_("…")`` of that function (or module) a call of a string: found here, not in
    front of a user whose refusal could not be told."""
    import ast

    root = Path(__file__).resolve().parent.parent / "belarchive"
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports_it = any(
            isinstance(n, ast.ImportFrom) and n.module == "belarchive.i18n"
            and any(a.name == "_" for a in n.names) for n in ast.walk(tree)
        )  # fmt: skip
        if not imports_it:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    assert found == []
