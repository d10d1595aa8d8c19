"""Commands that produce documents: report, and build (the main job)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..model import MechanismGraph, Question
from ..views.text import format_count
from .common import GraphHandle, pass_graph

__all__ = ["COMMANDS"]

F = TypeVar("F", bound=Callable[..., Any])
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _question_options(func: F) -> F:
    func = click.option("--target", default=None, metavar="NAME",
                        help="With --source: answer this one question instead of the graph's.")(func)
    return click.option("--source", default=None, metavar="NAME",
                        help="With --target: the source of the one question to answer (default: the "
                             "questions in the graph's graph.yaml; with none, every conflict a bounded "
                             "scan finds).")(func)


def _override(source: str | None, target: str | None) -> tuple[Question, ...] | None:
    """The question given on the command line, or ``None`` to use the graph's."""
    if source is None and target is None:
        return None
    if source is None or target is None:
        raise click.UsageError("give --source and --target together (one question), or neither")
    return (Question.model_construct(source=source, target=target, title=None),)


def _resolving(what: Callable[[], Any]) -> Any:
    """Run ``what``; a name that matches no entity is a usage mistake (exit 2)."""
    from ..errors import UnknownEntityError

    try:
        return what()
    except UnknownEntityError as exc:
        raise click.BadParameter(str(exc), param_hint="--source/--target") from exc


def _plain(text: str) -> str:
    """Data text made safe for a terminal (control characters, e.g. escape sequences, removed)."""
    return _CONTROL.sub(" ", text)


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE (.md or .html by suffix) instead of Markdown on stdout.")
@_question_options
@pass_graph
def report(graph: MechanismGraph, output: Path | None, source: str | None, target: str | None) -> None:
    """The evidence report, generated from the graph: graded short answer, mechanisms, paradox, audit."""
    from ..errors import MtorgraphError
    from ..io.atomic import write_text_atomic
    from ..views.report import render_report

    questions = _override(source, target)
    if output is None:
        click.echo(_resolving(lambda: render_report(graph, "md", questions)), nl=False)
        return
    suffix = output.suffix.lower()
    if suffix not in (".md", ".html", ".htm"):
        raise MtorgraphError(f"{output}: the report is written as .md or .html; got {suffix or 'no suffix'!r}")
    text = _resolving(lambda: render_report(graph, "md" if suffix == ".md" else "html", questions))
    write_text_atomic(output, text)
    click.echo(f"wrote {output}", err=True)


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder for the outputs; replaced as a whole (it may hold only "
                                      "files a build writes).")
@_question_options
@click.pass_obj
def build(handle: GraphHandle, out_dir: Path, source: str | None, target: str | None) -> None:
    """The main job: validate, export Turtle and JSON-LD, write the page and the report.

    Prints the short answer, the counts and the files written. Nothing is written when validation
    fails; a build killed midway leaves the previous build in place.
    """
    from ..analysis.summary import summarize
    from ..build import run_build

    questions = _override(source, target)
    result = _resolving(lambda: run_build(handle.path, out_dir, questions, cache=handle.cache))
    counts = summarize(result.graph)
    for warning in result.warnings:
        click.echo(warning.format(), err=True)
    for title, sentences in result.answers:
        click.echo(_plain(f"{title}:"))
        for sentence in sentences:
            click.echo(_plain(f"  {sentence}"))
    if not result.answers:
        click.echo("No question: the graph states none (graph.yaml) and the conflict scan found none.")
    click.echo(f"graph: {counts['entities']} entities, {counts['edges']} edges, {counts['evidence']} evidence, "
               f"{counts['references']} references, {counts['claims']} claims "
               f"({format_count(len(result.warnings), 'warning')})")
    for path in result.files:
        click.echo(f"wrote {path}")
    if result.page_note:
        click.echo(_plain(f"page: {result.page_note}"))
    click.echo("details: report.md in the output folder; the claims audit: mtorgraph audit")


COMMANDS = [report, build]
