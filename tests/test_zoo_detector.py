"""Detectors for the zoo models: SCRFD's ArcFace points through the engine's dlib-order Detection."""

import numpy as np
import pytest

from plq_desktop.core.face.alignment import arcface_points_from_detection
from plq_desktop.core.face.detection import Detection, DlibHogDetector
from plq_desktop.core.face.detectors import make_detector
from plq_desktop.core.face.mmod import HogThenCnnDetector, MmodDetector
from plq_desktop.core.face.scrfd import dlib_points_from_arcface, find_scrfd_file


def test_scrfd_points_survive_the_trip_through_dlib_order():
    # ArcFace order: left eye, right eye, nose tip, left and right mouth corner (as seen), a tilted face.
    points = np.array([(210.0, 305.0), (290.0, 298.0), (252.0, 350.0), (222.0, 392.0), (283.0, 387.0)])
    det = Detection(box=(150, 220, 350, 460), score=0.9, landmarks5=dlib_points_from_arcface(points))
    back = arcface_points_from_detection(det)
    np.testing.assert_allclose(back[:3], points[:3], atol=1e-3)  # eyes and nose exactly
    eye_distance = np.linalg.norm(points[1] - points[0])
    assert np.abs(back[3:] - points[3:]).max() < 0.3 * eye_distance  # mouth from the mean face
    # dlib order: 0, 1 corners of the eye on the image's right, outer first; 2, 3 the other eye.
    d = det.landmarks5
    assert d[0][0] > d[1][0] > d[3][0] > d[2][0]


def test_detector_choice(tmp_path, monkeypatch):
    monkeypatch.setenv("PLQ_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path))  # insightface's own ~/.insightface
    assert find_scrfd_file() is None
    assert isinstance(make_detector("dlib"), HogThenCnnDetector)
    assert isinstance(make_detector("auto"), HogThenCnnDetector)
    assert isinstance(make_detector("hog"), DlibHogDetector)
    assert isinstance(make_detector("cnn"), MmodDetector)
    with pytest.raises(FileNotFoundError, match="plq models download"):
        make_detector("scrfd")
    with pytest.raises(ValueError):
        make_detector("mtcnn")
    pack = tmp_path / ".insightface" / "models" / "buffalo_l"
    pack.mkdir(parents=True)
    (pack / "det_10g.onnx").write_bytes(b"")
    assert find_scrfd_file() == pack / "det_10g.onnx"

