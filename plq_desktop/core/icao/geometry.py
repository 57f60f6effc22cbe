"""Geometry checks: one face, head pose, inter-eye distance, position and size of the face in the photo."""

from __future__ import annotations

import math

import numpy as np

from plq_desktop.core.icao.base import (
    LANDMARKS68,
    PASSED,
    WARNING,
    CheckResult,
    FaceContext,
    at_least,
    at_most,
    not_assessed,
    two_level,
    within,
)
from plq_desktop.core.icao.pose import roll_degrees


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


def check_face_confidence(ctx: FaceContext) -> list[CheckResult]:
    """The detector's score: below 0 only when the face was found on the CNN's lowered threshold
    (``HogThenCnnDetector.low_threshold``), as masked and eye-banded faces are; it may also not be a face."""
    return [at_least("face_confidence", "face", ctx.face.score, 0.0, severity=WARNING, unit="score")]


def _box_area(box) -> float:
    x0, y0, x1, y1 = box
    return max(0.0, x1 - x0) * max(0.0, y1 - y0)


def check_pose(ctx: FaceContext) -> list[CheckResult]:
    t = ctx.thresholds
    right_eye, left_eye = ctx.eye_centres
    roll = roll_degrees(right_eye, left_eye)
    roll_result = two_level("roll", "head", roll, t.roll_warn_deg, t.roll_max_deg, "deg", "left", "right")
    if not ctx.has_68:
        return [not_assessed("yaw", "head", LANDMARKS68), not_assessed("pitch", "head", LANDMARKS68), roll_result]
    if ctx.pose is None:
        return [not_assessed("yaw", "head", "pose_fit"), not_assessed("pitch", "head", "pose_fit"), roll_result]
    yaw, pitch = ctx.pose
    return [
        two_level("yaw", "head", yaw, t.yaw_warn_deg, t.yaw_max_deg, "deg", "left", "right"),
        two_level("pitch", "head", pitch, t.pitch_warn_deg, t.pitch_max_deg, "deg", "down", "up"),
        roll_result,
    ]


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
