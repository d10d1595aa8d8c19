"""What an INDRA read took in and what it left out (:class:`IndraReport`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["IndraReport"]


@dataclass
class IndraReport:
    """What a read took in and what it could not map, with counts (nothing is dropped unsaid)."""

    statements: int = 0
    imported: int = 0
    edges: int = 0
    evidence: int = 0
    #: Statement types that are not signed, by type.
    other_types: Counter[str] = field(default_factory=Counter)
    #: Signed Statements skipped, by reason.
    skipped: Counter[str] = field(default_factory=Counter)
    #: Agents with no usable grounding, by name (their Statements are skipped).
    ungrounded: Counter[str] = field(default_factory=Counter)
    #: Agent states and ``obj_activity`` values that an edge cannot hold, by what they were.
    dropped_states: Counter[str] = field(default_factory=Counter)
    negated: int = 0
    hypothesis: int = 0

    @property
    def not_imported(self) -> int:
        """Statements that did not become (part of) an edge."""
        return self.statements - self.imported

    def lines(self) -> list[str]:
        """The report in words, one finding per line."""
        out = [f"{self.statements:,} statements read: {self.imported:,} imported as {self.edges:,} edges "
               f"with {self.evidence:,} evidence items"]
        if self.other_types:
            out.append(f"{sum(self.other_types.values()):,} not imported (not a signed type): "
                       + _counts(self.other_types))
        for reason, n in sorted(self.skipped.items()):
            out.append(f"{n:,} signed statements skipped: {reason}")
        if self.ungrounded:
            out.append("agents with no usable grounding (mtorgraph needs one of HGNC, UP, CHEBI, GO, DOID, MONDO, "
                       "HP, EFO, UBERON, MESH, EGID): " + _counts(self.ungrounded))
        if self.dropped_states:
            out.append("agent states an edge cannot hold (the edge keeps the plain agents): "
                       + _counts(self.dropped_states))
        if self.negated:
            out.append(f"{self.negated:,} negated evidence items imported as refuting their edge")
        if self.hypothesis:
            out.append(f"{self.hypothesis:,} hypothesis evidence items imported with kind 'hypothesis'")
        return out

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON data."""
        return {"statements": self.statements, "imported": self.imported, "edges": self.edges,
                "evidence": self.evidence, "other_types": dict(self.other_types), "skipped": dict(self.skipped),
                "ungrounded": dict(self.ungrounded), "dropped_states": dict(self.dropped_states),
                "negated": self.negated, "hypothesis": self.hypothesis}


def _counts(counter: Counter[str], most: int = 10) -> str:
    shown = ", ".join(f"{name} ×{n:,}" for name, n in counter.most_common(most))
    rest = len(counter) - most
    return shown + (f" and {rest:,} more" if rest > 0 else "")
