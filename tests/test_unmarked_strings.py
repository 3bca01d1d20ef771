"""No user-visible string of the window escapes translation.

Reads the GUI's code (its syntax tree, not by running it) for the calls that put text in
front of a person — a label's or a button's text, a tool tip, a window title, a
placeholder, a tab's name, a message box — and fails on any given as a bare string literal
instead of through ``tr()``/``self.tr()``. Text that is not words (a symbol, a number, a
technical name such as "SHA-256") is let through by ``_not_words``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

GUI = Path(__file__).resolve().parent.parent / "belarchive" / "gui"

# Setter or constructor name -> which positional argument is the visible text.
TEXT_ARGUMENT = {
    "setText": 0, "setToolTip": 0, "setWindowTitle": 0, "setPlaceholderText": 0,
    "setTitle": 0, "setSubTitle": 0, "setStatusTip": 0, "setWhatsThis": 0,
    "showMessage": 0, "addTab": 1, "insertTab": 2, "setTabText": 1, "addAction": 0,
    "addMenu": 0, "setLabelText": 0, "setHeaderLabels": 0, "addRow": 0,
    "QLabel": 0, "QPushButton": 0, "QCheckBox": 0, "QRadioButton": 0, "QGroupBox": 0,
    "QAction": 0, "QToolButton": 0,
    "information": 2, "warning": 2, "critical": 2, "question": 2,
}  # fmt: skip


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


TECHNICAL = ("SHA-256", "sha256", "UUID", "EDTF", "CSV", "JSON", "PDF", "belarchive", "https://")
_MARKUP = re.compile(r"<[^>]*>|&#?\w+;")
_FORMAT_HINT = re.compile(r"^[A-Z]+(-[A-Z]+)*$")  # YYYY-MM-DD: the same in every language


def _not_words(text: str) -> bool:
    """Symbols, numbers, markup, format hints and technical names need no translation."""
    plain = _MARKUP.sub(" ", text)
    for token in TECHNICAL:
        plain = plain.replace(token, " ")
    if _FORMAT_HINT.match(plain.strip()):
        return True
    return sum(c.isalpha() for c in plain) < 2


def _literal_text(arg: ast.expr) -> str:
    """A string literal's text; of an f-string, only its literal parts (the values it
    inserts are translated, or are data, where they are made)."""
    if isinstance(arg, ast.Constant):
        return str(arg.value)
    assert isinstance(arg, ast.JoinedStr)
    return "".join(str(v.value) for v in arg.values if isinstance(v, ast.Constant))


def _bare_literals(path: Path, root: Path = GUI.parent.parent) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        position = TEXT_ARGUMENT.get(_callee(node))
        if position is None or len(node.args) <= position:
            continue
        arg = node.args[position]
        literal = isinstance(arg, ast.JoinedStr) or (
            isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        )
        if literal and not _not_words(_literal_text(arg)):
            shown = arg.value if isinstance(arg, ast.Constant) else ast.unparse(arg)
            found.append(f"{path.relative_to(root)}:{node.lineno}: {shown!r}")
    return found


def test_every_visible_string_of_the_window_is_marked_for_translation() -> None:
    bare = [line for path in sorted(GUI.rglob("*.py")) for line in _bare_literals(path)]
    assert bare == [], "shown without tr():\n" + "\n".join(bare)


def test_the_check_sees_a_bare_string(tmp_path: Path) -> None:
    sample = tmp_path / "probe.py"
    sample.write_text('label.setText("Nothing matches")\nlabel.setText(tr("Fine"))\n'
                      'QMessageBox.warning(self, tr("Title"), f"Lost {n} rows")\n')  # fmt: skip
    found = [line.split(": ", 1)[1] for line in _bare_literals(sample, tmp_path)]
    assert found == ["'Nothing matches'", "\"f'Lost {n} rows'\""]


CORE = GUI.parent
# Exceptions whose message reaches a person: every BelarchiveError (the command line prints
# it, the window shows it) and the few core exceptions turned into one.
_SHOWN_EXCEPTIONS = ("KeyUnavailable", "Tampered", "DuplicateKey")


def _shown_exception_names() -> set[str]:
    import belarchive.errors as errors

    names = {n for n, v in vars(errors).items() if isinstance(v, type)
             and issubclass(v, errors.BelarchiveError)}  # fmt: skip
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id in names for b in node.bases
            ):
                names.add(node.name)
    return names | set(_SHOWN_EXCEPTIONS)


def _bare_messages(path: Path, exceptions: set[str], root: Path = CORE.parent) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and _callee(node) in exceptions and node.args):
            continue
        arg = node.args[0]
        literal = isinstance(arg, ast.JoinedStr) or (
            isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        )
        if literal and not _not_words(_literal_text(arg)):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(arg)[:80]}")
    return found


def test_every_message_of_the_core_is_marked_for_translation() -> None:
    """The core's errors reach people through the command line and the window: each is
    given through _() (belarchive.i18n), so each language's catalogue has it."""
    exceptions = _shown_exception_names()
    assert {"ValidationError", "WrongPassphrase", "JsonConflictError"} <= exceptions
    bare = [
        line
        for path in sorted(CORE.rglob("*.py"))
        if "gui" not in path.relative_to(CORE).parts
        for line in _bare_messages(path, exceptions)
    ]
    assert bare == [], "raised without _():\n" + "\n".join(bare)


# What the command line prints or asks: the first argument of these, in belarchive/cli.
CLI_OUTPUT = {"out", "ask_passphrase", "ask_new_passphrase"}


def test_every_line_the_command_line_prints_is_marked_for_translation() -> None:
    """Tables of data and values alone (``out(f"  {title}")``) pass; words do not."""
    bare = [line for path in sorted((CORE / "cli").glob("*.py"))
            for line in _bare_messages(path, CLI_OUTPUT)]  # fmt: skip
    assert bare == [], "printed without _():\n" + "\n".join(bare)


def test_the_core_check_sees_a_bare_message(tmp_path: Path) -> None:
    sample = tmp_path / "probe.py"
    sample.write_text('raise ValidationError(f"{x} is wrong")\n'
                      'raise ValidationError(_("{x} is fine").format(x=x))\n')  # fmt: skip
    found = _bare_messages(sample, {"ValidationError"}, tmp_path)
    assert found == ["probe.py:1: f'{x} is wrong'"]


MARKERS = {"tr", "_", "ngettext", "translate"}


def test_no_marked_string_hides_inside_an_f_string() -> None:
    """The extractor (Babel, on Python 3.11) reads an f-string as one token: a ``tr('…')``
    inside one is never put in the catalogues, and the window shows it in English. Such a
    call must be made outside the f-string (found: the review queue's section titles)."""
    package = GUI.parent
    hidden = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fstring in (n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)):
            for call in (n for n in ast.walk(fstring) if isinstance(n, ast.Call)):
                text = 1 if _callee(call) == "translate" else 0  # translate(context, text)
                literal = len(call.args) > text and isinstance(call.args[text], ast.Constant)
                if _callee(call) in MARKERS and literal:
                    hidden.append(f"{path.relative_to(package.parent)}:{call.lineno}")
    assert hidden == []
