"""insightface model-pack ONNX files: recognition networks into PyTorch, and the pack's SCRFD detector.

ONNX runs without gradients in onnxruntime, and PLQ needs dM_Q/dI, so a
recognition file is not run as ONNX: its initializers are mapped onto the
native ``IResNet`` module. ``read_onnx_ops`` reduces the graph to the layer
records of ``iresnet.Op`` (following the data path from the graph input,
resolving constants that exporters route through Identity/Unsqueeze nodes),
and ``iresnet.iresnet_from_ops`` assembles the network. ONNX files are
protocol buffers: reading one runs no code from it.

The packs (``buffalo_l``, ``antelopev2``) also hold insightface's SCRFD face
detector; when that file is present it is offered as a faster detector
(``ScrfdDetector``), run by insightface's own SCRFD code on onnxruntime.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from plq_desktop.core.formats.errors import ModelFileError
from plq_desktop.core.nets.iresnet import IResNet, Op, iresnet_from_ops

# Layers that only reshape or rename the data.
_PASSTHROUGH = {"Identity", "Flatten", "Reshape", "Squeeze", "Unsqueeze"}
# Constant-only computations worth folding (PReLU slopes reach their node through these).
_CONST_FOLD = _PASSTHROUGH | {"Cast"}


def read_onnx_ops(path: str | Path) -> list[Op]:
    import onnx
    from onnx import helper, numpy_helper

    try:
        model = onnx.load(str(path))
    except Exception as exc:  # DecodeError, truncated file, ...
        raise ModelFileError(f"{path} is not a readable ONNX file: {exc}") from None
    graph = model.graph
    consts = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    inputs = [i.name for i in graph.input if i.name not in consts]
    if len(inputs) != 1:
        raise ModelFileError(f"{path}: a recognition network has one image input, this graph has {len(inputs)}")
    data: set[str] = {inputs[0]}
    alias: dict[str, str] = {}
    ops: list[Op] = []
    first_conv_seen = False

    def resolve(name: str) -> str:
        while name in alias:
            name = alias[name]
        return name

    def const(name: str, node) -> np.ndarray:
        if name not in consts:
            raise ModelFileError(f"{path}: {node.op_type} node {node.name!r} takes a computed parameter {name!r}")
        return np.asarray(consts[name], dtype=np.float32)

    for node in graph.node:
        kind = node.op_type
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        if kind == "Constant":
            consts[node.output[0]] = _constant_value(attrs)
            continue
        ins = [i for i in node.input if i]
        if not any(i in data for i in ins):
            if kind in _CONST_FOLD and ins and ins[0] in consts:
                consts[node.output[0]] = np.asarray(consts[ins[0]])
            continue
        if kind == "Shape":  # its output describes the data, it is not data
            continue
        out = node.output[0]
        data.add(out)
        x = resolve(ins[0])
        name = node.name or out
        if kind in _PASSTHROUGH:
            alias[out] = x
        elif kind == "Conv":
            if attrs.get("group", 1) != 1 or any(d != 1 for d in attrs.get("dilations", [1, 1])):
                raise ModelFileError(f"{path}: grouped or dilated convolution {name!r} is not part of an IResNet")
            weight = const(ins[1], node)
            k = weight.shape[-1]
            if list(attrs.get("pads", [0, 0, 0, 0])) != [k // 2] * 4:
                raise ModelFileError(f"{path}: convolution {name!r} is not padded like an IResNet's")
            arrays = {"weight": weight}
            if len(ins) > 2:
                arrays["bias"] = const(ins[2], node)
            ops.append(Op("conv", name, [x], out, arrays, {"stride": int(attrs.get("strides", [1, 1])[0])}))
            first_conv_seen = True
        elif kind == "BatchNormalization":
            gamma, beta, mean, var = (const(i, node) for i in ins[1:5])
            ops.append(Op("bn", name, [x], out, {"gamma": gamma, "beta": beta, "mean": mean, "var": var},
                          {"eps": float(attrs.get("epsilon", 1e-5))}))
        elif kind == "PRelu":
            ops.append(Op("prelu", name, [x], out, {"slope": const(ins[1], node)}))
        elif kind in ("Relu", "LeakyRelu"):  # PReLUs with one fixed slope
            slope = np.float32(attrs.get("alpha", 0.01) if kind == "LeakyRelu" else 0.0)
            ops.append(Op("prelu", name, [x], out, {"slope": np.array([slope])}))
        elif kind == "Add" and all(i in data for i in ins):
            ops.append(Op("add", name, [x, resolve(ins[1])], out))
        elif kind in ("Add", "Sub", "Mul", "Div"):
            op = _affine_op(kind, name, ins, x, out, consts, data, first_conv_seen, ops, path)
            if op is not None:
                ops.append(op)
        elif kind == "Gemm":
            if attrs.get("transA", 0):
                raise ModelFileError(f"{path}: Gemm {name!r} with transA is not a fully connected layer")
            weight = const(ins[1], node) * float(attrs.get("alpha", 1.0))
            if not attrs.get("transB", 0):
                weight = weight.T
            arrays = {"weight": np.ascontiguousarray(weight)}
            if len(ins) > 2:
                arrays["bias"] = const(ins[2], node).reshape(-1) * float(attrs.get("beta", 1.0))
            ops.append(Op("fc", name, [x], out, arrays))
        elif kind == "MatMul":
            ops.append(Op("fc", name, [x], out, {"weight": np.ascontiguousarray(const(ins[1], node).T)}))
        elif kind == "Dropout":
            ratio = consts.get(ins[1], 0.5) if len(ins) > 1 else attrs.get("ratio", 0.5)
            ops.append(Op("dropout", name, [x], out, attrs={"p": float(np.asarray(ratio))}))
        else:
            raise ModelFileError(f"{path}: layer {name!r} of type {kind} is not part of an IResNet")
    return ops


def _constant_value(attrs: dict) -> np.ndarray:
    from onnx import numpy_helper
    if "value" in attrs:
        return numpy_helper.to_array(attrs["value"])
    for key in ("value_float", "value_floats", "value_int", "value_ints"):
        if key in attrs:
            return np.asarray(attrs[key])
    raise ModelFileError(f"unsupported Constant node attributes {sorted(attrs)}")


def _affine_op(kind, name, ins, x, out, consts, data, first_conv_seen, ops, path) -> Op | None:
    """Constant add/sub/mul/div: the input normalisation, or the bias of a MatMul (folded, None)."""
    other = next((i for i in ins if i not in data), None)
    if other is None or other not in consts or ins[0] not in data:
        raise ModelFileError(f"{path}: {kind} {name!r} is not a constant offset or scale")
    value = np.asarray(consts[other], np.float32)
    if first_conv_seen:
        fc = ops[-1] if ops else None
        if kind == "Add" and fc is not None and fc.kind == "fc" and fc.output == x and "bias" not in fc.arrays:
            fc.arrays["bias"] = value.reshape(-1)
            fc.output = out  # the layer now ends after its bias
            return None
        raise ModelFileError(f"{path}: {kind} {name!r} inside the network is not part of an IResNet")
    if kind in ("Add", "Sub"):
        return Op("sub", name, [x], out, {"value": -value if kind == "Add" else value})
    return Op("mul", name, [x], out, {"value": 1.0 / value if kind == "Div" else value})


def load_iresnet_onnx(path: str | Path) -> IResNet:
    """An insightface ONNX recognition file (IResNet of any depth) as a PyTorch ``IResNet``."""
    return iresnet_from_ops(read_onnx_ops(path), str(path))


def normalises_inside(path: str | Path) -> bool:
    """Whether the graph subtracts and scales the 0..255 input itself (insightface's MXNet exports)."""
    ops = read_onnx_ops(path)
    first_conv = next(i for i, op in enumerate(ops) if op.kind == "conv")
    return any(op.kind in ("sub", "mul") for op in ops[:first_conv])


def onnxruntime_embeddings(path: str | Path, chips: np.ndarray) -> np.ndarray:
    """The ONNX file's own output in onnxruntime for N x 3 x H x W float RGB 0..255 chips.

    Inputs are prepared as insightface does: raw when the graph normalises,
    else (x - 127.5) / 127.5.
    """
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    blob = np.asarray(chips, np.float32)
    if not normalises_inside(path):
        blob = (blob - 127.5) / 127.5
    return session.run(None, {session.get_inputs()[0].name: blob})[0]


def check_conversion(path: str | Path, net: IResNet, seed: int = 0) -> float:
    """Largest difference between ``net`` and onnxruntime on the same file, relative to the output size.

    Run once when a file is enrolled, so that a graph variant the mapping
    misreads is caught before it produces maps.
    """
    import torch

    chips = np.random.default_rng(seed).uniform(0, 255, (2, 3, net.chip_size, net.chip_size)).astype(np.float32)
    reference = onnxruntime_embeddings(path, chips)
    with torch.inference_mode():
        ours = net.eval()(torch.from_numpy(chips)).numpy()
    return float(np.abs(ours - reference).max() / max(1.0, np.abs(reference).max()))
