"""Alignment: dlib's chips reproduced, and chip values carried back onto the photo exactly."""

import cv2
import dlib
import numpy as np
import pytest

from plq_desktop.core.face.alignment import (
    ARCFACE_TEMPLATE_112,
    Alignment,
    arcface_points_from_detection,
    dlib_chip_alignment,
    template_alignment,
)
from plq_desktop.core.face.detection import Detection, DlibHogDetector
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path


@pytest.fixture(scope="module")
def detector() -> DlibHogDetector:
    return DlibHogDetector()


@pytest.fixture(scope="module")
def hopper() -> np.ndarray:
    return load_image(sample_path("grace_hopper"))


@pytest.fixture(scope="module")
def hopper_face(detector, hopper) -> Detection:
    return detector.detect(hopper)[0]


def _dlib_chip(image: np.ndarray, det: Detection, size: int = 150, padding: float = 0.25) -> np.ndarray:
    x0, y0, x1, y1 = det.box
    rect = dlib.rectangle(round(x0 + 0.5), round(y0 + 0.5), round(x1 - 0.5), round(y1 - 0.5))
    shape = dlib.full_object_detection(rect, [dlib.point(int(x), int(y)) for x, y in det.landmarks5])
    return dlib.get_face_chip(image, shape, size=size, padding=padding)


def test_chips_match_dlib_get_face_chip(detector):
    # Faces up to twice the chip's resolution: dlib samples the photo directly.
    # dlib truncates where we round, hence about 0.5 grey levels and nothing else.
    for name in ("t1", "grace_hopper", "astronaut"):
        image = load_image(sample_path(name))
        for det in detector.detect(image):
            chip = dlib_chip_alignment(det.landmarks5).warp(image)
            assert chip.shape == (150, 150, 3) and chip.dtype == np.uint8 and chip.flags.c_contiguous
            difference = chip.astype(int) - _dlib_chip(image, det)
            assert np.abs(difference).mean() < 0.6, name
            assert np.abs(difference).max() <= 1, name


def test_chips_match_dlib_on_large_faces(detector, hopper):
    # Three times larger: both sample a Gaussian pyramid level of the photo.
    big = cv2.resize(hopper, None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)
    det = detector.detect(big)[0]
    for size, padding in ((150, 0.25), (112, 0.4)):
        chip = dlib_chip_alignment(det.landmarks5, size, padding).warp(big)
        assert np.abs(chip.astype(int) - _dlib_chip(big, det, size, padding)).mean() < 2.0


def test_dlib_chip_puts_landmarks_on_dlib_template(hopper_face):
    a = dlib_chip_alignment(hopper_face.landmarks5)
    on_chip = a.points_to_chip(hopper_face.landmarks5)
    template = (0.25 + np.array([(0.8596, 0.2135), (0.6461, 0.2290), (0.1206, 0.2137),
                                 (0.3341, 0.2291), (0.4901, 0.6278)])) / 1.5 * 150
    assert np.abs(on_chip - template).max() < 4


def test_points_round_trip(hopper_face):
    rng = np.random.default_rng(0)
    points = rng.uniform(-50, 650, size=(1000, 2))
    for a in (dlib_chip_alignment(hopper_face.landmarks5),
              template_alignment(arcface_points_from_detection(hopper_face), ARCFACE_TEMPLATE_112, (112, 112))):
        assert np.abs(a.points_to_image(a.points_to_chip(points)) - points).max() < 0.01
        assert np.abs(a.points_to_chip(a.points_to_image(points)) - points).max() < 0.01


def test_constant_chip_maps_back_to_the_constant_inside_and_nan_outside(hopper, hopper_face):
    a = dlib_chip_alignment(hopper_face.landmarks5)
    back = a.to_image(np.full((150, 150), 0.7, np.float32), hopper.shape)
    assert back.shape == hopper.shape[:2] and back.dtype == np.float32
    x0, y0, x1, y1 = (int(v) for v in hopper_face.box)
    face_area = back[y0:y1, x0:x1]
    assert np.isfinite(face_area).all() and np.allclose(face_area, 0.7, atol=1e-6)
    for x, y in hopper_face.landmarks68:
        assert back[int(y), int(x)] == pytest.approx(0.7)
    assert np.isnan(back[:20, :20]).all() and np.isnan(back[-20:, -20:]).all()
    # The covered area is the chip's area in photo pixels.
    span = a.image_pixels_per_chip_pixel
    assert np.isfinite(back).sum() == pytest.approx((150 * span) ** 2, rel=0.02)


def test_to_image_is_the_exact_inverse_of_the_warp(hopper, hopper_face):
    a = dlib_chip_alignment(hopper_face.landmarks5)
    # A chip whose value is its own column / row coordinate: carried back, each
    # photo pixel must read its chip coordinate, wherever it lies.
    columns, rows = np.meshgrid(np.arange(150, dtype=np.float32), np.arange(150, dtype=np.float32))
    back_u, back_v = a.to_image(columns, hopper.shape), a.to_image(rows, hopper.shape)
    ys, xs = np.nonzero(np.isfinite(back_u))
    expected = a.points_to_chip(np.column_stack([xs, ys]))
    interior = (expected > 0).all(axis=1) & (expected < 149).all(axis=1)
    assert interior.sum() > 0.9 * len(xs)
    assert np.abs(back_u[ys, xs][interior] - expected[interior, 0]).max() < 1e-3
    assert np.abs(back_v[ys, xs][interior] - expected[interior, 1]).max() < 1e-3


def test_warp_samples_the_photo_where_the_matrix_says(hopper, hopper_face):
    a = dlib_chip_alignment(hopper_face.landmarks5)
    chip = a.warp(hopper).astype(float)
    rng = np.random.default_rng(1)
    chip_points = rng.uniform(5, 144, size=(200, 2))
    on_photo = a.points_to_image(chip_points).astype(np.float32)
    from_photo = cv2.remap(hopper, on_photo[:, None, 0], on_photo[:, None, 1], cv2.INTER_LINEAR)[:, 0]
    from_chip = cv2.remap(chip.astype(np.float32), chip_points[:, None, 0].astype(np.float32),
                          chip_points[:, None, 1].astype(np.float32), cv2.INTER_LINEAR)[:, 0]
    assert np.abs(from_chip - from_photo).mean() < 6     # two bilinear resamplings of a real photo


def test_warp_is_black_off_the_photo(hopper):
    # A chip centred on the photo's top-left corner: three quarters lie outside.
    a = Alignment(np.array([[1.0, 0, 50], [0, 1.0, 50]]), (100, 100))
    chip = a.warp(hopper)
    assert (chip[:45, :] == 0).all() and (chip[:, :45] == 0).all()
    assert np.array_equal(chip[60:, 60:], hopper[10:50, 10:50])
    back = a.to_image(np.ones((100, 100), np.float32), hopper.shape)
    assert np.isfinite(back[:49, :49]).all() and np.isnan(back[:, 51:]).all()


def test_template_alignment_recovers_a_known_similarity():
    angle, scale, shift = 0.3, 2.5, np.array([200.0, 120.0])
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    photo_points = ARCFACE_TEMPLATE_112 @ (scale * rotation).T + shift
    a = template_alignment(photo_points, ARCFACE_TEMPLATE_112, (112, 112))
    assert np.abs(a.points_to_chip(photo_points) - ARCFACE_TEMPLATE_112).max() < 1e-9
    assert a.chip_size == (112, 112)
    assert a.image_pixels_per_chip_pixel == pytest.approx(scale)


def test_template_alignment_puts_real_landmarks_on_the_template(detector, hopper, hopper_face):
    # A frontal portrait fits the frontal template closely.
    points = arcface_points_from_detection(hopper_face)
    a = template_alignment(points, ARCFACE_TEMPLATE_112, (112, 112))
    assert np.linalg.norm(a.points_to_chip(points) - ARCFACE_TEMPLATE_112, axis=1).max() < 2
    assert a.warp(hopper).shape == (112, 112, 3)
    # Turned and tilted heads in the group photo: the similarity cannot follow
    # the pose, but every point still lands near its template position.
    image = load_image(sample_path("t1"))
    for det in detector.detect(image):
        points = arcface_points_from_detection(det)
        a = template_alignment(points, ARCFACE_TEMPLATE_112, 112)
        error = np.linalg.norm(a.points_to_chip(points) - ARCFACE_TEMPLATE_112, axis=1)
        assert error.max() < 12 and error.mean() < 8


def test_arcface_points_from_68_and_from_5(hopper_face):
    from_68 = arcface_points_from_detection(hopper_face)
    five_only = Detection(hopper_face.box, hopper_face.score, hopper_face.landmarks5, None)
    from_5 = arcface_points_from_detection(five_only)
    for p in (from_68, from_5):
        assert p.shape == (5, 2)
        assert p[0, 0] < p[1, 0] and p[3, 0] < p[4, 0]             # left / right as seen in the image
        assert p[:2, 1].max() < p[2, 1] < p[3:, 1].min()            # eyes above nose above mouth
    eye_distance = np.linalg.norm(from_68[1] - from_68[0])
    error = np.linalg.norm(from_5 - from_68, axis=1) / eye_distance
    assert error[:2].max() < 0.1 and error[2] < 0.25 and error[3:].max() < 0.5
    assert np.allclose(from_68[0], hopper_face.landmarks68[36:42].mean(axis=0))
    assert np.allclose(from_68[2:], hopper_face.landmarks68[[30, 48, 54]])


def test_alignment_is_immutable(hopper_face):
    a = dlib_chip_alignment(hopper_face.landmarks5)
    with pytest.raises(ValueError):
        a.matrix[0, 0] = 1.0
    with pytest.raises(AttributeError):
        a.chip_size = (1, 1)
    with pytest.raises(ValueError):
        a.to_image(np.zeros((10, 10), np.float32), (600, 512))
