"""Occlusion from the PLQ map: a region far below the same region on good, compliant faces (the reference profile)."""

from __future__ import annotations

import math

from plq_desktop.core.face.regions import FACE_REGIONS
from plq_desktop.core.icao.base import (
    BLOCKING,
    FAILED,
    LANDMARKS68,
    PASSED,
    WARNING,
    CheckResult,
    FaceContext,
    not_assessed,
)

# A region whose AMVA activation z is at least this (as strong as on good faces, or stronger) is not
# called covered on the map's word alone.
ACTIVATION_NOT_OCCLUDED_Z = 0.0


def check_occlusion(ctx: FaceContext) -> list[CheckResult]:
    """The PLQ map per region against the model's reference profile of compliant faces.

    The map's overall level follows the image quality, so each region is
    compared relative to the whole face: z = (log(region mean / face mean) -
    reference mean) / reference spread. A far negative z means the region
    contributes much less to recognition than it does on good faces.

    ``details["activation_z"]``: the region's mean z of AMVA's activation
    against high-quality faces (``FaceContext.activation_stats``), where the
    model has an AMVA reference. It ranks the occluded region first more
    often than the map's z (83 % against 67 % of the occlusion benchmark's
    faces), but as a hint of its own it named a wrong region more often than
    a missed one (docs/where-to-fix.md), so it does not fail a region by
    itself. It does overrule the map: where the network responds at least
    as strongly as on good faces (z >= 0), a low map z is no occlusion.
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
    activation = {r: v.mean for r, v in (ctx.activation_stats or {}).items() if r in FACE_REGIONS and v is not None}
    out = []
    for region in regions:
        ref = ctx.profile["regions"][region]
        if stats[region] is None or face is None:
            out.append(not_assessed("occlusion", region, "outside_chip", where=region))
            continue
        z = _z(stats[region], face, ref)
        # Headwear and hair are often allowed (religious exceptions, a fringe): never blocking.
        block = t.occlusion_block_z if region != "hair" else -math.inf
        details = {"pixel_quality": stats[region].mean, "face_pixel_quality": face.mean,
                   "reference_ratio": math.exp(ref["relative"]["mean"])}
        if region in activation:
            details["activation_z"] = activation[region]
        if z <= t.occlusion_warn_z and activation.get(region, -math.inf) >= ACTIVATION_NOT_OCCLUDED_Z:
            # The map draws little on the region, but the network responds there at least as strongly
            # as on good faces: nothing covers it (on the benchmark these were mostly hints on the wrong
            # region, beside an occluder elsewhere). The map's number stays in the details.
            out.append(CheckResult("occlusion", region, PASSED, z, t.occlusion_warn_z, "z",
                                   details=dict(details, overruled_by_activation=True)))
        elif z <= block:
            out.append(CheckResult("occlusion", region, FAILED, z, block, "z", BLOCKING, region, details=details))
        elif z <= t.occlusion_warn_z:
            out.append(CheckResult("occlusion", region, FAILED, z, t.occlusion_warn_z, "z", WARNING, region,
                                   details=details))
        else:
            out.append(CheckResult("occlusion", region, PASSED, z, t.occlusion_warn_z, "z", details=details))
    return out


def _z(region_stats, face_stats, ref: dict) -> float:
    rel = math.log(max(region_stats.mean, 1e-6) / max(face_stats.mean, 1e-6))
    return (rel - ref["relative"]["mean"]) / ref["relative"]["std"]


def region_z(stats: dict, profile: dict) -> dict[str, float]:
    """z of every region with statistics against the profile (the occlusion check's value)."""
    face = stats.get("face")
    if face is None or not profile:
        return {}
    return {r: _z(stats[r], face, profile["regions"][r]) for r in profile["regions"]
            if r not in ("face", "background") and stats.get(r) is not None}


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
