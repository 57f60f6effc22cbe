"""The paper's ArcFace format: MXNet .params (NDArray list) and -symbol.json, read without MXNet."""

import copy
import json
import struct

import numpy as np
import pytest
import torch
from test_zoo_support import (
    TINY_LAYERS,
    TINY_WIDTHS,
    lresnet_params_and_symbol,
    mxnet_reference_forward,
    random_chips,
    write_ndarray_list,
    write_tiny_mxnet,
)

from plq_desktop.core.formats.errors import ModelFileError
from plq_desktop.core.formats.mxnet import load_mxnet_iresnet, read_ndarray_list


@pytest.mark.parametrize("version", ["v2", "v3", "legacy"])
def test_ndarray_list_round_trip(tmp_path, version):
    rng = np.random.default_rng(0)
    arrays = {"arg:conv0_weight": rng.normal(size=(4, 3, 3, 3)).astype(np.float32),
              "aux:bn0_moving_var": rng.random(4).astype(np.float64),
              "arg:pre_fc1_bias": rng.normal(size=7).astype(np.float16)}
    path = tmp_path / "model-0000.params"
    write_ndarray_list(path, arrays, version)
    loaded = read_ndarray_list(path)
    assert list(loaded) == list(arrays)
    for name, value in arrays.items():
        assert loaded[name].dtype == value.dtype
        np.testing.assert_array_equal(loaded[name], value)


def test_reader_refuses_other_and_truncated_files(tmp_path):
    path = tmp_path / "x.params"
    path.write_bytes(struct.pack("<QQQ", 0x1234, 0, 0))
    with pytest.raises(ModelFileError, match="not an MXNet"):
        read_ndarray_list(path)
    write_ndarray_list(path, {"arg:w": np.ones((64, 64), np.float32)})
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(ModelFileError, match="ends early"):
        read_ndarray_list(path)


def test_lresnet_checkpoint_matches_the_symbol_graph(tmp_path):
    params_path, symbol_path, params, symbol = write_tiny_mxnet(tmp_path)
    net = load_mxnet_iresnet(params_path, symbol_path)
    # The topology comes from the files: units per stage, widths, dropout before pre_fc1, normalisation.
    assert net.layers == TINY_LAYERS and net.widths == TINY_WIDTHS
    assert net.trained_dropout == pytest.approx(0.4)
    torch.testing.assert_close(net.input_mean, torch.full((3,), 127.5))
    torch.testing.assert_close(net.input_scale, torch.full((3,), 0.0078125))
    assert all(bn.eps == pytest.approx(2e-5) for bn in (net.bn1, net.bn2, net.fc_bn))
    # fc1 has fix_gamma=True: its stored (random) gamma must be ignored.
    assert not np.allclose(params["arg:fc1_gamma"], 1.0)
    assert torch.all(net.fc_bn.weight == 1)
    x = random_chips(3, 112, seed=1)
    with torch.no_grad():
        torch.testing.assert_close(net(x), mxnet_reference_forward(params, symbol, x), atol=1e-4, rtol=1e-4)


def test_embedding_is_taken_at_fc1_when_the_symbol_goes_on_to_a_classifier(tmp_path):
    params, symbol = lresnet_params_and_symbol(seed=2)
    full = copy.deepcopy(symbol)
    fc1 = full["heads"][0][0]
    params["arg:fc7_weight"] = np.ones((5, 32), np.float32)
    full["nodes"].append({"op": "null", "name": "fc7_weight", "inputs": []})
    full["nodes"].append({"op": "FullyConnected", "name": "fc7", "attrs": {"num_hidden": "5", "no_bias": "True"},
                          "inputs": [[fc1, 0, 0], [len(full["nodes"]) - 1, 0, 0]]})
    full["heads"] = [[len(full["nodes"]) - 1, 0, 0]]
    write_ndarray_list(tmp_path / "m-0000.params", params)
    (tmp_path / "m-symbol.json").write_text(json.dumps(full))
    net = load_mxnet_iresnet(tmp_path / "m-0000.params", tmp_path / "m-symbol.json")
    assert net.fc.out_features == 32


def test_missing_parameter_is_reported(tmp_path):
    params, symbol = lresnet_params_and_symbol(seed=3)
    del params["arg:stage2_unit1_conv2_weight"]
    write_ndarray_list(tmp_path / "m-0000.params", params)
    (tmp_path / "m-symbol.json").write_text(json.dumps(symbol))
    with pytest.raises(ModelFileError, match="stage2_unit1_conv2_weight"):
        load_mxnet_iresnet(tmp_path / "m-0000.params", tmp_path / "m-symbol.json")
