"""insightface's SCRFD detector (from a downloaded pack) behind the same detector interface as dlib's."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from plq_desktop.core.face.detection import Detection
from plq_desktop.core.formats.errors import ModelFileError
from plq_desktop.core.io.paths import default_cache_dir

# -- SCRFD detector ----------------------------------------------------------------

# File names of SCRFD in insightface's packs: buffalo_l, antelopev2.
SCRFD_FILES = ("det_10g.onnx", "scrfd_10g_bnkps.onnx")


def find_scrfd_file() -> Path | None:
    """An SCRFD file from a downloaded pack: our cache first, then insightface's own (~/.insightface)."""
    roots = [default_cache_dir() / "models", Path("~/.insightface/models").expanduser()]
    for root in roots:
        for name in SCRFD_FILES:
            hits = sorted(root.glob(f"*/{name}")) if root.is_dir() else []
            if hits:
                return hits[0]
    return None


def dlib_points_from_arcface(points: np.ndarray) -> np.ndarray:
    """dlib-order 5 landmarks whose ArcFace points (``alignment.arcface_points_from_detection``) are ``points``.

    SCRFD finds ArcFace's 5 points (eye centres, nose tip, mouth corners);
    ``Detection`` carries dlib's (eye corners, subnasale). Eye corners go
    either side of each centre along the eye line, as far as in dlib's
    template; the subnasale sits where the alignment code's mean-face ratio
    puts the nose tip at SCRFD's nose. Eyes and nose then align exactly; the
    mouth follows the mean face, as for dlib's own 5 points.
    """
    from plq_desktop.core.face import alignment as al

    p = np.asarray(points, np.float64).reshape(5, 2)
    left_eye, right_eye, nose = p[0], p[1], p[2]
    t = al.DLIB_TEMPLATE_5
    corner_span = (np.linalg.norm(t[0] - t[1]) / 2) / np.linalg.norm((t[0] + t[1]) / 2 - (t[2] + t[3]) / 2)
    across = right_eye - left_eye
    half = corner_span * across
    eyes_mid = (left_eye + right_eye) / 2
    subnasale = eyes_mid + (al._SUBNASALE_DROP / al._NOSE_TIP_DROP) * (nose - eyes_mid)
    return np.array([right_eye + half, right_eye - half, left_eye - half, left_eye + half, subnasale])


class ScrfdDetector:
    """insightface's SCRFD (a pack's ``det_10g.onnx``) on onnxruntime, CUDA when available.

    Landmarks become dlib-order points (``dlib_points_from_arcface``), so
    every aligner of the engine works with its detections; it finds no 68
    points, so ICAO hints that need them are not computed from its faces.
    """

    name = "SCRFD (insightface)"

    def __init__(self, path: str | Path, input_size: tuple[int, int] = (640, 640), threshold: float = 0.5,
                 device: str = "auto"):
        import onnxruntime as ort
        from insightface.model_zoo.scrfd import SCRFD

        available = ort.get_available_providers()
        providers = ["CPUExecutionProvider"]
        if device != "cpu" and "CUDAExecutionProvider" in available:
            providers.insert(0, "CUDAExecutionProvider")
        session = ort.InferenceSession(str(path), providers=providers)
        self.input_size = tuple(input_size)
        self._scrfd = SCRFD(model_file=str(path), session=session)
        self._scrfd.prepare(0, input_size=self.input_size, det_thresh=threshold)
        self.uses_gpu = providers[0] == "CUDAExecutionProvider"
        self._lock = threading.Lock()

    def detect(self, image_rgb: np.ndarray) -> list[Detection]:
        bgr = np.ascontiguousarray(image_rgb[..., ::-1])
        with self._lock:
            boxes, points = self._scrfd.detect(bgr, input_size=self.input_size)
        if points is None:
            raise ModelFileError("this SCRFD file finds no landmarks; ArcFace alignment needs them")
        detections = [Detection(box=tuple(b[:4]), score=float(b[4]), landmarks5=dlib_points_from_arcface(k))
                      for b, k in zip(boxes, points)]
        detections.sort(key=lambda d: d.area, reverse=True)
        return detections
