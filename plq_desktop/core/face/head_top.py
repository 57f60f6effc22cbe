"""The top of the head: where the person meets the background above the face.

The crown has no landmark; ``FaceFrame.crown`` puts it one eye-to-chin
distance T above the eyes (the eyes lie about halfway between chin and
skull top). Hair, a bun or a head covering can reach far above that, and
national passport rules ask for the whole head, from the top of the hair to
the chin. This module finds it in the photo:

1. The photo is levelled and scaled to the face (eye line horizontal, T =
   ``_T_PX`` pixels), from 3.5 T above the eyes to the eyes.
2. The background's colour is sampled beside the head, on each side and row
   by row (Lab, from 1.8 to 2.6 face half-widths off the face's axis): a
   plain passport background, or whatever is behind the person.
3. A band over the face's axis (half a face half-width each side) is walked
   down from the top: the head begins at the first run of rows where most band
   pixels differ from the background of their row. (Walked down, not up: a
   forehead of the background's colour would end an upward walk early.)

When the band still shows the person at the photo's top edge, the head is
cut by the photo and ``touches_edge`` says so. When the background beside the
head cannot be sampled (a tight crop) or is as varied as the head, nothing
is found (None) and callers keep the estimate.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import cv2
import numpy as np

from plq_desktop.core.face.regions import FaceFrame, face_frame

_T_PX = 60.0                 # eye-to-chin distance in the levelled working image
_ABOVE = 3.5                 # how far above the eyes to look, in T
_BACKGROUND_X = (1.8, 2.6)   # background samples, in face half-widths off the axis
_BAND = 0.5                  # half-width of the band walked upwards, in face half-widths
_START = 0.6                 # the walk starts this far above the eyes (the forehead), in T
_FULL = 0.5                  # a row with at least this share of person pixels is the head
_RUN = 0.08                  # ... for this many T in a row
_EDGE = 0.12                 # the outline's colour change is measured over this many T each side
_EDGE_REACH = 0.35           # ... and looked for at most this many T below the first "person" rows
_MIN_LIMIT = 14.0            # a colour this close (Lab distance) to the background is background
_MIN_SAMPLES = 40


@dataclass
class HeadTop:
    above_eyes: float        # distance from the eyes' midpoint up to the top of the head, photo pixels
    touches_edge: bool       # the person still fills the band at the photo's top edge: the head is cut

    def point(self, frame: FaceFrame) -> np.ndarray:
        return frame.eye_mid - self.above_eyes * frame.down


def _face_half_width(frame: FaceFrame) -> float:
    return float(abs((frame.points[16] - frame.points[0]) @ frame.across)) / 2


def find_head_top(image: np.ndarray, landmarks68: np.ndarray) -> HeadTop | None:
    """The top of the head above the face with these 68 landmarks (photo pixels), or None if not found."""
    frame = face_frame(np.asarray(landmarks68, dtype=np.float64))
    t = frame.eye_to_chin
    half = _face_half_width(frame)
    if t <= 0 or half <= 0:
        return None
    s = _T_PX / t
    half_px = half * s
    width = int(2 * _BACKGROUND_X[1] * half_px + 2)
    height = int(_ABOVE * _T_PX)
    # Photo -> working image: the eyes' midpoint at (width / 2, height), up is up.
    linear = s * np.array([frame.across, frame.down])
    offset = np.array([width / 2, height]) - linear @ frame.eye_mid
    matrix = np.column_stack([linear, offset])
    rgb = np.ascontiguousarray(image[..., :3]) if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    work = cv2.warpAffine(rgb, matrix, (width, height + 1), flags=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT)
    inside = cv2.warpAffine(np.full(rgb.shape[:2], 255, np.uint8), matrix, (width, height + 1),
                            flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT) > 0
    lab = cv2.cvtColor(work, cv2.COLOR_RGB2LAB).astype(np.float32)

    xs = np.arange(width) - width / 2
    band = np.abs(xs) <= _BAND * half_px
    strip, strip_inside = lab[:, band], inside[:, band]
    # Row by row, the background on each side: its median colour and spread over a few rows (a
    # vignette or a gradient changes along the height); a pixel of the band is the person when it is
    # far from the background of every side that row has.
    reach = max(2, int(_RUN * _T_PX / 2))
    person = np.ones(strip.shape[:2], bool)
    sampled = np.zeros(height + 1, bool)
    for sign in (-1, 1):
        cols = (sign * xs >= _BACKGROUND_X[0] * half_px) & (sign * xs <= _BACKGROUND_X[1] * half_px)
        block, ok = lab[:, cols], inside[:, cols]
        far = np.zeros(strip.shape[:2], bool)
        has = np.zeros(height + 1, bool)
        for y in range(height + 1):
            samples = block[max(0, y - reach):y + reach + 1][ok[max(0, y - reach):y + reach + 1]]
            if len(samples) < _MIN_SAMPLES:
                far[y] = True           # no background here on this side: the other side decides
                continue
            centre = np.median(samples, axis=0)
            limit = max(_MIN_LIMIT, 2.0 * float(np.percentile(np.linalg.norm(samples - centre, axis=1), 90)))
            far[y] = np.linalg.norm(strip[y] - centre, axis=1) > limit
            has[y] = True
        person &= far
        sampled |= has
    start = int(height - _START * _T_PX)
    if not sampled[start:].any() and not sampled[:start].any():
        return None         # a tight crop: no background beside the head
    share = np.array([person[y][strip_inside[y]].mean() if strip_inside[y].mean() >= 0.5 else np.nan
                      for y in range(height + 1)])
    run = max(2, int(_RUN * _T_PX))
    # From the top down: the first run of rows where the band is mostly the person is the head's top.
    first_inside = int(np.argmax(~np.isnan(share)))
    if np.isnan(share[first_inside]) or first_inside > start:
        return None
    for y in range(first_inside, start - run + 1):
        if np.all(share[y:y + run] >= _FULL):
            if y == first_inside:       # the person fills the band at the photo's top edge: the head is cut
                return HeadTop((height - y) / s, touches_edge=True)
            return HeadTop((height - _sharpest_edge(strip, strip_inside, y, start)) / s, touches_edge=False)
    return None     # no head above the forehead stands out from the background


def _sharpest_edge(strip: np.ndarray, strip_inside: np.ndarray, found: int, start: int) -> int:
    """The row of the head's outline near ``found``: the topmost strong change of the band's mean colour.

    The background's colour beside the head can differ from the one right above it (a lit halo behind
    the head), which makes the first "person" rows start a little above the hair; the outline itself is
    where the band's colour changes most sharply.
    """
    k = max(2, int(_EDGE * _T_PX))
    rows = np.array([strip[y][strip_inside[y]].mean(axis=0) if strip_inside[y].any() else np.full(3, np.nan)
                     for y in range(len(strip))])
    lo, hi = max(k, found - k), min(start, len(strip) - k, found + int(_EDGE_REACH * _T_PX))
    if hi <= lo:
        return found
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # rows outside the photo: no colour
        contrast = np.array([np.linalg.norm(np.nanmean(rows[y - k:y], axis=0) - np.nanmean(rows[y:y + k], axis=0))
                             for y in range(lo, hi)])
    if not np.isfinite(contrast).any():
        return found
    strong = np.flatnonzero(contrast >= 0.6 * np.nanmax(contrast))
    y = int(strong[0])
    while y + 1 < len(contrast) and contrast[y + 1] > contrast[y]:     # up to the peak of that change
        y += 1
    return lo + y
