"""Dossier labels per language, numbers and dates formatted for the reader.

English and Greek are below; Russian and Belarusian are data in
``resources/translations/dossier-<lang>.json`` (the same keys, plus ``status.*``,
``qualifier.*`` and ``role.*``). Any missing label falls back to English.

A dossier is written in one language chosen at export time; the catalogue's own text
(titles, descriptions, quotes) stays in the language it was recorded in.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache

from belarchive.config import resource
from belarchive.domain.edtf_dates import human_reading
from belarchive.errors import ExportError, ValidationError

LANGS = ("en", "el", "ru", "be")
JSON_LANGS = ("ru", "be")

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

_EL: dict[str, str] = {
    "incident_log": "Αρχείο περιστατικών καταστολής",
    "chronicle": "Χρονικό",
    "catalogue": "Κατάλογος",
    "selection": "Επιλογή",
    "generated": "Δημιουργήθηκε",
    "generated_by": "από",
    "counts": "Περιεχόμενο του φακέλου",
    "n_incidents": "περιστατικά",
    "n_verified": "επαληθευμένα",
    "n_not_verified": "μη επαληθευμένα",
    "n_sources": "πηγές",
    "n_files": "αρχειοθετημένα αντίγραφα",
    "contents": "Περιεχόμενα",
    "summary": "Σύνοψη",
    "incident_table": "Τα περιστατικά με μια ματιά",
    "entries": "Περιστατικά",
    "appendix": "Παράρτημα ακεραιότητας",
    "page": "Σελίδα",
    "of": "από",
    "empty": "Κανένα γεγονός του καταλόγου δεν αντιστοιχεί σε αυτή την επιλογή. "
    "Ο φάκελος κατά τα άλλα είναι κενός.",
    "all_events": "όλα τα γεγονότα του καταλόγου",
    "f_query": "που ταιριάζουν με την αναζήτηση «{}»",
    "f_tags": "με ετικέτα {}",
    "f_places": "σε {}",
    "f_statuses": "με κατάσταση {}",
    "f_from": "από {}",
    "f_to": "έως {}",
    "f_verified_only": "μόνο επαληθευμένες καταχωρίσεις",
    "f_repression": "περιστατικά καταστολής ({})",
    "f_rejected_left_out": "οι απορριφθείσες καταχωρίσεις παραλείπονται, εκτός αν ζητηθούν",
    "redacted": "Προετοιμασμένο για κοινοποίηση: {}.",
    "r_names": "τα ονόματα θυμάτων και μαρτύρων έχουν αντικατασταθεί από ψευδώνυμα",
    "r_annotations": "χωρίς σχόλια",
    "r_notes": "χωρίς εσωτερικές σημειώσεις",
    "totals_title": "Σύνολα",
    # Greek reads better as "Συλλήψεις: τουλάχιστον 730 άτομα σε 2 περιστατικά".
    "total_line": "{kind_name}: {q}<b>{n}</b> {people} σε <b>{m}</b> {incidents}",
    "total_detained": "Συλλήψεις",
    "total_killed": "Νεκροί",
    "total_injured": "Τραυματίες",
    "people_1": "άτομο",
    "people_n": "άτομα",
    "incident_1": "περιστατικό",
    "incident_n": "περιστατικά",
    "kind_detained": "συνελήφθησαν",
    "kind_killed": "σκοτώθηκαν",
    "kind_injured": "τραυματίστηκαν",
    "kind_participants": "συμμετείχαν",
    "kind_other": "(άλλοι αριθμοί)",
    "at_least": "τουλάχιστον ",
    "none_reported": "{kind}: δεν αναφέρονται αριθμοί σε αυτή την επιλογή.",
    "totals_rule": (
        "Πώς μετρώνται τα σύνολα: προστίθενται μόνο οι αριθμοί του ίδιου του περιστατικού — τα "
        "αναφερόμενα σωρευτικά σύνολα («από τις 9 Αυγούστου», «αυτή την εβδομάδα») και τα μέρη "
        "ενός άλλου αριθμού (δημοσιογράφοι ανάμεσα στους συλληφθέντες) παρατίθενται, δεν "
        "προστίθενται ποτέ. Ένας αριθμός ανά περιστατικό και είδος. Όταν οι πηγές "
        "διαφωνούν για ένα περιστατικό, χρησιμοποιείται το υψηλότερο κατώτατο όριο (ένα εύρος "
        "μετρά ως το ελάχιστό του, το «περισσότεροι από Ν» ως Ν, το «περίπου Ν» ως Ν· το «έως Ν» "
        "δεν προστίθεται, αφού δεν δίνει ελάχιστο). Ένα σύνολο σημειώνεται «τουλάχιστον» (≥) "
        "όταν κάποιος αριθμός του δεν είναι ακριβής: οι αριθμοί με ≥ είναι ελάχιστοι."
    ),
    "by_type": "Περιστατικά ανά είδος",
    "by_status": "Περιστατικά ανά κατάσταση επαλήθευσης",
    "chart_title": "Συλλήψεις ανά εβδομάδα (εβδομάδα από Δευτέρα· ένας αριθμός ανά περιστατικό)",
    "chart_empty": "Δεν υπάρχουν χρονολογημένοι αριθμοί συλλήψεων για διάγραμμα.",
    "running_title": "Σύνολα που αναφέρθηκαν για περιόδους (δεν προστίθενται στα παραπάνω σύνολα)",
    "running_intro": (
        "Οι πηγές αναφέρουν και αριθμούς για περιόδους: σωρευτικά σύνολα από μια ημερομηνία, "
        "εβδομαδιαίους και μηνιαίους αριθμούς, συνόψεις ημέρας. Επαναλαμβάνουν πολλά "
        "περιστατικά μαζί, γι' αυτό εμφανίζονται όπως αναφέρθηκαν, με την περίοδο και την πηγή "
        "τους, και δεν μετέχουν σε κανένα σύνολο ή διάγραμμα παραπάνω. Η γραμμή δείχνει τα "
        "σωρευτικά σύνολα συλλήψεων σε όλη τη χώρα."
    ),
    "running_chart": "Αναφερόμενος σωρευτικός αριθμός συλλήψεων, όπως τον έδωσε κάθε πηγή",
    "col_reported": "Αναφέρθηκε",
    "col_figure": "Αριθμός",
    "col_period": "Περίοδος",
    "period_until": "έως {day}",
    "period_since": "από {day}",
    "period_unknown": "χωρίς δηλωμένη περίοδο",
    "figure_running": "σωρευτικό σύνολο, {period} — δεν προστίθεται στα σύνολα",
    "figure_part": "μέρος του παραπάνω αριθμού — δεν προστίθεται χωριστά",
    "col_no": "Α/Α",
    "col_date": "Ημερομηνία",
    "col_place": "Τόπος",
    "col_type": "Είδος",
    "col_detained": "Συλλήψεις",
    "col_killed": "Νεκροί",
    "col_status": "Κατάσταση",
    "col_sources": "Πηγές",
    "not_verified_mark": "ΜΗ ΕΠΑΛΗΘΕΥΜΕΝΟ",
    "status_prefix": "Επαλήθευση",
    "reviewed_by": "απόφαση του/της {} στις {}",
    "no_review": "δεν έχει καταγραφεί έλεγχος",
    "undated": "χωρίς ημερομηνία",
    "no_place": "—",
    "tags": "Είδος",
    "places": "Τόποι",
    "people": "Πρόσωπα",
    "figures": "Αριθμοί",
    "figure_from": "σύμφωνα με",
    "figure_unattributed": "χωρίς σύνδεση με πηγή",
    "citations": "Πηγές",
    "published": "δημοσίευση",
    "accessed": "πρόσβαση",
    "reliability": "αξιοπιστία πηγής",
    "credibility": "αξιοπιστία πληροφορίας",
    "archived": "αρχειοθετημένο αντίγραφο",
    "annotations": "Σχόλια",
    "note": "σημείωση",
    "description_none": "(δεν έχει καταγραφεί περιγραφή)",
    "appendix_intro": (
        "Το παράρτημα επιτρέπει στον παραλήπτη να ελέγξει τον φάκελο έναντι του καταλόγου από "
        "τον οποίο προήλθε. Κάθε αρχειοθετημένο αντίγραφο που παρατίθεται ξαναϋπολογίστηκε "
        "(SHA-256) από το αποθετήριο αρχείων κατά τη δημιουργία του φακέλου. Ο φάκελος περιέχει "
        "επίσης μηχαναγνώσιμο μανιφέστο (ενσωματωμένο αρχείο belarchive-manifest.json) με τα "
        "αναγνωριστικά και τις εκδόσεις των γεγονότων, τα αποτυπώματα, την κεφαλή του αρχείου "
        "ελέγχου και την επιλογή. Έλεγχος με: belarchive dossier verify ΑΡΧΕΙΟ"
    ),
    "audit_head": "Κεφαλή του αρχείου ελέγχου κατά την εξαγωγή",
    "audit_seq": "εγγραφή",
    "filter_used": "Επιλογή που χρησιμοποιήθηκε",
    "manifest_digest": "SHA-256 του μανιφέστου (το τυπώνει η εντολή belarchive dossier verify)",
    "files_title": "Αρχειοθετημένα αντίγραφα που παρατίθενται",
    "col_file": "Αρχείο",
    "col_source": "Πηγή",
    "col_size": "Μέγεθος",
    "col_sha": "SHA-256 (ξαναϋπολογισμένο κατά την εξαγωγή)",
    "col_check": "Έλεγχος",
    "check_ok": "ταιριάζει",
    "check_changed": "ΑΛΛΑΓΜΕΝΟ: δεν ταιριάζει με τον κατάλογο",
    "check_missing": "ΛΕΙΠΕΙ από το αποθετήριο αρχείων",
    "files_none": "Ο φάκελος δεν παραθέτει αρχειοθετημένα αντίγραφα.",
    "file_warning": "Προσοχή: αρχειοθετημένα αντίγραφα που απέτυχαν στον έλεγχο: {}. Δείτε το "
    "παράρτημα ακεραιότητας.",
    "legend_unverified": (
        "Οι καταχωρίσεις με την ένδειξη ΜΗ ΕΠΑΛΗΘΕΥΜΕΝΟ δεν έχουν (ακόμη) επιβεβαιωθεί από "
        "δεύτερο ελεγκτή και δεν πρέπει να θεωρούνται αποδεδειγμένες. "
    ),
    "legend": (
        "Στους αριθμούς, ≥ σημαίνει «τουλάχιστον», > «περισσότεροι από», ~ «περίπου», ≤ «έως». "
        "Η αξιοπιστία της πηγής βαθμολογείται από A (απολύτως αξιόπιστη) έως F (δεν μπορεί να "
        "κριθεί) και η αξιοπιστία κάθε πληροφορίας από 1 (επιβεβαιωμένη) έως 6 (δεν μπορεί να "
        "κριθεί)."
    ),
    "person": "Πρόσωπο",
    "bytes": "byte",
}

_STATUS = {
    "en": {
        "unverified": "unverified",
        "in_review": "in review",
        "verified": "verified",
        "disputed": "disputed",
        "rejected": "rejected",
    },
    "el": {
        "unverified": "μη επαληθευμένο",
        "in_review": "υπό έλεγχο",
        "verified": "επαληθευμένο",
        "disputed": "αμφισβητούμενο",
        "rejected": "απορριφθέν",
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
    "el": {
        "exact": "",
        "approximately": "περίπου ",
        "at_least": "τουλάχιστον ",
        "more_than": "περισσότεροι από ",
        "up_to": "έως ",
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
    "el": {
        "victim": "θύμα",
        "perpetrator": "δράστης",
        "speaker": "ομιλητής",
        "organiser": "διοργανωτής",
        "witness": "μάρτυρας",
        "mentioned": "αναφέρεται",
    },
}

_LABELS = {"en": _EN, "el": _EL}


def check_lang(lang: str) -> str:
    cleaned = (lang or "").strip().lower()
    if cleaned not in LANGS:
        raise ValidationError(
            f"'{lang}' is not a dossier language; choose one of: {', '.join(LANGS)}."
        )
    return cleaned


@lru_cache(maxsize=8)
def _json_labels(lang: str) -> dict[str, str]:
    path = resource("translations", f"dossier-{lang}.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError(f"The {lang} dossier labels cannot be read ({path}): {exc}.") from exc
    return {str(k): str(v) for k, v in data.items() if not str(k).startswith("_")}


def _words_of(lang: str) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """(labels, statuses, qualifiers, roles) for ``lang``."""
    if lang not in JSON_LANGS:
        return _LABELS[lang], _STATUS[lang], _QUALIFIER[lang], _ROLE[lang]
    data = _json_labels(lang)

    def group(prefix: str) -> dict[str, str]:
        return {k.split(".", 1)[1]: v for k, v in data.items() if k.startswith(prefix)}

    labels = {k: v for k, v in data.items() if "." not in k}
    return labels, group("status."), group("qualifier."), group("role.")


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
        return text.replace(",", "\u00a0") if self.lang in JSON_LANGS else text

    def edtf(self, edtf: str | None) -> str:
        return human_reading(edtf, self.lang) if edtf else self["undated"]

    def day(self, d: date) -> str:
        return human_reading(d.isoformat(), self.lang)

    def period(self, period: str | None) -> str:
        """A running total's period in words; open ends ("../2020-11-03") included."""
        if not period:
            return self["period_unknown"]
        start, _, end = period.partition("/")
        if start == "..":
            return self["period_until"].format(day=human_reading(end, self.lang))
        if end == "..":
            return self["period_since"].format(day=human_reading(start, self.lang))
        return human_reading(period, self.lang)

    def moment(self, when: datetime) -> str:
        return f"{self.day(when.date())}, {when:%H:%M} UTC"
