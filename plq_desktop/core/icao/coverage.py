"""Pixel evidence that something covers a face region: what is wrong, where the map says recognition loses.

The PLQ map says *where* recognition utility is lost but not *why*, and on
its own it localises flat occluders loosely (docs/where-to-fix.md). These
checks look at the pixels of a region against the rest of the face, as
OFIQ's face-occlusion measure does with a segmentation network:

- nose and mouth: fine texture (mean |luminance - its Gaussian blur|, per unit
  of skin luminance, on the analysis canvas). A nose or mouth always shows
  nostrils, lips and shading; a patch, a mask or a hand is flat.
- nose (colour photos): the share of pixels in skin colour; a grey or
  coloured patch has none.
- forehead: the share of its rows (on the upright canvas) that are mostly much
  darker than the cheeks. A fringe, a cap's brim or a headband lies across the
  forehead as a band of such rows, even where it covers only a third of the
  forehead's height (the median of the forehead does not see that); side
  light darkens half of each row, a receding hairline leaves skin.

- eyes: the share of nearly black pixels around the eye (the eye region
  without the eye opening and without the brow): a thick glasses frame, an
  eye patch or sunglasses; a thin frame, lashes and shadows stay below it.

Cheeks and chin are left to the map: a hand on a cheek has skin colour and
texture, and a scarf on the chin is caught by the mouth checks.
"""

from __future__ import annotations

import cv2
import numpy as np

from plq_desktop.core.icao.base import (
    ANALYSIS_IED,
    FAILED,
    LANDMARKS68,
    PASSED,
    WARNING,
    CheckResult,
    FaceContext,
    not_assessed,
)

COVERED_REGIONS = ("forehead", "nose", "mouth")
_TEXTURE_SIGMA = 2.0     # canvas pixels (64 px between the eyes)


def region_texture(ctx: FaceContext) -> np.ndarray:
    """|luminance - Gaussian blur| on the canvas: the fine detail a flat cover removes."""
    return np.abs(ctx.luma - cv2.GaussianBlur(ctx.luma, (0, 0), _TEXTURE_SIGMA))


def check_covered(ctx: FaceContext) -> list[CheckResult]:
    """One result per region of COVERED_REGIONS; variant = the measure that failed."""
    if not ctx.has_68:
        return [not_assessed("covered", r, LANDMARKS68) for r in COVERED_REGIONS]
    if ctx.skin_luma is None:
        return [not_assessed("covered", r, "outside_photo") for r in COVERED_REGIONS]
    t = ctx.thresholds
    skin = max(ctx.skin_luma, 1.0)
    texture = region_texture(ctx)
    out = []
    for region in COVERED_REGIONS:
        mask = ctx.masks[region]
        if mask.sum() < 0.03 * ANALYSIS_IED ** 2:
            out.append(not_assessed("covered", region, "outside_photo"))
            continue
        variant, details = region, {}
        if region == "forehead":
            value, details = forehead_band(ctx.luma / skin, mask)
            threshold = t.max_forehead_covered_share
            failed = value > threshold
            out.append(CheckResult("covered", region, FAILED if failed else PASSED, value, threshold, "",
                                   WARNING if failed else None, variant if failed else None, details=details))
            continue
        else:
            value = 100.0 * float(texture[mask].mean()) / skin
            threshold = t.min_nose_texture if region == "nose" else t.min_mouth_texture
        failed = value < threshold
        if region == "nose" and ctx.skin_chromaticity is not None:
            share = float(ctx.skin[mask].mean())
            details["skin_share"] = share
            if not failed and share < t.min_nose_skin_share:
                value, threshold, failed, variant = share, t.min_nose_skin_share, True, "nose_colour"
        out.append(CheckResult("covered", region, FAILED if failed else PASSED, value, threshold, "",
                               WARNING if failed else None, variant if failed else None, details=details))
    return out


# A forehead pixel darker than this share of the cheeks' luminance is covered; a row of the forehead
# with at least ROW_COVERED of its pixels covered is a covered row (docs/where-to-fix.md, "The forehead").
FOREHEAD_DARK_LEVEL = 0.55
ROW_COVERED = 0.6
# Rows narrower than this share of the forehead's widest row (its rounded top corners) are not counted.
_MIN_ROW_WIDTH = 0.3


def forehead_band(relative_luma: np.ndarray, mask: np.ndarray) -> tuple[float, dict]:
    """(share of the forehead's rows that are covered, pixel evidence) on the upright canvas.

    ``relative_luma``: luminance per unit of the cheeks'. The evidence: the
    covered rows' median brightness against the cheeks', the uncovered rows'
    one, and the share of all forehead pixels below the dark level.
    """
    widths = mask.sum(axis=1)
    rows = np.flatnonzero(widths >= _MIN_ROW_WIDTH * widths.max())
    dark = relative_luma < FOREHEAD_DARK_LEVEL
    covered = np.array([dark[r][mask[r]].mean() >= ROW_COVERED for r in rows])
    share = float(covered.mean())
    in_band, outside = mask.copy(), mask.copy()
    in_band[rows[~covered]] = False
    outside[rows[covered]] = False
    details = {"dark_pixel_share": float(dark[mask].mean()),
               "band_brightness": float(np.median(relative_luma[in_band])) if in_band.any() else None,
               "skin_brightness": float(np.median(relative_luma[outside])) if outside.any() else None}
    return share, {k: v for k, v in details.items() if v is not None}


_BROW_CLEARANCE = 0.08     # inter-eye distances above the eye's highest landmark: brows start there
_DARK_SHARE_OF_SKIN = 0.35  # "nearly black": luminance below this share of the cheeks'


def check_eye_frame(ctx: FaceContext) -> list[CheckResult]:
    """Per eye: share of nearly black pixels in a ring around the eye opening (below the brow).

    A frame sits on both eyes, so both must exceed the threshold: a shadow on
    one side of a side-lit face (one eye's ring at 0.16 on a sample face) does
    not count.
    """
    eyes = ("right_eye", "left_eye")
    if not ctx.has_68:
        return [not_assessed("eye_frame", r, LANDMARKS68) for r in eyes]
    if ctx.skin_luma is None:
        return [not_assessed("eye_frame", r, "outside_photo") for r in eyes]
    dark = ctx.luma < _DARK_SHARE_OF_SKIN * ctx.skin_luma
    rows = np.arange(ctx.canvas.chip_size[0])[:, None]
    shares = {}
    for region, points in (("right_eye", slice(36, 42)), ("left_eye", slice(42, 48))):
        opening = cv2.dilate(ctx.eye_opening(region).astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
        top = ctx.canvas.points_to_chip(ctx.face.landmarks[points].astype(np.float64))[:, 1].min()
        ring = ctx.masks[region] & ~opening & (rows >= top - _BROW_CLEARANCE * ANALYSIS_IED)
        if ring.sum() < 0.02 * ANALYSIS_IED ** 2:
            return [not_assessed("eye_frame", r, "outside_photo") for r in eyes]
        shares[region] = float(dark[ring].mean())
    limit = ctx.thresholds.max_eye_frame_dark_share
    failed = min(shares.values()) > limit
    return [CheckResult("eye_frame", region, FAILED if failed else PASSED, share, limit, "",
                        WARNING if failed else None) for region, share in shares.items()]
