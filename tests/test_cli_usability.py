"""Every command on any graph: the exit-code policy, vocabulary resolvers, discoverability commands,
terminal safety, validate's streams, progress, and the acceptance suite of issue 10."""

from __future__ import annotations

import io
import json

import click
import pytest

from mtorgraph import progress
from mtorgraph.cli import main
from mtorgraph.cli.common import VocabularyType

from .conftest import DATA, MINI

OTHER = DATA / "other.yaml"
FOREIGN = DATA / "foreign.ttl"

#: A valid value for every argument of every command, by parameter name. A new command whose
#: arguments are not here makes test_every_command_is_known fail, so it gets covered.
ARGUMENTS = {"entity": "rapamycin", "source": "rapamycin", "target": "depression", "subject": "rapamycin",
             "object_": "mtorc1", "query": "SELECT ?s WHERE { ?s a mtg:Assertion } LIMIT 1",
             "claims": "C1", "text": "mtor", "references_": "fixture_a", "path": str(MINI),
             "files": str(MINI.parent / "kgx" / "signor_style.csv"), "old": str(MINI), "new": str(MINI)}
#: Options that must be given.
REQUIRED = {"export": ["-o", "-"], "import": ["--to", "never-written"]}
#: Commands that read no graph (``--graph`` does not matter to them).
GRAPH_FREE = {"formats", "import", "diff"}


def invoke(runner, *args, graph=MINI):
    prefix = ["--graph", str(graph)] if graph is not None else []
    return runner.invoke(main, [*prefix, *args])


def _base_args(command: click.Command) -> list[str]:
    args = list(REQUIRED.get(command.name, []))
    for param in command.params:
        if isinstance(param, click.Argument) and param.required:
            args.append(ARGUMENTS[param.name])
    return args


def _assert_one_line_usage_error(result, *needles):
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for needle in needles:
        assert needle in lines[0]


COMMANDS = sorted(main.commands)


def test_every_command_is_known():
    for name in COMMANDS:
        command = main.commands[name]
        for param in command.params:
            if isinstance(param, click.Argument):
                assert param.name in ARGUMENTS, f"add a value for {name} {param.name} to ARGUMENTS"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_refuses_an_unknown_option_in_one_line(runner, name):
    _assert_one_line_usage_error(invoke(runner, name, *_base_args(main.commands[name]), "--no-such-option"),
                                 "--no-such-option")


def _vocabulary_options(name):
    for param in main.commands[name].params:
        if isinstance(param, click.Option) and isinstance(param.type, (VocabularyType, click.Choice)):
            yield param.opts[-1]


@pytest.mark.parametrize(("name", "option"), [(n, o) for n in COMMANDS for o in _vocabulary_options(n)])
def test_every_vocabulary_option_refuses_a_bad_value_with_exit_2(runner, name, option):
    result = invoke(runner, name, *_base_args(main.commands[name]), option, "zzqx")
    _assert_one_line_usage_error(result, "'zzqx'")


ENTITY_PLACES = [("show", ["zzqx"]), ("paths", ["zzqx", "depression"]), ("paths", ["rapamycin", "zzqx"]),
                 ("explain", ["zzqx", "mtorc1"]), ("conflicts", ["rapamycin", "zzqx"]),
                 ("edges", ["--subject", "zzqx"]), ("edges", ["--object", "zzqx"]),
                 ("view", ["--focus", "zzqx"]), ("audit", ["C99"]), ("audit", ["C1", "nonsense"]),
                 ("references", ["10.9999/none"]), ("conflicts", ["rapamycin"])]


@pytest.mark.parametrize(("name", "args"), ENTITY_PLACES)
def test_unknown_names_on_the_command_line_exit_2(runner, tmp_path, name, args):
    if name == "view":
        args = [*args, "-o", str(tmp_path / "v.html")]
    _assert_one_line_usage_error(invoke(runner, name, *args))


def test_species_resolve_any_case_and_alias_and_repeat(runner):
    human = json.loads(invoke(runner, "edges", "--species", "human", "--format", "json").stdout)
    for word in ("Human", "HUMAN", "Homo sapiens", "NCBITaxon:9606"):
        result = invoke(runner, "edges", "--species", word, "--format", "json")
        assert result.exit_code == 0 and json.loads(result.stdout) == human
    both = json.loads(invoke(runner, "edges", "--species", "human", "--species", "rat", "--format", "json").stdout)
    assert len(both) == 9 and len(human) == 4  # 4 human + 5 rat edges, none in both
    _assert_one_line_usage_error(invoke(runner, "edges", "--species", "humna"), "did you mean 'human'?")
    paths = invoke(runner, "paths", "rapamycin", "depression", "--species", "Homo Sapiens", "--format", "json")
    assert paths.exit_code == 0, paths.output


def test_edges_repeatable_predicate_and_sign(runner):
    def count(*args):
        result = invoke(runner, "edges", *args, "--format", "json")
        assert result.exit_code == 0, result.output
        return sorted(e["predicate"] for e in json.loads(result.stdout))

    assert count("--predicate", "inhibits", "--predicate", "Decreases") == ["decreases", "decreases", "inhibits",
                                                                            "inhibits"]
    assert count("--sign", "negative") == count("--predicate", "inhibits", "--predicate", "decreases")
    assert count("--sign", "unsigned") == ["associated_with", "no_effect_on"]
    assert len(count("--sign", "+", "--sign", "-")) == 8


def test_an_empty_answer_is_said_in_words(runner):
    result = invoke(runner, "edges", "--species", "mouse")
    assert result.exit_code == 0 and result.stdout.startswith("no edge matches these filters (of 10 edges)")
    result = invoke(runner, "entities", "nothing-like-this")
    assert result.exit_code == 0 and result.stdout.startswith("no entity matches 'nothing-like-this'")


def test_entities_lists_and_searches(runner):
    everything = json.loads(invoke(runner, "entities", "--format", "json").stdout)
    assert len(everything) == 7
    by_synonym = json.loads(invoke(runner, "entities", "SIROLIMUS", "--format", "json").stdout)
    assert [e["key"] for e in by_synonym] == ["rapamycin"] and by_synonym[0]["edges"] == 5
    by_curie = invoke(runner, "entities", "GO:0031931", "--format", "tsv").stdout.splitlines()
    assert len(by_curie) == 2 and by_curie[1].startswith("mtorc1\tGO:0031931\tcomplex")
    chemicals = json.loads(invoke(runner, "entities", "--kind", "chemical", "--format", "json").stdout)
    assert [e["key"] for e in chemicals] == ["ketamine", "rapamycin"]
    assert [e["key"] for e in json.loads(invoke(runner, "entities", "--kind", "biolink:SmallMolecule",
                                                "--format", "json").stdout)] == ["ketamine", "rapamycin"]


@pytest.mark.parametrize("word", ["fixture_b", "FIXTURE_B", "1", "PMID:1", "https://pubmed.ncbi.nlm.nih.gov/1/"])
def test_references_by_key_or_pmid(runner, word):
    result = invoke(runner, "references", word, "--format", "json")
    assert result.exit_code == 0, result.output
    [ref] = json.loads(result.stdout)
    assert ref["key"] == "fixture_b" and len(ref["edges"]) == 4


@pytest.mark.parametrize("word", ["10.5555/fixture.a", "doi:10.5555/FIXTURE.A", "https://doi.org/10.5555/fixture.a"])
def test_references_by_doi(runner, word):
    result = invoke(runner, "references", word)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("fixture_a: Alpha A et al. 2001") and "rapamycin inhibits mtorc1" in result.stdout


def test_references_lists_every_reference(runner):
    rows = invoke(runner, "references", "--format", "tsv").stdout.splitlines()
    assert len(rows) == 5 and rows[0].split("\t")[:2] == ["key", "citation"]


def test_wide_lifts_the_table_cut(runner, tmp_path):
    long = "x" * 120
    graph = tmp_path / "long.yaml"
    graph.write_text(MINI.read_text().replace('finding: "A blocked B."', f'finding: "{long}"'))
    cut = invoke(runner, "show", "mtorc1", graph=graph)
    assert cut.exit_code == 0 and long not in cut.stdout and "x" * 59 + "…" in cut.stdout
    wide = invoke(runner, "show", "mtorc1", "--wide", graph=graph)
    assert long in wide.stdout
    assert long in invoke(runner, "show", "mtorc1", "--format", "tsv", graph=graph).stdout  # never cut


def test_sparql_construct_prints_turtle_or_ntriples(runner):
    from rdflib import Graph

    query = "CONSTRUCT { ?s mtg:blocks ?o } WHERE { ?s mtg:inhibits ?o }"
    turtle = invoke(runner, "sparql", query)
    assert turtle.exit_code == 0 and "mtg:blocks" in turtle.stdout and turtle.stderr.strip() == "2 triples"
    assert len(Graph().parse(data=turtle.stdout, format="turtle")) == 2
    nt = invoke(runner, "sparql", query, "--format", "nt")
    assert len(nt.stdout.splitlines()) == 2 and len(Graph().parse(data=nt.stdout, format="nt")) == 2
    rows = invoke(runner, "sparql", query, "--format", "json")
    assert len(json.loads(rows.stdout)) == 2
    _assert_one_line_usage_error(invoke(runner, "sparql", "ASK { ?s ?p ?o }", "--format", "turtle"), "CONSTRUCT")


# ---- validate writes to the same streams, clean or not --------------------------------------------

def test_validate_streams_are_the_same_clean_or_not(runner, tmp_path):
    clean = invoke(runner, "validate")
    assert clean.exit_code == 0
    assert clean.stdout.strip() == f"{MINI}: ok, 0 errors, 1 warning"
    assert "warning[" in clean.stderr
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(MINI.read_text().replace("kind: rct", "kind: rtc", 1))
    bad = runner.invoke(main, ["validate", str(bad_file)])
    assert bad.exit_code == 1
    assert bad.stdout.strip() == f"{bad_file}: 1 error in 1 file, 1 warning"
    assert "error[" in bad.stderr and "error[" not in bad.stdout


def test_validate_reads_an_rdf_export(runner, tmp_path):
    out = tmp_path / "g.ttl"
    assert invoke(runner, "export", "-o", str(out)).exit_code == 0
    result = runner.invoke(main, ["--graph", str(out), "validate"])
    assert result.exit_code == 0 and result.stdout.strip() == f"{out}: ok, 0 errors, 0 warnings"


# ---- terminal safety ---------------------------------------------------------------------------

PAYLOAD = "\x1b[2J\x1b]0;OWNED\x07\x1b]52;c;b3duZWQ=\x07\u202e"


@pytest.mark.parametrize("args", [["show", "rapamycin"], ["show", "rapamycin", "--format", "tsv"],
                                  ["show", "rapamycin", "--format", "json"], ["edges"], ["edges", "--format", "tsv"],
                                  ["entities"], ["entities", "--format", "tsv"], ["audit"], ["info"]])
def test_escape_sequences_in_data_never_reach_the_terminal(runner, tmp_path, args):
    text = MINI.read_text()
    text = text.replace('name: "rapamycin"', f'name: "rapa{_yaml_escape(PAYLOAD)}mycin"')
    text = text.replace('finding: "The response lasted longer."', f'finding: "long{_yaml_escape(PAYLOAD)}er"')
    graph = tmp_path / "payload.yaml"
    graph.write_text(text)
    result = invoke(runner, *args, graph=graph)
    assert "Traceback" not in result.output
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in result.stdout and raw not in result.stderr
    if result.exit_code == 0 and args[0] in ("show", "entities") and "json" not in args:
        assert "\\x1b]52;c;" in result.stdout  # shown, escaped
    else:  # refused at validation (control characters), or JSON (escaped by json itself)
        assert result.exit_code in (0, 1)


def _yaml_escape(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


# ---- progress ----------------------------------------------------------------------------------

class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_and_not_when_quiet(monkeypatch):
    monkeypatch.setattr(progress, "REPORT_AFTER", 0.0)
    tty = FakeTTY()
    progress.configure(stream=tty)
    with progress.task("loading big.yaml", total=3) as t:
        t.advance(3)
    assert "loading big.yaml …" in tty.getvalue() and "loading big.yaml: done in" in tty.getvalue()
    pipe = io.StringIO()
    progress.configure(stream=pipe)
    with progress.task("loading") as t:
        t.advance()
    assert pipe.getvalue() == ""
    quiet = FakeTTY()
    progress.configure(quiet=True, stream=quiet)
    assert progress.task("x") is progress.task("y")  # the shared no-op
    with progress.task("loading"):
        pass
    assert quiet.getvalue() == ""
    progress.configure()


def test_cli_shows_progress_on_a_terminal_and_quiet_silences_it(runner, monkeypatch):
    tty = FakeTTY()
    monkeypatch.setattr(progress, "_target", lambda: tty)
    assert invoke(runner, "info").exit_code == 0
    assert f"loading {MINI} …" in tty.getvalue()
    tty.seek(0)
    tty.truncate()
    result = runner.invoke(main, ["--quiet", "--graph", str(MINI), "info"])
    assert result.exit_code == 0 and tty.getvalue() == ""


# ---- the acceptance suite: every command on four kinds of graph ---------------------------------

def _command_args(name, graph, tmp_path):
    """A sensible invocation of each command on ``graph`` (bundled, other, foreign)."""
    source, target = ("stimulus_a", "harm_d") if graph == OTHER else ("rapamycin", "depression")
    mid = "outcome_c" if graph == OTHER else "ketamine_response"
    return {
        "info": [], "show": [source], "entities": [], "references": [], "edges": [],
        "validate": [], "audit": [], "paths": [source, target], "explain": [source, mid],
        "conflicts": [], "view": ["-o", str(tmp_path / "v.html")], "export": ["-o", str(tmp_path / "g.ttl")],
        "sparql": ["SELECT ?s WHERE { ?s a mtg:Assertion }"], "report": [],
        "build": ["--out", str(tmp_path / "out")],
        "import": [str(MINI.parent / "kgx" / "signor_style.csv"), "--to", str(tmp_path / "imported")], "formats": [],
        "diff": [str(MINI), str(MINI)],
        # the other graph has no chemicals: its interventions are an exposure and a regimen
        "atlas": ["--workers", "1", *(["--source-kind", "exposure", "--source-kind", "regimen"] if graph == OTHER
                                      else [])],
    }[name]


# push needs a running store: tests/test_sparql_server.py runs it on these kinds of graph
@pytest.mark.parametrize("name", [c for c in COMMANDS if c != "push"])
@pytest.mark.parametrize("which", ["bundled", "other", "foreign", "missing"])
def test_every_command_on_every_kind_of_graph(runner, tmp_path, name, which):
    graph = {"bundled": None, "other": OTHER, "foreign": FOREIGN, "missing": tmp_path / "nowhere.ttl"}[which]
    result = invoke(runner, name, *_command_args(name, graph if graph != FOREIGN else None, tmp_path), graph=graph)
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if which == "missing" and name not in GRAPH_FREE:
        assert result.exit_code == 1 and "nowhere.ttl" in result.stderr and "suffix" not in result.stderr
        return
    if which == "foreign":
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            assert result.stderr.strip() and "foreign.ttl" in result.stderr
            return
    assert result.exit_code == 0, result.output
    answer = result.stdout.strip() or result.stderr.strip()  # export and build report on stderr/stdout
    assert answer, "empty success"
    lines = result.stdout.strip().splitlines()
    assert not (len(lines) == 2 and set(lines[1]) <= {"-", " "}), "an empty table"
