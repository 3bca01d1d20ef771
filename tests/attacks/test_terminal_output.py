"""User text cannot act on the terminal it is printed on."""

from __future__ import annotations

import pytest

from belarchive.cli import main
from belarchive.cli.terminal import shown


def test_controls_ansi_and_bidi_overrides_are_shown_not_obeyed() -> None:
    text = "Марш\x1b[2J\x1b]0;owned\x07 \u202efdp.exe\u2066 ok\r\x00"
    printed = shown(text)
    assert printed == "Марш\\x1b[2J\\x1b]0;owned\\x07 \\u202efdp.exe\\u2066 ok\\x0d\\x00"
    assert shown("two\nlines\ttab") == "two\nlines\ttab"  # layout characters stay


def test_an_event_title_and_an_error_are_printed_escaped(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    cat = str(tmp_path) + "/T.belarchive"  # type: ignore[operator]
    assert main(["init", cat, "-u", "anna"]) == 0
    assert main(["add", "-C", cat, "-u", "anna", "--title", "A\x1b[31mred\u202egnp.exe",
                 "--date", "2020-11-08"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["list", "-C", cat]) == 0
    listed = capsys.readouterr().out
    assert "\x1b" not in listed and "\u202e" not in listed
    assert "A\\x1b[31mred\\u202egnp.exe" in listed
    assert main(["show", "no-such-event\x1b[2J", "-C", cat]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[2J" in err and len(err.strip().splitlines()) == 1
