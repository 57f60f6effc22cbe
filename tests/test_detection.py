"""dlib HOG detection and landmarks on real photos."""

import cv2
import numpy as np
import pytest

from plq_desktop.core.face.detection import (
    LANDMARK_MODEL_LICENCES,
    Detection,
    DlibHogDetector,
    FaceDetector,
    model_dir,
)
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path


@pytest.fixture(scope="module")
def detector() -> DlibHogDetector:
    return DlibHogDetector()


def _check_detection(det: Detection, shape: tuple[int, ...]) -> None:
    x0, y0, x1, y1 = det.box
    # A face-sized box about as tall as it is wide (dlib's HOG boxes are square-ish).
    assert 0.7 < (y1 - y0) / (x1 - x0) < 1.4 and x1 - x0 > 20
    assert det.landmarks5.shape == (5, 2) and det.landmarks5.dtype == np.float32
    assert det.landmarks68.shape == (68, 2) and det.landmarks68.dtype == np.float32
    # Landmarks sit in or near the box (the jaw line may poke out, even out of a tight crop).
    margin = 0.3 * (x1 - x0)
    for points in (det.landmarks5, det.landmarks68):
        assert (points[:, 0] > x0 - margin).all() and (points[:, 0] < x1 + margin).all()
        assert (points[:, 1] > y0 - margin).all() and (points[:, 1] < y1 + margin).all()
    eyes_and_nose = det.landmarks5
    # Eyes and nose lie inside the box, the eyes above the nose tip (the face is upright).
    assert (eyes_and_nose[:, 0] > x0).all() and (eyes_and_nose[:, 0] < x1).all()
    assert (eyes_and_nose[:, 1] > y0).all() and (eyes_and_nose[:, 1] < y1).all()
    assert (eyes_and_nose[:4, 1] < eyes_and_nose[4, 1]).all()


def test_group_photo_gives_six_faces_largest_first(detector):
    image = load_image(sample_path("t1"))
    faces = detector.detect(image)
    assert len(faces) == 6
    areas = [f.area for f in faces]
    assert areas == sorted(areas, reverse=True)
    for face in faces:
        _check_detection(face, image.shape)
    # The score is the detector's confidence: blurring the photo lowers it.
    blurred = detector.detect(cv2.GaussianBlur(image, (0, 0), 3))
    assert 0 < len(blurred) and np.mean([f.score for f in blurred]) < np.mean([f.score for f in faces])
    # Six different people: no two boxes overlap much.
    centres = np.array([((f.box[0] + f.box[2]) / 2, (f.box[1] + f.box[3]) / 2) for f in faces])
    distances = np.linalg.norm(centres[:, None] - centres[None], axis=-1) + np.eye(6) * 1e9
    assert distances.min() > 60


def test_portrait_gives_one_face_with_plausible_landmarks(detector):
    image = load_image(sample_path("grace_hopper"))
    faces = detector.detect(image)
    assert len(faces) == 1
    face = faces[0]
    _check_detection(face, image.shape)
    p5, p68 = face.landmarks5, face.landmarks68
    # dlib's 5 points: 0, 1 = eye on the image's right, 2, 3 = eye on the image's left, 4 = below the nose.
    assert p5[[0, 1], 0].min() > p5[[2, 3], 0].max()
    assert p5[:4, 1].max() < p5[4, 1]
    eyes = p68[36:48].mean(axis=0)
    nose_tip, mouth = p68[30], p68[48:68].mean(axis=0)
    assert eyes[1] < nose_tip[1] < mouth[1]
    # The 5-point eye corners agree with the 68-point ones (same corners, different models).
    assert np.abs(p5[0] - p68[45]).max() < 6 and np.abs(p5[2] - p68[36]).max() < 6


def test_tight_112_crop_still_finds_the_face(detector):
    image = load_image(sample_path("tom_hanks"))
    assert image.shape == (112, 112, 3)
    faces = detector.detect(image)
    assert len(faces) == 1
    _check_detection(faces[0], image.shape)


def test_blank_image_gives_no_face(detector):
    assert detector.detect(np.full((480, 640, 3), 128, np.uint8)) == []


def test_boxes_and_landmarks_map_back_from_the_downscaled_copy(detector):
    image = load_image(sample_path("grace_hopper"))
    big = cv2.resize(image, None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)   # detected at 800 px
    small_face, big_face = detector.detect(image)[0], detector.detect(big)[0]
    # Pixel centres: x_big = 3 x + 1.
    expected = small_face.landmarks68 * 3 + 1
    eye_distance = np.linalg.norm(expected[42:48].mean(0) - expected[36:42].mean(0))
    assert np.median(np.linalg.norm(big_face.landmarks68 - expected, axis=1)) < 0.05 * eye_distance
    box_centre = lambda d: np.array([(d.box[0] + d.box[2]) / 2, (d.box[1] + d.box[3]) / 2])
    assert np.linalg.norm(box_centre(big_face) - (box_centre(small_face) * 3 + 1)) < 0.15 * eye_distance


def test_without_68_points(detector):
    fast = DlibHogDetector(with_68=False)
    faces = fast.detect(load_image(sample_path("grace_hopper")))
    assert len(faces) == 1 and faces[0].landmarks68 is None
    assert faces[0].landmarks5.shape == (5, 2)


def test_detector_contract_and_immutability(detector):
    assert isinstance(detector, FaceDetector) and detector.name
    face = detector.detect(load_image(sample_path("grace_hopper")))[0]
    with pytest.raises(ValueError):
        face.landmarks5[0, 0] = 0
    with pytest.raises(AttributeError):
        face.score = 1.0
    with pytest.raises(ValueError):
        detector.detect(np.zeros((10, 10), np.uint8))


def test_model_files_and_licences():
    folder = model_dir()
    for name in ("shape_predictor_5_face_landmarks.dat", "shape_predictor_68_face_landmarks.dat"):
        assert (folder / name).is_file()
        assert name in LANDMARK_MODEL_LICENCES
    assert "CC0" in LANDMARK_MODEL_LICENCES["shape_predictor_5_face_landmarks.dat"]
    assert "commercial" in LANDMARK_MODEL_LICENCES["shape_predictor_68_face_landmarks.dat"]


def test_missing_model_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="shape_predictor_5_face_landmarks.dat"):
        DlibHogDetector(models=tmp_path)
