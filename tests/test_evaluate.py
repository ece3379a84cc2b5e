"""The dev-set scoring behind ``readctx evaluate``, on tiny inline texts and a stand-in tagger."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from readctx import evaluate
from readctx.corpora import CorpusSplits, GoldSpan, LabelledText
from readctx.evaluate import FlagScore, SpanScore, evaluate_tagger, exact_matches, format_report, overlap_matches
from readctx.types import TaggedSpan


def test_overlap_matching_is_one_to_one_and_largest_overlap_first() -> None:
    # The prediction overlaps both gold spans; it goes to the one it shares more characters with.
    assert overlap_matches([(0, 10), (12, 20)], [(5, 15)]) == 1
    # Two predictions inside one gold span match it once.
    assert overlap_matches([(0, 10)], [(0, 4), (5, 10)]) == 1
    # Touching is not overlapping.
    assert overlap_matches([(0, 5)], [(5, 9)]) == 0
    # Greedy by size: (0, 10)-(2, 10) (8 characters) is taken first, so (8, 12) pairs with (9, 20).
    assert overlap_matches([(0, 10), (9, 20)], [(2, 10), (8, 12)]) == 2


def test_exact_matching_counts_each_gold_span_once() -> None:
    assert exact_matches([(0, 4), (0, 4), (6, 9)], [(0, 4), (6, 8)]) == 1
    assert exact_matches([(0, 4), (0, 4)], [(0, 4), (0, 4), (0, 4)]) == 2


def test_span_score_reports_exact_and_overlap_precision_recall_f1() -> None:
    score = SpanScore()
    score.add([(0, 4), (10, 20)], [(0, 4), (12, 18), (30, 31)])
    score.add([(5, 9)], [])
    assert score.to_json() == {
        "gold": 3,
        "predicted": 3,
        "exact": {"p": 0.3333, "r": 0.3333, "f1": 0.3333},
        "overlap": {"p": 0.6667, "r": 0.6667, "f1": 0.6667},
    }


def test_flag_score_counts_items_not_spans() -> None:
    flags = FlagScore()
    for gold, predicted in ((True, True), (True, False), (False, True), (False, False), (True, True)):
        flags.add(gold, predicted)
    assert flags.to_json() == {"items": 5, "gold": 3, "predicted": 3, "p": 0.6667, "r": 0.6667, "f1": 0.6667}
    assert FlagScore().to_json() == {"items": 0, "gold": 0, "predicted": 0, "p": 0.0, "r": 0.0, "f1": 0.0}


class StandInTagger:
    """Returns fixed spans per text, as TokenTagger.tag_batch would."""

    def __init__(self, spans: dict[str, list[TaggedSpan]]) -> None:
        self.spans = spans

    def tag_batch(self, texts: Sequence[str]) -> list[list[TaggedSpan]]:
        return [list(self.spans.get(text, [])) for text in texts]


def _labelled(text: str, task: str, spans: Sequence[tuple[str, int, int]]) -> LabelledText:
    return LabelledText(
        doc_id=text[:8],
        text=text,
        spans=tuple(GoldSpan(task if label != "content" else "content", label, s, e) for label, s, e in spans),
        tasks=frozenset({task}),
    )


def test_evaluate_tagger_scores_each_dev_set_and_the_uncertain_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate, "evaluate_spacy", lambda docs: None)  # spaCy may or may not be installed
    article = "Officials said the talks failed."
    hedged = "The talks may resume."
    plain = "The talks resumed."
    missed = "It is possibly over."
    sentence = "Syrian army units entered Homs."
    dev = CorpusSplits(
        polnear=[_labelled(article, "attribution", [("source", 0, 9), ("cue", 10, 14), ("content", 15, 32)])],
        szeged_wiki=[
            _labelled(hedged, "hedge", [("hedge", 10, 13)]),
            _labelled(plain, "hedge", []),
            _labelled(missed, "hedge", [("hedge", 6, 14)]),
        ],
        szeged_factbank=[],
        re3d=[_labelled(sentence, "entity", [("ORG", 0, 17), ("PLACE", 26, 30)])],
    )
    tagger = StandInTagger(
        {
            article: [
                TaggedSpan("attribution", "source", 0, 9, 0.9),
                TaggedSpan("attribution", "cue", 10, 14, 0.95),
                TaggedSpan("content", "content", 15, 27, 0.8),  # "the talks fa": overlaps, not exact
            ],
            hedged: [TaggedSpan("hedge", "hedge", 10, 13, 0.9)],
            plain: [TaggedSpan("hedge", "hedge", 10, 17, 0.6)],  # a false alarm
            sentence: [TaggedSpan("entity", "ORG", 0, 17, 0.9), TaggedSpan("entity", "ORG", 26, 30, 0.7)],
        }
    )
    results = evaluate_tagger(tagger, dev, None)

    assert results["polnear_cue"]["exact"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert results["polnear_content"]["exact"]["f1"] == 0.0
    assert results["polnear_content"]["overlap"]["f1"] == 1.0
    # The service's cascade: the rule and the model agree on "said", and the rule's spans are kept.
    assert [results[f"service_polnear_{key}"]["exact"]["f1"] for key in ("cue", "source", "content")] == [1.0, 1.0, 0.0]
    assert results["service_polnear_content"]["overlap"]["f1"] == 1.0
    assert (results["szeged_hedge"]["gold"], results["szeged_hedge"]["predicted"]) == (2, 2)
    assert results["szeged_hedge"]["exact"] == {"p": 0.5, "r": 0.5, "f1": 0.5}
    assert results["szeged_uncertain_sentences"] == {
        "items": 3,
        "gold": 2,
        "predicted": 2,
        "p": 0.5,
        "r": 0.5,
        "f1": 0.5,
    }
    # "Homs" is found but typed ORG: right untyped, wrong typed.
    assert results["re3d_entity"]["exact"]["f1"] == 1.0
    assert results["re3d_entity"]["typed_exact"] == {"p": 0.5, "r": 0.5, "f1": 0.5}
    assert "re3d_entity_spacy_en_core_web_sm" not in results

    report = format_report(results).splitlines()
    assert report[0].split() == ["set", "gold", "pred", "exact", "P/R/F1", "overlap", "P/R/F1"]
    flags = next(line for line in report if line.startswith("szeged uncertain sentences"))
    assert flags.split() == ["szeged", "uncertain", "sentences", "(of", "3)", "2", "2", "0.500/0.500/0.500"]
    cue = next(line for line in report if line.startswith("polnear_cue"))
    assert len(flags) == len(cue)  # its P/R/F1 sits in the last column, under the span rows' own
    assert report[-1].startswith("speed: ") and report[-1].endswith(" s per 1,000 words (1 PolNeAR dev articles)")
