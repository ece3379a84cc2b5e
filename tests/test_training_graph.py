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


def _graph(nodes: list[object], inputs: list[object], output: str, output_type: int) -> object:
    from onnx import helper

    graph = helper.make_graph(nodes, "g", inputs, [helper.make_tensor_value_info(output, output_type, [2, 3])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def test_other_nan_guards_and_masks_of_another_type_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    from onnx import TensorProto, helper

    monkeypatch.syspath_prepend(str(REPO))
    from training.graph import drop_attention_guards

    def constant(name: str, data_type: int) -> object:
        return helper.make_node("Constant", [], [name], value=helper.make_tensor(name + "_v", data_type, [1], [0]))

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])
    mask = helper.make_tensor_value_info("mask", TensorProto.BOOL, [2, 3])
    # A NaN-to-zero on a Relu is real work, not an SDPA guard.
    relu_guard = _graph(
        [
            constant("zero", TensorProto.FLOAT),
            helper.make_node("Relu", ["x"], ["r"]),
            helper.make_node("IsNaN", ["r"], ["nan"]),
            helper.make_node("Where", ["nan", "zero", "r"], ["y"]),
            helper.make_node("Identity", ["y"], ["out"]),
        ],
        [x],
        "out",
        TensorProto.FLOAT,
    )
    assert drop_attention_guards(relu_guard) == 0
    # A guard whose IsNaN is read elsewhere too stays.
    shared_guard = _graph(
        [
            constant("zero", TensorProto.FLOAT),
            helper.make_node("Softmax", ["x"], ["p"], axis=-1),
            helper.make_node("IsNaN", ["p"], ["nan"]),
            helper.make_node("Where", ["nan", "zero", "p"], ["y"]),
            helper.make_node("Cast", ["nan"], ["nan_float"], to=TensorProto.FLOAT),
            helper.make_node("Add", ["y", "nan_float"], ["out"]),
        ],
        [x],
        "out",
        TensorProto.FLOAT,
    )
    assert drop_attention_guards(shared_guard) == 0
    # Same condition, constants with the same bytes (0) but of two types: two different tensors.
    typed_masks = _graph(
        [
            constant("f", TensorProto.FLOAT),
            constant("i", TensorProto.INT32),
            helper.make_node("Where", ["mask", "f", "f"], ["float_mask"]),
            helper.make_node("Where", ["mask", "i", "i"], ["int_mask"]),
            helper.make_node("Cast", ["int_mask"], ["cast"], to=TensorProto.FLOAT),
            helper.make_node("Add", ["float_mask", "cast"], ["out"]),
        ],
        [mask],
        "out",
        TensorProto.FLOAT,
    )
    assert drop_attention_guards(typed_masks) == 0
    onnx.checker.check_model(typed_masks)
