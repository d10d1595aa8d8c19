"""The format registry behind :func:`load_graph` and :func:`write_graph`."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Location, MtorgraphError, Problem
from ..model import MechanismGraph
from .atomic import write_text_atomic
from .files import display_path, refuse

if TYPE_CHECKING:
    from ..columnar import ColumnarGraph

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

    def resolve(self) -> Callable[..., object]:
        """Import and return the function that gives a model graph (or writes one)."""
        if self.function is None:
            columns = self.resolve_columns()
            return lambda *args, **kwargs: columns(*args, **kwargs).to_model()  # type: ignore[attr-defined]
        return getattr(import_module(self.module, __package__), self.function)

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

_WRITER_FUNCTIONS = {"turtle": "to_turtle", "nt": "to_ntriples", "jsonld": "to_jsonld", "trig": "to_trig",
                     "xml": "to_rdfxml"}

#: Readers by format name. A directory is always curated YAML.
READERS: dict[str, Format] = {
    "yaml": Format("yaml", (".yaml", ".yml"), ".curated", "load_curated", columns=".compiled:open_curated_columns",
                   cached=True),
    # RDF exports read back into the same graph (io/rdf.py)
    **{name: Format(name, suffixes, ".rdf", "load_rdf") for name, suffixes in RDF_SUFFIXES.items()},
    # the big-graph folder of Parquet tables (io/parquet_graph.py)
    "parquet": Format("parquet", (".mtg",), ".parquet_graph", None, columns="open_parquet_graph"),
}

#: Writers by format name; each takes ``(graph, beliefs=None)`` and returns the text to write.
WRITERS: dict[str, Format] = {name: Format(name, suffixes, ".rdf", _WRITER_FUNCTIONS[name])
                              for name, suffixes in RDF_SUFFIXES.items()}
#: Writes a folder itself: ``(graph, path, beliefs)`` (see :func:`write_graph`).
WRITERS["parquet"] = Format("parquet", (".mtg",), ".parquet_graph", "write_parquet_graph")


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
    suffix = path.suffix.lower()
    return next((f for f in table.values() if suffix in f.suffixes), None)


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
    target = Path(path) if path is not None else bundled_graph_path()
    graph = reader_for(target).resolve()(target)
    assert isinstance(graph, MechanismGraph)
    return graph


def open_graph(path: str | os.PathLike[str] | None = None, *, cache: bool = True) -> ColumnarGraph:
    """Open a graph as columns (:class:`~mtorgraph.columnar.ColumnarGraph`), whatever its format.

    Readers that build columns directly are used as such; the others' model graphs are converted.

    :param path: where to read; ``None`` means the bundled graph.
    :param cache: whether the compiled cache (:mod:`.compiled`) may be used.
    :raises MtorgraphError: as :func:`load_graph` does.
    """
    target = Path(path) if path is not None else bundled_graph_path()
    fmt = reader_for(target)
    if fmt.cached:
        return fmt.resolve_columns()(target, cache=cache)
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
    from .rdf import load_rdf

    try:
        load_rdf(target)
    except InputError as exc:
        return [exc.problem]
    except MtorgraphError as exc:
        return [Problem(Location(display_path(target)), "invalid-rdf", str(exc).removeprefix(f"{target}: "),
                        "fix the file, or export it again with `mtorgraph export`")]
    return []


def write_graph(graph: MechanismGraph, path: str | os.PathLike[str], format: str | None = None,
                beliefs: Any = None) -> Path:
    """Write ``graph`` to ``path`` atomically, in ``format`` or the one its suffix names.

    :param beliefs: each edge's and link's belief, by key or as a callable, computed by the caller
        (e.g. ``mtorgraph.analysis.scoring.edge_beliefs(graph)``); ``None`` writes none.
    :raises MtorgraphError: if the format is unknown or the file cannot be written.
    """
    target = Path(path)
    fmt = WRITERS.get(format) if format else _by_suffix(WRITERS, target)
    if fmt is None:
        wanted = format or target.suffix
        raise MtorgraphError(f"unknown output format {wanted!r}; choose one of: {', '.join(sorted(WRITERS))}")
    if fmt.name == "parquet":
        fmt.resolve()(graph, target, beliefs)
        return target
    text = fmt.resolve()(graph, beliefs)
    assert isinstance(text, str)
    write_text_atomic(target, text)
    return target
