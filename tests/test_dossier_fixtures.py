"""A small real catalogue for the dossier tests, built through the services (no mocks)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import PASSPHRASE

from belarchive.services import events, sources, users, verification
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import ActorInput, EventInput, FigureInput, SourceInput

GREEK_SENTENCE = "Η αστυνομία προχώρησε σε τουλάχιστον 340 συλλήψεις"
VICTIM_EL = "Ράμαν Μπαντάρενκα"
VICTIM_RU = "Роман Бондаренко"
WITNESS = "Ольга Ковалькова"


@dataclass
class Sample:
    cat: Catalogue
    detention: str  # verified, Greek, ≥340 and 300 detained
    death: str  # unverified, Greek, victim named
    grodno: str  # unverified, Russian, ~390 detained, victim and witness
    protest: str  # no repression tag
    file_ngo: str
    file_ministry: str


def _attach(cat: Catalogue, source: str, path: Path, content: bytes) -> str:
    path.write_bytes(content)
    return sources.attach_file(cat, "anna", source, path).uuid


def build_sample(root: Path, *, sealed: bool = False, into: Catalogue | None = None) -> Sample:
    """The sample in a new folder, or ``into`` a new catalogue made elsewhere (a team
    catalogue whose admin is anna)."""
    root.mkdir(parents=True, exist_ok=True)
    cat = into or Catalogue.create(
        root / "Test.belarchive", admin="anna", passphrase=PASSPHRASE, sealed=sealed
    )
    users.add_user(cat, "anna", "rita", "reviewer", PASSPHRASE)
    cat.sign_in("rita", PASSPHRASE)
    ngo = sources.add_source(
        cat,
        "anna",
        SourceInput(
            title="Χρονικό Νοεμβρίου 2020",
            kind="chronicle",
            publisher="Viasna",
            url="https://spring96.org/el/news/2020-11",
            published="2020-11-09",
            accessed="2020-11-10",
            language="el",
            reliability="B",
        ),
    ).uuid
    ministry = sources.add_source(
        cat,
        "anna",
        SourceInput(
            title="Сообщение МВД о задержаниях",
            kind="official",
            publisher="МВД Беларуси",
            url="https://mvd.gov.by/ru/news/2020-11-08",
            published="2020-11-08",
            accessed="2020-11-09",
            language="ru",
            reliability="D",
        ),
    ).uuid
    file_ngo = _attach(cat, ngo, root / "viasna-2020-11.html", b"<html>Viasna 340</html>")
    file_min = _attach(cat, ministry, root / "mvd-2020-11-08.html", b"<html>MVD 300</html>")

    detention = events.create_event(
        cat,
        "anna",
        EventInput(
            title="Μαζικές συλλήψεις στο Μινσκ",
            date="2020-11-08",
            language="el",
            description=f"Χιλιάδες άτομα διαδήλωσαν στο Μινσκ. {GREEK_SENTENCE} .",
            tags=("detention",),
            places=("Μινσκ",),
        ),
    ).uuid
    c1 = sources.cite(
        cat, "anna", detention, ngo, locator="§ 8 Νοεμβρίου", quote=GREEK_SENTENCE, credibility=2
    ).uuid
    c2 = sources.cite(
        cat, "anna", detention, ministry, quote="задержаны 300 человек", credibility=3
    ).uuid
    cur = events.event_detail(cat, detention)["version"]
    from belarchive.services.inputs import EventPatch

    events.update_event(
        cat,
        "anna",
        detention,
        cur,
        EventPatch(
            figures=(
                FigureInput("detained", 340, qualifier="at_least", citation=c1),
                FigureInput("detained", 300, citation=c2, note="ministry figure, internal check"),
            )
        ),
    )
    events.annotate(cat, "anna", detention, "Ask Viasna for the list of names.")
    verification.set_status(cat, "anna", detention, "in_review")
    verification.set_status(cat, "rita", detention, "verified", note="Two sources agree.")

    death = events.create_event(
        cat,
        "anna",
        EventInput(
            title=f"Θάνατος του {VICTIM_EL}",
            date="2020-11-13",
            language="el",
            description=(
                f"Ο 31χρονος καλλιτέχνης {VICTIM_EL} ξυλοκοπήθηκε άγρια από την "
                "αστυνομία. Ο θάνατος του Μπαντάρενκα προκάλεσε οργή."
            ),
            tags=("death", "police_violence"),
            places=("minsk",),
            actors=(ActorInput(VICTIM_EL, role="victim"),),
            figures=(FigureInput("killed", 1),),
        ),
    ).uuid
    sources.cite(cat, "anna", death, ngo, quote=f"{VICTIM_EL} ξυλοκοπήθηκε άγρια")

    grodno = events.create_event(
        cat,
        "anna",
        EventInput(
            title="Задержания в Гродно",
            date="2020-11-15",
            language="ru",
            description=(
                f"Около 390 человек задержаны. Свидетель {WITNESS} видела, как избили "
                f"Романа Бондаренко; позже {VICTIM_RU.split()[1]} увезли."
            ),
            tags=("detention",),
            places=("Гродно",),
            actors=(
                ActorInput(VICTIM_RU, role="victim"),
                ActorInput(WITNESS, role="witness"),
                ActorInput("Александр Лукашенко", role="mentioned"),
            ),
            figures=(FigureInput("detained", 390, qualifier="approximately"),),
        ),
    ).uuid
    sources.cite(cat, "anna", grodno, ministry, quote="около 390 задержанных")

    protest = events.create_event(
        cat,
        "anna",
        EventInput(
            title="Πορεία συνταξιούχων",
            date="2020-11-30",
            language="el",
            description="Περισσότεροι από 1.000 συνταξιούχοι κατέβηκαν στους δρόμους.",
            tags=("protest",),
            places=("minsk",),
            figures=(FigureInput("participants", 1000, qualifier="more_than"),),
        ),
    ).uuid
    return Sample(cat, detention, death, grodno, protest, file_ngo, file_min)


def pdftotext(path: Path, *extra: str) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *extra, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def squash(text: str) -> str:
    return " ".join(text.split())


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def sample_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    """Body of each test module's module-scoped ``sample`` fixture (one catalogue per module)."""
    s = build_sample(tmp_path_factory.mktemp("dossier"))
    yield s
    s.cat.close()
