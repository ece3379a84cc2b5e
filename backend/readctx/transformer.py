"""The multi-task token tagger: attribution cue/source, quote content, hedge cues and entities.

This is the only readctx module that touches ``onnxruntime`` or ``transformers``; both are imported
lazily by :meth:`TokenTagger.load`, so the rest of the package works without them. The pure helpers
here (chunk planning, casing classes) and in :mod:`readctx.decoding` (label scheme, BIO decoding) are
shared with the training code so training and inference cut and decode text the same way.

Long texts are tokenised once with the fast tokenizer; its ``offset_mapping`` gives each wordpiece's
code-point span. Consecutive sentences are packed into chunks of at most ``max_chunk_tokens``
wordpieces (a longer sentence is cut between words), each text's chunks run in length-sorted batches, each
head's tags are decoded with a BIO-constrained Viterbi pass, and token spans map back to characters.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

# TaggedSpan(task, label, start, end, confidence) lives in readctx.types so the pipeline can use it
# without importing this module; it and the label scheme are re-exported here as part of this module's
# interface.
from .decoding import ENTITY_TYPES, HEAD_LABELS, MERGE_ACROSS_WHITESPACE, TASKS, HeadOutput, decode_heads_batch
from .tagger import packaged_model_dir
from .text import split_sentences
from .types import Sentence, TaggedSpan

__all__ = ["ENTITY_TYPES", "HEAD_LABELS", "TASKS", "TaggedSpan", "TokenTagger"]


DEFAULT_MAX_CHUNK_TOKENS = 126  # wordpieces per chunk, without [CLS]/[SEP]
# Batches run on this many worker threads, each with a single-threaded onnxruntime session run; a batch holds
# at most this many padded tokens, so a 1,000-word article (~1,400 wordpieces) makes two batches, one per core.
DEFAULT_INFERENCE_WORKERS = 2
DEFAULT_BATCH_TOKENS = 768

# (text index, wordpiece ids, wordpiece offsets) of one chunk.
Chunk = tuple[int, list[int], list[tuple[int, int]]]
INSTALL_HINT = "pip install 'onnxruntime>=1.18' 'transformers>=4.44' 'tokenizers>=0.19' numpy"


# --------------------------------------------------------------------------- casing feature

CASING_CLASSES = ("special", "lower", "initial_upper", "all_upper", "mixed", "no_letters")


def casing_class(surface: str) -> int:
    """Casing class of a wordpiece's surface text (the uncased vocabulary throws case away)."""
    letters = [c for c in surface if c.isalpha()]
    if not letters:
        return 5
    uppers = [c.isupper() for c in letters]
    if not any(uppers):
        return 1  # also caseless scripts (CJK, Arabic)
    if all(uppers):
        return 3 if len(letters) > 1 else 2
    if uppers[0] and not any(uppers[1:]):
        return 2
    return 4


def casing_ids(text: str, offsets: Sequence[tuple[int, int]]) -> list[int]:
    """Casing class per wordpiece; a word's continuation pieces take the class of the whole word, so
    "McCain" split as "mc" "##cain" reads as mixed on both pieces."""
    classes: list[int] = []
    word_start = 0
    for index, (start, end) in enumerate(offsets):
        if start == end:
            classes.append(0)
            continue
        if index == 0 or offsets[index - 1][1] != start:
            word_start = start
        word_end = end
        following = index + 1
        while following < len(offsets) and offsets[following][0] == word_end and offsets[following][1] > word_end:
            word_end = offsets[following][1]
            following += 1
        classes.append(casing_class(text[word_start:word_end]))
    return classes


# --------------------------------------------------------------------------- chunk planning


def plan_chunks(
    offsets: Sequence[tuple[int, int]],
    sentences: Sequence[Sentence],
    max_tokens: int = DEFAULT_MAX_CHUNK_TOKENS,
) -> list[tuple[int, int]]:
    """Group token indices ``[first, last)`` into chunks of whole consecutive sentences, at most
    ``max_tokens`` each. A sentence longer than that is cut before a token that starts a word."""
    if not offsets:
        return []
    # Sentence index of each token, by its start offset.
    sentence_of: list[int] = []
    cursor = 0
    for start, _end in offsets:
        while cursor + 1 < len(sentences) and start >= sentences[cursor + 1].start:
            cursor += 1
        sentence_of.append(cursor)
    groups: list[tuple[int, int]] = []
    first = 0
    for index in range(1, len(offsets) + 1):
        if index == len(offsets) or sentence_of[index] != sentence_of[first]:
            groups.append((first, index))
            first = index
    pieces: list[tuple[int, int]] = []
    for first, last in groups:
        while last - first > max_tokens:
            cut = first + max_tokens
            # Back off to a word start so a word is never split between chunks.
            while cut > first + max_tokens // 2 and offsets[cut][0] == offsets[cut - 1][1]:
                cut -= 1
            pieces.append((first, cut))
            first = cut
        pieces.append((first, last))
    chunks: list[tuple[int, int]] = []
    for first, last in pieces:
        if chunks and last - chunks[-1][0] <= max_tokens:
            chunks[-1] = (chunks[-1][0], last)
        else:
            chunks.append((first, last))
    return chunks


# --------------------------------------------------------------------------- the tagger


def default_model_dir() -> Path:
    return packaged_model_dir("auto")


def _missing_runtime(error: ImportError) -> Exception:
    from .errors import ModelUnavailable

    return ModelUnavailable(f"the transformer tagger needs onnxruntime and transformers ({error}); {INSTALL_HINT}")


class TokenTagger:
    """Loads the ONNX model and tokenizer from a model directory and tags texts."""

    def __init__(self, session: Any, tokenizer: Any, config: dict[str, Any], model_dir: Path) -> None:
        self._session = session
        self._config = config
        self.model_dir = model_dir
        self.name: str = str(config.get("name", "readctx-minilm-multitask"))
        self.version: str = str(config.get("version", "0"))
        self.train_command: str = str(config.get("train_command") or "")  # as recorded by training.export
        self.heads: dict[str, list[str]] = {
            task: list(labels) for task, labels in config.get("heads", HEAD_LABELS).items()
        }
        self.output_names: dict[str, str] = dict(config.get("onnx_outputs", {t: f"{t}_logits" for t in self.heads}))
        self.uses_casing: bool = bool(config.get("casing_feature", False))
        self.merge_tasks = frozenset(config.get("merge_across_whitespace", MERGE_ACROSS_WHITESPACE))
        self.outside_bias: dict[str, float] = {
            task: float(value) for task, value in config.get("outside_logit_bias", {}).items()
        }
        self.temperature: dict[str, float] = {
            task: float(value) for task, value in config.get("confidence_temperature", {}).items()
        }
        self.max_chunk_tokens = int(config.get("max_chunk_tokens", DEFAULT_MAX_CHUNK_TOKENS))
        self.batch_tokens = int(config.get("batch_tokens", DEFAULT_BATCH_TOKENS))
        workers = int(config.get("inference_workers", DEFAULT_INFERENCE_WORKERS))
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="readctx-tagger")
        # The Rust tokenizer behind the fast tokenizer, called directly: the Python wrapper's per-call
        # conversion costs ~5% of tagging time. A copy, with tokenizer.json's truncation and padding
        # (to 128) switched off, as chunking is done here.
        self._encoder = type(tokenizer.backend_tokenizer).from_str(tokenizer.backend_tokenizer.to_str())
        self._encoder.no_truncation()
        self._encoder.no_padding()
        self._cls_id = int(tokenizer.cls_token_id)
        self._sep_id = int(tokenizer.sep_token_id)
        self._pad_id = int(tokenizer.pad_token_id or 0)

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> TokenTagger:
        directory = Path(model_dir) if model_dir is not None else default_model_dir()
        try:
            import onnxruntime
            from transformers import AutoTokenizer
        except ImportError as error:
            raise _missing_runtime(error) from error
        from .errors import ModelUnavailable

        config_path = directory / "config.json"
        if not config_path.is_file():
            raise ModelUnavailable(f"no model config at {config_path}")
        config = json.loads(config_path.read_text(encoding="utf-8"))
        labels_path = directory / "labels.json"
        if labels_path.is_file():
            config.setdefault("heads", json.loads(labels_path.read_text(encoding="utf-8")))
        model_path = directory / str(config.get("onnx_file", "model.int8.onnx"))
        if not model_path.is_file():
            raise ModelUnavailable(f"no ONNX model at {model_path}")
        options = onnxruntime.SessionOptions()
        # Parallelism comes from running batches on several threads (inference_workers), not from splitting
        # one batch's operators across cores: measured faster on 2 cores, for one article and for many.
        options.intra_op_num_threads = int(config.get("intra_op_threads", 1))
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        session = onnxruntime.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        tokenizer = AutoTokenizer.from_pretrained(str(directory), local_files_only=True, use_fast=True)
        if not getattr(tokenizer, "is_fast", False):
            raise ModelUnavailable("the tagger needs a fast tokenizer (tokenizer.json) for offsets")
        return cls(session, tokenizer, config, directory)

    def tag(self, text: str) -> list[TaggedSpan]:
        return self.tag_batch([text])[0]

    def tag_batch(self, texts: Sequence[str]) -> list[list[TaggedSpan]]:
        # (text index, token ids, offsets) of every chunk of every text.
        chunks: list[Chunk] = []
        present = [index for index, text in enumerate(texts) if text.strip()]
        # One call for all texts: the Rust tokenizer encodes them in parallel, outside the GIL.
        encodings = self._encoder.encode_batch([texts[index] for index in present], add_special_tokens=False)
        for text_index, encoding in zip(present, encodings, strict=True):
            ids: list[int] = encoding.ids
            offsets: list[tuple[int, int]] = encoding.offsets
            for first, last in plan_chunks(offsets, split_sentences(texts[text_index]), self.max_chunk_tokens):
                chunks.append((text_index, ids[first:last], offsets[first:last]))

        # Batches never mix texts: int8 dynamic quantisation scales activations per batch tensor, so a
        # text's spans would otherwise depend on what it was batched with. Within a text, chunks of
        # similar length go together to keep padding low.
        order = sorted(range(len(chunks)), key=lambda i: (chunks[i][0], len(chunks[i][1])))
        batches: list[list[Chunk]] = []
        batch: list[Chunk] = []
        for position, chunk_index in enumerate(order):
            batch.append(chunks[chunk_index])
            following = order[position + 1] if position + 1 < len(order) else None
            if (
                following is None
                or chunks[following][0] != chunks[chunk_index][0]
                # the widest so far, as the order is by length
                or (len(batch) + 1) * (len(chunks[following][1]) + 2) > self.batch_tokens
            ):
                batches.append(batch)
                batch = []

        results: list[list[TaggedSpan]] = [[] for _ in texts]
        # Each batch runs single-threaded on one of the pool's workers (onnxruntime releases the GIL): whole
        # batches in parallel use the cores better than one batch split across them, and one batch's decoding
        # overlaps the next one's inference. Results are collected in batch order, so the output is the same.
        run = functools.partial(self._run_batch, texts=texts)
        runs = self._pool.map(run, batches) if len(batches) > 1 else map(run, batches)
        for done, decoded in zip(batches, runs, strict=True):
            for (text_index, _ids, _offsets), spans in zip(done, decoded, strict=True):
                results[text_index].extend(spans)
        for spans in results:
            spans.sort(key=lambda s: (s.start, s.end, s.task, s.label))
        return results

    def _run_batch(self, batch: list[Chunk], texts: Sequence[str]) -> list[list[TaggedSpan]]:
        """Spans of every head, per row of the batch."""
        import numpy as np

        width = max(len(ids) for _, ids, _ in batch) + 2
        input_ids = np.full((len(batch), width), self._pad_id, dtype=np.int64)
        attention = np.zeros((len(batch), width), dtype=np.int64)
        casing = np.zeros((len(batch), width), dtype=np.int64)
        for row, (text_index, ids, offsets) in enumerate(batch):
            input_ids[row, : len(ids) + 2] = [self._cls_id, *ids, self._sep_id]
            attention[row, : len(ids) + 2] = 1
            if self.uses_casing:
                casing[row, 1 : len(ids) + 1] = casing_ids(texts[text_index], offsets)
        feeds: dict[str, Any] = {"input_ids": input_ids, "attention_mask": attention}
        if self.uses_casing:
            feeds["casing_ids"] = casing
        names = [self.output_names[task] for task in self.heads]
        outputs = self._session.run(names, feeds)
        rows_out: list[list[TaggedSpan]] = [[] for _ in batch]
        rows = [(offsets, texts[text_index]) for text_index, _ids, offsets in batch]
        heads = [
            HeadOutput(
                task,
                logits[:, 1 : width - 1],  # position 0 is [CLS]; each row's wordpieces follow it
                self.heads[task],
                task in self.merge_tasks,
                self.outside_bias.get(task, 0.0),
                self.temperature.get(task, 1.0),
            )
            for task, logits in zip(self.heads, outputs, strict=True)
        ]
        for head_spans in decode_heads_batch(heads, rows):
            for row, spans in enumerate(head_spans):
                rows_out[row].extend(spans)
        return rows_out
