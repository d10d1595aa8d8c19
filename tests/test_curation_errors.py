"""Every invalid input yields its expected file:line:col message and code, exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtorgraph import CurationError, load_graph
from mtorgraph.cli import main
from mtorgraph.io.curated import validate_curated

from .conftest import DATA, ROOT

INVALID = sorted((DATA / "invalid").glob("*.yaml"))


def _expected(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: LINE:COL error[code]: …'"
    return first.removeprefix("# expect: ")


def test_there_are_enough_invalid_cases():
    assert len(INVALID) >= 15
    codes = {_expected(p).split("error[", 1)[1].split("]", 1)[0] for p in INVALID}
    assert len(codes) >= 15, codes


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_input_reports_its_one_mistake(path, runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    relative = path.relative_to(ROOT)
    result = runner.invoke(main, ["validate", str(relative)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if "error[" in line]
    assert errors == [f"{relative}:{_expected(path)}"]


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_commands_on_an_invalid_graph_fail_cleanly(path, runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = runner.invoke(main, ["--graph", str(path.relative_to(ROOT)), "info"])
    assert result.exit_code == 1
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert "error[" in result.stderr
    assert result.stdout == ""


def test_load_graph_raises_one_error_with_every_problem(tmp_path):
    bad = tmp_path / "two.yaml"
    text = (DATA / "invalid" / "unknown-entity.yaml").read_text()
    bad.write_text(text.replace("kind: animal_in_vivo", "kind: animal"))
    with pytest.raises(CurationError) as info:
        load_graph(bad)
    codes = sorted(p.code for p in info.value.problems)
    assert codes == ["unknown-entity", "unknown-evidence-kind"]
    assert str(info.value).endswith("2 problems in 1 file")


def test_a_missing_path_is_reported(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "error[missing-file]" in result.stderr


def test_a_graph_directory_needs_entities_and_references(runner, tmp_path):
    (tmp_path / "edges").mkdir()
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.count("error[missing-file]") == 2


def test_unverified_only_edge_is_a_warning_not_an_error(tmp_path, runner):
    text = (DATA / "invalid" / "unknown-entity.yaml").read_text().splitlines()[1:]
    good = "\n".join(text).replace("object: mtorc\n", "object: mtorc1\n").replace('verified: "yes"', 'verified: "partial"')
    path = tmp_path / "partial.yaml"
    path.write_text(good + "\n")
    problems = validate_curated(path)
    assert [(p.code, p.severity) for p in problems] == [("unverified-only", "warning")]
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    assert "warning[unverified-only]" in result.output
    assert "ok, 0 errors, 1 warning" in result.output
    assert len(load_graph(path).edges) == 1


def test_validate_json_lists_problems_as_records(runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = runner.invoke(main, ["validate", "tests/data/invalid/unknown-predicate.yaml", "--format", "json"])
    assert result.exit_code == 1
    import json

    rows = json.loads(result.stdout)
    assert rows == [{"file": "tests/data/invalid/unknown-predicate.yaml", "line": 9, "column": 16,
                     "severity": "error", "code": "unknown-predicate",
                     "message": "edges[0].predicate 'inhibit' is not allowed", "hint": "did you mean 'inhibits'?"}]


def test_an_entity_that_does_not_state_its_id_status_is_unverified_with_a_warning(runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = runner.invoke(main, ["validate", "tests/data/id-status-unstated.yaml"])
    assert result.exit_code == 0, result.output
    assert ("tests/data/id-status-unstated.yaml:4:3: warning[id-status-unstated]: entities.mtorc1 does not state "
            "its id_status, so it is shown as unverified") in result.stderr
    graph = load_graph(DATA / "id-status-unstated.yaml")
    assert graph.entity("mtorc1").id_status == "unverified" and graph.entity("rapamycin").id_status == "verified"
