"""The columnar N-Triples/Turtle reader (io/ntriples_columns.py + rdf_open.open_rdf_columns) gives the
exact reader's tables, or its refusal, and handles every line form pyoxigraph accepts."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtorgraph import load_graph
from mtorgraph.cli import main
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.errors import MtorgraphError
from mtorgraph.io import rdf_open, rdf_read, write_graph
from mtorgraph.io.rdf import load_rdf
from mtorgraph.io.registry import open_graph

from .test_rdf_stream import nasty_graphs

LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
FINDING = "<https://w3id.org/mtorgraph/vocab/finding>"


def exact(path):
    """What the exact (rdflib) reader gives, as columns, or the message it refuses with."""
    try:
        return ColumnarGraph.from_model(load_rdf(path))
    except MtorgraphError as exc:
        return f"refused: {exc}"


def columnar(path):
    try:
        return rdf_open.open_rdf_columns(path)
    except MtorgraphError as exc:
        return f"refused: {exc}"


def same(a, b):
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return (all(a.tables[name].equals(b.tables[name]) for name in a.tables) and a.title == b.title
            and a.questions == b.questions and a.claims == b.claims and a.open_questions == b.open_questions)


@pytest.fixture
def columns_only(monkeypatch):
    """Make every slower path fail, so a result proves the columnar reader produced it."""
    def refuse(*args, **kwargs):
        raise AssertionError("the columnar reader fell back")
    monkeypatch.setattr(rdf_read, "_parse", refuse)
    monkeypatch.setattr(rdf_read, "load_rdf_fast", refuse)


@pytest.fixture(scope="module")
def bundled():
    return load_graph()


@pytest.fixture(scope="module")
def bundled_nt(bundled, tmp_path_factory):
    path = tmp_path_factory.mktemp("nt") / "g.nt"
    write_graph(bundled, path)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", ["nt", "ttl"])
def test_bundled_export_reads_on_columns_exactly(bundled, suffix, tmp_path, monkeypatch):
    path = tmp_path / f"g.{suffix}"
    write_graph(bundled, path)
    expected = exact(path)
    with monkeypatch.context() as patch:
        patch.setattr(rdf_read, "_parse", lambda *a: (_ for _ in ()).throw(AssertionError("fell back")))
        patch.setattr(rdf_read, "load_rdf_fast", lambda *a: (_ for _ in ()).throw(AssertionError("fell back")))
        # entities too are read on columns (with their synonym and xref lists)
        patch.setattr(rdf_read, "_entities", lambda *a: (_ for _ in ()).throw(AssertionError("entities fell back")))
        assert same(rdf_open.open_rdf_columns(path), expected)
        assert same(open_graph(path), expected)
    assert expected.to_model() == bundled


@pytest.mark.parametrize("block_bytes", [256, 4096])
def test_small_blocks_in_turn_read_as_one(bundled, block_bytes, tmp_path, monkeypatch, columns_only):
    """Blocks far smaller than the file (256 bytes: shorter than some lines, so buffers grow) are
    read on threads from buffers used in turn; the graph is the one the exact reader gives."""
    from mtorgraph.io import ntriples_columns

    path = tmp_path / "g.nt"
    write_graph(bundled, path)
    expected = exact(path)
    monkeypatch.setattr(ntriples_columns, "BLOCK_BYTES", block_bytes)
    assert same(rdf_open.open_rdf_columns(path), expected)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(nasty_graphs(), st.sampled_from(["nt", "ttl"]))
def test_random_graphs_read_on_columns_as_rdflib_reads_them(tmp_path_factory, graph, suffix):
    path = tmp_path_factory.mktemp("random") / f"g.{suffix}"
    try:
        write_graph(graph, path)
    except MtorgraphError:
        return  # a text the writer refuses never reaches a reader
    assert same(columnar(path), exact(path))


def _rewrite_first(text, marker, change):
    lines = text.split("\n")
    i = next(i for i, line in enumerate(lines) if marker in line)
    lines[i] = change(lines[i])
    return "\n".join(lines)


def _escape_one(line):
    head, value, tail = line.split('"', 2)
    return f'{head}"\\u{ord(value[0]):04X}{value[1:]}"{tail}'


def _rename_blank(text):
    label = text[text.index("_:"):].split(" ", 1)[0]
    return text.replace(label + " ", label.replace("_:", "_:x-y.") + " ")


# Line forms the plain pattern leaves to pyoxigraph; each keeps the graph the same.
VARIANTS = {
    "unicode escape": lambda t: _rewrite_first(t, LABEL, _escape_one),
    "comments and blank lines": lambda t: "# a comment\n\n" + t.replace("\n", "\n# between\n", 3),
    "odd spacing": lambda t: _rewrite_first(t, LABEL, lambda line: line.replace(" ", "\t", 1)),
    "language tag": lambda t: _rewrite_first(t, FINDING, lambda line: line[:-2] + "@en-GB ."),
    "explicit string datatype": lambda t: _rewrite_first(
        t, LABEL, lambda line: line[:-2] + "^^<http://www.w3.org/2001/XMLSchema#string> ."),
    "blank node label of another form": lambda t: _rename_blank(t),
    "windows line ends": lambda t: t.replace("\n", "\r\n"),
    "no final newline": lambda t: t.rstrip("\n"),
    "a tab inside a plain literal": lambda t: _rewrite_first(t, FINDING, lambda line: line.replace('> "', '> "\t', 1)),
    # the same triple twice is one triple: a property said twice with one value
    "a finding said twice": lambda t: t + next(line for line in t.split("\n") if FINDING in line) + "\n",
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_other_line_forms_are_read_exactly_on_columns(bundled_nt, name, tmp_path, columns_only):
    path = tmp_path / "g.nt"
    text = VARIANTS[name](bundled_nt)
    assert text != bundled_nt
    path.write_bytes(text.encode("utf-8"))
    got = rdf_open.open_rdf_columns(path)
    assert same(got, exact(path))


def test_a_language_tag_keeps_its_text(bundled_nt, tmp_path):
    path = tmp_path / "g.nt"
    path.write_text(VARIANTS["language tag"](bundled_nt), encoding="utf-8")
    assert same(columnar(path), exact(path))
    assert not isinstance(exact(path), str)


BROKEN = {
    "syntax error": lambda t: t + "<https://a.example/b> <https://a.example/c> .\n",
    "bad IRI": lambda t: t.replace("<http://purl.obolibrary.org/obo/", "<http://purl.obolibrary.org/obo/a b", 1),
    "control character": lambda t: _rewrite_first(t, FINDING, lambda line: line.replace('> "', '> "\\u0001', 1)),
    "invalid UTF-8": None,
    # the characters themselves, not escapes: the line stays in the plain form
    "raw control character": lambda t: _rewrite_first(t, FINDING, lambda line: line.replace('> "', '> "\x0b', 1)),
    "raw non-character": lambda t: _rewrite_first(t, FINDING, lambda line: line.replace('> "', '> "\uffff', 1)),
    "two findings": lambda t: t + _rewrite_first(t, FINDING, lambda line: line.replace('> "', '> "other ', 1))
    .split("\n")[[i for i, line in enumerate(t.split("\n")) if FINDING in line][0]] + "\n",
    "unknown predicate": lambda t: t.replace("<https://w3id.org/mtorgraph/vocab/inhibits> .",
                                            "<https://w3id.org/mtorgraph/vocab/nonsense> .", 1),
    # the model's entity rules: an id that is no CURIE, an empty label, an xref that is no CURIE
    "entity id not a CURIE": lambda t: t.replace("<http://purl.obolibrary.org/obo/CHEBI_", "<http://purl.obolibrary.org/obo/CHEBI_!"),
    "empty entity label": lambda t: _rewrite_first(t, LABEL, lambda line: line[:line.index('"')] + '"" .'),
    "xref not a CURIE": lambda t: _rewrite_first(t, '"MESH:', lambda line: line.replace('"MESH:', '"MESH ', 1)),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_are_refused_as_the_exact_reader_refuses_them(bundled_nt, name, tmp_path):
    path = tmp_path / "g.nt"
    if BROKEN[name] is None:
        path.write_bytes(bundled_nt.encode("utf-8").replace(b"chemical", b"chem\xffical", 1)
                         if "chemical" in bundled_nt else b"\xff" + bundled_nt.encode("utf-8"))
    else:
        text = BROKEN[name](bundled_nt)
        assert text != bundled_nt
        path.write_text(text, encoding="utf-8")
    expected = exact(path)
    assert columnar(path) == expected or same(columnar(path), expected)
    if name in ("syntax error", "bad IRI", "control character", "invalid UTF-8", "unknown predicate",
                "raw control character", "raw non-character", "entity id not a CURIE", "empty entity label",
                "xref not a CURIE"):
        assert isinstance(expected, str)


def test_of_two_control_characters_every_run_names_the_same_one(bundled, tmp_path):
    """rdflib's store gives triples in an order that follows string hashing, which changes from
    process to process; the refusal must name one literal whatever that order (here: the entity's
    name, whose subject IRI sorts before the evidence item's)."""
    import os
    import re
    import subprocess
    import sys

    path = tmp_path / "g.ttl"
    write_graph(bundled, path)
    text = re.sub(r'(mtg:finding ")', r"\1\\u001B", path.read_text(encoding="utf-8"), count=1)
    path.write_text(re.sub(r'(mtg:name ")', r"\1\\u001F", text, count=1), encoding="utf-8")
    said = set()
    for seed in ("1", "2", "3", "4"):
        run = subprocess.run([sys.executable, "-m", "mtorgraph", "--no-cache", "--graph", str(path), "info"],
                             capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
        assert run.returncode == 1, run.stderr
        said.add(run.stderr)
    assert len(said) == 1, said
    assert "vocab/name> holds the control character U+001F" in said.pop()


def test_a_bad_line_is_reported_with_file_and_line_exit_1(bundled_nt, tmp_path):
    path = tmp_path / "g.nt"
    lines = bundled_nt.split("\n")
    lines.insert(7, "<https://w3id.org/x> <https://w3id.org/y> .")
    path.write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["--graph", str(path), "info"])
    assert result.exit_code == 1, result.output
    assert str(path) in result.output and "rdf-syntax" in result.output
    assert exact(path).removeprefix("refused: ") in result.output  # the exact reader's message
    assert "Traceback" not in result.output


@pytest.mark.parametrize("suffix", ["nt", "ttl"])
def test_a_huge_line_is_refused_fast(bundled, suffix, tmp_path, monkeypatch):
    path = tmp_path / f"g.{suffix}"
    write_graph(bundled, path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f'<https://w3id.org/x> {LABEL} "{"a" * 5000}" .\n', encoding="utf-8")
    monkeypatch.setenv("MTORGRAPH_MAX_SCALAR_CHARS", "4000")
    result = CliRunner().invoke(main, ["--graph", str(path), "info"])
    assert result.exit_code == 1, result.output
    assert "line" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("suffix", [".nt", ".ttl"])
def test_a_file_over_the_size_limit_is_refused(bundled, suffix, tmp_path, monkeypatch):
    path = tmp_path / f"g{suffix}"
    write_graph(bundled, path)
    # read on columns, the table limit applies; the exact reader (a fallback) holds the whole text,
    # so the lower whole-file limit applies to it
    monkeypatch.setenv("MTORGRAPH_MAX_TABLE_BYTES", "1000")
    monkeypatch.setenv("MTORGRAPH_MAX_FILE_BYTES", "1000")
    result = CliRunner().invoke(main, ["--graph", str(path), "info"])
    assert result.exit_code == 1, result.output
    assert "file-too-large" in result.output


def test_a_big_export_is_read_on_columns_under_the_table_limit(bundled, tmp_path, monkeypatch):
    path = tmp_path / "g.nt"
    write_graph(bundled, path)
    monkeypatch.setenv("MTORGRAPH_MAX_FILE_BYTES", "1000")  # over the whole-file limit, under the table one
    result = CliRunner().invoke(main, ["--graph", str(path), "info", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["edges"] == len(bundled.edges)


# Terms of every kind, in and out of the plain form, to build lines from (the fast path must
# send exactly the lines that do not match ntriples_columns.PLAIN_LINE to pyoxigraph).
TERMS = ["<https://w3id.org/a>", "<http://x.example:80/p/q%2F?k=v/#f>", "<https://a b>", "<urn:x>",
         "<https://w3id.org/\\u0041>", "<https://w3id.org/é>", "<https://w3id.org/a%2>", "<>",
         "_:b0", "_:x-y.z", "_:", '"plain"', '"two words here"', '""', '"with \\" quote"', '"x"@en',
         '"5"^^<http://www.w3.org/2001/XMLSchema#integer>', '"5"^^<urn:int>', '"tab\there"',
         '"a"^^<https://w3id.org/a b>', "<https://w3id.org/a> .", ".", "<https://w3id.org/a>\t"]
SEPARATORS = [" ", " ", " ", "  ", "\t", ""]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(*[st.sampled_from(TERMS)] * 3, *[st.sampled_from(SEPARATORS)] * 3,
                          st.sampled_from([".", " .", "", ". #c"])), min_size=1, max_size=40))
def test_exactly_the_lines_outside_the_plain_form_go_to_pyoxigraph(rows):
    import re

    import pyarrow as pa
    import pyarrow.compute as pc

    from mtorgraph.io import ntriples_columns
    from mtorgraph.io.limits import Limits

    lines = [f"{s}{a}{p}{b}{o}{c}{end}\n" for s, p, o, a, b, c, end in rows]
    lines += ["<https://w3id.org/a> <https://w3id.org/p> \"v\" .\n"] * 3  # repeated plain lines
    sent: list[str] = []

    def record(other):
        sent.extend(other.to_pylist())
        return []
    data = "".join(lines).encode("utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ntriples_columns, "_other_lines", record)
        try:
            ntriples_columns._block_terms(memoryview(data), Limits())
        except ntriples_columns.NotPlain:
            pass  # a control character among the plain lines; routing was already decided
    pattern = pa.array(lines, pa.large_string())
    expected = [line for line, ok in zip(lines, pc.match_substring_regex(pattern, ntriples_columns.PLAIN_LINE)
                                         .to_pylist()) if not ok]
    assert sorted(sent) == sorted(expected)
    assert all(re.fullmatch(r"[^\n]*\n", line) for line in sent)


def test_the_entity_checks_on_columns_name_every_field_and_validator_of_the_model():
    """``rdf_open`` checks entities on columns, field by field; a field or validator added to the
    model must be added there too (else a file breaking its rule would be accepted)."""
    from mtorgraph.model import Entity

    assert set(rdf_open.ENTITY_FIELD_CHECKS) == set(Entity.model_fields)
    decorators = Entity.__pydantic_decorators__
    assert set(decorators.field_validators) == {"_xrefs_are_curies"}
    assert [field for v in decorators.field_validators.values() for field in v.info.fields] == ["xrefs"]
    assert not decorators.model_validators and not decorators.validators and not decorators.root_validators
