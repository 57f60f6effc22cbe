"""Photo in, per-face quality and pixel-level quality maps out."""

from __future__ import annotations

from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import numpy as np

from plq_desktop.core.face import alignment as al
from plq_desktop.core.face.detection import Detection, FaceDetector
from plq_desktop.core.face.detectors import default_detector
from plq_desktop.core.icao.hints import PendingHints
from plq_desktop.core.plq import display
from plq_desktop.core.plq.amva import grid_to_chip
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
    chip_plq: np.ndarray                     # readable P on the chip (core.plq.display), float32 in [0, 1]
    chip_gradient: np.ndarray                # S_hat on the chip (Eq. 5): the checks' input, gamma-free
    image_size: tuple[int, int]              # the photo's (height, width)
    alignment: al.Alignment
    hints: list = field(default_factory=list)
    # Filled with the hints (68 landmarks only): the face regions and their PLQ statistics.
    regions: object | None = None                            # core.face.regions.FaceRegions
    region_stats: dict = field(default_factory=dict)         # region -> RegionStats or None
    chip_plq_raw: np.ndarray | None = None   # the paper's per-pixel P on the chip (Eq. 6, unsmoothed)
    checks: list = field(default_factory=list)               # every CheckResult, passed ones too
    # Filled by core.plq.amva.attach_amva (--explain amva): deviation from the high-quality reference.
    amva: object | None = None                               # core.plq.amva.FaceAmva
    amva_map: np.ndarray | None = None                       # its deviation in photo coordinates, NaN off the chip
    # AMVA's activation on the chip from the PLQ forward pass (None: the network has no spatial layer), and,
    # with the hints, each region's mean z against the model's AMVA reference of high-quality faces.
    activation: np.ndarray | None = None
    activation_stats: dict = field(default_factory=dict)     # region -> RegionStats of the z map, or None

    @cached_property
    def plq_map(self) -> np.ndarray:
        """The readable P in photo coordinates, NaN outside the analysed area; warped on first use (the
        live view draws its overlay from the chip, ``live.overlay.face_overlay``, and never needs it)."""
        return self.alignment.to_image(self.chip_plq, self.image_size)

    @cached_property
    def raw_plq_map(self) -> np.ndarray:
        """``chip_plq_raw`` in photo coordinates, warped only when the raw map is shown."""
        if self.chip_plq_raw is None:
            return self.plq_map
        return self.alignment.to_image(self.chip_plq_raw, self.image_size)


def _combined(height: int, width: int, maps) -> np.ndarray:
    """Per-face photo maps in one array: NaN where no face was analysed, the higher value where faces overlap."""
    combined = np.full((height, width), np.nan, dtype=np.float32)
    for m in maps:
        combined = np.fmax(combined, m)
    return combined


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
        return _combined(self.height, self.width, (face.plq_map for face in self.faces))

    @cached_property
    def raw_plq_map(self) -> np.ndarray:
        """Like ``plq_map`` with the raw per-pixel maps (the paper's Eq. 6 without smoothing)."""
        return _combined(self.height, self.width, (face.raw_plq_map for face in self.faces))

    @property
    def amva_map(self) -> np.ndarray | None:
        """All faces' AMVA deviations in one photo-sized array, or None before ``attach_amva``."""
        maps = [f.amva_map for f in self.faces if f.amva_map is not None]
        return _combined(self.height, self.width, maps) if maps else None

    def map(self, raw: bool = False) -> np.ndarray:
        return self.raw_plq_map if raw else self.plq_map


# alignment name (ModelSpec.alignment) -> (detection, chip size) -> Alignment
ALIGNERS: dict[str, Callable[[Detection, tuple[int, int]], al.Alignment]] = {
    "dlib-chip": lambda det, size: al.dlib_chip_alignment(det.landmarks5, size=size[0], padding=0.25),
    "arcface-5pt": lambda det, size: al.template_alignment(
        al.arcface_points_from_detection(det), al.ARCFACE_TEMPLATE_112 * (size[1] / 112.0), size),
}


def align_faces(image: np.ndarray, detections: list[Detection], model: FaceModel) -> list[al.Alignment]:
    aligner = ALIGNERS[model.alignment]
    return [aligner(det, model.chip_size) for det in detections]


@dataclass(frozen=True)
class FoundFace:
    """A face found and aligned, before the network: what ``FaceResult`` and the photo checks take from it."""

    box: tuple[float, float, float, float]
    score: float
    landmarks: np.ndarray                    # 68 x 2 when available, else 5 x 2
    landmarks5: np.ndarray
    alignment: al.Alignment | None = None    # the model's chip (the photo checks do not need it)

    @classmethod
    def of(cls, detection: Detection, alignment: al.Alignment | None = None) -> FoundFace:
        landmarks = detection.landmarks68 if detection.landmarks68 is not None else detection.landmarks5
        return cls(tuple(float(v) for v in detection.box), detection.score, landmarks, detection.landmarks5,
                   alignment)


@dataclass
class Prepared:
    """A photo detected and aligned, waiting for the model (``analyze`` in two steps, for batching)."""

    image: np.ndarray
    result: ImageResult                 # faces still empty
    detections: list[Detection]
    alignments: list[al.Alignment]
    chips: np.ndarray                   # N x h x w x 3 uint8 (N may be 0)

    @cached_property
    def found(self) -> list[FoundFace]:
        return [FoundFace.of(det, a) for det, a in zip(self.detections, self.alignments)]


def prepare(image: np.ndarray, model: FaceModel, detector: FaceDetector | None = None,
            estimator: str | None = None, max_faces: int | None = None, path: str | None = None) -> Prepared:
    """Detect every face (largest first) and align it; no network runs yet."""
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError("analyze() takes an H x W x 3 uint8 RGB image; use imageio.to_rgb_uint8 first")
    detections = (detector or default_detector()).detect(image)
    if max_faces is not None:
        detections = detections[:max_faces]
    height, width = image.shape[:2]
    result = ImageResult(width=width, height=height, model=model.name,
                         estimator=estimator or model.default_estimator, faces=[], path=path)
    alignments = align_faces(image, detections, model)
    chips = (np.stack([a.warp(image) for a in alignments]) if alignments
             else np.zeros((0, *model.chip_size, 3), np.uint8))
    return Prepared(image, result, detections, alignments, chips)


def pending_hints(prep: Prepared, model: FaceModel, thresholds=None, profile: dict | None = None,
                  amva_reference=None) -> PendingHints:
    """The hints of a prepared photo's faces, whose photo checks can run before the network (``begin``)."""
    return PendingHints(prep.image, prep.found, prep.result.estimator, model, profile, thresholds, amva_reference)


def finish(prep: Prepared, plq, model: FaceModel, thresholds=None, offset: int = 0,
           profile: dict | None = None, amva_reference=None, hints: PendingHints | None = None) -> ImageResult:
    """Fill the faces of a prepared photo from rows ``offset..`` of a (possibly larger) PLQ batch, then the hints.

    ``profile`` and ``amva_reference`` replace the model's shipped reference profile and AMVA reference
    for the hints. ``hints``: the photo's ``pending_hints``, begun earlier (then it sets those three).
    """
    result, image = prep.result, prep.image
    for i, (found, a) in enumerate(zip(prep.found, prep.alignments)):
        j = offset + i
        readable = display.pixel_quality(plq.gradients[j], model.calibration.gamma)
        readable[np.isnan(plq.maps[j])] = np.nan      # the chip's unread border: not analysed
        result.faces.append(FaceResult(
            box=found.box,
            score=found.score,
            landmarks=found.landmarks,
            landmarks5=found.landmarks5,
            quality=float(plq.quality[j]),
            raw_quality=float(plq.raw_quality[j]),
            chip=prep.chips[i],
            chip_plq=readable,
            chip_gradient=plq.gradients[j],
            image_size=image.shape[:2],
            alignment=a,
            chip_plq_raw=plq.maps[j],
            activation=None if plq.activations is None else grid_to_chip(plq.activations[j:j + 1], model.chip_size)[0],
        ))
    if result.faces:
        hints = hints or pending_hints(prep, model, thresholds, profile, amva_reference)
        hints.complete(result)
    return result


def analyze(image: np.ndarray, model: FaceModel, detector: FaceDetector | None = None,
            estimator: str | None = None, seed: int | None = 0, max_faces: int | None = None,
            path: str | None = None, thresholds=None, profile: dict | None = None,
            map_from: str = "node", view_rotation=None, amva_reference=None) -> ImageResult:
    """Detect every face (largest first), align, and compute quality and PLQ maps in one batch.

    ``map_from``: "node" (the paper's quality node) or "crfiqa" (the CR-FIQA output's own gradient).
    ``view_rotation``: live video only, see ``FaceModel.plq``.
    """
    return begin_analysis(image, model, detector, estimator, seed, max_faces, path, thresholds, profile,
                          map_from, view_rotation, amva_reference)()


def begin_analysis(image: np.ndarray, model: FaceModel, detector: FaceDetector | None = None,
                   estimator: str | None = None, seed: int | None = 0, max_faces: int | None = None,
                   path: str | None = None, thresholds=None, profile: dict | None = None,
                   map_from: str = "node", view_rotation=None, amva_reference=None,
                   defer_estimator: bool = False, beside_network: Executor | None = None,
                   photo_checks: Future | None = None) -> Callable[[], ImageResult]:
    """``analyze`` in two steps: detection, alignment and the network now; the returned function
    builds the maps and runs the checks (``analyze(...)`` is ``begin_analysis(...)()``).

    The live view runs the second step on another thread while the next frame goes through the network.
    The checks that read only the photo and the landmarks come from ``photo_checks`` (a future of
    ``icao.hints.photo_checks`` on the faces ``detector`` finds, after ``max_faces``, with ``thresholds``:
    the live detector's process computes them), or run on the executor ``beside_network`` during the
    forward pass, or in the second step. ``defer_estimator`` (the paper's node only): the estimator's extra views move
    to the second step too, or onto ``beside_network`` during the backward pass (``FaceModel.plq_deferred``:
    the same quality, maps equal up to float rounding).
    """
    prep = prepare(image, model, detector, estimator, max_faces, path)
    if not prep.detections:
        return lambda: prep.result
    hints = pending_hints(prep, model, thresholds, profile, amva_reference)
    if photo_checks is not None:
        hints.use(photo_checks)
    elif beside_network is not None:
        hints.begin(beside_network)
    if defer_estimator and map_from == "node":
        plq_later = model.plq_deferred(prep.chips, estimator=estimator, seed=seed, view_rotation=view_rotation,
                                       views_on=beside_network)
        return lambda: finish(prep, plq_later(), model, hints=hints)
    plq = model.plq(prep.chips, estimator=estimator, seed=seed, map_from=map_from, view_rotation=view_rotation)
    return lambda: finish(prep, plq, model, hints=hints)
