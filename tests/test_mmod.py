"""The torch port of dlib's CNN (MMOD) face detector, checked against dlib itself.

Real photos only (the sample photos of installed packages); dlib's own C++
detector (``dlib.cnn_face_detection_model_v1``) runs on small images to stay
cheap.
"""

from __future__ import annotations

import cv2
import dlib
import numpy as np
import pytest
import torch

from plq_desktop.core.face.detection import DlibHogDetector
from plq_desktop.core.face.mmod import (
    HogThenCnnDetector,
    MmodDetector,
    MmodNet,
    load_mmod_net,
    mmod_model_path,
    tiled_pyramid_layout,
)
from plq_desktop.core.formats.dlib import read_dlib_mmod
from plq_desktop.core.formats.errors import ModelFileError
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path

# Measured against dlib 20.0.1 (dlib-bin, CPU): identical integer boxes, scores
# within 1.3e-5 on 9 real faces (astronaut, grace_hopper, tom_hanks, t1's six).
SCORE_TOLERANCE = 1e-4


@pytest.fixture(scope="module", autouse=True)
def _threads():
    saved = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(saved)


@pytest.fixture(scope="module")
def model_path():
    try:
        return mmod_model_path()
    except FileNotFoundError as e:
        pytest.skip(str(e))


@pytest.fixture(scope="module")
def hog() -> DlibHogDetector:
    return DlibHogDetector()


@pytest.fixture(scope="module")
def mmod(model_path, hog) -> MmodDetector:
    return MmodDetector(device="cpu", landmarks_from=hog)


def _small(name: str, side: int) -> np.ndarray:
    image = load_image(sample_path(name))
    f = side / max(image.shape[:2])
    return cv2.resize(image, (round(image.shape[1] * f), round(image.shape[0] * f)), interpolation=cv2.INTER_AREA)


def _iou(a, b) -> float:
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def _eye_band(image: np.ndarray, landmarks68: np.ndarray) -> np.ndarray:
    """A black censor bar over both eyes, along the eye line, from 68 landmarks."""
    out = image.copy()
    left, right = landmarks68[36:42].mean(0), landmarks68[42:48].mean(0)
    d = np.linalg.norm(right - left)
    u = (right - left) / d
    n = np.array([-u[1], u[0]])
    c = (left + right) / 2
    half_w = max(np.linalg.norm(landmarks68[16] - landmarks68[0]) / 2 * 1.05, d)
    half_h = 0.35 * d
    corners = [c - u * half_w - n * half_h, c + u * half_w - n * half_h,
               c + u * half_w + n * half_h, c - u * half_w + n * half_h]
    cv2.fillConvexPoly(out, np.round(corners).astype(np.int32), (0, 0, 0))
    return out


# --------------------------------------------------------------------------- reader


def test_reader_parses_the_whole_file(model_path):
    parsed = read_dlib_mmod(model_path)  # raises unless it ends exactly at the last byte
    # con / batch norm (read as affine) / relu x 6, then the 9x9 con.
    assert parsed.layers == ("con_4", "bn_con2", "relu_") * 6 + ("con_4",)
    shapes = [a.shape for _, a in parsed.params]
    assert shapes[0] == (16, 3, 5, 5) and shapes[-2] == (1, 45, 9, 9)
    assert sum(a.size for _, a in parsed.params) == 181_141
    opts = parsed.options
    assert opts.detector_windows == ((80, 80),)
    assert opts.overlaps_nms[0] == pytest.approx(0.3383, abs=1e-4) and opts.overlaps_nms[1] == 1.0
    assert opts.overlaps_ignore == (0.5, 1.0)
    np.testing.assert_allclose(parsed.means, [122.782, 117.001, 104.298], atol=1e-3)
    assert (parsed.pyramid_padding, parsed.pyramid_outer_padding) == (10, 11)


@pytest.mark.parametrize("cut", [1, 100, 5000, 400_000])
def test_reader_rejects_a_truncated_copy(model_path, tmp_path, cut):
    data = model_path.read_bytes()
    bad = tmp_path / "truncated.dat"
    bad.write_bytes(data[:len(data) - cut])
    with pytest.raises(ModelFileError, match="ends early"):
        read_dlib_mmod(bad)
    with pytest.raises(ModelFileError):
        load_mmod_net(bad)


def test_reader_rejects_trailing_bytes_and_other_networks(model_path, tmp_path):
    extra = tmp_path / "extra.dat"
    extra.write_bytes(model_path.read_bytes() + b"\x00")
    with pytest.raises(ModelFileError, match="unexpected bytes"):
        read_dlib_mmod(extra)
    other = model_path.parent / "dlib_face_recognition_resnet_model_v1.dat"
    with pytest.raises(ModelFileError, match="loss_mmod_"):
        read_dlib_mmod(other)


def test_receptive_field_mapping():
    # Three stride-2 5x5 convs without padding: p -> 2p + 2, three times.
    assert MmodNet.output_to_input() == (8, 14)


def test_pyramid_layout_keeps_levels_apart():
    layout = tiled_pyramid_layout(300, 200)
    rects = layout.rects
    assert rects[0] == (11, 11, 210, 310)
    for i, (x0, y0, x1, y1) in enumerate(rects):
        assert 0 <= x0 <= x1 < layout.width and 0 <= y0 <= y1 < layout.height
        if i:  # each level 5/6 of the previous one, rounded down
            px0, py0, px1, py1 = rects[i - 1]
            assert (y1 - y0 + 1, x1 - x0 + 1) == ((py1 - py0 + 1) * 5 // 6, (px1 - px0 + 1) * 5 // 6)
        for qx0, qy0, qx1, qy1 in rects[:i]:  # no overlap with any earlier level
            assert x1 < qx0 or qx1 < x0 or y1 < qy0 or qy1 < y0


# --------------------------------------------------------------------------- against dlib


@pytest.mark.parametrize("name,side", [("tom_hanks", 112), ("grace_hopper", 300)])
def test_matches_dlibs_cnn_detector(model_path, mmod, name, side):
    image = _small(name, side)
    reference = dlib.cnn_face_detection_model_v1(str(model_path))(image, 0)
    ours = mmod.raw_detect([image])[0]
    assert len(reference) == len(ours) == 1
    for ref, (rect, score) in zip(reference, ours, strict=True):
        r = ref.rect
        assert _iou((r.left(), r.top(), r.right() + 1, r.bottom() + 1),
                    (rect[0], rect[1], rect[2] + 1, rect[3] + 1)) > 0.9
        assert rect == (r.left(), r.top(), r.right(), r.bottom())  # in fact identical
        assert abs(score - ref.confidence) < SCORE_TOLERANCE


def test_batched_equals_single(mmod):
    image = _small("grace_hopper", 240)
    single = mmod.raw_detect([image])[0]
    batched = mmod.raw_detect([image, image[:, ::-1].copy()])
    assert batched[0][0][0] == single[0][0]
    assert abs(batched[0][0][1] - single[0][1]) < 1e-5
    assert len(batched[1]) == 1  # the mirrored face too


# --------------------------------------------------------------------------- detector


def test_tiny_and_blank_images_give_no_face(mmod):
    assert mmod.detect(np.zeros((4, 6, 3), np.uint8)) == []  # smaller than one window position
    assert mmod.detect_batch([np.zeros((120, 90, 3), np.uint8), np.full((64, 64, 3), 200, np.uint8)]) == [[], []]
    with pytest.raises(ValueError, match="uint8"):
        mmod.detect(np.zeros((50, 50), np.uint8))



def test_detections_carry_landmarks_and_map_back_from_the_downscaled_copy(model_path, hog):
    image = load_image(sample_path("grace_hopper"))  # 600 x 512
    small_detector = MmodDetector(device="cpu", detect_max_side=300, landmarks_from=hog)
    found = small_detector.detect(image)
    assert len(found) == 1
    face = found[0]
    # The box found on the 300-pixel copy, its pixel edges scaled back to the photo.
    copy = cv2.resize(image, (256, 300), interpolation=cv2.INTER_AREA)
    (left, top, right, bottom), score = small_detector.raw_detect([copy])[0][0]
    fx, fy = 256 / 512, 300 / 600
    assert face.box == pytest.approx((left / fx - 0.5, top / fy - 0.5, (right + 1) / fx - 0.5, (bottom + 1) / fy - 0.5))
    assert face.score == pytest.approx(score)
    # Same face at full resolution (box sizes step with the pyramid levels, 1.2x apart).
    full = MmodDetector(device="cpu", detect_max_side=None, landmarks_from=hog).detect(image)
    assert len(full) == 1 and _iou(full[0].box, face.box) > 0.7
    assert face.landmarks5.shape == (5, 2) and face.landmarks68.shape == (68, 2)
    x0, y0, x1, y1 = face.box
    assert ((face.landmarks5 > [x0, y0]) & (face.landmarks5 < [x1, y1])).all()
    assert 0.9 < face.score < 1.3


def test_eye_band_face_is_found_by_mmod_but_not_by_hog(hog, mmod):
    image = load_image(sample_path("grace_hopper"))
    clean = hog.detect(image)
    assert len(clean) == 1
    occluded = _eye_band(image, clean[0].landmarks68)
    assert hog.detect(occluded) == []
    found = mmod.detect(occluded)
    assert len(found) == 1 and _iou(found[0].box, clean[0].box) > 0.5
    assert found[0].landmarks68 is not None


def test_hog_then_cnn(model_path):
    detector = HogThenCnnDetector(cnn={"device": "cpu"})
    image = load_image(sample_path("grace_hopper"))
    clean = detector.detect(image)
    assert len(clean) == 1 and clean[0].box == detector.hog.detect(image)[0].box  # HOG answered
    occluded = _eye_band(image, clean[0].landmarks68)
    found = detector.detect(occluded)
    assert detector.hog.detect(occluded) == []
    assert len(found) == 1 and found[0].box == detector.cnn.detect(occluded)[0].box  # the CNN answered
    assert found[0].landmarks68 is not None
    assert detector.detect(np.zeros((200, 200, 3), np.uint8)) == []
