"""Text output for listing commands: ``table`` for people, ``json`` and ``tsv`` for programs.

>>> format_rows([{"a": 1, "b": "x"}], ["a", "b"], "tsv").splitlines()
['a\\tb', '1\\tx']
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

__all__ = ["FORMATS", "format_count", "format_json", "format_rows", "format_table"]

#: The output formats every listing command accepts.
FORMATS = ("table", "json", "tsv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return " ".join(str(value).split())


def format_count(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless ``n`` is 1.

    >>> format_count(1, "error"), format_count(3, "warning")
    ('1 error', '3 warnings')
    """
    return f"{n} {noun}{'' if n == 1 else 's'}"


def format_json(data: Any) -> str:
    """Pretty JSON with stable key order as given, UTF-8 kept readable."""
    return json.dumps(data, indent=2, ensure_ascii=False)


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], max_width: int = 60) -> str:
    """Align ``rows`` in columns under a header; long cells are cut with an ellipsis."""
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in line] for line in cells]
    widths = [max([len(c)] + [len(line[i]) for line in cells]) for i, c in enumerate(columns)]
    out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in cells]
    return "\n".join(out)


def format_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Render ``rows`` as ``table``, ``json`` (a list of objects) or ``tsv`` (with a header)."""
    if fmt == "json":
        return format_json([{c: row.get(c) for c in columns} for row in rows])
    if fmt == "tsv":
        lines = ["\t".join(columns)]
        lines += ["\t".join(_cell(row.get(c)).replace("\t", " ") for c in columns) for row in rows]
        return "\n".join(lines)
    return format_table(rows, columns)
