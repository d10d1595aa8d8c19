"""Signed interaction tables (SIGNOR/OmniPath style) through ``mtorgraph import`` and the io API."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mtorgraph import load_graph
from mtorgraph.cli import main
from mtorgraph.io.signed_table import ColumnMap, read_signed_table

from .conftest import DATA

KGX = DATA / "kgx"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_omnipath_flags_give_signs_and_unsigned_rows_are_reported_by_line(tmp_path: Path) -> None:
    result = run("import", str(KGX / "omnipath_style.tsv"), "--id-prefix", "NCBIGene", "--to", str(tmp_path / "o"),
                 "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["unmapped"] == {"is_stimulation=1 is_inhibition=1": 1, "is_stimulation=0 is_inhibition=0": 1}
    assert report["unmapped_lines"] == [4, 5]
    graph = load_graph(tmp_path / "o")
    assert {e.label for e in graph.edges} == {"mtor activates bdnf", "bdnf inhibits mtor"}
    assert graph.entity("mtor").id == "NCBIGene:2475" and graph.entity("mtor").kind == "gene"
    # OmniPath's Resource:PMID pairs become one PubMed reference, unverified
    ref = graph.reference(graph.edge("mtor", "activates", "bdnf").evidence[0].reference)
    assert ref.pmid == "20724638" and ref.verified == "no"
    assert run("--graph", str(tmp_path / "o"), "validate").exit_code == 0


def test_signor_effect_words_map_and_others_are_counted() -> None:
    graph, report = read_signed_table(KGX / "signor_style.csv")
    assert {e.label: e.sign for e in graph.edges} == {
        "sirolimus inhibits torc1_complex": -1, "ketamine activates torc1_complex": 1,
        "ketamine increases bdnf": 1, "sirolimus inhibits immune_response": -1}
    assert report.unmapped == {"effect=form complex": 1, "effect=unknown": 1}
    assert report.unmapped_lines == [6, 7]


def test_columns_from_a_yaml_map_and_from_options(tmp_path: Path) -> None:
    table = tmp_path / "mine.tsv"
    table.write_text("from\tto\thow\tpapers\nCHEBI:9168\tGO:0031931\tdown-regulates activity\t20724638\n")
    mapping = tmp_path / "cols.yaml"
    mapping.write_text("source: from\ntarget: to\neffect: how\nreferences: papers\n")
    result = run("import", str(table), "--columns", str(mapping), "--to", str(tmp_path / "a"))
    assert result.exit_code == 0, result.output
    assert [e.label for e in load_graph(tmp_path / "a").edges] == ["chebi_9168 inhibits go_0031931"]
    result = run("import", str(table), "--source", "from", "--target", "to", "--effect", "how",
                 "--references", "papers", "--to", str(tmp_path / "b"))
    assert result.exit_code == 0, result.output
    graph, _ = read_signed_table(table, ColumnMap(source="from", target="to", effect="how", references="papers"))
    assert graph.edges[0].predicate == "inhibits"


def test_an_id_without_prefix_is_an_error_with_its_line_and_the_fix(tmp_path: Path) -> None:
    result = run("import", str(KGX / "omnipath_style.tsv"), "--to", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "omnipath_style.tsv:2: error[not-a-curie]" in result.stderr and "--id-prefix" in result.stderr
    assert not (tmp_path / "o").exists()


def test_a_table_without_a_sign_column_is_refused(tmp_path: Path) -> None:
    table = tmp_path / "nosign.csv"
    table.write_text("source,target,references\nCHEBI:9168,GO:0031931,20724638\n")
    result = run("import", str(table), "--to", str(tmp_path / "o"))
    assert result.exit_code == 1 and "error[wrong-header]" in result.stderr and "--effect" in result.stderr


def test_an_unknown_column_map_key_is_refused(tmp_path: Path) -> None:
    mapping = tmp_path / "cols.yaml"
    mapping.write_text("sauce: from\n")
    result = run("import", str(KGX / "signor_style.csv"), "--columns", str(mapping), "--to", str(tmp_path / "o"))
    assert result.exit_code == 1 and "unknown key 'sauce'" in result.stderr
