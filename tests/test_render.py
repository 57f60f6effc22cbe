"""The overlay's text: captions drawn once, with an outline that hugs the letters (no ghost copy)."""

import numpy as np

from plq_desktop.core.io.render import LEGEND_BOTTOM, LEGEND_TOP, put_text


def _outline_overhang(text: str, scale: float, thickness: int) -> tuple[int, int]:
    """How far (px) the black outline reaches left and right of the white letters it surrounds."""
    img = np.full((60, 400, 3), 128, np.uint8)
    put_text(img, text, (5, 40), scale, (255, 255, 255), thickness)
    letters = np.flatnonzero((img.min(axis=2) > 160).any(axis=0))
    outline = np.flatnonzero((img.max(axis=2) < 90).any(axis=0))
    assert letters.size, f"{text!r} at scale {scale}: the outline hides the letters"
    return int(letters.min() - outline.min()), int(outline.max() - letters.max())


def test_caption_outline_stays_on_its_letters():
    for text in (*LEGEND_TOP, *LEGEND_BOTTOM, "#1 Q 98"):
        for scale, thickness in ((0.32, 1), (0.5, 1), (0.8, 1), (1.2, 2)):
            _, right = _outline_overhang(text, scale, thickness)
            assert right <= 2, f"{text!r} at scale {scale}: a dark copy {right} px right of the text"
