"""CR-FIQA: self-made checkpoints in the published format (fdbtrs/CR-FIQA's IResNet: arcface_torch keys plus
the quality head ``qs``), enrolled with ``plq models import``, loaded by the registry, used as estimator
and as the map's gradient source; and the messages when the weights are absent."""

import numpy as np
import pytest
import torch
from test_zoo_support import RefIResNet, random_chips, randomise
from torch import nn

from plq_desktop.cli import main
from plq_desktop.core.analysis import analyze
from plq_desktop.core.formats.errors import ModelFileError
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.nets.iresnet import CrFiqaIResNet, load_crfiqa
from plq_desktop.core.plq.estimators import EstimatorUnavailable
from plq_desktop.core.zoo import registry, weights
from plq_desktop.core.zoo.registry import get_spec, load_model


class RefCrFiqa(RefIResNet):
    """CR-FIQA's network as its backbones/iresnet.py writes it: forward returns (embedding, quality)."""

    def __init__(self):
        super().__init__()
        self.qs = nn.Linear(self.fc.out_features, 1)

    def forward(self, x):
        embedding = super().forward(x)
        return embedding, self.qs(embedding)


def reference_net(seed: int = 7) -> RefCrFiqa:
    net = randomise(RefCrFiqa(), seed)
    with torch.no_grad():  # a quality near 1-2, like the published models' ratio CCS / NNCCS
        net.qs.bias.fill_(1.5)
    return net


def normalised(x):
    return (x / 255 - 0.5) / 0.5  # CR-FIQA's QualityModel


@pytest.fixture(scope="module")
def enrolled(tmp_path_factory):
    torch.set_num_threads(2)
    root = tmp_path_factory.mktemp("crfiqa")
    patch = pytest.MonkeyPatch()
    patch.setenv("PLQ_CACHE_DIR", str(root / "cache"))
    ref = reference_net()
    path = root / "181952backbone.pth"
    torch.save(ref.state_dict(), path)
    assert main(["models", "import", "crfiqa-r100", str(path), "--trust"]) == 0
    yield ref
    patch.undo()


def test_registry_entries_name_the_published_files():
    r100, r50 = get_spec("crfiqa-r100"), get_spec("crfiqa-r50")
    assert [f.filename for f in r100.files] == ["181952backbone.pth"]
    assert [f.filename for f in r50.files] == ["32572backbone.pth"]
    for spec in (r100, r50):
        assert spec.default_estimator == "crfiqa" and spec.trained_dropout == 0.4
        assert spec.chip_size == (112, 112) and spec.alignment == "arcface-5pt"
        assert all(f.url is None and f.sha256 is None for f in spec.files), "import only, no invented pin"
        cal = registry.calibration_for(spec.name)
        assert set(cal.scaling) >= {"crfiqa", "serfiq", "robustness"}


def test_checkpoint_keys_are_the_published_ones():
    keys = set(reference_net().state_dict())
    assert {"qs.weight", "qs.bias", "features.weight", "features.running_var", "fc.weight", "bn2.weight",
            "layer4.0.downsample.0.weight", "conv1.weight", "prelu.weight"} <= keys


def test_loaded_network_matches_the_reference(enrolled):
    model = load_model("crfiqa-r100", device="cpu")
    assert isinstance(model.net, CrFiqaIResNet)
    chips = random_chips(3, 112, seed=1).permute(0, 2, 3, 1).numpy().astype(np.uint8)
    x = torch.from_numpy(chips).permute(0, 3, 1, 2).float()
    with torch.no_grad():
        ref_embedding, ref_quality = enrolled(normalised(x))
        torch.testing.assert_close(model.net(x), ref_embedding, atol=1e-4, rtol=1e-4)
    q_hat, raw = model.quality(chips, estimator="crfiqa")
    np.testing.assert_allclose(raw, ref_quality[:, 0].numpy(), atol=1e-4, rtol=1e-4)
    alpha, r = model.calibration.alpha_r("crfiqa")
    np.testing.assert_allclose(q_hat, 1 / (1 + np.exp(-alpha * (raw - r))), rtol=1e-5)


def test_crfiqa_feeds_the_quality_node_and_the_node_outputs_it(enrolled):
    model = load_model("crfiqa-r100", device="cpu")
    chips = random_chips(2, 112, seed=2).permute(0, 2, 3, 1).numpy().astype(np.uint8)
    result = model.plq(chips)  # default estimator: crfiqa
    assert result.estimator == "crfiqa"
    np.testing.assert_allclose(result.node_output, result.quality, rtol=1e-4, atol=1e-6)
    assert result.maps.shape == (2, 112, 112) and np.isfinite(result.maps).all()


def test_map_from_the_crfiqa_output_is_its_input_gradient(enrolled):
    model = load_model("crfiqa-r100", device="cpu")
    chips = random_chips(2, 112, seed=3).permute(0, 2, 3, 1).numpy().astype(np.uint8)
    x = torch.from_numpy(chips).permute(0, 3, 1, 2).float().requires_grad_(True)
    _, quality = enrolled(normalised(x))
    (expected,) = torch.autograd.grad(quality.sum(), x)
    est = model.check_estimator("crfiqa")
    grad, *_ = model.output_gradients(chips, est, seed=0)
    torch.testing.assert_close(grad, expected, atol=1e-6, rtol=1e-4)
    result = model.plq(chips, map_from="crfiqa")
    np.testing.assert_allclose(result.maps, model.pixel_quality(expected).numpy(), atol=1e-5)
    node_map = model.plq(chips, map_from="node").maps
    assert not np.allclose(result.maps, node_map), "a different gradient source gives a different map"


def test_whole_pipeline_on_a_real_photo(enrolled):
    model = load_model("crfiqa-r100", device="cpu")
    image = load_image(sample_path("t1"))
    result = analyze(image, model, max_faces=2, map_from="crfiqa")
    assert len(result.faces) == 2 and result.estimator == "crfiqa"
    assert np.isfinite(result.faces[0].chip_plq).all()


def test_a_plain_arcface_backbone_is_not_taken_for_crfiqa(tmp_path):
    state = randomise(RefIResNet(), 1).state_dict()
    torch.save(state, tmp_path / "backbone.pth")
    with pytest.raises(ModelFileError, match="no CR-FIQA quality head"):
        load_crfiqa(tmp_path / "backbone.pth")


def test_without_weights_every_crfiqa_path_names_plq_models_import(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLQ_CACHE_DIR", str(tmp_path / "empty-cache"))
    with pytest.raises(weights.WeightsMissing, match="plq models import crfiqa-r50"):
        load_model("crfiqa-r50", device="cpu")
    assert main(["analyze", "--sample", "grace_hopper", "--model", "crfiqa-r50", "--out", str(tmp_path)]) == 3
    assert "plq models import crfiqa-r50" in capsys.readouterr().err
    assert main(["amva", "--sample", "t1", "--model", "crfiqa-r100", "--out", str(tmp_path)]) == 3
    assert "plq models import crfiqa-r100" in capsys.readouterr().err
    # The estimator and the map source on a network without the head.
    assert main(["analyze", "--sample", "grace_hopper", "--estimator", "crfiqa", "--out", str(tmp_path)]) == 2
    assert "plq models import" in capsys.readouterr().err
    assert main(["analyze", "--sample", "grace_hopper", "--map-from", "crfiqa", "--out", str(tmp_path)]) == 2
    assert "plq models import" in capsys.readouterr().err
    dlib = registry.load_model("dlib-resnet", device="cpu")
    with pytest.raises(EstimatorUnavailable, match="plq models import"):
        dlib.quality(np.zeros((1, 150, 150, 3), np.uint8), estimator="crfiqa")
    with pytest.raises(EstimatorUnavailable, match="plq models import"):
        dlib.plq(np.zeros((1, 150, 150, 3), np.uint8), map_from="crfiqa")
    assert not list((tmp_path / "empty-cache").rglob("*.pth"))


def test_import_under_another_name_is_matched_by_extension(tmp_path, monkeypatch):
    monkeypatch.setenv("PLQ_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "crfiqa_s.pth"
    torch.save(reference_net(seed=2).state_dict(), path)
    assert main(["models", "import", "crfiqa-r50", str(path), "--trust"]) == 0
    spec = get_spec("crfiqa-r50")
    assert weights.is_installed(spec.name, spec.files)
    assert isinstance(load_model("crfiqa-r50", device="cpu").net, CrFiqaIResNet)
