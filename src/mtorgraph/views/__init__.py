"""Views of a graph: text listings, records for JSON, the HTML page and the report.

Importing this package registers the interactive page as a graph's Jupyter display
(:attr:`mtorgraph.model.MechanismGraph.html_display`); the page itself loads on first display.
"""

from __future__ import annotations

from ..model import MechanismGraph


def _show_inline(graph: MechanismGraph) -> str:
    from .html import GraphView

    return GraphView(graph)._repr_html_()


MechanismGraph.html_display = _show_inline
