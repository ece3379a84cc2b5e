"""Entity spans for the glossary: from the transformer's entity tags, or a rule fallback when the model is off."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .curated import COMMON_WORDS, at_sentence_start, known_kind, load_curated
from .names import CONNECTORS, DEMONYM, word_set
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


# Titles, and the place or body they belong to: "Iraqi Prime Minister", "Vermont Sen.", "Manhattan Supreme Court
# Justice".
_LEADING_TITLES = re.compile(rf"^(?P<whose>(?:[A-Z][\w.'’-]*\s+){{0,3}}?)(?:(?:{_TITLES}|Justice)\s+)+")
_SUFFIXES = word_set("Jr. Jr Sr. Sr II III IV")


def person_name(surface: str) -> str:
    """A (bare) person's name without leading titles: "Mr. Trump" → "Trump", "Iraqi Prime Minister Mohammed
    al-Sudani" → "Mohammed al-Sudani". Words before a title go only when they say whose title it is (a
    nationality or a known place: "Vermont Sen."), so "Martin Luther King Jr." stays whole."""
    found = _LEADING_TITLES.match(surface)
    if found is None:
        return surface
    whose = found["whose"].split()
    if whose and not (DEMONYM.fullmatch(whose[0]) or known_kind(" ".join(whose)) == "PLACE"):
        return surface
    stripped = surface[found.end() :]
    return stripped if stripped and stripped not in _SUFFIXES else surface


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
        kind = "PERSON" if _HONORIFIC.match(text, s.start, s.end) else s.label
        start, end = tidy_name(text, s.start, s.end, kind)
        if end <= start or not looks_like_a_name(text, start, end):
            continue
        explanation = f"{s.label.lower()} named by the tagger"
        # The tagger never learned GROUP (re3d has no such type): an organisation whose head word can only
        # be an armed group's ("the Wagner militia", "Al-Quds Brigades") is one. Not "Front" or "Movement":
        # "National Front" and "Five Star Movement" are parties.
        if kind == "ORG" and _head_word(text[start:end]) in _ARMED_GROUP_HEADS:
            kind = "GROUP"
            explanation = "armed group: an organisation named by the tagger, by its head word"
        found.append(EntitySpan(start, end, kind, s.confidence, "model", explanation))
    return found


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
_ABBREVIATION_END = re.compile(r"(?:^|[\s.])[A-Z]\.$")  # "U.S.", "D.C." keep their last dot
_HYPHEN_PARTICLES = word_set("al el ad ash as at az ibn bin abu")  # "al-Qaeda", "ash-Sham", "ad-Dawla"
_HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Dr)\.?\s")
_WORD_PIECE = re.compile(r"\S+")


def tidy_name(text: str, start: int, end: int, kind: str) -> tuple[int, int]:
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
            if text[word[1] - 1] == "," and lower_case(words[index + 1]):
                words = words[: index + 1]  # "Dickey, the chief executive of Ora Media"
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
        known = known_kind(alone) is not None or any(map(load_curated().lookup, (alone, alone + "s")))
        if (kind == "PERSON" or _NOT_A_NAME_ALONE.fullmatch(alone)) and not known:
            return start, start
    if len(words) == 1 and _TITLE.fullmatch(bare(words[0])):
        return start, start  # a title alone ("Mr" of "Mr. King") names no one
    if not words:
        return start, start
    first, last = words[0][0], words[-1][1]
    while last > first and text[last - 1] in ",.;:'’\"“”(" and not _ABBREVIATION_END.search(text, first, last):
        last -= 1
    possessive = _POSSESSIVE.search(text, first, last)
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
