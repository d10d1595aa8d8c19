"""INDRA Statements JSON: import of the signed types, the report of the rest, export and round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorgraph.analysis.beliefs import belief_columns
from mtorgraph.cli import main
from mtorgraph.columnar import ColumnarGraph
from mtorgraph.errors import InputError
from mtorgraph.io import load_graph, write_graph
from mtorgraph.io.indra import PROVENANCE_MARK, read_indra, to_indra, unwritable_edges

DATA = Path(__file__).parent / "data" / "indra"
MIXED = DATA / "mixed_statements.json"
SIGNED = ("activates", "inhibits", "increases", "decreases")


@pytest.fixture(scope="module")
def bundled():
    return load_graph()


@pytest.fixture(scope="module")
def mixed():
    return read_indra(MIXED)


def test_signed_types_become_edges_with_their_signs(mixed):
    graph, _ = mixed
    signs = {e.key: e.sign for e in graph.edges}
    assert signs == {
        ("ketamine", "activates", "mtor"): 1,
        ("sirolimus", "inhibits", "mtorc1"): -1,
        ("ketamine", "increases", "bdnf"): 1,
        ("sirolimus", "decreases", "bdnf"): -1,
        ("sirolimus", "decreases", "depressive_disorder"): -1,
    }


def test_agents_grounded_by_db_refs_in_our_prefixes(mixed):
    graph, _ = mixed
    ids = {e.key: e.id for e in graph.entities}
    assert ids == {"ketamine": "CHEBI:6121", "mtor": "HGNC:3942", "sirolimus": "CHEBI:9168",
                   "mtorc1": "GO:0031931", "bdnf": "HGNC:1033", "depressive_disorder": "DOID:1596"}
    assert graph.entity("mtor").xrefs == ("UniProtKB:P42345",)
    assert graph.entity("mtorc1").xrefs == ("FPLX:mTORC1",)  # no FPLX prefix: kept as an xref
    assert graph.entity("sirolimus").synonyms == ("rapamycin",)  # the TEXT grounding
    assert {e.kind for e in graph.entities} == {"chemical", "gene", "process", "disease"}
    assert all(e.id_status == "unverified" for e in graph.entities)


def test_evidence_pmid_text_epistemics(mixed):
    graph, _ = mixed
    activation = graph.edge("ketamine", "activates", "mtor")
    assert len(activation.evidence) == 3  # two statements (one with a modified agent) merge into one edge
    first = activation.evidence[0]
    assert first.finding.startswith("Ketamine rapidly activated the mTOR signalling pathway")
    assert first.context.species == "rat"  # from the BioContext's TAXONOMY grounding
    reference = graph.reference(first.reference)
    assert (reference.pmid, reference.verified) == ("20724638", "no")
    assert graph.reference(graph.edge("ketamine", "increases", "bdnf").evidence[0].reference).pmid == "21677641"
    negated = graph.edge("sirolimus", "decreases", "bdnf").evidence[0]
    assert negated.direction == "refutes"
    hypothesis = graph.edge("sirolimus", "decreases", "depressive_disorder").evidence[0]
    assert (hypothesis.kind, hypothesis.direction) == ("hypothesis", "supports")
    assert first.kind == "curator_inference"


def test_source_api_and_annotations_kept_in_the_edge_note(mixed):
    graph, _ = mixed
    note = graph.edge("ketamine", "activates", "mtor").note
    line = next(line for line in note.splitlines() if line.startswith(PROVENANCE_MARK))
    data = json.loads(line[len(PROVENANCE_MARK):])
    assert [p.get("source_api") for p in data["evidence"]] == ["reach", "sparser", "reach"]
    assert data["evidence"][0]["annotations"]["found_by"] == "Positive_activation_syntax_1_verb"
    assert data["evidence"][1]["epistemics"] == {"direct": True}
    assert data["statements"] == ["7d0c4c5e-0000-4000-8000-000000000001", "7d0c4c5e-0000-4000-8000-000000000012"]
    biopax = json.loads(graph.edge("sirolimus", "inhibits", "mtorc1").note[len(PROVENANCE_MARK):])
    assert biopax["evidence"] == [{"source_api": "biopax", "source_id": "fixture-entry-1"}]


def test_report_counts_everything_left_out(mixed):
    _, report = mixed
    assert (report.statements, report.imported, report.edges, report.evidence) == (12, 6, 5, 7)
    assert report.other_types == {"Complex": 1, "Phosphorylation": 1}
    assert report.skipped == {"an agent has no usable grounding": 2, "no subject agent": 1,
                              "no evidence (an mtorgraph edge needs at least one item)": 1}
    assert report.ungrounded == {"synaptic protein synthesis": 1, "mTORC1": 1}
    assert report.dropped_states == {"mods": 1, "obj_activity kinase": 1}
    assert (report.negated, report.hypothesis) == (1, 1)
    assert report.not_imported == 6
    text = "\n".join(report.lines())
    assert "Complex ×1" in text and "Phosphorylation ×1" in text


def test_imported_provenance_goes_back_out(mixed, tmp_path):
    graph, _ = mixed
    out = json.loads(to_indra(graph))
    activation = next(s for s in out if s["type"] == "Activation")
    assert [e["source_api"] for e in activation["evidence"]] == ["reach", "sparser", "reach"]
    assert activation["evidence"][0]["annotations"]["found_by"] == "Positive_activation_syntax_1_verb"
    assert activation["evidence"][1]["epistemics"] == {"direct": True}
    decrease = next(s for s in out if s["obj"]["name"] == "BDNF" and s["type"] == "DecreaseAmount")
    assert decrease["evidence"][0]["epistemics"] == {"direct": False, "negated": True}
    assert decrease["id"] == "7d0c4c5e-0000-4000-8000-000000000004"  # one source statement: its id is kept
    hypothesis = next(s for s in out if s["obj"]["name"] == "depressive disorder")
    assert hypothesis["evidence"][0]["epistemics"] == {"hypothesis": True}
    path = tmp_path / "again.json"
    path.write_text(json.dumps(out))
    again, report = read_indra(path)
    assert again.edges == graph.edges and again.entities == graph.entities and report.not_imported == 0


def _signed_part(graph):
    edges = {e.key: e for e in graph.edges if e.predicate in SIGNED}
    ends = {k for key in edges for k in (key[0], key[2])}
    return edges, {e.key: e for e in graph.entities if e.key in ends}


def test_bundled_graph_round_trips_through_indra(bundled, tmp_path):
    path = write_graph(bundled, tmp_path / "bundled.json", beliefs=belief_columns(bundled))
    again, report = read_indra(path)
    edges, entities = _signed_part(bundled)
    assert {e.key: e for e in again.edges} == edges
    assert {e.key: e for e in again.entities} == entities
    used = {ev.reference for e in edges.values() for ev in e.evidence}
    assert {r.key: r for r in again.references} == {r.key: r for r in bundled.references if r.key in used}
    assert report.evidence == sum(len(e.evidence) for e in edges.values())
    assert report.not_imported == 0 and not report.ungrounded


def test_export_counts_what_indra_cannot_hold(bundled):
    left = unwritable_edges(bundled)
    unsigned = sum(1 for e in bundled.edges if e.predicate not in SIGNED)
    assert sum(n for k, n in left.items() if k != "structural links") == unsigned > 0
    written = json.loads(to_indra(bundled))
    assert len(written) == len(bundled.edges) - unsigned


def test_columnar_and_model_export_the_same(bundled):
    beliefs = belief_columns(bundled)
    assert to_indra(ColumnarGraph.from_model(bundled), beliefs) == to_indra(bundled, beliefs)
    by_key = beliefs.by_key(bundled)
    assert to_indra(bundled, by_key) == to_indra(bundled, beliefs)


def test_beliefs_come_from_the_caller(bundled):
    beliefs = belief_columns(bundled)
    out = json.loads(to_indra(bundled, beliefs))
    signed_rows = [i for i, e in enumerate(bundled.edges) if e.predicate in SIGNED]
    assert [s["belief"] for s in out] == [round(float(beliefs.edges[i]), 6) for i in signed_rows]
    assert all("belief" not in s for s in json.loads(to_indra(bundled)))


def test_export_passes_indra_published_schema(bundled):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra")
    schema = json.loads((DATA / "statements_schema.json").read_text())
    statements = json.loads(to_indra(bundled, belief_columns(bundled)))
    jsonschema.validate(statements, schema)
    types = {s["type"] for s in statements}
    assert types <= {"Activation", "Inhibition", "IncreaseAmount", "DecreaseAmount"} and len(types) >= 3
    bad = [dict(statements[0], subj={"db_refs": {}})]  # an agent without its required name
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_indra_itself_loads_our_export(bundled):
    statements = pytest.importorskip("indra.statements", reason="INDRA is not installed (pip install indra)")
    exported = json.loads(to_indra(bundled, belief_columns(bundled)))
    loaded = statements.stmts_from_json(exported)
    assert len(loaded) == len(exported)
    for stmt, raw in zip(loaded, exported):
        assert type(stmt).__name__ == raw["type"]
        assert stmt.belief == raw["belief"]
        assert len(stmt.evidence) == len(raw["evidence"])
        assert stmt.subj.db_refs == raw["subj"]["db_refs"]
    negated = [ev for stmt in loaded for ev in stmt.evidence if ev.epistemics.get("negated")]
    assert len(negated) == sum(ev.direction == "refutes" for e in bundled.edges if e.predicate in SIGNED
                               for ev in e.evidence)


def test_statements_built_with_indra_import_with_signs_and_pmids(tmp_path):
    st = pytest.importorskip("indra.statements", reason="INDRA is not installed (pip install indra)")
    ketamine = st.Agent("ketamine", db_refs={"CHEBI": "CHEBI:6121"})
    sirolimus = st.Agent("sirolimus", db_refs={"CHEBI": "CHEBI:9168"})
    mtor = st.Agent("MTOR", db_refs={"HGNC": "3942", "UP": "P42345"})
    bdnf = st.Agent("BDNF", db_refs={"HGNC": "1033"})
    stmts = [
        st.Activation(ketamine, mtor, evidence=[st.Evidence(source_api="reach", pmid="20724638",
                                                            text="Ketamine activated mTOR signalling.")]),
        st.Inhibition(sirolimus, mtor, evidence=[st.Evidence(source_api="reach", pmid="20724638",
                                                             text="Rapamycin blocked mTOR signalling.")]),
        st.IncreaseAmount(ketamine, bdnf, evidence=[st.Evidence(source_api="reach", pmid="21677641",
                                                                text="Ketamine increased BDNF synthesis.")]),
        st.DecreaseAmount(sirolimus, bdnf, evidence=[st.Evidence(source_api="reach", text="Fixture sentence.",
                                                                 epistemics={"negated": True})]),
        st.Complex([mtor, bdnf], evidence=[st.Evidence(source_api="reach", text="Fixture sentence.")]),
    ]
    path = tmp_path / "built.json"
    path.write_text(json.dumps(st.stmts_to_json(stmts)))
    graph, report = read_indra(path)
    assert {(e.key, e.sign) for e in graph.edges} == {
        (("ketamine", "activates", "mtor"), 1), (("sirolimus", "inhibits", "mtor"), -1),
        (("ketamine", "increases", "bdnf"), 1), (("sirolimus", "decreases", "bdnf"), -1)}
    pmids = {e.key[1]: graph.reference(e.evidence[0].reference).pmid for e in graph.edges}
    assert pmids == {"activates": "20724638", "inhibits": "20724638", "increases": "21677641", "decreases": None}
    assert graph.edge("sirolimus", "decreases", "bdnf").evidence[0].direction == "refutes"
    assert report.other_types == {"Complex": 1}


# -- bad and hostile input -----------------------------------------------------------------------


def _write(tmp_path, text: str, name: str = "s.json") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(("text", "code", "words"), [
    ("[{\"type\": \"Activation\",", "invalid-json", "not JSON"),
    ('{"statements": []}', "not-indra", "not a list of Statements"),
    ('[{"type": "Activation", "subj": "ketamine", "obj": {}, "evidence": [{}]}]', "invalid-indra",
     "statement 0 (JSON path $[0]).subj: expected a JSON object, found a string"),
    ('[{"type": "Activation", "subj": {"name": "k", "db_refs": {"CHEBI": 6121}}, "obj": {"name": "m", '
     '"db_refs": {"HGNC": "3942"}}, "evidence": [{"text": "x"}]}]', "invalid-indra", "$[0]).subj.db_refs.CHEBI"),
    ('[1]', "invalid-indra", "statement 0 (JSON path $[0]): expected a JSON object, found a number"),
    ('[{"type": "Inhibition", "subj": {"name": "k", "db_refs": {"CHEBI": "CHEBI:1"}}, "obj": {"name": "m", '
     '"db_refs": {"HGNC": "3942"}}, "evidence": {"text": "x"}}]', "invalid-indra", "evidence: expected a JSON list"),
    ('[{"type": "Activation", "subj": {"name": "k\\u0007", "db_refs": {"CHEBI": "CHEBI:1"}}, "obj": {"name": "m", '
     '"db_refs": {"HGNC": "3942"}}, "evidence": [{"text": "x"}]}]', "invalid-indra", "control character U+0007"),
    ("[]", "nothing-to-import", "no signed statement"),
])
def test_bad_files_are_refused_with_the_place(tmp_path, text, code, words):
    with pytest.raises(InputError) as caught:
        read_indra(_write(tmp_path, text))
    assert caught.value.problem.code == code
    assert words in str(caught.value)


def test_hostile_nesting_and_size_are_refused_fast(tmp_path, monkeypatch):
    with pytest.raises(InputError, match="too-deep|nested"):
        read_indra(_write(tmp_path, "[" * 200_000 + "]" * 200_000))
    deep = {"type": "Activation", "subj": {"name": "k", "db_refs": {"CHEBI": "CHEBI:6121"}},
            "obj": {"name": "m", "db_refs": {"HGNC": "3942"}}, "evidence": [{"text": "x", "annotations": {}}]}
    nested: dict = {}
    cursor = nested
    for _ in range(150):
        cursor["a"] = {}
        cursor = cursor["a"]
    deep["evidence"][0]["annotations"] = nested
    with pytest.raises(InputError, match="nests deeper than 100 levels"):
        read_indra(_write(tmp_path, json.dumps([deep]), "deep.json"))
    monkeypatch.setenv("MTORGRAPH_MAX_FILE_BYTES", "100")
    with pytest.raises(InputError, match="file-too-large"):
        read_indra(MIXED)


# -- the command line ----------------------------------------------------------------------------


def test_cli_export_to_indra_and_read_back(tmp_path):
    runner = CliRunner()
    out = tmp_path / "g.json"
    result = runner.invoke(main, ["export", "--to", "indra", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "not written (INDRA's signed Statement types cannot hold them)" in result.stderr
    assert "associated_with ×" in result.stderr
    shown = runner.invoke(main, ["--graph", str(out), "edges", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    predicates = {row["predicate"] for row in json.loads(shown.stdout)}
    assert predicates <= set(SIGNED) and predicates
    stdout = runner.invoke(main, ["export", "--to", "indra", "-o", "-"])
    assert json.loads(stdout.stdout)[0]["type"] in ("Activation", "Inhibition", "IncreaseAmount", "DecreaseAmount")


def test_cli_graph_json_warns_what_was_left_out():
    result = CliRunner().invoke(main, ["--graph", str(MIXED), "edges"])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.stderr and "6 of 12 INDRA statements not imported" in result.stderr
    assert "Complex ×1" in result.stderr


def test_cli_bad_json_is_a_data_error(tmp_path):
    result = CliRunner().invoke(main, ["--graph", str(_write(tmp_path, '{"a": 1}')), "edges"])
    assert result.exit_code == 1
    assert "not a list of Statements" in result.stderr and "Traceback" not in result.output
