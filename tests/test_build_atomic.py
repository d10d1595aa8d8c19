"""``build`` replaces its output folder as a whole: a build killed at any point leaves the previous
build or the new one, never a mix, and the next build clears what a killed one left behind.

Real processes are killed with SIGKILL at exact points: a driver wraps one call used by
:mod:`mtorgraph.io.atomic_dir` (opening an output file, rename, the folder swap, rmtree) so that its
N-th call kills the process, then runs the real CLI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mtorgraph.build import OUTPUT_FILES, run_build
from mtorgraph.cli import main

from .conftest import DATA, MINI

OLD, NEW = MINI, DATA / "no_rapamycin.yaml"   # only the old graph mentions rapamycin

DRIVER = r"""
import builtins, os, shutil, signal, sys
from mtorgraph.io import atomic_dir
point, nth, mode, graph, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
if mode == "fallback":
    atomic_dir._exchange = lambda a, b: False
calls = [0]
def killing(orig):
    def wrapper(*args, **kwargs):
        calls[0] += 1
        if calls[0] == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return orig(*args, **kwargs)
    return wrapper
if point == "exchange":
    atomic_dir._exchange = killing(atomic_dir._exchange)
elif point == "open":  # a module global shadows the builtin inside atomic_dir only
    atomic_dir.open = killing(builtins.open)
elif point == "stream":  # the exports build.py streams into the hidden folder
    from mtorgraph import build
    build.open = killing(builtins.open)
else:
    module = shutil if point == "rmtree" else os
    setattr(module, point, killing(getattr(module, point)))
from mtorgraph.cli import main
main(["--graph", graph, "build", "--out", out])
"""

# (mode, wrapped call, which call kills): opening the 1st and the 3rd text file and the 2nd streamed
# export, the swap, the removal of the swapped-out folder; in fallback mode two renames (old aside,
# new in place) and the removal.
POINTS = [("exchange", "open", 1), ("exchange", "open", 3), ("exchange", "stream", 2),
          ("exchange", "exchange", 1), ("exchange", "rmtree", 1),
          ("fallback", "rename", 1), ("fallback", "rename", 2), ("fallback", "rmtree", 1)]


def _generation(folder, references):
    """'old' or 'new' if the folder holds exactly one build's files, else a description of the mix."""
    names = sorted(p.name for p in folder.iterdir())
    if names != sorted(OUTPUT_FILES):
        return f"files {names}"
    gens = set()
    for name in OUTPUT_FILES:
        text = (folder / name).read_text()
        gen = "old" if "rapamycin" in text else "new"
        if name.endswith(".jsonld"):
            json.loads(text)  # complete (its key order varies between processes, so no byte compare)
        else:
            assert text == references[gen][name], f"{name} is neither complete build"
        gens.add(gen)
    return gens.pop() if len(gens) == 1 else f"mixed {sorted(gens)}"


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    root = tmp_path_factory.mktemp("refs")
    out = {}
    for gen, graph in (("old", OLD), ("new", NEW)):
        run_build(graph, root / gen)
        out[gen] = {name: (root / gen / name).read_text() for name in OUTPUT_FILES}
    return out


def test_a_build_killed_at_any_point_leaves_old_or_new(tmp_path, references, runner):
    outs, procs = [], []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for i, (mode, point, nth) in enumerate(POINTS):
        parent = tmp_path / f"p{i}"
        out = parent / "out"
        run_build(OLD, out)
        outs.append(out)
        # a cache of its own: drivers sharing one race to store the same entries, and replacing a
        # shared entry (rmtree, rename) could take the kill meant for the build's own calls
        own = {**env, "MTORGRAPH_CACHE_DIR": str(parent / "cache")}
        procs.append(subprocess.Popen([sys.executable, "-c", DRIVER, point, str(nth), mode, str(NEW), str(out)],
                                      env=own, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    seen = set()
    for (mode, point, nth), out, proc in zip(POINTS, outs, procs):
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == -9, (mode, point, nth, err.decode())  # it was killed, at that point
        hidden = sorted(p.name for p in out.parent.iterdir() if p.name not in ("out", "cache"))
        if out.exists():
            state = _generation(out, references)
        else:  # only the fallback, killed between its two renames: the old build waits aside, whole
            assert mode == "fallback" and len(hidden) == 2, hidden
            state = "absent, old aside"
        assert state in ("old", "new", "absent, old aside"), (mode, point, nth, state)
        seen.add(state)
        # The next build puts things right and leaves no hidden folder behind.
        result = runner.invoke(main, ["--graph", str(OLD), "build", "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert _generation(out, references) == "old"
        assert sorted(p.name for p in out.parent.iterdir() if p.name != "cache") == ["out"]
    assert {"old", "new"} <= seen  # the points cover both sides of the swap


def test_fallback_recovery_restores_the_previous_build(tmp_path, references):
    from mtorgraph.io import atomic_dir

    out = tmp_path / "out"
    run_build(OLD, out)
    os.rename(out, tmp_path / ".out.old-x1")  # what a fallback swap killed between its renames leaves
    (tmp_path / ".out.build-x2").mkdir()       # and a half-written new build
    atomic_dir._recover(out)
    assert _generation(out, references) == "old" and [p.name for p in tmp_path.iterdir()] == ["out"]


def test_build_refuses_a_folder_holding_other_files(runner, tmp_path):
    out = tmp_path / "docs"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = runner.invoke(main, ["--graph", str(MINI), "build", "--out", str(out)])
    assert result.exit_code == 1 and "notes.txt" in result.stderr and "Traceback" not in result.output
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]


def test_build_writes_through_a_symlinked_folder(runner, tmp_path, references):
    real = tmp_path / "real"
    run_build(OLD, real)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    result = runner.invoke(main, ["--graph", str(NEW), "build", "--out", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and _generation(real, references) == "new"


def test_two_builds_into_one_folder_at_once_leave_one_whole_build(tmp_path, references):
    """Probes 5.6 and 5.7: two builds of different graphs into one folder, started together."""
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cli = "import sys; from mtorgraph.cli import main; sys.argv[0] = 'mtorgraph'; main()"
    procs = [subprocess.Popen([sys.executable, "-c", cli, "--quiet", "--graph", str(graph), "build", "--out", str(out)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for graph in (OLD, NEW, OLD, NEW)]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err.decode()  # the lock makes them wait their turn
    assert _generation(out, references) in ("old", "new")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no hidden folder or lock left
