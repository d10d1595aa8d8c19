"""The main job: validate the graph, then write its exports, the interactive page and the report.

Everything is rendered in memory first; files are written (each atomically) only when every
rendering succeeded, so a failing validation or rendering leaves the output folder untouched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import CurationError, Problem
from .io import bundled_graph_path, is_curated_path, load_graph
from .io.atomic import write_text_atomic
from .io.curated import validate_curated
from .model import MechanismGraph

__all__ = ["BuildResult", "OUTPUT_FILES", "run_build"]

#: What the build writes, by file name.
OUTPUT_FILES = ("mtorgraph.ttl", "mtorgraph.jsonld", "mtorgraph.html", "report.md", "report.html")


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the graph, the warnings it passed with, and the files written."""

    graph: MechanismGraph
    warnings: tuple[Problem, ...]
    files: tuple[Path, ...]


def _render(graph: MechanismGraph) -> dict[str, str]:
    from .analysis.scoring import edge_beliefs
    from .io.registry import WRITERS
    from .views.html import render_html
    from .views.report import render_report

    beliefs = edge_beliefs(graph)
    return {
        "mtorgraph.ttl": str(WRITERS["turtle"].resolve()(graph, beliefs)),
        "mtorgraph.jsonld": str(WRITERS["jsonld"].resolve()(graph, beliefs)),
        "mtorgraph.html": render_html(graph),
        "report.md": render_report(graph, "md"),
        "report.html": render_report(graph, "html"),
    }


def run_build(graph_path: str | os.PathLike[str] | None, out_dir: str | os.PathLike[str]) -> BuildResult:
    """Validate the graph at ``graph_path`` (``None``: the bundled one) and write every output.

    :raises CurationError: if the graph has errors; nothing is written then.
    """
    path = Path(graph_path) if graph_path is not None else bundled_graph_path()
    problems = validate_curated(path) if is_curated_path(path) else []
    if any(p.severity == "error" for p in problems):
        raise CurationError(problems)
    graph = load_graph(path)
    rendered = _render(graph)
    out = Path(out_dir)
    files = tuple(write_text_atomic(out / name, rendered[name]) for name in OUTPUT_FILES)
    return BuildResult(graph, tuple(problems), files)
