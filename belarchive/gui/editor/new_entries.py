"""Enter on a place or tag the vocabulary does not know: an archivist or admin may add it
there and then (``services.vocabulary_edits``, audited), and the chip appears; a reviewer is
told why not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from belarchive.gui.errors import show_error
from belarchive.gui.i18n import current_language, tr
from belarchive.services import vocabulary_edits

if TYPE_CHECKING:
    from belarchive.gui.editor.editor import EventEditor


def offer_new(editor: EventEditor, kind: str, text: str) -> None:
    chips = editor.details.places if kind == "place" else editor.details.tags
    if not vocabulary_edits.may_extend(editor.ctx.role):
        chips.entry.setToolTip(tr("Unknown: choose one of the suggestions. Only archivists and "
                                  "admins add new tags and places."))  # fmt: skip
        return
    name = " ".join(text.split())
    question = (tr("“{name}” is not a known place. Add it as a new place?") if kind == "place"
                else tr("“{name}” is not a known tag. Add it as a new tag?"))  # fmt: skip
    answer = QMessageBox.question(editor, tr("Add to the vocabulary"), question.format(name=name))
    if answer != QMessageBox.StandardButton.Yes:
        return
    cat, user, lang = editor.ctx.catalogue, editor.ctx.user, current_language()
    make = vocabulary_edits.new_place if kind == "place" else vocabulary_edits.new_tag

    def added(key: str) -> None:
        editor.load_vocabulary()  # completion and look-up know the new entry at once
        chips.accept_new(key)

    def failed(exc: BaseException) -> None:
        show_error(editor, exc, tr("Nothing was added"))

    editor.ctx.write(lambda: make(cat, user, name, lang), lambda out: added(out.uuid), failed,
                     label="vocabulary")  # fmt: skip
