"""People in entity spans: a first name the tagger cut short, and the lone words that name a person already met.

The tagger marks "Mehmet" of "Mehmet Oz" or types "Stumpf" of "John Stumpf" as a place; these helpers let the
glossary keep one entry per person without a list of names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

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
    """mayor director executive chief chair attorney general speaker justice chairman chairwoman secretary
    spokesman spokeswoman commissioner governor minister president senator representative judge ambassador editor"""
)


def plain_name(name: str) -> bool:
    """Two or more capitalised words, none common or a role: "Hillary Clinton", not "Many Democrats" or "Fed
    Chair Jerome Powell"."""
    words = name.split()
    return len(words) > 1 and all(
        re.fullmatch(r"[A-Z][\w'’.-]*", word) is not None and word.lower() not in _NOT_PLAIN_NAME_WORDS
        for word in words
    )


class PeopleIndex:
    """The people a text names in full, so that a lone name word can find its person.

    Built from ``(surface, name, key, kind)`` of every entity span in text order, where ``name`` is the surface
    without titles (``entities.person_name``) and ``key`` its normalised form.
    """

    def __init__(self, spans: Iterable[tuple[str, str, str, str]]) -> None:
        self._by_surname: dict[str, list[str]] = {}  # word -> keys of the people it may name, in text order
        self._by_first_name: dict[str, list[str]] = {}
        self._plain: set[str] = set()  # only these take in a first name, or a word the tagger typed otherwise
        self._titles: dict[str, set[str]] = {}  # key -> words used with the name ("texas", "governor")
        self._lone_kinds: Counter[tuple[str, str]] = Counter()
        organisations: dict[str, str] = {}  # key -> first word: "Ford" of "Ford Motor Co"
        for surface, name, key, kind in spans:
            words = name.split()
            if len(words) == 1:
                self._lone_kinds[name, kind] += 1
            elif kind == "ORG":
                organisations[key] = words[0]
            elif kind == "PERSON":
                for word, people in ((words[-1], self._by_surname), (words[0], self._by_first_name)):
                    if key not in people.setdefault(word, []):
                        people[word].append(key)
                if plain_name(name):
                    self._plain.add(key)
                self._titles.setdefault(key, set()).update(_title_words(surface, name))
        # A person's own name typed as an organisation somewhere ("Hillary Clinton" ORG) names no organisation.
        self._organisation_words = {word for key, word in organisations.items() if key not in self._titles}

    def owner(self, surface: str, name: str, kind: str) -> str | None:
        """The key of the person a lone word names: "Biden" of "Joe Biden", also where the tagger typed it a
        place or organisation ("Stumpf", "Clinton"); not a known place or outlet ("Jordan"), nor a word naming an
        organisation here ("Ford" beside "Ford Motor Co", or typed an organisation more than once and more often
        than a person). A first name ("Hillary") joins only as a person, and only a plain name. A surname two
        people share goes to the one whose title it carries ("Governor Bush" to "Texas Governor George W. Bush"),
        else to no one: a wrong merge misleads, a separate "Cruz" entry does not."""
        if " " in name or kind not in ("PERSON", "ORG", "PLACE"):
            return None
        if name in self._organisation_words and self._lone_kinds[name, "PERSON"] < 2:
            return None  # "Ford" once beside "Ford Motor Co"; not "Trump", a person 34 times beside "Trump Foundation"
        if kind == "ORG" and self._lone_kinds[name, "ORG"] > max(1, self._lone_kinds[name, "PERSON"]):
            return None
        surname = self._owner(surface, name, self._by_surname.get(name, []), strict=kind != "PERSON")
        if surname is not None or kind != "PERSON":
            return surname
        return self._owner(surface, name, self._by_first_name.get(name, []), strict=True)

    def _owner(self, surface: str, name: str, owners: list[str], *, strict: bool) -> str | None:
        if not owners or (strict and (len(owners) > 1 or owners[0] not in self._plain or known_kind(name))):
            return None
        if len(owners) == 1:
            return owners[0]
        titles = _title_words(surface, name)
        titled = [key for key in owners if titles & self._titles[key]]
        return titled[0] if len(titled) == 1 else None


def _title_words(surface: str, name: str) -> set[str]:
    return {word.lower().strip(".,") for word in surface.split() if word not in name.split()} - {"the"}
