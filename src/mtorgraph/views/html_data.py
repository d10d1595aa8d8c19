"""The data behind the HTML page: how entities and edges are drawn, and what the panel shows.

Everything here is plain JSON-ready data, so it can be tested without a browser. The page embeds
it as JSON (:func:`format_page_json` escapes it for a ``<script>`` block) and builds every piece
of text from it with ``textContent`` — nothing from the graph ever reaches ``innerHTML``.

>>> edge_id(("rapamycin", "inhibits", "mtorc1"))
'rapamycin|inhibits|mtorc1'
>>> format_page_json({"label": "</script><b>x</b>"})
'{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003ex\\\\u003c/b\\\\u003e"}'
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from collections.abc import Iterable
from typing import Any

from ..model import Edge, EdgeKey, MechanismGraph
from ..vocab import EVIDENCE_KINDS, PREDICATES, PREFIX_IRIS, SPECIES, expand_curie
from .records import edge_record, entity_record

__all__ = [
    "EDGE_COLORS",
    "HIGHLIGHT_COLORS",
    "KIND_STYLES",
    "KindStyle",
    "edge_id",
    "find_neighbourhood",
    "format_page_json",
    "to_conflict_payloads",
    "to_edge_payloads",
    "to_legend",
    "to_node_payloads",
]


@dataclass(frozen=True)
class KindStyle:
    """How one entity kind is drawn: vis-network shape, fill, border."""

    shape: str
    background: str
    border: str


#: Node shape and colour by entity kind (Okabe–Ito-like hues, distinguishable with colour-blindness).
KIND_STYLES: dict[str, KindStyle] = {
    "chemical": KindStyle("diamond", "#e69f00", "#a36f00"),
    "gene": KindStyle("ellipse", "#cfe3f3", "#3d7ab3"),
    "protein": KindStyle("ellipse", "#9ecae1", "#2f6a9e"),
    "complex": KindStyle("hexagon", "#56b4e9", "#1f6f9e"),
    "process": KindStyle("box", "#d9f0d3", "#4d9a44"),
    "phenotype": KindStyle("box", "#fde0c5", "#c0772b"),
    "disease": KindStyle("star", "#cc79a7", "#8e3f6d"),
    "anatomy": KindStyle("triangle", "#d9d9d9", "#7a7a7a"),
    "exposure": KindStyle("triangleDown", "#f0e442", "#a39a12"),
    "regimen": KindStyle("square", "#009e73", "#006b4e"),
    "outcome": KindStyle("box", "#e8dff5", "#7b5ea7"),
}

#: Edge colour by sign: green +, red −, grey unsigned.
EDGE_COLORS: dict[int, str] = {1: "#1a9641", -1: "#d7191c", 0: "#8c8c8c"}

#: Colours for a selected conflict: its positive side, negative side, edges on both, null
#: findings (``no_effect_on``) of an edge conflict, and the rest.
HIGHLIGHT_COLORS: dict[str, str] = {"positive": "#2166ac", "negative": "#e66101", "both": "#7b3294",
                                    "null": "#4d4d4d", "dimmed": "#e3e3e3"}

_DOTTED = [2, 5]    # no_effect_on
_DASHED = [10, 7]   # hypotheses


def edge_id(key: EdgeKey | Iterable[str]) -> str:
    """The stable id of an edge in the page: ``subject|predicate|object``."""
    return "|".join(key)


def _curie_link(curie: str) -> str | None:
    prefix = curie.partition(":")[0]
    return expand_curie(curie) if prefix in PREFIX_IRIS else None


def to_node_payloads(graph: MechanismGraph,
                     positions: dict[str, tuple[float, float]] | None = None) -> list[dict[str, Any]]:
    """One vis-network node per entity (sorted by key), with the entity record for the panel.

    The canvas draws ``label`` as text, so a label cannot inject markup; the panel uses ``info``.
    """
    nodes = []
    for entity in sorted(graph.entities, key=lambda e: e.key):
        style = KIND_STYLES[entity.kind]
        node: dict[str, Any] = {
            "id": entity.key,
            "label": entity.name,
            "shape": style.shape,
            "kind": entity.kind,
            "color": {"background": style.background, "border": style.border,
                      "highlight": {"background": style.background, "border": "#000000"},
                      "hover": {"background": style.background, "border": "#000000"}},
            "borderWidth": 1,
            "font": {"color": "#222222"},
            "info": {**entity_record(entity), "link": _curie_link(entity.id)},
        }
        if style.shape in ("diamond", "star", "triangle", "triangleDown", "square", "hexagon", "dot"):
            node["size"] = 16
        if positions is not None and entity.key in positions:
            node["x"], node["y"] = positions[entity.key]
        nodes.append(node)
    return nodes


def _arrow(edge: Edge) -> dict[str, Any]:
    if edge.predicate == "associated_with":
        return {"to": {"enabled": False}}
    if edge.predicate == "no_effect_on":
        return {"to": {"enabled": True, "type": "circle", "scaleFactor": 0.5}}
    return {"to": {"enabled": True, "type": "bar" if edge.sign < 0 else "arrow", "scaleFactor": 0.8}}


def _smooth_by_edge(edges: Iterable[Edge], curved: bool) -> dict[EdgeKey, dict[str, Any]]:
    """Spread parallel edges between one pair of entities on distinct curves."""
    groups: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for edge in edges:
        groups[tuple(sorted((edge.subject, edge.object)))].append(edge)  # type: ignore[index]
    smooth: dict[EdgeKey, dict[str, Any]] = {}
    for (first, _), members in groups.items():
        if len(members) == 1:
            smooth[members[0].key] = ({"enabled": True, "type": "continuous", "roundness": 0.2}
                                      if curved else {"enabled": False})
            continue
        members.sort(key=lambda e: e.key)
        count = len(members)
        for i, edge in enumerate(members):
            offset = i - (count - 1) / 2
            if offset == 0:
                smooth[edge.key] = {"enabled": False}
                continue
            clockwise = offset > 0
            if edge.subject != first:  # the same side of the pair, seen from the other end
                clockwise = not clockwise
            smooth[edge.key] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                                "roundness": round(0.25 * abs(offset) + 0.05 * i, 3)}
    return smooth


def to_edge_payloads(graph: MechanismGraph, edges: Iterable[Edge] | None = None, *,
                     curved: bool = True) -> list[dict[str, Any]]:
    """One vis-network edge per graph edge (never merged), with its record for the panel.

    Colour by sign, a bar end for inhibition, dotted for ``no_effect_on``, dashed for hypotheses,
    width by belief; parallel edges between one pair get distinct curves.
    Beliefs come from ``graph`` even when ``edges`` is a subset of it.
    """
    chosen = sorted(graph.edges if edges is None else edges, key=lambda e: e.key)
    smooth = _smooth_by_edge(chosen, curved)
    payloads = []
    for edge in chosen:
        record = edge_record(graph, edge)
        colour = EDGE_COLORS[edge.sign]
        dashes: bool | list[int] = _DOTTED if edge.predicate == "no_effect_on" else (
            _DASHED if edge.is_hypothesis else False)
        payloads.append({
            "id": edge_id(edge.key),
            "from": edge.subject,
            "to": edge.object,
            "color": {"color": colour, "highlight": colour, "hover": colour, "inherit": False,
                      "opacity": 1.0},
            "width": round(1 + 5 * record["belief"], 2),
            "dashes": dashes,
            "arrows": _arrow(edge),
            "smooth": smooth[edge.key],
            "predicate": edge.predicate,
            "sign": edge.sign,
            "hypothesis": edge.is_hypothesis,
            "info": {**record, "id": edge_id(edge.key),
                     "predicate_label": PREDICATES[edge.predicate].label,
                     "kind_labels": {ev.kind: EVIDENCE_KINDS[ev.kind].label for ev in edge.evidence}},
        })
    return payloads


def to_legend(graph: MechanismGraph) -> dict[str, Any]:
    """What the legend and the filters list: entity kinds present, evidence kinds, species."""
    kinds = sorted({e.kind for e in graph.entities}, key=list(KIND_STYLES).index)
    evidence = {ev.kind for edge in graph.edges for ev in edge.evidence}
    species = {ev.context.species for edge in graph.edges for ev in edge.evidence if ev.context.species}
    return {
        "kinds": [{"kind": k, "shape": KIND_STYLES[k].shape,
                   "background": KIND_STYLES[k].background, "border": KIND_STYLES[k].border}
                  for k in kinds],
        "evidence_kinds": [{"kind": k, "label": EVIDENCE_KINDS[k].label}
                           for k in EVIDENCE_KINDS if k in evidence],
        "species": [{"species": s, "label": SPECIES[s].label} for s in SPECIES if s in species],
        "edge_colors": {"positive": EDGE_COLORS[1], "negative": EDGE_COLORS[-1], "unsigned": EDGE_COLORS[0]},
        "highlight": HIGHLIGHT_COLORS,
    }


def find_neighbourhood(graph: MechanismGraph, key: str, depth: int) -> MechanismGraph:
    """The entities within ``depth`` edges of ``key`` (either direction) and the edges among them.

    Claims are left out (they may cite edges outside the neighbourhood); references are kept.

    :raises ValueError: if ``depth`` is negative.
    """
    if depth < 0:
        raise ValueError("depth must be 0 or more")
    seen = {key}
    frontier = {key}
    for _ in range(depth):
        nxt = set()
        for k in frontier:
            nxt.update(e.object for e in graph.edges_from(k))
            nxt.update(e.subject for e in graph.edges_to(k))
        frontier = nxt - seen
        seen |= frontier
    return MechanismGraph(
        entities=tuple(e for e in graph.entities if e.key in seen),
        references=graph.references,
        edges=tuple(e for e in graph.edges if e.subject in seen and e.object in seen),
    )


def format_page_json(data: Any) -> str:
    """JSON safe to embed in ``<script type="application/json">``: ``<``, ``>``, ``&`` escaped.

    The escapes are JSON's own (``\\u003c``), so ``JSON.parse`` gives back the original text while
    no ``</script>`` or ``<!--`` can close or confuse the block.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _step_ids(path: dict[str, Any]) -> list[str]:
    # A step that merges parallel same-sign edges names them all: "activates,increases".
    return [edge_id((s["subject"], p, s["object"])) for s in path.get("steps", ())
            for p in s["predicate"].split(",")]


def _claim_id(subject: str, obj: str, claim: Any) -> str:
    if isinstance(claim, str):  # "subject predicate object"
        return edge_id(claim.split(" "))
    return edge_id((claim.get("subject", subject), claim["predicate"], claim.get("object", obj)))


def _path_steps(path: dict[str, Any]) -> list[list[str]]:
    return [[s["subject"], s["predicate"], s["object"]] for s in path.get("steps", ())]


def to_conflict_payloads(conflicts: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """The conflicts control's entries, from :func:`mtorgraph.analysis.conflicts.conflicts_to_json`.

    Each entry has an ``id`` (``path:source|target`` or ``edge:subject|object``), a label, the edge
    ids of its positive and negative sides (and, for an edge conflict, of its ``no_effect_on``
    findings), and what the panel shows about it. Path conflicts
    come first, in the analysis's order.

    :param names: display names by entity key, for the labels.
    """
    out = []
    for c in conflicts.get("path_conflicts", ()):
        pos, neg = c.get("positive", []), c.get("negative", [])
        out.append({
            "id": f"path:{c['source']}|{c['target']}",
            "type": "path",
            "label": f"{names.get(c['source'], c['source'])} → {names.get(c['target'], c['target'])}: "
                     f"{len(pos)} positive vs {len(neg)} negative path{'s' if len(pos) + len(neg) != 1 else ''}",
            "positive": sorted({i for p in pos for i in _step_ids(p)}),
            "negative": sorted({i for p in neg for i in _step_ids(p)}),
            "null": [],
            "nodes": sorted({k for p in pos + neg for s in p.get("steps", ()) for k in (s["subject"], s["object"])}),
            "positive_paths": [{"steps": _path_steps(p), "score": p.get("score")} for p in pos],
            "negative_paths": [{"steps": _path_steps(p), "score": p.get("score")} for p in neg],
            "null_paths": [],
            "divergence": list(c.get("divergence", ())),
            "context_differences": c.get("context_differences", {}),
        })
    for c in conflicts.get("edge_conflicts", ()):
        s, o = c["subject"], c["object"]
        pos = [_claim_id(s, o, x) for x in c.get("positive", ())]
        neg = [_claim_id(s, o, x) for x in c.get("negative", ())]
        null = [_claim_id(s, o, x) for x in c.get("null", ())]
        out.append({
            "id": f"edge:{s}|{o}",
            "type": "edge",
            "label": f"{names.get(s, s)} → {names.get(o, o)}: studies disagree on this edge",
            "positive": sorted(set(pos)),
            "negative": sorted(set(neg)),
            "null": sorted(set(null)),
            "nodes": sorted({s, o}),
            "positive_paths": [{"steps": [i.split("|")], "score": None} for i in sorted(set(pos))],
            "negative_paths": [{"steps": [i.split("|")], "score": None} for i in sorted(set(neg))],
            "null_paths": [{"steps": [i.split("|")], "score": None} for i in sorted(set(null))],
            "divergence": [],
            "context_differences": c.get("context_differences", {}),
        })
    return out
