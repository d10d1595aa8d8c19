"""A tiny document model with two renderers: Markdown and a self-contained HTML page.

The report is built once as blocks (headings, paragraphs, lists, tables) of inline pieces (text,
links, emphasis), then rendered. The HTML renderer escapes every piece of text, so data never
becomes markup; the Markdown renderer escapes the characters Markdown would interpret.

>>> doc = [Heading(1, [Text("Title")]), Paragraph([Text("See "), Link("a <b>", "https://doi.org/10.1000/x")])]
>>> print(render_markdown(doc))
# Title
<BLANKLINE>
See [a \\<b\\>](https://doi.org/10.1000/x)
<BLANKLINE>
>>> "a &lt;b&gt;" in render_html(doc, title="t")
True
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Union

__all__ = [
    "Block",
    "BulletList",
    "Emphasis",
    "Heading",
    "Inline",
    "Link",
    "Paragraph",
    "Strong",
    "Table",
    "Text",
    "render_html",
    "render_markdown",
    "safe_href",
]


@dataclass(frozen=True)
class Text:
    """Plain text."""

    text: str


@dataclass(frozen=True)
class Strong:
    """Bold text."""

    text: str


@dataclass(frozen=True)
class Emphasis:
    """Italic text."""

    text: str


@dataclass(frozen=True)
class Link:
    """A link; ``href`` starting with ``#`` points inside the document."""

    text: str
    href: str


Inline = Union[Text, Strong, Emphasis, Link]


@dataclass(frozen=True)
class Heading:
    """A section heading; ``anchor`` gives it an id others can link to."""

    level: int
    content: list[Inline]
    anchor: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``anchor`` gives it an id."""

    content: list[Inline]
    anchor: str | None = None


@dataclass(frozen=True)
class BulletList:
    """A bulleted list; each item is a list of inlines, optionally with an anchor."""

    items: list[list[Inline]]
    anchors: list[str | None] = field(default_factory=list)


@dataclass(frozen=True)
class Table:
    """A table with a header row; cells are lists of inlines."""

    header: list[str]
    rows: list[list[list[Inline]]]


Block = Union[Heading, Paragraph, BulletList, Table]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_ANCHOR = re.compile(r"^#[A-Za-z0-9_.:-]*$")
_URL_SAFE = "-._~:/?#&=%+;,@!$"


def safe_href(href: str) -> str | None:
    """``href`` as a link target both renderers can write unchanged, or ``None`` if it is unsafe.

    An in-page anchor (``#`` and identifier characters) or an ``http``/``https`` URL with a host;
    every character outside the URL-safe set (brackets, parentheses, quotes, spaces, non-ASCII) is
    percent-encoded, so a target can never close its Markdown link or an HTML attribute.

    >>> safe_href("https://doi.org/10.1002/(SICI)x")
    'https://doi.org/10.1002/%28SICI%29x'
    >>> safe_href("javascript:alert(1)") is None, safe_href("#edge-a-b")
    (True, '#edge-a-b')
    """
    if href.startswith("#"):
        return href if _ANCHOR.match(href) else None
    if _CONTROL.search(href) or any(c.isspace() for c in href):
        return None
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(href, safe=_URL_SAFE)


#: A report repeats its words (kinds, directions, study names, DOI links) thousands of times:
#: each distinct text is escaped, and each distinct target checked, once.
_MEMO = 1 << 14  # (findings are mostly distinct: this bounds what they hold, ~16k texts)


@lru_cache(maxsize=_MEMO)
def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", _CONTROL.sub(" ", text)))


@lru_cache(maxsize=_MEMO)
def _html_text(text: str) -> str:
    return html.escape(_CONTROL.sub(" ", text))


_href = lru_cache(maxsize=_MEMO)(safe_href)


def _md_inline(piece: Inline) -> str:
    if isinstance(piece, (Strong, Emphasis)):
        # Markdown ignores a delimiter next to a space, so spaces go outside it.
        mark = "**" if isinstance(piece, Strong) else "*"
        core = piece.text.strip()
        lead = " " if piece.text[:1].isspace() else ""
        trail = " " if piece.text[-1:].isspace() else ""
        return f"{lead}{mark}{_md_escape(core)}{mark}{trail}" if core else piece.text
    if isinstance(piece, Link):
        href = _href(piece.href)
        return f"[{_md_escape(piece.text)}]({href})" if href else _md_escape(piece.text)
    return _md_escape(piece.text)


def _md_line(content: list[Inline]) -> str:
    return "".join(_md_inline(p) for p in content)


def render_markdown(blocks: list[Block]) -> str:
    """Render blocks as GitHub-flavoured Markdown (anchors become HTML ids on headings)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            anchor = f' <a id="{html.escape(block.anchor)}"></a>' if block.anchor else ""
            out += ["#" * block.level + " " + _md_line(block.content) + anchor, ""]
        elif isinstance(block, Paragraph):
            anchor = f'<a id="{html.escape(block.anchor)}"></a>' if block.anchor else ""
            out += [anchor + _md_line(block.content), ""]
        elif isinstance(block, BulletList):
            anchors = block.anchors or [None] * len(block.items)
            for item, anchor in zip(block.items, anchors):
                out.append("- " + (f'<a id="{html.escape(anchor)}"></a>' if anchor else "") + _md_line(item))
            out.append("")
        elif isinstance(block, Table):
            out.append("| " + " | ".join(_md_escape(h) for h in block.header) + " |")
            out.append("|" + "---|" * len(block.header))
            out += ["| " + " | ".join(_md_line(cell) for cell in row) + " |" for row in block.rows]
            out.append("")
    return "\n".join(out)


def _html_inline(piece: Inline) -> str:
    text = _html_text(piece.text)
    if isinstance(piece, Strong):
        return f"<strong>{text}</strong>"
    if isinstance(piece, Emphasis):
        return f"<em>{text}</em>"
    if isinstance(piece, Link):
        href = _href(piece.href)
        return f'<a href="{html.escape(href)}">{text}</a>' if href else text
    return text


def _html_line(content: list[Inline]) -> str:
    return "".join(_html_inline(p) for p in content)


def _id(anchor: str | None) -> str:
    return f' id="{html.escape(anchor)}"' if anchor else ""


_STYLE = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:52rem;margin:0 auto;padding:1rem;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #ddd}h3{font-size:1.1rem}
table{border-collapse:collapse;display:block;overflow-x:auto;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
li{margin:.3rem 0}a{color:#0b5cad;overflow-wrap:anywhere}:target{background:#fff3c4}
""".strip()


def render_html(blocks: list[Block], title: str) -> str:
    """Render blocks as one offline HTML page (inline CSS, no external resource), phone-readable."""
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}{_id(block.anchor)}>{_html_line(block.content)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            body.append(f"<p{_id(block.anchor)}>{_html_line(block.content)}</p>")
        elif isinstance(block, BulletList):
            anchors = block.anchors or [None] * len(block.items)
            items = "".join(f"<li{_id(a)}>{_html_line(i)}</li>" for i, a in zip(block.items, anchors))
            body.append(f"<ul>{items}</ul>")
        elif isinstance(block, Table):
            head = "".join(f"<th>{html.escape(h)}</th>" for h in block.header)
            rows = "".join("<tr>" + "".join(f"<td>{_html_line(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body) + "\n</body>\n</html>\n"
    )
