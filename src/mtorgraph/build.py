"""The main job: validate the graph, then write its exports, the interactive page and the report.

Everything is rendered in memory first; then the output folder is replaced as a whole (see
:mod:`mtorgraph.io.atomic_dir`): killed at any moment, the folder holds the previous build or the new
one, never a mix. A failing validation or rendering leaves it untouched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import CurationError, Problem
from .io import bundled_graph_path, is_curated_path, load_graph
from .io.atomic_dir import write_dir_atomic
from .io.curated import validate_curated
from .model import MechanismGraph, Question

__all__ = ["BuildResult", "OUTPUT_FILES", "run_build"]

#: What the build writes, by file name.
OUTPUT_FILES = ("mtorgraph.ttl", "mtorgraph.jsonld", "mtorgraph.html", "report.md", "report.html")


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the graph, the warnings it passed with, and the files written."""

    graph: MechanismGraph
    warnings: tuple[Problem, ...]
    files: tuple[Path, ...]
    #: Each question's title and its short-answer sentences, as in the report.
    answers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: What the page draws when the graph is too big to draw whole (``None``: the whole graph).
    page_note: str | None = None


def _page(graph: MechanismGraph, questions: tuple[Question, ...], beliefs: dict) -> tuple[str, str | None]:
    """The page: the whole graph, or, above the page's limits, the neighbourhood (depth 2, capped)
    of the first question's source (without a question: of the entity with the most edges)."""
    from collections import Counter

    from .views.html import MAX_EDGES, MAX_NODES, count_entities, render_page

    if len(graph.edges) <= MAX_EDGES and count_entities(graph) <= MAX_NODES:
        return render_page(graph, beliefs=beliefs).text, None
    if questions:
        focus = questions[0].source
    else:
        degree = Counter(k for e in graph.edges for k in (e.subject, e.object))
        focus = min(degree, key=lambda k: (-degree[k], k))
    page = render_page(graph, focus=focus, depth=2, beliefs=beliefs)
    note = (f"the graph ({len(graph.edges):,} edges) is too big to draw whole: mtorgraph.html draws "
            f"the neighbourhood of {graph.entity(focus).name} (depth 2); mtorgraph view --focus ENTITY draws any other")
    return page.text, note + (f". {page.left_out}" if page.left_out else "")


def _render(graph: MechanismGraph, questions: tuple[Question, ...] | None) -> tuple[dict[str, str], tuple, str | None]:
    from .analysis.beliefs import belief_columns
    from .analysis.paths import to_graph_index
    from .io.registry import WRITERS
    from .views.report import build_report, render_blocks, report_answers, report_questions

    asked = report_questions(graph, questions) if questions else None  # unknown names fail first
    gindex = to_graph_index(graph)  # one search index for every question, path and conflict
    asked = asked if asked is not None else report_questions(graph, None, gindex=gindex)
    graded = report_answers(graph, asked, gindex=gindex)
    columns = belief_columns(graph)  # one set of beliefs for the report, the exports and the page
    beliefs = columns.by_key(graph)
    blocks = build_report(graph, asked, graded, gindex=gindex, beliefs=columns)
    answers = tuple((q.title or f"{graph.entity(q.source).name} → {graph.entity(q.target).name}", tuple(sentences))
                    for q, (_, sentences) in zip(asked, graded))
    page, page_note = _page(graph, asked, beliefs)
    return {
        "mtorgraph.ttl": WRITERS["turtle"].text(graph, beliefs),
        "mtorgraph.jsonld": WRITERS["jsonld"].text(graph, beliefs),
        "mtorgraph.html": page,
        "report.md": render_blocks(graph, blocks, "md"),
        "report.html": render_blocks(graph, blocks, "html"),
    }, answers, page_note


def run_build(graph_path: str | os.PathLike[str] | None, out_dir: str | os.PathLike[str],
              questions: tuple[Question, ...] | None = None) -> BuildResult:
    """Validate the graph at ``graph_path`` (``None``: the bundled one) and write every output.

    :param questions: the source → target questions the report answers; ``None``: the graph's own
        (``graph.questions``), or, when it states none, the conflicts a bounded scan finds.
    :raises CurationError: if the graph has errors; nothing is written then.
    :raises OutputError: if the folder cannot be replaced; it is left as it was.
    """
    path = Path(graph_path) if graph_path is not None else bundled_graph_path()
    problems = validate_curated(path) if is_curated_path(path) else []
    if any(p.severity == "error" for p in problems):
        raise CurationError(problems)
    graph = load_graph(path)
    rendered, answers, page_note = _render(graph, questions)
    files = write_dir_atomic(Path(out_dir), {name: rendered[name] for name in OUTPUT_FILES})
    return BuildResult(graph, tuple(problems), files, answers, page_note)
