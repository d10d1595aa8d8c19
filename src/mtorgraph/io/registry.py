"""The format registry behind :func:`load_graph` and :func:`write_graph`."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from ..errors import MtorgraphError
from ..model import MechanismGraph
from .atomic import write_text_atomic

__all__ = ["READERS", "WRITERS", "Format", "bundled_data_path", "bundled_graph_path", "is_curated_path",
           "load_graph", "write_graph"]


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


#: Readers by format name. A directory is always curated YAML.
READERS: dict[str, Format] = {
    "yaml": Format("yaml", (".yaml", ".yml"), ".curated", "load_curated"),
    # RDF exports read back into the same graph (io/rdf.py)
    "turtle": Format("turtle", (".ttl",), ".rdf", "load_rdf"),
    "nt": Format("nt", (".nt",), ".rdf", "load_rdf"),
    "jsonld": Format("jsonld", (".jsonld", ".json-ld"), ".rdf", "load_rdf"),
    "trig": Format("trig", (".trig",), ".rdf", "load_rdf"),
    "xml": Format("xml", (".rdf", ".owl", ".xml"), ".rdf", "load_rdf"),
}

#: Writers by format name; each takes ``(graph, beliefs=None)`` and returns the text to write.
WRITERS: dict[str, Format] = {
    "turtle": Format("turtle", (".ttl",), ".rdf", "to_turtle"),
    "nt": Format("nt", (".nt",), ".rdf", "to_ntriples"),
    "jsonld": Format("jsonld", (".jsonld", ".json-ld"), ".rdf", "to_jsonld"),
    "trig": Format("trig", (".trig",), ".rdf", "to_trig"),
    "xml": Format("xml", (".rdf", ".owl", ".xml"), ".rdf", "to_rdfxml"),
}


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


def load_graph(path: str | os.PathLike[str] | None = None) -> MechanismGraph:
    """Load a graph from a curated directory, a curated YAML file or an RDF file.

    :param path: where to read; ``None`` means the bundled graph.
    :raises MtorgraphError: (a :class:`~mtorgraph.errors.CurationError`) if it does not validate.
    """
    target = Path(path) if path is not None else bundled_graph_path()
    if target.is_dir():
        fmt = READERS["yaml"]
    else:
        found = _by_suffix(READERS, target)
        if found is None:
            known = sorted(s for f in READERS.values() for s in f.suffixes)
            raise MtorgraphError(f"{target}: cannot tell the format from the suffix "
                                 f"{target.suffix!r}; use a graph directory or one of {', '.join(known)}")
        fmt = found
    graph = fmt.resolve()(target)
    assert isinstance(graph, MechanismGraph)
    return graph


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
