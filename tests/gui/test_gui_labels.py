"""Face box labels stay readable on any map: an opaque tag in the quality's colour, black or white text."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PySide6.QtGui import QColor

from plq_desktop.core.io.render import quality_colour
from plq_desktop.core.plq.meaning import quality_points
from plq_desktop.gui.convert import rgb_from_qimage
from plq_desktop.gui.view import FaceMark, ImageView, ViewState, contrast_ratio, label_text_colour, qcolour

# WCAG 2's minimum contrast for normal text.
READABLE = 4.5


def test_every_quality_colour_gets_text_that_contrasts_with_it():
    worst = min(contrast_ratio(label_text_colour(qcolour(quality_colour(q))), qcolour(quality_colour(q)))
                for q in np.linspace(0, 1, 256))
    assert worst >= READABLE, worst


@pytest.mark.parametrize("quality", [0.98, 0.55, 0.05])
def test_the_painted_label_reads_on_a_dark_map(qtbot, quality):
    """The view painted over a dark green frame (what a good map looks like under the box): the tag's text
    and its fill contrast by at least 4.5, whatever lies beneath."""
    view = ImageView(ViewState())
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.set_frame(np.full((300, 400, 3), (10, 70, 30), np.uint8))
    label = f"Q {quality_points(quality)}"
    view.set_result(None, [FaceMark((120, 120, 300, 280), quality, label, False)])
    view.show()
    qtbot.waitExposed(view)
    image = rgb_from_qimage(view.grab().toImage())
    fill = np.array(quality_colour(quality))
    # The tag: the largest blob in the quality's own colour (the box outline is a 1 px line of it).
    same = (np.abs(image.astype(int) - fill).sum(axis=2) <= 3).astype(np.uint8)
    same = cv2.morphologyEx(same, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(same)
    assert count > 1, "no tag in the quality's colour"
    tag = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h = stats[tag, :4]
    assert 12 <= h <= 40 and 20 <= w <= 120, (x, y, w, h)
    assert y + h <= 125, "the tag sits above the box's top edge"
    inside = image[y:y + h, x:x + w].reshape(-1, 3).astype(int)
    text = inside[np.abs(inside - fill).sum(axis=1) > 120]
    assert len(text) > 20, "the label's text is drawn"
    text_colour = QColor(*(int(c) for c in np.median(text, axis=0)))
    assert contrast_ratio(text_colour, QColor(*(int(c) for c in fill))) >= READABLE


def test_one_rounding_for_every_label():
    assert [quality_points(q) for q in (0.985, 0.9849, 0.125, 0.0, 1.0)] == [99, 98, 13, 0, 100]
