"""mtorgraph: a signed, evidence-tagged mechanism knowledge graph.

The public API re-exports the model, loading and writing; analyses live in
:mod:`mtorgraph.analysis` and views in :mod:`mtorgraph.views`.
"""

from .errors import CurationError, MtorgraphError, Problem, UnknownEntityError
from .io import bundled_graph_path, load_graph, write_graph
from .model import Claim, Context, Edge, Entity, Evidence, MechanismGraph, Reference

__all__ = [
    "Claim",
    "Context",
    "CurationError",
    "Edge",
    "Entity",
    "Evidence",
    "MechanismGraph",
    "MtorgraphError",
    "Problem",
    "Reference",
    "UnknownEntityError",
    "bundled_graph_path",
    "load_graph",
    "write_graph",
]

__version__ = "0.1.0"
