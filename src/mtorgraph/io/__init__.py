"""Reading and writing graphs: curated YAML, RDF and other formats, one module each.

:func:`load_graph` picks a reader by what ``path`` is (a directory or ``.yaml`` file is curated
YAML; RDF suffixes go to the RDF reader); :func:`write_graph` picks a writer by format name or
suffix. Readers and writers register themselves in :data:`READERS` and :data:`WRITERS`.
"""

from __future__ import annotations

from .limits import Limits, current_limits
from .registry import (READERS, WRITERS, bundled_graph_path, is_curated_path, load_graph, open_graph,
                       validate_graph,
                       write_graph)

__all__ = ["READERS", "WRITERS", "Limits", "bundled_graph_path", "current_limits", "is_curated_path", "load_graph",
           "open_graph",
           "validate_graph", "write_graph"]
