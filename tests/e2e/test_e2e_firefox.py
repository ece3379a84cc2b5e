"""The Firefox build (``node extension/build.mjs`` → ``dist/firefox``: sidebar_action, background scripts) does
what the Chrome build does on the same wire story: the service is reached with the token, every annotation
is highlighted on exactly its quote, nothing is orphaned, and the sidebar lists the findings."""

from __future__ import annotations

from typing import Any

from extension_driver import HIGHLIGHT_TEXTS_JS, Service, expected_exacts
from firefox_driver import FirefoxExtension


def _annotate_wire_story(firefox: FirefoxExtension, service: Service, pages_url: str) -> tuple[int, dict[str, Any]]:
    page_url = f"{pages_url}/wire-story.html"
    firefox.open_tab("page", page_url)
    firefox.open_tab("settings", f"{firefox.origin}/options.html")
    tab_id = firefox.tab_id(page_url)
    firefox.async_script(
        "browser.storage.local.set(arguments[0]).then(() => done(true))",
        {"serviceUrl": service.url, "token": service.token},
    )
    firefox.open_tab("panel", f"{firefox.origin}/sidepanel.html?tab={tab_id}")
    firefox.wait_for("return document.body.dataset.status !== undefined")
    firefox.script("document.getElementById('annotate').click()")
    firefox.wait_for("return ['done', 'error'].includes(document.body.dataset.status)")
    key = f"tab:{tab_id}"
    state: dict[str, Any] = firefox.async_script(
        "browser.storage.session.get(arguments[0]).then((s) => done(s[arguments[0]]))", key
    )
    assert state["status"] == "done", state.get("error")
    return tab_id, state


def test_firefox_build_highlights_a_wire_story(
    firefox: FirefoxExtension, firefox_service: Service, pages_url: str
) -> None:
    _, state = _annotate_wire_story(firefox, firefox_service, pages_url)
    annotations = state["doc"]["annotations"]
    kinds = {(a["type"], a["label"]) for a in annotations}
    assert {("syndication", "wire_credit"), ("sourcing", "vague_source"), ("glossary", "acronym")} <= kinds
    sent = state["sentText"]
    assert "VIENNA (Reuters) - Talks on reviving the nuclear deal will resume next week" in sent
    assert all(sent[a["start"] : a["end"]] == a["exact"] for a in annotations)

    assert state["orphans"] == []
    firefox.switch_to("page")
    expected = expected_exacts(state)
    assert len(expected) == len(state["selectors"])
    assert firefox.script(f"return ({HIGHLIGHT_TEXTS_JS})()") == expected

    firefox.switch_to("panel")
    panel_text = firefox.script("return document.body.innerText")
    assert "Reuters" in panel_text and "IAEA" in panel_text
