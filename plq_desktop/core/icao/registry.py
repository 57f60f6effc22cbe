"""The checks in the order they run, and running them on one face."""

from __future__ import annotations

from plq_desktop.core.icao import texts as texts
from plq_desktop.core.icao.base import Check, CheckResult, FaceContext
from plq_desktop.core.icao.coverage import check_covered, check_eye_frame
from plq_desktop.core.icao.expression import (
    check_expression,
    check_eyes,
    check_mouth_visible,
)
from plq_desktop.core.icao.geometry import (
    check_face_confidence,
    check_geometry,
    check_inter_eye_distance,
    check_pose,
    check_single_face,
)
from plq_desktop.core.icao.occlusion import check_occlusion
from plq_desktop.core.icao.photometric import (
    check_background,
    check_colour,
    check_exposure,
    check_illumination,
    check_sharpness,
)

CHECKS: tuple[Check, ...] = (
    check_single_face, check_face_confidence, check_pose, check_inter_eye_distance, check_geometry, check_expression,
    check_eyes, check_mouth_visible, check_sharpness, check_exposure, check_illumination, check_colour,
    check_background, check_covered, check_eye_frame, check_occlusion,
)


def evaluate(ctx: FaceContext) -> list[CheckResult]:
    """Every check on one face, in CHECKS order."""
    return [r for check in CHECKS for r in check(ctx)]
