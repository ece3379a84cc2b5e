"""training.graph: the SDPA guards come out of an exported graph and the outputs stay the same."""

from __future__ import annotations

from pathlib import Path

import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
np = pytest.importorskip("numpy")

REPO = Path(__file__).resolve().parents[1]


def _sdpa_like_graph() -> object:
    """Two 'layers', each with its own float mask Where(mask, 0, -inf) and a NaN-guarded softmax."""
    from onnx import TensorProto, helper

    def constant(name: str, value: float) -> object:
        return helper.make_node(
            "Constant", [], [name], value=helper.make_tensor(name + "_v", TensorProto.FLOAT, [1], [value])
        )

    nodes = []
    layer_input = "scores"
    for layer in (0, 1):
        nodes += [
            constant(f"zero{layer}", 0.0),
            constant(f"minus_inf{layer}", float("-inf")),
            constant(f"nan_zero{layer}", 0.0),
            helper.make_node("Where", ["mask", f"zero{layer}", f"minus_inf{layer}"], [f"float_mask{layer}"]),
            helper.make_node("Add", [layer_input, f"float_mask{layer}"], [f"masked{layer}"]),
            helper.make_node("Softmax", [f"masked{layer}"], [f"p{layer}"], axis=-1),
            helper.make_node("IsNaN", [f"p{layer}"], [f"nan{layer}"]),
            helper.make_node("Where", [f"nan{layer}", f"nan_zero{layer}", f"p{layer}"], [f"guarded{layer}"]),
        ]
        layer_input = f"guarded{layer}"
    nodes.append(helper.make_node("Identity", [layer_input], ["probabilities"]))
    graph = helper.make_graph(
        nodes,
        "sdpa_like",
        [
            helper.make_tensor_value_info("scores", TensorProto.FLOAT, [2, 3]),
            helper.make_tensor_value_info("mask", TensorProto.BOOL, [2, 3]),
        ],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [2, 3])],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def _run(model: object, feeds: dict[str, object]) -> object:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])  # type: ignore[attr-defined]
    return session.run(None, feeds)[0]


def test_guards_and_repeated_masks_are_dropped_with_identical_outputs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from training.graph import drop_attention_guards

    feeds = {
        "scores": np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], dtype=np.float32),
        "mask": np.array([[True, True, False], [True, False, False]]),
    }
    model = _sdpa_like_graph()
    before = _run(model, feeds)
    # 2 IsNaN + 2 guard Where + 1 repeated mask Where, then the 4 constants only they used
    assert drop_attention_guards(model) == 9
    onnx.checker.check_model(model)
    ops = [node.op_type for node in model.graph.node]  # type: ignore[attr-defined]
    assert ops.count("Where") == 1
    assert "IsNaN" not in ops
    assert np.array_equal(_run(model, feeds), before)
    assert drop_attention_guards(model) == 0  # nothing left to drop
