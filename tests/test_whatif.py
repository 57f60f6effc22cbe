"""What-if repair: a real face with a grey cheek patch gains quality when the patch is inpainted.

The patch's cost depends on the quality estimator: the robustness estimator
loses 0.66 of 0.90 to it and wins most back (the strong test); dlib-resnet's
default, recognisability, loses only 0.017 and wins a few thousandths back.
"""

import json

import cv2
import numpy as np
import pytest
from PIL import Image

from plq_desktop.cli import main
from plq_desktop.core.analysis import analyze
from plq_desktop.core.face.regions import FACE_REGIONS
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.plq.whatif import (
    SIMULATION_KEY,
    WhatIfError,
    is_simulation_file,
    what_if,
    worst_region,
)


@pytest.fixture(scope="module")
def patched(dlib_model, tmp_path_factory):
    """The astronaut portrait with a flat grey disc on her right cheek (image left)."""
    image = load_image(sample_path("astronaut"))
    face = analyze(image, dlib_model).faces[0]
    centre = face.regions.polygons["right_cheek"].mean(axis=0)
    radius = int(0.3 * face.regions.frame.ied)
    out = image.copy()
    cv2.circle(out, tuple(int(v) for v in centre), radius, (128, 128, 128), -1)
    path = tmp_path_factory.mktemp("whatif") / "patched.png"
    Image.fromarray(out).save(path)
    return out, path, face.quality


def test_inpainting_the_patched_cheek_raises_quality(patched, dlib_model):
    image, _, _ = patched
    clean = analyze(load_image(sample_path("astronaut")), dlib_model, estimator="robustness").faces[0].quality
    before = analyze(image, dlib_model, estimator="robustness")
    assert before.faces[0].quality < clean - 0.2, "the patch costs quality"
    sim = what_if(image, dlib_model, region="right_cheek", before=before)
    assert sim.after.estimator == "robustness"
    assert sim.quality_after > sim.quality_before + 0.15
    default = what_if(image, dlib_model, region="right_cheek")
    assert default.quality_after > default.quality_before, "the default estimator gains too, a little"
    # Only the patch (and its rim) was filled, inside the cheek.
    patch_area = np.pi * (0.3 * before.faces[0].regions.frame.ied) ** 2
    assert 0.6 * patch_area < sim.mask.sum() < 2.0 * patch_area
    assert sim.to_dict()["simulation"] is True


def test_whatif_command_writes_marked_simulation(patched, tmp_path, capsys):
    _, path, _ = patched
    out = tmp_path / "out"
    assert main(["whatif", str(path), "--region", "right_cheek", "--out", str(out), "--device", "cpu",
                 "--estimator", "robustness"]) == 0
    assert "SIMULATION" in capsys.readouterr().out
    report = json.loads((out / "patched.whatif.json").read_text())
    assert report["simulation"] is True and report["not_for_enrolment"] is True
    assert report["region"] == "right_cheek" and report["quality_gain"] > 0.15
    assert report["quality_after"] == pytest.approx(report["quality_before"] + report["quality_gain"], abs=1e-5)
    for key in ("before_png", "after_png", "before_npy", "after_npy", "simulation"):
        assert (out / report["files"][key]).is_file()
    assert np.load(out / report["files"]["after_npy"]).shape == (512, 512)
    sim_file = out / report["files"]["simulation"]
    assert Image.open(sim_file).info[SIMULATION_KEY] == "true" and is_simulation_file(sim_file)
    assert not is_simulation_file(path)
    # The watermark changes the picture: a red band across the top.
    top = np.asarray(Image.open(sim_file))[:5].reshape(-1, 3).mean(axis=0)
    assert top[0] > top[1] + 40
    # A simulation is never exported as an enrolment photo.
    assert main(["export", str(sim_file), "--out", str(tmp_path / "p.jpg")]) == 1
    assert "simulation" in capsys.readouterr().err
    assert not (tmp_path / "p.jpg").exists()


def test_auto_picks_the_region_the_evidence_ranks_worst(patched, dlib_model):
    image, _, _ = patched
    before = analyze(image, dlib_model)
    sim = what_if(image, dlib_model, before=before)
    assert sim.auto and sim.region == "right_cheek", "the patched cheek"
    # AMVA's activation z ranks it first (the shipped reference holds this face, so the held-out
    # rates are docs/where-to-fix.md's); without it, the map's z against the reference profile.
    active = {r: s.mean for r, s in before.faces[0].activation_stats.items() if r in FACE_REGIONS and s is not None}
    assert active[sim.region] == min(active.values())
    before.faces[0].activation_stats = {}
    zs = {c.region: c.value for c in before.faces[0].checks if c.name == "occlusion" and c.value is not None}
    assert worst_region(before.faces[0]) == min(zs, key=zs.get)
    with pytest.raises(WhatIfError):
        what_if(image, dlib_model, region="elbow", before=before)


def test_auto_on_a_clean_face_says_nothing_needs_repair(dlib_model, tmp_path, capsys):
    """No hint names a covered region, no region lies far below good faces, and inpainting the region ranked
    worst lowers quality: auto says that nothing needs repair (it used to show that simulation) and writes
    nothing."""
    from plq_desktop.core.plq.whatif import REPAIR_ACTIVATION_Z, NothingToRepair
    image = load_image(sample_path("astronaut"))
    before = analyze(image, dlib_model)
    face = before.faces[0]
    assert min(s.mean for r, s in face.activation_stats.items() if r in FACE_REGIONS) > REPAIR_ACTIVATION_Z
    worst = worst_region(face)
    assert what_if(image, dlib_model, region=worst, before=before).gain < 0, "the repair would cost quality"
    with pytest.raises(NothingToRepair, match="nothing needs repair"):
        what_if(image, dlib_model, before=before)
    out = tmp_path / "out"
    assert main(["whatif", str(sample_path("astronaut")), "--out", str(out), "--device", "cpu"]) == 0
    assert "nothing needs repair" in capsys.readouterr().out
    assert not out.exists(), "nothing simulated, nothing written"


@pytest.mark.parametrize("height, width", [(400, 100), (900, 200), (1200, 300), (250, 250), (300, 1200)])
def test_the_simulation_banner_fits_the_photo_width(height, width):
    """The text across the top is scaled to the width: whole on a narrow photo (it ran off the edge),
    and still filling most of the width."""
    from plq_desktop.core.plq.whatif import watermark
    marked = watermark(np.full((height, width, 3), 128, np.uint8))
    red = np.median(marked[..., 0].astype(int) - marked[..., 1], axis=1) > 60
    band = int(np.argmin(red))                          # the band: the top rows, red with white letters
    text = (marked[:band] > 200).all(axis=2)
    columns, rows = np.flatnonzero(text.any(axis=0)), np.flatnonzero(text.any(axis=1))
    assert columns.size, "the banner shows its text"
    assert columns.max() < width - 2, "the text ends inside the photo, not at its edge"
    # Legible: letters at least 7 px tall (two lines on a narrow photo), or filling most of the width.
    assert rows.max() - rows.min() >= 6 or columns.max() - columns.min() > 0.6 * (width - 8)
    # The diagonal stamp stays inside the photo too.
    stamp = (np.abs(marked[band:].astype(int) - 128).sum(axis=2) > 30)
    assert not stamp[:, :2].any() and not stamp[:, -2:].any() and not stamp[-2:].any()


@pytest.fixture(scope="module")
def covered_eyes(dlib_model):
    """The astronaut with a black band over both eyes, and with a patch over one eye (eval.occluders)."""
    from plq_desktop.eval.occluders import draw_occluder
    image = load_image(sample_path("astronaut"))
    face = analyze(image, dlib_model).faces[0]
    return {kind: draw_occluder(image, face.landmarks, kind, "large") for kind in ("eye_band", "eye_patch")}


def test_auto_repairs_both_eyes_when_both_are_covered(covered_eyes, dlib_model):
    """A band over both eyes: repairing one eye leaves the other hidden, so auto inpaints both."""
    from plq_desktop.core.plq.whatif import EYES
    image = covered_eyes["eye_band"]
    sim = what_if(image, dlib_model)
    assert sim.auto and sim.region == EYES
    polygons = sim.before.faces[0].regions.polygons
    for eye in ("right_eye", "left_eye"):
        centre = np.round(polygons[eye].mean(axis=0)).astype(int)
        assert sim.mask[centre[1], centre[0]], f"the {eye} is inpainted"
    assert sim.gain > 0, "uncovering both eyes raises quality"
    one_eye = what_if(image, dlib_model, region="right_eye", before=sim.before)
    assert sim.quality_after > one_eye.quality_after, "both eyes repaired beat one"


def test_auto_repairs_one_eye_when_only_one_is_covered(covered_eyes, dlib_model):
    sim = what_if(covered_eyes["eye_patch"], dlib_model)
    assert sim.region == "right_eye", "the patched eye only (the subject's right: image left)"
