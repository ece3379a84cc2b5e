"""In-text definitions: "long form (SHORT)", "SHORT (long form)" and "X (formerly known as Y)".

The long-form boundary is found with the Schwartz–Hearst letter-matching algorithm (Schwartz & Hearst,
"A simple algorithm for identifying abbreviation definitions in biomedical text", PSB 2003). News adds
acronyms that come from another language ("Doctors Without Borders (MSF)", "Kurdistan Workers' Party
(PKK)"): when the letters do not match, a capitalised phrase directly followed by an all-caps
parenthetical is still accepted, at a lower confidence, and the definition says so.

Pure functions over a string; no third-party imports (the benchmark runs them on plain text).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .text import split_sentences
from .types import Sentence

# Confidence of a definition whose letters match word starts / match inside words / do not match.
CONFIDENCE_WORD_INITIALS = 0.93
CONFIDENCE_LETTERS = 0.85
CONFIDENCE_UNMATCHED_LETTERS = 0.6
CONFIDENCE_ALIAS = 0.75
MAX_LONG_FORM_CHARS = 400


def _word_set(words: str) -> frozenset[str]:
    """A set from a whitespace-separated word list (long lists stay readable)."""
    return frozenset(words.split())


_PARENTHETICAL = re.compile(r"\(([^()\n]{1,200})\)")
# Lower-case words allowed inside a capitalised name: "Islamic State of Iraq and the Levant".
CONNECTORS = _word_set("of the and for de du des da di del la le al el bin van von der on in at & y")
_WORD = re.compile(r"\S+")
_ALL_CAPS_SHORT = re.compile(r"[A-Z0-9][A-Z0-9&.\-/]{0,9}")
# A capitalised word or initials ("U.S."); a word ending in "." otherwise ends a sentence.
_CAP_WORD = re.compile(r"(?:al-|el-|ibn-|bin-)?[A-ZÀ-ÖØ-Þ][\w'’\-]*|[A-Z]\.(?:[A-Z]\.)*")
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(frozen=True)
class Definition:
    """A short form defined in the text; ``start``/``end`` cover long form and parenthetical together."""

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int
    start: int
    end: int
    confidence: float
    letters_match: bool
    reversed: bool = False


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


def match_long_form(short: str, candidate: str) -> int | None:
    """Schwartz–Hearst: the start of the shortest suffix of ``candidate`` that spells ``short``.

    Letters are matched right to left; the first letter of the short form must start a word. Returns
    None when the letters cannot be found in order.
    """
    s_index = len(short) - 1
    l_index = len(candidate) - 1
    while s_index >= 0:
        char = short[s_index].lower()
        if not char.isalnum():
            s_index -= 1
            continue
        while l_index >= 0 and (
            candidate[l_index].lower() != char
            or (s_index == 0 and l_index > 0 and candidate[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    return candidate.rfind(" ", 0, l_index + 1) + 1


def match_initials(short: str, candidate: str) -> int | None:
    """The start of the last words of ``candidate`` whose initials spell ``short`` (connectors skipped)."""
    letters = [c.lower() for c in short if c.isalnum()]
    if short.endswith("s") and sum(c.isupper() for c in short) >= 2:
        letters.pop()  # plural short form: "LADPs"
    words = [m for m in re.finditer(r"[^\s\-/]+", candidate) if m.group().lower() not in CONNECTORS]
    if len(words) < len(letters) or not letters:
        return None
    tail = words[len(words) - len(letters) :]
    initials = [w.group().lstrip("\"“'‘(")[:1].lower() for w in tail]
    if initials != letters:
        return None
    start = tail[0].start()
    # Hyphenated first word ("Non-negative"): start at the whole word.
    while start > 0 and not candidate[start - 1].isspace():
        start -= 1
    return start


def _initials_match(short: str, long: str) -> bool:
    """True when the short form's letters are exactly the initials of the long form's content words."""
    initials = "".join(w[0] for w in re.findall(r"[^\W_]+", long) if w.lower() not in CONNECTORS)
    letters = "".join(c for c in short if c.isalnum())
    return initials.lower() == letters.lower()


def is_short_form(candidate: str) -> bool:
    """A plausible short form: 2–10 characters, at most two words, starting alphanumeric, mostly capitals."""
    if not 2 <= len(candidate) <= 10 or len(candidate.split()) > 2 or not candidate[0].isalnum():
        return False
    if not any(c.isalpha() for c in candidate):
        return False
    upper = sum(c.isupper() for c in candidate)
    # "QL", "UN-Women" and "mRNA" qualify; a capitalised word ("Reuters") or a year ("2019") does not.
    return upper >= 2 or (upper == 1 and any(c.isdigit() for c in candidate))


def is_all_caps_short_form(candidate: str) -> bool:
    return bool(_ALL_CAPS_SHORT.fullmatch(candidate)) and sum(c.isalpha() for c in candidate) >= 2


def _first_part(inner: str) -> tuple[str, int]:
    """The parenthetical up to its first ';' or ',' ("IAEA, based in Vienna"), and its offset in it."""
    cut = re.split(r"[;,]", inner, maxsplit=1)[0]
    stripped = cut.strip()
    return stripped, cut.find(stripped) if stripped else 0


def capitalised_phrase_before(text: str, end: int, lower_bound: int) -> tuple[int, int] | None:
    """The capitalised name that ends at ``end`` (after trailing spaces), as (start, end), or None.

    Walks back over capitalised words and lower-case connectors; the phrase starts with a capital.
    """
    while end > lower_bound and text[end - 1].isspace():
        end -= 1
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, lower_bound, end)]
    start = None
    for w_start, w_end in reversed(words):
        word = text[w_start:w_end]
        if start is not None and _POSSESSIVE.search(word):
            break  # "Iran's Islamic Revolutionary Guard Corps": the possessor is not part of the name
        if _CAP_WORD.fullmatch(word):
            start = w_start
        elif word.lower() not in CONNECTORS:
            break
    return (start, end) if start is not None else None


class _SentenceIndex:
    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self._starts = [s.start for s in sentences]

    def start_of(self, position: int) -> int:
        i = bisect.bisect_right(self._starts, position) - 1
        return self._starts[i] if i >= 0 else 0


def find_definitions(text: str, sentences: Sequence[Sentence] | None = None) -> list[Definition]:
    """Every acronym definition in ``text``, in text order."""
    index = _SentenceIndex(split_sentences(text) if sentences is None else sentences)
    found: list[Definition] = []
    for paren in _PARENTHETICAL.finditer(text):
        definition = _forward(text, paren, index) or _reversed(text, paren)
        if definition is not None:
            found.append(definition)
    return found


def _forward(text: str, paren: re.Match[str], index: _SentenceIndex) -> Definition | None:
    """ "International Atomic Energy Agency (IAEA)"."""
    short, offset = _first_part(paren.group(1))
    if not is_short_form(short):
        return None
    short_start = paren.start(1) + offset
    short_end = short_start + len(short)
    # The window (at most 15 words) stays in the sentence, and in MAX_LONG_FORM_CHARS so that a text
    # without sentence breaks costs no more than any other.
    window_start = max(index.start_of(paren.start()), paren.start() - MAX_LONG_FORM_CHARS)
    # A long form does not run back across another bracket or a clause break:
    # "(ASEAN) Committee on Women (ACW)", "(Rolling Highway (RoLa))".
    window_start = max(window_start, *(text.rfind(c, window_start, paren.start()) + 1 for c in "();:="))
    # Schwartz–Hearst window: at most min(|A| + 5, 2|A|) words before the parenthesis.
    letters = sum(c.isalnum() for c in short)
    max_words = min(letters + 5, 2 * letters)
    words = [m for m in _WORD.finditer(text, window_start, paren.start())]
    if not words:
        return None
    words = words[-max_words:]
    candidate_start, candidate_end = words[0].start(), words[-1].end()
    candidate = text[candidate_start:candidate_end]
    # Word initials first: Schwartz–Hearst alone takes the shortest match, "Africa" for "Assessing
    # Regional Integration in Africa (ARIA)".
    matched = match_initials(short, candidate)
    if matched is None:
        matched = match_long_form(short, candidate)
    if matched is not None:
        long_start, long_end = _strip_quotes(text, candidate_start + matched, candidate_end)
        long = text[long_start:long_end]
        if _plausible_long_form(short, long):
            confidence = CONFIDENCE_WORD_INITIALS if _initials_match(short, long) else CONFIDENCE_LETTERS
            return Definition(short, long, short_start, short_end, long_start, long_end,
                              long_start, paren.end(), confidence, letters_match=True)
    # Without matching letters, only a plain all-caps acronym: "WP.29" or "FAO/WHO" are references,
    # "Ted Cruz (R-TX)" is a party and state.
    if not is_all_caps_short_form(short) or re.search(r"[./\d]", short) or re.match(r"[RDI]-", short):
        return None
    phrase = capitalised_phrase_before(text, paren.start(), window_start)
    if phrase is None:
        return None
    long_start, long_end = phrase
    long = text[long_start:long_end]
    long_start, long = _drop_leading_article(long_start, long, window_start)
    names = long.split()
    # Two or more words, not shouting ("WASHINGTON (AP)" is a dateline), not a person's initial
    # ("A. Perujo (EC-JRC)") and not ending in a letter or number ("Conference Room D (NLB)").
    if len(names) < 2 or long.isupper() or re.match(r"[A-Z]\.", long) or len(names[-1]) < 2:
        return None
    return Definition(short, long, short_start, short_end, long_start, long_end, long_start, paren.end(),
                      CONFIDENCE_UNMATCHED_LETTERS, letters_match=False)


_ARTICLES = ("The", "A", "An")


def _strip_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """Without the quotes or trailing punctuation around a long form: '"cargo clearance point"'."""
    while start < end and text[start] in "\"“'‘`":
        start += 1
    while end > start and text[end - 1] in "\"”'’,;:":
        end -= 1
    return start, end


def _drop_leading_article(start: int, phrase: str, sentence_start: int) -> tuple[int, str]:
    # A sentence-initial "The" is capitalised for the sentence, not for the name.
    first, _, rest = phrase.partition(" ")
    if first in _ARTICLES and rest:
        return start + len(first) + 1, rest
    return start, phrase


def _plausible_long_form(short: str, long: str) -> bool:
    if len(long) <= len(short) or re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long):
        return False
    # The last word must take part in the match ("... for Doctors Without Borders (MSF)" must not
    # match letters in earlier words only); the right-most letter match lies in the last word.
    last_word = long.split()[-1].lower()
    last_letter = next((c.lower() for c in reversed(short) if c.isalnum()), "")
    return last_letter in last_word


def _reversed(text: str, paren: re.Match[str]) -> Definition | None:
    """ "IAEA (International Atomic Energy Agency)"."""
    before = text[max(0, paren.start() - 12) : paren.start()]
    word = re.search(r"(\S+)\s*$", before)
    if word is None:
        return None
    short = word.group(1)
    if not is_short_form(short):
        return None
    short_end = paren.start() - (len(before) - word.end(1))
    short_start = short_end - len(short)
    if short_start > 0 and text[short_start - 1].isalnum():
        return None  # the 12-character look-back cut a longer word
    long, offset = _first_part(paren.group(1))
    if len(long.split()) < 2 or len(long) <= len(short):
        return None
    long_start = paren.start(1) + offset
    matched = match_long_form(short, long)
    if matched is not None and long[:matched].strip(" ").lower() not in ("", "the", "a", "an"):
        matched = None
    if matched is not None:
        long_start += matched
        long = long[matched:]
        confidence = CONFIDENCE_WORD_INITIALS if _initials_match(short, long) else CONFIDENCE_LETTERS
        letters_match = True
    elif is_all_caps_short_form(short) and _is_capitalised_name(long):
        confidence, letters_match = CONFIDENCE_UNMATCHED_LETTERS, False
    else:
        return None
    return Definition(short, long, short_start, short_end, long_start, long_start + len(long), short_start,
                      paren.end(), confidence, letters_match, reversed=True)


def _is_capitalised_name(phrase: str) -> bool:
    words = phrase.split()
    return (
        len(words) >= 2
        and not phrase.isupper()
        and bool(_CAP_WORD.fullmatch(words[0]))
        and all(_CAP_WORD.fullmatch(w) or w.lower() in CONNECTORS for w in words)
    )


# "(formerly known as X)", "(also known as X)", "(known locally as X)", "(formerly X)".
_PAREN_ALIAS = re.compile(
    r"\(\s*(?P<cue>(?:(?:formerly|previously|also|commonly|widely|locally)\s+)?(?:known|called)"
    r"(?:\s+locally)?\s+as|formerly|previously)\s+(?P<alias>[^()\n]{1,80}?)\s*\)"
)
# ", also known as X", " also known as X", ", formerly Y".
_INLINE_ALIAS = re.compile(
    r"(?P<sep>,?)\s+(?P<cue>(?:(?:formerly|previously|also|commonly|locally)\s+)?(?:known|called)"
    r"(?:\s+locally)?\s+as|formerly|previously)\s+(?P<alias>[\"“'‘][^\"”’'\n]{1,60}[\"”’']|[^\s,.;:()]+"
    r"(?:\s+[^\s,.;:()]+){0,7})"
)
# A generic noun after a name before the cue: "the Islamic State group, also known as ISIS".
_GENERIC_NOUNS = _word_set("group militia movement party company organisation organization network")


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


def _add_alias(found: list[AliasDefinition], text: str, cue: re.Match[str], alias: tuple[int, int] | None,
               cue_start: int, end: int) -> None:
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
    head_start, head_text = _drop_leading_article(head_start, text[head_start:head_end], 0)
    if head_text in _ARTICLES:
        return  # "The group, also known as HTS": the name is in an earlier sentence

    alias_text = text[alias[0] : alias[1]]
    found.append(AliasDefinition(head_text, head_start, head_end, alias_text, alias[0], alias[1],
                                 head_start, end, " ".join(cue.group("cue").split())))


def _alias_name(text: str, start: int, end: int, *, whole: bool) -> tuple[int, int] | None:
    """The name inside the alias clause: a quoted phrase, or a run of capitalised words (or an acronym)."""
    chunk = text[start:end]
    if chunk[:1] in "\"“'‘":
        return (start + 1, end - 1) if end - start > 2 else None
    words = list(_WORD.finditer(chunk))
    if words and words[0].group().lower() in ("the", "a", "an"):
        # "(formerly known as the Nusra Front)": the article is not part of the name.
        start += words[1].start() if len(words) > 1 else len(chunk)
        chunk = text[start:end]
        words = list(_WORD.finditer(chunk))
    last = None
    for i, word in enumerate(words):
        token = word.group().rstrip(",.;:")
        if _CAP_WORD.fullmatch(token) or (i > 0 and token.lower() in CONNECTORS):
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
