"""Data text never becomes markup or a link in the report: the review's payloads (reliability review §4)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from mtorgraph import load_graph
from mtorgraph.views.document import Link, Paragraph, Text, render_html, render_markdown, safe_href
from mtorgraph.views.report import render_report

from .conftest import MINI

DOI_PAYLOAD = "10.1234/x)[click](javascript:alert(22)"
URL_PAYLOAD = "https://example.org/x)[click-md-url](javascript:alert(23)"
HTML_PAYLOAD = '<img src=x onerror="window.__pwned=1;alert(1)"> [x](javascript:alert(5)) </script><script>alert(2)</script>'
# A Markdown link: "](" not preceded by a backslash, up to the closing parenthesis.
MD_LINK = re.compile(r"(?<!\\)\]\(([^)]*)\)")


def _payload_graph(tmp_path):
    text = MINI.read_text()
    text = text.replace('doi: "10.5555/fixture.a"', f'doi: "{DOI_PAYLOAD}"')
    text = text.replace('fixture_d: {title: "Fixture review D", year: 2004, doi: "10.5555/fixture.d",',
                        f'fixture_d: {{title: "Fixture review D", year: 2004, url: "{URL_PAYLOAD}",')
    text = text.replace('"A blocked B."', json.dumps(HTML_PAYLOAD))
    path = tmp_path / "payload.yaml"
    path.write_text(text)
    graph = load_graph(path)
    assert graph.reference("fixture_a").doi == DOI_PAYLOAD and graph.reference("fixture_d").url == URL_PAYLOAD
    return graph


def test_markdown_link_targets_are_https_or_anchors_and_payloads_make_no_link(tmp_path):
    md = render_report(_payload_graph(tmp_path), "md")
    targets = MD_LINK.findall(md)
    assert targets
    for target in targets:
        assert re.match(r"^(https://|#[A-Za-z0-9_.:-]*$)", target), target
        assert not re.search(r"[()\[\]\s<>\"']", target), target
    assert "javascript:" not in "".join(targets)
    assert "[click](" not in md and "[click-md-url](" not in md
    assert "doi:10.1234/x)\\[click\\](javascript:alert(22) (not linked" in md
    assert not re.search(r"(?<!\\)<(img|script|/script)", md)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.hrefs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k == "href"]


def test_html_report_shows_payloads_as_text(tmp_path):
    page = render_report(_payload_graph(tmp_path), "html")
    parsed = _Tags()
    parsed.feed(page)
    assert not {"img", "script", "svg", "iframe"} & set(parsed.tags)
    assert all(h.startswith(("https://", "#")) for h in parsed.hrefs)
    assert not any("javascript:" in h for h in parsed.hrefs)
    assert "&lt;img src=x onerror=" in page


def test_safe_href_refuses_schemes_and_encodes_breaking_characters():
    for bad in ("javascript:alert(1)", "data:text/html,x", "//evil.example", "https://", "http://a b",
                "#x)(y", "https://ok.example/\x1b]0;t\x07"):
        assert safe_href(bad) is None, bad
    assert safe_href(URL_PAYLOAD) == "https://example.org/x%29%5Bclick-md-url%5D%28javascript:alert%2823%29"
    doc = [Paragraph([Link("a]b", "javascript:alert(1)"), Text(" and "), Link("ok", "https://example.org/(x)")])]
    md = render_markdown(doc)
    assert md.strip() == "a\\]b and [ok](https://example.org/%28x%29)"
    assert 'href="https://example.org/%28x%29"' in render_html(doc, "t") and "javascript" not in render_html(doc, "t")
