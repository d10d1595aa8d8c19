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


def _render(graph: MechanismGraph, questions: tuple[Question, ...] | None) -> tuple[dict[str, str], tuple]:
    from .analysis.scoring import edge_beliefs
    from .io.registry import WRITERS
    from .views.html import render_html
    from .views.report import build_report, render_blocks, report_answers, report_questions

    asked = report_questions(graph, questions)
    graded = report_answers(graph, asked)
    blocks = build_report(graph, asked, graded)
    answers = tuple((q.title or f"{graph.entity(q.source).name} → {graph.entity(q.target).name}", tuple(sentences))
                    for q, (_, sentences) in zip(asked, graded))
    beliefs = edge_beliefs(graph)
    return {
        "mtorgraph.ttl": WRITERS["turtle"].text(graph, beliefs),
        "mtorgraph.jsonld": WRITERS["jsonld"].text(graph, beliefs),
        "mtorgraph.html": render_html(graph),
        "report.md": render_blocks(graph, blocks, "md"),
        "report.html": render_blocks(graph, blocks, "html"),
    }, answers


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
    rendered, answers = _render(graph, questions)
    files = write_dir_atomic(Path(out_dir), {name: rendered[name] for name in OUTPUT_FILES})
    return BuildResult(graph, tuple(problems), files, answers)
