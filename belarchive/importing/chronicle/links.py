"""Sources named in a chronicle line: Markdown links, bare URLs and "Источник: X" lines.

Each becomes a ProposedLink with a publisher: the link text when it is a name ("Meduza",
"Весна"), else the web address's host ("spring96.org"). A link written without an address
(``[Meduza]()``) keeps its name and is reported, never silently dropped.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from belarchive.importing.chronicle.model import ProposedLink
from belarchive.importing.chronicle.text import fold

# [label](url) — the URL may be missing ("[Meduza]()"); an escaped "\[" is not a link.
MD_LINK = re.compile(r"(?<!\\)\[([^\]\n]*)\]\(\s*(<?[^)\s]*>?)[^)\n]*\)")
AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
BARE_URL = re.compile(r"(?<![\[<])\bhttps?://[^\s<>()\[\]«»\"]+[^\s<>()\[\]«»\".,;:!?]")
# "Источник: …", "Source: …", "Πηγή: …", "Крыніца: …", "Подробнее: …", "Read more: …"
SOURCE_LEAD = re.compile(
    r"^\s*(?:"
    r"источники?|подробнее|читайте также|по данным|крыніц[аы]|падрабязней|"
    r"sources?|read more|more|via|πηγ(?:η|ες)|περισσοτερα"
    r")\s*:\s*",
    re.IGNORECASE,
)
# Link texts that say nothing about who published it.
_GENERIC = frozenset(
    fold(w)
    for w in ("здесь", "тут", "ссылка", "ссылке", "подробнее", "источник", "читать", "видео",
              "фото", "тут", "спасылка", "here", "link", "source", "more", "read more", "video",
              "photo", "εδώ", "εδω", "πηγή", "σύνδεσμος")
)  # fmt: skip
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")


def unescape_markdown(text: str) -> str:
    """``\\!`` → ``!``, ``\\(`` → ``(``: Markdown escapes are not part of the words."""
    return _MARKDOWN_ESCAPE.sub(r"\1", text)


def publisher_of(label: str, url: str) -> str:
    """The name a person would give the source: the link text if it is a name, else the host."""
    name = " ".join(label.strip(" «»\"“”'()[]").split())
    words = name.split()
    if name and len(words) <= 5 and fold(name) not in _GENERIC and not name.startswith("http"):
        return name
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or name


def find_links(raw: str, line: int) -> tuple[str, list[ProposedLink], list[str]]:
    """(text with links replaced by their labels, the links, problems to report)."""
    links: list[ProposedLink] = []
    problems: list[str] = []

    def replace(m: re.Match[str]) -> str:
        label, url = m.group(1).strip(), m.group(2).strip("<> ")
        if url and not url.lower().startswith(("http://", "https://")):
            problems.append(
                f"line {line}: the link '{label or url}' has no web address ('{url}'); "
                "it is cited by name only"
            )
            url = ""
        elif not url:
            problems.append(
                f"line {line}: the link '{label}' has no web address; it is cited by name only"
            )
        if url or label:
            links.append(ProposedLink(url, publisher_of(label, url), label, line))
        return label

    text = MD_LINK.sub(replace, raw)
    text = AUTOLINK.sub(lambda m: m.group(1), text)
    for m in BARE_URL.finditer(text):
        url = m.group(0)
        if all(link.url != url for link in links):
            links.append(ProposedLink(url, publisher_of("", url), "", line))
    # A bare address is a source, not words of the item (its digits are no figures).
    text = BARE_URL.sub("", text)
    text = re.sub(r"\(\s*\)|\s{2,}", " ", text).rstrip()
    return text, links, problems


def source_line_links(text: str, line: int, links: list[ProposedLink]) -> list[ProposedLink]:
    """For a line that names its source ("Источник: Meduza"): the links, or the bare name."""
    lead = SOURCE_LEAD.match(text)
    if lead is None:
        return links
    if links:
        return links
    rest = BARE_URL.sub("", text[lead.end() :]).strip(" .;,")
    names = [n.strip() for n in re.split(r"[,;]| и | and ", rest) if n.strip()]
    return [ProposedLink("", publisher_of(n, ""), n, line) for n in names[:5]]


def is_source_line(text: str, links: list[ProposedLink]) -> bool:
    """A line that only names a source: "Источник: [Meduza](…)", or nothing but a link."""
    if SOURCE_LEAD.match(text):
        return True
    if not links:
        return False
    rest = text
    for link in links:
        rest = rest.replace(link.label, "", 1) if link.label else rest.replace(link.url, "", 1)
    return not re.search(r"[^\W\d_]{2,}", rest)
