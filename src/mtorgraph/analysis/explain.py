"""Why an edge has the belief it has: every edge between two entities, with the arithmetic.

>>> from mtorgraph.io import load_graph
>>> from pathlib import Path
>>> g = load_graph(Path(__file__).parents[3] / "tests" / "data" / "mini.yaml")
>>> [(e.edge.predicate, round(e.explanation.belief, 3)) for e in find_explanations(g, "rapamycin", "ketamine_response")]
[('increases', 0.85), ('inhibits', 0.105), ('no_effect_on', 0.85)]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import MtorgraphError
from ..model import Edge, MechanismGraph
from ..vocab import EVIDENCE_KINDS
from .scoring import BeliefExplanation, explain_belief

__all__ = ["EdgeExplanation", "explanation_to_json", "find_explanations"]


@dataclass(frozen=True)
class EdgeExplanation:
    """One edge and the computation of its belief."""

    edge: Edge
    explanation: BeliefExplanation


def find_explanations(graph: MechanismGraph, subject: str, object: str,
                      priors: Mapping[str, float] | None = None) -> list[EdgeExplanation]:
    """Every edge from ``subject`` to ``object`` (sorted by predicate) with its belief explained.

    :raises UnknownEntityError: if a name matches no entity.
    :raises MtorgraphError: if no edge joins the two (the message names edges the other way round).
    """
    s, o = graph.resolve(subject).key, graph.resolve(object).key
    edges = sorted((e for e in graph.edges_from(s) if e.object == o), key=lambda e: e.predicate)
    if not edges:
        reverse = sorted(e.predicate for e in graph.edges_from(o) if e.object == s)
        hint = (f"; the other way round there is: {', '.join(f'{o} {p} {s}' for p in reverse)}"
                if reverse else "; `mtorgraph show` lists an entity's edges")
        raise MtorgraphError(f"no edge from {s!r} to {o!r}{hint}")
    return [EdgeExplanation(e, explain_belief(graph, e, priors)) for e in edges]


def explanation_to_json(graph: MechanismGraph, item: EdgeExplanation) -> dict[str, Any]:
    """An explained edge: its belief terms, the formula, and each evidence with its prior.

    ``{"subject", "predicate", "object", "sign", "belief", "b_plus", "b_minus", "formula",
    "supporting": [{"reference", "kind", "prior", "via"}], "refuting": [...], "evidence":
    [{"reference", "kind", "prior", "direction", "context", "finding"}]}``. ``supporting`` and
    ``refuting`` hold what was counted (one reference once, its strongest kind); ``evidence`` lists
    every item on the edge.
    """
    edge, ex = item.edge, item.explanation

    def weights(ws):
        return [{"reference": w.reference, "kind": w.kind, "prior": w.prior, "via": w.via} for w in ws]

    return {
        "subject": edge.subject, "predicate": edge.predicate, "object": edge.object, "sign": edge.sign,
        "belief": round(ex.belief, 4), "b_plus": round(ex.b_plus, 4), "b_minus": round(ex.b_minus, 4),
        "formula": ex.formula(),
        "supporting": weights(ex.supporting), "refuting": weights(ex.refuting),
        "evidence": [{"reference": ev.reference, "kind": ev.kind, "prior": EVIDENCE_KINDS[ev.kind].prior,
                      "direction": ev.direction, "context": ev.context.model_dump(exclude_none=True),
                      "finding": ev.finding} for ev in edge.evidence],
    }
