"""Choosing a face detector: dlib's HOG with its CNN as fallback (always there), or SCRFD (with a pack)."""

from __future__ import annotations

from functools import lru_cache

from plq_desktop.core.face.detection import DlibHogDetector, FaceDetector
from plq_desktop.core.face.mmod import HogThenCnnDetector, MmodDetector
from plq_desktop.core.face.scrfd import ScrfdDetector, find_scrfd_file


@lru_cache(maxsize=1)
def default_detector() -> FaceDetector:
    """HOG first (fast), dlib's CNN when HOG finds nothing: eye bands, sunglasses and masks hide
    faces from HOG but mostly not from the CNN (docs/where-to-fix.md)."""
    return HogThenCnnDetector()


# "dlib": HOG with the CNN fallback; "hog" / "cnn": one of the two alone.
DETECTORS = ("auto", "dlib", "hog", "cnn", "scrfd")


def make_detector(kind: str = "auto", device: str = "auto") -> FaceDetector:
    """'dlib' (always there), 'hog', 'cnn', 'scrfd' (needs a pack's file), or 'auto': SCRFD when its
    file is present and onnxruntime can run it on a GPU, else 'dlib'."""
    if kind not in DETECTORS:
        raise ValueError(f"unknown detector {kind!r}; choose one of {', '.join(DETECTORS)}")
    if kind == "hog":
        return DlibHogDetector()
    if kind == "cnn":
        return MmodDetector(device=device)
    path = find_scrfd_file() if kind in ("auto", "scrfd") else None
    if kind == "scrfd" and path is None:
        raise FileNotFoundError("no SCRFD detector file found: it comes with the insightface packs "
                                "(plq models download arcface-r50-buffalo)")
    if path is not None:
        import onnxruntime as ort
        gpu = device != "cpu" and "CUDAExecutionProvider" in ort.get_available_providers()
        if kind == "scrfd" or gpu:
            return ScrfdDetector(path, device=device)
    return default_detector()
