"""Signed path queries over a mechanism graph: which routes lead from A to B, with what net sign.

A path is simple (no entity twice), at most ``max_length`` steps long, and runs over causal edges
(``activates``, ``inhibits``, ``increases``, ``decreases``); ``associated_with`` edges join only on
request (as unsigned steps, subject → object), ``no_effect_on`` never. Parallel edges of the same
sign between one pair (``activates`` and ``increases``) are one step carrying all their evidence;
its belief is the noisy-OR over the union of that evidence (see :mod:`.scoring`). The net sign is
the product of the step signs (0 through an unsigned step), the score the product of step beliefs.

**Bridges.** A :class:`~mtorgraph.model.StructuralLink` is crossed, by default, as a
sign-preserving *bridge* step from its subject to its object only: a part to its whole
(``part_of``), a participant to its process (``participates_in``), a narrower class to the broader
one (``subclass_of``), a rodent model to the human condition it models (``model_of``). Walking
the other way is not allowed: what holds for a whole need not hold for each part, nor what holds
for a class for each member, nor what is seen in patients for a rodent model. A bridge carries a
belief like an edge, the noisy-OR of the link's own evidence (:mod:`.scoring`): a bridge is a
claim too, and the doubt in "a stressed rodent's immobility models human depression" belongs in
the score; like an edge, a link whose only evidence is a hypothesis is crossed only with
``include_hypotheses``. ``bridges=False`` turns bridges off. A path that crosses ``model_of`` is
*translational*. Species and evidence-kind filters apply to edges, not to links: a link is a
statement about two entities, not a finding in a species.

The search runs on :mod:`.signed_index` (signed-node projection, target-pruned, best first).

>>> from mtorgraph.io import load_graph
>>> from pathlib import Path
>>> g = load_graph(Path(__file__).parents[3] / "tests" / "data" / "mini.yaml")
>>> result = find_paths(g, "ketamine", "depression")
>>> [(p.sign, [s.object for s in p.steps]) for p in result.paths]
[(-1, ['mtorc1', 'synaptogenesis', 'ketamine_response', 'depression'])]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import MtorgraphError
from ..model import Edge, Evidence, MechanismGraph, StructuralLink
from ..vocab import EVIDENCE_KINDS, SPECIES
from .effect import effect_of, effect_words
from .scoring import edge_belief
from .lookup import derived
from .signed_index import SIGN_CODES, SignedIndex
from .step_table import StepTable, to_step_table
from .studies import independent_studies, study_references
from .signed_search import find_index_paths

__all__ = [
    "BRIDGE_WORDS",
    "SIGN_CHOICES",
    "GraphIndex",
    "PathResult",
    "SignedPath",
    "Step",
    "StepSequence",
    "build_graph_index",
    "find_paths",
    "path_to_json",
    "paths_to_json",
    "search_graph_index",
    "step_to_json",
    "to_filtered_graph",
    "to_graph_index",
    "to_networkx",
]

#: ``--sign`` values and the net signs each one keeps.
SIGN_CHOICES: dict[str, tuple[int, ...]] = {"positive": (1,), "negative": (-1,), "any": (1, -1, 0)}

#: How each kind of bridge step reads, in the direction it is walked (subject → object).
BRIDGE_WORDS: dict[str, str] = {
    "part_of": "part → whole",
    "participates_in": "participant → process",
    "subclass_of": "narrower class → broader class",
    "model_of": "rodent model → human disorder",
}


@dataclass(frozen=True)
class Step:
    """One step of a path: one or more parallel same-sign edges between two entities, or a bridge.

    ``predicate`` is the edge's predicate, or the merged predicates joined by commas in sorted
    order (``activates,increases``), or for a bridge the link's relation (``model_of``).
    ``references`` are the sorted keys of the references whose own results support the step;
    ``cited`` those that appear only as cited statements or by title (shown, never weighed);
    ``refuted_by`` those with weighed evidence against it.
    """

    subject: str
    predicate: str
    object: str
    sign: int
    belief: float
    references: tuple[str, ...]
    edges: tuple[Edge, ...] = field(repr=False)
    bridge: str | None = None
    links: tuple[StructuralLink, ...] = field(default=(), repr=False)
    cited: tuple[str, ...] = ()
    refuted_by: tuple[str, ...] = ()

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """Every evidence item on the step's edges and links."""
        return tuple(ev for item in (*self.edges, *self.links) for ev in item.evidence)


@dataclass(frozen=True)
class SignedPath:
    """A simple path: its steps, net sign (+1, -1, or 0 when unsigned), score and effect in words."""

    sign: int
    score: float
    steps: tuple[Step, ...]
    effect_words: str = ""

    @property
    def length(self) -> int:
        """Number of steps."""
        return len(self.steps)

    @property
    def entities(self) -> tuple[str, ...]:
        """The entity keys along the path, source first."""
        return (self.steps[0].subject, *(s.object for s in self.steps)) if self.steps else ()

    @property
    def effect(self) -> str | None:
        """``increases`` or ``decreases`` (the net effect on the target), ``None`` when unsigned."""
        return effect_of(self.sign)

    @property
    def translational(self) -> bool:
        """Whether the path crosses a ``model_of`` bridge (from an animal model to a human condition)."""
        return any(s.bridge == "model_of" for s in self.steps)

    @property
    def items(self) -> tuple[Edge | StructuralLink, ...]:
        """The edges and links the path rests on."""
        return tuple(item for s in self.steps for item in (*s.edges, *s.links))

    @property
    def studies(self) -> list[tuple[str, str | None]]:
        """The independent studies (``(reference, experiment)``) whose own results support the path's
        edges; a bridge's sources state a relation, not a finding, and are not studies."""
        return independent_studies(item for s in self.steps for item in s.edges)

    @property
    def references(self) -> list[str]:
        """The references whose own results support the path's edges, sorted."""
        return study_references(item for s in self.steps for item in s.edges)


@dataclass(frozen=True)
class PathResult:
    """The answer to a path query: paths ranked by score, then length; ``truncated`` on timeout."""

    source: str
    target: str
    max_length: int
    paths: tuple[SignedPath, ...]
    truncated: bool


class StepSequence(Sequence[Step]):
    """The steps of a :class:`GraphIndex` by edge id, each built when first read (a found path
    needs a handful; building all of them would cost an object per edge of the graph)."""

    def __init__(self, table: StepTable):
        self._table = table
        self._built: dict[int, Step] = {}

    def __len__(self) -> int:
        return len(self._table.src)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        step = self._built.get(i)
        if step is None:
            step = self._built[i] = self._build(i)
        return step

    def __iter__(self) -> Iterator[Step]:
        return (self[i] for i in range(len(self)))

    def _build(self, i: int) -> Step:
        t = self._table
        belief = float(t.belief[i])
        link_row = int(t.link_row[i])
        if link_row >= 0:
            link = t.graph.links[link_row]
            supporting, cited, refuting = _reference_sides([link])
            return Step(link.subject, link.relation, link.object, 1, belief, supporting, (), bridge=link.relation,
                        links=(link,), cited=cited, refuted_by=refuting)
        edges = tuple(_edge_of(t, int(r)) for r in t.edge_rows[t.edge_ptr[i]:t.edge_ptr[i + 1]])
        supporting, cited, refuting = _reference_sides(edges)
        return Step(edges[0].subject, ",".join(e.predicate for e in edges), edges[0].object, int(t.sign[i]), belief,
                    supporting, edges, cited=cited, refuted_by=refuting)


def _edge_of(table: StepTable, row: int) -> Edge:
    if table.columns is table.graph:
        return table.columns.edge_at(row)
    return table.graph.edges[row]


@dataclass(frozen=True)
class GraphIndex:
    """A graph's traversable steps as a :class:`SignedIndex` (node ids = sorted entity keys)."""

    keys: tuple[str, ...]
    ids: dict[str, int]
    steps: Sequence[Step]   # indexed by the index's edge ids; each built when read
    index: SignedIndex
    graph: Any              # the graph after the evidence filters (beliefs come from it)


def _check_options(max_length: int, sign: str, limit: int | None, species: Iterable[str] | None,
                   evidence_kinds: Iterable[str] | None, min_belief: float) -> None:
    if max_length < 1:
        raise MtorgraphError(f"--max-length must be at least 1, not {max_length}")
    if sign not in SIGN_CHOICES:
        raise MtorgraphError(f"--sign must be one of {', '.join(SIGN_CHOICES)}, not {sign!r}")
    if limit is not None and limit < 1:
        raise MtorgraphError(f"--limit must be at least 1, not {limit}")
    for value in species or ():
        if value not in SPECIES:
            raise MtorgraphError(f"unknown species {value!r} (use one of: {', '.join(SPECIES)})")
    for value in evidence_kinds or ():
        if value not in EVIDENCE_KINDS:
            raise MtorgraphError(f"unknown evidence kind {value!r} (use one of: {', '.join(EVIDENCE_KINDS)})")
    if not 0.0 <= min_belief <= 1.0:
        raise MtorgraphError(f"--min-belief must lie between 0 and 1, not {min_belief}")


def to_filtered_graph(graph: MechanismGraph, species: Iterable[str] | None = None,
                      evidence_kinds: Iterable[str] | None = None) -> MechanismGraph:
    """The graph with only the evidence of the given species and kinds (edges left bare go).

    Structural links are kept whole (see the module docstring); claims are dropped (they may name
    edges that went). With no filter, ``graph`` itself.
    """
    species_set = set(species) if species else None
    kinds_set = set(evidence_kinds) if evidence_kinds else None
    if species_set is None and kinds_set is None:
        return graph
    edges = []
    for edge in graph.edges:
        kept = tuple(ev for ev in edge.evidence
                     if (species_set is None or ev.context.species in species_set)
                     and (kinds_set is None or ev.kind in kinds_set))
        if kept:
            edges.append(edge if len(kept) == len(edge.evidence) else edge.model_copy(update={"evidence": kept}))
    return MechanismGraph(entities=graph.entities, references=graph.references, edges=tuple(edges),
                          links=graph.links)


def _reference_sides(items: Iterable[Edge | StructuralLink]) -> tuple[tuple[str, ...], ...]:
    """``(supporting, cited only, refuting)`` reference keys of a step's evidence, each sorted."""
    evidence = [ev for item in items for ev in item.evidence]
    supporting = {ev.reference for ev in evidence if ev.weighed and ev.direction == "supports"}
    refuting = {ev.reference for ev in evidence if ev.weighed and ev.direction == "refutes"}
    cited = {ev.reference for ev in evidence if not ev.weighed} - supporting - refuting
    return tuple(sorted(supporting)), tuple(sorted(cited)), tuple(sorted(refuting))


def to_graph_index(graph: Any, *, species: Iterable[str] | None = None,
                   evidence_kinds: Iterable[str] | None = None, min_belief: float = 0.0,
                   include_hypotheses: bool = False, include_associations: bool = False,
                   bridges: bool = True) -> GraphIndex:
    """Merge parallel same-sign edges into steps, add bridge steps, apply the filters, build the index.

    ``graph`` is a ``MechanismGraph`` or a ``ColumnarGraph``. One index is built per graph and set
    of options in a process and then reused (graphs are immutable): calling this again with the
    same graph object and options returns the same index, so callers need not carry it around
    (passing it on still saves the lookup). :func:`build_graph_index` always builds afresh.
    """
    _check_options(1, "any", None, species, evidence_kinds, min_belief)
    options = (frozenset(species or ()), frozenset(evidence_kinds or ()), float(min_belief),
               bool(include_hypotheses), bool(include_associations), bool(bridges))
    def build() -> GraphIndex:
        if getattr(graph, "derived_store", None) is not None and not species and not evidence_kinds:
            return _stored_graph_index(graph, options)
        return build_graph_index(graph, species=species, evidence_kinds=evidence_kinds, min_belief=min_belief,
                                 include_hypotheses=include_hypotheses,
                                 include_associations=include_associations, bridges=bridges)
    return derived(graph, ("graph_index", options), build)


def _stored_graph_index(graph: Any, options: tuple) -> GraphIndex:
    """The index of an unfiltered graph that has a derived store, read from the store (or built
    and stored): the same steps, beliefs and arrays as :func:`build_graph_index` gives."""
    from .index_arrays import index_from_arrays, index_to_arrays
    from .lookup import stored

    _, _, min_belief, hypotheses, associations, bridges = options
    name = f"graph_index.b{min_belief!r}.h{int(hypotheses)}.a{int(associations)}.l{int(bridges)}"

    def make() -> dict[str, np.ndarray]:
        table = to_step_table(graph, min_belief=min_belief, include_hypotheses=hypotheses,
                              include_associations=associations, bridges=bridges)
        return index_to_arrays(table, _signed_index(table))
    try:
        table, index = index_from_arrays(graph, stored(graph, name, make))
    except (ValueError, KeyError, IndexError):
        return build_graph_index(graph, min_belief=min_belief, include_hypotheses=hypotheses,
                                 include_associations=associations, bridges=bridges)
    return GraphIndex(table.keys, {key: i for i, key in enumerate(table.keys)}, StepSequence(table), index,
                      table.graph)


def _signed_index(table: StepTable) -> SignedIndex:
    codes = np.array([SIGN_CODES[1], SIGN_CODES[0], SIGN_CODES[-1]], dtype=np.int8)[1 - table.sign]
    return SignedIndex.from_numpy(len(table.keys), table.src, table.dst, codes, table.belief)


def build_graph_index(graph: Any, *, species: Iterable[str] | None = None,
                      evidence_kinds: Iterable[str] | None = None, min_belief: float = 0.0,
                      include_hypotheses: bool = False, include_associations: bool = False,
                      bridges: bool = True) -> GraphIndex:
    """:func:`to_graph_index` without the per-process reuse: the index built from the columns."""
    _check_options(1, "any", None, species, evidence_kinds, min_belief)
    table = to_step_table(graph, species=species, evidence_kinds=evidence_kinds, min_belief=min_belief,
                          include_hypotheses=include_hypotheses, include_associations=include_associations,
                          bridges=bridges)
    ids = {key: i for i, key in enumerate(table.keys)}
    return GraphIndex(table.keys, ids, StepSequence(table), _signed_index(table), table.graph)


def search_graph_index(gindex: GraphIndex, source: str, target: str, *, max_length: int = 4,
                       sign: str = "any", limit: int | None = 20, timeout: float | None = None) -> PathResult:
    """Run one query on a prepared :class:`GraphIndex`; ``source`` and ``target`` are entity keys."""
    _check_options(max_length, sign, limit, None, None, 0.0)
    found = find_index_paths(gindex.index, gindex.ids[source], gindex.ids[target], max_length=max_length,
                             signs=SIGN_CHOICES[sign], limit=limit, timeout=timeout)
    target_entity = gindex.graph.entity(target)
    paths = []
    for p in found.paths:
        steps = tuple(gindex.steps[e] for e in p.edges)
        paths.append(SignedPath(p.sign, math.prod(s.belief for s in steps), steps,
                                effect_words(target_entity, p.sign)))
    return PathResult(source, target, max_length, tuple(paths), found.truncated)


def find_paths(graph: MechanismGraph, source: str, target: str, *, max_length: int = 4, sign: str = "any",
               limit: int | None = 20, species: Iterable[str] | None = None,
               evidence_kinds: Iterable[str] | None = None, min_belief: float = 0.0,
               include_hypotheses: bool = False, include_associations: bool = False,
               bridges: bool = True, timeout: float | None = None) -> PathResult:
    """The best simple signed paths from ``source`` to ``target`` (names resolve like ``show``).

    :param sign: ``positive``, ``negative`` or ``any`` net sign.
    :param limit: paths to return, best first (``None``: all).
    :param species: keep only evidence in these species (edges left without evidence go).
    :param evidence_kinds: keep only evidence of these kinds.
    :param min_belief: leave out steps whose belief is lower.
    :param include_hypotheses: traverse edges whose only evidence is a hypothesis.
    :param include_associations: traverse ``associated_with`` edges (unsigned steps).
    :param bridges: cross structural links as sign-preserving bridge steps (subject → object).
    :param timeout: seconds; the paths found by then come back with ``truncated=True``.
    :raises UnknownEntityError: if a name matches no entity.
    :raises MtorgraphError: on an option out of range.
    """
    _check_options(max_length, sign, limit, species, evidence_kinds, min_belief)
    s, t = graph.resolve(source).key, graph.resolve(target).key
    gindex = to_graph_index(graph, species=species, evidence_kinds=evidence_kinds, min_belief=min_belief,
                            include_hypotheses=include_hypotheses, include_associations=include_associations,
                            bridges=bridges)
    return search_graph_index(gindex, s, t, max_length=max_length, sign=sign, limit=limit, timeout=timeout)


def step_to_json(step: Step) -> dict[str, Any]:
    """A step as in the JSON contract.

    ``{"subject", "predicate", "object", "sign", "belief", "references", "bridge", "cited",
    "refuted_by"}``: ``bridge`` is ``null`` or the link's relation (then ``predicate`` is the
    relation too); ``references`` never holds cited statements or title-only references (those are
    in ``cited``).
    """
    return {"subject": step.subject, "predicate": step.predicate, "object": step.object, "sign": step.sign,
            "belief": round(step.belief, 4), "references": list(step.references), "bridge": step.bridge,
            "cited": list(step.cited), "refuted_by": list(step.refuted_by)}


def path_to_json(path: SignedPath) -> dict[str, Any]:
    """A path as in the JSON contract.

    ``{"sign", "effect", "effect_words", "score", "length", "translational", "references",
    "independent_studies", "steps"}``: ``effect`` is ``increases``/``decreases`` (``null`` when
    unsigned), ``translational`` is true when the path crosses a ``model_of`` bridge,
    ``references`` the sorted references whose own results support its steps and
    ``independent_studies`` the number of distinct ``(reference, experiment)`` among them.
    """
    return {"sign": path.sign, "effect": path.effect, "effect_words": path.effect_words,
            "score": round(path.score, 4), "length": path.length, "translational": path.translational,
            "references": path.references, "independent_studies": len(path.studies),
            "steps": [step_to_json(s) for s in path.steps]}


def paths_to_json(result: PathResult) -> dict[str, Any]:
    """The JSON contract of ``mtorgraph paths``.

    ``{"source", "target", "max_length", "paths": [path], "truncated"}`` with each path as in
    :func:`path_to_json` and each step as in :func:`step_to_json`; source and target are entity
    keys, beliefs and scores rounded to 4 decimals.
    """
    return {"source": result.source, "target": result.target, "max_length": result.max_length,
            "paths": [path_to_json(p) for p in result.paths], "truncated": result.truncated}


def to_networkx(graph: MechanismGraph) -> Any:
    """The graph as a ``networkx.MultiDiGraph`` (for users' own analyses; searches don't need it).

    Nodes are entity keys with ``name``, ``kind``, ``id`` (CURIE) and ``id_status``. Edges are
    keyed by predicate and carry ``predicate``, ``sign``, ``belief``, ``references`` and
    ``evidence`` (one dict per item, as in the curated YAML), with ``structural=False``;
    structural links are edges keyed by their relation, with ``predicate`` = the relation,
    ``sign=1`` (a bridge preserves the sign), their bridge ``belief`` and ``structural=True``.
    """
    import networkx as nx

    out = nx.MultiDiGraph()
    for entity in sorted(graph.entities, key=lambda e: e.key):
        out.add_node(entity.key, name=entity.name, kind=entity.kind, id=entity.id, id_status=entity.id_status)
    for edge in sorted(graph.edges, key=lambda e: e.key):
        out.add_edge(edge.subject, edge.object, key=edge.predicate, predicate=edge.predicate, sign=edge.sign,
                     belief=edge_belief(graph, edge), references=sorted({ev.reference for ev in edge.evidence}),
                     evidence=[ev.model_dump(mode="json", exclude_none=True) for ev in edge.evidence],
                     structural=False)
    for link in sorted(graph.links, key=lambda k: k.key):
        out.add_edge(link.subject, link.object, key=link.relation, predicate=link.relation, sign=1, bridge=True,
                     belief=edge_belief(graph, link), references=sorted({ev.reference for ev in link.evidence}),
                     evidence=[ev.model_dump(mode="json", exclude_none=True) for ev in link.evidence],
                     structural=True)
    return out
