"""Dossier labels per language, numbers and dates formatted for the reader.

English, the source, is below; Greek, Russian and Belarusian come from the gettext
catalogues (``resources/locale/<lang>/LC_MESSAGES/belarchive.po``), each label under the
context ``dossier.<key>`` (``dossier.status.<status>``, ``dossier.qualifier.<q>``,
``dossier.role.<role>``). Any missing label falls back to English.

A dossier is written in one language chosen at export time; the catalogue's own text
(titles, descriptions, quotes) stays in the language it was recorded in.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from belarchive.domain.edtf_dates import human_reading
from belarchive.errors import ValidationError
from belarchive.i18n import _, pgettext_in

LANGS = ("en", "el", "ru", "be")
TRANSLATED = ("el", "ru", "be")

_EN: dict[str, str] = {
    "incident_log": "Repression incident log",
    "chronicle": "Chronicle",
    "catalogue": "Catalogue",
    "selection": "Selection",
    "generated": "Generated",
    "generated_by": "by",
    "counts": "Contents of this dossier",
    "n_incidents": "incidents",
    "n_verified": "verified",
    "n_not_verified": "not verified",
    "n_sources": "sources cited",
    "n_files": "archived copies",
    "contents": "Contents",
    "summary": "Summary",
    "incident_table": "Incidents at a glance",
    "entries": "Incidents",
    "appendix": "Integrity appendix",
    "page": "Page",
    "of": "of",
    "empty": "No event in the catalogue matches this selection. The dossier is otherwise empty.",
    "all_events": "all events of the catalogue",
    "f_query": "matching the search “{}”",
    "f_tags": "tagged {}",
    "f_places": "in {}",
    "f_statuses": "with status {}",
    "f_from": "from {}",
    "f_to": "until {}",
    "f_verified_only": "verified entries only",
    "f_repression": "repression incidents ({})",
    "f_rejected_left_out": "entries marked rejected are left out unless asked for",
    "redacted": "Prepared for sharing: {}.",
    "r_names": "names of victims and witnesses are replaced by pseudonyms",
    "r_annotations": "annotations left out",
    "r_notes": "internal notes left out",
    "totals_title": "Totals",
    "total_line": "{q}<b>{n}</b> {people} {kind} in <b>{m}</b> {incidents}",
    "total_detained": "Detained",
    "total_killed": "Killed",
    "total_injured": "Injured",
    "people_1": "person",
    "people_n": "people",
    "incident_1": "incident",
    "incident_n": "incidents",
    "kind_detained": "detained",
    "kind_killed": "killed",
    "kind_injured": "injured",
    "kind_participants": "taking part",
    "kind_other": "(other figures)",
    "at_least": "at least ",
    "none_reported": "{kind}: no figures are reported in this selection.",
    "totals_rule": (
        "How the totals are counted: only figures of an incident itself are added — reported "
        "running totals (“since 9 August”, “this week”) and parts of another figure "
        "(journalists among the detained) are listed, never added. One figure per incident and "
        "kind. When sources disagree "
        "on an incident, the highest lower bound is used (a range counts as its minimum, "
        "“more than N” as N, “approximately N” as N; “up to N” is not added, since it gives "
        "no minimum). A total is marked “at least” (≥) when any figure in it is not exact: "
        "figures marked ≥ are minimums."
    ),
    "by_type": "Incidents by type",
    "by_status": "Incidents by verification status",
    "chart_title": "People detained per week (week starting Monday; one figure per incident)",
    "chart_empty": "No dated detention figures to chart.",
    "map_title": "Incidents by place",
    "map_note": "Circle area: the number of incidents at the place (an incident at two places "
    "counts at both). Borders: Natural Earth.",
    "running_title": "Totals reported for periods (never added to the totals above)",
    "running_intro": (
        "Sources also report figures for a period: running totals since a date, weekly and "
        "monthly counts, day summaries. They restate many incidents at once, so they are shown "
        "as reported, each with its period and source, and are not part of any total or chart "
        "above. The line shows the country-wide running totals of detentions."
    ),
    "running_chart": "Reported cumulative number detained, as each source gave it",
    "col_reported": "Reported",
    "col_figure": "Figure",
    "col_period": "Period",
    "period_until": "up to {day}",
    "period_since": "since {day}",
    "period_unknown": "period not stated",
    "figure_running": "running total, {period} — not added to totals",
    "figure_part": "part of the figure above — not added on its own",
    "col_no": "No.",
    "col_date": "Date",
    "col_place": "Place",
    "col_type": "Type",
    "col_detained": "Detained",
    "col_killed": "Killed",
    "col_status": "Status",
    "col_sources": "Sources",
    "not_verified_mark": "NOT VERIFIED",
    "status_prefix": "Verification",
    "reviewed_by": "decided by {} on {}",
    "reopened": "verified by {} on {}, sent back to review by {} on {} after an edit",
    "sent_to_review": "sent to review by {} on {}",
    "no_review": "no review recorded",
    "undated": "undated",
    "no_place": "—",
    "tags": "Type",
    "places": "Places",
    "people": "People named",
    "figures": "Figures",
    "figure_from": "according to",
    "figure_unattributed": "source not linked",
    "citations": "Sources",
    "published": "published",
    "accessed": "accessed",
    "reliability": "source reliability",
    "credibility": "information credibility",
    "archived": "archived copy",
    "annotations": "Annotations",
    "note": "note",
    "description_none": "(no description recorded)",
    "appendix_intro": (
        "This appendix lets a recipient check the dossier against the catalogue it came from. "
        "Every archived copy cited was re-hashed (SHA-256) from the file store when the dossier "
        "was generated. The dossier also carries a machine-readable manifest (an embedded file, "
        "belarchive-manifest.json) with the events’ identifiers and versions, these hashes, the "
        "audit log head and the selection. Check it with: belarchive dossier verify FILE"
    ),
    "audit_head": "Audit log head at export",
    "audit_seq": "entry",
    "filter_used": "Selection used",
    "manifest_digest": "Manifest SHA-256 (printed by belarchive dossier verify)",
    "files_title": "Archived copies cited",
    "col_file": "File",
    "col_source": "Source",
    "col_size": "Size",
    "col_sha": "SHA-256 (re-hashed at export)",
    "col_check": "Check",
    "check_ok": "matches",
    "check_changed": "CHANGED: does not match the catalogue",
    "check_missing": "MISSING from the file store",
    "files_none": "No archived copies are cited in this dossier.",
    "file_warning": "Warning: archived copies that failed the check: {}. See the integrity "
    "appendix.",
    "legend_unverified": (
        "Entries marked NOT VERIFIED have not (yet) been confirmed by a second reviewer and "
        "must not be relied on as established. "
    ),
    "legend": (
        "In figures, ≥ means “at "
        "least”, > “more than”, ~ “approximately”, ≤ “up to”. Source reliability is graded A "
        "(completely reliable) to F (cannot be judged), the credibility of each piece of "
        "information 1 (confirmed) to 6 (cannot be judged)."
    ),
    "person": "Person",
    "bytes": "bytes",
}


_STATUS = {
    "en": {
        "unverified": "unverified",
        "in_review": "in review",
        "verified": "verified",
        "disputed": "disputed",
        "rejected": "rejected",
    },
}

_QUALIFIER = {
    "en": {
        "exact": "",
        "approximately": "approximately ",
        "at_least": "at least ",
        "more_than": "more than ",
        "up_to": "up to ",
    },
}

_ROLE = {
    "en": {
        "victim": "victim",
        "perpetrator": "perpetrator",
        "speaker": "speaker",
        "organiser": "organiser",
        "witness": "witness",
        "mentioned": "mentioned",
    },
}


def check_lang(lang: str) -> str:
    cleaned = (lang or "").strip().lower()
    if cleaned not in LANGS:
        raise ValidationError(
            _("'{lang}' is not a dossier language; choose one of: {choices}.").format(
                lang=lang, choices=", ".join(LANGS)
            )
        )
    return cleaned


@lru_cache(maxsize=8)
def _words_of(lang: str) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """(labels, statuses, qualifiers, roles) for ``lang``: English above, the other languages
    from the gettext catalogue (context ``dossier.<key>``, belarchive.i18n)."""
    if lang not in TRANSLATED:
        return _EN, _STATUS[lang], _QUALIFIER[lang], _ROLE[lang]

    def group(english: dict[str, str], prefix: str) -> dict[str, str]:
        return {k: pgettext_in(lang, f"dossier.{prefix}{k}", v) for k, v in english.items()}

    return (group(_EN, ""), group(_STATUS["en"], "status."),
            group(_QUALIFIER["en"], "qualifier."), group(_ROLE["en"], "role."))  # fmt: skip


class Labels:
    """The words of one dossier: ``L["summary"]``, statuses, qualifiers, numbers, dates."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self._words, self._status, self._qualifier, self._role = _words_of(self.lang)

    def __getitem__(self, key: str) -> str:
        return self._words.get(key) or _EN[key]

    def status(self, status: str) -> str:
        return self._status.get(status) or _STATUS["en"].get(status, status)

    def qualifier(self, qualifier: str) -> str:
        if qualifier in self._qualifier:
            return self._qualifier[qualifier]
        return _QUALIFIER["en"].get(qualifier, "")

    def role(self, role: str) -> str:
        return self._role.get(role) or _ROLE["en"].get(role, role)

    def plural(self, key: str, n: int) -> str:
        return self[f"{key}_1" if n == 1 else f"{key}_n"]

    def number(self, n: int) -> str:
        # Greek groups thousands with a full stop, Russian and Belarusian with a (no-break)
        # space, English with a comma.
        text = f"{n:,}"
        if self.lang == "el":
            return text.replace(",", ".")
        return text.replace(",", "\u00a0") if self.lang in TRANSLATED else text

    def edtf(self, edtf: str | None) -> str:
        return human_reading(edtf, self.lang) if edtf else self["undated"]

    def day(self, d: date) -> str:
        return human_reading(d.isoformat(), self.lang)

    def period(self, period: str | None) -> str:
        """A running total's period in words; open ends ("../2020-11-03") included."""
        if not period:
            return self["period_unknown"]
        start, _slash, end = period.partition("/")
        if start == "..":
            return self["period_until"].format(day=human_reading(end, self.lang))
        if end == "..":
            return self["period_since"].format(day=human_reading(start, self.lang))
        return human_reading(period, self.lang)

    def moment(self, when: datetime) -> str:
        return f"{self.day(when.date())}, {when:%H:%M} UTC"
