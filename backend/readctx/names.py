"""Names in running text: capitalised-name shapes, the aliases a text gives ("X, also known as Y"), word lists."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

CONFIDENCE_ALIAS = 0.75


def word_set(words: str) -> frozenset[str]:
    """A set from a whitespace-separated word list (long lists stay readable)."""
    return frozenset(words.split())


# Lower-case words allowed inside a capitalised name: "Islamic State of Iraq and the Levant".
CONNECTORS = word_set("of the and for de du des da di del la le al el bin van von der on in at & y")
ARTICLES = ("The", "A", "An")
WORD = re.compile(r"\S+")
# The last word of a name that says its kind: "... Agency" is an organisation, "... Brigade" a group.
KIND_HINTS: dict[str, frozenset[str]] = {
    "EQUIPMENT": word_set(
        """vehicle vehicles device devices missile missiles rocket rockets launcher launchers drone drones
        aircraft helicopter helicopters tank tanks weapon weapons system systems carrier gun"""
    ),
    "GROUP": word_set("front movement brigade brigades militia militias battalion battalions faction"),
    "PLACE": word_set(
        """city province region district river sea island islands mountains valley strait gulf strip
        republic kingdom county governorate tower towers hotel plaza building square airport"""
    ),
    "ORG": word_set(
        """agency organization organisation council fund programme program commission committee ministry
        department bank party union court office institute institution association service services
        company corporation authority board bureau centre center university college federation foundation
        network alliance assembly coalition league society parliament government administration police
        forces army navy corps guard guards campaign"""
    ),
}
# Every kind's head words: they end a name rather than continue it ("Quinnipiac University", "Green Party").
KIND_HEAD_WORDS = frozenset().union(*KIND_HINTS.values())
# Not "General" ("General Assembly", "General Motors"); "Gen." is unambiguous.
TITLES = (
    r"President|Vice President|Prime Minister|Deputy Prime Minister|Foreign Minister|Defen[cs]e Minister|"
    r"Minister|Secretary|Chancellor|Senator|Governor|Gen\.|Sen\.|Rep\.|Gov\.|Lt\.|Col\.|Maj\.|"
    r"Adm\.|Sgt\.|Capt\.|Mr\.|Mrs\.|Ms\.|Dr\.|Mr|Mrs|Ms|Dr|King|Queen|Prince|Pope|Judge|Ayatollah|Sheikh"
)
TITLE = re.compile(TITLES)
DATE_WORDS = word_set(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december"""
)
# A capitalised word or initials ("U.S."); a word ending in "." otherwise ends a sentence.
CAP_WORD = re.compile(r"(?:al-|el-|ibn-|bin-)?[A-ZÀ-ÖØ-Þ][\w'’\-]*|[A-Z]\.(?:[A-Z]\.)*")
POSSESSIVE = re.compile(r"['’]s$")
# The shape of a nationality adjective ("Iranian", "Chinese", "British", "Israeli", "French"); it also fits some
# surnames ("Palmieri", "Erdogan"), so callers check what follows it.
DEMONYM = re.compile(r"[A-Z][a-z]+(?:an|ese|ish|i|ic|ch)")


def capitalised_phrase_before(text: str, end: int, lower_bound: int) -> tuple[int, int] | None:
    """The capitalised name that ends at ``end`` (after trailing spaces), as (start, end), or None.

    Walks back over capitalised words and lower-case connectors; the phrase starts with a capital.
    """
    while end > lower_bound and text[end - 1].isspace():
        end -= 1
    words = [(m.start(), m.end()) for m in WORD.finditer(text, lower_bound, end)]
    start = None
    for w_start, w_end in reversed(words):
        word = text[w_start:w_end]
        if start is not None and POSSESSIVE.search(word):
            break  # "Iran's Islamic Revolutionary Guard Corps": the possessor is not part of the name
        if CAP_WORD.fullmatch(word):
            start = w_start
        elif word.lower() not in CONNECTORS:
            break
    return (start, end) if start is not None else None


def drop_leading_article(start: int, phrase: str) -> tuple[int, str]:
    """Without a leading "The"/"A"/"An": a sentence-initial capital is the sentence's, not the name's."""
    first, _, rest = phrase.partition(" ")
    if first in ARTICLES and rest:
        return start + len(first) + 1, rest
    return start, phrase


def is_capitalised_name(phrase: str) -> bool:
    """Two or more capitalised words (connectors allowed inside), not all in capitals."""
    words = phrase.split()
    return (
        len(words) >= 2
        and not phrase.isupper()
        and bool(CAP_WORD.fullmatch(words[0]))
        and all(CAP_WORD.fullmatch(w) or w.lower() in CONNECTORS for w in words)
    )


@dataclass(frozen=True)
class AliasDefinition:
    """ "HEAD (formerly known as ALIAS)" and its variants: ALIAS is another name for HEAD."""

    head: str
    head_start: int
    head_end: int
    alias: str
    alias_start: int
    alias_end: int
    start: int
    end: int
    cue: str
    confidence: float = CONFIDENCE_ALIAS


# "(formerly known as X)", "(also known as X)", "(known locally as X)", "(formerly X)".
_PAREN_ALIAS = re.compile(
    r"\(\s*(?P<cue>(?:(?:formerly|previously|also|commonly|widely|locally)\s+)?(?:known|called)"
    r"(?:\s+locally)?\s+as|formerly|previously)\s+(?P<alias>[^()\n]{1,80}?)\s*\)"
)
# ", also known as X", " also known as X", ", formerly Y". The space run is taken whole from its start
# (lookbehind, possessive): retried from every space, a long run of blanks was quadratic.
_INLINE_ALIAS = re.compile(
    r"(?P<sep>,?)(?<!\s)\s++(?P<cue>(?:(?:formerly|previously|also|commonly|locally)\s+)?(?:known|called)"
    r"(?:\s+locally)?\s+as|formerly|previously)\s+(?P<alias>[\"“'‘][^\"”’'\n]{1,60}[\"”’']|[^\s,.;:()]+"
    r"(?:\s+[^\s,.;:()]+){0,7})"
)
# A generic noun after a name before the cue: "the Islamic State group, also known as ISIS".
_GENERIC_NOUNS = word_set("group militia movement party company organisation organization network")


def find_aliases(text: str) -> list[AliasDefinition]:
    """Alternative names the text gives for a name, in text order."""
    found: list[AliasDefinition] = []
    for cue in _PAREN_ALIAS.finditer(text):
        alias = _alias_name(text, cue.start("alias"), cue.end("alias"), whole=True)
        _add_alias(found, text, cue, alias, cue.start(), cue.end())
    parenthesised = [(a.start, a.end) for a in found]  # in text order
    for cue in _INLINE_ALIAS.finditer(text):
        bare_former = cue.group("cue") in ("formerly", "previously")
        if bare_former and not cue.group("sep"):
            continue  # "was formerly a minister": only ", formerly X" introduces a name
        i = bisect.bisect_right(parenthesised, (cue.start(), 1 << 62))
        if i and parenthesised[i - 1][1] > cue.start():
            continue  # "(also known as X)" was read as a parenthetical already
        alias = _alias_name(text, cue.start("alias"), cue.end("alias"), whole=False)
        if alias is not None:
            _add_alias(found, text, cue, alias, cue.start(), alias[1])
    found.sort(key=lambda a: a.start)
    return found


def _add_alias(
    found: list[AliasDefinition], text: str, cue: re.Match[str], alias: tuple[int, int] | None, cue_start: int, end: int
) -> None:
    if alias is None:
        return
    head_end = cue_start
    # Skip one trailing generic noun: "the Islamic State group, also known as ISIS".
    tail = re.search(r"\s([a-z]+)\s*$", text[max(0, head_end - 20) : head_end])
    if tail and tail.group(1) in _GENERIC_NOUNS:
        head_end = max(0, head_end - 20) + tail.start()
    head = capitalised_phrase_before(text, head_end, max(0, head_end - 120))
    if head is None:
        return
    head_start, head_end = head
    head_start, head_text = drop_leading_article(head_start, text[head_start:head_end])
    if head_text in ARTICLES:
        return  # "The group, also known as HTS": the name is in an earlier sentence

    alias_text = text[alias[0] : alias[1]]
    found.append(
        AliasDefinition(
            head_text,
            head_start,
            head_end,
            alias_text,
            alias[0],
            alias[1],
            head_start,
            end,
            " ".join(cue.group("cue").split()),
        )
    )


def _alias_name(text: str, start: int, end: int, *, whole: bool) -> tuple[int, int] | None:
    """The name inside the alias clause: a quoted phrase, or a run of capitalised words (or an acronym)."""
    chunk = text[start:end]
    if chunk[:1] in "\"“'‘":
        return (start + 1, end - 1) if end - start > 2 else None
    words = list(WORD.finditer(chunk))
    if words and words[0].group().lower() in ("the", "a", "an"):
        # "(formerly known as the Nusra Front)": the article is not part of the name.
        start += words[1].start() if len(words) > 1 else len(chunk)
        chunk = text[start:end]
        words = list(WORD.finditer(chunk))
    last = None
    for i, word in enumerate(words):
        token = word.group().rstrip(",.;:")
        if CAP_WORD.fullmatch(token) or (i > 0 and token.lower() in CONNECTORS):
            last = (start + word.start(), start + word.start() + len(token))
            if token != word.group():
                break
        else:
            if whole and i == 0:
                return None
            break
    if last is None:
        return None
    # Trailing connectors ("X of") are not part of the name.
    name_end = last[1]
    while True:
        trimmed = text[start:name_end].rstrip()
        tail = trimmed.rsplit(" ", 1)
        if len(tail) == 2 and tail[1].lower() in CONNECTORS:
            name_end = start + len(tail[0])
            continue
        break
    return start, name_end
