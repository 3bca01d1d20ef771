"""The incident table and one entry per incident (description, figures, sources, review).

Entries that are not verified say so in the table and in the entry's heading, every time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
)

from belarchive.domain.review_story import review_story
from belarchive.exporting.pdf.context import Ctx, counted_text, is_verified
from belarchive.exporting.pdf.flowables.markers import Anchor
from belarchive.exporting.pdf.i18n import Labels
from belarchive.exporting.pdf.layout import FRAME_W
from belarchive.exporting.pdf.styles import RULE, SANS, WARN_BG
from belarchive.exporting.pdf.tables import TABLE_CHUNK, grid
from belarchive.exporting.pdf.totals import incident_figure
from belarchive.storage.detail import CitationInfo, EventDetail, FigureInfo

COLS = (
    "col_no",
    "col_date",
    "col_place",
    "col_type",
    "col_detained",
    "col_killed",
    "col_status",
    "col_sources",
)
WIDTHS = [10 * mm, 24 * mm, 25 * mm, 0.0, 19 * mm, 15 * mm, 31 * mm, 15 * mm]
WIDTHS[3] = FRAME_W - sum(WIDTHS)
_PLAIN_CELLS: list[tuple[object, ...]] = [
    ("FONTSIZE", (0, 1), (-1, -1), 8),
    ("LEADING", (0, 1), (-1, -1), 10),
    ("ALIGN", (4, 1), (5, -1), "RIGHT"),
    ("ALIGN", (7, 1), (7, -1), "RIGHT"),
]


def status_cell(ctx: Ctx, d: EventDetail) -> str:
    if is_verified(d):
        return escape(ctx.L.status(d.status))
    mark = f"<b>{escape(ctx.L['not_verified_mark'])}</b>"
    return mark if d.status == "unverified" else f"{mark}<br/>{escape(ctx.L.status(d.status))}"


def incident_table(ctx: Ctx, details: Sequence[EventDetail]) -> Iterator[Flowable]:
    L, S = ctx.L, ctx.S
    yield Anchor("table", ctx.pages, L["incident_table"])
    yield Paragraph(escape(L["incident_table"]), S.h1)
    head = [Paragraph(escape(L[c]), S.cell_head) for c in COLS]
    for start in range(0, len(details), TABLE_CHUNK):
        rows: list[list[object]] = [list(head)]
        extra: list[tuple[object, ...]] = list(_PLAIN_CELLS)
        for i, d in enumerate(details[start : start + TABLE_CHUNK], start=1):
            # Numbers are plain strings: a Paragraph per cell doubled the table's cost.
            rows.append(
                [
                    str(start + i),
                    Paragraph(escape(ctx.date(d)), S.cell),
                    Paragraph(escape(ctx.places(d)), S.cell),
                    Paragraph(escape(ctx.types(d)), S.cell),
                    counted_text(incident_figure(d, "detained"), L),
                    counted_text(incident_figure(d, "killed"), L),
                    Paragraph(status_cell(ctx, d), S.cell if is_verified(d) else S.cell_warn),
                    L.number(len({c.source.uuid for c in d.citations})),
                ]
            )
            if not is_verified(d):
                extra.append(("BACKGROUND", (6, i), (6, i), WARN_BG))
        yield grid(rows, WIDTHS, extra=extra)
    yield PageBreak()


def entries(ctx: Ctx, details: Sequence[EventDetail]) -> Iterator[Flowable]:
    """All entries; a month anchor (and outline level) before each new month."""
    L, S = ctx.L, ctx.S
    yield Anchor("entries", ctx.pages, L["entries"])
    yield Paragraph(escape(L["entries"]), S.h1)
    month = None
    for n, d in enumerate(details, start=1):
        key = d.date_earliest.strftime("%Y-%m") if d.date_earliest else "undated"
        if key != month:
            month = key
            label = L.edtf(key) if key != "undated" else L["undated"]
            yield CondPageBreak(60 * mm)
            yield Anchor(f"m-{key}", ctx.pages, label, level=1)
            yield Paragraph(escape(label), S.h2)
        yield from entry(ctx, n, d)


def entry(ctx: Ctx, n: int, d: EventDetail) -> Iterator[Flowable]:
    L, S = ctx.L, ctx.S
    head: list[Flowable] = [
        Anchor(f"e-{d.uuid}", ctx.pages, on_draw=ctx.on_entry),
        Paragraph(f"{n}. {escape(ctx.date(d))} · {escape(ctx.places(d))}", S.muted),
        Paragraph(ctx.esc(d.title), S.entry_head),
        Paragraph(_verification(ctx, d), S.small if is_verified(d) else S.badge),
    ]
    if d.tags:
        head.append(Paragraph(f"<b>{escape(L['tags'])}:</b> {escape(ctx.types(d))}", S.small))
    yield CondPageBreak(35 * mm)
    yield KeepTogether(head)
    desc = d.description.strip()
    for para in desc.split("\n\n") if desc else []:
        yield Paragraph(ctx.esc(para).replace("\n", "<br/>"), S.body)
    if not desc:
        yield Paragraph(escape(L["description_none"]), S.muted)
    yield from _figures(ctx, d)
    yield from _people(ctx, d)
    yield from _citations(ctx, d)
    yield from _annotations(ctx, d)
    yield Spacer(1, 2 * mm)
    yield HRFlowable(width="100%", thickness=0.4, color=RULE, spaceBefore=2, spaceAfter=6)


def review_words(L: Labels, d: EventDetail) -> str:
    """Who brought the event to its status (domain/review_story.py), in the dossier's
    language."""
    story = review_story(d.status, d.status_history)
    if story.kind == "none" or story.when is None:
        return str(L["no_review"])
    when = L.day(story.when.date())
    if story.kind == "reopened" and story.reopened_at is not None:
        then = L.day(story.reopened_at.date())
        return str(L["reopened"].format(story.who, when, story.reopened_by, then))
    return str(L["reviewed_by" if story.kind == "decided" else "sent_to_review"]
               .format(story.who, when))  # fmt: skip


def _verification(ctx: Ctx, d: EventDetail) -> str:
    L = ctx.L
    decided = [h for h in d.status_history if h.to_status == d.status]
    who = review_words(L, d)
    text = f"{escape(L['status_prefix'])}: {escape(L.status(d.status))} — {escape(who)}"
    if ctx.checked.options.internal_notes and decided and decided[-1].note:
        text += f" · {escape(L['note'])}: {ctx.esc(decided[-1].note)}"
    if not is_verified(d):
        return f"{escape(L['not_verified_mark'])} · {text}"
    return text


def _figure_line(
    ctx: Ctx, f: FigureInfo, cite_no: dict[str, int], cites: dict[str, CitationInfo]
) -> str:
    L = ctx.L
    value = (
        f"{L.number(f.value_min)}–{L.number(f.value_max)}"
        if f.value_max is not None
        else L.number(f.value_min)
    )
    text = f"<b>{escape(L.qualifier(f.qualifier))}{value}</b> {escape(L[f'kind_{f.kind}'])}"
    if f.citation_uuid and f.citation_uuid in cites:
        c = cites[f.citation_uuid]
        text += (
            f" — {escape(L['figure_from'])} <i>{ctx.esc(c.source.publisher or c.source.title)}"
            f"</i> [{cite_no[f.citation_uuid]}]"
        )
    else:
        text += f" — <font color='#5a5a5a'>{escape(L['figure_unattributed'])}</font>"
    if f.scope != "incident":
        words = L["figure_running"].format(period=L.period(f.period))
        text += f" <font color='#5a5a5a'>({escape(words)})</font>"
    elif f.part_of is not None:
        text += f" <font color='#5a5a5a'>({escape(L['figure_part'])})</font>"
    if f.note and ctx.checked.options.internal_notes:
        text += f" ({escape(L['note'])}: {ctx.esc(f.note)})"
    return text


def _figures(ctx: Ctx, d: EventDetail) -> Iterator[Flowable]:
    if not d.figures:
        return
    cite_no = {c.uuid: i for i, c in enumerate(d.citations, start=1)}
    cites = {c.uuid: c for c in d.citations}
    # One Paragraph for the block: per-Paragraph parsing is a large share of layout time.
    lines = [f"<b>{escape(ctx.L['figures'])}</b>"]
    lines += ["• " + _figure_line(ctx, f, cite_no, cites) for f in d.figures]
    yield Paragraph("<br/>".join(lines), ctx.S.small)


def _people(ctx: Ctx, d: EventDetail) -> Iterator[Flowable]:
    if not d.actors:
        return
    people = ", ".join(
        f"{escape(ctx.redactor.actor_name(a))} ({escape(ctx.L.role(a.role))})" for a in d.actors
    )
    yield Paragraph(f"<b>{escape(ctx.L['people'])}:</b> {people}", ctx.S.small)


def _citations(ctx: Ctx, d: EventDetail) -> Iterator[Flowable]:
    L, S = ctx.L, ctx.S
    if not d.citations:
        return
    yield Paragraph(f"<b>{escape(L['citations'])}</b>", S.small)
    for i, c in enumerate(d.citations, start=1):
        s = c.source
        who = " · ".join(x for x in (s.author, s.publisher) if x)
        parts = [f"[{i}] <b>{ctx.esc(s.title)}</b>" + (f" — {ctx.esc(who)}" if who else "")]
        if s.url:
            parts.append(f"<font color='#1f3a5f'>{escape(s.url)}</font>")
        dates = []
        if s.published:
            dates.append(f"{L['published']} {escape(L.edtf(s.published))}")
        if s.accessed:
            dates.append(f"{L['accessed']} {escape(L.day(s.accessed))}")
        dates.append(f"{L['reliability']} {s.reliability} · {L['credibility']} {c.credibility}")
        parts.append("; ".join(dates))
        if c.locator:
            parts.append(ctx.esc(c.locator))
        yield Paragraph(". ".join(parts), S.small)
        below = [f"“{ctx.esc(c.quote)}”"] if c.quote else []
        below += [
            f"<font face='{SANS}' size=7 color='#5a5a5a'>{escape(L['archived'])} "
            f"{ctx.file_ids.get(a.sha256, '')}: {ctx.esc(a.original_name)} · SHA-256 "
            f"{a.sha256}</font>"
            for a in s.attachments
        ]
        if below:
            yield Paragraph("<br/>".join(below), S.quote)


def _annotations(ctx: Ctx, d: EventDetail) -> Iterator[Flowable]:
    if not ctx.checked.options.annotations or not d.annotations:
        return
    L, S = ctx.L, ctx.S
    yield Paragraph(f"<b>{escape(L['annotations'])}</b>", S.small)
    for a in d.annotations:
        passage = f" — “{ctx.esc(a.passage)}”" if a.passage else ""
        yield Paragraph(
            f"{escape(a.author)}, {escape(L.day(a.created_at.date()))}: {ctx.esc(a.text)}{passage}",
            S.quote,
        )
