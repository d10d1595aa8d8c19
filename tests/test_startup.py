"""Start-up stays lean: the command line and ``--help`` import no heavy library, and the help still
lists every command with the summary its own help gives (the summaries are kept as data in
:data:`mtorgraph.cli.COMMANDS` so that listing them imports no command module). No timing here:
the start-up figures live in ``bench/e2e.py``."""

from __future__ import annotations

import inspect
import json
import pkgutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

from mtorgraph.cli import COMMANDS, _summary_line, main

#: Libraries the help path must not import (each costs tens of milliseconds or more).
HEAVY = ("pydantic", "rdflib", "pyarrow", "numpy", "networkx", "ruamel", "yaml", "pyoxigraph", "pyvis")

_REPORT_MODULES = """
import json, sys
{code}
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _modules_after(code: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules a fresh interpreter holds after running ``code`` (printed last on stderr)."""
    done = subprocess.run([sys.executable, "-c", _REPORT_MODULES.format(code=code)], capture_output=True,
                          text=True, check=False)
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    return set(loaded), done


def _heavy(loaded: set[str]) -> list[str]:
    return sorted(m for m in loaded if m.split(".")[0] in HEAVY)


def test_importing_the_cli_imports_no_heavy_library_nor_the_model() -> None:
    loaded, _ = _modules_after("import mtorgraph.cli")
    assert _heavy(loaded) == []
    assert "mtorgraph.model" not in loaded
    assert not any(m.startswith("mtorgraph.cli.") for m in loaded), "no command module before a command runs"


def test_help_imports_no_heavy_library_and_lists_every_command() -> None:
    code = ("from mtorgraph.cli import main\n"
            "try:\n    main(['--help'], prog_name='mtorgraph')\nexcept SystemExit as exc:\n"
            "    assert exc.code == 0, exc.code\n")
    loaded, done = _modules_after(code)
    assert done.returncode == 0, done.stderr
    assert _heavy(loaded) == []
    assert not any(m.startswith("mtorgraph.cli.") for m in loaded)
    listed = done.stdout.split("Commands:", 1)[1]
    names = [line.split()[0] for line in listed.strip().splitlines()]
    assert names == sorted(COMMANDS)


def test_the_installed_command_shows_help() -> None:
    done = subprocess.run([sys.executable, "-m", "mtorgraph", "--help"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and "Commands:" in done.stdout
    for name in COMMANDS:
        assert f"\n  {name} " in done.stdout, name


def _first_paragraph(command) -> str:
    return " ".join(inspect.cleandoc(command.help or "").split("\n\n")[0].split())


def test_every_command_module_is_listed_and_nothing_else() -> None:
    """A command in some module's COMMANDS but not in mtorgraph.cli.COMMANDS would be unreachable."""
    import mtorgraph.cli

    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(mtorgraph.cli.__path__):
        module = import_module(f"mtorgraph.cli.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            found[command.name] = info.name
    assert found == {name: entry.module for name, entry in COMMANDS.items()}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_summary_matches_the_commands_own_help(name: str) -> None:
    command = main.get_command(None, name)  # type: ignore[arg-type]
    assert command is not None and command.short_help is None
    for limit in (20, 45, 61, 120, 400):
        assert _summary_line(name, limit) == command.get_short_help_str(limit), (
            f"update COMMANDS[{name!r}].summary in src/mtorgraph/cli/__init__.py to the first sentence of: "
            f"{_first_paragraph(command)!r}")


def test_commands_mapping_still_holds_every_command() -> None:
    """``main.commands`` (what click and callers read) imports the modules and gives every command."""
    assert sorted(main.commands) == sorted(COMMANDS)
    assert main.commands["info"].name == "info"


def test_running_a_command_imports_only_its_module() -> None:
    loaded, done = _modules_after(
        "from mtorgraph.cli import main\n"
        "try:\n    main(['info', '--help'], prog_name='mtorgraph')\nexcept SystemExit:\n    pass\n")
    assert done.returncode == 0, done.stderr
    helpers = {"mtorgraph.cli.common", "mtorgraph.cli.store"}  # shared by command modules, no commands
    commands = {m for m in loaded if m.startswith("mtorgraph.cli.") and m not in helpers}
    assert commands == {"mtorgraph.cli.graph"}


def test_info_imports_no_rdf_graph_or_drawing_library() -> None:
    """``info`` on the bundled graph needs the reader and the counts, not rdflib, networkx or pyvis."""
    loaded, done = _modules_after(
        "from mtorgraph.cli import main\n"
        "try:\n    main(['info'], prog_name='mtorgraph')\nexcept SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n")
    assert done.returncode == 0, done.stderr
    assert "entities" in done.stdout
    assert [m for m in loaded if m.split(".")[0] in ("rdflib", "networkx", "pyvis", "pyoxigraph")] == []


_INFO = ("from mtorgraph.cli import main\n"
         "try:\n    main({args}, prog_name='mtorgraph')\nexcept SystemExit as exc:\n"
         "    assert exc.code == 0, exc.code\n")


@pytest.mark.parametrize("graph", [[], ["--graph", str(Path(__file__).parent / "data" / "mini.yaml")]],
                         ids=["bundled", "mini"])
def test_info_on_a_warm_cache_imports_neither_arrow_nor_the_model(graph: list[str]) -> None:
    """Once ``info`` has counted a curated graph (cache on, in the test's own cache folder), the next
    ``info`` answers from the stored counts: no pyarrow, numpy, pydantic, YAML parse or model."""
    first, done = _modules_after(_INFO.format(args=[*graph, "info"]))
    assert done.returncode == 0, done.stderr
    assert "pyarrow" in first  # the first one opened the graph
    for fmt in ("table", "json"):
        loaded, again = _modules_after(_INFO.format(args=[*graph, "info", "--format", fmt]))
        assert again.returncode == 0, again.stderr
        assert again.stdout.strip()
        assert [m for m in loaded if m.split(".")[0] in ("pyarrow", "numpy", "pydantic", "pandas", "rdflib",
                                                         "networkx", "pyvis", "pyoxigraph", "ryml")] == []
        assert not {"mtorgraph.model", "mtorgraph.columnar", "mtorgraph.analysis.summary"} & loaded


@pytest.mark.parametrize("fmt, name, reader", [("nt", "mini.nt", "mtorgraph.io.rdf_read"),
                                               ("kgx-tsv", "mini_edges.tsv", "mtorgraph.io.kgx_read")])
def test_a_command_on_a_cached_file_imports_no_reader(fmt: str, name: str, reader: str, tmp_path: Path) -> None:
    """Once a file input is in the compiled cache, a command maps the stored tables: the format's
    reader (and rdflib, which the RDF reader brings) is imported only when the cache misses."""
    from click.testing import CliRunner

    graph = tmp_path / name
    mini = Path(__file__).parent / "data" / "mini.yaml"
    assert CliRunner().invoke(main, ["--graph", str(mini), "export", "--to", fmt, "-o", str(graph)]).exit_code == 0
    code = _INFO.format(args=["--graph", str(graph), "paths", "rapamycin", "depression"])
    first, done = _modules_after(code)
    assert done.returncode == 0, done.stderr
    assert reader in first  # the first command read the file
    loaded, again = _modules_after(code)
    assert again.returncode == 0, again.stderr
    assert again.stdout == done.stdout and "rapamycin" in again.stdout
    assert reader not in loaded and "rdflib" not in loaded
