"""The curated glossary shipped in ``readctx/data/glossary.json``, and a fast many-phrase matcher.

The file is read once per process (``load_curated`` is cached). Lookup runs on every request, so phrases
are indexed by their first word: one pass over the text's words with a dict lookup each, then a direct
string comparison for the few phrases that start with that word — linear in the text, whatever the
size of the glossary.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Generic, TypeVar

from .types import ENTITY_KINDS

CURATED_KINDS = frozenset(ENTITY_KINDS)
_WORD = re.compile(r"[^\W_]+")

def _word_set(words: str) -> frozenset[str]:
    """A set from a whitespace-separated word list (long lists stay readable)."""
    return frozenset(words.split())


# All-caps strings that are ordinary words in headlines and shouted text; never matched as terms.
AMBIGUOUS_CAPS = _word_set("A I AM AN AND ARE AS AT BE BY CAN DO FOR GO HE IF IN IS IT ME MY NO OF OK ON "
                           "ONE OR SO THE TO UP WE ALL MAY NOW NEW OUR OUT")
# Capitalised single words that are common English words at a sentence start ("Patriot", "Shield").
COMMON_WORDS = _word_set(
    """a about after all also an and any are as at back be because been before being both but by can
    could day did do does each even first for from get good great had has have he her here his how i if
    in into is it its just last like long made make many may me more most much must my new no not now of
    off on one only or other our out over said same see she should since so some still such take than that
    the their them then there these they this those through time to two under up us very was way we well
    were what when where which while who will with would year you your patriot shield hawk eagle harrier
    hornet javelin stinger tiger leopard""")

ValueT = TypeVar("ValueT")


@dataclass(frozen=True)
class CuratedTerm:
    term: str
    kind: str
    expansion: str | None = None
    aliases: tuple[str, ...] = ()
    description: str | None = None

    @property
    def surfaces(self) -> tuple[str, ...]:
        """Every way the text may name the term: the term, its aliases, and its expansion."""
        forms = (self.term, *self.aliases, *((self.expansion,) if self.expansion else ()))
        return tuple(dict.fromkeys(f for f in forms if f))


@dataclass(frozen=True)
class PhraseHit(Generic[ValueT]):
    start: int
    end: int
    phrase: str
    value: ValueT


def is_all_caps(phrase: str) -> bool:
    letters = [c for c in phrase if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


class PhraseMatcher(Generic[ValueT]):
    """Finds many phrases at once, leftmost-longest, at word boundaries.

    A phrase with a capital letter matches case-sensitively ("IED", "Hezbollah"); an all-lower-case one
    ("improvised explosive device") matches in any case.
    """

    def __init__(self, phrases: Iterable[tuple[str, ValueT]] = ()) -> None:
        self._by_first_word: dict[str, list[tuple[str, bool, ValueT]]] = {}
        self._first_words: re.Pattern[str] | None = None
        for phrase, value in phrases:
            self.add(phrase, value)

    def add(self, phrase: str, value: ValueT) -> None:
        phrase = " ".join(phrase.split())
        first = _WORD.match(phrase)
        if first is None:  # must start with a word character, so a hit starts at a word start
            return
        case_sensitive = phrase != phrase.lower()
        bucket = self._by_first_word.setdefault(first.group().lower(), [])
        if any(p == phrase for p, _, _ in bucket):
            return
        bucket.append((phrase, case_sensitive, value))
        bucket.sort(key=lambda entry: -len(entry[0]))
        self._first_words = None

    def __bool__(self) -> bool:
        return bool(self._by_first_word)

    def find(self, text: str) -> list[PhraseHit[ValueT]]:
        hits: list[PhraseHit[ValueT]] = []
        if not self._by_first_word:
            return hits
        if self._first_words is None:
            # One regex over the distinct first words lets the C scanner skip every other word.
            words = sorted(self._by_first_word, key=len, reverse=True)
            self._first_words = re.compile(
                r"(?<![^\W_])(?:" + "|".join(map(re.escape, words)) + r")(?![^\W_])", re.IGNORECASE
            )
        covered_until = 0
        index = self._by_first_word
        for word in self._first_words.finditer(text):
            start = word.start()
            if start < covered_until:
                continue
            bucket = index.get(word.group().lower())
            if bucket is None:
                continue
            for phrase, case_sensitive, value in bucket:
                end = start + len(phrase)
                found = text[start:end]
                if (found == phrase if case_sensitive else found.lower() == phrase.lower()) and (
                    end == len(text) or not text[end].isalnum() or not phrase[-1].isalnum()
                ):
                    hits.append(PhraseHit(start, end, found, value))
                    covered_until = end
                    break
        return hits


class CuratedGlossary:
    """Curated terms, indexed for lookup by any of their surface forms."""

    def __init__(self, terms: Sequence[CuratedTerm]) -> None:
        self.terms = list(terms)
        self.matcher: PhraseMatcher[CuratedTerm] = PhraseMatcher()
        self._by_surface: dict[str, CuratedTerm] = {}
        for term in self.terms:
            for surface in term.surfaces:
                if _is_matchable(surface):
                    self.matcher.add(surface, term)
                self._by_surface.setdefault(surface.casefold(), term)

    def lookup(self, surface: str) -> CuratedTerm | None:
        return self._by_surface.get(" ".join(surface.split()).casefold())


def _is_matchable(surface: str) -> bool:
    """Whether a surface is specific enough to look for in any article without false hits."""
    if len(surface) < 2 or surface in AMBIGUOUS_CAPS:
        return False
    words = surface.split()
    # A single ordinary word ("Patriot", "shield") would hit far more often than it means the term.
    return not (len(words) == 1 and not is_all_caps(surface) and surface.lower() in COMMON_WORDS)


def parse_curated(data: object) -> list[CuratedTerm]:
    """Terms from the glossary JSON; malformed entries are skipped rather than failing every request."""
    entries = data.get("entries", []) if isinstance(data, dict) else []
    terms: list[CuratedTerm] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("term"), str) or not entry["term"].strip():
            continue
        kind = entry.get("kind")
        aliases = entry.get("aliases") or []
        expansion = entry.get("expansion")
        description = entry.get("description")
        terms.append(
            CuratedTerm(
                term=entry["term"].strip(),
                kind=kind if kind in CURATED_KINDS else "TERM",
                expansion=expansion.strip() if isinstance(expansion, str) and expansion.strip() else None,
                aliases=tuple(a.strip() for a in aliases if isinstance(a, str) and a.strip()),
                description=description if isinstance(description, str) and description else None,
            )
        )
    return terms


@functools.cache
def load_curated() -> CuratedGlossary:
    """The shipped glossary, read and indexed once per process; empty when the file is absent."""
    try:
        raw = (resources.files("readctx") / "data" / "glossary.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return CuratedGlossary([])
    return CuratedGlossary(parse_curated(json.loads(raw)))
