"""The small node kinds of an mtorgraph RDF export, mapped triple by triple: claims, open
questions and the graph's description (title and questions).

Part of the fast RDF reading of :mod:`.rdf_read`; each function raises ``_Unmapped`` where the
file is not exactly what the writers write, and the exact reader decides.
"""

from __future__ import annotations

from typing import Any

from ..model import Claim, OpenQuestion, Question
from .rdf_read import _M, _Nodes, _Unmapped

__all__ = ["claims", "description", "open_questions"]


def claims(nodes: _Nodes, edge_label: Any, ref_key: dict[Any, str]) -> tuple[Claim, ...]:
    """The claims, sorted by number; ``edge_label`` gives an association node's edge label."""
    found = []
    for n in nodes.of_type("Claim"):
        labels = []
        for e in nodes.items(n, "edges"):
            if e not in edge_label:
                raise _Unmapped("claim edge")
            labels.append(edge_label[e])
        refs = []
        for x in nodes.items(n, "references"):
            if x not in ref_key:
                raise _Unmapped("claim reference")
            refs.append(ref_key[x])
        found.append(Claim(id=nodes.one(n, "claimId", True), section=nodes.one(n, "section", True),
                            statement=nodes.one(n, "statement", True), verdict=nodes.one(n, "verdict", True),
                            references=tuple(refs), edges=tuple(labels),
                            literature_says=nodes.one(n, "literatureSays")))
    return tuple(sorted(found, key=lambda c: int(c.id[1:]) if c.id[1:].isdigit() else 0))


def open_questions(nodes: _Nodes, entity_row: dict[Any, int], entity_keys: list[str],
                   ref_key: dict[Any, str]) -> tuple[OpenQuestion, ...]:
    """The open questions, sorted by key."""
    found = []
    for n in nodes.of_type("OpenQuestion"):
        proposer = nodes.term(n, _M + "proposedBy")
        if proposer not in ref_key:
            raise _Unmapped("proposer")
        members = []
        for item in nodes.items(n, "entities"):
            if item not in entity_row:
                raise _Unmapped("open question entity")
            members.append(entity_keys[entity_row[item]])
        found.append(OpenQuestion(key=nodes.one(n, "key", True), question=nodes.one(n, "question", True),
                                  proposed_by=ref_key[proposer], statement=nodes.one(n, "statement", True),
                                  would_test=nodes.one(n, "wouldTest", True), entities=tuple(members),
                                  note=nodes.one(n, "note")))
    return tuple(sorted(found, key=lambda q: q.key))


def description(nodes: _Nodes, entity_row: dict[Any, int],
                entity_keys: list[str]) -> tuple[str | None, tuple[Question, ...]]:
    """The graph's title and questions (none without a description node)."""
    described = nodes.of_type("GraphDescription")
    if not described:
        return None, ()
    if len(described) > 1:
        raise _Unmapped("two descriptions")
    node = described[0]
    questions = []
    for q in nodes.items(node, "questions"):
        ends = []
        for prop in ("questionSource", "questionTarget"):
            end = nodes.term(q, _M + prop)
            if end not in entity_row:
                raise _Unmapped("question end")
            ends.append(entity_keys[entity_row[end]])
        questions.append(Question(source=ends[0], target=ends[1], title=nodes.one(q, "title")))
    return nodes.one(node, "title"), tuple(questions)
