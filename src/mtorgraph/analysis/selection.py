"""Select edges by subject, object, predicate, sign, evidence kind, species or belief.

Beliefs are compared as people see them: tables show a belief with :data:`BELIEF_DECIMALS`
decimals, and an edge passes ``min_belief=x`` exactly when the belief so rounded is at least ``x``
(so ``0.91`` shown passes ``--min-belief 0.91`` although it is stored as 0.90999…). JSON carries
one more decimal; the rule still compares at :data:`BELIEF_DECIMALS`, a tolerance below 0.0005.

>>> shown_belief(0.9099999999999999), passes_min_belief(0.9099999999999999, 0.91)
(0.91, True)
>>> passes_min_belief(0.9094, 0.91), belief_floor(0.91) < 0.91
(False, True)
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..model import Edge, MechanismGraph
from ..vocab import PREDICATES
from .scoring import edge_belief

__all__ = ["BELIEF_DECIMALS", "belief_floor", "passes_min_belief", "select_edges", "shown_belief"]

#: Decimals a belief is shown with in tables and TSV.
BELIEF_DECIMALS = 3

_SIGN_VALUES = {"positive": 1, "negative": -1, "unsigned": 0}
_SCALE = 10 ** BELIEF_DECIMALS


def shown_belief(belief: float) -> float:
    """``belief`` rounded as tables show it."""
    return round(belief, BELIEF_DECIMALS)


def passes_min_belief(belief: float, threshold: float) -> bool:
    """Whether ``belief``, as shown, is at least ``threshold``."""
    return shown_belief(belief) >= threshold


def belief_floor(threshold: float) -> float:
    """The lowest belief that passes ``threshold`` as shown: ``b >= belief_floor(x)`` exactly when
    ``passes_min_belief(b, x)``. Lets code that compares raw beliefs (the path search) apply the
    displayed-precision rule. Never below 0.
    """
    if threshold <= 0:
        return 0.0
    # the smallest shown value (a multiple of 10^-decimals) that is >= threshold
    k = math.ceil(threshold * _SCALE)
    while (k - 1) / _SCALE >= threshold:
        k -= 1
    while k / _SCALE < threshold:
        k += 1
    shown = k / _SCALE
    # the smallest float that rounds to at least ``shown``; round() is monotone, so walk to the edge
    b = shown - 0.5 / _SCALE
    while shown_belief(b) >= shown:
        b = math.nextafter(b, -math.inf)
    while shown_belief(b) < shown:
        b = math.nextafter(b, math.inf)
    return max(b, 0.0)


def _words(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def select_edges(graph: MechanismGraph, *, subject: str | Iterable[str] | None = None,
                 object: str | Iterable[str] | None = None, predicate: str | Iterable[str] | None = None,
                 evidence_kind: str | Iterable[str] | None = None, species: str | Iterable[str] | None = None,
                 sign: str | Iterable[str] | None = None, min_belief: float = 0.0) -> list[Edge]:
    """Edges matching every filter given; a filter given several values keeps an edge matching any.

    Entity names resolve by key, CURIE, label or synonym. ``evidence_kind`` and ``species`` keep an
    edge with at least one evidence of that kind or species; ``sign`` is ``positive``, ``negative``
    or ``unsigned`` (the predicate's sign); ``min_belief`` compares as :func:`passes_min_belief`.
    Vocabulary values are taken as given (resolve user words with :mod:`mtorgraph.resolve`).

    :raises UnknownEntityError: if a subject or object names no entity.
    """
    subjects = {graph.resolve(s).key for s in _words(subject)}
    objects = {graph.resolve(o).key for o in _words(object)}
    predicates = set(_words(predicate))
    kinds = set(_words(evidence_kind))
    species_set = set(_words(species))
    signs = {_SIGN_VALUES[s] for s in _words(sign)}
    chosen = []
    for edge in graph.edges:
        if subjects and edge.subject not in subjects or objects and edge.object not in objects:
            continue
        if predicates and edge.predicate not in predicates:
            continue
        if signs and PREDICATES[edge.predicate].sign not in signs:
            continue
        if kinds and not any(ev.kind in kinds for ev in edge.evidence):
            continue
        if species_set and not any(ev.context.species in species_set for ev in edge.evidence):
            continue
        if min_belief > 0 and not passes_min_belief(edge_belief(graph, edge), min_belief):
            continue
        chosen.append(edge)
    return chosen
