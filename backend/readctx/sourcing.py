"""The sourcing annotator: a cascade of the rule layer (precision) and the transformer (recall).

Merge rules, per cue:
- found by both layers: the rule's spans (they are exact), the model's confidence folded in
  (``1 - (1 - p_rule) * (1 - p_model)``), annotator ``rules+model``;
- rules only, where the model ran and saw nothing there: an attribution is dropped, unless the rule marks a form
  the tagger is known to miss (``Quote.model_blind_spot``: dash credits, transcript turns); a hedge keeps the
  rule's confidence, lowered a little. (On PolNeAR train articles the tagger never saw, only 13.5% of such
  attribution cues were gold cues: "their say", "Trump's reported net worth", quotes within quotes.) Without a
  model every rule's quote is kept;
- model only: kept when its confidence reaches ``model_threshold``; a cue with no source in its sentence must
  reach ``orphan_cue_threshold``; a model-only hedge that is a bare modal or an
  accusation ("would", "may", "if", "accused") is dropped (``NOT_HEDGES_ALONE``); the source phrase is
  classified by the same ``readctx.sources`` logic as the rules, so both layers label alike.
A sourceless attribution on a hedge's words ("reportedly") is left to the hedge. A pronoun source ("he said")
takes the kind of the nearest earlier identified source.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from .hedge_rules import find_hedges
from .sources import ANONYMITY_MARKERS, classify_source, is_person_role
from .sourcing_rules import IMPERSONAL_SUBJECT, Quote, find_quotes, find_transcript_turns, told_nothing
from .text import trim_span
from .types import Annotation, Doc, Sentence, TaggedSpan

# The model's source span is the dummy "it" of "It is said", "It was reported".
_IMPERSONAL = re.compile(IMPERSONAL_SUBJECT, re.IGNORECASE)
_NO_STATEMENT_AFTER = re.compile(
    r"\s+to\s+(?:comment|say|speak|discuss|elaborate|respond|be\s+(?:named|identified))\b", re.IGNORECASE
)
MISSED_BY_MODEL = 0.9  # rule-only hedge confidence factor when the model ran and did not see the cue
# Szeged tags every epistemic "would"/"may"/"if" (and conditional "until"/"unless") as a cue; alone, highlighted
# in every other sentence, they bury the hedges a reader needs. Accusations ("accused", "questioned") state
# a dispute, not the writer's uncertainty, and "yes"/"no"/"is" alone are decoding noise. The model's phrasal
# cues ("believed to", "no evidence") are kept.
NOT_HEDGES_ALONE = frozenset(
    """would could may might should can will must whether if unless until expected expects expect accused accuse
    accuses accusing questioned question questions charges charged yes no when is are plans plan""".split()
)


@dataclass(frozen=True)
class CascadeConfig:
    """Confidence floors for the model's spans. Chosen on the PolNeAR train articles a half-data model never saw
    (``training.train`` on every other article): raising the orphan floor from 0.5 to 0.85 bought 2 points of
    cue precision for 4 of recall there, so orphans now have the same floor as other cues."""

    model_threshold: float = 0.5
    orphan_cue_threshold: float = 0.5
    hedge_threshold: float = 0.5


class SourcingAnnotator:
    name = "sourcing"

    def __init__(self, config: CascadeConfig | None = None) -> None:
        self.config = config or CascadeConfig()

    def __call__(self, doc: Doc) -> list[Annotation]:
        text = doc.text
        rule_quotes: list[Quote] = []
        for sentence in doc.sentences:
            rule_quotes.extend(find_quotes(text, sentence.start, sentence.end))
            rule_quotes.extend(find_hedges(text, sentence.start, sentence.end))
        rule_quotes.extend(find_transcript_turns(text))
        if doc.tagged is None:
            merged = [(quote, "rules") for quote in rule_quotes]
        else:
            merged = self._merge(rule_quotes, self._model_quotes(doc, doc.tagged), text)
        merged.sort(key=lambda pair: pair[0].cue)
        kept = _drop_orphans_under_hedges(_dedupe(merged))
        annotations = [_to_annotation(doc, quote, annotator) for quote, annotator in kept]
        _resolve_pronouns(annotations)
        return annotations

    def _model_quotes(self, doc: Doc, tagged: list[TaggedSpan]) -> list[Quote]:
        cfg = self.config
        text = doc.text
        quotes: list[Quote] = []
        by_sentence = _group_by_sentence(doc.sentences, tagged)
        for sentence, spans in by_sentence:
            sources = [s for s in spans if s.task == "attribution" and s.label == "source"]
            contents = [s for s in spans if s.task == "content"]
            # "who asked not to be named": the verb inside an anonymity phrase is not what the claim rests on.
            markers = [m.span() for m in ANONYMITY_MARKERS.finditer(text, sentence.start, sentence.end)]
            for cue in (s for s in spans if s.task == "attribution" and s.label == "cue"):
                if cue.confidence < cfg.model_threshold or any(a <= cue.start and cue.end <= b for a, b in markers):
                    continue
                if _NO_STATEMENT_AFTER.match(text, cue.end) or told_nothing(text, cue.start, cue.end, sentence.end):
                    continue  # "declined to comment", "told him to leave", "told a story": nothing was said
                source = _nearest(cue, sources)
                content = _nearest(cue, contents)
                if source is None:
                    if cue.confidence < cfg.orphan_cue_threshold:
                        continue
                    quotes.append(
                        Quote(
                            "attribution",
                            (cue.start, cue.end),
                            None,
                            _pair(text, content, sentence),
                            None,
                            cue.confidence * 0.8,
                            "reporting cue; its source is not in this sentence",
                        )
                    )
                    continue
                if _IMPERSONAL.fullmatch(text, source.start, cue.start):
                    # "It is said that ...", "It was reported that ...": a claim with no one behind it.
                    quotes.append(
                        Quote(
                            "vague_source",
                            (cue.start, cue.end),
                            None,
                            _pair(text, content, sentence),
                            "vague",
                            cue.confidence,
                            "impersonal passive: no source is named",
                        )
                    )
                    continue
                verdict = classify_source(
                    text[source.start : source.end], text[min(source.start, cue.start) : max(source.end, cue.end)]
                )
                quotes.append(
                    Quote(
                        verdict.label,
                        (cue.start, cue.end),
                        _pair(text, source, sentence),
                        _pair(text, content, sentence),
                        verdict.kind,
                        min(cue.confidence, (cue.confidence + source.confidence) / 2),
                        verdict.reason,
                    )
                )
            for hedge in (s for s in spans if s.task == "hedge"):
                if hedge.confidence >= cfg.hedge_threshold:
                    quotes.append(
                        Quote(
                            "hedge",
                            (hedge.start, hedge.end),
                            None,
                            (sentence.start, sentence.end),
                            None,
                            hedge.confidence,
                            "uncertainty cue recognised by the model",
                        )
                    )
        return quotes

    def _merge(self, rules: list[Quote], model: list[Quote], text: str) -> list[tuple[Quote, str]]:
        merged: list[tuple[Quote, str]] = []
        used: set[int] = set()
        by_start = sorted(range(len(model)), key=lambda i: model[i].cue)
        starts = [model[i].cue[0] for i in by_start]
        for rule in rules:
            partner = _overlapping(rule, model, by_start, starts, used)
            if partner is None:
                if rule.model_blind_spot:
                    merged.append((rule, "rules"))
                elif rule.label == "hedge":
                    merged.append((replace(rule, confidence=rule.confidence * MISSED_BY_MODEL), "rules"))
                continue
            used.add(partner)
            other = model[partner]
            combined = 1 - (1 - rule.confidence) * (1 - other.confidence)
            merged.append(
                (
                    replace(
                        rule,
                        # A model source inside the rule's cue is no source ("It" of "It was reported").
                        source=rule.source
                        or (
                            other.source
                            if other.source and not rule.no_source and not _overlaps(other.source, rule.cue)
                            else None
                        ),
                        content=rule.content or other.content,
                        confidence=combined,
                        explanation=rule.explanation + " (pattern and model agree)",
                    ),
                    "rules+model",
                )
            )
        merged.extend(
            (replace(m, explanation=m.explanation + " (model)"), "model")
            for i, m in enumerate(model)
            if i not in used and not (m.label == "hedge" and text[m.cue[0] : m.cue[1]].lower() in NOT_HEDGES_ALONE)
        )
        return merged


def _group_by_sentence(sentences: list[Sentence], tagged: list[TaggedSpan]) -> list[tuple[Sentence, list[TaggedSpan]]]:
    groups: list[tuple[Sentence, list[TaggedSpan]]] = [(s, []) for s in sentences]
    ordered = sorted(tagged, key=lambda span: span.start)
    index = 0
    for span in ordered:
        while index < len(groups) and groups[index][0].end <= span.start:
            index += 1
        if index < len(groups) and groups[index][0].start <= span.start:
            groups[index][1].append(span)
    return [group for group in groups if group[1]]


def _nearest(cue: TaggedSpan, candidates: list[TaggedSpan]) -> TaggedSpan | None:
    def distance(span: TaggedSpan) -> int:
        return max(span.start - cue.end, cue.start - span.end, 0)

    return min(candidates, key=distance, default=None)


def _pair(text: str, span: TaggedSpan | None, sentence: Sentence) -> tuple[int, int] | None:
    """A tagged span as offsets, inside the cue's sentence (a headline's claim does not run on into the story
    below it) and trimmed like the rule layer's ("Abu Omar," → "Abu Omar")."""
    if span is None:
        return None
    start, end = trim_span(text, max(span.start, sentence.start), min(span.end, sentence.end))
    return (start, end) if end > start else (span.start, span.end)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


MAX_CUE_LENGTH = 120  # code points; bounds the search for overlapping cues


def _overlapping(rule: Quote, model: list[Quote], by_start: list[int], starts: list[int], used: set[int]) -> int | None:
    """The first unused model quote of the same kind (hedge or not) whose cue overlaps the rule's cue."""
    first = bisect_left(starts, rule.cue[0] - MAX_CUE_LENGTH)
    for position in range(first, bisect_left(starts, rule.cue[1])):
        candidate = by_start[position]
        other = model[candidate]
        if candidate not in used and _overlaps(rule.cue, other.cue) and _same_kind(rule, other):
            return candidate
    return None


def _same_kind(a: Quote, b: Quote) -> bool:
    return (a.label == "hedge") == (b.label == "hedge")


def _dedupe(quotes: list[tuple[Quote, str]]) -> list[tuple[Quote, str]]:
    """One annotation per cue span and kind (patterns can overlap, e.g. "according to" inside a quote).

    ``quotes`` come sorted by cue, so an overlap can only be with the last kept quote of the same kind.
    """
    kept: list[tuple[Quote, str]] = []
    last_of_kind: dict[bool, int] = {}
    for quote, annotator in quotes:
        kind = quote.label == "hedge"
        clash = last_of_kind.get(kind)
        if clash is not None and _overlaps(kept[clash][0].cue, quote.cue):
            if quote.confidence > kept[clash][0].confidence:
                kept[clash] = (quote, annotator)
            continue
        last_of_kind[kind] = len(kept)
        kept.append((quote, annotator))
    return kept


def _drop_orphans_under_hedges(quotes: list[tuple[Quote, str]]) -> list[tuple[Quote, str]]:
    """A sourceless attribution cue on a hedge's words ("reportedly", "allegedly") says nothing the hedge does
    not: the contract calls these hedges, and two highlights on one word tell the reader nothing more. (An
    impersonal "It was claimed" stays a ``vague_source``: that no one is named is itself the point.)"""
    hedges = sorted(quote.cue for quote, _ in quotes if quote.label == "hedge")
    if not hedges:
        return quotes
    starts = [start for start, _ in hedges]
    widest = max(end - start for start, end in hedges)

    def under_hedge(cue: tuple[int, int]) -> bool:
        # A hedge that overlaps the cue starts before its end and at most ``widest`` before its start.
        index = bisect_left(starts, cue[0] - widest)
        return any(_overlaps(hedge, cue) for hedge in hedges[index : bisect_left(starts, cue[1])])

    return [
        (quote, annotator)
        for quote, annotator in quotes
        if quote.label != "attribution" or quote.source is not None or not under_hedge(quote.cue)
    ]


def _to_annotation(doc: Doc, quote: Quote, annotator: str) -> Annotation:
    start, end = quote.cue
    return Annotation(
        type="sourcing",
        label=quote.label,
        start=start,
        end=end,
        exact=doc.text[start:end],
        confidence=round(min(quote.confidence, 0.99), 4),
        explanation=quote.explanation,
        annotator=annotator,
        source=doc.span(*quote.source) if quote.source else None,
        content=doc.span(*quote.content) if quote.content else None,
        source_kind=quote.source_kind,
        detail=quote.detail,
    )


PRONOUN_REACH = 250  # code points: about the previous sentence; further back the referent is a guess


def _resolve_pronouns(annotations: list[Annotation]) -> None:
    """Give "he said" the kind of an identified source just before it; too far back, leave it unresolved.

    "he"/"she" take only a person, named or by office ("the governor"); "they"/"it" also an organisation.
    """
    last: Annotation | None = None
    for annotation in annotations:
        if annotation.label == "hedge" or annotation.source is None:
            continue
        if annotation.source_kind in ("named", "official") and annotation.label == "attribution":
            last = annotation
            continue
        if annotation.source_kind is not None or annotation.label != "attribution" or last is None:
            continue
        assert last.source is not None
        pronoun = annotation.source.exact.lower()
        person_only = pronoun in ("he", "she", "i")
        person = last.source_kind == "named" or is_person_role(last.source.exact)
        if annotation.start - last.end > PRONOUN_REACH or (person_only and not person):
            continue
        annotation.source_kind = last.source_kind
        annotation.explanation = (
            f"'{annotation.source.exact}' most likely refers to '{last.source.exact}', named just before"
        )
