"""Turn corpus documents into wordpiece chunks with one BIO label row per head (-100 = no supervision)."""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from readctx.corpora import LabelledText
from readctx.decoding import HEAD_LABELS, TASKS
from readctx.text import split_sentences
from readctx.transformer import casing_ids, plan_chunks

IGNORE = -100

# Tag type of each gold (task, label), and which type wins when two spans cover the same token
# (lower rank wins): a cue inside a source ("he said") must stay a cue.
_TAG_TYPE: dict[tuple[str, str], str] = {
    ("attribution", "cue"): "CUE",
    ("attribution", "source"): "SOURCE",
    ("content", "content"): "CONTENT",
    ("hedge", "hedge"): "HEDGE",
}
_RANK = {"CUE": 0, "SOURCE": 1}


@dataclass
class Example:
    input_ids: list[int]  # with [CLS] ... [SEP]
    casing_ids: list[int]
    labels: dict[str, list[int]]  # task -> label index per position (IGNORE where unsupervised)
    source: str  # corpus name, for sampling and logging
    teacher: dict[str, Any] | None = None  # task -> float16 teacher logits [positions, labels] (training.distil)


def token_tags(doc: LabelledText, task: str, offsets: Sequence[tuple[int, int]]) -> list[int]:
    """BIO label index per wordpiece for one head, from character overlap with the gold spans."""
    labels = HEAD_LABELS[task]
    index_of = {label: i for i, label in enumerate(labels)}
    tags = [0] * len(offsets)
    ranks = [99] * len(offsets)
    starts = [start for start, _ in offsets]
    for span in doc.spans_for(task):
        kind = _TAG_TYPE.get((span.task, span.label), span.label)
        rank = _RANK.get(kind, 50)
        first = max(0, bisect.bisect_right(starts, span.start) - 1)
        began = False
        for i in range(first, len(offsets)):
            start, end = offsets[i]
            if start >= span.end:
                break
            if end <= span.start or start == end:
                continue
            if rank < ranks[i] or (rank == ranks[i] and tags[i] == 0):
                tags[i] = index_of[("I-" if began else "B-") + kind]
                ranks[i] = rank
            began = True
    # A span cut by a higher-ranked one restarts with B-, keeping every row valid BIO.
    for i, tag in enumerate(tags):
        label = labels[tag]
        if label.startswith("I-") and (i == 0 or labels[tags[i - 1]][2:] != label[2:]):
            tags[i] = index_of["B-" + label[2:]]
    return tags


def encode_document(doc: LabelledText, tokenizer: Any, source: str, max_tokens: int) -> list[Example]:
    encoding = tokenizer(doc.text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    ids: list[int] = list(encoding["input_ids"])
    offsets: list[tuple[int, int]] = [(int(a), int(b)) for a, b in encoding["offset_mapping"]]
    head_tags = {task: token_tags(doc, task, offsets) for task in TASKS if task in doc.tasks}
    cases = casing_ids(doc.text, offsets)
    examples: list[Example] = []
    for first, last in plan_chunks(offsets, split_sentences(doc.text), max_tokens):
        labels = {
            task: [IGNORE, *head_tags[task][first:last], IGNORE] if task in head_tags else [IGNORE] * (last - first + 2)
            for task in TASKS
        }
        examples.append(
            Example(
                input_ids=[tokenizer.cls_token_id, *ids[first:last], tokenizer.sep_token_id],
                casing_ids=[0, *cases[first:last], 0],
                labels=labels,
                source=source,
            )
        )
    return examples


def token_batches(examples: Sequence[Example], max_batch_tokens: int, seed: int) -> Iterator[list[Example]]:
    """Length-bucketed batches of at most ``max_batch_tokens`` padded tokens, in a seeded random order."""
    rng = random.Random(seed)
    order = list(range(len(examples)))
    rng.shuffle(order)
    # Sort within windows of 50 batches' worth so padding is small but the mix stays random.
    window = 800
    batches: list[list[Example]] = []
    for w in range(0, len(order), window):
        chunk = sorted(order[w : w + window], key=lambda i: len(examples[i].input_ids))
        batch: list[Example] = []
        for i in chunk:
            width = max([len(examples[i].input_ids)] + [len(e.input_ids) for e in batch])
            if batch and width * (len(batch) + 1) > max_batch_tokens:
                batches.append(batch)
                batch = []
            batch.append(examples[i])
        if batch:
            batches.append(batch)
    rng.shuffle(batches)
    yield from batches


def pad_rows(rows: Sequence[Sequence[int]], pad_id: int) -> tuple[Any, Any]:
    """Wordpiece id rows right-padded to the longest: the ids [rows, width] and their attention mask."""
    import torch

    width = max(len(row) for row in rows)
    input_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(rows), width), dtype=torch.long)
    for index, row in enumerate(rows):
        input_ids[index, : len(row)] = torch.tensor(row)
        attention[index, : len(row)] = 1
    return input_ids, attention


def collate(batch: Sequence[Example], pad_id: int) -> dict[str, Any]:
    import torch

    input_ids, attention = pad_rows([e.input_ids for e in batch], pad_id)
    width = input_ids.shape[1]
    casing = torch.zeros((len(batch), width), dtype=torch.long)
    labels = {task: torch.full((len(batch), width), IGNORE, dtype=torch.long) for task in TASKS}
    for row, example in enumerate(batch):
        n = len(example.input_ids)
        casing[row, :n] = torch.tensor(example.casing_ids)
        for task in TASKS:
            labels[task][row, :n] = torch.tensor(example.labels[task])
    return {"input_ids": input_ids, "attention_mask": attention, "casing_ids": casing, "labels": labels}


def mask_tokens(input_ids: Any, attention_mask: Any, mask_id: int, rate: float, generator: Any) -> Any:
    """A copy of ``input_ids`` with each real wordpiece replaced by ``mask_id`` with probability ``rate``
    (``--mask-tokens``); [CLS], [SEP] and padding stay. The labels stay too: a masked cue or name must be
    read from its context, which is what an unseen phrasing asks of the tagger."""
    import torch

    real = attention_mask.bool()
    real[:, 0] = False  # [CLS]
    real[torch.arange(len(real)), attention_mask.sum(dim=1) - 1] = False  # [SEP]
    chosen = (torch.rand(input_ids.shape, generator=generator) < rate) & real
    return input_ids.masked_fill(chosen, mask_id)
