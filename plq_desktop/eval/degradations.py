"""Controlled degradations of aligned face chips, each at three strengths (plus a held-out set).

Used by the quality-versus-utility study, the calibration and the tests. All
are deterministic for a given seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np


def blur(chip: np.ndarray, sigma: float, rng=None) -> np.ndarray:
    return cv2.GaussianBlur(chip, (0, 0), sigmaX=sigma)


def noise(chip: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    noisy = chip.astype(np.float32) + rng.normal(0.0, sigma, chip.shape)
    return np.clip(noisy, 0, 255).round().astype(np.uint8)


def jpeg(chip: np.ndarray, quality: float, rng=None) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(chip, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def downscale(chip: np.ndarray, factor: float, rng=None) -> np.ndarray:
    h, w = chip.shape[:2]
    small = cv2.resize(chip, (max(2, round(w * factor)), max(2, round(h * factor))), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def square_position(shape: tuple[int, ...], side: int, rng: np.random.Generator,
                    inner: float = 0.9) -> tuple[int, int]:
    """Top-left corner of a side x side square placed uniformly inside the inner part of the chip."""
    h, w = shape[:2]
    y_lo, x_lo = int(h * (1 - inner) / 2), int(w * (1 - inner) / 2)
    y_hi, x_hi = int(h - h * (1 - inner) / 2) - side, int(w - w * (1 - inner) / 2) - side
    return int(rng.integers(y_lo, max(y_lo, y_hi) + 1)), int(rng.integers(x_lo, max(x_lo, x_hi) + 1))


def black_square(chip: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    side = int(round(fraction * chip.shape[0]))
    y, x = square_position(chip.shape, side, rng)
    out = chip.copy()
    out[y:y + side, x:x + side] = 0
    return out


def darken(chip: np.ndarray, factor: float, rng=None) -> np.ndarray:
    return (chip.astype(np.float32) * factor).round().astype(np.uint8)


@dataclass(frozen=True)
class Degradation:
    kind: str
    strengths: tuple[float, ...]
    apply: Callable[..., np.ndarray]
    unit: str


DEGRADATIONS: tuple[Degradation, ...] = (
    Degradation("blur", (1.5, 3.0, 6.0), blur, "Gaussian sigma, px"),
    Degradation("noise", (10.0, 25.0, 50.0), noise, "Gaussian sigma, grey levels"),
    Degradation("jpeg", (20.0, 8.0, 3.0), jpeg, "JPEG quality"),
    Degradation("downscale", (0.5, 0.25, 0.125), downscale, "scale factor before upscaling back"),
    Degradation("occlusion", (0.25, 0.4, 0.55), black_square, "black square side / chip side"),
    Degradation("darken", (0.4, 0.2, 0.08), darken, "brightness factor"),
)


# Strengths between those above, never used to choose an estimator: a held-out check.
HELDOUT_DEGRADATIONS: tuple[Degradation, ...] = tuple(
    Degradation(d.kind, strengths, d.apply, d.unit) for d, strengths in zip(DEGRADATIONS, (
        (2.0, 4.5), (18.0, 35.0), (12.0, 5.0), (0.35, 0.18), (0.3, 0.48), (0.3, 0.13))))


def degraded_versions(chip: np.ndarray, seed: int = 0, degradations: tuple[Degradation, ...] = DEGRADATIONS):
    """Yield (kind, strength level 1.., strength, degraded chip) for every degradation."""
    rng = np.random.default_rng(seed)
    for d in degradations:
        for level, strength in enumerate(d.strengths, start=1):
            yield d.kind, level, strength, d.apply(chip, strength, rng)
