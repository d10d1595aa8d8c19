"""Every RDF-input probe of the reliability review (section 2), turned into a test.

Inputs are the mini graph exported in each format, then edited, or small hand-written files, all
in ``tmp_path``. Each runs ``mtorgraph --graph FILE info --format json`` (or the probe's command)
and must end in a clean error with exit 1 and the expected code, or a correct answer.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from mtorgraph.cli import main
from mtorgraph.io import load_graph, write_graph

from .conftest import MINI

FOAF_TTL = """@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<http://example.org/alice> a foaf:Person ; foaf:name "Alice" ; foaf:knows <http://example.org/bob> .
"""
FOAF_XML = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:foaf="http://xmlns.com/foaf/0.1/">
  <foaf:Person rdf:about="http://example.org/alice"><foaf:name>Alice</foaf:name></foaf:Person>
</rdf:RDF>
"""


def _export(tmp: Path, fmt: str, suffix: str) -> Path:
    path = tmp / f"mini{suffix}"
    write_graph(load_graph(MINI), path, fmt)
    return path


def _edited(fmt: str, suffix: str, edit: Callable[[str], str], name: str = "") -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        path = _export(tmp, fmt, suffix)
        out = tmp / (name or f"edited{suffix}")
        out.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        return out
    return build


def _raw(name: str, content: str | bytes) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        path = tmp / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path
    return build


def _remote_context(context: object) -> Callable[[str], str]:
    def edit(text: str) -> str:
        document = json.loads(text)
        document["@context"] = context
        return json.dumps(document)
    return edit


def _first(pattern: str, replacement: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        new, count = re.subn(pattern, replacement, text, count=1, flags=re.S)
        assert count == 1, pattern
        return new
    return edit


def _laughs_xml() -> str:
    entities = ['<!ENTITY e0 "lol">'] + [f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">\n'
            '<rdf:Description rdf:about="http://ex.org/a"><ex:p>&e9;</ex:p></rdf:Description>\n</rdf:RDF>\n')


def _xxe(url: str) -> str:
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "' + url + '">]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">\n'
            '<rdf:Description rdf:about="http://ex.org/a"><ex:p>&x;</ex:p></rdf:Description>\n</rdf:RDF>\n')


def _deep_turtle(depth: int) -> str:
    return "<http://ex.org/a> <http://ex.org/p> " + "[ <http://ex.org/p> " * depth + '"x"' + " ]" * depth + " .\n"


def _deep_jsonld(depth: int) -> str:
    return '{"@id": "http://ex.org/a", "http://ex.org/p": ' + '{"http://ex.org/p": ' * depth + '"x"' + "}" * depth + "}"


def _cyclic_list(text: str) -> str:
    """Make the first rdf:List of synonyms point back to itself (N-Triples)."""
    match = re.search(r'^(_:\S+) <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> '
                      r'<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> \.$', text, re.M)
    assert match
    return text.replace(match.group(0), f"{match.group(1)} <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> "
                        f"{match.group(1)} .", 1)


def _second_subject(text: str) -> str:
    match = re.search(r'^(<[^>]*/assertion/[^>]*>) <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> \S+ \.$',
                      text, re.M)
    assert match
    return text + f"{match.group(1)} <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> " \
                  "<http://purl.obolibrary.org/obo/CHEBI_6121> .\n"


def _string_rank_on_multi_evidence(text: str) -> str:
    """Set mtg:rank "one" on the evidence ranked 1 (the second of a multi-evidence edge)."""
    new, count = re.subn(r'<https://w3id.org/mtorgraph/vocab/rank> "1"\^\^<http://www.w3.org/2001/XMLSchema#integer>',
                         '<https://w3id.org/mtorgraph/vocab/rank> "one"', text, count=1)
    assert count == 1
    return new


def _bundled_nt_edited(edit: Callable[[str], str]) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        path = tmp / "bundled.nt"
        write_graph(load_graph(), path)
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        return path
    return build


def _drop_lines(pattern: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        kept = [line for line in text.splitlines(keepends=True) if not re.search(pattern, line)]
        assert len(kept) < len(text.splitlines())
        return "".join(kept)
    return edit


ERROR, OK = "error", "ok"
KEY = "<https://w3id.org/mtorgraph/vocab/key>"

# (probe id, builder, command after --graph FILE, outcome, code)
PROBES: list[tuple[str, Callable[[Path], Path], list[str], str, str | None]] = [
    ("2.01-turtle-missing-dot", _edited("turtle", ".ttl", _first(r" \.\n\n", "\n\n")), ["info"], ERROR, "rdf-syntax"),
    ("2.02-random-bytes-ttl", _raw("r.ttl", bytes(range(256)) * 16), ["info"], ERROR, "not-utf8"),
    ("2.03-empty-ttl", _raw("e.ttl", ""), ["info"], ERROR, "not-an-export"),
    ("2.04-empty-jsonld", _raw("e.jsonld", ""), ["info"], ERROR, "rdf-syntax"),
    ("2.05-nt-unterminated", _raw("u.nt", '<http://a> <http://b> "x .\n'), ["info"], ERROR, "rdf-syntax"),
    ("2.06-foaf-turtle", _raw("foaf.ttl", FOAF_TTL), ["info"], ERROR, "not-an-export"),
    ("2.07-foaf-rdfxml", _raw("foaf.rdf", FOAF_XML), ["info"], ERROR, "not-an-export"),
    ("2.08-remote-context-list", _edited("jsonld", ".jsonld", lambda t: _remote_context(
        ["http://127.0.0.1:9/context.jsonld", json.loads(t)["@context"]])(t)), ["info"], ERROR, "remote-context"),
    ("2.09-remote-context-only", _edited("jsonld", ".jsonld", _remote_context("http://127.0.0.1:9/only.jsonld")),
     ["info"], ERROR, "remote-context"),
    ("2.10-file-context", _edited("jsonld", ".jsonld", _remote_context("file:///etc/hostname")), ["info"], ERROR,
     "remote-context"),
    ("2.11-import-context", _edited("jsonld", ".jsonld", lambda t: _remote_context(
        {"@version": 1.1, "@import": "http://127.0.0.1:9/import.jsonld"})(t)), ["info"], ERROR, "remote-context"),
    ("2.12-owl-imports", _raw("imports.ttl", "@base <http://127.0.0.1:9/> .\n<a> <http://www.w3.org/2002/07/owl#imports>"
                              " <http://127.0.0.1:9/other.ttl> .\n"), ["info"], ERROR, "not-an-export"),
    ("2.13-xxe-file", _raw("xxe.rdf", _xxe("file:///etc/passwd")), ["info"], ERROR, "xml-entity"),
    ("2.14-xxe-http", _raw("xxe2.rdf", _xxe("http://127.0.0.1:9/x")), ["info"], ERROR, "xml-entity"),
    ("2.15-xml-billion-laughs", _raw("laughs.rdf", _laughs_xml()), ["info"], ERROR, "xml-entity"),
    ("2.16-huge-literal", _edited("nt", ".nt", lambda t: t.replace('"A blocked B."', '"' + "x" * 5_000_000 + '"')),
     ["info"], ERROR, "value-too-long"),
    ("2.17-markup-literals", _edited("nt", ".nt", lambda t: t.replace(
        '"A blocked B."', '"<img src=x onerror=alert(1)></script>"')), ["info"], OK, None),
    ("2.18-turtle-iri-space", _edited("turtle", ".ttl", lambda t: t.replace("CHEBI:6121 ", "<http://purl.obolibrary.org/obo/CHEBI_61 21> ", 1)), ["info"],
     ERROR, None),
    ("2.19-nt-iri-space", _edited("nt", ".nt", lambda t: t.replace("CHEBI_6121", "CHEBI_61 21")), ["info"], ERROR,
     "rdf-syntax"),
    ("2.20-cyclic-list", _edited("nt", ".nt", _cyclic_list), ["info"], ERROR, None),
    ("2.21-string-rank", _bundled_nt_edited(_string_rank_on_multi_evidence), ["info"], ERROR, None),
    ("2.22-bad-integer", _edited("nt", ".nt", _first(
        r'"(\d{4})"\^\^<http://www.w3.org/2001/XMLSchema#integer>', '"abc"^^<http://www.w3.org/2001/XMLSchema#integer>')),
     ["info"], ERROR, None),
    ("2.23-two-keys", _edited("nt", ".nt", lambda t: t + f'<http://purl.obolibrary.org/obo/CHEBI_6121> {KEY} "k2" .\n'),
     ["info"], ERROR, None),
    ("2.24-two-subjects", _edited("nt", ".nt", _second_subject), ["info"], ERROR, None),
    ("2.25-no-evidence", _edited("nt", ".nt", _drop_lines(r"/vocab/evidence> ")), ["info"], ERROR, None),
    ("2.26-entity-without-key", _edited("nt", ".nt", _drop_lines(r"CHEBI_6121> <https://w3id.org/mtorgraph/vocab/key>")),
     ["info"], ERROR, None),
    ("2.27-deep-turtle", _raw("deep.ttl", _deep_turtle(50_000)), ["info"], ERROR, None),
    ("2.28-deep-jsonld", _raw("deep.jsonld", _deep_jsonld(50_000)), ["info"], ERROR, None),
    ("2.29-directory-named-ttl", lambda t: (t / "x.ttl").mkdir() or t / "x.ttl", ["info"], ERROR, "missing-file"),
    ("2.30-n3-suffix", _edited("turtle", ".ttl", lambda t: t, "mini.n3"), ["info"], OK, None),
    ("2.31-turtle-as-owl", _edited("turtle", ".ttl", lambda t: t, "mini.owl"), ["info"], ERROR, "rdf-syntax"),
    ("2.32-lone-surrogate", _edited("turtle", ".ttl", lambda t: t.replace('"A blocked B."', '"A \\uD800 B."')),
     ["info"], ERROR, None),
    ("2.33-nul-in-literal", _edited("nt", ".nt", lambda t: t.replace('"A blocked B."', '"A\\u0000B"')), ["info"],
     ERROR, "control-character"),
    ("2.34-shacl-on-foaf", _raw("foaf.ttl", FOAF_TTL), ["validate", "--shacl"], ERROR, "not-an-export"),
    ("2.35-shacl-remote-context", _edited("jsonld", ".jsonld", _remote_context("http://127.0.0.1:9/context.jsonld")),
     ["validate", "--shacl"], ERROR, "remote-context"),
]


@pytest.mark.parametrize(("build", "command", "outcome", "code"), [p[1:] for p in PROBES],
                         ids=[p[0] for p in PROBES])
def test_rdf_probe(build, command, outcome, code, tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = build(tmp_path)
    result = runner.invoke(main, ["--graph", str(path), *command])
    output = result.output + result.stderr
    assert "Traceback" not in output and "Failed to convert" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if outcome == ERROR:
        assert result.exit_code == 1, output[-2000:]
        assert "error" in result.stderr
        if code:
            assert f"error[{code}]" in result.stderr, result.stderr[-2000:]
    else:
        assert result.exit_code == 0, output[-2000:]


def test_parse_errors_keep_line_and_reason(tmp_path, runner):
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix x: <http://x/> .\nx:a x:b x:c\nx:d x:e x:f .\n", encoding="utf-8")
    result = runner.invoke(main, ["--graph", str(path), "info"])
    assert result.exit_code == 1
    assert re.search(r"bad\.ttl:3:\d+: error\[rdf-syntax\]: not valid turtle RDF: expected '\.'", result.stderr)


def test_missing_path_is_reported_before_the_suffix(tmp_path, runner):
    result = runner.invoke(main, ["--graph", str(tmp_path / "nope.weird"), "info"])
    assert result.exit_code == 1
    assert "no such file" in result.stderr and "suffix" not in result.stderr


@pytest.mark.parametrize("suffix", [".ttl", ".turtle", ".n3", ".nt", ".ntriples", ".jsonld", ".json-ld", ".trig",
                                    ".rdf", ".owl", ".xml"])
def test_export_suffixes_read_back(suffix, tmp_path, runner, mini):
    """Every suffix export accepts, --graph and validate accept too, and the graph comes back."""
    path = tmp_path / f"out{suffix}"
    exported = runner.invoke(main, ["--graph", str(MINI), "export", "-o", str(path)])
    assert exported.exit_code == 0, exported.stderr
    assert load_graph(path) == mini
    checked = runner.invoke(main, ["validate", str(path)])
    assert checked.exit_code == 0 and "ok, 0 errors" in checked.stdout


def test_validate_reports_rdf_problems_with_their_line(tmp_path, runner):
    path = tmp_path / "bad.nt"
    path.write_text('<http://a> <http://b> <http://c> .\n<http://a> <http://b> "x .\n', encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    (row,) = json.loads(result.stdout)
    assert (row["line"], row["code"]) == (2, "rdf-syntax")


def test_rdf_special_files_are_refused(tmp_path, runner):
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    result = runner.invoke(main, ["--graph", str(fifo), "info"])
    assert result.exit_code == 1 and "error[not-a-regular-file]" in result.stderr
    link = tmp_path / "zero.nt"
    os.symlink("/dev/zero", link)
    result = runner.invoke(main, ["--graph", str(link), "info"])
    assert result.exit_code == 1 and "error[not-a-regular-file]" in result.stderr
