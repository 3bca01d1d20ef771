"""The sources of one event: its citations, their sources and the archived copies.

Writes (cite, attach) go through ``ctx.write``; re-hashing a stored file only reads and runs
on the thread pool, because hashing a large video on the GUI thread would freeze the window.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from belarchive.errors import BelarchiveError
from belarchive.gui.context import AppContext
from belarchive.gui.i18n import size_text
from belarchive.gui.widgets.background import run_read
from belarchive.gui.widgets.sources_cite_dialog import (
    KIND_LABELS,
    CitationRequest,
    CiteSourceDialog,
)
from belarchive.outputs import safe_file_name
from belarchive.security.cipher_files import Tampered
from belarchive.services import sources
from belarchive.services.catalogue import Catalogue
from belarchive.services.changes import Change
from belarchive.services.inputs import Outcome
from belarchive.storage import filestore, viewing
from belarchive.storage.detail import (
    AttachmentInfo,
    CitationInfo,
    EventDetail,
    list_sources,
    load_event_detail,
)

ROLE = Qt.ItemDataRole.UserRole


def cite_request(cat: Catalogue, user: str, event_uuid: str, req: CitationRequest) -> Outcome:
    """Writer thread: a new source and its citation in ONE transaction (both or neither)."""
    with cat.write(user) as uow:
        source_uuid = req.source_uuid
        if req.new_source is not None:
            source_uuid = sources.new_source(uow, req.new_source).uuid
        assert source_uuid is not None
        citation = sources.add_citation(uow, event_uuid, source_uuid, locator=req.locator,
                                        quote=req.quote, credibility=req.credibility)  # fmt: skip
    assert uow.result is not None
    return Outcome(citation.uuid, uow.result)


def check_blob(files: filestore.FileStore, sha256: str) -> str:
    """Pool thread: 'ok', 'changed' or 'missing' for one archived copy."""
    return files.status(sha256)


class SourcesPanel(QWidget):
    cited = Signal(str)  # citation UUID
    attached = Signal(str)  # SHA-256 of the archived copy
    hash_checked = Signal(str, str)  # SHA-256, "ok" / "changed" / "missing"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: EventDetail | None = None
        self.cite_dialog: CiteSourceDialog | None = None
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("Source"), self.tr("Publisher"), self.tr("Grade")])
        self.tree.setColumnWidth(0, 260)
        self.tree.currentItemChanged.connect(self._show_current)
        # Enter or a double click on an archived copy opens it in the viewer.
        self.tree.itemActivated.connect(
            lambda item, _c: self.view_copy() if item.parent() else None
        )
        self.info = QTextBrowser(self)
        self.info.setOpenExternalLinks(True)
        self.sha = QLineEdit(self)
        self.sha.setReadOnly(True)
        self.sha.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.sha.setPlaceholderText(self.tr("SHA-256 of the selected archived copy"))
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: dict[str, QAction] = {}
        self._build()
        ctx.changed.connect(self._on_changed)
        self.set_event(None)

    def _build(self) -> None:
        # A tool bar rather than a row of buttons: when the editor pane is narrow (or the
        # labels are Greek) the actions that do not fit go to its overflow menu.
        row = QToolBar(self)
        row.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for key, text, slot in (
            ("cite", self.tr("Cite a source…"), self.open_cite_dialog),
            ("attach", self.tr("Attach archived copy…"), self._choose_attachment),
            ("recheck", self.tr("Re-check hash"), self.recheck_hash),
            ("url", self.tr("Open URL"), self.open_url),
            ("view", self.tr("View copy"), self.view_copy),
            ("copy", self.tr("Open in another application"), self.open_copy),
        ):
            action = row.addAction(text)
            action.triggered.connect(slot)
            self.buttons[key] = action
        sha_row = QHBoxLayout()
        sha_row.addWidget(QLabel(self.tr("SHA-256:"), self))
        sha_row.addWidget(self.sha, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(row)
        box.addWidget(self.tree, 3)
        box.addWidget(self.info, 2)
        box.addLayout(sha_row)
        box.addWidget(self.status)

    # -- showing -------------------------------------------------------------------------
    def set_event(self, detail: EventDetail | None) -> None:
        keep = self._current_key()
        self.detail = detail
        self.tree.clear()
        for citation in detail.citations if detail else ():
            self._add_citation_item(citation)
        self.tree.expandAll()
        self._select(keep)
        self._show_current()

    def _add_citation_item(self, citation: CitationInfo) -> None:
        s = citation.source
        item = QTreeWidgetItem(self.tree, [s.title, s.publisher,
                                           f"{s.reliability}{citation.credibility}"])  # fmt: skip
        item.setData(0, ROLE, ("citation", citation.uuid))
        item.setToolTip(2, self.tr("Source reliability {r} (A–F), credibility {c} (1–6)").format(
            r=s.reliability, c=citation.credibility))  # fmt: skip
        for att in s.attachments:
            child = QTreeWidgetItem(item, [att.original_name, att.media_type,
                                           size_text(att.size)])  # fmt: skip
            child.setData(0, ROLE, ("attachment", att.sha256))

    def _current_key(self) -> tuple[str, str] | None:
        item = self.tree.currentItem()
        return item.data(0, ROLE) if item else None

    def _select(self, key: tuple[str, str] | None) -> None:
        it = self.tree.invisibleRootItem()
        items = [c for i in range(it.childCount()) if (c := it.child(i)) is not None]
        items += [g for c in list(items) for j in range(c.childCount())
                  if (g := c.child(j)) is not None]  # fmt: skip
        for item in items:
            if key is None or item.data(0, ROLE) == key:
                self.tree.setCurrentItem(item)
                return

    def current_citation(self) -> CitationInfo | None:
        item = self.tree.currentItem()
        if item is None or self.detail is None:
            return None
        top = item.parent() or item
        uuid = top.data(0, ROLE)[1]
        return next((c for c in self.detail.citations if c.uuid == uuid), None)

    def current_attachment(self) -> AttachmentInfo | None:
        item, citation = self.tree.currentItem(), self.current_citation()
        if item is None or citation is None:
            return None
        atts = citation.source.attachments
        if item.parent() is None:  # a citation: its only copy, if there is exactly one
            return atts[0] if len(atts) == 1 else None
        return next((a for a in atts if a.sha256 == item.data(0, ROLE)[1]), None)

    def _show_current(self) -> None:
        citation, att = self.current_citation(), self.current_attachment()
        self.info.setHtml(_citation_html(citation) if citation else "")
        self.sha.setText(att.sha256 if att else "")
        has_event = self.detail is not None
        self.buttons["cite"].setEnabled(has_event)
        self.buttons["attach"].setEnabled(citation is not None)
        self.buttons["recheck"].setEnabled(att is not None)
        self.buttons["view"].setEnabled(att is not None)
        self.buttons["copy"].setEnabled(att is not None)
        self.buttons["url"].setEnabled(bool(citation and citation.source.url))

    def _on_changed(self, change: Change) -> None:
        if self.detail is None:
            return
        ours = {c.source.uuid for c in self.detail.citations}
        if self.detail.uuid in change.events or ours & change.sources:
            with self.ctx.catalogue.session() as session:
                self.set_event(load_event_detail(session, self.detail.uuid))

    # -- citing --------------------------------------------------------------------------
    def open_cite_dialog(self) -> None:
        """Read the source list off the GUI thread, then show the dialog (non-blocking)."""
        if self.detail is None:
            return
        cat = self.ctx.catalogue

        def read() -> list[Any]:
            with cat.session() as session:
                return list_sources(session)

        self.buttons["cite"].setEnabled(False)
        run_read(read, self._show_cite_dialog, self._failed, owner=self)

    def _show_cite_dialog(self, source_list: list[Any]) -> None:
        self.buttons["cite"].setEnabled(self.detail is not None)
        self.cite_dialog = CiteSourceDialog(source_list, self)
        self.cite_dialog.accepted.connect(lambda: self.cite(self.cite_dialog.request()))
        self.cite_dialog.open()

    def cite(self, req: CitationRequest) -> None:
        if self.detail is None:
            return
        cat, user, uuid = self.ctx.catalogue, self.ctx.user, self.detail.uuid
        self.status.setText(self.tr("Saving the citation…"))
        self.ctx.write(lambda: cite_request(cat, user, uuid, req), self._cited, self._failed,
                       label="cite")  # fmt: skip

    def _cited(self, outcome: Outcome) -> None:
        self.status.setText(self.tr("Source cited."))
        self._select(("citation", outcome.uuid))
        self.cited.emit(outcome.uuid)

    # -- archived copies -----------------------------------------------------------------
    def _choose_attachment(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Archive a copy of this source"))
        if name:
            self.attach_path(Path(name))

    def attach_path(self, path: Path) -> None:
        citation = self.current_citation()
        if citation is None:
            return
        cat, user, source = self.ctx.catalogue, self.ctx.user, citation.source.uuid
        self.status.setText(self.tr("Archiving {name}…").format(name=path.name))
        self.ctx.write(lambda: sources.attach_file(cat, user, source, path), self._attached,
                       self._failed, label="attach")  # fmt: skip

    def _attached(self, outcome: Outcome) -> None:
        self._select(("attachment", outcome.uuid))
        self.sha.setText(outcome.uuid)
        self.status.setText(self.tr("Archived. SHA-256 {sha}").format(sha=outcome.uuid))
        self.attached.emit(outcome.uuid)

    def recheck_hash(self) -> None:
        att = self.current_attachment()
        if att is None:
            return
        files, sha = self.ctx.catalogue.files, att.sha256
        self.status.setText(self.tr("Re-hashing {name}…").format(name=att.original_name))
        run_read(lambda: check_blob(files, sha), lambda r: self._checked(sha, r), self._failed,
                 owner=self)  # fmt: skip

    def _checked(self, sha: str, result: str) -> None:
        words = {"ok": self.tr("OK: the archived copy is unchanged."),
                 "changed": self.tr("CHANGED: the stored file no longer matches its hash!"),
                 "missing": self.tr("MISSING: the stored file is gone.")}  # fmt: skip
        colour = "#2e7d32" if result == "ok" else "#b00020"
        self.status.setText(
            f'<span style="color:{colour}"><b>{html.escape(words[result])}</b></span>'
        )
        self.hash_checked.emit(sha, result)

    def open_url(self) -> None:
        citation = self.current_citation()
        if citation and citation.source.url:
            QDesktopServices.openUrl(QUrl(citation.source.url))

    def view_copy(self) -> QWidget | None:
        """The selected copy in the evidence viewer, its cited passage marked."""
        att, citation = self.current_attachment(), self.current_citation()
        if att is None or citation is None:
            return None
        from belarchive.gui.evidence.viewer import open_viewer

        return open_viewer(self.ctx.catalogue, att, citation.quote, self)

    def open_copy(self) -> None:
        att = self.current_attachment()
        if att is None:
            return
        cat = self.ctx.catalogue
        if not cat.files.exists(att.sha256):
            self._checked(att.sha256, "missing")
            return
        # A viewer gets a temporary copy under the original name (so it knows the type),
        # never the archived file itself, which must stay byte-for-byte as archived. The
        # stored name is only a name: "../../.bashrc" must not reach outside the folder.
        try:
            folder = viewing.viewing_folder(cat.sealed)
            target = folder / safe_file_name(att.original_name, att.sha256)
            cat.files.copy_out(att.sha256, target)
        except (BelarchiveError, Tampered, OSError) as exc:
            self._failed(exc)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(f'<span style="color:#b00020">{html.escape(str(exc))}</span>')
        self._show_current()


def _citation_html(c: CitationInfo) -> str:
    s = c.source
    e = html.escape
    kind = QCoreApplication.translate("SourcesPanel", KIND_LABELS.get(s.kind, s.kind))
    rows = [("Title", e(s.title)), ("Kind", e(kind)),
            ("Author", e(s.author)), ("Publisher", e(s.publisher)),
            ("URL", f'<a href="{e(s.url)}">{e(s.url)}</a>' if s.url else ""),
            ("Published", e(s.published or "")), ("Accessed", e(str(s.accessed or ""))),
            ("Language", e(s.language)), ("Reliability", e(s.reliability)),
            ("Credibility", str(c.credibility)), ("Locator", e(c.locator)),
            ("Quote", f"<i>{e(c.quote)}</i>" if c.quote else "")]  # fmt: skip
    body = "".join(f"<tr><td style='color:#666; padding-right:8px'>"
                   f"{e(QCoreApplication.translate('SourcesPanel', k))}</td><td>{v}</td></tr>"
                   for k, v in rows if v)  # fmt: skip
    return f"<table>{body}</table>"
