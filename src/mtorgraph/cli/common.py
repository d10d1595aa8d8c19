"""Pieces shared by the command modules: the graph handle, vocabulary options, ``--format`` and
``--wide``, and terminal-safe output."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import progress
from ..errors import MtorgraphError
from ..io import load_graph
from ..resolve import UnknownValueError, Vocabulary, resolve_output_format
from ..views.text import TABLE_WIDTH, format_rows, terminal_safe

if TYPE_CHECKING:
    from ..columnar import ColumnarGraph
    from ..model import MechanismGraph  # imported where used: `info` on a stored summary needs no pydantic

__all__ = ["ENGINE_VARIABLE", "GraphHandle", "engine", "VocabularyType", "check_exists", "echo", "format_option", "pass_graph",
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


#: ``MTORGRAPH_ENGINE=objects`` makes commands load a :class:`MechanismGraph` the old way (to
#: compare engines); the default, ``columns``, opens a :class:`~mtorgraph.columnar.ColumnarGraph`.
ENGINE_VARIABLE = "MTORGRAPH_ENGINE"


def engine() -> str:
    """The engine commands use: ``columns`` (default) or ``objects`` (see :data:`ENGINE_VARIABLE`).

    :raises MtorgraphError: for another value.
    """
    value = os.environ.get(ENGINE_VARIABLE, "").strip().lower() or "columns"
    if value not in ("columns", "objects"):
        raise MtorgraphError(f"{ENGINE_VARIABLE}={value!r}: use columns or objects")
    return value


class GraphHandle:
    """The graph (or graphs, merged) named by ``--graph``, opened on first use.

    :param paths: one path, several (merged in that order), or none (the bundled graph).
    :param cache: whether a compiled cache may be read and written (``--no-cache`` turns it off).
    """

    def __init__(self, paths: str | Sequence[str] | None, *, cache: bool = True):
        self.paths: tuple[str, ...] = (paths,) if isinstance(paths, str) else tuple(paths or ())
        self.cache = cache
        self._graph: Any = None
        self._model: MechanismGraph | None = None

    @property
    def path(self) -> str | None:
        """The one graph path given (``None``: the bundled graph).

        :raises click.UsageError: when several were given, for a command that reads one file.
        """
        if len(self.paths) > 1:
            raise click.UsageError("this command reads one graph: give --graph once (merge graphs into one "
                                   "first, e.g. mtorgraph --graph A --graph B export -o merged.mtg)")
        return self.paths[0] if self.paths else None

    def _open(self, path: str | None) -> Any:
        if path is not None:
            check_exists(path)
        with progress.task(f"loading {path or 'the bundled graph'}"), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            if engine() == "objects":
                graph: Any = load_graph(path)
            else:
                from ..io import open_graph

                graph = open_graph(path, cache=self.cache)
        for warning in caught:  # what a reader left out (e.g. INDRA statement types), said once
            echo(f"warning: {warning.message}", err=True)
        require_entities(graph, path or "the bundled graph")
        return graph

    @property
    def graph(self) -> ColumnarGraph | MechanismGraph:
        """The opened graph: columns by default, a model graph with ``MTORGRAPH_ENGINE=objects``.

        Several ``--graph`` paths are merged (:func:`mtorgraph.columnar.merge.merge_graphs`); what
        the merge reports (a CURIE with two labels, a key renamed) goes to stderr as ``note:`` lines.

        :raises MtorgraphError: if one is missing or does not load.
        """
        if self._graph is None:
            if len(self.paths) <= 1:
                self._graph = self._open(self.paths[0] if self.paths else None)
            else:
                self._graph = self._merged()
        return self._graph

    def _merged(self) -> Any:
        from ..columnar import ColumnarGraph
        from ..columnar.merge import graph_name, merge_graphs

        parts, taken = [], set()
        for path in self.paths:
            graph = self._open(path)
            name = graph_name(path, taken)
            taken.add(name)
            parts.append((name, graph if isinstance(graph, ColumnarGraph) else ColumnarGraph.from_model(graph)))
        with progress.task(f"merging {len(parts)} graphs"):
            merged, report = merge_graphs(parts)
        for line in report.lines():
            echo(f"note: {line}", err=True)
        return merged.to_model() if engine() == "objects" else merged

    @property
    def model(self) -> MechanismGraph:
        """The graph as one :class:`MechanismGraph` (for SHACL and other whole-graph features)."""
        from ..model import MechanismGraph

        if self._model is None:
            graph = self.graph
            self._model = graph if isinstance(graph, MechanismGraph) else graph.to_model()
        return self._model


def require_entities(graph: Any, where: str) -> None:
    """Refuse a graph with no entities: every answer from it would be an empty success.

    :raises MtorgraphError: naming ``where`` (a data problem: exit 1).
    """
    tables = getattr(graph, "tables", None)  # columns: count rows without building entities
    if not (tables["entities"].num_rows if tables is not None else graph.entities):
        raise MtorgraphError(f"{where}: holds no mtorgraph entities, so there is nothing to answer from "
                             "(an RDF file must be an mtorgraph export; a curated file needs entities:)")


def pass_graph(func: F) -> F:
    """Pass the opened graph (:attr:`GraphHandle.graph`) as the first argument of a command."""
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
