"""Interface text in English, Greek, Russian and Belarusian, without a build step.

The source strings are English. ``JsonTranslator`` (a QTranslator) looks them up in
``resources/translations/<lang>.json`` and ``<lang>-extra.json`` (the other widgets' strings),
so Qt's own ``tr()`` machinery works and no ``lrelease`` step is needed. Lookups ignore the
context: one English phrase has one Greek rendering across the interface.
"""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from belarchive.config import resource

log = logging.getLogger(__name__)

LANGUAGES = {"en": "English", "el": "Ελληνικά", "ru": "Русский", "be": "Беларуская"}
_current = "en"
_installed: list[QTranslator] = []  # Qt does not own translators: keep them alive
_previous_locale: list[QLocale] = []


def load_catalogue(lang: str) -> dict[str, str]:
    """The merged translation dictionary for ``lang`` (empty for English)."""
    merged: dict[str, str] = {}
    for name in (f"{lang}.json", f"{lang}-extra.json"):
        path = resource("translations", name)
        if not path.exists():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.exception("translation file %s is unreadable; using English", path)
            continue
        merged.update({str(k): str(v) for k, v in data.items() if v and not k.startswith("_")})
    return merged


class JsonTranslator(QTranslator):
    def __init__(self, strings: dict[str, str]) -> None:
        super().__init__()
        self._strings = strings

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:  # fmt: skip
        # None becomes a null QString, which tells Qt "not translated here" so the English
        # source is shown. An empty string would be taken as the translation: every string
        # missing from the catalogue (and Qt's own, such as "%1" patterns) would go blank.
        return self._strings.get(source)

    def isEmpty(self) -> bool:
        return not self._strings


def install(app: QCoreApplication, lang: str) -> JsonTranslator | None:
    """Install the translator for ``lang``; keep the returned object alive with the app."""
    global _current
    _current = lang if lang in LANGUAGES else "en"
    if _current == "en":
        return None
    translator = JsonTranslator(load_catalogue(_current))
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
    _current = "en"


def current_language() -> str:
    """The interface language, also used for tag labels and human date readings."""
    return _current


def tr(text: str) -> str:
    """Translate an interface string (the one context every belarchive string uses)."""
    return QCoreApplication.translate("belarchive", text)
