"""In-text definitions: "long form (SHORT)", "SHORT (long form)" and "X (formerly known as Y)".

The long-form boundary is found with the Schwartz–Hearst letter-matching algorithm (Schwartz & Hearst,
"A simple algorithm for identifying abbreviation definitions in biomedical text", PSB 2003). News adds
acronyms that come from another language ("Doctors Without Borders (MSF)", "Kurdistan Workers' Party
(PKK)"): when the letters do not match, a capitalised phrase directly followed by an all-caps
parenthetical is still accepted, at a lower confidence, and the definition says so. The aliases
("X (formerly known as Y)") are found by ``readctx.names`` and re-exported here.

Pure functions over a string; no third-party imports (the benchmark runs them on plain text).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .names import (
    CONNECTORS,
    WORD,
    AliasDefinition,
    capitalised_phrase_before,
    drop_leading_article,
    find_aliases,
    is_capitalised_name,
)
from .text import split_sentences
from .types import Sentence

__all__ = [
    "CONNECTORS",
    "AliasDefinition",
    "Definition",
    "capitalised_phrase_before",
    "find_aliases",
    "find_definitions",
]

# Confidence of a definition whose letters match word starts / match inside words / do not match.
CONFIDENCE_WORD_INITIALS = 0.93
CONFIDENCE_LETTERS = 0.85
CONFIDENCE_UNMATCHED_LETTERS = 0.6
MAX_LONG_FORM_CHARS = 400


_PARENTHETICAL = re.compile(r"\(([^()\n]{1,200})\)")
_ALL_CAPS_SHORT = re.compile(r"[A-Z0-9][A-Z0-9&.\-/]{0,9}")


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
            candidate[l_index].lower() != char or (s_index == 0 and l_index > 0 and candidate[l_index - 1].isalnum())
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


_PARTY_AND_STATE = re.compile(r"[RDI]-[A-Z][A-Za-z.]*")


def _forward(text: str, paren: re.Match[str], index: _SentenceIndex) -> Definition | None:
    """ "International Atomic Energy Agency (IAEA)"."""
    short, offset = _first_part(paren.group(1))
    # "Mike Pence (R-IN)", "Ted Cruz (R-TX)": a party and state, whatever letters the words before share.
    if not is_short_form(short) or _PARTY_AND_STATE.fullmatch(short):
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
    words = [m for m in WORD.finditer(text, window_start, paren.start())]
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
            return Definition(
                short,
                long,
                short_start,
                short_end,
                long_start,
                long_end,
                long_start,
                paren.end(),
                confidence,
                letters_match=True,
            )
    # Without matching letters, only a plain all-caps acronym: "WP.29" or "FAO/WHO" are references.
    if not is_all_caps_short_form(short) or re.search(r"[./\d]", short):
        return None
    phrase = capitalised_phrase_before(text, paren.start(), window_start)
    if phrase is None:
        return None
    long_start, long_end = phrase
    long = text[long_start:long_end]
    long_start, long = drop_leading_article(long_start, long)
    names = long.split()
    # Two or more words, not shouting ("WASHINGTON (AP)" is a dateline), not a person's initial
    # ("A. Perujo (EC-JRC)") and not ending in a letter or number ("Conference Room D (NLB)").
    if len(names) < 2 or long.isupper() or re.match(r"[A-Z]\.", long) or len(names[-1]) < 2:
        return None
    return Definition(
        short,
        long,
        short_start,
        short_end,
        long_start,
        long_end,
        long_start,
        paren.end(),
        CONFIDENCE_UNMATCHED_LETTERS,
        letters_match=False,
    )


def _strip_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """Without the quotes or trailing punctuation around a long form: '"cargo clearance point"'."""
    while start < end and text[start] in "\"“'‘`":
        start += 1
    while end > start and text[end - 1] in "\"”'’,;:":
        end -= 1
    return start, end


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
    elif is_all_caps_short_form(short) and is_capitalised_name(long):
        confidence, letters_match = CONFIDENCE_UNMATCHED_LETTERS, False
    else:
        return None
    return Definition(
        short,
        long,
        short_start,
        short_end,
        long_start,
        long_start + len(long),
        short_start,
        paren.end(),
        confidence,
        letters_match,
        reversed=True,
    )
