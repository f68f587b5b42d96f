"""Browser tests of the web pages: the real app served by uvicorn on a free port against the test database, driven
by Debian's Chromium through Playwright; axe-core (vendored, `tests/web/vendor/`) checks each page.

Without /usr/bin/chromium the browser tests are skipped on a developer's machine and FAIL in CI (`CI=true`), so
a CI machine that lost its browser cannot pass them by skipping. Screenshots go to `$IPCLAIMS_SCREENSHOT_DIR`, else
to the test run's temporary folder (printed at the end of the run by `-rA`).

Use from a test module:  pytestmark = pytest.mark.browser  and the fixtures `live`, `page`, `shots`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.servers import serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTHS = {"desktop": (1280, 900), "mobile": (390, 844)}
# The innermost elements that stick out past the right edge (what makes a page scroll sideways).
WIDEST = """() => {
    const w = document.documentElement.clientWidth;
    const all = [...document.querySelectorAll('body *')];
    const out = all.filter(e => e.getBoundingClientRect().right + window.scrollX > w + 1);
    const wide = out.length ? out
        : all.filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible');
    return wide.filter(e => !wide.some(o => o !== e && e.contains(o))).slice(0, 8).map(e => {
        const r = e.getBoundingClientRect();
        const name = `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + e.className : ''}`;
        return `${name} ${Math.round(r.left)}-${Math.round(r.right)} scrollWidth=${e.scrollWidth}`;
    });
}"""


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{CHROMIUM} is missing in CI: `apt-get install -y chromium` (.ci/run installs it)")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium); browser tests skipped outside CI")


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def chromium(_playwright: Any) -> Iterator[Any]:
    browser = _playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@dataclass
class Live:
    """The served app: its base URL and every console error or CSP violation any page logged."""

    base: str
    console_errors: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def live(app: Any) -> Iterator[Live]:
    with serving(app) as port:
        yield Live(base=f"http://127.0.0.1:{port}")


@pytest.fixture
def page(chromium: Any, live: Live) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    pg.on("console", lambda msg: live.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: live.console_errors.append(str(exc)))
    yield pg
    context.close()


def new_page(chromium: Any, live: Live) -> Any:
    """Another browser context (its own cookies): a second user in the same test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return context.new_page()


def sign_in(page: Any, live: Live, email: str, password: str) -> None:
    page.goto(live.url("/login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert "/login" not in page.url, f"sign-in failed: still on {page.url}"


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now (WCAG 2.x A and AA rules, best practices);
    `impacts`: the ones to report (add "moderate" and "minor" for every one)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)
            }));
        }"""
    )
    return [v for v in result if v["impact"] in impacts]


def assert_accessible(page: Any) -> None:
    bad = axe_violations(page)
    assert not bad, f"axe on {page.url}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in bad)


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("IPCLAIMS_SCREENSHOT_DIR", "").strip()
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Shots:
    """Full-page screenshots of the current page at 1280 and 390 px wide, after an axe check at each width."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.taken: list[Path] = []

    def __call__(self, page: Any, name: str, *, check: bool = True) -> list[Path]:
        safe = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-")
        original = page.viewport_size
        paths = []
        for label, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            if check:
                assert_accessible(page)
                overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
                if overflow > 1:
                    wide = page.evaluate(WIDEST)
                    raise AssertionError(f"{page.url} scrolls sideways by {overflow}px at {width}px wide; too wide: {wide}")
            path = self.folder / f"{safe}-{label}.png"
            page.screenshot(path=str(path), full_page=True)
            paths.append(path)
        page.set_viewport_size(original)
        self.taken.extend(paths)
        return paths


@pytest.fixture
def shots(screenshot_dir: Path) -> Shots:
    return Shots(screenshot_dir)
