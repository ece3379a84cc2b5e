"""Evaluate readctx's in-text definition extractor on the SDU@AAAI-22 acronym extraction data.

Usage: ``PYTHONPATH=backend python benchmarks/acronyms_eval.py --data /work/shared/data/acronyms``

Each SDU item is ``{"text", "acronyms": [[start, end], ...], "long-forms": [[start, end], ...], "ID"}``
(character offsets, end exclusive). The data lists spans, not pairs; a gold pair is a long form and an
acronym adjacent to it across an opening parenthesis ("long form (SF)" or "SF (long form)"), which is
exactly what a definition extractor should find. Reported, with exact offsets:

* pairs: precision/recall/F1 of (short form, long form) pairs against the adjacent gold pairs, for
  readctx and for plain Schwartz–Hearst (forward "long form (SF)" only, the paper's rules) as a baseline;
* long forms: every predicted long form against every gold long form (paired or not);
* SDU-style: acronym spans (predicted: defined short forms plus any capitalised token that looks like
  an acronym) with P/R/F1, and the macro average of its F1 and the long-form F1, as in the shared task.

Published anchors: Schwartz & Hearst 2003, P 96% R 82% (biomedical pairs); SDU@AAAI-21 rule-based
baseline F1 85.5 (English, SDU-style macro F1 — a different split and task year).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from readctx.acronyms import find_definitions, match_long_form

_OPENING = re.compile(r"\s*[(\[]\s*")
_TOKEN = re.compile(r"[^\s()\[\],;:]+")

Pair = tuple[int, int, int, int]  # short start, short end, long start, long end
SpanSet = set[tuple[int, int]]


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, predicted: Iterable[object], gold: Iterable[object]) -> None:
        predicted_set, gold_set = set(predicted), set(gold)
        self.true_positives += len(predicted_set & gold_set)
        self.predicted += len(predicted_set)
        self.gold += len(gold_set)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, name: str) -> str:
        figures = f"P {100 * self.precision:5.1f}  R {100 * self.recall:5.1f}  F1 {100 * self.f1:5.1f}"
        counts = f"tp {self.true_positives}, predicted {self.predicted}, gold {self.gold}"
        return f"{name:<28} {figures}  ({counts})"


def gold_pairs(text: str, acronyms: list[list[int]], long_forms: list[list[int]]) -> set[Pair]:
    pairs: set[Pair] = set()
    for long_start, long_end in long_forms:
        for short_start, short_end in acronyms:
            forward = short_start >= long_end and _OPENING.fullmatch(text[long_end:short_start])
            backward = long_start >= short_end and _OPENING.fullmatch(text[short_end:long_start])
            if forward or backward:
                pairs.add((short_start, short_end, long_start, long_end))
    return pairs


_PARENTHETICAL = re.compile(r"\(([^()]{1,200})\)")


def schwartz_hearst_pairs(text: str) -> set[Pair]:
    """The baseline: the 2003 algorithm as published, without readctx's additions."""
    pairs: set[Pair] = set()
    for paren in _PARENTHETICAL.finditer(text):
        inner = re.split(r"[;,]", paren.group(1), maxsplit=1)[0]
        short = inner.strip()
        if not (2 <= len(short) <= 10 and len(short.split()) <= 2 and short[0].isalnum()):
            continue
        if not any(c.isalpha() for c in short):
            continue
        letters = len(short)
        words = list(re.finditer(r"\S+", text[: paren.start()]))[-min(letters + 5, 2 * letters) :]
        if not words:
            continue
        candidate_start = words[0].start()
        candidate = text[candidate_start : words[-1].end()]
        matched = match_long_form(short, candidate)
        if matched is None or len(candidate) - matched <= len(short) or short in candidate[matched:]:
            continue
        short_start = paren.start(1) + paren.group(1).find(short)
        pairs.add((short_start, short_start + len(short), candidate_start + matched, words[-1].end()))
    return pairs


def looks_like_acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return 2 <= len(token) <= 10 and upper >= 2 and upper * 2 >= len(letters)


def evaluate(path: Path) -> dict[str, Score]:
    items = json.loads(path.read_text(encoding="utf-8"))
    names = ("pairs", "pairs (plain SH)", "long forms", "sdu acronyms")
    scores = {name: Score() for name in names}
    for item in items:
        text = item["text"]
        definitions = find_definitions(text)
        predicted_pairs = {(d.short_start, d.short_end, d.long_start, d.long_end) for d in definitions}
        gold = gold_pairs(text, item["acronyms"], item["long-forms"])
        scores["pairs"].add(predicted_pairs, gold)
        scores["pairs (plain SH)"].add(schwartz_hearst_pairs(text), gold)
        predicted_long: SpanSet = {(d.long_start, d.long_end) for d in definitions}
        gold_long: SpanSet = {(s, e) for s, e in item["long-forms"]}
        scores["long forms"].add(predicted_long, gold_long)
        predicted_short: SpanSet = {(d.short_start, d.short_end) for d in definitions}
        predicted_short |= {(m.start(), m.end()) for m in _TOKEN.finditer(text) if looks_like_acronym(m[0])}
        scores["sdu acronyms"].add(predicted_short, {(s, e) for s, e in item["acronyms"]})
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with sdu22-*-dev.json")
    parser.add_argument("--split", default="dev", help="dev (default) or train")
    args = parser.parse_args(argv)
    files = sorted(args.data.glob(f"sdu22-*-{args.split}.json"))
    if not files:
        print(f"no sdu22-*-{args.split}.json files in {args.data}", file=sys.stderr)
        return 2
    for path in files:
        started = time.perf_counter()
        scores = evaluate(path)
        elapsed = time.perf_counter() - started
        print(f"{path.name} ({elapsed * 1000:.0f} ms)")
        for name, score in scores.items():
            print("  " + score.line(name))
        macro = (scores["sdu acronyms"].f1 + scores["long forms"].f1) / 2
        print(f"  {'sdu macro F1':<28} {100 * macro:5.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
