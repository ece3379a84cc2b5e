"""How far PolNeAR's annotators agree with each other, and where a model stands among them.

PolNeAR had several annotators (six, mostly) cover a few articles: 16 in ``train/``, 2 in ``dev/``. On those
articles every rater is scored against every *human* annotator other than itself, with the dev scores'
one-to-one overlap matching (``readctx.evaluate.overlap_matches``), micro-averaged over articles and reference
annotators:

* each human annotator (against the others): what one careful person scores;
* the majority of the other annotators (a character is in a span when more than half of them marked it):
  a consensus estimate, not a ceiling (on the two dev articles some single annotators score above it). With
  three annotators the majority of the other two is their intersection; with two there is no majority row;
* optionally a model, tagging the article text like ``readctx evaluate`` does.

A model trained on PolNeAR train has seen the train articles with one annotator's spans; score it on
``--split dev`` or train it with ``--hold-out-agreement-set`` (``training.train``) first.

    python -m readctx.agreement --data ../shared/data [--split train|dev|both] [--model-dir DIR | --no-model]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .corpora import MultiAnnotated, read_polnear_multi_annotated
from .evaluate import overlap_matches
from .tagger import PACKAGED_MODELS, packaged_model_dir

Span = tuple[int, int]
LABELS = ("cue", "source", "content")
MAJORITY = "majority of the others"


class LabelledSpan(Protocol):
    """What a gold span (``corpora.GoldSpan``) and a tagger span have in common."""

    @property
    def label(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def _union(spans: Sequence[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def majority_spans(text: str, annotations: Sequence[Sequence[Span]]) -> list[Span]:
    """Maximal runs of characters that more than half of ``annotations`` put inside a span (each annotation
    votes once per character, however its spans nest), whitespace trimmed. Runs ignore span boundaries: where
    voters' spans are adjacent, or overlap in a chain, one run can bridge several of one voter's spans (none of
    the agreement set's cue runs do; 8% of its content runs and 17 source runs do)."""
    votes = [0] * (len(text) + 1)
    for spans in annotations:
        for start, end in _union(spans):
            votes[start] += 1
            votes[end] -= 1
    result: list[Span] = []
    count, run_start = 0, -1
    for index in range(len(text) + 1):
        count += votes[index] if index < len(text) else 0
        inside = index < len(text) and count * 2 > len(annotations)
        if inside and run_start < 0:
            run_start = index
        elif not inside and run_start >= 0:
            start, end = run_start, index
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                result.append((start, end))
            run_start = -1
    return result


@dataclass
class Tally:
    """Overlap matches only (``evaluate.SpanScore`` also counts exact ones); raters pool by adding counts."""

    hits: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, gold: Sequence[Span], predicted: Sequence[Span]) -> None:
        self.hits += overlap_matches(gold, predicted)
        self.predicted += len(predicted)
        self.gold += len(gold)

    @property
    def f1(self) -> float:
        return 2 * self.hits / (self.predicted + self.gold) if self.predicted + self.gold else 0.0


@dataclass
class AgreementTable:
    """rater -> label -> tally against the human references, over ``articles`` articles."""

    tallies: dict[str, dict[str, Tally]] = field(default_factory=dict)
    articles: int = 0

    def add(self, rater: str, label: str, gold: Sequence[Span], predicted: Sequence[Span]) -> None:
        self.tallies.setdefault(rater, {name: Tally() for name in LABELS})[label].add(gold, predicted)

    def humans_pooled(self, exclude: Sequence[str]) -> dict[str, Tally]:
        pooled = {label: Tally() for label in LABELS}
        for rater, by_label in self.tallies.items():
            if rater in exclude:
                continue
            for label, tally in by_label.items():
                pooled[label].hits += tally.hits
                pooled[label].predicted += tally.predicted
                pooled[label].gold += tally.gold
        return pooled


def spans_of(spans: Sequence[LabelledSpan], label: str) -> list[Span]:
    return [(s.start, s.end) for s in spans if s.label == label]


def agreement(
    articles: Sequence[MultiAnnotated], systems: Mapping[str, Sequence[Sequence[LabelledSpan]]] | None = None
) -> AgreementTable:
    """Score every human, the majority of the other humans and each system (its spans per article, in
    ``articles`` order, objects with ``label``, ``start`` and ``end``) against every human reference."""
    table = AgreementTable(articles=len(articles))
    systems = systems or {}
    for name, predictions in systems.items():
        if len(predictions) != len(articles):
            raise ValueError(f"{name}: {len(predictions)} predictions for {len(articles)} articles")
    for index, article in enumerate(articles):
        humans = {
            name: {label: spans_of(spans, label) for label in LABELS} for name, spans in article.by_annotator.items()
        }
        for reference, gold in humans.items():
            others = [name for name in humans if name != reference]
            for label in LABELS:
                for name in others:
                    table.add(name, label, gold[label], humans[name][label])
                if len(others) >= 2:  # a majority of one annotator is just that annotator
                    majority = majority_spans(article.text, [humans[name][label] for name in others])
                    table.add(MAJORITY, label, gold[label], majority)
                for system, predictions in systems.items():
                    table.add(system, label, gold[label], spans_of(predictions[index], label))
    return table


def format_table(table: AgreementTable, systems: Sequence[str]) -> str:
    lines = [f"{'rater (overlap F1 against each other human)':46} " + " ".join(f"{label:>8}" for label in LABELS)]
    order = sorted(table.tallies, key=lambda name: (name == MAJORITY or name in systems, name))
    for rater in order:
        lines.append(f"{rater:46} " + " ".join(f"{table.tallies[rater][label].f1:8.3f}" for label in LABELS))
    pooled = table.humans_pooled([*systems, MAJORITY])
    lines.append(f"{'every human pair, pooled':46} " + " ".join(f"{pooled[label].f1:8.3f}" for label in LABELS))
    return "\n".join(lines)


def held_out_agreement_set(train_command: str) -> bool:
    """Whether a model's recorded training command left the agreement set's train articles out."""
    return "--hold-out-agreement-set" in train_command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m readctx.agreement", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument("--data", required=True, type=Path, help="folder with polnear/")
    parser.add_argument("--split", choices=("train", "dev", "both"), default="both")
    model = parser.add_mutually_exclusive_group()
    model.add_argument("--model", choices=sorted(PACKAGED_MODELS), default="auto", help="which packaged model")
    model.add_argument("--model-dir", type=Path, default=None, help="a model directory instead")
    model.add_argument("--no-model", action="store_true", help="score the human annotators only")
    parser.add_argument("--json", action="store_true", help="print F1 and counts as JSON")
    args = parser.parse_args(argv)
    polnear = args.data / "polnear"
    if not polnear.is_dir():
        parser.error(f"{args.data} has no polnear/: --data must be the folder of the shared corpora")
    splits = ("train", "dev") if args.split == "both" else (args.split,)
    articles = [article for split in splits for article in read_polnear_multi_annotated(polnear, split)]
    systems: dict[str, list[list[LabelledSpan]]] = {}
    if not args.no_model:
        from .transformer import TokenTagger

        model_dir = args.model_dir or packaged_model_dir(args.model)
        tagger = TokenTagger.load(model_dir)
        if args.split != "dev" and not held_out_agreement_set(tagger.train_command):
            # Recorded, not silent: the figure would flatter the model.
            print(
                f"note: {model_dir} was not trained with --hold-out-agreement-set, so it saw this set's train"
                " articles (one annotator's spans); use --split dev, or a model trained with that flag",
                file=sys.stderr,
            )
        tagged = tagger.tag_batch([article.text for article in articles])
        name = f"model {tagger.name} {tagger.version}"
        systems[name] = [[s for s in spans if s.task in ("attribution", "content")] for spans in tagged]
    table = agreement(articles, systems)
    if args.json:
        payload = {
            rater: {
                label: {"f1": round(t.f1, 4), "hits": t.hits, "predicted": t.predicted, "gold": t.gold}
                for label, t in by_label.items()
            }
            for rater, by_label in table.tallies.items()
        }
        print(json.dumps({"articles": table.articles, "split": args.split, "raters": payload}, indent=2))
    else:
        print(f"{table.articles} PolNeAR articles with several annotators ({args.split})")
        print(format_table(table, list(systems)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
