"""N-Triples and Turtle straight from the columns of a :class:`~mtorgraph.columnar.ColumnarGraph`.

The bulk of an export is edges and evidence (some 15 triples each). Here they are rendered a chunk
of rows at a time with Arrow string kernels: each column of terms (subject IRIs, escaped literals,
ECO classes looked up by kind, …) is built for all rows of the chunk at once, joined into lines
(N-Triples) or paragraphs (Turtle), and the joined bytes go straight to the output stream. No
per-triple Python object is made and memory stays flat: one chunk of rows at a time.

The triples are exactly those of :func:`~mtorgraph.io.rdf_blocks.iter_blocks` (same IRIs, same
hashes, same literal escaping); only their order, and in Turtle their grouping, differ. The small
parts of a graph (entities, references, links, open questions, claims, the description) are
rendered from the same blocks as before, in batches.

Turtle here is one paragraph per association and evidence node, with prefixed names; the
``mtg:evidence`` and ``biolink:publications`` values, which vary in number, are written as
separate statements about the same node (valid Turtle, the same triples).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from types import SimpleNamespace
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar import ColumnarGraph
from ..columnar.schema import OWNER_EDGE
from ..errors import MtorgraphError
from ..model import MechanismGraph, Reference
from ..vocab import KG_IRI, PREDICATES, expand_curie
from .rdf_blocks import (
    _ANATOMY,
    _BASIS,
    _BIOLINK_PREDICATE,
    _CONTEXT_FIELDS,
    _DIRECTION,
    _EVIDENCE_DIRECTION,
    _EVIDENCE_TYPES,
    _KNOWLEDGE,
    _PREDICATE_HEAD,
    _SPECIES,
    B,
    Beliefs,
    Block,
    DECIMAL,
    INTEGER,
    M,
    R,
    TYPE,
    _decimal,
    _entity_block,
    _graph_blocks,
    _reference_block,
    _safe_iri,
    format_literal,
    is_belief_columns,
    reference_iri,
    tail_blocks,
)
from .rdf_stream import _Compactor, _turtle_block, _turtle_prefixes, write_ntriples
from .write_behind import write_behind

__all__ = ["write_columns_ntriples", "write_columns_turtle"]

#: Edges rendered per chunk: large enough that kernel calls are few, small enough for flat memory.
CHUNK_ROWS = 50_000
_BLOCK_BATCH = 5_000

def _as_columnar(graph: Any) -> ColumnarGraph:
    return graph if isinstance(graph, ColumnarGraph) else ColumnarGraph.from_model(graph)


def _lookup(column: pa.Array | pa.ChunkedArray, table: Callable[[str], str | None]) -> pa.Array:
    """Map each word of ``column`` through ``table`` (called once per distinct word); nulls stay null."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    words = column.dictionary.to_pylist()
    terms = pa.array([table(w) for w in words], pa.string()) if words else pa.array([], pa.string())
    return terms.take(column.indices)


def _closed(mapping: dict[str, Any], what: str) -> Callable[[str], Any]:
    def find(word: str) -> Any:
        try:
            return mapping[word]
        except KeyError:
            raise MtorgraphError(f"{what} {word!r} is not one of {', '.join(mapping)}") from None
    return find


def _escaped(column: pa.Array) -> pa.Array:
    """Plain literals for a text column (nulls stay null), escaped as :func:`format_literal` does."""
    for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r")):
        column = pc.replace_substring(column, raw, escaped)
    return pc.binary_join_element_wise('"', column, '"', "")


class _Terms:
    """How one format writes terms: N-Triples as they are, Turtle through the compactor."""

    def __init__(self, turtle: bool):
        self.turtle = turtle
        self.compact = _Compactor()

    def term(self, term: str) -> str:
        return self.compact(term) if self.turtle else term

    def predicate(self, term: str) -> str:
        return "a" if self.turtle and term == TYPE else self.term(term)

    def integers(self, column: pa.Array) -> pa.Array:
        text = pc.cast(column, pa.string())
        return text if self.turtle else pc.binary_join_element_wise('"', text, f'"{INTEGER}', "")

    def decimals(self, values: np.ndarray) -> pa.Array:
        # beliefs take few distinct values (products of a handful of priors): format each once
        distinct, where = np.unique(values, return_inverse=True)
        terms = [_decimal(float(v)) for v in distinct]
        if self.turtle:
            terms = [t[1:-len(DECIMAL) - 1] for t in terms]
        return pa.array(terms, pa.string()).take(pa.array(where.reshape(-1)))

    def node(self, iris: list[str], prefix: str) -> pa.Array:
        """Nodes ``<KG_IRI + prefix + x>`` (or ``prefix:x`` in Turtle) for hex hashes ``x``."""
        if self.turtle:
            name = {"assertion/": "assertion:", "evidence/": "evidence:"}[prefix]
            return pa.array([name + x for x in iris], pa.string())
        return pa.array([f"<{KG_IRI}{prefix}{x}>" for x in iris], pa.string())


def _write(out: IO[bytes], column: pa.Array) -> None:
    """Write the bytes of a string column (nulls dropped) in one call."""
    column = column.drop_null() if column.null_count else column
    if len(column) == 0:
        return
    if column.offset:
        column = pa.concat_arrays([column])
    _, offsets, data = column.buffers()
    ends = np.frombuffer(offsets, dtype=np.int32, count=len(column) + 1)
    out.write(memoryview(data)[ends[0]:ends[-1]])


def _emit(out: IO[bytes], terms: _Terms, subject: pa.Array, pairs: list[tuple[str, Any]]) -> None:
    """Write ``subject predicate object`` for each (predicate, object column or term) pair.

    A null object means the row has no such triple. N-Triples: one line per triple; Turtle: one
    paragraph per subject row.
    """
    if terms.turtle:
        pieces = [pc.binary_join_element_wise(terms.predicate(p), o, " ") for p, o in pairs]
        body = pc.binary_join_element_wise(*pieces, " ;\n    ", null_handling="skip")
        _write(out, pc.binary_join_element_wise(subject, body, ".\n\n", " "))
        return
    for predicate, obj in pairs:
        _write(out, pc.binary_join_element_wise(subject, predicate, obj, ".\n", " "))


class _Context:
    """What every chunk needs, computed once: entity and reference terms, vocabulary terms."""

    @property
    def publications(self) -> pa.Array:
        """Each reference's publication terms in this format (a list column by reference row)."""
        found = getattr(self, "_publications", None)
        if found is None:
            found = self._publications = pa.array(
                [[self.terms.term(t) for t in pubs] for pubs in self.publications_nt], pa.list_(pa.string()))
        return found

    def __init__(self, graph: ColumnarGraph, terms: _Terms, beliefs: Beliefs):
        self.graph, self.terms = graph, terms
        entities = graph.tables["entities"]
        self.entity_keys: list[str] = entities.column("key").to_pylist()
        self.entity_ids: list[str] = entities.column("id").to_pylist()
        nt_terms = _entity_nt_terms(self.entity_keys, self.entity_ids)
        self.entity_nt = nt_terms
        self.entity = pa.array([terms.term(t) for t in nt_terms], pa.string())
        references = graph.tables["references"]
        self.reference_keys: list[str] = references.column("key").to_pylist()
        self.reference_nt = [f"<{reference_iri(k)}>" for k in self.reference_keys]
        self.reference = pa.array([terms.term(t) for t in self.reference_nt], pa.string())
        #: each reference's publication terms (N-Triples), filled while its block is written
        self.publications_nt: list[list[str]] = []
        self.edge_beliefs, self.link_beliefs = _belief_arrays(graph, beliefs)


def _entity_nt_terms(keys: list[str], ids: list[str]) -> list[str]:
    out: list[str] = []
    owner: dict[str, str] = {}
    for key, curie in zip(keys, ids):
        try:
            iri = expand_curie(curie)
        except KeyError:
            raise MtorgraphError(f"entity {key!r}: the prefix of {curie!r} has no IRI in "
                                 "vocab.PREFIX_IRIS; use an id from a known ontology") from None
        if iri in owner:
            raise MtorgraphError(f"entities {owner[iri]!r} and {key!r} share the id {curie!r}; "
                                 "an RDF export needs one node per id (merge them)")
        owner[iri] = key
        out.append(f"<{iri}>")
    return out


def _batches(table: pa.Table) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, table.num_rows, _BLOCK_BATCH):
        yield table.slice(start, _BLOCK_BATCH).to_pylist()


def _belief_arrays(graph: ColumnarGraph, beliefs: Beliefs) -> tuple[np.ndarray | None, list[float] | None]:
    if beliefs is None:
        return None, None
    if is_belief_columns(beliefs):
        edges = np.asarray(beliefs.edges, dtype=np.float64)  # type: ignore[union-attr]
        if len(edges) != graph.edge_count or len(beliefs.links) != graph.link_count:  # type: ignore[union-attr]
            raise MtorgraphError("the beliefs given do not match the graph's edges and links; compute them "
                                 "for this graph (mtorgraph.analysis.beliefs.belief_columns)")
        return edges, None
    from .rdf_blocks import _belief_function

    belief_of = _belief_function(beliefs)
    return np.fromiter((belief_of(e) for e in graph.edges), dtype=np.float64, count=graph.edge_count), None


def _small_blocks_head(ctx: _Context) -> Iterator[Block]:
    """The description, entities and references, as blocks (built from table rows in batches)."""
    graph = ctx.graph
    terms_by_key = dict(zip(ctx.entity_keys, ctx.entity_nt))
    yield from _graph_blocks(graph, terms_by_key)  # type: ignore[arg-type]
    i = 0
    for batch in _batches(graph.tables["entities"]):
        for row in batch:
            yield _entity_block(SimpleNamespace(**row), ctx.entity_nt[i])  # type: ignore[arg-type]
            i += 1
    for batch in _batches(graph.tables["references"]):
        for row in batch:
            ref = Reference.model_construct(**{k: v for k, v in row.items() if v is not None})
            ctx.publications_nt.append([_safe_iri(link) for link in ref.links.values()]
                                       or [ctx.reference_nt[len(ctx.publications_nt)]])
            yield _reference_block(ref)


def _small_blocks_tail(ctx: _Context, beliefs: Beliefs) -> Iterator[Block]:
    graph = ctx.graph
    terms_by_key = dict(zip(ctx.entity_keys, ctx.entity_nt))
    ids = dict(zip(ctx.entity_keys, ctx.entity_ids))
    references = {key: (nt, pubs) for key, nt, pubs in zip(ctx.reference_keys, ctx.reference_nt, ctx.publications_nt)}
    yield from tail_blocks(graph, beliefs, terms_by_key, ids, references)  # type: ignore[arg-type]


def _write_blocks(out: IO[bytes], blocks: Iterable[Block], terms: _Terms) -> None:
    iterator = iter(blocks)
    while True:
        batch = list(islice(iterator, _BLOCK_BATCH))
        if not batch:
            return
        buffer = io.StringIO()
        if terms.turtle:
            buffer.write("".join(_turtle_block(subject, pairs, terms.compact, "") for _, subject, pairs in batch))
        else:
            write_ntriples(None, buffer, batch)  # type: ignore[arg-type]
        out.write(buffer.getvalue().encode("utf-8"))


# ---- edges and their evidence, by chunk ------------------------------------------------------

_HYPOTHESIS = "hypothesis"


def _edge_chunk(out: IO[bytes], ctx: _Context, start: int, stop: int) -> None:
    graph, terms = ctx.graph, ctx.terms
    edges = graph.tables["edges"].slice(start, stop - start)
    subject_rows = edges.column("subject").to_numpy()
    object_rows = edges.column("object").to_numpy()
    predicate = edges.column("predicate")
    predicates = pc.dictionary_decode(predicate.combine_chunks()) if pa.types.is_dictionary(predicate.type) \
        else predicate.combine_chunks()
    ids = ctx.entity_ids
    words = predicates.to_pylist()
    for word in set(words):
        if word not in PREDICATES:
            raise MtorgraphError(f"predicate {word!r} is not one of {', '.join(PREDICATES)}")
    sha = hashlib.sha256
    hashes = [sha(f"{ids[s]}\x1f{p}\x1f{ids[o]}".encode()).hexdigest()[:20]
              for s, p, o in zip(subject_rows.tolist(), words, object_rows.tolist())]
    node = terms.node(hashes, "assertion/")
    subject = ctx.entity.take(pa.array(subject_rows))
    obj = ctx.entity.take(pa.array(object_rows))
    pred = pa.array(words, pa.string())

    # the direct triple
    direct_predicate = _lookup(pred, lambda p: terms.predicate(M[p]))
    _write(out, pc.binary_join_element_wise(subject, direct_predicate, obj, ".\n", " "))

    # evidence rows of this chunk
    lo, hi = graph.evidence_rows(OWNER_EDGE, start).start, graph.evidence_rows(OWNER_EDGE, stop - 1).stop
    evidence = graph.tables["evidence"].slice(lo, hi - lo)
    local_row = evidence.column("row").to_numpy().astype(np.int64) - start
    # evidence is sorted by row: an item's rank is its distance from its row's first item
    rank = np.arange(hi - lo, dtype=np.int64) - np.searchsorted(local_row, local_row, "left")
    kinds = _decoded(evidence.column("kind"))
    kind_words = kinds.to_pylist()
    directions = pc.fill_null(_decoded(evidence.column("direction")), "supports").to_pylist()
    ref_rows = evidence.column("reference").to_numpy()
    ref_keys = ctx.reference_keys
    evidence_hashes = []
    seen: dict[tuple[str, str, str], int] = {}
    last = -1
    for row, ref, kind, direction in zip(local_row.tolist(), ref_rows.tolist(), kind_words, directions):
        if row != last:
            seen.clear()
            last = row
        who = (ref_keys[ref], kind, direction)
        count = seen.get(who, 0) + 1
        seen[who] = count
        evidence_hashes.append(sha(f"{hashes[row]}\x1f{who[0]}\x1f{kind}\x1f{direction}\x1f{count}".encode())
                               .hexdigest()[:20])
    evidence_node = terms.node(evidence_hashes, "evidence/")

    # the association node
    hypothesis_only = np.bincount(local_row, weights=np.asarray([k != _HYPOTHESIS for k in kind_words], float),
                                  minlength=stop - start) == 0
    head = {p: _PREDICATE_HEAD[p] for p in PREDICATES}
    pairs: list[tuple[str, Any]] = [
        (TYPE, terms.term(M["Assertion"])), (TYPE, terms.term(B["Association"])), (TYPE, terms.term(R["Statement"])),
        (R["predicate"], _lookup(pred, lambda p: terms.term(M[p]))),
        (M["biolinkPredicate"], _lookup(pred, lambda p: terms.term(_BIOLINK_PREDICATE[p]))),
        (M["sign"], _lookup(pred, lambda p: terms.term(dict(head[p])[M["sign"]]))),
        (B["qualified_predicate"], _lookup(pred, lambda p: terms.term(B["causes"]) if _DIRECTION[p] else None)),
        (B["object_direction_qualifier"], _lookup(pred, lambda p: _DIRECTION[p])),
        (B["negated"], _lookup(pred, lambda p: terms.term(dict(head[p])[B["negated"]])
                               if B["negated"] in dict(head[p]) else None)),
        (R["subject"], subject), (R["object"], obj),
        (B["subject"], subject), (B["predicate"], _lookup(pred, lambda p: terms.term(_BIOLINK_PREDICATE[p]))),
        (B["object"], obj),
    ]
    if ctx.edge_beliefs is not None:
        pairs.append((M["belief"], terms.decimals(ctx.edge_beliefs[start:stop])))
    hypothesis = pa.array(hypothesis_only)
    knowledge = {flag: dict(_KNOWLEDGE[flag]) for flag in (True, False)}
    pairs += [
        (M["hypothesis"], pc.if_else(hypothesis, terms.term(knowledge[True][M["hypothesis"]]), pa.scalar(None, pa.string()))),
        (B["knowledge_level"], pc.if_else(hypothesis, knowledge[True][B["knowledge_level"]],
                                          knowledge[False][B["knowledge_level"]])),
        (B["agent_type"], knowledge[False][B["agent_type"]]),
        (M["note"], _escaped(edges.column("note").combine_chunks())),
    ]
    _emit(out, terms, node, pairs)
    # mtg:evidence: one statement per evidence item (their number varies)
    _emit(out, terms, node.take(pa.array(local_row)), [(M["evidence"], evidence_node)])
    _evidence(out, ctx, evidence, kinds, pa.array(directions, pa.string()), rank, evidence_node)


def _decoded(column: pa.ChunkedArray) -> pa.Array:
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    return pc.dictionary_decode(column) if pa.types.is_dictionary(column.type) else column


def _evidence(out: IO[bytes], ctx: _Context, evidence: pa.Table, kinds: pa.Array, directions: pa.Array,
              rank: np.ndarray, node: pa.Array) -> None:
    terms = ctx.terms
    kind = _closed(_EVIDENCE_TYPES, "evidence kind")
    ref_rows = evidence.column("reference").combine_chunks()
    pairs: list[tuple[str, Any]] = [
        (TYPE, terms.term(M["Evidence"])),
        (TYPE, _lookup(kinds, lambda k: terms.term(kind(k)[0]))),
        (TYPE, _lookup(kinds, lambda k: terms.term(kind(k)[1]))),
        (B["has_evidence_of_type"], _lookup(kinds, lambda k: terms.term(kind(k)[1]))),
        (M["rank"], terms.integers(pa.array(rank))),
        (M["reference"], ctx.reference.take(ref_rows)),
        (M["direction"], _lookup(directions, lambda d: _closed(_EVIDENCE_DIRECTION, "direction")(d)[1])),
        (M["basis"], _lookup(pc.fill_null(_decoded(evidence.column("basis")), "own_result"),
                             lambda b: _closed(_BASIS, "basis")(b)[1])),
        (M["finding"], _escaped(_decoded(evidence.column("finding")))),
        (M["experiment"], _escaped(_decoded(evidence.column("experiment")))),
        (M["effect"], _escaped(_decoded(evidence.column("effect")))),
        (M["pValue"], _escaped(_decoded(evidence.column("p_value")))),
    ]
    for field, prop in _CONTEXT_FIELDS.items():
        pairs.append((M[prop], _lookup(evidence.column(field), format_literal)))
    n = evidence.column("n").combine_chunks()
    pairs.append((M["n"], terms.integers(n)))
    species = evidence.column("species")
    pairs.append((B["species_context_qualifier"],
                  _lookup(species, lambda s: terms.term(_SPECIES[s][1]) if s in _SPECIES and _SPECIES[s][1] else None)))
    pairs.append((B["anatomical_context_qualifier"],
                  _lookup(evidence.column("anatomy"),
                          lambda a: terms.term(_ANATOMY[a.lower()]) if a.lower() in _ANATOMY else None)))
    _emit(out, terms, node, pairs)
    publications = ctx.publications.take(ref_rows)
    owners = pc.list_parent_indices(publications)
    _emit(out, terms, node.take(owners), [(B["publications"], pc.list_flatten(publications))])


def _write_columns(graph: MechanismGraph | ColumnarGraph, out: IO[bytes], beliefs: Beliefs, turtle: bool) -> None:
    columnar = _as_columnar(graph)
    terms = _Terms(turtle)
    ctx = _Context(columnar, terms, beliefs)
    with write_behind(out) as sink:
        if turtle:
            sink.write(_turtle_prefixes().encode("utf-8"))
        _write_blocks(sink, _small_blocks_head(ctx), terms)  # type: ignore[arg-type]
        for start in range(0, columnar.edge_count, CHUNK_ROWS):
            _edge_chunk(sink, ctx, start, min(start + CHUNK_ROWS, columnar.edge_count))  # type: ignore[arg-type]
        _write_blocks(sink, _small_blocks_tail(ctx, beliefs), terms)  # type: ignore[arg-type]


def write_columns_ntriples(graph: MechanismGraph | ColumnarGraph, out: IO[bytes], beliefs: Beliefs = None) -> None:
    """Write the graph as N-Triples into the binary stream ``out`` (UTF-8), chunk by chunk.

    :param beliefs: a ``BeliefColumns`` (by row), a mapping by key, a callable, or ``None``.
    :raises MtorgraphError: if an entity id cannot become an IRI, two entities share one, or the
        beliefs do not fit the graph.
    """
    _write_columns(graph, out, beliefs, turtle=False)


def write_columns_turtle(graph: MechanismGraph | ColumnarGraph, out: IO[bytes], beliefs: Beliefs = None) -> None:
    """Write the graph as Turtle into the binary stream ``out`` (UTF-8), chunk by chunk."""
    _write_columns(graph, out, beliefs, turtle=True)
