"""Failures the reader can meet, each explained in the sidebar with what to do next."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from extension_driver import OTHER_SITE, ExtensionDriver, Service, free_port

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _error_after_annotating(configured: ExtensionDriver, url: str) -> tuple[str, Page]:
    page = configured.context.new_page()
    page.goto(url)
    panel, tab_id = configured.open_panel(page)
    configured.annotate_from_panel(panel, tab_id, expect="error")
    assert panel.locator("#result").is_hidden()
    return panel.inner_text("#error"), panel


def test_wrong_token_says_where_to_find_the_right_one(
    configured: ExtensionDriver, service: Service, pages_url: str, screenshots: Path
) -> None:
    configured.set_settings(token="not-the-token")
    text, panel = _error_after_annotating(configured, f"{pages_url}/wire-story.html")
    assert "The service needs a token" in text
    assert "readctx token" in text
    assert "settings" in text
    panel.screenshot(path=str(screenshots / "sidepanel-error-token.png"))


def test_service_not_running_shows_the_command_to_start_it(configured: ExtensionDriver, pages_url: str) -> None:
    configured.set_settings(serviceUrl=f"http://127.0.0.1:{free_port()}")
    text, _ = _error_after_annotating(configured, f"{pages_url}/wire-story.html")
    assert "The readctx service is not running" in text
    assert "readctx serve" in text


def test_page_too_large(configured: ExtensionDriver, pages_url: str) -> None:
    text, _ = _error_after_annotating(configured, f"{pages_url}/live-blog.html")
    assert "This page is too large to annotate" in text


def test_page_without_article_text_sends_nothing(configured: ExtensionDriver, pages_url: str) -> None:
    text, _ = _error_after_annotating(configured, f"{pages_url}/no-article.html")
    assert "No article text found on this page" in text
    assert "nothing was sent" in text


def test_a_site_without_access_is_not_read(configured: ExtensionDriver, pages_url: str) -> None:
    # No toolbar click or shortcut (activeTab) and no "always" grant: the browser keeps readctx out.
    page = configured.context.new_page()
    page.goto(pages_url.replace("127.0.0.1", OTHER_SITE) + "/wire-story.html")
    panel, tab_id = configured.open_panel(page, tab_id=configured.newest_tab_without_access())
    configured.annotate_from_panel(panel, tab_id, expect="error")
    assert "readctx cannot read this page" in panel.inner_text("#error")
    assert "Alt+Shift+R" in panel.inner_text("#error")
    assert page.evaluate("document.querySelectorAll('readctx-hl').length") == 0
