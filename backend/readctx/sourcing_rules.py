"""The high-precision half of the sourcing cascade: reporting-verb and "according to" patterns (hedge patterns:
``readctx.hedge_rules``).

Each finding is a ``Quote``: the cue, the source and content spans around it, and a label decided by
``readctx.sources``. Patterns are deliberately conservative; the transformer supplies recall
(``readctx.sourcing`` merges the two).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from itertools import islice

from .names import word_set
from .sources import ANONYMITY_MARKERS, SourceVerdict, classify_source
from .text import QUOTE_MARKS, open_quote, trim_span

REPORTING_VERBS = (
    "said|says|say|told|tells|added|stated|announced|announces|explained|explains|noted|"
    "warned|warns|claimed|insisted|insists|argued|argues|acknowledged|acknowledges|admitted|admits|"
    "confirmed|confirms|denied|denies|reported|wrote|writes|tweeted|posted|asserted|declared|"
    "estimated|testified|suggested|indicated|maintained|contended|emphasi[sz]ed|stressed|urged|cautioned|"
    "recalled|replied|responded|concluded|pointed out|disclosed|revealed|predicted|conceded|"
    "countered|complained|boasted"
)
_AUX = r"(?:(?:has|have|had|will|would|could|may|might|is|was|were|are|did|does|do)(?:\s+not|n't)?\s+)"
_ADVERB_WORDS = (
    "also|later|previously|earlier|recently|separately|repeatedly|again|publicly|privately|first|then|further|"
    "still|often|once|initially|subsequently|last|yesterday|today"
)
_ADVERBS = rf"(?:(?:{_ADVERB_WORDS})\s+)"
CUE = re.compile(rf"\b{_AUX}?{_ADVERBS}?(?:{REPORTING_VERBS})\b", re.IGNORECASE)
ACCORDING_TO = re.compile(r"\baccording to\b", re.IGNORECASE)
# The source runs to the next punctuation mark (greedy and possessive: one pass, no backtracking).
_ACCORDING_TO_SOURCE = re.compile(r"\s*+([^,;:.!?()\"“”]++)")

# What may sit between a cue and its content: time, setting, the audience told.
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_SETTING = re.compile(
    rf"^\s*(?:(?:late |early )?(?:on |last )?(?:{_WEEKDAYS}|"
    r"yesterday|today|this week|last week|last month|earlier|later)\b"
    r"|in an? (?:statement|interview|email|e-mail|letter|post|tweet|video|speech|report|press release|"
    r"news release|briefing|filing)\b(?: \w+){0,4}?(?=[ ,]|$)"
    r"|(?:at|during) an? (?:news|press) (?:conference|briefing)"
    r"|on (?:Twitter|X|Facebook|Telegram|social media|television|state TV)"
    r"|in (?:[A-Z][\w.'’-]+ ?){1,3}(?= that\b|,)"  # "told reporters in Geneva that ..."
    r"|(?:reporters|journalists|lawmakers|a news conference|the \w+(?: \w+)?|[A-Z][\w.]+(?: [A-Z][\w.]+)*)"
    r"(?= on\b| in\b| that\b| at\b|,|$))[\s,]*",
)
_PASSIVE = re.compile(r"(?:is|are|was|were)\b", re.IGNORECASE)
# "It is said", "It was reported", "It has been claimed": a passive whose subject is the dummy "it".
IMPERSONAL_SUBJECT = r"it\s+(?:is|was|has\s+been|had\s+been|is\s+being|was\s+being)\s+"
# With "that" after it, the claim rests on no one ("It was reported that the convoy was hit"); "is said to be"
# is a hedge (``hedge_rules``).
_IMPERSONAL_CUE = re.compile(
    rf"\b(?i:{IMPERSONAL_SUBJECT})(?:(?:also|widely|now|often|long)\s+)?(?i:said|reported|claimed|alleged|"
    r"rumou?red|understood|believed|thought|suggested)"
    # where it was said may come before "that" ("It was claimed in court filings that"); "by X" names a source
    r"(?P<setting>\s+(?:in|on|at|during|after)\s[^,;:.!?\"“”]{1,40}?)?(?=\s+that\b)"
)
_CONCESSION = re.compile(r",\s+(?:although|though|but|while|whereas)\b")
_PASSIVE_BEFORE = re.compile(r"\b(?:been|be|being|is|are|was|were)\s+(?:\w+ly\s+)?$", re.IGNORECASE)  # "been widely"
# "declined to say", "fair to say", "what to say": no statement; "went on to say" is one.
_INFINITIVE_BEFORE = re.compile(
    r"\b(?:declined?|declines|refused?|refuses|fair|hard|difficult|safe|what|how|nothing|anything|early|unable|"
    r"reluctant|afraid|wanted|want|wants)\s+to\s+$",
    re.IGNORECASE,
)
_NEGATED_SOURCE = re.compile(r"(?:no|neither|nobody|none|no one|nor)\b", re.IGNORECASE)
# Between a source and its cue: "Cruz has long said", "Clinton now says", "Trump this week also said".
# Lower case only: "Rep. Billy Long said" keeps its surname.
_BETWEEN_SOURCE_AND_CUE = re.compile(
    rf"(?:\s+(?:has|have|had|long|now|frequently|consistently|{_ADVERB_WORDS}|(?:this|last) (?:week|month|year)|"
    rf"(?:went|goes|go) on to|on (?:{_WEEKDAYS})))+\s*$"
)
# A finite verb in what follows a cue makes it a clause (the content), not a source after the cue: an
# auxiliary, a lower-case past tense in -ed ("failed"; not "Ahmed", nor a participle before a preposition as in
# "a diplomat involved in the talks") or a common irregular past tense.
_CLAUSE_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|could|can|should|may|might|must|did|does|do"
    # An -ed word ends the phrase or takes an object ("the talks failed", "rebels seized the town"); before a
    # noun it is an adjective ("the embattled mayor"), and "Saudi-led" is a compound.
    r"|(?<![\w-])[a-z]+ed(?=\s*$|\s+(?:the|a|an|his|her|their|its|them|him|it|that|to|\d))"
    r"|left|went|made|took|fell|rose|grew|met|won|lost|held|began|came|gave|kept|ran|saw|became|fought"
    r"|struck|hit|broke|spent|sent|built|brought|bought|paid|sold|stood|fled|shot|found|got)\b"
)
_THAT = re.compile(r"^\s*(?:that\b|:)\s*")
_TOLD = re.compile(r"\b(?:told|tells)$", re.IGNORECASE)
# Who was told: a pronoun, "reporters", a short "the ..." phrase or a name ("the Associated Press", "BBC Radio"),
# ending at "that", a setting ("on Sunday", "in Geneva"), "to" or punctuation. "told him to leave" is an order.
_ADDRESSEE = re.compile(
    r"\s+(?:(?:reporters|journalists|lawmakers|parliament|him|her|them|us|me|you)\b"
    r"|(?:(?:the|a|an)(?:\s+[\w.'’&-]+){1,4}?|[A-Z][\w.'’&-]*(?:\s+(?:[A-Z0-9][\w.'’&-]*|of|the|for|and)){0,5}?)"
    r"(?=\s+(?:that|on|in|at|during|after|before|when|while|by|to)\b|\s*[,;:.!?]|\s*$))"
)
_ADDRESSEE_UP_TO_THAT = re.compile(r"\s+([^,;:.!?()]{1,80}?)\s+that\b")  # quotes for a show: MSNBC's "Morning Joe"
_ORDER_AFTER_ADDRESSEE = re.compile(r"\s+to\s")
_TOLD_A_STORY = re.compile(
    r"\s+(?:a|the|his|her|their|one)\s+(?:\w+\s+)?(?:story|stories|tale|tales|joke|jokes|anecdote)\b"
)

_BOUNDARY_WORDS = word_set(
    """that which when while after before because since although though if as so but and or then where whether
    what how why is was were are has have had will would could should also said says told"""
)
_AGE = re.compile(r"\d{1,3},?")
_NAME_JOINERS = frozenset(
    ["and", "of", "for", "the", "de", "al", "bin", "von", "van", "la", "le", "del", "da", "at", "on", "in"]
)
MAX_CUES = 40  # per sentence and pattern family
REACH = 300  # code points looked at either side of a cue for its source and content
_WORD_SPAN = re.compile(r"[^\s]+")
# "PENCE: Well, look, …" or '"WALLACE: Let's start …' at a line start: a speaker label, in a transcript.
_SPEAKER_LABEL = re.compile(
    r"^[ \t]*[\"“]?(?P<name>[A-Z][A-Z.'’-]+(?:[ \t]+[A-Z][A-Z.'’-]+){0,2})(?P<colon>:)[ \t]+(?=\S)", re.M
)


# Transcript speakers with no name: an unidentified voice, or a group speaking as one.
_UNNAMED_SPEAKER = re.compile(
    r"(?:(?P<unidentified>UNIDENTIFIED|UNKNOWN|UNNAMED|ANONYMOUS)\b|(?:AUDIENCE|CROWD|PROTESTERS?|CALLER)\b)"
)


@dataclass(frozen=True)
class Quote:
    label: str  # attribution | vague_source | hedge
    cue: tuple[int, int]
    source: tuple[int, int] | None
    content: tuple[int, int] | None
    source_kind: str | None
    confidence: float
    explanation: str
    detail: str | None = None
    no_source: bool = False  # the claim rests on no one ("It was reported that"): never borrow a source
    # A form the tagger is known to miss (dash credits, transcript turns): the cascade keeps it where the model
    # ran and saw nothing, which it does not do for other rule-only attributions.
    model_blind_spot: bool = False


def find_quotes(text: str, start: int, end: int) -> list[Quote]:
    """Attribution quotes in the sentence ``text[start:end]`` (absolute offsets)."""
    sentence = text[start:end]
    quotes: list[Quote] = []
    # No prose sentence has dozens of reporting cues; past MAX_CUES it is a list or junk, and the cap keeps an
    # adversarial page from costing seconds.
    for match in islice(ACCORDING_TO.finditer(sentence), MAX_CUES):
        quote = _according_to(text, start, end, match)
        if quote:
            quotes.append(quote)
    for match in islice(CUE.finditer(sentence), MAX_CUES):
        quote = _reporting_verb(text, start, end, match)
        if quote is not None and open_quote(sentence[: match.start()]):
            # Inside a quotation a cue is the speaker's own words ('"I believed every word I told them," Price
            # told the jury'), unless it names whom the speaker cites ('"The FBI concluded there was no basis,"
            # he said'), whose claim ends with the quotation.
            if quote.source_kind not in ("named", "official", "media"):
                continue
            closing = re.search(r"[\"”]", text[quote.content[0] : quote.content[1]]) if quote.content else None
            if quote.content and closing:
                quote = replace(quote, content=trim_span(text, quote.content[0], quote.content[0] + closing.start()))
        if quote is not None:
            quotes.append(quote)
    for match in islice(_DASH_CREDIT.finditer(text, start, end), MAX_CUES):
        quote = _dash_credit(text, match)
        if quote is not None:
            quotes.append(quote)
    others = [q.source or q.cue for q in quotes]
    for match in islice(_IMPERSONAL_CUE.finditer(sentence), MAX_CUES):
        content = _content_after(text, start + match.end(), end)
        # "It was thought that the plan had failed, officials said": the claim ends where another source begins,
        # or a concession ("…, although the defence disputed that account").
        later = [a for a, _ in others if content and content[0] < a < content[1]]
        concession = _CONCESSION.search(text, *content) if content else None
        later += [concession.start()] if concession else []
        if content and later:
            content = trim_span(text, content[0], min(later))
        quotes.append(
            Quote(
                "vague_source",
                (start + match.start(), start + match.start("setting") if match["setting"] else start + match.end()),
                None,
                content,
                "vague",
                0.85,
                "impersonal passive: no source is named",
                no_source=True,
            )
        )
    if not quotes:
        marker = ANONYMITY_MARKERS.search(sentence)
        if marker and len(marker.group().split()) > 1:
            quotes.append(
                Quote(
                    "vague_source",
                    (start + marker.start(), start + marker.end()),
                    None,
                    (start, end),
                    "anonymous",
                    0.8,
                    f"unnamed source marker: '{marker.group()}'",
                )
            )
    return quotes


def find_transcript_turns(text: str) -> list[Quote]:
    """The turns of an interview or debate transcript ("PENCE: Well, look, …"): the colon is the cue, the speaker
    the source and the rest of the line what they said. Only in a transcript, i.e. where at least two speakers
    are each labelled at least twice: a lone capitalised word and colon is as often a headline label
    ("EXCLUSIVE:", "UPDATE:")."""
    labels = list(_SPEAKER_LABEL.finditer(text))
    turns = Counter(label["name"] for label in labels)
    if sum(1 for count in turns.values() if count >= 2) < 2:
        return []
    quotes = []
    for label in labels:
        line_end = text.find("\n", label.end())
        content = trim_span(text, label.end(), len(text) if line_end < 0 else line_end)
        unnamed = _UNNAMED_SPEAKER.match(label["name"])
        if unnamed:
            # Title-cased, "Unidentified Male" would read as a person's name.
            kind = "anonymous" if unnamed["unidentified"] else "vague"
            verdict = SourceVerdict("vague_source", kind, f"unnamed speaker: '{label['name']}'")
        else:
            # The labels are in capitals, which ``classify_source`` reads as an unidentified acronym-like source.
            speaker = label["name"].title()
            verdict = classify_source(speaker, speaker)
        quotes.append(
            Quote(
                verdict.label,
                label.span("colon"),
                label.span("name"),
                content if content[1] > content[0] else None,
                verdict.kind,
                0.9,
                f"speaker label in a transcript: '{label['name']}'",
                model_blind_spot=True,
            )
        )
    return quotes


def _according_to(text: str, s0: int, s1: int, match: re.Match[str]) -> Quote | None:
    after = text[s0 + match.end() : min(s1, s0 + match.end() + REACH)]
    src = _ACCORDING_TO_SOURCE.match(after)
    if not src or not src.group(1).strip():
        return None
    source = trim_span(text, s0 + match.end() + src.start(1), s0 + match.end() + src.end(1))
    tail_start = s0 + match.end() + src.end(1)
    while tail_start < s1 and text[tail_start] in " ,":
        tail_start += 1
    # "According to X, <content>." or "<content>, according to X."
    long_tail = len(text[tail_start : min(s1, tail_start + 20)].rstrip(".!? ")) > 12
    content = trim_span(text, tail_start, s1) if long_tail else trim_span(text, s0, s0 + match.start())
    return _make_quote(text, (s0 + match.start(), s0 + match.end()), source, content, 0.93)


def _dash_credit(text: str, match: re.Match[str]) -> Quote | None:
    """A quotation credited by a dash and a name that ends the line: '“He represents our greatest shame.” ― Sonya
    Herridge' (reader-reaction round-ups, epigraphs). The cue is the dash, the claim the quotation before it."""
    closing = match.start() - 1  # the quotation's closing mark, perhaps a space or two before the dash
    while closing > match.start() - 4 and closing > 0 and text[closing] in " \t\u00a0":
        closing -= 1
    if closing < 0 or text[closing] not in '”"':
        return None  # no quotation right before the dash: "Kyiv — Sonya Herridge" is not a credit
    source = trim_span(text, match.start("source"), match.end("source"))
    if source[1] <= source[0] or _CLAUSE_VERB.search(text, *source):
        return None  # '“…” — Trump said he would': a clause, not a name
    line_start = text.rfind("\n", 0, closing) + 1
    opening = text.rfind("“" if text[closing] == "”" else '"', max(line_start, closing - _QUOTATION_REACH), closing)
    content = trim_span(text, opening + 1, closing) if opening >= 0 else None
    quote = _make_quote(text, match.span("dash"), source, content, 0.9)
    return replace(quote, model_blind_spot=True)


def _reporting_verb(text: str, s0: int, s1: int, match: re.Match[str]) -> Quote | None:
    cue = (s0 + match.start(), s0 + match.end())
    # Sources sit right before the cue: look back REACH code points, not to the sentence start, so a
    # sentence of thousands of cues stays linear.
    window = max(s0, cue[0] - REACH)
    before = text[window : cue[0]]
    if _PASSIVE.match(match.group()) or _PASSIVE_BEFORE.search(before[-20:]):
        return None  # "has not been announced": no one is being quoted
    if _INFINITIVE_BEFORE.search(before[-20:]) or before.endswith(("never ", "Never ")):
        return None  # "declined to say", "he never said that": nothing was said
    # "told the BBC that ...": who was told is neither the source nor the claim, nor ever an inverted source.
    told = _TOLD.search(match.group()) is not None
    addressee = _addressee(text, cue[1], s1) if told else None
    if told and told_nothing(text, cue[0], cue[1], s1):
        return None
    after_start = cue[1] if addressee is None else addressee
    stripped = before.rstrip()
    source = _apposition_source(text, window, cue[0], s1) if stripped.endswith(",") else None
    if source is None and not told and (not stripped or stripped[-1] in ',"”’:' or stripped.endswith(("—", "''"))):
        # Inverted order: '"We will rebuild," said Jane Doe, the governor.'
        source = _source_after(text, after_start, s1)
        if source is None or _CLAUSE_VERB.search(text[source[0] : source[1]]):
            return None  # "..., said Moscow was open to talks": a clause follows, not a source
        quoted = trim_span(text, s0, window + len(stripped.rstrip(",—: ")))
        return _make_quote(text, cue, source, quoted, 0.9)
    filler = _BETWEEN_SOURCE_AND_CUE.search(before)
    source = source or _source_words_before(text, window, window + filler.start() if filler else cue[0])
    if source is None or _NEGATED_SOURCE.match(text[source[0] : source[1]]):
        return None  # "No group has claimed", "Neither official would say": nobody is quoted
    lead_start = max(s0, source[0] - REACH)
    lead = text[lead_start : source[0]].rstrip()
    # After "told", a claim only where who was told clearly ends; the model may know better.
    unclear_addressee = told and addressee is None
    content = None if unclear_addressee else _content_after(text, after_start, s1)
    quoted_lead = bool(lead) and (lead[-1] in '"”' or lead.endswith("''"))
    # Quote first: '"We will rebuild," the governor said.' A lead that only ends in a comma is the claim when
    # nothing follows the cue ("Talks will resume, the minister said."), or when the cue closes a parenthesis
    # ("Turnout was 67 percent, the ministry said, the highest since 1981"); not when a clause follows ("In a
    # statement, Lavrov said the talks failed.").
    # "..., officials said on Thursday, with dozens more missing": what follows a comma after the cue is an aside.
    parenthetical = "," in text[after_start : content[0] if content else after_start + 2]
    nothing_follows = content is None and not unclear_addressee
    if (quoted_lead or (lead.endswith(",") and (nothing_follows or parenthetical))) and len(
        lead.strip(QUOTE_MARKS + " ,")
    ) > 12:
        content = trim_span(text, s0, lead_start + len(lead.rstrip(" ,")))
    return _make_quote(text, cue, source, content, 0.9)


def _apposition_source(text: str, s0: int, cue_start: int, s1: int) -> tuple[int, int] | None:
    before = text[s0:cue_start]
    # "X, a spokesman for the ministry, said", "officials, who asked not to be named, said" and "an earlier
    # version, citing unnamed officials, said"
    apposition = _APPOSITION.search(before)
    if apposition is None and not _names_follow_cue(text, cue_start, s1):
        # "Sergei Lavrov, Russia's foreign minister, said": any title between commas after a proper name that
        # opens the sentence or a clause ("In a statement, Lavrov, ..."), not one inside a phrase ("At the
        # Millbrook Clinic, two nurses left, said the manager"). Likewise a role then a name ("his spokesman,
        # Paul Ibe, told") and a name and age ("Mr. King, 82, said"); none when the source follows the cue
        # ("Missiles hit the capital, Kyiv, said the mayor").
        titled = _TITLED_NAME.search(before)
        opener = before[: titled.start()].rstrip() if titled else ""
        if titled and (not opener or opener.endswith(",")):
            apposition = titled
        else:
            apposition = _ROLE_THEN_NAME.search(before) or _NAME_AND_AGE.search(before)
    if apposition and not re.search(r"\b(?:" + REPORTING_VERBS + r")\b", apposition.group(2)):
        head = _source_words_before(text, s0, s0 + apposition.end(1))
        if head is not None:
            return trim_span(text, head[0], s0 + apposition.end(2))
    return None


def told_nothing(text: str, cue_start: int, cue_end: int, s1: int) -> bool:
    """Whether a "told" cue reports no statement: an order ("told him to leave") or a story ("told a story")."""
    if _TOLD.search(text, cue_start, cue_end) is None:
        return False
    if _TOLD_A_STORY.match(text, cue_end, s1):
        return True
    addressee = _addressee(text, cue_end, s1)
    return addressee is not None and _ORDER_AFTER_ADDRESSEE.match(text, addressee, s1) is not None


def _addressee(text: str, start: int, s1: int) -> int | None:
    """Where who was told ends ("told an invited crowd at the club | that ..."), or None if it is unclear."""
    through_that = _ADDRESSEE_UP_TO_THAT.match(text, start, s1)
    # Not a relative "that" ("told a story about his father that moved the crowd"): a verb right after it.
    if through_that and _CLAUSE_VERB.match(text, through_that.end() + 1, s1):
        return None
    if through_that and not _CLAUSE_VERB.search(through_that.group(1)):
        return through_that.end(1)
    addressee = _ADDRESSEE.match(text, start, s1)
    return addressee.end() if addressee and not _CLAUSE_VERB.search(addressee.group()) else None


def _names_follow_cue(text: str, cue_start: int, s1: int) -> bool:
    """Whether the cue is followed by its source ("..., said clinic manager Rosa Linden.") rather than a clause."""
    verb = CUE.match(text, cue_start)
    if verb is None or _TOLD.search(verb.group()):
        return False  # what follows "told" is who was told
    after = _source_after(text, verb.end(), s1)
    return after is not None and not _CLAUSE_VERB.search(text[after[0] : after[1]])


# "Mr. King, 82," and "Schiff, 56, who has served ...": an age stays with its name.
_APPOSITION = re.compile(
    r"([A-Z][^,;:\"“”]{0,60}?(?:,\s+\d{1,3})?),\s+"
    r"((?:a|an|the|who|speaking|one of|citing|quoting)\b[^;:\"“”]{1,120}?),?\s*$"
)
# A proper name (capitalised words, with name particles) and a comma-enclosed title right before the cue.
_NAME_WORD = r"(?:[A-Z][\w.'’-]*|de|al|bin|von|van|la|le|del|da)"
# A dash then a name (and perhaps ", a role") alone at the end of a line; ``_dash_credit`` checks the quotation
# before it.
_DASH_CREDIT = re.compile(
    rf"(?P<dash>[―—–]|--)[ \t\u00a0]*"
    rf"(?P<source>[A-Z][\w.'’-]*(?:[ \t]+{_NAME_WORD}){{0,4}}(?:,[ \t]+[^\n,;:\"“”]{{2,60}}?)?)"
    r"[ \t\u00a0.]*(?=\n|$)"
)
_QUOTATION_REACH = 2000  # code points looked back from a dash credit for the quotation's opening mark
_TITLED_NAME = re.compile(rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}),\s+([^,;:\"“”()]{{3,120}}?),\s*$")
# A name and an age between commas: "Mr. King, 82,".
_NAME_AND_AGE = re.compile(rf"(?<![\w.'’-])({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}),\s+(\d{{1,3}}),\s*$")
# The other order, a role and then the name between commas: "his spokesman, Paul Ibe, told", "Kessler's lawyer,
# Marc Mukasey, told".
_ROLE_THEN_NAME = re.compile(
    rf"(\b(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Aa]n?|(?:[A-Z][\w.-]*\s){{0,3}}[A-Z][\w.-]*['’]s)\s"
    rf"[^,;:\"“”()]{{1,60}}?),\s+"
    rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}),\s*$"
)


def _source_words_before(text: str, s0: int, stop: int) -> tuple[int, int] | None:
    end_of_source = len(text[:stop].rstrip())
    if end_of_source > s0 and text[end_of_source - 1] == ")":
        # "The IAEA (International Atomic Energy Agency) said": the parenthesis belongs to the source.
        opening = text.rfind("(", s0, end_of_source)
        if opening > s0:
            head = _source_words_before(text, s0, opening)
            return (head[0], end_of_source) if head else None
    words = [(m.start() + s0, m.end() + s0) for m in _WORD_SPAN.finditer(text[s0:stop])]
    taken: list[tuple[int, int]] = []
    for w_start, w_end in reversed(words):
        word = text[w_start:w_end]
        bare = word.strip(QUOTE_MARKS + ",.;:()").lower()
        after_age = len(taken) == 1 and _AGE.fullmatch(text, *taken[0]) and word[:1].isupper() and word[-1] == ","
        if (taken and not after_age and (word[-1] in ',;:"”(—–' or word.endswith("''"))) or not bare.strip("-—–"):
            break  # '' is the New York Times' closing quote mark; "Mr. King, 82," keeps the age
        if bare in _BOUNDARY_WORDS and not (bare in _NAME_JOINERS and taken):
            break
        opens_quote = word[0] in '"“(' or word.startswith("''")
        if opens_quote and taken:
            break
        taken.append((w_start, w_end))
        if len(taken) >= 8 or opens_quote:
            break
    while taken and text[taken[-1][0] : taken[-1][1]].lower().strip(QUOTE_MARKS) in _NAME_JOINERS - {"the"}:
        taken.pop()
    if not taken:
        return None
    span = trim_span(text, taken[-1][0], taken[0][1])
    return span if span[1] > span[0] else None


def _source_after(text: str, start: int, s1: int) -> tuple[int, int] | None:
    found = re.match(
        r"\s*([^,;:.!?\"“”]{2,80}?(?:,\s+(?:a|an|the)\s[^;:.!?\"“”]{2,80}?)?)\s*(?=[.;!?]|$)",
        text[start : min(s1, start + REACH)],
    )
    if not found:
        return None
    return trim_span(text, start + found.start(1), start + found.end(1))


def _content_after(text: str, start: int, s1: int) -> tuple[int, int] | None:
    rest = text[start : min(s1, start + REACH)]  # the settings and "that" to skip are short
    offset = 0
    for _ in range(3):
        setting = _SETTING.match(rest[offset:])
        if not setting or not setting.group().strip(" ,"):
            break
        offset += setting.end()
    that = _THAT.match(rest[offset:])
    if that:
        offset += that.end()
    span = trim_span(text, start + offset, s1)
    return span if span[1] - span[0] > 3 else None


def _make_quote(
    text: str,
    cue: tuple[int, int],
    source: tuple[int, int],
    content: tuple[int, int] | None,
    base_confidence: float,
) -> Quote:
    span_text = text[source[0] : max(source[1], cue[1])]
    verdict: SourceVerdict = classify_source(text[source[0] : source[1]], span_text)
    confidence = base_confidence if verdict.kind is not None else base_confidence - 0.1
    # An empty content ("According to MSNBC, basically.": no claim on either side) is no content; as a span it
    # would make the pipeline drop the whole annotation as invalid.
    claim = content if content is not None and content[1] > content[0] else None
    return Quote(verdict.label, cue, source, claim, verdict.kind, confidence, verdict.reason)
