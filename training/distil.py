"""Knowledge distillation: a small student learns the shipped model's soft tags as well as the gold ones.

    python -m training.train ... --layers 3 --teacher backend/readctx/model [--distil-weight 1] [--distil-temperature 2]

The teacher is an exported model directory (the int8 ONNX file readctx ships), run once over every training
chunk before training starts; its logits are kept in float16 beside each example. The student then adds,
for every head, ``T² · KL(teacher ‖ student)`` on the tempered softmaxes over every real wordpiece, to
the gold cross-entropy. That also supervises the heads a corpus does not annotate (entities in PolNeAR
articles, attribution in re3d sentences), which the gold loss leaves at -100.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from readctx.decoding import TASKS

from .data import Example


def run_teacher(model_dir: Path, examples: Sequence[Example], batch_tokens: int = 768) -> int:
    """Attach the teacher's logits to every example (``example.teacher``: task -> float16 [length, labels]).

    Examples repeated in the mix (re3d) are the same objects and run once. Returns the chunks run."""
    import onnxruntime

    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    if config.get("casing_feature"):
        raise SystemExit("a teacher with a casing input is not supported")
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(
        str(model_dir / config.get("onnx_file", "model.int8.onnx")), options, providers=["CPUExecutionProvider"]
    )
    outputs = config.get("onnx_outputs", {task: f"{task}_logits" for task in TASKS})
    names = [outputs[task] for task in TASKS]
    unique = list({id(example): example for example in examples}.values())
    unique.sort(key=lambda example: len(example.input_ids))
    batch: list[Example] = []
    for position, example in enumerate(unique):
        batch.append(example)
        following = unique[position + 1] if position + 1 < len(unique) else None
        if following is None or (len(batch) + 1) * len(following.input_ids) > batch_tokens:
            _teach(session, names, batch)
            batch = []
    return len(unique)


def _teach(session: Any, names: list[str], batch: list[Example]) -> None:
    width = max(len(example.input_ids) for example in batch)
    input_ids = np.zeros((len(batch), width), dtype=np.int64)
    attention = np.zeros((len(batch), width), dtype=np.int64)
    for row, example in enumerate(batch):
        input_ids[row, : len(example.input_ids)] = example.input_ids
        attention[row, : len(example.input_ids)] = 1
    # names are in TASKS order
    logits = session.run(names, {"input_ids": input_ids, "attention_mask": attention})
    for row, example in enumerate(batch):
        length = len(example.input_ids)
        heads = zip(TASKS, logits, strict=True)
        example.teacher = {task: head[row, :length].astype(np.float16) for task, head in heads}


def collate_teacher(batch: Sequence[Example], width: int) -> dict[str, torch.Tensor]:
    """Teacher logits padded to the batch width (padding rows are masked out of the loss)."""
    padded: dict[str, torch.Tensor] = {}
    for task in TASKS:
        first = batch[0].teacher
        assert first is not None
        n_labels = first[task].shape[-1]
        tensor = torch.zeros((len(batch), width, n_labels), dtype=torch.float32)
        for row, example in enumerate(batch):
            assert example.teacher is not None
            tensor[row, : len(example.input_ids)] = torch.from_numpy(example.teacher[task].astype(np.float32))
        padded[task] = tensor
    return padded


def distillation_loss(
    logits: tuple[torch.Tensor, ...],
    teacher: dict[str, torch.Tensor],
    attention_mask: torch.Tensor,
    weights: dict[str, float],
    temperature: float,
) -> tuple[torch.Tensor, dict[str, float]]:
    """Σ over heads of weight · T² · KL(teacher ‖ student), averaged over real wordpieces ([CLS]/[SEP] out)."""
    mask = attention_mask.bool().clone()
    mask[:, 0] = False  # [CLS]
    lengths = attention_mask.sum(dim=1)
    mask[torch.arange(mask.shape[0]), lengths - 1] = False  # [SEP]
    total = logits[0].new_zeros((), dtype=torch.float32)
    parts: dict[str, float] = {}
    for task, student in zip(TASKS, logits, strict=True):
        student_log = torch.log_softmax(student.float()[mask] / temperature, dim=-1)
        teacher_prob = torch.softmax(teacher[task][mask] / temperature, dim=-1)
        kl = torch.nn.functional.kl_div(student_log, teacher_prob, reduction="batchmean") * temperature**2
        total = total + weights[task] * kl
        parts[f"kd_{task}"] = float(kl.detach())
    return total, parts
