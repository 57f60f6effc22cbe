"""Photometric checks on the analysis canvas: sharpness, exposure, illumination, colour, background."""

from __future__ import annotations

import cv2
import numpy as np

from plq_desktop.core.icao.base import (
    ANALYSIS_IED,
    BLOCKING,
    FAILED,
    LANDMARKS68,
    WARNING,
    CheckResult,
    FaceContext,
    at_least,
    at_most,
    not_assessed,
    within,
)

# The background check needs at least this much background, relative to the face's area.
_MIN_BACKGROUND_SHARE = 0.15


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
    # A face at least ANALYSIS_IED between the eyes has the shared canvas as its native one: its masks
    # and luminance are already there (the same values; live video runs this on every frame).
    same = canvas is ctx.canvas
    m = ctx.masks if same else ctx.regions.masks(canvas.matrix, canvas.chip_size)
    inner = m["right_eye"] | m["left_eye"] | m["nose"] | m["mouth"]
    cheeks = m["right_cheek"] | m["left_cheek"]
    scale = canvas.chip_size[1] / ctx.canvas.chip_size[1]
    if inner.sum() < 0.5 * (scale * ANALYSIS_IED) ** 2 or not cheeks.any():
        return [not_assessed("sharpness", "face", "outside_photo")]
    luma = ctx.luma if same else cv2.cvtColor(canvas.warp(ctx.image), cv2.COLOR_RGB2GRAY).astype(np.float32)
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
            out.append(not_assessed(name, missing[0], "skin_hidden", where=missing[0]))
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
