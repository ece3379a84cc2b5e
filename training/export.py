"""Export a trained checkpoint to ONNX, quantise it to int8 and assemble the runtime model directory.

    python -m training.export --checkpoint DIR --fp32 /work/artifacts/model.fp32.onnx \
        --out backend/readctx/model [--licence-dir DIR_WITH_LICENSE_AND_NOTICE]

Run this in its own process, never in the training process: the legacy TorchScript exporter can leave
the in-process model producing different outputs. The torch reference outputs used for the check
below are computed before exporting.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from readctx.decoding import HEAD_LABELS, MERGE_ACROSS_WHITESPACE, TASKS
from readctx.transformer import casing_ids

from .model import MultiTaskTagger

MINILM = "sentence-transformers/all-MiniLM-L6-v2"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")
CHECK_SENTENCES = (
    "The minister said on Tuesday that talks would resume.",
    "Rebels allegedly moved tanks near Aleppo, officials told Reuters.",
)

OTHER_SHAPE_SENTENCES = (
    "A much longer check sentence, with more words than either of the two sentences above, said the minister "
    "in Damascus on Tuesday, which allegedly means that the export handles other lengths and batches.",
)


def load_checkpoint(checkpoint: Path, weights: str = "weights.pt") -> tuple[MultiTaskTagger, dict[str, Any]]:
    meta = json.loads((checkpoint / "meta.json").read_text(encoding="utf-8"))
    encoder_config = json.loads((checkpoint / "encoder_config.json").read_text(encoding="utf-8"))
    model = MultiTaskTagger.from_config(encoder_config, bool(meta["casing_feature"]))
    state = torch.load(checkpoint / weights, map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    model.eval()
    return model, meta


def base_name(meta: dict[str, Any]) -> str:
    """The base model's name as far as the checkpoint tells it: the MiniLM package's, or the path trained from."""
    base = str(meta.get("base") or "")
    if not base or "minilm_l6_v2" in base.lower().replace("-", "_"):
        return MINILM
    return base


def check_inputs(checkpoint: Path, casing: bool, sentences: Sequence[str] = CHECK_SENTENCES) -> dict[str, torch.Tensor]:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(checkpoint), local_files_only=True, use_fast=True)
    encoded = tokenizer(list(sentences), padding=True, return_offsets_mapping=True)
    inputs = {
        "input_ids": torch.tensor(encoded["input_ids"]),
        "attention_mask": torch.tensor(encoded["attention_mask"]),
    }
    if casing:
        rows = []
        for text, offsets in zip(sentences, encoded["offset_mapping"], strict=True):
            pairs = [(int(a), int(b)) for a, b in offsets]
            rows.append(casing_ids(text, pairs))
        inputs["casing_ids"] = torch.tensor(rows)
    return inputs


def use_eager_attention(model: MultiTaskTagger) -> None:
    """Trace plain softmax(QK^T + mask) attention instead of SDPA.

    The SDPA trace adds IsNaN/Where guards over every (batch, head, query, key) score (8% of int8 inference
    time in ONNX Runtime's profile on an AVX2 CPU); the eager graph drops them and gives the same logits
    (both traces within 1.3e-6 of torch on a pretrained-encoder check).
    """
    if hasattr(model.encoder, "set_attn_implementation"):
        model.encoder.set_attn_implementation("eager")
    else:  # older transformers read the choice from the config at forward time
        model.encoder.config._attn_implementation = "eager"


def export_onnx(model: MultiTaskTagger, inputs: dict[str, torch.Tensor], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(inputs)
    dynamic = {name: {0: "batch", 1: "sequence"} for name in names}
    outputs = [f"{task}_logits" for task in TASKS]
    dynamic.update({name: {0: "batch", 1: "sequence"} for name in outputs})
    torch.onnx.export(
        model,
        tuple(inputs[name] for name in names),
        str(path),
        input_names=names,
        output_names=outputs,
        dynamic_axes=dynamic,
        opset_version=17,
        do_constant_folding=True,
        dynamo=False,
    )


def quantise(fp32: Path, int8: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Gather too, so the 30k x 384 word-embedding table is stored as int8 (keeps the file < 30 MB).
    # Per-channel scales: per-tensor int8 cost 0.8 (cue) to 1.5 (hedge) points of dev F1 against fp32;
    # per-channel recovered them at the same size.
    # reduce_range: 7-bit weights, so the u8 x s8 products cannot saturate on x86 CPUs without VNNI (older
    # laptops), where full-range int8 weights can lose accuracy. On the dev sets it also scored a little higher
    # than full-range int8 (hedge 0.850 vs 0.840 overlap F1 for the 2026.11.22.2 weights), at the same speed.
    quantize_dynamic(
        str(fp32),
        str(int8),
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul", "Gather"],
        per_channel=True,
        reduce_range=True,
    )


def max_difference(path: Path, inputs: dict[str, torch.Tensor], reference: Sequence[torch.Tensor]) -> float:
    import numpy as np
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    outputs = session.run(None, {k: v.numpy() for k, v in inputs.items()})
    mask = inputs["attention_mask"].numpy().astype(bool)
    return max(float(np.abs(o - r.numpy())[mask].max()) for o, r in zip(outputs, reference, strict=True))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.export")
    parser.add_argument("--checkpoint", type=Path, required=True, help="directory written by training.train")
    parser.add_argument("--fp32", type=Path, required=True, help="where to write the fp32 ONNX file")
    parser.add_argument("--out", type=Path, required=True, help="runtime model directory to (re)write")
    parser.add_argument(
        "--weights", default="weights.pt", help="weights file in the checkpoint (weights.ema.pt: the --ema average)"
    )
    parser.add_argument("--name", default="readctx-minilm-multitask")
    parser.add_argument("--version", default="2026.11.22")
    parser.add_argument(
        "--licence-dir", type=Path, default=None, help="folder holding the base model's LICENSE and NOTICE"
    )
    parser.add_argument(
        "--base-name",
        default=None,
        help="the base encoder's public name for config.json (default: MiniLM's when trained from its package,"
        " else the base path the checkpoint records), e.g. intfloat/multilingual-e5-small",
    )
    parser.add_argument("--no-quantise", action="store_true", help="ship the fp32 model (tests/smoke only)")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)

    model, meta = load_checkpoint(args.checkpoint, args.weights)
    use_eager_attention(model)
    casing = bool(meta["casing_feature"])
    inputs = check_inputs(args.checkpoint, casing)
    # A second batch of another shape catches shapes frozen into the graph by tracing.
    other_inputs = check_inputs(args.checkpoint, casing, OTHER_SHAPE_SENTENCES)
    with torch.no_grad():
        reference = [t.float() for t in model(*inputs.values())]
        other_reference = [t.float() for t in model(*other_inputs.values())]
    export_onnx(model, inputs, args.fp32)

    args.out.mkdir(parents=True, exist_ok=True)
    onnx_name = "model.onnx" if args.no_quantise else "model.int8.onnx"
    if args.no_quantise:
        shutil.copyfile(args.fp32, args.out / onnx_name)
    else:
        quantise(args.fp32, args.out / onnx_name)
    fp32_diff = max(
        max_difference(args.fp32, inputs, reference), max_difference(args.fp32, other_inputs, other_reference)
    )
    int8_diff = max(
        max_difference(args.out / onnx_name, inputs, reference),
        max_difference(args.out / onnx_name, other_inputs, other_reference),
    )
    print(
        json.dumps({"max_abs_logit_diff_fp32": fp32_diff, "max_abs_logit_diff_shipped": int8_diff}),
        flush=True,
    )
    if fp32_diff > 1e-3:
        raise SystemExit(f"fp32 ONNX disagrees with torch (max |diff| {fp32_diff}); not shipping")

    for name in TOKENIZER_FILES:
        if (args.checkpoint / name).is_file():
            shutil.copyfile(args.checkpoint / name, args.out / name)
    config = {
        "name": args.name,
        "version": args.version,
        "model_type": "bert",  # lets AutoTokenizer/AutoConfig read this file without complaint
        "onnx_file": onnx_name,
        "onnx_inputs": list(inputs),
        "onnx_outputs": {task: f"{task}_logits" for task in TASKS},
        "casing_feature": casing,
        "max_chunk_tokens": int(meta.get("max_chunk_tokens", 126)),
        "intra_op_threads": 1,
        "inference_workers": 2,
        "batch_tokens": 768,
        "merge_across_whitespace": sorted(MERGE_ACROSS_WHITESPACE),
        "base_model": args.base_name or base_name(meta),
        "encoder_layers": int(model.encoder.config.num_hidden_layers),
        "train_command": meta.get("command"),
        "train_steps": meta.get("steps_done"),
        "train_weights": args.weights,
        "quantisation": None
        if args.no_quantise
        else "onnxruntime dynamic int8, per-channel, reduce_range (MatMul, Gather)",
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    (args.out / "labels.json").write_text(json.dumps(HEAD_LABELS, indent=2) + "\n", encoding="utf-8")
    if args.licence_dir is not None:
        for name in ("LICENSE", "NOTICE"):
            shutil.copyfile(args.licence_dir / name, args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
