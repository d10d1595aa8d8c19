"""The format registry behind :func:`load_graph` and :func:`write_graph`."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, MtorgraphError, Problem
from ..model import MechanismGraph
from .atomic import write_text_atomic
from .files import display_path, refuse

__all__ = ["READERS", "RDF_SUFFIXES", "WRITERS", "Format", "bundled_data_path", "bundled_graph_path",
           "is_curated_path", "load_graph", "reader_for", "validate_graph", "write_graph"]


@dataclass(frozen=True)
class Format:
    """A graph file format: its name, file suffixes and the module/function that handle it.

    Functions are named, not imported, so heavy libraries (rdflib) load only when used.
    """

    name: str
    suffixes: tuple[str, ...]
    module: str
    function: str

    def resolve(self) -> Callable[..., object]:
        """Import and return the handling function."""
        return getattr(import_module(self.module, __package__), self.function)


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
    "yaml": Format("yaml", (".yaml", ".yml"), ".curated", "load_curated"),
    # RDF exports read back into the same graph (io/rdf.py)
    **{name: Format(name, suffixes, ".rdf", "load_rdf") for name, suffixes in RDF_SUFFIXES.items()},
    # INDRA Statements JSON (io/indra.py); JSON-LD is .jsonld, so .json is INDRA's alone
    "indra": Format("indra", (".json",), ".indra", "load_indra"),
}

#: Writers by format name; each takes ``(graph, beliefs=None)`` and returns the text to write.
WRITERS: dict[str, Format] = {name: Format(name, suffixes, ".rdf", _WRITER_FUNCTIONS[name])
                              for name, suffixes in RDF_SUFFIXES.items()}
WRITERS["indra"] = Format("indra", (".json",), ".indra", "to_indra")  # io/indra.py (write_indra streams)
WRITERS["graphml"] = Format("graphml", (".graphml",), ".graphml", "to_graphml")  # io/graphml.py (write_graphml)
WRITERS["cx2"] = Format("cx2", (".cx2",), ".cx2", "to_cx2")  # io/cx2.py (write_cx2)


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
    if target.is_dir():
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


def validate_graph(path: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every problem in the graph at ``path``, whatever its format, sorted by place.

    Curated YAML gives every problem with its ``file:line:col``; an RDF file gives the first
    problem that stops reading it (with the line when the parser names one). An empty list means
    the graph loads.

    :param path: where to read; ``None`` means the bundled graph.
    """
    target = Path(path) if path is not None else bundled_graph_path()
    try:
        fmt = reader_for(target)
    except InputError as exc:
        return [exc.problem]
    if fmt.name == "yaml":
        from .curated import validate_curated

        return validate_curated(target)
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

    :param beliefs: each edge's and link's belief, by key or as a callable, computed by the caller
        (e.g. ``mtorgraph.analysis.scoring.edge_beliefs(graph)``); ``None`` writes none.
    :raises MtorgraphError: if the format is unknown or the file cannot be written.
    """
    target = Path(path)
    fmt = WRITERS.get(format) if format else _by_suffix(WRITERS, target)
    if fmt is None:
        wanted = format or target.suffix
        raise MtorgraphError(f"unknown output format {wanted!r}; choose one of: {', '.join(sorted(WRITERS))}")
    text = fmt.resolve()(graph, beliefs)
    assert isinstance(text, str)
    write_text_atomic(target, text)
    return target
