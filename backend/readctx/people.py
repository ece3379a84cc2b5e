"""People in entity spans: a first name the tagger cut short, and the lone words that name a person already met.

The tagger marks "Mehmet" of "Mehmet Oz" or types "Stumpf" of "John Stumpf" as a place; these helpers let the
glossary keep one entry per person without a list of names.
"""

from __future__ import annotations

import re

from .curated import COMMON_WORDS, known_kind
from .names import DATE_WORDS, DEMONYM, KIND_HEAD_WORDS, TITLE, word_set
from .types import EntitySpan

_TITLE_CASE_GOES_ON = re.compile(r" [A-Z]")
# The word after a first name, and its possessive: "Oz" of "Mehmet Oz —", "Marley" of "Bob Marley’s".
_NEXT_WORD = re.compile(r" ([A-Z][a-z][\w]*)(?:['’]s)?(?![\w'’-])")


def complete_person_names(text: str, spans: list[EntitySpan]) -> list[EntitySpan]:
    """Widen a one-word person the tagger cut short ("Mehmet" of "Mehmet Oz", "Hillary" of "Hillary Clinton")
    over the next word, when that word can be a surname and is untagged or tagged as that word alone."""
    ordered = sorted(spans, key=lambda span: (span.start, span.end))
    surname_ends: dict[int, int] = {}  # index of a cut first name -> end of its surname
    for index, span in enumerate(ordered):
        following = _NEXT_WORD.match(text, span.end) if _can_be_first_name(text[span.start : span.end], span) else None
        if following is None or not _can_be_surname(following[1]) or _TITLE_CASE_GOES_ON.match(text, following.end()):
            continue  # "Pence Gives GOP A Boost": a headline's capitals, not a surname
        after = ordered[index + 1] if index + 1 < len(ordered) else None
        # The surname may be tagged alone ("Clinton" typed as an organisation), not begin another name
        # ("Republican Donald Trump").
        if after is None or after.start >= following.end() or (after.start, after.end) == following.span(1):
            surname_ends[index] = following.end(1)
    # A surname of a person in the text is no first name: "Clinton Plan" beside "Hillary Clinton".
    names = [text[s.start : surname_ends.get(i, s.end)].split() for i, s in enumerate(ordered) if s.kind == "PERSON"]
    surnames = {words[-1] for words in names if len(words) > 1}
    completed: list[EntitySpan] = []
    for index, span in enumerate(ordered):
        end = surname_ends.get(index)
        if end is not None and text[span.start : span.end] in surnames:
            end = None
        if end is not None:
            explanation = f"{span.explanation}; the surname after the first name added"
            completed.append(EntitySpan(span.start, end, "PERSON", span.confidence, span.annotator, explanation))
        elif not (completed and completed[-1].end >= span.end):  # not the surname just taken in
            completed.append(span)
    return completed


def _can_be_first_name(surface: str, span: EntitySpan) -> bool:
    return (
        span.kind == "PERSON"
        and re.fullmatch(r"[A-Z][a-z]+", surface) is not None
        and not DEMONYM.fullmatch(surface)
        and not TITLE.fullmatch(surface)
        and surface.lower() not in COMMON_WORDS
        and known_kind(surface) is None
    )


def _can_be_surname(word: str) -> bool:
    lowered = word.lower()
    return (
        lowered not in KIND_HEAD_WORDS
        and lowered not in COMMON_WORDS
        and lowered not in DATE_WORDS
        and not TITLE.fullmatch(word)
        and known_kind(word) is None
    )


# Words of a role, not of a name: "Charlotte Mayor Jennifer Roberts" is no plain name for "Charlotte" to join.
_NOT_PLAIN_NAME_WORDS = COMMON_WORDS | word_set(
    """mayor director executive chief attorney general speaker justice chairman chairwoman secretary spokesman
    spokeswoman commissioner governor minister president senator representative judge ambassador editor"""
)


def personal_name_word(word: str) -> bool:
    """A word of a name that lone words may join: capitalised, no common word ("Many Democrats" is none) and no
    role ("Mayor")."""
    return re.fullmatch(r"[A-Z][\w'’.-]*", word) is not None and word.lower() not in _NOT_PLAIN_NAME_WORDS


def one_person(
    name: str,
    kind: str,
    people_by_word: dict[str, list[str]],
    plain_names: set[str],
    *,
    first_name: bool = False,
    mostly_organisation: bool = False,
) -> str | None:
    """The person a lone name word belongs to: "Biden" of "Joe Biden", also where the tagger typed it a place or
    organisation ("Stumpf", "Clinton"), but not a known place or outlet ("Jordan"), nor a word the tagger calls
    an organisation more often than a person ("Ford" beside "Bill Ford"). Only a plain name (no title, no
    lower-case word) takes in a word of another kind; a first name ("Hillary") must be typed a person. A surname
    two people share goes to the one the text introduced first ("Cruz" to "Ted Cruz", not to his father
    "Rafael Cruz"); a shared first name or a word of another kind goes to no one."""
    owners = people_by_word.get(name, [])
    if " " in name or not owners or kind not in ("PERSON", "ORG", "PLACE") or (first_name and kind != "PERSON"):
        return None
    if kind == "ORG" and mostly_organisation:
        return None
    if len(owners) > 1 and (first_name or kind != "PERSON"):
        return None
    owner = owners[0]
    if (first_name or kind != "PERSON") and (owner not in plain_names or known_kind(name) is not None):
        return None
    return owner
