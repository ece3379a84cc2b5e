from __future__ import annotations

from readctx.calibration import Reliability, hits


def test_hits_count_overlap_with_any_gold_span() -> None:
    assert hits([(0, 4), (10, 15)], [(2, 6, 0.9), (6, 9, 0.7), (14, 20, 0.55)]) == [
        (0.9, True),
        (0.7, False),
        (0.55, True),
    ]


def test_expected_calibration_error() -> None:
    reliability = Reliability(bins=10)
    # 0.9-confidence spans right 3 times in 4 (|0.75 - 0.9| = 0.15); 0.55 spans right 1 in 2 (0.05).
    reliability.add([(0.9, True), (0.9, True), (0.9, True), (0.9, False), (0.55, True), (0.55, False)])
    result = reliability.to_json()
    assert result["spans"] == 6
    assert result["ece"] == round(4 / 6 * 0.15 + 2 / 6 * 0.05, 4)
    assert [b["range"] for b in result["bins"]] == ["0.5-0.6", "0.9-1.0"]
    assert Reliability().to_json() == {"spans": 0, "ece": 0.0, "bins": []}
