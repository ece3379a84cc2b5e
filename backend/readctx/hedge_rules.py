"""Hedge and unverified-claim patterns: the rule layer's half of the ``hedge`` label ("allegedly", "could not
be independently verified", "it is unclear whether"). Patterns come strongest first; an earlier one wins the
words it covers. The transformer's hedge head adds recall (``readctx.sourcing`` merges the two).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sourcing_rules import Quote
from .text import trim_span


@dataclass(frozen=True)
class HedgePattern:
    pattern: re.Pattern[str]
    kind: str  # unverified | reportative | epistemic | doxastic
    confidence: float
    explanation: str


def _hedge(regex: str, kind: str, confidence: float, explanation: str) -> HedgePattern:
    return HedgePattern(re.compile(regex, re.IGNORECASE), kind, confidence, explanation)


HEDGES = (
    _hedge(
        r"\b(?:could|can|has|have|had|was|were|is|are)(?: not|n't)(?: been)? (?:be )?(?:independently )?"
        r"(?:verified|confirmed|corroborated)\b(?: independently)?",
        "unverified",
        0.97,
        "the claim has not been verified",
    ),
    _hedge(
        r"\b(?:could|can)(?: not|n't) independently (?:verify|confirm|corroborate)\b",
        "unverified",
        0.97,
        "the claim has not been verified",
    ),
    _hedge(
        r"\b(?:without (?:providing|offering|giving|citing) (?:any )?evidence|provided no evidence|"
        r"offered no evidence|no evidence (?:was|has been) (?:given|provided))\b",
        "unverified",
        0.95,
        "no evidence was given for the claim",
    ),
    _hedge(r"\b(?:unverified|unconfirmed|unsubstantiated)\b", "unverified", 0.93, "marked as unverified"),
    _hedge(
        r"\b(?:allegedly|reportedly|purportedly|supposedly|ostensibly)\b",
        "reportative",
        0.95,
        "second-hand claim: the writer does not vouch for it",
    ),
    _hedge(
        r"\b(?:is|are|was|were) (?:said|reported|alleged|believed|thought|understood|rumou?red)"
        r" to\b",
        "reportative",
        0.92,
        "claim passed on without a named source",
    ),
    _hedge(r"\balleged\b", "reportative", 0.9, "an allegation, not an established fact"),
    _hedge(
        r"\bit (?:is|was|remains|remained)(?: still)? (?:unclear|not clear|not known|unknown)"
        r"(?: whether| if| how| who| what| why| when)?\b",
        "epistemic",
        0.96,
        "the writer says this is unknown",
    ),
    _hedge(
        r"\b(?:(?:it|this) )?(?:appears|appeared|seems|seemed) to\b",
        "epistemic",
        0.85,
        "an impression, not a confirmed fact",
    ),
    _hedge(r"\b(?:may|might|could) have (?:been )?\b", "epistemic", 0.7, "a possibility, not a fact"),
    _hedge(
        r"\b(?:possibly|apparently|presumably|perhaps|probably|likely(?! voters\b))\b",  # "likely voters": a poll term
        "epistemic",
        0.75,
        "a possibility, not a fact",
    ),
    _hedge(r"\b(?:suspected|presumed|rumou?red)\b", "reportative", 0.8, "suspected, not established"),
    _hedge(r"\b(?:claims|claimed) (?:that|to)\b", "reportative", 0.8, "a claim the writer does not vouch for"),
)


def find_hedges(text: str, start: int, end: int) -> list[Quote]:
    sentence = text[start:end]
    found: list[Quote] = []
    covered = bytearray(len(sentence))  # earlier (stronger) patterns win overlapping spans
    for hedge in HEDGES:
        for match in hedge.pattern.finditer(sentence):
            cue = trim_span(text, start + match.start(), start + match.end())
            if any(covered[cue[0] - start : cue[1] - start]):
                continue
            covered[cue[0] - start : cue[1] - start] = b"\x01" * (cue[1] - cue[0])
            found.append(Quote("hedge", cue, None, (start, end), None, hedge.confidence, hedge.explanation, hedge.kind))
    return found
