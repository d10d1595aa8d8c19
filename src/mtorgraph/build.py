"""The main job: validate the graph, then write its exports, the interactive page and the report.

The graph is opened as columns (from the compiled cache when it is warm); the report and the page
are rendered in memory, the Turtle and JSON-LD exports streamed into a hidden folder that then
replaces the output folder as a whole (see :mod:`mtorgraph.io.atomic_dir`): killed at any moment,
the folder holds the previous build or the new one, never a mix. A failing validation or rendering
leaves it untouched.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CurationError, Problem
from .io import bundled_graph_path, is_curated_path, open_graph
from .io.atomic_dir import FileContent, write_dir_atomic
from .model import Question

__all__ = ["BuildResult", "OUTPUT_FILES", "run_build"]

#: What the build writes, by file name.
OUTPUT_FILES = ("mtorgraph.ttl", "mtorgraph.jsonld", "mtorgraph.html", "report.md", "report.html")


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the graph (as columns), the warnings it passed with, and the files written."""

    graph: Any
    warnings: tuple[Problem, ...]
    files: tuple[Path, ...]
    #: Each question's title and its short-answer sentences, as in the report.
    answers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: What the page draws when the graph is too big to draw whole (``None``: the whole graph).
    page_note: str | None = None


def _busiest(graph: Any) -> str:
    """The key of the entity with the most edges (ties: the smallest key)."""
    if hasattr(graph, "tables"):  # columns: count by row, no edge objects
        import numpy as np

        rows = np.concatenate([graph.array("edges", "subject"), graph.array("edges", "object")])
        degree = np.bincount(rows, minlength=graph.tables["entities"].num_rows)
        keys = graph.tables["entities"].column("key").to_pylist()
        return min((keys[i] for i in np.flatnonzero(degree == degree.max())), default="")
    from collections import Counter

    counts = Counter(k for e in graph.edges for k in (e.subject, e.object))
    return min(counts, key=lambda k: (-counts[k], k))


def _page(graph: Any, questions: tuple[Question, ...], beliefs: dict) -> tuple[str, str | None]:
    """The page: the whole graph, or, above the page's limits, the neighbourhood (depth 2, capped)
    of the first question's source (without a question: of the entity with the most edges)."""
    from .views.html import MAX_EDGES, MAX_NODES, count_entities, render_page

    if len(graph.edges) <= MAX_EDGES and count_entities(graph) <= MAX_NODES:
        return render_page(graph, beliefs=beliefs).text, None
    focus = questions[0].source if questions else _busiest(graph)
    page = render_page(graph, focus=focus, depth=2, beliefs=beliefs)
    note = (f"the graph ({len(graph.edges):,} edges) is too big to draw whole: mtorgraph.html draws "
            f"the neighbourhood of {graph.entity(focus).name} (depth 2); mtorgraph view --focus ENTITY draws any other")
    return page.text, note + (f". {page.left_out}" if page.left_out else "")


def _export(name: str, graph: Any, beliefs: Any) -> Callable[[Path], None]:
    """A function that streams the export ``name`` (a registered writer) into the file it is given."""
    from .io.registry import WRITERS

    fmt = WRITERS[name]

    def write(path: Path) -> None:
        with open(path, "wb") if fmt.binary else open(path, "w", encoding="utf-8", newline="") as handle:
            fmt.resolve()(graph, handle, beliefs)
    return write


def _render(graph: Any, questions: tuple[Question, ...] | None) -> tuple[dict[str, FileContent], tuple, str | None]:
    from .analysis.beliefs import belief_columns
    from .analysis.paths import to_graph_index
    from .views.report import build_report, render_blocks, report_answers, report_questions

    asked = report_questions(graph, questions) if questions else None  # unknown names fail first
    gindex = to_graph_index(graph)  # one search index for every question, path and conflict
    asked = asked if asked is not None else report_questions(graph, None, gindex=gindex)
    graded = report_answers(graph, asked, gindex=gindex)
    columns = belief_columns(graph)  # one set of beliefs for the report, the exports and the page
    blocks = build_report(graph, asked, graded, gindex=gindex, beliefs=columns)
    answers = tuple((q.title or f"{graph.entity(q.source).name} → {graph.entity(q.target).name}", tuple(sentences))
                    for q, (_, sentences) in zip(asked, graded))
    page, page_note = _page(graph, asked, columns.by_key(graph))
    return {
        "mtorgraph.ttl": _export("turtle", graph, columns),
        "mtorgraph.jsonld": _export("jsonld", graph, columns),
        "mtorgraph.html": page,
        "report.md": render_blocks(graph, blocks, "md"),
        "report.html": render_blocks(graph, blocks, "html"),
    }, answers, page_note


def _open(path: Path, cache: bool) -> tuple[Any, list[Problem]]:
    """The graph at ``path`` as columns and the warnings it validated with.

    :raises CurationError: if curated YAML has errors (all of them, with their places).
    """
    if is_curated_path(path):
        from .io.compiled import open_curated_cached

        graph, problems = open_curated_cached(path, cache=cache)
        if graph is None:
            raise CurationError(problems)
        return graph, problems
    return open_graph(path, cache=cache), []


def run_build(graph_path: str | os.PathLike[str] | None, out_dir: str | os.PathLike[str],
              questions: tuple[Question, ...] | None = None, *, cache: bool = True) -> BuildResult:
    """Validate the graph at ``graph_path`` (``None``: the bundled one) and write every output.

    :param questions: the source → target questions the report answers; ``None``: the graph's own
        (``graph.questions``), or, when it states none, the conflicts a bounded scan finds.
    :param cache: whether the compiled cache may be read and written (``--no-cache``).
    :raises CurationError: if the graph has errors; nothing is written then.
    :raises OutputError: if the folder cannot be replaced; it is left as it was.
    """
    path = Path(graph_path) if graph_path is not None else bundled_graph_path()
    graph, problems = _open(path, cache)
    rendered, answers, page_note = _render(graph, questions)
    files = write_dir_atomic(Path(out_dir), {name: rendered[name] for name in OUTPUT_FILES})
    return BuildResult(graph, tuple(problems), files, answers, page_note)
