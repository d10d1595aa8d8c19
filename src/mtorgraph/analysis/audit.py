"""The audit of the source summary: each claim, its verdict, and the evidence behind it."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Claim, Edge, MechanismGraph, Reference

__all__ = ["ClaimAudit", "VERDICT_LABELS", "audit_claims"]

#: How each verdict reads in views.
VERDICT_LABELS = {
    "supported": "supported",
    "supported_with_caveats": "supported, with caveats",
    "partial": "partly supported",
    "contradicted": "contradicted",
    "no_source_found": "no source found",
}


@dataclass(frozen=True)
class ClaimAudit:
    """A claim with its references and edges resolved."""

    claim: Claim
    references: tuple[Reference, ...]
    edges: tuple[Edge, ...]

    @property
    def verdict_label(self) -> str:
        """The verdict as people read it, e.g. ``no source found``."""
        return VERDICT_LABELS[self.claim.verdict]


def audit_claims(graph: MechanismGraph, claim_ids: list[str] | None = None) -> list[ClaimAudit]:
    """Resolve every claim (or those in ``claim_ids``) against the graph, in claim order."""
    wanted = {c.upper() for c in claim_ids} if claim_ids else None
    out = []
    for claim in graph.claims:
        if wanted is not None and claim.id not in wanted:
            continue
        refs = tuple(graph.reference(k) for k in claim.references)
        edges = tuple(graph.edge(*label.split(" ")) for label in claim.edges)
        out.append(ClaimAudit(claim, refs, edges))
    return out
