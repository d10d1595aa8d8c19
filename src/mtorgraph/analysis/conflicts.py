"""Where the knowledge contradicts itself, and which context separates the two sides.

* **Edge level**: between one subject and object, edges of opposite sign (``inhibits`` against
  ``increases``), or a signed edge against a ``no_effect_on`` null finding. The three sides are
  ``positive``, ``negative`` and ``null``; a null finding counts against every signed edge of its
  pair, so a pair with only a ``no_effect_on`` and one signed edge is a conflict too.
* **Path level** (the paradox): between a source and a target, paths of net sign + and of net −.
  Each side's paths are ranked as ``mtorgraph paths`` ranks them (bridges included unless turned
  off); ``divergence`` lists the entities where a positive and a negative path part ways (the last
  entity they share from the source on), best pairs first; ``context_differences`` compares the
  evidence of the steps that only one side uses (a step on both sides cannot separate them).
* **Strength of a side** is its *independent studies* (distinct ``(reference, experiment)`` pairs
  whose own results support the steps only that side uses), not its number of paths: three paths
  resting on one experiment are one study, and a step both sides share (the trial behind
  "ketamine's response relieves depression") supports neither side against the other. When a
  side has no step of its own, all its steps count. ``stronger`` names the side with more independent studies (``None``
  on a tie); the scan without a pair lists the conflicts with the most studies on their weaker
  side first, so the best-supported contradictions come first.

``context_differences`` maps a context field (species, anatomy, cell_type, model, design, route,
dose, timepoint, population) to the sorted values each side states, and holds a field only when
at least two sides state values for it and their value sets differ. An unstated field is not a
difference: absence of a report is not a different context. Only weighed evidence (own results)
states a side's context: a cited statement's context describes someone else's study.

>>> from mtorgraph.io import load_graph
>>> from pathlib import Path
>>> g = load_graph(Path(__file__).parents[3] / "tests" / "data" / "mini.yaml")
>>> report = find_conflicts(g, "rapamycin", "depression")
>>> [(c.subject, c.object) for c in report.edge_conflicts]
[('rapamycin', 'ketamine_response')]
>>> sorted(report.edge_conflicts[0].context_differences)
['route', 'species', 'timepoint']
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import MtorgraphError
from ..model import Edge, Evidence, MechanismGraph
from .effect import effect_of, effect_words
from .paths import (
    GraphIndex,
    PathResult,
    SignedPath,
    Step,
    path_to_json,
    search_graph_index,
    to_graph_index,
)
from .lookup import edges_between
from .scoring import edge_belief
from .source_scan import two_sided_targets
from .studies import independent_studies, study_references

__all__ = [
    "CONTEXT_FIELDS",
    "ConflictReport",
    "EdgeConflict",
    "PathConflict",
    "SideSummary",
    "claim_to_json",
    "conflicts_to_json",
    "edge_conflicts_of",
    "find_conflicts",
    "find_context_differences",
    "path_conflict",
    "scan_path_conflicts",
]

#: The context fields compared between the sides of a conflict.
CONTEXT_FIELDS = ("species", "anatomy", "cell_type", "model", "design", "route", "dose", "timepoint",
                  "population")
#: Entity kinds that are path sources, and targets, when ``conflicts`` runs without a pair.
SOURCE_KINDS = ("chemical",)
TARGET_KINDS = ("disease", "phenotype")


@dataclass(frozen=True)
class EdgeConflict:
    """Opposing edges between one subject and object, by side, and the context that differs."""

    subject: str
    object: str
    positive: tuple[Edge, ...]
    negative: tuple[Edge, ...]
    null: tuple[Edge, ...]
    context_differences: dict[str, dict[str, list[str]]]


@dataclass(frozen=True)
class SideSummary:
    """One side of a path conflict: its effect on the target and the studies behind its paths."""

    effect: str | None
    effect_words: str
    paths: int
    references: tuple[str, ...]
    studies: tuple[tuple[str, str | None], ...]

    @property
    def independent_studies(self) -> int:
        """How many distinct ``(reference, experiment)`` studies support the side."""
        return len(self.studies)


@dataclass(frozen=True)
class PathConflict:
    """Paths of both net signs between one pair, where they part, and the context that differs."""

    source: str
    target: str
    positive: PathResult
    negative: PathResult
    divergence: tuple[str, ...]
    context_differences: dict[str, dict[str, list[str]]]
    sides: dict[str, SideSummary]

    @property
    def stronger(self) -> str | None:
        """The side with more independent studies, or ``None`` when both have as many."""
        pos, neg = (self.sides[k].independent_studies for k in ("positive", "negative"))
        return None if pos == neg else ("positive" if pos > neg else "negative")


@dataclass(frozen=True)
class ConflictReport:
    """Every conflict found: edge level and path level, each sorted."""

    edge_conflicts: tuple[EdgeConflict, ...]
    path_conflicts: tuple[PathConflict, ...]
    graph: MechanismGraph  # the graph the beliefs were computed on (after evidence filters)
    complete: bool = True  # False when the scan's budget ran out before every pair was asked


def find_context_differences(sides: dict[str, Iterable[Evidence]]) -> dict[str, dict[str, list[str]]]:
    """Context fields whose stated values differ between sides (see the module docstring).

    >>> from mtorgraph.model import Context, Evidence
    >>> ev = lambda **c: Evidence(reference="r", kind="rct", finding="f", context=Context(**c))
    >>> find_context_differences({"positive": [ev(species="human", dose="6 mg")],
    ...                           "negative": [ev(species="rat")]})
    {'species': {'positive': ['human'], 'negative': ['rat']}}
    """
    values: dict[str, dict[str, set[str]]] = {f: {side: set() for side in sides} for f in CONTEXT_FIELDS}
    for side, evidence in sides.items():
        for ev in evidence:
            for name in CONTEXT_FIELDS:
                value = getattr(ev.context, name)
                if value is not None:
                    values[name][side].add(str(value))
    out: dict[str, dict[str, list[str]]] = {}
    for name in CONTEXT_FIELDS:
        stated = [frozenset(v) for v in values[name].values() if v]
        if len(stated) >= 2 and len(set(stated)) > 1:
            out[name] = {side: sorted(v) for side, v in values[name].items()}
    return out


def edge_conflicts_of(graph: Any, include_hypotheses: bool,
                      pairs: Iterable[tuple[str, str]] | None = None) -> list[EdgeConflict]:
    """Edge conflicts of the whole graph, or of the given ``(subject, object)`` pairs only (any
    object with ``edges`` and :func:`.lookup.edges_between` support, e.g. a namespace of edges,
    when ``pairs`` is ``None``)."""
    if pairs is not None:
        candidates = {pair: edges_between(graph, *pair) for pair in set(pairs)}
    elif hasattr(graph, "tables"):
        candidates = _columnar_conflict_pairs(graph, include_hypotheses)
    else:
        candidates = defaultdict(list)
        for edge in graph.edges:
            candidates[(edge.subject, edge.object)].append(edge)
    out = []
    for (subject, obj), found in sorted(candidates.items()):
        edges = [e for e in found
                 if e.predicate != "associated_with" and (include_hypotheses or not e.is_hypothesis)]
        pos = tuple(sorted((e for e in edges if e.sign > 0), key=lambda e: e.predicate))
        neg = tuple(sorted((e for e in edges if e.sign < 0), key=lambda e: e.predicate))
        null = tuple(e for e in edges if e.predicate == "no_effect_on")
        if not ((pos and neg) or (null and (pos or neg))):
            continue
        # Only sides that hold edges: an absent side has no context to differ in.
        sides = {side: es for side, es in (("positive", pos), ("negative", neg), ("null", null)) if es}
        diffs = find_context_differences({side: [ev for e in es for ev in e.evidence if ev.weighed]
                                          for side, es in sides.items()})
        out.append(EdgeConflict(subject, obj, pos, neg, null, diffs))
    return out


def _columnar_conflict_pairs(graph: Any, include_hypotheses: bool) -> dict[tuple[str, str], list[Edge]]:
    """The pairs of a ``ColumnarGraph`` whose edges may conflict, found on the columns (an edge
    object is built only for those pairs)."""
    from .beliefs import KINDS, PREDICATE_NAMES, PREDICATE_SIGN, evidence_codes
    from .lookup import pair_keys

    key, order = pair_keys(graph)
    predicate = graph.codes("edges", "predicate", PREDICATE_NAMES)
    counted = predicate != PREDICATE_NAMES.index("associated_with")
    if not include_hypotheses:
        codes = evidence_codes(graph)
        on_edges = codes.owner == 0
        tested = np.zeros(graph.edge_count, dtype=bool)
        tested[codes.row[on_edges & (codes.kind != KINDS.index("hypothesis"))]] = True
        counted &= tested
    sign = PREDICATE_SIGN[predicate]
    null = predicate == PREDICATE_NAMES.index("no_effect_on")

    def pairs_with(mask):
        return np.unique(key[counted & mask])

    pos, neg, nul = pairs_with(sign > 0), pairs_with(sign < 0), pairs_with(null)
    chosen = np.union1d(np.intersect1d(pos, neg), np.intersect1d(nul, np.union1d(pos, neg)))
    rows = order[np.isin(key[order], chosen)]
    entity = graph.tables["entities"].column("key").to_pylist()
    subject, obj = graph.array("edges", "subject"), graph.array("edges", "object")
    built = graph.edges_at(rows)  # one pass over the columns, not one per edge
    out: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for r, edge in zip(rows.tolist(), built):
        out[(entity[subject[r]], entity[obj[r]])].append(edge)
    return out


def _divergence(positive: tuple[SignedPath, ...], negative: tuple[SignedPath, ...]) -> tuple[str, ...]:
    pairs = sorted(((i, j) for i in range(len(positive)) for j in range(len(negative))),
                   key=lambda ij: (ij[0] + ij[1], ij[0]))
    out: list[str] = []
    for i, j in pairs:
        a, b = positive[i].steps, negative[j].steps
        shared = 0  # steps in common from the source on; the sides differ in sign, so some step differs
        while (shared < min(len(a), len(b))
               and (a[shared].object, a[shared].sign) == (b[shared].object, b[shared].sign)):
            shared += 1
        node = a[shared].subject if shared < len(a) else b[shared].subject
        if node not in out:
            out.append(node)
    return tuple(out)


def path_conflict(gindex: GraphIndex, source: str, target: str, options: dict[str, Any]) -> PathConflict | None:
    """The path conflict from ``source`` to ``target`` (entity keys) on a prepared index: the best
    paths of each sign and where they part, or ``None`` when one sign has no path. ``options`` are
    ``max_length``, ``limit`` and ``timeout`` (per side)."""
    pos = search_graph_index(gindex, source, target, sign="positive", **options)
    neg = search_graph_index(gindex, source, target, sign="negative", **options)
    if not pos.paths or not neg.paths:
        return None
    pos_steps = {(s.subject, s.object, s.sign): s for p in pos.paths for s in p.steps}
    neg_steps = {(s.subject, s.object, s.sign): s for p in neg.paths for s in p.steps}
    own_pos = [s for k, s in pos_steps.items() if k not in neg_steps] or list(pos_steps.values())
    own_neg = [s for k, s in neg_steps.items() if k not in pos_steps] or list(neg_steps.values())
    diffs = find_context_differences({
        "positive": [ev for s in own_pos for ev in s.evidence if ev.weighed],
        "negative": [ev for s in own_neg for ev in s.evidence if ev.weighed],
    })
    target_entity = gindex.graph.entity(target)
    sides = {name: _side(result, own, sign, target_entity) for name, result, own, sign in
             (("positive", pos, own_pos, 1), ("negative", neg, own_neg, -1))}
    return PathConflict(source, target, pos, neg, _divergence(pos.paths, neg.paths), diffs, sides)


def _side(result: PathResult, own_steps: list[Step], sign: int, target: Any) -> SideSummary:
    items = [item for s in own_steps for item in s.edges]  # bridges state relations; they are not studies
    return SideSummary(effect_of(sign), effect_words(target, sign), len(result.paths),
                       tuple(study_references(items)), tuple(independent_studies(items)))


def _strength(conflict: PathConflict) -> tuple:
    counts = sorted(conflict.sides[k].independent_studies for k in ("positive", "negative"))
    return (-counts[0], -counts[1], conflict.source, conflict.target)


def find_conflicts(graph: MechanismGraph, source: str | None = None, target: str | None = None, *,
                   max_length: int = 4, limit: int | None = 20, species: Iterable[str] | None = None,
                   evidence_kinds: Iterable[str] | None = None, min_belief: float = 0.0,
                   include_hypotheses: bool = False, include_associations: bool = False,
                   bridges: bool = True, timeout: float | None = None,
                   budget: float | None = None, gindex: GraphIndex | None = None) -> ConflictReport:
    """Edge-level and path-level conflicts, for one pair or for the whole graph.

    With ``source`` and ``target``: the path conflict between them (if paths of both signs exist)
    and the edge conflicts on the pairs its paths step through. Without: every edge conflict, and
    the path conflict of every (chemical, disease or phenotype) pair that has one. The path options
    are those of :func:`~.paths.find_paths`; ``limit`` and ``timeout`` apply to each side.
    ``budget`` (seconds) bounds the whole scan without a pair: what was found by then comes back
    with ``complete=False``. ``gindex`` is an index already built from ``graph`` with these
    filters (as :func:`~.paths.to_graph_index` gives); the filter options are then not used.

    :raises MtorgraphError: if only one of ``source`` and ``target`` is given, or an option is bad.
    :raises UnknownEntityError: if a name matches no entity.
    """
    if (source is None) != (target is None):
        raise MtorgraphError("give both SOURCE and TARGET, or neither (to scan every chemical–disease pair)")
    if gindex is None:
        gindex = to_graph_index(graph, species=species, evidence_kinds=evidence_kinds, min_belief=min_belief,
                                include_hypotheses=include_hypotheses, include_associations=include_associations,
                                bridges=bridges)
    options = {"max_length": max_length, "limit": limit, "timeout": timeout}
    complete = True
    if source is not None and target is not None:
        s, t = graph.resolve(source).key, graph.resolve(target).key
        found = path_conflict(gindex, s, t, options)
        path_conflicts = [found] if found else []
        on_paths = {(st.subject, st.object) for pc in path_conflicts
                    for side in (pc.positive, pc.negative) for p in side.paths for st in p.steps}
        # only the pairs the paths step through: no scan of the whole graph for one pair
        edge_conflicts = edge_conflicts_of(gindex.graph, include_hypotheses, on_paths)
    else:
        edge_conflicts = edge_conflicts_of(gindex.graph, include_hypotheses)
        path_conflicts, complete = scan_path_conflicts(gindex, options, budget=budget)
    return ConflictReport(tuple(edge_conflicts), tuple(path_conflicts), gindex.graph, complete)


def scan_path_conflicts(gindex: GraphIndex, options: dict[str, Any], *, sources: Iterable[str] | None = None,
                        targets: Iterable[str] | None = None,
                        budget: float | None = None) -> tuple[list[PathConflict], bool]:
    """Every path conflict between the sources and targets (default: chemicals, and diseases and
    phenotypes), strongest first, and whether the scan finished within ``budget`` seconds.

    One signed reachability pass per source (:mod:`.source_scan`) picks the targets reached with
    walks of both signs; the exact two-sided search runs on those pairs only, so the records are
    those of asking every pair in turn. ``options`` are ``max_length``, ``limit`` and ``timeout``
    (per side, as for one pair).
    """
    graph = gindex.graph
    if sources is None:
        sources = sorted(e.key for e in graph.entities if e.kind in SOURCE_KINDS)
    if targets is None:
        targets = sorted(e.key for e in graph.entities if e.kind in TARGET_KINDS)
    ids, keys = gindex.ids, gindex.keys
    wanted = np.array([ids[k] for k in targets], dtype=np.int64)
    deadline = None if budget is None else time.monotonic() + budget
    found = []
    complete = True
    for source in sources:
        if deadline is not None and time.monotonic() >= deadline:
            complete = False
            break
        for t in two_sided_targets(gindex.index, ids[source], wanted, options.get("max_length", 4)):
            if deadline is not None and time.monotonic() >= deadline:
                complete = False
                break
            pc = path_conflict(gindex, source, keys[t], options)
            if pc is not None:
                found.append(pc)
        if not complete:
            break
    return sorted(found, key=_strength), complete


def claim_to_json(graph: MechanismGraph, edge: Edge) -> dict[str, Any]:
    """One side's claim in ``edge_conflicts``: an edge with its belief, references and evidence.

    ``{"subject", "predicate", "object", "sign", "belief", "references", "cited",
    "independent_studies", "evidence": [{"reference", "experiment", "kind", "basis", "direction",
    "context", "finding"}]}``; ``sign`` is 0 for ``no_effect_on``; ``references`` are those with
    weighed evidence (own results), ``cited`` those present only as cited statements or by title;
    ``independent_studies`` counts the distinct supporting ``(reference, experiment)`` studies.
    """
    weighed = sorted({ev.reference for ev in edge.evidence if ev.weighed})
    return {
        "subject": edge.subject, "predicate": edge.predicate, "object": edge.object, "sign": edge.sign,
        "belief": round(edge_belief(graph, edge), 4),
        "references": weighed,
        "cited": sorted({ev.reference for ev in edge.evidence} - set(weighed)),
        "independent_studies": len(independent_studies([edge])),
        "evidence": [{"reference": ev.reference, "experiment": ev.experiment, "kind": ev.kind, "basis": ev.basis,
                      "direction": ev.direction, "context": ev.context.model_dump(exclude_none=True),
                      "finding": ev.finding}
                     for ev in edge.evidence],
    }


def conflicts_to_json(report: ConflictReport) -> dict[str, Any]:
    """The JSON contract of ``mtorgraph conflicts``.

    ``{"edge_conflicts": [{"subject", "object", "positive": [claims], "negative": [claims], "null":
    [claims], "context_differences": {field: {"positive": [...], "negative": [...], "null": [...]}}}],
    "path_conflicts": [{"source", "target", "positive": [paths], "negative": [paths], "sides":
    {"positive": side, "negative": side}, "stronger", "divergence": [entity keys],
    "context_differences": {field: {"positive": [...], "negative": [...]}}}]}``, where a side is
    ``{"effect", "effect_words", "paths", "references", "independent_studies", "studies":
    [[reference, experiment]]}`` and ``stronger`` is the side with more independent studies (or
    ``null``).
    A claim is described in :func:`claim_to_json`, a path as in ``mtorgraph paths``; ``null`` holds
    the ``no_effect_on`` findings (counted against both signed sides) and appears in
    ``context_differences`` only when there is one.
    """
    graph = report.graph
    return {
        "edge_conflicts": [{
            "subject": c.subject, "object": c.object,
            "positive": [claim_to_json(graph, e) for e in c.positive],
            "negative": [claim_to_json(graph, e) for e in c.negative],
            "null": [claim_to_json(graph, e) for e in c.null],
            "context_differences": c.context_differences,
        } for c in report.edge_conflicts],
        "path_conflicts": [{
            "source": c.source, "target": c.target,
            "positive": [path_to_json(p) for p in c.positive.paths],
            "negative": [path_to_json(p) for p in c.negative.paths],
            "sides": {name: _side_to_json(side) for name, side in c.sides.items()},
            "stronger": c.stronger,
            "divergence": list(c.divergence),
            "context_differences": c.context_differences,
        } for c in report.path_conflicts],
    }


def _side_to_json(side: SideSummary) -> dict[str, Any]:
    return {"effect": side.effect, "effect_words": side.effect_words, "paths": side.paths,
            "references": list(side.references), "independent_studies": side.independent_studies,
            "studies": [[ref, experiment] for ref, experiment in side.studies]}
