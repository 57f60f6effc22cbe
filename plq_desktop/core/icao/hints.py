"""Hints for the officer: one sentence per problem, the face region it concerns, most severe first.

``attach_hints`` runs every check (``checks``) on every face of an analysed
photo and turns each failed check into a ``Hint`` (severity "blocking" or
"warning") and each check that could not be assessed into an "info" hint
saying why. A compliant photo gets no hints. All sentences come from
``texts``, in any language (``Hint.text``).
"""

from __future__ import annotations

import json
from concurrent.futures import Executor, Future
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
from plq_desktop.core.icao.registry import MAP_CHECKS, PHOTO_CHECKS, evaluate
from plq_desktop.core.icao.thresholds import Thresholds, get_thresholds
from plq_desktop.core.plq.amva import shipped_reference

INFO = "info"
SEVERITY_ORDER = {"blocking": 0, "warning": 1, INFO: 2}


@dataclass(frozen=True, eq=False)  # eq=False: the numpy field makes generated __eq__ unusable
class Hint:
    """One problem of one face. Its sentence is not stored but rendered (``text``) from the message key,
    the numbers and, for a check not assessed, the reason's key: any language, either audience."""

    region: str
    check: str
    value: float | None
    threshold: float | tuple[float, float] | None
    severity: str
    key: str                             # texts.MESSAGES / texts.APPLICANT key: "check" or "check.variant"
    polygon: np.ndarray                  # N x 2, photo coordinates
    unit: str = ""
    details: dict = field(default_factory=dict)
    reason: str | None = None            # texts.REASONS key of a check not assessed
    reason_fields: dict = field(default_factory=dict)

    def sentence_spec(self) -> dict:
        """Everything the sentence needs, JSON-ready and language-independent (``texts.sentence``)."""
        spec = {"key": self.key, "check": self.check, "region": self.region,
                "value": None if self.value is None else float(self.value),
                "threshold": _plain(self.threshold), "fields": {k: _plain(v) for k, v in self.details.items()}}
        if self.reason is not None:
            spec.update(reason=self.reason, reason_fields=dict(self.reason_fields))
        return spec

    def text(self, language: str | None = None, audience: str = "officer") -> str:
        """The sentence in ``language`` (default: ``i18n.current_language()``) for the officer or the applicant."""
        return texts.sentence(self.sentence_spec(), language, audience)

    @property
    def message(self) -> str:
        return self.text()

    @property
    def applicant_message(self) -> str:
        return self.text(audience="applicant")

    def to_dict(self) -> dict:
        return {
            "region": self.region,
            "region_label": texts.region_label(self.region),
            "check": self.check,
            "value": rounded(self.value),
            "threshold": rounded(self.threshold),
            "unit": self.unit,
            "severity": self.severity,
            "message_key": self.key,             # the same in every language, like "check"
            "message": self.message,
            "applicant_message": self.applicant_message,
            "polygon": np.round(np.asarray(self.polygon, dtype=float), 1).tolist(),
            "details": {k: rounded(v) for k, v in self.details.items()},
        }


def _plain(v):
    """Numbers as Python floats (exact, not rounded: a sentence's decimals depend on them), tuples as lists."""
    if isinstance(v, (tuple, list)):
        return [_plain(x) for x in v]
    if isinstance(v, (float, np.floating)):
        return float(v)
    if isinstance(v, np.integer):
        return int(v)
    return v


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


def message_key(check: CheckResult) -> str:
    if check.status == NOT_ASSESSED:
        return "not_assessed"
    return f"{check.name}.{check.variant}" if check.variant else check.name


def hint_message(check: CheckResult, language: str | None = None, audience: str = "officer") -> str:
    """The sentence a failed or not-assessed check's hint shows."""
    return Hint(check.region, check.name, check.value, check.threshold, check.severity or INFO, message_key(check),
                np.zeros((0, 2)), check.unit, dict(check.details), check.reason_key,
                check.reason_fields).text(language, audience)


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
            severity=severity, key=message_key(check),
            polygon=region_polygon(check, polygons, face_box, image_shape),
            unit=check.unit, details=details, reason=check.reason_key, reason_fields=check.reason_fields,
        ))
    return sorted(hints, key=lambda h: SEVERITY_ORDER[h.severity])


@dataclass(frozen=True)
class _FacesFound:
    """What a FaceContext reads of the photo while its maps do not exist yet."""

    faces: list           # each with box, score, landmarks and landmarks5 (``analysis.FoundFace``)
    estimator: str | None


def photo_checks(image: np.ndarray, faces: list, thresholds: str | Thresholds | None = None,
                 model=None) -> list[list[CheckResult]]:
    """``PHOTO_CHECKS`` on every face: what needs only the photo and the landmarks, no model and no map.

    The live view runs them in its detector's process, beside the network (``DetectorProcess``).
    """
    settings = get_thresholds(thresholds)
    found = _FacesFound(list(faces), None)
    return [evaluate(FaceContext(found, i, image, model, settings, None), PHOTO_CHECKS) for i in range(len(faces))]


class PendingHints:
    """``attach_hints`` in two steps: the photo checks as soon as the faces are found,
    the checks of the PLQ map and the hints once the faces are analysed (``complete``).

    ``begin`` runs the photo checks on an executor (beside the network), ``use``
    takes them from elsewhere (``photo_checks`` in the live detector's process);
    otherwise they run in ``complete``. Either way the result is what
    ``attach_hints`` gives: the same checks, in the same order.
    """

    def __init__(self, image: np.ndarray, faces: list, estimator: str, model, profile: dict | None = None,
                 thresholds: str | Thresholds | None = None, amva_reference=None):
        settings = get_thresholds(thresholds)
        profile = profile if profile is not None else load_profile(model.name)
        amva_reference = amva_reference if amva_reference is not None else shipped_reference(model)
        found = _FacesFound(list(faces), estimator)
        self._image = image
        self._contexts = [FaceContext(found, i, image, model, settings, profile, amva_reference)
                          for i in range(len(faces))]
        self._photo_checks: Future | None = None

    def begin(self, executor: Executor | None = None) -> None:
        """Start the photo checks on ``executor`` (or here and now without one)."""
        if executor is None:
            done = Future()
            done.set_result(self._run_photo_checks())
            self.use(done)
        else:
            self.use(executor.submit(self._run_photo_checks))

    def use(self, checks: Future) -> None:
        """Take the photo checks from ``checks`` (``photo_checks`` of the same faces, with the same thresholds)."""
        self._photo_checks = checks

    def _run_photo_checks(self) -> list[list[CheckResult]]:
        return [evaluate(ctx, PHOTO_CHECKS) for ctx in self._contexts]

    def complete(self, result) -> list[list[CheckResult]]:
        """Fill ``face.hints`` for every face of ``result`` (the analysed faces, in the order given);
        return every face's full check list."""
        if self._photo_checks is None:
            self.begin()
        checks_before = self._photo_checks.result()
        if not len(result.faces) == len(self._contexts) == len(checks_before):
            raise ValueError(f"{len(result.faces)} analysed faces, {len(self._contexts)} found and "
                             f"{len(checks_before)} with photo checks")
        all_checks = []
        for ctx, face, early in zip(self._contexts, result.faces, checks_before):
            ctx.analysed(result)
            checks = early + evaluate(ctx, MAP_CHECKS)
            polygons = ctx.regions.polygons if ctx.regions is not None else {}
            face.hints = make_hints(checks, polygons, face.box, self._image.shape)
            face.checks = checks
            if ctx.regions is not None:
                face.regions, face.region_stats = ctx.regions, ctx.plq_stats
                face.activation_stats = ctx.activation_stats or {}
            all_checks.append(checks)
        return all_checks


def attach_hints(result, image: np.ndarray, model, profile: dict | None = None,
                 thresholds: str | Thresholds | None = None, amva_reference=None) -> list[list[CheckResult]]:
    """Fill ``face.hints`` for every face of ``result``; return every face's full check list.

    ``profile`` defaults to the model's shipped reference profile and
    ``amva_reference`` to its shipped AMVA reference (``core.plq.amva``);
    ``thresholds`` is a preset name ("icao", the default, or "lenient") or a
    ``Thresholds``.
    """
    return PendingHints(image, result.faces, result.estimator, model, profile, thresholds,
                        amva_reference).complete(result)
