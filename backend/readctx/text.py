"""From an input document to the text every offset refers to: HTML extraction, sentences, language.

Text input is annotated exactly as given (the extension maps offsets back to the DOM, so not one code point
may move). HTML input goes through trafilatura for the main text and metadata; that text is returned to the
caller as ``Document.text``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from .errors import InputError, PayloadTooLarge
from .types import Doc, InputDocument, PageMetadata, Sentence

if TYPE_CHECKING:
    import lxml.html

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace and an
# upper-case letter, digit or opening quote — or at a blank line. Abbreviations below do not end one.
# Possessive quantifiers and the look-behind keep this linear on adversarial runs ("......", "\n \n \n").
# An emoji or other symbol may open the next sentence ("talks. 😬 Some delegations ..."), and so may
# two quote marks (the New York Times opens quotes with '': "lawyers. ''There's ...").
_SENTENCE_END = re.compile(
    r"""(?<![.!?…])[.!?…]++["'”’)\]]*+(?=\s++(?:[^\w\s"'“‘(\[]{1,8}\s++)?["'“‘(\[]{0,2}[A-Z0-9])|\n[^\S\n]*+\n"""
)
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen brig maj lt col sgt cpl pvt capt cmdr adm gov sen rep st jr sr rev pres inc ltd co
    corp no vs etc jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m""".split()
)
_LAST_WORD = re.compile(r"([\w.]+)\.$")
_ABBREVIATION_REACH = 40  # code points: longer than any abbreviation, so the check stays constant-time


def split_sentences(text: str) -> list[Sentence]:
    """Sentence spans covering the text's non-blank stretches, without leading/trailing whitespace."""
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group().strip() and _ends_with_abbreviation(text[max(start, end - _ABBREVIATION_REACH) : end]):
            continue
        _append_trimmed(sentences, text, start, end)
        start = end
    _append_trimmed(sentences, text, start, len(text))
    return sentences


def _ends_with_abbreviation(chunk: str) -> bool:
    found = _LAST_WORD.search(chunk.rstrip("\"'”’)]"))
    if not found:
        return False
    word = found.group(1).lower()
    # Single capital initials ("J. Smith") are not sentence ends either.
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed past leading and trailing whitespace (what ``str.strip`` does, as offsets)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


QUOTE_MARKS = "\"'“”‘’"
# A wire dateline opening the sentence ("VIENNA (Reuters) - ") is a credit, not part of the claim.
# Also "NAIROBI, Kenya (AP) — " and "WASHINGTON — " (a dash, not a hyphen: "US - China talks" is no dateline).
_DATELINE_PREFIX = re.compile(
    r"[A-Z]{2}[A-Z .'’-]*(?:,[ \t]*[A-Z][\w.'’ -]{0,30}?)?[ \t]*(?:\([^)\n]{1,40}\)[ \t]*[-–—]{1,2}|[—–]|--)[ \t]+"
)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without a leading wire dateline, surrounding whitespace, quote marks and list punctuation."""
    dateline = _DATELINE_PREFIX.match(text, start, end)
    if dateline:
        start = dateline.end()
    while start < end and (text[start].isspace() or text[start] in QUOTE_MARKS + ",:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in QUOTE_MARKS + ",.:;"):
        end -= 1
    # An opening quote mark stays when its quotation closes inside the span: '"no" twice'.
    span = text[start:end]
    if start > 0 and text[start - 1] in '"“' and (span.count('"') % 2 == 1 or span.count("”") > span.count("“")):
        start -= 1
    # A closing quote mark stays when the span opened a quotation inside: 'were "a pleasant surprise"', and
    # so does the punctuation inside it: 'a “Putin-RibbenTRUMP Pact.”'.
    while open_quote(text[start:end]):
        if text[end : end + 1] in ('"', "”"):
            end += 1
        elif text[end : end + 1] in (".", ",", "!", "?") and text[end + 1 : end + 2] in ('"', "”"):
            end += 2
        else:
            break
    return start, end


def open_quote(span: str) -> bool:
    """Whether ``span`` opens a quotation it does not close."""
    return span.count('"') % 2 == 1 or span.count("“") > span.count("”")


def _append_trimmed(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    start, end = strip_span(text, start, end)
    if end > start:
        sentences.append(Sentence(start, end))


_ENGLISH_WORDS = frozenset("the of and to in a is that for on was with said he it as at by".split())
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """ "en" when common English function words are frequent, else "und" (undetermined).

    The models are English-only; a page in another language is flagged rather than silently mis-tagged.
    """
    words = _WORD.findall(text[:20_000].lower())
    if not words:
        return "und"
    share = sum(word in _ENGLISH_WORDS for word in words) / len(words)
    return "en" if share >= 0.12 else "und"


def prepare(item: InputDocument, *, default_id: str, max_text_chars: int) -> Doc:
    """Validate one input document and build the working ``Doc`` the annotators share."""
    if item.text is None and item.html is None:
        raise InputError("a document needs 'text' or 'html'")
    from_html = item.text is None
    metadata = PageMetadata(url=item.url, title=item.title)
    if item.text is not None:
        text = item.text
    else:
        assert item.html is not None
        text, metadata = extract_html(item.html, metadata)
    if not text.strip():
        raise InputError("the document has no text" + (" (no main text found in the HTML)" if from_html else ""))
    if len(text) > max_text_chars:
        raise PayloadTooLarge(f"the text has {len(text)} characters; the limit is {max_text_chars}")
    return Doc(
        id=item.id or default_id,
        text=text,
        sentences=split_sentences(text),
        metadata=metadata,
        from_html=from_html,
        published=item.published or metadata.date,
    )


class _LinkMeta(HTMLParser):
    """The few head elements trafilatura's metadata does not return: rel=canonical and og:url."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and (values.get("rel") or "").lower() == "canonical" and values.get("href"):
            self.canonical = self.canonical or values["href"]
        if tag == "meta" and (values.get("property") or "").lower() == "og:url" and values.get("content"):
            self.canonical = self.canonical or values["content"]


# Menus are never main text, yet trafilatura's fallback returns them when a page has nothing else ("Home News").
# Headers and footers stay: an article's header holds its title, a footer its republication notice.
_MENUS = "//nav | //*[@role='navigation' or @role='menu' or @role='menubar']"
# Page chrome: if every line extracted is chrome text, the page has no main text (a gallery: "The Daily"). An
# article's own header and footer are not chrome: they hold its title, lede and notices.
_CHROME = (
    _MENUS + " | //header[not(ancestor::article)] | //footer[not(ancestor::article)] | //aside | //a"
    " | //*[@role='banner' or @role='contentinfo']"
)
_CHROME_CHECK_CHARS = 500  # a longer extraction is never all chrome; the check stays cheap on big pages


def extract_html(html: str, given: PageMetadata) -> tuple[str, PageMetadata]:
    import trafilatura

    text = (
        trafilatura.extract(
            html,  # the string, not a tree of our own: trafilatura cleans control characters as it parses
            url=given.url,
            include_comments=False,
            include_tables=False,
            deduplicate=False,
            prune_xpath=_MENUS,
        )
        or ""
    )
    if text and len(text) <= _CHROME_CHECK_CHARS and _only_page_chrome(text, html):
        text = ""
    # extensive=False: a date only from the page's markup, never guessed from body text ("Copyright 2024"
    # became 2024-01-01), because the date decides which of two copies is the original.
    meta = trafilatura.extract_metadata(html, default_url=given.url, extensive=False)
    links = _LinkMeta()
    links.feed(html)
    canonical = links.canonical or (meta.url if meta and meta.url != given.url else None)
    metadata = PageMetadata(
        url=given.url,
        canonical_url=canonical,
        site_name=(meta.sitename if meta else None) or None,
        title=given.title or (meta.title if meta else None) or None,
        author=(meta.author if meta else None) or None,
        date=(meta.date if meta else None) or None,
    )
    return text, metadata


def _parse(html: str) -> lxml.html.HtmlElement | None:
    """The page's tree, or None where lxml refuses the string (an XML declaration, an empty page)."""
    import lxml.etree
    import lxml.html

    try:
        return lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):  # an XML encoding declaration in a str; an empty document
        return None


def _only_page_chrome(text: str, html: str) -> bool:
    page = _parse(html)
    if page is None:
        return False
    chrome_texts = [" ".join(element.text_content().split()) for element in page.xpath(_CHROME)]
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return all(any(line in chrome for chrome in chrome_texts) for line in lines)
