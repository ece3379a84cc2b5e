"""W3C selectors: the quote context on every annotation, and the Web Annotation (JSON-LD) rendering.

Clients re-anchor the way hypothesis/client does: TextPositionSelector first, verified against the
TextQuoteSelector's ``exact``, then a fuzzy search for the quote using ``prefix``/``suffix``. 32 code points of
context is what hypothesis sends and is enough to disambiguate repeated quotes in a news article.
"""

from __future__ import annotations

from typing import Any

from .types import Annotation, DocumentResult

CONTEXT_CHARS = 32


def quote_context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, str]:
    """(prefix, suffix): up to ``width`` code points either side of ``text[start:end]``."""
    return text[max(0, start - width) : start], text[end : end + width]


def fill_selectors(text: str, annotations: list[Annotation]) -> None:
    for annotation in annotations:
        annotation.prefix, annotation.suffix = quote_context(text, annotation.start, annotation.end)


def text_selectors(start: int, end: int, exact: str, prefix: str, suffix: str) -> list[dict[str, Any]]:
    return [
        {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def to_w3c(result: DocumentResult) -> dict[str, Any]:
    """The document's annotations as a W3C Web Annotation ``AnnotationCollection``."""
    doc = result.doc
    source = doc.metadata.url or f"urn:sha256:{doc.text_sha256}"
    items = []
    for annotation in doc.annotations:
        body: list[dict[str, Any]] = [
            {"type": "TextualBody", "purpose": "tagging", "value": f"{annotation.type}:{annotation.label}"},
            {"type": "TextualBody", "purpose": "commenting", "value": annotation.explanation},
        ]
        item: dict[str, Any] = {
            "type": "Annotation",
            "id": f"urn:readctx:{doc.text_sha256[:16]}:{annotation.id}",
            "motivation": "tagging" if annotation.type == "glossary" else "assessing",
            "body": body,
            "target": {
                "source": source,
                "selector": text_selectors(
                    annotation.start, annotation.end, annotation.exact, annotation.prefix, annotation.suffix
                ),
            },
            "readctx:annotation": annotation.to_json(),
        }
        items.append(item)
    return {
        "@context": [
            "http://www.w3.org/ns/anno.jsonld",
            {"readctx": "urn:readctx:vocab#"},
        ],
        "type": "AnnotationCollection",
        "id": f"urn:readctx:{doc.text_sha256[:16]}",
        "label": f"readctx annotations for {doc.id}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "items": items},
        # The rest of the Document (syndication verdict, glossary, errors), without repeating the annotations.
        "readctx:document": {k: v for k, v in result.to_json().items() if k != "annotations"},
    }
