"""Image-level quality estimators that feed the PLQ node (Eqs. 1-2 of the paper).

Every estimator turns a set of embeddings of one face into a robustness
score with the paper's formula Q = 2 * sigmoid(-(2 / m^2) * sum_{i<j} d_ij)
(d = Euclidean distance of L2-normalised embeddings), so their raw values
live on the same scale and share the Eq. 2 scaling code. They differ only in
where the m embeddings come from:

- ``serfiq``: the paper's SER-FIQ, m = 100 dropout masks (p = 0.5) on the
  head input; the backbone output is reused, the m head passes run as one
  batched operation.
- ``crfiqa``: CR-FIQA's learned quality (Boutros et al., CVPR 2023): the
  output of the quality head the CR-FIQA checkpoints train alongside the
  backbone (a linear node on the embedding that predicts the sample's
  relative classifiability). One forward pass, no spread formula; only for
  networks that carry that head (zoo models crfiqa-r100 and crfiqa-r50).
- ``robustness``: for networks trained without dropout, the spread of the
  embedding over small test-time perturbations of the chip (a contrast change
  and a small shift by default); the extra views run without gradient.
- ``recognisability``: how far the embedding lies from the embeddings of
  unrecognisable faces (Chai et al., CVPR 2023): Q = 1 - cosine of the
  view-averaged unit embedding (chip, mirror, 4 px shift) to the nearest of
  the model's "unrecognisable" centroids (one of heavily blurred /
  low-resolution / shaken faces, one of very noisy / dark / covered ones),
  stored with the model's calibration. Chosen for dlib-resnet by the
  reliability suite (``plq_desktop.eval.reliability``,
  ``docs/quality-study.md``); two extra forward passes without gradient. Its raw Q is not on the
  Eq. 1 scale, so it has its own Eq. 2 constants.

Estimators that need per-model data (the centroids; SER-FIQ's training
dropout rate) are bound to a model with ``bind(model)`` before use.

All estimators run under ``torch.no_grad`` on detached inputs: the PLQ node
treats Q_hat as a constant (Eq. 3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Protocol

import torch
import torch.nn.functional as F
from torch import Tensor

from plq_desktop.core.nets.base import SplitNet


def robustness_score(embeddings: Tensor) -> Tensor:
    """Eq. 1 on N x m x D embeddings: 2 * sigmoid(-(2/m^2) * sum_{i<j} ||x_i - x_j||)."""
    m = embeddings.shape[1]
    unit = F.normalize(embeddings, dim=-1)
    distances = torch.cdist(unit, unit)  # N x m x m, symmetric, zero diagonal
    upper_sum = distances.sum(dim=(1, 2)) / 2
    return 2 * torch.sigmoid(-(2.0 / m**2) * upper_sum)


def scale_quality(raw: Tensor, alpha: float, r: float) -> Tensor:
    """Eq. 2: Q_hat = sigmoid(alpha * (Q - r))."""
    return torch.sigmoid(alpha * (raw - r))


class EstimatorUnavailable(ValueError):
    """The estimator cannot run on this network; the message says what the user can do."""


class QualityEstimator(Protocol):
    name: str

    def raw_quality(
        self, net: SplitNet, chips: Tensor, features: Tensor, embedding: Tensor,
        generator: torch.Generator | None,
    ) -> Tensor:
        """Q (not yet scaled) for each face. chips: N x 3 x H x W float 0..255."""


@dataclass(frozen=True)
class SerFiq:
    """SER-FIQ with dropout on the head input; the backbone runs once per face.

    ``p`` None = the dropout rate the model file records for that place in
    training (``FaceModel.trained_dropout``), else the paper's 0.5: a network
    trained without dropout (dlib's) has no rate to reproduce.

    Every face gets the same m masks, drawn from the seed alone, so a face's Q
    depends only on its own chip and the seed, never on the other faces of
    the batch or its place in it.
    """

    m: int = 100
    p: float | None = None
    name: str = "serfiq"

    def bind(self, model) -> "SerFiq":
        if self.p is not None:
            return self
        trained = getattr(model, "trained_dropout", None)
        return SerFiq(m=self.m, p=float(trained) if trained else 0.5, name=self.name)

    def raw_quality(self, net, chips, features, embedding, generator):
        n, f = features.shape
        p = 0.5 if self.p is None else self.p
        keep = 1.0 - p
        masks = torch.empty((self.m, f), device=features.device, dtype=features.dtype)
        masks.bernoulli_(keep, generator=generator)
        stochastic_inputs = features.unsqueeze(1) * masks.unsqueeze(0) / keep
        stochastic = net.head(stochastic_inputs.reshape(n * self.m, f)).reshape(n, self.m, -1)
        return robustness_score(stochastic)


def shift_chips(chips: Tensor, dx: int, dy: int) -> Tensor:
    """Translate by whole pixels, replicating the border (no wrap-around)."""
    pad = max(abs(dx), abs(dy))
    if pad == 0:
        return chips
    h, w = chips.shape[-2:]
    padded = F.pad(chips, (pad, pad, pad, pad), mode="replicate")
    top, left = pad - dy, pad - dx
    return padded[..., top:top + h, left:left + w]


@dataclass(frozen=True)
class View:
    """One test-time perturbation of a chip: mirror, whole-pixel shift, contrast change.

    ``contrast`` scales each chip's deviation from its own mean grey level
    (0.7 = 30 % less contrast), which keeps the mean brightness.
    """

    mirror: bool = False
    dx: int = 0
    dy: int = 0
    contrast: float = 1.0
    black_rows: tuple[float, float] | None = None     # rows from .. to (fractions of the height) made black

    def apply(self, chips: Tensor) -> Tensor:
        view = torch.flip(chips, dims=[-1]) if self.mirror else chips
        view = shift_chips(view, self.dx, self.dy)
        if self.contrast != 1.0:
            mean = view.mean(dim=(1, 2, 3), keepdim=True)
            view = ((view - mean) * self.contrast + mean).clamp(0, 255)
        if self.black_rows is not None:
            h = view.shape[-2]
            top, bottom = (int(round(f * h)) for f in self.black_rows)
            view = view.clone()
            view[..., top:bottom, :] = 0
        return view


def view_embeddings(net, chips: Tensor, views, rotation: ViewRotation | None = None,
                    embedding: Tensor | None = None) -> Tensor:
    """V x N x D embeddings of the views of the chips (no gradient): all in one batch, or with a
    ``rotation`` one new view per call and the others as last computed (live video; ``embedding``,
    the chips' own, says whether the face changed too much for that)."""
    if rotation is not None:
        return rotation.embeddings(net, chips, tuple(views), embedding)
    return net(torch.cat([v.apply(chips) for v in views])).reshape(len(views), chips.shape[0], -1)


class ViewRotation:
    """Spreads an estimator's extra views over consecutive frames of a live video.

    Only for an estimator that averages its views (recognisability): a
    stale view then shifts the average a little, whereas a spread measure
    (robustness) would count the face's motion as spread.

    Each call computes one view anew, in turn (the mirror image on one frame,
    the shifted chip on the next), and reuses the other views' embeddings
    from the frames before; the chip's own embedding is always the current
    one. The first call after ``reset`` (a new source, a lost face, another
    number of faces) computes every view, and so does a call whose chip
    embedding moved further than ``min_cosine`` from the previous call's (a
    jump of the detection, another person): a still face gets exactly the
    full estimator's value, a moving one views up to V - 1 analysed frames
    old (``benchmarks/bench_live.py --agreement`` measures the difference on real
    faces; on eight real faces the per-frame difference was at most 0.04
    and the one-second median's at most 0.008). Not thread-safe: one per
    live stream.
    """

    def __init__(self, min_cosine: float = 0.95):
        self.min_cosine = min_cosine
        self._key: tuple | None = None
        self._last: Tensor | None = None
        self._anchor: Tensor | None = None     # the previous call's unit chip embeddings
        self._turn = 0
        self.computed = 0       # views computed so far (for the tests and the benchmark)

    def reset(self) -> None:
        self._key, self._last, self._anchor = None, None, None

    def embeddings(self, net, chips: Tensor, views: tuple, embedding: Tensor | None = None) -> Tensor:
        key = (views, tuple(chips.shape), chips.device)
        unit = None if embedding is None else F.normalize(embedding, dim=-1)
        moved = (unit is None or self._anchor is None
                 or bool(((unit * self._anchor).sum(dim=-1) < self.min_cosine).any()))
        self._anchor = unit
        if self._key != key or self._last is None or moved:
            extra = view_embeddings(net, chips, views)
            self.computed += len(views)
        else:
            i = self._turn % len(views)
            extra = self._last.clone()
            extra[i] = net(views[i].apply(chips))
            self.computed += 1
        self._turn += 1
        self._key, self._last = key, extra
        return extra


@dataclass(frozen=True)
class PerturbationRobustness:
    """Spread of the embedding over small test-time perturbations of the chip.

    The unperturbed embedding is always part of the set. The default views,
    30 % less contrast and a 4-pixel vertical shift, won the study
    (docs/quality-study.md): Spearman 0.67 with utility on dlib-resnet, against
    0.29 for the paper's SER-FIQ on this network trained without dropout.
    Extra views run without gradient in one batch.
    """

    views: tuple[View, ...] = (View(contrast=0.7), View(dy=4))
    name: str = "robustness"

    # No ViewRotation here: a spread measure counts a stale view's difference as spread (measured on
    # eight real faces: per-frame errors up to 0.64).
    def raw_quality(self, net, chips, features, embedding, generator):
        extra = view_embeddings(net, chips, self.views).transpose(0, 1)
        return robustness_score(torch.cat([embedding.unsqueeze(1), extra], dim=1))


def view_averaged(net, chips: Tensor, embedding: Tensor, views, rotation: ViewRotation | None = None) -> Tensor:
    """Unit-length mean of the unit embeddings of the chip and of its views (extra passes without gradient)."""
    units = F.normalize(embedding, dim=-1)
    if views:
        extra = view_embeddings(net, chips, views, rotation, embedding)
        units = units + F.normalize(extra, dim=-1).sum(dim=0)
    return F.normalize(units, dim=-1)


@dataclass(frozen=True)
class Recognisability:
    """Distance of the embedding to unrecognisable faces (Chai et al., CVPR 2023).

    Q = 1 - max_k cos(u, c_k): u is the unit mean of the unit embeddings of
    the chip, its mirror image and the chip shifted 4 px down (averaging
    views steadies the score against landmark jitter); c_k are the model's
    unit "unrecognisable" centroids (``Calibration.centroids``): the mean
    unit embedding of faces damaged beyond recognition, one centroid per
    family of damage (blur-like: defocus, low resolution, motion; noise,
    darkness and a covering card). The nearest centroid counts, so a face is
    low quality when it looks like any kind of unrecognisable face.
    """

    views: tuple[View, ...] = (View(mirror=True), View(dy=4))
    centroids: tuple[tuple[float, ...], ...] = ()
    name: str = "recognisability"
    rotation: ViewRotation | None = field(default=None, compare=False, repr=False)   # live video only

    def bind(self, model) -> "Recognisability":
        centroids = model.calibration.centroids
        if not centroids:
            raise ValueError(f"model {model.name!r} has no unrecognisable-face centroids in its calibration; "
                             "python -m plq_desktop.eval.reliability --install writes them")
        return replace(self, centroids=tuple(tuple(c) for c in centroids))

    def raw_quality(self, net, chips, features, embedding, generator):
        if not self.centroids:
            raise ValueError("the recognisability estimator needs centroids: bind it to a model first")
        u = view_averaged(net, chips, embedding, self.views, self.rotation)
        c = F.normalize(torch.tensor(self.centroids, device=u.device, dtype=u.dtype), dim=-1)
        return 1.0 - (u @ c.T).max(dim=1).values


@dataclass(frozen=True)
class Matchability:
    """How well a photo will be matched to other photos of the same person, from the chip and 2 views.

    Q = w_0 + w_1 (1 - cos(u, c_blur)) + w_2 mean_k cos(e, e_k): the distance
    of the view-averaged unit embedding u (chip, mirror image, 4 px shift:
    the recognisability estimator's views) to the model's first
    "unrecognisable" centroid (blurred, down-sampled and shaken faces), and
    the consistency of the embedding e with its mirror and shifted views
    (a turned, tilted or badly aligned face changes under mirroring). The
    weights ``w`` (``Calibration.matchability``) are fitted on real mated
    pairs of several photos per person (``python -m plq_desktop.eval.edc``,
    docs/quality-study.md), so Q is on the scale of the network's mated
    comparison score.

    A fourth weight, where the calibration has one, adds w_3 log |e|: the
    length of the embedding before normalisation (HSE's MobileNet, whose
    length ranks its own errors; dlib-resnet has none).

    Covered eyes (``Calibration.matchability_eyes``): the eye evidence is
    log(1 - cos(e, e_b)), e_b the embedding of the chip with the band from
    the brows to below the lower lids made black: how much the network still
    reads in the eyes. Real photos lie within a narrow spread of it; a band,
    dark lenses or a hand over both eyes leave little to read, and Q loses
    ``cost`` x how far the evidence's z lies below ``below_z``. Nothing is
    lost above it, so the ranking of uncovered photos stays the fitted one.
    Two extra forward passes without gradient, three with the eye term.
    """

    views: tuple[View, ...] = (View(mirror=True), View(dy=4))
    centroid: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()       # w_0, w_1, w_2 (, w_3: the embedding's log length)
    eyes: tuple[float, ...] = ()          # top, bottom, mean, sd, below_z, cost (empty: no eye term)
    name: str = "matchability"
    rotation: ViewRotation | None = field(default=None, compare=False, repr=False)   # live video only

    def bind(self, model) -> "Matchability":
        cal = model.calibration
        if not cal.centroids or not cal.matchability:
            raise ValueError(f"model {model.name!r} has no matchability weights or centroids in its calibration; "
                             "python -m plq_desktop.eval.edc --install writes them")
        return replace(self, centroid=tuple(cal.centroids[0]), weights=tuple(cal.matchability),
                       eyes=tuple(cal.matchability_eyes))

    def raw_quality(self, net, chips, features, embedding, generator):
        if not self.weights:
            raise ValueError("the matchability estimator needs its weights: bind it to a model first")
        extra = view_embeddings(net, chips, self.views, self.rotation, embedding)
        unit, views = F.normalize(embedding, dim=-1), F.normalize(extra, dim=-1)
        u = F.normalize(unit + views.sum(dim=0), dim=-1)
        c = F.normalize(torch.tensor(self.centroid, device=u.device, dtype=u.dtype), dim=-1)
        consistency = (views * unit.unsqueeze(0)).sum(dim=-1).mean(dim=0)
        w0, w1, w2 = self.weights[:3]
        q = w0 + w1 * (1.0 - u @ c) + w2 * consistency
        if len(self.weights) > 3:
            q = q + self.weights[3] * torch.log(embedding.norm(dim=-1))
        if self.eyes:
            _top, _bottom, mean, sd, below_z, cost = self.eyes
            # Never from an older frame (live video): a covered eye must cost at once, and a stale third
            # view would push the live value past the rotation's tolerance.
            blacked = F.normalize(view_embeddings(net, chips, (View(black_rows=self.eyes[:2]),))[0], dim=-1)
            evidence = torch.log((1.0 - (blacked * unit).sum(dim=-1)).clamp_min(EYE_EVIDENCE_FLOOR))
            q = q - cost * torch.relu(below_z - (evidence - mean) / sd)
        return q


EYE_EVIDENCE_FLOOR = 1e-4       # 1 - cos below this (a uniform band already there) counts as this


CRFIQA_MODELS = ("crfiqa-r100", "crfiqa-r50")


@dataclass(frozen=True)
class CrFiqa:
    """CR-FIQA's quality head on the deterministic embedding: Q = qs(e), unbounded (about CCS / NNCCS)."""

    name: str = "crfiqa"

    def supports(self, net: SplitNet) -> bool:
        return callable(getattr(net, "quality_score", None))

    def raw_quality(self, net, chips, features, embedding, generator):
        if not self.supports(net):
            raise EstimatorUnavailable(
                f"the crfiqa estimator needs a CR-FIQA model ({' or '.join(CRFIQA_MODELS)}), whose checkpoint "
                f"holds the quality head; {type(net).__name__} has none. Get the published checkpoint and run "
                "'plq models import crfiqa-r100 FILE' (see docs/models.md), then use --model crfiqa-r100")
        return net.quality_score(embedding)


ESTIMATORS: dict[str, QualityEstimator] = {
    "serfiq": SerFiq(),
    "robustness": PerturbationRobustness(),
    "recognisability": Recognisability(),
    "matchability": Matchability(),
    "crfiqa": CrFiqa(),
}


def supports(estimator: QualityEstimator, net: SplitNet) -> bool:
    """Whether ``estimator`` can rate faces with ``net`` (only CR-FIQA needs a particular network)."""
    check = getattr(estimator, "supports", None)
    return True if check is None else bool(check(net))


def require_support(estimator: QualityEstimator, net: SplitNet) -> None:
    if not supports(estimator, net):
        estimator.raw_quality(net, None, None, None, None)  # raises its own EstimatorUnavailable


def get_estimator(name: str) -> QualityEstimator:
    try:
        return ESTIMATORS[name]
    except KeyError:
        raise ValueError(f"unknown quality estimator {name!r}; choose one of {sorted(ESTIMATORS)}") from None


def spread_calibration(raw_values, low_pct: float = 10, high_pct: float = 90) -> tuple[float, float]:
    """Eq. 2 constants from a development set of raw qualities.

    r is the median; alpha maps the low and high percentiles to Q_hat = 0.1 and
    0.9 (so the development set spreads over most of [0, 1]).
    """
    values = torch.as_tensor(raw_values, dtype=torch.float64)
    lo, mid, hi = torch.quantile(values, torch.tensor([low_pct / 100, 0.5, high_pct / 100], dtype=torch.float64))
    width = float(hi - lo)
    if width <= 0:
        raise ValueError("development qualities have no spread; cannot calibrate alpha")
    alpha = 2 * math.log(9) / width
    return alpha, float(mid)
