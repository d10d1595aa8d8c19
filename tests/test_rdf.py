"""RDF export and import: every format, losslessness, determinism, SHACL, offline JSON-LD, the CLI."""

from __future__ import annotations

import io
import json
import socket

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from mtorgraph import load_graph
from mtorgraph.cli import main
from mtorgraph.errors import MtorgraphError
from mtorgraph.io import write_graph
from mtorgraph.io.rdf import from_rdf, load_rdf, parse_rdf, to_jsonld, to_ntriples, to_rdf, to_trig, to_turtle
from mtorgraph.io.rdf_stream import write_ntriples
from mtorgraph.io.rdf_vocab import BIOLINK, MTG
from mtorgraph.analysis.scoring import edge_beliefs
from mtorgraph.io.rdf_blocks import LINK_PREDICATES
from mtorgraph.io.shacl import find_shacl_violations
from mtorgraph.model import (DOI_PATTERN, PMCID_PATTERN, PMID_PATTERN, Claim, Context, Edge, Entity, Evidence,
                             MechanismGraph, OpenQuestion, Question, Reference, StructuralLink)
from mtorgraph.vocab import ENTITY_KINDS, EVIDENCE_KINDS, PREDICATES, SPECIES, expand_curie

from .conftest import DATA, MINI, ROOT

BRIDGES = DATA / "bridges.yaml"
RELATIONS = ["part_of", "participates_in", "subclass_of", "model_of"]


# Text with the characters that break naive writers: quotes, backslashes, newlines, tabs, unicode.
# Other control characters are left out: XML (RDF/XML) cannot carry them at all.
TEXT = st.text(
    alphabet=st.one_of(st.sampled_from('"\\\n\t\'<>{}&#@;:., ' + "é✓𝔾"),
                       st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=("Cs",))),
    max_size=12)
NONEMPTY = TEXT.filter(lambda s: len(s) >= 1)
KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
LOCAL_ID = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,6}", fullmatch=True)


def optional(strategy):
    return st.none() | strategy


@st.composite
def entities(draw, keys):
    out, ids = [], set()
    for key in keys:
        kind = draw(st.sampled_from(sorted(ENTITY_KINDS)))
        prefix = draw(st.sampled_from(ENTITY_KINDS[kind]))
        curie = f"{prefix}:{draw(LOCAL_ID)}"
        while curie in ids:  # ids are unique in a graph (the export refuses two entities on one IRI)
            curie += "0"
        ids.add(curie)
        out.append(Entity(key=key, id=curie, label=draw(NONEMPTY), name=draw(NONEMPTY), kind=kind,
                          id_status=draw(st.sampled_from(["verified", "derived", "local"])),
                          synonyms=tuple(draw(st.lists(TEXT, max_size=3))),
                          xrefs=tuple(draw(st.lists(st.builds(lambda p, l: f"{p}:{l}",
                                                              st.sampled_from(["MESH", "DRUGBANK", "X.y"]),
                                                              LOCAL_ID), max_size=2))),
                          note=draw(optional(TEXT))))
    return out


@st.composite
def references(draw, keys):
    return [Reference(key=key, title=draw(NONEMPTY), authors=draw(optional(TEXT)),
                      year=draw(optional(st.integers(-5000, 5000))), journal=draw(optional(TEXT)),
                      volume=draw(optional(TEXT)), pages=draw(optional(TEXT)),
                      doi=draw(optional(st.from_regex(DOI_PATTERN, fullmatch=True))),
                      pmid=draw(optional(st.from_regex(PMID_PATTERN, fullmatch=True))),
                      pmcid=draw(optional(st.from_regex(PMCID_PATTERN, fullmatch=True))),
                      url=draw(optional(st.from_regex(r"https?://[a-z]{1,5}\.org/[!-~]{0,8}", fullmatch=True))),
                      study_type=draw(optional(TEXT)), verified=draw(st.sampled_from(["yes", "partial", "no"])),
                      verification_note=draw(optional(TEXT)), seen_at=tuple(draw(st.lists(TEXT, max_size=2))))
            for key in keys]


@st.composite
def contexts(draw):
    fields = {name: draw(optional(TEXT)) for name in ("anatomy", "cell_type", "model", "design", "route",
                                                       "dose", "timepoint", "population")}
    return Context(species=draw(optional(st.sampled_from(sorted(SPECIES)))),
                   n=draw(optional(st.integers(1, 10**6))), **fields)


@st.composite
def evidence_items(draw, reference_keys):
    return tuple(Evidence(reference=draw(st.sampled_from(reference_keys)),
                          kind=draw(st.sampled_from(sorted(EVIDENCE_KINDS))),
                          direction=draw(st.sampled_from(["supports", "refutes"])),
                          context=draw(contexts()), finding=draw(NONEMPTY),
                          effect=draw(optional(TEXT)), p_value=draw(optional(TEXT)),
                          experiment=draw(optional(NONEMPTY)),
                          basis=draw(st.sampled_from(["own_result", "cited_statement", "title_only"])))
                 for _ in range(draw(st.integers(1, 3))))


@st.composite
def graphs(draw):
    """A random graph that passes the model's own checks: edges, links, claims, open questions,
    a title and questions."""
    entity_keys = draw(st.lists(KEYS, min_size=1, max_size=5, unique=True))
    reference_keys = draw(st.lists(KEYS, min_size=1, max_size=3, unique=True))
    triples = draw(st.lists(st.tuples(st.sampled_from(entity_keys), st.sampled_from(sorted(PREDICATES)),
                                      st.sampled_from(entity_keys)), max_size=6, unique=True))
    edges = []
    for s, p, o in triples:
        edges.append(Edge(subject=s, predicate=p, object=o, evidence=draw(evidence_items(reference_keys)),
                          note=draw(optional(TEXT))))
    link_keys = draw(st.lists(st.tuples(st.sampled_from(entity_keys), st.sampled_from(RELATIONS),
                                        st.sampled_from(entity_keys)), max_size=3, unique=True))
    links = [StructuralLink(subject=s, relation=r, object=o, evidence=draw(evidence_items(reference_keys)),
                            note=draw(optional(TEXT))) for s, r, o in link_keys]
    open_questions = [OpenQuestion(key=key, question=draw(NONEMPTY), proposed_by=draw(st.sampled_from(reference_keys)),
                                   statement=draw(NONEMPTY), would_test=draw(NONEMPTY),
                                   entities=tuple(draw(st.lists(st.sampled_from(entity_keys), max_size=2))),
                                   note=draw(optional(TEXT)))
                      for key in draw(st.lists(KEYS, max_size=2, unique=True))]
    questions = [Question(source=draw(st.sampled_from(entity_keys)), target=draw(st.sampled_from(entity_keys)),
                          title=draw(optional(NONEMPTY))) for _ in range(draw(st.integers(0, 2)))]
    claim_numbers = draw(st.lists(st.integers(1, 30), max_size=3, unique=True))
    claims = [Claim(id=f"C{n}", section=draw(TEXT), statement=draw(NONEMPTY),
                    verdict=draw(st.sampled_from(["supported", "supported_with_caveats", "partial", "contradicted",
                                                  "no_source_found"])),
                    references=tuple(draw(st.lists(st.sampled_from(reference_keys), max_size=2))),
                    edges=tuple(draw(st.lists(st.sampled_from([e.label for e in edges]), max_size=2)))
                    if edges else (),
                    literature_says=draw(optional(TEXT)))
              for n in sorted(claim_numbers)]
    return MechanismGraph(
        entities=tuple(sorted(draw(entities(entity_keys)), key=lambda e: e.key)),
        references=tuple(sorted(draw(references(reference_keys)), key=lambda r: r.key)),
        edges=tuple(sorted(edges, key=lambda e: e.key)),
        claims=tuple(claims),
        links=tuple(sorted(links, key=lambda li: li.key)),
        open_questions=tuple(sorted(open_questions, key=lambda q: q.key)),
        title=draw(optional(NONEMPTY)), questions=tuple(questions))


SUFFIXES = {"turtle": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "trig": ".trig", "xml": ".rdf"}
TEXT_FORMATS = ["turtle", "nt", "jsonld", "trig"]


@pytest.fixture(scope="module")
def bundled():
    return load_graph()


@pytest.fixture(scope="module")
def mini_graph():
    return load_graph(MINI)


@pytest.fixture(scope="module")
def bridges_graph():
    return load_graph(BRIDGES)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def export(graph, fmt, tmp_path):
    return write_graph(graph, tmp_path / f"export{SUFFIXES[fmt]}", fmt)


# ---- losslessness --------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", list(SUFFIXES))
@pytest.mark.parametrize("which", ["mini", "bridges", "bundled"])
def test_every_format_reads_back_to_the_same_graph(which, fmt, tmp_path, mini_graph, bridges_graph, bundled):
    graph = {"mini": mini_graph, "bridges": bridges_graph, "bundled": bundled}[which]
    path = export(graph, fmt, tmp_path)
    assert load_graph(path) == graph                      # through the registry, by suffix
    assert isomorphic(parse_rdf(path), to_rdf(graph))     # and the very same triples


def test_round_trip_in_memory(mini_graph, bridges_graph, bundled):
    assert from_rdf(to_rdf(mini_graph)) == mini_graph
    assert from_rdf(to_rdf(bundled)) == bundled
    back = from_rdf(to_rdf(bridges_graph))
    assert back == bridges_graph
    assert back.links and back.open_questions and back.title and back.questions  # the fixture has each
    assert {ev.basis for edge in back.edges for ev in edge.evidence} == {"own_result", "cited_statement", "title_only"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=graphs())
def test_random_graphs_round_trip_in_memory(graph):
    assert from_rdf(to_rdf(graph)) == graph


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(graph=graphs())
def test_random_graphs_round_trip_through_text(fmt, graph, tmp_path):
    path = write_graph(graph, tmp_path / f"random{SUFFIXES[fmt]}", fmt)
    back = load_rdf(path)
    assert back == graph
    assert isomorphic(parse_rdf(path), to_rdf(graph))


def test_streaming_ntriples_are_the_triples_of_to_rdf(bundled):
    out = io.StringIO()
    count = write_ntriples(bundled, out)
    parsed = Graph().parse(data=out.getvalue(), format="nt")
    assert count == len(parsed) == len(to_rdf(bundled))
    assert isomorphic(parsed, to_rdf(bundled))


# ---- other readers agree -------------------------------------------------------------------------

@pytest.mark.parametrize("fmt,oxi", [("turtle", pyoxigraph.RdfFormat.TURTLE),
                                     ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
                                     ("trig", pyoxigraph.RdfFormat.TRIG)])
def test_rdflib_and_oxigraph_read_the_same_number_of_triples(fmt, oxi, bundled, tmp_path):
    path = export(bundled, fmt, tmp_path)
    with open(path, "rb") as handle:
        oxigraph_count = sum(1 for _ in pyoxigraph.parse(handle, format=oxi))
    assert oxigraph_count == len(parse_rdf(path)) == len(to_rdf(bundled)) > 20 * len(bundled.edges)


def test_jsonld_reads_back_without_network(mini_graph, tmp_path, no_network):
    path = export(mini_graph, "jsonld", tmp_path)
    document = json.loads(path.read_text())
    assert isinstance(document["@context"], dict)          # embedded, not a URL to fetch
    assert load_graph(path) == mini_graph


def test_jsonld_is_compact_with_list_terms(mini_graph):
    document = json.loads(to_jsonld(mini_graph))
    rapamycin = next(node for node in document["@graph"] if node.get("mtg:key") == "rapamycin")
    assert sorted(rapamycin["@type"]) == ["mtg:Chemical", "mtg:Entity"]
    assert rapamycin["synonyms"] == ["sirolimus"]


def test_trig_has_an_assertion_and_a_provenance_graph_per_edge(mini_graph, tmp_path):
    dataset = Dataset()
    dataset.parse(data=to_trig(mini_graph), format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if str(g.identifier).startswith("https://w3id.org")}
    assert len(names) == 2 * len(mini_graph.edges)
    provenance = next(g for g in dataset.graphs() if str(g.identifier).endswith("/provenance"))
    assert set(provenance.subjects(RDF.type, MTG.Evidence))
    assert not set(provenance.subjects(RDF.type, MTG.Assertion))


# ---- determinism and stable IRIs ---------------------------------------------------------------

@pytest.mark.parametrize("fmt", list(SUFFIXES))
def test_output_is_deterministic(fmt, bundled, tmp_path):
    first = export(bundled, fmt, tmp_path).read_bytes()
    second = write_graph(load_graph(), tmp_path / f"again{SUFFIXES[fmt]}", fmt).read_bytes()
    assert first == second


def test_iris_survive_rewording_a_finding(mini_graph):
    edge = mini_graph.edges[0]
    ev = edge.evidence[0].model_copy(update={"finding": "reworded"})
    changed = mini_graph.model_copy(update={"edges": (edge.model_copy(update={"evidence": (ev,)}),
                                                      *mini_graph.edges[1:])})
    nodes = lambda g: {s for s in to_rdf(g).subjects() if isinstance(s, URIRef)}  # noqa: E731
    assert nodes(changed) == nodes(mini_graph)


# ---- what the export says ----------------------------------------------------------------------

def test_an_edge_is_a_direct_triple_and_an_evidence_tagged_association(mini_graph):
    rdf = to_rdf(mini_graph)
    rapamycin, mtorc1 = URIRef(expand_curie("CHEBI:9168")), URIRef(expand_curie("GO:0031931"))
    assert (rapamycin, MTG.inhibits, mtorc1) in rdf
    (node,) = set(rdf.subjects(RDF.subject, rapamycin)) & set(rdf.subjects(RDF.object, mtorc1))
    for cls in (MTG.Assertion, BIOLINK.Association, RDF.Statement):
        assert (node, RDF.type, cls) in rdf
    assert rdf.value(node, RDF.predicate) == MTG.inhibits
    assert rdf.value(node, MTG.sign) == Literal(-1)
    assert rdf.value(node, BIOLINK.object_direction_qualifier) == Literal("decreased")
    assert rdf.value(node, BIOLINK.qualified_predicate) == BIOLINK.causes
    evidence = rdf.value(node, MTG.evidence)
    assert (evidence, RDF.type, URIRef(expand_curie(EVIDENCE_KINDS["animal_in_vivo"].eco))) in rdf
    assert rdf.value(evidence, BIOLINK.publications) == URIRef("https://doi.org/10.5555/fixture.a")
    assert rdf.value(evidence, BIOLINK.species_context_qualifier) == URIRef(expand_curie("NCBITaxon:10116"))
    assert rdf.value(evidence, BIOLINK.anatomical_context_qualifier) == URIRef(expand_curie("UBERON:0000451"))


def test_publication_iris_for_pubmed_and_pmc(mini_graph):
    rdf = to_rdf(mini_graph)
    publications = {str(o) for o in rdf.objects(None, BIOLINK.publications)}
    assert "https://pubmed.ncbi.nlm.nih.gov/1/" in publications
    assert "https://pmc.ncbi.nlm.nih.gov/articles/PMC1/" in publications


def test_null_finding_is_negated_and_unsigned(mini_graph):
    rdf = to_rdf(mini_graph)
    (node,) = rdf.subjects(RDF.predicate, MTG.no_effect_on)
    assert rdf.value(node, BIOLINK.negated) == Literal(True)
    assert rdf.value(node, MTG.sign) == Literal(0)
    assert rdf.value(node, BIOLINK.object_direction_qualifier) is None


def test_bundled_graph_facts_in_rdf(bundled):
    rdf = to_rdf(bundled)
    assert len(set(rdf.subjects(RDF.type, MTG.Assertion))) == len(bundled.edges)
    assert len(set(rdf.subjects(RDF.type, MTG.Evidence))) == sum(len(e.evidence) for e in (*bundled.edges, *bundled.links))
    rapamycin = URIRef(expand_curie(bundled.entity("rapamycin").id))
    assert (rapamycin, MTG.inhibits, URIRef(expand_curie(bundled.entity("mtorc1").id))) in rdf


# ---- errors --------------------------------------------------------------------------------------

def test_entities_sharing_an_id_cannot_be_exported(mini_graph):
    twin = mini_graph.entities[0].model_copy(update={"key": "zz_twin"})
    graph = mini_graph.model_copy(update={"entities": (*mini_graph.entities, twin)})
    with pytest.raises(MtorgraphError, match="share the id"):
        to_rdf(graph)


def test_bad_rdf_file_names_the_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    with pytest.raises(MtorgraphError, match=r"bad.ttl(:\d+:\d+)?: error\[rdf-syntax\]: not valid turtle RDF"):
        load_graph(bad)


def test_assertion_without_evidence_is_refused_on_import(mini_graph):
    rdf = to_rdf(mini_graph)
    node = next(iter(rdf.subjects(RDF.type, MTG.Assertion)))
    rdf.remove((node, MTG.evidence, None))
    with pytest.raises(MtorgraphError, match="has no mtg:evidence"):
        from_rdf(rdf, source="x.ttl")


def test_rdf_that_is_not_an_export_is_refused_clearly():
    rdf = Graph()
    rdf.add((URIRef(expand_curie("GO:1")), RDF.type, MTG.Entity))
    with pytest.raises(MtorgraphError, match="kind class"):
        from_rdf(rdf)


# ---- SHACL -------------------------------------------------------------------------------------

def test_exports_conform_to_the_shapes(mini_graph, bundled):
    assert find_shacl_violations(mini_graph) == []
    assert find_shacl_violations(bundled) == []


def broken_export(graph):
    """An export with an assertion stripped of its evidence and another whose sign contradicts it."""
    rdf = to_rdf(graph)
    stripped = next(iter(rdf.subjects(RDF.predicate, MTG.associated_with)))
    rdf.remove((stripped, MTG.evidence, None))
    wrong = next(iter(rdf.subjects(RDF.predicate, MTG.inhibits)))
    rdf.set((wrong, MTG.sign, Literal(1)))
    return rdf, stripped, wrong


def test_broken_export_fails_shacl_with_readable_messages(mini_graph):
    rdf, stripped, wrong = broken_export(mini_graph)
    found = {v.format() for v in find_shacl_violations(rdf)}
    assert any("needs at least one mtg:evidence" in line for line in found), found
    assert any("mtg:sign 1 contradicts the sign of its rdf:predicate mtg:inhibits" in line for line in found), found
    assert len(found) == 2


def test_validate_shacl_command(runner, mini_graph, tmp_path):
    good = runner.invoke(main, ["validate", "--shacl", str(MINI)])
    assert good.exit_code == 0, good.output
    assert "conforms to ontology/shapes.ttl" in good.stdout
    rdf, _, _ = broken_export(mini_graph)
    path = tmp_path / "broken.ttl"
    path.write_text(rdf.serialize(format="turtle"))
    bad = runner.invoke(main, ["validate", "--shacl", str(path)])
    assert bad.exit_code == 1
    assert "shacl: assertion:" in bad.stderr and "contradicts the sign" in bad.stderr
    assert "SHACL: 2 violations" in bad.stdout  # problems on stderr, the summary line on stdout
    as_json = runner.invoke(main, ["validate", "--shacl", "--format", "json", str(path)])
    assert as_json.exit_code == 1
    # the reader's own complaint (an assertion without evidence) comes first, then SHACL's two
    assert sorted(row["code"] for row in json.loads(as_json.stdout)) == ["invalid-rdf", "shacl", "shacl"]


def test_shapes_are_found_from_the_source_tree():
    from mtorgraph.io.shacl import ontology_path

    assert (ontology_path() / "shapes.ttl").samefile(ROOT / "ontology" / "shapes.ttl")


# ---- CLI ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", list(SUFFIXES))
def test_export_command_infers_the_format_from_the_suffix(fmt, runner, tmp_path):
    out = tmp_path / f"g{SUFFIXES[fmt]}"
    result = runner.invoke(main, ["--graph", str(MINI), "export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out} ({fmt}," in result.stderr
    again = runner.invoke(main, ["--graph", str(out), "info", "--format", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["edges"] == 10


def test_export_command_with_explicit_format_and_stdout(runner, tmp_path):
    out = tmp_path / "g.txt"
    result = runner.invoke(main, ["--graph", str(MINI), "export", "--to", "nt", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert Graph().parse(out, format="nt")
    stdout = runner.invoke(main, ["--graph", str(MINI), "export", "--to", "turtle", "-o", "-"])
    assert stdout.exit_code == 0
    graph = load_graph(MINI)
    assert stdout.stdout == to_turtle(graph, edge_beliefs(graph))  # the command computes the beliefs


def test_export_command_unknown_suffix_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["--graph", str(MINI), "export", "-o", str(tmp_path / "g.docx")])
    assert result.exit_code == 2
    assert "unknown output format '.docx'" in result.stderr and "turtle" in result.stderr
    assert "Traceback" not in result.output


def test_ntriples_text_has_the_streaming_triples(mini_graph):
    # the column writer orders lines by column, the block writer by node: the same set of lines
    buffer = io.StringIO()
    write_ntriples(mini_graph, buffer)
    text = to_ntriples(mini_graph)
    assert sorted(text.split("\n")) == sorted(buffer.getvalue().split("\n"))


# ---- structural links, open questions, the graph's description -------------------------------

def test_a_link_is_standard_triples_and_an_evidence_tagged_association(bridges_graph):
    rdf = to_rdf(bridges_graph, edge_beliefs(bridges_graph))
    rodent = URIRef(expand_curie(bridges_graph.entity("depressive_like_behavior").id))
    depression = URIRef(expand_curie("MONDO:0002050"))
    assert (rodent, URIRef("http://purl.obolibrary.org/obo/RO_0003301"), depression) in rdf
    assert (rodent, BIOLINK.model_of, depression) in rdf
    mtor, mtorc1 = URIRef(expand_curie("NCBIGene:2475")), URIRef(expand_curie("GO:0031931"))
    assert (mtor, URIRef("http://purl.obolibrary.org/obo/BFO_0000050"), mtorc1) in rdf
    assert (mtor, BIOLINK.part_of, mtorc1) in rdf
    signalling = URIRef(expand_curie("GO:0031929"))
    assert (mtorc1, URIRef("http://purl.obolibrary.org/obo/RO_0000056"), signalling) in rdf
    (node,) = set(rdf.subjects(RDF.type, MTG.Link)) & set(rdf.subjects(RDF.subject, rodent))
    for cls in (BIOLINK.Association, RDF.Statement):
        assert (node, RDF.type, cls) in rdf
    assert rdf.value(node, RDF.predicate) == BIOLINK.model_of
    assert rdf.value(node, MTG.relation) == Literal("model_of")
    assert float(rdf.value(node, MTG.belief).toPython()) == pytest.approx(0.5)
    evidence = rdf.value(node, MTG.evidence)
    assert rdf.value(evidence, MTG.basis) == Literal("own_result")
    assert set(LINK_PREDICATES) == set(RELATIONS)


def test_evidence_basis_and_experiment_are_exported(bridges_graph):
    rdf = to_rdf(bridges_graph)
    assert {str(o) for o in rdf.objects(None, MTG.basis)} == {"own_result", "cited_statement", "title_only"}
    assert {str(o) for o in rdf.objects(None, MTG.experiment)} == {"chronic restraint stress", "lifelong diet"}


def test_open_questions_and_the_graph_description_are_exported(bridges_graph):
    rdf = to_rdf(bridges_graph)
    (oq,) = rdf.subjects(RDF.type, MTG.OpenQuestion)
    assert rdf.value(oq, MTG.proposedBy) == URIRef("https://w3id.org/mtorgraph/kg/reference/fixture_c")
    assert str(rdf.value(oq, MTG.wouldTest)).startswith("A trial measuring")
    (description,) = rdf.subjects(RDF.type, MTG.GraphDescription)
    assert str(rdf.value(description, MTG.title)) == "Fixture: does rapamycin help in depression?"
    assert len(set(rdf.subjects(RDF.type, MTG.Question))) == 2


def test_shapes_accept_links_and_open_questions(bridges_graph):
    assert find_shacl_violations(to_rdf(bridges_graph, edge_beliefs(bridges_graph))) == []


def test_shapes_reject_a_bad_relation_and_a_bad_basis(bridges_graph):
    rdf = to_rdf(bridges_graph)
    link = next(iter(rdf.subjects(RDF.type, MTG.Link)))
    rdf.set((link, MTG.relation, Literal("next_to")))
    evidence = next(iter(rdf.subjects(MTG.basis, Literal("title_only"))))
    rdf.set((evidence, MTG.basis, Literal("rumour")))
    found = " | ".join(v.format() for v in find_shacl_violations(rdf))
    assert "mtg:relation is one of part_of, participates_in, subclass_of, model_of" in found
    assert "mtg:basis is one of own_result, cited_statement, title_only" in found


# ---- beliefs come from the caller ---------------------------------------------------------------

def test_writers_take_beliefs_from_the_caller(mini_graph):
    assert not set(to_rdf(mini_graph).objects(None, MTG.belief))  # none given, none written
    beliefs = edge_beliefs(mini_graph)
    rdf = to_rdf(mini_graph, beliefs)
    node = next(iter(rdf.subjects(RDF.predicate, MTG.inhibits)))
    edge_key = (str(rdf.value(rdf.value(node, RDF.subject), MTG.key)), "inhibits",
                str(rdf.value(rdf.value(node, RDF.object), MTG.key)))
    assert float(rdf.value(node, MTG.belief).toPython()) == pytest.approx(round(beliefs[edge_key], 4))
    as_callable = to_rdf(mini_graph, lambda item: 0.25)
    assert {float(o.toPython()) for o in as_callable.objects(None, MTG.belief)} == {0.25}
    with pytest.raises(MtorgraphError, match="no belief given for"):
        to_rdf(mini_graph, {})


def test_io_does_not_import_analysis():
    import ast

    for path in (ROOT / "src" / "mtorgraph" / "io").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert "analysis" not in (node.module or ""), f"{path.name} imports {node.module}"


def test_export_command_writes_beliefs(runner, tmp_path):
    out = tmp_path / "g.ttl"
    result = runner.invoke(main, ["--graph", str(BRIDGES), "export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rdf = parse_rdf(out)
    assert len(set(rdf.objects(None, MTG.belief))) > 1
    assert len(set(rdf.subjects(MTG.belief, None))) == len(set(rdf.subjects(RDF.type, MTG.Assertion))) + len(
        set(rdf.subjects(RDF.type, MTG.Link)))
    assert load_graph(out) == load_graph(BRIDGES)
