"""Assembling a :class:`~mtorgraph.columnar.ColumnarGraph` from imported node and edge columns.

The KGX and signed-table readers turn their files into two Arrow tables of the same shape and
hand them here; nothing builds a model object per record. Input edge columns: ``subject``,
``object`` (node ids), ``target`` (an mtorgraph predicate, ``link:<relation>``, or null when the
row's relation did not map), ``publications`` (list of CURIEs or URLs), ``source`` (the knowledge
source, for rows without publications), ``finding`` (text for generated evidence), ``evidence``
(mtorgraph's own evidence JSON, from its exports) and ``note``. Input node columns: ``id``,
``category`` (list), ``name``, ``synonym``, ``xref`` (lists), ``description`` and the
``mtorgraph_*`` columns of :mod:`mtorgraph.io.kgx_write`.

Rules (each counted in the :class:`ImportReport`):

- a node's kind comes from its first known category (:func:`~mtorgraph.io.predicate_map.lookup_category`),
  else from its id prefix (:data:`mtorgraph.vocab.ENTITY_KINDS`), else it is ``process`` and
  counted as defaulted; its ``id_status`` is ``unverified`` unless the file states one;
- an edge end with no node record becomes a node with those defaults;
- rows with the same subject, predicate and object are one edge holding every row's evidence;
- generated evidence is one item per publication (or one citing the knowledge source), kind
  ``curator_inference``, referring to a reference that is ``verified: "no"``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar.graph import ColumnarGraph
from ..columnar.schema import CONTEXT_FIELDS, OWNER_EDGE, OWNER_LINK, SCHEMAS
from ..vocab import ENTITY_KINDS
from .evidence_json import parse_items
from .imported_references import References, reference_record, slug, unique_keys
from .predicate_map import lookup_category

__all__ = ["IMPORTED_KIND", "ImportReport", "assemble"]

#: Evidence kind of generated evidence: a statement read from another graph, one step from its source.
IMPORTED_KIND = "curator_inference"
_ID_STATUSES = ("verified", "derived", "local", "unverified")
_KINDS = tuple(ENTITY_KINDS)
_PREFIX_KIND: dict[str, str] = {}
for _kind in ("chemical", "gene", "protein", "process", "disease", "anatomy", "phenotype", "complex", "exposure",
              "regimen", "outcome"):
    for _prefix in ENTITY_KINDS[_kind]:
        _PREFIX_KIND.setdefault(_prefix, _kind)


@dataclass
class ImportReport:
    """What an import read, made and could not map (the JSON result of ``mtorgraph import``)."""

    files: list[str] = field(default_factory=list)
    rows: int = 0
    edges: int = 0
    links: int = 0
    merged_rows: int = 0
    entities: int = 0
    references: int = 0
    evidence: int = 0
    nodes_without_record: int = 0
    kinds_defaulted: int = 0
    unmapped: dict[str, int] = field(default_factory=dict)
    unmapped_rows: int = 0
    #: File lines of the first 50 rows not imported.
    unmapped_lines: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The report as plain JSON data."""
        return dict(self.__dict__)

    def summary(self) -> list[str]:
        """Lines for people (stderr)."""
        lines = [f"read {self.rows:,} edge rows from {', '.join(self.files)}: {self.edges:,} edges, "
                 f"{self.links:,} links, {self.entities:,} entities, {self.references:,} references, "
                 f"{self.evidence:,} evidence items"]
        if self.merged_rows:
            lines.append(f"{self.merged_rows:,} rows repeated an edge already read and were merged into it")
        if self.nodes_without_record:
            lines.append(f"{self.nodes_without_record:,} edge ends had no node record: added with id_status unverified")
        if self.kinds_defaulted:
            lines.append(f"{self.kinds_defaulted:,} nodes had no category or prefix mtorgraph knows: kind set to "
                         "'process' (check them)")
        if self.unmapped_rows:
            lines.append(f"{self.unmapped_rows:,} rows were not imported: their relation maps to no mtorgraph predicate")
            for term, count in sorted(self.unmapped.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"  {count:>8,}  {term}")
        return lines


def _joined(first: str | None, second: str) -> str:
    return f"{first} {second}" if first else second


def _blank_as_null(values: pa.Array) -> pa.Array:
    """``values`` with empty strings as nulls (so a coalesce passes them over, as ``or`` does)."""
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, values.type), values)


_PUBLICATION = "biolink:Publication"
_EXTRA_NOTE = ("Imported: an edge names this id but the file has no node record for it; label, name, kind "
               "and id status are defaults.")
_DEFAULTED_NOTE = ("Imported: neither the category nor the id prefix names an mtorgraph kind, so the kind was "
                   "set to 'process'; check it.")


def _nodes(nodes: pa.Table | None, edge_ends: pa.ChunkedArray, report: ImportReport
           ) -> tuple[pa.Table, pa.Array, dict[str, dict[str, Any]]]:
    """The entities table, the entity ids in row order and reference records from publication nodes.

    A node is its id's first record; a publication node (category ``biolink:Publication``) becomes
    a reference instead (and an entity too if an edge names it); an edge end with no record is
    added with defaults. Done on columns, but for the kind of each distinct category list and the
    few keys made from names.
    """
    n = 0 if nodes is None else nodes.num_rows

    def col(name: str, kind: pa.DataType = pa.string()) -> pa.Array:
        if nodes is None or name not in nodes.column_names:
            return pa.nulls(n, kind)
        return nodes.column(name).combine_chunks().cast(kind)

    ids = col("id")
    categories = col("category", pa.list_(pa.string()))
    encoded = pc.dictionary_encode(ids)
    present = np.flatnonzero(pc.is_valid(ids).to_numpy(zero_copy_only=False))
    _, first = np.unique(encoded.indices.to_numpy(zero_copy_only=False)[present], return_index=True)
    first_rows = np.sort(present[first])  # each id's first record, in file order
    publication = np.zeros(n, dtype=bool)
    if len(categories):
        flat_rows = pc.list_parent_indices(categories).to_numpy(zero_copy_only=False)
        said = pc.fill_null(pc.equal(pc.list_flatten(categories), _PUBLICATION), False).to_numpy(zero_copy_only=False)
        publication[flat_rows[said]] = True
    ends = pc.unique(edge_ends)
    ends = ends.filter(pc.is_valid(ends))
    # a publication an edge names is an entity as well (else that edge would have no end)
    named = pc.is_in(ids, value_set=ends.cast(ids.type)).to_numpy(zero_copy_only=False)
    keep = first_rows[~(publication & ~named)[first_rows]]
    reference_rows = first_rows[publication[first_rows]]
    extra = ends.filter(pc.invert(pc.is_in(ends, value_set=ids.take(pa.array(first_rows, pa.int64())))))
    report.nodes_without_record = len(extra)
    take = pa.array(keep, pa.int64())

    def pick(name: str, kind: pa.DataType = pa.string()) -> pa.Array:
        return pa.concat_arrays([col(name, kind).take(take), pa.nulls(len(extra), kind)])

    entity_ids = pa.concat_arrays([ids.take(take), extra.cast(pa.string())])
    id_list = entity_ids.to_pylist()
    names = _blank_as_null(pick("name"))
    notes = pick("description").to_pylist()
    kinds, defaulted = [], 0
    category_kind: dict[tuple[str, ...], str | None] = {}
    for row, cat in enumerate(pick("category", pa.list_(pa.string())).to_pylist()):
        key = tuple(cat or ())
        if key not in category_kind:
            category_kind[key] = lookup_category(key)
        kind = category_kind[key] or _PREFIX_KIND.get(id_list[row].partition(":")[0])
        if kind is None:
            kind, defaulted = "process", defaulted + 1
            notes[row] = _joined(notes[row], _DEFAULTED_NOTE)
        kinds.append(kind)
    notes[len(keep):] = [_EXTRA_NOTE] * len(extra)
    report.kinds_defaulted = defaulted
    own_keys = pick("mtorgraph_key")
    is_key = pc.fill_null(pc.match_substring_regex(own_keys, r"^[a-z][a-z0-9_]*$"), False).to_numpy(zero_copy_only=False)
    wanted = own_keys.to_pylist()
    made = np.flatnonzero(~is_key)
    made_from = pc.coalesce(names, entity_ids).take(pa.array(made, pa.int64())).to_pylist()
    for row, text in zip(made.tolist(), made_from):
        wanted[row] = slug(text)
    statuses = pick("mtorgraph_id_status")
    table = pa.table({
        "key": pa.array(unique_keys(wanted), pa.string()), "id": entity_ids, "label": pc.coalesce(names, entity_ids),
        "name": pc.coalesce(_blank_as_null(pick("mtorgraph_name")), names, entity_ids),
        "kind": pa.array(kinds, pa.string()),
        "id_status": pc.if_else(pc.is_in(statuses, value_set=pa.array(_ID_STATUSES)), statuses, "unverified"),
        "synonyms": pick("synonym", pa.list_(pa.string())), "xrefs": pick("xref", pa.list_(pa.string())),
        "note": pa.array(notes, pa.string()),
    }).cast(SCHEMAS["entities"])
    refs: dict[str, dict[str, Any]] = {}
    reference_take = pa.array(reference_rows, pa.int64())
    for cite, raw, title in zip(ids.take(reference_take).to_pylist(),
                                col("mtorgraph_reference").take(reference_take).to_pylist(),
                                col("name").take(reference_take).to_pylist()):
        record = json.loads(raw) if raw else None
        if not isinstance(record, dict) or "key" not in record:
            record = reference_record(cite, "publication node without a title") if not title else {
                **reference_record(cite, ""), "title": title}
        refs[cite] = record
    return table, entity_ids, refs


def assemble(nodes: pa.Table | None, edges: pa.Table, report: ImportReport, *, title: str | None = None,
             row_lines: Callable[[list[int]], list[int]] | None = None) -> ColumnarGraph:
    """The graph the imported columns describe (see the module docstring).

    :param row_lines: gives the file lines of edge rows (called only for unmapped rows).
    """
    report.rows += edges.num_rows
    target = edges.column("target")
    mapped = pc.is_valid(target)
    unmapped_rows = np.flatnonzero(~mapped.to_numpy(zero_copy_only=False))
    report.unmapped_rows = len(unmapped_rows)
    if len(unmapped_rows):
        first = unmapped_rows[:50].tolist()
        report.unmapped_lines = row_lines(first) if row_lines else [i + 2 for i in first]
    if len(unmapped_rows):
        terms = pc.value_counts(edges.column("relation").filter(pc.invert(mapped)))
        report.unmapped = {str(t["values"]): int(t["counts"]) for t in terms.to_pylist()}
    if len(unmapped_rows):  # (filtering copies every column, the evidence text too)
        edges = edges.filter(mapped)
    ends = pa.chunked_array(edges.column("subject").chunks + edges.column("object").chunks, type=pa.string())
    entities, entity_ids, ref_records = _nodes(nodes, ends, report)
    id_index = entity_ids
    subject = pc.index_in(edges.column("subject"), value_set=id_index).to_numpy(zero_copy_only=False).astype(np.int64)
    obj = pc.index_in(edges.column("object"), value_set=id_index).to_numpy(zero_copy_only=False).astype(np.int64)
    target_codes, target_words = _codes(edges.column("target"))
    is_link = np.array([w.startswith("link:") for w in target_words] or [False])[target_codes] \
        if len(target_codes) else np.zeros(0, bool)
    refs = References(ref_records)
    evidence_parts: list[pa.Table] = []
    tables: dict[str, pa.Table] = {"entities": entities}
    for owner, name, rows in ((OWNER_EDGE, "edges", np.flatnonzero(~is_link)), (OWNER_LINK, "links",
                                                                                  np.flatnonzero(is_link))):
        key = (subject[rows] * (len(target_words) + 1) + target_codes[rows]) * (len(entity_ids) + 1) + obj[rows]
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")  # edges in the order of their first row
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        edge_of_row = rank[inverse.reshape(-1)]
        keep_rows = rows[first[order]]
        column = "predicate" if owner == OWNER_EDGE else "relation"
        notes = edges.column("note").take(pa.array(keep_rows, pa.int64())) if len(keep_rows) else pa.array([], pa.string())
        tables[name] = pa.Table.from_pydict({
            "subject": pa.array(subject[keep_rows], pa.int32()), column: _first_met(target_codes[keep_rows], target_words),
            "object": pa.array(obj[keep_rows], pa.int32()), "note": notes,
            "source_graph": pa.nulls(len(keep_rows), pa.dictionary(pa.int16(), pa.string())),
        }).cast(SCHEMAS[name])
        evidence_parts.append(_evidence(edges, rows, edge_of_row, owner, refs))
        if owner == OWNER_EDGE:
            report.edges = len(keep_rows)
        else:
            report.links = len(keep_rows)
        report.merged_rows += len(rows) - len(keep_rows)
    tables["references"] = refs.table()
    evidence = pa.concat_tables(evidence_parts)
    sort = np.lexsort((evidence.column("_pos").to_numpy(), evidence.column("_i").to_numpy(),
                       evidence.column("row").to_numpy(), evidence.column("owner").to_numpy()))
    evidence = evidence.drop_columns(["_i", "_pos"])
    if not np.array_equal(sort, np.arange(len(sort))):  # (in order already when no rows merged: no copy)
        evidence = evidence.take(pa.array(sort, pa.int64()))
    tables["evidence"] = evidence.cast(SCHEMAS["evidence"])
    report.entities = entities.num_rows
    report.references = tables["references"].num_rows
    report.evidence = tables["evidence"].num_rows
    return ColumnarGraph({name: tables[name].combine_chunks() for name in SCHEMAS}, title=title)


def _first_met(codes: np.ndarray, words: list[str]) -> pa.DictionaryArray:
    """The words of ``codes`` (``link:`` taken off), dictionary-encoded in the order first met."""
    used, first = np.unique(codes, return_index=True)
    order = np.argsort(first, kind="stable")
    place = np.empty(len(words), dtype=np.int32)
    place[used[order]] = np.arange(len(used), dtype=np.int32)
    dictionary = pa.array([words[c].removeprefix("link:") for c in used[order].tolist()], pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(place[codes] if len(codes) else np.zeros(0, np.int32)), dictionary)


def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    encoded = column.combine_chunks().dictionary_encode() if column.num_chunks else pa.array([], pa.string()).dictionary_encode()
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary.to_pylist()


_EVIDENCE_EXTRA = [pa.field("_i", pa.int64()), pa.field("_pos", pa.int64())]


def _evidence(edges: pa.Table, rows: np.ndarray, edge_of_row: np.ndarray, owner: int, refs: References) -> pa.Table:
    """Evidence of the rows ``rows`` of ``edges``: mtorgraph's own JSON where given, else generated.

    ``_i`` (the row's place in ``rows``) and ``_pos`` (the item's place in its row) keep each
    record's own order when rows are merged.
    """
    take = pa.array(rows, pa.int64())
    own = edges.column("evidence")
    if len(rows) != len(own):  # all rows (the usual case) need no copy of the evidence text
        own = own.take(take) if len(rows) else pa.chunked_array([], pa.string())
    has_own = pc.fill_null(pc.and_(pc.is_valid(own), pc.not_equal(own, "[]")), False).to_numpy(zero_copy_only=False)
    parts = [_own_evidence(own, np.flatnonzero(has_own), edge_of_row, owner, refs)]
    generated = np.flatnonzero(~has_own)
    if len(generated):
        parts.append(_generated_evidence(edges, rows[generated], generated, edge_of_row, owner, refs))
    schema = SCHEMAS["evidence"]
    for extra in _EVIDENCE_EXTRA:
        schema = schema.append(extra)
    return pa.concat_tables([p.cast(schema) for p in parts])


_OWN_BLOCK = 1 << 16  # rows of own evidence parsed at once


def _own_evidence(own: pa.ChunkedArray, places: np.ndarray, edge_of_row: np.ndarray, owner: int,
                  refs: References) -> pa.Table:
    """mtorgraph's own evidence of the rows ``places``: in columns (:mod:`.evidence_json`), a block
    at a time in row order (so new references are met in the same order), else item by item."""
    parts = []
    for start in range(0, len(places), _OWN_BLOCK):
        block = places[start:start + _OWN_BLOCK]
        contiguous = len(block) and block[-1] - block[0] + 1 == len(block)  # (a slice is cheaper than a take)
        cells = own.slice(int(block[0]), len(block)) if contiguous else own.take(pa.array(block, pa.int64()))
        items = parse_items(cells.combine_chunks())
        if items is None:
            parts.append(_own_evidence_items(own, block, edge_of_row, owner, refs))
        else:
            parts.append(_own_evidence_columns(items, block, edge_of_row, owner, refs))
    return pa.concat_tables(parts) if parts else _own_evidence_items(own, places, edge_of_row, owner, refs)


def _own_evidence_columns(items: pa.Table, block: np.ndarray, edge_of_row: np.ndarray, owner: int,
                          refs: References) -> pa.Table:
    """Evidence records from parsed items, as :func:`_own_evidence_items` makes them."""
    keys = items.column("reference")
    unique = pc.unique(keys)  # in the order first met, as the item-by-item reader meets them
    rows = []
    for key in unique.to_pylist():
        ref = refs.by_key("" if key is None else key)
        rows.append(refs.row(f"mtorgraph:reference_{key}", "named by evidence, not in the file") if ref is None else ref)
    lookup = np.array(rows, dtype=np.int64)
    i = block[items.column("_cell").to_numpy()]
    n = items.num_rows
    columns = {"owner": pa.array(np.full(n, owner, np.int8)), "row": pa.array(edge_of_row[i], pa.int32()),
               "reference": pa.array(lookup[pc.index_in(keys, value_set=unique).to_numpy(zero_copy_only=False)]
                                     if n else np.zeros(0, np.int64), pa.int32()),
               "direction": pc.fill_null(items.column("direction"), "supports"),
               "basis": pc.fill_null(items.column("basis"), "own_result"), "_i": pa.array(i),
               "_pos": items.column("_pos")}
    schema = SCHEMAS["evidence"]
    for extra in _EVIDENCE_EXTRA:
        schema = schema.append(extra)
    return pa.table({f.name: columns[f.name] if f.name in columns else items.column(f.name) for f in schema}
                    ).cast(schema)


def _own_evidence_items(own: pa.ChunkedArray, places: np.ndarray, edge_of_row: np.ndarray, owner: int,
                        refs: References) -> pa.Table:
    records: dict[str, list[Any]] = {f.name: [] for f in SCHEMAS["evidence"]}
    records["_i"], records["_pos"] = [], []
    texts = own.take(pa.array(places, pa.int64())).to_pylist() if len(places) else []
    for i, raw in zip(places, texts):
        for pos, item in enumerate(json.loads(raw)):
            ref = refs.by_key(item.get("reference", ""))
            if ref is None:
                ref = refs.row(f"mtorgraph:reference_{item.get('reference')}", "named by evidence, not in the file")
            context = item.get("context") or {}
            values = {"owner": owner, "row": int(edge_of_row[i]), "reference": ref, "_i": int(i), "_pos": pos,
                      "kind": item.get("kind"), "direction": item.get("direction", "supports"),
                      "basis": item.get("basis", "own_result"), "experiment": item.get("experiment"),
                      "finding": item.get("finding"), "effect": item.get("effect"), "p_value": item.get("p_value")}
            values.update({name: context.get(name) for name in CONTEXT_FIELDS})
            for name, out in records.items():
                out.append(values.get(name))
    schema = SCHEMAS["evidence"]
    for extra in _EVIDENCE_EXTRA:
        schema = schema.append(extra)
    return pa.Table.from_pydict(records, schema=schema)


def _generated_evidence(edges: pa.Table, file_rows: np.ndarray, places: np.ndarray, edge_of_row: np.ndarray,
                        owner: int, refs: References) -> pa.Table:
    """One item per publication (or one citing the knowledge source), built in columns."""
    take = pa.array(file_rows, pa.int64())
    pubs = edges.column("publications").take(take).combine_chunks()
    flat = pc.list_flatten(pubs)
    parent = pc.list_parent_indices(pubs).to_numpy(zero_copy_only=False).astype(np.int64)
    usable = pc.fill_null(pc.not_equal(flat, ""), False)
    flat, parent = flat.filter(usable), parent[usable.to_numpy(zero_copy_only=False)]
    pos = np.arange(len(parent)) - np.searchsorted(parent, parent, "left") if len(parent) else parent
    empty = np.flatnonzero(np.bincount(parent, minlength=len(file_rows)) == 0)
    sources = pc.fill_null(edges.column("source").take(take).combine_chunks(), "infores:unknown")
    source_cites = sources.take(pa.array(empty, pa.int64()))
    ref_rows = np.concatenate([
        refs.rows_for(flat, "cited by an imported edge"),
        refs.rows_for(source_cites, "the knowledge source of imported edges that cite no publication")])
    parent = np.concatenate([parent, empty])
    pos = np.concatenate([pos, np.zeros(len(empty), np.int64)])
    findings = edges.column("finding").take(take).combine_chunks().take(pa.array(parent, pa.int64()))
    n = len(parent)
    columns = {"owner": pa.array(np.full(n, owner, np.int8)), "row": pa.array(edge_of_row[places[parent]], pa.int32()),
               "reference": pa.array(ref_rows, pa.int32()),
               "kind": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int16)), pa.array([IMPORTED_KIND])),
               "direction": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int16)), pa.array(["supports"])),
               "basis": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int16)), pa.array(["own_result"])),
               "finding": findings, "_i": pa.array(places[parent]), "_pos": pa.array(pos)}
    schema = SCHEMAS["evidence"]
    for extra in _EVIDENCE_EXTRA:
        schema = schema.append(extra)
    return pa.table({f.name: columns[f.name] if f.name in columns else pa.nulls(n, f.type) for f in schema},
                    schema=schema)
