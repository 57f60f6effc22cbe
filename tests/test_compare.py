"""plq compare draws the readable maps that plq analyze draws, and the raw per-pixel maps on request."""

import json

import numpy as np
import pytest

from plq_desktop.cli import main
from plq_desktop.core.analysis import analyze
from plq_desktop.core.face.detectors import default_detector
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.plq.compare import compare_models


@pytest.fixture(scope="module")
def hopper():
    return load_image(sample_path("grace_hopper"))


def _speckle(chip: np.ndarray) -> float:
    """Mean absolute difference between horizontal neighbours: high for a per-pixel map, low for a smooth one."""
    return float(np.nanmean(np.abs(np.diff(chip, axis=1))))


def test_compare_shows_the_maps_analyze_shows_and_raw_on_request(hopper, dlib_model):
    face = analyze(hopper, dlib_model, estimator="robustness").faces[0]
    pair = (dlib_model, dlib_model)
    readable = compare_models(hopper, pair, default_detector(), estimators=("robustness", "serfiq"))
    raw = compare_models(hopper, pair, default_detector(), estimators=("robustness", "serfiq"), raw=True)
    inside = ~np.isnan(face.chip_plq)
    np.testing.assert_allclose(readable.maps[0].chip_plq[inside], face.chip_plq[inside], atol=1e-4)
    np.testing.assert_allclose(raw.maps[0].chip_plq[inside], face.chip_plq_raw[inside], atol=1e-4)
    assert _speckle(raw.maps[0].chip_plq) > 2 * _speckle(readable.maps[0].chip_plq)


def test_plq_compare_says_which_maps_it_drew(tmp_path):
    args = ["compare", "--sample", "grace_hopper", "--estimators", "robustness", "serfiq", "--device", "cpu"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--raw-map", "--out", str(tmp_path / "b")]) == 0
    kinds = [json.loads((tmp_path / d / "grace_hopper.compare.json").read_text())["maps"]["kind"] for d in "ab"]
    assert kinds[0].startswith("readable") and kinds[1].startswith("raw")
