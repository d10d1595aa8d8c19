"""What ``mtorgraph info`` prints about a graph, kept so a later ``info`` need not open it.

Opening even a compiled graph costs pyarrow, numpy and the model classes (pydantic): most of a
second of start-up, against a few milliseconds for the counts themselves. So the first ``info``
on a graph stores its counts (the dict :func:`mtorgraph.analysis.summary.summarize` gives) as
``.summaries/<key>.json`` in the compiled cache folder, and later ones read them back.

The key is a hash of every source file (its shown name and bytes, listed the way the curated
reader lists them), the package version, the input limits, and the code that counts
(``analysis/summary.py``), so any edit, upgrade or limit change misses it. A stored summary is
written only for a graph that opened without errors; one that does not read back (corrupt, cut
short, another shape) is ignored and written again. This module imports nothing heavy: computing
the key and reading a summary cost the bytes of the files and one small JSON file.

A graph of another format, kept in the compiled cache by its input's bytes, has the summary key
:func:`entry_summary_key` of its compiled entry; the caller uses it only while that entry is whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..errors import InputError
from .limits import Limits

__all__ = ["entry_summary_key", "read_summary", "summary_key", "write_summary"]

_FORMAT = "mtorgraph-info-summary"
_FOLDER = ".summaries"  # a dot folder, as the compiled cache's temporary ones: not an entry


def _counting_code() -> bytes:
    """The source of the module that makes the counts, so a change to it misses old summaries."""
    source = Path(__file__).resolve().parent.parent / "analysis" / "summary.py"
    try:
        return source.read_bytes()
    except OSError:
        return b""


def summary_key(root: Path, limits: Limits) -> str | None:
    """The key of the curated graph at ``root`` (a directory or ``.yaml`` file), or ``None`` when
    listing or reading its files reports an error (then only opening the graph says what it is)."""
    from .. import __version__
    from .curated_files import _graph_files
    from .compiled import cache_dir
    from .files import display_path, read_input_bytes
    from .stat_keys import remembered_key

    listing: list[Any] = []
    files = _graph_files(root, listing)
    if not files or any(p.severity == "error" for p in listing):
        return None
    prefix = f"{_FORMAT}\0{__version__}\0{limits!r}\0".encode()
    code = hashlib.blake2b(_counting_code(), digest_size=20).digest()

    def content_key() -> str:
        digest = hashlib.blake2b(digest_size=20)
        digest.update(prefix)
        digest.update(code)
        for file in files:
            data = read_input_bytes(file, limits)  # refuses FIFOs, devices and oversized files unopened
            digest.update(f"{display_path(file)}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
            digest.update(data)
        return digest.hexdigest()
    try:
        return remembered_key(cache_dir(), files, "\0".join([prefix.hex(), code.hex(), "summary",
                                                          *map(display_path, files)]), content_key)
    except (OSError, InputError):
        return None


def entry_summary_key(entry_key: str) -> str:
    """The summary key of a graph kept in the compiled cache by its input's bytes (KGX, RDF,
    ``.mtg`` …): that entry's key (it covers the bytes, reader, version and limits) and the
    counting code."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{_FORMAT}\0entry\0{entry_key}\0".encode())
    digest.update(_counting_code())
    return digest.hexdigest()


def _path(folder: Path, key: str) -> Path:
    return folder / _FOLDER / f"{key}.json"


def _is_counts(value: Any) -> bool:
    """An int, or a dict of words to ints: the only values a summary holds (bools are not counts)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and type(n) is int for k, n in value.items())
    return type(value) is int


def read_summary(folder: Path, key: str) -> dict[str, Any] | None:
    """The summary stored under ``key`` in the cache ``folder``, or ``None`` if there is none that
    reads back whole (missing, corrupt, for another key, or holding anything but counts)."""
    try:
        stored = json.loads(_path(folder, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or (stored.get("format"), stored.get("key")) != (_FORMAT, key):
        return None
    summary = stored.get("summary")
    if not isinstance(summary, dict) or not summary or not all(_is_counts(v) for v in summary.values()):
        return None
    return summary


def write_summary(folder: Path, key: str, summary: dict[str, Any]) -> None:
    """Store ``summary`` under ``key`` in the cache ``folder`` (atomically; a folder that cannot be
    written just means no stored summary)."""
    target = _path(folder, key)
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"format": _FORMAT, "key": key, "summary": summary}, out)
        os.replace(tmp, target)
        tmp = None
    except OSError:
        pass  # an unwritable cache is no cache
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
