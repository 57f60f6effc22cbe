"""Hints for the officer: one sentence per problem, the face region it concerns, most severe first.

``attach_hints`` runs every check (``checks``) on every face of an analysed
photo and turns each failed check into a ``Hint`` (severity "blocking" or
"warning") and each check that could not be assessed into an "info" hint
saying why. A compliant photo gets no hints. All sentences come from
``hint_texts``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from plq_desktop.core.icao import texts as texts
from plq_desktop.core.icao.base import (
    FAILED,
    NOT_ASSESSED,
    CheckResult,
    FaceContext,
    rounded,
)
from plq_desktop.core.icao.registry import evaluate
from plq_desktop.core.icao.thresholds import Thresholds, get_thresholds
from plq_desktop.core.plq.amva import shipped_reference

INFO = "info"
SEVERITY_ORDER = {"blocking": 0, "warning": 1, INFO: 2}


@dataclass(frozen=True, eq=False)  # eq=False: the numpy field makes generated __eq__ unusable
class Hint:
    region: str
    check: str
    value: float | None
    threshold: float | tuple[float, float] | None
    severity: str
    message: str
    polygon: np.ndarray                  # N x 2, photo coordinates
    unit: str = ""
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "region": self.region,
            "region_label": texts.region_label(self.region),
            "check": self.check,
            "value": rounded(self.value),
            "threshold": rounded(self.threshold),
            "unit": self.unit,
            "severity": self.severity,
            "message": self.message,
            "polygon": np.round(np.asarray(self.polygon, dtype=float), 1).tolist(),
            "details": {k: rounded(v) for k, v in self.details.items()},
        }


@lru_cache(maxsize=8)
def load_profile(model_name: str) -> dict | None:
    """The shipped reference profile of a model (``eval.reference_profile``), or None."""
    entry = resources.files("plq_desktop.resources").joinpath(f"reference_profile_{model_name}.json")
    if not entry.is_file():
        return None
    return json.loads(entry.read_text())


def _rectangle(box) -> np.ndarray:
    x0, y0, x1, y1 = (float(v) for v in box)
    return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


def region_polygon(check: CheckResult, polygons: dict[str, np.ndarray], face_box, image_shape) -> np.ndarray:
    """Where to draw a check's region on the photo."""
    if check.region in polygons:
        return polygons[check.region]
    if check.region == "other_face":
        return _rectangle(check.details["other_box"])
    if check.region == "image":
        h, w = image_shape[:2]
        return _rectangle((-0.5, -0.5, w - 0.5, h - 0.5))
    return _rectangle(face_box)   # without 68 landmarks every region is the face's box


def hint_message(check: CheckResult) -> str:
    if check.status == NOT_ASSESSED:
        return texts.message("not_assessed", check=texts.CHECK_LABELS[check.name], reason=check.reason)
    fields = dict(check.details)
    fields.update(region=texts.region_label(check.region), value=check.value, abs=abs(check.value))
    if isinstance(check.threshold, tuple):
        fields.update(low=check.threshold[0], high=check.threshold[1], threshold=check.threshold)
    else:
        fields.update(threshold=check.threshold)
    key = f"{check.name}.{check.variant}" if check.variant else check.name
    return texts.message(key, **fields)


def make_hints(checks: list[CheckResult], polygons: dict[str, np.ndarray], face_box,
               image_shape) -> list[Hint]:
    """Failed and not-assessed checks as hints, most severe first (stable within a severity).

    A hint about a facial region also carries what the PLQ map says about that
    region (its mean pixel quality and z-score against the reference profile)
    and, where the model has an AMVA reference, its activation z and rank, so
    the measured fault and the loss of recognition utility show together.
    """
    evidence = {c.region: c for c in checks if c.name == "occlusion" and c.value is not None}
    # Where recognition loses most: regions ranked by the map's z (1 = the largest loss), and by AMVA's
    # activation z (1 = where the network responds least against good faces; the better localiser).
    rank = {r: i + 1 for i, r in enumerate(sorted(evidence, key=lambda r: evidence[r].value))}
    active = {r: c.details["activation_z"] for r, c in evidence.items() if "activation_z" in c.details}
    activation_rank = {r: i + 1 for i, r in enumerate(sorted(active, key=active.get))}
    hints = []
    for check in checks:
        if check.status == FAILED:
            severity = check.severity
        elif check.status == NOT_ASSESSED:
            severity = INFO
        else:
            continue
        details = dict(check.details)
        if severity != INFO and check.name != "occlusion" and check.region in evidence:
            details.update(pixel_quality=evidence[check.region].details["pixel_quality"],
                           plq_z=evidence[check.region].value, plq_rank=rank[check.region])
        elif check.name == "occlusion" and check.region in rank:
            details.update(plq_rank=rank[check.region])
        if severity != INFO and check.region in active:
            details.update(activation_z=active[check.region], activation_rank=activation_rank[check.region])
        hints.append(Hint(
            region=check.region, check=check.name, value=check.value, threshold=check.threshold,
            severity=severity, message=hint_message(check),
            polygon=region_polygon(check, polygons, face_box, image_shape),
            unit=check.unit, details=details,
        ))
    return sorted(hints, key=lambda h: SEVERITY_ORDER[h.severity])


def attach_hints(result, image: np.ndarray, model, profile: dict | None = None,
                 thresholds: str | Thresholds | None = None, amva_reference=None) -> list[list[CheckResult]]:
    """Fill ``face.hints`` for every face of ``result``; return every face's full check list.

    ``profile`` defaults to the model's shipped reference profile and
    ``amva_reference`` to its shipped AMVA reference (``core.plq.amva``);
    ``thresholds`` is a preset name ("icao", the default, or "lenient") or a
    ``Thresholds``.
    """
    settings = get_thresholds(thresholds)
    profile = profile if profile is not None else load_profile(result.model)
    amva_reference = amva_reference if amva_reference is not None else shipped_reference(model)
    all_checks = []
    for i, face in enumerate(result.faces):
        ctx = FaceContext(result, i, image, model, settings, profile, amva_reference)
        checks = evaluate(ctx)
        polygons = ctx.regions.polygons if ctx.regions is not None else {}
        face.hints = make_hints(checks, polygons, face.box, image.shape)
        face.checks = checks
        if ctx.regions is not None:
            face.regions, face.region_stats = ctx.regions, ctx.plq_stats
            face.activation_stats = ctx.activation_stats or {}
        all_checks.append(checks)
    return all_checks
