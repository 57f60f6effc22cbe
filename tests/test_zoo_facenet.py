"""FaceNet (Inception-ResNet-v1): facenet-pytorch state dicts without the facenet-pytorch package."""

import pytest
import torch
from test_zoo_support import facenet_state_dict, random_chips, ref_facenet_embedding

from plq_desktop.core.formats.errors import ModelFileError
from plq_desktop.core.nets.facenet import InceptionResnetV1, load_facenet
from plq_desktop.core.zoo.registry import get_spec

# A sample of facenet-pytorch's key names, from every kind of block.
FACENET_PYTORCH_KEYS = [
    "conv2d_1a.conv.weight", "conv2d_1a.bn.running_var", "conv2d_4b.bn.weight",
    "repeat_1.4.branch2.2.conv.weight", "repeat_1.0.conv2d.bias",
    "mixed_6a.branch0.conv.weight", "mixed_6a.branch1.2.bn.running_mean",
    "repeat_2.9.branch1.2.conv.weight", "mixed_7a.branch2.2.bn.bias",
    "repeat_3.4.branch1.1.conv.weight", "block8.conv2d.weight",
    "last_linear.weight", "last_bn.running_var",
]


@pytest.fixture(scope="module")
def state_file(tmp_path_factory):
    torch.set_num_threads(2)
    path = tmp_path_factory.mktemp("facenet") / "20180402-114759-vggface2.pt"
    torch.save(facenet_state_dict(seed=3), path)
    return path


def test_module_has_facenet_pytorchs_layout():
    net = InceptionResnetV1()
    keys = net.state_dict()
    assert all(k in keys for k in FACENET_PYTORCH_KEYS)
    assert "last_linear.bias" not in keys
    assert sum(p.numel() for p in net.parameters()) == 23_482_624


def test_state_dict_loads_without_its_classifier(state_file):
    state = torch.load(state_file, weights_only=True)
    assert "logits.weight" in state
    net = load_facenet(state_file)
    for key, value in net.state_dict().items():
        if not key.endswith("num_batches_tracked"):
            assert torch.equal(value, state[key]), key
    x = random_chips(2, 160)
    with torch.no_grad():
        e = net(x)
        # The embedding is facenet-pytorch's: the same as a reference written in plain functions over the
        # state dict (test_zoo_support.ref_facenet_embedding), not from this module.
        expected = ref_facenet_embedding(state, x)
    assert e.shape == (2, 512)
    torch.testing.assert_close(e, expected, rtol=1e-4, atol=1e-5)
    assert not torch.allclose(e[0], e[1], atol=1e-3), "different chips, different embeddings"


def test_ser_fiq_dropout_sits_before_last_linear(state_file):
    net = load_facenet(state_file)
    where = get_spec("facenet-vggface2").dropout_before
    assert where == get_spec("facenet-casia").dropout_before == "last_linear"
    seen = []
    hook = net.get_submodule(where).register_forward_pre_hook(lambda m, args: seen.append(args[0]))
    x = random_chips(1, 160, seed=1)
    with torch.no_grad():
        out = net(x)
        features = net.features(x)
    hook.remove()
    assert features.shape == (1, 1792)
    torch.testing.assert_close(seen[0], features)
    torch.testing.assert_close(net.head(features), out)


def test_other_state_dicts_are_refused(tmp_path):
    path = tmp_path / "other.pt"
    torch.save({"conv.weight": torch.zeros(3)}, path)
    with pytest.raises(ModelFileError, match="not a facenet-pytorch"):
        load_facenet(path)
