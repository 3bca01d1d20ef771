"""The README's command block, run as written (a bash script) in a scratch home folder, so
the README cannot drift from the program again. Only two things are changed: the USB stick
(/media/usb) is a scratch folder, and the passphrases come from the environment, as the
README says scripts do."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from support import PASSPHRASE

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "chronicles"


def readme_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## The command line") :]
    match = re.search(r"```bash\n(.*?)```", section, re.S)
    assert match is not None
    return match.group(1)


def test_the_readme_command_block_runs_as_written(tmp_path: Path) -> None:
    home, usb, work = tmp_path / "home", tmp_path / "usb", tmp_path / "work"
    for folder in (home, usb, work):
        folder.mkdir()
    # The files the block names, in the folder it runs in.
    from belarchive.config import sample_chronicle_path

    shutil.copy(sample_chronicle_path(), work / "chronicle.txt")
    shutil.copy(FIXTURES / "ru-digest-2020-11.md", work / "digest.md")
    (work / "report.pdf").write_bytes(b"%PDF-1.4\n% a report\n%%EOF\n")
    (work / "table.csv").write_text(
        "Headline,Date\nМарш в Гродно,2020-12-20\nЗадержания в Бресте,2020-11-15\n",
        encoding="utf-8",
    )
    script = readme_block().replace("/media/usb", str(usb))
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "BELARCHIVE_PASSPHRASE": PASSPHRASE,
        "BELARCHIVE_NEW_PASSPHRASE": PASSPHRASE,
    }
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert (work / "log.pdf").exists() and (usb / "anchor.json").exists()
    assert (work / "for-pavel.json.age").read_bytes().startswith(b"age-encryption.org/v1")
    assert "Audit log intact" in done.stdout and "Traceback" not in done.stderr
