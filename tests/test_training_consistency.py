"""R-Drop: the symmetric divergence of two dropout passes, on gold-tagged wordpieces only."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

REPO = Path(__file__).resolve().parents[1]


def test_divergence_is_symmetric_kl_over_tagged_wordpieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    monkeypatch.syspath_prepend(str(REPO / "backend"))
    from training.consistency import consistency_loss, doubled, halves

    # One example, two wordpieces; attribution tags the first only (the second is -100), no other head is tagged.
    first = [torch.tensor([[[0.0, 0.0], [9.0, 0.0]]]) for _ in range(4)]
    second = [torch.tensor([[[math.log(3.0), 0.0], [0.0, 9.0]]]) for _ in range(4)]
    untagged = torch.tensor([[-100, -100]])
    labels = {"attribution": torch.tensor([[1, -100]]), "content": untagged, "hedge": untagged, "entity": untagged}
    weights = {"attribution": 2.0, "content": 0.5, "hedge": 3.0, "entity": 1.0}
    loss, parts = consistency_loss(first, second, labels, weights)
    # softmax([0, 0]) = (0.5, 0.5) and softmax([ln 3, 0]) = (0.75, 0.25)
    kl_first_second = 0.5 * math.log(0.5 / 0.75) + 0.5 * math.log(0.5 / 0.25)
    kl_second_first = 0.75 * math.log(0.75 / 0.5) + 0.25 * math.log(0.25 / 0.5)
    expected = 0.5 * (kl_first_second + kl_second_first)
    assert list(parts) == ["consistency_attribution"]
    assert parts["consistency_attribution"] == pytest.approx(expected)
    assert float(loss) == pytest.approx(2.0 * expected)
    same, _ = consistency_loss(first, first, labels, weights)
    assert float(same) == 0.0

    batch = torch.tensor([[1, 2], [3, 4]])
    assert doubled(batch).tolist() == [[1, 2], [3, 4], [1, 2], [3, 4]]
    one, two = halves([doubled(batch)])
    assert one[0].tolist() == two[0].tolist() == [[1, 2], [3, 4]]
