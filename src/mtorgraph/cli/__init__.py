"""The ``mtorgraph`` command line: a thin click layer over the library.

Each command parses its options, calls one library function and formats the result. Commands live
in one module per area (``graph``, ``paths``, ``rdf``, ``view``, ``report``); heavy libraries load
inside the commands that need them so ``mtorgraph --help`` stays fast.

Exit status, the same for every command:

- ``0``: the answer was printed (an empty answer is said in words, never an empty success).
- ``1``: a data problem: the graph (or another input file) is missing, unreadable or invalid, an
  output cannot be written, ``validate`` found errors.
- ``2``: a usage mistake: an unknown command or option, a bad option value (species, predicate,
  evidence kind, format …), an entity, claim or reference named on the command line that the graph
  does not have. The message is one line on stderr, with a did-you-mean where one fits.

Anything else escaping the library is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
from importlib import import_module
from typing import Any

import click

from .. import progress
from ..errors import CurationError, MtorgraphError, UnknownEntityError
from ..resolve import UnknownValueError
from .common import GraphHandle, echo

__all__ = ["main"]

#: Modules that add commands to the group, in help order.
COMMAND_MODULES = ["graph", "paths", "view", "rdf", "report"]

#: Exceptions that mean the user named something the graph or a vocabulary does not have.
USAGE_MISTAKES = (UnknownEntityError, UnknownValueError)


class OneLineUsageError(click.UsageError):
    """A usage error shown as one line (``error: … (try 'mtorgraph edges --help')``)."""

    def show(self, file: Any = None) -> None:
        hint = ""
        if self.ctx is not None:
            hint = f" (try '{self.ctx.command_path} --help')"
        echo(f"error: {self.format_message()}{hint}", err=True)


def _one_line(exc: click.UsageError) -> OneLineUsageError:
    if isinstance(exc, OneLineUsageError):
        return exc
    return OneLineUsageError(" ".join(exc.format_message().split()), exc.ctx)


class _Group(click.Group):
    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            raise _one_line(exc) from None
        except CurationError as exc:
            echo(str(exc), err=True)
            ctx.exit(1)
        except USAGE_MISTAKES as exc:
            echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except MtorgraphError as exc:
            echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            echo(f"error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--graph", "graph_path", type=click.Path(path_type=str), default=None, metavar="PATH",
              help="Graph to use: a curated directory, a curated .yaml file or an RDF export. "
                   "Default: the bundled rapamycin–depression graph.")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress display (it is shown on stderr only when stderr is a terminal).")
@click.option("--no-cache", is_flag=True,
              help="Neither read nor write the compiled cache of the graph (also: MTORGRAPH_NO_CACHE=1).")
@click.version_option(package_name="mtorgraph")
@click.pass_context
def main(ctx: click.Context, graph_path: str | None, quiet: bool, no_cache: bool) -> None:
    """mtorgraph: a signed, evidence-tagged mechanism graph (bundled: rapamycin and depression).

    Exit status: 0 answered, 1 data problem (missing or invalid graph, validation errors),
    2 usage mistake (bad option value, unknown entity, claim or reference).
    """
    progress.configure(quiet=quiet)
    ctx.obj = GraphHandle(graph_path, cache=not no_cache)


for _name in COMMAND_MODULES:
    for _command in import_module(f".{_name}", __name__).COMMANDS:
        main.add_command(_command)
