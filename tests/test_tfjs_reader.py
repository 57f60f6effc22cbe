"""The TF.js graph reader (core/formats/tfjs.py) on a graph model file written here.

The file uses every op and fused op the reader supports, TF's asymmetric SAME
padding (stride 2 on even and odd sizes), depthwise convolutions with a
channel multiplier, two weight shards, float16 and uint8 quantization. The
expected values come from a NumPy implementation of TF's ops in NHWC written
below, independent of the reader's torch code.
"""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
import torch
from numpy.lib.stride_tricks import sliding_window_view

from plq_desktop.core.formats.errors import ModelFileError
from plq_desktop.core.formats.tfjs import SUPPORTED_OPS, read_graph

RNG = np.random.default_rng(7)


# -- writing a TF.js graph model ----------------------------------------------------------

def _s(text: str) -> dict:
    return {"s": base64.b64encode(text.encode()).decode()}


def _ints(values) -> dict:
    return {"list": {"i": [str(v) for v in values]}}


def _strs(values) -> dict:
    return {"list": {"s": [base64.b64encode(v.encode()).decode() for v in values]}}


class GraphFile:
    """Collects nodes and weights, then writes model.json + two .bin shards."""

    def __init__(self):
        self.nodes: list[dict] = []
        self.weights: list[tuple[str, np.ndarray, str | None]] = []
        self.values: dict[str, np.ndarray] = {}   # what the reader should see for each constant

    def const(self, name: str, value: np.ndarray, quant: str | None = None) -> str:
        value = np.asarray(value)
        if quant == "float16":
            seen = value.astype(np.float16).astype(np.float32)
        elif quant == "uint8":
            lo, hi = float(value.min()), float(value.max())
            scale = (hi - lo) / 255
            q = np.round((value - lo) / scale).astype(np.uint8)
            seen = q.astype(np.float32) * np.float32(scale) + np.float32(lo)
            self.weights.append((name, q, {"dtype": "uint8", "scale": scale, "min": lo}))
            self.values[name] = seen
            self.nodes.append({"name": name, "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}}})
            return name
        else:
            seen = value
        self.weights.append((name, value if quant is None else value.astype(np.float16),
                             {"dtype": "float16", "original_dtype": "float32"} if quant else None))
        self.values[name] = seen
        self.nodes.append({"name": name, "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}}})
        return name

    def node(self, name: str, op: str, inputs: list[str], **attrs) -> str:
        self.nodes.append({"name": name, "op": op, "input": inputs, "attr": attrs})
        return name

    def write(self, folder, reverse: bool = True):
        specs, blob = [], b""
        for name, value, quant in self.weights:
            spec = {"name": name, "shape": list(value.shape),
                    "dtype": "int32" if value.dtype == np.int32 else "float32"}
            if quant:
                spec["quantization"] = quant
            specs.append(spec)
            blob += value.astype(value.dtype.newbyteorder("<")).tobytes()
        cut = len(blob) // 2
        (folder / "group1-shard1of2.bin").write_bytes(blob[:cut])
        (folder / "group1-shard2of2.bin").write_bytes(blob[cut:])
        # Frozen graphs need not list a node after its inputs: the reader sorts them.
        nodes = self.nodes[::-1] if reverse else self.nodes
        model = {"format": "graph-model", "modelTopology": {"node": nodes, "library": {}, "versions": {}},
                 "weightsManifest": [{"paths": ["group1-shard1of2.bin", "group1-shard2of2.bin"],
                                      "weights": specs}]}
        path = folder / "model.json"
        path.write_text(json.dumps(model))
        return path


# -- NumPy reference of TF's ops (NHWC) -------------------------------------------------

def np_same_pads(size, k, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + k - size, 0)
    return total // 2, total - total // 2


def np_pad(x, k, stride, padding, value=0.0):
    if padding == "VALID":
        return x
    (t, b), (l, r) = np_same_pads(x.shape[1], k[0], stride), np_same_pads(x.shape[2], k[1], stride)
    return np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)), constant_values=value)


def np_windows(x, kh, kw, stride):
    w = sliding_window_view(x, (kh, kw), axis=(1, 2))  # N, H', W', C, kh, kw
    return w[:, ::stride, ::stride]


def np_conv(x, f, stride, padding):
    x = np_pad(x, f.shape[:2], stride, padding)
    return np.einsum("nhwcij,ijco->nhwo", np_windows(x, f.shape[0], f.shape[1], stride), f)


def np_depthwise(x, f, stride, padding):
    x = np_pad(x, f.shape[:2], stride, padding)
    y = np.einsum("nhwcij,ijcm->nhwcm", np_windows(x, f.shape[0], f.shape[1], stride), f)
    return y.reshape(*y.shape[:3], -1)   # channel c * multiplier + m, TF's order


def np_maxpool(x, k, stride):
    x = np_pad(x, (k, k), stride, "SAME", value=-np.inf)
    return np_windows(x, k, k, stride).max(axis=(-2, -1))


def np_avgpool(x, k, stride):
    total = np_windows(np_pad(x, (k, k), stride, "SAME"), k, k, stride).sum(axis=(-2, -1))
    ones = np_pad(np.ones_like(x[:1, ..., :1]), (k, k), stride, "SAME")
    return total / np_windows(ones, k, k, stride).sum(axis=(-2, -1))


def relu(x):
    return np.maximum(x, 0)


def elu(x):
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# -- the graph: every supported op -------------------------------------------------------

def build_graph(folder, size=(13, 14)):
    """A graph using every op the reader supports; returns (model.json, NumPy function of the NHWC input)."""
    g = GraphFile()
    h, w = size
    x = g.node("input", "Placeholder", [], shape={"shape": {"dim": [{"size": "-1"}, {"size": str(h)},
                                                                    {"size": str(w)}, {"size": "3"}]}})
    same, valid = {"padding": _s("SAME")}, {"padding": _s("VALID")}
    s2, s1 = {"strides": _ints([1, 2, 2, 1])}, {"strides": _ints([1, 1, 1, 1])}
    nhwc = {"data_format": _s("NHWC"), "dilations": _ints([1, 1, 1, 1])}
    k1 = g.const("k1", RNG.normal(0, 0.3, (3, 3, 3, 4)).astype(np.float32), "float16")
    b1 = g.const("b1", RNG.normal(0, 0.1, 4).astype(np.float32))
    a1 = g.const("a1", RNG.uniform(0.05, 0.3, 4).astype(np.float32))
    k2 = g.const("k2", RNG.normal(0, 0.3, (3, 3, 4, 2)).astype(np.float32), "uint8")
    b2 = g.const("b2", RNG.normal(0, 0.1, 8).astype(np.float32))
    k3 = g.const("k3", RNG.normal(0, 0.3, (1, 1, 8, 6)).astype(np.float32))
    k4 = g.const("k4", RNG.normal(0, 0.3, (3, 3, 6, 1)).astype(np.float32))
    k5 = g.const("k5", RNG.normal(0, 0.3, (2, 2, 6, 6)).astype(np.float32))
    k6 = g.const("k6", RNG.normal(0, 0.3, (3, 3, 6, 5)).astype(np.float32))
    scale = g.const("scale", RNG.uniform(0.5, 1.5, 5).astype(np.float32), "float16")
    shift = g.const("shift", RNG.normal(0, 0.1, 5).astype(np.float32))
    div = g.const("div", np.float32(1.7))
    six = g.const("six", np.float32(6.0))
    zero = g.const("zero", np.float32(0.0))
    alpha = g.const("alpha", RNG.uniform(0.05, 0.3, 5).astype(np.float32))
    axes = g.const("axes", np.array([1, 2], np.int32))
    flat_shape = g.const("flat_shape", np.array([-1, 5], np.int32))
    w1 = g.const("w1", RNG.normal(0, 0.3, (5, 7)).astype(np.float32))
    c1 = g.const("c1", RNG.normal(0, 0.1, 7).astype(np.float32))
    w2 = g.const("w2", RNG.normal(0, 0.3, (3, 7)).astype(np.float32))   # transposed
    c2 = g.const("c2", RNG.normal(0, 0.1, 3).astype(np.float32))
    w3 = g.const("w3", RNG.normal(0, 0.3, (7, 4)).astype(np.float32))
    v = g.values

    t = g.node("id", "Identity", [x])
    t = g.node("conv1", "_FusedConv2D", [t, k1, b1, a1], **same, **s2, **nhwc,
               fused_ops=_strs(["BiasAdd", "Prelu"]), num_args={"i": "2"})
    t = g.node("dw1", "FusedDepthwiseConv2dNative", [t, k2, b2], **same, **s1, **nhwc,
               fused_ops=_strs(["BiasAdd", "Relu6"]), num_args={"i": "1"})
    t = g.node("pw1", "_FusedConv2D", [t, k3], **valid, **s1, **nhwc, fused_ops=_strs(["LeakyRelu"]),
               num_args={"i": "0"}, leakyrelu_alpha={"f": 0.1})
    t = g.node("dw2", "DepthwiseConv2dNative", [t, k4], **same, **s2, **nhwc)
    t = g.node("elu", "Elu", [t])
    t = g.node("conv_explicit", "Conv2D", [t, k5], padding=_s("EXPLICIT"),
               explicit_paddings=_ints([0, 0, 1, 0, 0, 1, 0, 0]), **s1, **nhwc)
    t = g.node("relu", "Relu", [t])
    t = g.node("maxpool", "MaxPool", [t], ksize=_ints([1, 3, 3, 1]), **s2, **same, data_format=_s("NHWC"))
    skip = g.node("avgpool", "AvgPool", [t], ksize=_ints([1, 3, 3, 1]), **s1, **same, data_format=_s("NHWC"))
    t = g.node("conv_same", "Conv2D", [skip, k6], **same, **s1, **nhwc)
    t = g.node("mul", "Mul", [t, scale])
    t = g.node("biasadd", "BiasAdd", [t, shift], data_format=_s("NHWC"))
    t = g.node("add", "AddV2", [t, g.node("sub", "Sub", [t, shift])])
    t = g.node("realdiv", "RealDiv", [t, div])
    t = g.node("relu6", "Relu6", [g.node("min", "Minimum", [g.node("max", "Maximum", [t, zero]), six])])
    t = g.node("prelu", "Prelu", [g.node("add2", "Add", [t, g.node("neg", "Sub", [zero, six])]), alpha])
    t = g.node("leaky", "LeakyRelu", [t], alpha={"f": 0.3})
    kept = g.node("mean_keep", "Mean", [t, axes], keep_dims={"b": True})
    squeezed = g.node("squeeze", "Squeeze", [kept], squeeze_dims=_ints([1, 2]))
    mean = g.node("mean", "Mean", [t, axes], keep_dims={"b": False})
    t = g.node("sum", "Add", [mean, squeezed])
    t = g.node("reshape", "Reshape", [t, flat_shape])
    t = g.node("fc1", "_FusedMatMul", [t, w1, c1], transpose_a={"b": False}, transpose_b={"b": False},
               fused_ops=_strs(["BiasAdd", "Relu"]), num_args={"i": "1"})
    t = g.node("tanh", "Tanh", [t])
    t = g.node("fc2", "_FusedMatMul", [t, w2, c2], transpose_a={"b": False}, transpose_b={"b": True},
               fused_ops=_strs(["BiasAdd"]), num_args={"i": "1"})
    g.node("softmax", "Softmax", [t])
    g.node("sigmoid", "Sigmoid", [g.node("fc3", "MatMul", [g.node("fc1_out", "Identity", ["fc1"]), w3],
                                         transpose_a={"b": False}, transpose_b={"b": False})])

    def reference(xn):
        y = np_conv(xn, v["k1"], 2, "SAME") + v["b1"]
        y = np.where(y > 0, y, v["a1"] * y)
        y = np.clip(np_depthwise(y, v["k2"], 1, "SAME") + v["b2"], 0, 6)
        y = np_conv(y, v["k3"], 1, "VALID")
        y = np.where(y > 0, y, 0.1 * y)
        y = elu(np_depthwise(y, v["k4"], 2, "SAME"))
        y = np.pad(y, ((0, 0), (1, 0), (0, 1), (0, 0)))
        y = relu(np_conv(y, v["k5"], 1, "VALID"))
        y = np_avgpool(np_maxpool(y, 3, 2), 3, 1)
        y = np_conv(y, v["k6"], 1, "SAME") * v["scale"] + v["shift"]
        y = (y + (y - v["shift"])) / v["div"]
        y = np.clip(y, 0, 6) - 6
        y = np.where(y > 0, y, v["alpha"] * y)
        y = np.where(y > 0, y, 0.3 * y)
        pooled = y.mean(axis=(1, 2)) * 2
        f1 = relu(pooled.reshape(-1, 5) @ v["w1"] + v["c1"])
        logits = np.tanh(f1) @ v["w2"].T + v["c2"]
        soft = np.exp(logits - logits.max(1, keepdims=True))
        return {"softmax": soft / soft.sum(1, keepdims=True), "sigmoid": sigmoid(f1 @ v["w3"])}

    return g.write(folder), reference, g


def test_every_supported_op_is_in_the_test_graph(tmp_path):
    _, _, g = build_graph(tmp_path)
    assert {n["op"] for n in g.nodes} == SUPPORTED_OPS


@pytest.mark.parametrize("size", [(13, 14), (16, 15)])
def test_graph_matches_numpy_on_odd_and_even_sizes(tmp_path, size):
    path, reference, _ = build_graph(tmp_path, size)
    graph = read_graph(path)
    xn = RNG.uniform(0, 1, (2, *size, 3)).astype(np.float32)
    x = torch.from_numpy(xn).permute(0, 3, 1, 2)
    expected = reference(xn.astype(np.float64))
    for node in ("softmax", "sigmoid"):
        got = graph(x, node).numpy()
        assert got.shape == expected[node].shape
        np.testing.assert_allclose(got, expected[node], atol=2e-5, rtol=1e-4)


def test_stride_two_same_padding_is_asymmetric(tmp_path):
    """On an even size TF pads stride-2 SAME convolutions only after (right, bottom); torch's symmetric
    padding would shift every output by a pixel."""
    g = GraphFile()
    x = g.node("input", "Placeholder", [])
    k = g.const("k", RNG.normal(0, 1, (3, 3, 1, 1)).astype(np.float32))
    g.node("conv", "Conv2D", [x, k], padding=_s("SAME"), strides=_ints([1, 2, 2, 1]))
    graph = read_graph(g.write(tmp_path))
    xn = RNG.normal(0, 1, (1, 8, 8, 1)).astype(np.float32)
    got = graph(torch.from_numpy(xn).permute(0, 3, 1, 2), "conv").permute(0, 2, 3, 1).numpy()
    np.testing.assert_allclose(got, np_conv(xn, g.values["k"], 2, "SAME"), atol=1e-5)
    symmetric = torch.nn.functional.conv2d(torch.from_numpy(xn).permute(0, 3, 1, 2),
                                           torch.from_numpy(g.values["k"]).permute(3, 2, 0, 1), stride=2, padding=1)
    assert np.abs(symmetric.permute(0, 2, 3, 1).numpy() - got).max() > 0.1


def test_gradients_reach_the_input_and_are_right(tmp_path):
    path, _, _ = build_graph(tmp_path, (9, 10))
    graph = read_graph(path).double()
    x = torch.rand(1, 3, 9, 10, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: graph(t, "sigmoid"), (x,), eps=1e-6, atol=1e-5, fast_mode=True)


def test_batch_rows_are_independent(tmp_path):
    path, _, _ = build_graph(tmp_path)
    graph = read_graph(path)
    x = torch.rand(3, 3, 13, 14)
    together = graph(x, "softmax")
    alone = torch.cat([graph(x[i:i + 1], "softmax") for i in range(3)])
    torch.testing.assert_close(together, alone, atol=1e-6, rtol=1e-5)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_runs_on_cuda(tmp_path):
    path, _, _ = build_graph(tmp_path)
    graph = read_graph(path)
    x = torch.rand(2, 3, 13, 14)
    torch.testing.assert_close(graph.to("cuda")(x.cuda(), "softmax").cpu(), graph.cpu()(x, "softmax"),
                               atol=1e-5, rtol=1e-4)


def test_resuming_from_an_inner_node_gives_the_same_output(tmp_path):
    path, _, _ = build_graph(tmp_path)
    graph = read_graph(path)
    x = torch.rand(2, 3, 13, 14)
    inner = graph(x, "relu6")
    torch.testing.assert_close(graph.run({"relu6": inner}, "softmax"), graph(x, "softmax"))


def _rewrite(path, change):
    model = json.loads(path.read_text())
    change(model)
    path.write_text(json.dumps(model))


def test_an_unknown_op_is_named(tmp_path):
    path, _, _ = build_graph(tmp_path)
    _rewrite(path, lambda m: m["modelTopology"]["node"].append(
        {"name": "spooky", "op": "NonMaxSuppressionV5", "input": ["softmax"]}))
    with pytest.raises(ModelFileError, match="NonMaxSuppressionV5") as info:
        read_graph(path)
    assert "spooky" in str(info.value)


def test_an_unknown_fused_op_is_named(tmp_path):
    path, _, _ = build_graph(tmp_path)

    def fuse(m):
        node = next(n for n in m["modelTopology"]["node"] if n["name"] == "conv1")
        node["attr"]["fused_ops"] = _strs(["FusedBatchNorm"])
    _rewrite(path, fuse)
    with pytest.raises(ModelFileError, match="FusedBatchNorm"):
        read_graph(path)


def test_a_truncated_shard_is_reported(tmp_path):
    path, _, _ = build_graph(tmp_path)
    shard = tmp_path / "group1-shard2of2.bin"
    shard.write_bytes(shard.read_bytes()[:-10])
    with pytest.raises(ModelFileError, match="truncated"):
        read_graph(path)


def test_a_missing_shard_and_a_non_graph_file_are_reported(tmp_path):
    path, _, _ = build_graph(tmp_path)
    (tmp_path / "group1-shard1of2.bin").unlink()
    with pytest.raises(ModelFileError, match="shard1of2"):
        read_graph(path)
    layers = tmp_path / "layers.json"
    layers.write_text(json.dumps({"modelTopology": {"class_name": "Sequential"}, "weightsManifest": []}))
    with pytest.raises(ModelFileError, match="layers model"):
        read_graph(layers)
    with pytest.raises(ModelFileError, match="not a readable"):
        read_graph(tmp_path / "group1-shard2of2.bin")


def test_an_unsupported_weight_dtype_is_reported(tmp_path):
    path, _, _ = build_graph(tmp_path)
    _rewrite(path, lambda m: next(w for w in m["weightsManifest"][0]["weights"]
                                  if "quantization" not in w).update(dtype="string"))
    with pytest.raises(ModelFileError, match="dtype string"):
        read_graph(path)
