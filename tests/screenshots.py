"""What a screenshot shows, for the tests that take one (a window saved by ``plq-desktop --screenshot``)."""

from __future__ import annotations

import cv2
import numpy as np

from plq_desktop.core.io.palette import DEFAULT_PALETTE


def read_rgb(path) -> np.ndarray:
    return cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)


def face_tags(rgb: np.ndarray, min_area: int = 300, palette=DEFAULT_PALETTE) -> list[tuple[int, int, int]]:
    """The colours of the opaque "Q" tags painted on face boxes: solid blobs in a colour of the map's scale
    (the legend's gradient changes colour every few rows, the blended map never hits the scale exactly)."""
    codes = (rgb[..., 0].astype(np.int32) << 16) | (rgb[..., 1].astype(np.int32) << 8) | rgb[..., 2]
    lut = palette.lut().astype(np.int32)
    scale = np.unique((lut[:, 0] << 16) | (lut[:, 1] << 8) | lut[:, 2])
    values, counts = np.unique(codes[np.isin(codes, scale)], return_counts=True)
    tags = []
    for value in values[counts >= min_area]:
        _, _, stats, _ = cv2.connectedComponentsWithStats((codes == value).astype(np.uint8))
        if (stats[1:, cv2.CC_STAT_AREA] >= min_area).any():
            tags.append((int(value) >> 16, (int(value) >> 8) & 255, int(value) & 255))
    return tags
