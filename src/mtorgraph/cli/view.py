"""The ``view`` command: the interactive HTML graph, one offline file."""

from __future__ import annotations

import click

from ..model import MechanismGraph
from .common import pass_graph

__all__ = ["COMMANDS"]


@click.command()
@click.option("-o", "--output", default="mtorgraph.html", show_default=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=str), help="Where to write the page.")
@click.option("--focus", metavar="ENTITY", help="Draw only this entity's neighbourhood (key, CURIE, label or synonym).")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(min=0),
              help="How many edges out from --focus to go.")
@click.option("--conflict", nargs=2, metavar="SOURCE TARGET", default=None,
              help="Open with the conflict between these two entities highlighted.")
@click.option("--open", "open_", is_flag=True, help="Open the page in the default browser afterwards.")
@pass_graph
def view(graph: MechanismGraph, output: str, focus: str | None, depth: int,
         conflict: tuple[str, str] | None, open_: bool) -> None:
    """Write the graph as one self-contained HTML page and print its path.

    The page works offline: colour shows the sign, a bar end inhibition, dashes hypotheses, width
    belief; click an edge for its evidence, choose a conflict to see its two sides. Graphs of more
    than 5,000 entities need --focus.
    """
    from ..views.html import write_html

    path = write_html(graph, output, focus=focus, depth=depth, conflict=conflict or None)
    click.echo(str(path))
    if open_:
        click.launch(str(path.resolve()))


COMMANDS = [view]
