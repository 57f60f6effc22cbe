"""What the officer sees: the readable map, the raw pixel map, and the display gamma.

The checks never read these: they use the merged gradient S_hat (Eq. 5), which
no display setting changes.

- The raw map is the paper's Eq. 6 on every pixel: P = 1 - 1 / (1 + 10^gamma S^2).
- The readable map (the default) applies Eq. 6 to S smoothed with a Gaussian
  of READABLE_SIGMA of the chip's width: single-pixel speckle averages out and
  regions show as areas, but a map stays comparable between images (same
  smoothing, same gamma, no per-image scaling).
- The display gamma offset of the GUI re-maps P without S: with
  odds = P / (1 - P) = 10^gamma S^2, adding d to gamma multiplies the odds by
  10^d. Colours change; nothing else does.
"""

from __future__ import annotations

import cv2
import numpy as np

READABLE_SIGMA = 1 / 75      # of the chip's width: 2 px on dlib's 150 px chip, 1.5 px on 112 px


def readable_gradient(chip_gradient: np.ndarray) -> np.ndarray:
    """S smoothed for display (float64, same shape)."""
    s = np.asarray(chip_gradient, dtype=np.float64)
    sigma = READABLE_SIGMA * s.shape[-1]
    return cv2.GaussianBlur(s, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)


def pixel_quality(chip_gradient: np.ndarray, gamma: float, raw: bool = False) -> np.ndarray:
    """Eq. 6 on the raw or the readable S: float32 P in [0, 1]."""
    s = np.asarray(chip_gradient, dtype=np.float64) if raw else readable_gradient(chip_gradient)
    return (1 - 1 / (1 + 10 ** gamma * np.square(s))).astype(np.float32)


def regamma(plq_map: np.ndarray, offset: float) -> np.ndarray:
    """A map shown with gamma + ``offset`` instead of gamma (NaN stays NaN)."""
    if offset == 0:
        return plq_map
    p = np.clip(np.asarray(plq_map, dtype=np.float64), 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = p / (1 - p) * 10.0 ** offset
        out = np.where(np.isinf(odds), 1.0, odds / (1 + odds))
    return out.astype(np.float32)
