"""Interface text in English, Greek, Russian and Belarusian: gettext (belarchive.i18n)
behind Qt's translator, so Qt's own ``tr()`` machinery and ours read one catalogue.

``GettextTranslator`` (a QTranslator) answers Qt's lookups from the language's gettext
catalogue. Lookups ignore the context: one English phrase has one rendering across the
interface. Qt's own strings (standard buttons, text-field menus) come from the
translations Qt ships.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from belarchive import i18n as core_i18n
from belarchive.i18n import LANGUAGES

log = logging.getLogger(__name__)

__all__ = ["LANGUAGES", "current_language", "install", "load_catalogue", "tr", "uninstall"]
_current = "en"
_installed: list[QTranslator] = []  # Qt does not own translators: keep them alive
_previous_locale: list[QLocale] = []


def load_catalogue(lang: str) -> dict[str, str]:
    """Every translated interface string of ``lang`` (empty for English)."""
    return core_i18n.messages(lang)


class GettextTranslator(QTranslator):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self._lang = lang

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:  # fmt: skip
        # None becomes a null QString, which tells Qt "not translated here" so the English
        # source is shown. An empty string would be taken as the translation: every string
        # missing from the catalogue (and Qt's own, such as "%1" patterns) would go blank.
        return core_i18n.gettext_in(self._lang, source)

    def isEmpty(self) -> bool:
        return False


def install(app: QCoreApplication, lang: str) -> GettextTranslator | None:
    """Install the translator for ``lang``; keep the returned object alive with the app.
    The core's messages (errors shown in dialogs) follow the same language."""
    global _current
    _current = core_i18n.set_language(lang)
    if _current == "en":
        return None
    translator = GettextTranslator(_current)
    app.installTranslator(translator)
    _installed.append(translator)
    _install_qt_own(app, _current)
    # Dates and numbers Qt formats (the timeline's axis, spin boxes) follow the language.
    _previous_locale.append(QLocale())
    QLocale.setDefault(QLocale(_current))
    return translator


def _install_qt_own(app: QCoreApplication, lang: str) -> None:
    """Qt's own strings (standard buttons, the context menu of text fields, shortcut names)
    from the translations Qt ships, where there is one for ``lang`` (Russian is; Greek and
    Belarusian are not, and stay English)."""
    qt = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(f"qtbase_{lang}", folder):
        app.installTranslator(qt)
        _installed.append(qt)


def uninstall(app: QCoreApplication) -> None:
    """Remove every translator this module installed (back to English)."""
    global _current
    while _installed:
        app.removeTranslator(_installed.pop())
    if _previous_locale:
        QLocale.setDefault(_previous_locale[0])
        _previous_locale.clear()
    _current = core_i18n.set_language("en")


def current_language() -> str:
    """The interface language, also used for tag labels and human date readings."""
    return _current


def size_text(size: int) -> str:
    """A file's size as the interface language writes it ("23.9 KiB", "219 байт")."""
    return QLocale().formattedDataSize(size)


def tr(text: str) -> str:
    """Translate an interface string (the one context every belarchive string uses)."""
    return QCoreApplication.translate("belarchive", text)
