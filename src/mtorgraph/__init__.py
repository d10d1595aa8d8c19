"""mtorgraph: a signed, evidence-tagged mechanism knowledge graph.

The Python API, importable from here (each name loads its module on first use, so
``import mtorgraph`` stays cheap):

* the model: :class:`MechanismGraph`, :class:`Entity`, :class:`Edge`, :class:`Evidence`,
  :class:`Context`, :class:`Reference`, :class:`StructuralLink`, :class:`Claim`;
* reading and writing: :func:`load_graph` (curated YAML or RDF, by suffix), :func:`write_graph`
  (RDF, by suffix or format name), the format registries :data:`READERS` and :data:`WRITERS`,
  :func:`bundled_graph_path`;
* analyses: :func:`find_paths`, :func:`find_conflicts`, :func:`edge_belief`, and their JSON
  contracts :func:`paths_to_json` and :func:`conflicts_to_json`; :func:`to_networkx`;
* views: :func:`render_html` and :func:`write_html` (the interactive page), :class:`GraphView`;
  a :class:`MechanismGraph` shows itself inline in Jupyter;
* errors: :class:`MtorgraphError`, :class:`CurationError` (with :class:`Problem` items),
  :class:`UnknownEntityError`.

>>> import mtorgraph
>>> graph = mtorgraph.load_graph("tests/data/mini.yaml")
>>> [p.sign for p in mtorgraph.find_paths(graph, "ketamine", "depression").paths]
[-1]
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name → the module that defines it.
_SOURCES: dict[str, str] = {
    **dict.fromkeys(("Claim", "Context", "Edge", "Entity", "Evidence", "MechanismGraph", "Reference",
                     "StructuralLink"), ".model"),
    **dict.fromkeys(("CurationError", "MtorgraphError", "Problem", "UnknownEntityError"), ".errors"),
    **dict.fromkeys(("READERS", "WRITERS", "bundled_graph_path", "load_graph", "write_graph"), ".io"),
    **dict.fromkeys(("find_paths", "paths_to_json", "to_networkx"), ".analysis.paths"),
    **dict.fromkeys(("conflicts_to_json", "find_conflicts"), ".analysis.conflicts"),
    "edge_belief": ".analysis.scoring",
    **dict.fromkeys(("GraphView", "render_html", "write_html"), ".views.html"),
}

__all__ = sorted(_SOURCES)


def __getattr__(name: str) -> Any:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module 'mtorgraph' has no attribute {name!r}")
    if source != ".errors":  # the API is in use: graphs display inline in Jupyter
        import_module(".views", __name__).register_display()
    value = getattr(import_module(source, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if "IPython" in sys.modules:  # a notebook: graphs display inline however mtorgraph was imported
    import_module(".views", __name__).register_display()


if TYPE_CHECKING:  # for type checkers and IDEs; at run time the names load lazily
    from .analysis.conflicts import conflicts_to_json, find_conflicts
    from .analysis.paths import find_paths, paths_to_json, to_networkx
    from .analysis.scoring import edge_belief
    from .errors import CurationError, MtorgraphError, Problem, UnknownEntityError
    from .io import READERS, WRITERS, bundled_graph_path, load_graph, write_graph
    from .model import Claim, Context, Edge, Entity, Evidence, MechanismGraph, Reference, StructuralLink
    from .views.html import GraphView, render_html, write_html
