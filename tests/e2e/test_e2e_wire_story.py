"""A wire story on a news site: the extension reads only the article, the service finds the wire
credit, the anonymous sourcing and the acronym, and every highlight covers exactly its quote.
The sidebar lists them, scrolls to them, filters them, and the page explains them on hover."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from extension_driver import ExtensionDriver, expected_exacts, highlight_texts

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture
def annotated(configured: ExtensionDriver, pages_url: str) -> tuple[Page, Page, dict[str, Any]]:
    page = configured.context.new_page()
    page.set_viewport_size({"width": 1100, "height": 800})
    page.goto(f"{pages_url}/wire-story.html")
    panel, tab_id = configured.open_panel(page)
    state = configured.annotate_from_panel(panel, tab_id)
    return page, panel, state


def test_only_the_article_text_is_sent(annotated: tuple[Page, Page, dict[str, Any]]) -> None:
    _, _, state = annotated
    sent = state["sentText"]
    assert sent.startswith("Iran nuclear talks to resume next week, officials say\n\nBy Francois Murphy")
    assert "VIENNA (Reuters) - Talks on reviving the nuclear deal will resume next week, two senior" in sent
    # Blocks are separated, whitespace collapsed as rendered.
    assert "three months.\n\nThe IAEA" in sent
    assert "  " not in sent
    # Site chrome, asides and hidden elements are not part of it.
    for chrome in ("The Example Daily", "World", "Breaking", "Most read", "bridge", "newsletter", "Privacy"):
        assert chrome not in sent
    assert sent.endswith("Reporting by Francois Murphy; Editing by Mark Heinrich")


def test_highlights_cover_exactly_the_annotated_text(annotated: tuple[Page, Page, dict[str, Any]]) -> None:
    page, _, state = annotated
    doc = state["doc"]
    kinds = {(a["type"], a["label"]) for a in doc["annotations"]}
    assert {("syndication", "wire_credit"), ("sourcing", "vague_source"), ("glossary", "acronym")} <= kinds
    # Offsets are code points into the text as sent; this page is ASCII apart from "·".
    for a in doc["annotations"]:
        assert state["sentText"][a["start"] : a["end"]] == a["exact"]
    assert state["orphans"] == []
    expected = expected_exacts(state)
    assert len(expected) == len(state["selectors"])
    assert highlight_texts(page) == expected
    # Overlapping annotations ("VIENNA (Reuters) -" contains "Reuters") share elements, not text.
    assert page.evaluate("document.querySelector('article').textContent").count("VIENNA (Reuters) -") == 1


def test_sidebar_lists_summary_sourcing_and_glossary(
    annotated: tuple[Page, Page, dict[str, Any]], screenshots: Path
) -> None:
    _, panel, state = annotated
    summary = panel.inner_text("#summary")
    assert "Republished: yes" in summary
    assert "Origin: Reuters" in summary
    assert "Wire credit" in summary  # the evidence, in words
    vague = [a for a in state["doc"]["annotations"] if a["label"] == "vague_source"]
    assert panel.text_content("#sourcing .group[data-label=vague_source] h3") == f"Vague source ({len(vague)})"
    sourcing = panel.inner_text("#sourcing")
    assert "Source: a person familiar with the matter (anonymous source)" in sourcing
    glossary = panel.inner_text("#glossary")
    assert "IAEA" in glossary and "International Atomic Energy Agency" in glossary
    assert panel.locator("#orphans").is_hidden()
    panel.screenshot(path=str(screenshots / "sidepanel-wire-story.png"), full_page=True)


def test_clicking_an_item_scrolls_to_and_flashes_its_highlight(
    annotated: tuple[Page, Page, dict[str, Any]],
) -> None:
    page, panel, state = annotated
    target = next(a for a in state["doc"]["annotations"] if a["label"] == "wire_credit" and "Editing" in a["exact"])
    page.evaluate("window.scrollTo(0, 0)")
    panel.click(f"#syndication button.item[data-id={target['id']}]")
    selector = f"readctx-hl[data-ids~={target['id']}].readctx-flash"
    page.wait_for_selector(selector)
    page.wait_for_function(
        "(sel) => { const r = document.querySelector(sel).getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight; }",
        arg=selector,
    )


def test_clicking_a_glossary_term_goes_to_its_mention(annotated: tuple[Page, Page, dict[str, Any]]) -> None:
    page, panel, state = annotated
    index = next(i for i, e in enumerate(state["doc"]["glossary"]) if e["term"] == "IAEA")
    (target,) = state["glossaryTargets"][index]
    panel.click("#glossary button.entry[data-term=IAEA]")
    page.wait_for_selector(f"readctx-hl[data-ids~={target}].readctx-flash")
    assert page.text_content(f"readctx-hl[data-ids~={target}]") == "IAEA"


def test_filters_hide_a_type_in_sidebar_and_page(annotated: tuple[Page, Page, dict[str, Any]]) -> None:
    page, panel, _ = annotated
    panel.uncheck("#filters input[name=glossary]")
    page.wait_for_function("document.documentElement.dataset.readctxHide === 'glossary'")
    assert panel.locator("#glossary").is_hidden()
    background = page.evaluate(
        "getComputedStyle(document.querySelector('readctx-hl[data-type=glossary]')).backgroundColor"
    )
    assert background == "rgba(0, 0, 0, 0)"
    panel.check("#filters input[name=glossary]")
    page.wait_for_function("document.documentElement.dataset.readctxHide === ''")
    assert panel.locator("#glossary").is_visible()


def test_hovering_a_highlight_explains_it(annotated: tuple[Page, Page, dict[str, Any]], screenshots: Path) -> None:
    page, _, state = annotated
    target = next(a for a in state["doc"]["annotations"] if a["exact"] == "according to")
    page.hover(f"readctx-hl[data-ids~={target['id']}]")
    tooltip = page.locator(".readctx-tooltip")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert "Vague source (Sourcing)" in text
    assert f"confidence {round(target['confidence'] * 100)}%" in text
    assert target["explanation"] in text
    page.screenshot(path=str(screenshots / "page-highlights.png"))
