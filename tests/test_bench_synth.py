"""The synthetic-catalogue generator produces what the benchmarks claim to measure."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from belarchive.services.audit import verify_chain

# bench/ sits beside the package and is not installed; tests run from any directory.
from bench import synth

N = 200


def test_same_seed_same_events_other_seed_other_events() -> None:
    assert list(synth.generate_inputs(30, seed=3)) == list(synth.generate_inputs(30, seed=3))
    assert list(synth.generate_inputs(30, seed=3)) != list(synth.generate_inputs(30, seed=4))


def test_languages_vocabulary_and_text_shape() -> None:
    events = list(synth.generate_inputs(N, seed=1))
    languages = Counter(e.language for e in events)
    assert set(languages) == {"el", "ru", "en"}
    assert languages["el"] > languages["ru"] > languages["en"]  # ~50/30/20
    assert all(set(e.tags) <= synth.tag_keys() and e.tags for e in events)
    assert all(set(e.places) <= synth.place_keys() and e.places for e in events)
    greek = " ".join(e.description for e in events if e.language == "el")
    assert any(ch in greek for ch in "άέήίόύώ")  # accents, so folding is exercised
    words = " ".join(e.description for e in events).split()
    assert len(set(words)) > 1500  # a long tail, not a few hundred words repeated
    for e in events:
        sentences = [s for s in e.description.replace("!", ".").replace(";", ".").split(". ") if s]
        assert 1 <= len(sentences) <= 6 + 6  # a ';' or '!' may end a sentence mid-description
        assert 8 <= len(e.description.split()) <= 6 * 30 + 20


def test_figures_agree_with_tags() -> None:
    for e in synth.generate_inputs(N, seed=2):
        kinds = {f.kind for f in e.figures}
        assert ("detained" in kinds) == ("detention" in e.tags)
        assert "killed" not in kinds or "death" in e.tags
        assert "participants" not in kinds or "protest" in e.tags
        for f in e.figures:
            assert f.value_min >= 0
            assert f.value_max is None or f.value_max > f.value_min


def test_build_catalogue_through_services(tmp_path: Path) -> None:
    cat = synth.build_catalogue(tmp_path / "s.belarchive", N, seed=5)
    cat.close()
    conn = sqlite3.connect(tmp_path / "s.belarchive" / "catalogue.sqlite")
    try:
        assert conn.execute("SELECT count(*) FROM event").fetchone()[0] == N
        assert conn.execute("SELECT count(DISTINCT event_id) FROM citation").fetchone()[0] > N / 2
        statuses = dict(conn.execute("SELECT status, count(*) FROM event GROUP BY status"))
        assert {"unverified", "in_review", "verified"} <= set(statuses)
        # Verified implies a citation, and the verifier is not the author (four eyes).
        bad = conn.execute(
            "SELECT count(*) FROM event e WHERE e.status = 'verified' AND (e.updated_by = "
            "e.substance_by OR NOT EXISTS (SELECT 1 FROM citation c WHERE c.event_id = e.id))"
        ).fetchone()[0]
        assert bad == 0
        report = verify_chain(conn)
        assert report.ok, report.problem
        assert report.checked > 2 * N  # one entry per event, citation and status step
    finally:
        conn.close()
