"""Every edge's and link's belief as arrays aligned with the rows of a graph's tables.

Writers, indexes and the atlas read beliefs by row; :func:`belief_columns` is the one place that
computes them for a whole graph, with the rules of :mod:`.scoring`.

Fast, and still the same rules: where an edge's case is *simple* (no refuting item, and for a
signed edge no ``no_effect_on`` edge on its pair) its belief is the noisy-OR over its supporting
studies, each at its strongest prior, computed for all such edges at once from the evidence
columns (:func:`group_support`). Every other edge, and every link, goes through
:func:`.scoring.explain_belief`. The products are taken in the order ``explain_belief`` takes them
(strongest prior first), so the two agree to the last bit.

>>> from mtorgraph.model import *
>>> ev = lambda ref, kind, d="supports": Evidence(reference=ref, kind=kind, finding="f", direction=d)
>>> ents = tuple(Entity(key=k, id=f"GO:{i}", label=k, name=k, kind="process") for i, k in enumerate("abc"))
>>> g = MechanismGraph(entities=ents,
...     references=tuple(Reference(key=r, title="t", doi=f"10.1000/{r}", verified="yes") for r in ("r1", "r2")),
...     edges=(Edge(subject="a", predicate="increases", object="b",
...                 evidence=(ev("r1", "animal_in_vivo"), ev("r1", "in_vitro"), ev("r2", "review"))),
...            Edge(subject="b", predicate="inhibits", object="c",
...                 evidence=(ev("r1", "rct"), ev("r2", "in_vitro", "refutes")))))
>>> belief_columns(g).edges.round(4).tolist()   # 1-(.3)(.5); .85 * (1 - .55)
[0.85, 0.3825]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from ..columnar.schema import OWNER_EDGE, OWNER_LINK
from ..vocab import EVIDENCE_KINDS, PREDICATES
from .belief_rules import kind_priors, noisy_or_by_group, rule_beliefs
from .lookup import derived, pair_keys, stored
from .scoring import edge_belief

__all__ = ["BeliefColumns", "EvidenceCodes", "belief_columns", "evidence_codes", "group_support",
           "as_columnar", "link_beliefs", "null_evidence", "null_pairs", "use_columns"]

KINDS = tuple(EVIDENCE_KINDS)
PREDICATE_NAMES = tuple(PREDICATES)
#: predicate code -> sign
PREDICATE_SIGN = np.array([PREDICATES[p].sign for p in PREDICATE_NAMES], dtype=np.int8)
NO_EFFECT = PREDICATE_NAMES.index("no_effect_on")
DIRECTIONS = ("supports", "refutes")
BASES = ("own_result", "cited_statement", "title_only")


@dataclass(frozen=True)
class BeliefColumns:
    """``edges[i]`` is the belief in edge row ``i``; ``links[j]`` in link row ``j`` (``float64``)."""

    edges: np.ndarray
    links: np.ndarray

    def by_key(self, graph: Any) -> dict[tuple[str, str, str], float]:
        """The same beliefs keyed by edge and link key (what small-graph code reads)."""
        if hasattr(graph, "tables"):  # columns: the keys from the tables, no edge objects
            keys = graph.tables["entities"].column("key").to_pylist()
            out = {}
            for table, verb, values in (("edges", "predicate", self.edges), ("links", "relation", self.links)):
                columns = graph.tables[table]
                out.update({(keys[s], p, keys[o]): float(b) for s, p, o, b in zip(
                    columns.column("subject").to_pylist(), columns.column(verb).to_pylist(),
                    columns.column("object").to_pylist(), values.tolist())})
            return out
        out = {edge.key: float(b) for edge, b in zip(graph.edges, self.edges)}
        out.update({link.key: float(b) for link, b in zip(graph.links, self.links)})
        return out


@dataclass(frozen=True)
class EvidenceCodes:
    """The evidence columns the belief rules read, as integer arrays (one entry per evidence row).

    ``kind`` indexes :data:`KINDS`; ``supports`` and ``weighed`` are booleans for an edge's evidence
    (a missing direction reads ``supports``, a missing basis ``own_result``); ``study`` numbers
    the distinct ``(reference, experiment)`` pairs.
    """

    owner: np.ndarray
    row: np.ndarray
    kind: np.ndarray
    supports: np.ndarray
    weighed: np.ndarray
    study: np.ndarray
    species: np.ndarray
    cited: np.ndarray  # basis is cited_statement (weighs for a structural link)


def as_columnar(graph: Any) -> Any:
    """``graph`` itself if it is a ``ColumnarGraph``, else its columns (made once per graph)."""
    if hasattr(graph, "tables") and hasattr(graph, "evidence_rows"):
        return graph
    from ..columnar import ColumnarGraph

    return derived(graph, "columnar", lambda: ColumnarGraph.from_model(graph))


def use_columns(graph: Any, columns: Any) -> None:
    """Make :func:`as_columnar` give ``columns`` for ``graph`` (a model graph) instead of converting
    it. ``columns`` must hold ``graph``'s entities, edges, links and references in the same order
    (as :func:`~mtorgraph.columnar.subset.take_subgraph` takes them from a larger graph's columns)."""
    derived(graph, "columnar", lambda: columns)


def evidence_codes(columns: Any) -> EvidenceCodes:
    """The evidence columns of a ``ColumnarGraph`` as codes (made once per graph)."""
    def make() -> EvidenceCodes:
        from ..vocab import SPECIES

        direction = columns.codes("evidence", "direction", DIRECTIONS)
        basis = columns.codes("evidence", "basis", BASES)
        reference = columns.array("evidence", "reference").astype(np.int64)
        experiment = columns.tables["evidence"].column("experiment")
        encoded = experiment.combine_chunks().dictionary_encode() if len(experiment) else pa.array([], pa.int32())
        if len(experiment):
            exp = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        else:
            exp = np.empty(0, dtype=np.int64)
        _, study = np.unique(reference * (len(encoded.dictionary) + 1 if len(experiment) else 1) + exp + 1,
                             return_inverse=True)
        return EvidenceCodes(columns.array("evidence", "owner"), columns.array("evidence", "row").astype(np.int64),
                             columns.codes("evidence", "kind", KINDS), direction != 1, basis <= 0,
                             study.astype(np.int64).reshape(-1),
                             columns.codes("evidence", "species", tuple(SPECIES)), basis == 1)
    return derived(columns, "evidence_codes", make)


def group_support(codes: EvidenceCodes, rows: np.ndarray, group: np.ndarray, n_groups: int,
                  priors: Mapping[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per group of evidence rows: the noisy-OR over its supporting studies, and whether any of its
    rows is a weighed refuting item (then the group needs the full rules).

    :param rows: evidence rows (of edges) taking part; ``group[i]`` is the group of ``rows[i]``.
    :returns: ``(b_plus, refuted)``, each ``n_groups`` long.
    """
    weighed = codes.weighed[rows]
    supports = codes.supports[rows]
    refuted = np.zeros(n_groups, dtype=bool)
    refuted[group[weighed & ~supports]] = True
    use = weighed & supports
    b_plus = noisy_or_by_group(group[use], codes.study[rows[use]], kind_priors(priors)[codes.kind[rows[use]]],
                               n_groups)
    return b_plus, refuted


def null_pairs(columns: Any, edge_alive: np.ndarray | None = None) -> np.ndarray:
    """Per edge row: whether a ``no_effect_on`` edge (alive, when a mask is given) shares its pair."""
    key, order = pair_keys(columns)
    predicate = columns.codes("edges", "predicate", PREDICATE_NAMES)
    is_null = predicate == NO_EFFECT
    if edge_alive is not None:
        is_null &= edge_alive
    if not is_null.any():
        return np.zeros(len(key), dtype=bool)
    null_keys = np.unique(key[is_null])
    return np.isin(key, null_keys)


def belief_columns(graph: Any, priors: Mapping[str, float] | None = None) -> BeliefColumns:
    """Beliefs of every edge and link of ``graph`` (a ``MechanismGraph`` or a ``ColumnarGraph``).

    With the default priors they are made once per graph and process, and kept in the graph's
    derived store when it has one (see :func:`.lookup.stored`).
    """
    if priors is not None:
        return _compute(graph, priors)
    def make() -> dict[str, np.ndarray]:
        made = _compute(graph, None)
        return {"edges": made.edges, "links": made.links}
    found = stored(graph, "beliefs", make)
    return BeliefColumns(found["edges"], found["links"])


def null_evidence(columns: Any, pair_key: np.ndarray, signed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The evidence rows of the ``no_effect_on`` edges on each signed group's pair, and their groups.

    :param pair_key: per group, its pair as :func:`.lookup.pair_keys` keys it.
    :param signed: per group, whether nulls count against it (a signed edge or step).
    """
    codes = evidence_codes(columns)
    key, _ = pair_keys(columns)
    predicate = columns.codes("edges", "predicate", PREDICATE_NAMES)
    on_edges = np.flatnonzero(codes.owner == OWNER_EDGE)
    null_rows = on_edges[predicate[codes.row[on_edges]] == NO_EFFECT]
    null_key = key[codes.row[null_rows]]
    order = np.argsort(null_key, kind="stable")
    null_rows, null_key = null_rows[order], null_key[order]
    groups = np.flatnonzero(signed)
    lo = np.searchsorted(null_key, pair_key[groups], "left")
    counts = np.searchsorted(null_key, pair_key[groups], "right") - lo
    total = int(counts.sum())
    at = np.repeat(lo - (np.cumsum(counts) - counts), counts) + np.arange(total)
    return null_rows[at], np.repeat(groups, counts)


def edge_rule_beliefs(columns: Any, rows: np.ndarray, priors: Mapping[str, float] | None = None) -> np.ndarray:
    """The beliefs of the edges at ``rows`` of a ``ColumnarGraph`` under every rule (refuting items,
    nulls beside, scope, own study), computed on the columns."""
    codes = evidence_codes(columns)
    position = np.full(columns.edge_count, -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    on_edges = np.flatnonzero(codes.owner == OWNER_EDGE)
    group = position[codes.row[on_edges]]
    mine = group >= 0
    key, _ = pair_keys(columns)
    signed = PREDICATE_SIGN[columns.codes("edges", "predicate", PREDICATE_NAMES)[rows]] != 0
    null_rows, null_group = null_evidence(columns, key[rows], signed)
    return rule_beliefs(codes, codes.weighed, on_edges[mine], group[mine], null_rows, null_group, len(rows), priors)


def link_beliefs(columns: Any, priors: Mapping[str, float] | None = None) -> np.ndarray:
    """Every structural link's belief, by link row, on the columns (a link weighs its cited
    statements too, and no null sits beside it)."""
    codes = evidence_codes(columns)
    on_links = np.flatnonzero(codes.owner == OWNER_LINK)
    empty = np.empty(0, dtype=np.int64)
    return rule_beliefs(codes, codes.weighed | codes.cited, on_links, codes.row[on_links], empty, empty,
                        columns.link_count, priors)


def _compute(graph: Any, priors: Mapping[str, float] | None) -> BeliefColumns:
    columns = as_columnar(graph)
    codes = evidence_codes(columns)
    m = columns.edge_count
    on_edges = np.flatnonzero(codes.owner == OWNER_EDGE)
    b_plus, refuted = group_support(codes, on_edges, codes.row[on_edges], m, priors)
    predicate = columns.codes("edges", "predicate", PREDICATE_NAMES)
    signed = PREDICATE_SIGN[predicate] != 0
    exact = refuted | (signed & null_pairs(columns))
    edges = b_plus
    rows = np.flatnonzero(exact)
    if columns is graph:  # the full rules on the columns
        edges[rows] = edge_rule_beliefs(columns, rows, priors)
        return BeliefColumns(edges, link_beliefs(columns, priors))
    # a model graph: the rules one edge at a time (the reference the columns are held to)
    model_edges = graph.edges
    for row in rows.tolist():
        edges[row] = edge_belief(graph, model_edges[row], priors)
    links = np.fromiter((edge_belief(graph, link, priors) for link in graph.links), dtype=np.float64,
                        count=len(graph.links))
    return BeliefColumns(edges, links)
