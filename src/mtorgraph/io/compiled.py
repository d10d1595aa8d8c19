"""The compiled cache: a curated graph that validated cleanly, kept as Arrow IPC files.

The key is a hash of every source file (its shown name and bytes), the column layout version
(:data:`~mtorgraph.columnar.version.SCHEMA_VERSION`), the package version and the input limits, so
any edit, upgrade or limit change misses the cache. An entry is a folder ``<key>/`` with one
uncompressed Arrow IPC file per table (opened memory-mapped: the operating system pages in what
a command touches) and ``graph.json`` (title, questions, claims, open questions, the warnings the
graph validated with, and the sizes of the table files).

Where: ``$MTORGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/mtorgraph``, else ``~/.cache/mtorgraph``.
``MTORGRAPH_NO_CACHE=1`` (or the ``--no-cache`` option) turns it off. Entries are written into a
temporary folder and renamed into place, so a reader sees a whole entry or none; an entry that
does not read back (corrupt, cut short, from another layout) is ignored and written again; a
cache folder that cannot be written just means no cache.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from collections.abc import Generator, Iterator
from typing import Any

from ..errors import CurationError, InputError, Location, Problem
from .files import display_path, read_input_bytes
from .limits import Limits, current_limits

__all__ = ["NO_CACHE_VARIABLE", "cache_dir", "cache_enabled", "clear_cache", "input_files", "open_curated_cached",
           "cheap_source_key", "known_source_key", "open_file_cached", "source_key"]

NO_CACHE_VARIABLE = "MTORGRAPH_NO_CACHE"
_META = "graph.json"
_DERIVED = "derived"  # an entry's folder of derived arrays (io/derived_store.py)
#: Part of every key: "/2" since entries hold one record batch per table (older ones kept the
#: input's chunks, e.g. Parquet row groups, which made every ``take`` concatenate the table first).
_FORMAT = "mtorgraph-compiled/2"
#: Inputs at least this big are hashed while the reader parses them, not before (a first open
#: then reads them once; hashing 64 MB beforehand costs about 20 ms).
HASH_WHILE_READING_BYTES = 64 * 2**20


def cache_dir() -> Path:
    """The folder compiled graphs are kept in (it need not exist)."""
    explicit = os.environ.get("MTORGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "mtorgraph"


def cache_enabled(requested: bool = True) -> bool:
    """Whether to use the cache: ``requested`` (False for ``--no-cache``) and no ``MTORGRAPH_NO_CACHE``."""
    flag = os.environ.get(NO_CACHE_VARIABLE, "").strip().lower()
    return requested and flag in ("", "0", "no", "false")


def _version() -> str:
    from .. import __version__

    return str(__version__)


def _key_salt(files: list[Path], limits: Limits, reader: str) -> tuple[str, str]:
    """What a key hashes before the bytes, and what it is remembered under beside the status."""
    from ..columnar.version import SCHEMA_VERSION

    salt = "" if reader == "yaml" else f"{reader}\0"  # curated keys stay as they were
    prefix = f"{_FORMAT}\0{SCHEMA_VERSION}\0{_version()}\0{limits!r}\0{salt}"
    return prefix, "\0".join([prefix, *map(display_path, files)])


def source_key(files: list[Path], limits: Limits, reader: str = "yaml") -> str:
    """The cache key of a graph read from ``files`` by ``reader`` (a format name): it changes with
    any byte of any of them (hashed once, then found by the files' status: :mod:`.stat_keys`).

    :raises InputError: if a file is refused (not a regular file, too large); then no cache.
    """
    from .background_key import run_to_end
    from .stat_keys import remembered_key

    prefix, remembered_as = _key_salt(files, limits, reader)

    def content_key() -> str:
        if reader != "yaml":
            return run_to_end(_file_key_steps(files, prefix))
        digest = _content_digest()
        digest.update(prefix.encode())
        for file in files:
            data = read_input_bytes(file, limits)  # refuses FIFOs, devices and oversized files unopened
            digest.update(f"{display_path(file)}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
            digest.update(data)
        return digest.hexdigest()[:40]
    # the files' bytes are hashed once; later commands find the key by the files' status
    return remembered_key(cache_dir(), files, remembered_as, content_key)


def _file_key_steps(files: list[Path], prefix: str) -> Generator[None, None, str]:
    """The key of files a non-curated reader reads, hashed one 16 MB chunk per step."""
    digest = _content_digest()
    digest.update(prefix.encode())
    for file in files:
        yield from _hash_stream(digest, file)
    return str(digest.hexdigest()[:40])


def known_source_key(files: list[Path], limits: Limits, reader: str) -> str | None:
    """The key :func:`source_key` gives, if it is remembered for the files' present status (no
    byte is read); else ``None``."""
    from .stat_keys import known_key

    return known_key(cache_dir(), files, _key_salt(files, limits, reader)[1])


def _content_digest() -> Any:
    """A BLAKE3 hasher: a 7 GB input's first key takes 2.5 s here, where SHA-256 (in hardware)
    took 6.7 s, and the key stays a cryptographic hash of the bytes. One thread: on every core it
    was 2.1 s (reading the file is most of it), and a thread pool would not survive a fork."""
    import blake3

    return blake3.blake3(max_threads=1)


def _hash_stream(digest: Any, file: Path) -> Iterator[None]:
    """Hash a regular file's name, size and bytes, one 16 MB chunk per step (big inputs are never
    held whole; the reader applies the input limits itself).

    :raises OSError: if it is not a regular file (then no cache: the reader reports it).
    """
    import stat

    if not stat.S_ISREG(os.stat(file).st_mode):  # never open a FIFO or device (it may block)
        raise OSError(f"{file}: not a regular file")
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with open(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{file}: not a regular file")
        digest.update(f"{display_path(file)}\0{info.st_size}\0".encode("utf-8", "surrogateescape"))
        buffer = bytearray(1 << 24)
        view = memoryview(buffer)
        while got := handle.readinto(buffer):
            digest.update(view[:got])
            yield


def _entry_meta(folder: Path, key: str) -> dict[str, Any] | None:
    """The entry's metadata if it is of this format, key and version and every table file has the
    size it was written with; otherwise None."""
    from ..columnar.version import SCHEMA_VERSION, TABLE_NAMES

    try:
        meta = json.loads((folder / _META).read_text(encoding="utf-8"))
        if (meta.get("format"), meta.get("key"), meta.get("schema_version"), meta.get("version")) != (
                _FORMAT, key, SCHEMA_VERSION, _version()):
            return None
        if any((folder / f"{name}.arrow").stat().st_size != meta["sizes"][name] for name in TABLE_NAMES):
            return None
        return meta
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def entry_intact(key: str) -> bool:
    """Whether the cache holds a whole entry ``key`` (its metadata and files; nothing is loaded)."""
    return _entry_meta(cache_dir() / key, key) is not None


def _read_entry(folder: Path, key: str) -> tuple[Any, list[Problem]] | None:
    import pyarrow as pa  # here, not at the top: the key and the cache folder need no pyarrow

    from ..columnar import ColumnarGraph
    from ..columnar.checks import table_problems
    from ..columnar.schema import SCHEMAS
    from ..model import Claim, OpenQuestion, Question

    try:
        meta = _entry_meta(folder, key)
        if meta is None:
            return None
        tables = {name: pa.ipc.open_file(pa.memory_map(str(folder / f"{name}.arrow"), "r")).read_all()
                  for name in SCHEMAS}
        if table_problems(tables):
            return None
        graph = ColumnarGraph(tables, title=meta["title"],
                              questions=tuple(Question.model_validate(q) for q in meta["questions"]),
                              claims=tuple(Claim.model_validate(c) for c in meta["claims"]),
                              open_questions=tuple(OpenQuestion.model_validate(q) for q in meta["open_questions"]))
        problems = [Problem(Location(*p["location"]), p["code"], p["message"], p["hint"], severity=p["severity"])
                    for p in meta["problems"]]
        _attach_store(graph, folder)
        return graph, problems
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None


def _attach_store(graph: Any, entry: Path) -> None:
    """Give ``graph`` the store of what is derived from it, kept in its entry's ``derived/``."""
    from .derived_store import DerivedStore

    graph.derived_store = DerivedStore(entry / _DERIVED)


def _write_entry(root: Path, key: str, graph: Any, problems: list[Problem]) -> bool:
    """Store ``graph`` as the entry ``key``; whether it was written."""
    import pyarrow as pa

    from ..columnar.schema import SCHEMA_VERSION
    from .folder_install import install_folder

    tmp: Path | None = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=root))
        sizes = {}
        for name, table in graph.tables.items():
            path = tmp / f"{name}.arrow"
            with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table.combine_chunks())  # one batch: see _FORMAT
            sizes[name] = path.stat().st_size
        meta = {"format": _FORMAT, "key": key, "schema_version": SCHEMA_VERSION, "version": _version(),
                "title": graph.title, "sizes": sizes,
                "questions": [q.model_dump() for q in graph.questions],
                "claims": [c.model_dump() for c in graph.claims],
                "open_questions": [q.model_dump() for q in graph.open_questions],
                "problems": [{"location": [p.location.file, p.location.line, p.location.column], "code": p.code,
                              "message": p.message, "hint": p.hint, "severity": p.severity} for p in problems]}
        (tmp / _META).write_text(json.dumps(meta), encoding="utf-8")
        installed = install_folder(tmp, root / key, lambda folder: _entry_meta(folder, key) is not None)
        tmp = None
        return installed
    except OSError:
        return False  # an unwritable cache is no cache
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _build(root: Path, limits: Limits) -> tuple[Any | None, list[Problem], list[Path]]:
    from ..columnar import ColumnarGraph
    from .curated import _load
    from .curated_fast import read_fast

    fast = read_fast(root, limits)
    if fast.graph is not None:
        return fast.graph, [], fast.files
    model, problems = _load(root, limits)
    return (ColumnarGraph.from_model(model) if model is not None else None), problems, fast.files


def open_curated_cached(path: str | os.PathLike[str], *, cache: bool = True,
                        limits: Limits | None = None) -> tuple[Any | None, list[Problem]]:
    """The curated graph at ``path`` as columns, and every problem it has (warnings alone, or errors).

    A graph is ``None`` when there are errors. With the cache on, a graph that validated without
    errors is stored and later opened from the store, with the warnings it had.
    """
    from .curated_files import _graph_files

    root = Path(path)
    limits = limits or current_limits()
    use = cache_enabled(cache)
    key = None
    if use:
        listing: list[Problem] = []
        files = _graph_files(root, listing)
        try:
            key = source_key(files, limits) if files and not any(p.severity == "error" for p in listing) else None
        except (OSError, InputError):
            key = None  # the reader below reports the problem
        if key is not None:
            hit = _read_entry(cache_dir() / key, key)
            if hit is not None:
                return hit
    graph, problems, _ = _build(root, limits)
    problems = sorted(problems)
    if graph is not None and key is not None and _write_entry(cache_dir(), key, graph, problems):
        _attach_store(graph, cache_dir() / key)
    return graph, problems


def open_curated_columns(path: str | os.PathLike[str], *, cache: bool = True) -> Any:
    """The curated graph at ``path`` as a :class:`~mtorgraph.columnar.ColumnarGraph` (cached).

    :raises CurationError: carrying every problem, if any is an error.
    """
    graph, problems = open_curated_cached(path, cache=cache)
    if graph is None:
        raise CurationError(problems)
    return graph


def input_files(path: Path, reader: str) -> list[Path]:
    """The files a non-curated reader reads for ``path``: the folder's files for a ``.mtg`` graph,
    both files of a KGX pair, else the file itself."""
    if reader == "parquet":
        return sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    if reader in ("kgx-tsv", "kgx-jsonl"):
        from .kgx_write import kgx_format_of, kgx_pair

        fmt = kgx_format_of(path)
        if fmt is not None:
            return [p for p in kgx_pair(path, fmt) if p.exists()]
    return [path]


def cheap_source_key(files: list[Path], limits: Limits, reader: str) -> str | None:
    """The key :func:`source_key` gives, unless that means hashing :data:`HASH_WHILE_READING_BYTES`
    or more (then ``None``, unless the key is remembered for the files' present status).

    :raises OSError, InputError: as :func:`source_key`.
    """
    known = known_source_key(files, limits, reader)
    if known is not None or sum(os.path.getsize(f) for f in files) >= HASH_WHILE_READING_BYTES:
        return known
    return source_key(files, limits, reader)


def open_file_cached(path: str | os.PathLike[str], reader: str, read: Any, *, cache: bool = True,
                     limits: Limits | None = None) -> Any:
    """The graph ``read(path)`` gives (a ``ColumnarGraph``), through the compiled cache: keyed by
    the bytes of the files it reads (:func:`input_files`) and the reader, so the next command on
    the same, unchanged input maps the stored tables instead of parsing it. Inputs that do not read
    are not stored; their error is the reader's, raised as without a cache. Nor are graphs whose
    reader warned (an INDRA file with statements left out): a cached open would not warn again,
    nor graphs whose files changed while they were read.

    Files of :data:`HASH_WHILE_READING_BYTES` or more whose key is not remembered are hashed while
    they are parsed (:mod:`.background_key`), smaller ones before.
    """
    from .stat_keys import status_signature

    target = Path(path)
    limits = limits or current_limits()
    key = later = status = None
    if cache_enabled(cache):
        try:
            files = input_files(target, reader)
            status = status_signature(files)
            key = cheap_source_key(files, limits, reader)
            if key is None:
                later = _KeyInBackground(files, limits, reader)
        except (OSError, InputError):
            key = None  # the reader reports the problem
        if key is not None:
            hit = _read_entry(cache_dir() / key, key)
            if hit is not None:
                return hit[0]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            graph = read(target)
    except BaseException:
        if later is not None:
            later.cancel()
        raise
    for warning in caught:  # said again by whoever shows warnings; a graph that warned is not stored
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    if later is not None and caught:
        later.cancel()  # a graph that warned is not stored: its key is not needed
    elif later is not None:
        key = later.result()
    if key is None or caught or status is None or status_signature(files) != status:
        return graph
    # (a file rewritten with the same bytes, its key not remembered, finds its entry there)
    if _entry_meta(cache_dir() / key, key) is not None or _write_entry(cache_dir(), key, graph, []):
        _attach_store(graph, cache_dir() / key)
    return graph


class _KeyInBackground:
    """:func:`source_key` of big files, hashed on a background thread while they are read, then
    remembered under the files' status as it was before hashing began."""

    def __init__(self, files: list[Path], limits: Limits, reader: str):
        from .background_key import BackgroundKey
        from .stat_keys import key_place

        prefix, remembered_as = _key_salt(files, limits, reader)
        self._place = key_place(cache_dir(), files, remembered_as)
        self._hashing = BackgroundKey(_file_key_steps(files, prefix))

    def result(self) -> str | None:
        from .stat_keys import remember

        key = self._hashing.result()
        if key is not None and self._place is not None:
            remember(self._place, key)
        return key

    def cancel(self) -> None:
        self._hashing.cancel()


def clear_cache() -> int:
    """Remove every compiled graph from :func:`cache_dir`; the number of entries removed."""
    folder = cache_dir()
    removed = 0
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
    return removed
