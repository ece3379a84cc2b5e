"""Syndication: credit lines and publisher footers in the text, and the republished-or-not verdict.

The rules look for the few fixed forms publishers and wire services use — datelines "(Reuters) -",
German agency tags ending a story ("dpa/ab/xy", "(dpa)"), "Reporting by …; Editing by …" footers, "This
article was originally published by …", Creative Commons republication notices, copyright lines, donation and
newsletter appeals — and are anchored on those forms (line starts, sign-off position, the "This article/story"
subject), because the same names appear all the time in ordinary reporting: "said the Reuters report" or "the
Associated Press reported" is sourcing, not syndication, and matches nothing here.

The verdict on ``doc.syndication``: ``republished`` when a credit names a party other than the publisher
or the page's rel=canonical points to another site; ``origin`` is that party (and the canonical URL);
``publisher`` is the page's site name, else its host, else a copyright holder that is not the origin.
``evidence`` holds the ids of the annotations behind the verdict; page-metadata evidence goes into
``signals`` ("meta:canonical"). Near-duplicate matching lives in ``readctx.index`` (re-exported here).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .boilerplate import BOILERPLATE
from .index import NearDuplicateAnnotator
from .text import strip_span
from .types import Annotation, Doc, Sentence

__all__ = ["NearDuplicateAnnotator", "SyndicationAnnotator"]

# Wire services and syndicators, as they write their own names, with the one name readctx reports.
_WIRES = {
    alias: name
    for name, aliases in {
        "Reuters": ("Reuters", "Thomson Reuters"),
        "Associated Press": ("AP", "Associated Press", "The Associated Press"),
        "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
        "PA Media": ("PA", "PA Media", "Press Association"),
        "Bloomberg": ("Bloomberg", "Bloomberg News"),
        "CNN": ("CNN",),
        "UPI": ("UPI", "United Press International"),
        "dpa": ("dpa", "DPA"),
        "dpa-AFX": ("dpa-AFX",),
        "Xinhua": ("Xinhua",),
        "Kyodo News": ("Kyodo", "Kyodo News"),
        "EFE": ("EFE",),
        "ANSA": ("ANSA",),
        "AAP": ("AAP",),
        "The Canadian Press": ("The Canadian Press", "Canadian Press"),
        "Yonhap": ("Yonhap",),
        "TASS": ("TASS",),
        "PTI": ("PTI",),
        "ANI": ("ANI",),
    }.items()
    for alias in aliases
}
_WIRE = "|".join(re.escape(name) for name in sorted(_WIRES, key=len, reverse=True))
# A proper name: capitalised words (dots only inside a word, so "Courier. All" stops at the full stop),
# joined by "of", "for", "the", "&" ("Center for Public Integrity", "ProPublica.org").
# Words start at a word start and are taken whole (lookbehind, possessive): a name retried from every letter
# of a long word was quadratic ("CopyrightA" * N). Bylines and credits name at most a few people.
_WORD = r"(?<![\w&'’])[A-Z0-9][\w&'’-]*+(?:\.(?=\w)[\w&'’-]++)*+"
_NAME = rf"{_WORD}(?:[ \t]+(?:(?:of|for|the|de|&)[ \t]+)?{_WORD}){{0,6}}"
_PERSON = r"(?<![\w'’])[A-Z][\w'’.-]++(?:[ \t]+[A-Z][\w'’.-]++){1,3}"
_PERSONS = rf"{_PERSON}(?:(?:,[ \t]*|[ \t]+(?:and|&)[ \t]+){_PERSON}){{0,9}}"
_DASH = r"[-–—]{1,2}"

_ORIGIN_CREDIT = re.compile(
    r"(?:\b(?i:this|a[ \t]+version[ \t]+of[ \t]+this)[ \t]+"
    r"(?i:article|story|piece|report|post|column|essay|interview|op-ed|analysis|investigation)[ \t]+"
    r"(?i:(?:was|is|has[ \t]+been)[ \t]+)?(?i:(?:originally|first)[ \t]+(?:published|appeared|ran)|"
    r"(?P<produced>produced)(?:[ \t]+and[ \t]+(?:published|distributed))?)|"
    r"^[ \t]*(?i:originally[ \t]+(?:published|appeared)|republished[ \t]+with[ \t]+permission))"
    rf"[ \t]+(?i:by|on|at|in|from|with)[ \t]+(?:the[ \t]+)?(?P<party>{_NAME})",
    re.M,
)
_REPUBLICATION = re.compile(
    r"(?i:\brepublished\b)[^\n]{0,80}?(?:(?i:from)[ \t]+(?:the[ \t]+)?"
    rf"(?P<party>{_NAME})[ \t]+)?(?i:under)[ \t]+(?i:a[ \t]+)?"
    r"(?i:creative[ \t]+commons|CC[ \t-]BY)"
)
_COPYRIGHT = re.compile(
    r"(?:(?i:copyright)(?:[ \t]*(?:©|\((?i:c)\)))?|©)[ \t]*(?:"
    r"(?P<year>(?:19|20)\d\d(?:[ \t]*[-–][ \t]*(?:19|20)\d\d)?),?[ \t]*"
    rf"(?:(?:the[ \t]+)?(?P<holder>{_NAME}))?"
    rf"|(?P<holder_first>{_NAME}),?[ \t]+(?:19|20)\d\d"
    # No year: only a wire service's name ending the line ("© Agence France-Presse", "Copyright Reuters. All
    # rights reserved."), not a photo credit ("© AP Photo/Evan Vucci", "© AFP via Getty Images").
    rf"|(?:the[ \t]+)?(?P<holder_wire>{_WIRE})(?=[ \t.]*(?:\n|$|All[ \t]+rights[ \t]+reserved)))"
)
_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Z.'’/ -]*[A-Z.](?:,[^()\n]{1,30})?[ \t]+)?"
    rf"\((?P<party>{_WIRE}|{_NAME})\)[ \t]*{_DASH}(?=[ \t])",
    re.M,
)
_NOT_CREDITS = frozenset(
    {"Updated", "Update", "Corrected", "Correction", "Corrects", "Exclusive", "Analysis", "Opinion", "Video"}
)
_SIGN_OFF = re.compile(rf"(?:^|(?<=[.!?”\"]))[ \t]*{_DASH}[ \t]*(?P<party>{_WIRE})[ \t]*$", re.M)
# German agency tags closing a story: "dpa/ab/xy" (agency, then editors' initials or regional desk), "dpa/afp/rtr"
# (the agencies drawn on), "(dpa)", "dpa-AFX". Agencies there go in lower case; two-letter lower-case parts are
# initials ("ap" too). A tag ends its line and starts it or follows a sentence and a space, so "dpa" inside a
# word, a path ("/dpa/ab/"), a host ("www.dpa.com/ab") or a photo credit ("Foto: Michael Kappeler/dpa") is none.
_TAGS_ONLY = {"afp": "AFP", "rtr": "Reuters", "epd": "epd", "kna": "KNA", "KNA": "KNA", "sid": "SID", "SID": "SID"}
_TAG_AGENCIES = {name: _WIRES[name] for name in ("dpa", "DPA", "dpa-AFX", "AFP", "AP", "Reuters")} | _TAGS_ONLY
# A tag has a lower-case agency in it: "AP/AFP" on its own line is a photo credit, "(SID)" an abbreviation.
_LOWER_CASE_AGENCIES = frozenset(name for name in _TAG_AGENCIES if name.islower())
_TAG_AGENCY = "|".join(re.escape(name) for name in sorted(_TAG_AGENCIES, key=len, reverse=True))
# Atomic parts and possessive repeats: "dpa" is both an agency and three lower-case letters, and trying both
# for every part of a long "dpa/afp/afp/..." was exponential.
_TAG_PART = rf"(?>{_TAG_AGENCY}|[a-z]{{2,4}})(?![\w-])"
_AGENCY_TAG = re.compile(
    r"(?:^|(?<=[.!?”“\"»«][ \t]))[ \t]*"
    rf"(?P<tag>\((?>{_TAG_AGENCY})(?![\w-])(?:/{_TAG_PART})*+\)|(?>{_TAG_AGENCY})(?![\w-])(?:/{_TAG_PART})++|dpa-AFX)"
    r"[ \t]*$",
    re.M,
)
# "(Reporting by …; Editing by …)" ends at its ")": a copyright notice may follow on the same line.
_REPORTING_FOOTER = re.compile(
    r"^[ \t]*+(?:(?P<open>\()[ \t]*+)?(?:Additional[ \t]+)?(?i:reporting)[ \t]+by[ \t]+"
    r"(?(open)(?P<bracketed>[^;\n)]{2,200})(?:;[^\n)]*)?(?:\)|$)|(?P<names>[^;\n]{2,200})(?:;[^\n]*)?$)",
    re.M,
)
_EDITING_BY = re.compile(r";[ \t]*(?i:editing)[ \t]+by\b")
_CONTRIBUTED = re.compile(
    rf"(?:\b(?:The[ \t]+)?(?P<party>{_WIRE})[ \t]+(?:writers?|reporters?|correspondents?|journalists?)\b"
    r"[^.\n]{0,160}?\bcontributed\b|"
    rf"\b(?:The[ \t]+)?(?P<party2>{_WIRE})[ \t]+contributed[ \t]+to[ \t]+this[ \t]+(?:report|story|article)|"
    rf"\b(?P<party3>{_WIRE})['’]s[ \t]+{_PERSONS}[ \t]+contributed[ \t]+to[ \t]+this[ \t]+(?:report|story))"
    r"[^.\n]{0,120}\.?"
)
_BYLINE = re.compile(rf"^[ \t]*By[ \t]+(?P<names>{_PERSONS})(?:[ \t]*[,|/–—-][ \t]*(?P<org>{_NAME}))?[ \t]*$", re.M)
_PIPE_BYLINE = re.compile(rf"^[ \t]*(?P<names>{_PERSONS})[ \t]*\|[ \t]*(?P<org>{_WIRE})[ \t]*$", re.M)
_MAX_NOTICE_LINE = 300  # a notice gets its whole line when the line is this short, else its sentence
_TOP_CHARS = 400  # bylines are only looked for this close to the top


@dataclass
class _Hit:
    label: str
    start: int
    end: int
    confidence: float
    explanation: str
    party: str | None = None  # a credited outlet, for the verdict
    detail: str | None = None
    whole_line: bool = True


def _wire_name(name: str | None) -> str | None:
    return _WIRES.get(name, name) if name else name


def _key(name: str) -> str:
    lowered = name.lower().removeprefix("www.").removeprefix("the ")
    return re.sub(r"[^a-z0-9]", "", lowered)


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _same_party(a: str | None, b: str | None) -> bool:
    """Whether two names (or a name and a host) are one outlet: "Reuters" / "reuters.com"."""
    if not a or not b:
        return False
    key_a, key_b = _key(_wire_name(a) or a), _key(_wire_name(b) or b)
    if key_a == key_b:
        return True
    shorter, longer = sorted((key_a, key_b), key=len)
    return len(shorter) >= 4 and shorter in longer


def _find_hits(text: str) -> list[_Hit]:
    hits: list[_Hit] = []

    def hit(
        label: str,
        m: re.Match[str],
        confidence: float,
        why: str,
        party: str | None = None,
        detail: str | None = None,
        whole_line: bool = True,
    ) -> None:
        hits.append(_Hit(label, m.start(), m.end(), confidence, why, party, detail, whole_line))

    for m in _ORIGIN_CREDIT.finditer(text):
        party = m["party"].strip()
        # "produced by" also introduces people now and then ("produced by Jane Doe"): a little less sure.
        confidence = 0.85 if m["produced"] else 0.95
        hit("origin_credit", m, confidence, f"credits {party} as the original publisher", party, party)
    for m in _REPUBLICATION.finditer(text):
        party = m["party"]
        why = "republished under a Creative Commons licence" + (f" from {party}" if party else "")
        hit("republication_notice", m, 0.97, why, party, party)
    for m in _COPYRIGHT.finditer(text):
        holder = m["holder"] or m["holder_first"] or m["holder_wire"]
        # "Copyright 2024 The Associated Press. All rights reserved." under a newspaper's story is the wire's
        # own footer; another holder (often the publisher's parent company) says nothing about origin.
        wire = _wire_name(holder) if holder in _WIRES else None
        hit(
            "copyright",
            m,
            0.9,
            "copyright notice" + (f" of {holder}" if holder else ""),
            wire,
            _wire_name(holder),
        )
    for m in _DATELINE.finditer(text):
        known = m["party"] in _WIRES
        if not known and (not m["place"] or m["party"] in _NOT_CREDITS):
            continue  # "(Updated) -" is not a credit; "CHICAGO (Tribune News Service) —" is
        party = _wire_name(m["party"])
        confidence = 0.95 if known else 0.75
        hit("wire_credit", m, confidence, f"dateline credits the story to {party}", party, party, False)
    for m in _SIGN_OFF.finditer(text):
        party = _wire_name(m["party"])
        hit("wire_credit", m, 0.9, f"sign-off credits {party}", party, party, False)
    for m in _AGENCY_TAG.finditer(text):
        parts = m["tag"].strip("()").split("/")
        if m["tag"] != "dpa-AFX" and _LOWER_CASE_AGENCIES.isdisjoint(parts):
            continue
        # The first part is the agency the story comes from; later agencies are the ones it also draws on.
        agencies = list(dict.fromkeys(_TAG_AGENCIES[p] for p in parts if p in _TAG_AGENCIES))
        party = agencies[0]
        named = agencies[0] if len(agencies) == 1 else f"{', '.join(agencies[:-1])} and {agencies[-1]}"
        hit("wire_credit", m, 0.9, f"agency tag credits {named}", party, party, False)
    for m in _REPORTING_FOOTER.finditer(text):
        # The line names reporters and editors, not the outlet. "Reporting by …; Editing by …" together is
        # Reuters' house style (AP and AFP sign off otherwise): it names Reuters as the likely origin, less
        # surely than a dateline does; "Reporting by" alone names no one.
        names = (m["bracketed"] or m["names"]).strip(" ;)")
        if _EDITING_BY.search(m.group()):
            why = "reporting and editing credits in Reuters' house style"
            hit("wire_credit", m, 0.75, why, "Reuters", names, False)
        else:
            hit("wire_credit", m, 0.85, "wire-style reporting credits", None, names, False)
    for m in _CONTRIBUTED.finditer(text):
        party = _wire_name(m["party"] or m["party2"] or m["party3"])
        hit("wire_credit", m, 0.9, f"{party} contributed to this report", party, party, False)
    for pattern, confidence in ((_BYLINE, 0.85), (_PIPE_BYLINE, 0.8)):
        for m in pattern.finditer(text, 0, _TOP_CHARS):
            org = m["org"]
            wire = _wire_name(org) if org in _WIRES else None
            why = f"byline of {m['names']}" + (f" ({org})" if org else "")
            hit("byline", m, confidence, why, wire, wire or org or m["names"])
    for what, confidence, pattern in BOILERPLATE:
        for m in pattern.finditer(text):
            hit("boilerplate", m, confidence, f"publisher template text: {what}")
    return hits


class _Layout:
    """Line and sentence lookups by bisection: a page full of notices must not rescan the text per notice."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text
        self._breaks = [m.start() for m in re.finditer("\n", doc.text)]
        self._sentences = sorted(doc.sentences, key=lambda s: s.start)
        self._sentence_starts = [s.start for s in self._sentences]

    def line_bounds(self, position: int) -> tuple[int, int]:
        i = bisect.bisect_left(self._breaks, position)
        line_start = self._breaks[i - 1] + 1 if i else 0
        return line_start, self._breaks[i] if i < len(self._breaks) else len(self.text)

    def sentence_at(self, position: int) -> Sentence | None:
        i = bisect.bisect_right(self._sentence_starts, position) - 1
        if i >= 0 and position < self._sentences[i].end:
            return self._sentences[i]
        return None


def _widen(layout: _Layout, hit: _Hit, crowded: bool) -> tuple[int, int]:
    """A notice's span: from its sentence to the end of its line when the line is short and holds no other
    notice ("Copyright 2023 AP. All rights reserved."), else its sentence (within the line). Story text before
    the notice on the same line ("... in Geneva. Copyright 2023 AP.") is never part of it."""
    text = layout.text
    line_start, line_end = layout.line_bounds(hit.start)
    if not hit.whole_line:
        return strip_span(text, hit.start, hit.end)
    sentence = layout.sentence_at(hit.start)
    if not crowded and line_end - line_start <= _MAX_NOTICE_LINE:
        start = max(sentence.start, line_start) if sentence is not None else line_start
        return strip_span(text, min(start, hit.start), line_end)
    start, end = hit.start, hit.end
    if sentence is not None:
        start, end = max(sentence.start, line_start), max(min(sentence.end, line_end), hit.end)
    return strip_span(text, start, end)


class SyndicationAnnotator:
    name = "syndication"

    def __call__(self, doc: Doc) -> list[Annotation]:
        hits = _find_hits(doc.text)
        layout = _Layout(doc)
        lines: dict[int, set[str]] = {}
        for hit in hits:
            lines.setdefault(layout.line_bounds(hit.start)[0], set()).add(hit.label)
        annotations: list[Annotation] = []
        parties: dict[str, str | None] = {}
        widest: dict[str, tuple[int, int]] = {}  # per label, the span reaching furthest so far
        line_floor: dict[int, int] = {}  # per line, where the notices found on it so far end
        for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
            line = layout.line_bounds(hit.start)[0]
            start, end = _widen(layout, hit, len(lines[line]) > 1)
            # A notice widened to its sentence does not take in a credit before it on its line: "(Reporting by
            # …; Editing by …) Copyright 2024 Reuters." is a footer and then a copyright notice.
            floor = line_floor.get(line, -1)
            if start < floor <= hit.start:
                start = floor
                while start < hit.start and layout.text[start] in " \t.,;:|–—-":
                    start += 1
            # The same notice found twice (e.g. "Republished with permission … under CC BY"). Hits come in text
            # order, so a span that contains this one is the one of its label reaching furthest.
            s, e = widest.get(hit.label, (-1, -1))
            if end <= start or (s <= start and end <= e):
                continue
            if end > e:
                widest[hit.label] = (start, end)
            line_floor[line] = max(line_floor.get(line, -1), end)
            annotation = Annotation(
                type="syndication",
                label=hit.label,
                start=start,
                end=end,
                exact=doc.text[start:end],
                confidence=hit.confidence,
                explanation=hit.explanation,
                annotator="rules",
                detail=hit.detail,
                id=doc.new_id(),
            )
            annotations.append(annotation)
            parties[annotation.id] = hit.party
        self._verdict(doc, annotations, parties)
        return annotations

    @staticmethod
    def _verdict(doc: Doc, annotations: list[Annotation], parties: dict[str, str | None]) -> None:
        syndication = doc.syndication
        meta = doc.metadata
        publisher = meta.site_name or _host(meta.url)
        # Notices name the origin most directly; then datelines and sign-offs; a wire byline last.
        rank = {"origin_credit": 0, "republication_notice": 0, "wire_credit": 1, "copyright": 1, "byline": 2}
        credits = sorted(
            (
                a
                for a in annotations
                if parties.get(a.id)
                and a.label in rank
                and not _same_party(parties[a.id], publisher)
                and not _same_party(parties[a.id], _host(meta.url))
            ),
            key=lambda a: (rank[a.label], a.start),
        )
        origin_name = parties[credits[0].id] if credits else None
        evidence = [a.id for a in credits if _same_party(parties[a.id], origin_name)]
        # Reporting/editing footers and the like name no outlet but back a wire origin up.
        if origin_name:
            evidence += [a.id for a in annotations if a.label == "wire_credit" and parties.get(a.id) is None]
        canonical_host, page_host = _host(meta.canonical_url), _host(meta.url)
        canonical_elsewhere = bool(canonical_host and page_host and canonical_host != page_host)
        if publisher is None:
            holders = [a for a in annotations if a.label == "copyright" and a.detail]
            publisher = next((a.detail for a in holders if not _same_party(a.detail, origin_name)), None)
        syndication.publisher = publisher
        if not (origin_name or canonical_elsewhere):
            return
        syndication.republished = True
        origin_url = meta.canonical_url if canonical_elsewhere else None
        if syndication.origin is None:
            syndication.origin = {"name": origin_name or canonical_host, "url": origin_url}
        else:  # an earlier component (a near-duplicate match) already named one: complete it
            syndication.origin["name"] = syndication.origin.get("name") or origin_name or canonical_host
            syndication.origin["url"] = syndication.origin.get("url") or origin_url
        position = {a.id: a.start for a in annotations}
        already = set(syndication.evidence)
        syndication.evidence.extend(i for i in sorted(set(evidence), key=position.__getitem__) if i not in already)
        if canonical_elsewhere and "meta:canonical" not in syndication.signals:
            syndication.signals.append("meta:canonical")
