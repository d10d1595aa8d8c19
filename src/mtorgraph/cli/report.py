"""Commands that produce documents: report, and build (the main job)."""

from __future__ import annotations

from pathlib import Path

import click

from ..model import MechanismGraph
from ..views.text import format_count
from .common import GraphHandle, pass_graph

__all__ = ["COMMANDS"]


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE (.md or .html by suffix) instead of Markdown on stdout.")
@click.option("--source", default="rapamycin", show_default=True, help="The drug the report is about.")
@click.option("--target", default="depression", show_default=True, help="The disorder the report is about.")
@pass_graph
def report(graph: MechanismGraph, output: Path | None, source: str, target: str) -> None:
    """The evidence report, generated from the graph: answer, mechanisms, paradox, audit, references."""
    from ..errors import MtorgraphError
    from ..io.atomic import write_text_atomic
    from ..views.report import render_report

    if output is None:
        click.echo(render_report(graph, "md", source, target), nl=False)
        return
    suffix = output.suffix.lower()
    if suffix not in (".md", ".html", ".htm"):
        raise MtorgraphError(f"{output}: the report is written as .md or .html; got {suffix or 'no suffix'!r}")
    write_text_atomic(output, render_report(graph, "md" if suffix == ".md" else "html", source, target))
    click.echo(f"wrote {output}", err=True)


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder for the outputs.")
@click.pass_obj
def build(handle: GraphHandle, out_dir: Path) -> None:
    """The main job: validate, export Turtle and JSON-LD, write the page and the report.

    Nothing is written when validation fails.
    """
    from ..analysis.conflicts import conflicts_to_json, find_conflicts
    from ..analysis.summary import summarize
    from ..build import run_build

    result = run_build(handle.path, out_dir)
    graph = result.graph
    counts = summarize(graph)
    for warning in result.warnings:
        click.echo(warning.format(), err=True)
    click.echo(f"graph: {counts['entities']} entities, {counts['edges']} edges, {counts['evidence']} evidence, "
               f"{counts['references']} references, {counts['claims']} claims "
               f"({format_count(len(result.warnings), 'warning')})")
    keys = {e.key for e in graph.entities}
    if {"rapamycin", "depression"} <= keys:
        report = conflicts_to_json(find_conflicts(graph, "rapamycin", "depression"))
        for pc in report["path_conflicts"]:
            differ = ", ".join(sorted(pc["context_differences"])) or "no context field"
            click.echo(f"paradox: {pc['source']} → {pc['target']}: {len(pc['positive'])} net-positive and "
                       f"{len(pc['negative'])} net-negative paths, diverging at "
                       f"{', '.join(pc['divergence']) or '—'}; the sides differ in {differ}")
            for path in pc["positive"][:1] + pc["negative"][:1]:
                chain = " ".join(f"-{s['predicate']}-> {s['object']}" for s in path["steps"])
                click.echo(f"  {'+' if path['sign'] > 0 else '−'} {path['steps'][0]['subject']} {chain}")
    for path in result.files:
        click.echo(f"wrote {path}")


COMMANDS = [report, build]
