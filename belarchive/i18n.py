"""One translation system for the interface, the dossiers and the core's messages: gettext.

Why gettext (with Babel) rather than Qt's .ts/.qm: the core must never import Qt, yet its
messages reach people (the CLI, error dialogs), and the dossiers are written without Qt
too. gettext serves all three from one catalogue per language, with plural forms, and its
``.po`` files are what translators' tools (Poedit, Weblate) read. Babel extracts the
strings, checks and compiles the catalogues, and knows each language's plural rule.

Layout: ``resources/locale/belarchive.pot`` (the template, extracted from the code) and
``resources/locale/<lang>/LC_MESSAGES/belarchive.po``. The build compiles them to ``.mo``
(``packaging/translations.py``; never committed). A source checkout without compiled
catalogues reads the ``.po`` directly, so development needs no build step.

Source strings are English. A missing or empty translation is the English text, never a
blank. Dossier labels carry a context (``dossier.<key>``); interface strings none.
"""

from __future__ import annotations

import gettext
import io
import logging
import os
from functools import lru_cache

from belarchive.config import resource

log = logging.getLogger(__name__)

DOMAIN = "belarchive"
LANGUAGES = {"en": "English", "el": "Ελληνικά", "ru": "Русский", "be": "Беларуская"}
_default = ["en"]


def locale_dir() -> str:
    return str(resource("locale"))


@lru_cache(maxsize=8)
def translation(lang: str) -> gettext.NullTranslations:
    """The catalogue for ``lang`` (English: no catalogue, the source strings)."""
    if lang not in LANGUAGES or lang == "en":
        return gettext.NullTranslations()
    folder = resource("locale", lang, "LC_MESSAGES")
    compiled, source = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    try:
        # A compiled catalogue older than its source (a checkout after a bundle build) would
        # hide the newest translations: the source wins then.
        if compiled.exists() and (
            not source.exists() or compiled.stat().st_mtime >= source.stat().st_mtime
        ):
            with compiled.open("rb") as fh:
                return gettext.GNUTranslations(fh)
        return _from_po(source)
    except (OSError, ValueError) as exc:
        log.error("the %s translation cannot be read (%s); using English", lang, exc)
        return gettext.NullTranslations()


def _from_po(path: os.PathLike[str]) -> gettext.NullTranslations:
    """A source checkout: compile the .po in memory (Babel), as the build would."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        catalog = read_po(fh)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(lang: str) -> str:
    """The language of the core's messages in this process (the CLI's, the window's)."""
    chosen = lang if lang in LANGUAGES else "en"
    _default[0] = chosen
    return chosen


def current_language() -> str:
    return _default[0]


def language_from_environment() -> str:
    """$BELARCHIVE_LANG, else the first of $LANGUAGE/$LC_ALL/$LC_MESSAGES/$LANG we have."""
    wanted = os.environ.get("BELARCHIVE_LANG", "")
    if not wanted:
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            value = os.environ.get(name, "")
            if value:
                wanted = value.split(":")[0]
                break
    code = wanted.split("_")[0].split(".")[0].lower()
    return code if code in LANGUAGES else "en"


def _(message: str) -> str:
    """Translate ``message`` into the current language (the English text when missing)."""
    return translation(_default[0]).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` (Russian and Belarusian have three)."""
    return translation(_default[0]).ngettext(singular, plural, n)


def pgettext_in(lang: str, context: str, message: str) -> str:
    """``message`` (with ``context``) in ``lang``, whatever the current language."""
    if not message:
        return message
    return translation(lang).pgettext(context, message)


def gettext_in(lang: str, message: str) -> str | None:
    """``message`` in ``lang``, or None where the catalogue has no translation for it (Qt
    then shows its source text)."""
    found = translation(lang).gettext(message)
    return None if found == message else found


def number(value: int) -> str:
    """A count written as the current language writes it (2,000 · 2.000 · 2 000), by Babel."""
    from decimal import InvalidOperation

    from babel.numbers import format_decimal

    try:
        return str(format_decimal(value, locale=_default[0]))
    except (InvalidOperation, ValueError, OverflowError):  # beyond Babel's precision (10^25)
        return f"{value:,}"


def messages(lang: str) -> dict[str, str]:
    """Every translated interface string of ``lang`` (msgid → msgstr; checks, tests)."""
    table = getattr(translation(lang), "_catalog", {})
    return {k: v for k, v in table.items() if isinstance(k, str) and k and v and "\x04" not in k}
