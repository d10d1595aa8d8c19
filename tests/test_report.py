"""The evidence report and the build: generated from the data, complete, offline, atomic."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import pytest

from mtorgraph import bundled_graph_path, load_graph
from mtorgraph.cli import main
from mtorgraph.views.report import edge_anchor, render_report

from .conftest import DATA, MINI

DOI_LINK = re.compile(r"https://doi\.org/10\.\d{4,9}/\S+")
PUBMED_LINK = re.compile(r"https://pubmed\.ncbi\.nlm\.nih\.gov/\d+/")


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.resources = set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag in ("script", "img", "link", "iframe") and (attrs.get("src") or attrs.get("href")):
            self.resources.append(attrs.get("src") or attrs.get("href"))


@pytest.fixture(scope="module")
def bundled():
    return load_graph()


@pytest.fixture(scope="module")
def bundled_md(bundled):
    return render_report(bundled, "md")


def test_every_edge_claim_and_reference_of_the_mini_graph_appears(mini):
    text = render_report(mini, "md")
    for edge in mini.edges:
        assert f'id="{edge_anchor(*edge.key)}"' in text
    for claim in mini.claims:
        assert f'id="claim-{claim.id}"' in text
    for ref in mini.references:
        assert f'id="ref-{ref.key}"' in text


def test_every_bundled_reference_is_listed_with_a_wellformed_link(bundled, bundled_md):
    cited = {ev.reference for e in bundled.edges for ev in e.evidence} | {
        r for c in bundled.claims for r in c.references}
    refs = bundled_md.split("## References", 1)[1]
    for key in cited:
        ref = bundled.reference(key)
        line = next(line for line in refs.splitlines() if f'id="ref-{key}"' in line)
        if ref.doi:
            assert DOI_LINK.search(line) and f"https://doi.org/{ref.doi}" in line, line
        elif ref.pmid:
            assert PUBMED_LINK.search(line), line
        elif ref.pmcid or ref.url:
            assert (ref.pmcid or ref.url) in line, line
        else:  # cited by a claim only: the report must say it has no identifier
            assert not any(ev.reference == key for e in bundled.edges for ev in e.evidence)
            assert "No DOI, PMID or PMCID was found" in line, line
        if ref.verified != "yes":
            assert f"Verification: {ref.verified}" in line


def test_every_bundled_edge_and_claim_appears(bundled, bundled_md):
    for edge in bundled.edges:
        assert f'id="{edge_anchor(*edge.key)}"' in bundled_md, edge.label
    for claim in bundled.claims:
        assert f'id="claim-{claim.id}"' in bundled_md


def test_the_report_states_the_key_facts_from_the_data(bundled_md):
    short = bundled_md.split("## Mechanisms", 1)[0]
    assert "n = 20" in short and "randomized" in short.lower() and "Evidence grade" in short
    human = bundled_md.split("## Human evidence", 1)[1].split("## Safety", 1)[0]
    assert "41% vs 13%" in human and "crossover" in human
    c12 = bundled_md.split("### C12", 1)[1].split("### ", 1)[0]
    assert c12.startswith(" — no source found")
    paradox = bundled_md.split("## The paradox", 1)[1].split("## Human evidence", 1)[0]
    assert "Would worsen depression" in paradox and "Would relieve depression" in paradox
    assert "independent stud" in paradox and "net positive" not in bundled_md.lower()
    assert "species" in paradox and "human" in paradox and ("rat" in paradox or "rodent" in paradox)


def test_changing_a_number_in_the_graph_changes_the_report(tmp_path, bundled):
    copy = tmp_path / "graphs"
    shutil.copytree(bundled_graph_path(), copy)
    edited = False
    for path in copy.rglob("*.yaml"):
        text = path.read_text()
        if "41% vs 13%" in text:
            path.write_text(text.replace("41% vs 13%", "43% vs 11%"))
            edited = True
    assert edited
    text = render_report(load_graph(copy), "md")
    assert "43% vs 11%" in text and "41% vs 13%" not in text


def test_html_report_is_offline_readable_and_anchored(mini):
    page = render_report(mini, "html")
    parsed = _Collect()
    parsed.feed(page)
    assert parsed.resources == []
    assert 'name="viewport"' in page
    internal = [h[1:] for h in parsed.hrefs if h.startswith("#")]
    assert internal and set(internal) <= parsed.ids
    assert f"#{edge_anchor('rapamycin', 'increases', 'ketamine_response')}" in parsed.hrefs


def test_report_text_from_data_is_escaped(tmp_path):
    text = MINI.read_text().replace("The response lasted longer.", "<script>alert(1)</script> lasted")
    path = tmp_path / "x.yaml"
    path.write_text(text)
    page = render_report(load_graph(path), "html")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; lasted" in page


def test_report_command_writes_md_and_html(runner, tmp_path):
    result = runner.invoke(main, ["--graph", str(MINI), "report"])
    assert result.exit_code == 0 and result.stdout.startswith("# ")
    assert "Evidence grade, rapamycin → depression" in result.stdout
    for name in ("r.md", "r.html"):
        result = runner.invoke(main, ["--graph", str(MINI), "report", "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    assert (tmp_path / "r.md").read_text().startswith("# ")


def test_report_refuses_an_unknown_suffix(runner, tmp_path):
    result = runner.invoke(main, ["--graph", str(MINI), "report", "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 1 and "as .md or .html" in result.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_build_writes_every_output(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["mtorgraph.ttl", "mtorgraph.jsonld", "mtorgraph.html", "report.md", "report.html"])
    assert "Evidence grade, rapamycin → depression" in result.stdout
    for name in names:
        assert f"wrote {out / name}" in result.stdout


def test_build_writes_nothing_when_validation_fails(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["--graph", str(DATA / "invalid" / "unknown-entity.yaml"), "build", "--out", str(out)])
    assert result.exit_code == 1
    assert "error[unknown-entity]" in result.stderr
    assert not out.exists()
