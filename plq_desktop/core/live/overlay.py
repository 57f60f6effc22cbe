"""What the live view draws over a frame: the coloured map or difference as RGBA, and the weakest regions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np

from plq_desktop.core.analysis import FaceResult, ImageResult
from plq_desktop.core.face.regions import FACE_REGIONS
from plq_desktop.core.io.palette import DEFAULT_PALETTE, Palette
from plq_desktop.core.io.render import colourize_difference
from plq_desktop.core.plq.display import regamma

# -- what the window draws --------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Overlay:
    """Coloured map pixels for part of the photo: RGBA rows placed with their top-left at (x, y).

    ``premultiplied``: the colours are already multiplied by alpha (an overlay resampled with its alpha).
    """

    x: int
    y: int
    rgba: np.ndarray
    premultiplied: bool = False


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


def map_overlay(plq_map: np.ndarray, palette: Palette = DEFAULT_PALETTE) -> Overlay | None:
    """The pixel-quality colours of a photo-sized map in ``palette`` (NaN = not analysed)."""
    return _overlay(plq_map, palette.colourize)


def result_overlay(result: ImageResult, raw: bool = False, gamma_offset: float = 0.0,
                   palette: Palette = DEFAULT_PALETTE) -> Overlay | None:
    """The colours of a result's map as shown (``raw``: the per-pixel map; ``gamma_offset``: see
    ``display.regamma``). One face and the readable map: ``face_overlay``; otherwise the photo map's
    colours (several faces: where they overlap, the higher value; the speckled per-pixel map: its
    values interpolated, not its colours)."""
    if not result.faces:
        return None
    if len(result.faces) == 1 and not raw:
        return face_overlay(result.faces[0], gamma_offset, palette)
    return map_overlay(regamma(result.map(raw), gamma_offset), palette)


def face_overlay(face: FaceResult, gamma_offset: float = 0.0, palette: Palette = DEFAULT_PALETTE) -> Overlay | None:
    """One face's readable map coloured on its chip and resampled onto the photo with its alpha (OpenCV,
    bilinear): ``map_overlay`` of the face's photo map to within colours interpolated instead of values
    (measured on two real faces: 0.6 of 255 on average, 6 at the 99th percentile) and an edge one pixel
    soft, without warping the map itself to the photo (the live view builds one per frame: 1.5 instead
    of 3.8 ms)."""
    values = regamma(face.chip_plq, gamma_offset)
    chip = np.empty((*values.shape, 4), np.uint8)
    chip[..., :3] = palette.colourize(values)
    chip[..., 3] = 255
    chip *= np.isfinite(values)[..., None]          # premultiplied: transparent pixels are black
    x0, y0, x1, y1 = face.alignment.footprint(face.image_size)
    if x0 >= x1 or y0 >= y1:
        return None
    to_chip = face.alignment.matrix.copy()          # photo pixel -> chip pixel, here from the box's corner
    to_chip[:, 2] += to_chip[:, :2] @ (x0, y0)
    rgba = cv2.warpAffine(chip, to_chip, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0))
    return Overlay(int(x0), int(y0), rgba, premultiplied=True)


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

    def text(self, language: str | None = None, audience: str = "officer") -> str:
        """Like ``Hint.text``: the officer's line in ``language`` (the applicant is asked for nothing)."""
        from plq_desktop.core.i18n import _, format_sentence
        from plq_desktop.core.icao.texts import region_label
        if audience == "applicant":
            return ""
        label = region_label(self.region, language)
        return format_sentence(_("{region}: mean pixel quality {value:.2f}", language), language,
                               region=label[:1].upper() + label[1:], value=self.value)

    @property
    def message(self) -> str:
        return self.text()

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
