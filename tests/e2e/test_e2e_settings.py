"""The settings page: service URL and token in chrome.storage.local, and a plain statement of
what is sent where."""

from __future__ import annotations

from pathlib import Path

from extension_driver import ExtensionDriver, expected_exacts, highlight_texts


def test_settings_page_screenshot_with_defaults(configured: ExtensionDriver, screenshots: Path) -> None:
    configured.set_settings(serviceUrl="http://127.0.0.1:8765", token="")
    options = configured.context.new_page()
    options.set_viewport_size({"width": 760, "height": 760})
    options.goto(configured.url("options.html"))
    options.wait_for_function("document.getElementById('privacy').textContent.includes('8765')")
    options.screenshot(path=str(screenshots / "settings.png"))


def test_settings_are_saved_and_the_privacy_statement_follows_the_url(configured: ExtensionDriver) -> None:
    options = configured.context.new_page()
    options.goto(configured.url("options.html"))
    options.wait_for_function("document.getElementById('privacy').textContent.length > 0")
    current = configured.settings()["serviceUrl"]
    assert options.input_value("#service-url") == current
    assert options.input_value("#token") == configured.settings()["token"]
    assert options.get_attribute("#token", "type") == "password"
    assert options.text_content("#privacy") == (
        f"When you ask, readctx sends the visible article text of the page, its URL and title, to {current}; "
        "nothing else, nowhere else."
    )
    assert options.text_content("#serve-command") == f"readctx serve --cors-origin {configured.origin}"

    options.fill("#service-url", "http://localhost:9999/")
    options.fill("#token", "  abc123  ")
    options.click("button[type=submit]")
    options.wait_for_selector("#saved:text('Saved.')")
    saved = configured.settings()
    assert saved["serviceUrl"] == "http://localhost:9999"
    assert saved["token"] == "abc123"
    assert "to http://localhost:9999; nothing else, nowhere else." in (options.text_content("#privacy") or "")


def test_nothing_is_sent_until_the_reader_asks(configured: ExtensionDriver, pages_url: str) -> None:
    page = configured.context.new_page()
    page.goto(f"{pages_url}/wire-story.html")
    panel, tab_id = configured.open_panel(page)
    assert configured.state(tab_id)["status"] == "idle"
    assert "Nothing has been sent yet" in panel.inner_text("#status")
    # No content script either: the page is untouched until the reader asks.
    assert page.evaluate("document.querySelectorAll('readctx-hl, .readctx-tooltip').length") == 0


def test_a_site_switched_to_always_is_annotated_on_load(configured: ExtensionDriver, pages_url: str) -> None:
    # What the sidebar's "Always annotate pages on …" switch stores once access is granted
    # (loopback pages are already within the extension's host permissions).
    configured.set_settings(alwaysSites=["http://127.0.0.1/*"])
    page = configured.context.new_page()
    page.goto(f"{pages_url}/wire-story.html")
    tab_id = configured.tab_id(page)
    page.wait_for_selector("readctx-hl", timeout=15_000)
    state = configured.state(tab_id)
    assert state["status"] == "done"
    page.wait_for_function("(n) => document.querySelectorAll('readctx-hl').length >= n", arg=len(state["placed"]))
    assert highlight_texts(page) == expected_exacts(state)


def test_sidebar_without_a_pinned_tab_follows_the_active_tab(configured: ExtensionDriver) -> None:
    # As a real side panel it is opened without ?tab= and shows the active tab (here: itself).
    errors: list[str] = []
    panel = configured.context.new_page()
    panel.on("pageerror", lambda err: errors.append(str(err)))
    panel.goto(configured.url("sidepanel.html"))
    panel.wait_for_selector("body[data-status=idle]")
    assert "Nothing has been sent yet" in panel.inner_text("#status")
    assert errors == []
