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
from collections.abc import Iterable, Mapping
from typing import Any

from ..model import Edge, EdgeKey, Evidence, MechanismGraph, StructuralLink
from ..vocab import EVIDENCE_KINDS, PREDICATES, PREFIX_IRIS, SPECIES, expand_curie
from .records import edge_record, entity_record, evidence_record

__all__ = [
    "EDGE_COLORS",
    "HIGHLIGHT_COLORS",
    "KIND_STYLES",
    "KindStyle",
    "LINK_COLOR",
    "RELATION_LABELS",
    "edge_id",
    "find_neighbourhood",
    "format_page_json",
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

#: Structural links (not causal): one neutral colour whatever the relation, drawn dash-dot.
LINK_COLOR = "#4a5a6a"

#: How a structural link reads, subject first: on the canvas (short) and in the panel.
RELATION_LABELS: dict[str, tuple[str, str]] = {
    "part_of": ("part of", "is part of"),
    "participates_in": ("takes part in", "takes part in"),
    "subclass_of": ("kind of", "is a kind of"),
    "model_of": ("model of", "is a model of"),
}

#: What an evidence basis means, for the panel (own results are the default and say nothing).
BASIS_NOTES: dict[str, str] = {
    "cited_statement": "cited statement: the paper's statement about others' work, shown but not weighed",
    "title_only": "known by title only: shown but not weighed",
}

_DOTTED = [2, 5]    # no_effect_on
_DASHED = [10, 7]   # hypotheses
_DASH_DOT = [12, 4, 2, 4]  # structural links
_UNVERIFIED_BORDER = [4, 3]  # entities whose identifier is not verified


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
        if entity.id_status != "verified":  # a dashed border: the identifier was not checked
            node["borderWidth"] = 2
            node["shapeProperties"] = {"borderDashes": _UNVERIFIED_BORDER}
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


def _smooth_by_edge(edges: Iterable[Edge | StructuralLink], curved: bool) -> dict[EdgeKey, dict[str, Any]]:
    """Spread parallel edges (and links) between one pair of entities on distinct curves."""
    groups: dict[tuple[str, str], list[Edge | StructuralLink]] = defaultdict(list)
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


def _evidence_records(graph: MechanismGraph, items: Iterable[Evidence]) -> list[dict[str, Any]]:
    """The panel's evidence: the shared record plus experiment, basis and whether it is weighed."""
    return [{**evidence_record(graph, ev), "experiment": ev.experiment, "basis": ev.basis,
             "weighed": ev.weighed, "basis_note": BASIS_NOTES.get(ev.basis)} for ev in items]


def to_edge_payloads(graph: MechanismGraph, edges: Iterable[Edge] | None = None, *,
                     links: Iterable[StructuralLink] | None = None, curved: bool = True,
                     beliefs: Mapping[EdgeKey, float] | None = None) -> list[dict[str, Any]]:
    """One vis-network edge per graph edge and structural link (never merged), with its record for the panel.

    Colour by sign, a bar end for inhibition, dotted for ``no_effect_on``, dashed for hypotheses,
    width by belief; structural links dash-dot in :data:`LINK_COLOR`, labelled with their relation;
    parallel edges between one pair get distinct curves. Without ``edges``, every edge and link of
    ``graph``; with ``edges``, only the ``links`` given. Beliefs come from ``graph`` even when
    ``edges`` is a subset of it (or from ``beliefs``, by edge key, when given).
    """
    chosen = sorted(graph.edges if edges is None else edges, key=lambda e: e.key)
    chosen_links = sorted((graph.links if edges is None else ()) if links is None else links, key=lambda k: k.key)
    smooth = _smooth_by_edge([*chosen, *chosen_links], curved)
    payloads = []
    for edge in chosen:
        record = edge_record(graph, edge, None if beliefs is None else beliefs[edge.key],
                             evidence=_evidence_records(graph, edge.evidence))
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
    payloads.extend(_link_payload(graph, link, smooth[link.key]) for link in chosen_links)
    return payloads


def _link_payload(graph: MechanismGraph, link: StructuralLink, smooth: dict[str, Any]) -> dict[str, Any]:
    short, long = RELATION_LABELS[link.relation]
    colour = LINK_COLOR
    return {
        "id": edge_id(link.key),  # relations and predicates never share a name, so ids stay unique
        "from": link.subject,
        "to": link.object,
        "label": short,
        "font": {"size": 11, "color": colour, "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle"},
        "color": {"color": colour, "highlight": colour, "hover": colour, "inherit": False, "opacity": 1.0},
        "width": 2,
        "dashes": _DASH_DOT,
        "arrows": {"to": {"enabled": True, "type": "vee", "scaleFactor": 0.6}},
        "smooth": smooth,
        "predicate": link.relation,
        "sign": None,
        "hypothesis": False,
        "structural": True,
        "info": {"id": edge_id(link.key), "structural": True, "subject": link.subject,
                 "relation": link.relation, "object": link.object, "predicate": link.relation,
                 "predicate_label": long, "sign": None, "belief": None, "hypothesis": False,
                 "causal": False, "note": link.note, "evidence": _evidence_records(graph, link.evidence),
                 "kind_labels": {ev.kind: EVIDENCE_KINDS[ev.kind].label for ev in link.evidence}},
    }


def to_legend(graph: MechanismGraph) -> dict[str, Any]:
    """What the legend and the filters list: entity kinds present, evidence kinds, species, the
    structural relations drawn, and the entities whose identifier is not verified."""
    kinds = sorted({e.kind for e in graph.entities}, key=list(KIND_STYLES).index)
    items = [*graph.edges, *graph.links]
    evidence = {ev.kind for item in items for ev in item.evidence}
    species = {ev.context.species for item in items for ev in item.evidence if ev.context.species}
    relations = {link.relation for link in graph.links}
    return {
        "kinds": [{"kind": k, "shape": KIND_STYLES[k].shape,
                   "background": KIND_STYLES[k].background, "border": KIND_STYLES[k].border}
                  for k in kinds],
        "evidence_kinds": [{"kind": k, "label": EVIDENCE_KINDS[k].label}
                           for k in EVIDENCE_KINDS if k in evidence],
        "species": [{"species": s, "label": SPECIES[s].label} for s in SPECIES if s in species],
        "relations": [{"relation": r, "short": RELATION_LABELS[r][0], "label": RELATION_LABELS[r][1]}
                      for r in RELATION_LABELS if r in relations],
        "relation_labels": {r: labels[1] for r, labels in RELATION_LABELS.items()},
        "link_color": LINK_COLOR,
        "unverified": [{"key": e.key, "id_status": e.id_status} for e in graph.entities if e.id_status != "verified"],
        "edge_colors": {"positive": EDGE_COLORS[1], "negative": EDGE_COLORS[-1], "unsigned": EDGE_COLORS[0]},
        "highlight": HIGHLIGHT_COLORS,
    }


def find_neighbourhood(graph: MechanismGraph, key: str, depth: int) -> MechanismGraph:
    """The entities within ``depth`` edges or links of ``key`` (either direction), and the edges
    and structural links among them (uncapped; see
    :func:`~mtorgraph.views.neighbourhood.find_capped_neighbourhood` for the cap).

    Claims, questions and open questions are left out (they may name what lies outside);
    references are kept.

    :raises ValueError: if ``depth`` is negative.
    """
    from .neighbourhood import find_capped_neighbourhood

    return find_capped_neighbourhood(graph, key, depth).graph


def format_page_json(data: Any) -> str:
    """JSON safe to embed in ``<script type="application/json">``: ``<``, ``>``, ``&`` escaped.

    The escapes are JSON's own (``\\u003c``), so ``JSON.parse`` gives back the original text while
    no ``</script>`` or ``<!--`` can close or confuse the block.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
