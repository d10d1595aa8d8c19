"""mtorgraph against a real SPARQL store: the Oxigraph server (the ``oxigraph`` package of the test
extra) started on 127.0.0.1 on a free port with a temporary store, and small standard-library HTTP
servers that fail on purpose (500 once, 401, 403, 404, 415)."""

from __future__ import annotations

import base64
import contextlib
import http.client
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorgraph.cli import main
from mtorgraph.errors import MtorgraphError
from mtorgraph.analysis.paths import find_paths, paths_to_json
from mtorgraph.io import load_graph
from mtorgraph.io.remote_graph import neighbourhood, remote_sparql
from mtorgraph.io.sparql_client import (DEFAULT_GRAPH_IRI, SparqlClient, find_credentials, iri_term,
                                        literal_term)

README = Path(__file__).resolve().parents[1] / "README.md"
SECRET = "hunter2-Very-Secret"


def _oxigraph() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph server is missing: pip install -e '.[test]' installs it")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def running_oxigraph(tmp: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """An Oxigraph server on a free local port with a store in ``tmp``; always stopped after."""
    port = _free_port()
    process = subprocess.Popen([_oxigraph(), "serve", "--location", str(tmp), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                conn.request("GET", "/query?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Oxigraph server did not start (exit {process.poll()})")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with the bundled graph pushed into it; the base URL."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as (base, _process):
        result = CliRunner().invoke(main, ["push", "--endpoint", f"{base}/query"])
        assert result.exit_code == 0, result.output
        yield base


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def _readme_queries() -> list[str]:
    text = README.read_text()
    block = text[text.index("# all evidence for one edge"):]
    block = block[:block.index("```")]
    return [q.split("'")[1] for q in block.split("mtorgraph sparql")[1:]]


# ---- push ----------------------------------------------------------------------------------------

def test_push_reports_triples_and_a_second_push_changes_nothing(server: str) -> None:
    endpoint = f"{server}/query"
    client = SparqlClient(endpoint)
    before = client.count(DEFAULT_GRAPH_IRI)
    code, out, _ = run("push", "--endpoint", endpoint)
    assert code == 0
    assert out.strip() == (f"pushed {before:,} triples into <{DEFAULT_GRAPH_IRI}>; "
                           f"the store now holds {before:,} triples in that graph")
    assert client.count(DEFAULT_GRAPH_IRI) == before > 3000


def test_push_into_another_named_graph_leaves_the_first_alone(server: str, tmp_path: Path) -> None:
    endpoint = f"{server}/query"
    code, out, _ = run("--graph", "tests/data/mini.yaml", "push", "--endpoint", endpoint,
                       "--graph-iri", "https://example.org/mini")
    assert code == 0, out
    client = SparqlClient(endpoint)
    mini = client.count("https://example.org/mini")
    assert 0 < mini < client.count(DEFAULT_GRAPH_IRI)
    local = run("--graph", "tests/data/mini.yaml", "paths", "ketamine", "depression", "--format", "json")
    remote = run("paths", "--endpoint", endpoint, "--graph-iri", "https://example.org/mini", "ketamine",
                 "depression", "--format", "json")
    assert remote[0] == 0 and remote[1] == local[1]


# ---- reading commands equal the local ones -----------------------------------------------------

def test_the_readme_queries_give_the_local_rows(server: str) -> None:
    queries = _readme_queries()
    assert len(queries) == 3
    for query in queries:
        local = run("sparql", "--format", "json", query)
        remote = run("sparql", "--endpoint", f"{server}/query", "--format", "json", query)
        assert local[0] == remote[0] == 0
        assert json.loads(remote[1]) == json.loads(local[1]) != []


def test_construct_and_ask_from_the_store(server: str) -> None:
    query = "CONSTRUCT { ?s mtg:inhibits ?o } WHERE { ?s mtg:inhibits ?o }"
    local = run("sparql", "--format", "nt", query)
    remote = run("sparql", "--endpoint", f"{server}/query", "--format", "nt", query)
    assert remote[0] == 0 and remote[1] == local[1] != ""
    assert run("sparql", "--endpoint", f"{server}/query", "--format", "json", "ASK { ?s mtg:inhibits ?o }")[1].strip() \
        == '[\n  {\n    "ask": true\n  }\n]'


def test_remote_paths_json_equals_local_json(server: str) -> None:
    args = ["paths", "rapamycin", "depression", "--format", "json"]
    local = run(*args)
    remote = run(args[0], "--endpoint", f"{server}/query", *args[1:])
    assert remote[0] == local[0] == 0, remote[2]
    assert remote[1] == local[1] and json.loads(remote[1])["paths"]


def test_the_fetched_neighbourhood_gives_every_local_answer(server: str) -> None:
    """Every bound, several pairs, filters that change beliefs: the neighbourhood's answer is the
    whole graph's, and the neighbourhood is smaller than the graph."""
    graph = load_graph()
    client = SparqlClient(f"{server}/query")
    options = [{}, {"species": ["human"]}, {"include_hypotheses": True, "include_associations": True},
               {"bridges": False, "min_belief": 0.2}]
    for source, target in (("rapamycin", "depression"), ("ketamine", "depression"), ("CHEBI:9168", "Autophagy")):
        for max_length in range(1, 6):
            part = neighbourhood(client, [source], [target], max_length)
            assert len(part.edges) < len(graph.edges)
            for extra in options:
                local = paths_to_json(find_paths(graph, source, target, max_length=max_length, **extra))
                remote = paths_to_json(find_paths(part, source, target, max_length=max_length, **extra))
                assert remote == local, (source, target, max_length, extra)


@pytest.mark.parametrize("args", [
    ["conflicts", "rapamycin", "depression", "--format", "json"],
    ["conflicts", "ketamine", "depression", "--format", "json", "--species", "human"],
    ["show", "rapamycin", "--format", "json"],
    ["show", "mTORC1", "--format", "json"],
    ["edges", "--subject", "mtorc1", "--format", "json"],
    ["edges", "--object", "depression", "--min-belief", "0.3", "--format", "tsv"],
])
def test_other_reading_commands_equal_local(server: str, args: list[str]) -> None:
    local = run(*args)
    remote = run(args[0], "--endpoint", f"{server}/query", *args[1:])
    assert remote[0] == local[0] == 0, remote[2]
    assert remote[1] == local[1] != ""


def test_commands_that_would_need_the_whole_store_are_refused(server: str) -> None:
    for args in (["conflicts"], ["edges"]):
        code, _, err = run(args[0], "--endpoint", f"{server}/query", *args[1:])
        assert code == 2 and "whole store" in err and len(err.strip().splitlines()) == 1


def test_an_unknown_entity_is_a_usage_error(server: str) -> None:
    code, _, err = run("paths", "--endpoint", f"{server}/query", 'x" } ; DROP ALL ; #', "depression")
    assert code == 2 and "unknown entity" in err


# ---- escaping ------------------------------------------------------------------------------------

HOSTILE = ['say "hi"', "back\\slash", "\\u0022 } DROP ALL", "line\nend\r\n", "tab\there", "'''", '"""',
           "quote' and \"", "} ; INSERT DATA { <a> <b> <c> } #", "\\", "émoji 🧪", "\u202eright-to-left",
           "\x01\x1f control"]


def test_hostile_literals_reach_the_store_unchanged(server: str) -> None:
    client = SparqlClient(f"{server}/query")
    for text in HOSTILE:
        answer = client.select(f"SELECT (STR({literal_term(text)}) AS ?x) WHERE {{}}")
        assert answer["results"]["bindings"][0]["x"]["value"] == text


def test_iris_that_would_break_out_are_refused() -> None:
    for iri in ["http://a> } DROP ALL {", "http://a b", 'http://a"', "http://a\\u003E", "http://a\n", ""]:
        with pytest.raises(MtorgraphError, match="cannot put the IRI"):
            iri_term(iri)
    with pytest.raises(MtorgraphError, match="NUL"):
        literal_term("a\x00b")


# ---- operations: retries, errors, credentials, https -------------------------------------------

class _Stub(http.server.BaseHTTPRequestHandler):
    """Answers by the class's ``plan``: a list of statuses (the last repeats); 0 means forward to
    ``upstream``; a negative number answers after that many seconds. Records each request's Authorization header."""

    plan: list[int] = []
    seen: list[str | None] = []
    upstream = ""
    echo_auth = False

    def _answer(self) -> None:
        body = self._body()
        type(self).seen.append(self.headers.get("Authorization"))
        plan = type(self).plan
        status = plan.pop(0) if len(plan) > 1 else plan[0]
        if status < 0:  # answer too late
            time.sleep(-status)
            status = 200
        if status == 0:
            conn = http.client.HTTPConnection(self.upstream, timeout=10)
            conn.request(self.command, self.path, body=body,
                         headers={k: v for k, v in self.headers.items() if k in ("Content-Type", "Accept")})
            response = conn.getresponse()
            data = response.read()
            self.send_response(response.status)
            self.send_header("Content-Type", response.getheader("Content-Type") or "text/plain")
        else:
            data = f"no: {self.headers.get('Authorization')}".encode() if self.echo_auth else b"no"
            self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        try:
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (the timeout test)
            pass

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while size := int(self.rfile.readline().split(b";")[0], 16):
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(parts)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def stub(plan: list[int], upstream: str = "", echo_auth: bool = False) -> Iterator[tuple[str, type[_Stub]]]:
    handler = type("Stub", (_Stub,), {"plan": list(plan), "seen": [], "upstream": upstream.removeprefix("http://"),
                                      "echo_auth": echo_auth})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_a_server_that_answers_500_once_is_retried(server: str) -> None:
    query = _readme_queries()[2]
    with stub([500, 0], upstream=server) as (base, handler):
        code, out, err = run("sparql", "--endpoint", f"{base}/query", "--format", "json", query)
    assert code == 0, err
    assert len(handler.seen) == 2
    assert json.loads(out) == json.loads(run("sparql", "--format", "json", query)[1])


def test_push_is_retried_from_the_start_after_a_500(server: str) -> None:
    with stub([500, 0], upstream=server) as (base, handler):
        code, out, err = run("push", "--endpoint", f"{base}/query", "--graph-iri", "https://example.org/retried")
    assert code == 0, err
    assert len(handler.seen) == 3  # PUT (500), PUT again, the count
    sent, held = (int(n.replace(",", "")) for n in __import__("re").findall(r"([\d,]+) triples", out))
    assert sent == held > 3000


def test_persistent_5xx_gives_up_with_one_line() -> None:
    with stub([503]) as (base, handler):
        code, out, err = run("sparql", "--endpoint", f"{base}/query", "--retries", "2", "ASK {}")
    assert code == 1 and out == ""
    assert len(handler.seen) == 3
    assert len(err.strip().splitlines()) == 1 and "503" in err and "after 3 tries" in err


def test_a_wrong_password_is_one_line_and_never_shown() -> None:
    env = {"MTORGRAPH_SPARQL_USER": "alice", "MTORGRAPH_SPARQL_PASSWORD": SECRET}
    token = base64.b64encode(f"alice:{SECRET}".encode()).decode()
    with stub([401], echo_auth=True) as (base, handler):
        for args in (["sparql", "--endpoint", f"{base}/query", "ASK {}"],
                     ["paths", "--endpoint", f"{base}/query", "rapamycin", "depression"],
                     ["push", "--endpoint", f"{base}/query"]):
            code, out, err = run(*args, env=env)
            assert code == 1
            assert len(err.strip().splitlines()) == 1 and "401" in err and "MTORGRAPH_SPARQL_PASSWORD" in err
            for secret in (SECRET, token):
                assert secret not in out + err
    assert handler.seen[0] == f"Basic {token}"  # the credentials were sent, just never shown


def test_a_server_echoing_the_credentials_is_redacted() -> None:
    env = {"MTORGRAPH_SPARQL_USER": "alice", "MTORGRAPH_SPARQL_PASSWORD": SECRET}
    with stub([400], echo_auth=True) as (base, _handler):
        code, out, err = run("sparql", "--endpoint", f"{base}/query", "ASK {}", env=env)
    token = base64.b64encode(f"alice:{SECRET}".encode()).decode()
    assert code == 1 and "400" in err and SECRET not in err and token not in err and "***" in err


@pytest.mark.parametrize("status, words", [(403, "Forbidden"), (404, "Not Found"),
                                           (415, "Unsupported Media Type")])
def test_client_errors_are_one_line_and_not_retried(status: int, words: str) -> None:
    with stub([status]) as (base, handler):
        code, out, err = run("push", "--endpoint", f"{base}/query")
    assert code == 1 and words in err and len(err.strip().splitlines()) == 1
    assert len(handler.seen) == 1
    assert "Traceback" not in err


def test_a_store_that_does_not_answer_in_time_is_one_line() -> None:
    with stub([-3]) as (base, handler):
        code, _, err = run("sparql", "--endpoint", f"{base}/query", "--request-timeout", "0.5", "ASK {}")
    assert code == 1 and "no answer within 0.5 s" in err and len(err.strip().splitlines()) == 1
    assert len(handler.seen) == 1  # a timeout is not retried: the store is busy, not gone


def test_nothing_listening_is_one_line_after_the_retries() -> None:
    port = _free_port()
    code, _, err = run("sparql", "--endpoint", f"http://127.0.0.1:{port}/query", "--retries", "1", "ASK {}")
    assert code == 1 and "cannot reach the store after 2 tries" in err and len(err.strip().splitlines()) == 1


def test_plain_http_to_another_host_is_refused_without_a_request() -> None:
    code, _, err = run("sparql", "--endpoint", "http://sparql.invalid/query", "ASK {}")
    assert code == 1 and "refusing plain http://" in err and "--allow-http" in err
    code, _, err = run("sparql", "--endpoint", "https://bob:pw@sparql.invalid/query", "ASK {}")
    assert code == 1 and "carries credentials" in err and "pw" not in err.replace("MTORGRAPH_SPARQL_PASSWORD", "")
    code, _, err = run("sparql", "--endpoint", "ftp://sparql.invalid/", "ASK {}")
    assert code == 1 and "not an http(s) URL" in err


def test_a_syntax_error_is_reported_before_any_request() -> None:
    port = _free_port()  # nothing listens: a request would fail differently
    code, _, err = run("sparql", "--endpoint", f"http://127.0.0.1:{port}/query", "SELEC nonsense")
    assert code == 1 and "SPARQL query failed" in err


def test_credentials_from_netrc_and_environment(tmp_path: Path) -> None:
    rc = tmp_path / "netrc"
    rc.write_text("machine store.example.org login bob password s3cret\n")
    rc.chmod(0o600)
    found = find_credentials("store.example.org", {"NETRC": str(rc)})
    assert (found.user, found.password) == ("bob", "s3cret") and "s3cret" not in repr(found)
    assert find_credentials("other.example.org", {"NETRC": str(rc)}) is None
    env = {"NETRC": str(rc), "MTORGRAPH_SPARQL_USER": "eve", "MTORGRAPH_SPARQL_PASSWORD": "x"}
    assert find_credentials("store.example.org", env).user == "eve"


def test_remote_sparql_caps_rows(server: str) -> None:
    client = SparqlClient(f"{server}/query")
    with pytest.raises(MtorgraphError, match="more than 5 rows"):
        remote_sparql(client, "SELECT ?s WHERE { ?s ?p ?o }", max_rows=5)


def test_the_server_is_stopped_and_nothing_is_left_listening(tmp_path: Path) -> None:
    with running_oxigraph(tmp_path) as (base, process):
        port = int(base.rsplit(":", 1)[1])
        assert _listening(port)
    assert process.poll() is not None
    assert not _listening(port)


@pytest.mark.parametrize("graph, code", [("tests/data/other.yaml", 0), ("tests/data/foreign.ttl", 1),
                                         ("tests/data/nowhere.ttl", 1)])
def test_push_on_every_kind_of_graph(server: str, graph: str, code: int) -> None:
    result = CliRunner().invoke(main, ["--graph", graph, "push", "--endpoint", f"{server}/query",
                                       "--graph-iri", "https://example.org/kinds"])
    assert result.exit_code == code and "Traceback" not in result.output
    if code:
        assert Path(graph).name in result.stderr and len(result.stderr.strip().splitlines()) == 1
    else:
        assert SparqlClient(f"{server}/query").count("https://example.org/kinds") > 0


def test_push_without_an_endpoint_is_a_usage_error() -> None:
    code, _, err = run("push")
    assert code == 2 and "--endpoint" in err
    code, _, err = run("push", "--endpoint", "https://store.example.org/sparql")
    assert code == 2 and "--store" in err


def test_graph_and_endpoint_together_are_a_usage_error() -> None:
    code, _, err = run("--graph", "tests/data/mini.yaml", "paths", "--endpoint", "https://store.example.org/q",
                       "ketamine", "depression")
    assert code == 2 and "not both" in err
