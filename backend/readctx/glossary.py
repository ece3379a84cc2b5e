"""The glossary annotator: what the names and acronyms in an article stand for, with every mention linked.

Sources, most trusted first: definitions in the text itself (``acronyms``), the curated glossary
(``curated``), the transformer's entity spans (``doc.tagged``) — or, when the model is unavailable, a
rule fallback (capitalised names, "President X"). One concept is one entry: an acronym, its expansion,
its curated entry and the model's entity for it share a single ``GlossaryEntry``.

Every possible mention becomes a candidate; overlaps are settled once, by tier (definition > text,
curated and model > rules), then length. ``doc.glossary`` is ordered by first mention.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .acronyms import AliasDefinition, Definition, find_aliases, find_definitions
from .curated import (
    CuratedGlossary,
    CuratedTerm,
    PhraseMatcher,
    is_all_caps,
    known_kind,
    load_curated,
    looks_like_acronym,
    lookup_forms,
)
from .entities import (
    bare_name,
    guess_kind,
    model_entities,
    normalise,
    person_name,
)
from .entity_rules import CONFIDENCE_RULE_NAME, rule_entities
from .people import PeopleIndex, plain_name
from .types import Annotation, Doc, EntitySpan, GlossaryEntry, Mention

_WOMAN_HONORIFICS = frozenset(["Mrs", "Ms", "Miss"])
# Kind sources, weakest first: a better source overrides the kind a weaker one gave. KIND_KNOWN: the shipped
# list of places and news outlets that a tagger mistypes ("Kiev" as a person, "Interfax" as a person).
KIND_GUESS, KIND_RULES, KIND_MODEL, KIND_KNOWN, KIND_CURATED = range(5)
TIER_DEFINITION, TIER_TRUSTED, TIER_RULES = range(3)
CONFIDENCE_CURATED = 0.9
CONFIDENCE_CURATED_WORD = 0.8  # a single capitalised word is more often something else


@dataclass
class _Entry:
    term: str
    kind: str
    kind_source: int
    origin: str
    expansion: str | None = None
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    short_forms: set[str] = field(default_factory=set)
    kind_votes: Counter[str] = field(default_factory=Counter)
    # The expansion came from a definition whose letters do not match its acronym: the words are a guess.
    expansion_guessed: bool = False

    @classmethod
    def curated(cls, term: CuratedTerm) -> _Entry:
        return cls(
            term.term,
            term.kind,
            KIND_CURATED,
            "curated",
            expansion=term.expansion,
            aliases=list(term.aliases),
            description=term.description,
        )

    def add_alias(self, alias: str) -> None:
        if alias not in self.aliases and alias != self.term and alias != self.expansion:
            self.aliases.append(alias)

    def set_kind(self, kind: str, source: int) -> None:
        if source > self.kind_source:
            self.kind, self.kind_source = kind, source


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    entry: _Entry
    tier: int
    annotator: str
    confidence: float
    explanation: str


class GlossaryAnnotator:
    name = "glossary"

    def __init__(self, curated: CuratedGlossary | Sequence[CuratedTerm] | None = None) -> None:
        # None: the shipped glossary, loaded on first use (and cached for the process).
        self._curated = CuratedGlossary(curated) if isinstance(curated, Sequence) else curated

    def __call__(self, doc: Doc) -> list[Annotation]:
        curated = self._curated if self._curated is not None else load_curated()
        builder = _Builder(doc.text, curated)
        for definition in find_definitions(doc.text, doc.sentences):
            builder.add_definition(definition)
        for alias in find_aliases(doc.text):
            builder.add_alias(alias)
        builder.match_text_forms()
        builder.match_curated()
        if doc.tagged is not None:
            builder.add_entities(model_entities(doc.text, doc.tagged, curated))
        else:
            builder.add_entities(rule_entities(doc.text, doc.sentences), search_again=True)
        doc.glossary, annotations = builder.finish()
        return annotations


class _Builder:
    def __init__(self, text: str, curated: CuratedGlossary) -> None:
        self.text = text
        self.curated = curated
        self.entries: list[_Entry] = []
        self.by_form: dict[str, _Entry] = {}  # normalised surface -> entry: how one concept stays one
        self.candidates: list[_Candidate] = []
        self.definitions: list[tuple[int, int, _Entry, float, str]] = []

    def _new_entry(self, entry: _Entry, forms: Sequence[str]) -> _Entry:
        self.entries.append(entry)
        for form in forms:
            self.by_form.setdefault(normalise(form), entry)
        return entry

    def _find(self, *forms: str) -> _Entry | None:
        return next((self.by_form[k] for k in map(normalise, forms) if k in self.by_form), None)

    def _mention(
        self, start: int, end: int, entry: _Entry, tier: int, annotator: str, confidence: float, explanation: str
    ) -> None:
        self.candidates.append(_Candidate(start, end, entry, tier, annotator, confidence, explanation))

    def add_definition(self, definition: Definition) -> None:
        short, long = definition.short, definition.long
        entry = self._find(short, long)
        if entry is None:
            kind = guess_kind(long)
            entry = self._new_entry(_Entry(short, kind, KIND_GUESS, "text", expansion=long), (short, long))
            entry.expansion_guessed = not definition.letters_match
        elif entry.expansion is None:
            entry.expansion = long
            entry.expansion_guessed = not definition.letters_match
        entry.short_forms.add(short)
        self.by_form.setdefault(normalise(short), entry)
        self.by_form.setdefault(normalise(long), entry)
        if definition.letters_match:
            explanation = f"defines {short} as '{long}'"
        else:
            explanation = f"defines {short} as '{long}'; the letters do not match (likely a foreign name)"
        self.definitions.append((definition.start, definition.end, entry, definition.confidence, explanation))
        for start, end in (
            (definition.short_start, definition.short_end),
            (definition.long_start, definition.long_end),
        ):
            self._mention(start, end, entry, TIER_DEFINITION, "rules", definition.confidence, explanation)

    def add_alias(self, alias: AliasDefinition) -> None:
        entry = self._find(alias.head, alias.alias)
        if entry is None:
            head = _Entry(alias.head, guess_kind(alias.head), KIND_GUESS, "text")
            entry = self._new_entry(head, (alias.head,))
        entry.add_alias(alias.alias)
        self.by_form.setdefault(normalise(alias.alias), entry)
        explanation = f"gives '{alias.alias}' as another name for {alias.head} ({alias.cue})"
        self.definitions.append((alias.start, alias.end, entry, alias.confidence, explanation))
        for start, end in ((alias.head_start, alias.head_end), (alias.alias_start, alias.alias_end)):
            self._mention(start, end, entry, TIER_DEFINITION, "rules", alias.confidence, explanation)

    def match_text_forms(self) -> None:
        """Every occurrence of what the text defined, before and after the definition."""
        matcher: PhraseMatcher[tuple[_Entry, str]] = PhraseMatcher()
        for entry in self.entries:
            term = self.curated.lookup(entry.term) or next(
                filter(None, map(self.curated.lookup, (entry.expansion or "", *entry.aliases))), None
            )
            # The in-text expansion wins unless it is a cut-short guess; the curated description is added.
            if term is not None:
                guess = entry.expansion or ""
                if entry.expansion_guessed and term.expansion and guess.casefold() in term.expansion.casefold():
                    entry.expansion = term.expansion  # "People's Protection Units (YPG)" cut to "Protection Units"
                entry.description = entry.description or term.description
                entry.set_kind(term.kind, KIND_CURATED)
                for alias in term.aliases:
                    entry.add_alias(alias)
                    self.by_form.setdefault(normalise(alias), entry)
            curated_aliases = set(term.aliases) if term is not None else set()
            for form in (entry.term, *entry.short_forms, entry.expansion or "", *entry.aliases):
                if len(form) >= 2:
                    matcher.add(form, (entry, "curated" if form in curated_aliases else "rules"))
        for hit in matcher.find(self.text):
            entry, annotator = hit.value
            where = "readctx glossary" if annotator == "curated" else "defined in this text"
            if hit.phrase in entry.short_forms:
                explanation = f"{hit.phrase}: {entry.expansion} ({where})"
            else:
                explanation = f"{hit.phrase}: another name for {entry.term} ({where})"
            self._mention(hit.start, hit.end, entry, TIER_TRUSTED, annotator, 0.9, explanation)

    def match_curated(self) -> None:
        entries_by_term: dict[str, _Entry] = {}
        for hit in self.curated.find(self.text):
            term = hit.value
            entry = entries_by_term.get(term.term) or self._find(*term.surfaces)
            if entry is None:
                entry = self._new_entry(_Entry.curated(term), term.surfaces)
                if looks_like_acronym(term.term):
                    entry.short_forms.add(term.term)
            entries_by_term[term.term] = entry
            specific = len(hit.phrase.split()) > 1 or is_all_caps(hit.phrase)
            confidence = CONFIDENCE_CURATED if specific else CONFIDENCE_CURATED_WORD
            explanation = term.gloss(hit.phrase)
            self._mention(hit.start, hit.end, entry, TIER_TRUSTED, "curated", confidence, explanation)

    def add_entities(self, spans: Sequence[EntitySpan], *, search_again: bool = False) -> None:
        """Group entity spans into entries by normalised surface; a person's titles do not count ("Mr. Trump",
        "President Trump" and "Trump" are one key), and a lone surname joins its one full name."""
        surfaces = []
        for span in spans:
            surface = bare_name(self.text[span.start : span.end])
            name = person_name(surface) if span.kind == "PERSON" else surface
            surfaces.append((span, surface, name, normalise(name)))
        people = PeopleIndex((surface, name, key, span.kind) for span, surface, name, key in surfaces)
        new_entries: list[_Entry] = []
        for span, surface, name, name_key in surfaces:
            owner = people.owner(surface, name, span.kind)  # "Biden" or "Joe" of "Joe Biden", however typed
            key = owner or name_key
            if owner is None and span.kind == "PERSON" and " " not in name:
                key = ("mrs " if surface.split()[0].rstrip(".") in _WOMAN_HONORIFICS else "") + key  # not "Mr Smith"
            entry = self.by_form.get(key)
            curated = None
            for form in [] if entry is not None else lookup_forms(surface):
                # "T-72 tanks", "IEDs", "Hezbollah fighters": the term the glossary knows, in a longer span.
                entry = self._find(form)
                curated = self.curated.lookup(form) if entry is None else None
                if entry is not None or curated is not None:
                    break
            if curated is not None:  # a curated term too ambiguous to look for, confirmed by the tagger
                entry = self._new_entry(_Entry.curated(curated), (*curated.surfaces, surface))
            # The fullest form names the entry; a person's plain name without titles ("Hillary Clinton").
            plain = span.kind == "PERSON" and plain_name(name)
            term = name if plain else surface
            if entry is None:
                source = KIND_MODEL if span.annotator == "model" else KIND_RULES
                entry = self._new_entry(_Entry(term, span.kind, source, span.annotator), (surface, key))
                new_entries.append(entry)
            if span.annotator == "model":
                if owner is None or span.kind == "PERSON":  # a surname typed as a place is no vote against a person
                    entry.kind_votes[span.kind] += 1
            elif span.kind != "OTHER":  # a rule's OTHER is a shrug, not evidence against a guess
                entry.set_kind(span.kind, KIND_RULES)
            named = entry.kind == "PERSON" and plain_name(entry.term)  # stays: "George Bush", not "Governor Bush"
            if len(term) > len(entry.term) and entry.origin in ("model", "rules") and not named:
                entry.term = term
            explained = surface in entry.short_forms and entry.expansion
            tier = TIER_TRUSTED if span.annotator == "model" else TIER_RULES
            self._mention(
                span.start,
                span.end,
                entry,
                tier,
                span.annotator,
                span.confidence,
                f"{surface}: {entry.expansion}" if explained else span.explanation,
            )
        if search_again:
            # Rules see a name only where its shape gives it away; find its other occurrences, and
            # surnames of people, too ("Biden" after "President Joe Biden").
            matcher: PhraseMatcher[_Entry] = PhraseMatcher()
            for entry in new_entries:
                matcher.add(entry.term, entry)
                if entry.kind == "PERSON" and len(entry.term.split()) > 1:
                    matcher.add(entry.term.split()[-1], entry)
            for hit in matcher.find(self.text):
                self._mention(
                    hit.start,
                    hit.end,
                    hit.value,
                    TIER_RULES,
                    "rules",
                    CONFIDENCE_RULE_NAME,
                    f"{hit.phrase}: same name as {hit.value.term} (rule fallback, no model)",
                )

    def finish(self) -> tuple[list[GlossaryEntry], list[Annotation]]:
        accepted = _without_overlaps(self.candidates, len(self.text))
        # Sources that agree on a span: per docs/api.md, confidence 1 - (1 - p_a)(1 - p_b), "rules+model".
        by_source: dict[tuple[int, int, int], dict[str, float]] = {}
        for c in self.candidates:
            sources = by_source.setdefault((c.start, c.end, id(c.entry)), {})
            sources[c.annotator] = max(sources.get(c.annotator, 0.0), c.confidence)
        for entry in self.entries:
            # The tagger's OTHER says less than "... Agency" does; it names a kind only for its own entries.
            votes = Counter({k: n for k, n in entry.kind_votes.items() if k != "OTHER"})
            if votes and entry.kind_source <= KIND_MODEL:
                # The majority of the tagger's mentions, not the first one's kind (which made the entry).
                entry.kind, entry.kind_source = votes.most_common(1)[0][0], KIND_MODEL
            # The bare term: "Mr. Jordan" is a person whatever "Jordan" alone would be.
            known = known_kind(bare_name(entry.term))
            if known is not None:
                entry.set_kind(known, KIND_KNOWN)
        definition_spans = sorted((start, end) for start, end, *_ in self.definitions)
        mentions: dict[int, list[Mention]] = {}
        annotations: list[Annotation] = []
        for start, end, entry, confidence, explanation in self.definitions:
            annotations.append(
                _annotation(self.text, start, end, "definition", confidence, explanation, "rules", entry.kind)
            )
        for candidate in accepted:
            entry = candidate.entry
            mentions.setdefault(id(entry), []).append(Mention(candidate.start, candidate.end))
            if _inside(definition_spans, candidate.start, candidate.end):
                continue  # the definition annotation already covers it
            surface = self.text[candidate.start : candidate.end]
            label = "acronym" if surface in entry.short_forms else "entity"
            sources = by_source[(candidate.start, candidate.end, id(entry))]
            # Text and curated lookups match the same string: one piece of evidence, the model another.
            lookup = max((p for source, p in sources.items() if source != "model"), default=0.0)
            confidence = 1.0 - (1.0 - lookup) * (1.0 - sources.get("model", 0.0))
            annotator = "rules+model" if {"rules", "model"} <= sources.keys() else candidate.annotator
            annotations.append(
                _annotation(
                    self.text,
                    candidate.start,
                    candidate.end,
                    label,
                    confidence,
                    candidate.explanation,
                    annotator,
                    entry.kind,
                )
            )
        glossary = [
            GlossaryEntry(
                term=e.term,
                kind=e.kind,
                expansion=e.expansion,
                aliases=list(e.aliases),
                description=e.description,
                mentions=sorted(mentions[id(e)], key=lambda m: m.start),
                origin=e.origin,
            )
            for e in self.entries
            if id(e) in mentions
        ]
        glossary.sort(key=lambda g: g.mentions[0].start)
        annotations.sort(key=lambda a: (a.start, -a.end))
        return glossary, annotations


def _annotation(
    text: str, start: int, end: int, label: str, confidence: float, explanation: str, annotator: str, kind: str
) -> Annotation:
    return Annotation(
        type="glossary",
        label=label,
        start=start,
        end=end,
        exact=text[start:end],
        confidence=confidence,
        explanation=explanation,
        annotator=annotator,
        detail=kind,
    )


def _without_overlaps(candidates: list[_Candidate], text_length: int) -> list[_Candidate]:
    """Greedy: lower tier first, then longer, then earlier; a candidate overlapping an accepted one loses."""
    accepted: list[_Candidate] = []
    occupied = bytearray(text_length)  # linear in the text, whatever the order candidates come in
    for candidate in sorted(candidates, key=lambda c: (c.tier, c.start - c.end, c.start)):
        if occupied.find(1, candidate.start, candidate.end) != -1:
            continue
        occupied[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
        accepted.append(candidate)
    return sorted(accepted, key=lambda c: c.start)


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies within one of the sorted ``spans`` (definitions rarely nest)."""
    i = bisect.bisect_right(spans, (start, 1 << 62))
    return any(s <= start and end <= e for s, e in spans[max(0, i - 2) : i])
