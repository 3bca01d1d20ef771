"""build_dossier: options in, a finished PDF out (or nothing at all, on error or cancel)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import LayoutError
from sqlmodel import Session

from belarchive import __version__
from belarchive.errors import Cancelled, ExportError
from belarchive.exporting.pdf import entries, sections
from belarchive.exporting.pdf.context import Ctx
from belarchive.exporting.pdf.data import load_details
from belarchive.exporting.pdf.describe import selection_words
from belarchive.exporting.pdf.flowables.markers import define_page_forms
from belarchive.exporting.pdf.i18n import Labels
from belarchive.exporting.pdf.layout import DossierDoc, LazyStory
from belarchive.exporting.pdf.leaks import refuse_leaks, refuse_protected_inputs
from belarchive.exporting.pdf.manifest import (
    FileEntry,
    build_manifest,
    embed,
    event_digest,
    manifest_bytes,
    manifest_digest,
)
from belarchive.exporting.pdf.options import (
    CheckedOptions,
    DossierOptions,
    check_options,
    check_output,
)
from belarchive.exporting.pdf.pages import page_digests, record_pages
from belarchive.exporting.pdf.redaction import Redactor, build_redactor
from belarchive.exporting.pdf.selection import select_uuids
from belarchive.exporting.pdf.styles import make_styles
from belarchive.exporting.pdf.totals import summarise
from belarchive.i18n import _
from belarchive.outputs import replace_atomically
from belarchive.services.anchors import signed_head
from belarchive.storage.detail import EventDetail, tag_labels

Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class DossierResult:
    path: Path
    pages: int
    incidents: int
    files: tuple[FileEntry, ...]
    file_problems: tuple[FileEntry, ...]  # archived copies that were changed or missing
    audit_seq: int
    audit_hash: str
    manifest_sha256: str
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.file_problems


class _Steps:
    """progress(done, total) and cancel() in one place; cancelling raises Cancelled."""

    def __init__(self, progress: Progress | None, cancel: CancelFlag | None) -> None:
        self.progress, self.cancel = progress, cancel
        self.done, self.total = 0, 1

    def finish(self) -> None:
        # No cancel check here: the file is already in place.
        if self.progress:
            self.progress(self.total, self.total)

    def reach(self, done: int) -> None:
        self.step(done - self.done)

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.cancel and self.cancel():
            raise Cancelled(_("Dossier export cancelled; no file was written."))
        if self.progress and (self.done % 50 == 0 or self.done >= self.total):
            self.progress(min(self.done, self.total), self.total)


def _rehash(
    cat: Any, details: Sequence[EventDetail], steps: _Steps, redact: Callable[[str], str]
) -> list[FileEntry]:
    """Every archived copy cited, in order of first citation, re-hashed from the store.

    File names go through ``redact``: a file may be named after the person it concerns.
    """
    seen: dict[str, FileEntry] = {}
    for d in details:
        for c in d.citations:
            for a in c.source.attachments:
                if a.sha256 in seen:
                    continue
                problems = cat.files.verify([(a.sha256, a.original_name)])
                check = problems[0].problem if problems else "ok"
                seen[a.sha256] = FileEntry(a.sha256, a.size, redact(a.original_name), check)
                steps.step()
    return list(seen.values())


class _Finish(Flowable):  # type: ignore[misc]
    """Last flowable: defines the page-number forms and embeds the manifest."""

    def __init__(self, ctx: Ctx, keys: list[str], manifest: bytes) -> None:
        super().__init__()
        self.ctx, self.keys, self.manifest = ctx, keys, manifest
        self.pages = 0

    def wrap(self, _aw: float, _ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canv: Canvas = self.canv
        self.pages = canv.getPageNumber()
        define_page_forms(canv, self.ctx.pages, self.keys, 10.5)
        embed(canv, self.manifest)


def _toc(ctx: Ctx, details: Sequence[EventDetail]) -> list[tuple[str, str, int]]:
    L = ctx.L
    out = [
        (L["summary"], "summary", 0),
        (L["incident_table"], "table", 0),
        (L["entries"], "entries", 0),
    ]
    months = dict.fromkeys(
        d.date_earliest.strftime("%Y-%m") if d.date_earliest else "undated" for d in details
    )
    if len(months) > 1:
        out += [(L.edtf(m) if m != "undated" else L["undated"], f"m-{m}", 1) for m in months]
    out.append((L["appendix"], "appendix", 0))
    return out


def _story(
    ctx: Ctx, details: Sequence[EventDetail], toc: list[tuple[str, str, int]], finish: _Finish
) -> Iterator[Flowable]:
    yield from sections.cover(ctx)
    yield from sections.toc(ctx, toc)
    yield from sections.summary(ctx)
    # An empty selection keeps its (empty) sections so the contents still resolve.
    yield from entries.incident_table(ctx, details)
    yield from entries.entries(ctx, details)
    yield from sections.appendix(ctx, ctx.checked.filter_json())
    yield finish


def build_dossier(
    cat: Any,
    options: DossierOptions,
    out_path: Path | str,
    *,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> DossierResult:
    """Write the dossier described by ``options`` to ``out_path`` (see the package doc)."""
    started = time.perf_counter()
    out = check_output(Path(out_path))
    steps = _Steps(progress, cancel)
    with cat.session() as session:
        # One read transaction: the audit head and the events come from the same snapshot.
        checked = check_options(session, options)
        conn = session.connection()
        head = signed_head(conn)
        audit_seq, audit_hash = head.seq, head.hash
        uuids = select_uuids(cat, conn, checked)
        steps.total = 2 * len(uuids) + 1
        details = list(load_details(session, uuids, progress=steps.reach))
        ctx = _context(cat, session, checked, details, audit_seq, audit_hash)
    if ctx.redactor.active:
        refuse_protected_inputs(
            ctx.redactor, {_("title"): options.title, _("search query"): options.query}
        )
    # Steps: load each event, re-hash each archived copy, lay out each entry, then finish.
    steps.total += len(ctx.summary.attachments)
    files = _rehash(cat, details, steps, ctx.redactor.text)
    ctx.files = files
    ctx.file_ids = {f.sha256: f"F{i}" for i, f in enumerate(files, start=1)}
    ctx.on_entry = steps.step
    manifest = manifest_bytes(
        build_manifest(
            catalogue_id=cat.catalogue_id,
            generated_at=ctx.generated_at.isoformat(),
            generated_by=ctx.generated_by,
            filter_dict=checked.as_dict,
            lang=checked.lang,
            audit_seq=audit_seq,
            audit_hash=audit_hash,
            audit_signature=(head.signature, head.public_key),
            events=[(d.uuid, d.version, event_digest(d)) for d in details],
            files=files,
        )
    )
    ctx.manifest_sha256 = manifest_digest(manifest)
    toc = _toc(ctx, details)
    finish = _Finish(ctx, [key for _level, key, _page in toc], manifest)
    _write(cat, out, ctx, details, toc, finish)
    steps.finish()
    problems = tuple(f for f in files if f.check != "ok")
    return DossierResult(
        out,
        finish.pages,
        len(details),
        tuple(files),
        problems,
        audit_seq,
        audit_hash,
        manifest_digest(manifest),
        time.perf_counter() - started,
    )


def _context(
    cat: Any,
    session: Session,
    checked: CheckedOptions,
    details: list[EventDetail],
    audit_seq: int,
    audit_hash: str,
) -> Ctx:
    L = Labels(checked.lang)
    opts: DossierOptions = checked.options
    redactor = (
        build_redactor(session, cat.catalogue_id, L["person"]) if opts.pseudonymise else Redactor()
    )
    labels = tag_labels(session, L.lang)
    name = cat.path.name.removesuffix(".belarchive")
    return Ctx(
        L=L,
        S=make_styles(),
        checked=checked,
        redactor=redactor,
        tag_labels=labels,
        catalogue_name=name,
        catalogue_id=cat.catalogue_id,
        title=opts.title.strip() or L[opts.template],
        selection_words=selection_words(session, checked, L, labels),
        generated_at=datetime.now(UTC).replace(microsecond=0),
        generated_by=opts.user or "belarchive",
        audit_seq=audit_seq,
        audit_hash=audit_hash,
        summary=summarise(details),
        files=[],
    )


def _write(
    cat: Any,
    out: Path,
    ctx: Ctx,
    details: Sequence[EventDetail],
    toc: list[tuple[str, str, int]],
    finish: _Finish,
) -> None:
    """Lay out into a temporary file beside ``out``, then move it into place."""

    def lay_out(tmp: Path) -> None:
        doc = DossierDoc(
            tmp,
            header_left=ctx.title,
            header_right=f"{ctx.L['catalogue']}: {ctx.catalogue_name}",
            footer_left=f"belarchive · {ctx.L.moment(ctx.generated_at)}",
            page_word=ctx.L["page"],
            of_word=ctx.L["of"],
            title=ctx.title,
            author=ctx.generated_by,
            subject=ctx.selection_words,
            keywords=[
                "belarchive",
                "dossier",
                ctx.checked.options.template,
                ctx.catalogue_id,
                "Belarus",
                "human rights",
            ],
            creator=f"belarchive {__version__}",
            lang=ctx.L.lang,
        )
        doc.build(LazyStory(_story(ctx, details, toc, finish)))
        if ctx.redactor.active:
            refuse_leaks(tmp, ctx.redactor)
        # Before the file takes its name: a dossier whose pages are not on record could
        # never be verified, so a failed record leaves no dossier behind.
        record_pages(cat, ctx, out.name, page_digests(tmp))

    try:
        replace_atomically(out, lay_out)
    except LayoutError as exc:
        # A single table row or block taller than a page: say so instead of a traceback.
        raise ExportError(
            _(
                "The dossier cannot be laid out: one entry has a block of text taller than a page "
                "(a very long place list or quote?). Shorten it or leave it out."
            ),
            detail=str(exc),
        ) from exc
