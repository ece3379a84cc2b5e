"""From head logits to character spans: the tagger's label scheme, BIO-constrained Viterbi decoding and
span extraction.

Pure numpy, so training (which decodes dev text in torch) and inference (:mod:`readctx.transformer`,
which runs onnxruntime) decode the same way. numpy is imported inside the functions: the rest of
readctx imports the label scheme without the model's runtime installed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .types import TaggedSpan

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

TASKS = ("attribution", "content", "hedge", "entity")
ENTITY_TYPES = ("PERSON", "ORG", "PLACE", "GROUP", "EQUIPMENT", "OTHER")


def _bio(types: Sequence[str]) -> list[str]:
    return ["O"] + [f"{prefix}-{t}" for t in types for prefix in ("B", "I")]


HEAD_LABELS: dict[str, list[str]] = {
    "attribution": _bio(("CUE", "SOURCE")),
    "content": _bio(("CONTENT",)),
    "hedge": _bio(("HEDGE",)),
    "entity": _bio(ENTITY_TYPES),
}

# The tag type in a head's label list -> TaggedSpan.label.
SPAN_LABEL: dict[str, str] = {"CUE": "cue", "SOURCE": "source", "CONTENT": "content", "HEDGE": "hedge"}
SPAN_LABEL.update({t: t for t in ENTITY_TYPES})

# Tasks where two same-type spans separated only by whitespace are one span: the tagger often
# restarts a span inside a multi-word cue ("has" + "said") or a name ("Mr." + "Obama"). Not hedges:
# the Szeged corpus marks adjacent cues ("may possibly") separately, and merging them cost 0.5 points
# of dev F1 (it gained 0.3-1.0 on the other heads). A model's config.json may override this with
# "merge_across_whitespace": [tasks].
MERGE_ACROSS_WHITESPACE = frozenset({"attribution", "content", "entity"})


@functools.lru_cache(maxsize=16)
def _bio_constraints(labels: tuple[str, ...]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Transition scores [previous, current] and start scores: 0 where allowed, -inf for I-X not after B/I-X."""
    import numpy as np

    n_labels = len(labels)
    allowed = np.zeros((n_labels, n_labels), dtype=np.float32)
    start_allowed = np.zeros(n_labels, dtype=np.float32)
    for current, label in enumerate(labels):
        if label.startswith("I-"):
            start_allowed[current] = -np.inf
            for previous, prev_label in enumerate(labels):
                if prev_label[2:] != label[2:] or prev_label == "O":
                    allowed[previous, current] = -np.inf
    return allowed, start_allowed


def viterbi_bio(log_probs: npt.NDArray[np.float32], labels: Sequence[str]) -> list[int]:
    """Most probable tag sequence under BIO constraints: I-X only after B-X or I-X."""
    return viterbi_bio_batch(log_probs[None], [len(log_probs)], labels)[0]


def viterbi_bio_batch(
    log_probs: npt.NDArray[np.float32], lengths: Sequence[int], labels: Sequence[str]
) -> list[list[int]]:
    """:func:`viterbi_bio` for each row of ``log_probs`` [rows, tokens, labels], row ``r`` being
    ``lengths[r]`` tokens long (the rest is padding)."""
    return viterbi_bio_heads([(log_probs, labels)], lengths)[0]


def viterbi_bio_heads(
    heads: Sequence[tuple[npt.NDArray[np.float32], Sequence[str]]], lengths: Sequence[int]
) -> list[list[list[int]]]:
    """:func:`viterbi_bio_batch` for several heads over the same rows: paths[head][row].

    The dynamic programme steps every row of every head that needs it at once (label axes padded to the
    widest head with impossible labels), so its Python loop runs once per token position, not once per
    head or per token of every row."""
    import numpy as np

    paths: list[list[list[int]]] = []
    slow: list[tuple[int, int]] = []  # (head, row) whose unconstrained best path breaks BIO
    constraints = [_bio_constraints(tuple(labels)) for _, labels in heads]
    for head, (log_probs, _labels) in enumerate(heads):
        best = log_probs.argmax(axis=-1)
        allowed, start_allowed = constraints[head]
        head_paths: list[list[int]] = []
        for row, length in enumerate(lengths):
            tags = best[row, :length]
            if length and not (np.isfinite(start_allowed[tags[0]]) and np.isfinite(allowed[tags[:-1], tags[1:]]).all()):
                slow.append((head, row))
            # When the unconstrained best path is valid BIO it is also the constrained optimum: the common
            # case (mostly "O"), which needs no dynamic programme.
            head_paths.append(tags.tolist())
        paths.append(head_paths)
    if not slow:
        return paths
    width = max(len(heads[head][1]) for head, _ in slow)
    slow_lengths = np.asarray([lengths[row] for _, row in slow])
    n_tokens = int(slow_lengths.max())
    scores = np.full((len(slow), n_tokens, width), -np.inf, dtype=np.float32)
    allowed_rows = np.full((len(slow), width, width), -np.inf, dtype=np.float32)
    start_rows = np.full((len(slow), width), -np.inf, dtype=np.float32)
    for index, (head, row) in enumerate(slow):
        log_probs, labels = heads[head]
        n_labels = len(labels)
        allowed, start_allowed = constraints[head]
        scores[index, :, :n_labels] = log_probs[row, :n_tokens]
        allowed_rows[index, :n_labels, :n_labels] = allowed
        start_rows[index, :n_labels] = start_allowed
    score = scores[:, 0] + start_rows
    backpointers = np.zeros((len(slow), n_tokens, width), dtype=np.int64)
    for t in range(1, n_tokens):
        candidates = score[:, :, None] + allowed_rows  # [rows, previous, current]
        backpointers[:, t] = candidates.argmax(axis=1)
        # A row past its end keeps its final scores.
        score = np.where((slow_lengths > t)[:, None], candidates.max(axis=1) + scores[:, t], score)
    for index, (head, row) in enumerate(slow):
        path = [int(score[index].argmax())]
        for t in range(lengths[row] - 1, 0, -1):
            path.append(int(backpointers[index, t, path[-1]]))
        paths[head][row] = path[::-1]
    return paths


def spans_from_tags(
    task: str,
    tags: Sequence[int],
    tag_probs: Sequence[float],
    labels: Sequence[str],
    offsets: Sequence[tuple[int, int]],
    text: str,
    merge_across_whitespace: bool = True,
) -> list[TaggedSpan]:
    """Turn decoded tag indices over wordpieces into character spans (confidence = mean tag prob)."""
    raw: list[tuple[str, int, int, list[float]]] = []
    for index, tag in enumerate(tags):
        # "O" (label 0) is most tags; skipping it early matters, and BIO-valid paths never put "O"
        # between the pieces of one span.
        if tag == 0:
            continue
        label = labels[tag]
        start, end = offsets[index]
        if label == "O" or start >= end:
            continue
        kind = label[2:]
        prob = tag_probs[index]
        if (raw and label.startswith("I-") and raw[-1][0] == kind) or (
            raw and raw[-1][0] == kind and merge_across_whitespace and not text[raw[-1][2] : start].strip()
        ):
            raw[-1] = (kind, raw[-1][1], end, raw[-1][3] + [prob])
        else:
            raw.append((kind, start, end, [prob]))
    spans: list[TaggedSpan] = []
    for kind, start, end, probs in raw:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        # Whole words: a span that stops inside a word ("McA" of "McAllister", "hypothetical" of
        # "hypothetically") is a decoding accident, not a reading.
        while 0 < start < end and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        while start < end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
            end += 1
        if start < end:
            spans.append(TaggedSpan(task, SPAN_LABEL[kind], start, end, round(sum(probs) / len(probs), 4)))
    return spans


def decode_head(
    task: str,
    logits: npt.NDArray[np.float32],
    labels: Sequence[str],
    offsets: Sequence[tuple[int, int]],
    text: str,
    merge_across_whitespace: bool = True,
    outside_bias: float = 0.0,
) -> list[TaggedSpan]:
    """Softmax, constrained Viterbi and span extraction for one head over one chunk's wordpieces."""
    return decode_head_batch(task, logits[None], labels, [(offsets, text)], merge_across_whitespace, outside_bias)[0]


@dataclass(frozen=True)
class HeadOutput:
    """One head's logits over a padded batch [rows, tokens, labels], and how to decode them.

    ``outside_bias`` is subtracted from the O logit (label 0) first: a positive value trades precision
    for recall (int8 quantisation and the multi-task mix both leave the heads slightly O-leaning).
    ``temperature`` only rescales the confidences (softmax of logits / T), never the tags: it is fitted on
    held-out spans by ``python -m training.calibrate`` so that a confidence of 0.8 is right ~80% of the time.
    """

    task: str
    logits: npt.NDArray[np.float32]
    labels: Sequence[str]
    merge_across_whitespace: bool = True
    outside_bias: float = 0.0
    temperature: float = 1.0


def decode_head_batch(
    task: str,
    logits: npt.NDArray[np.float32],
    labels: Sequence[str],
    rows: Sequence[tuple[Sequence[tuple[int, int]], str]],
    merge_across_whitespace: bool = True,
    outside_bias: float = 0.0,
    temperature: float = 1.0,
) -> list[list[TaggedSpan]]:
    """:func:`decode_head` over a padded batch: ``logits`` [rows, tokens, labels], and per row the
    wordpiece offsets (their count is the row's length) and the text they point into (see :class:`HeadOutput`)."""
    head = HeadOutput(task, logits, labels, merge_across_whitespace, outside_bias, temperature)
    return decode_heads_batch([head], rows)[0]


def decode_heads_batch(
    heads: Sequence[HeadOutput], rows: Sequence[tuple[Sequence[tuple[int, int]], str]]
) -> list[list[list[TaggedSpan]]]:
    """:func:`decode_head_batch` for several heads over the same rows, with one Viterbi pass for all of
    them: spans[head][row]."""
    import numpy as np

    lengths = [len(offsets) for offsets, _ in rows]
    prepared = []
    for head in heads:
        logits = np.asarray(head.logits, dtype=np.float32)
        if head.outside_bias:
            logits = logits.copy()
            logits[..., 0] -= head.outside_bias
        probs = softmax(logits)
        confidences = probs if head.temperature == 1.0 else softmax(logits / np.float32(head.temperature))
        prepared.append((np.log(probs + 1e-12).astype(np.float32), confidences))
    problems = [(log_probs, head.labels) for (log_probs, _), head in zip(prepared, heads, strict=True)]
    paths = viterbi_bio_heads(problems, lengths)
    decoded: list[list[list[TaggedSpan]]] = []
    for head, (_, confidences), head_paths in zip(heads, prepared, paths, strict=True):
        head_spans: list[list[TaggedSpan]] = []
        for row, ((offsets, text), path) in enumerate(zip(rows, head_paths, strict=True)):
            tag_probs = confidences[row, np.arange(len(path)), path].tolist() if path else []
            head_spans.append(
                spans_from_tags(head.task, path, tag_probs, head.labels, offsets, text, head.merge_across_whitespace)
            )
        decoded.append(head_spans)
    return decoded


def softmax(logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    import numpy as np

    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


def log_softmax(logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Log-probabilities over the last axis, computed stably (no log of an underflowed probability)."""
    import numpy as np

    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))  # type: ignore[no-any-return]
