"""A loaded face-recognition model and the PLQ computation (Eqs. 3-6).

The PLQ of a batch of chips costs one backbone forward with gradient, the
estimator's extra work without gradient, and one backward pass:

1. f = features(I), e = head(f)                      (graph kept)
2. Q from the estimator on detached f / I, Q_hat = sigmoid(alpha (Q - r))
3. quality node M_Q(I) = sum_k w_k e_k with constant weights
   w_k = Q_hat * sign(e_k) / ||e||_1.
   A plain w_k = Q_hat / ||e||_1 gives Q_hat * sum(e) / ||e||_1, which is not
   Q_hat once e has negative entries (dlib's and ArcFace's embeddings do);
   the sign keeps every term non-negative, so M_Q(I) = Q_hat * ||e||_1 /
   ||e||_1 = Q_hat exactly, and the node stays linear with bias 0.
4. S = dM_Q/dI, clipped at a per-model constant; S_hat = mean_c |S|;
   P = 1 - 1 / (1 + 10^gamma * S_hat^2). No per-image min-max scaling.

Faces in one batch do not interact (every layer runs in eval mode), so the
gradient of the summed node outputs gives each face its own map.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np
import torch

from plq_desktop.core.nets.base import SplitNet, rms_activation
from plq_desktop.core.plq.estimators import (
    QualityEstimator,
    ViewRotation,
    get_estimator,
    require_support,
    scale_quality,
)

# Where the map's gradient comes from: the paper's quality node (Eq. 3), or the
# learned CR-FIQA output itself (only for models with that head).
MAP_SOURCES = ("node", "crfiqa")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Calibration:
    """Per-model display and scaling constants (see ``benchmarks/calibrate.py``)."""

    gamma: float
    grad_clip: float
    scaling: dict[str, tuple[float, float]] = field(default_factory=dict)  # estimator -> (alpha, r)
    # Unit "unrecognisable face" centroids of the model's embedding (recognisability estimator).
    centroids: tuple[tuple[float, ...], ...] = ()
    # The matchability estimator's weights (w_0, w_1, w_2), fitted on real mated pairs.
    matchability: tuple[float, ...] = ()
    # Its covered-eyes term (top row, bottom row as fractions of the chip height, mean and SD of the log eye
    # evidence over real photos, the z below which it costs, the cost per unit of z): empty = none.
    matchability_eyes: tuple[float, ...] = ()

    def alpha_r(self, estimator: str) -> tuple[float, float]:
        try:
            return self.scaling[estimator]
        except KeyError:
            raise ValueError(f"no Eq. 2 calibration for estimator {estimator!r}") from None


@dataclass
class PLQResult:
    quality: np.ndarray       # (N,) Q_hat in [0, 1]
    raw_quality: np.ndarray   # (N,) Q
    maps: np.ndarray          # (N, h, w) float32 P in [0, 1]
    gradients: np.ndarray     # (N, h, w) float32 S_hat (Eq. 5, clipped): what P is computed from
    node_output: np.ndarray   # (N,) M_Q(I), equals quality
    estimator: str
    # (N, h, w) AMVA's activation on the spatial layer's grid, from the same forward pass (core.plq.amva);
    # None for a network without a spatial layer.
    activations: np.ndarray | None = None


class NodeGradients(NamedTuple):
    gradient: torch.Tensor        # dM_Q/dI (or dq/dI for CR-FIQA's output), N x 3 x h x w
    q_hat: torch.Tensor
    raw: torch.Tensor
    node: torch.Tensor            # M_Q(I)
    activation: torch.Tensor | None   # rms_activation of the spatial layer, N x gh x gw


def pixel_quality_from_gradient(merged, gamma: float):
    """Eq. 6: P = 1 - 1 / (1 + 10^gamma * S_hat^2), for a torch tensor or a numpy array."""
    if isinstance(merged, torch.Tensor):
        return (1 - 1 / (1 + 10 ** gamma * merged.double().square())).float()
    merged = np.asarray(merged, dtype=np.float64)
    return (1 - 1 / (1 + 10 ** gamma * np.square(merged))).astype(np.float32)


DEVICE_CHOICES = "auto, cpu, cuda or cuda:N"
_DEVICE_PATTERN = re.compile(r"auto|cpu|cuda(:\d+)?")


def check_device(device: str) -> str:
    """``device`` if it is one of auto, cpu, cuda, cuda:N; else a ValueError naming the accepted values.

    Checked before torch sees the string: torch's own error lists its twenty device types.
    """
    text = str(device).strip().lower()
    if not _DEVICE_PATTERN.fullmatch(text):
        raise ValueError(f"unknown device {device!r}: use {DEVICE_CHOICES}")
    return text


class DeviceUnavailable(RuntimeError):
    """A well-formed device this machine does not have (CUDA without a CUDA device, cuda:N past the last)."""


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    if isinstance(device, torch.device):
        return device
    device = check_device(device)
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise DeviceUnavailable("CUDA was requested but no CUDA device is available; use --device cpu or auto")
        index = int(device.partition(":")[2] or 0)
        if index >= torch.cuda.device_count():
            raise DeviceUnavailable(f"{device} was requested but this machine has {torch.cuda.device_count()} "
                                    f"CUDA device(s), cuda:0 to cuda:{torch.cuda.device_count() - 1}")
    return torch.device(device)


class FaceModel:
    """A resident network plus its calibration; all entry points take uint8 RGB chips."""

    def __init__(self, name: str, net: SplitNet, chip_size: tuple[int, int], alignment: str,
                 calibration: Calibration, default_estimator: str, device: str | torch.device = "auto",
                 trained_dropout: float | None = None):
        self.name = name
        self.trained_dropout = trained_dropout
        self.chip_size = tuple(chip_size)
        self.alignment = alignment
        self.calibration = calibration
        self.default_estimator = default_estimator
        self.device = resolve_device(device)
        self.net = net.eval().to(self.device)
        for p in self.net.parameters():
            p.requires_grad_(False)
        # Set when a CUDA out-of-memory error moved the model to the CPU.
        self.fallback_message: str | None = None

    # -- inputs ---------------------------------------------------------------
    def _chip_tensor(self, chips: np.ndarray) -> torch.Tensor:
        chips = np.asarray(chips)
        if chips.ndim == 3:
            chips = chips[None]
        if chips.dtype != np.uint8 or chips.shape[1:] != (*self.chip_size, 3):
            raise ValueError(f"{self.name} takes uint8 N x {self.chip_size[0]} x {self.chip_size[1]} x 3 "
                             f"RGB chips, got {chips.dtype} {chips.shape}")
        x = torch.from_numpy(np.ascontiguousarray(chips)).to(self.device)
        return x.permute(0, 3, 1, 2).float()

    def estimator(self, name: str | None = None) -> QualityEstimator:
        """The named (default: the model's) estimator, bound to this model's per-model data."""
        est = get_estimator(name or self.default_estimator)
        return est.bind(self) if hasattr(est, "bind") else est

    def _generator(self, seed: int | None) -> torch.Generator | None:
        if seed is None:
            return None
        return torch.Generator(device=self.device).manual_seed(seed)

    # -- public API -----------------------------------------------------------
    def embed(self, chips: np.ndarray) -> np.ndarray:
        """Deterministic embeddings (no dropout): N x D float32."""
        def run():
            with torch.inference_mode():
                return self.net(self._chip_tensor(chips)).float().cpu().numpy()
        return self._with_oom_fallback(run)

    def check_estimator(self, estimator: str | None) -> QualityEstimator:
        """``estimator(name)`` after checking it can run on this network (EstimatorUnavailable if not)."""
        est = get_estimator(estimator or self.default_estimator)
        require_support(est, self.net)
        return self.estimator(estimator)

    def quality(self, chips: np.ndarray, estimator: str | None = None,
                seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
        """(Q_hat, Q) without the map, for ranking many images quickly (same seed default as ``plq``)."""
        est = self.check_estimator(estimator)
        alpha, r = self.calibration.alpha_r(est.name)

        def run():
            with torch.no_grad():
                x = self._chip_tensor(chips)
                f = self.net.features(x)
                e = self.net.head(f)
                q = est.raw_quality(self.net, x, f, e, self._generator(seed))
                return scale_quality(q, alpha, r).cpu().numpy(), q.cpu().numpy()
        return self._with_oom_fallback(run)

    def plq(self, chips: np.ndarray, estimator: str | None = None, seed: int | None = 0,
            map_from: str = "node", view_rotation: ViewRotation | None = None) -> PLQResult:
        """Image quality and pixel-level quality maps for a batch of chips.

        ``map_from``: "node" (the paper: gradient of the Eq. 3 quality node) or
        "crfiqa" (gradient of the CR-FIQA head's own output; CR-FIQA models only).
        ``view_rotation``: consecutive frames of a live video share the
        estimator's extra views, one new view per call (``ViewRotation``);
        estimators without views ignore it.
        """
        est = self.check_estimator(estimator)
        if view_rotation is not None and getattr(est, "views", None) and hasattr(est, "rotation"):
            est = replace(est, rotation=view_rotation)
        if map_from not in MAP_SOURCES:
            raise ValueError(f"unknown map source {map_from!r}; choose one of {', '.join(MAP_SOURCES)}")
        if map_from == "crfiqa":
            require_support(get_estimator("crfiqa"), self.net)
        return self._with_oom_fallback(lambda: self._plq(chips, est, seed, map_from))

    def plq_deferred(self, chips: np.ndarray, estimator: str | None = None, seed: int | None = 0,
                     view_rotation: ViewRotation | None = None,
                     views_on: Executor | None = None) -> Callable[[], PLQResult]:
        """``plq`` (with the paper's node) in two steps: the forward and backward passes now; the
        estimator's quality (its extra views, if any) and the maps in the returned function.

        Q_hat only scales the node's weights (Eq. 3), so the backward pass runs
        with Q_hat = 1 and the gradient is scaled by Q_hat afterwards: the same
        quality, and maps equal to ``plq``'s up to float rounding (relative
        1e-6). The estimator runs in the returned function, or, with
        ``views_on`` (an executor: the live view's finisher thread), from the
        end of the forward pass on, beside the backward pass. Call the
        returned function once, on any thread.
        """
        est = self.check_estimator(estimator)
        if view_rotation is not None and getattr(est, "views", None) and hasattr(est, "rotation"):
            est = replace(est, rotation=view_rotation)
        alpha, r = self.calibration.alpha_r(est.name)

        def estimate(x, features, embedding):
            with torch.no_grad():        # grad mode is per thread: this may be another one
                return est.raw_quality(self.net, x, features, embedding, self._generator(seed))

        def network():
            x = self._chip_tensor(chips).requires_grad_(True)
            with torch.enable_grad():
                features, activation = self._features(x)
                embedding = self.net.head(features)
                seen = x.detach(), features.detach(), embedding.detach()
                later = views_on.submit(estimate, *seen) if views_on is not None else None
                with torch.no_grad():
                    weights = (1.0 / embedding.abs().sum(dim=1)).unsqueeze(1) * torch.sign(embedding)
                node = (weights * embedding).sum(dim=1)
                (grad,) = torch.autograd.grad(node.sum(), x)
            return seen, later, node.detach(), grad, activation

        seen, later, unit_node, unit_grad, activation = self._with_oom_fallback(network)

        def finish() -> PLQResult:
            raw = later.result() if later is not None else estimate(*seen)
            with torch.no_grad():
                q_hat = scale_quality(raw, alpha, r)
                scale = q_hat.to(unit_grad.dtype).view(-1, *([1] * (unit_grad.dim() - 1)))
                return self._result(unit_grad * scale, q_hat, raw, q_hat * unit_node, est, activation)
        return finish

    def _plq(self, chips: np.ndarray, est: QualityEstimator, seed: int | None, map_from: str = "node") -> PLQResult:
        gradients = self.output_gradients if map_from == "crfiqa" else self.node_gradients
        grad, q_hat, raw, node, activation = gradients(chips, est, seed)
        return self._result(grad, q_hat, raw, node, est, activation)

    def _result(self, grad: torch.Tensor, q_hat: torch.Tensor, raw: torch.Tensor, node: torch.Tensor,
                est: QualityEstimator, activation: torch.Tensor | None) -> PLQResult:
        merged = self.merged_gradient(grad)
        return PLQResult(
            quality=q_hat.cpu().numpy().astype(np.float32),
            raw_quality=raw.cpu().numpy().astype(np.float32),
            maps=self.unread_border_nan(pixel_quality_from_gradient(merged, self.calibration.gamma)).cpu().numpy(),
            gradients=merged.float().cpu().numpy(),
            node_output=node.cpu().numpy().astype(np.float32),
            estimator=est.name,
            activations=None if activation is None else activation.cpu().numpy(),
        )

    def _features(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """The head's input and, when the network has a spatial layer, AMVA's activation from the same pass."""
        if not self.net.has_spatial_features:
            return self.net.features(x), None
        spatial = self.net.spatial_features(x)
        return self.net.pool_spatial(spatial), rms_activation(spatial.detach())

    def node_gradients(self, chips: np.ndarray, est: QualityEstimator, seed: int | None):
        """Eqs. 1-4 with one forward and one backward pass (and AMVA's activation from that forward)."""
        alpha, r = self.calibration.alpha_r(est.name)
        x = self._chip_tensor(chips).requires_grad_(True)
        with torch.enable_grad():
            features, activation = self._features(x)
            embedding = self.net.head(features)
            with torch.no_grad():
                raw = est.raw_quality(self.net, x.detach(), features.detach(), embedding.detach(),
                                      self._generator(seed))
                q_hat = scale_quality(raw, alpha, r)
                weights = (q_hat / embedding.abs().sum(dim=1)).unsqueeze(1) * torch.sign(embedding)
            node = (weights * embedding).sum(dim=1)
            (grad,) = torch.autograd.grad(node.sum(), x)
        return NodeGradients(grad, q_hat, raw, node.detach(), activation)

    def output_gradients(self, chips: np.ndarray, est: QualityEstimator, seed: int | None):
        """Like ``node_gradients``, but S = dq/dI of the raw CR-FIQA output q = qs(e) itself.

        The paper's node is a constant-weight linear function of the embedding
        whose value is Q_hat; CR-FIQA's head is a learned linear function of the
        same embedding whose weights say which embedding directions the
        classifiability depends on, so its gradient shows the pixels that move
        the CR-FIQA score. Q_hat and Q still come from ``est``; the returned
        node output is Q_hat of the CR-FIQA output.
        """
        alpha, r = self.calibration.alpha_r("crfiqa")
        x = self._chip_tensor(chips).requires_grad_(True)
        with torch.enable_grad():
            features, activation = self._features(x)
            embedding = self.net.head(features)
            output = self.net.quality_score(embedding)
            with torch.no_grad():
                raw = est.raw_quality(self.net, x.detach(), features.detach(), embedding.detach(),
                                      self._generator(seed))
                q_hat = scale_quality(raw, *self.calibration.alpha_r(est.name))
            (grad,) = torch.autograd.grad(output.sum(), x)
        return NodeGradients(grad, q_hat, raw, scale_quality(output.detach(), alpha, r), activation)

    def merged_gradient(self, grad: torch.Tensor) -> torch.Tensor:
        """Eq. 5 with gradient clipping: N x 3 x h x w gradient -> N x h x w S_hat."""
        return grad.abs().clamp(max=self.calibration.grad_clip).mean(dim=1)

    def pixel_quality(self, grad: torch.Tensor) -> torch.Tensor:
        """Eqs. 5-6 with gradient clipping: N x 3 x h x w gradient -> N x h x w map in [0, 1].

        Rows and columns at the bottom and right that the network never reads
        (``net.no_gradient_border``: dlib's strided convolutions without
        padding skip the last 3) get no gradient whatever their content: they
        are NaN (not analysed), not P = 0.
        """
        return self.unread_border_nan(pixel_quality_from_gradient(self.merged_gradient(grad), self.calibration.gamma))

    def unread_border_nan(self, maps):
        """``maps`` (N x h x w, torch or numpy) with the chip's unread border set to NaN, in place."""
        border = int(getattr(self.net, "no_gradient_border", 0))
        if border:
            maps[:, -border:, :] = float("nan")
            maps[:, :, -border:] = float("nan")
        return maps

    # -- devices --------------------------------------------------------------
    def to(self, device: str | torch.device) -> "FaceModel":
        self.device = resolve_device(device)
        self.net.to(self.device)
        return self

    def _with_oom_fallback(self, run):
        try:
            return run()
        except torch.cuda.OutOfMemoryError:
            if self.device.type != "cuda":
                raise
            torch.cuda.empty_cache()
            self.fallback_message = (f"GPU out of memory while running {self.name}; "
                                     "switched to the CPU (slower) for the rest of this session")
            log.warning(self.fallback_message)
            self.to("cpu")
            return run()

    @property
    def device_label(self) -> str:
        if self.device.type == "cuda":
            return f"CUDA ({torch.cuda.get_device_name(self.device)})"
        return "CPU"
