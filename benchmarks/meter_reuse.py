"""Evaluate readctx's near-duplicate relation (copy / partial / none) on the METER corpus.

METER (Gaizauskas, Clough et al., 2001) pairs Press Association (PA) court copy with the next day's British
newspaper stories on the same catchline; each newspaper story is annotated as wholly derived, partially
derived or non-derived from the PA copy (``file_index/courts/{wholly,partially,non}_derived.txt``). The PA
texts of a story sit under ``PA/rawtexts/courts/<day>/<catchline>/`` and the newspaper stories under
``newspapers/rawtexts/courts/<day>/<catchline>/``.

For every annotated newspaper story, the PA texts of its catchline are put into an in-memory
``FingerprintIndex`` and the story is queried against it, exactly as the annotator does; the best match's
relation is the prediction (no match: none). Prints P/R/F1 per class and the average F1 (the METER paper's
best three-way classifier reports an average F1 of 0.664).

``--search`` also grid-searches the two containment thresholds, for shingle sizes 3–5, on the
estimated containments alone (all PA texts of the story, no LSH; without the index's condition that a
copy's shared passages reach across ``COPY_SPREAD`` of the text), and reports them fitted on all stories and
cross-validated across the two halves of the days (fitted on one half, scored on the other) — the honest
figure for a threshold chosen this way.

    python benchmarks/meter_reuse.py --data /work/shared/data/meter [--search]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

from readctx import index as idx
from readctx.corpora import clean_meter_pa, read_meter_file

CLASSES = ("copy", "partial", "none")
_ANNOTATION_FILES = {
    "wholly_derived.txt": "copy",
    "partially_derived.txt": "partial",
    "non_derived.txt": "none",
}


@dataclass(frozen=True)
class Story:
    newspaper: Path
    gold: str
    day: str
    pa_texts: tuple[str, ...]


def load_stories(data: Path) -> list[Story]:
    stories = []
    for file_name, gold in _ANNOTATION_FILES.items():
        for entry in (data / "file_index" / "courts" / file_name).read_text().split():
            relative = Path(entry.removeprefix("meter_corpus/"))
            newspaper = data / relative
            catchline = relative.parent.relative_to("newspapers/rawtexts")
            pa_files = sorted((data / "PA" / "rawtexts" / catchline).glob("*.txt"))
            if not newspaper.exists() or not pa_files:
                continue
            pa_texts = tuple(clean_meter_pa(read_meter_file(p)) for p in pa_files)
            stories.append(Story(newspaper, gold, catchline.parts[1], pa_texts))
    return stories


def scores(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[float, float, float]]:
    """Per class (precision, recall, F1) from (predicted, gold) pairs."""
    pairs = list(pairs)
    out = {}
    for label in CLASSES:
        tp = sum(p == label and g == label for p, g in pairs)
        fp = sum(p == label and g != label for p, g in pairs)
        fn = sum(p != label and g == label for p, g in pairs)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = (precision, recall, f1)
    return out


def average_f1(table: dict[str, tuple[float, float, float]]) -> float:
    return sum(f1 for _, _, f1 in table.values()) / len(table)


def print_table(title: str, table: dict[str, tuple[float, float, float]], n: int) -> None:
    print(f"\n{title} (n={n})")
    print(f"  {'class':8} {'P':>6} {'R':>6} {'F1':>6}")
    for label, (p, r, f) in table.items():
        print(f"  {label:8} {p:6.3f} {r:6.3f} {f:6.3f}")
    print(f"  average F1 {average_f1(table):.3f}")


def classify(containment: float, copy_at: float, partial_at: float) -> str:
    return "copy" if containment >= copy_at else "partial" if containment >= partial_at else "none"


def evaluate_index(stories: Sequence[Story]) -> list[tuple[str, str]]:
    """Prediction through the real index path (LSH candidates, estimated containment, relation)."""
    pairs = []
    for story in stories:
        index = idx.FingerprintIndex(None)
        for number, text in enumerate(story.pa_texts):
            index.add(f"pa{number}", idx.Fingerprint.of(text))
        matches = index.query(idx.Fingerprint.of(read_meter_file(story.newspaper)))
        best = max(matches, key=lambda m: m.containment, default=None)
        predicted = best.relation if best is not None and best.relation is not None else "none"
        pairs.append((predicted, story.gold))
        index.close()
    return pairs


def best_containments(stories: Sequence[Story], size: int) -> list[float]:
    """Highest estimated containment of each story in any PA text of its catchline (no LSH)."""
    out = []
    for story in stories:
        this = idx.Fingerprint.of(read_meter_file(story.newspaper), size)
        others = [idx.Fingerprint.of(text, size) for text in story.pa_texts]
        out.append(max(idx.estimate_overlap(this, o.signature, o.shingles)[1] for o in others))
    return out


def fit(containments: Sequence[float], golds: Sequence[str]) -> tuple[float, float, float]:
    """Thresholds (copy, partial) maximising average F1, and that F1."""
    grid = [step / 100 for step in range(1, 100)]
    best = (-1.0, 0.0, 0.0)
    for copy_at in grid:
        for partial_at in (g for g in grid if g < copy_at):
            pairs = [(classify(c, copy_at, partial_at), g) for c, g in zip(containments, golds, strict=True)]
            f1 = average_f1(scores(pairs))
            if f1 > best[0]:
                best = (f1, copy_at, partial_at)
    return best[1], best[2], best[0]


def search(stories: Sequence[Story]) -> None:
    golds = [s.gold for s in stories]
    days = sorted({s.day for s in stories})
    halves = [set(days[0::2]), set(days[1::2])]
    for size in (3, 4, 5):
        contained = best_containments(stories, size)
        copy_at, partial_at, f1 = fit(contained, golds)
        held_out = []
        for train_days in halves:
            train = [i for i, s in enumerate(stories) if s.day in train_days]
            test = [i for i, s in enumerate(stories) if s.day not in train_days]
            c, p, _ = fit([contained[i] for i in train], [golds[i] for i in train])
            held_out += [(classify(contained[i], c, p), golds[i]) for i in test]
        print(
            f"  {size}-word shingles: fitted copy>={copy_at:.2f} partial>={partial_at:.2f} "
            f"average F1 {f1:.3f} (in-sample); 2-fold by day {average_f1(scores(held_out)):.3f}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the METER corpus folder")
    parser.add_argument("--search", action="store_true", help="grid-search thresholds and shingle sizes")
    args = parser.parse_args(argv)
    stories = load_stories(args.data)
    if not stories:
        parser.error(f"no annotated METER court stories under {args.data}")
    counts = {label: sum(s.gold == label for s in stories) for label in CLASSES}
    print(f"METER courts: {len(stories)} newspaper stories {counts}")
    print(
        f"readctx index: {idx.SHINGLE_WORDS}-word shingles, MinHash {idx.NUM_PERM} perms, "
        f"LSH {idx.LSH_BANDS}x{idx.LSH_ROWS}; copy if containment >= {idx.COPY_CONTAINMENT} "
        f"reaching across >= {idx.COPY_SPREAD} of the text, partial if >= {idx.PARTIAL_CONTAINMENT}"
    )
    pairs = evaluate_index(stories)
    print_table("three-way relation through FingerprintIndex.query", scores(pairs), len(pairs))
    if args.search:
        print("\nthreshold search on estimated containment (all PA texts of the catchline, no LSH):")
        search(stories)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
