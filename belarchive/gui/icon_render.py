"""The application icon drawn at the hicolor sizes, for ``belarchive desktop install``."""

from __future__ import annotations


def rendered_icons(sizes: tuple[int, ...]) -> dict[int, bytes]:
    """The icon drawn at each hicolor size (for desktops that do not scale SVG); none when
    Qt cannot draw here, and the scalable icon serves alone."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed to draw
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer
    from PySide6.QtWidgets import QApplication

    from belarchive import desktop
    from belarchive.config import read_resource

    # A widgets application, as the rest of belarchive expects of the one per process.
    _app = QApplication.instance() or QApplication([])
    renderer = QSvgRenderer(QByteArray(read_resource("desktop", f"{desktop.APP_ID}.svg")))
    if not renderer.isValid():
        return {}
    out: dict[int, bytes] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(0)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # PySide6 takes the format as text; its type stub says bytes.
        image.save(buffer, "PNG")  # type: ignore[call-overload]
        out[size] = bytes(data.data())
    return out
