"""Markup that is only text in the article (``<img src=x onerror=...>``) travels to the service
and back in quotes, prefixes and suffixes; it must stay text in the sidebar, the tooltip and the
page: no element is created and no handler runs."""

from __future__ import annotations

from extension_driver import ExtensionDriver, expected_exacts, highlight_texts

PAYLOAD = "<img src=x onerror=window.pwned=1>"


def test_service_text_is_never_markup(configured: ExtensionDriver, pages_url: str) -> None:
    page = configured.context.new_page()
    page.goto(f"{pages_url}/xss-in-text.html")
    panel, tab_id = configured.open_panel(page)
    state = configured.annotate_from_panel(panel, tab_id)

    fields = [
        value
        for a in state["doc"]["annotations"]
        for value in (a["exact"], a["prefix"], a["suffix"], (a.get("content") or {}).get("exact", ""))
    ]
    assert any(PAYLOAD in value or "<img" in value for value in fields), "the payload should come back"
    assert highlight_texts(page) == expected_exacts(state)

    # Hover every highlight (a real mouse for the first) so each tooltip is built once.
    page.hover("readctx-hl")
    page.evaluate(
        "for (const el of document.querySelectorAll('readctx-hl'))"
        " el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))"
    )

    for where in (page, panel):
        assert where.evaluate("document.querySelectorAll('img, script:not([src]) ~ b, b[onmouseover]').length") == 0
        assert where.evaluate("typeof window.pwned") == "undefined"
    assert panel.evaluate("document.querySelectorAll('img, script').length") == 1  # its own module script
    # The payload is shown, as text.
    assert PAYLOAD in panel.inner_text("body")
    assert page.evaluate("document.querySelector('.readctx-tooltip').children.length") > 0
