"""ICAO-style checks on one analysed face: native value, threshold, passed / failed / not assessed.

Two kinds of evidence meet here. Measured properties say *what* is wrong
(pose from the landmarks, exposure and colour from the pixels); the PLQ map
says *where* recognition utility is lost (a region far below the same region
on good, compliant faces: the model's reference profile). Each check names
the region it concerns, so a hint can be drawn where the problem is.

Pixel measures run on an "analysis canvas": the photo resampled so that the
inter-eye distance is ANALYSIS_IED pixels, with the eye line horizontal, so
that a value such as the background gradient means the same for a phone
selfie and a 24-megapixel studio portrait. Sharpness uses a canvas that is
never enlarged, so that it measures focus, not the photo's resolution (the
inter-eye distance check covers that).

Left and right are the subject's own (ISO/IEC 19794-5); see ``regions``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import cv2
import numpy as np

from plq_desktop.core.face.alignment import Alignment
from plq_desktop.core.face.regions import (
    FACE_REGIONS,
    ChipLayout,
    FaceRegions,
    RegionStats,
    chip_layout,
    face_regions,
    region_plq_stats,
)
from plq_desktop.core.icao import texts as texts
from plq_desktop.core.icao.pose import head_pose
from plq_desktop.core.icao.thresholds import Thresholds
from plq_desktop.core.plq.amva import activation_z
from plq_desktop.core.plq.display import pixel_quality

PASSED, FAILED, NOT_ASSESSED = "passed", "failed", "not_assessed"
BLOCKING, WARNING = "blocking", "warning"

ANALYSIS_IED = 64.0                  # canvas pixels between the eye centres
_CANVAS_HALF_WIDTH = 2.5             # canvas extent around the eyes' midpoint, in inter-eye distances
_CANVAS_ABOVE, _CANVAS_BELOW = 2.4, 3.0
# Skin colour: (r, g) chromaticity within this distance of the cheeks' median; darker
# pixels have too noisy a colour to tell.
_SKIN_TOLERANCE = 0.04
# Skin is redder than green: r - g is 0.057-0.18 on the sample faces' cheeks (0.014 on a pale, bright
# forehead); a light-blue mask's is 0.054 below.
_SKIN_MIN_RED_OVER_GREEN = 0.01

_MIN_SKIN_LUMA = 20.0


def _skin_toned(chromaticity: np.ndarray) -> bool:
    return bool(chromaticity[0] - chromaticity[1] >= _SKIN_MIN_RED_OVER_GREEN)


@dataclass(frozen=True)
class CheckResult:
    """One check on one face. ``value`` is the native measure (None when not assessed)."""

    name: str
    region: str
    status: str
    value: float | None = None
    threshold: float | tuple[float, float] | None = None
    unit: str = ""
    severity: str | None = None          # BLOCKING or WARNING when failed
    variant: str | None = None           # which failure sentence (e.g. "left" / "right")
    reason: str | None = None            # why it could not be assessed (English, from texts.REASONS)
    details: dict = field(default_factory=dict)   # extra numbers for the sentence and the report
    reason_key: str | None = None        # texts.REASONS key of ``reason``, to write it in another language
    reason_fields: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "check": self.name, "region": self.region, "status": self.status,
            "value": rounded(self.value), "threshold": rounded(self.threshold), "unit": self.unit,
            "severity": self.severity, "reason": self.reason,
            "details": {k: rounded(v) for k, v in self.details.items()},
        }


def rounded(v):
    """A value made JSON-ready: floats to 4 decimals, tuples to lists."""
    if isinstance(v, (tuple, list)):
        return [rounded(x) for x in v]
    if isinstance(v, (float, np.floating)):
        return round(float(v), 4)
    if isinstance(v, np.integer):
        return int(v)
    return v


def not_assessed(name: str, region: str, reason_key: str, **fields) -> CheckResult:
    return CheckResult(name, region, NOT_ASSESSED, reason=texts.reason(reason_key, "en", **fields),
                       reason_key=reason_key, reason_fields=fields)


def at_least(name, region, value, minimum, severity=BLOCKING, unit="", **kw) -> CheckResult:
    ok = value >= minimum
    return CheckResult(name, region, PASSED if ok else FAILED, float(value), minimum, unit,
                       None if ok else severity, **kw)


def at_most(name, region, value, maximum, severity=BLOCKING, unit="", **kw) -> CheckResult:
    ok = value <= maximum
    return CheckResult(name, region, PASSED if ok else FAILED, float(value), maximum, unit,
                       None if ok else severity, **kw)


def within(name, region, value, bounds, severity=BLOCKING, unit="", low="low", high="high", **kw) -> CheckResult:
    lo, hi = bounds
    variant = low if value < lo else high if value > hi else None
    return CheckResult(name, region, FAILED if variant else PASSED, float(value), tuple(bounds), unit,
                       severity if variant else None, variant=variant, **kw)


# -- what a check may ask about a face (computed once, on demand) -----------------------------

class FaceContext:
    """Everything the checks share for one face of an analysed photo.

    ``result`` has the photo's ``faces`` and its ``estimator``. Before the
    network has run they may be faces found and aligned only (``FoundFace``):
    the photo checks read no more. ``analysed`` then points the context at the
    analysed face, keeping what was computed from the photo and the landmarks.
    """

    def __init__(self, result, index: int, image: np.ndarray, model, thresholds: Thresholds,
                 profile: dict | None, amva_reference=None):
        self.result = result
        self.index = index
        self.face = result.faces[index]
        self.image = image
        self.model = model
        self.thresholds = thresholds
        self.profile = profile
        self.amva_reference = amva_reference     # core.plq.amva.AmvaReference, or None

    def analysed(self, result) -> None:
        """The same face, now with its maps (``result``'s face ``index``: same landmarks and alignment)."""
        self.result, self.face = result, result.faces[self.index]

    @property
    def has_68(self) -> bool:
        return self.face.landmarks.shape[0] == 68

    @cached_property
    def regions(self) -> FaceRegions | None:
        return face_regions(self.face.landmarks, self.image.shape) if self.has_68 else None

    @cached_property
    def eye_centres(self) -> tuple[np.ndarray, np.ndarray]:
        """(subject's right eye, subject's left eye) in photo pixels, from 68 or 5 landmarks."""
        if self.regions is not None:
            return self.regions.frame.right_eye, self.regions.frame.left_eye
        p = self.face.landmarks5.astype(np.float64)
        return (p[2] + p[3]) / 2, (p[0] + p[1]) / 2

    # -- the canvas ------------------------------------------------------------
    def _canvas(self, ied: float) -> Alignment:
        """The photo turned upright around the face, scaled to ``ied`` pixels between the eyes."""
        frame = self.regions.frame
        w = int(round(2 * _CANVAS_HALF_WIDTH * ied))
        h = int(round((_CANVAS_ABOVE + _CANVAS_BELOW) * ied))
        linear = ied / frame.ied * np.array([frame.across, frame.down])     # photo axes -> face axes
        offset = np.array([w / 2, _CANVAS_ABOVE * ied]) - linear @ frame.eye_mid
        return Alignment(np.column_stack([linear, offset]), (h, w))

    @cached_property
    def canvas(self) -> Alignment:
        return self._canvas(ANALYSIS_IED)

    @cached_property
    def native_canvas(self) -> Alignment:
        """Like ``canvas`` but never enlarged: focus blur, not the photo's resolution, decides sharpness."""
        if self.regions.frame.ied >= ANALYSIS_IED:
            return self.canvas
        return self._canvas(self.regions.frame.ied)

    @cached_property
    def canvas_rgb(self) -> np.ndarray:
        return self.canvas.warp(self.image)

    @cached_property
    def masks(self) -> dict[str, np.ndarray]:
        masks = self.regions.masks(self.canvas.matrix, self.canvas.chip_size)
        masks["face"] = np.logical_or.reduce([masks[r] for r in FACE_REGIONS])
        return masks

    @cached_property
    def luma(self) -> np.ndarray:
        """BT.601 luminance, 0..255 float32."""
        return cv2.cvtColor(self.canvas_rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)

    @cached_property
    def lab(self) -> np.ndarray:
        return cv2.cvtColor(self.canvas_rgb.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)

    @cached_property
    def chromaticity(self) -> np.ndarray:
        """(r, g) = (R, G) / (R + G + B): unchanged when the light gets brighter or darker."""
        rgb = self.canvas_rgb
        # R + G + B of 8-bit values is an exact integer in float32 whatever the order: summed channel by
        # channel, a quarter of the time of sum(axis=2) (every live frame runs this).
        total = rgb[..., 0].astype(np.float32) + rgb[..., 1] + rgb[..., 2]
        return rgb[..., :2].astype(np.float32) / np.maximum(total, 1.0)[..., None]

    @cached_property
    def skin_tint(self) -> float | None:
        """How far the cheeks' median colour is from grey: |r - 1/3| + |g - 1/3| (None: no cheeks)."""
        cheeks = self.masks["right_cheek"] | self.masks["left_cheek"]
        if not cheeks.any():
            return None
        median = np.median(self.chromaticity[cheeks], axis=0)
        return float(abs(median[0] - 1 / 3) + abs(median[1] - 1 / 3))

    @property
    def colourless(self) -> bool:
        return self.skin_tint is not None and self.skin_tint < self.thresholds.min_skin_tint

    @cached_property
    def skin_chromaticity(self) -> np.ndarray | None:
        """Median (r, g) of the cheeks, or None without cheeks or in a colourless photo.

        Skin of every tone is redder than it is green. When the cheeks are not
        (a mask or a scarf covers them) and the forehead or the nose is, the
        skin's colour comes from there: otherwise the cover would be taken for
        skin and the mouth under a mask would "show skin".
        """
        if self.skin_tint is None or self.colourless:
            return None
        cheeks = self.masks["right_cheek"] | self.masks["left_cheek"]
        median = np.median(self.chromaticity[cheeks], axis=0)
        if _skin_toned(median):
            return median
        for region in ("forehead", "nose"):
            lit = self.masks[region] & (self.luma >= _MIN_SKIN_LUMA)
            if lit.sum() >= 0.02 * ANALYSIS_IED ** 2:
                other = np.median(self.chromaticity[lit], axis=0)
                if _skin_toned(other):
                    return other
        return median

    @cached_property
    def skin(self) -> np.ndarray:
        """Pixels whose colour is close to the cheeks' (all pixels in a greyscale photo).

        Lips are redder than skin: a pixel may exceed the skin's r by any amount.
        """
        lit = self.luma >= _MIN_SKIN_LUMA
        if self.skin_chromaticity is None:
            return lit
        d = self.chromaticity - self.skin_chromaticity
        return lit & (np.abs(d[..., 1]) <= _SKIN_TOLERANCE) & (d[..., 0] >= -_SKIN_TOLERANCE)

    def eye_opening(self, region: str) -> np.ndarray:
        """The eye itself (its six landmarks' outline, widened by half), without brow and lids."""
        eye = slice(36, 42) if region == "right_eye" else slice(42, 48)
        points = self.canvas.points_to_chip(self.face.landmarks[eye].astype(np.float64))
        centre = points.mean(axis=0)
        outline = centre + 1.5 * (points - centre)
        mask = np.zeros(self.canvas.chip_size, np.uint8)
        cv2.fillPoly(mask, [np.round(outline * 16).astype(np.int32)], 1, shift=4)
        return mask.astype(bool) & self.masks[region]

    @cached_property
    def skin_luma(self) -> float | None:
        """Median luminance of both cheeks: the reference for contrast measures (None: no cheeks)."""
        cheeks = self.masks["right_cheek"] | self.masks["left_cheek"]
        return float(np.median(self.luma[cheeks])) if cheeks.any() else None

    # -- pose --------------------------------------------------------------------
    @cached_property
    def pose(self) -> tuple[float, float] | None:
        """(yaw, pitch) in degrees from a PnP fit, or None when the fit fails."""
        return head_pose(self.face.landmarks, self.image.shape)

    # -- the PLQ map -------------------------------------------------------------
    @cached_property
    def plq_stats(self) -> dict[str, RegionStats | None]:
        """Region statistics of the raw map with the model's calibrated gamma.

        Computed from S_hat, never from the map on screen: the display's gamma
        and smoothing change colours only, never a check.
        """
        return region_plq_stats(self.check_map, self.face.alignment.matrix, self.regions, self.chip_layout)

    @cached_property
    def chip_layout(self) -> ChipLayout:
        """The regions on the chip, shared by the map's and the activation's statistics."""
        return chip_layout(self.face.alignment.matrix, self.face.chip_gradient.shape, self.regions)

    @cached_property
    def activation_stats(self) -> dict[str, RegionStats | None] | None:
        """Region means of AMVA's activation z against the reference of high-quality faces (None without one).

        The network's layer responds less where something covers the face: a region's mean z far below
        0 is occlusion evidence that the PLQ map's gradient does not give (docs/where-to-fix.md).
        """
        ref, activation = self.amva_reference, self.face.activation
        if ref is None or activation is None or self.regions is None or ref.mean.shape != activation.shape:
            return None
        return region_plq_stats(activation_z(activation, ref), self.face.alignment.matrix, self.regions,
                                self.chip_layout)

    @cached_property
    def check_map(self) -> np.ndarray:
        p = pixel_quality(self.face.chip_gradient, self.model.calibration.gamma, raw=True)
        if self.face.chip_plq_raw is not None:
            p[np.isnan(self.face.chip_plq_raw)] = np.nan      # the chip's unread border, as in the profile
        return p


# -- the checks ------------------------------------------------------------------------------

Check = Callable[[FaceContext], list[CheckResult]]
LANDMARKS68 = "no_landmarks68"


def two_level(name: str, region: str, value: float, warn: float, block: float, unit: str,
               positive: str, negative: str) -> CheckResult:
    """|value| beyond ``warn``: a warning; beyond ``block``: blocking. The sign picks the sentence."""
    variant = positive if value > 0 else negative
    if abs(value) > block:
        return CheckResult(name, region, FAILED, value, block, unit, BLOCKING, variant)
    if abs(value) > warn:
        return CheckResult(name, region, FAILED, value, warn, unit, WARNING, variant)
    return CheckResult(name, region, PASSED, value, warn, unit)
