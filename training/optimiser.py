"""The optimiser's parameter groups: weight decay, and optionally a learning rate that shrinks with depth.

    python -m training.train ... --layer-lr-decay 0.8

With ``layer_decay`` D the heads (and anything above the encoder) train at the full learning rate, the top
encoder layer at D times it, the one below at D², and the embeddings at D^(layers + 1): the lower layers hold
the pretrained, general features and move least (layer-wise learning-rate decay, Howard and Ruder 2018;
Clark et al. 2020). Without it every parameter trains at the full rate.
"""

from __future__ import annotations

import re
from typing import Any

from torch import nn

NO_DECAY = ("bias", "LayerNorm.weight", "LayerNorm.bias")
_LAYER = re.compile(r"^encoder\.encoder\.layer\.(\d+)\.")
_BOTTOM = ("encoder.embeddings.", "casing.")  # below the first encoder layer


def depth(name: str, layers: int) -> int:
    """0 for the input embeddings, i + 1 for encoder layer i, ``layers + 1`` for the heads."""
    if name.startswith(_BOTTOM):
        return 0
    layer = _LAYER.match(name)
    return int(layer.group(1)) + 1 if layer else layers + 1


def parameter_groups(
    model: nn.Module, lr: float, weight_decay: float, layers: int, layer_decay: float | None = None
) -> list[dict[str, Any]]:
    """AdamW groups by (depth, decayed or not), each with its own ``lr``; empty groups are left out."""
    if layer_decay is not None and not 0.0 < layer_decay <= 1.0:
        raise ValueError(f"the layer decay must lie in (0, 1], not {layer_decay}")
    groups: dict[tuple[int, bool], dict[str, Any]] = {}
    for name, parameter in model.named_parameters():
        if not parameter.requires_grad:
            continue
        level = depth(name, layers) if layer_decay is not None else layers + 1
        decayed = not any(key in name for key in NO_DECAY)
        group = groups.setdefault(
            (level, decayed),
            {
                "params": [],
                "weight_decay": weight_decay if decayed else 0.0,
                "lr": lr * (layer_decay or 1.0) ** (layers + 1 - level),
            },
        )
        group["params"].append(parameter)
    return [groups[key] for key in sorted(groups, key=lambda key: (key[0], not key[1]))]
