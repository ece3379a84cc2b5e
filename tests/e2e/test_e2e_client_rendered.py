"""A client-rendered page that replaces its <article> node after load: highlights come back on the
new nodes, move with inserted text, and what disappeared from the page is listed as an orphan."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from extension_driver import ExtensionDriver, expected_exacts, highlight_texts

REMOVED = "An earlier version of this story, citing unnamed officials, said the decision would come in January."


def _wait_for_state(
    configured: ExtensionDriver, tab_id: int, predicate: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        state = configured.state(tab_id)
        if predicate(state):
            return state
        time.sleep(0.1)
    raise AssertionError(f"the stored state never satisfied the condition: {state}")


def test_highlights_survive_re_rendering(configured: ExtensionDriver, pages_url: str) -> None:
    page = configured.context.new_page()
    page.goto(f"{pages_url}/client-rendered.html")
    page.wait_for_selector("article[data-render='1']")
    panel, tab_id = configured.open_panel(page)
    state = configured.annotate_from_panel(panel, tab_id)
    expected = expected_exacts(state)
    assert state["orphans"] == [] and len(expected) == len(state["selectors"])
    assert highlight_texts(page) == expected

    # Same text, new nodes: the highlights are put back.
    page.evaluate("rehydrate()")
    page.wait_for_selector("article[data-render='2'] readctx-hl")
    page.wait_for_function("(n) => document.querySelectorAll('readctx-hl').length >= n", arg=len(expected))
    assert highlight_texts(page) == expected

    # A live update inserts a paragraph and drops the correction: re-anchored, and orphans listed.
    removed_start = state["sentText"].index(REMOVED)
    removed_end = removed_start + len(REMOVED)
    in_removed = {s["id"] for s in state["selectors"] if removed_start <= s["start"] < removed_end}
    assert in_removed, "the fixture's removed paragraph should carry annotations"
    page.evaluate("liveUpdate()")
    page.wait_for_selector("article[data-render='3'] readctx-hl")
    updated = _wait_for_state(configured, tab_id, lambda s: bool(s.get("orphans")))
    assert set(updated["orphans"]) == in_removed
    page.wait_for_function("(n) => document.querySelectorAll('readctx-hl[data-ids]').length > 0", arg=0)
    texts = highlight_texts(page)
    assert texts == {k: v for k, v in expected.items() if k not in in_removed}
    # The inserted paragraph shifted the highlights after it: they were found again by their quotes.
    inserted_at = state["sentText"].index("LONDON (Reuters)")
    original = {s["id"]: s["start"] for s in state["selectors"]}
    shifted = {p["method"] for p in updated["placed"] if original[p["id"]] >= inserted_at}
    assert shifted == {"quote"}
    assert page.evaluate("document.getElementById('app').textContent.includes('earlier version')") is False

    panel.wait_for_selector("#orphans li.orphan")
    orphan_items = panel.locator("#orphans li.orphan")
    assert orphan_items.count() == len(in_removed)
    assert panel.text_content("#orphans h2") == f"Not found in the page ({len(in_removed)})"
    assert "said" in panel.inner_text("#orphans")


def test_client_side_navigation_drops_the_previous_story(configured: ExtensionDriver, pages_url: str) -> None:
    page = configured.context.new_page()
    page.goto(f"{pages_url}/client-rendered.html")
    page.wait_for_selector("article[data-render='1']")
    panel, tab_id = configured.open_panel(page)
    configured.annotate_from_panel(panel, tab_id)
    page.evaluate("openOtherStory()")
    # The results were about the previous story: gone from the page and the sidebar.
    page.wait_for_function("document.querySelectorAll('readctx-hl').length === 0")
    panel.wait_for_selector("body[data-status=idle]")
    assert _wait_for_state(configured, tab_id, lambda s: s["status"] == "idle")["status"] == "idle"
