"""The paradox atlas: every source → target pair whose paths reach the target with both net signs.

For one source, :func:`source_conflicts` first walks the signed index once, level by level up to
``max_length`` steps (:func:`.source_scan.two_sided_targets`), and keeps the targets reached with a
positive *and* a negative net sign (walks may repeat entities, so this is a superset of what
simple paths reach: no conflict is missed). Only for those targets does it run the exact search of ``mtorgraph conflicts S T``, so an
atlas record is, field for field, the ``path_conflicts`` entry that command prints for the pair,
plus a rank:

``score = harmonic mean of the two sides' independent studies × geometric mean of the two best
path scores``

The harmonic mean is high only when *both* sides rest on several independent studies (one side
with ten studies against one with one scores 1.8, five against five scores 5); the geometric mean
of the best paths keeps a conflict between two strong paths above one between weak paths with the
same studies. ``partial`` marks a record whose search hit its time limit on a side.

>>> from mtorgraph.io import load_graph
>>> from mtorgraph.analysis.paths import to_graph_index
>>> g = load_graph()
>>> records = source_conflicts(to_graph_index(g), "rapamycin", ["depression"])
>>> [(r["source"], r["target"], r["sides"]["positive"]["effect_words"]) for r in records]
[('rapamycin', 'depression', 'would worsen depression')]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .conflicts import ConflictReport, conflicts_to_json, path_conflict
from .paths import GraphIndex
from .source_scan import two_sided_targets

__all__ = ["ATLAS_SOURCE_KINDS", "ATLAS_TARGET_KINDS", "atlas_pairs", "atlas_score", "source_conflicts"]

#: Default kinds of sources and targets (the same as the unpaired ``conflicts`` scan).
ATLAS_SOURCE_KINDS = ("chemical",)
ATLAS_TARGET_KINDS = ("disease", "phenotype")

def atlas_score(record: dict[str, Any]) -> float:
    """The rank of a record (see the module docstring)."""
    n_pos = record["sides"]["positive"]["independent_studies"]
    n_neg = record["sides"]["negative"]["independent_studies"]
    harmonic = 2 * n_pos * n_neg / (n_pos + n_neg) if n_pos and n_neg else 0.0
    best = [max((p["score"] for p in record[side]), default=0.0) for side in ("positive", "negative")]
    return round(harmonic * math.sqrt(best[0] * best[1]), 6)


def source_conflicts(gindex: GraphIndex, source: str, targets: Iterable[str], *, max_length: int = 4,
                     limit: int | None = 20, timeout: float | None = None) -> list[dict[str, Any]]:
    """Atlas records for one source: each target reached with both net signs, as ``conflicts`` reports it.

    :param timeout: seconds per side of each pair (as ``conflicts --timeout``).
    """
    options = {"max_length": max_length, "limit": limit, "timeout": timeout}
    wanted = np.array([gindex.ids[t] for t in sorted(set(targets))], dtype=np.int64)
    records = []
    for t in two_sided_targets(gindex.index, gindex.ids[source], wanted, max_length):
        found = path_conflict(gindex, source, gindex.keys[t], options)
        if found is None:
            continue
        record = conflicts_to_json(ConflictReport((), (found,), gindex.graph))["path_conflicts"][0]
        record["partial"] = found.positive.truncated or found.negative.truncated
        record["score"] = atlas_score(record)
        records.append(record)
    return records


def atlas_pairs(graph: Any, source_kinds: Sequence[str] = ATLAS_SOURCE_KINDS,
                target_kinds: Sequence[str] = ATLAS_TARGET_KINDS) -> tuple[list[str], list[str]]:
    """The sorted keys of the sources and the targets of the chosen kinds."""
    sources = sorted(e.key for e in graph.entities if e.kind in source_kinds)
    targets = sorted(e.key for e in graph.entities if e.kind in target_kinds)
    return sources, targets
