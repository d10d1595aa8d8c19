"""Why an edge has the belief it has: every edge (and structural link) between two entities, with
the arithmetic, each belief rule as it fires, and every evidence item left out with the reason.

>>> from mtorgraph.io import load_graph
>>> from pathlib import Path
>>> g = load_graph(Path(__file__).parents[3] / "tests" / "data" / "mini.yaml")
>>> found = find_explanations(g, "rapamycin", "ketamine_response")
>>> [(e.edge.predicate, round(e.explanation.belief, 3)) for e in found]
[('increases', 0.85), ('inhibits', 0.7), ('no_effect_on', 0.85)]
>>> print(found[1].explanation.left_out[0].reason)
fixture_c 24 h null (human) not counted against rat evidence: species differ
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import MtorgraphError
from ..model import Edge, MechanismGraph, StructuralLink
from ..vocab import EVIDENCE_KINDS
from .scoring import BeliefExplanation, explain_belief

__all__ = ["EdgeExplanation", "explanation_to_json", "find_explanations"]


@dataclass(frozen=True)
class EdgeExplanation:
    """One edge (or structural link) and the computation of its belief."""

    edge: Edge | StructuralLink
    explanation: BeliefExplanation


def find_explanations(graph: MechanismGraph, subject: str, object: str,
                      priors: Mapping[str, float] | None = None) -> list[EdgeExplanation]:
    """Every edge, then every structural link, from ``subject`` to ``object`` (each sorted by
    predicate or relation) with its belief explained.

    :raises UnknownEntityError: if a name matches no entity.
    :raises MtorgraphError: if nothing joins the two (the message names edges the other way round).
    """
    s, o = graph.resolve(subject).key, graph.resolve(object).key
    edges: list[Edge | StructuralLink] = sorted((e for e in graph.edges_from(s) if e.object == o),
                                                key=lambda e: e.predicate)
    edges += sorted((li for li in graph.links_from(s) if li.object == o), key=lambda li: li.relation)
    if not edges:
        reverse = sorted(e.predicate for e in graph.edges_from(o) if e.object == s)
        hint = (f"; the other way round there is: {', '.join(f'{o} {p} {s}' for p in reverse)}"
                if reverse else "; `mtorgraph show` lists an entity's edges")
        raise MtorgraphError(f"no edge from {s!r} to {o!r}{hint}")
    return [EdgeExplanation(e, explain_belief(graph, e, priors)) for e in edges]


def explanation_to_json(graph: MechanismGraph, item: EdgeExplanation) -> dict[str, Any]:
    """An explained edge: its belief terms, the formula, and each evidence with its prior.

    ``{"subject", "predicate", "object", "sign", "bridge", "belief", "b_plus", "b_minus", "formula",
    "rules": [text], "supporting": [{"reference", "experiment", "kind", "prior", "via"}],
    "refuting": [...], "left_out": [{"reference", "experiment", "kind", "direction", "via", "rule",
    "reason"}], "evidence": [{"reference", "experiment", "kind", "basis", "prior", "direction",
    "context", "finding"}]}``. ``supporting`` and ``refuting`` hold what was counted (one study
    once, its strongest kind); ``rules`` the belief rules that fired, in words; ``left_out`` each
    item that did not count and why; ``evidence`` every item on the edge. For a structural link
    ``predicate`` is its relation, ``bridge`` that relation and ``sign`` +1 (a bridge preserves
    the sign); for an edge ``bridge`` is ``null``. On merged graphs ``source_graph`` names the
    graphs that state the edge.
    """
    edge, ex = item.edge, item.explanation

    def weights(ws):
        return [{"reference": w.reference, "experiment": w.experiment, "kind": w.kind, "prior": w.prior,
                 "via": w.via} for w in ws]

    if isinstance(edge, StructuralLink):
        predicate, sign, bridge = edge.relation, 1, edge.relation
    else:
        predicate, sign, bridge = edge.predicate, edge.sign, None
    return {
        "subject": edge.subject, "predicate": predicate, "object": edge.object, "sign": sign, "bridge": bridge,
        "belief": round(ex.belief, 4), "b_plus": round(ex.b_plus, 4), "b_minus": round(ex.b_minus, 4),
        "formula": ex.formula(), "rules": list(ex.rules),
        "supporting": weights(ex.supporting), "refuting": weights(ex.refuting),
        "left_out": [{"reference": x.reference, "experiment": x.experiment, "kind": x.kind,
                      "direction": x.direction, "via": x.via, "rule": x.rule, "reason": x.reason}
                     for x in ex.left_out],
        "evidence": [{"reference": ev.reference, "experiment": ev.experiment, "kind": ev.kind, "basis": ev.basis,
                      "prior": EVIDENCE_KINDS[ev.kind].prior, "direction": ev.direction,
                      "context": ev.context.model_dump(exclude_none=True), "finding": ev.finding}
                     for ev in edge.evidence],
        **({"source_graph": edge.source_graph} if edge.source_graph else {}),
    }
