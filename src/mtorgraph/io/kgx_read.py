"""Reading a KGX graph (TSV pair or JSON Lines pair) into a :class:`~mtorgraph.columnar.ColumnarGraph`.

The format is the one github biolink/kgx ``docs/kgx_format.md`` specifies (see
:mod:`mtorgraph.io.kgx_write` for the slots): either file of a pair (``NAME_nodes.tsv`` /
``NAME_edges.tsv``, or ``.jsonl``) names the graph; a missing nodes file is allowed (every edge end
then gets default fields). Rows are read with ``pyarrow.csv`` / ``pyarrow.json`` and mapped in
columns: each distinct (predicate, object_direction_qualifier, object_aspect_qualifier, negated)
is looked up once in :mod:`mtorgraph.io.predicate_map`, and rows whose relation maps to nothing
are counted by relation in the :class:`~mtorgraph.io.columnar_build.ImportReport`, never dropped
silently. ``publications`` become references (``verified: "no"``), categories become kinds, and
mtorgraph's own ``mtorgraph_*`` columns (its exports) give back the exact entities, references and
evidence.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..columnar.graph import ColumnarGraph
from ..model import MechanismGraph
from .columnar_build import ImportReport, assemble
from .files import refuse
from .kgx_write import MULTIVALUED, kgx_format_of, kgx_pair
from .predicate_map import lookup_predicate
from .tabular_input import checked_bytes, read_delimited, read_json_lines, record_lines

__all__ = ["kgx_format_of", "load_kgx", "open_kgx", "read_kgx"]

_NODE_FIELDS = ("id", "category", "name", "synonym", "xref", "description", "mtorgraph_key", "mtorgraph_name",
                "mtorgraph_id_status", "mtorgraph_reference")
_EDGE_FIELDS = ("subject", "predicate", "object", "object_direction_qualifier", "object_aspect_qualifier",
                "negated", "primary_knowledge_source", "knowledge_level", "publications", "mtorgraph_relation",
                "mtorgraph_note", "mtorgraph_evidence")


def _schema(fields: tuple[str, ...]) -> pa.Schema:
    out = []
    for name in fields:
        if name in MULTIVALUED:
            out.append(pa.field(name, pa.list_(pa.string())))
        elif name == "negated":
            out.append(pa.field(name, pa.bool_()))
        else:
            out.append(pa.field(name, pa.string()))
    return pa.schema(out)


def _read(path: Path, fmt: str, fields: tuple[str, ...], required: tuple[str, ...], what: str
          ) -> tuple[pa.Table, bytes]:
    data = checked_bytes(path, what)
    if fmt == "kgx-jsonl":
        return read_json_lines(path, data, _schema(fields), required, what), data
    table = read_delimited(path, data, "\t", required, what, fields)
    columns = {}
    for name in fields:
        if name not in table.column_names:
            columns[name] = pa.nulls(table.num_rows, _schema(fields).field(name).type)
        elif name in MULTIVALUED:
            columns[name] = pc.split_pattern(table.column(name), "|")
        elif name == "negated":
            words = pc.unique(table.column(name))  # (few: lowered once each, not once per row)
            said = words.filter(pc.is_in(pc.utf8_lower(words), value_set=pa.array(["true", "t", "1", "yes"])))
            columns[name] = pc.is_in(table.column(name), value_set=said)
        else:
            columns[name] = table.column(name)
    for name in required:
        nulls = table.column(name).null_count
        if nulls:
            row = int(np.flatnonzero(pc.is_null(table.column(name)).to_numpy(zero_copy_only=False))[0])
            raise refuse(path, "missing-field", f"a row has an empty {name!r}",
                         f"every record of {what} needs {', '.join(required)}", record_lines(data, True, [row])[0])
    return pa.table(columns), data


def _mapped(edges: pa.Table) -> tuple[pa.Array, pa.Array]:
    """Each row's mtorgraph predicate (or ``link:…``; null when unmapped) and its relation words."""
    def text(name: str) -> pa.ChunkedArray:
        return pc.fill_null(edges.column(name), "")

    negated = pc.if_else(pc.fill_null(edges.column("negated"), False), "true", "")
    relation = pc.binary_join_element_wise(text("predicate"), text("object_direction_qualifier"),
                                           text("object_aspect_qualifier"), negated, text("mtorgraph_relation"), "\x1f")
    encoded = relation.combine_chunks().dictionary_encode()
    words = []
    shown = []
    for combo in encoded.dictionary.to_pylist():
        predicate, direction, aspect, neg, own = combo.split("\x1f")
        if own:
            words.append(f"link:{own}")
        else:
            words.append(lookup_predicate(predicate, direction or None, aspect or None, neg == "true"))
        label = predicate + "".join(f" {k}={v}" for k, v in (("direction", direction), ("aspect", aspect),
                                                            ("negated", neg)) if v)
        shown.append(label)
    target = pa.DictionaryArray.from_arrays(encoded.indices, pa.array(words, pa.string())).cast(pa.string())
    relation_words = pa.DictionaryArray.from_arrays(encoded.indices, pa.array(shown, pa.string())).cast(pa.string())
    return target, relation_words


def read_kgx(path: str | os.PathLike[str]) -> tuple[ColumnarGraph, ImportReport]:
    """The graph in the KGX pair ``path`` names, and the report of what was read and not mapped.

    :raises InputError: when a file is missing, refused (binary, too large, a line too long, not
        UTF-8) or malformed (wrong header, wrong cell count, a bad JSON line), with file and line.
    """
    fmt = kgx_format_of(path)
    if fmt is None:
        raise refuse(path, "unknown-format", "is not named like a file of a KGX pair",
                     "name the files NAME_nodes.tsv and NAME_edges.tsv (or .jsonl)")
    nodes_path, edges_path = kgx_pair(path, fmt)
    report = ImportReport(files=[str(edges_path)])
    edges, data = _read(edges_path, fmt, _EDGE_FIELDS, ("subject", "predicate", "object"), "a KGX edges file")
    target, relation = _mapped(edges)
    # the file lines of the first rows not imported (all the report lists), so the bytes can go now
    unmapped = np.flatnonzero(pc.is_null(target).to_numpy(zero_copy_only=False))[:50].tolist()
    lines = dict(zip(unmapped, record_lines(data, fmt == "kgx-tsv", unmapped))) if unmapped else {}
    del data
    nodes = None
    if nodes_path.exists():
        report.files.insert(0, str(nodes_path))
        nodes, _ = _read(nodes_path, fmt, _NODE_FIELDS, ("id",), "a KGX nodes file")
    publications = edges.column("publications")
    source = edges.column("primary_knowledge_source")
    finding = pc.binary_join_element_wise(
        "KGX edge", pc.fill_null(edges.column("predicate"), ""),
        pc.fill_null(pc.binary_join_element_wise("from", source, " "), "(knowledge source not stated)"), " ")
    table = pa.table({"subject": edges.column("subject"), "object": edges.column("object"), "target": target,
                      "relation": relation, "publications": publications, "source": source, "finding": finding,
                      "evidence": edges.column("mtorgraph_evidence"), "note": edges.column("mtorgraph_note")})
    graph = assemble(nodes, table, report, row_lines=lambda rows: [lines[row] for row in rows])
    return graph, report


def open_kgx(path: str | os.PathLike[str]) -> ColumnarGraph:
    """The KGX graph ``path`` names, as columns (what ``open_graph`` returns)."""
    return read_kgx(path)[0]


def load_kgx(path: str | os.PathLike[str]) -> MechanismGraph:
    """The KGX graph ``path`` names, as a model graph (what ``load_graph`` returns)."""
    return open_kgx(path).to_model()
