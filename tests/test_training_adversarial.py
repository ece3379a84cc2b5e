"""FGM: the word embeddings move by exactly ε along their gradient, and back."""

from __future__ import annotations

from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

REPO = Path(__file__).resolve().parents[1]


def test_embeddings_move_epsilon_along_their_gradient_and_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.adversarial import FastGradientMethod

    embeddings = torch.nn.Embedding(3, 2)
    with torch.no_grad():
        embeddings.weight.copy_(torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    adversary = FastGradientMethod(embeddings, epsilon=0.5)
    assert adversary.perturb() is False  # no backward pass yet: nothing to follow
    embeddings.weight.grad = torch.tensor([[0.0, 0.0], [3.0, 4.0], [0.0, 0.0]])  # norm 5
    assert adversary.perturb() is True
    assert embeddings.weight.flatten().tolist() == pytest.approx([1.0, 2.0, 3.3, 4.4, 5.0, 6.0])
    with pytest.raises(RuntimeError, match="twice"):
        adversary.perturb()
    assert adversary._saved is not None and adversary._saved[0].tolist() == [1]  # only the moved row is kept
    adversary.restore()
    assert embeddings.weight.tolist() == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    embeddings.weight.grad = torch.zeros(3, 2)
    assert adversary.perturb() is False
    with pytest.raises(ValueError, match="must be positive"):
        FastGradientMethod(embeddings, epsilon=0.0)
