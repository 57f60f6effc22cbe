"""The map colours chosen in the Display panel: the legend, gauge, boxes and map repaint at once, and the
choice comes back in a fresh window."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from plq_desktop.core.io.palette import CIVIDIS, RED_GREEN
from plq_desktop.core.io.samples import sample_path
from plq_desktop.eval.palette_check import DEFICIENCIES, DISTINGUISHABLE, LEVELS, bar_colours, pairwise_delta_e
from plq_desktop.gui.convert import rgb_from_qimage
from plq_desktop.gui.settings import Settings

WAIT_MS = 60_000


def legend_colours(window) -> dict:
    return bar_colours(rgb_from_qimage(window.legend.grab().toImage()))


def like(colours: dict, palette, tolerance: int = 12) -> bool:
    return all(np.abs(np.array(colours[p]) - palette.colour(p)).sum() <= tolerance for p in LEVELS)


def pixels_of(widget, colour) -> int:
    image = rgb_from_qimage(widget.grab().toImage()).astype(int)
    return int((np.abs(image - colour).sum(axis=2) <= 3).sum())


def overlay_distance(overlay, palette) -> float:
    """Median distance of the overlay's opaque pixels to the nearest colour of ``palette``."""
    opaque = overlay.rgba[overlay.rgba[..., 3] == 255][:, :3].astype(float)
    sample = opaque[:: max(1, len(opaque) // 4000)]
    return float(np.median(np.abs(sample[:, None] - palette.lut()[None].astype(float)).sum(axis=2).min(axis=1)))


def test_choosing_cividis_repaints_at_once_and_is_remembered(qtbot, make_window, gui_settings, tmp_path):
    pytest.importorskip("colorspacious", reason="colorspacious comes with the test extra")
    window = make_window()
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS) as blocker:
        window.open_photo(sample_path("grace_hopper"))
    analysis = blocker.args[0]
    quality = analysis.results[0].faces[0].quality
    gauge = window.panel.gauges[0]
    assert like(legend_colours(window), RED_GREEN)
    assert pixels_of(gauge, RED_GREEN.band_colour(quality)) > 100
    assert overlay_distance(window.result_view.analysis.overlays[0], RED_GREEN) < 3

    combo = window.palette_control.combo
    combo.setCurrentIndex(combo.findData("cividis"))       # as the officer picks it in the Display panel
    qtbot.wait(50)

    colours = legend_colours(window)
    assert like(colours, CIVIDIS), colours
    assert colours[0.0][2] > colours[0.0][0] + 40, "quality 0 is dark blue, not red"
    for deficiency in DEFICIENCIES:      # the legend on screen passes the colour-blindness check
        assert min(pairwise_delta_e(colours, deficiency).values()) >= DISTINGUISHABLE
    assert pixels_of(gauge, CIVIDIS.band_colour(quality)) > 100
    assert pixels_of(gauge, RED_GREEN.band_colour(quality)) == 0
    # The map on screen is recoloured, not analysed again: the same results, new colours.
    shown = window.result_view.analysis
    assert shown.results is analysis.results and shown.generation == window.engine.generation
    assert overlay_distance(shown.overlays[0], CIVIDIS) < 3 < overlay_distance(shown.overlays[0], RED_GREEN)
    assert window.panes[0].palette is CIVIDIS and window.engine.palette is CIVIDIS
    # The saved image (Save / Copy) uses it too: its legend is cividis.
    saved = window.result_image()
    assert like(bar_colours(saved[:, analysis.image.shape[1]:]), CIVIDIS)

    assert gui_settings.get("palette") == "cividis"
    window.close()
    gui_settings.sync()
    fresh = make_window(Settings(QSettings(gui_settings.store.fileName(), QSettings.Format.IniFormat)))
    assert fresh.palette_control.combo.currentData() == "cividis"
    assert fresh.engine.palette is CIVIDIS and fresh.panes[0].palette is CIVIDIS
    assert like(legend_colours(fresh), CIVIDIS)


def test_an_unknown_saved_palette_falls_back_to_red_green(make_window, gui_settings):
    gui_settings.set("palette", "sepia")
    window = make_window()
    assert window.palette_control.palette is RED_GREEN and window.engine.palette is RED_GREEN
    assert like(legend_colours(window), RED_GREEN)
