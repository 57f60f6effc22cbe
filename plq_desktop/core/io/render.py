"""PLQ overlays and their colour legend in a quality palette (``core.io.palette``; numpy + OpenCV, no Qt)."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

from plq_desktop.core.io.palette import DEFAULT_PALETTE, Palette, legible_on, outline_for
from plq_desktop.core.i18n import N_, _, format_number
from plq_desktop.core.plq.meaning import quality_points


def colourize(values: np.ndarray, palette: Palette = DEFAULT_PALETTE) -> np.ndarray:
    """Map values in [0, 1] (NaN allowed) to RGB uint8 in ``palette``."""
    return palette.colourize(values)


# Difference views (two models on one face) saturate at this many quality units either way.
DIFFERENCE_RANGE = 0.5


@lru_cache(maxsize=1)
def difference_lut() -> np.ndarray:
    """256 x 3 uint8 diverging colours for second minus first: orange = first higher, purple = second.

    Deliberately not red/green, so a difference is never mistaken for a quality.
    """
    from matplotlib import colormaps
    return (colormaps["PuOr"](np.linspace(0.0, 1.0, 256))[:, :3] * 255).round().astype(np.uint8)


def colourize_difference(second_minus_first: np.ndarray) -> np.ndarray:
    """Map differences (NaN drawn as no difference) to RGB uint8 with ``difference_lut``."""
    clipped = np.clip(np.nan_to_num(second_minus_first, nan=0.0), -DIFFERENCE_RANGE, DIFFERENCE_RANGE)
    return difference_lut()[np.round((clipped / DIFFERENCE_RANGE + 1) / 2 * 255).astype(np.uint8)]


def blend_map(image: np.ndarray, plq_map: np.ndarray, opacity: float = 0.6,
              palette: Palette = DEFAULT_PALETTE) -> np.ndarray:
    """Blend the map over the photo where it is defined; elsewhere keep the photo."""
    out = image.copy()
    inside = ~np.isnan(plq_map)
    if inside.any():
        colours = palette.colourize(plq_map[inside]).astype(np.float32)
        out[inside] = (opacity * colours + (1 - opacity) * image[inside].astype(np.float32)).round().astype(np.uint8)
    return out


def quality_colour(quality: float, palette: Palette = DEFAULT_PALETTE) -> tuple[int, int, int]:
    return palette.colour(quality)


_HERSHEY_SPELLING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss",
                                  "œ": "oe", "Œ": "OE", "æ": "ae", "«": '"', "»": '"', "¿": "", "¡": "",
                                  "\u00a0": " ", "\u202f": " "})


def hershey_text(text: str) -> str:
    """``text`` in the ASCII letters OpenCV's Hershey font has: German umlauts spelt out, other accents dropped."""
    import unicodedata
    folded = unicodedata.normalize("NFKD", text.translate(_HERSHEY_SPELLING))
    return folded.encode("ascii", "ignore").decode("ascii")


def put_text(img, text, org, scale, colour=(255, 255, 255), thickness=1):
    """``text`` in ``colour`` with a one-pixel outline, readable on any background: black, or white
    around a dark colour (a dark red or cividis' dark blue in a black outline reads as a black smudge).

    The outline is the same stroke shifted by one pixel each way: OpenCV advances each letter by the
    stroke's thickness, so a thicker outline stroke would drift right of the text, a ghost copy.
    """
    text = hershey_text(text)
    x, y = org
    outline = outline_for(colour)
    for dx, dy in ((-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1)):
        cv2.putText(img, text, (x + dx, y + dy), cv2.FONT_HERSHEY_SIMPLEX, scale, outline, thickness, cv2.LINE_AA)
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thickness, cv2.LINE_AA)


# What P says, in the officer's words: P measures how much recognition draws on a pixel, not harm.
# Two short lines each (the legend is narrow), translated where drawn.
LEGEND_TOP, LEGEND_BOTTOM = (N_("much use"), N_("to recognition")), (N_("little use"), N_("to recognition"))


LEGEND_BACKGROUND = (32, 32, 32)


def legend_panel(height: int, width: int | None = None, title: str | None = None,
                 palette: Palette = DEFAULT_PALETTE) -> np.ndarray:
    """A vertical colour bar from 0 (bottom: little use to recognition) to 1 (top: much use) in ``palette``."""
    scale = max(0.35, height / 1600)
    # Wide enough for the words under and over the bar.
    top, bottom = [hershey_text(_(t)) for t in LEGEND_TOP], [hershey_text(_(t)) for t in LEGEND_BOTTOM]
    words = max(cv2.getTextSize(t, cv2.FONT_HERSHEY_SIMPLEX, scale * 0.85, 1)[0][0] for t in top + bottom)
    width = max(width or max(90, height // 6), words + 12)
    panel = np.full((height, width, 3), LEGEND_BACKGROUND, dtype=np.uint8)
    line = int(22 * scale) + 4
    margin = max(12, height // 20) + 2 * line
    bar_h = max(8, height - 2 * margin)
    values = np.linspace(1.0, 0.0, bar_h)[:, None].repeat(max(12, width // 5), axis=1)
    bar_x = max(8, width // 10)
    panel[margin:margin + bar_h, bar_x:bar_x + values.shape[1]] = palette.colourize(values)
    tx = bar_x + values.shape[1] + 6
    for v in (1.0, 0.75, 0.5, 0.25, 0.0):
        y = margin + int((1 - v) * (bar_h - 1))
        put_text(panel, format_number(v, ".2f"), (tx, y + 5), scale)
    # The words in the colour of their end of the bar, lightened where too dark to read on the panel.
    high, low = (legible_on(palette.colour(v), LEGEND_BACKGROUND) for v in (0.9, 0.1))
    for i, text in enumerate(top):
        put_text(panel, text, (4, margin - 2 * line + 4 + i * line), scale * 0.85, high)
    for i, text in enumerate(bottom):
        put_text(panel, text, (4, margin + bar_h + line + i * line), scale * 0.85, low)
    if title:
        put_text(panel, title, (4, max(12, int(16 * scale))), scale * 0.8)
    return panel


def render_result(image: np.ndarray, result, opacity: float = 0.6, raw: bool = False,
                  gamma_offset: float = 0.0, palette: Palette = DEFAULT_PALETTE) -> np.ndarray:
    """The photo with every face's map, box and quality, plus a legend on the right.

    The readable (smoothed) map by default; ``raw`` shows the per-pixel map.
    ``gamma_offset`` re-maps the colours only (``core.plq.display.regamma``).
    """
    from plq_desktop.core.plq.display import regamma
    out = blend_map(image, regamma(result.map(raw), gamma_offset), opacity, palette)
    h = out.shape[0]
    thickness = max(1, h // 400)
    scale = max(0.45, h / 1200)
    for i, face in enumerate(result.faces):
        x0, y0, x1, y1 = (int(round(v)) for v in face.box)
        colour = palette.colour(face.quality)
        cv2.rectangle(out, (x0, y0), (x1, y1), colour, thickness, cv2.LINE_AA)
        label = f"#{i + 1} Q {quality_points(face.quality)}"
        put_text(out, label, (x0, max(int(18 * scale), y0 - 6)), scale, colour, thickness)
    if not result.faces:
        put_text(out, _("no face found"), (10, int(30 * scale)), scale, (255, 80, 80), thickness)
    return np.concatenate([out, legend_panel(h, title=_("per pixel") if raw else None, palette=palette)], axis=1)
