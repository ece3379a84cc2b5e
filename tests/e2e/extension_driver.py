"""Drives the unpacked readctx extension in headless Chromium the way a reader would, as far as
headless allows: the real side panel cannot be opened without a window, so the side panel page is
opened as a tab (``sidepanel.html?tab=<id>``) and its buttons are clicked there."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported lazily so that a machine without Playwright skips instead of erroring
    from playwright.sync_api import BrowserContext, Page, Worker

REPO = Path(__file__).resolve().parents[2]
EXTENSION_DIR = REPO / "extension"
PAGES_DIR = REPO / "tests" / "e2e_pages"
# A site name outside the extension's host permissions, mapped to the loopback page server.
OTHER_SITE = "news.example"
ANNOTATE_TIMEOUT_MS = 30_000


@dataclass
class Service:
    """The running readctx service."""

    url: str
    token: str
    home: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class ExtensionDriver:
    context: BrowserContext
    worker: Worker
    extension_id: str
    panel_errors: dict[Page, list[str]] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"chrome-extension://{self.extension_id}"

    def url(self, path: str) -> str:
        return f"{self.origin}/{path}"

    def set_settings(self, **settings: Any) -> None:
        self.worker.evaluate("(s) => chrome.storage.local.set(s)", settings)

    def settings(self) -> dict[str, Any]:
        result: dict[str, Any] = self.worker.evaluate("() => chrome.storage.local.get(null)")
        return result

    def tab_id(self, page: Page) -> int:
        """The browser's id of the tab showing ``page`` (pages on 127.0.0.1 are in host permissions)."""
        ids: list[int] = self.worker.evaluate(
            "async (url) => (await chrome.tabs.query({})).filter((t) => t.url === url).map((t) => t.id)",
            page.url,
        )
        assert len(ids) == 1, f"expected one tab for {page.url}, found {ids}"
        return ids[0]

    def newest_tab_without_access(self) -> int:
        """The most recent tab whose URL the extension may not see (no host permission for it)."""
        tab_id: int = self.worker.evaluate(
            "async () => Math.max(...(await chrome.tabs.query({})).filter((t) => !t.url).map((t) => t.id))"
        )
        return tab_id

    def state(self, tab_id: int) -> dict[str, Any]:
        state: dict[str, Any] = self.worker.evaluate(
            "async (key) => (await chrome.storage.session.get(key))[key] ?? {status: 'idle'}", f"tab:{tab_id}"
        )
        return state

    def open_panel(
        self, page: Page, *, width: int = 400, height: int = 900, tab_id: int | None = None
    ) -> tuple[Page, int]:
        """Opens the sidebar page for ``page``'s tab, as its own tab."""
        tab_id = self.tab_id(page) if tab_id is None else tab_id
        panel = self.context.new_page()
        errors: list[str] = []
        panel.on("pageerror", lambda err: errors.append(str(err)))
        self.panel_errors[panel] = errors
        panel.set_viewport_size({"width": width, "height": height})
        panel.goto(self.url(f"sidepanel.html?tab={tab_id}"))
        panel.wait_for_selector("body[data-status]")
        return panel, tab_id

    def annotate_from_panel(self, panel: Page, tab_id: int, *, expect: str = "done") -> dict[str, Any]:
        """Clicks "Annotate this page" and waits until the sidebar shows the outcome."""
        panel.click("#annotate")
        panel.wait_for_selector(f"body[data-status={expect}]", timeout=ANNOTATE_TIMEOUT_MS)
        state = self.state(tab_id)
        assert state["status"] == expect, json.dumps(state.get("error"))
        assert self.panel_errors.get(panel) == [], self.panel_errors.get(panel)
        return state


# Annotation id → the text of all highlight elements carrying it, in document order (run in the page).
HIGHLIGHT_TEXTS_JS = """() => {
    const out = {};
    for (const el of document.querySelectorAll('readctx-hl')) {
        for (const id of el.dataset.ids.split(' ')) out[id] = (out[id] ?? '') + el.textContent;
    }
    return out;
}"""


def highlight_texts(page: Page) -> dict[str, str]:
    result: dict[str, str] = page.evaluate(HIGHLIGHT_TEXTS_JS)
    return result


def expected_exacts(state: dict[str, Any]) -> dict[str, str]:
    """Selector id → the quote it must highlight, for every selector the extension placed."""
    exact = {s["id"]: s["exact"] for s in state["selectors"]}
    return {p["id"]: exact[p["id"]] for p in state["placed"]}
