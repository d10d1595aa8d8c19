"""Belief in an edge (or a structural link), and the score of a path: the belief rules, written once.

Belief is a noisy-OR over evidence priors, with one *study* (a ``(reference, experiment)`` pair)
counted once, at its strongest evidence kind, as INDRA and semra count one source once::

    b+ = 1 - prod(1 - prior(study))   over the studies whose own results support the edge
    b- = 1 - prod(1 - prior(study))   over the studies whose findings count against it
    belief = b+ * (1 - b-)

What counts, rule by rule (:func:`explain_belief` records each rule as it fires, and every item
it left out with the reason; ``mtorgraph explain`` prints them):

1. **Only own results weigh.** Evidence whose ``basis`` is ``cited_statement`` (a paper's
   statement about others' work) or ``title_only`` never counts, for or against. A structural
   link is the exception for cited statements: its sources state the relation itself (an
   ontology's hierarchy, how authors describe their own model), which is exactly what the link
   claims, so they weigh for the link's belief; they never count as a path's independent studies.
2. **No support, no belief.** An edge with no weighed supporting evidence has belief 0, so path
   search leaves it out; ``explain`` says so rather than staying silent.
3. **Against**: the edge's own ``refutes`` items, and the findings of a ``no_effect_on`` edge on
   the same subject and object (a null result). Nulls lower *signed* edges only: an
   ``associated_with`` edge states a correlation, not an effect, so a null effect does not
   contradict it; and a ``no_effect_on`` edge is not lowered by the signed edges beside it.
4. **A hypothesis never counts against** tested evidence (neither a refuting hypothesis item nor a
   hypothesised null).
5. **Scope: contexts must overlap.** A refuting or null finding counts only where its species
   overlaps the species of at least one weighed supporting item. ``rodent`` overlaps ``mouse`` and
   ``rat``; an unstated species overlaps every species (absence of a report is not a different
   context; the same reading :mod:`.conflicts` uses). Species is the one field compared because it
   is a closed vocabulary; route, dose and timepoint are free text, and deciding belief by
   comparing free text would let spelling decide (``oral`` vs ``oral (in the diet)``). Those
   fields are compared, and shown, by ``conflicts``.
6. **A study does not refute itself across readouts.** A null finding of a study whose own results
   support the edge (a trial's 24 h null beside its 2-week effect) is a second result of the same
   study, not a refutation, so it is not counted. An explicit ``refutes`` item on the edge itself
   *does* count even when the same study also supports the edge: the curator said the study
   contradicts it (name the experiments to keep two readouts apart).

**Where the rules run.** :func:`explain_belief` is the rules, one edge at a time, with every term
kept (the edges beside one, for rule 3, come from a pair index: constant time per edge).
:func:`mtorgraph.analysis.beliefs.belief_columns` (every edge and link of a graph) and the path
index (:func:`mtorgraph.analysis.paths.to_graph_index`, a merged step's belief) take a vectorised
fast path only where the rules reduce to the noisy-OR over supporting studies: no refuting item
and no ``no_effect_on`` edge beside a signed edge (rules 1 and 2 only, one study once at its
strongest kind). Every other edge and every link goes through :func:`explain_belief` itself, and a
property test (``tests/test_beliefs_fast.py``) holds the two equal on random graphs.

A path's score is the product of its steps' beliefs. Priors come from
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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..model import Edge, EdgeKey, Evidence, MechanismGraph, StructuralLink
from ..vocab import EVIDENCE_KINDS
from .lookup import edges_between

__all__ = [
    "RODENT_SPECIES",
    "BeliefExplanation",
    "LeftOut",
    "ReferenceWeight",
    "edge_belief",
    "edge_beliefs",
    "explain_belief",
    "path_score",
    "species_overlap",
]

#: Species values that ``rodent`` (species not stated) overlaps.
RODENT_SPECIES = frozenset({"mouse", "rat", "rodent"})


@dataclass(frozen=True)
class ReferenceWeight:
    """One study's contribution: the evidence kind that counted and its prior."""

    reference: str
    kind: str
    prior: float
    side: str  # "supports" or "refutes"
    via: str   # the edge the evidence sits on, "subject predicate object"
    experiment: str | None = None
    species: str | None = None


@dataclass(frozen=True)
class LeftOut:
    """An evidence item that did not count, the rule that left it out, and why in words."""

    reference: str
    experiment: str | None
    kind: str
    direction: str  # "supports", "refutes" or "null" (a finding of a no_effect_on edge on the pair)
    via: str
    rule: str       # not_weighed | hypothesis_not_against | species_differ | own_study | weaker_item
    reason: str


@dataclass(frozen=True)
class BeliefExplanation:
    """The arithmetic behind an edge's belief, the rules that fired and what was left out."""

    edge: str
    supporting: tuple[ReferenceWeight, ...]
    refuting: tuple[ReferenceWeight, ...]
    b_plus: float
    b_minus: float
    belief: float
    rules: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()

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


def species_overlap(a: str | None, b: str | None) -> bool:
    """Whether two evidence species can describe the same organisms (rule 5).

    >>> species_overlap("rat", "rodent"), species_overlap("human", "rat"), species_overlap(None, "rat")
    (True, False, True)
    """
    if a is None or b is None or a == b:
        return True
    return "rodent" in (a, b) and a in RODENT_SPECIES and b in RODENT_SPECIES


def _study_words(ev: Evidence) -> str:
    return ev.reference if ev.experiment is None else f"{ev.reference} ({ev.experiment})"


def _finding_words(ev: Evidence, direction: str) -> str:
    what = {"null": "null", "refutes": "refuting finding", "supports": "finding"}[direction]
    when = f" {ev.context.timepoint}" if ev.context.timepoint and direction == "null" else ""
    species = f" ({ev.context.species})" if ev.context.species else ""
    return f"{_study_words(ev)}{when} {what}{species}"


def _per_study(items: Iterable[tuple[Evidence, str]], side: str, priors: Mapping[str, float],
               left_out: list[LeftOut], direction_of: Mapping[int, str]) -> tuple[ReferenceWeight, ...]:
    best: dict[tuple[str, str | None], tuple[ReferenceWeight, Evidence]] = {}
    for ev, via in items:
        prior = priors.get(ev.kind, EVIDENCE_KINDS[ev.kind].prior)
        weight = ReferenceWeight(ev.reference, ev.kind, prior, side, via, ev.experiment, ev.context.species)
        current = best.get(ev.study)
        if current is None or prior > current[0].prior:
            if current is not None:
                _weaker(current[1], current[0], direction_of, left_out)
            best[ev.study] = (weight, ev)
        else:
            _weaker(ev, weight, direction_of, left_out)
    return tuple(sorted((w for w, _ in best.values()), key=lambda w: (-w.prior, w.reference, w.experiment or "")))


def _weaker(ev: Evidence, weight: ReferenceWeight, direction_of: Mapping[int, str], left_out: list[LeftOut]) -> None:
    left_out.append(LeftOut(ev.reference, ev.experiment, ev.kind, direction_of[id(ev)], weight.via, "weaker_item",
                            f"{_study_words(ev)} {ev.kind} not counted again: one study counts once, "
                            "at its strongest evidence kind"))


def _noisy_or(weights: tuple[ReferenceWeight, ...]) -> float:
    return 1.0 - math.prod(1.0 - w.prior for w in weights)


def _species_words(species: set[str | None]) -> str:
    named = sorted(s for s in species if s)
    return "/".join(named) if named else "unstated-species"


def explain_belief(graph: MechanismGraph, edge: Edge | StructuralLink,
                   priors: Mapping[str, float] | None = None, *,
                   beside: Sequence[Edge] | None = None) -> BeliefExplanation:
    """Compute the belief in an edge or a structural link and keep every term, rule and omission.

    A structural link is weighed like an edge from its own evidence (rules 1, 2, 4, 5, 6); no null
    finding sits beside it.

    :param priors: overrides of evidence-kind priors, e.g. ``{"animal_in_vivo": 0.5}``.
    :param beside: the graph's edges from the edge's subject to its object, when the caller
        already holds them (else they are looked up in ``graph``).
    """
    priors = priors or {}
    rules: list[str] = []
    left_out: list[LeftOut] = []
    direction_of: dict[int, str] = {}
    label = edge.label
    signed = isinstance(edge, Edge) and edge.sign != 0

    is_link = isinstance(edge, StructuralLink)

    def not_weighed(ev: Evidence, direction: str, via: str) -> bool:
        direction_of[id(ev)] = direction
        if ev.weighed or (is_link and ev.basis == "cited_statement"):
            return False
        what = "a cited statement" if ev.basis == "cited_statement" else "known by title only"
        left_out.append(LeftOut(ev.reference, ev.experiment, ev.kind, direction, via, "not_weighed",
                                f"{_study_words(ev)} not weighed: {what} (shown, never counted)"))
        return True

    support = [(ev, label) for ev in edge.evidence
               if ev.direction == "supports" and not not_weighed(ev, "supports", label)]
    against: list[tuple[Evidence, str, str]] = [(ev, label, "refutes") for ev in edge.evidence
                                                if ev.direction == "refutes" and not not_weighed(ev, "refutes", label)]
    if isinstance(edge, Edge):
        if beside is None:
            beside = edges_between(graph, edge.subject, edge.object)
        nulls = [other for other in beside if other.predicate == "no_effect_on" and other.key != edge.key]
        if nulls and signed:
            rules.append("null findings (no_effect_on) on the same pair count against this signed edge "
                         "where their contexts overlap")
            against += [(ev, other.label, "null") for other in nulls for ev in other.evidence
                        if ev.direction == "supports" and not not_weighed(ev, "null", other.label)]
        elif nulls and edge.predicate == "associated_with":
            rules.append("an association is not a claim of effect: null findings on the pair do not lower it")
        if edge.predicate == "no_effect_on" and any(o.sign != 0 for o in beside):
            rules.append("a null finding is weighed on its own evidence: the signed edges beside it do not lower it")
    support_species = {ev.context.species for ev, _ in support}
    support_studies = {ev.study for ev, _ in support}
    counted: list[tuple[Evidence, str]] = []
    for ev, via, direction in against:
        if ev.kind == "hypothesis":
            left_out.append(LeftOut(ev.reference, ev.experiment, ev.kind, direction, via, "hypothesis_not_against",
                                    f"{_finding_words(ev, direction)} not counted: a hypothesis never "
                                    "counts against tested evidence"))
        elif support and not any(species_overlap(ev.context.species, s) for s in support_species):
            left_out.append(LeftOut(ev.reference, ev.experiment, ev.kind, direction, via, "species_differ",
                                    f"{_finding_words(ev, direction)} not counted against "
                                    f"{_species_words(support_species)} evidence: species differ"))
        elif direction == "null" and ev.study in support_studies:
            left_out.append(LeftOut(ev.reference, ev.experiment, ev.kind, direction, via, "own_study",
                                    f"{_finding_words(ev, direction)} not counted: the same study supports "
                                    "this edge at another readout; one study does not refute itself"))
        else:
            counted.append((ev, via))
    plus = _per_study(support, "supports", priors, left_out, direction_of)
    minus = _per_study(counted, "refutes", priors, left_out, direction_of)
    if plus:
        rules.append(f"noisy-OR over {len(plus)} supporting "
                     f"{'study' if len(plus) == 1 else 'studies'}, each study counted once at its strongest kind")
    else:
        rules.append("no weighed supporting evidence: belief 0, so path search leaves this out")
    if minus:
        rules.append("counted against: " + "; ".join(
            f"{w.reference}{f' ({w.experiment})' if w.experiment else ''} {w.kind} via {w.via}" for w in minus))
    b_plus, b_minus = _noisy_or(plus), _noisy_or(minus)
    return BeliefExplanation(label, plus, minus, b_plus, b_minus, b_plus * (1.0 - b_minus),
                             tuple(rules), tuple(left_out))


def edge_belief(graph: MechanismGraph, edge: Edge | StructuralLink, priors: Mapping[str, float] | None = None, *,
                beside: Sequence[Edge] | None = None) -> float:
    """The belief in ``edge`` (see the module docstring for the rules; ``beside`` as in
    :func:`explain_belief`)."""
    return explain_belief(graph, edge, priors, beside=beside).belief


def edge_beliefs(graph: MechanismGraph, priors: Mapping[str, float] | None = None) -> dict[EdgeKey, float]:
    """Every edge's and structural link's belief by key: what the RDF writers take from their caller."""
    out = {edge.key: edge_belief(graph, edge, priors) for edge in graph.edges}
    out.update({link.key: edge_belief(graph, link, priors) for link in graph.links})
    return out


def path_score(beliefs: Iterable[float]) -> float:
    """Score of a path: the product of its steps' beliefs.

    >>> path_score([0.9, 0.5])
    0.45
    """
    return math.prod(beliefs)
