"""Adversarial training on the word embeddings (FGM: Miyato, Dai and Goodfellow, ICLR 2017).

    python -m training.train ... --adversarial 1.0

After the ordinary backward pass the word-embedding matrix moves by ``ε · g / ‖g‖`` (``g`` its gradient: the
direction that raises the loss fastest), the batch's loss is computed and back-propagated again, so the two
gradients add up, and the embeddings are put back before the optimiser step. It is a regulariser: the tags
must hold when the input moves a little in the direction that hurts most, which suits heads limited by how
much annotated text there is rather than by steps. It doubles the cost of a step.
"""

from __future__ import annotations

import torch
from torch import nn


class FastGradientMethod:
    """Moves an embedding matrix along its gradient (:meth:`perturb`) and back (:meth:`restore`)."""

    def __init__(self, embeddings: nn.Embedding, epsilon: float) -> None:
        if not epsilon > 0.0:
            raise ValueError(f"the perturbation's size must be positive, not {epsilon}")
        self.weight = embeddings.weight
        self.epsilon = epsilon
        self._saved: tuple[torch.Tensor, torch.Tensor] | None = None  # (row indices, their weights)

    def perturb(self) -> bool:
        """Move the weights; ``False`` (and no move) when there is no usable gradient."""
        if self._saved is not None:
            raise RuntimeError("perturb() called twice without restore()")
        grad = self.weight.grad
        if grad is None:
            return False
        norm = torch.linalg.vector_norm(grad.float())
        if not bool(torch.isfinite(norm)) or float(norm) == 0.0:
            return False
        # Only the rows of the batch's wordpieces have a gradient: save and move those, not the whole
        # vocabulary (a few hundred rows of ~30k).
        rows = grad.ne(0).any(dim=1).nonzero().squeeze(1)
        self._saved = (rows, self.weight.detach().index_select(0, rows))  # index_select copies
        with torch.no_grad():
            self.weight.index_add_(0, rows, grad.index_select(0, rows), alpha=self.epsilon / float(norm))
        return True

    def restore(self) -> None:
        if self._saved is None:
            return
        rows, weights = self._saved
        with torch.no_grad():
            self.weight.index_copy_(0, rows, weights)
        self._saved = None
