"""Pieces shared by the command modules: the graph handle, vocabulary options, ``--format`` and
``--wide``, and terminal-safe output."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import progress
from ..errors import MtorgraphError
from ..io import load_graph
from ..model import MechanismGraph
from ..resolve import UnknownValueError, Vocabulary, resolve_output_format
from ..views.text import TABLE_WIDTH, format_rows, terminal_safe

__all__ = ["GraphHandle", "VocabularyType", "check_exists", "echo", "format_option", "pass_graph",
           "require_entities", "rows_text"]

F = TypeVar("F", bound=Callable[..., Any])


def check_exists(path: str) -> None:
    """Refuse a path that is not there before any reader guesses at it.

    :raises MtorgraphError: naming the path (a data problem: exit 1).
    """
    target = Path(path)
    if not target.exists():
        kind = "broken symbolic link" if target.is_symlink() else "no such file or directory"
        raise MtorgraphError(f"{path}: {kind}")


class GraphHandle:
    """The graph named by ``--graph``, loaded on first use."""

    def __init__(self, path: str | None):
        self.path = path
        self._graph: MechanismGraph | None = None

    @property
    def graph(self) -> MechanismGraph:
        """The loaded graph. :raises MtorgraphError: if it is missing or does not load."""
        if self._graph is None:
            if self.path is not None:
                check_exists(self.path)
            with progress.task(f"loading {self.path or 'the bundled graph'}"), \
                    warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", UserWarning)
                graph = load_graph(self.path)
            for warning in caught:  # what a reader left out (e.g. INDRA statement types), said once
                echo(f"warning: {warning.message}", err=True)
            require_entities(graph, self.path or "the bundled graph")
            self._graph = graph
        return self._graph


def require_entities(graph: MechanismGraph, where: str) -> None:
    """Refuse a graph with no entities: every answer from it would be an empty success.

    :raises MtorgraphError: naming ``where`` (a data problem: exit 1).
    """
    if not graph.entities:
        raise MtorgraphError(f"{where}: holds no mtorgraph entities, so there is nothing to answer from "
                             "(an RDF file must be an mtorgraph export; a curated file needs entities:)")


def pass_graph(func: F) -> F:
    """Pass the loaded :class:`MechanismGraph` as the first argument of a command."""
    @click.pass_obj
    def wrapper(handle: GraphHandle, *args: Any, **kwargs: Any) -> Any:
        return func(handle.graph, *args, **kwargs)
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]


class VocabularyType(click.ParamType):
    """An option value from a closed vocabulary, resolved by :mod:`mtorgraph.resolve` (any case,
    aliases, did-you-mean); a mistake is a usage error (exit 2)."""

    def __init__(self, vocabulary: Vocabulary, metavar: str):
        self.vocabulary = vocabulary
        self.name = vocabulary.what
        self.metavar = metavar

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return self.metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return self.vocabulary(str(value))
        except UnknownValueError as exc:
            self.fail(str(exc), param, ctx)

    def shell_complete(self, ctx: click.Context, param: click.Parameter,
                       incomplete: str) -> list[click.shell_completion.CompletionItem]:
        return [click.shell_completion.CompletionItem(v) for v in self.vocabulary.values
                if v.startswith(incomplete.lower())]


def _remember_wide(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    ctx.meta["mtorgraph.wide"] = value
    return value


def format_option(func: F) -> F:
    """``--format table|json|tsv`` and ``--wide`` (tables only cut long cells without it)."""
    func = click.option("--wide", is_flag=True, expose_value=False, callback=_remember_wide,
                        help=f"Do not cut table cells at {TABLE_WIDTH} characters (json and tsv never cut).")(func)
    return click.option("--format", "fmt", type=VocabularyType(resolve_output_format, "[table|json|tsv]"),
                        default="table", show_default=True,
                        help="table for people; json (the machine contract) or tsv for programs.")(func)


def rows_text(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """``rows`` in ``fmt``, honouring the current command's ``--wide``."""
    ctx = click.get_current_context(silent=True)
    wide = bool(ctx and ctx.meta.get("mtorgraph.wide"))
    return format_rows(rows, columns, fmt, None if wide else TABLE_WIDTH)


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` with control characters in data escaped (see :func:`terminal_safe`)."""
    click.echo(terminal_safe(text), err=err, nl=nl)
