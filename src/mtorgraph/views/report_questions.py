"""Which questions a report answers: those given, the graph's own (``graph.yaml``), or the path
conflicts a bounded scan finds; and the report's title."""

from __future__ import annotations

import time

from ..analysis.paths import GraphIndex, search_graph_index, to_graph_index
from ..model import MechanismGraph, Question

__all__ = ["SCAN_QUESTIONS", "SCAN_SECONDS", "report_questions", "report_title"]

#: At most this many conflicts become questions when a graph states none.
SCAN_QUESTIONS = 5
#: The scan for conflicts (on a graph without questions) stops after this many seconds.
SCAN_SECONDS = 10.0


def _scan_questions(graph: MechanismGraph, gindex: GraphIndex) -> tuple[Question, ...]:
    """Pairs with paths of both signs, for a graph that states no question (bounded in count and time)."""
    sources = sorted(e.key for e in graph.entities if e.kind == "chemical" and graph.edges_from(e.key))
    targets = sorted(e.key for e in graph.entities if e.kind in ("disease", "phenotype") and graph.edges_to(e.key))
    deadline = time.monotonic() + SCAN_SECONDS
    found: list[Question] = []
    for s in sources:
        for t in targets:
            left = deadline - time.monotonic()
            if len(found) >= SCAN_QUESTIONS or left <= 0:
                return tuple(found)
            if s != t and all(search_graph_index(gindex, s, t, sign=sign, limit=1, timeout=left).paths
                              for sign in ("positive", "negative")):
                found.append(Question(source=s, target=t))
    return tuple(found)


def report_questions(graph: MechanismGraph, questions: tuple[Question, ...] | None = None, *,
                     gindex: GraphIndex | None = None) -> tuple[Question, ...]:
    """The questions a report answers: those given, else the graph's own, else a bounded conflict scan's.

    :param gindex: ``to_graph_index(graph)`` if already built (the scan needs it).
    """
    if questions:
        return tuple(Question(source=graph.resolve(q.source).key, target=graph.resolve(q.target).key,
                              title=q.title) for q in questions)
    return tuple(getattr(graph, "questions", ())) or _scan_questions(graph, gindex or to_graph_index(graph))


def report_title(graph: MechanismGraph, questions: tuple[Question, ...]) -> str:
    """The graph's title, else the single question's title, else a generic one."""
    if getattr(graph, "title", None):
        return str(graph.title)
    if len(questions) == 1:
        q = questions[0]
        return q.title or f"{graph.entity(q.source).name} and {graph.entity(q.target).name}: an evidence report"
    return "An evidence report"
