"""Reading delimited tables and JSON Lines safely and fast, into Arrow tables of strings.

Shared by the KGX and signed-table readers. The bytes are read through
:func:`mtorgraph.io.files.read_input_bytes` (regular files only, size limit), then refused fast
when they are binary (a NUL byte), hold a line longer than the scalar limit, or are not UTF-8 —
each with the line it happens on. TSV/CSV goes through ``pyarrow.csv`` with every column a string
(an empty cell is null), JSON Lines through ``pyarrow.json`` with a declared schema, falling back
to a line-by-line reader that names the line of a bad record.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from .files import read_input_bytes, refuse
from .limits import ENVIRONMENT, Limits, current_limits

__all__ = ["checked_bytes", "line_of_offset", "read_delimited", "read_json_lines", "record_lines"]


def line_of_offset(data: bytes, offset: int) -> int:
    """The 1-based line number of byte ``offset``."""
    return data.count(b"\n", 0, offset) + 1


def record_lines(data: bytes, header: bool, rows: list[int] | None = None) -> list[int]:
    """The 1-based file line of each record (every non-blank line, after the header line if
    ``header``), or of the records ``rows`` only (sorted; the file is read only as far as needed)."""
    wanted = None if rows is None else max(rows, default=-1) + 1 + int(header)
    lines: list[int] = []
    start, number = 0, 0
    while start <= len(data) and (wanted is None or len(lines) < wanted):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        number += 1
        if data[start:end].strip():
            lines.append(number)
        start = end + 1
    lines = lines[1:] if header else lines
    return lines if rows is None else [lines[i] for i in rows]


def checked_bytes(path: str | os.PathLike[str], what: str, limits: Limits | None = None) -> bytes:
    """The bytes of ``path``, refused if binary, if a line is too long, or if not UTF-8.

    :param what: what the file should be, for hints (``a KGX edges file``).
    :raises InputError: naming the file, the line and what to do.
    """
    limits = limits or current_limits()
    data = read_input_bytes(path, limits, "max_table_bytes")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise refuse(path, "binary-file", f"holds a NUL byte (offset {nul}): this is a binary file, not text",
                     f"give {what} (UTF-8 text)", line_of_offset(data, nul))
    if len(data) > limits.max_scalar_chars and _may_have_long_line(data, limits.max_scalar_chars):
        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
        bounds = np.concatenate(([-1], ends, [len(data)]))
        lengths = np.diff(bounds) - 1
        longest = int(np.argmax(lengths))
        if lengths[longest] > limits.max_scalar_chars:
            raise refuse(path, "line-too-long",
                         f"line {longest + 1} is {int(lengths[longest]):,} bytes long, more than the limit of "
                         f"{limits.max_scalar_chars:,}", f"check the file is {what}; or raise the limit with "
                         f"{ENVIRONMENT['max_scalar_chars']}", longest + 1)
    if not _is_utf8(data):
        _refuse_not_utf8(path, data)
    return data


def _may_have_long_line(data: bytes, limit: int) -> bool:
    """Whether some line may be longer than ``limit`` bytes: a line that long covers a whole aligned
    piece of ``limit // 2`` bytes, so only a piece without a newline can be part of one."""
    piece = max(1, limit // 2)
    return any(data.find(b"\n", start, start + piece) < 0 for start in range(0, len(data) - piece + 1, piece))


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 (checked by Arrow, without decoding it into a Python string)."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _refuse_not_utf8(path: str | os.PathLike[str], data: bytes) -> None:
    """Refuse ``data``, naming the offset and line of its first byte that is not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    step = 1 << 22  # in pieces, so checking a large file does not hold a second copy of it as text
    for start in range(0, len(data) + 1, step):
        try:
            decoder.decode(view[start:start + step], final=start + step >= len(data))
        except UnicodeDecodeError as exc:
            offset = max(0, start - 3) + exc.start if start else exc.start
            offset = next((o for o in range(max(0, offset - 4), min(len(data), offset + 4)) if data[o] >= 0x80), offset)
            raise refuse(path, "not-utf8", f"byte 0x{data[offset]:02x} at offset {offset} is not UTF-8 text",
                         "save the file as UTF-8", line_of_offset(data, offset)) from None


def read_delimited(path: Path, data: bytes, delimiter: str, required: Sequence[str], what: str,
                   wanted: Sequence[str] | None = None) -> pa.Table:
    """A TSV/CSV file's rows as a table of strings (empty cells null), header on line 1.

    :param required: columns the header must name.
    :param wanted: the columns to keep (those the header names; every row is still checked for its
        number of cells); ``None`` keeps all.
    :raises InputError: for an empty file, a missing column, or a row with the wrong number of cells.
    """
    end = data.find(b"\n")
    first_line = data[:len(data) if end < 0 else end].decode("utf-8").rstrip("\r")
    if not first_line.strip():
        raise refuse(path, "no-header", "the first line is empty: there is no header line",
                     f"{what} starts with a header line naming its columns", 1)
    header = [c.strip() for c in first_line.split(delimiter)]
    missing = [c for c in required if c not in header]
    if missing:
        shown = ", ".join(repr(c) for c in header[:8]) + (", …" if len(header) > 8 else "")
        sep = "tab" if delimiter == "\t" else repr(delimiter)
        raise refuse(path, "wrong-header", f"the header has no {', '.join(repr(m) for m in missing)} column "
                     f"(it names {shown})", f"{what} needs the columns {', '.join(required)}, separated by {sep}", 1)
    if len(set(header)) != len(header):
        dup = next(c for c in header if header.count(c) > 1)
        raise refuse(path, "wrong-header", f"the header names column {dup!r} twice", "name each column once", 1)
    bad: list[Any] = []

    def on_bad_row(row: Any) -> str:
        bad.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char=False if delimiter == "\t" else '"',
                                              newlines_in_values=False, invalid_row_handler=on_bad_row),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in header},
                                                 strings_can_be_null=True, null_values=[""],
                                                 include_columns=[c for c in header if wanted is None or c in wanted]))
    except pa.ArrowInvalid as exc:
        raise refuse(path, "unreadable-table", f"cannot be read as a table: {str(exc).splitlines()[0]}",
                     f"check that it is {what}") from None
    if bad:
        row = bad[0]
        text = (row.text or "")[:80]
        at = data.find(row.text.encode("utf-8")) if row.text else -1
        line = line_of_offset(data, at) if at >= 0 else 0
        raise refuse(path, "wrong-cell-count", f"a row has {row.actual_columns} cells where the header has "
                     f"{row.expected_columns}: {text!r}", "every row needs one cell per header column "
                     "(check for a missing or extra separator)", line)
    return table


def read_json_lines(path: Path, data: bytes, schema: pa.Schema, required: Sequence[str], what: str) -> pa.Table:
    """JSON Lines records as a table with ``schema`` (other fields ignored).

    Tries ``pyarrow.json`` first; when it cannot read the file as declared (a list where a string
    is declared, a bad line), reads line by line, turning lists in string fields into ``|``-joined
    text and single strings in list fields into one-item lists, and naming the first bad line.

    :raises InputError: for a line that is not a JSON object or lacks a required field.
    """
    import pyarrow.json as pajson

    try:
        table = pajson.read_json(pa.BufferReader(data), parse_options=pajson.ParseOptions(
            explicit_schema=schema, unexpected_field_behavior="ignore", newlines_in_values=False))
        if all(table.column(c).null_count == 0 for c in required):
            return table
    except pa.ArrowInvalid:
        pass
    return _json_lines_slowly(path, data, schema, required, what)


def _json_lines_slowly(path: Path, data: bytes, schema: pa.Schema, required: Sequence[str], what: str) -> pa.Table:
    columns: dict[str, list[Any]] = {f.name: [] for f in schema}
    lists = {f.name for f in schema if pa.types.is_list(f.type)}
    bools = {f.name for f in schema if pa.types.is_boolean(f.type)}
    for number, line in enumerate(data.decode("utf-8").split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise refuse(path, "bad-json", f"line {number} is not JSON ({exc.msg}, column {exc.colno})",
                         f"each line of {what} is one JSON object", number, exc.colno) from None
        if not isinstance(record, dict):
            raise refuse(path, "bad-json", f"line {number} is a JSON {type(record).__name__}, not an object",
                         f"each line of {what} is one JSON object", number)
        for name in required:
            if not isinstance(record.get(name), str) or not record[name]:
                raise refuse(path, "missing-field", f"line {number} has no {name!r} (a non-empty string)",
                             f"every record of {what} needs {', '.join(required)}", number)
        for name, out in columns.items():
            out.append(_coerce(record.get(name), name in lists, name in bools))
    return pa.Table.from_pydict(columns, schema=schema)


def _coerce(value: Any, is_list: bool, is_bool: bool) -> Any:
    if value is None:
        return None
    if is_bool:
        return value if isinstance(value, bool) else str(value).strip().lower() in ("true", "1", "yes")
    if is_list:
        items = value if isinstance(value, list) else [value]
        return [v if isinstance(v, str) else json.dumps(v) for v in items if v is not None]
    if isinstance(value, list):
        return "|".join(v if isinstance(v, str) else json.dumps(v) for v in value)
    return value if isinstance(value, str) else json.dumps(value)

