"""A real, offline Chromium for the HTML tests: Debian's /usr/bin/chromium driven by Playwright.

Playwright never downloads a browser here; every request other than ``file:`` and ``data:`` is
aborted and recorded, and console errors and page errors are collected for the tests to assert on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

__all__ = ["CHROMIUM", "OfflinePage", "offline_page", "require_chromium"]

CHROMIUM = os.environ.get("MTORGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def require_chromium() -> None:
    """Fail (not skip) with a clear message when the browser is missing: CI installs it."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium "
                    "(`apt-get install chromium`; .ci/run installs it)", pytrace=False)


@dataclass
class OfflinePage:
    """A loaded page plus what happened while it loaded."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def wait_ready(self, timeout_ms: int = 30000) -> None:
        """Wait until the page says the graph is laid out and drawn.

        Polls from Python: Playwright's ``wait_for_function`` evaluates strings inside the page,
        which the page's Content-Security-Policy (rightly) forbids.
        """
        waited = 0
        while not self.page.evaluate("window.mtorgraphReady === true"):
            if waited >= timeout_ms:
                raise AssertionError(f"the page was not ready after {timeout_ms} ms; "
                                     f"errors: {self.console_errors + self.page_errors}")
            self.page.wait_for_timeout(50)
            waited += 50

    def js(self, expression: str, arg: Any = None) -> Any:
        """Evaluate JavaScript in the page."""
        return self.page.evaluate(expression, arg)


@contextmanager
def offline_page(html_path: Path, *, width: int = 1400, height: int = 900,
                 bypass_csp: bool = False) -> Iterator[OfflinePage]:
    """Open ``html_path`` in headless Chromium with every network request blocked.

    :param bypass_csp: ignore the page's Content-Security-Policy, to show that escaping alone
        keeps injected markup inert.
    """
    from playwright.sync_api import sync_playwright

    require_chromium()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=bypass_csp)
            page = context.new_page()
            page.set_default_timeout(8000)
            state = OfflinePage(page)

            def route(r: Any) -> None:
                url = r.request.url
                if url.startswith(("file:", "data:")):
                    r.continue_()
                else:
                    state.blocked.append(url)
                    r.abort()

            page.route("**/*", route)
            page.on("console", lambda m: state.console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: state.page_errors.append(str(e)))
            page.goto(Path(html_path).resolve().as_uri())
            yield state
        finally:
            browser.close()
