"""What the INDRA, GraphML and CX2 writers read from a graph, row by row, and the beliefs they get.

Writers take beliefs from their caller and never compute them (the io layer does not import
analysis). A caller may pass ``analysis.beliefs.belief_columns(graph)`` (arrays by row: the
preferred form), a dict by edge or link key (``analysis.scoring.edge_beliefs``), or ``None``.

The rows work on a :class:`~mtorgraph.model.MechanismGraph` and on a
:class:`~mtorgraph.columnar.ColumnarGraph`; on the latter they read columns and never build an
:class:`~mtorgraph.model.Edge`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..vocab import PREDICATES

__all__ = ["RelationRow", "beliefs_by_row", "citation", "relation_rows"]


@dataclass(frozen=True)
class RelationRow:
    """One edge or structural link, as drawing tools see it.

    :param kind: ``edge`` (a signed or unsigned mechanism edge) or ``link`` (structural).
    :param row: its row in the graph's edges or links.
    :param references: the keys of the references its evidence cites, in evidence order, once each.
    """

    kind: str
    row: int
    subject: str
    predicate: str
    object: str
    sign: int
    note: str | None
    evidence_count: int
    supporting: int
    refuting: int
    hypothesis_only: bool
    references: tuple[str, ...]
    belief: float | None


def beliefs_by_row(graph: Any, beliefs: Any) -> tuple[list[float | None], list[float | None]]:
    """Edge and link beliefs aligned with rows, from whichever form the caller gave (see module)."""
    n_edges, n_links = len(graph.edges), len(graph.links)
    if beliefs is None:
        return [None] * n_edges, [None] * n_links
    if hasattr(beliefs, "edges") and hasattr(beliefs, "links"):
        return ([float(b) for b in beliefs.edges], [float(b) for b in beliefs.links])
    if isinstance(beliefs, Mapping):
        def get(key: Any) -> float | None:
            value = beliefs.get(key)
            return None if value is None else float(value)
        return ([get(e.key) for e in graph.edges], [get(link.key) for link in graph.links])
    raise TypeError(f"beliefs must be BeliefColumns, a dict by key or None, not {type(beliefs).__name__}")


def _columnar_rows(graph: Any, kind: str, beliefs: list[float | None]) -> Iterator[RelationRow]:
    from ..columnar.schema import OWNER_EDGE, OWNER_LINK

    table_name, word = ("edges", "predicate") if kind == "edge" else ("links", "relation")
    owner = OWNER_EDGE if kind == "edge" else OWNER_LINK
    table = graph.tables[table_name]
    keys = graph.tables["entities"].column("key").to_pylist()
    ref_keys = graph.tables["references"].column("key").to_pylist()
    subjects = table.column("subject").to_pylist()
    objects = table.column("object").to_pylist()
    words = table.column(word).to_pylist()
    notes = table.column("note").to_pylist()
    ev = graph.tables["evidence"]
    ev_ref = ev.column("reference").to_pylist()
    ev_dir = ev.column("direction").to_pylist()
    ev_kind = ev.column("kind").to_pylist()
    for i in range(table.num_rows):
        rows = graph.evidence_rows(owner, i)
        directions = [ev_dir[r] or "supports" for r in rows]
        yield RelationRow(
            kind=kind, row=i, subject=keys[subjects[i]], predicate=words[i], object=keys[objects[i]],
            sign=PREDICATES[words[i]].sign if kind == "edge" else 0, note=notes[i],
            evidence_count=len(rows), supporting=directions.count("supports"),
            refuting=directions.count("refutes"),
            hypothesis_only=bool(rows) and all(ev_kind[r] == "hypothesis" for r in rows),
            references=tuple(dict.fromkeys(ref_keys[ev_ref[r]] for r in rows)), belief=beliefs[i])


def _model_rows(items: Any, kind: str, beliefs: list[float | None]) -> Iterator[RelationRow]:
    for i, item in enumerate(items):
        predicate = item.predicate if kind == "edge" else item.relation
        directions = [e.direction for e in item.evidence]
        yield RelationRow(
            kind=kind, row=i, subject=item.subject, predicate=predicate, object=item.object,
            sign=PREDICATES[predicate].sign if kind == "edge" else 0, note=item.note,
            evidence_count=len(item.evidence), supporting=directions.count("supports"),
            refuting=directions.count("refutes"),
            hypothesis_only=all(e.kind == "hypothesis" for e in item.evidence),
            references=tuple(dict.fromkeys(e.reference for e in item.evidence)), belief=beliefs[i])


def relation_rows(graph: Any, beliefs: Any = None) -> Iterator[RelationRow]:
    """Every edge (in row order), then every structural link, with its belief."""
    edge_beliefs, link_beliefs = beliefs_by_row(graph, beliefs)
    if hasattr(graph, "tables"):
        yield from _columnar_rows(graph, "edge", edge_beliefs)
        yield from _columnar_rows(graph, "link", link_beliefs)
    else:
        yield from _model_rows(graph.edges, "edge", edge_beliefs)
        yield from _model_rows(graph.links, "link", link_beliefs)


def citation(reference: Any) -> str:
    """A reference as one resolvable CURIE (``PMID:``, ``DOI:``, ``PMC:``), its URL, or its key."""
    if reference.pmid:
        return f"PMID:{reference.pmid}"
    if reference.doi:
        return f"DOI:{reference.doi}"
    if reference.pmcid:
        return f"PMC:{reference.pmcid.removeprefix('PMC')}"
    return reference.url or reference.key
