"""Training-time regularisers on the inputs and targets: wordpiece masking and label smoothing."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

REPO = Path(__file__).resolve().parents[1]
MASK = 9


def padded_batch() -> tuple[torch.Tensor, torch.Tensor]:
    """Two rows: [CLS] 5 6 7 [SEP] and [CLS] 5 [SEP] + padding (CLS 1, SEP 2, PAD 0)."""
    input_ids = torch.tensor([[1, 5, 6, 7, 2], [1, 5, 2, 0, 0]])
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    return input_ids, attention_mask


def test_masking_every_piece_leaves_cls_sep_and_padding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.data import mask_tokens

    input_ids, attention_mask = padded_batch()
    masked = mask_tokens(input_ids, attention_mask, MASK, 1.0, torch.Generator().manual_seed(0))
    assert masked.tolist() == [[1, MASK, MASK, MASK, 2], [1, MASK, 2, 0, 0]]
    assert input_ids.tolist() == [[1, 5, 6, 7, 2], [1, 5, 2, 0, 0]]  # a copy: the batch itself is unchanged
    assert attention_mask.tolist() == [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]
    assert mask_tokens(input_ids, attention_mask, MASK, 0.0, torch.Generator()).tolist() == input_ids.tolist()


def test_masking_is_reproducible_from_the_seed_and_near_its_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.data import mask_tokens

    input_ids = torch.full((40, 102), 5)
    input_ids[:, 0], input_ids[:, -1] = 1, 2
    attention_mask = torch.ones_like(input_ids)
    first = mask_tokens(input_ids, attention_mask, MASK, 0.25, torch.Generator().manual_seed(3))
    again = mask_tokens(input_ids, attention_mask, MASK, 0.25, torch.Generator().manual_seed(3))
    assert torch.equal(first, again)
    masked = int((first == MASK).sum())
    assert 900 < masked < 1100  # 4,000 real pieces at 0.25: 1,000 expected, sd ~27
    assert set(first[:, 0].tolist()) == {1} and set(first[:, -1].tolist()) == {2}


def test_label_smoothing_reaches_the_gold_loss(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from readctx.decoding import HEAD_LABELS, TASKS
    from training.train import multitask_loss

    # Uniform logits on one position of the attribution head, gold O; the other heads unsupervised.
    logits = tuple(torch.zeros(1, 1, len(HEAD_LABELS[task])) for task in TASKS)
    labels = {task: torch.full((1, 1), -100) for task in TASKS}
    labels["attribution"][0, 0] = 0
    plain, _ = multitask_loss(logits, labels, {task: 1.0 for task in TASKS})
    smoothed, parts = multitask_loss(logits, labels, {task: 1.0 for task in TASKS}, label_smoothing=0.1)
    # With uniform predictions every target distribution costs log(#labels).
    assert float(plain) == pytest.approx(math.log(5))
    assert float(smoothed) == pytest.approx(math.log(5))
    assert list(parts) == ["attribution"]
    # A confident right answer costs more once smoothed: part of the target sits on the other labels.
    logits[0][0, 0, 0] = 10.0
    confident, _ = multitask_loss(logits, labels, {task: 1.0 for task in TASKS})
    confident_smoothed, _ = multitask_loss(logits, labels, {task: 1.0 for task in TASKS}, label_smoothing=0.1)
    log_probs = torch.log_softmax(logits[0][0, 0], dim=-1)
    assert float(confident_smoothed) == pytest.approx(float(-(0.92 * log_probs[0] + 0.02 * log_probs[1:].sum())))
    assert float(confident_smoothed) > float(confident)


def test_the_options_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.train import parse_args

    args = parse_args(["--smoke", "--out", "x", "--mask-tokens", "0.1", "--label-smoothing", "0.05"])
    assert (args.mask_tokens, args.label_smoothing) == (0.1, 0.05)
    defaults = parse_args(["--smoke", "--out", "x"])
    assert (defaults.mask_tokens, defaults.label_smoothing) == (None, 0.0)
    for bad in (
        ["--mask-tokens", "0"],
        ["--mask-tokens", "1"],
        ["--label-smoothing", "1"],
        ["--label-smoothing", "-0.1"],
    ):
        with pytest.raises(SystemExit):
            parse_args(["--smoke", "--out", "x", *bad])
