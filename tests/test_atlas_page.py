"""The atlas page in a real Chromium: a sortable list whose rows open each conflict highlighted (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorgraph.cli import main
from mtorgraph.views.html_data import HIGHLIGHT_COLORS
from tests.browser_support import offline_page
from tests.test_browser import assert_clean, edge_colour

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def atlas_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("atlas") / "pages"
    result = CliRunner().invoke(main, ["atlas", "--workers", "1", "--html", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_list_sorts_and_opens_the_chosen_conflict_highlighted(atlas_dir: Path) -> None:
    with offline_page(atlas_dir / "index.html") as p:
        assert p.js("window.mtorgraphAtlasReady") is True
        targets = lambda: p.js("Array.from(document.querySelectorAll('#atlas tbody tr'))"  # noqa: E731
                               ".map(r => r.cells[2].dataset.value)")
        assert targets() == ["depression", "depressive_like_behavior"]
        p.page.click("th[data-col='2']")  # by target, ascending
        p.page.click("th[data-col='2']")  # then descending
        assert targets() == ["depressive_like_behavior", "depression"]
        p.page.click("#atlas tbody tr:has(td[data-value='depression']) td:nth-child(3) a")
        p.page.wait_for_url("**/conflict-0001.html")
        p.wait_ready()
        assert p.page.locator("#conflict").input_value() == "path:rapamycin|depression"
        assert edge_colour(p, "rapamycin|inhibits|mtorc1") == HIGHLIGHT_COLORS["positive"]
        info = p.page.locator("#conflict-info").text_content()
        assert "would worsen depression" in info and "would relieve depression" in info
        assert_clean(p)


def test_data_text_is_escaped_in_the_list(tmp_path: Path) -> None:
    from mtorgraph.views.atlas_page import render_atlas_index

    side = {"effect_words": "<img src=x onerror=alert(1)>", "independent_studies": 1}
    record = {"source": "a", "target": "<script>b</script>", "score": 1.0, "partial": False,
              "context_differences": {}, "sides": {"positive": side, "negative": side}}
    page = render_atlas_index([record], 0, title="t")
    assert "<script>b" not in page and "<img src=x" not in page
    assert "&lt;script&gt;b&lt;/script&gt;" in page
