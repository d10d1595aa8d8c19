"""Outputs (section 5 and the XML / determinism items of section 4): never replace a link,
device or FIFO; leave no temporary file; byte-identical exports across processes; RDF/XML never
written unreadable."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time

import pytest

from mtorgraph.cli import main
from mtorgraph.errors import MtorgraphError, OutputError
from mtorgraph.io import load_graph, write_graph
from mtorgraph.io.atomic import remove_stale_temp_files, write_text_atomic

from .conftest import MINI, ROOT


def test_symlink_is_written_through(tmp_path, runner):
    """Probe 5.11: export -o link.ttl updates the link's target and keeps the link."""
    real = tmp_path / "real.ttl"
    real.write_text("old")
    link = tmp_path / "link.ttl"
    link.symlink_to(real.name)
    result = runner.invoke(main, ["--graph", str(MINI), "export", "-o", str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert real.read_text().startswith("@prefix")


def test_character_device_is_written_into(runner):
    """Probe 5.13: view/export -o /dev/null writes into the device and leaves it a device."""
    before = os.stat("/dev/null")
    result = runner.invoke(main, ["--graph", str(MINI), "export", "--to", "nt", "-o", "/dev/null"])
    assert result.exit_code == 0, result.stderr
    after = os.stat("/dev/null")
    assert (after.st_mode, after.st_rdev) == (before.st_mode, before.st_rdev)


def test_fifo_without_reader_is_refused(tmp_path, runner):
    """Probe 5.12: a FIFO nobody reads is refused, not replaced and not blocking."""
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    result = runner.invoke(main, ["--graph", str(MINI), "export", "-o", str(fifo)])
    assert result.exit_code == 1 and "nobody reads" in result.stderr
    assert fifo.is_fifo()


def test_fifo_with_reader_receives_the_text(tmp_path):
    fifo = tmp_path / "pipe.nt"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(open(fifo, "rb").read()))
    reader.start()
    deadline = time.time() + 10
    while True:  # the reader must have the FIFO open before the writer may write
        try:
            write_text_atomic(fifo, "hello\n")
            break
        except OutputError:
            assert time.time() < deadline
            time.sleep(0.05)
    reader.join(10)
    assert received == [b"hello\n"] and fifo.is_fifo()


def test_socket_and_directory_are_refused(tmp_path):
    import socket

    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        with pytest.raises(OutputError, match="socket"):
            write_text_atomic(path, "x")
    finally:
        server.close()
    with pytest.raises(OutputError):
        write_text_atomic(tmp_path, "x")


def test_failed_write_leaves_old_file_and_no_temp_file(tmp_path, monkeypatch):
    """Probes 5.2/5.3 in-process: a failure between write and rename keeps the old file."""
    target = tmp_path / "out.ttl"
    target.write_text("old")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError, match="No space left"):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


def test_stale_temp_files_are_removed(tmp_path):
    stale = tmp_path / ".big.nt.abc123xy.tmp"
    stale.write_text("left by a killed run")
    fresh = tmp_path / ".big.nt.zzz999qq.tmp"
    fresh.write_text("a write in progress")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    (tmp_path / "keep.tmp").write_text("not ours")
    assert remove_stale_temp_files(tmp_path) == [stale]
    assert fresh.exists() and (tmp_path / "keep.tmp").exists()


@pytest.mark.parametrize("args", [["export", "-o", "ro/x.ttl"], ["export", "-o", "afile/sub.ttl"]],
                         ids=["5.08-unwritable", "5.09-under-a-file"])
def test_bad_output_paths_fail_cleanly(args, tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("x")
    (tmp_path / "ro").mkdir()
    real_mkstemp = __import__("tempfile").mkstemp

    def mkstemp(*a, dir=None, **k):
        if dir is not None and os.path.basename(str(dir)) == "ro":
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*a, dir=dir, **k)

    monkeypatch.setattr("tempfile.mkstemp", mkstemp)
    result = runner.invoke(main, ["--graph", str(MINI), *args])
    assert result.exit_code == 1 and "cannot write" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def _export_digest(fmt: str, seed: str, tmp_path) -> str:
    out = tmp_path / f"{seed}.{fmt}"
    env = dict(os.environ, PYTHONHASHSEED=seed)
    subprocess.run([sys.executable, "-m", "mtorgraph", "--graph", str(MINI), "export", "--to", fmt, "-o", str(out)],
                   check=True, env=env, cwd=ROOT, capture_output=True)
    return hashlib.sha256(out.read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt", ["jsonld", "xml", "turtle"])
def test_exports_are_byte_identical_across_processes(fmt, tmp_path):
    assert _export_digest(fmt, "1", tmp_path) == _export_digest(fmt, "2", tmp_path)


HOSTILE = ['a"""b', "a'''b", "trailing\\", "cr\rlf\n", "<http://evil> .", 'x" ; <p> "y', "\\u0022", '"5"^^<x>',
           '"x"@en', "tab\there", "del\x7f", "nel\x85", "\u2028\u2029", "\ufeffbom", "astral \U0001f600",
           "rtl \u202e", "]]> <!--", "&amp;", "  spaces  ", 'trailing"']


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".trig", ".jsonld", ".rdf"])
def test_hostile_strings_round_trip(suffix, tmp_path, mini):
    """Probe 4.7/4.8: hostile text survives every format that can carry it."""
    entities = tuple(e.model_copy(update={"note": "|".join(HOSTILE)}) if e.key == "rapamycin" else e
                     for e in mini.entities)
    graph = type(mini)(**{**{name: getattr(mini, name) for name in type(mini).model_fields}, "entities": entities})
    path = tmp_path / f"g{suffix}"
    write_graph(graph, path)
    assert load_graph(path).entity("rapamycin").note == "|".join(HOSTILE)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0b", "\x0c", "\ufffe", "\uffff"])
def test_rdfxml_refuses_characters_xml_cannot_carry(char, tmp_path, mini):
    """Probe 4.8: instead of an unreadable file, a clear error naming the character."""
    entities = tuple(e.model_copy(update={"note": f"a{char}b"}) if e.key == "rapamycin" else e for e in mini.entities)
    graph = type(mini)(**{**{name: getattr(mini, name) for name in type(mini).model_fields}, "entities": entities})
    with pytest.raises(MtorgraphError, match=f"U\\+{ord(char):04X}"):
        write_graph(graph, tmp_path / "g.rdf")
    assert not (tmp_path / "g.rdf").exists()


def test_the_next_write_removes_what_a_killed_write_of_the_same_file_left(tmp_path):
    """Probes 5.2 and 5.3: a write killed before its rename leaves ``.NAME.XXXXXXXX.tmp``."""
    import os
    import time

    from mtorgraph.io.atomic import write_text_atomic

    stale = tmp_path / ".graph.ttl.abcd1234.tmp"
    fresh = tmp_path / ".graph.ttl.efgh5678.tmp"   # a write still running elsewhere
    other = tmp_path / ".other.ttl.abcd1234.tmp"   # another target's leftover
    for path in (stale, fresh, other):
        path.write_text("partial")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    write_text_atomic(tmp_path / "graph.ttl", "new\n")
    assert (tmp_path / "graph.ttl").read_text() == "new\n"
    assert not stale.exists() and fresh.exists() and other.exists()
