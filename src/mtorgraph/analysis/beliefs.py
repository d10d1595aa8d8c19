"""Every edge's and link's belief as arrays aligned with the rows of a graph's tables.

Writers, indexes and the atlas read beliefs by row; :func:`belief_columns` is the one place that
computes them for a whole graph, with the rules of :mod:`.scoring`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .scoring import edge_belief

__all__ = ["BeliefColumns", "belief_columns"]


@dataclass(frozen=True)
class BeliefColumns:
    """``edges[i]`` is the belief in edge row ``i``; ``links[j]`` in link row ``j`` (``float64``)."""

    edges: np.ndarray
    links: np.ndarray

    def by_key(self, graph: Any) -> dict[tuple[str, str, str], float]:
        """The same beliefs keyed by edge and link key (what small-graph code reads)."""
        out = {edge.key: float(b) for edge, b in zip(graph.edges, self.edges)}
        out.update({link.key: float(b) for link, b in zip(graph.links, self.links)})
        return out


def belief_columns(graph: Any, priors: Mapping[str, float] | None = None) -> BeliefColumns:
    """Beliefs of every edge and link of ``graph`` (a ``MechanismGraph`` or a ``ColumnarGraph``)."""
    edges = np.fromiter((edge_belief(graph, e, priors) for e in graph.edges), dtype=np.float64,
                        count=len(graph.edges))
    links = np.fromiter((edge_belief(graph, link, priors) for link in graph.links), dtype=np.float64,
                        count=len(graph.links))
    return BeliefColumns(edges, links)
