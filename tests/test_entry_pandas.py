"""The console script keeps pyarrow from importing pandas (it would only ask whether our values are
pandas objects), except for ``atlas``; answers stay byte for byte those of the click group."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from click.testing import CliRunner

from mtorgraph.cli import main
from mtorgraph.cli.entry import needs_pandas

#: Runs the console script's entry point on argv[1:], then says on stderr whether pandas was imported.
_RUN = """
import atexit, sys
atexit.register(lambda: print("pandas imported:", "pandas" in sys.modules, file=sys.stderr))
sys.argv = ["mtorgraph", *sys.argv[1:]]
from mtorgraph.cli.entry import run
run()
"""


def _script(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _RUN, *argv], capture_output=True, text=True, check=False)


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas is not installed here")
def test_paths_through_the_script_imports_no_pandas_and_answers_as_the_group_does() -> None:
    done = _script("paths", "rapamycin", "depression")
    assert done.returncode == 0, done.stderr
    assert "pandas imported: False" in done.stderr
    assert done.stdout == CliRunner().invoke(main, ["paths", "rapamycin", "depression"]).stdout


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas is not installed here")
def test_a_library_that_imports_pandas_itself_still_can() -> None:
    code = ("import sys\nsys.argv = ['mtorgraph', 'atlas', '--help']\nfrom mtorgraph.cli.entry import run\n"
            "try:\n    run()\nexcept SystemExit:\n    pass\nimport pandas\nprint(pandas.__name__)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("pandas")


def test_errors_keep_their_exit_status_through_the_script() -> None:
    done = _script("paths", "rapamycin", "no-such-entity-anywhere")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("argv", "needed"), [
    (["atlas", "--engine", "spark"], True),
    (["--graph", "g.yaml", "atlas"], True),
    (["paths", "rapamycin", "depression"], False),
    (["export", "--to", "nt"], False),
    ([], False),
])
def test_which_command_lines_keep_pandas(argv: list[str], needed: bool) -> None:
    assert needs_pandas(argv) is needed


#: Runs the console script's entry point on argv[1:], then says on stderr what OpenBLAS was asked for.
_BLAS = """
import atexit, os, sys
atexit.register(lambda: print("blas threads:", os.environ.get("OPENBLAS_NUM_THREADS"), file=sys.stderr))
sys.argv = ["mtorgraph", *sys.argv[1:]]
from mtorgraph.cli.entry import run
run()
"""


@pytest.mark.parametrize(("argv", "user", "expected"), [
    (["info"], None, "1"),  # no command calls linear algebra: one thread, no pool to start
    (["info"], "4", "4"),  # the user's choice stands
    (["atlas", "--help"], None, None),  # Spark's workers are left as they are
])
def test_openblas_is_asked_for_one_thread_unless_the_user_chose(argv, user, expected, monkeypatch) -> None:
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    if user is not None:
        monkeypatch.setenv("OPENBLAS_NUM_THREADS", user)
    done = subprocess.run([sys.executable, "-c", _BLAS, *argv], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert f"blas threads: {expected}" in done.stderr
