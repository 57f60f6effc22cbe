"""The checks in the order they run, and running them on one face."""

from __future__ import annotations

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

# The checks that read only the photo and the landmarks, then those that read the PLQ map and the
# network's activation: only the latter wait for the network (the live view runs the former beside it).
PHOTO_CHECKS: tuple[Check, ...] = (
    check_single_face, check_face_confidence, check_pose, check_inter_eye_distance, check_geometry, check_expression,
    check_eyes, check_mouth_visible, check_sharpness, check_exposure, check_illumination, check_colour,
    check_background, check_covered, check_eye_frame,
)
MAP_CHECKS: tuple[Check, ...] = (check_occlusion,)
CHECKS: tuple[Check, ...] = PHOTO_CHECKS + MAP_CHECKS


def evaluate(ctx: FaceContext, checks: tuple[Check, ...] = CHECKS) -> list[CheckResult]:
    """``checks`` (default: every check) on one face, in that order."""
    return [r for check in checks for r in check(ctx)]
