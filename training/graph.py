"""Drop the attention guards that torch's SDPA trace leaves in an exported graph.

    python -m training.graph IN.onnx OUT.onnx

Exported with SDPA attention, every layer turns the boolean key mask into an additive float mask of its own
(``Where(mask, 0, -inf)``, six identical copies) and guards its softmax with ``Where(IsNaN(p), 0, p)``. The
guard only fires on a query row whose keys are all masked, which readctx never feeds ([CLS] and [SEP] are
always attended), so removing it and sharing one float mask leaves every output bit-identical (checked on
the PolNeAR dev articles: same spans and confidences) and saved ~4% of int8 inference time on 2 cores.
``training.export`` now traces eager attention, whose graph has neither; this is for models exported before.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any


def _constants(graph: Any) -> dict[str, Any]:
    from onnx import numpy_helper

    values = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].name == "value":
            values[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    return values


def _key(value: Any) -> tuple[str, tuple[int, ...], bytes]:
    return value.dtype.str, tuple(value.shape), value.tobytes()


def drop_attention_guards(model: Any) -> int:
    """Rewrite ``model`` (an ``onnx.ModelProto``) in place; returns the number of nodes removed.

    Only the SDPA pattern is touched: a guard must sit on a Softmax output and be that IsNaN's only reader,
    with a scalar zero; masks are merged only when condition and both constants (dtype, shape, bytes) match.
    """
    from onnx import AttributeProto

    graph = model.graph
    if any(a.type in (AttributeProto.GRAPH, AttributeProto.GRAPHS) for node in graph.node for a in node.attribute):
        raise ValueError("graphs with subgraphs (If, Loop, Scan) are not supported")
    constants = _constants(graph)
    producer = {output: node for node in graph.node for output in node.output}
    readers: dict[str, int] = {}
    for node in graph.node:
        for name in node.input:
            readers[name] = readers.get(name, 0) + 1
    renamed: dict[str, str] = {}  # output of a removed node -> the tensor that replaces it
    removed: set[int] = set()
    first_mask: dict[tuple[str, tuple[str, tuple[int, ...], bytes], tuple[str, tuple[int, ...], bytes]], str] = {}
    graph_outputs = {output.name for output in graph.output}
    for node in graph.node:
        if node.op_type != "Where" or node.output[0] in graph_outputs:  # a graph output keeps its name
            continue
        condition, if_true, if_false = node.input
        guard = producer.get(condition)
        guarded = producer.get(if_false)
        if (
            guard is not None
            and guard.op_type == "IsNaN"
            and guard.input[0] == if_false
            and readers.get(condition) == 1
            and guarded is not None
            and guarded.op_type == "Softmax"
            and if_true in constants
            and constants[if_true].size == 1
            and constants[if_true].ndim <= 1
            and not constants[if_true].any()
        ):
            renamed[node.output[0]] = if_false  # Where(IsNaN(p), 0, p) -> p
            removed.update((id(node), id(guard)))
        elif if_true in constants and if_false in constants:
            key = (condition, _key(constants[if_true]), _key(constants[if_false]))
            if key in first_mask:
                renamed[node.output[0]] = first_mask[key]  # the same float mask, computed again
                removed.add(id(node))
            else:
                first_mask[key] = node.output[0]
    kept = [node for node in graph.node if id(node) not in removed]
    for node in kept:
        for position, name in enumerate(node.input):
            while name in renamed:
                name = renamed[name]
            node.input[position] = name
    used = {name for node in kept for name in node.input} | graph_outputs
    orphans = {id(node) for node in kept if node.op_type == "Constant" and node.output[0] not in used}
    kept = [node for node in kept if id(node) not in orphans]
    del graph.node[:]
    graph.node.extend(kept)
    # Shape annotations of tensors no node produces any more would only mislead a reader of the file.
    produced = {output for node in kept for output in node.output}
    stale = [info for info in graph.value_info if info.name not in produced]
    for info in stale:
        graph.value_info.remove(info)
    return len(removed) + len(orphans)


def main(argv: Sequence[str] | None = None) -> int:
    import onnx

    parser = argparse.ArgumentParser(prog="python -m training.graph", description=__doc__.splitlines()[0])
    parser.add_argument("source", help="exported ONNX file")
    parser.add_argument("target", help="where to write the rewritten file (may be the same path)")
    args = parser.parse_args(argv)
    model = onnx.load(args.source)
    count = drop_attention_guards(model)
    onnx.checker.check_model(model)
    onnx.save(model, args.target)
    print(f"removed {count} nodes; wrote {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
