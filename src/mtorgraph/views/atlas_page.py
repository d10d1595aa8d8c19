"""The atlas as pages: a sortable list of conflicts, each opening a graph page with that conflict lit.

``index.html`` lists the records best first (click a column heading to sort by it); each row opens
``conflict-NNNN.html``, the interactive graph page (:mod:`.html`) of the edges and links that the
record's paths step through, plus the null findings on those pairs (they weigh in the steps'
beliefs), with the conflict preselected. Pages work offline and are written together (the folder
holds the old set of pages or the new one, never a mix). Only the ``top`` best records get a page:
the list says how many were left out.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..model import MechanismGraph

__all__ = ["conflict_subgraph", "render_atlas_index", "write_atlas_pages"]

_SORT_JS = """
document.querySelectorAll('th[data-col]').forEach(function (th) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0], col = +th.dataset.col;
    var numeric = th.dataset.type === 'number', asc = th.dataset.dir !== 'asc';
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.value, y = b.cells[col].dataset.value;
      var c = numeric ? (+x) - (+y) : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    table.querySelectorAll('th').forEach(function (h) { delete h.dataset.dir; });
    th.dataset.dir = asc ? 'asc' : 'desc';
  });
});
window.mtorgraphAtlasReady = true;
"""

_COLUMNS = (("rank", "number"), ("source", "text"), ("target", "text"), ("score", "number"),
            ("would …", "text"), ("studies", "number"), ("against", "text"), ("studies", "number"),
            ("separated by", "text"), ("partial", "text"))


def conflict_subgraph(graph: Any, record: dict[str, Any]) -> MechanismGraph:
    """The edges and links a record's paths step through, with the null findings on their pairs."""
    edges: dict[tuple[str, str, str], Any] = {}
    links: dict[tuple[str, str, str], Any] = {}
    for side in ("positive", "negative"):
        for path in record[side]:
            for step in path["steps"]:
                subject, obj = step["subject"], step["object"]
                if step.get("bridge"):
                    for link in graph.links_from(subject):
                        if link.object == obj and link.relation == step["bridge"]:
                            links[link.key] = link
                    continue
                for edge in graph.edges_from(subject):
                    if edge.object == obj and (edge.predicate in step["predicate"].split(",")
                                               or edge.predicate == "no_effect_on"):
                        edges[edge.key] = edge
    keys = {k for item in (*edges.values(), *links.values()) for k in (item.subject, item.object)}
    refs = {ev.reference for item in (*edges.values(), *links.values()) for ev in item.evidence}
    return MechanismGraph(entities=tuple(e for e in graph.entities if e.key in keys),
                          references=tuple(r for r in graph.references if r.key in refs),
                          edges=tuple(edges.values()), links=tuple(links.values()))


def _cell(value: Any, sort_value: Any = None, link: str | None = None) -> str:
    text = html.escape(str(value))
    shown = f'<a href="{html.escape(link, quote=True)}">{text}</a>' if link else text
    key = html.escape(str(value if sort_value is None else sort_value), quote=True)
    return f'<td data-value="{key}">{shown}</td>'


def render_atlas_index(records: Sequence[dict[str, Any]], pages: int, *, title: str, note: str = "") -> str:
    """The list page: one row per record, the first ``pages`` rows linking to their conflict page."""
    rows = []
    for rank, record in enumerate(records, 1):
        pos, neg = record["sides"]["positive"], record["sides"]["negative"]
        link = f"conflict-{rank:04d}.html" if rank <= pages else None
        rows.append("<tr>" + "".join([
            _cell(rank), _cell(record["source"], link=link), _cell(record["target"], link=link),
            _cell(f"{record['score']:.3f}", record["score"]), _cell(pos["effect_words"]),
            _cell(pos["independent_studies"]), _cell(neg["effect_words"]), _cell(neg["independent_studies"]),
            _cell(", ".join(sorted(record["context_differences"])) or "–"),
            _cell("partial" if record["partial"] else ""),
        ]) + "</tr>")
    head = "".join(f'<th data-col="{i}" data-type="{kind}">{html.escape(name)}</th>'
                   for i, (name, kind) in enumerate(_COLUMNS))
    left_out = len(records) - min(pages, len(records))
    more = (f"<p>The {left_out} records after the first {pages} have no page of their own: "
            "<code>mtorgraph view --conflict SOURCE TARGET</code> draws any of them.</p>") if left_out else ""
    digest = base64.b64encode(hashlib.sha256(_SORT_JS.encode()).digest()).decode()
    csp = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
           "connect-src 'none'; form-action 'none'; base-uri 'none'")
    empty = "<p>No two-sided conflicts.</p>" if not records else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>body{{font:14px system-ui,sans-serif;margin:1.5em}}table{{border-collapse:collapse}}
td,th{{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left}}th{{cursor:pointer;background:#f4f4f4}}
th[data-dir=asc]::after{{content:" ▲"}}th[data-dir=desc]::after{{content:" ▼"}}</style></head>
<body><h1>{html.escape(title)}</h1><p>{html.escape(note)}</p>{empty}{more}
<table id="atlas"><thead><tr>{head}</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table>
<script>{_SORT_JS}</script></body></html>
"""


def write_atlas_pages(graph: Any, records: Sequence[dict[str, Any]], out_dir: str | Path, *, top: int = 200,
                      note: str = "") -> Path:
    """Write ``index.html`` and one page per record (the best ``top``) into ``out_dir``; return the index."""
    from ..io.atomic_dir import write_dir_atomic
    from .html import render_html

    pages = min(top, len(records))
    files = {"index.html": render_atlas_index(records, pages, title="mtorgraph atlas: two-sided conflicts",
                                              note=note)}
    for rank, record in enumerate(records[:pages], 1):
        sub = conflict_subgraph(graph, record)
        files[f"conflict-{rank:04d}.html"] = render_html(
            sub, conflict=(record["source"], record["target"]),
            title=f"atlas #{rank}: {record['source']} → {record['target']}")
    write_dir_atomic(out_dir, files)
    return Path(out_dir) / "index.html"
