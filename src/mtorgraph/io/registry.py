"""The format registry behind :func:`load_graph` and :func:`write_graph`.

Writer protocol (every format in :data:`WRITERS` follows it):

- a writer is a function ``write(graph, out, beliefs=None) -> None`` that writes the whole graph
  into the open stream ``out`` and returns nothing; it never builds the whole text in memory
  when the graph is large (write as you go, in chunks);
- ``out`` is a text stream (UTF-8, ``newline=""``: write ``\n`` yourself) unless the format is
  registered with ``binary=True``, then a binary stream (write UTF-8 bytes);
- ``graph`` is a :class:`~mtorgraph.model.MechanismGraph` or a
  :class:`~mtorgraph.columnar.ColumnarGraph` (same read API; read columns when it is one);
- ``beliefs`` is computed by the caller (io never imports analysis): ``None`` (write none), a
  ``BeliefColumns`` (``.edges``/``.links`` arrays aligned with edge/link rows, from
  ``mtorgraph.analysis.beliefs.belief_columns``), a mapping from an edge's or link's key to its
  belief, or a callable on the edge or link;
- errors are raised, never printed: :func:`write_graph` opens the target with
  :func:`~mtorgraph.io.atomic.open_atomic`, so a raised error leaves the old file (or nothing),
  never a half-written one;
- register it once here, as ``Format(name, suffixes, module, function, binary=…)``;
  :meth:`Format.text` then gives the text for callers that want a string (small graphs only).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Location, MtorgraphError, Problem
from .atomic import open_atomic
from .files import display_path, refuse

if TYPE_CHECKING:
    from ..columnar import ColumnarGraph
    from ..model import MechanismGraph  # imported where used: listing formats needs no pydantic

__all__ = ["READERS", "RDF_SUFFIXES", "WRITERS", "Format", "bundled_data_path", "bundled_graph_path",
           "is_curated_path", "load_graph", "open_graph", "reader_for", "validate_graph", "write_graph"]


@dataclass(frozen=True)
class Format:
    """A graph file format: its name, file suffixes and the module/functions that handle it.

    Functions are named, not imported, so heavy libraries (rdflib) load only when used. A reader
    names ``function`` (``path -> MechanismGraph``), ``columns`` (``path -> ColumnarGraph``, in
    ``module`` or written ``".other_module:function"``) or both; :func:`open_graph` prefers
    ``columns`` and :func:`load_graph` prefers ``function``, each converting when only the other
    is given.
    """

    name: str
    suffixes: tuple[str, ...]
    module: str
    function: str | None
    columns: str | None = None
    #: Whether the ``columns`` function takes ``cache=`` (it keeps a compiled cache).
    cached: bool = False
    #: Whether :func:`open_graph` keeps what this reader gives in the compiled cache, keyed by the
    #: bytes of the input (:func:`.compiled.open_file_cached`; a read that warned is not kept).
    keyed: bool = False
    #: writers only: the writer takes a binary stream (UTF-8 bytes) instead of a text one.
    binary: bool = False

    def resolve(self) -> Callable[..., object]:
        """Import and return the function that gives a model graph (or writes one)."""
        if self.function is None:
            columns = self.resolve_columns()
            return lambda *args, **kwargs: columns(*args, **kwargs).to_model()  # type: ignore[attr-defined]
        return getattr(import_module(self.module, __package__), self.function)

    def text(self, graph: Any, beliefs: Any = None) -> str:
        """A writer's whole output as text (the convenience for small graphs and the Python API)."""
        import io

        buffer = io.BytesIO() if self.binary else io.StringIO()
        self.resolve()(graph, buffer, beliefs)
        value = buffer.getvalue()
        return value.decode("utf-8") if isinstance(value, bytes) else value

    def resolve_columns(self) -> Callable[..., Any]:
        """Import and return the function that gives a :class:`~mtorgraph.columnar.ColumnarGraph`."""
        if self.columns is None:
            from ..columnar import ColumnarGraph

            model = self.resolve()
            return lambda *args, **kwargs: ColumnarGraph.from_model(model(*args, **kwargs))  # type: ignore[arg-type]
        module, _, function = self.columns.rpartition(":")
        return getattr(import_module(module or self.module, __package__), function)


#: File suffixes of each RDF format, the one table that export and ``--graph`` share. N3 is a
#: superset of Turtle: ``.n3`` files are written as Turtle and read with the Turtle parser.
RDF_SUFFIXES: dict[str, tuple[str, ...]] = {
    "turtle": (".ttl", ".turtle", ".n3"),
    "nt": (".nt", ".ntriples"),
    "jsonld": (".jsonld", ".json-ld"),
    "trig": (".trig",),
    "xml": (".rdf", ".owl", ".xml"),
}

_WRITER_FUNCTIONS = {"turtle": "dump_turtle", "nt": "dump_ntriples", "jsonld": "dump_jsonld", "trig": "dump_trig",
                     "xml": "dump_rdfxml"}
_BINARY_WRITERS = frozenset({"turtle", "nt"})

#: Readers by format name. A directory is always curated YAML.
READERS: dict[str, Format] = {
    "yaml": Format("yaml", (".yaml", ".yml"), ".curated", "load_curated", columns=".compiled:open_curated_columns",
                   cached=True),
    # RDF exports read back into the same graph: N-Triples, Turtle and TriG parsed by pyoxigraph
    # (io/rdf_read.py, which hands anything it cannot map to rdflib), JSON-LD and RDF/XML by rdflib (io/rdf.py)
    **{name: Format(name, suffixes, ".rdf_read" if name in ("nt", "turtle", "trig") else ".rdf",
                    "load_rdf_fast" if name in ("nt", "turtle", "trig") else "load_rdf",
                    columns=".rdf_open:open_rdf_columns" if name in ("nt", "turtle", "trig") else None, keyed=True)
       for name, suffixes in RDF_SUFFIXES.items()},
    # KGX pairs (either file names the graph) and signed interaction tables (io/kgx_read.py, io/signed_table.py)
    "kgx-tsv": Format("kgx-tsv", ("_nodes.tsv", "_edges.tsv"), ".kgx_read", "load_kgx", columns="open_kgx",
                      keyed=True),
    "kgx-jsonl": Format("kgx-jsonl", ("_nodes.jsonl", "_edges.jsonl"), ".kgx_read", "load_kgx", columns="open_kgx",
                        keyed=True),
    "table": Format("table", (".csv", ".tsv"), ".signed_table", "load_signed_table", columns="open_signed_table",
                    keyed=True),
    # the big-graph folder of Parquet tables (io/parquet_graph.py)
    "parquet": Format("parquet", (".mtg",), ".parquet_graph", None, columns="open_parquet_graph", keyed=True),
    # INDRA Statements JSON (io/indra.py); JSON-LD is .jsonld, so .json is INDRA's alone
    "indra": Format("indra", (".json",), ".indra", "load_indra", keyed=True),
}

#: Writers by format name; each writes ``(graph, out, beliefs=None)`` into a stream (see the
#: module docstring for the protocol).
WRITERS: dict[str, Format] = {name: Format(name, suffixes, ".rdf_writers", _WRITER_FUNCTIONS[name],
                                           binary=name in _BINARY_WRITERS)
                              for name, suffixes in RDF_SUFFIXES.items()}
# Formats of several files (a KGX pair, a .mtg folder) write them themselves (``writes_files``).
WRITERS["kgx-tsv"] = Format("kgx-tsv", ("_nodes.tsv", "_edges.tsv"), ".kgx_write", "write_kgx_tsv")
WRITERS["kgx-jsonl"] = Format("kgx-jsonl", ("_nodes.jsonl", "_edges.jsonl"), ".kgx_write", "write_kgx_jsonl")
WRITERS["parquet"] = Format("parquet", (".mtg",), ".parquet_graph", "write_parquet_graph")
WRITERS["indra"] = Format("indra", (".json",), ".indra_write", "write_indra")
WRITERS["graphml"] = Format("graphml", (".graphml",), ".graphml", "write_graphml")
WRITERS["cx2"] = Format("cx2", (".cx2",), ".cx2", "write_cx2")


def bundled_data_path(name: str) -> Path:
    """A folder shipped with the package (``graphs`` or ``ontology``).

    The wheel carries it at ``mtorgraph/data/<name>``; a source checkout has it at the top level.
    """
    here = Path(__file__).resolve().parent.parent
    packaged = here / "data" / name
    if packaged.is_dir():
        return packaged
    return here.parent.parent / name


def bundled_graph_path() -> Path:
    """The curated graph shipped with the package (inside the wheel, or the source tree)."""
    return bundled_data_path("graphs")


def is_curated_path(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` holds curated YAML (a directory or a .yaml file) rather than an RDF export."""
    target = Path(path)
    if target.suffix.lower() in READERS["parquet"].suffixes:
        return False
    return target.is_dir() or target.suffix.lower() in READERS["yaml"].suffixes


def _by_suffix(table: dict[str, Format], path: Path) -> Format | None:
    name = path.name.lower()  # the longest matching ending wins (``_edges.tsv`` before ``.tsv``)
    found = [(len(s), f) for f in table.values() for s in f.suffixes if name.endswith(s)]
    return max(found, key=lambda pair: pair[0])[1] if found else None


def reader_for(path: str | os.PathLike[str]) -> Format:
    """The reader for ``path``: curated YAML for a directory, else the one its suffix names.

    The path is checked first, so a missing file is reported as missing, not as a bad suffix.

    :raises InputError: if the path does not exist or its suffix names no format.
    """
    target = Path(path)
    if not target.exists():
        if target.is_symlink():
            raise refuse(target, "broken-link", f"symbolic link to {os.readlink(target)!r}, which does not exist",
                         "fix or remove the link")
        raise refuse(target, "missing-file", "no such file or directory",
                     "give a graph directory, a curated .yaml file or an RDF export")
    if target.is_dir() and target.suffix.lower() not in READERS["parquet"].suffixes:
        return READERS["yaml"]
    found = _by_suffix(READERS, target)
    if found is None:
        known = ", ".join(s for f in READERS.values() for s in f.suffixes)
        raise refuse(target, "unknown-format", f"cannot tell the format from the suffix {target.suffix!r}",
                     f"use a graph directory or a file ending in one of {known}")
    return found


def load_graph(path: str | os.PathLike[str] | None = None) -> MechanismGraph:
    """Load a graph from a curated directory, a curated YAML file or an RDF file.

    :param path: where to read; ``None`` means the bundled graph.
    :raises MtorgraphError: (a :class:`~mtorgraph.errors.CurationError`) if it does not validate;
        an :class:`~mtorgraph.errors.InputError` if the file is missing, refused or unparseable.
    """
    from ..model import MechanismGraph

    target = Path(path) if path is not None else bundled_graph_path()
    graph = reader_for(target).resolve()(target)
    assert isinstance(graph, MechanismGraph)
    return graph


def open_graph(path: str | os.PathLike[str] | None = None, *, cache: bool = True) -> ColumnarGraph:
    """Open a graph as columns (:class:`~mtorgraph.columnar.ColumnarGraph`), whatever its format.

    Readers that build columns directly are used as such; the others' model graphs are converted.

    :param path: where to read; ``None`` means the bundled graph.
    :param cache: whether the compiled cache (:mod:`.compiled`) may be used: curated YAML is
        compiled, and every other file format is kept keyed by the input's bytes.
    :raises MtorgraphError: as :func:`load_graph` does.
    """
    target = Path(path) if path is not None else bundled_graph_path()
    fmt = reader_for(target)
    if fmt.cached:
        return fmt.resolve_columns()(target, cache=cache)
    if fmt.keyed:
        from .compiled import open_file_cached

        # the reader is imported only when the cache misses (rdflib alone is 90 ms of a warm command)
        return open_file_cached(target, fmt.name, lambda where: fmt.resolve_columns()(where), cache=cache)
    return fmt.resolve_columns()(target)


def validate_graph(path: str | os.PathLike[str] | None = None, *, cache: bool = True) -> list[Problem]:
    """Every problem in the graph at ``path``, whatever its format, sorted by place.

    Curated YAML gives every problem with its ``file:line:col``; an RDF file gives the first
    problem that stops reading it (with the line when the parser names one). An empty list means
    the graph loads.

    :param path: where to read; ``None`` means the bundled graph.
    :param cache: whether the compiled cache (:mod:`.compiled`) may be used; a graph opened from
        it reports the warnings it was stored with.
    """
    target = Path(path) if path is not None else bundled_graph_path()
    try:
        fmt = reader_for(target)
    except InputError as exc:
        return [exc.problem]
    if fmt.name == "yaml":
        from .compiled import open_curated_cached

        return open_curated_cached(target, cache=cache)[1]
    if fmt.name == "parquet":
        try:
            fmt.resolve_columns()(target)
        except InputError as exc:
            return [exc.problem]
        return []
    try:
        fmt.resolve()(target)
    except InputError as exc:
        return [exc.problem]
    except MtorgraphError as exc:
        return [Problem(Location(display_path(target)), "invalid-rdf", str(exc).removeprefix(f"{target}: "),
                        "fix the file, or export it again with `mtorgraph export`")]
    return []


def write_graph(graph: MechanismGraph, path: str | os.PathLike[str], format: str | None = None,
                beliefs: Any = None) -> Path:
    """Write ``graph`` to ``path`` atomically, in ``format`` or the one its suffix names.

    The writer streams into a temporary file that replaces ``path`` only when it finished.

    :param beliefs: each edge's and link's belief (a ``BeliefColumns``, a mapping by key or a
        callable), computed by the caller (e.g. ``mtorgraph.analysis.beliefs.belief_columns(graph)``);
        ``None`` writes none.
    :raises MtorgraphError: if the format is unknown or the file cannot be written.
    """
    target = Path(path)
    fmt = WRITERS.get(format) if format else _by_suffix(WRITERS, target)
    if fmt is None:
        wanted = format or target.suffix
        raise MtorgraphError(f"unknown output format {wanted!r}; choose one of: {', '.join(sorted(WRITERS))}")
    writer = fmt.resolve()
    if getattr(writer, "writes_files", False):  # a format of several files writes them itself, each atomically
        return writer(graph, target, beliefs)  # type: ignore[no-any-return]
    with open_atomic(target, binary=fmt.binary) as out:
        writer(graph, out, beliefs)
    return target
