"""Every curated-YAML probe of the reliability review (section 1), turned into a test.

Each probe builds its input in ``tmp_path`` from ``tests/data/mini.yaml`` or a copy of the bundled
graph, runs ``mtorgraph --graph PATH validate`` (or the command the probe names) and checks the
outcome: a clean error with the expected code and exit 1, or a correct answer with exit 0.
Never a traceback, a hang, or "ok" on a graph that lost data.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from mtorgraph.cli import main
from mtorgraph.io import bundled_graph_path, validate_graph

from .conftest import MINI

TEXT = MINI.read_text(encoding="utf-8")
FINDING = '"A blocked B."'


def _file(tmp: Path, text: str | bytes, name: str = "g.yaml") -> Path:
    path = tmp / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def _sub(old: str, new: str, count: int = 1) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        assert old in TEXT, old
        return _file(tmp, TEXT.replace(old, new, count))
    return build


def _entity_field(field: str) -> Callable[[Path], Path]:
    """mini.yaml with one more field on the ketamine entity."""
    return _sub('kind: chemical, id_status: verified}', f'kind: chemical, id_status: verified, {field}}}')


def _laughs(levels: int, where: str = "entity") -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        anchors = ["a0: &a0 [lol]"] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
        if where == "top":
            return _file(tmp, "bomb:\n" + "".join(f"  {a}\n" for a in anchors) + TEXT)
        lines = "anchors:\n" + "".join(f"  {a}\n" for a in anchors)
        text = TEXT.replace('kind: chemical, id_status: verified}', f'kind: chemical, id_status: verified, '
                            f'synonyms: *a{levels - 1}}}', 1)
        # anchors live in the same file, under an entity's note (never used elsewhere)
        text = text.replace("entities:\n", "entities:\n  zz_anchor_holder:\n    id: \"CHEBI:1\"\n    label: x\n"
                            "    name: x\n    kind: chemical\n    id_status: verified\n    note:\n" +
                            "".join(f"      - {a.split(': ', 1)[0]}: {a.split(': ', 1)[1]}\n" for a in anchors), 1)
        del lines
        return _file(tmp, text)
    return build


def _nested(depth: int, block: bool = False, in_note: bool = False) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        if block:
            body = "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "x: 1\n"
            return _file(tmp, TEXT + "deep:\n" + "".join("  " + line + "\n" for line in body.splitlines()))
        value = "[" * depth + "]" * depth
        if in_note:
            return _sub('kind: chemical, id_status: verified}', f'kind: chemical, id_status: verified, '
                        f'note: {value}}}')(tmp)
        return _file(tmp, TEXT + f"nested: {value}\n")
    return build


def _bundled_copy(tmp: Path) -> Path:
    root = tmp / "graph"
    shutil.copytree(bundled_graph_path(), root, ignore=shutil.ignore_patterns("schema.json"))
    return root


def _small(tmp: Path, second: str = "b.yml", subdir: str = "") -> Path:
    """The review's ``small`` graph: entities, references, 4 edges in a.yaml and 6 in another file."""
    from mtorgraph.io import load_graph

    graph = load_graph(MINI)
    root = tmp / "small"
    (root / "edges" / subdir).mkdir(parents=True)
    head, _, rest = TEXT.partition("edges:\n")
    edges_text, _, _claims = rest.partition("claims:")
    items = ["  - subject:" + chunk for chunk in edges_text.split("  - subject:")[1:]]
    assert len(items) == len(graph.edges) >= 9, len(items)
    entities, _, references = head.partition("references:\n")
    (root / "entities.yaml").write_text(entities.split("entities:\n", 1)[0] + "entities:\n"
                                        + entities.split("entities:\n", 1)[1])
    (root / "references.yaml").write_text("references:\n" + references)
    (root / "edges" / "a.yaml").write_text("edges:\n" + "".join(items[:4]))
    (root / "edges" / subdir / second).write_text("edges:\n" + "".join(items[4:]))
    return root


def _dir_with(change: Callable[[Path], None]) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        root = _small(tmp, "b.yaml")
        change(root)
        return root
    return build


def _symlink(link: str, target: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / link
        if path.exists() or path.is_symlink():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        os.symlink(target, path)
    return change


def _fifo(name: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        (root / name).unlink()
        os.mkfifo(root / name)
    return change


FIRST_EVIDENCE = ('{reference: fixture_a, kind: animal_in_vivo, context: {species: rat, anatomy: "prefrontal '
                  'cortex"}, finding: "A blocked B."}')


def _merge_key(tmp: Path) -> Path:
    """The second edge reuses the first edge's evidence through a merge key (valid YAML)."""
    second = ('{reference: fixture_b, kind: animal_in_vivo, context: {species: rat, anatomy: "prefrontal cortex", '
              'timepoint: "2 h"}, finding: "K switched B on."}')
    assert FIRST_EVIDENCE in TEXT and second in TEXT
    return _file(tmp, TEXT.replace(FIRST_EVIDENCE, "&ev " + FIRST_EVIDENCE).replace(second, "{<<: *ev}"))


ERROR, OK = "error", "ok"

# (probe id, builder, expected outcome, expected code or None)
PROBES: list[tuple[str, Callable[[Path], Path], str, str | None]] = [
    ("1.01-empty", lambda t: _file(t, ""), ERROR, "empty-file"),
    ("1.02-comments-only", lambda t: _file(t, "# nothing here\n\n   \n# still nothing\n"), ERROR, "empty-file"),
    ("1.03-binary-garbage", lambda t: _file(t, bytes(range(256)) * 256), ERROR, "not-utf8"),
    ("1.04-utf16", lambda t: _file(t, TEXT.encode("utf-16")), ERROR, "not-utf8"),
    ("1.05-utf8-bom", lambda t: _file(t, b"\xef\xbb\xbf" + TEXT.encode()), OK, None),
    ("1.06-latin1", lambda t: _file(t, TEXT.replace("A blocked B.", "A blocké B.").encode("latin-1")), ERROR,
     "not-utf8"),
    ("1.07-huge-scalar", lambda t: _file(t, TEXT.replace(FINDING, '"' + "x" * 50_000_000 + '"')), ERROR,
     "value-too-long"),
    ("1.08-deep-flow-1000", _nested(1000), ERROR, "too-deep"),
    ("1.09-deep-flow-10000", _nested(10_000), ERROR, "too-deep"),
    ("1.10-deep-flow-100000", _nested(100_000), ERROR, "too-deep"),
    ("1.11-deep-note-5000", _nested(5000, in_note=True), ERROR, "too-deep"),
    ("1.12-deep-block-2000", _nested(2000, block=True), ERROR, "too-deep"),
    ("1.13-laughs-top-level", _laughs(9, "top"), ERROR, None),
    ("1.14-laughs-5", _laughs(5), ERROR, None),
    ("1.15-laughs-6", _laughs(6), ERROR, "alias-expansion"),
    ("1.16-laughs-7", _laughs(7), ERROR, "alias-expansion"),
    ("1.17-laughs-8", _laughs(8), ERROR, "alias-expansion"),
    ("1.18-laughs-9", _laughs(9), ERROR, "alias-expansion"),
    ("1.19-python-object-apply", _entity_field("note: !!python/object/apply:os.system [\"touch PWNED\"]"), ERROR,
     None),
    ("1.20-python-name", _entity_field("note: !!python/name:os.system"), ERROR, None),
    ("1.21-python-object-new-top", lambda t: _file(t, "!!python/object/new:os.system [\"touch PWNED\"]\n"), ERROR,
     None),
    ("1.22-custom-tag", _sub("  ketamine: {", "  ketamine: !foo {"), OK, None),
    ("1.23-binary-tag", _entity_field("note: !!binary aGVsbG8="), OK, None),
    ("1.24-timestamp", _entity_field("note: 2001-12-14t21:59:43.10-05:00"), ERROR, None),
    ("1.25-set-synonyms", _entity_field("synonyms: !!set {k1, k2}"), OK, None),
    ("1.26-tab-indent", _sub("  ketamine_response:\n    id:", "  ketamine_response:\n\tid:"), ERROR, None),
    ("1.27-upper-key", _sub("  ketamine: {", "  Ketamine: {"), ERROR, "invalid-key"),
    ("1.28-case-duplicate-name", _sub('label: "ketamine", name: "ketamine"', 'label: "Sirolimus", name: "ketamine"'),
     OK, "ambiguous-name"),
    ("1.29-self-loop", _sub("    object: mtorc1\n", "    object: rapamycin\n"), OK, None),
    ("1.30-cycle", lambda t: _file(t, TEXT.replace("edges:\n", "edges:\n  - {subject: ketamine_response, "
                                                   "predicate: increases, object: mtorc1, evidence: [{reference: "
                                                   "fixture_a, kind: animal_in_vivo, finding: loop}]}\n", 1)), OK,
     None),
    ("1.31-cyrillic-key", _sub("  ketamine: {", "  ketаmine: {"), ERROR, None),
    ("1.32-cyrillic-subject", _sub("  - subject: ketamine\n", "  - subject: ketаmine\n"), ERROR, None),
    ("1.33-lookalike-names", _sub('name: "ketamine", kind', 'name: "rаpamycin", kind'), OK, "ambiguous-name"),
    ("1.34-zero-width-key", _sub("  ketamine: {", "  keta\u200bmine: {"), ERROR, None),
    ("1.35-curie-space", _sub('"CHEBI:6121"', '"CHEBI: 6121"'), ERROR, "malformed-curie"),
    ("1.36-curie-trailing-space", _sub('"CHEBI:6121"', '"CHEBI:6121 "'), ERROR, "malformed-curie"),
    ("1.37-curie-newline", _sub('"CHEBI:6121"', '"CHEBI:6121\\n"'), ERROR, "malformed-curie"),
    ("1.38-xref-newline", _entity_field('xrefs: ["MESH:D020123\\n"]'), ERROR, None),
    ("1.39-doi-newline", _sub('"10.5555/fixture.a"', '"10.5555/fixture.a\\n"'), ERROR, "malformed-doi"),
    ("1.40-doi-embedded-newline", _sub('"10.5555/fixture.a"', '"10.5555/fix\\nture.a"'), ERROR, "malformed-doi"),
    ("1.41-doi-block", _sub('doi: "10.5555/fixture.a", verified: "yes"}',
                            'verified: "yes", doi: |\n      10.5555/fixture.a\n    }'), ERROR, None),
    ("1.42-url-newline", _sub('year: 2004, doi: "10.5555/fixture.d"', 'year: 2004, url: "https://x.org/a\\n"'),
     ERROR, "malformed-url"),
    ("1.43-number-entity-key", _sub("  ketamine: {", "  123: {"), ERROR, None),
    ("1.44-number-top-key", lambda t: _file(t, TEXT + "42: x\n"), ERROR, None),
    ("1.45-bool-null-keys", lambda t: _file(t, TEXT + "null: x\ntrue: y\n"), ERROR, None),
    ("1.46-complex-key", lambda t: _file(t, TEXT + "? [a, b]\n: x\n"), ERROR, None),
    ("1.47-number-subject", _sub("  - subject: ketamine\n", "  - subject: 5\n"), ERROR, None),
    ("1.48-pmid-int", _sub('pmid: "1"', "pmid: 1"), ERROR, None),
    ("1.49-year-float", _sub("year: 2001", "year: 2001.5"), ERROR, None),
    ("1.50-year-inf", _sub("year: 2001", "year: .inf"), ERROR, None),
    ("1.51-two-documents", lambda t: _file(t, TEXT + "---\n" + TEXT), ERROR, None),
    ("1.52-surrogate", _sub(FINDING, '"A \\ud800 B"'), ERROR, None),
    ("1.55-control-escapes", _sub(FINDING, '"A\\0B\\e[2J\\x01"'), ERROR, "control-character"),
    ("1.56-raw-bel", lambda t: _file(t, TEXT.replace("A blocked B.", "A \x07 B.")), ERROR, "control-character"),
    ("1.57-cr-only", lambda t: _file(t, TEXT.replace("\n", "\r")), OK, None),
    ("1.58-crlf", lambda t: _file(t, TEXT.replace("\n", "\r\n")), OK, None),
    ("1.59-arabic-digit-claim", _sub("id: C1", "id: C\u0663"), None, None),
    ("1.60-merge-key", _merge_key, OK, None),
    ("1.61-undefined-alias", _entity_field("note: *nowhere"), ERROR, None),
    ("1.62-bundled-copy", _bundled_copy, OK, None),
    ("1.63-no-entities-file", _dir_with(lambda r: (r / "entities.yaml").unlink()), ERROR, "missing-file"),
    ("1.64-no-edges-folder", _dir_with(lambda r: shutil.rmtree(r / "edges")), ERROR, "missing-file"),
    ("1.65-empty-directory", lambda t: (t / "empty").mkdir() or (t / "empty"), ERROR, "missing-file"),
    ("1.66-missing-path", lambda t: t / "nope", ERROR, "missing-file"),
    ("1.67-file-without-suffix", lambda t: _file(t, TEXT, "afile"), ERROR, "unknown-format"),
    ("1.69-edges-is-a-file", _dir_with(lambda r: (shutil.rmtree(r / "edges"), (r / "edges").write_text("x"))),
     ERROR, "not-a-folder"),
    ("1.75-entities-self-link", _dir_with(_symlink("entities.yaml", "entities.yaml")), ERROR, "symlink-loop"),
    ("1.76-edge-file-link-loop", _dir_with(_symlink("edges/loop.yaml", "loop.yaml")), ERROR, "symlink-loop"),
    ("1.77-edge-file-dangling", _dir_with(_symlink("edges/b.yaml", "gone.yaml")), ERROR, "broken-link"),
    ("1.78-edges-links-to-root", _dir_with(_symlink("edges", ".")), ERROR, "folder-loop"),
    ("1.79-claims-dangling", _dir_with(_symlink("claims.yaml", "gone.yaml")), ERROR, "broken-link"),
    ("1.80-folder-named-yaml", _dir_with(lambda r: (r / "edges" / "weird.yaml").mkdir()), OK, None),
    ("1.81-references-fifo", _dir_with(_fifo("references.yaml")), ERROR, "not-a-regular-file"),
    ("1.82-edge-file-dev-zero", _dir_with(_symlink("edges/stress.yaml", "/dev/zero")), ERROR, "not-a-regular-file"),
    ("1.83-edge-file-dev-urandom", _dir_with(_symlink("edges/stress.yaml", "/dev/urandom")), ERROR,
     "not-a-regular-file"),
    ("1.91-doi-control-chars", _sub('"10.5555/fixture.a"', '"10.5555/fix\\x01ture\\0a"'), ERROR, "control-character"),
    ("1.92-nesting-100", _nested(100), ERROR, None),
    ("1.92-nesting-200", _nested(200), ERROR, "too-deep"),
    ("1.92-nesting-300", _nested(300), ERROR, "too-deep"),
]


def _validate(runner, path: Path, *extra: str):
    result = runner.invoke(main, ["--graph", str(path), "validate", *extra])
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.parametrize(("build", "outcome", "code"), [p[1:] for p in PROBES], ids=[p[0] for p in PROBES])
def test_curated_probe(build, outcome, code, tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = build(tmp_path)
    result = _validate(runner, path)
    assert not (tmp_path / "PWNED").exists()
    if outcome == ERROR:
        assert result.exit_code == 1, result.output
        assert "error[" in result.stderr
        assert " ok," not in result.stdout
        if code:
            assert f"error[{code}]" in result.stderr, result.stderr[-2000:]
    elif outcome == OK:
        assert result.exit_code == 0, result.stderr[-2000:]
        assert "ok, 0 errors" in result.stdout
        if code:
            assert f"warning[{code}]" in result.stderr  # problems go to stderr, the summary line to stdout
    else:  # either is fine, as long as it is clean
        assert result.exit_code in (0, 1)


def test_alias_bomb_is_never_expanded(tmp_path, monkeypatch):
    """The bomb is refused from the parsed tree; the loader never copies it out (no memory blow-up)."""
    import mtorgraph.io.curated as curated

    calls = []
    original = curated._plain
    monkeypatch.setattr(curated, "_plain", lambda node: calls.append(1) or original(node))
    problems = validate_graph(_laughs(9)(tmp_path))
    assert [p.code for p in problems if p.severity == "error"] == ["alias-expansion"]
    assert calls == []


def test_alias_limit_is_configurable(tmp_path, monkeypatch):
    path = _laughs(5)(tmp_path)
    monkeypatch.setenv("MTORGRAPH_MAX_ALIAS_NODES", "1000")
    assert "alias-expansion" in {p.code for p in validate_graph(path)}
    monkeypatch.setenv("MTORGRAPH_MAX_ALIAS_NODES", "nonsense")
    from mtorgraph.errors import MtorgraphError

    with pytest.raises(MtorgraphError, match="MTORGRAPH_MAX_ALIAS_NODES"):
        validate_graph(path)


def test_file_size_limit(tmp_path, monkeypatch, runner):
    path = _file(tmp_path, TEXT)
    monkeypatch.setenv("MTORGRAPH_MAX_FILE_BYTES", "100")
    result = _validate(runner, path)
    assert result.exit_code == 1 and "error[file-too-large]" in result.stderr
    assert "MTORGRAPH_MAX_FILE_BYTES" in result.stderr


@pytest.mark.parametrize("command", [["validate"], ["export", "-o", "out.ttl"], ["show", "rapamycin", "--format",
                                                                                   "json"]],
                         ids=["1.52-validate", "1.53-export", "1.54-show"])
def test_surrogate_fails_cleanly_in_every_command(command, tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _sub(FINDING, '"A \\ud800 B"')(tmp_path)
    result = runner.invoke(main, ["--graph", str(path), *command])
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    assert not (tmp_path / "out.ttl").exists()


@pytest.mark.parametrize("name", ["b.yml", "b.YAML", "b.Yml"], ids=["1.71-yml", "1.73-upper-YAML", "mixed-case"])
def test_every_edge_file_is_read(name, tmp_path, runner):
    """A graph with 4 edges in a.yaml and 6 in another file loads all 10 (probes 1.71–1.74)."""
    root = _small(tmp_path, name)
    assert _validate(runner, root).exit_code == 0
    info = runner.invoke(main, ["--graph", str(root), "info", "--format", "json"])
    assert info.exit_code == 0
    assert json.loads(info.stdout)["edges"] == 10


def test_edge_files_in_sub_folders_are_read(tmp_path, runner):
    root = _small(tmp_path, "b.yaml", subdir="more")
    info = runner.invoke(main, ["--graph", str(root), "info", "--format", "json"])
    assert json.loads(info.stdout)["edges"] == 10


def test_stray_files_are_reported(tmp_path, runner):
    root = _small(tmp_path)
    (root / "edges" / "notes.txt").write_text("to do")
    (root / "claim.yaml").write_text("claims: []\n")
    result = _validate(runner, root)
    assert result.exit_code == 0
    assert result.stderr.count("warning[ignored-file]") == 2


def test_edges_folder_as_a_file_is_reported_by_info(tmp_path, runner):
    """Probe 1.70: info on a graph whose edges/ is a file fails instead of counting 0 edges."""
    root = _dir_with(lambda r: (shutil.rmtree(r / "edges"), (r / "edges").write_text("x")))(tmp_path)
    result = runner.invoke(main, ["--graph", str(root), "info", "--format", "json"])
    assert result.exit_code == 1 and "error[not-a-folder]" in result.stderr and result.stdout == ""


def _deny(monkeypatch, denied: Path, function: str) -> None:
    """Make ``os.<function>`` fail with EACCES on ``denied``, as it does for a user without rights
    (the tests run as root, which ignores file modes)."""
    import errno

    real = getattr(os, function)

    def fake(path, *args, **kwargs):
        if Path(os.fsdecode(path)).resolve() == denied.resolve():
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, function, fake)


def test_unreadable_edge_file(tmp_path, runner, monkeypatch):
    """Probe 1.84 (mode 000 file)."""
    root = _small(tmp_path)
    victim = sorted((root / "edges").glob("*.yaml"))[0]
    victim.chmod(0)
    _deny(monkeypatch, victim, "open")
    result = _validate(runner, root)
    assert result.exit_code == 1 and "error[unreadable-file]" in result.stderr and victim.name in result.stderr


def test_unreadable_edges_folder(tmp_path, runner, monkeypatch):
    """Probe 1.85: an edges/ folder that cannot be listed is an error, not an empty graph."""
    root = _small(tmp_path)
    (root / "edges").chmod(stat.S_IRWXU)
    _deny(monkeypatch, root / "edges", "scandir")
    result = _validate(runner, root)
    assert result.exit_code == 1 and "error[unreadable-folder]" in result.stderr


def test_unreadable_graph_folder(tmp_path, runner, monkeypatch):
    """Probe 1.86."""
    root = _small(tmp_path)
    _deny(monkeypatch, root, "scandir")
    result = _validate(runner, root)
    assert result.exit_code == 1 and "error[unreadable-folder]" in result.stderr


@pytest.mark.parametrize("args", [["validate"], ["validate", "--format", "json"], ["info"]],
                         ids=["1.87-table", "1.88-json", "1.89-info"])
def test_non_utf8_file_name(args, tmp_path, runner):
    root = _small(tmp_path)
    bad = os.path.join(os.fsencode(root / "edges"), b"bad\xff.yaml")
    with open(bad, "w", encoding="utf-8") as handle:
        handle.write("edges:\n  - {subject: nobody, predicate: inhibits, object: mtorc1, evidence: "
                     "[{reference: fixture_a, kind: animal_in_vivo, finding: x}]}\n")
    result = runner.invoke(main, ["--graph", str(root), *args])
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    assert "unknown-entity" in result.stderr + result.stdout


def test_many_errors_stay_clean(tmp_path, runner):
    """Probe 1.90, scaled down: hundreds of unknown-entity errors, each reported with its place."""
    edges = "".join(f"  - {{subject: ghost{i}, predicate: inhibits, object: mtorc1, evidence: "
                    f"[{{reference: fixture_a, kind: animal_in_vivo, finding: x}}]}}\n" for i in range(300))
    path = _file(tmp_path, TEXT.replace("edges:\n", "edges:\n" + edges, 1))
    result = _validate(runner, path)
    assert result.exit_code == 1
    assert result.stderr.count("error[unknown-entity]") == 300


def test_validate_path_without_suffix(tmp_path, runner):
    """Probe 1.68: ``validate PATH`` agrees with ``--graph PATH``."""
    path = _file(tmp_path, TEXT, "afile")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1 and "error[unknown-format]" in result.stderr
