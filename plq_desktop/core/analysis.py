"""Photo in, per-face quality and pixel-level quality maps out."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import numpy as np

from plq_desktop.core.face import alignment as al
from plq_desktop.core.face.detection import Detection, FaceDetector
from plq_desktop.core.face.detectors import default_detector
from plq_desktop.core.icao.hints import attach_hints
from plq_desktop.core.plq.model import FaceModel


@dataclass
class FaceResult:
    box: tuple[float, float, float, float]   # x0, y0, x1, y1 in photo pixels
    score: float                             # detector confidence
    landmarks: np.ndarray                    # 68 x 2 when available, else 5 x 2
    landmarks5: np.ndarray
    quality: float                           # Q_hat in [0, 1]
    raw_quality: float                       # Q
    chip: np.ndarray                         # aligned uint8 RGB chip
    chip_plq: np.ndarray                     # P on the chip, float32 in [0, 1]
    plq_map: np.ndarray                      # P in photo coordinates, NaN outside the analysed area
    alignment: al.Alignment
    hints: list = field(default_factory=list)
    # Filled with the hints (68 landmarks only): the face regions and their PLQ statistics.
    regions: object | None = None                            # core.face.regions.FaceRegions
    region_stats: dict = field(default_factory=dict)         # region -> RegionStats or None
    # Filled by core.plq.amva.attach_amva (--explain amva): deviation from the high-quality reference.
    amva: object | None = None                               # core.plq.amva.FaceAmva
    amva_map: np.ndarray | None = None                       # its deviation in photo coordinates, NaN off the chip


@dataclass
class ImageResult:
    width: int
    height: int
    model: str
    estimator: str
    faces: list[FaceResult]
    path: str | None = None

    @cached_property
    def plq_map(self) -> np.ndarray:
        """All faces' maps in one photo-sized array (NaN where no face was analysed).

        Built on first use (the report, the overlay and the difference view all
        read it), so ``faces`` must be complete by then, as ``analyze`` ensures.
        """
        combined = np.full((self.height, self.width), np.nan, dtype=np.float32)
        for face in self.faces:
            combined = np.fmax(combined, face.plq_map)
        return combined

    @property
    def amva_map(self) -> np.ndarray | None:
        """All faces' AMVA deviations in one photo-sized array, or None before ``attach_amva``."""
        maps = [f.amva_map for f in self.faces if f.amva_map is not None]
        if not maps:
            return None
        combined = np.full((self.height, self.width), np.nan, dtype=np.float32)
        for m in maps:
            combined = np.fmax(combined, m)
        return combined


# alignment name (ModelSpec.alignment) -> (detection, chip size) -> Alignment
ALIGNERS: dict[str, Callable[[Detection, tuple[int, int]], al.Alignment]] = {
    "dlib-chip": lambda det, size: al.dlib_chip_alignment(det.landmarks5, size=size[0], padding=0.25),
    "arcface-5pt": lambda det, size: al.template_alignment(
        al.arcface_points_from_detection(det), al.ARCFACE_TEMPLATE_112 * (size[1] / 112.0), size),
}


def align_faces(image: np.ndarray, detections: list[Detection], model: FaceModel) -> list[al.Alignment]:
    aligner = ALIGNERS[model.alignment]
    return [aligner(det, model.chip_size) for det in detections]


def analyze(image: np.ndarray, model: FaceModel, detector: FaceDetector | None = None,
            estimator: str | None = None, seed: int | None = 0, max_faces: int | None = None,
            path: str | None = None, thresholds=None, map_from: str = "node") -> ImageResult:
    """Detect every face (largest first), align, and compute quality and PLQ maps in one batch."""
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError("analyze() takes an H x W x 3 uint8 RGB image; use imageio.to_rgb_uint8 first")
    detections = (detector or default_detector()).detect(image)
    if max_faces is not None:
        detections = detections[:max_faces]
    height, width = image.shape[:2]
    result = ImageResult(width=width, height=height, model=model.name,
                         estimator=estimator or model.default_estimator, faces=[], path=path)
    if not detections:
        return result
    alignments = align_faces(image, detections, model)
    chips = np.stack([a.warp(image) for a in alignments])
    plq = model.plq(chips, estimator=estimator, seed=seed, map_from=map_from)
    for i, (det, a) in enumerate(zip(detections, alignments)):
        result.faces.append(FaceResult(
            box=tuple(float(v) for v in det.box),
            score=det.score,
            landmarks=det.landmarks68 if det.landmarks68 is not None else det.landmarks5,
            landmarks5=det.landmarks5,
            quality=float(plq.quality[i]),
            raw_quality=float(plq.raw_quality[i]),
            chip=chips[i],
            chip_plq=plq.maps[i],
            plq_map=a.to_image(plq.maps[i], image.shape),
            alignment=a,
        ))
    attach_hints(result, image, model, thresholds=thresholds)
    return result
