"""The translation workflow (gettext, with Babel): extract, update, check, compile.

    .venv/bin/python packaging/translations.py extract   # the code's strings -> belarchive.pot
    .venv/bin/python packaging/translations.py update    # merge the template into each .po
    .venv/bin/python packaging/translations.py check     # all translated, placeholders kept
    .venv/bin/python packaging/translations.py compile [DIR]   # .po -> .mo (the build does this)

Strings are marked in the code with ``tr()`` (the window), ``_()``/``ngettext()`` (the core,
``belarchive.i18n``) and Qt's ``self.tr()``/``QCoreApplication.translate()``. Dossier labels
are data (``exporting/pdf/i18n.py``), added to the template under ``dossier.<key>``.

Compiling refuses a catalogue whose translation drops or invents a ``{placeholder}`` or
breaks a ``<b>…</b>`` tag: caught at build time, not in front of a reader. The ``.mo``
files are build products: ``setup.py`` compiles them into the wheel, ``build.sh`` into the
bundle; they are never committed.
"""

from __future__ import annotations

import json
import re
import string
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "resources" / "locale"
DOMAIN = "belarchive"
LANGS = ("el", "ru", "be")
KEYWORDS = {
    "tr": None,
    "_": None,
    "ngettext": (1, 2),
    "translate": (2,),  # QCoreApplication.translate(context, text)
}
METHODS = [("**.py", "python")]
_TAG = re.compile(r"</?[a-z]+>")


class CatalogueError(Exception):
    """A translation that would break the program: refused at build time."""


MessageId = str | tuple[str, str]


def code_strings() -> dict[MessageId, list[tuple[str, int]]]:
    """Every marked string of the code (a (singular, plural) pair for ngettext), with where
    it is (file, line)."""
    found: dict[MessageId, list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "belarchive"), METHODS, keywords=KEYWORDS, strip_comment_tags=True
    ):
        text = tuple(message[:2]) if isinstance(message, tuple) else message
        if text and all(text):
            found.setdefault(text, []).append((f"belarchive/{filename}", lineno))  # type: ignore[arg-type]
    return found


def dossier_strings() -> Iterator[tuple[str, str]]:
    """(context, English) of every dossier label."""
    sys.path.insert(0, str(ROOT))
    from belarchive.exporting.pdf import i18n as labels

    groups = {"": labels._EN, "status.": labels._STATUS["en"],
              "qualifier.": labels._QUALIFIER["en"], "role.": labels._ROLE["en"]}  # fmt: skip
    for prefix, english in groups.items():
        for key, text in english.items():
            if text:
                yield f"dossier.{prefix}{key}", text


def template() -> Catalog:
    pot = Catalog(project="belarchive", copyright_holder="belarchive developers",
                  msgid_bugs_address="", fuzzy=False)  # fmt: skip
    for text, places in sorted(code_strings().items(), key=lambda item: str(item[0])):
        pot.add(text, locations=places)
    for context, text in dossier_strings():
        pot.add(text, context=context)
    for text in runtime_strings():
        if pot.get(text) is None:
            pot.add(text, auto_comments=["computed at run time (runtime-strings.json)"])
    return pot


def runtime_strings() -> list[str]:
    """Strings the code translates at run time (``tr(variable)``): rule reasons, month
    names, vocabulary labels; declared in ``resources/locale/runtime-strings.json``."""
    data = json.loads((LOCALE / "runtime-strings.json").read_text(encoding="utf-8"))
    return [str(s) for s in data["strings"]]


def _read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _write(path: Path, catalog: Catalog) -> None:
    """Through a temporary file: a failure never leaves half a catalogue."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=False, omit_header=False)
    tmp.replace(path)


def po_path(lang: str, root: Path = LOCALE) -> Path:
    return root / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


# Placeholders a translation may use beyond its English source, because the code supplies
# them (the English sentence does not need them).
EXTRA_PLACEHOLDERS = {"dossier.total_line": {"kind_name"}}


def _fields(text: str) -> set[str]:
    """The ``{name}`` fields of a format string (ValueError if it is malformed)."""
    return {name.split(".")[0].split("[")[0] for _lit, name, _spec, _conv
            in string.Formatter().parse(text) if name is not None}  # fmt: skip


def broken(message: Message) -> str | None:
    """Why a translation would break its string at run time, or None: a placeholder the code
    does not fill (a KeyError in front of the reader), a malformed one, or lost markup."""
    source = message.id if isinstance(message.id, str) else message.id[0]
    texts = message.string if isinstance(message.string, tuple) else (message.string,)
    for text in texts:
        if not text:
            continue
        try:
            invented = _fields(text) - _fields(source) - EXTRA_PLACEHOLDERS.get(
                message.context or "", set())  # fmt: skip
        except ValueError:
            return f"a malformed placeholder: {source!r} -> {text!r}"
        if invented:
            return f"placeholders the code does not fill ({', '.join(sorted(invented))}): {text!r}"
        if sorted(_TAG.findall(text)) != sorted(_TAG.findall(source)):
            return f"markup differs: {source!r} -> {text!r}"
    return None


def problems(lang: str, root: Path = LOCALE) -> list[str]:
    """Untranslated strings of the template and translations that would break."""
    catalog = _read(po_path(lang, root))
    found = []
    for message in catalog:
        if not message.id:
            continue
        if not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            found.append(f"{lang}: untranslated: {message.id!r}")
        elif (why := broken(message)) is not None:
            found.append(f"{lang}: {why}")
    wanted = {(m.context, str(m.id)) for m in template() if m.id}
    have = {(m.context, str(m.id)) for m in catalog if m.id}
    found += [f"{lang}: missing from the catalogue: {mid!r}" for _c, mid in sorted(
        wanted - have, key=str)]  # fmt: skip
    return found


def compile_catalogues(source: Path = LOCALE, target: Path | None = None) -> list[Path]:
    """Each ``<lang>/LC_MESSAGES/belarchive.po`` under ``source`` compiled to ``.mo`` (beside
    it, or under ``target``); CatalogueError names the first translation that would break."""
    written = []
    for po in sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        catalog = _read(po)
        for message in catalog:
            if message.id and (why := broken(message)) is not None:
                raise CatalogueError(f"{po.relative_to(source)}: {why}")
        out = (target or source) / po.relative_to(source).with_suffix(".mo")
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        written.append(out)
    return written


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        _write(LOCALE / f"{DOMAIN}.pot", template())
    elif command == "update":
        pot = template()
        for lang in LANGS:
            catalog = _read(po_path(lang))
            catalog.update(pot, no_fuzzy_matching=True)
            _write(po_path(lang), catalog)
    elif command == "compile":
        try:
            written = compile_catalogues(LOCALE, Path(argv[1]) if len(argv) > 1 else None)
        except CatalogueError as exc:
            print(f"translations: {exc}", file=sys.stderr)
            return 1
        print(f"compiled {len(written)} catalogues")
    elif command == "check":
        found = [p for lang in LANGS for p in problems(lang)]
        print("\n".join(found) or "every string translated; placeholders and markup kept")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
