"""The cover, the table of contents, the summary and the integrity appendix."""

from __future__ import annotations

from collections.abc import Iterator
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from belarchive.errors import ResourceMissing
from belarchive.exporting.pdf.context import Ctx
from belarchive.exporting.pdf.flowables.chart import weekly_chart
from belarchive.exporting.pdf.flowables.markers import Anchor, PageRef
from belarchive.exporting.pdf.flowables.places_map import places_map
from belarchive.exporting.pdf.layout import FRAME_W
from belarchive.exporting.pdf.running import running_totals
from belarchive.exporting.pdf.styles import RULE, SANS, WARN, WARN_BG
from belarchive.exporting.pdf.tables import TABLE_CHUNK, grid
from belarchive.exporting.pdf.totals import KINDS, weekly_series


def _facts(ctx: Ctx, rows: list[tuple[str, str]]) -> Table:
    S = ctx.S
    data = [[Paragraph(escape(k), S.muted), Paragraph(v, S.body)] for k, v in rows]
    return grid(data, [42 * mm, FRAME_W - 42 * mm], header=False)  # type: ignore[arg-type]


def cover(ctx: Ctx) -> Iterator[Flowable]:
    L, S, s = ctx.L, ctx.S, ctx.summary
    verified = s.by_status.get("verified", 0)
    yield Spacer(1, 30 * mm)
    yield Paragraph("BELARCHIVE · DOSSIER", S.muted)
    yield Paragraph(escape(ctx.title), S.title)
    yield Paragraph(escape(ctx.selection_words), S.subtitle)
    counts = (
        f"<b>{L.number(s.incidents)}</b> {L['n_incidents']} "
        f"({L.number(verified)} {L['n_verified']}, "
        f"{L.number(s.incidents - verified)} {L['n_not_verified']}) · "
        f"<b>{L.number(len(s.sources))}</b> {L['n_sources']} · "
        f"<b>{L.number(len(ctx.files))}</b> {L['n_files']}"
    )
    yield _facts(
        ctx,
        [
            (
                L["catalogue"],
                f"{escape(ctx.catalogue_name)}<br/><font size=7.5>{ctx.catalogue_id}</font>",
            ),
            (
                L["generated"],
                f"{escape(L.moment(ctx.generated_at))} {L['generated_by']} "
                f"<b>{escape(ctx.generated_by)}</b>",
            ),
            (L["counts"], counts),
            (
                L["audit_head"],
                f"{L['audit_seq']} {ctx.audit_seq} · <font size=7.5>{ctx.audit_hash}</font>",
            ),
        ],
    )
    yield Spacer(1, 8 * mm)
    # Only a dossier that can hold unverified entries needs to explain the mark.
    unverified = "" if ctx.checked.options.verified_only else L["legend_unverified"]
    yield Paragraph(escape(unverified + L["legend"]), S.muted)
    notes = _redaction_words(ctx)
    if notes:
        yield Spacer(1, 6 * mm)
        yield Paragraph(escape(L["redacted"].format(notes)), S.body)
    bad = [f for f in ctx.files if f.check != "ok"]
    if bad:
        yield Spacer(1, 4 * mm)
        yield _warning(ctx, L["file_warning"].format(len(bad)))
    if not s.incidents:
        yield Spacer(1, 6 * mm)
        yield _warning(ctx, L["empty"])
    yield NextPageTemplate("body")
    yield PageBreak()


def _redaction_words(ctx: Ctx) -> str:
    o, L = ctx.checked.options, ctx.L
    parts = [L["r_names"]] if o.pseudonymise else []
    if not o.annotations:
        parts.append(L["r_annotations"])
    if not o.internal_notes:
        parts.append(L["r_notes"])
    return "; ".join(parts) if o.pseudonymise or o.verified_only else ""


def _warning(ctx: Ctx, text: str) -> Table:
    t = Table([[Paragraph(escape(text), ctx.S.badge)]], colWidths=[FRAME_W])
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), WARN_BG),
                ("FONTNAME", (0, 0), (-1, -1), SANS),
                ("BOX", (0, 0), (-1, -1), 0.6, WARN),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return t


def toc(ctx: Ctx, entries: list[tuple[str, str, int]]) -> Iterator[Flowable]:
    """Contents: (title, anchor key, level); page numbers arrive as forms (markers.py)."""
    yield Paragraph(escape(ctx.L["contents"]), ctx.S.h1)
    rows = []
    for title, key, level in entries:
        # Same style on every level (indent only) so the page-number forms share a baseline.
        text = f"<b>{escape(title)}</b>" if level == 0 else "&nbsp;" * 8 + escape(title)
        rows.append(
            [
                Paragraph(text, ctx.S.toc),
                PageRef(key, width=50, height=ctx.S.toc.leading, baseline=ctx.S.toc.fontSize),
            ]
        )
    if rows:
        table = Table(rows, colWidths=[FRAME_W - 50, 50])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), SANS),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        yield table
    yield PageBreak()


def summary(ctx: Ctx) -> Iterator[Flowable]:
    L, S, s = ctx.L, ctx.S, ctx.summary
    yield Anchor("summary", ctx.pages, L["summary"])
    yield Paragraph(escape(L["summary"]), S.h1)
    yield Paragraph(escape(L["totals_title"]), S.h2)
    for kind in KINDS:
        t = s.totals[kind]
        kind_word = L[f"kind_{kind}"]
        if not t.incidents:
            yield Paragraph(escape(L["none_reported"].format(kind=L[f"total_{kind}"])), S.body)
            continue
        line = L["total_line"].format(
            q=escape(L["at_least"]) if t.minimum else "",
            n=L.number(t.people),
            people=L.plural("people", t.people),
            kind=escape(kind_word),
            kind_name=escape(L[f"total_{kind}"]),
            m=L.number(t.incidents),
            incidents=L.plural("incident", t.incidents),
        )
        yield Paragraph(f"{line[0].upper()}{line[1:]}", S.total)
    yield Paragraph(escape(L["totals_rule"]), S.muted)
    yield Spacer(1, 3 * mm)
    series = weekly_series(s.detained_per_week)
    yield Paragraph(escape(L["chart_title"]), S.h2)
    if series:
        yield weekly_chart(series, FRAME_W, "", day_label=lambda d: f"{d:%d.%m.%y}")
    else:
        yield Paragraph(escape(L["chart_empty"]), S.muted)
    yield from running_totals(ctx)
    yield from _places_map(ctx)
    yield from _breakdowns(ctx)
    yield PageBreak()


def _places_map(ctx: Ctx) -> Iterator[Flowable]:
    """The selection's events by place, on the window's map (places with coordinates)."""
    places = list(ctx.summary.by_place.values())
    if not places:
        return
    try:
        drawing = places_map([(ctx.redactor.text(n), lat, lon, k) for n, lat, lon, k in places],
                             FRAME_W)  # fmt: skip
    except ResourceMissing:
        return  # an installation without the map's data: the dossier is whole without it
    yield KeepTogether([Paragraph(escape(ctx.L["map_title"]), ctx.S.h2), drawing,
                        Paragraph(escape(ctx.L["map_note"]), ctx.S.muted)])  # fmt: skip


def _breakdowns(ctx: Ctx) -> Iterator[Flowable]:
    L, S, s = ctx.L, ctx.S, ctx.summary
    tags = sorted(s.by_tag.items(), key=lambda kv: (-kv[1], ctx.tag_labels.get(kv[0], kv[0])))
    statuses = sorted(s.by_status.items(), key=lambda kv: -kv[1])
    half = (FRAME_W - 8 * mm) / 2

    def mini(title: str, pairs: list[tuple[str, int]]) -> Table:
        rows = [[Paragraph(escape(title), S.cell_head), ""]]
        rows += [
            [Paragraph(escape(k), S.cell), Paragraph(L.number(v), S.cell_num)] for k, v in pairs
        ]
        return grid(rows, [half - 16 * mm, 16 * mm])  # type: ignore[arg-type]

    left = mini(L["by_type"], [(ctx.tag_labels.get(k, k), n) for k, n in tags])
    right = mini(L["by_status"], [(L.status(k), n) for k, n in statuses])
    outer = Table([[left, "", right]], colWidths=[half, 8 * mm, half])
    outer.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SANS),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    yield CondPageBreak(40 * mm)
    yield Spacer(1, 4 * mm)
    yield outer


def appendix(ctx: Ctx, filter_json: str) -> Iterator[Flowable]:
    L, S = ctx.L, ctx.S
    yield PageBreak()
    yield Anchor("appendix", ctx.pages, L["appendix"])
    yield Paragraph(escape(L["appendix"]), S.h1)
    yield Paragraph(escape(L["appendix_intro"]), S.body)
    yield KeepTogether(
        [
            Paragraph(escape(L["audit_head"]), S.h2),
            Paragraph(
                f"{L['audit_seq']} <b>{ctx.audit_seq}</b><br/>"
                f"<font size=8>SHA-256 {ctx.audit_hash}</font>",
                S.body,
            ),
            Paragraph(escape(L["manifest_digest"]), S.h2),
            Paragraph(f"<font size=8>{ctx.manifest_sha256}</font>", S.body),
            Paragraph(escape(L["filter_used"]), S.h2),
            Paragraph(escape(ctx.selection_words), S.body),
            Paragraph(escape(filter_json), S.mono),
        ]
    )
    yield Paragraph(escape(L["files_title"]), S.h2)
    if not ctx.files:
        yield Paragraph(escape(L["files_none"]), S.muted)
        return
    yield from _file_tables(ctx)


def _file_tables(ctx: Ctx) -> Iterator[Flowable]:
    L, S = ctx.L, ctx.S
    head = [
        Paragraph(escape(L[k]), S.cell_head)
        for k in ("col_no", "col_file", "col_size", "col_sha", "col_check")
    ]
    widths = [11 * mm, 46 * mm, 20 * mm, FRAME_W - 117 * mm, 40 * mm]
    checks = {"ok": L["check_ok"], "changed": L["check_changed"], "missing": L["check_missing"]}
    for start in range(0, len(ctx.files), TABLE_CHUNK):
        rows: list[list[object]] = [list(head)]
        extra: list[tuple[object, ...]] = []
        for i, f in enumerate(ctx.files[start : start + TABLE_CHUNK], start=1):
            fid = ctx.file_ids[f.sha256]
            source = ctx.summary.attachments.get(f.sha256, ("", 0, ""))[2]
            rows.append(
                [
                    Paragraph(fid, S.cell),
                    Paragraph(
                        f"{escape(f.name)}<br/><font color='#5a5a5a'>{ctx.esc(source)}</font>",
                        S.cell,
                    ),
                    Paragraph(f"{L.number(f.size)} {L['bytes']}", S.cell_num),
                    Paragraph(f.sha256, S.mono),
                    Paragraph(
                        escape(checks.get(f.check, f.check)), S.cell if f.check == "ok" else S.badge
                    ),
                ]
            )
            if f.check != "ok":
                extra.append(("BACKGROUND", (0, i), (-1, i), WARN_BG))
        yield grid(rows, widths, extra=extra)
