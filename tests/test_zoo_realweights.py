"""Checks on the real published weights; each is skipped when its files are not in the real cache.

The other zoo tests prove every step on tiny networks of the same
architectures; these check the published files themselves. After
``plq models download NAME`` / ``plq models import NAME FILE...``:

    PLQ_REAL_CACHE_DIR=~/.cache/plq-desktop .venv/bin/python -m pytest -q -m realweights tests/test_zoo_realweights.py

(``PLQ_REAL_CACHE_DIR`` defaults to the cache folder PLQ Desktop uses when
``$PLQ_CACHE_DIR`` is not set; the test session's own cache is a temporary one.)
"""

import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from plq_desktop.cli import main
from plq_desktop.core.analysis import align_faces
from plq_desktop.core.face.detectors import default_detector
from plq_desktop.core.face.scrfd import ScrfdDetector, find_scrfd_file
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.zoo.registry import check_model, get_spec, load_model

pytestmark = pytest.mark.realweights

ZOO = ["arcface-r100", "arcface-r100-antelopev2", "arcface-r50-buffalo", "arcface-r100-ms1mv3",
       "arcface-r100-glint360k", "facenet-vggface2", "facenet-casia", "hse-mobilenet-vggface2"]


def _real_cache() -> Path:
    if os.environ.get("PLQ_REAL_CACHE_DIR"):
        return Path(os.environ["PLQ_REAL_CACHE_DIR"]).expanduser()
    import platformdirs
    return Path(platformdirs.user_cache_dir("plq-desktop", appauthor=False))


REAL_CACHE = _real_cache()


def _require(*names):
    for name in names:
        missing = [f.filename for f in get_spec(name).files
                   if not f.optional and not (REAL_CACHE / "models" / name / f.filename).is_file()]
        if missing:
            pytest.skip(f"{name}: {', '.join(missing)} not in {REAL_CACHE}")


@pytest.fixture
def real_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("PLQ_CACHE_DIR", str(REAL_CACHE))
    monkeypatch.setenv("PLQ_CONFIG_DIR", str(tmp_path / "config"))


def _t1_chips(model, image):
    detections = default_detector().detect(image)
    return np.stack([a.warp(image) for a in align_faces(image, detections, model)])


@pytest.mark.parametrize("name", ZOO)
def test_real_files_load(real_cache, name):
    _require(name)
    summary = check_model(name)
    if get_spec(name).format == "onnx-iresnet":
        assert "matches onnxruntime" in summary
    if name == "arcface-r100":
        assert "units per stage [3, 13, 30, 3]" in summary and "training dropout 0.4" in summary


@pytest.mark.parametrize("name", ZOO)
def test_real_embeddings_tell_the_faces_of_a_photo_apart(real_cache, name, t1_image):
    _require(name)
    model = load_model(name, device="cpu")
    chips = _t1_chips(model, t1_image)
    unit = lambda e: e / np.linalg.norm(e, axis=1, keepdims=True)  # noqa: E731
    e, mirrored = unit(model.embed(chips)), unit(model.embed(np.ascontiguousarray(chips[:, :, ::-1])))
    genuine = np.sum(e * mirrored, axis=1)
    impostor = (e @ e.T)[~np.eye(len(e), dtype=bool)]
    assert genuine.min() > impostor.max()


@pytest.mark.parametrize("name", ZOO)
def test_real_quality_drops_when_faces_are_blurred(real_cache, name, t1_image):
    _require(name)
    model = load_model(name, device="cpu")
    chips = _t1_chips(model, t1_image)
    blurred = np.stack([cv2.GaussianBlur(c, (0, 0), 4) for c in chips])
    clean_q, blurred_q = model.quality(chips, seed=0)[1], model.quality(blurred, seed=0)[1]
    assert np.mean(clean_q > blurred_q) >= 0.8


def test_real_compare_of_the_papers_models(real_cache, tmp_path):
    _require("arcface-r100", "facenet-vggface2")
    assert main(["compare", str(sample_path("t1")), "--models", "arcface-r100", "facenet-vggface2",
                 "--out", str(tmp_path), "--device", "cpu"]) == 0
    assert (tmp_path / "t1.compare.png").is_file() and (tmp_path / "t1.compare.json").is_file()


def test_real_scrfd_finds_the_faces_of_a_group_photo(real_cache, t1_image):
    path = find_scrfd_file()
    if path is None:
        pytest.skip(f"no SCRFD file in {REAL_CACHE} or ~/.insightface (it comes with the insightface packs)")
    detections = ScrfdDetector(path, device="cpu").detect(t1_image)
    assert len(detections) == 6 and all(d.score > 0.5 for d in detections)
