"""``info`` answers from the counts it stored for a curated graph: byte for byte what opening the
graph gives (text, json, tsv; stdout, stderr, exit status), missed by any edit, and a stored
summary that does not read back is ignored and written again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mtorgraph.cli import main
from mtorgraph.io import compiled
from mtorgraph.io.cache_summary import read_summary, summary_key
from mtorgraph.io.limits import current_limits
from mtorgraph.io.registry import bundled_graph_path

from .conftest import DATA, MINI

FORMATS = (["--format", "table"], ["--format", "json"], ["--format", "tsv"], ["--wide"])


def _summaries(cache: Path) -> list[Path]:
    folder = cache / ".summaries"
    return sorted(folder.glob("*.json")) if folder.exists() else []


def _run(runner, graph: Path | None, extra: list[str], *before: str):
    args = [*before, *(["--graph", str(graph)] if graph else []), "info", *extra]
    result = runner.invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


def _no_opening(monkeypatch) -> None:
    """Make opening the graph (from the compiled cache or the files) fail the test."""
    def fail(*args, **kwargs):
        raise AssertionError("info opened the graph instead of reading its stored summary")
    monkeypatch.setattr(compiled, "_read_entry", fail)
    monkeypatch.setattr(compiled, "_build", fail)


@pytest.mark.parametrize("graph", [None, MINI], ids=["bundled", "mini-with-warnings"])
def test_stored_summary_gives_the_same_bytes(graph, runner, compiled_cache_in_tmp, monkeypatch):
    opened = {tuple(f): _run(runner, graph, f, "--no-cache") for f in FORMATS}
    objects = {}
    monkeypatch.setenv("MTORGRAPH_ENGINE", "objects")
    objects = {tuple(f): _run(runner, graph, f) for f in FORMATS}
    monkeypatch.delenv("MTORGRAPH_ENGINE")
    assert _summaries(compiled_cache_in_tmp) == []  # neither --no-cache nor the object engine stores one
    first = {tuple(f): _run(runner, graph, f) for f in FORMATS}
    assert len(_summaries(compiled_cache_in_tmp)) == 1
    _no_opening(monkeypatch)
    stored = {tuple(f): _run(runner, graph, f) for f in FORMATS}
    assert opened == objects == first == stored
    assert all(code == 0 and out and err == "" for code, out, err in stored.values())


def test_the_summary_sits_beside_the_compiled_entry(runner, compiled_cache_in_tmp):
    _run(runner, MINI, [])
    entries = [p for p in compiled_cache_in_tmp.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(entries) == 1 and (entries[0] / "graph.json").is_file()
    key = summary_key(MINI, current_limits())
    assert key is not None and read_summary(compiled_cache_in_tmp, key)["edges"] == 10


def test_an_edited_graph_misses_the_summary(tmp_path, runner, compiled_cache_in_tmp, monkeypatch):
    graph = tmp_path / "g.yaml"
    shutil.copy(MINI, graph)
    before = _run(runner, graph, ["--format", "json"])
    assert "mouse" not in json.loads(before[1])["evidence_by_species"]
    graph.write_text(graph.read_text().replace("context: {species: human, n: 20,", "context: {species: mouse, n: 20,"))
    after = _run(runner, graph, ["--format", "json"])
    assert after[0] == 0 and after == _run(runner, graph, ["--format", "json"], "--no-cache")
    assert json.loads(after[1])["evidence_by_species"]["mouse"] == 1
    assert len(_summaries(compiled_cache_in_tmp)) == 2


def test_a_graph_folder_with_a_new_edge_file_misses_the_summary(tmp_path, runner, compiled_cache_in_tmp):
    graph = tmp_path / "graph"
    shutil.copytree(bundled_graph_path(), graph)
    before = json.loads(_run(runner, graph, ["--format", "json"])[1])
    extra = sorted((graph / "edges").glob("*.yaml"))[0]
    text = extra.read_text()
    (graph / "edges" / f"zz-copy-{extra.name}").write_text(text)
    code, out, err = _run(runner, graph, ["--format", "json"])
    assert (code, out, err) == _run(runner, graph, ["--format", "json"], "--no-cache")
    if code == 0:  # a copy of an edge file adds its edges (or is refused as duplicates: then no summary is used)
        assert json.loads(out)["edges"] > before["edges"]


@pytest.mark.parametrize("content", [
    "", "{not json", '{"format": "mtorgraph-info-summary"}', "[1, 2]",
    None,  # the right record, but for another key
    "bool",  # a count that is not an int
    "text",  # a count that is a string
], ids=["empty", "truncated", "no-key", "a-list", "other-key", "bool-count", "text-count"])
def test_a_corrupt_summary_is_ignored_and_rewritten(content, runner, compiled_cache_in_tmp):
    expected = _run(runner, MINI, ["--format", "json"], "--no-cache")
    _run(runner, MINI, [])
    [path] = _summaries(compiled_cache_in_tmp)
    record = json.loads(path.read_text())
    if content is None:
        record["key"] = "0" * 40
        content = json.dumps(record)
    elif content in ("bool", "text"):
        record["summary"]["edges"] = True if content == "bool" else "10"
        content = json.dumps(record)
    path.write_text(content)
    assert _run(runner, MINI, ["--format", "json"]) == expected
    assert json.loads(path.read_text())["summary"] == json.loads(expected[1])


def test_a_lying_summary_is_what_info_prints(runner, compiled_cache_in_tmp):
    """The stored counts are really used: a changed (well-formed) summary shows up in the output,
    so the tests above that compare outputs compare the stored path, not a silent fallback."""
    _run(runner, MINI, [])
    [path] = _summaries(compiled_cache_in_tmp)
    record = json.loads(path.read_text())
    record["summary"]["edges"] = 12345
    path.write_text(json.dumps(record))
    assert json.loads(_run(runner, MINI, ["--format", "json"])[1])["edges"] == 12345


def test_no_summary_for_merged_graphs(tmp_path, runner, compiled_cache_in_tmp):
    _run(runner, DATA / "other.yaml", [], "--graph", str(MINI))  # merged
    assert _summaries(compiled_cache_in_tmp) == []


def test_a_graph_file_of_another_format_gets_a_summary_beside_its_compiled_entry(tmp_path, runner,
                                                                                 compiled_cache_in_tmp, monkeypatch):
    nt = tmp_path / "mini.nt"
    assert runner.invoke(main, ["--graph", str(MINI), "export", "--to", "nt", "-o", str(nt)]).exit_code == 0
    opened = {tuple(f): _run(runner, nt, f, "--no-cache") for f in FORMATS}
    first = {tuple(f): _run(runner, nt, f) for f in FORMATS}
    assert len(_summaries(compiled_cache_in_tmp)) == 1
    _no_opening(monkeypatch)
    monkeypatch.setattr(compiled, "_write_entry", lambda *a, **k: pytest.fail("info opened the graph"))
    stored = {tuple(f): _run(runner, nt, f) for f in FORMATS}
    assert opened == first == stored and all(code == 0 and err == "" for code, _, err in stored.values())
    monkeypatch.undo()
    monkeypatch.setenv("MTORGRAPH_CACHE_DIR", str(compiled_cache_in_tmp))
    entry = next(p for p in compiled_cache_in_tmp.iterdir() if p.is_dir() and not p.name.startswith("."))
    shutil.rmtree(entry)  # without its compiled entry, the summary is not trusted: the file is read again
    assert _run(runner, nt, ["--format", "json"]) == opened[("--format", "json")]
    nt.write_text(nt.read_text() + "# an edit\n")  # any changed byte misses both
    assert _run(runner, nt, ["--format", "json"])[0] == 0 and len(_summaries(compiled_cache_in_tmp)) == 2


def test_a_graph_whose_reader_warns_warns_every_time(runner, compiled_cache_in_tmp):
    mixed = DATA / "indra" / "mixed_statements.json"
    first, second = _run(runner, mixed, []), _run(runner, mixed, [])
    assert first == second and "statements not imported" in second[2]
    assert _summaries(compiled_cache_in_tmp) == []


def test_an_unwritable_cache_still_answers(tmp_path, runner, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MTORGRAPH_CACHE_DIR", str(blocker / "cache"))
    code, out, err = _run(runner, MINI, ["--format", "json"])
    assert code == 0 and json.loads(out)["edges"] == 10 and err == ""


def test_errors_are_reported_the_same_and_store_nothing(runner, compiled_cache_in_tmp):
    bad = DATA / "invalid" / "unknown-entity.yaml"
    first = _run(runner, bad, [])
    assert first[0] == 1 and first == _run(runner, bad, []) == _run(runner, bad, [], "--no-cache")
    assert _summaries(compiled_cache_in_tmp) == []
    missing = _run(runner, DATA / "no-such-graph.yaml", [])
    assert missing[0] == 1 and missing == _run(runner, DATA / "no-such-graph.yaml", [], "--no-cache")


@pytest.mark.parametrize("name, fmt", [("mini.nt", "nt"), ("mini_edges.tsv", "kgx-tsv")])
def test_a_stored_summary_of_a_keyed_file_is_read_without_pyarrow(name, fmt, tmp_path, runner, compiled_cache_in_tmp):
    """(A KGX pair's files are named without the KGX reader, which imports pyarrow and the models.)"""
    import subprocess
    import sys

    graph = tmp_path / name
    assert runner.invoke(main, ["--graph", str(MINI), "export", "--to", fmt, "-o", str(graph)]).exit_code == 0
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('heavy:', sorted(m for m in ('pyarrow', 'numpy', 'pydantic')"
            " if m in sys.modules), file=sys.stderr))\n"
            f"sys.argv = ['mtorgraph', '--graph', {str(graph)!r}, 'info']\n"
            "from mtorgraph.cli.entry import run\nrun()\n")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
            for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0] and runs[0].stdout == runs[1].stdout
    assert "heavy: []" in runs[1].stderr  # the second answers from the summary
