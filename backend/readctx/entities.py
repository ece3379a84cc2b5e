"""Entity spans for the glossary: from the transformer's entity tags, or a rule fallback when the model is off."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .curated import CuratedGlossary, at_sentence_start, known_kind, load_curated
from .names import CONNECTORS, DEMONYM, KIND_HEAD_WORDS, KIND_HINTS, POSSESSIVE, TITLE, TITLES, word_set
from .people import complete_person_names
from .sources import is_vague_group
from .types import EntitySpan, TaggedSpan

_ARTICLE = re.compile(r"[Tt]he\s+(?=\S)")  # used with .match: only at the start


def bare_name(surface: str) -> str:
    """A name without the "the" or possessive that a tagger's span may include: "the IAEA's" -> "IAEA"."""
    name = " ".join(surface.split())
    article = _ARTICLE.match(name)
    return POSSESSIVE.sub("", name[article.end() :] if article else name)


# Titles, and the place or body they belong to: "Iraqi Prime Minister", "Vermont Sen.", "Manhattan Supreme Court
# Justice".
_ROLE_TITLES = (
    r"Justice|Chief Justice|Attorney General|Mayor|Speaker|Chief Executive|Executive Director|Director|Chairman|"
    r"Chairwoman|Commissioner|State Senator|Ambassador"
)
_LEADING_TITLES = re.compile(rf"^(?P<whose>(?:[A-Z][\w.'’-]*\s+){{0,3}}?)(?:(?:{TITLES}|{_ROLE_TITLES})\s+)+")
_SUFFIXES = word_set("Jr. Jr Sr. Sr II III IV")
_PARTY_WORDS = word_set("Democrat Democratic Republican GOP Libertarian")


def person_name(surface: str) -> str:
    """A (bare) person's name without leading titles or party: "Mr. Trump" → "Trump", "Iraqi Prime Minister
    Mohammed al-Sudani" → "Mohammed al-Sudani", "Democrat Hillary Clinton" → "Hillary Clinton". Words before a
    title go only when they say whose title it is (a nationality or a known place: "Vermont Sen."), so "Martin
    Luther King Jr." stays whole."""
    words = surface.split()
    # "Democrat Hillary Clinton", "Democratic Sen. Joe Manchin"; not "Republican National Committee" or
    # "Republican Party Chairman ..." (titles with their party go below)
    organisation = len(words) > 1 and (words[1].lower() in KIND_HEAD_WORDS or _head_word(surface) in KIND_HEAD_WORDS)
    if len(words) > 2 and words[0] in _PARTY_WORDS and not organisation:
        return person_name(" ".join(words[1:]))
    found = _LEADING_TITLES.match(surface)
    if found is None:
        return surface
    whose = found["whose"].split()
    initials = re.fullmatch(r"[A-Z]{2,6}", whose[0]) if whose else None  # "ECB President Christine Lagarde"
    if whose and not (initials or DEMONYM.fullmatch(whose[0]) or known_kind(" ".join(whose)) == "PLACE"):
        return surface
    stripped = surface[found.end() :]
    return stripped if stripped and stripped not in _SUFFIXES else surface


def normalise(surface: str) -> str:
    """The key one concept shares across its spellings."""
    return bare_name(surface).casefold()


# Organisation head words that are not also surnames ("Margaret Court", "Dean Guard").
_ORG_HEADS_NO_SURNAME = KIND_HINTS["ORG"] - word_set("court guard guards")
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
    for kind, hints in KIND_HINTS.items():
        if last in hints:
            return kind
    return "ORG" if name[:1].isupper() else "TERM"


def model_entities(text: str, tagged: Sequence[TaggedSpan], curated: CuratedGlossary | None = None) -> list[EntitySpan]:
    """The tagger's entity spans, trimmed to the name ("the IAEA's" -> "IAEA") so that mentions line up;
    ``curated`` (default: the shipped glossary) names the groups a description may still be."""
    found: list[EntitySpan] = []
    for s in tagged:
        if s.task != "entity" or s.end <= s.start:
            continue
        kind = "PERSON" if _HONORIFIC.match(text, s.start, s.end) else s.label
        start, end = tidy_name(text, s.start, s.end, kind, curated)
        if end <= start or not looks_like_a_name(text, start, end):
            continue
        explanation = f"{s.label.lower()} named by the tagger"
        # The tagger never learned GROUP (re3d has no such type): an organisation whose head word can only
        # be an armed group's ("the Wagner militia", "Al-Quds Brigades") is one. Not "Front" or "Movement":
        # "National Front" and "Five Star Movement" are parties.
        head = _head_word(text[start:end])
        if kind == "ORG" and head in _ARMED_GROUP_HEADS:
            kind = "GROUP"
            explanation = "armed group: an organisation named by the tagger, by its head word"
        elif kind == "PERSON" and head in _ORG_HEADS_NO_SURNAME and " " in text[start:end].strip():
            kind = "ORG"  # "Tax Foundation", "Republican National Committee": no person's surname
            explanation = "organisation: the tagger said person, its head word says organisation"
        found.append(EntitySpan(start, end, kind, s.confidence, "model", explanation))
    return complete_person_names(text, _dateline_places(text, found))


# A wire dateline's city, in capitals at a line start: "NEW YORK, Oct 3 (Reuters) -", "SAO PAULO (AP) —".
_DATELINE_CITY = re.compile(
    r"(?m)^[ \t]*([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3})"
    r"(?=(?:,[^\n(—–-]{1,30})?\s*(?:\([^)\n]{1,40}\)\s*)?[-–—]{1,2}(?:\s|$))"
)


def _dateline_places(text: str, spans: list[EntitySpan]) -> list[EntitySpan]:
    """A tagger span inside a dateline's city is the whole city, a place ("SEATTLE" typed as a person, "NEW" of
    "NEW YORK")."""
    cities = [match.span(1) for match in _DATELINE_CITY.finditer(text)]
    if not cities:
        return spans
    placed: list[EntitySpan] = []
    for span in spans:
        city = next(((a, b) for a, b in cities if span.start < b and a < span.end), None)
        if city is None:
            placed.append(span)
        elif not any((p.start, p.end) == city for p in placed):
            placed.append(
                EntitySpan(*city, "PLACE", span.confidence, span.annotator, "dateline: the place reported from")
            )
    return placed


# Words a tagger's span may start with that are not part of the name: "that the Trump Foundation", "yet Donald
# Trump", "Rival Hillary Clinton", "Neither Clinton nor her allies".
_LEADING_NOT_NAME = word_set(
    """the a an that yet if or and but neither nor ah oh so as when while rival former then also even only both
    either whether after before because since though although"""
)
_REPORTING_WORDS = word_set("says said say told tells added reported writes wrote according claimed")
_SPLITTING_WORDS = word_set("nor or but yet")  # "Clinton nor her allies": the name ends before them
_NAME_PARTICLES = word_set("de da del della di du la le van von der den al el bin ibn abu of")
_PEOPLE_NOUNS = word_set(
    """members supporters officials fighters forces troops militants soldiers leaders lawmakers voters residents
    protesters workers staff delegates activists rebels police officers aides advisers allies"""
)
_NOT_A_NAME_ALONE = re.compile(
    r"[A-Z][a-z]+(?:an|ese|ish|i|ic|ern)|[A-Z][a-z]+s|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve"
)
_ABBREVIATION_END = re.compile(r"(?:^|[\s.])(?:[A-Z]|Jr|Sr)\.$")  # "U.S.", "D.C.", "Jr." keep their last dot
_HYPHEN_PARTICLES = word_set("al el ad ash as at az ibn bin abu")  # "al-Qaeda", "ash-Sham", "ad-Dawla"
_HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Dr)\.?\s")
_WORD_PIECE = re.compile(r"\S+")


def tidy_name(text: str, start: int, end: int, kind: str, curated: CuratedGlossary | None = None) -> tuple[int, int]:
    """The name inside a tagger's entity span, as offsets (``start == end``: none).

    The tagger's spans are whole words (``readctx.transformer``). An article, leading connectives and
    lower-case words go ("media and rival Hillary Clinton" → "Hillary Clinton"), and so does a reporting verb
    with what follows it ("Donald Trump says" → "Donald Trump"). Except for equipment ("T-72 tanks"), a
    possessive and what follows it go ("Donald Trump's campaign"), and trailing lower-case words ("NATO
    members", "Hillary Clinton ad"). A person's span also loses a role before the name ("Clinton spokesman
    Nick Merrill" → "Nick Merrill").
    """
    words = [(m.start() + start, m.end() + start) for m in _WORD_PIECE.finditer(text[start:end])]

    def bare(word: tuple[int, int]) -> str:
        return text[word[0] : word[1]].strip(",.;:'’\"“”()")

    def lower_case(word: tuple[int, int]) -> bool:  # "al-Baghdadi" and "de" belong to names
        surface = bare(word)
        return surface[:1].islower() and surface.lower().split("-")[0] not in _NAME_PARTICLES

    for index, word in enumerate(words):
        lowered = bare(word).lower()
        next_lower = index + 1 < len(words) and bare(words[index + 1])[:1].islower()
        if lowered in _REPORTING_WORDS or (
            index and (lowered in _SPLITTING_WORDS or (lowered == "and" and next_lower))
        ):
            words = words[:index]  # "Hillary Clinton and her campaign", not "Bosnia and Herzegovina"
            break
    while (
        words
        and (
            bare(words[0]).lower() in _LEADING_NOT_NAME
            # "then-rival Barack Obama" loses its first word, "al-Qaeda in Iraq" keeps it
            or (
                bare(words[0])[:1].islower()
                and bare(words[0]).split("-")[0] not in _HYPHEN_PARTICLES
                and len(words) > 1
            )
        )
    ):
        words = words[1:]
    description_tail = False  # lower-case words after a single name: "former Liverpool captain"
    if kind != "EQUIPMENT":  # "T-72 tanks" needs its noun; "U.S. officials", "NATO members" do not
        for index, word in enumerate(words):
            possessive = re.search(r"['’]s\b", text[word[0] : word[1]])
            if possessive and index + 1 < len(words):
                words = [*words[:index], (word[0], word[0] + possessive.start())]
                break
        # A person's trailing lower-case words go ("Hillary Clinton ad"); an organisation keeps its own
        # ("Obama administration") and loses only the people in it ("NATO members").
        while len(words) > 1 and lower_case(words[-1]) and (kind == "PERSON" or bare(words[-1]) in _PEOPLE_NOUNS):
            words = words[:-1]
            description_tail = True
    if kind == "PERSON":
        for index, word in enumerate(words[:-1]):
            # "Dickey, the chief executive of Ora Media", "Clarence Thomas, 76", "Pascal Soriot, AstraZeneca's"; a role
            # before the comma goes below instead ("His lawyer, Susan Clarke").
            name_first = not any(lower_case(w) for w in words[: index + 1])
            if text[word[1] - 1] == "," and bare(words[index + 1]) not in _SUFFIXES and name_first:
                words = words[: index + 1]
                break
        # A role before the name ("Clinton spokesman Nick Merrill"), not a connector inside one ("Roper
        # Center for Public Opinion Research", which the tagger may call a person).
        lower = [i for i, w in enumerate(words) if lower_case(w) and bare(w) not in CONNECTORS]
        if lower and lower[-1] + 1 < len(words):
            words = words[lower[-1] + 1 :]
        while len(words) > 1 and bare(words[0]) in _NAME_PARTICLES:  # "of" of "of Ora Media", not "Abu"
            words = words[1:]
    if len(words) == 1 and description_tail:
        alone = bare(words[0])
        # "former Liverpool captain", "British officials": a description, unless a known place, outlet or
        # curated name ("Interfax news agency", "Houthi rebels", "Taliban fighters").
        glossary = curated if curated is not None else load_curated()
        known = known_kind(alone) is not None or any(map(glossary.lookup, (alone, alone + "s")))
        if (kind == "PERSON" or _NOT_A_NAME_ALONE.fullmatch(alone)) and not known:
            return start, start
    if len(words) == 1 and TITLE.fullmatch(bare(words[0])):
        return start, start  # a title alone ("Mr" of "Mr. King") names no one
    if not words:
        return start, start
    first, last = words[0][0], words[-1][1]
    while last > first and text[last - 1] in ",.;:'’\"“”(" and not _ABBREVIATION_END.search(text, first, last):
        last -= 1
    possessive = POSSESSIVE.search(text, first, last)
    if possessive and possessive.start() > first:
        last = possessive.start()
    return first, last


MAX_NAME_WORDS = 6
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
        and not (DEMONYM.fullmatch(word) and index + 1 < len(words) and words[index + 1][0].islower())
    ]
    if not capitalised:
        return False
    if len(capitalised) == 1 and capitalised[0][0] == 0 and at_sentence_start(text, start):
        lowered = re.escape(words[0].lower())
        return re.search(rf"(?<![\w-]){lowered}(?![\w-])", text) is None
    return True
