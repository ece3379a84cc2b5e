"""Names by shape, for the glossary when the transformer is unavailable (the rule fallback)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .curated import COMMON_WORDS
from .entities import guess_kind
from .names import CONNECTORS, DATE_WORDS, POSSESSIVE, TITLE, TITLES
from .types import EntitySpan, Sentence

CONFIDENCE_RULE_NAME = 0.45
CONFIDENCE_RULE_TITLE = 0.6

# Words are taken whole (possessive) and a run starts only at a word start (lookbehind): retried from every
# letter of a long word, the run search was quadratic ("A" * 20000 took seconds).
_NAME_WORD = r"(?:(?:al-|el-|bin |ibn |de |van |von )?[A-ZÀ-ÖØ-Þ][\w'’-]++|[A-Z]\.)"
_TITLED_NAME = re.compile(rf"\b(?P<title>{TITLES})\s+(?P<name>{_NAME_WORD}(?:[ ]{_NAME_WORD}){{0,2}})")
# No "and" between names: "Qatar and Egypt" is two names far more often than one ("Bosnia and Herzegovina").
_NAME_RUN = re.compile(rf"(?<![\w'’-]){_NAME_WORD}(?:(?:[ ](?:of|the|for|de|al|bin))*[ ]{_NAME_WORD})+")


def rule_entities(text: str, sentences: Sequence[Sentence]) -> list[EntitySpan]:
    """Names by shape, for when the model is unavailable: "President Joe Biden", "Ali Khamenei"."""
    sentence_starts = {s.start for s in sentences}
    found: list[EntitySpan] = []
    taken: list[tuple[int, int]] = []
    for match in _TITLED_NAME.finditer(text):
        start, end = _trim_name(text, match.start("name"), match.end("name"))
        if end > start:
            title = match.group("title")
            found.append(
                EntitySpan(
                    start,
                    end,
                    "PERSON",
                    CONFIDENCE_RULE_TITLE,
                    "rules",
                    f"name after the title '{title}' (rule fallback, no model)",
                )
            )
            taken.append((match.start(), end))
    for match in _NAME_RUN.finditer(text):
        start, end = _trim_name(text, match.start(), match.end(), sentence_starts)
        words = text[start:end].split()
        if len(words) < 2 or any(s < end and start < e for s, e in taken) or text[start:end].isupper():
            continue
        kind = guess_kind(text[start:end])
        if kind == "ORG" and not any(w.lower() in CONNECTORS for w in words) and len(words) <= 3:
            kind = "OTHER"  # two or three bare capitalised words: a person as often as anything else
        found.append(
            EntitySpan(
                start,
                end,
                kind,
                CONFIDENCE_RULE_NAME,
                "rules",
                f"capitalised name, {kind.lower()} guessed by rule (no model)",
            )
        )
    found.sort(key=lambda s: s.start)
    return found


def _trim_name(text: str, start: int, end: int, sentence_starts: set[int] | None = None) -> tuple[int, int]:
    """Without a sentence-initial common word, dates, titles or a trailing possessive."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[start:end])]
    spans = [(start + s, start + e) for s, e in words]

    def droppable(i: int) -> bool:
        word = text[spans[i][0] : spans[i][1]].rstrip(".")
        lowered = word.lower()
        is_title = any(TITLE.fullmatch(form) for form in (word, word + "."))  # "Gen." and "President"
        if is_title or lowered in DATE_WORDS or lowered in CONNECTORS:
            return True
        return (
            sentence_starts is not None
            and lowered in COMMON_WORDS
            and _starts_sentence(text, spans[i][0], sentence_starts)
        )

    while spans and droppable(0):
        spans.pop(0)
    while spans and droppable(len(spans) - 1):
        spans.pop()
    if not spans:
        return start, start
    name_end = spans[-1][1]
    if POSSESSIVE.search(text[spans[-1][0] : name_end]) and name_end - spans[-1][0] > 2:
        name_end -= 2
    return spans[0][0], name_end


def _starts_sentence(text: str, position: int, sentence_starts: set[int]) -> bool:
    # A sentence may open with quotes or brackets before the first word.
    while position > 0 and text[position - 1] in "\"'“‘([":
        position -= 1
    return position in sentence_starts or position == 0
