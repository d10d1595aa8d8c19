"""The ``mtorgraph`` command line: a thin click layer over the library.

Each command parses its options, calls one library function and formats the result. Commands live
in one module per area (``graph``, ``paths``, ``rdf``, ``view``, ``report``); heavy libraries load
inside the commands that need them so ``mtorgraph --help`` stays fast.

Errors the user can fix (:class:`~mtorgraph.errors.MtorgraphError`) print a message to stderr and
exit 1; usage errors exit 2 (click); anything else is a bug.
"""

from __future__ import annotations

from importlib import import_module

import click

from ..errors import CurationError, MtorgraphError
from .common import GraphHandle

__all__ = ["main"]

#: Modules that add commands to the group, in help order.
COMMAND_MODULES = ["graph", "paths", "view", "rdf", "report"]


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except CurationError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(1)
        except MtorgraphError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--graph", "graph_path", type=click.Path(path_type=str), default=None, metavar="PATH",
              help="Graph to use: a curated directory, a curated .yaml file or an RDF export. "
                   "Default: the bundled rapamycin–depression graph.")
@click.version_option(package_name="mtorgraph")
@click.pass_context
def main(ctx: click.Context, graph_path: str | None) -> None:
    """mtorgraph: a signed, evidence-tagged mechanism graph for rapamycin and depression."""
    ctx.obj = GraphHandle(graph_path)


for _name in COMMAND_MODULES:
    for _command in import_module(f".{_name}", __name__).COMMANDS:
        main.add_command(_command)
