"""Writers of one output folder take turns; writers of other folders beside it do not wait."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mtorgraph.io import atomic_dir

WRITE = ("import sys; from mtorgraph.io.atomic_dir import write_dir_atomic; "
         "write_dir_atomic(sys.argv[1], {'a.txt': 'new'})")


def _writer(out):
    return subprocess.Popen([sys.executable, "-c", WRITE, str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_folder_beside_a_locked_one_is_written_at_once(tmp_path):
    with atomic_dir._locked(tmp_path / "first"):
        beside = _writer(tmp_path / "second")
        assert beside.wait(timeout=60) == 0, beside.stderr.read().decode()
        same = _writer(tmp_path / "first")
        with pytest.raises(subprocess.TimeoutExpired):
            same.wait(timeout=2)  # waits for the lock
    assert same.wait(timeout=60) == 0, same.stderr.read().decode()
    assert (tmp_path / "first" / "a.txt").read_text() == "new"
    assert (tmp_path / "second" / "a.txt").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first", "second"]  # no lock file in the user's folder


def test_one_folder_reached_through_a_link_has_one_lock(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert atomic_dir._lock_file(tmp_path / "link" / "out") == atomic_dir._lock_file(tmp_path / "real" / "out")
    assert atomic_dir._lock_file(tmp_path / "real" / "out") != atomic_dir._lock_file(tmp_path / "real" / "other")
