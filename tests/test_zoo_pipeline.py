"""The zoo end to end: tiny networks of the real architectures, enrolled through ``plq models import``
under the zoo's names, loaded by the registry, run through the whole PLQ pipeline on a real photo,
and compared side by side with ``plq compare``."""

import dataclasses
import json
import zipfile

import cv2
import numpy as np
import pytest
import torch
from test_zoo_support import (
    export_onnx,
    facenet_state_dict,
    random_chips,
    tiny_arcface_torch,
    write_tiny_mxnet,
)

from plq_desktop.cli import main
from plq_desktop.cli.common import EXIT_MODEL_MISSING
from plq_desktop.core.analysis import analyze
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.zoo import registry
from plq_desktop.core.zoo.registry import check_model, get_spec, load_model, model_names

ZOO = ("arcface-r100", "facenet-vggface2", "arcface-r50-buffalo")


@pytest.fixture(scope="module")
def zoo(tmp_path_factory):
    """A cache holding tiny weights under the zoo's names, enrolled as an officer would."""
    torch.set_num_threads(2)
    root = tmp_path_factory.mktemp("zoo")
    patch = pytest.MonkeyPatch()
    patch.setenv("PLQ_CACHE_DIR", str(root / "cache"))
    patch.setenv("PLQ_CONFIG_DIR", str(root / "config"))
    # The paper's alpha and r put random networks' Q far below r: Q_hat would be 0, the node's
    # gradient 0 and every map flat. Constants that keep Q_hat inside (0, 1) exercise the maps.
    table = dict(registry._calibration_table())
    for name in ZOO:
        table[name] = {"gamma": 7.5, "grad_clip": None,
                       "estimators": {"serfiq": {"alpha": 1.0, "r": 0.0}, "robustness": {"alpha": 1.0, "r": 0.0}}}
    patch.setattr(registry, "_calibration_table", lambda: table)
    # The real files' hashes are pinned; stand-ins under the same names are accepted only
    # once the pins are lifted (test_pinned_hash_rejects_a_stand_in checks the pins hold).
    for name in ZOO:
        spec = registry.get_spec(name)
        unpinned = tuple(dataclasses.replace(f, sha256=None, size=None) for f in spec.files)
        patch.setitem(registry._MODELS, name, dataclasses.replace(spec, files=unpinned))
    media = root / "media"
    media.mkdir()
    params, symbol, _, _ = write_tiny_mxnet(media, prefix="model-r100-ii")
    torch.save(facenet_state_dict(seed=4), media / "20180402-114759-vggface2.pt")
    export_onnx(tiny_arcface_torch(seed=5), media / "w600k_r50.onnx")
    with zipfile.ZipFile(media / "buffalo_l.zip", "w") as zf:
        zf.write(media / "w600k_r50.onnx", "buffalo_l/w600k_r50.onnx")
    for args in (["arcface-r100", str(params), str(symbol)],
                 ["facenet-vggface2", str(media / "20180402-114759-vggface2.pt")],
                 ["arcface-r50-buffalo", str(media / "buffalo_l.zip")]):
        assert main(["models", "import", *args, "--trust"]) == 0
    yield root
    patch.undo()


@pytest.fixture(scope="module")
def models(zoo):
    return {name: load_model(name, device="cpu") for name in ZOO}


def test_pinned_hash_rejects_a_stand_in(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLQ_CACHE_DIR", str(tmp_path / "cache"))
    stand_in = tmp_path / "20180402-114759-vggface2.pt"
    torch.save(facenet_state_dict(seed=4), stand_in)
    assert main(["models", "import", "facenet-vggface2", str(stand_in), "--trust"]) != 0
    assert "281cebca" in capsys.readouterr().err, "the message names the expected hash"
    assert not list((tmp_path / "cache").rglob("*.pt")), "nothing is installed"


def test_enrolled_models_are_listed_as_present(zoo, capsys):
    assert main(["models", "list", "--json"]) == 0
    entries = {e["name"]: e for e in json.loads(capsys.readouterr().out)}
    for name in ZOO:
        assert entries[name]["present"] is True
        assert len(entries[name]["sha256"]) == 64 and entries[name]["sha256_pinned"] is False


def test_check_model_loads_each_format(zoo):
    assert "units per stage [1, 2, 1, 1]" in check_model("arcface-r100")
    assert "training dropout 0.4 before fc" in check_model("arcface-r100")
    assert "matches onnxruntime" in check_model("arcface-r50-buffalo")
    assert "InceptionResnetV1" in check_model("facenet-vggface2")


@pytest.mark.parametrize("name", ZOO)
def test_dropout_sits_where_the_registry_says(models, name):
    model = models[name]
    spec = get_spec(name)
    seen = []
    hook = model.net.get_submodule(spec.dropout_before).register_forward_pre_hook(
        lambda m, args: seen.append(args[0]))
    x = random_chips(2, spec.chip_size[0])
    with torch.no_grad():
        model.net(x)
        features = model.net.features(x)
    hook.remove()
    torch.testing.assert_close(seen[0], features)


@pytest.mark.parametrize("name", ZOO)
def test_plq_pipeline_runs_on_a_real_photo(models, name, t1_image):
    model = models[name]
    assert model.default_estimator == get_spec(name).default_estimator
    result = analyze(t1_image, model, max_faces=2)
    assert len(result.faces) == 2
    for face in result.faces:
        # Eq. 2 with the fixture's alpha = 1, r = 0: Q_hat = sigmoid(Q).
        assert face.quality == pytest.approx(1 / (1 + np.exp(-face.raw_quality)), abs=1e-5)
        assert face.chip.shape == (*model.chip_size, 3)
        assert face.chip_plq.shape == model.chip_size and np.ptp(face.chip_plq) > 0
        # The photo map is the chip map warped back: its values come from the chip's range.
        inside = face.plq_map[np.isfinite(face.plq_map)]
        assert inside.size > 1000
        assert face.chip_plq.min() - 1e-3 <= inside.min() and inside.max() <= face.chip_plq.max() + 1e-3
    first, second = result.faces
    assert not np.allclose(first.chip_plq, second.chip_plq), "two faces, two maps"
    # The same chip through model.plq directly gives the same quality and map as the pipeline.
    direct = model.plq(first.chip[None], seed=0)
    assert direct.quality[0] == pytest.approx(first.quality, abs=1e-5)
    np.testing.assert_allclose(direct.maps[0], first.chip_plq_raw, atol=1e-4)


def test_compare_writes_both_maps_their_difference_and_agreement(zoo, tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(["compare", str(sample_path("t1")), "--models", "arcface-r100", "facenet-vggface2",
               "--out", str(out), "--device", "cpu", "--detector", "dlib"])
    assert rc == 0, capsys.readouterr().err
    data = json.loads((out / "t1.compare.json").read_text())
    assert [m["name"] for m in data["models"]] == ["arcface-r100", "facenet-vggface2"]
    assert [m["estimator"] for m in data["models"]] == ["serfiq", "serfiq"]
    # Each side's quality is what the pipeline alone gives that model for the same (largest) face.
    for entry, name in zip(data["models"], ("arcface-r100", "facenet-vggface2")):
        alone = analyze(load_image(sample_path("t1")), load_model(name, device="cpu"), max_faces=1,
                        estimator="serfiq")
        assert entry["quality"] == pytest.approx(alone.faces[0].quality, abs=1e-4)
    # Two architectures, two maps: their agreement is defined and not perfect.
    assert data["maps"]["pixels_compared"] > 1000
    assert -1 < data["maps"]["spearman"] < 0.99
    assert data["face"]["index"] == 1 and data["face"]["faces_found"] >= 2
    png = cv2.imread(str(out / data["png"]))
    assert png.shape[0] == 360 and png.shape[1] > 3 * 300


def test_compare_difference_is_second_minus_first_as_in_the_gui(models, t1_image):
    from plq_desktop.core.face.detectors import default_detector
    from plq_desktop.core.plq.compare import compare_models
    cmp = compare_models(t1_image, (models["arcface-r100"], models["facenet-vggface2"]), default_detector())
    first, second = cmp.maps[0].plq_map, cmp.maps[1].plq_map
    both = ~np.isnan(first) & ~np.isnan(second)
    assert both.sum() == cmp.pixels > 1000
    np.testing.assert_allclose(cmp.difference[both], (second - first)[both], atol=1e-6)
    assert np.isnan(cmp.difference[~both]).all()


def test_compare_explains_a_missing_model(zoo, tmp_path, capsys):
    rc = main(["compare", str(sample_path("t1")), "--models", "arcface-r100", "facenet-casia",
               "--out", str(tmp_path), "--device", "cpu"])
    err = capsys.readouterr().err
    assert rc == EXIT_MODEL_MISSING and "plq models download facenet-casia" in err and "Traceback" not in err


class _ScriptedSplit(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.body = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, 2, 1), torch.nn.ReLU(), torch.nn.Flatten())
        self.fc = torch.nn.Linear(4 * 56 * 56, 8)

    def forward(self, x):
        return self.head(self.features(x))

    @torch.jit.export
    def features(self, x):
        return self.body(x)

    @torch.jit.export
    def head(self, f):
        return self.fc(f)


@pytest.mark.filterwarnings("ignore:`torch.jit:DeprecationWarning")  # TorchScript is the format users bring
def test_custom_models_from_the_config_file(zoo, tmp_path):
    export_onnx(tiny_arcface_torch(seed=6), tmp_path / "agency.onnx")
    torch.jit.save(torch.jit.script(_ScriptedSplit()), str(tmp_path / "agency.ts"))
    calibration = {"gamma": 7.0, "grad_clip": None, "estimators": {"serfiq": {"alpha": 100, "r": 0.9},
                                                                   "robustness": {"alpha": 100, "r": 0.9}}}
    config = {"models": {
        "agency-onnx": {"format": "onnx-iresnet", "file": str(tmp_path / "agency.onnx"),
                        "licence": "agency internal", "calibration": calibration},
        "agency-ts": {"format": "torchscript", "file": str(tmp_path / "agency.ts"), "chip_size": 112,
                      "default_estimator": "serfiq", "calibration": calibration},
    }}
    (zoo / "config").mkdir(exist_ok=True)
    (zoo / "config" / "models.json").write_text(json.dumps(config))
    try:
        assert {"agency-onnx", "agency-ts"} <= set(model_names())
        assert "matches onnxruntime" in check_model("agency-onnx")
        chips = random_chips(2, 112).permute(0, 2, 3, 1).numpy().astype(np.uint8)
        for name in ("agency-onnx", "agency-ts"):
            result = load_model(name, device="cpu").plq(chips)
            assert result.maps.shape == (2, 112, 112) and np.isfinite(result.maps).all()
    finally:
        (zoo / "config" / "models.json").unlink()
