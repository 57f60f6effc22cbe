"""Choosing a face detector: dlib's HOG detector (always there) or SCRFD (with a downloaded pack)."""

from __future__ import annotations

from functools import lru_cache

from plq_desktop.core.face.detection import DlibHogDetector, FaceDetector
from plq_desktop.core.face.scrfd import ScrfdDetector, find_scrfd_file


@lru_cache(maxsize=1)
def default_detector() -> FaceDetector:
    return DlibHogDetector()


DETECTORS = ("auto", "dlib", "scrfd")


def make_detector(kind: str = "auto", device: str = "auto") -> FaceDetector:
    """'dlib' (always there), 'scrfd' (needs a pack's file), or 'auto': SCRFD when its file is
    present and onnxruntime can run it on a GPU, else dlib's HOG detector."""
    if kind not in DETECTORS:
        raise ValueError(f"unknown detector {kind!r}; choose one of {', '.join(DETECTORS)}")
    path = find_scrfd_file() if kind != "dlib" else None
    if kind == "scrfd" and path is None:
        raise FileNotFoundError("no SCRFD detector file found: it comes with the insightface packs "
                                "(plq models download arcface-r50-buffalo)")
    if path is not None:
        import onnxruntime as ort
        gpu = device != "cpu" and "CUDAExecutionProvider" in ort.get_available_providers()
        if kind == "scrfd" or gpu:
            return ScrfdDetector(path, device=device)
    return default_detector()
