"""A mechanism graph held as columns, with the read API of :class:`~mtorgraph.model.MechanismGraph`.

Large graphs (10^5–10^7 edges) cannot be one validated object tree per edge and evidence item:
that costs kilobytes and microseconds per record. :class:`ColumnarGraph` keeps entities,
references, edges, links and evidence as Arrow tables (:mod:`.schema`) and builds an
:class:`~mtorgraph.model.Edge` only when someone asks for that edge. Code written for a
``MechanismGraph`` (``graph.edges``, ``edges_from``, ``resolve``, …) runs unchanged on it;
code that scales reads the columns (:meth:`ColumnarGraph.codes`, :meth:`ColumnarGraph.array`).
The small parts of a graph (title, questions, claims, open questions) stay model objects.

>>> from mtorgraph.model import *
>>> g = MechanismGraph(
...     entities=(Entity(key="a", id="GO:1", label="a", name="A", kind="process"),
...               Entity(key="b", id="GO:2", label="b", name="B", kind="process")),
...     references=(Reference(key="r", title="t", doi="10.1000/x", verified="yes"),),
...     edges=(Edge(subject="a", predicate="inhibits", object="b",
...                 evidence=(Evidence(reference="r", kind="in_vitro", finding="f"),)),))
>>> c = ColumnarGraph.from_model(g)
>>> c.edge_count, c.edges[0] == g.edges[0], c.to_model() == g
(1, True, True)
>>> [e.object for e in c.edges_from("a")]
['b']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from typing import Any

import numpy as np
import pyarrow as pa

from ..model import (Claim, Context, Edge, Entity, Evidence, MechanismGraph, OpenQuestion, Question, Reference,
                     StructuralLink)
from .arrow_rows import construct, drop_none, pylist, ranges
from .arrow_rows import rows as table_rows
from .schema import CONTEXT_FIELDS, OWNER_EDGE, OWNER_LINK, SCHEMAS

__all__ = ["ColumnarGraph", "EdgeSequence"]

_EVIDENCE_FIELDS = ("kind", "direction", "basis", "experiment", "finding", "effect", "p_value")


def _table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = SCHEMAS[name]
    columns = {f.name: [row.get(f.name) for row in rows] for f in schema}
    return pa.Table.from_pydict(columns, schema=schema)


class EdgeSequence(Sequence[Edge]):
    """The edges of a :class:`ColumnarGraph`, each built on access (nothing is kept)."""

    def __init__(self, graph: ColumnarGraph):
        self._graph = graph

    def __len__(self) -> int:
        return self._graph.edge_count

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return self._graph.edges_at(range(*i.indices(len(self))))
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return self._graph.edge_at(i)

    def __iter__(self) -> Iterator[Edge]:
        return self._graph.iter_edges()


class ColumnarGraph:
    """Entities, references, edges, links and evidence as Arrow tables (see :mod:`.schema`).

    Build one with :meth:`from_model`, from a reader (``mtorgraph.io``), or from a compiled cache.
    """

    def __init__(self, tables: dict[str, pa.Table], *, title: str | None = None,
                 questions: tuple[Question, ...] = (), claims: tuple[Claim, ...] = (),
                 open_questions: tuple[OpenQuestion, ...] = ()):
        missing = set(SCHEMAS) - set(tables)
        if missing:
            raise ValueError(f"missing tables: {', '.join(sorted(missing))}")
        for name, schema in SCHEMAS.items():
            if not tables[name].schema.equals(schema):
                raise ValueError(f"table {name!r} does not have the {name} schema")
        self.tables = tables
        self.title = title
        self.questions = tuple(questions)
        self.claims = tuple(claims)
        self.open_questions = tuple(open_questions)
        self._kept_edges: dict[int, Edge] = {}

    # -- conversion -------------------------------------------------------------------------

    @classmethod
    def from_model(cls, graph: MechanismGraph) -> ColumnarGraph:
        """The columns of a model graph (the round trip :meth:`to_model` gives it back equal)."""
        entity_row = {e.key: i for i, e in enumerate(graph.entities)}
        reference_row = {r.key: i for i, r in enumerate(graph.references)}
        evidence: list[dict[str, Any]] = []

        def add(owner: int, row: int, items: Iterable[Evidence]) -> None:
            for ev in items:
                record = {name: getattr(ev, name) for name in _EVIDENCE_FIELDS}
                record.update({name: getattr(ev.context, name) for name in CONTEXT_FIELDS})
                record.update(owner=owner, row=row, reference=reference_row[ev.reference])
                evidence.append(record)

        edges, links = [], []
        for i, edge in enumerate(graph.edges):
            edges.append({"subject": entity_row[edge.subject], "predicate": edge.predicate,
                          "object": entity_row[edge.object], "note": edge.note, "source_graph": edge.source_graph})
            add(OWNER_EDGE, i, edge.evidence)
        for i, link in enumerate(graph.links):
            links.append({"subject": entity_row[link.subject], "relation": link.relation,
                          "object": entity_row[link.object], "note": link.note, "source_graph": link.source_graph})
            add(OWNER_LINK, i, link.evidence)
        tables = {
            "entities": _table("entities", [e.model_dump() for e in graph.entities]),
            "references": _table("references", [r.model_dump() for r in graph.references]),
            "edges": _table("edges", edges),
            "links": _table("links", links),
            "evidence": _table("evidence", evidence),
        }
        return cls(tables, title=graph.title, questions=graph.questions, claims=graph.claims,
                   open_questions=graph.open_questions)

    def to_model(self, edge_rows: Iterable[int] | None = None, *, link_rows: Iterable[int] | None = None,
                 entity_rows: Iterable[int] | None = None, keep_small_parts: bool = True) -> MechanismGraph:
        """A model graph of all of it, or of the given rows.

        With ``edge_rows`` (or ``link_rows``/``entity_rows``) given, the result holds those edges
        and links, every entity they touch plus ``entity_rows``, and every reference; claims that
        name a left-out edge are dropped, and questions or open questions naming a left-out entity.
        """
        whole = edge_rows is None and link_rows is None and entity_rows is None
        edge_list = range(self.edge_count) if edge_rows is None and whole else sorted(set(edge_rows or ()))
        link_list = range(self.link_count) if link_rows is None and whole else sorted(set(link_rows or ()))
        edges = tuple(self.edge_at(i) for i in edge_list)
        links = tuple(self.link_at(i) for i in link_list)
        if whole:
            entities = self.entities
        else:
            wanted = set(entity_rows or ())
            for table, rows in (("edges", edge_list), ("links", link_list)):
                subject = self.array(table, "subject")
                obj = self.array(table, "object")
                wanted.update(int(subject[i]) for i in rows)
                wanted.update(int(obj[i]) for i in rows)
            entities = tuple(self.entities[i] for i in sorted(wanted))
        keys = {e.key for e in entities}
        edge_labels = {e.label for e in edges}
        claims = self.claims if whole else tuple(c for c in self.claims if set(c.edges) <= edge_labels)
        questions = tuple(q for q in self.questions if q.source in keys and q.target in keys)
        open_questions = tuple(q for q in self.open_questions if set(q.entities) <= keys)
        if not keep_small_parts:
            claims, questions, open_questions = (), (), ()
        return MechanismGraph(entities=entities, references=self.references, edges=edges, links=links,
                              claims=claims, open_questions=open_questions, title=self.title,
                              questions=questions)

    # -- sizes and columns ------------------------------------------------------------------

    @property
    def edge_count(self) -> int:
        """Number of edges."""
        return self.tables["edges"].num_rows

    @property
    def link_count(self) -> int:
        """Number of structural links."""
        return self.tables["links"].num_rows

    @property
    def evidence_count(self) -> int:
        """Number of evidence items on edges and links."""
        return self.tables["evidence"].num_rows

    def array(self, table: str, column: str) -> np.ndarray:
        """One integer column as a numpy array (nulls are not allowed in the ones you ask for)."""
        return self.tables[table].column(column).to_numpy()

    def codes(self, table: str, column: str, vocabulary: Sequence[str]) -> np.ndarray:
        """A word column as ``int16`` codes into ``vocabulary`` (-1 for null).

        :raises ValueError: if the column holds a word outside ``vocabulary``.
        """
        chunked = self.tables[table].column(column)
        out = np.full(len(chunked), -1, dtype=np.int16)
        start = 0
        position = {word: i for i, word in enumerate(vocabulary)}
        for chunk in chunked.chunks:
            if not pa.types.is_dictionary(chunk.type):
                chunk = chunk.dictionary_encode()
            words = chunk.dictionary.to_pylist()
            unknown = [w for w in words if w not in position]
            if unknown:
                raise ValueError(f"{table}.{column}: {unknown[0]!r} is not one of {', '.join(vocabulary)}")
            remap = np.array([position[w] for w in words] or [0], dtype=np.int16)
            indices = chunk.indices.to_numpy(zero_copy_only=False)
            valid = chunk.is_valid().to_numpy(zero_copy_only=False)
            part = out[start:start + len(chunk)]
            part[valid] = remap[indices[valid].astype(np.int64)]
            start += len(chunk)
        return out

    @cached_property
    def _evidence_ptr(self) -> dict[int, np.ndarray]:
        """Per owner table, CSR offsets: ``evidence`` rows ``ptr[i]:ptr[i+1]`` belong to row ``i``."""
        owner = self.array("evidence", "owner")
        row = self.array("evidence", "row")
        out = {}
        for code, count in ((OWNER_EDGE, self.edge_count), (OWNER_LINK, self.link_count)):
            lo, hi = np.searchsorted(owner, code, "left"), np.searchsorted(owner, code, "right")
            out[code] = lo + np.searchsorted(row[lo:hi], np.arange(count + 1), "left")
        return out

    def evidence_offsets(self, owner: int) -> np.ndarray:
        """CSR offsets into ``evidence`` for ``OWNER_EDGE`` or ``OWNER_LINK``: row ``i``'s items are
        ``offsets[i]:offsets[i + 1]`` (shared: do not write to it)."""
        return self._evidence_ptr[owner]

    def evidence_rows(self, owner: int, row: int) -> range:
        """The ``evidence`` rows of one edge (``OWNER_EDGE``) or link (``OWNER_LINK``)."""
        ptr = self._evidence_ptr[owner]
        return range(int(ptr[row]), int(ptr[row + 1]))

    # -- the MechanismGraph read API --------------------------------------------------------

    def model_fields_of(self, table: str) -> list[dict[str, Any]]:
        """The ``entities`` or ``references`` table as the keyword arguments of its model objects, one
        dict per row (for validating the columns with the model classes without building objects)."""
        if table not in ("entities", "references"):
            raise ValueError(f"no model fields for table {table!r}")
        return [drop_none(r) for r in table_rows(self.tables[table])]

    @cached_property
    def entities(self) -> tuple[Entity, ...]:
        """Every entity, as model objects (built once)."""
        return tuple(construct(Entity, r) for r in self.model_fields_of("entities"))

    @cached_property
    def references(self) -> tuple[Reference, ...]:
        """Every reference, as model objects (built once)."""
        return tuple(construct(Reference, r) for r in self.model_fields_of("references"))

    @cached_property
    def links(self) -> tuple[StructuralLink, ...]:
        """Every structural link, as model objects (built once: links are few)."""
        return tuple(self.link_at(i) for i in range(self.link_count))

    @property
    def edges(self) -> EdgeSequence:
        """Every edge, each built when read."""
        return EdgeSequence(self)

    @cached_property
    def _entity_row(self) -> dict[str, int]:
        return {key: i for i, key in enumerate(self.tables["entities"].column("key").to_pylist())}

    @cached_property
    def _reference_row(self) -> dict[str, int]:
        return {key: i for i, key in enumerate(self.tables["references"].column("key").to_pylist())}

    @cached_property
    def _entity_keys(self) -> list[str]:
        return self.tables["entities"].column("key").to_pylist()

    @cached_property
    def _reference_keys(self) -> list[str]:
        return self.tables["references"].column("key").to_pylist()

    def entity_row(self, key: str) -> int:
        """The ``entities`` row of a key. :raises KeyError: if absent."""
        return self._entity_row[key]

    def entity(self, key: str) -> Entity:
        """The entity with this key (exact). :raises KeyError: if absent."""
        return self.entity_at(self._entity_row[key])

    def entity_at(self, row: int) -> Entity:
        """Entity row ``row`` as a model object (alone: looking up one entity of a large graph does
        not build them all)."""
        if "entities" in self.__dict__:  # already built
            return self.entities[row]
        return construct(Entity, drop_none(table_rows(self.tables["entities"].slice(row, 1))[0]))

    def reference(self, key: str) -> Reference:
        """The reference with this key (exact). :raises KeyError: if absent."""
        return self.references[self._reference_row[key]]

    def _evidence(self, rows: range) -> tuple[Evidence, ...]:
        refs = self._reference_keys
        out = []
        for r in table_rows(self.tables["evidence"].slice(rows.start, len(rows))):
            context = {k: r[k] for k in CONTEXT_FIELDS if r[k] is not None}
            fields = {k: r[k] for k in _EVIDENCE_FIELDS if r[k] is not None}
            out.append(construct(Evidence, {"reference": refs[r["reference"]], "context": construct(Context, context),
                                            **fields}))
        return tuple(out)

    def edge_at(self, i: int) -> Edge:
        """Edge row ``i`` as a model object."""
        return self.edges_at([i])[0]

    def edges_at(self, rows: Sequence[int]) -> list[Edge]:
        """Edge rows as model objects, in the order given.

        The objects are immutable, so the first :data:`EDGE_OBJECTS_KEPT` built are kept and given
        again: a command that walks the edges several times (``build``: the report, the answers,
        the page) builds each once, and memory stays bounded on a large graph.
        """
        wanted = [int(i) for i in rows]
        kept = self._kept_edges
        missing = [i for i in dict.fromkeys(wanted) if i not in kept]
        fresh = dict(zip(missing, self._build_edges(np.asarray(missing, dtype=np.int64)))) if missing else {}
        for i in missing[:max(0, EDGE_OBJECTS_KEPT - len(kept))]:
            kept[i] = fresh[i]
        return [kept[i] if i in kept else fresh[i] for i in wanted]

    def _build_edges(self, index: np.ndarray) -> list[Edge]:
        """Edge rows as new model objects, built in one pass over the columns.

        One ``take`` from the edge table and one from the evidence table, decoded column by
        column: converting Arrow rows one at a time costs ~50 µs each, this a few µs per row.
        """
        ptr = self._evidence_ptr[OWNER_EDGE]
        starts, counts = ptr[index], ptr[index + 1] - ptr[index]
        evidence = self.tables["evidence"].take(ranges(starts, counts))
        columns = {name: pylist(evidence.column(name)) for name in ("reference", *_EVIDENCE_FIELDS, *CONTEXT_FIELDS)}
        refs = self._reference_keys
        items = []
        for i in range(evidence.num_rows):
            context = {k: columns[k][i] for k in CONTEXT_FIELDS if columns[k][i] is not None}
            fields = {k: columns[k][i] for k in _EVIDENCE_FIELDS if columns[k][i] is not None}
            items.append(construct(Evidence, {"reference": refs[columns["reference"][i]],
                                              "context": construct(Context, context), **fields}))
        table = self.tables["edges"].take(index)
        subject, predicate, obj = (pylist(table.column(c)) for c in ("subject", "predicate", "object"))
        optional = {c: pylist(table.column(c)) for c in ("note", "source_graph")}
        keys = self._entity_keys
        out = []
        at = 0
        for j, n in enumerate(counts.tolist()):
            fields = {c: values[j] for c, values in optional.items() if values[j] is not None}
            out.append(construct(Edge, {"subject": keys[subject[j]], "predicate": predicate[j], "object": keys[obj[j]],
                                        "evidence": tuple(items[at:at + n]), **fields}))
            at += n
        return out

    def link_at(self, i: int) -> StructuralLink:
        """Link row ``i`` as a model object."""
        row = table_rows(self.tables["links"].slice(i, 1))[0]
        keys = self._entity_keys
        fields = {k: row[k] for k in ("note", "source_graph") if row[k] is not None}
        return StructuralLink.model_construct(subject=keys[row["subject"]], relation=row["relation"],
                                              object=keys[row["object"]],
                                              evidence=self._evidence(self.evidence_rows(OWNER_LINK, i)), **fields)

    def iter_edges(self, rows: Iterable[int] | None = None) -> Iterator[Edge]:
        """Edges in row order (or the given rows), built a batch at a time."""
        batch: list[int] = []
        for i in (range(self.edge_count) if rows is None else rows):
            batch.append(i)
            if len(batch) == _BATCH:
                yield from self.edges_at(batch)
                batch = []
        yield from self.edges_at(batch)

    @cached_property
    def _adjacency(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        n = len(self._entity_keys)
        subject, obj = self.array("edges", "subject"), self.array("edges", "object")
        out_rows = np.argsort(subject, kind="stable").astype(np.int64)
        in_rows = np.argsort(obj, kind="stable").astype(np.int64)
        out_ptr = np.searchsorted(subject[out_rows], np.arange(n + 1))
        in_ptr = np.searchsorted(obj[in_rows], np.arange(n + 1))
        return out_ptr, out_rows, in_ptr, in_rows

    def edge_rows_from(self, key: str) -> list[int]:
        """Rows of the edges whose subject is ``key``, in row order."""
        out_ptr, out_rows, _, _ = self._adjacency
        i = self._entity_row.get(key)
        return [] if i is None else out_rows[out_ptr[i]:out_ptr[i + 1]].tolist()

    def edge_rows_to(self, key: str) -> list[int]:
        """Rows of the edges whose object is ``key``, in row order."""
        _, _, in_ptr, in_rows = self._adjacency
        i = self._entity_row.get(key)
        return [] if i is None else in_rows[in_ptr[i]:in_ptr[i + 1]].tolist()

    def edges_from(self, key: str) -> list[Edge]:
        """Edges whose subject is ``key``."""
        return self.edges_at(self.edge_rows_from(key))

    def edges_to(self, key: str) -> list[Edge]:
        """Edges whose object is ``key``."""
        return self.edges_at(self.edge_rows_to(key))

    def links_from(self, key: str) -> list[StructuralLink]:
        """Structural links whose subject is ``key``."""
        return [link for link in self.links if link.subject == key]

    def edge(self, subject: str, predicate: str, object: str) -> Edge:
        """The edge with this key. :raises KeyError: if absent."""
        for edge in self.edges_from(subject):
            if edge.predicate == predicate and edge.object == object:
                return edge
        raise KeyError((subject, predicate, object))

    def resolve(self, name: str) -> Entity:
        """Find an entity like :meth:`MechanismGraph.resolve` does (key or CURIE, then names)."""
        row = self._entity_row.get(name.strip())
        if row is not None:
            return self.entity_at(row)
        return MechanismGraph.resolve(self, name)  # type: ignore[arg-type]


#: Edges built per Arrow ``take`` when iterating.
_BATCH = 1024
#: Edge objects a graph keeps once built: about 5 KB each with their evidence objects, so at most
#: ~100 MB (measured: a 100k-edge `build` peaks 240 MB higher with 50,000 kept).
EDGE_OBJECTS_KEPT = 20_000
