"""Is a confidence of 0.8 right 80% of the time? Reliability bins and expected calibration error (ECE).

``readctx evaluate`` reports this for the model's spans on the dev sets, so the confidences the sidebar shows
can be checked, not just trusted. A predicted span counts as right when it overlaps a gold span of its kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .corpora import LabelledText
    from .transformer import TaggedSpan

Span = tuple[int, int]
Outcome = tuple[float, bool]


def hits(gold: Sequence[Span], predicted: Iterable[tuple[int, int, float]]) -> list[tuple[float, bool]]:
    """(confidence, overlaps some gold span) for each predicted span."""
    return [(confidence, any(s < g_end and g_start < e for g_start, g_end in gold)) for s, e, confidence in predicted]


def outcomes_per_doc(
    docs: Sequence[LabelledText], tagged: Sequence[Sequence[TaggedSpan]], kinds: Iterable[tuple[str, str]]
) -> list[list[Outcome]]:
    """(confidence, right) for each predicted span of the given (task, label) kinds, per document; a span
    is right when it overlaps a gold span of its own kind."""
    kinds = list(kinds)
    per_doc: list[list[Outcome]] = []
    for doc, spans in zip(docs, tagged, strict=True):
        found: list[Outcome] = []
        for task, label in kinds:
            gold = [(s.start, s.end) for s in doc.spans_for(task, label)]
            mine = [(s.start, s.end, s.confidence) for s in spans if s.task == task and s.label == label]
            found.extend(hits(gold, mine))
        per_doc.append(found)
    return per_doc


@dataclass
class Reliability:
    bins: int = 10

    def __post_init__(self) -> None:
        self.outcomes: list[tuple[float, bool]] = []

    def add(self, outcomes: Iterable[tuple[float, bool]]) -> None:
        self.outcomes.extend(outcomes)

    def to_json(self) -> dict[str, Any]:
        table: list[dict[str, Any]] = []
        error = 0.0
        total = len(self.outcomes)
        for index in range(self.bins):
            low, high = index / self.bins, (index + 1) / self.bins
            members = [(c, ok) for c, ok in self.outcomes if low <= c < high or (index == self.bins - 1 and c == 1.0)]
            if not members:
                continue
            confidence = sum(c for c, _ in members) / len(members)
            accuracy = sum(ok for _, ok in members) / len(members)
            error += len(members) / total * abs(accuracy - confidence)
            table.append(
                {
                    "range": f"{low:.1f}-{high:.1f}",
                    "count": len(members),
                    "confidence": round(confidence, 3),
                    "accuracy": round(accuracy, 3),
                }
            )
        return {"spans": total, "ece": round(error, 4), "bins": table}
