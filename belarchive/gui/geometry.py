"""Window size and place on the screen in use (a 1366×768 laptop included)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def clamp_to_screen(window: QWidget) -> None:
    """A size and place saved on a bigger screen, made to fit this one: never larger
    than its free area, never off its edges (a laptop after a desk monitor)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None or window.isMaximized() or window.isFullScreen():
        return
    free = screen.availableGeometry()
    width = min(window.width(), max(free.width() - 16, 640))
    height = min(window.height(), max(free.height() - 40, 480))
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    x = min(max(window.x(), free.x()), free.x() + free.width() - window.width())
    y = min(max(window.y(), free.y()), free.y() + free.height() - window.height())
    if (x, y) != (window.x(), window.y()):
        window.move(max(x, free.x()), max(y, free.y()))


def fit_to_screen(window: QWidget) -> None:
    """The preferred 1360×840, shrunk to the screen's free area (a 1366×768 laptop has
    about 1366×740 under its panels) so the status bar is never off-screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(1360, 840)
        return
    free = screen.availableGeometry()
    # Leave room for the window frame the compositor adds around the client area.
    width, height = min(1360, free.width() - 16), min(840, free.height() - 40)
    window.resize(max(width, 640), max(height, 480))
    window.move(free.x() + (free.width() - window.width()) // 2, free.y())
