"""Text built from Arrow string arrays: JSON string literals, element-wise joins, per-row lists,
and writing a whole array of lines from its data buffer (used by :mod:`mtorgraph.io.kgx_columns`)."""

from __future__ import annotations

from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["STRING", "field", "first_distinct", "glue", "join", "json_lists", "lists", "null_where", "quoted",
           "string_offsets", "text", "write_lines"]

_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_CONTROL = "[\x00-\x1f]"
STRING = pa.string()


def text(values: Any) -> pa.Array:
    """One plain string array from an array, chunked array or dictionary column."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if pa.types.is_dictionary(values.type):
        values = values.cast(STRING)
    return values


def quoted(values: pa.Array) -> pa.Array:
    """Each string as a JSON string literal, as ``json.dumps(s, ensure_ascii=False)`` writes it; nulls stay null."""
    text = pc.replace_substring(values, "\\", "\\\\")
    text = pc.replace_substring(text, '"', '\\"')
    if pc.any(pc.match_substring_regex(text, _CONTROL)).as_py():
        for code in range(32):
            char = chr(code)
            text = pc.replace_substring(text, char, _ESCAPES.get(char, f"\\u{code:04x}"))
    return pc.binary_join_element_wise('"', text, '"', "")


def join(parts: list[Any], separator: str) -> pa.Array:
    """Element-wise join of arrays (and scalars), skipping nulls ("" where all are null).

    Not ``null_handling="skip"``: pyarrow 26 drops the rows where every part is null, so each
    part carries its separator in front and the first one is cut off."""
    pieces = [glue(separator, part) for part in parts]
    joined = pc.binary_join_element_wise(*pieces, "", null_handling="replace", null_replacement="")
    return pc.utf8_slice_codeunits(joined, len(separator))


def glue(*parts: Any) -> pa.Array:
    """Element-wise concatenation; null where any part is null."""
    return pc.binary_join_element_wise(*parts, "")


def field(name: str, json_values: pa.Array) -> pa.Array:
    """``"name": value`` where there is a value (``json_values`` already JSON), else null."""
    return glue(f'"{name}": ', json_values)


def null_where(values: pa.Array, mask: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(mask), pa.nulls(len(values), values.type), values)


def lists(offsets: np.ndarray, items: pa.Array, separator: str) -> pa.Array:
    """Per row, the items ``offsets[i]:offsets[i+1]`` joined by ``separator`` ("" for none)."""
    return pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), items), separator)


def json_lists(offsets: np.ndarray, quoted_items: pa.Array) -> pa.Array:
    """Per row, a JSON list of the (already quoted) items, or null when it has none."""
    joined = glue("[", lists(offsets, quoted_items, ", "), "]")
    return null_where(joined, np.diff(offsets) == 0)


def string_offsets(strings: pa.Array) -> np.ndarray:
    """Where each value of a (large) string array starts and ends in its data buffer: ``len + 1``
    offsets, read in place (int32, or int64 for large strings)."""
    width = np.dtype(np.int64 if pa.types.is_large_string(strings.type) else np.int32)
    return np.frombuffer(strings.buffers()[1], width, count=len(strings) + 1, offset=strings.offset * width.itemsize)


def write_lines(out: IO[bytes], lines: pa.Array) -> None:
    """Write a string array of whole lines from its data buffer (no Python string per line)."""
    if len(lines) == 0:
        return
    offsets = string_offsets(lines)
    out.write(memoryview(lines.buffers()[2])[offsets[0]:offsets[-1]])


def first_distinct(group: np.ndarray, values: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the first occurrence of each value within its group (in order), and per-group
    offsets into them: ``dict.fromkeys`` per group, on integer codes."""
    span = int(values.max()) + 1 if len(values) else 1
    _, first = np.unique(group.astype(np.int64) * span + values, return_index=True)
    keep = np.sort(first)
    offsets = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(group[keep], minlength=n_groups), out=offsets[1:])
    return keep, offsets
