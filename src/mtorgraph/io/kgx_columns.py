"""The KGX pair written column by column from a :class:`~mtorgraph.columnar.ColumnarGraph`.

What is written is defined in :mod:`mtorgraph.io.kgx_write` (:func:`~mtorgraph.io.kgx_write.kgx_records`
gives the same content as one dict per record); this module makes the same bytes without a
Python object per edge or evidence item. Every cell is an Arrow string array: JSON strings are
escaped the way :func:`json.dumps` escapes them (``ensure_ascii=False``), fragments are joined
with Arrow's element-wise join (absent values skipped), an edge's evidence items and
publications are list arrays joined per edge, and each block of lines is written straight from
the array's data buffer. TSV cells are checked for what a cell cannot hold (tab, line break, a
``|`` inside a multi-valued cell) before anything is written, and the first offending cell is
named as the record-by-record writer named it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar.schema import OWNER_EDGE, OWNER_LINK
from ..errors import OutputError
from ..vocab import BIOLINK_CATEGORY
from .arrow_text import (STRING, field, first_distinct, glue, join, json_lists, lists, null_where, quoted, text,
                         write_lines)
from .predicate_map import export_row

__all__ = ["KgxColumns", "cell_error"]

#: Edges (or links) per block: each block's lines are one Arrow string array (int32 offsets).
BLOCK = 50_000

# -- checks for TSV cells ----------------------------------------------------------------------

def _first_bad(values: pa.Array, pattern: str) -> int | None:
    if len(values) == 0:
        return None
    found = pc.fill_null(pc.match_substring_regex(values, pattern), False)
    index = pc.index(found, True).as_py()
    return None if index < 0 else index


def _tsv_problem(where: Callable[[int], str], scalars: dict[str, pa.Array],
                 lists: dict[str, tuple[np.ndarray, pa.Array]], order: tuple[str, ...]) -> OutputError | None:
    """The error for the first cell (record by record, then column by column) that a KGX TSV
    cell cannot hold, or ``None``. ``lists`` gives a multi-valued column as (offsets, items)."""
    found: list[tuple[int, int, str, str | None]] = []
    for column, values in scalars.items():
        row = _first_bad(values, "[\t\n\r]")
        if row is not None:
            found.append((row, order.index(column), column, None))
    for column, (offsets, items) in lists.items():
        item = _first_bad(items, "[|\t\n\r]")
        if item is not None:
            row = int(np.searchsorted(offsets, item, "right")) - 1
            found.append((row, order.index(column), column, items[item].as_py()))
    if not found:
        return None
    row, _, column, item = min(found)
    return cell_error(where(row), column, item)


def cell_error(where: str, column: str, item: str | None) -> OutputError:
    """What a KGX TSV cell cannot hold: ``item`` of a multi-valued cell, or (``None``) a scalar cell."""
    if item is not None:
        return OutputError(f"{where}: {column} value {item!r} holds a '|', tab or line break, which a KGX "
                           "TSV cell cannot hold; export with --to kgx-jsonl instead")
    return OutputError(f"{where}: {column} holds a tab or line break, which a KGX TSV cell cannot hold; "
                       "export with --to kgx-jsonl instead")


# -- nodes --------------------------------------------------------------------------------------

class _Nodes:
    """The node records' cells: entities (as columns), then publication nodes (few, built in Python)."""

    def __init__(self, graph: Any, reference_nodes: list[dict[str, Any]]):
        table = graph.tables["entities"]
        self.n = table.num_rows
        self.ids = text(table.column("id"))
        kinds = table.column("kind").combine_chunks()
        words = kinds.dictionary_encode() if not pa.types.is_dictionary(kinds.type) else kinds
        self.category = pa.array([BIOLINK_CATEGORY[k] for k in words.dictionary.to_pylist()], STRING).take(
            words.indices)
        self.label = text(table.column("label"))
        self.note = text(table.column("note"))
        self.key = text(table.column("key"))
        self.name = text(table.column("name"))
        self.id_status = text(table.column("id_status"))
        self.synonyms = self._list(table.column("synonyms"))
        self.xrefs = self._list(table.column("xrefs"))
        self.references = reference_nodes

    @staticmethod
    def _list(column: Any) -> tuple[np.ndarray, pa.Array]:
        values = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        values = pc.fill_null(values, pa.scalar([], values.type)) if values.null_count else values
        values = pa.concat_arrays([values]) if values.offset else values
        offsets = values.offsets.to_numpy().astype(np.int64)
        items = values.values.slice(int(offsets[0]), int(offsets[-1] - offsets[0]))
        return offsets - offsets[0], items


def _slice_list(lists: tuple[np.ndarray, pa.Array], start: int, stop: int) -> tuple[np.ndarray, pa.Array]:
    offsets, items = lists
    lo, hi = int(offsets[start]), int(offsets[stop])
    return offsets[start:stop + 1] - lo, items.slice(lo, hi - lo)


def _node_tsv_lines(nodes: _Nodes, start: int, stop: int) -> pa.Array:
    n = stop - start
    synonyms, xrefs = _slice_list(nodes.synonyms, start, stop), _slice_list(nodes.xrefs, start, stop)
    cells = [nodes.ids.slice(start, n), nodes.category.slice(start, n), nodes.label.slice(start, n),
             lists(*synonyms, "|"), lists(*xrefs, "|"), nodes.note.slice(start, n), "infores:mtorgraph",
             nodes.key.slice(start, n), nodes.name.slice(start, n), nodes.id_status.slice(start, n), None]
    return _tsv_lines(cells)


def _tsv_lines(cells: list[Any]) -> pa.Array:
    parts = [("" if cell is None else cell) for cell in cells]
    line = pc.binary_join_element_wise(*parts, "\t", null_handling="replace", null_replacement="")
    return glue(line, "\n")


def _node_json_lines(nodes: _Nodes, start: int, stop: int) -> pa.Array:
    n = stop - start
    synonyms, xrefs = _slice_list(nodes.synonyms, start, stop), _slice_list(nodes.xrefs, start, stop)
    fields = [field("id", quoted(nodes.ids.slice(start, n))),
              field("category", glue("[", quoted(nodes.category.slice(start, n)), "]")),
              field("name", quoted(nodes.label.slice(start, n))),
              field("synonym", json_lists(synonyms[0], quoted(synonyms[1]))),
              field("xref", json_lists(xrefs[0], quoted(xrefs[1]))),
              field("description", quoted(nodes.note.slice(start, n))),
              '"provided_by": ["infores:mtorgraph"]',
              field("mtorgraph_key", quoted(nodes.key.slice(start, n))),
              field("mtorgraph_name", quoted(nodes.name.slice(start, n))),
              field("mtorgraph_id_status", quoted(nodes.id_status.slice(start, n)))]
    return glue("{", join(fields, ", "), "}\n")


# -- edges --------------------------------------------------------------------------------------

def _beliefs(graph: Any, beliefs: Any, table: str) -> np.ndarray | None:
    """Beliefs aligned with the rows of ``edges`` or ``links`` (NaN: none given), or ``None``."""
    if beliefs is None:
        return None
    if hasattr(beliefs, "edges") and hasattr(beliefs, "links"):
        return np.asarray(beliefs.edges if table == "edges" else beliefs.links, dtype=np.float64)
    if isinstance(beliefs, Mapping):
        keys = graph.tables["entities"].column("key").to_pylist()
        t = graph.tables[table]
        words = t.column("predicate" if table == "edges" else "relation").to_pylist()
        subjects, objects = t.column("subject").to_pylist(), t.column("object").to_pylist()
        found = (beliefs.get((keys[s], w, keys[o])) for s, w, o in zip(subjects, words, objects))
        return np.array([np.nan if b is None else float(b) for b in found], dtype=np.float64)
    raise TypeError(f"beliefs must be BeliefColumns, a dict by key or None, not {type(beliefs).__name__}")


def _belief_text(values: np.ndarray) -> pa.Array:
    """Each belief as ``str(round(b, 6))`` (Python's shortest float text), null where NaN."""
    return pa.array([None if b != b else repr(round(b, 6)) for b in values.tolist()], STRING)


class _Relations:
    """The cells of the edge records of one table (``edges`` or ``links``) that need the whole table."""

    def __init__(self, graph: Any, table: str, cites: list[str], beliefs: Any):
        self.table = table
        t = graph.tables[table]
        self.n = t.num_rows
        owner = OWNER_EDGE if table == "edges" else OWNER_LINK
        ev = graph.tables["evidence"]
        ev_owner = ev.column("owner").to_numpy()
        lo, hi = int(np.searchsorted(ev_owner, owner, "left")), int(np.searchsorted(ev_owner, owner, "right"))
        self.ev = ev.slice(lo, hi - lo)
        row = self.ev.column("row").to_numpy()
        self.ptr = np.searchsorted(row, np.arange(self.n + 1), "left").astype(np.int64)
        ids = text(graph.tables["entities"].column("id"))
        self.subject = ids.take(t.column("subject").combine_chunks())
        self.object = ids.take(t.column("object").combine_chunks())
        self.note = text(t.column("note"))
        self.words = text(t.column("predicate" if table == "edges" else "relation"))
        # publications: each edge's citations, once each, in evidence order
        curie_ids: dict[str, int] = {}
        reference_curie = np.array([curie_ids.setdefault(c, len(curie_ids)) for c in cites] or [0], dtype=np.int64)
        self.curies = pa.array(list(curie_ids), STRING)
        ev_curie = reference_curie[self.ev.column("reference").to_numpy()] if len(row) else np.zeros(0, np.int64)
        keep, self.pub_ptr = first_distinct(row, ev_curie, self.n)
        self.pub_items = ev_curie[keep]
        kinds = self.ev.column("kind").combine_chunks()
        kind_words = kinds.dictionary.to_pylist() if len(kinds) else []
        kind_codes = kinds.indices.to_numpy(zero_copy_only=False).astype(np.int64) if len(kinds) else \
            np.zeros(0, np.int64)
        keep, self.kind_ptr = first_distinct(row, kind_codes, self.n)
        self.kind_items = pa.array(kind_words, STRING).take(pa.array(kind_codes[keep]))
        hypothesis = kind_codes == (kind_words.index("hypothesis") if "hypothesis" in kind_words else -1)
        self.hypothesis_only = np.bincount(row, weights=~hypothesis, minlength=self.n) == 0
        values = _beliefs(graph, beliefs, table)
        self.belief = _belief_text(values) if values is not None else pa.nulls(self.n, STRING)
        self.evidence_json = _EvidenceJson(self.ev, text(graph.tables["references"].column("key")))

    def block(self, start: int, stop: int) -> dict[str, Any]:
        """The cells of rows ``start:stop`` (TSV text; JSON is derived from them)."""
        n = stop - start
        words = self.words.slice(start, n)
        cells: dict[str, Any] = {"subject": self.subject.slice(start, n), "object": self.object.slice(start, n)}
        if self.table == "edges":
            rows = {w: export_row(w) for w in set(words.to_pylist())}
            def by_word(get: Callable[[Any], Any]) -> pa.Array:
                return pa.array([get(rows[w]) for w in words.to_pylist()], STRING)
            cells["predicate"] = by_word(lambda r: r.term)
            cells["qualified_predicate"] = by_word(lambda r: "biolink:causes" if r.direction else None)
            cells["object_direction_qualifier"] = by_word(lambda r: r.direction or None)
            cells["object_aspect_qualifier"] = by_word(lambda r: r.aspect or None)
            cells["negated"] = by_word(lambda r: "true" if r.negated else None)
            level = np.where(self.hypothesis_only[start:stop], "prediction", "knowledge_assertion")
            cells["knowledge_level"] = pa.array(level.tolist(), STRING)
        else:
            relations = words.to_pylist()
            cells["predicate"] = pa.array([_link_predicate(w) for w in relations], STRING)
            cells["knowledge_level"] = "knowledge_assertion"
            cells["mtorgraph_relation"] = words
        pub_offsets = self.pub_ptr[start:stop + 1]
        cells["publications"] = (pub_offsets - pub_offsets[0],
                                 self.curies.take(pa.array(self.pub_items[pub_offsets[0]:pub_offsets[-1]])))
        kind_offsets = self.kind_ptr[start:stop + 1]
        cells["mtorgraph_evidence_kinds"] = (kind_offsets - kind_offsets[0],
                                             self.kind_items.slice(int(kind_offsets[0]),
                                                                   int(kind_offsets[-1] - kind_offsets[0])))
        cells["mtorgraph_belief"] = self.belief.slice(start, n)
        cells["mtorgraph_evidence_count"] = pa.array(np.diff(self.ptr[start:stop + 1])).cast(STRING)
        cells["mtorgraph_note"] = self.note.slice(start, n)
        ev_offsets = self.ptr[start:stop + 1]
        items = self.evidence_json.items(int(ev_offsets[0]), int(ev_offsets[-1]))
        cells["mtorgraph_evidence"] = glue("[", lists(ev_offsets - ev_offsets[0], items, ", "), "]")
        return cells


def _link_predicate(relation: str) -> str:
    return "biolink:related_to" if relation == "model_of" else export_row(f"link:{relation}").term


class _EvidenceJson:
    """Each evidence item as the JSON object ``Evidence.model_dump(exclude_none, exclude_defaults)``
    gives, keys sorted (with reference, kind and finding always present)."""

    CONTEXT = ("anatomy", "cell_type", "design", "dose", "model", "n", "population", "route", "species",
               "timepoint")

    def __init__(self, ev: pa.Table, reference_keys: pa.Array):
        self.ev = ev
        self.reference_keys = quoted(reference_keys)

    def items(self, start: int, stop: int) -> pa.Array:
        ev = self.ev.slice(start, stop - start)
        n = stop - start

        def column(name: str) -> pa.Array:
            return quoted(text(ev.column(name)))

        def unless(name: str, default: str) -> pa.Array:
            values = text(ev.column(name))
            is_default = pc.fill_null(pc.equal(values, default), True).to_numpy(zero_copy_only=False)
            return null_where(field(name, quoted(values)), is_default)

        context = []
        for name in self.CONTEXT:
            if name == "n":
                values = ev.column("n").combine_chunks().cast(STRING)
            else:
                values = column(name)
            context.append(field(name, values))
        inner = join(context, ", ")
        empty = pc.equal(inner, "").to_numpy(zero_copy_only=False)
        fields = [unless("basis", "own_result"),
                  null_where(glue('"context": {', inner, "}"), empty),
                  unless("direction", "supports"),
                  field("effect", column("effect")),
                  field("experiment", column("experiment")),
                  field("finding", column("finding")),
                  field("kind", column("kind")),
                  field("p_value", column("p_value")),
                  field("reference", self.reference_keys.take(ev.column("reference").combine_chunks()))]
        return glue("{", join(fields, ", ") if n else pa.array([], STRING), "}")


#: The edge record's keys in the order the record-by-record writer builds them (JSON Lines keeps it).
_JSON_ORDER = ("subject", "predicate", "object", "knowledge_level", "agent_type", "primary_knowledge_source",
               "publications", "mtorgraph_belief", "mtorgraph_evidence_count", "mtorgraph_evidence_kinds",
               "mtorgraph_note", "mtorgraph_evidence", "qualified_predicate", "object_direction_qualifier",
               "object_aspect_qualifier", "negated", "mtorgraph_relation")
_RAW_JSON = frozenset({"mtorgraph_belief", "mtorgraph_evidence_count", "negated"})


def edge_lines(cells: dict[str, Any], fmt: str, columns: tuple[str, ...]) -> pa.Array:
    """The lines of one block of edge records."""
    fixed = {"agent_type": "manual_agent", "primary_knowledge_source": "infores:mtorgraph"}
    if fmt == "tsv":
        row = []
        for column in columns:
            value = cells.get(column, fixed.get(column))
            if isinstance(value, tuple):
                value = lists(*value, "|")
            row.append(value)
        return _tsv_lines(row)
    fields = []
    for name in _JSON_ORDER:
        value = cells.get(name, fixed.get(name))
        if value is None:
            continue
        if isinstance(value, tuple):
            text = json_lists(value[0], quoted(value[1]))
        elif isinstance(value, str):
            text = pa.scalar(json.dumps(value))
        elif name in _RAW_JSON or name == "mtorgraph_evidence":
            text = quoted(value) if name == "mtorgraph_evidence" else value
        else:
            text = quoted(value)
        fields.append(field(name, text))
    return glue("{", join(fields, ", "), "}\n")


class KgxColumns:
    """A graph's KGX records as columns, ready to check and write.

    :param cites: each reference row's publication CURIE.
    :param reference_nodes: the publication node records (dicts), written after the entities.
    :param beliefs: ``None``, ``BeliefColumns`` (arrays by row) or a dict by edge and link key.
    """

    def __init__(self, graph: Any, cites: list[str], reference_nodes: list[dict[str, Any]], beliefs: Any):
        self.nodes = _Nodes(graph, reference_nodes)
        self.relations = [_Relations(graph, table, cites, beliefs) for table in ("edges", "links")]

    def tsv_problem(self, node_columns: tuple[str, ...], edge_columns: tuple[str, ...],
                    multivalued: frozenset[str]) -> OutputError | None:
        """The first value (nodes file first, then edges) a KGX TSV cell cannot hold, as an error."""
        nodes = self.nodes
        ids = nodes.ids
        problem = _tsv_problem(
            lambda row: f"node {ids[row].as_py()}",
            {"id": ids, "name": nodes.label, "description": nodes.note, "mtorgraph_key": nodes.key,
             "mtorgraph_name": nodes.name, "mtorgraph_id_status": nodes.id_status},
            {"synonym": nodes.synonyms, "xref": nodes.xrefs}, node_columns)
        if problem is not None:
            return problem
        for ref in nodes.references:
            for column in node_columns:
                value = ref.get(column)
                if value is None or value == []:
                    continue
                if column in multivalued:
                    bad = next((v for v in value if "|" in v or _has_break(v)), None)
                    if bad is not None:
                        return cell_error(f"node {ref['id']}", column, bad)
                elif _has_break(str(value)):
                    return cell_error(f"node {ref['id']}", column, None)
        for relations in self.relations:
            subjects = relations.subject
            problem = _tsv_problem(
                lambda row: f"edge {subjects[row].as_py()}",
                {"subject": subjects, "object": relations.object, "mtorgraph_note": relations.note},
                {"publications": (relations.pub_ptr, relations.curies.take(pa.array(relations.pub_items)))},
                edge_columns)
            if problem is not None:
                return problem
        return None

    def write_nodes(self, out: IO[bytes], fmt: str, columns: tuple[str, ...], multivalued: frozenset[str]) -> None:
        """Write the nodes file (``fmt``: ``tsv`` or ``jsonl``): every entity, then the publications."""
        nodes = self.nodes
        if fmt == "tsv":
            out.write(("\t".join(columns) + "\n").encode("utf-8"))
        for start in range(0, nodes.n, BLOCK):
            stop = min(start + BLOCK, nodes.n)
            write_lines(out, _node_tsv_lines(nodes, start, stop) if fmt == "tsv" else _node_json_lines(nodes, start, stop))
        for ref in nodes.references:
            if fmt == "tsv":
                cells = []
                for column in columns:
                    value = ref.get(column)
                    cells.append("" if value is None or value == [] else
                                 "|".join(value) if column in multivalued else str(value))
                out.write(("\t".join(cells) + "\n").encode("utf-8"))
            else:
                clean = {k: v for k, v in ref.items() if v is not None and v != []}
                out.write((json.dumps(clean, ensure_ascii=False) + "\n").encode("utf-8"))

    def write_edges(self, out: IO[bytes], fmt: str, columns: tuple[str, ...]) -> None:
        """Write the edges file: every edge, then every structural link."""
        if fmt == "tsv":
            out.write(("\t".join(columns) + "\n").encode("utf-8"))
        for relations in self.relations:
            for start in range(0, relations.n, BLOCK):
                write_lines(out, edge_lines(relations.block(start, min(start + BLOCK, relations.n)), fmt, columns))


def _has_break(text: str) -> bool:
    return "\t" in text or "\n" in text or "\r" in text
