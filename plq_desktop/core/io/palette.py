"""The colour scales of pixel quality (numpy + matplotlib, no Qt): every map, legend, gauge and box takes one.

``red-green`` (the default) is the product's red-yellow-green. Red and green
are the pair deuteranopes and protanopes (about 1 man in 12) cannot tell
apart: under simulated deuteranopia 0.25 and 0.75 differ by ΔE 4.7 and 0 and
1 by 8.4 (CAM02-UCS). ``cividis`` (dark blue to yellow, made for colour
vision deficiency) keeps every pair of P = 0, 0.25, 0.5, 0.75, 1 at least
ΔE 10 apart under both (``python -m plq_desktop.eval.palette_check``, docs/palette.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from plq_desktop.core.plq.meaning import BAND_COLOURS, quality_band

RGB = tuple[int, int, int]


@lru_cache(maxsize=None)
def _lut(colormap: str) -> np.ndarray:
    from matplotlib import colormaps
    lut = (colormaps[colormap](np.linspace(0.0, 1.0, 256))[:, :3] * 255).round().astype(np.uint8)
    lut.setflags(write=False)
    return lut


@dataclass(frozen=True)
class Palette:
    """A quality scale: ``colormap`` (matplotlib) from 0 = of little use to recognition to 1 = much use.

    ``bands``: the gauge's colours for the poor, fair and good bands (core.plq.meaning); None takes
    the scale's own colour at each band's middle.
    """

    name: str                       # the --palette value and the saved setting
    colormap: str
    low_word: str                   # the colour of 0 and of 1, in words (help texts)
    high_word: str
    bands: tuple[tuple[str, RGB], ...] | None = None

    def lut(self) -> np.ndarray:
        """256 x 3 uint8 colours, index 0 = quality 0."""
        return _lut(self.colormap)

    def colourize(self, values: np.ndarray) -> np.ndarray:
        """Values in [0, 1] (NaN allowed, drawn in the colour of 0) as RGB uint8."""
        idx = np.nan_to_num(np.clip(values, 0.0, 1.0) * 255, nan=0.0).astype(np.uint8)
        return self.lut()[idx]

    def colour(self, quality: float) -> RGB:
        return tuple(int(c) for c in self.lut()[int(np.clip(quality, 0, 1) * 255)])

    def band_colour(self, quality: float) -> RGB:
        """The gauge's colour: one per band (poor, fair, good), so the band reads at a glance."""
        band = quality_band(quality)
        if self.bands is not None:
            return dict(self.bands)[band]
        return self.colour({"poor": 0.2, "fair": 0.55, "good": 0.85}[band])

    @property
    def description(self) -> str:
        return f"{self.low_word} to {self.high_word}"


RED_GREEN = Palette("red-green", "RdYlGn", "red", "green", bands=tuple(BAND_COLOURS.items()))
CIVIDIS = Palette("cividis", "cividis", "dark blue", "yellow")
PALETTES = {p.name: p for p in (RED_GREEN, CIVIDIS)}
DEFAULT_PALETTE = RED_GREEN


def get_palette(name: str) -> Palette:
    """The palette called ``name``; ValueError (one line, naming the choices) for any other."""
    try:
        return PALETTES[name]
    except KeyError:
        raise ValueError(f"unknown palette {name!r}; choose one of {', '.join(PALETTES)}") from None


# -- readable text on colours (WCAG 2) -------------------------------------------------------

def relative_luminance(rgb) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0..255 channels)."""
    c = np.asarray(rgb, dtype=float) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ (0.2126, 0.7152, 0.0722))


def contrast_ratio(a, b) -> float:
    """WCAG 2 contrast ratio (1..21) of two colours."""
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def outline_for(colour) -> RGB:
    """Black or white, whichever contrasts more with ``colour``: the halo that keeps text in it readable."""
    return (0, 0, 0) if contrast_ratio(colour, (0, 0, 0)) >= contrast_ratio(colour, (255, 255, 255)) \
        else (255, 255, 255)


def legible_on(colour, background, minimum: float = 4.5) -> RGB:
    """``colour`` mixed toward white (dark background) or black (light) just enough to contrast
    ``minimum`` with ``background``: text keeps its hue where it can (cividis' dark blue on a dark legend)."""
    colour = np.asarray(colour, dtype=float)
    target = np.full(3, 255.0 if relative_luminance(background) < 0.18 else 0.0)
    for t in np.linspace(0.0, 1.0, 21):
        mixed = tuple(int(round(v)) for v in (1 - t) * colour + t * target)
        if contrast_ratio(mixed, background) >= minimum:
            return mixed
    return tuple(int(v) for v in target)
