"""Face regions from real 68-point landmarks: placement, frames, masks and per-region PLQ statistics."""

import cv2
import numpy as np
import pytest

from plq_desktop.core.face.regions import (
    COMPOSITE_REGIONS,
    FACE_REGIONS,
    REGIONS,
    face_regions,
    region_plq_stats,
)


@pytest.fixture(scope="module")
def grace():
    """Grace Hopper's portrait (matplotlib) and its dlib detection: an upright, frontal face."""
    from plq_desktop.core.face.detectors import default_detector
    from plq_desktop.core.io.images import load_image
    from plq_desktop.core.io.samples import sample_path
    image = load_image(sample_path("grace_hopper"))
    det = default_detector().detect(image)[0]
    return image, det


def _inside(polygon, point) -> bool:
    contour = np.asarray(polygon, dtype=np.float32).reshape(-1, 1, 2)
    return cv2.pointPolygonTest(contour, (float(point[0]), float(point[1])), False) >= 0


def test_every_region_has_a_polygon_around_its_landmarks(grace):
    image, det = grace
    p = det.landmarks68
    regions = face_regions(p, image.shape)
    assert set(regions.polygons) == set(REGIONS + COMPOSITE_REGIONS)
    # Left and right are the subject's own: the right eye (points 36-41) is on the image's left.
    assert _inside(regions.polygons["right_eye"], p[36:42].mean(axis=0))
    assert _inside(regions.polygons["left_eye"], p[42:48].mean(axis=0))
    assert regions.polygons["right_eye"][:, 0].mean() < regions.polygons["left_eye"][:, 0].mean()
    assert _inside(regions.polygons["right_eye"], p[19])          # the brow belongs to the eye region
    assert _inside(regions.polygons["mouth"], p[48:60].mean(axis=0))
    assert _inside(regions.polygons["nose"], p[30])
    assert _inside(regions.polygons["chin"], p[8] + (p[57] - p[8]) * 0.3)
    assert _inside(regions.polygons["right_cheek"], (p[2] + p[31]) / 2)
    assert _inside(regions.polygons["left_cheek"], (p[14] + p[35]) / 2)
    # Extrapolated upwards: forehead above the brows, hair band above the forehead, crown above both.
    assert not any(_inside(regions.polygons["forehead"], b) for b in p[17:27])
    assert regions.polygons["forehead"].mean(axis=0)[1] < p[17:27, 1].min()
    assert regions.polygons["hair"][:, 1].mean() < regions.polygons["forehead"][:, 1].mean()
    assert regions.frame.crown[1] < regions.polygons["forehead"][:, 1].min()
    # The face is about as far above the eyes as the chin is below them (eyes halfway up the head).
    assert regions.frame.eye_to_chin == pytest.approx(1.74 * regions.frame.ied, rel=0.15)


def test_background_lies_above_the_nose_and_clear_of_the_head(grace):
    image, det = grace
    regions = face_regions(det.landmarks68, image.shape)
    h, w = image.shape[:2]
    identity = np.array([[1.0, 0, 0], [0, 1.0, 0]])
    masks = regions.masks(identity, (h, w))
    background = masks["background"]
    ys, xs = np.nonzero(background)
    below_nose_tip = (np.column_stack([xs, ys]) - det.landmarks68[30]) @ regions.frame.down
    assert below_nose_tip.max() <= 1.0
    assert not (background & masks["right_eye"]).any()
    assert not background[int(det.landmarks68[27, 1]), int(det.landmarks68[27, 0])]
    assert background[5, 5] and background[5, w - 6]     # the photo's top corners are background


def test_masks_are_disjoint_and_follow_the_frame(grace):
    """Masks drawn in a rotated, scaled frame match the landmarks carried into that frame."""
    image, det = grace
    regions = face_regions(det.landmarks68, image.shape)
    angle = np.radians(25)
    linear = 0.6 * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    matrix = np.column_stack([linear, [120.0, -60.0]])
    size = (400, 400)
    masks = regions.masks(matrix, size)
    stacked = np.stack([masks[r] for r in REGIONS]).astype(int)
    assert stacked.sum(axis=0).max() == 1
    for region, points in (("right_eye", slice(36, 42)), ("left_eye", slice(42, 48)), ("mouth", slice(48, 60))):
        x, y = np.round(det.landmarks68[points].mean(axis=0) @ linear.T + matrix[:, 2]).astype(int)
        assert masks[region][y, x], region
    # Every facial region is non-empty in that frame.
    assert all(masks[r].sum() > 20 for r in FACE_REGIONS)


def test_regions_turn_with_the_head(grace):
    """Rotating the landmarks rotates every polygon: regions are built in the face's own frame."""
    image, det = grace
    p = det.landmarks68.astype(np.float64)
    centre = p.mean(axis=0)
    angle = np.radians(30)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    turned = (p - centre) @ rot.T + centre
    upright, tilted = face_regions(p, image.shape), face_regions(turned, image.shape)
    for region in FACE_REGIONS + ("hair",):
        expected = (upright.polygons[region] - centre) @ rot.T + centre
        np.testing.assert_allclose(tilted.polygons[region], expected, atol=1e-3, err_msg=region)


def test_plq_statistics_come_from_the_chip_pixels_of_each_region(grace, dlib_model):
    """A synthetic map that is 1 exactly on the mouth's chip pixels shows up as the mouth's statistics."""
    from plq_desktop.core.analysis import align_faces
    image, det = grace
    alignment = align_faces(image, [det], dlib_model)[0]
    regions = face_regions(det.landmarks68, image.shape)
    masks = regions.masks(alignment.matrix, alignment.chip_size)
    chip_map = masks["mouth"].astype(np.float32)
    stats = region_plq_stats(chip_map, alignment.matrix, regions)
    assert stats["mouth"].mean == pytest.approx(1.0)
    assert stats["mouth"].low == pytest.approx(1.0)
    for region in ("right_eye", "left_eye", "nose", "forehead"):
        assert stats[region].mean == 0.0
    # dlib's chip ends near the hairline: the hair band is not shown, so it has no statistics.
    assert stats["hair"] is None
    assert stats["face"].mean == pytest.approx(masks["mouth"].sum() / sum(masks[r].sum() for r in FACE_REGIONS))


def test_regions_cut_off_by_the_photo_edge_have_no_statistics(grace, dlib_model):
    """A photo that ends just below the eyes: the chip shows black padding there, not the face."""
    from plq_desktop.core.analysis import align_faces
    image, det = grace
    cut = int(det.landmarks68[36:48, 1].max() + 5)
    top = np.ascontiguousarray(image[:cut])
    alignment = align_faces(top, [det], dlib_model)[0]
    regions = face_regions(det.landmarks68, top.shape)
    stats = region_plq_stats(np.ones(alignment.chip_size, np.float32), alignment.matrix, regions)
    assert stats["mouth"] is None and stats["chin"] is None
    assert stats["forehead"] is not None


def test_the_fast_percentile_is_numpys_to_the_bit():
    """Region statistics take the 10th percentile of every region on every live frame with a shortcut
    around np.percentile's overhead: it must give exactly np.percentile's value."""
    from plq_desktop.core.face.regions import percentile

    rng = np.random.default_rng(7)
    for n in [1, 2, 3, 29, 30, 31, 99, 100, 101, 257, 1000, 22499]:
        for scale in (1e-3, 1.0, 1e3):
            values = rng.normal(size=n) * scale
            for q in (0, 10, 37.5, 50, 90, 100):
                assert percentile(values, q) == float(np.percentile(values, q)), (n, scale, q)
    ties = np.array([0.2, 0.2, 0.2, 0.5, 0.9], np.float64)
    assert percentile(ties, 10) == float(np.percentile(ties, 10))
