"""Fonts and paragraph styles: the bundled DejaVu fonts, embedded, for Greek, Cyrillic, Latin.

ReportLab's built-in Helvetica has no Greek or Cyrillic (accented Greek turns into black
boxes), so every style uses DejaVu, registered once per process from resources/fonts.
Sober on purpose: black text, one accent colour for headings, grey for secondary lines.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from belarchive.config import resource
from belarchive.errors import ExportError
from belarchive.i18n import _

SANS, SANS_BOLD, SANS_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
SERIF, SERIF_BOLD = "DejaVuSerif", "DejaVuSerif-Bold"
_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SERIF: "DejaVuSerif.ttf",
    SERIF_BOLD: "DejaVuSerif-Bold.ttf",
}
_lock = threading.Lock()
_registered = False

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#5a5a5a")
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#b8bec6")
SHADE = colors.HexColor("#eef1f4")
WARN = colors.HexColor("#8a1c1c")
WARN_BG = colors.HexColor("#f8e9e9")


def register_fonts() -> None:
    """Register the DejaVu family once (thread-safe: the GUI exports from a worker)."""
    global _registered
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            path = resource("fonts", filename)
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except Exception as exc:  # a missing or damaged font file: say which
                raise ExportError(
                    _(
                        "The dossier font {filename} cannot be loaded from {parent}; reinstall "
                        "belarchive."
                    ).format(filename=filename, parent=path.parent),
                    detail=str(exc),
                ) from exc
        pdfmetrics.registerFontFamily(
            SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD
        )
        pdfmetrics.registerFontFamily(
            SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF, boldItalic=SERIF_BOLD
        )
        # Streams are Flate-compressed already; ASCII85 on top makes files ~25% larger and
        # cost ~6% of the layout time. (Process-wide: belarchive is ReportLab's only user.)
        rl_config.useA85 = 0
        _registered = True


@dataclass(frozen=True, slots=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    entry_head: ParagraphStyle
    body: ParagraphStyle
    total: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    cell_warn: ParagraphStyle
    cell_num: ParagraphStyle
    quote: ParagraphStyle
    mono: ParagraphStyle
    badge: ParagraphStyle
    toc: ParagraphStyle


def make_styles() -> Styles:
    register_fonts()

    def ps(name: str, **kw: object) -> ParagraphStyle:
        base: dict[str, object] = {
            "fontName": SANS,
            "fontSize": 9.5,
            "leading": 13,
            "textColor": INK,
            "alignment": TA_LEFT,
        }
        base.update(kw)
        return ParagraphStyle(name, **base)  # type: ignore[arg-type]

    return Styles(
        title=ps(
            "title", fontName=SERIF_BOLD, fontSize=24, leading=30, textColor=ACCENT, spaceAfter=10
        ),
        subtitle=ps(
            "subtitle", fontName=SERIF, fontSize=13, leading=18, textColor=MUTED, spaceAfter=18
        ),
        h1=ps(
            "h1",
            fontName=SERIF_BOLD,
            fontSize=16,
            leading=21,
            textColor=ACCENT,
            spaceBefore=4,
            spaceAfter=10,
        ),
        h2=ps("h2", fontName=SANS_BOLD, fontSize=11, leading=15, spaceBefore=10, spaceAfter=4),
        entry_head=ps(
            "entry_head",
            fontName=SERIF_BOLD,
            fontSize=11.5,
            leading=15,
            textColor=ACCENT,
            spaceBefore=6,
            spaceAfter=2,
        ),
        body=ps("body", spaceAfter=4),
        total=ps("total", fontSize=11, leading=16, spaceAfter=3),
        small=ps("small", fontSize=8.5, leading=11.5, spaceAfter=2),
        muted=ps("muted", fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=2),
        cell=ps("cell", fontSize=8, leading=10),
        cell_head=ps("cell_head", fontName=SANS_BOLD, fontSize=7.5, leading=10),
        cell_warn=ps("cell_warn", fontSize=7, leading=9, textColor=WARN),
        cell_num=ps("cell_num", fontSize=8, leading=10, alignment=2),
        quote=ps(
            "quote",
            fontName=SERIF,
            fontSize=8.5,
            leading=11.5,
            leftIndent=12,
            textColor=INK,
            spaceAfter=2,
        ),
        mono=ps("mono", fontSize=7, leading=9, splitLongWords=1),
        badge=ps(
            "badge", fontName=SANS_BOLD, fontSize=8, leading=10, textColor=WARN, alignment=TA_LEFT
        ),
        toc=ps("toc", fontSize=10.5, leading=18, alignment=TA_LEFT),
    )


CENTER = TA_CENTER
