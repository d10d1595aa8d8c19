"""KGX export and import through the CLI and the io API: round trip, Biolink conformance, the
predicate map, hand-written fixtures and hostile files."""

from __future__ import annotations

import json
import re
from importlib.util import find_spec
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorgraph import load_graph
from mtorgraph.cli import main
from mtorgraph.io.kgx_read import read_kgx
from mtorgraph.io.kgx_write import EDGE_COLUMNS, NODE_COLUMNS, kgx_records
from mtorgraph.io.predicate_map import export_row, lookup_predicate, map_rows
from mtorgraph.vocab import PREDICATES

from .conftest import DATA

KGX = DATA / "kgx"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.parametrize("fmt, name", [("kgx-tsv", "g_edges.tsv"), ("kgx-jsonl", "g")])
def test_export_then_import_gives_the_same_graph(tmp_path: Path, fmt: str, name: str) -> None:
    result = run("export", "-o", str(tmp_path / name), "--to", fmt)
    assert result.exit_code == 0, result.output
    suffix = ".tsv" if fmt == "kgx-tsv" else ".jsonl"
    assert (tmp_path / f"g_nodes{suffix}").is_file() and (tmp_path / f"g_edges{suffix}").is_file()
    back, report = read_kgx(tmp_path / f"g_nodes{suffix}")
    model, original = back.to_model(), load_graph()
    assert model.entities == original.entities
    assert model.references == original.references
    assert model.edges == original.edges
    assert model.links == original.links
    assert report.unmapped_rows == 0 and report.merged_rows == 0


def test_export_then_import_to_a_folder_validates_and_reads_back_equal(tmp_path: Path) -> None:
    assert run("export", "-o", str(tmp_path / "g"), "--to", "kgx").exit_code == 0
    result = run("import", str(tmp_path / "g_edges.tsv"), "--to", str(tmp_path / "cur"))
    assert result.exit_code == 0, result.output
    assert run("--graph", str(tmp_path / "cur"), "validate").exit_code == 0
    again, original = load_graph(tmp_path / "cur"), load_graph()
    assert (again.entities, again.references, again.edges, again.links) == (
        original.entities, original.references, original.edges, original.links)


def test_edge_rows_carry_predicate_qualifiers_provenance_and_publications() -> None:
    graph = load_graph()
    _, edges = kgx_records(graph)
    by_key = {(r["subject"], r["object"]): r for r in edges}
    ids = {e.key: e.id for e in graph.entities}
    rapamycin_mtorc1 = by_key[(ids["rapamycin"], ids["mtorc1"])]
    assert rapamycin_mtorc1["predicate"] == "biolink:affects"
    assert rapamycin_mtorc1["qualified_predicate"] == "biolink:causes"
    assert rapamycin_mtorc1["object_direction_qualifier"] == "decreased"
    assert rapamycin_mtorc1["object_aspect_qualifier"] == "activity"
    assert rapamycin_mtorc1["primary_knowledge_source"] == "infores:mtorgraph"
    assert rapamycin_mtorc1["agent_type"] == "manual_agent"
    null = by_key[(ids["rapamycin"], ids["ketamine_response"])]
    assert null["negated"] is True and "object_direction_qualifier" not in null
    for record in edges:
        assert all(re.match(r"^(PMID:\d+|doi:10\.|PMC:\d+|https?://|mtorgraph:reference_)", p)
                   for p in record["publications"]), record["publications"]


def _biolink_yaml() -> dict:
    spec = find_spec("biolink_model")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("biolink-model is not installed (make installs it: pip install --no-deps biolink-model)")
    from ruamel.yaml import YAML

    path = Path(list(spec.submodule_search_locations)[0]) / "schema" / "biolink_model.yaml"
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _slot(curie: str) -> str:
    return curie.removeprefix("biolink:").replace("_", " ")


def _class(curie: str) -> str:
    name = curie.removeprefix("biolink:")
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def test_every_exported_slot_predicate_category_and_value_is_in_the_biolink_model() -> None:
    model = _biolink_yaml()
    slots, classes, enums = model["slots"], {k.lower(): v for k, v in model["classes"].items()}, model["enums"]
    nodes, edges = kgx_records(load_graph())
    for column in NODE_COLUMNS + EDGE_COLUMNS:
        if not column.startswith("mtorgraph_"):
            assert _slot(column) in slots, column
            assert not slots[_slot(column)].get("deprecated"), column
    for node in nodes:
        for category in node["category"]:
            assert _class(category) in classes, category
            assert not classes[_class(category)].get("deprecated"), category
    values = {name: set(enums[name]["permissible_values"]) for name in
              ("DirectionQualifierEnum", "KnowledgeLevelEnum", "AgentTypeEnum",
               "GeneOrGeneProductOrChemicalEntityAspectEnum")}
    for edge in edges:
        for key in ("predicate", "qualified_predicate"):
            if key in edge:
                assert _slot(edge[key]) in slots and not slots[_slot(edge[key])].get("deprecated"), edge[key]
        assert edge.get("object_direction_qualifier", "increased") in values["DirectionQualifierEnum"]
        assert edge.get("object_aspect_qualifier", "activity") in values["GeneOrGeneProductOrChemicalEntityAspectEnum"]
        assert edge["knowledge_level"] in values["KnowledgeLevelEnum"]
        assert edge["agent_type"] in values["AgentTypeEnum"]


def test_the_import_table_names_only_biolink_terms() -> None:
    model = _biolink_yaml()
    slots, classes = model["slots"], {k.lower() for k in model["classes"]}
    directions = set(model["enums"]["DirectionQualifierEnum"]["permissible_values"]) | {"", "*"}
    for row in map_rows():
        if row.vocabulary == "biolink" and "Biolink <= 3.0.0" not in row.note:
            assert _slot(row.term) in slots, row.term
            assert row.direction in directions, row
        if row.vocabulary == "category":
            assert _class(row.term) in classes, row.term


def test_export_rows_of_the_map_agree_with_vocab_and_read_back() -> None:
    for name, info in PREDICATES.items():
        row = export_row(name)
        assert row.term == info.biolink
        assert (row.direction or None) == info.direction
        assert lookup_predicate(row.term, row.direction or None, row.aspect or None, row.negated) == name


#: Hand-written fixture: (subject, object) → the predicate its row must map to.
TWELVE = {
    ("sirolimus", "torc1_complex"): "inhibits",              # affects + decreased + activity (and a repeat)
    ("ketamine", "torc1_complex"): "activates",              # affects + increased + activity
    ("ketamine", "synapse_assembly"): "increases",           # affects + increased
    ("sirolimus", "immune_response"): "decreases",           # affects + decreased
    ("sirolimus", "autophagy"): "increases",                 # regulates + upregulated
    ("mtor", "tor_signaling"): "activates",                  # positively_regulates (Biolink <= 3.0.0)
    ("sirolimus", "mtor"): "inhibits",                       # negatively_regulates
    ("ketamine", "bdnf"): "increases",                       # increases_expression_of
    ("bdnf", "inflammatory_response"): "inhibits",           # decreases_activity_of
    ("inflammatory_response", "depressive_disorder"): "associated_with",
    ("sirolimus", "regulation_of_synaptic_plasticity"): "no_effect_on",  # negated affects
    ("mtor", "autophagy"): "decreases",                      # process_negatively_regulates_process
    ("ketamine", "hp_0002719"): "increases",                 # an end with no node record
    ("sirolimus_drugbank_record", "mtor"): "associated_with",  # related_to
}


def test_twelve_predicates_import_with_the_stated_signs_and_unmapped_counts(tmp_path: Path) -> None:
    result = run("import", str(KGX / "twelve_edges.tsv"), "--to", str(tmp_path / "out"), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["unmapped"] == {"biolink:treats": 2, "biolink:causes": 1}
    assert report["unmapped_lines"] == [14, 15, 16]
    assert "biolink:treats" in result.stderr and "3 rows were not imported" in result.stderr
    assert report["merged_rows"] == 1 and report["nodes_without_record"] == 1 and report["links"] == 1
    assert [e["id"] for e in report["left_out_entities"]] == ["DRUGBANK:DB00877"]
    graph, _ = read_kgx(KGX / "twelve_nodes.tsv")
    assert {(graph.entities[0].key)} == {"sirolimus"}
    got = {(e.subject, e.object): e.predicate for e in graph.edges}
    assert got == TWELVE
    assert len(graph.edge(*("sirolimus", "inhibits", "torc1_complex")).evidence) == 2
    assert [link.key for link in graph.links] == [("mtor", "part_of", "torc1_complex")]
    written = load_graph(tmp_path / "out")
    assert ("sirolimus_drugbank_record", "associated_with", "mtor") not in {e.key for e in written.edges}
    assert written.entity("hp_0002719").id_status == "unverified"
    assert "no node record" in (written.entity("hp_0002719").note or "")
    ref = written.reference("pmid_20724638")
    assert ref.pmid == "20724638" and ref.verified == "no"
    assert run("--graph", str(tmp_path / "out"), "validate").exit_code == 0


def test_json_lines_with_lists_or_strings_read_and_unmapped_line_is_the_file_line() -> None:
    graph, report = read_kgx(KGX / "mixed_edges.jsonl")
    assert {e.label for e in graph.edges} == {"sirolimus inhibits torc1_complex", "torc1_complex decreases autophagy"}
    assert report.unmapped == {"biolink:interacts_with": 1} and report.unmapped_lines == [4]
    title = graph.reference("pmid_20724638").title
    assert title.startswith("mTOR-dependent synapse formation")  # from the publication node's name


def test_graph_option_reads_a_kgx_pair_directly() -> None:
    result = run("--graph", str(KGX / "twelve_edges.tsv"), "edges", "--subject", "ketamine", "--format", "json")
    assert result.exit_code == 0, result.output
    assert {e["object"] for e in json.loads(result.stdout)} >= {"torc1_complex", "bdnf"}


def test_formats_lists_the_registry() -> None:
    result = run("formats", "--format", "json")
    assert result.exit_code == 0
    rows = {r["format"]: r for r in json.loads(result.stdout)}
    assert rows["kgx-tsv"]["modes"] == "read+write" and rows["table"]["modes"] == "read"
    assert rows["turtle"]["modes"] == "read+write"


def _edges_file(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "bad_edges.tsv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


@pytest.mark.parametrize("content, code", [
    (b"subject\tpredicate\tobject\n\x00\x01\x02binary", "binary-file"),
    ("source\ttarget\teffect\nA:1\tB:2\tup\n", "wrong-header"),
    ("subject\tpredicate\tobject\nCHEBI:1\tbiolink:affects\n", "wrong-cell-count"),
    (b"subject\tpredicate\tobject\nCHEBI:1\tbiolink:affects\tGO:\xff\n", "not-utf8"),
])
def test_bad_kgx_files_are_refused_with_file_line_and_code(tmp_path: Path, content: bytes | str, code: str) -> None:
    path = _edges_file(tmp_path, content)
    result = run("import", str(path), "--to", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert f"error[{code}]" in result.stderr and "bad_edges.tsv" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_a_huge_field_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _edges_file(tmp_path, "subject\tpredicate\tobject\nCHEBI:1\tbiolink:affects\tGO:" + "1" * 5000 + "\n")
    result = run("import", str(path), "--to", str(tmp_path / "out"), env={"MTORGRAPH_MAX_SCALAR_CHARS": "1000"})
    assert result.exit_code == 1
    assert "bad_edges.tsv:2: error[line-too-long]" in result.stderr


def test_a_bad_json_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x_edges.jsonl"
    path.write_text('{"subject": "A:1", "predicate": "biolink:affects", "object": "B:1"}\n{"subject": \n')
    result = run("import", str(path), "--to", str(tmp_path / "out"))
    assert result.exit_code == 1 and "x_edges.jsonl:2" in result.stderr and "error[bad-json]" in result.stderr


def test_nothing_mapped_is_an_error_not_an_empty_success(tmp_path: Path) -> None:
    path = _edges_file(tmp_path, "subject\tpredicate\tobject\nCHEBI:9168\tbiolink:treats\tMONDO:0002050\n")
    result = run("import", str(path), "--to", str(tmp_path / "out"))
    assert result.exit_code == 1 and "nothing to import" in result.stderr
    assert "biolink:treats" in result.stderr and not (tmp_path / "out").exists()


def test_usage_mistakes_exit_2(tmp_path: Path) -> None:
    assert run("export", "-o", "-", "--to", "kgx").exit_code == 2
    both = run("import", str(KGX / "twelve_edges.tsv"), str(KGX / "signor_style.csv"), "--to", str(tmp_path / "o"))
    assert both.exit_code == 2 and "one graph at a time" in both.stderr


def test_export_names_the_pair_from_a_plain_tsv_name(tmp_path: Path) -> None:
    result = run("export", "-o", str(tmp_path / "g.tsv"), "--to", "kgx")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g_edges.tsv", "g_nodes.tsv"]
    assert "g_nodes.tsv" in result.stderr and "g_edges.tsv" in result.stderr


def test_kgx_files_fall_under_the_table_limit_not_the_whole_file_one(tmp_path: Path) -> None:
    out = tmp_path / "g_edges.tsv"
    assert run("export", "--to", "kgx-tsv", "-o", str(out)).exit_code == 0
    opened = run("--graph", str(out), "--no-cache", "info", env={"MTORGRAPH_MAX_FILE_BYTES": "100"})
    assert opened.exit_code == 0, opened.output
    refused = run("--graph", str(out), "--no-cache", "info", env={"MTORGRAPH_MAX_TABLE_BYTES": "100"})
    assert refused.exit_code == 1
    assert "file-too-large" in refused.output and "MTORGRAPH_MAX_TABLE_BYTES" in refused.output
