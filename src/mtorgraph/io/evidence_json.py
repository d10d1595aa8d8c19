"""mtorgraph's own evidence JSON (the ``mtorgraph_evidence`` cell of its KGX exports) read in columns.

Each cell is a JSON array of evidence objects (``Evidence.model_dump`` without defaults). Instead
of ``json.loads`` per cell and a Python dict per item, the cells of a block are wrapped into JSON
Lines (``{"e": CELL}`` per line) and parsed by ``pyarrow.json`` against a declared schema, which
is strict: a value of another type, a key named twice, a key the schema does not name, or
anything after the array or a lone surrogate escape makes it fail. :func:`parse_items` then answers
``None`` and the caller reads that block item by item, exactly as before. It also answers ``None``
when the columns could differ from ``json.loads``: an explicit ``null`` anywhere in the block
(``"direction": null`` is not the default a missing key gets; ``[null]`` is no item).

>>> import pyarrow as pa
>>> items = parse_items(pa.array(['[{"kind": "rct", "finding": "x", "reference": "r1", "context": {"n": 12}}]']))
>>> items.column("kind").to_pylist(), items.column("n").to_pylist(), items.column("_pos").to_pylist()
(['rct'], [12], [0])
>>> parse_items(pa.array(['[{"kind": "rct", "direction": null}]'])) is None
True
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from ..columnar.schema import CONTEXT_FIELDS
from .arrow_text import string_offsets

__all__ = ["ITEM_FIELDS", "parse_items"]

#: The item keys read (everything else makes the block fall back to the item-by-item reader).
ITEM_FIELDS = ("reference", "kind", "direction", "basis", "experiment", "finding", "effect", "p_value")

_CONTEXT = pa.struct([(name, pa.int64() if name == "n" else pa.string()) for name in CONTEXT_FIELDS])
_ITEM = pa.struct([*((name, pa.string()) for name in ITEM_FIELDS), ("context", _CONTEXT)])
_SCHEMA = pa.schema([("e", pa.list_(_ITEM))])
_NULL = re.compile(b"null")


def parse_items(cells: pa.Array) -> pa.Table | None:
    """The evidence items of ``cells`` (non-null JSON texts) as columns, one row per item in cell
    and item order: :data:`ITEM_FIELDS`, the context fields (``n`` an int32), ``_cell`` (the
    cell's place in ``cells``) and ``_pos`` (the item's place in its cell). Missing keys are null.

    ``None`` when the block must be read item by item (see the module docstring).
    """
    if len(cells) == 0 or cells.null_count:
        return None
    lines = pc.binary_join_element_wise('{"e":', cells, "}\n", "")
    offsets = string_offsets(lines)
    start, stop = int(offsets[0]), int(offsets[-1])
    text = lines.buffers()[2][start:stop]
    if _NULL.search(memoryview(text)):  # (on the buffer itself: no copy, and faster than Arrow's match_substring)
        return None
    longest = int(np.diff(offsets).max())
    try:
        table = pajson.read_json(
            pa.BufferReader(text),
            read_options=pajson.ReadOptions(block_size=max(1 << 22, 2 * longest)),
            parse_options=pajson.ParseOptions(explicit_schema=_SCHEMA, unexpected_field_behavior="error",
                                              newlines_in_values=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_rows != len(cells):  # a cell that closed the wrapper and opened another object
        return None
    lists = table.column("e").combine_chunks()
    if lists.null_count:
        return None
    parent = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    items = pc.list_flatten(lists)
    if items.null_count:
        return None
    starts = lists.offsets.to_numpy(zero_copy_only=False)
    pos = np.arange(len(parent), dtype=np.int64) - (starts[parent] - starts[0]) if len(parent) else parent
    columns = {name: items.field(name) for name in ITEM_FIELDS}
    context = items.field("context")
    for name in CONTEXT_FIELDS:
        values = context.field(name)
        if context.null_count:
            values = pc.if_else(pc.is_valid(context), values, pa.nulls(len(values), values.type))
        columns[name] = values
    n = columns["n"]
    if pc.any(pc.or_(pc.less(n, -2**31), pc.greater(n, 2**31 - 1))).as_py():
        return None  # an int32 cannot hold it: the item-by-item reader says so
    columns["n"] = n.cast(pa.int32())
    columns["_cell"] = pa.array(parent)
    columns["_pos"] = pa.array(pos)
    return pa.table(columns)
