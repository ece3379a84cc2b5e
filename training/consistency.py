"""Consistency between two dropout passes (R-Drop: Liang et al., NeurIPS 2021).

    python -m training.train ... --consistency 1.0

Each batch runs through the model twice, stacked as one batch of twice the rows, so dropout draws two
sub-networks. Both passes take the gold loss (averaged), and ``ALPHA ×`` the symmetric KL divergence between
their tag distributions is added, on the wordpieces that carry a gold tag for that head. It is a regulariser
like ``--adversarial``: the tags must not depend on which units dropout removed. It doubles the cost of a step.
With both options, only the ordinary pass runs twice; the adversarial pass runs once.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from readctx.decoding import TASKS

from .data import IGNORE


def doubled(tensor: torch.Tensor) -> torch.Tensor:
    """The batch stacked on itself: rows ``i`` and ``n + i`` are the same example."""
    return torch.cat([tensor, tensor], dim=0)


def halves(logits: Sequence[torch.Tensor]) -> tuple[tuple[torch.Tensor, ...], tuple[torch.Tensor, ...]]:
    """Split each head's logits of a :func:`doubled` batch into the first and the second pass."""
    rows = logits[0].shape[0] // 2
    return tuple(t[:rows] for t in logits), tuple(t[rows:] for t in logits)


def consistency_loss(
    first: Sequence[torch.Tensor],
    second: Sequence[torch.Tensor],
    labels: dict[str, torch.Tensor],
    weights: dict[str, float],
) -> tuple[torch.Tensor, dict[str, float]]:
    """Σ over heads of weight · ½ (KL(p₁ ‖ p₂) + KL(p₂ ‖ p₁)), averaged over the head's gold-tagged wordpieces."""
    total = first[0].new_zeros((), dtype=torch.float32)
    parts: dict[str, float] = {}
    for task, one, two in zip(TASKS, first, second, strict=True):
        tagged = labels[task] != IGNORE
        if not bool(tagged.any()):
            continue  # no corpus in this batch annotates this head
        log_one = torch.log_softmax(one.float()[tagged], dim=-1)
        log_two = torch.log_softmax(two.float()[tagged], dim=-1)
        kl_one_two = torch.nn.functional.kl_div(log_two, log_one, log_target=True, reduction="batchmean")
        kl_two_one = torch.nn.functional.kl_div(log_one, log_two, log_target=True, reduction="batchmean")
        symmetric = 0.5 * (kl_one_two + kl_two_one)
        total = total + weights[task] * symmetric
        parts[f"consistency_{task}"] = float(symmetric.detach())
    return total, parts
