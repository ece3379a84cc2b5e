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

from .names import DEMONYM, word_set
from .types import ENTITY_KINDS

CURATED_KINDS = frozenset(ENTITY_KINDS)
_WORD = re.compile(r"[^\W_]+")


# All-caps strings that are ordinary words in headlines and shouted text; never matched as terms.
AMBIGUOUS_CAPS = word_set(
    "A I AM AN AND ARE AS AT BE BY CAN DO FOR GO HE IF IN IS IT ME MY NO OF OK ON "
    "ONE OR SO THE TO UP WE ALL MAY NOW NEW OUR OUT"
)
# Single words that are also ordinary English ("Patriot", "Troubles", "Quad"): as a curated term only when
# capitalised mid-sentence, where the capital says it is a name.
COMMON_WORDS = word_set(
    """a about after all also an and any are as at back be because been before being both but by can
    could day did do does each even first for from get good great had has have he her here his how i if
    in into is it its just last like long made make many may me more most much must my new no not now of
    off on one only or other our out over said same see she should since so some still such take than that
    the their them then there these they this those through time to two under up us very was way we well
    were what when where which while who will with would year you your patriot shield hawk eagle harrier
    hornet javelin stinger tiger leopard troubles quad fano buk wagner"""
)

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

    def gloss(self, phrase: str) -> str:
        """One line for a hit: "IED: improvised explosive device (readctx glossary)"."""
        if phrase == self.term:
            gloss = self.expansion or first_sentence(self.description) or self.kind.lower()
        else:  # an alias or the expansion: name the term, and say what it is if the phrase does not
            expansion = self.expansion if self.expansion != phrase else None
            extra = expansion or first_sentence(self.description)
            gloss = f"{self.term}, {extra}" if extra else self.term
        return f"{phrase}: {gloss} (readctx glossary)"


@dataclass(frozen=True)
class PhraseHit(Generic[ValueT]):
    start: int
    end: int
    phrase: str
    value: ValueT


def is_all_caps(phrase: str) -> bool:
    letters = [c for c in phrase if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def looks_like_acronym(term: str) -> bool:
    """ "IED", "OPEC+", "AfD" — not "SpaceX" or "Shahed-136"."""
    letters = [c for c in term if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return " " not in term and upper >= 2 and upper * 2 >= len(letters)


def first_sentence(description: str | None, limit: int = 80) -> str:
    first = re.split(r"(?<=[.!?])\s", description or "", maxsplit=1)[0].rstrip(".")
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def in_shouted_text(text: str, start: int, end: int) -> bool:
    """An all-caps term inside an all-caps headline ("WHO SAID WHAT") is not evidence of the term."""
    before = re.findall(r"[^\W\d_]+", text[max(0, start - 30) : start])[-2:]
    after = re.findall(r"[^\W\d_]+", text[end : end + 30])[:2]
    neighbours = before + after
    return len(neighbours) >= 2 and all(w.isupper() and len(w) > 1 for w in neighbours)


def at_sentence_start(text: str, position: int) -> bool:
    before = text[max(0, position - 3) : position].rstrip(" \"'“‘([")
    return not before or before[-1] in ".!?\n:"


class PhraseMatcher(Generic[ValueT]):
    """Finds many phrases at once, leftmost-longest, at word boundaries.

    A phrase with a capital letter matches case-sensitively ("IED", "Hezbollah"); an all-lower-case one
    ("improvised explosive device") matches in any case.
    """

    def __init__(self, phrases: Iterable[tuple[str, ValueT]] = ()) -> None:
        self._by_first_word: dict[str, list[tuple[str, bool, ValueT]]] = {}
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

    def __bool__(self) -> bool:
        return bool(self._by_first_word)

    def find(self, text: str) -> list[PhraseHit[ValueT]]:
        hits: list[PhraseHit[ValueT]] = []
        if not self._by_first_word:
            return hits
        covered_until = 0
        index = self._by_first_word
        # A dict lookup per word: a regex alternation of ~1,000 first words is ten times slower in sre.
        for word in _WORD.finditer(text):
            start = word.start()
            if start < covered_until:
                continue
            lowered = word.group().lower()
            bucket = index.get(lowered)
            if bucket is None and lowered.endswith("s"):
                bucket = index.get(lowered[:-1])  # "IEDs": a one-word phrase in the plural
            if bucket is None:
                continue
            for phrase, case_sensitive, value in bucket:
                end = start + len(phrase)
                found = text[start:end]
                if not (found == phrase if case_sensitive else found.lower() == phrase.lower()):
                    continue
                if _plural_follows(text, end, phrase):
                    end += 1  # "IEDs", "TOW missiles"
                    found = text[start:end]
                if end == len(text) or not text[end].isalnum() or not phrase[-1].isalnum():
                    hits.append(PhraseHit(start, end, found, value))
                    covered_until = end
                    break
        return hits


def _plural_follows(text: str, end: int, phrase: str) -> bool:
    """An "s" after the phrase that makes it plural ("IEDs", "TOW missiles")."""
    if text[end : end + 1] != "s" or (end + 1 < len(text) and text[end + 1].isalnum()):
        return False
    return _can_be_plural(phrase + "s")


def _can_be_plural(form: str) -> bool:
    """Whether a final "s" may be a plural: after an acronym ("IEDs", "T-72s") or in several words ending in a
    common noun ("TOW missiles"). Not one capitalised word: "Patriots" is the team, "Hamas" is not "Hama"s."""
    singular = form[:-1]
    return is_all_caps(singular) or singular[-1:].isdigit() or (" " in singular and singular[-1].islower())


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

    def find(self, text: str) -> list[PhraseHit[CuratedTerm]]:
        """Curated terms in ``text``, without the hits that are likely something else."""
        return [
            hit
            for hit in self.matcher.find(text)
            if not (is_all_caps(hit.phrase) and in_shouted_text(text, hit.start, hit.end))
            # "Patriot batteries ..." may be the missile; "Troubles mount ..." is not the Troubles.
            and not (hit.phrase.lower() in COMMON_WORDS and at_sentence_start(text, hit.start))
        ]


def _is_matchable(surface: str) -> bool:
    """Whether a surface is specific enough to look for in any article without false hits."""
    if len(surface) < 2 or surface in AMBIGUOUS_CAPS:
        return False
    # A lower-case ordinary word ("shield") would hit far more often than it means the term.
    return surface not in COMMON_WORDS


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


@functools.cache
def _known_kinds() -> dict[str, str]:
    try:
        raw = (resources.files("readctx") / "data" / "known_kinds.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return {}
    data = json.loads(raw)
    return {" ".join(name.split()).casefold(): kind for kind in ENTITY_KINDS for name in data.get(kind, ())}


def known_kind(name: str) -> str | None:
    """The kind of a place or news outlet a tagger may mistype ("Kiev" typed as a person), from the shipped
    list (``data/known_kinds.json``); None for any other name."""
    return _known_kinds().get(" ".join(name.split()).casefold())


def lookup_forms(surface: str) -> list[str]:
    """A span's own form, then the term inside it: the name before lower-case nouns ("T-72 tanks" → "T-72",
    "BMP-2 infantry fighting vehicles" → "BMP-2", "Hezbollah fighters" → "Hezbollah"), without a nationality
    ("Russian Su-34 bombers" → "Su-34"), a plural's singular ("IEDs" → "IED", "TOW missiles" → "TOW missile"),
    a people's name in the plural ("Houthi" → "Houthis") and a variant's family ("BMP-2" → "BMP")."""
    forms = [surface]
    words = surface.split()
    while len(words) > 1 and words[-1][:1].islower():
        words = words[:-1]
        forms.append(" ".join(words))
    if len(words) > 1 and DEMONYM.fullmatch(words[0]):
        forms.append(" ".join(words[1:]))
    for form in list(forms):
        if len(form) > 3 and form.endswith("s") and _can_be_plural(form):
            forms.append(form[:-1])
        if " " not in form and not form.endswith("s") and form[:1].isupper():
            forms.append(form + "s")  # "Houthi rebels" → "Houthis"
        family = _MODEL_VARIANT.fullmatch(form)
        if family:  # "BMP-2" → the "BMP" family
            forms.append(family.group(1))
    return forms


_MODEL_VARIANT = re.compile(r"([A-Z]{2,})-\d+[A-Z]?")
