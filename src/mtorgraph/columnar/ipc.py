"""A whole :class:`ColumnarGraph` as one Arrow IPC stream of bytes, and back.

Used to ship a graph once to other processes (a Spark broadcast); the tables travel as Arrow
record batches, the small parts (title, questions, claims, open questions) as JSON in the schema
metadata of the first table.

>>> from mtorgraph.io import load_graph
>>> g = ColumnarGraph.from_model(load_graph())
>>> from_ipc_bytes(to_ipc_bytes(g)).to_model() == g.to_model()
True
"""

from __future__ import annotations

import io
import json
import struct

import pyarrow as pa

from ..model import Claim, OpenQuestion, Question
from .graph import ColumnarGraph
from .schema import SCHEMAS

__all__ = ["from_ipc_bytes", "to_ipc_bytes"]

_SMALL = b"mtorgraph.small"


def to_ipc_bytes(graph: ColumnarGraph) -> bytes:
    """The graph as bytes: for each table, its length (8 bytes) and its Arrow IPC stream."""
    small = json.dumps({
        "title": graph.title,
        "questions": [q.model_dump() for q in graph.questions],
        "claims": [c.model_dump() for c in graph.claims],
        "open_questions": [q.model_dump() for q in graph.open_questions],
    }).encode()
    out = io.BytesIO()
    for i, name in enumerate(SCHEMAS):
        table = graph.tables[name]
        if i == 0:
            table = table.replace_schema_metadata({_SMALL: small})
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        data = sink.getvalue().to_pybytes()
        out.write(struct.pack("<Q", len(data)))
        out.write(data)
    return out.getvalue()


def from_ipc_bytes(data: bytes) -> ColumnarGraph:
    """The graph :func:`to_ipc_bytes` wrote."""
    view = memoryview(data)
    tables, small, at = {}, None, 0
    for name in SCHEMAS:
        (size,) = struct.unpack_from("<Q", view, at)
        at += 8
        table = pa.ipc.open_stream(pa.py_buffer(view[at:at + size])).read_all()
        at += size
        if small is None:
            small = json.loads((table.schema.metadata or {}).get(_SMALL, b"{}"))
            table = table.replace_schema_metadata(None)
        tables[name] = table
    small = small or {}
    return ColumnarGraph(tables, title=small.get("title"),
                         questions=tuple(Question(**q) for q in small.get("questions", ())),
                         claims=tuple(Claim(**c) for c in small.get("claims", ())),
                         open_questions=tuple(OpenQuestion(**q) for q in small.get("open_questions", ())))
