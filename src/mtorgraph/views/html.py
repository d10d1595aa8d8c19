"""The interactive HTML graph: one self-contained, offline file made with pyvis and vis-network.

pyvis's own templates load vis-network, Bootstrap and tom-select from CDNs (its ``local`` mode
renders blank offline and writes a ``lib/`` folder into the working directory). This module keeps
from pyvis the vis-network 9.1.2 build it ships, and pyvis's data shapes for nodes, edges and
options (read without importing pyvis, which would pull in IPython), and writes its own page:
vis-network's JavaScript and CSS inlined, the graph's data as escaped JSON, and a small script (``static/mtorgraph.js``) for the evidence panel,
conflict highlighting and filters. A Content-Security-Policy forbids every network request and
any script but the page's own, so even a missed escape could not run injected code.

>>> from mtorgraph.io import load_graph
>>> page = render_html(load_graph("tests/data/mini.yaml"))
>>> page.startswith("<!DOCTYPE html>") and "window.network" not in page and "var network" in page
True
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import MtorgraphError
from ..io.atomic import write_text_atomic
from ..model import EdgeKey, MechanismGraph
from .html_conflicts import to_conflict_payloads
from .neighbourhood import find_capped_neighbourhood
from .html_data import (
    EDGE_COLORS,
    HIGHLIGHT_COLORS,
    LINK_COLOR,
    format_page_json,
    to_edge_payloads,
    to_legend,
    to_node_payloads,
)

__all__ = ["FOCUS_NODES", "MAX_EDGES", "MAX_NODES", "PHYSICS_LIMIT", "SCAN_PAIR_LIMIT", "SCAN_TIMEOUT", "GraphView",
           "RenderedPage", "count_entities", "render_html", "render_page", "write_html"]

#: Above this many nodes the page gets a layout computed in Python and physics off.
PHYSICS_LIMIT = 300
#: Above this many nodes the page is refused: the browser cannot show it usefully.
MAX_NODES = 5000
#: Above this many edges a whole graph is refused (draw a neighbourhood with ``--focus``).
MAX_EDGES = 20000
#: A ``--focus`` neighbourhood is cut to this many entities by default (``--max-nodes`` raises it,
#: up to :data:`MAX_NODES`): fixed positions draw it in about a second, and beyond a few hundred
#: entities a hub's neighbourhood is a hairball nobody reads. What is cut is said on the page.
FOCUS_NODES = 500
#: The conflicts menu scans every chemical → disease/phenotype pair of the drawn graph up to this
#: many pairs; beyond it, the pairs through the focus (at most this many) and the graph's
#: questions (each pair is two searches; any other is one ``mtorgraph conflicts A B`` away).
SCAN_PAIR_LIMIT = 100
#: Seconds each side's search of the page's conflict scan may take.
SCAN_TIMEOUT = 2.0

_VIS_DIR = Path("templates", "lib", "vis-9.1.2")
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


def _static(name: str) -> str:
    return resources.files("mtorgraph.views").joinpath("static", name).read_text(encoding="utf-8")


def _vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS as shipped inside the pyvis package.

    Found without importing pyvis: its import pulls in IPython and jinja2 (about a second), and
    the page needs only these two files.
    """
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise MtorgraphError("pyvis is not installed; reinstall mtorgraph (it depends on pyvis>=0.3.2)")
    base = Path(next(iter(spec.submodule_search_locations)))
    for folder in (base / _VIS_DIR, base / "lib" / "vis-9.1.2"):
        js, css = folder / "vis-network.min.js", folder / "vis-network.css"
        if js.is_file() and css.is_file():
            return js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")
    raise MtorgraphError(f"pyvis at {base} does not ship vis-network 9.1.2; reinstall pyvis>=0.3.2")


def _options(physics: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 200, "selectConnectedEdges": False,
                        "hideEdgesOnDrag": not physics},
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif"}},
        "edges": {"selectionWidth": 2, "hoverWidth": 1},
    }
    if physics:
        options["physics"] = {
            "enabled": True, "solver": "forceAtlas2Based", "minVelocity": 1.0, "timestep": 0.5,
            "forceAtlas2Based": {"gravitationalConstant": -120, "centralGravity": 0.01, "springLength": 140,
                                 "springConstant": 0.06, "damping": 0.4, "avoidOverlap": 0.6},
            "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 50, "fit": True},
        }
    else:
        options["physics"] = {"enabled": False}
    return options


def _page_items(graph: MechanismGraph, full: MechanismGraph, physics: bool,
                beliefs: Mapping[EdgeKey, float] | None) -> dict[str, Any]:
    """The network's nodes, edges and options, as vis-network (and pyvis) take them."""
    from ..analysis.layout import find_layout

    return {"nodes": to_node_payloads(graph, find_layout(graph)),
            "edges": to_edge_payloads(full, graph.edges, links=graph.links, curved=physics, beliefs=beliefs),
            "options": _options(physics)}


def _csp(scripts: Sequence[str]) -> str:
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
                      for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data: blob:; "
            "font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")


def _scan_graph(graph: MechanismGraph, sources: Sequence[str], targets: Sequence[str]) -> Any:
    """The drawn graph as a bounded scan sees it: entities of the kinds the scan pairs up (see
    :func:`~mtorgraph.analysis.conflicts.find_conflicts`) keep their kind only if they are among
    ``sources`` and ``targets``, the others read as processes. Only the scan reads this copy; the
    page's entities, names and effect words come from ``graph``. It is made on the drawn graph's
    columns (one column replaced), not by converting a second object graph."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..analysis.beliefs import as_columnar
    from ..analysis.conflicts import SOURCE_KINDS, TARGET_KINDS
    from ..columnar import ColumnarGraph

    columns = as_columnar(graph)
    entities = columns.tables["entities"]
    field = entities.schema.field("kind")
    kind = entities.column("kind").cast(pa.string())
    demoted = pc.and_(pc.is_in(kind, value_set=pa.array(sorted({*SOURCE_KINDS, *TARGET_KINDS}), pa.string())),
                      pc.invert(pc.is_in(entities.column("key"), value_set=pa.array(sorted({*sources, *targets}),
                                                                                  entities.schema.field("key").type))))
    kinds = pc.if_else(demoted, pa.scalar("process"), kind).cast(field.type)
    relabelled = entities.set_column(entities.schema.get_field_index("kind"), field, kinds)
    return ColumnarGraph({**columns.tables, "entities": relabelled})


def _conflicts(graph: MechanismGraph, focus: str | None,
               conflict: tuple[str, str] | None) -> tuple[list[dict[str, Any]], str | None, str | None]:
    """The conflicts menu's entries (of the drawn graph only), the one to preselect, and a note
    saying what the scan left out, if anything.

    Every edge conflict is listed (finding them is linear). Path conflicts: every chemical →
    disease/phenotype pair when there are at most :data:`SCAN_PAIR_LIMIT`; beyond that, the
    pairs through the focus (at most that many) and the graph's questions.
    """
    from ..analysis.conflicts import SOURCE_KINDS, TARGET_KINDS, conflicts_to_json, find_conflicts

    sources = sorted(e.key for e in graph.entities if e.kind in SOURCE_KINDS)
    targets = sorted(e.key for e in graph.entities if e.kind in TARGET_KINDS)
    total = len(sources) * len(targets)
    note = None
    if total <= SCAN_PAIR_LIMIT:
        entries = to_conflict_payloads(conflicts_to_json(find_conflicts(graph, timeout=SCAN_TIMEOUT)), graph)
    else:
        chosen: tuple[list[str], list[str]] = ([], [])
        if focus in sources:
            chosen = ([focus], targets[:SCAN_PAIR_LIMIT])
        elif focus in targets:
            chosen = (sources[:SCAN_PAIR_LIMIT], [focus])
        scan = find_conflicts(_scan_graph(graph, *chosen), timeout=SCAN_TIMEOUT)
        entries = to_conflict_payloads(conflicts_to_json(scan), graph)
        scanned = {(s, t) for s in chosen[0] for t in chosen[1]}
        drawn = {e.key for e in graph.entities}
        for q in graph.questions:
            if q.source in drawn and q.target in drawn and (q.source, q.target) not in scanned:
                scanned.add((q.source, q.target))
                known = {c["id"] for c in entries}
                found = find_conflicts(graph, q.source, q.target, timeout=SCAN_TIMEOUT)
                entries += [c for c in to_conflict_payloads(conflicts_to_json(found), graph) if c["id"] not in known]
        note = (f"{len(scanned)} of {total} chemical → disease/phenotype pairs scanned for conflicts (those "
                "through the focus and the graph's questions); `mtorgraph conflicts SOURCE TARGET` checks any other")
    if conflict is None:
        return entries, None, note
    source, target = (graph.resolve(name).key for name in conflict)
    wanted = (f"path:{source}|{target}", f"edge:{source}|{target}")
    if not any(c["id"] in wanted for c in entries):
        # the scan covers chemical-to-disease pairs; any other pair is asked for alone
        known = {c["id"] for c in entries}
        pair = to_conflict_payloads(conflicts_to_json(find_conflicts(graph, source, target)), graph)
        entries += [c for c in pair if c["id"] not in known]
    for wanted_id in wanted:
        if any(c["id"] == wanted_id for c in entries):
            return entries, wanted_id, note
    listed = "; ".join(c["label"] for c in entries) or "none"
    raise MtorgraphError(f"no conflict between {source!r} and {target!r} in this graph "
                         f"(the conflicts found: {listed}); `mtorgraph conflicts` lists them")


def count_entities(graph: Any) -> int:
    """The number of entities, without building them on a ColumnarGraph."""
    tables = getattr(graph, "tables", None)  # a ColumnarGraph counts rows without building entities
    return tables["entities"].num_rows if tables is not None else len(graph.entities)


@dataclass(frozen=True)
class RenderedPage:
    """The page's text, and the sentence saying what a capped neighbourhood left out (if any)."""

    text: str
    left_out: str | None = None


def render_html(graph: MechanismGraph, **options: Any) -> str:
    """The whole page as one string: no external resource, safe with any text in the data.

    Takes the options of :func:`render_page`.
    """
    return render_page(graph, **options).text


def render_page(graph: MechanismGraph, *, focus: str | None = None, depth: int = 2,
                conflict: tuple[str, str] | None = None, title: str | None = None,
                beliefs: Mapping[EdgeKey, float] | None = None, max_nodes: int = FOCUS_NODES) -> RenderedPage:
    """The whole page, and what a capped neighbourhood left out.

    With ``focus``, only the neighbourhood is read (through the graph's adjacency) and drawn, cut
    to ``max_nodes`` entities (see :mod:`mtorgraph.views.neighbourhood`); the cut is stated on the
    page. The conflicts menu is computed on the drawn graph only.

    :param graph: a ``MechanismGraph`` or a ``ColumnarGraph``.
    :param focus: show only this entity's neighbourhood (key, CURIE, label or synonym).
    :param depth: how many edges out from ``focus`` to go.
    :param conflict: ``(source, target)``: preselect the conflict between these two entities.
    :param title: the page's heading; by default it names the graph's size.
    :param beliefs: every edge's belief by key (``belief_columns(graph).by_key(graph)``) if already
        computed; else the drawn edges' are computed on the drawn graph (which holds every edge
        on each drawn pair, so they equal the whole graph's).
    :param max_nodes: the most entities a ``focus`` neighbourhood is drawn with.
    :raises UnknownEntityError: if ``focus`` or a conflict end names no entity.
    :raises MtorgraphError: if the graph (without ``focus``) has more than :data:`MAX_NODES`
        entities or :data:`MAX_EDGES` edges, ``max_nodes`` is out of range, or the requested
        conflict does not exist.
    """
    from ..analysis.beliefs import belief_columns

    full = graph
    focus_key = None
    left_out = None
    if focus is not None:
        if depth < 0:
            raise MtorgraphError(f"--depth must be 0 or more, not {depth}")
        if not 1 <= max_nodes <= MAX_NODES:
            raise MtorgraphError(f"--max-nodes must lie between 1 and {MAX_NODES}, not {max_nodes}")
        focus_entity = full.resolve(focus)
        focus_key = focus_entity.key
        around = find_capped_neighbourhood(full, focus_key, depth, max_nodes)
        graph = around.graph
        left_out = around.left_out_note(focus_entity.name)
        if beliefs is None:
            beliefs = belief_columns(graph).by_key(graph)
    else:
        n_all, e_all = count_entities(graph), len(graph.edges)
        if n_all > MAX_NODES or e_all > MAX_EDGES:
            raise MtorgraphError(f"the graph has {n_all:,} entities and {e_all:,} edges, more than a browser "
                                 f"can show usefully (limits {MAX_NODES:,} entities, {MAX_EDGES:,} edges); "
                                 "draw a neighbourhood with --focus ENTITY --depth N")
    n = len(graph.entities)
    physics = n <= PHYSICS_LIMIT
    items = _page_items(graph, full, physics, beliefs)
    conflicts, preselect, scan_note = _conflicts(graph, focus_key, conflict)
    if title is None:
        where = f" around {full.resolve(focus).name} (depth {depth})" if focus is not None else ""
        title = f"mtorgraph: {n} entities, {len(graph.edges)} edges{where}"
    data = {**items, "physics": physics, "conflicts": conflicts, "preselect": preselect, "scan_note": scan_note,
            "legend": to_legend(graph), **({"left_out": left_out} if left_out else {})}
    vis_js, vis_css = _vis_assets()
    app_js = _static("mtorgraph.js")
    parts = {
        "TITLE": html.escape(title), "CSP": _csp([vis_js, app_js]),
        "VIS_CSS": vis_css, "APP_CSS": _static("mtorgraph.css"),
        "VIS_JS": vis_js, "APP_JS": app_js, "DATA": format_page_json(data),
        "POS": EDGE_COLORS[1], "NEG": EDGE_COLORS[-1], "ZERO": EDGE_COLORS[0],
        "HL_POS": HIGHLIGHT_COLORS["positive"], "HL_NEG": HIGHLIGHT_COLORS["negative"],
        "HL_BOTH": HIGHLIGHT_COLORS["both"], "LINK": LINK_COLOR,
    }
    # One pass over the template: text inserted for one placeholder is never scanned again.
    return RenderedPage(_PLACEHOLDER.sub(lambda m: parts[m.group(1)], _static("page.html")), left_out)


def write_html(graph: MechanismGraph, path: str | Path, **options: Any) -> Path:
    """Render the page (see :func:`render_html` for ``options``) and write it atomically to ``path``.

    Nothing else is written: no ``lib/`` folder, no copies of assets.
    """
    return write_text_atomic(path, render_html(graph, **options))


class GraphView:
    """A graph shown inline in Jupyter: ``GraphView(graph)`` as the last expression of a cell.

    The page goes into an ``<iframe srcdoc>`` so its script and styles stay apart from the
    notebook's.
    """

    def __init__(self, graph: MechanismGraph, *, height: int = 640, **options: Any):
        self.graph = graph
        self.height = height
        self.options = options

    def render(self) -> str:
        """The page, as :func:`render_html` makes it."""
        return render_html(self.graph, **self.options)

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.render(), quote=True)}" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
                'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>')
