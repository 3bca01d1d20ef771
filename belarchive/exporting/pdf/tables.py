"""Tables of the dossier: one style for every grid (header row, rules, shading)."""

from __future__ import annotations

from reportlab.platypus import Table, TableStyle

from belarchive.exporting.pdf.styles import RULE, SANS, SHADE

TABLE_CHUNK = 40  # rows per table: ReportLab re-measures a whole table at every split


def grid(
    rows: list[list[object]],
    widths: list[float],
    *,
    header: bool = True,
    extra: list[tuple[object, ...]] | None = None,
) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), SANS),  # plain-string cells default to Helvetica
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE)]
    table.setStyle(TableStyle(style + (extra or [])))
    return table
