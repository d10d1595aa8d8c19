"""The KGX reader's column-wise paths give what the item-by-item reader gives, byte for byte.

mtorgraph's own evidence JSON is parsed by ``pyarrow.json`` a block at a time; a block it cannot
read exactly falls back to ``json.loads`` per cell. These tests read the same files both ways (the
fallback forced by making the column parser give up) and compare the tables, the CLI outputs and
the errors; and they check the file checks (UTF-8, long lines) still name the same place.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtorgraph.cli import main
from mtorgraph.io import columnar_build
from mtorgraph.io.kgx_read import read_kgx

from .conftest import MINI

HEADER = "subject\tpredicate\tobject\tobject_direction_qualifier\tpublications\tmtorgraph_evidence\n"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def _item_by_item(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnar_build, "parse_items", lambda cells: None)


def _tables(path: Path) -> dict:
    graph, report = read_kgx(path)
    return {"tables": {name: table for name, table in graph.tables.items()}, "report": report.as_json()}


def _both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """What reading ``path`` gives (or raises) in columns, then item by item."""
    out = []
    for force in (False, True):
        with monkeypatch.context() as patch:
            if force:
                _item_by_item(patch)
            try:
                out.append(_tables(path))
            except Exception as exc:  # noqa: BLE001 - the two ways must fail alike
                out.append((type(exc).__name__, str(exc)))
    return out[0], out[1]


def _assert_same(columns: object, items: object) -> None:
    if isinstance(items, tuple) or isinstance(columns, tuple):
        assert columns == items
        return
    assert columns["report"] == items["report"]
    for name, table in items["tables"].items():
        assert columns["tables"][name].equals(table), name


@pytest.mark.parametrize("source", ["bundled", "mini"])
def test_exports_read_the_same_in_columns_and_item_by_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           source: str) -> None:
    graph = [] if source == "bundled" else ["--graph", str(MINI)]
    assert run(*graph, "--no-cache", "export", "--to", "kgx-tsv", "-o", str(tmp_path / "g")).exit_code == 0
    edges = tmp_path / "g_edges.tsv"
    columns, items = _both_ways(edges, monkeypatch)
    assert not isinstance(columns, tuple) and columns["tables"]["evidence"].num_rows > 0
    _assert_same(columns, items)
    outputs = []
    for force in (False, True):
        with monkeypatch.context() as patch:
            if force:
                _item_by_item(patch)
            outputs.append([run("--graph", str(edges), "--no-cache", *command).stdout for command in
                            (["info"], ["export", "--to", "nt", "-o", "-"], ["edges", "--format", "json"])])
    assert outputs[0] == outputs[1] and all(outputs[0])


def test_blocks_that_fall_back_keep_the_order_new_references_are_met_in(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    rows = []
    for i in range(12):
        item = {"kind": "in_vitro", "finding": f"finding {i}", "reference": f"unknown_{i % 5}"}
        if i == 7:
            item["direction"] = None  # an explicit null: that block is read item by item
        if i == 4:
            item["context"] = {"species": "mouse", "n": 3}
        rows.append(f"CHEBI:{i}\tbiolink:affects\tGO:{i}\tincreased\t\t{json.dumps([item, {**item, 'kind': 'rct'}])}\n")
    path = tmp_path / "b_edges.tsv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    monkeypatch.setattr(columnar_build, "_OWN_BLOCK", 3)
    columns, items = _both_ways(path, monkeypatch)
    _assert_same(columns, items)
    keys = columns["tables"]["references"].column("key").to_pylist()
    assert keys[:5] == [f"mtorgraph_reference_unknown_{i}" for i in range(5)]


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
_context = st.dictionaries(st.sampled_from(["species", "anatomy", "design", "n", "dose", "extra"]),
                           st.one_of(_text, st.integers(-3, 2**33), st.none(), st.floats(allow_nan=False)),
                           max_size=4)
_item = st.dictionaries(
    st.sampled_from(["kind", "direction", "basis", "finding", "reference", "effect", "p_value", "experiment",
                     "context", "other"]),
    st.one_of(_text, st.sampled_from(["rct", "in_vitro", "refutes", "cited_statement", "ref_a", "ref_b"]),
              st.none(), st.integers(0, 5), _context, st.lists(_text, max_size=2)),
    max_size=6)
_clean_item = st.dictionaries(
    st.sampled_from(["kind", "direction", "basis", "finding", "reference", "effect", "p_value", "experiment"]),
    st.one_of(_text, st.sampled_from(["rct", "refutes", "cited_statement", "ref_a", "ref_b"])), max_size=5,
).flatmap(lambda item: st.fixed_dictionaries({}, optional={"context": st.fixed_dictionaries(
    {}, optional={"species": st.sampled_from(["human", "mouse"]), "design": _text, "n": st.integers(1, 500)})}
).map(lambda extra: {**item, **extra}))
_clean = st.lists(_clean_item, max_size=3).map(lambda v: json.dumps(v, ensure_ascii=False))
_cell = st.one_of(_clean, _clean, _clean, st.lists(_item, max_size=3).map(lambda v: json.dumps(v, ensure_ascii=False)),
                  st.lists(_item, max_size=3).map(json.dumps),
                  st.sampled_from(['[{"kind": "rct"}], "x": 1', '[{"kind": "rct"}]} {"e": []',
                                   '[{"kind": "rct", "kind": "x"}]', '{"kind": "rct"}', "[1]", "[]", "not json",
                                   '[{"finding": "\\ud800"}]', '[{"context": null}]']))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(_cell, min_size=1, max_size=8), block=st.integers(1, 4))
def test_random_evidence_cells_read_alike_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    cells: list[str], block: int) -> None:
    path = tmp_path / "r_edges.tsv"
    path.write_text(HEADER + "".join(f"CHEBI:{i % 3}\tbiolink:affects\tGO:{i % 2}\tdecreased\tPMID:{i + 1}\t{cell}\n"
                                     for i, cell in enumerate(cells)), encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(columnar_build, "_OWN_BLOCK", block)
        columns, items = _both_ways(path, patch)
    _assert_same(columns, items)


def _edges_file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "bad_edges.tsv"
    path.write_bytes(data)
    return path


def test_a_byte_that_is_not_utf8_is_named_by_offset_and_line(tmp_path: Path) -> None:
    head = b"subject\tpredicate\tobject\n" + b"CHEBI:1\tbiolink:affects\tGO:1\n" * 3000
    path = _edges_file(tmp_path, head + b"CHEBI:2\tbiolink:affects\tGO:\xe2\x82\n")
    result = run("--graph", str(path), "--no-cache", "info")
    offset = len(head) + len(b"CHEBI:2\tbiolink:affects\tGO:")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"bad_edges.tsv:3002: error[not-utf8]: byte 0xe2 at offset {offset} is not UTF-8 text" in result.stderr


@pytest.mark.parametrize("where", [5, 1500, 2999])
def test_the_longest_line_is_refused_wherever_it_is(tmp_path: Path, where: int) -> None:
    lines = [b"subject\tpredicate\tobject"] + [b"CHEBI:1\tbiolink:affects\tGO:1"] * 3000
    lines[where] = b"CHEBI:1\tbiolink:affects\tGO:" + b"1" * 980  # 1,007 bytes
    lines[where + 1] = b"CHEBI:1\tbiolink:affects\tGO:" + b"1" * 1000  # 1,027 bytes: the longest
    path = _edges_file(tmp_path, b"\n".join(lines))
    result = run("--graph", str(path), "--no-cache", "info", env={"MTORGRAPH_MAX_SCALAR_CHARS": "1000"})
    assert result.exit_code == 1
    assert (f"bad_edges.tsv:{where + 2}: error[line-too-long]: line {where + 2} is 1,027 bytes long, more than "
            "the limit of 1,000") in result.stderr


def test_a_line_at_the_limit_passes_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    row = b"CHEBI:1\tbiolink:affects\tGO:"
    body = [row + b"1"] * 2000
    at_limit = body + [row + b"1" * (1000 - len(row))]
    path = _edges_file(tmp_path, b"subject\tpredicate\tobject\n" + b"\n".join(at_limit))
    env = {"MTORGRAPH_MAX_SCALAR_CHARS": "1000"}
    assert run("--graph", str(path), "--no-cache", "info", env=env).exit_code == 0
    path.write_bytes(b"subject\tpredicate\tobject\n" + b"\n".join(body + [row + b"1" * (1001 - len(row))]))
    refused = run("--graph", str(path), "--no-cache", "info", env=env)
    assert refused.exit_code == 1 and "bad_edges.tsv:2002: error[line-too-long]" in refused.stderr


def test_unmapped_rows_are_named_by_file_line_past_blank_lines(tmp_path: Path) -> None:
    text = (HEADER + "CHEBI:1\tbiolink:affects\tGO:1\tincreased\t\t\n\n\n"
            "CHEBI:2\tbiolink:treats\tMONDO:1\t\t\t\n\r\n"
            "CHEBI:3\tbiolink:affects\tGO:3\tdecreased\t\t\n"
            "CHEBI:4\tbiolink:treats\tMONDO:2\t\t\t\n")
    path = tmp_path / "u_edges.tsv"
    path.write_text(text, encoding="utf-8")
    graph, report = read_kgx(path)
    assert report.unmapped_lines == [5, 8] and report.unmapped == {"biolink:treats": 2}
    assert graph.tables["edges"].num_rows == 2
