"""N-Triples, and Turtle rewritten as N-Triples by pyoxigraph, mapped into columns on whole arrays.

The lines are split by :mod:`.ntriples_columns`; here associations and evidence items (the bulk
of a graph) become edge and evidence columns with array operations on term codes, and the few
other nodes (entities, references, links, claims, questions) go through the triple-by-triple
mapping of :mod:`.rdf_read`. Anything that cannot be mapped exactly raises ``_Unmapped``, and the
caller falls back to the triple-by-triple path.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .limits import current_limits
from ..columnar.graph import ColumnarGraph
from ..columnar.schema import OWNER_EDGE, SCHEMAS
from .rdf_read import (_CONTEXT, _EVIDENCE_OF_CLASS, _INTEGER, _INTEGER_FIELDS, _M, _NOT_READ, _PREDICATE_OF, _RDF,
                       _RDFS_LABEL, _STRING_TYPES, _TYPE, _Nodes, _Unmapped, _map)

__all__ = ["columnar_ntriples", "columnar_turtle"]


_ASSERTION_PROPS = {"subject": _RDF + "subject", "object": _RDF + "object", "predicate": _RDF + "predicate",
                    "note": _M + "note"}
_EVIDENCE_PROPS = ("reference", "rank", "direction", "basis", "experiment", "finding", "effect", "pValue",
                   *(prop for prop, _ in _CONTEXT))
_NOT_READ_TEXTS = pa.array(sorted(f"<{iri}>" for iri in _NOT_READ), pa.large_string())
#: Classes a node read as a bulk association or evidence item must not also have.
_SMALL_CLASSES = ("Entity", "Reference", "Link", "Claim", "OpenQuestion", "GraphDescription")


def _wanted_predicates(p: pa.Array) -> pa.Array:
    """The predicates the mapping reads (as :func:`_parse` keeps them)."""
    ours = pc.or_(pc.or_(pc.starts_with(p, "<" + _M), pc.starts_with(p, "<" + _RDF)),
                  pc.equal(p, f"<{_RDFS_LABEL}>"))
    return pc.and_(ours, pc.invert(pc.is_in(p, value_set=_NOT_READ_TEXTS.cast(p.type))))


class _Codes:
    """Term texts ↔ codes of one :class:`~.ntriples_columns.Triples`.

    Codes already known (:meth:`learn`) are remembered; the rest are found together, by asking
    every term of the dictionary whether it is one of them (hashing the few texts asked, not the
    millions of terms: 1M edges, 0.14 s instead of 2.5 s).
    """

    def __init__(self, triples: Any):
        self.t = triples
        self.size = len(triples.terms)
        self._known: dict[str, int] = {}

    def learn(self, texts: list[str], codes: list[int]) -> None:
        """Remember that ``texts[i]`` has code ``codes[i]``."""
        self._known.update(zip(texts, codes))

    def of(self, texts: list[str]) -> list[int]:
        """The code of each text; ``-1`` for a text that is not a term."""
        known = self._known
        missing = list({text for text in texts if text not in known})
        if missing:
            found = pc.index_in(self.t.terms, value_set=pa.array(missing, self.t.terms.type))
            valid = found.is_valid()
            codes = np.full(len(missing), -1, dtype=np.int64)
            codes[found.filter(valid).to_numpy()] = np.flatnonzero(valid.to_numpy(zero_copy_only=False))
            self.learn(missing, codes.tolist())
        return [known[text] for text in texts]

    def mask(self, codes: np.ndarray) -> np.ndarray:
        out = np.zeros(self.size, dtype=bool)
        out[codes] = True
        return out


def _single(rows: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Each row's one value (``-1`` where it has none); two different values: :class:`_Unmapped`."""
    out = np.full(n, -1, dtype=np.int64)
    if len(rows):
        order = np.argsort(rows, kind="stable")
        r, v = rows[order], values[order]
        same = r[1:] == r[:-1]
        if same.any() and (v[1:][same] != v[:-1][same]).any():
            raise _Unmapped("two values")
        out[r] = v
    return out


def _distinct(codes: np.ndarray, size: int) -> np.ndarray:
    """The distinct codes (each below ``size``), sorted: as ``np.unique`` gives them, without a sort."""
    seen = np.zeros(size, dtype=bool)
    seen[codes] = True
    return np.flatnonzero(seen)


def _field(terms: pa.Array, codes: np.ndarray, name: str, required: bool = False) -> pa.Array:
    """The values of field ``name`` for term codes (``-1``: none), checked as :func:`_value` checks one.

    Each distinct term is parsed and checked once (a context value recurs across many items).
    """
    from .ntriples_columns import literal_parts

    missing = codes < 0
    if required and missing.any():
        raise _Unmapped(name)
    distinct = _distinct(codes[~missing], len(terms))
    value, datatype = literal_parts(terms.take(pa.array(distinct)))
    if value.null_count:
        raise _Unmapped(name)  # not a literal
    if name in _INTEGER_FIELDS:
        if not pc.all(pc.and_(pc.equal(datatype, _INTEGER), pc.match_substring_regex(value, r"^[+-]?[0-9]+$")),
                      min_count=0).as_py():
            raise _Unmapped(name)
        try:
            value = pc.cast(pc.replace_substring_regex(value, r"^\+", ""), pa.int64())
        except pa.ArrowInvalid:
            raise _Unmapped(name) from None
    else:
        if not pc.all(pc.is_in(datatype, pa.array(sorted(_STRING_TYPES))), min_count=0).as_py():
            raise _Unmapped(name)
        value = value.cast(pa.string())
    position = np.zeros(len(terms), dtype=np.int64)
    position[distinct] = np.arange(len(distinct))
    return value.take(pa.array(position[np.where(missing, 0, codes)], mask=missing))


class _Bulk:
    """Associations and their evidence items, found and mapped on whole columns."""

    def __init__(self, triples: Any):
        self.t, self.codes = triples, _Codes(triples)
        t, c = triples, self.codes
        c.of(_CONSTANT_TERMS)  # one lookup for every fixed term the mapping asks for
        type_code, assertion, evidence_link = c.of([f"<{_TYPE}>", f"<{_M}Assertion>", f"<{_M}evidence>"])
        typed = t.p == type_code
        self.nodes = _distinct(t.s[typed & (t.o == assertion)], c.size) if assertion >= 0 else np.zeros(0, np.int64)
        is_node = c.mask(self.nodes)
        linked = t.p == evidence_link
        owned = linked & is_node[t.s]
        self.items = _distinct(t.o[owned], c.size)
        is_item = c.mask(self.items)
        if (linked & ~is_node[t.s] & is_item[t.o]).any():
            raise _Unmapped("evidence shared with a link")
        small = c.of([f"<{_M}{cls}>" for cls in _SMALL_CLASSES])
        bulk = is_node | is_item
        if (typed & bulk[t.s] & np.isin(t.o, [x for x in small if x >= 0])).any():
            raise _Unmapped("bulk node of a small class")
        self.bulk_rows = bulk[t.s]
        row_of = np.full(c.size, -1, dtype=np.int64)
        row_of[self.nodes] = np.arange(len(self.nodes))
        link_rows = np.flatnonzero(owned)
        self.edge_of_item = (row_of[t.s[link_rows]], t.o[link_rows])  # (association row, item code)
        self.row_of_node = row_of

    def small_triples(self) -> np.ndarray:
        return np.flatnonzero(~self.bulk_rows)

    def _props(self, subjects: np.ndarray, iris: dict[str, str]) -> dict[str, np.ndarray]:
        t, c = self.t, self.codes
        row_of = np.full(c.size, -1, dtype=np.int64)
        row_of[subjects] = np.arange(len(subjects))
        mine = row_of[t.s] >= 0
        out = {}
        for name, code in zip(iris, c.of([f"<{iri}>" for iri in iris.values()])):
            rows = np.flatnonzero(mine & (t.p == code)) if code >= 0 else np.zeros(0, np.int64)
            out[name] = _single(row_of[t.s[rows]], t.o[rows], len(subjects))
        return out

    def _kinds(self, subjects: np.ndarray) -> list[str]:
        """Each evidence item's one kind (by its classes), as :func:`_kind` finds it."""
        t, c = self.t, self.codes
        names = list(_EVIDENCE_OF_CLASS)
        class_codes = c.of([f"<{iri}>" for iri in names])
        kind_of_code = {code: _EVIDENCE_OF_CLASS[iri] for code, iri in zip(class_codes, names) if code >= 0}
        row_of = np.full(c.size, -1, dtype=np.int64)
        row_of[subjects] = np.arange(len(subjects))
        type_code = c.of([f"<{_TYPE}>"])[0]
        rows = np.flatnonzero((t.p == type_code) & (row_of[t.s] >= 0) & np.isin(t.o, list(kind_of_code)))
        words = sorted(set(kind_of_code.values()))
        lookup = np.full(c.size, -1, dtype=np.int64)
        for code, kind in kind_of_code.items():
            lookup[code] = words.index(kind)
        # each (subject row, kind) once, on one int64 key: a class said twice is one kind
        pairs = _distinct(row_of[t.s[rows]] * len(words) + lookup[t.o[rows]], len(subjects) * len(words))
        r, kind = np.divmod(pairs, len(words))
        if len(r) != len(subjects) or not np.array_equal(r, np.arange(len(subjects))):
            raise _Unmapped("kind")
        return pa.array(words, pa.string()).take(pa.array(kind))

    def map(self, entity_row: dict[str, int], reference_row: dict[str, int]
            ) -> tuple[pa.Table, dict[str, Any], np.ndarray]:
        """The edges table, the edge evidence columns and each association node's edge row."""
        t, c = self.t, self.codes
        terms = t.terms
        n = len(self.nodes)
        props = self._props(self.nodes, _ASSERTION_PROPS)
        ends = []
        for name in ("subject", "object"):
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
        note = _field(terms, props["note"], "note")
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
        props = self._props(self.items, {p: _M + p for p in _EVIDENCE_PROPS})
        item_row = np.full(c.size, -1, dtype=np.int64)
        item_row[self.items] = np.arange(len(self.items))
        which = item_row[items]  # item row of each (association, item) pair
        ref = _rows_of(c, props["reference"], reference_row)
        if (ref[which] < 0).any():
            raise _Unmapped("reference")
        rank = _field(t.terms, props["rank"], "rank", required=True).to_numpy(zero_copy_only=False)
        row = edge_row[owners]
        order = np.lexsort((rank[which], row))
        row, which = row[order], which[order]
        tied = (row[1:] == row[:-1]) & (rank[which][1:] == rank[which][:-1])
        if tied.any():
            raise _Unmapped("tied rank")
        take = pa.array(which)
        out: dict[str, Any] = {"owner": pa.array(np.full(len(row), OWNER_EDGE, dtype=np.int8)),
                               "row": pa.array(row.astype(np.int32)), "reference": pa.array(ref[which].astype(np.int32)),
                               "kind": self._kinds(self.items).take(take)}
        fields = {"direction": ("direction", True), "basis": ("basis", False), "experiment": ("experiment", False),
                  "finding": ("finding", True), "effect": ("effect", False), "p_value": ("pValue", False)}
        fields.update({field: (prop, False) for prop, field in _CONTEXT})
        for column, (prop, required) in fields.items():
            values = _field(t.terms, props[prop], prop, required).take(take)
            if column == "basis":
                values = pc.fill_null(values, "own_result")
            out[column] = values
        return out


#: Every fixed term text :class:`_Bulk` looks up.
_CONSTANT_TERMS = [f"<{iri}>" for iri in (
    _TYPE, f"{_M}Assertion", f"{_M}evidence", *(f"{_M}{cls}" for cls in _SMALL_CLASSES),
    *_ASSERTION_PROPS.values(), *(_M + p for p in _EVIDENCE_PROPS), *_EVIDENCE_OF_CLASS,
    *(f"{_M}{p}" for p in sorted(_PREDICATE_OF.values())))]


def _rows_of(codes: _Codes, values: np.ndarray, row_by_text: dict[str, int]) -> np.ndarray:
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

    wanted = _distinct(codes, len(terms))
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


class _EdgeLabels:
    """``node → "subject predicate object"`` for association nodes of the bulk, looked up on demand."""

    def __init__(self, bulk: _Bulk, edge_row: np.ndarray, edges: pa.Table, entity_keys: list[str]):
        self.bulk, self.edge_row, self.edges, self.keys = bulk, edge_row, edges, entity_keys

    def _row(self, node: Any) -> int:
        code = self.bulk.codes.of([_node_text(node)])[0]
        return int(self.bulk.row_of_node[code]) if code >= 0 else -1

    def __contains__(self, node: Any) -> bool:
        return self._row(node) >= 0

    def __getitem__(self, node: Any) -> str:
        row = int(self.edge_row[self._row(node)])
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
    small = bulk.small_triples()
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


