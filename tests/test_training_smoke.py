"""Training pipeline smoke test: a random 1-layer model on inline sentences, exported and loaded (< 60 s)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "backend"), str(REPO)]), HF_HUB_OFFLINE="1")
    done = subprocess.run([sys.executable, "-m", *args], cwd=REPO, env=env, timeout=300, capture_output=True, text=True)
    assert done.returncode == 0, f"{args[0]} exited {done.returncode}:\n{done.stderr[-3000:]}"


def test_smoke_train_export_and_tag(tmp_path: Path) -> None:
    checkpoint = tmp_path / "ckpt"
    _run("training.train", "--smoke", "--out", str(checkpoint), "--epochs", "2", "--loss-weight", "hedge=2")
    meta = json.loads((checkpoint / "meta.json").read_text(encoding="utf-8"))
    assert meta["steps_done"] == 2
    assert meta["loss_weights"] == {"attribution": 1.0, "content": 0.5, "hedge": 2.0, "entity": 1.0}
    assert (checkpoint / "weights.pt").is_file()

    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    model_dir = tmp_path / "model"
    _run(
        "training.export",
        "--checkpoint",
        str(checkpoint),
        "--fp32",
        str(tmp_path / "m.onnx"),
        "--out",
        str(model_dir),
        "--no-quantise",
    )
    from readctx.transformer import TokenTagger

    tagger = TokenTagger.load(model_dir)
    assert json.loads((model_dir / "config.json").read_text(encoding="utf-8"))["encoder_layers"] == 1
    text = "The minister said that talks would resume."
    spans = tagger.tag(text)
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    assert tagger.tag(text) == spans  # deterministic

    # the exported model teaches a student: every logged step carries one distillation term per head
    student = tmp_path / "student"
    _run("training.train", "--smoke", "--out", str(student), "--epochs", "2", "--teacher", str(model_dir))
    steps = [json.loads(line) for line in (student / "train_log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert steps and all({"kd_attribution", "kd_content", "kd_hedge", "kd_entity"} <= set(step) for step in steps)
    assert all(step[f"kd_{task}"] >= 0.0 for step in steps for task in ("attribution", "content", "hedge", "entity"))

    # two teachers (averaged) teach unlabelled text too, on the attribution head only
    news = tmp_path / "news.txt"
    news.write_text("Residents said the rebels had allegedly left.", encoding="utf-8")
    taught = tmp_path / "taught"
    _run(
        "training.train", "--smoke", "--out", str(taught), "--epochs", "1", "--teacher", str(model_dir),
        "--teacher", str(model_dir), "--distil-tasks", "attribution", "--unlabelled", str(news),
    )  # fmt: skip
    steps = [json.loads(line) for line in (taught / "train_log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert steps and all("kd_attribution" in step and "kd_hedge" not in step for step in steps)


def test_weight_average_warms_up_then_uses_its_decay_and_copies_counters(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    monkeypatch.syspath_prepend(str(REPO))
    from training.checkpoint import WeightAverage

    model = torch.nn.BatchNorm1d(2)  # weight starts at [1, 1]
    average = WeightAverage(model, decay=0.75)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([3.0, 5.0]))
    model.num_batches_tracked.fill_(7)
    average.update(model)  # update 0 decays by min(0.75, 1/10): mostly the new weights
    assert average.state["weight"].tolist() == pytest.approx([2.8, 4.6])
    assert int(average.state["num_batches_tracked"]) == 7
    average.updates = 1000  # past the warm-up: the decay itself
    with torch.no_grad():
        model.weight.copy_(torch.tensor([6.8, 8.6]))
    average.update(model)
    assert average.state["weight"].tolist() == pytest.approx([3.8, 5.6])
    assert model.weight.tolist() == pytest.approx([6.8, 8.6])  # the model itself is untouched
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        WeightAverage(model, decay=1.0)


def test_ema_option_takes_a_decay_between_0_and_1(monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    monkeypatch.syspath_prepend(str(REPO))
    from training.train import parse_decay

    assert parse_decay("0.998") == 0.998
    for bad in ("0", "1", "-0.5", "x"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_decay(bad)


def test_ema_weights_are_saved_beside_the_weights_and_are_what_export_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np
    import onnxruntime
    import torch

    checkpoint = tmp_path / "ckpt"
    _run("training.train", "--smoke", "--out", str(checkpoint), "--epochs", "2", "--ema", "0.5")
    raw = torch.load(checkpoint / "weights.pt", weights_only=True)
    ema = torch.load(checkpoint / "weights.ema.pt", weights_only=True)
    assert raw.keys() == ema.keys()
    assert any(not torch.equal(raw[name], ema[name]) for name in raw)
    _run(
        "training.export",
        "--checkpoint",
        str(checkpoint),
        "--weights",
        "weights.ema.pt",
        "--fp32",
        str(tmp_path / "m.onnx"),
        "--out",
        str(tmp_path / "model"),
        "--no-quantise",
    )
    config = json.loads((tmp_path / "model" / "config.json").read_text(encoding="utf-8"))
    assert config["train_weights"] == "weights.ema.pt"
    # The exported graph computes the averaged model, not the last weights.
    monkeypatch.syspath_prepend(str(REPO))
    from training.export import load_checkpoint

    ids = torch.tensor([[2, 5, 6, 7, 3]])
    feeds = {"input_ids": ids.numpy(), "attention_mask": np.ones_like(ids.numpy())}
    exported = onnxruntime.InferenceSession(str(tmp_path / "m.onnx")).run(None, feeds)[0]
    averaged, _ = load_checkpoint(checkpoint, "weights.ema.pt")
    last, _ = load_checkpoint(checkpoint, "weights.pt")
    with torch.no_grad():
        assert np.allclose(exported, averaged(ids, torch.ones_like(ids))[0].numpy(), atol=1e-5)
        assert not np.allclose(exported, last(ids, torch.ones_like(ids))[0].numpy(), atol=1e-5)


def test_bf16_only_where_the_cpu_runs_it_natively(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import torch

    monkeypatch.syspath_prepend(str(REPO))
    from training.checkpoint import cpu_has_native_bf16

    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: True)
    assert cpu_has_native_bf16() is True

    def moved() -> bool:
        raise AttributeError("probe moved")

    # Without torch's probe, the CPU flags decide.
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", moved)
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("flags\t\t: fpu sse2 avx2 fma\n", encoding="utf-8")
    assert cpu_has_native_bf16(cpuinfo) is False
    cpuinfo.write_text("flags\t\t: fpu sse2 avx2 avx512f avx512bw avx512_vnni\n", encoding="utf-8")
    assert cpu_has_native_bf16(cpuinfo) is True
    assert cpu_has_native_bf16(tmp_path / "missing") is False


def test_loss_weight_option_names_a_known_head(monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    monkeypatch.syspath_prepend(str(REPO))
    from training.train import parse_loss_weight

    assert parse_loss_weight("attribution=1.5") == ("attribution", 1.5)
    with pytest.raises(argparse.ArgumentTypeError, match="unknown task 'cue'"):
        parse_loss_weight("cue=2")
    with pytest.raises(argparse.ArgumentTypeError, match="not a number: 'x'"):
        parse_loss_weight("hedge=x")


def test_calibration_pools_documents_by_fold_and_scores_log_loss(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.calibrate import ece, log_loss, pooled

    per_doc = [[(0.9, True)], [(0.8, False)], [(0.6, True), (0.7, True)]]
    assert pooled(per_doc, keep=0) == [(0.9, True), (0.6, True), (0.7, True)]
    assert pooled(per_doc, keep=1) == [(0.8, False)]
    assert len(pooled(per_doc)) == 4
    assert log_loss([(0.5, True), (0.5, False)]) == pytest.approx(0.6931, abs=1e-4)
    assert ece([(0.9, True), (0.9, False)]) == pytest.approx(0.4)


def test_layers_keeps_the_bottom_encoder_layers_of_the_base(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import torch
    from transformers import BertConfig, BertModel

    monkeypatch.syspath_prepend(str(REPO))
    from training.model import MultiTaskTagger

    torch.manual_seed(0)
    config = BertConfig(vocab_size=30, hidden_size=8, num_hidden_layers=3, num_attention_heads=2, intermediate_size=16)
    base = BertModel(config, add_pooling_layer=False)
    base.save_pretrained(str(tmp_path))
    student = MultiTaskTagger.from_pretrained(str(tmp_path), casing_feature=False, layers=2)
    assert student.encoder.config.num_hidden_layers == 2
    kept = student.encoder.encoder.layer
    assert len(kept) == 2
    for index in (0, 1):  # the bottom layers, with the base's weights
        for name, value in base.encoder.layer[index].state_dict().items():
            assert torch.equal(kept[index].state_dict()[name], value), (index, name)
    # the saved encoder config rebuilds the same shape for export
    rebuilt = MultiTaskTagger.from_config(student.encoder.config.to_dict(), casing_feature=False)
    assert len(rebuilt.encoder.encoder.layer) == 2
    with pytest.raises(ValueError, match=r"--layers must lie in 1\.\.3"):
        MultiTaskTagger.from_pretrained(str(tmp_path), casing_feature=False, layers=4)


@pytest.mark.parametrize(
    ("option", "bad_value", "message", "logged"),
    [
        ("--adversarial", "-1", "--adversarial must be positive, not -1.0", "adversarial"),
        ("--consistency", "0", "--consistency must be positive, not 0.0", "consistency_attribution"),
    ],
)
def test_regulariser_option_is_positive_and_its_loss_is_logged(
    option: str,
    bad_value: str,
    message: str,
    logged: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    monkeypatch.syspath_prepend(str(REPO / "backend"))
    from training.train import main, parse_args

    with pytest.raises(SystemExit):
        parse_args(["--smoke", "--out", "x", option, bad_value])
    assert message in capsys.readouterr().err
    assert main(["--smoke", "--out", str(tmp_path), "--epochs", "2", option, "1.0"]) == 0
    steps = [json.loads(line) for line in (tmp_path / "train_log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(steps) == 1 and steps[0]["step"] == 2
    # FGM's second pass has a loss; R-Drop's two dropout passes differ
    assert steps[0][logged] > 0.0
