"""What ``info`` answers from: the counts stored for exactly the files it names, when there are
some, else the counts of the opened graph, then stored (``io/cache_summary.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .common import GraphHandle

__all__ = ["graph_summary"]


def _one_target(handle: GraphHandle) -> tuple[Path, Any] | None:
    """The one graph ``info`` reads as columns with the cache on, and its format; else ``None``
    (merged graphs, ``MTORGRAPH_ENGINE=objects``, ``--no-cache``, a missing path)."""
    from ..errors import MtorgraphError
    from ..io.compiled import cache_enabled
    from ..io.registry import bundled_graph_path, reader_for
    from .common import engine

    if len(handle.paths) > 1 or not cache_enabled(handle.cache):
        return None
    try:
        if engine() != "columns":
            return None
        target = Path(handle.paths[0]) if handle.paths else bundled_graph_path()
        return (target, reader_for(target)) if target.exists() else None
    except MtorgraphError:
        return None  # opening the graph reports it


def _summary_key(handle: GraphHandle) -> tuple[str | None, str | None]:
    """The key of the handle's stored summary, and for a format kept in the compiled cache by its
    bytes the key of that entry (its summary is used only while the entry is there: graphs whose
    reader warned get no entry, and their ``info`` must warn again). A big file whose key is not
    remembered has none yet: it is hashed while it is opened (:func:`~mtorgraph.io.compiled.cheap_source_key`)."""
    from ..errors import InputError
    from ..io.cache_summary import entry_summary_key, summary_key
    from ..io.compiled import cheap_source_key, input_files
    from ..io.limits import current_limits

    found = _one_target(handle)
    if found is None:
        return None, None
    target, fmt = found
    if fmt.name == "yaml":
        return summary_key(target, current_limits()), None
    if not fmt.keyed:
        return None, None
    try:
        entry = cheap_source_key(input_files(target, fmt.name), current_limits(), fmt.name)
    except (OSError, InputError):
        return None, None  # opening the graph reports it
    return (None, None) if entry is None else (entry_summary_key(entry), entry)


def graph_summary(handle: GraphHandle) -> dict[str, Any]:
    """``summarize`` of the handle's graph: the counts stored for exactly these files when there are
    some (no pyarrow, numpy or model needed), else counted on the opened graph and stored."""
    from ..io.cache_summary import read_summary, write_summary
    from ..io.compiled import cache_dir, entry_intact

    before = key, entry = _summary_key(handle)
    if key is not None and (entry is None or entry_intact(entry)):
        stored = read_summary(cache_dir(), key)
        if stored is not None and stored.get("entities"):  # no entities: opening says why that is refused
            return stored
    from ..analysis.summary import summarize

    summary = summarize(handle.graph)
    # stored only if the files did not change while being read (the key is as before, or a big
    # file's key was found while it was read) and, for a keyed format, the graph is in the cache
    key, entry = _summary_key(handle)
    unchanged = (key, entry) == before or (before[0] is None and entry is not None)
    if key is not None and unchanged and (entry is None or entry_intact(entry)):
        write_summary(cache_dir(), key, summary)
    return summary
