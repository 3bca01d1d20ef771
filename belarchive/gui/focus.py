"""Keyboard focus that follows the screen and can always be seen.

Qt orders Tab by when widgets were made, not where they are; the window's regions were
made in another order than they are shown (the search box before the facets, the timeline's
controls before the editor's chips). ``chain`` puts them in screen order. Lists show a
frame while they have the focus: a row selection alone does not say where Tab went.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtWidgets import QAbstractItemView, QWidget

# The same width with and without the focus, so the rows do not move when it arrives.
FOCUS_FRAME = (
    "QAbstractItemView { border: 1px solid palette(mid); padding: 1px; } "
    "QAbstractItemView:focus { border: 2px solid palette(highlight); padding: 0px; }"
)


def chain(*widgets: QWidget | None) -> None:
    """Tab visits ``widgets`` in this order (the others keep their places between them)."""
    for first, second in pairwise(w for w in widgets if w is not None):
        QWidget.setTabOrder(first, second)


def show_focus(view: QAbstractItemView) -> None:
    """A highlighted frame around ``view`` while it has the keyboard focus."""
    view.setStyleSheet(FOCUS_FRAME)
