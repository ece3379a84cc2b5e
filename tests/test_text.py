from __future__ import annotations

import pytest

from readctx.errors import InputError, PayloadTooLarge
from readctx.text import detect_language, prepare, split_sentences
from readctx.types import InputDocument


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_sentences_respect_abbreviations_initials_and_quotes() -> None:
    text = 'Mr. Smith said the U.S. would act. "We will," he said! Then J. Doe left. Rev. Ames prayed.\n\nNew para? yes'
    assert sentences(text) == [
        "Mr. Smith said the U.S. would act.",
        '"We will," he said!',
        "Then J. Doe left.",
        "Rev. Ames prayed.",
        "New para? yes",
    ]


def test_text_input_is_kept_exactly() -> None:
    text = "  🙂 Ünïcode — “quoted”  \r\n"
    doc = prepare(InputDocument(text=text), default_id="x", max_text_chars=100)
    assert doc.text == text
    assert doc.from_html is False
    assert doc.id == "x"


def test_html_input_yields_main_text_and_metadata() -> None:
    html = (
        "<html><head><title>T</title><link rel='canonical' href='https://orig.example/a'>"
        "<meta property='og:site_name' content='Example Daily'></head><body><nav>Home | World</nav>"
        "<article><h1>Big news</h1><p>WASHINGTON (Reuters) - The minister said on Tuesday that talks would "
        "resume.</p><p>Officials gave no further details.</p></article>"
        "<footer>About us | Contact</footer></body></html>"
    )
    doc = prepare(InputDocument(html=html, url="https://daily.example/b"), default_id="x", max_text_chars=10**6)
    assert doc.from_html
    assert "Home | World" not in doc.text
    assert "WASHINGTON (Reuters) - The minister said" in doc.text
    assert doc.metadata.canonical_url == "https://orig.example/a"
    assert doc.metadata.site_name == "Example Daily"


def test_empty_and_oversized_inputs_are_refused() -> None:
    with pytest.raises(InputError, match="no text"):
        prepare(InputDocument(text="  \n"), default_id="x", max_text_chars=100)
    with pytest.raises(InputError, match="needs 'text' or 'html'"):
        prepare(InputDocument(), default_id="x", max_text_chars=100)
    with pytest.raises(PayloadTooLarge, match="the text has 11 characters; the limit is 10"):
        prepare(InputDocument(text="a" * 11), default_id="x", max_text_chars=10)


def test_language() -> None:
    assert detect_language("The minister said that the talks on the border were over.") == "en"
    assert detect_language("Der Minister sagte, dass die Gespräche beendet seien.") == "und"


def test_publication_date_comes_from_markup_not_from_body_text() -> None:
    body = "<body><article><p>Police said the road was closed.</p><p>Copyright 2024 Example Daily.</p></article></body>"
    guessed = prepare(InputDocument(html=f"<html>{body}</html>"), default_id="x", max_text_chars=10**6)
    assert guessed.published is None
    marked = prepare(
        InputDocument(
            html=f"<html><head><meta property='article:published_time' content='2024-05-20'></head>{body}</html>"
        ),
        default_id="x",
        max_text_chars=10**6,
    )
    assert marked.published == "2024-05-20"


def test_an_emoji_may_open_the_next_sentence() -> None:
    assert sentences("They met the negotiators. 😬 Some delegations left. 🇦🇪 Others stayed.") == [
        "They met the negotiators.",
        "😬 Some delegations left.",
        "🇦🇪 Others stayed.",
    ]


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
        "<html><body><div role='navigation'><a href='/'>Home</a></div><footer>About us</footer></body></html>",
        "<html><body><header><span>The Example Daily</span><nav><a href='#'>World</a></nav></header>"
        "<main><figure><svg role='img'></svg></figure></main><footer>© 2026 The Example Daily.</footer></body></html>",
    ],
)
def test_html_with_only_menus_and_page_chrome_has_no_main_text(html: str) -> None:
    with pytest.raises(InputError, match=r"no main text found in the HTML"):
        prepare(InputDocument(html=html), default_id="x", max_text_chars=10**6)


def test_short_html_article_is_main_text_even_beside_chrome() -> None:
    html = "<html><body><nav><a href='/'>Home</a></nav><p>Talks resume.</p><footer>About us</footer></body></html>"
    doc = prepare(InputDocument(html=html), default_id="x", max_text_chars=10**6)
    assert doc.text == "Talks resume."


def test_html_that_lxml_refuses_still_goes_to_trafilatura() -> None:
    html = "<?xml version='1.0' encoding='utf-8'?><html><body><p>The minister said talks would resume.</p></body>"
    doc = prepare(InputDocument(html=html), default_id="x", max_text_chars=10**6)
    assert doc.text == "The minister said talks would resume."


def test_a_control_character_or_an_article_header_still_leaves_main_text() -> None:
    body = "".join(f"<p>Paragraph {i}: the minister said talks would resume next week.</p>" for i in range(3))
    doc = prepare(
        InputDocument(html=f"<article>{body}<p>Stray\x0bchar</p></article>"), default_id="x", max_text_chars=10**6
    )
    assert doc.text.startswith("Paragraph 0: the minister said")
    lede = "<article><header><h1>Talks resume</h1><p>The minister said talks resumed.</p></header></article>"
    doc = prepare(
        InputDocument(html=f"<html><body><nav><a href='/'>Home</a></nav>{lede}</body></html>"),
        default_id="x",
        max_text_chars=10**6,
    )
    assert doc.text == "Talks resume\nThe minister said talks resumed."
