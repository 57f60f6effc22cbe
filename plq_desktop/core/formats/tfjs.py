"""TensorFlow.js graph models (``model.json`` + weight shards) as PyTorch modules.

A TF.js graph model is a frozen TensorFlow graph in JSON (``modelTopology.node``:
name, op, inputs, attributes) plus a weight manifest: groups of weights, each
group stored as the concatenation of its shard files, every weight with a
name, shape, dtype and optionally a quantization (``float16``, or ``uint8`` /
``uint16`` with ``scale`` and ``min``). Every ``Const`` node's value is the
manifest weight of the same name. Reading a file runs no code from it.

``TfjsGraph`` evaluates the graph with torch ops, so gradients reach the
input (PLQ needs dM_Q/dI), batches and CUDA work. The file is NHWC; in torch
every 4-D tensor is held NCHW and every other tensor in the file's layout, so
each op that depends on the layout (per-channel constants, reduction axes,
reshapes) translates it in one place. TensorFlow's SAME padding is
``ceil(in / stride)`` outputs with the odd pixel of padding after (right,
bottom), which torch's symmetric padding cannot express for stride 2: it is
an explicit ``F.pad``. An op outside ``SUPPORTED_OPS`` is a ``ModelFileError``
naming it, raised when the file is read.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from plq_desktop.core.formats.errors import ModelFileError

# Activations as TF names them, standalone or in a fused op's ``fused_ops``.
_ACTIVATIONS = {
    "Relu": F.relu,
    "Relu6": F.relu6,
    "Elu": F.elu,
    "Sigmoid": torch.sigmoid,
    "Tanh": torch.tanh,
}
_BINARY = {
    "Add": torch.add, "AddV2": torch.add, "BiasAdd": torch.add, "Sub": torch.sub, "Mul": torch.mul,
    "RealDiv": torch.div, "Maximum": torch.maximum, "Minimum": torch.minimum,
}
_CONVS = {"Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative"}
SUPPORTED_OPS = frozenset({"Placeholder", "Const", "Identity", "MatMul", "_FusedMatMul", "Prelu", "LeakyRelu",
                           "Softmax", "Mean", "MaxPool", "AvgPool", "Reshape", "Squeeze"}
                          | set(_ACTIVATIONS) | set(_BINARY) | _CONVS)

_DTYPES = {"float32": np.float32, "int32": np.int32, "bool": np.bool_}
_QUANTIZED = {"float16": np.float16, "uint8": np.uint8, "uint16": np.uint16}
# NHWC axis -> NCHW axis.
_TO_NCHW_AXIS = (0, 2, 3, 1)


@dataclass
class Node:
    name: str
    op: str
    inputs: list[str]
    attrs: dict = field(default_factory=dict)


def _attr(node: dict, key: str, default=None):
    """A node attribute as a Python value (TF.js JSON keeps the protobuf's typed wrappers)."""
    value = node.get("attr", {}).get(key)
    if value is None:
        return default
    if "list" in value:
        items = value["list"]
        if "i" in items:
            return [int(i) for i in items["i"]]
        if "s" in items:
            return [base64.b64decode(s).decode() for s in items["s"]]
        if "f" in items:
            return [float(f) for f in items["f"]]
        return []
    if "s" in value:
        return base64.b64decode(value["s"]).decode()
    if "i" in value:
        return int(value["i"])
    if "f" in value:
        return float(value["f"])
    if "b" in value:
        return bool(value["b"])
    return default


def read_weights(model_json: Path, manifest: list[dict]) -> dict[str, np.ndarray]:
    """Every manifest weight as an array, dequantized to its original dtype."""
    arrays: dict[str, np.ndarray] = {}
    for group in manifest:
        blobs = []
        for shard in group.get("paths", []):
            path = model_json.parent / shard
            try:
                blobs.append(path.read_bytes())
            except OSError as exc:
                raise ModelFileError(f"weight shard {shard} is not readable: {exc.strerror}", model_json) from None
        data = b"".join(blobs)
        offset = 0
        for w in group.get("weights", []):
            name, shape = w["name"], [int(s) for s in w.get("shape", [])]
            quant = w.get("quantization")
            dtype = _QUANTIZED.get(quant["dtype"]) if quant else _DTYPES.get(w.get("dtype", "float32"))
            if dtype is None:
                kind = quant["dtype"] if quant else w.get("dtype")
                raise ModelFileError(f"weight {name!r} has dtype {kind}, which this reader does not support",
                                     model_json)
            count = math.prod(shape)
            size = count * np.dtype(dtype).itemsize
            if offset + size > len(data):
                raise ModelFileError(f"the weight shards end inside weight {name!r} ({len(data)} bytes, "
                                     f"{offset + size} needed): truncated", model_json)
            value = np.frombuffer(data, dtype=dtype, count=count, offset=offset).reshape(shape)
            offset += size
            if quant and quant["dtype"] != "float16":
                value = value.astype(np.float32) * np.float32(quant["scale"]) + np.float32(quant["min"])
            if quant:
                original = quant.get("original_dtype", w.get("dtype", "float32"))
                value = np.round(value).astype(np.int32) if original == "int32" else value.astype(np.float32)
            arrays[name] = value
        if offset != len(data):
            raise ModelFileError(f"the weight shards hold {len(data)} bytes, the manifest describes {offset}",
                                 model_json)
    return arrays


def _tf_same_pads(size: int, k: int, stride: int, dilation: int) -> tuple[int, int]:
    out = -(-size // stride)
    total = max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


class TfjsGraph(nn.Module):
    """A TF.js graph model evaluated with torch ops.

    ``run(feeds, fetch)`` computes the node ``fetch`` from tensors given for
    some nodes (the graph's input, or any inner node to resume from there);
    4-D tensors go in and come out NCHW. Constants are buffers: ``.to(device)``
    moves them, and they take no gradient.
    """

    def __init__(self, nodes: list[Node], consts: dict[str, np.ndarray], source: str = ""):
        super().__init__()
        self.nodes = {n.name: n for n in nodes}
        self.order = [n.name for n in nodes]
        self.source = source
        self._buffer_of: dict[str, str] = {}
        for i, name in enumerate(consts):
            key = f"const_{i}"
            self.register_buffer(key, torch.from_numpy(np.array(consts[name])), persistent=True)
            self._buffer_of[name] = key
        self.inputs = [n.name for n in nodes if n.op == "Placeholder"]
        self._plans: dict[tuple, list[Node]] = {}

    def const(self, name: str) -> Tensor:
        return getattr(self, self._buffer_of[name])

    def _plan(self, fed: tuple[str, ...], fetch: str) -> list[Node]:
        key = (fed, fetch)
        if key not in self._plans:
            if fetch not in self.nodes:
                raise KeyError(f"{self.source}: no node {fetch!r} in the graph")
            needed: set[str] = set()
            stack = [fetch]
            while stack:
                name = stack.pop()
                if name in needed or name in fed:
                    continue
                needed.add(name)
                node = self.nodes[name]
                if node.op == "Placeholder":
                    raise ValueError(f"{self.source}: node {fetch!r} needs the input {name!r}, which was not given")
                stack.extend(node.inputs)
            self._plans[key] = [self.nodes[n] for n in self.order if n in needed and self.nodes[n].op != "Const"]
        return self._plans[key]

    def run(self, feeds: dict[str, Tensor], fetch: str) -> Tensor:
        values: dict[str, Tensor] = dict(feeds)
        for node in self._plan(tuple(sorted(feeds)), fetch):
            values[node.name] = self._eval(node, [self._value(i, values) for i in node.inputs])
        return values[fetch]

    def _value(self, name: str, values: dict[str, Tensor]) -> Tensor:
        if name in values:
            return values[name]
        return self.const(name)

    def forward(self, x: Tensor, fetch: str) -> Tensor:
        return self.run({self.inputs[0]: x}, fetch)

    # -- ops ------------------------------------------------------------------------------

    def _eval(self, node: Node, args: list[Tensor]) -> Tensor:
        op, a = node.op, node.attrs
        if op == "Identity":
            return args[0]
        if op in _CONVS:
            return self._conv(node, args)
        if op in ("MatMul", "_FusedMatMul"):
            x, w = args[0], args[1]
            if a.get("transpose_a"):
                x = x.transpose(-1, -2)
            if a.get("transpose_b"):
                w = w.transpose(-1, -2)
            return self._fused(node, x @ w, args[2:], channels_dim=-1)
        if op in _BINARY:
            x, y = _broadcastable(args[0], args[1])
            return _BINARY[op](x, y)
        if op in _ACTIVATIONS:
            return _ACTIVATIONS[op](args[0])
        if op == "LeakyRelu":
            return F.leaky_relu(args[0], a.get("alpha", 0.2))
        if op == "Prelu":
            x, alpha = _broadcastable(args[0], args[1])
            return torch.where(x > 0, x, x * alpha)
        if op == "Softmax":
            return torch.softmax(args[0], dim=1 if args[0].dim() == 4 else -1)
        if op == "Mean":
            x = args[0]
            axes = [int(i) % x.dim() for i in np.atleast_1d(args[1].cpu().numpy())]
            keep = bool(a.get("keep_dims", False))
            if x.dim() == 4:
                if keep:  # stays 4-D, so NCHW
                    return x.mean(dim=[_TO_NCHW_AXIS[i] for i in axes], keepdim=True)
                x = x.permute(0, 2, 3, 1)  # what remains keeps the file's axis order
            return x.mean(dim=axes, keepdim=keep)
        if op in ("MaxPool", "AvgPool"):
            return self._pool(node, args[0])
        if op in ("Reshape", "Squeeze"):
            x = args[0]
            if x.dim() == 4:
                x = x.permute(0, 2, 3, 1)
            if op == "Reshape":
                y = x.reshape([int(s) for s in args[1].cpu().numpy()])
            else:
                dims = a.get("squeeze_dims") or a.get("axis") or [i for i, s in enumerate(x.shape) if s == 1]
                y = x.squeeze(tuple(dims))
            return y.permute(0, 3, 1, 2) if y.dim() == 4 else y
        raise ModelFileError(f"node {node.name!r}: op {op} is not supported", self.source)  # read_graph rejects it first

    def _conv(self, node: Node, args: list[Tensor]) -> Tensor:
        a = node.attrs
        x, w = args[0], args[1]
        stride = a.get("strides", [1, 1, 1, 1])[1:3]
        dilation = a.get("dilations", [1, 1, 1, 1])[1:3]
        kh, kw = w.shape[0], w.shape[1]
        depthwise = "Depthwise" in node.op
        if depthwise:  # [kh, kw, in, multiplier] -> [in * multiplier, 1, kh, kw]
            weight = w.permute(2, 3, 0, 1).reshape(w.shape[2] * w.shape[3], 1, kh, kw)
            groups = w.shape[2]
        else:  # [kh, kw, in, out] -> [out, in, kh, kw]
            weight = w.permute(3, 2, 0, 1)
            groups = 1
        padding = a.get("padding", "VALID")
        if padding == "SAME":
            top, bottom = _tf_same_pads(x.shape[2], kh, stride[0], dilation[0])
            left, right = _tf_same_pads(x.shape[3], kw, stride[1], dilation[1])
            if (top, left) == (bottom, right):
                pad = (top, left)
            else:
                x, pad = F.pad(x, (left, right, top, bottom)), (0, 0)
        elif padding == "EXPLICIT":
            p = a.get("explicit_paddings", [0] * 8)  # NHWC pairs
            x, pad = F.pad(x, (p[4], p[5], p[2], p[3])), (0, 0)
        else:
            pad = (0, 0)
        y = F.conv2d(x, weight.to(x.dtype), None, tuple(stride), pad, tuple(dilation), groups)
        return self._fused(node, y, args[2:], channels_dim=1)

    def _fused(self, node: Node, y: Tensor, args: list[Tensor], channels_dim: int) -> Tensor:
        """The ``fused_ops`` of _FusedConv2D / FusedDepthwiseConv2dNative / _FusedMatMul: bias, then activation."""
        fused = node.attrs.get("fused_ops", [])
        rest = list(args)

        def per_channel(v: Tensor) -> Tensor:
            return v.reshape(-1, 1, 1) if channels_dim == 1 and v.dim() == 1 else v

        for op in fused:
            if op == "BiasAdd":
                y = y + per_channel(rest.pop(0))
            elif op in _ACTIVATIONS:
                y = _ACTIVATIONS[op](y)
            elif op == "Prelu":
                alpha = per_channel(rest.pop(0))
                y = torch.where(y > 0, y, y * alpha)
            elif op == "LeakyRelu":
                y = F.leaky_relu(y, node.attrs.get("leakyrelu_alpha", 0.2))
        return y

    def _pool(self, node: Node, x: Tensor) -> Tensor:
        a = node.attrs
        kh, kw = a["ksize"][1:3]
        sh, sw = a["strides"][1:3]
        if a.get("padding", "VALID") != "SAME":
            pool = F.max_pool2d if node.op == "MaxPool" else F.avg_pool2d
            return pool(x, (kh, kw), (sh, sw))
        top, bottom = _tf_same_pads(x.shape[2], kh, sh, 1)
        left, right = _tf_same_pads(x.shape[3], kw, sw, 1)
        pads = (left, right, top, bottom)
        if node.op == "MaxPool":
            return F.max_pool2d(F.pad(x, pads, value=-math.inf), (kh, kw), (sh, sw))
        # TF averages over the pixels inside the image only.
        total = F.avg_pool2d(F.pad(x, pads), (kh, kw), (sh, sw))
        inside = F.avg_pool2d(F.pad(torch.ones_like(x[:1, :1]), pads), (kh, kw), (sh, sw))
        return total / inside


def _broadcastable(x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """Operands of an elementwise op, with a non-4-D one brought to NCHW when the other is 4-D (NCHW)."""
    def nchw(t: Tensor) -> Tensor:
        shape = [1] * (4 - t.dim()) + list(t.shape)  # NumPy broadcasting aligns on the NHWC tail
        return t.reshape(shape).permute(0, 3, 1, 2)
    if x.dim() == 4 and y.dim() < 4:
        y = nchw(y)
    elif y.dim() == 4 and x.dim() < 4:
        x = nchw(x)
    return x, y


def read_graph(path: str | Path) -> TfjsGraph:
    """The TF.js graph model ``path`` (model.json; its shards beside it) as a ``TfjsGraph``."""
    path = Path(path)
    try:
        model = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"not a readable TF.js model.json ({exc})", path) from None
    if not isinstance(model, dict) or "modelTopology" not in model or "weightsManifest" not in model:
        raise ModelFileError("not a TF.js graph model (no modelTopology and weightsManifest)", path)
    topology = model["modelTopology"]
    if not isinstance(topology, dict) or "node" not in topology:
        raise ModelFileError("a TF.js layers model, not a graph model (no modelTopology.node)", path)
    if topology.get("library", {}).get("function"):
        raise ModelFileError("graph functions (control flow) are not supported", path)
    consts = read_weights(path, model["weightsManifest"])
    nodes = []
    for raw in topology["node"]:
        op, name = raw.get("op"), raw.get("name")
        if op not in SUPPORTED_OPS:
            raise ModelFileError(f"node {name!r} uses op {op}, which the TF.js reader does not support", path)
        data_format = _attr(raw, "data_format", "NHWC")
        if data_format not in ("NHWC", None):
            raise ModelFileError(f"node {name!r} has data_format {data_format}; only NHWC is supported", path)
        attrs = {k: _attr(raw, k) for k in raw.get("attr", {}) if k not in ("value", "dtype", "T", "shape")}
        unknown = [f for f in attrs.get("fused_ops") or [] if f not in {"BiasAdd", "Prelu", "LeakyRelu", *_ACTIVATIONS}]
        if unknown:
            raise ModelFileError(f"node {name!r} fuses {', '.join(unknown)}, which the TF.js reader does not support",
                                 path)
        if op == "Const" and name not in consts:
            raise ModelFileError(f"constant {name!r} has no weight in the manifest", path)
        inputs = [i.split(":")[0] for i in raw.get("input", []) if not i.startswith("^")]
        nodes.append(Node(name, op, inputs, attrs))
    nodes = _topological(nodes, path)
    return TfjsGraph(nodes, {n.name: consts[n.name] for n in nodes if n.op == "Const"}, str(path))


def _topological(nodes: list[Node], path: Path) -> list[Node]:
    """The nodes in an order where each comes after its inputs (a frozen graph need not list them so)."""
    by_name = {n.name: n for n in nodes}
    done: set[str] = set()
    entered: set[str] = set()
    order: list[Node] = []
    for root in nodes:
        stack = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if node.name in done:
                continue
            if expanded:
                done.add(node.name)
                order.append(node)
                continue
            if node.name in entered:
                raise ModelFileError(f"the graph has a cycle through node {node.name!r}", path)
            entered.add(node.name)
            stack.append((node, True))
            for i in node.inputs:
                if i not in by_name:
                    raise ModelFileError(f"node {node.name!r} reads {i!r}, which the graph does not define", path)
                if i not in done:
                    stack.append((by_name[i], False))
    return order
