"""Distillation from several teachers, on some heads only, and over unlabelled text: tiny inline tensors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy")
torch = pytest.importorskip("torch")

REPO = Path(__file__).resolve().parents[1]
# Labels per head, in TASKS order: attribution, content, hedge, entity.
WIDTHS = (5, 3, 3, 13)


class FixedSession:
    """Stands in for an onnxruntime session: the same logits for every wordpiece of every row."""

    def __init__(self, rows: list[list[float]]) -> None:
        self.rows = rows

    def run(self, names: list[str], feeds: dict[str, Any]) -> list[Any]:
        batch, width = feeds["input_ids"].shape
        return [np.tile(np.array(row, dtype=np.float32), (batch, width, 1)) for row in self.rows]


def _rows(first: float) -> list[list[float]]:
    return [[first] + [0.0] * (n - 1) for n in WIDTHS]


def _log_softmax(values: list[float]) -> Any:
    array = np.array(values, dtype=np.float64)
    return array - np.log(np.exp(array).sum())


def test_teachers_log_probabilities_are_averaged_per_head(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.data import Example
    from training.distil import _teach

    example = Example(input_ids=[2, 7, 3], casing_ids=[0, 0, 0], labels={}, source="unlabelled")
    names = ["attribution_logits", "content_logits", "hedge_logits", "entity_logits"]
    _teach([(FixedSession(_rows(2.0)), names), (FixedSession(_rows(0.0)), names)], [example])
    assert example.teacher is not None
    expected = (_log_softmax([2.0, 0, 0, 0, 0]) + _log_softmax([0.0, 0, 0, 0, 0])) / 2
    assert example.teacher["attribution"].shape == (3, 5)
    assert example.teacher["attribution"].dtype == np.float16
    assert np.allclose(example.teacher["attribution"][1], expected, atol=2e-3)
    assert np.allclose(
        example.teacher["hedge"][0], (_log_softmax([2.0, 0, 0]) + _log_softmax([0.0, 0, 0])) / 2, atol=2e-3
    )


def test_one_teachers_log_probabilities_keep_its_tempered_softmax(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.data import Example
    from training.distil import _teach

    example = Example(input_ids=[2, 3], casing_ids=[0, 0], labels={}, source="polnear")
    _teach(
        [(FixedSession([[3.0, 1.0, 0.0, 0.0, 0.0], [0.0] * 3, [0.0] * 3, [0.0] * 13]), ["a", "c", "h", "e"])], [example]
    )
    assert example.teacher is not None
    logits = torch.tensor([3.0, 1.0, 0.0, 0.0, 0.0])
    kept = torch.from_numpy(example.teacher["attribution"][0].astype(np.float32))
    assert torch.allclose(torch.softmax(kept / 2, -1), torch.softmax(logits / 2, -1), atol=1e-3)


def test_distillation_covers_only_the_heads_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.distil import distillation_loss

    torch.manual_seed(0)
    student = tuple(torch.randn(1, 4, n) for n in WIDTHS)
    teacher = {
        task: torch.randn(1, 4, n)
        for task, n in zip(("attribution", "content", "hedge", "entity"), WIDTHS, strict=True)
    }
    mask = torch.ones(1, 4, dtype=torch.long)
    weights = {"attribution": 2.0, "content": 0.5, "hedge": 3.0, "entity": 1.0}
    every, every_parts = distillation_loss(student, teacher, mask, weights, 2.0)
    some, some_parts = distillation_loss(student, teacher, mask, weights, 2.0, {"attribution", "content"})
    assert set(every_parts) == {"kd_attribution", "kd_content", "kd_hedge", "kd_entity"}
    assert set(some_parts) == {"kd_attribution", "kd_content"}
    assert some_parts["kd_attribution"] == every_parts["kd_attribution"]
    assert float(some) == pytest.approx(2.0 * some_parts["kd_attribution"] + 0.5 * some_parts["kd_content"], rel=1e-5)
    assert float(every) > float(some)


def test_unlabelled_text_needs_a_teacher_and_distil_tasks_are_heads(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.train import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--smoke", "--out", "x", "--unlabelled", "news.jsonl"])
    assert "unlabelled text needs --teacher" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parse_args(["--smoke", "--out", "x", "--teacher", "m", "--distil-tasks", "attribution,cue"])
    assert "unknown --distil-tasks cue" in capsys.readouterr().err
    args = parse_args(["--smoke", "--out", "x", "--teacher", "m", "--teacher", "n", "--unlabelled", "a.txt"])
    assert args.teacher == [Path("m"), Path("n")]
    assert args.distil_tasks == "attribution,content,hedge,entity"


def test_unlabelled_inputs_are_read_like_annotate_and_any_bad_one_stops_the_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.train import parse_args, unlabelled_documents

    (tmp_path / "page.txt").write_text("Officials said so.", encoding="utf-8")
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "n1", "text": "He told us."}) + "\n", encoding="utf-8")
    texts = unlabelled_documents(
        parse_args(
            [
                "--smoke",
                "--out",
                "x",
                "--teacher",
                "m",
                "--unlabelled",
                str(tmp_path / "page.txt"),
                "--unlabelled",
                str(good),
            ]
        )
    )
    assert [(doc.doc_id, doc.text, doc.spans, doc.tasks) for doc in texts] == [
        (str(tmp_path / "page.txt"), "Officials said so.", (), frozenset()),
        ("n1", "He told us.", (), frozenset()),
    ]

    bad = tmp_path / "bad.jsonl"
    lines = [json.dumps({"text": "Fine."}), "{not json", json.dumps({"html": "<p>x</p>"})]
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        unlabelled_documents(parse_args(["--smoke", "--out", "x", "--teacher", "m", "--unlabelled", str(bad)]))
    assert str(stopped.value) == (
        f"cannot read 2 unlabelled input(s):\n{bad}:2: line 2: not valid JSON (Expecting property name enclosed in"
        f" double quotes)\n{bad}:3: HTML is not read here; give the page's text"
    )
