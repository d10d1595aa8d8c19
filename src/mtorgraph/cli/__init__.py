"""The ``mtorgraph`` command line: a thin click layer over the library.

Each command parses its options, calls one library function and formats the result. Commands live
in one module per area (``graph``, ``paths``, ``rdf``, ``view``, ``report``), and a module is imported
only when one of its commands runs: :data:`COMMANDS` names each command's module and its one-line
summary, so ``mtorgraph --help`` lists every command without importing any of them (nor pydantic,
numpy, pyarrow, rdflib or networkx).

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
from collections.abc import Iterator, MutableMapping
from importlib import import_module
from typing import Any, NamedTuple

import click

from .. import progress

__all__ = ["COMMANDS", "CommandEntry", "main"]


class CommandEntry(NamedTuple):
    """Where a command lives and what ``mtorgraph --help`` says about it before it is imported.

    :param module: the module under :mod:`mtorgraph.cli` whose ``COMMANDS`` list holds it.
    :param summary: the first sentence of its help (``tests/test_startup.py`` checks they agree).
    """

    module: str
    summary: str


#: Every command, by name: its module and its summary for ``--help``.
COMMANDS: dict[str, CommandEntry] = {
    "info": CommandEntry("graph", "Counts by entity kind, predicate, evidence kind and verification."),
    "show": CommandEntry("graph", "One entity (by key, CURIE, label or synonym), its edges in and out, "
                                  "and their evidence."),
    "entities": CommandEntry("graph", "List the entities, or those whose key, CURIE, name, label, synonym "
                                      "or xref contains TEXT (any case); exact matches first."),
    "edges": CommandEntry("graph", "List edges, filtered by subject, object, predicate, sign, evidence "
                                   "kind, species or belief."),
    "references": CommandEntry("graph", "List the references, or look some up by key, DOI (10.…, doi:…, "
                                        "https://doi.org/…), PMID (digits or PMID:…) or PMCID; each with "
                                        "the edges its evidence supports."),
    "validate": CommandEntry("graph", "Check a graph and report every problem as file:line:col; exit 1 "
                                      "on any error."),
    "audit": CommandEntry("graph", "The source summary's claims with our verdicts, references and the "
                                   "evidence behind them."),
    "paths": CommandEntry("paths", "Signed paths from SOURCE to TARGET, ranked by score (product of "
                                   "beliefs), then length."),
    "explain": CommandEntry("paths", "Every edge from SUBJECT to OBJECT, each evidence with its prior, "
                                     "and the belief arithmetic."),
    "conflicts": CommandEntry("paths", "Contradictions: opposing edges on one pair, and paths of opposite "
                                       "net sign between SOURCE and TARGET (or between every chemical and "
                                       "every disease or phenotype), with the context fields that differ "
                                       "between the two sides."),
    "view": CommandEntry("view", "Write the graph as one self-contained HTML page and print its path."),
    "export": CommandEntry("rdf", "Export the graph as RDF: each edge as a direct triple plus an "
                                  "association node with its sign, belief and evidence (ECO types, "
                                  "publication IRIs, context)."),
    "sparql": CommandEntry("rdf", "Run a SPARQL query (text, or @FILE) over the graph's RDF."),
    "report": CommandEntry("report", "The evidence report, generated from the graph: graded short answer, "
                                     "mechanisms, paradox, audit."),
    "build": CommandEntry("report", "The main job: validate, export Turtle and JSON-LD, write the page "
                                    "and the report."),
    "import": CommandEntry("interop", "Import a KGX graph (FILE: NAME_edges.tsv, NAME_nodes.tsv or .jsonl; "
                                      "either file of the pair) or a signed interaction table (.csv/.tsv) into "
                                      "a curated folder DIR you can edit and validate."),
    "formats": CommandEntry("interop", "List the formats mtorgraph reads (--graph, import) and writes (export), "
                                       "from its one registry."),
    "diff": CommandEntry("diff", "Entities, references, edges, links and evidence added, removed or changed "
                                 "from OLD to NEW."),
    "push": CommandEntry("remote", "Upload the graph's RDF (N-Triples, streamed) into a named graph of a SPARQL "
                                   "store, replacing what that graph held (a second push leaves the store as it "
                                   "was), then count the triples there."),
    "atlas": CommandEntry("atlas", "Every source → target pair reached by paths of both net signs, ranked."),
}

def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` with control characters in data escaped (as :func:`mtorgraph.cli.common.echo`)."""
    from ..views.text import terminal_safe

    click.echo(terminal_safe(text), err=err, nl=nl)


def _report_library_error(exc: Exception) -> int | None:
    """Say what went wrong and give the exit status for an error of the library, or ``None`` for
    anything else (a bug, which keeps its traceback). Imported here, not at start-up: a command that
    raised one has loaded these modules already."""
    from ..errors import CurationError, MtorgraphError, UnknownEntityError
    from ..resolve import UnknownValueError

    if isinstance(exc, CurationError):
        echo(str(exc), err=True)
        return 1
    if isinstance(exc, (UnknownEntityError, UnknownValueError)):  # the user named what is not there
        echo(f"error: {exc}", err=True)
        return 2
    if isinstance(exc, MtorgraphError):
        echo(f"error: {exc}", err=True)
        return 1
    if isinstance(exc, OSError) and exc.errno != errno.EPIPE:
        where = f"{exc.filename}: " if exc.filename else ""
        echo(f"error: {where}{exc.strerror or exc}", err=True)
        return 1
    return None


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


def _summary_line(name: str, limit: int) -> str:
    """The summary of command ``name`` shortened to ``limit`` characters the way click shortens help."""
    return click.Command(name, help=COMMANDS[name].summary).get_short_help_str(limit)


class _LoadedCommands(MutableMapping[str, click.Command]):
    """``main.commands`` as click and callers know it: reading it imports every command module."""

    def __init__(self, group: _Group):
        self._group = group

    def _all(self) -> dict[str, click.Command]:
        for name in COMMANDS:
            self._group.load(name)
        return self._group.loaded

    def __getitem__(self, name: str) -> click.Command:
        command = self._group.load(name) if name in COMMANDS else self._group.loaded.get(name)
        if command is None:
            raise KeyError(name)
        return command

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._group.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._group.loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


class _Group(click.Group):
    """The ``mtorgraph`` group: commands load on first use (see :data:`COMMANDS`), usage errors show
    as one line, and library errors become exit statuses 1 and 2."""

    def __init__(self, *args: Any, **kwargs: Any):
        self.loaded: dict[str, click.Command] = {}
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def commands(self) -> MutableMapping[str, click.Command]:
        """Every command, imported on access (the lazy paths use :meth:`get_command`)."""
        return _LoadedCommands(self)

    @commands.setter
    def commands(self, value: MutableMapping[str, click.Command]) -> None:
        self.loaded = dict(value)

    def load(self, name: str) -> click.Command:
        """The command ``name`` (one of :data:`COMMANDS`), importing its module the first time."""
        if name not in self.loaded:
            module = import_module(f".{COMMANDS[name].module}", __package__)
            for command in module.COMMANDS:
                self.loaded.setdefault(command.name, command)
        return self.loaded[name]

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        name = name or cmd.name
        if name is None:
            raise TypeError("Command has no name.")
        self.loaded[name] = cmd

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.loaded})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            return self.load(cmd_name)
        return self.loaded.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from :data:`COMMANDS`, so ``--help`` imports no command module."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in COMMANDS:
                rows.append((name, _summary_line(name, limit)))
            elif not self.loaded[name].hidden:
                rows.append((name, self.loaded[name].get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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
        except click.exceptions.Exit:
            raise
        except Exception as exc:
            status = _report_library_error(exc)
            if status is None:
                raise
            ctx.exit(status)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--graph", "graph_paths", type=click.Path(path_type=str), multiple=True, metavar="PATH",
              help="Graph to use: a curated directory, a curated .yaml file, an RDF export, a KGX pair, a signed "
                   "table or a .mtg folder. Repeat it to merge graphs (entities meet by CURIE; every edge "
                   "keeps the graphs it came from). Default: the bundled rapamycin–depression graph.")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress display (it is shown on stderr only when stderr is a terminal).")
@click.option("--no-cache", is_flag=True,
              help="Neither read nor write the compiled cache of the graph (also: MTORGRAPH_NO_CACHE=1).")
@click.version_option(package_name="mtorgraph")
@click.pass_context
def main(ctx: click.Context, graph_paths: tuple[str, ...], quiet: bool, no_cache: bool) -> None:
    """mtorgraph: a signed, evidence-tagged mechanism graph (bundled: rapamycin and depression).

    Exit status: 0 answered, 1 data problem (missing or invalid graph, validation errors),
    2 usage mistake (bad option value, unknown entity, claim or reference).
    """
    from .common import GraphHandle

    progress.configure(quiet=quiet)
    ctx.obj = GraphHandle(graph_paths, cache=not no_cache)
