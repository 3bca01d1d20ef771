"""Exports encrypted for a partner's key (issue 10, item 5): only the recipient opens them;
a file for someone else, or altered or cut short, is refused with the catalogue unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import PASSPHRASE

from belarchive.cli import main
from belarchive.errors import ImportError_, ValidationError
from belarchive.exporting.json_io import export_json
from belarchive.importing.json_io import import_json
from belarchive.security import exchange
from belarchive.services import events, users
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput


@pytest.fixture
def partner(tmp_path: Path) -> Catalogue:
    cat = Catalogue.create(tmp_path / "Partner.belarchive", admin="pavel", passphrase=PASSPHRASE)
    users.add_user(cat, "pavel", "rita", "reviewer", PASSPHRASE)
    cat.sign_in("rita", PASSPHRASE)
    return cat


def _events(cat: Catalogue) -> int:
    with cat.reader.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM event").scalar() or 0)


def test_only_the_recipient_opens_the_export(
    catalogue: Catalogue, partner: Catalogue, tmp_path: Path
) -> None:
    events.create_event(catalogue, "olga", EventInput(title="Задержания в Минске",
                                                      date="2020-11-08"))  # fmt: skip
    pavel = exchange.recipient_line(partner.signer_for("pavel").public_hex, "pavel")
    assert pavel.startswith("ssh-ed25519 ") and pavel.endswith("belarchive:pavel")
    out = tmp_path / "for-pavel.json.age"
    export_json(catalogue, out, recipients=[exchange.parse_recipient(pavel)])
    data = out.read_bytes()
    assert exchange.is_encrypted(data) and "Минске".encode() not in data
    assert b"olga" not in data  # nothing readable: names, titles, keys
    # rita, of the same partner catalogue, is not the recipient.
    with pytest.raises(ImportError_, match="encrypted for someone else, not for rita"):
        import_json(partner, "rita", out)
    assert _events(partner) == 0
    result = import_json(partner, "pavel", out)
    assert result.created["events"] == 1 and _events(partner) == 1


@pytest.mark.parametrize("damage", ["truncated", "altered"])
def test_a_damaged_encrypted_export_is_refused(
    catalogue: Catalogue, partner: Catalogue, tmp_path: Path, damage: str
) -> None:
    events.create_event(catalogue, "olga", EventInput(title="T", date="2020"))
    pavel = exchange.recipient_line(partner.signer_for("pavel").public_hex, "pavel")
    out = tmp_path / "x.age"
    export_json(catalogue, out, recipients=[exchange.parse_recipient(pavel)])
    data = bytearray(out.read_bytes())
    if damage == "truncated":
        data = data[: len(data) - 40]
    else:
        data[-30] ^= 0x01
    out.write_bytes(bytes(data))
    with pytest.raises(ImportError_, match="damaged or altered"):
        import_json(partner, "pavel", out)
    assert _events(partner) == 0


def test_bad_recipients_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    for bad in ("", "ssh-rsa AAAA", "age1notakey", "pavel"):
        with pytest.raises(ValidationError, match="not a recipient"):
            exchange.parse_recipient(bad)
    from belarchive.security import keys

    bare = keys.generate("x").public_hex  # a bare belarchive key (64 hex digits) works
    assert exchange.parse_recipient(bare) is not None


def test_command_line_round_trip(
    catalogue: Catalogue, partner: Catalogue, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events.create_event(catalogue, "olga", EventInput(title="T", date="2020"))
    capsys.readouterr()
    assert main(["user", "key", "pavel", "-C", str(partner.path)]) == 0
    line = capsys.readouterr().out.strip()
    out = tmp_path / "x.json.age"
    assert (
        main(["export", "json", "-C", str(catalogue.path), "-o", str(out), "--encrypt-for", line])
        == 0
    )
    assert "encrypted for 1 recipient" in capsys.readouterr().out
    assert main(["import", "json", str(out), "-C", str(partner.path), "-u", "pavel"]) == 0
    assert main(["export", "json", "-C", str(catalogue.path), "-o", str(tmp_path / "y"),
                 "--encrypt-for", "nobody"]) != 0  # fmt: skip
    assert "not a recipient" in capsys.readouterr().err
    assert not (tmp_path / "y").exists()
    doc_path = tmp_path / "plain.json"
    assert main(["export", "json", "-C", str(catalogue.path), "-o", str(doc_path)]) == 0
    assert json.loads(doc_path.read_text(encoding="utf-8"))["version"] == 2
