"""What a reviewer reads about one event, as one page of HTML: what it asserts, its figures
with their sources, its citations with the quoted passages and links to the archived
copies, and what changed since the last decision, in words (the History tab's words)."""

from __future__ import annotations

import html

from belarchive.domain.edtf_dates import human_reading
from belarchive.domain.values import QUALIFIER_SYMBOL, Qualifier
from belarchive.gui.editor.figures_tab import kind_label
from belarchive.gui.editor.history_tab import Words, action_label, when_in_words
from belarchive.gui.i18n import current_language, tr
from belarchive.gui.models.event_table import status_label
from belarchive.storage.detail import CitationInfo, EventDetail, FigureInfo
from belarchive.storage.review import SinceDecision

e = html.escape
COPY_SCHEME = "copy"  # links to an archived copy: copy:<citation uuid>/<sha256>


def copy_link(citation: str, sha256: str) -> str:
    return f"{COPY_SCHEME}:{citation}/{sha256}"


def parse_copy_link(url: str) -> tuple[str, str] | None:
    scheme, _, rest = url.partition(":")
    citation, _, sha = rest.partition("/")
    return (citation, sha) if scheme == COPY_SCHEME and citation and sha else None


def summary_html(d: EventDetail, since: SinceDecision, words: Words) -> str:
    parts = [f"<h2>{e(d.title)}</h2>", _facts(d, words.tag_labels)]
    if d.description.strip():
        parts.append(f"<p>{e(d.description).replace(chr(10), '<br>')}</p>")
    parts.append(_figures(d))
    parts.append(_citations(d))
    parts.append(_changes(since, words))
    return "".join(parts)


def _facts(d: EventDetail, tag_labels: dict[str, str]) -> str:
    rows = [
        (tr("Date"), human_reading(d.date_edtf, current_language()) if d.date_edtf else "—"),
        (tr("Places"), ", ".join(p.display_name for p in d.places) or "—"),
        (tr("People and organisations"), ", ".join(a.name for a in d.actors) or "—"),
        (tr("Tags"), ", ".join(tag_labels.get(t, t) for t in d.tags) or "—"),
        (tr("Status"), status_label(d.status)),
    ]
    body = "".join(f"<tr><td style='color:#5f6368; padding-right:10px'>{e(k)}</td>"
                   f"<td>{e(v)}</td></tr>" for k, v in rows)  # fmt: skip
    return f"<table>{body}</table>"


def _value(f: FigureInfo) -> str:
    try:
        symbol = QUALIFIER_SYMBOL.get(Qualifier(f.qualifier), "")
    except ValueError:
        symbol = ""
    value = f"{f.value_min:,}–{f.value_max:,}" if f.value_max else f"{f.value_min:,}"
    running = tr(" (running total)") if not f.counted else ""
    return f"{symbol}{value}{running}".replace(",", "\u202f")


def _figures(d: EventDetail) -> str:
    if not d.figures:
        figures, none = tr("Figures"), tr("No figures.")
        return f"<h3>{e(figures)}</h3><p>{e(none)}</p>"
    cited = {c.uuid: c for c in d.citations}
    rows = []
    for f in d.figures:
        citation = cited.get(f.citation_uuid or "")
        source = _source_words(citation) if citation else tr("no source given")
        colour = "" if citation else " style='color:#b00020'"
        rows.append(f"<tr><td>{e(kind_label(f.kind))}</td><td><b>{e(_value(f))}</b></td>"
                    f"<td{colour}>{e(source)}</td></tr>")  # fmt: skip
    names = (tr("Figure"), tr("Value"), tr("Source"))
    head = "<tr>" + "".join(f"<th align='left'>{e(n)}</th>" for n in names) + "</tr>"
    table = f"<table cellpadding='3'>{head}{''.join(rows)}</table>"
    figures = tr("Figures")
    return f"<h3>{e(figures)}</h3>{table}"


def _source_words(c: CitationInfo) -> str:
    where = f", {c.locator}" if c.locator else ""
    return f"{c.source.title}{where}"


def _citations(d: EventDetail) -> str:
    title = tr("Citations ({n})").format(n=len(d.citations))
    if not d.citations:
        missing = tr("No source is cited: the event cannot be verified.")
        return f"<h3>{e(title)}</h3><p style='color:#b00020'>{e(missing)}</p>"
    blocks, no_copy = [], tr("No archived copy.")
    for c in d.citations:
        s = c.source
        grade = f"{s.reliability}{c.credibility}"
        lines = [f"<b>{e(s.title)}</b>"
                 + "".join(f" · {e(x)}" for x in (s.publisher, c.locator, grade) if x)]  # fmt: skip
        if s.url:
            lines.append(f"<span style='color:#5f6368'>{e(s.url)}</span>")
        if c.quote.strip():
            lines.append(f"<i>“{e(' '.join(c.quote.split()))}”</i>")
        else:
            unquoted = tr("No passage quoted.")
            lines.append(f"<span style='color:#5f6368'>{e(unquoted)}</span>")
        view = tr("View “{name}”")
        copies = [f"<a href='{copy_link(c.uuid, a.sha256)}'>"
                  f"{e(view.format(name=a.original_name))}</a>" for a in s.attachments]  # fmt: skip
        none = f"<span style='color:#5f6368'>{e(no_copy)}</span>"
        lines.append(" · ".join(copies) if copies else none)
        blocks.append("<p>" + "<br>".join(lines) + "</p>")
    return f"<h3>{e(title)}</h3>{''.join(blocks)}"


def _changes(since: SinceDecision, words: Words) -> str:
    if since.decided_at is None:
        head = tr("No earlier decision: this is the event's first review. Its history:")
    else:
        head = tr("Last decision: {status} by {who} on {when}. Changed since then:").format(
            status=status_label(since.decision or ""), who=since.decided_by,
            when=when_in_words(since.decided_at))  # fmt: skip
    items = []
    for entry in since.entries:
        lines = words.diff(entry.before_json, entry.after_json)
        detail = "".join(f"<br>&nbsp;&nbsp;{e(line)}" for line in lines)
        items.append(f"<li>{e(when_in_words(entry.ts))} · {e(entry.user)} · "
                     f"{e(action_label(entry.action))}{detail}</li>")  # fmt: skip
    unchanged, title = tr("Nothing has changed."), tr("What changed")
    body = f"<ul>{''.join(items)}</ul>" if items else f"<p>{e(unchanged)}</p>"
    return f"<h3>{e(title)}</h3><p>{e(head)}</p>{body}"
