"""``import`` of KGX rows that cite no publication: those edges are left out and said so; when no
edge or link is left to write, the import fails with the reason and writes nothing (it used to
write ``edges:`` with no list, which its own validation then refused)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mtorgraph.cli import main
from mtorgraph.io import load_graph

NODES = ("id\tcategory\tname\n"
         "CHEBI:9168\tbiolink:SmallMolecule\tsirolimus\n"
         "HGNC:3942\tbiolink:Gene\tMTOR\n"
         "GO:0006914\tbiolink:BiologicalProcess\tautophagy\n")
HEADER = "id\tsubject\tpredicate\tobject\tpublications\n"


def _pair(folder: Path, rows: str) -> Path:
    folder.mkdir()
    (folder / "g_nodes.tsv").write_text(NODES, encoding="utf-8")
    (folder / "g_edges.tsv").write_text(HEADER + rows, encoding="utf-8")
    return folder / "g_edges.tsv"


def test_rows_without_publications_only_fail_with_the_reason_and_write_nothing(tmp_path: Path) -> None:
    edges = _pair(tmp_path / "in", "e1\tCHEBI:9168\tbiolink:affects\tHGNC:3942\t\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["import", str(edges), "--to", str(out)])
    assert result.exit_code == 1
    assert "none of its 1 edges and links can be curated" in result.stderr
    assert "1 cite no publication" in result.stderr and "Traceback" not in result.output
    assert not out.exists()


def test_a_published_row_is_written_and_the_unpublished_one_left_out_and_said(tmp_path: Path) -> None:
    edges = _pair(tmp_path / "in", "e1\tCHEBI:9168\tbiolink:affects\tHGNC:3942\t\n"
                                   "e2\tHGNC:3942\tbiolink:affects\tGO:0006914\tPMID:20724638\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["import", str(edges), "--to", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 edges left out: they cite no publication" in result.stderr
    graph = load_graph(out)
    assert [(e.subject, e.object) for e in graph.edges] == [("mtor", "autophagy")]
    assert CliRunner().invoke(main, ["--graph", str(out), "validate"]).exit_code == 0
