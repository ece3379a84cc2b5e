"""Emoji, Arabic and Chinese (with astral characters) before the annotated spans: the service's
code point offsets must be converted to UTF-16 before they are placed in the page."""

from __future__ import annotations

from pathlib import Path

from extension_driver import ExtensionDriver, expected_exacts, highlight_texts


def test_offsets_after_astral_characters_land_on_the_right_words(
    configured: ExtensionDriver, pages_url: str, screenshots: Path
) -> None:
    page = configured.context.new_page()
    page.goto(f"{pages_url}/multilingual.html")
    panel, tab_id = configured.open_panel(page)
    state = configured.annotate_from_panel(panel, tab_id)
    sent = state["sentText"]
    assert sent.startswith("🌍 Climate summit")
    assert "في دبي" in sent and "气候峰会" in sent and "𠀋" in sent
    assert "venue would close" not in sent  # the aside

    annotations = state["doc"]["annotations"]
    for a in annotations:
        assert sent[a["start"] : a["end"]] == a["exact"]  # Python indexes code points, like the service
    # The spans after the emoji are where UTF-16 and code point offsets disagree.
    utf16_start = {p["id"]: p["start"] for p in state["placed"]}
    shifted = [a for a in annotations if utf16_start[a["id"]] != a["start"]]
    assert {a["exact"] for a in shifted} >= {"said", "according to"}

    assert state["orphans"] == []
    assert highlight_texts(page) == expected_exacts(state)
    panel.screenshot(path=str(screenshots / "sidepanel-multilingual.png"), full_page=True)
