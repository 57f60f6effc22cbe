"""Expression checks: neutral expression, eyes open and free of glare, mouth visible."""

from __future__ import annotations

import cv2
import numpy as np

from plq_desktop.core.icao.base import (
    ANALYSIS_IED,
    LANDMARKS68,
    CheckResult,
    FaceContext,
    at_least,
    at_most,
    not_assessed,
    two_level,
)

# Glare: brightest channel at least this level, darkest channel at least this share of it.
_GLARE_LEVEL = 235
_GLARE_MIN_DARKEST_SHARE = 0.85
# A reflection is a bright spot that stands out: at least half of it over the eye regions, and the
# pixels just around it at most this share of its brightness. Overexposed skin at the brow or temple
# is near-white too, but it spreads beyond the eye region or fades into bright skin (faces-dev: such
# plateaus 0.87-0.91 with their surroundings; catch-lights and a drawn reflection 0.5-0.75).
_GLARE_MIN_SHARE_OVER_EYES = 0.5
_GLARE_MAX_SURROUND = 0.85
_GLARE_SURROUND_PX = 3


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
    out.append(two_level("mouth_closed", "mouth", opening, t.mouth_open_warn, t.mouth_open_max, "", None, None))
    return out


def check_eyes(ctx: FaceContext) -> list[CheckResult]:
    """Per eye: specular glare (near-white, colourless pixels) and visibility (contrast)."""
    if not ctx.has_68:
        return [not_assessed(n, r, LANDMARKS68) for r in ("right_eye", "left_eye") for n in ("glare", "eye_visible")]
    t = ctx.thresholds
    out = []
    glare = reflections(ctx)
    for region in ("right_eye", "left_eye"):
        mask = ctx.masks[region]
        if mask.sum() < 0.05 * ANALYSIS_IED ** 2 or ctx.skin_luma is None:
            out += [not_assessed(n, region, "outside_photo") for n in ("glare", "eye_visible")]
            continue
        out.append(at_most("glare", region, float(glare[mask].mean()), t.max_eye_glare_share))
        contrast = float(ctx.luma[ctx.eye_opening(region)].std()) / max(ctx.skin_luma, 1.0)
        out.append(at_least("eye_visible", region, contrast, t.min_eye_contrast))
    return out


def reflections(ctx: FaceContext) -> np.ndarray:
    """Canvas mask of the near-white, colourless spots over the eyes that stand out from what is around
    them: a reflection of the light source, not a white of the eye in shadow nor overexposed skin."""
    r, g, b = (ctx.canvas_rgb[..., k] for k in range(3))
    # Channel by channel, not max(axis=2): a reduction over the 3-long axis costs 4 ms per face.
    brightest, darkest = np.maximum(np.maximum(r, g), b), np.minimum(np.minimum(r, g), b)
    white = (brightest >= _GLARE_LEVEL) & (darkest >= _GLARE_MIN_DARKEST_SHARE * brightest.astype(np.float32))
    eyes = ctx.masks["right_eye"] | ctx.masks["left_eye"]
    count, label, stats, _ = cv2.connectedComponentsWithStats(white.astype(np.uint8), connectivity=8)
    over_eyes = np.bincount(label[eyes], minlength=count)
    kept = np.zeros(count, bool)
    r = _GLARE_SURROUND_PX
    kernel = np.ones((2 * r + 1, 2 * r + 1), np.uint8)
    for c in np.flatnonzero(over_eyes[1:] >= _GLARE_MIN_SHARE_OVER_EYES * stats[1:, cv2.CC_STAT_AREA]) + 1:
        x, y, w, h = stats[c, :4]
        box = (slice(max(y - r, 0), y + h + r), slice(max(x - r, 0), x + w + r))
        spot = label[box] == c
        around = cv2.dilate(spot.astype(np.uint8), kernel).astype(bool) & ~white[box]
        luma = ctx.luma[box]
        kept[c] = not around.any() or np.median(luma[around]) <= _GLARE_MAX_SURROUND * luma[spot].mean()
    return kept[label]


def check_mouth_visible(ctx: FaceContext) -> list[CheckResult]:
    """Share of the mouth region in skin or lip colour: a mask, a scarf or a patch has neither.

    The value is the lower of the mouth's share and that of mouth and chin together.

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
    # Landmarks fitted on a masked face drift (the mouth's by about a tenth of the eye distance, up
    # onto the skin below the nose); the mask still covers the chin. Mouth and chin together: clean
    # sample faces 0.79-0.98, medical masks 0.00-0.11 (docs/where-to-fix.md).
    lower = mask | ctx.masks["chin"]
    lower_like = float(ctx.skin[lower].mean())
    minimum = ctx.thresholds.min_mouth_skin_share
    if lower_like < skin_like:
        return [at_least("mouth_visible", "mouth", lower_like, minimum, details={"mouth_skin_share": skin_like},
                         variant="lower_face" if lower_like < minimum else None)]
    return [at_least("mouth_visible", "mouth", skin_like, minimum)]
