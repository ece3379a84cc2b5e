"""Continued MLM pretraining (``training.pretrain``): blocks, masking, and a smoke run whose folder
``training.train --base`` can load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from training.pretrain import cut_blocks, mask_batch  # noqa: E402
from training.train import smoke_tokenizer  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def test_blocks_are_framed_and_short_tails_dropped(tmp_path: Path) -> None:
    tokenizer = smoke_tokenizer(tmp_path)
    text = "the minister said that talks would resume ."
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    assert len(ids) == 8
    blocks = cut_blocks([text], tokenizer, width=3, minimum=2)
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    # 3 + 3 + 2 wordpieces, each block framed
    assert blocks == [[cls, *ids[0:3], sep], [cls, *ids[3:6], sep], [cls, *ids[6:8], sep]]
    # a tail under the minimum is dropped
    assert len(cut_blocks([text], tokenizer, width=3, minimum=3)) == 2


@pytest.mark.parametrize(
    "argv",
    [["--mask-rate", "1"], ["--steps", "0"], ["--steps", "5", "--head-steps", "6"], []],
)
def test_bad_arguments_are_refused(argv: list[str]) -> None:
    from training.pretrain import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--out", "x", *argv])


def test_masking_chooses_only_ordinary_wordpieces_and_keeps_their_ids(tmp_path: Path) -> None:
    tokenizer = smoke_tokenizer(tmp_path)
    blocks = cut_blocks(["the minister said that talks would resume .", "talks ."], tokenizer, width=20, minimum=1)
    generator = torch.Generator().manual_seed(0)
    inputs, attention, chosen, targets = mask_batch(blocks, tokenizer, 0.5, generator)
    assert attention.tolist() == [[1] * 10, [1] * 4 + [0] * 6]
    originals = torch.tensor([block + [tokenizer.pad_token_id] * (10 - len(block)) for block in blocks])
    special = torch.isin(originals, torch.tensor([tokenizer.cls_token_id, tokenizer.sep_token_id, 0]))
    assert not bool((chosen & special).any())
    assert bool(chosen.any())
    assert targets.tolist() == originals[chosen].tolist()
    # what is not chosen is left as it was
    assert torch.equal(inputs[~chosen], originals[~chosen])


def test_smoke_pretrain_writes_a_base_the_tagger_loads(tmp_path: Path) -> None:
    out = tmp_path / "base"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "backend"), str(REPO)]), HF_HUB_OFFLINE="1")
    args = ["--smoke", "--out", str(out), "--steps", "3", "--head-steps", "1", "--batch", "2"]
    done = subprocess.run(
        [sys.executable, "-m", "training.pretrain", *args],
        cwd=REPO,
        env=env,
        timeout=300,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    meta = json.loads((out / "pretrain.json").read_text(encoding="utf-8"))
    assert (meta["base"], meta["steps"]) == ("random-smoke", 3)
    assert meta["command"] == "python -m training.pretrain " + " ".join(args)

    from training.model import MultiTaskTagger

    tagger = MultiTaskTagger.from_pretrained(str(out), casing_feature=False)
    assert tagger.encoder.config.num_hidden_layers == 1
