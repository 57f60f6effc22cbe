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

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import cv2
import numpy as np

from . import hint_texts as texts
from .alignment import Alignment
from .regions import FACE_REGIONS, FaceRegions, RegionStats, face_regions, region_plq_stats
from .thresholds import Thresholds

PASSED, FAILED, NOT_ASSESSED = "passed", "failed", "not_assessed"
BLOCKING, WARNING = "blocking", "warning"

ANALYSIS_IED = 64.0                  # canvas pixels between the eye centres
_CANVAS_HALF_WIDTH = 2.5             # canvas extent around the eyes' midpoint, in inter-eye distances
_CANVAS_ABOVE, _CANVAS_BELOW = 2.4, 3.0
# Skin colour: (r, g) chromaticity within this distance of the cheeks' median; darker
# pixels have too noisy a colour to tell.
_SKIN_TOLERANCE = 0.04
_MIN_SKIN_LUMA = 20.0
# Glare: brightest channel at least this level, darkest channel at least this share of it.
_GLARE_LEVEL = 235
_GLARE_MIN_DARKEST_SHARE = 0.85
# The background check needs at least this much background, relative to the face's area.
_MIN_BACKGROUND_SHARE = 0.15


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
    reason: str | None = None            # why it could not be assessed (English, from hint_texts)
    details: dict = field(default_factory=dict)   # extra numbers for the sentence and the report

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
    return CheckResult(name, region, NOT_ASSESSED, reason=texts.reason(reason_key, **fields))


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
    """Everything the checks share for one face of an analysed photo."""

    def __init__(self, result, index: int, image: np.ndarray, model, thresholds: Thresholds,
                 profile: dict | None):
        self.result = result
        self.index = index
        self.face = result.faces[index]
        self.image = image
        self.model = model
        self.thresholds = thresholds
        self.profile = profile

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
        return self._canvas(min(ANALYSIS_IED, self.regions.frame.ied))

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
        rgb = self.canvas_rgb.astype(np.float32)
        return rgb[..., :2] / np.maximum(rgb.sum(axis=2, keepdims=True), 1.0)

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
        """Median (r, g) of the cheeks, or None without cheeks or in a colourless photo."""
        if self.skin_tint is None or self.colourless:
            return None
        cheeks = self.masks["right_cheek"] | self.masks["left_cheek"]
        return np.median(self.chromaticity[cheeks], axis=0)

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
        return region_plq_stats(self.face.chip_plq, self.face.alignment.matrix, self.regions)


# -- head pose -------------------------------------------------------------------------------

# A generic head (millimetres; x to the subject's left, y down, z away from the camera, nose
# tip at depth 0). x and y of the eye, nose and mouth points are dlib's mean frontal face
# (mean_face_shape in dlib/image_transforms/interpolation.h) scaled to a 63 mm distance
# between the eye centres, so an average frontal face fits with yaw = pitch = 0; the depths
# and the chin follow adult anthropometric averages (Farkas). Landmark index -> (x, y, z).
_HEAD_MODEL = {
    27: (0.0, -1.5, 20.0),       # nasion, between the eyes
    30: (0.0, 35.6, 0.0),        # nose tip
    33: (0.0, 49.0, 16.0),       # below the nose
    36: (-43.8, 0.0, 44.0),      # outer corner of the subject's right eye
    39: (-18.5, 1.8, 33.0),      # inner corners
    42: (18.5, 1.8, 33.0),
    45: (43.8, 0.0, 44.0),
    48: (-28.1, 67.1, 33.0),     # mouth corners
    54: (28.1, 67.1, 33.0),
    51: (0.0, 62.6, 15.0),       # upper lip
    57: (0.0, 82.5, 19.0),       # lower lip
    8: (0.0, 110.0, 30.0),       # chin: 1.74 eye distances below the eyes (dlib point 8)
}
_MODEL_EYE_DISTANCE_MM = 63.0
# The generic head reads frontal portraits as chin-up: -5.0 degrees on average over
# grace_hopper and astronaut, full photos and ICAO crops, each also mirrored (spread
# -8.5 .. -1.2). Subtracted, so that a frontal portrait reads about 0.
_PITCH_BIAS_DEG = -5.0


def head_pose(landmarks68: np.ndarray, image_shape: tuple[int, ...]) -> tuple[float, float] | None:
    """(yaw, pitch) in degrees of the face relative to the line of sight from the camera.

    yaw > 0: the face turns towards the subject's left (the image's right);
    pitch > 0: the chin goes down. The camera is guessed: focal length = the
    longer image side (a normal lens), principal point at the image centre.
    """
    idx = list(_HEAD_MODEL)
    model = np.array([_HEAD_MODEL[i] for i in idx], dtype=np.float64)
    points = np.asarray(landmarks68, dtype=np.float64)[idx]
    h, w = image_shape[:2]
    f = float(max(h, w))
    camera = np.array([[f, 0, (w - 1) / 2], [0, f, (h - 1) / 2], [0, 0, 1]])
    # Start from a frontal head at the distance its eye spacing implies: without a start the
    # solver may settle on the mirror solution behind the camera.
    right_eye = np.asarray(landmarks68, dtype=np.float64)[36:42].mean(axis=0)
    left_eye = np.asarray(landmarks68, dtype=np.float64)[42:48].mean(axis=0)
    distance = f * _MODEL_EYE_DISTANCE_MM / max(float(np.linalg.norm(left_eye - right_eye)), 1e-6)
    offset = ((right_eye + left_eye) / 2 - camera[:2, 2]) * distance / f
    rvec = np.zeros((3, 1))
    tvec = np.array([[offset[0]], [offset[1]], [distance]])
    ok, rvec, tvec = cv2.solvePnP(model, points, camera, None, rvec, tvec, useExtrinsicGuess=True,
                                  flags=cv2.SOLVEPNP_ITERATIVE)
    if not ok or tvec[2, 0] <= 0:
        return None
    rotation, _ = cv2.Rodrigues(rvec)
    facing = -rotation[:, 2]                 # out of the face, towards the camera when frontal
    to_camera = -tvec[:, 0] / np.linalg.norm(tvec)
    yaw = math.degrees(math.atan2(facing[0], -facing[2]) - math.atan2(to_camera[0], -to_camera[2]))
    pitch = math.degrees(math.atan2(facing[1], -facing[2]) - math.atan2(to_camera[1], -to_camera[2]))
    return yaw, pitch - _PITCH_BIAS_DEG


def roll_degrees(right_eye: np.ndarray, left_eye: np.ndarray) -> float:
    """Angle of the eye line; > 0 when the head leans towards the subject's left shoulder."""
    d = left_eye - right_eye
    return math.degrees(math.atan2(d[1], d[0]))


# -- the checks ------------------------------------------------------------------------------

Check = Callable[[FaceContext], list[CheckResult]]
LANDMARKS68 = "no_landmarks68"


def check_single_face(ctx: FaceContext) -> list[CheckResult]:
    """OFIQ's measure: area of the second face / area of the first.

    For each face: the largest other face's box area over the larger of the
    two, so the main face reads second / first and a background face reads 1.
    """
    others = [f for i, f in enumerate(ctx.result.faces) if i != ctx.index]
    area = _box_area(ctx.face.box)
    if not others:
        return [CheckResult("single_face", "image", PASSED, 0.0, ctx.thresholds.single_face_max_area_ratio)]
    other = max(others, key=lambda f: _box_area(f.box))
    ratio = _box_area(other.box) / max(area, _box_area(other.box))
    return [at_most("single_face", "other_face", ratio, ctx.thresholds.single_face_max_area_ratio,
                    details={"faces": len(ctx.result.faces), "other_box": [float(v) for v in other.box]})]


def _box_area(box) -> float:
    x0, y0, x1, y1 = box
    return max(0.0, x1 - x0) * max(0.0, y1 - y0)


def check_pose(ctx: FaceContext) -> list[CheckResult]:
    t = ctx.thresholds
    right_eye, left_eye = ctx.eye_centres
    roll = roll_degrees(right_eye, left_eye)
    roll_result = _two_level("roll", "head", roll, t.roll_warn_deg, t.roll_max_deg, "deg", "left", "right")
    if not ctx.has_68:
        return [not_assessed("yaw", "head", LANDMARKS68), not_assessed("pitch", "head", LANDMARKS68), roll_result]
    if ctx.pose is None:
        return [not_assessed("yaw", "head", "pose_fit"), not_assessed("pitch", "head", "pose_fit"), roll_result]
    yaw, pitch = ctx.pose
    return [
        _two_level("yaw", "head", yaw, t.yaw_warn_deg, t.yaw_max_deg, "deg", "left", "right"),
        _two_level("pitch", "head", pitch, t.pitch_warn_deg, t.pitch_max_deg, "deg", "down", "up"),
        roll_result,
    ]


def _two_level(name: str, region: str, value: float, warn: float, block: float, unit: str,
               positive: str, negative: str) -> CheckResult:
    """|value| beyond ``warn``: a warning; beyond ``block``: blocking. The sign picks the sentence."""
    variant = positive if value > 0 else negative
    if abs(value) > block:
        return CheckResult(name, region, FAILED, value, block, unit, BLOCKING, variant)
    if abs(value) > warn:
        return CheckResult(name, region, FAILED, value, warn, unit, WARNING, variant)
    return CheckResult(name, region, PASSED, value, warn, unit)


def check_inter_eye_distance(ctx: FaceContext) -> list[CheckResult]:
    """OFIQ's native value: the eye distance in photo pixels / cos(yaw)."""
    right_eye, left_eye = ctx.eye_centres
    distance = float(np.linalg.norm(left_eye - right_eye))
    yaw = ctx.pose[0] if ctx.has_68 and ctx.pose is not None else 0.0
    # Beyond 60 degrees the correction would blow up a landmark error; the yaw check fails anyway.
    corrected = distance / math.cos(math.radians(min(abs(yaw), 60.0)))
    return [at_least("inter_eye_distance", "eyes" if ctx.has_68 else "face", corrected,
                     ctx.thresholds.min_inter_eye_px, unit="px")]


def check_geometry(ctx: FaceContext) -> list[CheckResult]:
    """Head size and position against the ICAO token crop: fixable by re-cropping, so warnings."""
    names = ("head_width", "head_height", "eye_line", "eye_centre")
    if not ctx.has_68:
        return [not_assessed(n, "head", LANDMARKS68) for n in names]
    t = ctx.thresholds
    frame = ctx.regions.frame
    h, w = ctx.image.shape[:2]
    p = frame.points
    head_width = float((p[16] - p[0]) @ frame.across) / w
    head_height = 2 * frame.eye_to_chin / h
    eye_line = (h - 0.5 - frame.eye_mid[1]) / h
    eye_centre = (frame.eye_mid[0] + 0.5) / w
    return [
        within("head_width", "head", head_width, t.head_width_range, WARNING, low="small", high="large"),
        within("head_height", "head", head_height, t.head_height_range, WARNING, low="small", high="large"),
        within("eye_line", "eyes", eye_line, t.eye_line_range, WARNING, low="low", high="high"),
        within("eye_centre", "eyes", eye_centre, t.eye_centre_range, WARNING, low="left", high="right"),
    ]


def eye_aspect_ratio(p: np.ndarray, eye: slice) -> float:
    """Soukupova and Cech (2016): (|p2-p6| + |p3-p5|) / (2 |p1-p4|) over one eye's six points."""
    e = p[eye].astype(np.float64)
    return float((np.linalg.norm(e[1] - e[5]) + np.linalg.norm(e[2] - e[4])) / (2 * np.linalg.norm(e[0] - e[3])))


def check_expression(ctx: FaceContext) -> list[CheckResult]:
    if not ctx.has_68:
        return [not_assessed(n, r, LANDMARKS68)
                for n, r in (("eye_open", "right_eye"), ("eye_open", "left_eye"), ("mouth_closed", "mouth"))]
    t = ctx.thresholds
    p = ctx.face.landmarks
    out = [at_least("eye_open", region, eye_aspect_ratio(p, eye), t.min_eye_aspect_ratio)
           for region, eye in (("right_eye", slice(36, 42)), ("left_eye", slice(42, 48)))]
    # Inner-lip gap (points 61-67, 62-66, 63-65) / T, OFIQ's native value.
    gap = float(np.mean([np.linalg.norm(p[a] - p[b]) for a, b in ((61, 67), (62, 66), (63, 65))]))
    opening = gap / ctx.regions.frame.eye_to_chin
    out.append(_two_level("mouth_closed", "mouth", opening, t.mouth_open_warn, t.mouth_open_max, "", None, None))
    return out


def sharpness(luma: np.ndarray, mask: np.ndarray, reference_luma: float) -> float:
    """Mean absolute Laplacian over the mask, per unit of skin luminance (x 100).

    Dividing by the skin luminance keeps a darker exposure from reading as blur.
    """
    laplacian = np.abs(cv2.Laplacian(luma, cv2.CV_32F, ksize=3))
    return 100.0 * float(laplacian[mask].mean()) / max(reference_luma, 1.0)


def check_sharpness(ctx: FaceContext) -> list[CheckResult]:
    if not ctx.has_68:
        return [not_assessed("sharpness", "face", LANDMARKS68)]
    canvas = ctx.native_canvas
    m = ctx.regions.masks(canvas.matrix, canvas.chip_size)
    inner = m["right_eye"] | m["left_eye"] | m["nose"] | m["mouth"]
    cheeks = m["right_cheek"] | m["left_cheek"]
    scale = canvas.chip_size[1] / ctx.canvas.chip_size[1]
    if inner.sum() < 0.5 * (scale * ANALYSIS_IED) ** 2 or not cheeks.any():
        return [not_assessed("sharpness", "face", "outside_photo")]
    luma = cv2.cvtColor(canvas.warp(ctx.image), cv2.COLOR_RGB2GRAY).astype(np.float32)
    value = sharpness(luma, inner, float(np.median(luma[cheeks])))
    return [at_least("sharpness", "face", value, ctx.thresholds.min_sharpness)]


def check_exposure(ctx: FaceContext) -> list[CheckResult]:
    names = ("under_exposure", "over_exposure", "dynamic_range")
    if not ctx.has_68:
        return [not_assessed(n, "face", LANDMARKS68) for n in names]
    m = ctx.masks
    # Skin zones only: a dark hat brim, glasses frames or brows are not an exposure fault.
    face = m["nose"] | m["mouth"] | m["chin"] | m["right_cheek"] | m["left_cheek"]
    if face.sum() < 0.5 * ANALYSIS_IED ** 2:
        return [not_assessed(n, "face", "outside_photo") for n in names]
    t = ctx.thresholds
    values = np.clip(np.round(ctx.luma[face]), 0, 255).astype(np.int64)
    histogram = np.bincount(values, minlength=256) / values.size
    nonzero = histogram[histogram > 0]
    entropy = float(-(nonzero * np.log2(nonzero)).sum())
    return [
        at_most("under_exposure", "face", float(histogram[:26].sum()), t.max_under_exposed_share),
        at_most("over_exposure", "face", float(histogram[247:].sum()), t.max_over_exposed_share),
        at_least("dynamic_range", "face", entropy, t.min_luminance_entropy_bits, WARNING, unit="bit"),
    ]


def check_illumination(ctx: FaceContext) -> list[CheckResult]:
    """Mean luminance of the darker zone / the brighter zone: cheeks, then forehead vs chin."""
    t = ctx.thresholds
    # (check, zone, zone, blocking below, warning below); top/bottom differences are
    # often a hairline or a beard, so that one only warns.
    pairs = (("illumination_left_right", "right_cheek", "left_cheek",
              t.min_left_right_ratio, t.left_right_warn_ratio),
             ("illumination_top_bottom", "forehead", "chin", t.min_top_bottom_ratio, None))
    if not ctx.has_68:
        return [not_assessed(n, "face", LANDMARKS68) for n, *_ in pairs]
    out = []
    for name, a, b, minimum, warn in pairs:
        severity = BLOCKING if warn is not None else WARNING
        skin = {r: ctx.masks[r] & ctx.skin for r in (a, b)}
        missing = [r for r in (a, b) if skin[r].sum() < 0.5 * ctx.masks[r].sum() or not skin[r].any()]
        if missing:
            out.append(not_assessed(name, missing[0], "skin_hidden", where=texts.region_label(missing[0])))
            continue
        means = {r: float(ctx.luma[skin[r]].mean()) for r in (a, b)}
        darker, brighter = sorted((a, b), key=means.get)
        ratio = means[darker] / max(means[brighter], 1e-6)
        details = {"darker": means[darker], "brighter": means[brighter]}
        if warn is not None and minimum <= ratio < warn:
            out.append(CheckResult(name, darker, FAILED, ratio, warn, "", WARNING, darker, details=details))
        else:
            out.append(at_least(name, darker, ratio, minimum, severity, variant=darker, details=details))
    return out


def check_colour(ctx: FaceContext) -> list[CheckResult]:
    """A colour photo (ICAO), then OFIQ's natural colour: mean CIELAB a* and b* of the cheeks."""
    names = ("colour_photo", "skin_colour_a", "skin_colour_b")
    if not ctx.has_68:
        return [not_assessed(n, "face", LANDMARKS68) for n in names]
    cheeks = ctx.masks["right_cheek"] | ctx.masks["left_cheek"]
    if cheeks.sum() < 0.1 * ANALYSIS_IED ** 2:
        return [not_assessed(n, "face", "outside_photo") for n in names]
    t = ctx.thresholds
    colour = at_least("colour_photo", "face", ctx.skin_tint, t.min_skin_tint, WARNING)
    if ctx.colourless:
        return [colour] + [not_assessed(n, "face", "colourless") for n in names[1:]]
    a, b = ctx.lab[..., 1][cheeks].mean(), ctx.lab[..., 2][cheeks].mean()
    return [colour,
        within("skin_colour_a", "face", float(a), t.skin_a_range, WARNING, low="green", high="red"),
        within("skin_colour_b", "face", float(b), t.skin_b_range, WARNING, low="blue", high="yellow"),
    ]


def check_background(ctx: FaceContext) -> list[CheckResult]:
    """Gradient magnitude over the background (canvas pixels); OFIQ takes the mean, we the median.

    Without a segmentation, a voluminous hairstyle reaches into the background
    strip, and its edges would dominate a mean; the median ignores them while
    they cover less than half of the strip. A flag or furniture behind the head
    still raises it.
    """
    if not ctx.has_68:
        return [not_assessed("background_uniformity", "background", LANDMARKS68)]
    background = ctx.masks["background"]
    if background.sum() < _MIN_BACKGROUND_SHARE * ctx.masks["face"].sum():
        return [not_assessed("background_uniformity", "background", "no_background")]
    gx = cv2.Sobel(ctx.luma, cv2.CV_32F, 1, 0, ksize=3) / 8
    gy = cv2.Sobel(ctx.luma, cv2.CV_32F, 0, 1, ksize=3) / 8
    # The mask's own edge (head outline, photo border) would count as texture: erode it first.
    inner = cv2.erode(background.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    gradient = float(np.median(np.hypot(gx, gy)[inner])) if inner.any() else 0.0
    return [at_most("background_uniformity", "background", gradient, ctx.thresholds.max_background_gradient,
                    WARNING)]


def check_eyes(ctx: FaceContext) -> list[CheckResult]:
    """Per eye: specular glare (near-white, colourless pixels) and visibility (contrast)."""
    if not ctx.has_68:
        return [not_assessed(n, r, LANDMARKS68) for r in ("right_eye", "left_eye") for n in ("glare", "eye_visible")]
    t = ctx.thresholds
    out = []
    for region in ("right_eye", "left_eye"):
        mask = ctx.masks[region]
        if mask.sum() < 0.05 * ANALYSIS_IED ** 2 or ctx.skin_luma is None:
            out += [not_assessed(n, region, "outside_photo") for n in ("glare", "eye_visible")]
            continue
        pixels = ctx.canvas_rgb[mask]
        brightest, darkest = pixels.max(axis=1).astype(np.float32), pixels.min(axis=1).astype(np.float32)
        # Near-white and colourless: a reflection of the light source, not a white of the eye in shadow.
        glare = (brightest >= _GLARE_LEVEL) & (darkest >= _GLARE_MIN_DARKEST_SHARE * brightest)
        out.append(at_most("glare", region, float(glare.mean()), t.max_eye_glare_share))
        contrast = float(ctx.luma[ctx.eye_opening(region)].std()) / max(ctx.skin_luma, 1.0)
        out.append(at_least("eye_visible", region, contrast, t.min_eye_contrast))
    return out


def check_mouth_visible(ctx: FaceContext) -> list[CheckResult]:
    """Share of the mouth region in skin or lip colour: a mask, a scarf or a patch has neither.

    Needs a colour photo: in a greyscale one every pixel would pass.
    """
    if not ctx.has_68:
        return [not_assessed("mouth_visible", "mouth", LANDMARKS68)]
    mask = ctx.masks["mouth"]
    if mask.sum() < 0.05 * ANALYSIS_IED ** 2:
        return [not_assessed("mouth_visible", "mouth", "outside_photo")]
    if ctx.skin_chromaticity is None:
        return [not_assessed("mouth_visible", "mouth", "colourless" if ctx.colourless else "outside_photo")]
    skin_like = float(ctx.skin[mask].mean())
    return [at_least("mouth_visible", "mouth", skin_like, ctx.thresholds.min_mouth_skin_share)]


def check_occlusion(ctx: FaceContext) -> list[CheckResult]:
    """The PLQ map per region against the model's reference profile of compliant faces.

    The map's overall level follows the image quality, so each region is
    compared relative to the whole face: z = (log(region mean / face mean) -
    reference mean) / reference spread. A far negative z means the region
    contributes much less to recognition than it does on good faces.
    """
    problem = profile_problem(ctx.profile, ctx.model, ctx.result.estimator)
    if problem:
        return [not_assessed("occlusion", "face", problem)]
    # Only regions that the model's chip shows on the reference faces (dlib's chip ends at the
    # hairline: no hair band) can be checked with this model.
    regions = [r for r in FACE_REGIONS + ("hair",) if r in ctx.profile["regions"]]
    if not ctx.has_68:
        return [not_assessed("occlusion", r, LANDMARKS68) for r in regions]
    stats = ctx.plq_stats
    face = stats["face"]
    t = ctx.thresholds
    out = []
    for region in regions:
        ref = ctx.profile["regions"][region]
        if stats[region] is None or face is None:
            out.append(not_assessed("occlusion", region, "outside_chip", where=texts.region_label(region)))
            continue
        rel = math.log(max(stats[region].mean, 1e-6) / max(face.mean, 1e-6))
        z = (rel - ref["relative"]["mean"]) / ref["relative"]["std"]
        # Headwear and hair are often allowed (religious exceptions, a fringe): never blocking.
        block = t.occlusion_block_z if region != "hair" else -math.inf
        details = {"pixel_quality": stats[region].mean, "face_pixel_quality": face.mean,
                   "reference_ratio": math.exp(ref["relative"]["mean"])}
        if z <= block:
            out.append(CheckResult("occlusion", region, FAILED, z, block, "z", BLOCKING, region, details=details))
        elif z <= t.occlusion_warn_z:
            out.append(CheckResult("occlusion", region, FAILED, z, t.occlusion_warn_z, "z", WARNING, region,
                                   details=details))
        else:
            out.append(CheckResult("occlusion", region, PASSED, z, t.occlusion_warn_z, "z", details=details))
    return out


def profile_problem(profile: dict | None, model, estimator: str) -> str | None:
    """The reason key why a reference profile cannot judge maps made this way, or None."""
    if profile is None:
        return "no_profile"
    if profile.get("model") != model.name or profile.get("calibration") != calibration_signature(model, estimator):
        return "profile_stale"
    return None


def calibration_signature(model, estimator: str | None = None) -> dict:
    """The estimator and calibration constants a PLQ map depends on, as a reference profile records them."""
    estimator = estimator or model.default_estimator
    c = model.calibration
    alpha, r = c.alpha_r(estimator)
    return {"estimator": estimator, "gamma": c.gamma,
            "grad_clip": None if c.grad_clip is None else float(c.grad_clip), "alpha": alpha, "r": r}


CHECKS: tuple[Check, ...] = (
    check_single_face, check_pose, check_inter_eye_distance, check_geometry, check_expression,
    check_eyes, check_mouth_visible, check_sharpness, check_exposure, check_illumination, check_colour,
    check_background, check_occlusion,
)


def evaluate(ctx: FaceContext) -> list[CheckResult]:
    """Every check on one face, in CHECKS order."""
    return [r for check in CHECKS for r in check(ctx)]
