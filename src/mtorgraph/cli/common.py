"""Pieces shared by the command modules: the graph handle and the ``--format`` option."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..io import load_graph
from ..model import MechanismGraph
from ..views.text import FORMATS

__all__ = ["GraphHandle", "format_option", "pass_graph"]

F = TypeVar("F", bound=Callable[..., Any])


class GraphHandle:
    """The graph named by ``--graph``, loaded on first use."""

    def __init__(self, path: str | None):
        self.path = path
        self._graph: MechanismGraph | None = None

    @property
    def graph(self) -> MechanismGraph:
        """The loaded graph. :raises CurationError: if it does not validate."""
        if self._graph is None:
            self._graph = load_graph(self.path)
        return self._graph


def pass_graph(func: F) -> F:
    """Pass the loaded :class:`MechanismGraph` as the first argument of a command."""
    @click.pass_obj
    def wrapper(handle: GraphHandle, *args: Any, **kwargs: Any) -> Any:
        return func(handle.graph, *args, **kwargs)
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]


def format_option(func: F) -> F:
    """The ``--format table|json|tsv`` option shared by every listing command."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="table for people; json (the machine contract) or tsv for programs.")(func)
