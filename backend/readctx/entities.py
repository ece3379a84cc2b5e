"""Entity spans for the glossary: from the transformer's entity tags, or a rule fallback when the model is off."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .curated import COMMON_WORDS, at_sentence_start
from .names import CONNECTORS, word_set
from .sources import is_vague_group
from .types import Sentence, TaggedSpan

CONFIDENCE_RULE_NAME = 0.45
CONFIDENCE_RULE_TITLE = 0.6


_KIND_HINTS: dict[str, frozenset[str]] = {
    "EQUIPMENT": word_set(
        """vehicle vehicles device devices missile missiles rocket rockets launcher launchers drone drones
        aircraft helicopter helicopters tank tanks weapon weapons system systems carrier gun"""
    ),
    "GROUP": word_set("front movement brigade brigades militia militias battalion battalions faction"),
    "PLACE": word_set(
        """city province region district river sea island islands mountains valley strait gulf strip
        republic kingdom county governorate"""
    ),
    "ORG": word_set(
        """agency organization organisation council fund programme program commission committee ministry
        department bank party union court office institute institution association service services
        company corporation authority board bureau centre center university college federation foundation
        network alliance assembly coalition league society parliament government administration police
        forces army navy corps guard guards"""
    ),
}
# Not "General" ("General Assembly", "General Motors"); "Gen." is unambiguous.
_TITLES = (
    r"President|Vice President|Prime Minister|Deputy Prime Minister|Foreign Minister|Defen[cs]e Minister|"
    r"Minister|Secretary|Chancellor|Senator|Governor|Gen\.|Sen\.|Rep\.|Gov\.|Lt\.|Col\.|Maj\.|"
    r"Adm\.|Sgt\.|Capt\.|Mr\.|Mrs\.|Ms\.|Dr\.|Mr|Mrs|Ms|Dr|King|Queen|Prince|Pope|Judge|Ayatollah|Sheikh"
)
_TITLE = re.compile(_TITLES)
# Words are taken whole (possessive) and a run starts only at a word start (lookbehind): retried from every
# letter of a long word, the run search was quadratic ("A" * 20000 took seconds).
_NAME_WORD = r"(?:(?:al-|el-|bin |ibn |de |van |von )?[A-ZÀ-ÖØ-Þ][\w'’-]++|[A-Z]\.)"
_TITLED_NAME = re.compile(rf"\b(?P<title>{_TITLES})\s+(?P<name>{_NAME_WORD}(?:[ ]{_NAME_WORD}){{0,2}})")
# No "and" between names: "Qatar and Egypt" is two names far more often than one ("Bosnia and Herzegovina").
_NAME_RUN = re.compile(rf"(?<![\w'’-]){_NAME_WORD}(?:(?:[ ](?:of|the|for|de|al|bin))*[ ]{_NAME_WORD})+")
_DATE_WORDS = word_set(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december"""
)
_POSSESSIVE = re.compile(r"['’]s$")
_ARTICLE = re.compile(r"[Tt]he\s+(?=\S)")  # used with .match: only at the start


@dataclass(frozen=True)
class EntitySpan:
    """A name found by the model or by the rule fallback, with its kind."""

    start: int
    end: int
    kind: str
    confidence: float
    annotator: str  # "model" | "rules"
    explanation: str


def bare_name(surface: str) -> str:
    """A name without the "the" or possessive that a tagger's span may include: "the IAEA's" -> "IAEA"."""
    name = " ".join(surface.split())
    article = _ARTICLE.match(name)
    return _POSSESSIVE.sub("", name[article.end() :] if article else name)


def normalise(surface: str) -> str:
    """The key one concept shares across its spellings."""
    return bare_name(surface).casefold()


_ARMED_GROUP_HEADS = word_set("brigade brigades militia militias battalion battalions")


def _head_word(name: str) -> str:
    """The name's last word that is not a connector, lower-cased ("" for none): "Agency" of "... Agency"."""
    words = [w for w in re.findall(r"[^\W\d_]+", name) if w.lower() not in CONNECTORS]
    return words[-1].lower() if words else ""


def guess_kind(name: str) -> str:
    """A kind from the name's last word ("... Agency" is an ORG); ORG for other names, TERM for phrases."""
    last = _head_word(name)
    if not last:
        return "TERM"
    for kind, hints in _KIND_HINTS.items():
        if last in hints:
            return kind
    return "ORG" if name[:1].isupper() else "TERM"


def model_entities(text: str, tagged: Sequence[TaggedSpan]) -> list[EntitySpan]:
    """The tagger's entity spans, trimmed to the name ("the IAEA's" -> "IAEA") so that mentions line up."""
    found: list[EntitySpan] = []
    for s in tagged:
        if s.task != "entity" or s.end <= s.start:
            continue
        start, end = s.start, s.end
        article = _ARTICLE.match(text, start, end)
        if article:
            start = article.end()
        possessive = _POSSESSIVE.search(text, start, end)
        if possessive and possessive.start() > start:
            end = possessive.start()
        if not looks_like_a_name(text, start, end):
            continue
        kind = s.label
        explanation = f"{s.label.lower()} named by the tagger"
        # The tagger never learned GROUP (re3d has no such type): an organisation whose head word can only
        # be an armed group's ("the Wagner militia", "Al-Quds Brigades") is one. Not "Front" or "Movement":
        # "National Front" and "Five Star Movement" are parties.
        if kind == "ORG" and _head_word(text[start:end]) in _ARMED_GROUP_HEADS:
            kind = "GROUP"
            explanation = "armed group: an organisation named by the tagger, by its head word"
        found.append(EntitySpan(start, end, kind, s.confidence, "model", explanation))
    return found


MAX_NAME_WORDS = 6
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:an|ese|ish|i|ic)")
_NOT_NAME_WORDS = word_set(
    """he she it we they i you his her its our their this that these those who which one two three other others
    neither no some many several both all each every any most few the a an"""
)


def looks_like_a_name(text: str, start: int, end: int) -> bool:
    """A glossary entry is a name, not any noun phrase the tagger marks.

    re3d, which the tagger learned entities from, also tags pronouns and common nouns ("the plant", "he",
    "two officials"); a reader's glossary wants the capitalised names. A capital that is only there because
    the word opens a sentence ("Residents said") does not count when the word appears in lower case elsewhere.
    """
    words = text[start:end].split()
    if not words or len(words) > MAX_NAME_WORDS or is_vague_group(text[start:end]):
        return False
    capitalised = [
        (index, word)
        for index, word in enumerate(words)
        if word[0].isupper()
        and word.lower().strip(",.'’") not in _NOT_NAME_WORDS
        # "European diplomat": a nationality adjective before a common noun is not a name.
        and not (_DEMONYM.fullmatch(word) and index + 1 < len(words) and words[index + 1][0].islower())
    ]
    if not capitalised:
        return False
    if len(capitalised) == 1 and capitalised[0][0] == 0 and at_sentence_start(text, start):
        lowered = re.escape(words[0].lower())
        return re.search(rf"(?<![\w-]){lowered}(?![\w-])", text) is None
    return True


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
        is_title = any(_TITLE.fullmatch(form) for form in (word, word + "."))  # "Gen." and "President"
        if is_title or lowered in _DATE_WORDS or lowered in CONNECTORS:
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
    if _POSSESSIVE.search(text[spans[-1][0] : name_end]) and name_end - spans[-1][0] > 2:
        name_end -= 2
    return spans[0][0], name_end


def _starts_sentence(text: str, position: int, sentence_starts: set[int]) -> bool:
    # A sentence may open with quotes or brackets before the first word.
    while position > 0 and text[position - 1] in "\"'“‘([":
        position -= 1
    return position in sentence_starts or position == 0
