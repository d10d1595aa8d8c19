"""A graph's traversable steps as arrays: what the path index is built from, without a Python
object per edge.

Parallel edges of one sign between two entities are one step (see :mod:`.paths`); a structural
link is a bridge step. :func:`to_step_table` groups the edges with numpy, computes each step's
belief with the vectorised noisy-OR of :mod:`.beliefs` keyed by step (a merged step weighs the
union of its edges' evidence, one study once), sends the steps the fast path cannot decide
(a refuting item, or a null finding on the pair) through :func:`.scoring.edge_belief` on the
merged edge, and applies the filters as masks. Steps come out in index order: by subject id,
object id, sign (+, 0, −), edge steps before bridges (by relation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from ..columnar.schema import OWNER_EDGE, OWNER_LINK
from ..vocab import PREDICATES
from .belief_rules import rule_beliefs
from .beliefs import (KINDS, PREDICATE_NAMES, PREDICATE_SIGN, as_columnar, evidence_codes, group_support,
                      link_beliefs, null_evidence, null_pairs)
from .lookup import derived, pair_keys
from .scoring import edge_belief

__all__ = ["StepTable", "filter_columnar", "to_step_table"]

RELATIONS = ("model_of", "part_of", "participates_in", "subclass_of")  # alphabetical: bridge order
_CAUSAL = np.array([PREDICATES[p].causal for p in PREDICATE_NAMES], dtype=bool)
_ASSOCIATED = PREDICATE_NAMES.index("associated_with")
_HYPOTHESIS = KINDS.index("hypothesis")
#: predicate code -> rank of its name in alphabetical order (a merged step lists them so)
_PREDICATE_RANK = np.argsort(np.argsort(np.array(PREDICATE_NAMES)))


@dataclass(frozen=True)
class StepTable:
    """Steps in index order. Edge step ``i`` rests on edge rows ``edge_rows[edge_ptr[i]:edge_ptr[i+1]]``
    (of ``columns``, by predicate); a bridge step (``link_row[i] >= 0``) on that link row."""

    keys: tuple[str, ...]          # entity keys, sorted: node id = position
    entity_id: np.ndarray          # entities row -> node id
    src: np.ndarray
    dst: np.ndarray
    sign: np.ndarray               # +1, -1, 0
    belief: np.ndarray
    edge_ptr: np.ndarray
    edge_rows: np.ndarray
    link_row: np.ndarray
    columns: Any                   # the filtered graph's columns
    graph: Any                     # the filtered graph (what a step's edges are read from)


def filter_columnar(columns: Any, species: Iterable[str] | None, evidence_kinds: Iterable[str] | None) -> Any:
    """A ``ColumnarGraph`` keeping only the edge evidence of the given species and kinds; edges left
    bare go, links stay whole, the small parts (claims, questions, title) go, as in
    :func:`.paths.to_filtered_graph`."""
    from ..columnar import ColumnarGraph
    from ..vocab import SPECIES

    codes = evidence_codes(columns)
    keep = np.ones(len(codes.owner), dtype=bool)
    if species:
        keep &= np.isin(codes.species, [list(SPECIES).index(s) for s in set(species)])
    if evidence_kinds:
        keep &= np.isin(codes.kind, [KINDS.index(k) for k in set(evidence_kinds)])
    on_edge = codes.owner == OWNER_EDGE
    keep |= ~on_edge
    alive = np.zeros(columns.edge_count, dtype=bool)
    alive[codes.row[on_edge & keep]] = True
    new_row = np.cumsum(alive) - 1
    evidence = columns.tables["evidence"].filter(pa.array(keep))
    kept_rows = codes.row[keep].copy()
    edge_kept = on_edge[keep]
    kept_rows[edge_kept] = new_row[kept_rows[edge_kept]]
    kept_rows = kept_rows.astype(np.int32)
    evidence = evidence.set_column(evidence.schema.get_field_index("row"), evidence.schema.field("row"),
                                   pa.array(kept_rows, pa.int32()))
    tables = dict(columns.tables, edges=columns.tables["edges"].filter(pa.array(alive)), evidence=evidence)
    return ColumnarGraph(tables)


def _filtered(graph: Any, species: frozenset[str], evidence_kinds: frozenset[str]) -> Any:
    if not species and not evidence_kinds:
        return graph
    if hasattr(graph, "tables") and hasattr(graph, "evidence_rows"):
        return filter_columnar(graph, species, evidence_kinds)
    from .paths import to_filtered_graph

    return to_filtered_graph(graph, species or None, evidence_kinds or None)


def _sorted_keys(columns: Any) -> tuple[tuple[str, ...], np.ndarray]:
    def make():
        keys = columns.tables["entities"].column("key").to_pylist()
        order = sorted(range(len(keys)), key=keys.__getitem__)
        entity_id = np.empty(len(keys), dtype=np.int64)
        entity_id[np.array(order, dtype=np.int64)] = np.arange(len(keys))
        return tuple(keys[i] for i in order), entity_id
    return derived(columns, "sorted_keys", make)


def _step_rule_beliefs(columns: Any, codes: Any, on_edges: np.ndarray, edge_step: np.ndarray, exact: np.ndarray,
                       step_sign: np.ndarray, step_rows: np.ndarray, edge_ptr: np.ndarray, n_steps: int) -> np.ndarray:
    """Beliefs of the ``exact`` steps under every rule: a step is one item holding its edges' evidence,
    with the nulls on its pair beside it (as ``edge_belief`` on the merged edge)."""
    position = np.full(n_steps, -1, dtype=np.int64)
    position[exact] = np.arange(len(exact))
    step = edge_step[codes.row[on_edges]]
    group = np.where(step >= 0, position[np.maximum(step, 0)], -1)
    mine = group >= 0
    key, _ = pair_keys(columns)
    null_rows, null_group = null_evidence(columns, key[step_rows[edge_ptr[exact]]], step_sign[exact] != 0)
    return rule_beliefs(codes, codes.weighed, on_edges[mine], group[mine], null_rows, null_group, len(exact))


def to_step_table(graph: Any, *, species: Iterable[str] | None = None, evidence_kinds: Iterable[str] | None = None,
                  min_belief: float = 0.0, include_hypotheses: bool = False, include_associations: bool = False,
                  bridges: bool = True) -> StepTable:
    """The traversable steps of ``graph`` (a ``MechanismGraph`` or ``ColumnarGraph``) under the filters."""
    filtered = _filtered(graph, frozenset(species or ()), frozenset(evidence_kinds or ()))
    columns = as_columnar(filtered)
    keys, entity_id = _sorted_keys(columns)
    n = len(keys)
    codes = evidence_codes(columns)
    predicate = columns.codes("edges", "predicate", PREDICATE_NAMES)
    subject = columns.array("edges", "subject").astype(np.int64)
    obj = columns.array("edges", "object").astype(np.int64)
    sign = PREDICATE_SIGN[predicate].astype(np.int64)
    on_edges = np.flatnonzero(codes.owner == OWNER_EDGE)
    not_hypothesis = np.bincount(codes.row[on_edges], weights=codes.kind[on_edges] != _HYPOTHESIS,
                                 minlength=columns.edge_count)
    traversable = _CAUSAL[predicate] | (include_associations & (predicate == _ASSOCIATED))
    keep = traversable & (subject != obj)
    if not include_hypotheses:
        keep &= not_hypothesis > 0
    rows = np.flatnonzero(keep)
    s_id, o_id = entity_id[subject[rows]], entity_id[obj[rows]]
    step_key = (s_id * n + o_id) * 3 + (1 - sign[rows])
    unique_keys, step_of = np.unique(step_key, return_inverse=True)
    step_of = step_of.reshape(-1)
    n_steps = len(unique_keys)
    # beliefs keyed by step: the evidence of every edge in the step
    edge_step = np.full(columns.edge_count, -1, dtype=np.int64)
    edge_step[rows] = step_of
    ev_rows = on_edges[edge_step[codes.row[on_edges]] >= 0]
    b_plus, refuted = group_support(codes, ev_rows, edge_step[codes.row[ev_rows]], n_steps)
    step_sign = 1 - (unique_keys % 3)
    nulls = np.zeros(n_steps, dtype=bool)
    nulls[step_of[null_pairs(columns)[rows]]] = True
    belief = b_plus
    # edge rows of each step, by predicate name
    order = np.lexsort((_PREDICATE_RANK[predicate[rows]], step_of))
    step_rows = rows[order]
    edge_ptr = np.zeros(n_steps + 1, dtype=np.int64)
    np.cumsum(np.bincount(step_of, minlength=n_steps), out=edge_ptr[1:])
    exact = np.flatnonzero(refuted | ((step_sign != 0) & nulls))
    if len(exact) and columns is filtered:  # the full rules on the columns, a merged step as one item
        belief[exact] = _step_rule_beliefs(columns, codes, on_edges, edge_step, exact, step_sign, step_rows, edge_ptr,
                                           n_steps)
    elif len(exact):
        # the steps that need the full rules: their edges, and those beside them, built at once
        members = np.concatenate([step_rows[edge_ptr[i]:edge_ptr[i + 1]] for i in exact.tolist()])
        built = {int(r): filtered.edges[int(r)] for r in members.tolist()}
        beside: dict = {}
        for i in exact.tolist():
            edges = [built[int(r)] for r in step_rows[edge_ptr[i]:edge_ptr[i + 1]]]
            item = edges[0] if len(edges) == 1 else edges[0].model_copy(
                update={"evidence": tuple(ev for e in edges for ev in e.evidence)})
            belief[i] = edge_belief(filtered, item, beside=beside.get(int(step_rows[edge_ptr[i]])))
    steps_src, steps_dst = unique_keys // 3 // max(n, 1), unique_keys // 3 % max(n, 1)
    rank = np.zeros(n_steps, dtype=np.int64)
    link_row = np.full(n_steps, -1, dtype=np.int64)
    src, dst, step_signs = [steps_src], [steps_dst], [step_sign]
    beliefs, ranks, link_rows = [belief], [rank], [link_row]
    if bridges and columns.link_count:
        l_subject = columns.array("links", "subject").astype(np.int64)
        l_object = columns.array("links", "object").astype(np.int64)
        on_links = np.flatnonzero(codes.owner == OWNER_LINK)
        tested = np.bincount(codes.row[on_links], weights=codes.kind[on_links] != _HYPOTHESIS,
                             minlength=columns.link_count)
        l_keep = l_subject != l_object
        if not include_hypotheses:
            l_keep &= tested > 0
        l_rows_arr = np.flatnonzero(l_keep)
        if columns is filtered:
            l_all = link_beliefs(columns)
        else:
            l_all = np.array([edge_belief(filtered, link) for link in filtered.links], dtype=np.float64)
        relation = columns.codes("links", "relation", RELATIONS)[l_rows_arr]
        src.append(entity_id[l_subject[l_rows_arr]])
        dst.append(entity_id[l_object[l_rows_arr]])
        step_signs.append(np.ones(len(l_rows_arr), dtype=np.int64))
        beliefs.append(l_all[l_rows_arr])
        ranks.append(relation.astype(np.int64) + 1)
        link_rows.append(l_rows_arr)
    src_a, dst_a, sign_a = np.concatenate(src), np.concatenate(dst), np.concatenate(step_signs)
    belief_a, rank_a, link_a = np.concatenate(beliefs), np.concatenate(ranks), np.concatenate(link_rows)
    # edge-step ptr over all steps (bridges hold no edge rows)
    counts = np.zeros(len(src_a), dtype=np.int64)
    counts[:n_steps] = np.diff(edge_ptr)
    alive = (belief_a > 0.0) & (belief_a >= min_belief)
    final = np.lexsort((rank_a, 1 - sign_a, dst_a, src_a))
    final = final[alive[final]]
    starts = np.r_[0, np.cumsum(counts)][:-1]
    counts, starts = counts[final], starts[final]
    ptr = np.zeros(len(final) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    gather = np.repeat(starts - ptr[:-1], counts) + np.arange(int(ptr[-1]))
    return StepTable(keys, entity_id, src_a[final], dst_a[final], sign_a[final], belief_a[final], ptr,
                     step_rows[gather] if len(gather) else np.empty(0, dtype=np.int64), link_a[final], columns,
                     filtered)

