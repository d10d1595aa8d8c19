"""The column layout of a graph held as Arrow tables: one table per kind of record.

Rows refer to rows of other tables by position (``int32``), never by key, so joins are array
lookups. Closed vocabularies (predicates, evidence kinds, …) are dictionary-encoded strings; a
column missing from a source is all nulls. Row order is source order: ``edges`` row ``i`` is the
``i``-th edge as the curator wrote it, and ``evidence`` is sorted by ``(owner, row)`` keeping each
record's own order, so an edge's evidence is one contiguous slice.

>>> [f.name for f in EDGES]
['subject', 'predicate', 'object', 'note', 'source_graph']
"""

from __future__ import annotations

import pyarrow as pa

from .version import SCHEMA_VERSION

__all__ = [
    "CONTEXT_FIELDS",
    "EDGES",
    "ENTITIES",
    "EVIDENCE",
    "EVIDENCE_CONTENT",
    "LINKS",
    "OWNER_EDGE",
    "OWNER_LINK",
    "REFERENCES",
    "SCHEMAS",
    "SCHEMA_VERSION",
]

_words = pa.dictionary(pa.int16(), pa.string())
_text = pa.string()
_texts = pa.list_(pa.string())
_row = pa.int32()

ENTITIES = pa.schema([
    ("key", _text), ("id", _text), ("label", _text), ("name", _text), ("kind", _words),
    ("id_status", _words), ("synonyms", _texts), ("xrefs", _texts), ("note", _text),
])

REFERENCES = pa.schema([
    ("key", _text), ("title", _text), ("authors", _text), ("year", pa.int32()), ("journal", _text),
    ("volume", _text), ("pages", _text), ("doi", _text), ("pmid", _text), ("pmcid", _text), ("url", _text),
    ("study_type", _text), ("verified", _words), ("verification_note", _text), ("seen_at", _texts),
])

#: ``subject``/``object`` are rows of ``entities``; ``source_graph`` names the graph an edge came
#: from when graphs are merged (null for a single graph).
EDGES = pa.schema([
    ("subject", _row), ("predicate", _words), ("object", _row), ("note", _text), ("source_graph", _words),
])

LINKS = pa.schema([
    ("subject", _row), ("relation", _words), ("object", _row), ("note", _text), ("source_graph", _words),
])

#: Context fields, in :class:`mtorgraph.model.Context` order; ``n`` is the only integer.
CONTEXT_FIELDS = ("species", "anatomy", "cell_type", "model", "design", "route", "dose", "timepoint",
                  "population", "n")

#: ``owner`` says which table ``row`` points into (:data:`OWNER_EDGE` or :data:`OWNER_LINK`);
#: ``reference`` is a row of ``references``.
EVIDENCE = pa.schema([
    ("owner", pa.int8()), ("row", _row), ("reference", _row), ("kind", _words), ("direction", _words),
    ("basis", _words), ("experiment", _text), ("finding", _text), ("effect", _text), ("p_value", _text),
    ("species", _words), ("anatomy", _text), ("cell_type", _text), ("model", _text), ("design", _text),
    ("route", _text), ("dose", _text), ("timepoint", _text), ("population", _text), ("n", pa.int32()),
])

OWNER_EDGE = 0
OWNER_LINK = 1

#: The evidence columns that say what an item states (all but where it sits): two items with
#: equal values here are the same item (merging pools them once; diff compares by them).
EVIDENCE_CONTENT = ("reference", "kind", "direction", "basis", "experiment", "finding", "effect", "p_value",
                    *CONTEXT_FIELDS)

#: Table name → schema, in the order a compiled graph stores them.
SCHEMAS: dict[str, pa.Schema] = {
    "entities": ENTITIES, "references": REFERENCES, "edges": EDGES, "links": LINKS, "evidence": EVIDENCE,
}
