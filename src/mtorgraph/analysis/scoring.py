"""Belief in an edge, and the score of a path.

Belief is a noisy-OR over evidence priors, with one reference counted once (its strongest piece
of evidence), as INDRA and semra do::

    b+ = 1 - prod(1 - prior(ref))   over references that support the edge
    b- = 1 - prod(1 - prior(ref))   over references that refute it, including the evidence of a
                                    ``no_effect_on`` edge between the same subject and object
                                    (a null result of a study whose own results of the same kind
                                    support the edge is not counted, nor is a hypothesis)
    belief = b+ * (1 - b-)

A path's score is the product of its edges' beliefs. Priors come from
:data:`mtorgraph.vocab.EVIDENCE_KINDS` and can be overridden per call.

>>> from mtorgraph.model import *
>>> ev = lambda ref, kind: Evidence(reference=ref, kind=kind, finding="f")
>>> g = MechanismGraph(
...     entities=(Entity(key="a", id="GO:1", label="a", name="a", kind="process"),
...               Entity(key="b", id="GO:2", label="b", name="b", kind="process")),
...     references=(Reference(key="r1", title="t", doi="10.1000/x", verified="yes"),
...                 Reference(key="r2", title="t", doi="10.1000/y", verified="yes")),
...     edges=(Edge(subject="a", predicate="increases", object="b",
...                 evidence=(ev("r1", "animal_in_vivo"), ev("r1", "in_vitro"), ev("r2", "review"))),))
>>> round(explain_belief(g, g.edges[0]).belief, 4)   # 1 - (1-0.7)(1-0.5)
0.85
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..model import Edge, Evidence, MechanismGraph
from ..vocab import EVIDENCE_KINDS

__all__ = ["BeliefExplanation", "ReferenceWeight", "edge_belief", "explain_belief", "path_score"]


@dataclass(frozen=True)
class ReferenceWeight:
    """One reference's contribution: the evidence kind that counted and its prior."""

    reference: str
    kind: str
    prior: float
    side: str  # "supports" or "refutes"
    via: str   # the edge the evidence sits on, "subject predicate object"


@dataclass(frozen=True)
class BeliefExplanation:
    """The arithmetic behind an edge's belief, for ``mtorgraph explain``."""

    edge: str
    supporting: tuple[ReferenceWeight, ...]
    refuting: tuple[ReferenceWeight, ...]
    b_plus: float
    b_minus: float
    belief: float

    def formula(self) -> str:
        """The computation written out, e.g. ``1 - (1-0.70)(1-0.50) = 0.850``."""
        def noisy_or(weights: tuple[ReferenceWeight, ...], value: float) -> str:
            if not weights:
                return "0"
            terms = "".join(f"(1-{w.prior:.2f})" for w in weights)
            return f"1 - {terms} = {value:.3f}"
        return (f"b+ = {noisy_or(self.supporting, self.b_plus)}; "
                f"b- = {noisy_or(self.refuting, self.b_minus)}; "
                f"belief = b+ * (1 - b-) = {self.b_plus:.3f} * {1 - self.b_minus:.3f} = {self.belief:.3f}")


def _per_reference(items: Iterable[tuple[Evidence, str]], side: str,
                   priors: Mapping[str, float]) -> tuple[ReferenceWeight, ...]:
    best: dict[str, ReferenceWeight] = {}
    for ev, via in items:
        prior = priors.get(ev.kind, EVIDENCE_KINDS[ev.kind].prior)
        current = best.get(ev.reference)
        if current is None or prior > current.prior:
            best[ev.reference] = ReferenceWeight(ev.reference, ev.kind, prior, side, via)
    return tuple(sorted(best.values(), key=lambda w: (-w.prior, w.reference)))


def _noisy_or(weights: tuple[ReferenceWeight, ...]) -> float:
    return 1.0 - math.prod(1.0 - w.prior for w in weights)


def explain_belief(graph: MechanismGraph, edge: Edge,
                   priors: Mapping[str, float] | None = None) -> BeliefExplanation:
    """Compute an edge's belief and keep every term of the computation.

    :param priors: overrides of evidence-kind priors, e.g. ``{"animal_in_vivo": 0.5}``.
    """
    priors = priors or {}
    support = [(ev, edge.label) for ev in edge.evidence if ev.direction == "supports"]
    against = [(ev, edge.label) for ev in edge.evidence if ev.direction == "refutes"]
    if edge.sign != 0:
        for other in graph.edges_from(edge.subject):
            if other.object == edge.object and other.predicate == "no_effect_on":
                # An untested idea does not count against tested evidence.
                against += [(ev, other.label) for ev in other.evidence
                            if ev.direction == "supports" and ev.kind != "hypothesis"]
    plus = _per_reference(support, "supports", priors)
    # A study whose own results support the edge in one context and show no effect in another
    # (a trial's 2-week and 24 h readouts) does not refute itself; the same study's result does
    # count against a statement it only cites (a review-kind item of the same reference).
    own_results = {(ev.reference, ev.kind) for ev, _ in support}
    minus = _per_reference([(ev, via) for ev, via in against if (ev.reference, ev.kind) not in own_results],
                           "refutes", priors)
    b_plus, b_minus = _noisy_or(plus), _noisy_or(minus)
    return BeliefExplanation(edge.label, plus, minus, b_plus, b_minus, b_plus * (1.0 - b_minus))


def edge_belief(graph: MechanismGraph, edge: Edge, priors: Mapping[str, float] | None = None) -> float:
    """The belief in ``edge`` (see the module docstring for the formula)."""
    return explain_belief(graph, edge, priors).belief


def path_score(beliefs: Iterable[float]) -> float:
    """Score of a path: the product of its edges' beliefs.

    >>> path_score([0.9, 0.5])
    0.45
    """
    return math.prod(beliefs)
