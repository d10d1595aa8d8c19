"""Views of a graph: text listings, records for JSON, the HTML page and the report.

:func:`register_display` makes the interactive page a graph's Jupyter display
(:attr:`mtorgraph.model.MechanismGraph.html_display`); ``mtorgraph`` calls it when its Python API is
first used, and at once under IPython. Importing this package alone imports no model, so the
command line can use :mod:`mtorgraph.views.text` without building the model classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import MechanismGraph

__all__ = ["register_display"]


def _show_inline(graph: MechanismGraph) -> str:
    from .html import GraphView

    return GraphView(graph)._repr_html_()


def register_display() -> None:
    """Show every :class:`~mtorgraph.model.MechanismGraph` inline in Jupyter as the interactive page
    (the page's code loads on the first display)."""
    from ..model import MechanismGraph

    MechanismGraph.html_display = _show_inline
