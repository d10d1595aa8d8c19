"""``mtorgraph diff OLD NEW``: what an update adds, removes and changes, for a curator to review."""

from __future__ import annotations

from typing import Any

import click

from .. import progress
from .common import check_exists, echo, format_option, rows_text

__all__ = ["COMMANDS"]

DIFF_COLUMNS = ["kind", "change", "key", "details"]


def _open(path: str) -> Any:
    from ..columnar import ColumnarGraph
    from ..io import load_graph

    check_exists(path)
    with progress.task(f"loading {path}"):
        return ColumnarGraph.from_model(load_graph(path))


def _details(change: Any) -> str:
    parts = [f"{name}: {old!r} -> {new!r}" for name, (old, new) in change.fields.items()]
    if change.evidence_added:
        parts.append(f"+{len(change.evidence_added)} evidence")
    if change.evidence_removed:
        parts.append(f"-{len(change.evidence_removed)} evidence")
    return "; ".join(parts)


@click.command()
@click.argument("old", type=click.Path(path_type=str))
@click.argument("new", type=click.Path(path_type=str))
@format_option
def diff(old: str, new: str, fmt: str) -> None:
    """Entities, references, edges, links and evidence added, removed or changed from OLD to NEW.

    Edges are matched by subject, predicate and object; evidence by its whole content, so an edited
    finding shows as one item removed and one added. Exit status 0 whether or not anything changed.
    """
    from ..columnar.diff import diff_graphs, diff_to_json
    from ..views.text import format_json

    result = diff_graphs(_open(old), _open(new))
    if fmt == "json":
        echo(format_json(diff_to_json(result)))
        return
    rows = [{"kind": c.kind, "change": c.change, "key": c.key, "details": _details(c)} for c in result.changes]
    if fmt == "tsv":
        echo(rows_text(rows, DIFF_COLUMNS, fmt))
        return
    counts = result.counts()
    summary = ", ".join(f"{kind}: +{c['added']} -{c['removed']}" + (f" ~{c['changed']}" if "changed" in c else "")
                        for kind, c in counts.items())
    echo(rows_text(rows, DIFF_COLUMNS, fmt) if rows else "no differences")
    echo(summary)


COMMANDS = [diff]
