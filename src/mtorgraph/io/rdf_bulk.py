"""N-Triples, and Turtle rewritten as N-Triples by pyoxigraph, mapped into columns on whole arrays.

The lines are split by :mod:`.ntriples_columns`; here associations and evidence items (the bulk
of a graph) become edge and evidence columns with array operations on term codes (helpers in
:mod:`.rdf_codes`), and so do entities but for their synonym and xref lists. The few other
nodes (those lists, references, links, claims, questions) go through the triple-by-triple
mapping of :mod:`.rdf_read`. Anything that cannot be mapped exactly raises ``_Unmapped``, and the
caller falls back to the triple-by-triple path.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .limits import current_limits
from ..columnar.graph import ColumnarGraph
from ..columnar.schema import OWNER_EDGE, SCHEMAS
from .rdf_codes import TermCodes, curies, distinct, field_values, one_value
from .rdf_read import (_CONTEXT, _EVIDENCE_OF_CLASS, _KIND_OF_CLASS, _M, _NOT_READ, _PREDICATE_OF, _RDF, _RDFS_LABEL,
                       _TYPE, _Nodes, _Unmapped, _map)

__all__ = ["columnar_ntriples", "columnar_turtle"]


_ENTITY_PROPS = {"key": _M + "key", "label": _RDFS_LABEL, "name": _M + "name", "idStatus": _M + "idStatus",
                 "note": _M + "note"}
_ASSERTION_PROPS = {"subject": _RDF + "subject", "object": _RDF + "object", "predicate": _RDF + "predicate",
                    "note": _M + "note"}
_EVIDENCE_PROPS = ("reference", "rank", "direction", "basis", "experiment", "finding", "effect", "pValue",
                   *(prop for prop, _ in _CONTEXT))
_NOT_READ_TEXTS = pa.array(sorted(f"<{iri}>" for iri in _NOT_READ), pa.large_string())
#: An entity's list properties (rdf:Lists, read triple by triple).
_ENTITY_LISTS = ("synonyms", "xrefs")
#: Classes a node read as a bulk association or evidence item must not also have.
_SMALL_CLASSES = ("Entity", "Reference", "Link", "Claim", "OpenQuestion", "GraphDescription")
#: A subject's role in :class:`_Bulk`: read triple by triple, an association, an evidence item, an entity.
_OTHER, _NODE, _ITEM, _ENTITY = 0, 1, 2, 3


def _wanted_predicates(p: pa.Array) -> pa.Array:
    """The predicates the mapping reads (as :func:`_parse` keeps them)."""
    ours = pc.or_(pc.or_(pc.starts_with(p, "<" + _M), pc.starts_with(p, "<" + _RDF)),
                  pc.equal(p, f"<{_RDFS_LABEL}>"))
    return pc.and_(ours, pc.invert(pc.is_in(p, value_set=_NOT_READ_TEXTS.cast(p.type))))


class _Bulk:
    """Associations and their evidence items (and entities, when it can), found and mapped on whole columns.

    Each subject's role (association, evidence item, entity, other) is looked up once per triple;
    the rdf:type and evidence-link triples, a small share of a graph, are picked out once.
    """

    def __init__(self, triples: Any):
        self.t, self.codes = triples, TermCodes(triples)
        t, c = triples, self.codes
        c.of(_CONSTANT_TERMS)  # one lookup for every fixed term the mapping asks for
        type_code, assertion, evidence_link = c.of([f"<{_TYPE}>", f"<{_M}Assertion>", f"<{_M}evidence>"])
        self.typed = np.flatnonzero(t.p == type_code)
        self.typed_s, self.typed_o = t.s[self.typed], t.o[self.typed]
        typed_s, typed_o = self.typed_s, self.typed_o
        self.nodes = distinct(typed_s[typed_o == assertion], c.size) if assertion >= 0 else np.zeros(0, np.int64)
        is_node = c.mask(self.nodes)
        linked = np.flatnonzero(t.p == evidence_link)
        linked_s, linked_o = t.s[linked], t.o[linked]
        owned = is_node[linked_s]
        self.items = distinct(linked_o[owned], c.size)
        is_item = c.mask(self.items)
        if (~owned & is_item[linked_o]).any():
            raise _Unmapped("evidence shared with a link")
        if (is_node & is_item).any():
            raise _Unmapped("evidence item that is an association")
        small = c.of([f"<{_M}{cls}>" for cls in _SMALL_CLASSES])
        bulk = is_node | is_item
        if (bulk[typed_s] & np.isin(typed_o, [x for x in small if x >= 0])).any():
            raise _Unmapped("bulk node of a small class")
        role = np.zeros(c.size, dtype=np.int8)
        role[self.nodes], role[self.items] = _NODE, _ITEM
        self.entity_nodes = self._entity_nodes(bulk, small)
        if self.entity_nodes is not None:
            role[self.entity_nodes] = _ENTITY
        self.role_of_subject = role[t.s]
        self._role_rows: dict[int, np.ndarray] = {}
        entity_rows = self._rows_of_role(_ENTITY)
        lists = c.of([f"<{_M}{p}>" for p in _ENTITY_LISTS])
        self.entity_list_rows = entity_rows[np.isin(t.p[entity_rows], lists)]
        #: the triples mapped one by one: those of nodes of no bulk role, and the entities' lists
        self.small_rows = np.sort(np.concatenate([self._rows_of_role(_OTHER), self.entity_list_rows]))
        row_of = c.rows_of(self.nodes)
        self.edge_of_item = (row_of[linked_s[owned]], linked_o[owned])  # (association row, item code)
        self.row_of_node = row_of

    def _entity_nodes(self, bulk: np.ndarray, small: list[int]) -> np.ndarray | None:
        """The entity nodes, when they can be mapped on columns (each an IRI, of no other class read
        here); their triples, but for the lists (synonyms, xrefs), are then no longer small."""
        t, c = self.t, self.codes
        entity = c.of([f"<{_M}Entity>"])[0]
        if entity < 0:
            return None
        nodes = distinct(self.typed_s[self.typed_o == entity], c.size)
        is_entity = c.mask(nodes)
        others = [x for x in small if x >= 0 and x != entity]
        if (bulk & is_entity).any() or (is_entity[self.typed_s] & np.isin(self.typed_o, others)).any():
            return None
        if not pc.all(pc.starts_with(t.terms.take(pa.array(nodes)), "<"), min_count=0).as_py():
            return None
        return nodes

    def _rows_of_role(self, role: int) -> np.ndarray:
        """The triples whose subject has ``role`` (kept: each role is asked twice)."""
        if role not in self._role_rows:
            self._role_rows[role] = np.flatnonzero(self.role_of_subject == role)
        return self._role_rows[role]

    def _props(self, subjects: np.ndarray, role: int, iris: dict[str, str]) -> dict[str, np.ndarray]:
        """Each subject's one value (a term code, ``-1`` for none) of each property; ``subjects`` are
        the nodes of ``role``."""
        t, c = self.t, self.codes
        mine = self._rows_of_role(role)
        predicates, objects = t.p[mine], t.o[mine]
        rows = c.rows_of(subjects)[t.s[mine]]

        def values(code: int) -> np.ndarray:
            at = np.flatnonzero(predicates == code) if code >= 0 else np.zeros(0, np.int64)
            return one_value(rows[at], objects[at], len(subjects))

        return dict(zip(iris, _each(values, c.of([f"<{iri}>" for iri in iris.values()]))))

    def _kinds(self, subjects: np.ndarray, role: int, kind_of_class: dict[str, str]) -> pa.Array:
        """Each subject (the nodes of ``role``)'s one kind (by its classes, ``kind_of_class``), as
        :func:`_kind` finds it."""
        c = self.codes
        names = list(kind_of_class)
        class_codes = c.of([f"<{iri}>" for iri in names])
        kind_of_code = {code: kind_of_class[iri] for code, iri in zip(class_codes, names) if code >= 0}
        words = sorted(set(kind_of_code.values()))
        lookup = np.full(c.size, -1, dtype=np.int64)
        for code, kind in kind_of_code.items():
            lookup[code] = words.index(kind)
        kind_of_typed = lookup[self.typed_o]
        rows = np.flatnonzero((self.role_of_subject[self.typed] == role) & (kind_of_typed >= 0))
        row_of = c.rows_of(subjects)
        # each (subject row, kind) once, on one int64 key: a class said twice is one kind
        pairs = distinct(row_of[self.typed_s[rows]] * len(words) + kind_of_typed[rows], len(subjects) * len(words))
        r, kind = np.divmod(pairs, len(words))
        if len(r) != len(subjects) or not np.array_equal(r, np.arange(len(subjects))):
            raise _Unmapped("kind")
        return pa.array(words, pa.string()).take(pa.array(kind))

    def entities(self, nodes: Any) -> tuple[pa.Table, dict[Any, int], list[str]]:
        """The entities table (sorted by key, as :func:`~.rdf_read._map` sorts it), each entity
        node's row, and the keys; lists are read from ``nodes`` (the small triples)."""
        import pyoxigraph

        t, c = self.t, self.codes
        found = self.entity_nodes
        props = self._props(found, _ENTITY, _ENTITY_PROPS)
        columns: dict[str, Any] = {
            column: field_values(t.terms, props[prop], prop, required=prop != "note")
            for column, prop in (("key", "key"), ("label", "label"), ("name", "name"), ("id_status", "idStatus"),
                                 ("note", "note"))}
        iris = t.terms.take(pa.array(found)).cast(pa.large_string())
        columns["id"] = curies(iris)
        columns["kind"] = self._kinds(found, _ENTITY, _KIND_OF_CLASS)
        keys = columns["key"].to_pylist()
        order = np.argsort(np.array(keys, dtype=object), kind="stable")
        keys = [keys[i] for i in order]
        if len(set(keys)) != len(keys):
            raise _Unmapped("duplicate entity key")
        take = pa.array(order)
        listed = np.flatnonzero(self._listed(found)[order])
        listed_nodes = [pyoxigraph.NamedNode(text[1:-1]) for text in iris.take(take).take(pa.array(listed)).to_pylist()]
        for name in _ENTITY_LISTS:
            flat: list[str] = []
            counts = np.zeros(len(order), dtype=np.int64)
            for row, node in zip(listed.tolist(), listed_nodes):
                got = nodes.texts(node, name)
                flat.extend(got)
                counts[row] = len(got)
            offsets = np.zeros(len(order) + 1, dtype=np.int32)
            np.cumsum(counts, out=offsets[1:])
            columns[name] = pa.ListArray.from_arrays(pa.array(offsets), pa.array(flat, pa.string()))
        self.entity_row_of_code = c.rows_of(found[order])
        table = pa.table({f.name: (columns[f.name] if f.name in _ENTITY_LISTS else columns[f.name].take(take))
                          for f in SCHEMAS["entities"]}).cast(SCHEMAS["entities"])
        return table, _NodeRows(self, self.entity_row_of_code), keys

    def _listed(self, subjects: np.ndarray) -> np.ndarray:
        """Which subjects (the entity nodes) have a list property (synonyms or xrefs)."""
        out = np.zeros(len(subjects), dtype=bool)
        out[self.codes.rows_of(subjects)[self.t.s[self.entity_list_rows]]] = True
        return out

    def map(self, entity_row: dict[str, int] | None, reference_row: dict[str, int]
            ) -> tuple[pa.Table, dict[str, Any], np.ndarray]:
        """The edges table, the edge evidence columns and each association node's edge row.

        :param entity_row: each entity's row by its term text; ``None`` when :meth:`entities` read them.
        """
        t, c = self.t, self.codes
        terms = t.terms
        n = len(self.nodes)
        props = self._props(self.nodes, _NODE, _ASSERTION_PROPS)
        ends = []
        for name in ("subject", "object"):
            if entity_row is None:
                values = props[name]
                rows = np.where(values >= 0, self.entity_row_of_code[np.maximum(values, 0)], -1)
            else:
                rows = _rows_of(c, props[name], entity_row)
            if (rows < 0).any():
                raise _Unmapped("end")
            ends.append(rows)
        predicate_names = sorted(_PREDICATE_OF.values())
        predicate_codes = c.of([f"<{_M}{p}>" for p in predicate_names])
        rank = np.full(c.size, -1, dtype=np.int64)
        for i, code in enumerate(predicate_codes):
            if code >= 0:
                rank[code] = i
        pred = np.where(props["predicate"] >= 0, rank[np.maximum(props["predicate"], 0)], -1)
        if (pred < 0).any():
            raise _Unmapped("predicate")
        note = field_values(terms, props["note"], "note")
        n_pred, n_ent = len(predicate_names), int(max(ends[0].max(initial=0), ends[1].max(initial=0))) + 1
        if n_ent * n_ent * n_pred < 2**62:  # one int64 key sorts as the three do, in a third of the time
            order = np.argsort((ends[0] * n_pred + pred) * n_ent + ends[1], kind="stable")
        else:
            order = np.lexsort((ends[1], pred, ends[0]))
        s, p, o = ends[0][order], pred[order], ends[1][order]
        if n > 1 and ((s[1:] == s[:-1]) & (p[1:] == p[:-1]) & (o[1:] == o[:-1])).any():
            raise _Unmapped("duplicate edge")
        edge_row = np.empty(n, dtype=np.int64)
        edge_row[order] = np.arange(n)
        words = pa.array(predicate_names)
        edges = pa.table({"subject": pa.array(s.astype(np.int32)),
                          "predicate": words.take(pa.array(p)),
                          "object": pa.array(o.astype(np.int32)),
                          "note": note.take(pa.array(order)),
                          "source_graph": pa.nulls(n, pa.string())})
        edges = edges.cast(SCHEMAS["edges"])
        evidence = self._evidence(edge_row, reference_row)
        return edges, evidence, edge_row

    def _evidence(self, edge_row: np.ndarray, reference_row: dict[str, int]) -> dict[str, Any]:
        t, c = self.t, self.codes
        owners, items = self.edge_of_item
        if len(edge_row) and not np.isin(np.arange(len(edge_row)), owners).all():
            raise _Unmapped("no evidence")
        props = self._props(self.items, _ITEM, {p: _M + p for p in _EVIDENCE_PROPS})
        which = c.rows_of(self.items)[items]  # item row of each (association, item) pair
        ref = _rows_of(c, props["reference"], reference_row)
        if (ref[which] < 0).any():
            raise _Unmapped("reference")
        rank = field_values(t.terms, props["rank"], "rank", required=True).to_numpy(zero_copy_only=False)
        row = edge_row[owners]
        order = np.lexsort((rank[which], row))
        row, which = row[order], which[order]
        tied = (row[1:] == row[:-1]) & (rank[which][1:] == rank[which][:-1])
        if tied.any():
            raise _Unmapped("tied rank")
        take = pa.array(which)
        out: dict[str, Any] = {"owner": pa.array(np.full(len(row), OWNER_EDGE, dtype=np.int8)),
                               "row": pa.array(row.astype(np.int32)), "reference": pa.array(ref[which].astype(np.int32)),
                               "kind": self._kinds(self.items, _ITEM, _EVIDENCE_OF_CLASS).take(take)}
        fields = {"direction": ("direction", True), "basis": ("basis", False), "experiment": ("experiment", False),
                  "finding": ("finding", True), "effect": ("effect", False), "p_value": ("pValue", False)}
        fields.update({field: (prop, False) for prop, field in _CONTEXT})
        found = _each(lambda field: field_values(t.terms, props[field[0]][which], *field), list(fields.values()))
        for column, values in zip(fields, found):
            out[column] = pc.fill_null(values, "own_result") if column == "basis" else values
        return out


#: Threads for the mapping's independent column steps (numpy and Arrow release the GIL); the
#: reading threads are done by then, so on two cores the mapping would otherwise leave one idle.
_MAP_THREADS = max(1, min(4, os.cpu_count() or 1))


def _each(work: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    """``[work(item) for item in items]``, on a few threads; the first exception is raised."""
    if _MAP_THREADS == 1 or len(items) < 2:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=_MAP_THREADS) as pool:
        return list(pool.map(work, items))


#: Every fixed term text :class:`_Bulk` looks up.
_CONSTANT_TERMS = [f"<{iri}>" for iri in (
    _TYPE, f"{_M}Assertion", f"{_M}evidence", *(f"{_M}{cls}" for cls in _SMALL_CLASSES),
    *_ASSERTION_PROPS.values(), *(_M + p for p in _EVIDENCE_PROPS), *_EVIDENCE_OF_CLASS,
    f"{_M}Entity", *_ENTITY_PROPS.values(), *(f"{_M}{p}" for p in _ENTITY_LISTS), *_KIND_OF_CLASS,
    *(f"{_M}{p}" for p in sorted(_PREDICATE_OF.values())))]


def _rows_of(codes: TermCodes, values: np.ndarray, row_by_text: dict[str, int]) -> np.ndarray:
    """Rows (``-1`` for none) of the nodes whose term codes are ``values``, given rows by term text."""
    lookup = np.full(codes.size, -1, dtype=np.int64)
    texts = list(row_by_text)
    for code, text in zip(codes.of(texts), texts):
        if code >= 0:
            lookup[code] = row_by_text[text]
    return np.where(values >= 0, lookup[np.maximum(values, 0)], -1)


def _pyoxigraph_terms(terms: pa.Array, codes: np.ndarray, learn: Any) -> dict[int, Any]:
    """pyoxigraph terms for the given codes (the small part of a graph: entities, references, …);
    ``learn(texts, codes)`` is told each term's text."""
    import pyoxigraph

    from .ntriples_columns import literal_parts

    wanted = distinct(codes, len(terms))
    texts = terms.take(pa.array(wanted))
    values, datatypes = literal_parts(texts)
    out: dict[int, Any] = {}
    codes_list, text_list = wanted.tolist(), texts.to_pylist()
    learn(text_list, codes_list)
    try:
        for code, text, value, datatype in zip(codes_list, text_list, values.to_pylist(), datatypes.to_pylist()):
            if text.startswith("<"):
                out[code] = pyoxigraph.NamedNode(text[1:-1])
            elif text.startswith("_:"):
                out[code] = pyoxigraph.BlankNode(text[2:])
            elif text.startswith("\x01"):
                _, language, _ = text[1:].split("\x01", 2)
                out[code] = (pyoxigraph.Literal(value, language=language) if language
                             else pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype)))
            else:
                out[code] = pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype))
    except ValueError:
        raise _Unmapped("term") from None
    return out


def _node_text(term: Any) -> str:
    from .ntriples_columns import term_text

    return term_text(term)


class _NodeRows:
    """``node → row`` for nodes the bulk read, by their term codes (``row_of_code``), looked up on demand."""

    def __init__(self, bulk: _Bulk, row_of_code: np.ndarray):
        self.bulk, self.row_of_code = bulk, row_of_code

    def _row(self, node: Any) -> int:
        code = self.bulk.codes.of([_node_text(node)])[0]
        return int(self.row_of_code[code]) if code >= 0 else -1

    def __contains__(self, node: Any) -> bool:
        return self._row(node) >= 0

    def __getitem__(self, node: Any) -> Any:
        row = self._row(node)
        if row < 0:
            raise KeyError(node)
        return row


class _EdgeLabels(_NodeRows):
    """``node → "subject predicate object"`` for association nodes of the bulk, looked up on demand."""

    def __init__(self, bulk: _Bulk, edge_row: np.ndarray, edges: pa.Table, entity_keys: list[str]):
        super().__init__(bulk, bulk.row_of_node)
        self.edge_row, self.edges, self.keys = edge_row, edges, entity_keys

    def __getitem__(self, node: Any) -> str:
        row = int(self.edge_row[super().__getitem__(node)])
        s, o = self.edges.column("subject")[row].as_py(), self.edges.column("object")[row].as_py()
        return f"{self.keys[s]} {self.edges.column('predicate')[row].as_py()} {self.keys[o]}"


def columnar_ntriples(path: str | os.PathLike[str], check_size: bool = True) -> ColumnarGraph:
    """Read an N-Triples file on whole columns (:mod:`.ntriples_columns`), or raise :class:`_Unmapped`."""
    from .ntriples_columns import NotPlain, read_ntriples

    try:
        triples = read_ntriples(path, current_limits(), _wanted_predicates, check_size=check_size)
    except (NotPlain, OSError, pa.ArrowException):
        raise _Unmapped("not plain") from None
    bulk = _Bulk(triples)
    small = bulk.small_rows
    s, p, o = triples.s[small], triples.p[small], triples.o[small]
    term = _pyoxigraph_terms(triples.terms, np.concatenate([s, p, o]), bulk.codes.learn)
    nodes = _Nodes()
    add = nodes.add
    for si, pi, oi in zip(s.tolist(), p.tolist(), o.tolist()):
        add(term[si], term[pi].value, term[oi])
    return _map(nodes, bulk)


def columnar_turtle(path: str | os.PathLike[str]) -> ColumnarGraph:
    """Turtle rewritten as N-Triples by pyoxigraph (in Rust, into a temporary file), then read on columns."""
    import tempfile

    import pyoxigraph

    from .ntriples_columns import NotPlain, check_lines

    limits = current_limits()
    try:
        if os.path.getsize(path) > limits.max_table_bytes:
            raise _Unmapped("size")
        check_lines(path, limits)
    except (NotPlain, OSError):
        raise _Unmapped("input") from None
    with tempfile.TemporaryDirectory(prefix="mtorgraph-ttl-") as folder:
        nt = os.path.join(folder, "graph.nt")
        try:
            with open(nt, "wb") as out:
                pyoxigraph.serialize(pyoxigraph.parse(path=os.fspath(path), format=pyoxigraph.RdfFormat.TURTLE),
                                     out, format=pyoxigraph.RdfFormat.N_TRIPLES)
        except (SyntaxError, ValueError, OSError):
            raise _Unmapped("syntax") from None
        return columnar_ntriples(nt, check_size=False)


