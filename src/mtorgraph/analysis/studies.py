"""Independent studies behind a set of edges: a side of a conflict is as strong as these, not as
its number of paths.

A study is a ``(reference, experiment)`` pair (:attr:`mtorgraph.model.Evidence.study`): two items
of one reference count once unless the curator names different experiments. Only weighed evidence
counts (own results; not cited statements or title-only references), and only evidence that a
study produced: a curator's inference and a hypothesis weigh in belief but are nobody's study.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Edge, Evidence, StructuralLink

__all__ = ["NOT_STUDIES", "independent_studies", "study_references", "weighed_evidence"]

#: Evidence kinds that are not a study's result, so they never count as independent studies.
NOT_STUDIES = frozenset({"curator_inference", "hypothesis"})


def weighed_evidence(items: Iterable[Edge | StructuralLink]) -> list[Evidence]:
    """Every supporting, weighed evidence item on ``items`` that a study produced, in order."""
    return [ev for item in items for ev in item.evidence
            if ev.weighed and ev.direction == "supports" and ev.kind not in NOT_STUDIES]


def independent_studies(items: Iterable[Edge | StructuralLink]) -> list[tuple[str, str | None]]:
    """The distinct studies supporting ``items``, sorted (``None`` experiments first)."""
    studies = {ev.study for ev in weighed_evidence(items)}
    return sorted(studies, key=lambda s: (s[0], s[1] or ""))


def study_references(items: Iterable[Edge | StructuralLink]) -> list[str]:
    """The distinct references whose own results support ``items``, sorted."""
    return sorted({ev.reference for ev in weighed_evidence(items)})
