r"""Text output for listing commands: ``table`` for people, ``json`` and ``tsv`` for programs.

Only tables cut long cells (with an ellipsis, unless ``max_width`` is ``None``); JSON and TSV
carry every value whole. Every format is safe to print on a terminal: control characters and
bidirectional overrides in data are written as escapes (``\x1b``), so a name cannot clear the
screen, retitle the window or write the clipboard.

>>> format_rows([{"a": 1, "b": "x"}], ["a", "b"], "tsv").splitlines()
['a\tb', '1\tx']
>>> print(format_rows([{"a": "evil\x1b]52;c;aGk=\x07"}], ["a"], "tsv").splitlines()[1])
evil\x1b]52;c;aGk=\x07
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["FORMATS", "TABLE_WIDTH", "format_count", "format_json", "format_rows", "format_table",
           "terminal_safe"]

#: The output formats every listing command accepts.
FORMATS = ("table", "json", "tsv")
#: Longest table cell before it is cut (``--wide`` lifts the limit).
TABLE_WIDTH = 60

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings, overrides and
# isolates that can make text read differently from what it is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    r"""``text`` with every control character (but tab and newline) and bidi override escaped.

    >>> print(terminal_safe("a\x1b[2Jb\u202ec\x9bd"))
    a\x1b[2Jb\u202ec\x9bd
    """
    return _UNSAFE.sub(_escape, text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return terminal_safe(" ".join(str(value).split()))


def format_count(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless ``n`` is 1.

    >>> format_count(1, "error"), format_count(3, "warning")
    ('1 error', '3 warnings')
    """
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def format_json(data: Any) -> str:
    """Pretty JSON with stable key order as given, UTF-8 kept readable.

    Control characters and bidi overrides are written as ``\\uXXXX`` escapes (json escapes the C0
    ones itself; DEL, C1 and bidi are escaped here), so the text is the same data and safe to print.
    """
    return _UNSAFE.sub(_json_escape, json.dumps(data, indent=2, ensure_ascii=False))


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], max_width: int | None = TABLE_WIDTH) -> str:
    """Align ``rows`` in columns under a header; cells longer than ``max_width`` are cut with an
    ellipsis (``None``: never cut)."""
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    if max_width is not None:
        cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in line] for line in cells]
    widths = [max([len(c)] + [len(line[i]) for line in cells]) for i, c in enumerate(columns)]
    out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in cells]
    return "\n".join(out)


def format_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str,
                max_width: int | None = TABLE_WIDTH) -> str:
    """Render ``rows`` as ``table`` (cells cut at ``max_width``), ``json`` (a list of objects) or
    ``tsv`` (with a header; never cut)."""
    if fmt == "json":
        return format_json([{c: row.get(c) for c in columns} for row in rows])
    if fmt == "tsv":
        lines = ["\t".join(columns)]
        lines += ["\t".join(_cell(row.get(c)).replace("\t", " ") for c in columns) for row in rows]
        return "\n".join(lines)
    return format_table(rows, columns, max_width)
