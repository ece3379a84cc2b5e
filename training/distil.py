"""Knowledge distillation: a student learns teachers' soft tags as well as the gold ones.

    python -m training.train ... --layers 3 --teacher backend/readctx/model [--distil-weight 1] [--distil-temperature 2]
    python -m training.train ... --teacher A --teacher B --distil-tasks attribution,content --unlabelled-meter DIR

A teacher is an exported model directory (the int8 ONNX file readctx ships), run once over every training
chunk before training starts; its log-probabilities are kept in float16 beside each example (several
teachers: averaged). The student then adds, for every head in ``--distil-tasks`` (default: all),
``T² · KL(teacher ‖ student)`` on the tempered softmaxes over every real wordpiece, to the gold
cross-entropy. That also supervises what the gold loss leaves at -100: the heads a corpus does not annotate
(entities in PolNeAR articles, attribution in re3d sentences) and unlabelled text (``--unlabelled``,
``--unlabelled-meter``), which has no gold at all.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from readctx.decoding import TASKS, log_softmax

from .data import Example


def run_teacher(model_dirs: Sequence[Path], examples: Sequence[Example], batch_tokens: int = 768) -> int:
    """Attach the teachers' log-probabilities to every example (``example.teacher``: task -> float16
    [length, labels]); several teachers are averaged in log space (a product of experts), per head.

    Every teacher must share the student's vocabulary: it runs on the student's wordpiece ids. Examples
    repeated in the mix (re3d) are the same objects and run once. Returns the chunks run."""
    sessions = [_teacher_session(model_dir) for model_dir in model_dirs]
    unique = list({id(example): example for example in examples}.values())
    unique.sort(key=lambda example: len(example.input_ids))
    batch: list[Example] = []
    for position, example in enumerate(unique):
        batch.append(example)
        following = unique[position + 1] if position + 1 < len(unique) else None
        if following is None or (len(batch) + 1) * len(following.input_ids) > batch_tokens:
            _teach(sessions, batch)
            batch = []
    return len(unique)


def _teacher_session(model_dir: Path) -> tuple[Any, list[str]]:
    import onnxruntime

    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    if config.get("casing_feature"):
        raise SystemExit(f"{model_dir}: a teacher with a casing input is not supported")
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(
        str(model_dir / config.get("onnx_file", "model.int8.onnx")), options, providers=["CPUExecutionProvider"]
    )
    outputs = config.get("onnx_outputs", {task: f"{task}_logits" for task in TASKS})
    return session, [outputs[task] for task in TASKS]


def _teach(sessions: Sequence[tuple[Any, list[str]]], batch: list[Example]) -> None:
    width = max(len(example.input_ids) for example in batch)
    input_ids = np.zeros((len(batch), width), dtype=np.int64)
    attention = np.zeros((len(batch), width), dtype=np.int64)
    for row, example in enumerate(batch):
        input_ids[row, : len(example.input_ids)] = example.input_ids
        attention[row, : len(example.input_ids)] = 1
    # Log-probabilities, not raw logits: the tempered softmax of one teacher's is the same, and several
    # teachers' can be averaged on one scale.
    summed: list[np.ndarray] | None = None
    for session, names in sessions:
        heads = [
            log_softmax(head.astype(np.float32))
            for head in session.run(names, {"input_ids": input_ids, "attention_mask": attention})
        ]
        summed = heads if summed is None else [a + b for a, b in zip(summed, heads, strict=True)]
    assert summed is not None
    for row, example in enumerate(batch):
        length = len(example.input_ids)
        example.teacher = {
            task: (head[row, :length] / len(sessions)).astype(np.float16)
            for task, head in zip(TASKS, summed, strict=True)
        }


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
    tasks: Collection[str] = TASKS,
) -> tuple[torch.Tensor, dict[str, float]]:
    """Σ over ``tasks`` of weight · T² · KL(teacher ‖ student), averaged over real wordpieces ([CLS]/[SEP] out)."""
    mask = attention_mask.bool().clone()
    mask[:, 0] = False  # [CLS]
    lengths = attention_mask.sum(dim=1)
    mask[torch.arange(mask.shape[0]), lengths - 1] = False  # [SEP]
    total = logits[0].new_zeros((), dtype=torch.float32)
    parts: dict[str, float] = {}
    for task, student in zip(TASKS, logits, strict=True):
        if task not in tasks:
            continue
        student_log = torch.log_softmax(student.float()[mask] / temperature, dim=-1)
        teacher_prob = torch.softmax(teacher[task][mask] / temperature, dim=-1)
        kl = torch.nn.functional.kl_div(student_log, teacher_prob, reduction="batchmean") * temperature**2
        total = total + weights[task] * kl
        parts[f"kd_{task}"] = float(kl.detach())
    return total, parts
