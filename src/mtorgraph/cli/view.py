"""The ``view`` command: the interactive HTML graph, one offline file."""

from __future__ import annotations

import shutil
import subprocess
import webbrowser
from pathlib import Path

import click

from .. import progress
from ..model import MechanismGraph
from .common import echo, pass_graph

__all__ = ["COMMANDS", "open_in_browser"]

#: Where ``view`` writes without ``-o``: ``build/`` is git-ignored and is where ``build`` writes too.
DEFAULT_OUTPUT = "build/mtorgraph.html"


def open_in_browser(path: Path) -> str | None:
    """Open ``path`` in the default browser; ``None`` on success, else why it could not.

    ``xdg-open`` is run with its output captured, so a machine without a browser gets one line
    from us instead of the opener's noise.
    """
    url = path.resolve().as_uri()
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return "no web browser found"
    if getattr(browser, "name", "") == "xdg-open" and shutil.which("xdg-open"):
        try:
            done = subprocess.run(["xdg-open", url], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"xdg-open failed ({exc})"
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).strip().splitlines()
            return f"xdg-open found no browser ({reason[-1] if reason else f'exit {done.returncode}'})"
        return None
    try:
        opened = browser.open(url)
    except OSError as exc:
        return f"the browser could not start ({exc.strerror or exc})"
    return None if opened else "the browser could not start"


@click.command()
@click.option("-o", "--output", default=DEFAULT_OUTPUT, show_default=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=str), help="Where to write the page.")
@click.option("--focus", metavar="ENTITY", help="Draw only this entity's neighbourhood (key, CURIE, label or synonym).")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(min=0),
              help="How many edges out from --focus to go.")
@click.option("--max-nodes", default=None, type=click.IntRange(min=1), metavar="N",
              help="With --focus: draw at most N entities (default 500, at most 5000); beyond it the "
                   "nearest, most strongly connected are kept and the page says what was left out.")
@click.option("--conflict", nargs=2, metavar="SOURCE TARGET", default=None,
              help="Open with the conflict between these two entities highlighted.")
@click.option("--open", "open_", is_flag=True,
              help="Open the page in the default browser afterwards (says so if there is none).")
@pass_graph
def view(graph: MechanismGraph, output: str, focus: str | None, depth: int, max_nodes: int | None,
         conflict: tuple[str, str] | None, open_: bool) -> None:
    """Write the graph as one self-contained HTML page and print its path.

    The page works offline: colour shows the sign, a bar end inhibition, dashes hypotheses, width
    belief; click an edge for its evidence, choose a conflict to see its two sides. Graphs of more
    than 5,000 entities or 20,000 edges need --focus; a neighbourhood is cut to --max-nodes.
    """
    from ..io.atomic import write_text_atomic
    from ..views.html import FOCUS_NODES, render_page

    if max_nodes is not None and focus is None:
        raise click.UsageError("--max-nodes applies to a neighbourhood: give --focus ENTITY too")
    with progress.task(f"rendering {output}"):
        page = render_page(graph, focus=focus, depth=depth, conflict=conflict or None,
                           max_nodes=max_nodes or FOCUS_NODES)
        path = write_text_atomic(output, page.text)
    if page.left_out:
        echo(f"note: {page.left_out}", err=True)
    echo(str(path))
    if open_:
        problem = open_in_browser(path)
        if problem:
            echo(f"warning: could not open the page: {problem}; open {path} yourself", err=True)


COMMANDS = [view]
