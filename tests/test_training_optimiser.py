"""The optimiser's groups: weight decay by name, and a learning rate that shrinks with depth on request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")

REPO = Path(__file__).resolve().parents[1]


def tiny_tagger() -> torch.nn.Module:
    """Parameter names shaped like MultiTaskTagger's: embeddings, two encoder layers, a head."""
    from torch import nn

    def block(**children: nn.Module) -> nn.Module:
        module = nn.Module()
        for name, child in children.items():
            module.add_module(name, child)
        return module

    layers = nn.ModuleList([block(dense=nn.Linear(2, 2), LayerNorm=nn.LayerNorm(2)) for _ in range(2)])
    encoder = block(embeddings=block(word_embeddings=nn.Embedding(3, 2)), encoder=block(layer=layers))
    return block(encoder=encoder, heads=block(cue=nn.Linear(2, 3)))


def groups_by_name(model: torch.nn.Module, groups: list[dict[str, Any]]) -> list[tuple[list[str], float, float]]:
    names = {id(parameter): name for name, parameter in model.named_parameters()}
    return [([names[id(p)] for p in g["params"]], g["lr"], g["weight_decay"]) for g in groups]


def test_without_layer_decay_there_are_two_groups_at_one_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.optimiser import parameter_groups

    model = tiny_tagger()
    layer = "encoder.encoder.layer"
    decayed = ["encoder.embeddings.word_embeddings.weight", f"{layer}.0.dense.weight", f"{layer}.1.dense.weight"]
    decayed.append("heads.cue.weight")
    undecayed = [f"{layer}.{i}.{name}" for i in (0, 1) for name in ("dense.bias", "LayerNorm.weight", "LayerNorm.bias")]
    undecayed.append("heads.cue.bias")
    assert groups_by_name(model, parameter_groups(model, lr=1.0, weight_decay=0.01, layers=2)) == [
        (decayed, 1.0, 0.01),
        (undecayed, 1.0, 0.0),
    ]


def test_layer_decay_lowers_the_rate_one_factor_per_layer_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.optimiser import parameter_groups

    model = tiny_tagger()
    groups = groups_by_name(model, parameter_groups(model, lr=1.0, weight_decay=0.01, layers=2, layer_decay=0.5))
    layer = "encoder.encoder.layer"
    assert groups == [
        (["encoder.embeddings.word_embeddings.weight"], 0.125, 0.01),
        ([f"{layer}.0.dense.weight"], 0.25, 0.01),
        ([f"{layer}.0.dense.bias", f"{layer}.0.LayerNorm.weight", f"{layer}.0.LayerNorm.bias"], 0.25, 0.0),
        ([f"{layer}.1.dense.weight"], 0.5, 0.01),
        ([f"{layer}.1.dense.bias", f"{layer}.1.LayerNorm.weight", f"{layer}.1.LayerNorm.bias"], 0.5, 0.0),
        (["heads.cue.weight"], 1.0, 0.01),
        (["heads.cue.bias"], 1.0, 0.0),
    ]
    with pytest.raises(ValueError, match=r"must lie in \(0, 1\]"):
        parameter_groups(model, lr=1.0, weight_decay=0.01, layers=2, layer_decay=1.5)


def test_the_option_is_checked_and_reaches_the_arguments(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.train import parse_args

    assert parse_args(["--smoke", "--out", "x", "--layer-lr-decay", "0.8"]).layer_lr_decay == 0.8
    assert parse_args(["--smoke", "--out", "x"]).layer_lr_decay is None
    with pytest.raises(SystemExit):
        parse_args(["--smoke", "--out", "x", "--layer-lr-decay", "0"])
    assert "--layer-lr-decay must lie in (0, 1], not 0.0" in capsys.readouterr().err
