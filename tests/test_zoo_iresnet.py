"""ArcFace IResNet: arcface_torch state dicts and insightface-style ONNX files into the PyTorch module."""

import os

import numpy as np
import onnx
import pytest
import torch
from onnx import helper, numpy_helper
from test_zoo_support import (
    TINY_LAYERS,
    TINY_WIDTHS,
    Normalised,
    export_onnx,
    random_chips,
    tiny_arcface_torch,
)
from torch import nn

from plq_desktop.core.formats.errors import ModelFileError
from plq_desktop.core.formats.onnx import (
    check_conversion,
    load_iresnet_onnx,
    onnxruntime_embeddings,
    read_onnx_ops,
)
from plq_desktop.core.nets.iresnet import load_arcface_torch
from plq_desktop.core.zoo.registry import get_spec

TOL = dict(atol=1e-4, rtol=1e-4)


@pytest.fixture(scope="module")
def reference():
    torch.set_num_threads(2)
    return tiny_arcface_torch(seed=1)


@pytest.fixture(scope="module")
def onnx_file(reference, tmp_path_factory):
    path = tmp_path_factory.mktemp("onnx") / "w600k_r50.onnx"
    export_onnx(reference, path)
    return path


def test_arcface_torch_state_dict_loads_under_its_own_key_names(tmp_path, reference):
    path = tmp_path / "backbone.pth"
    torch.save(reference.state_dict(), path)
    net = load_arcface_torch(path)
    assert net.layers == TINY_LAYERS and net.widths == TINY_WIDTHS and net.chip_size == 112
    x = random_chips(3, 112)
    with torch.no_grad():
        torch.testing.assert_close(net(x), reference((x - 127.5) / 127.5), **TOL)


def test_state_dict_loading_never_runs_code_from_the_file(tmp_path):
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "backbone.pth"
    torch.save({"conv1.weight": Payload()}, path)
    with pytest.raises(ModelFileError, match="loads safely"):
        load_arcface_torch(path)
    assert not marker.exists()


def test_onnx_file_maps_onto_the_module_and_matches_onnxruntime(onnx_file):
    ops = read_onnx_ops(onnx_file)
    # As in insightface's packs: the exporter folded every convolution's BN into its bias.
    assert all("bias" in op.arrays for op in ops if op.kind == "conv")
    net = load_iresnet_onnx(onnx_file)
    assert net.layers == TINY_LAYERS and net.widths == TINY_WIDTHS
    assert torch.allclose(net.input_mean, torch.tensor(127.5)) and torch.allclose(net.input_scale,
                                                                                  torch.tensor(1 / 127.5))
    x = random_chips(4, 112, seed=2)
    with torch.no_grad():
        ours = net(x).numpy()
    np.testing.assert_allclose(ours, onnxruntime_embeddings(onnx_file, x.numpy()), **TOL)
    assert check_conversion(onnx_file, net) < 1e-4


def test_normalisation_inside_the_graph_is_read_from_it(tmp_path, reference):
    path = tmp_path / "mxnet_style.onnx"
    export_onnx(Normalised(reference), path)
    net = load_iresnet_onnx(path)
    torch.testing.assert_close(net.input_mean, torch.full((3,), 127.5))
    torch.testing.assert_close(net.input_scale, torch.full((3,), 1 / 128))
    x = random_chips(2, 112, seed=3)
    with torch.no_grad():
        np.testing.assert_allclose(net(x).numpy(), onnxruntime_embeddings(path, x.numpy()), **TOL)


def test_matmul_plus_add_head_and_relu_variants(tmp_path, onnx_file):
    """Other converters write the head as MatMul + Add and may use plain ReLU: same network."""
    model = onnx.load(str(onnx_file))
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    gemm = next(n for n in graph.node if n.op_type == "Gemm")
    weight = numpy_helper.to_array(inits[gemm.input[1]])
    graph.initializer.append(numpy_helper.from_array(np.ascontiguousarray(weight.T), "fc_wT"))
    matmul = helper.make_node("MatMul", [gemm.input[0], "fc_wT"], ["fc_mm"], name="fc_matmul")
    add = helper.make_node("Add", ["fc_mm", gemm.input[2]], [gemm.output[0]], name="fc_bias")
    prelu = next(n for n in graph.node if n.op_type == "PRelu")
    relu = helper.make_node("Relu", [prelu.input[0]], [prelu.output[0]], name="stem_relu")
    nodes = []
    for n in graph.node:
        nodes += [matmul, add] if n is gemm else [relu] if n is prelu else [n]
    del graph.node[:]
    graph.node.extend(nodes)
    path = tmp_path / "variant.onnx"
    onnx.save(model, str(path))
    net = load_iresnet_onnx(path)
    assert torch.all(net.prelu.weight == 0)
    x = random_chips(2, 112, seed=4)
    with torch.no_grad():
        np.testing.assert_allclose(net(x).numpy(), onnxruntime_embeddings(path, x.numpy()), **TOL)


def test_a_graph_that_is_not_an_iresnet_is_refused(tmp_path):
    other = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 112 * 112, 4))
    path = tmp_path / "other.onnx"
    export_onnx(other, path)
    with pytest.raises(ModelFileError, match="not an IResNet"):
        load_iresnet_onnx(path)
    (tmp_path / "junk.onnx").write_bytes(b"\x00not onnx")
    with pytest.raises(ModelFileError):
        load_iresnet_onnx(tmp_path / "junk.onnx")


def test_ser_fiq_dropout_sits_on_the_input_of_the_registered_layer(onnx_file):
    net = load_iresnet_onnx(onnx_file)
    names = ["arcface-r100", "arcface-r100-antelopev2", "arcface-r50-buffalo", "arcface-r100-ms1mv3",
             "arcface-r100-glint360k"]
    assert {get_spec(n).dropout_before for n in names} == {"fc"}
    seen = []
    hook = net.get_submodule("fc").register_forward_pre_hook(lambda m, args: seen.append(args[0]))
    x = random_chips(2, 112, seed=5)
    with torch.no_grad():
        out = net(x)
        features = net.features(x)
    hook.remove()
    torch.testing.assert_close(seen[0], features)
    torch.testing.assert_close(net.head(features), out)
