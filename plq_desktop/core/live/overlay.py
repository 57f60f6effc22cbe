"""What the live view draws over a frame: the coloured map or difference as RGBA, and the weakest regions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from plq_desktop.core.analysis import FaceResult
from plq_desktop.core.face.regions import FACE_REGIONS
from plq_desktop.core.io.render import colourize, colourize_difference

# -- what the window draws --------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Overlay:
    """Coloured map pixels for part of the photo: RGBA rows placed with their top-left at (x, y)."""

    x: int
    y: int
    rgba: np.ndarray


def _overlay(values: np.ndarray, colours: Callable[[np.ndarray], np.ndarray]) -> Overlay | None:
    """RGBA of the finite part of a photo-sized map, cropped to its bounding box (transparent elsewhere)."""
    finite = np.isfinite(values)
    rows, cols = np.flatnonzero(finite.any(axis=1)), np.flatnonzero(finite.any(axis=0))
    if rows.size == 0:
        return None
    y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    crop, inside = values[y0:y1, x0:x1], finite[y0:y1, x0:x1]
    # Colour the whole box (NaN gets a colour too) and clear what is not finite: a third of the time of
    # colouring the finite pixels picked out by a mask (every live frame builds one).
    rgba = np.empty((*crop.shape, 4), np.uint8)
    rgba[..., :3] = colours(crop)
    rgba[..., 3] = 255
    rgba *= inside[..., None]
    return Overlay(int(x0), int(y0), rgba)


def map_overlay(plq_map: np.ndarray) -> Overlay | None:
    """The red-to-green pixel-quality colours of a photo-sized map (NaN = not analysed)."""
    return _overlay(plq_map, colourize)


def amva_overlay(amva_map: np.ndarray, vmax: float) -> Overlay | None:
    """AMVA deviation colours (core.io.amva_figures: black = as expected, bright = far from good faces)."""
    from plq_desktop.core.io.amva_figures import colourize_amva
    return _overlay(amva_map, lambda values: colourize_amva(values, vmax))


def difference_overlay(left: np.ndarray, right: np.ndarray) -> Overlay | None:
    """Colours of ``right - left`` where both maps are defined (purple where the right map is higher)."""
    return _overlay(right - left, colourize_difference)


# -- regions with the lowest pixel quality (shown when a face has no hints) --------

@dataclass(frozen=True, eq=False)
class RegionQuality:
    """The mean pixel quality over one face region; shaped like a hint for the hints list."""

    region: str
    value: float
    polygon: np.ndarray   # N x 2 photo coordinates

    @property
    def message(self) -> str:
        return f"{self.region.replace('_', ' ').capitalize()}: mean pixel quality {self.value:.2f}"

    def to_dict(self) -> dict:
        return {
            "region": self.region, "check": "mean pixel quality", "value": round(self.value, 4),
            "threshold": None, "severity": "info", "message": self.message,
            "polygon": np.round(self.polygon, 1).tolist(),
        }


def weakest_regions(face: FaceResult, count: int = 3) -> list[RegionQuality]:
    """The ``count`` face regions with the lowest mean pixel quality, lowest first.

    Reads the region statistics that the hints computed (68 landmarks only;
    with 5 landmarks there are none).
    """
    if face.regions is None:
        return []
    found = [RegionQuality(name, face.region_stats[name].mean, face.regions.polygons[name])
             for name in FACE_REGIONS if face.region_stats.get(name) is not None]
    found.sort(key=lambda r: r.value)
    return found[:count]
