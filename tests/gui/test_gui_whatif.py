"""What-if repair in the window: brush a grey cheek patch or pick a hint, see quality before and after.

A real face (the astronaut portrait) gets a flat grey disc on its right
cheek; the officer brushes over it with the mouse on the photo view. The
what-if runs on the analysis thread with the core's inpainting and the
window shows both photos, the gain and the simulation marks; save, copy and
export refuse while it is on screen.
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt

from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.plq.whatif import SIMULATION_KEY
from plq_desktop.gui.convert import rgb_from_qimage
from plq_desktop.gui.whatif import SIMULATION_REFUSAL, quality_change

WAIT_MS = 120_000
# The robustness estimator feels a cheek patch strongly (see tests/test_whatif.py); the default one barely.
MODEL = "dlib-resnet:robustness"


def open_and_wait(qtbot, window, path):
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS) as blocker:
        window.open_photo(path)
    return blocker.args[0]


@pytest.fixture
def patched_window(qtbot, make_window, gui_settings, tmp_path):
    """The window showing the astronaut with a grey disc on her right cheek; (window, analysis, centre, radius)."""
    gui_settings.set("model", MODEL)
    window = make_window()
    clean = open_and_wait(qtbot, window, sample_path("astronaut"))
    face = clean.results[0].faces[0]
    assert clean.results[0].estimator == "robustness"
    centre = face.regions.polygons["right_cheek"].mean(axis=0)
    radius = int(0.3 * face.regions.frame.ied)
    image = load_image(sample_path("astronaut")).copy()
    cv2.circle(image, tuple(int(v) for v in centre), radius, (128, 128, 128), -1)
    path = tmp_path / "patched.png"
    Image.fromarray(image).save(path)
    analysis = open_and_wait(qtbot, window, path)
    assert analysis.results[0].faces[0].quality < face.quality - 0.2, "the patch costs quality"
    return window, analysis, centre, radius


def widget_point(pane, x, y) -> QPoint:
    return pane.image_transform().map(QPointF(x + 0.5, y + 0.5)).toPoint()


def brush_disc(qtbot, pane, centre, radius, step):
    """One stroke with the mouse, row by row over a disc (left to right, then right to left)."""
    cx, cy = centre
    rows = np.arange(cy - radius, cy + radius + 1, step)
    points = []
    for i, y in enumerate(rows):
        half = np.sqrt(max(radius ** 2 - (y - cy) ** 2, 0.0))
        xs = (cx - half, cx + half) if i % 2 == 0 else (cx + half, cx - half)
        points += [widget_point(pane, xs[0], y), widget_point(pane, xs[1], y)]
    qtbot.mousePress(pane, Qt.MouseButton.LeftButton, pos=points[0])
    for a, b in itertools.pairwise(points):
        for t in np.linspace(0, 1, 6)[1:]:
            qtbot.mouseMove(pane, QPoint(round(a.x() + t * (b.x() - a.x())), round(a.y() + t * (b.y() - a.y()))))
    qtbot.mouseRelease(pane, Qt.MouseButton.LeftButton, pos=points[-1])


def test_brushing_the_grey_cheek_patch_raises_quality(qtbot, patched_window, tmp_path):
    window, analysis, centre, radius = patched_window
    pane, whatif = window.panes[0], window.whatif
    assert whatif.brush_action.isEnabled() and window.panel.whatif_button.isVisible()
    whatif.brush_action.setChecked(True)
    whatif.size_spin.setValue(radius)               # diameter: half the patch's
    zoom_before = window.view_state.zoom
    with qtbot.waitSignal(whatif.simulationShown, timeout=WAIT_MS) as blocker:
        brush_disc(qtbot, pane, centre, radius + 2, radius / 3)
    done = blocker.args[0]
    sim = done.simulation
    # The stroke painted a mask over the patch (and did not pan or zoom the view).
    assert window.view_state.zoom == zoom_before
    mask = whatif.brush.brushed()
    yy, xx = np.mgrid[:mask.shape[0], :mask.shape[1]]
    disc = (xx - centre[0]) ** 2 + (yy - centre[1]) ** 2 <= radius ** 2
    assert mask[disc].mean() > 0.97, "the brush covers the patch"
    reach = (xx - centre[0]) ** 2 + (yy - centre[1]) ** 2 <= (radius + 2 + radius / 2 + 2) ** 2
    assert not mask[~reach].any(), "and nothing beyond the stroke's reach"
    assert sim.region == "brush" and (sim.mask == mask).all()
    # The test: inpainting the brushed patch raises quality, here by more than 15 points.
    assert sim.quality_before == pytest.approx(analysis.results[0].faces[0].quality)
    assert sim.quality_after > sim.quality_before + 0.15
    assert sim.after.estimator == "robustness"
    # Before and after side by side, the gain in the banner, the after pane marked as a simulation.
    left, right = window.panes
    assert right.isVisible() and right.has_overlay
    change = quality_change(sim.quality_before, sim.quality_after)
    assert change in right.title and "SIMULATION" in right.title
    assert change in whatif.banner.label.text() and whatif.banner.isVisible()
    assert "SIMULATION" in window.windowTitle()
    assert [g.value for g in window.panel.gauges] == [pytest.approx(sim.quality_before),
                                                       pytest.approx(sim.quality_after)]
    # The right pane shows the inpainted photo with the core's watermark in its pixels (red top band).
    shown = rgb_from_qimage(right.frame_image())
    assert not (shown == rgb_from_qimage(left.frame_image())).all()
    band = shown[:5].reshape(-1, 3).mean(axis=0)
    assert band[0] > band[1] + 40
    # The pane paints a red frame and bar too: grab what a person sees.
    grabbed = rgb_from_qimage(right.grab().toImage())
    assert (grabbed[-3, grabbed.shape[1] // 2] == (200, 20, 20)).all()
    # Never the enrolment photo: export, save and copy refuse while the simulation is shown.
    messages = []
    window.messageShown.connect(lambda text, error: messages.append((text, error)))
    assert window.export_passport(tmp_path / "passport.jpg") == []
    assert not (tmp_path / "passport.jpg").exists()
    assert window.save_result(tmp_path / "result.png") == []
    assert not (tmp_path / "result.png").exists()
    assert messages[0] == (SIMULATION_REFUSAL, True)
    # Back to the photo: the original again, and export works again (the original, not the simulation).
    whatif.leave_action.trigger()
    assert not whatif.showing and not whatif.banner.isVisible() and "SIMULATION" not in window.windowTitle()
    assert not right.isVisible()
    written = window.export_passport(tmp_path / "passport.png")
    assert written and SIMULATION_KEY not in Image.open(written[0]).info


def test_what_if_for_a_chosen_hint_inpaints_that_region(qtbot, patched_window):
    window, analysis, centre, radius = patched_window
    panel, face = window.panel, analysis.results[0].faces[0]
    # The hint (or weakest region) about the right cheek, outlined on click.
    regions = [(h.to_dict()["region"]) for h in (face.hints or analysis.regions[0][0])]
    assert "right_cheek" in regions, regions
    panel.hints.setCurrentRow(regions.index("right_cheek"))
    assert window.panes[0]._highlight is not None and panel.whatif_button.isEnabled()
    with qtbot.waitSignal(window.whatif.simulationShown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(panel.whatif_button, Qt.MouseButton.LeftButton)
    sim = blocker.args[0].simulation
    assert sim.region == "right_cheek" and not sim.auto
    # Only the grey (off-skin) part of the cheek was inpainted, as plq whatif --region right_cheek does.
    yy, xx = np.mgrid[:sim.mask.shape[0], :sim.mask.shape[1]]
    disc = (xx - centre[0]) ** 2 + (yy - centre[1]) ** 2 <= (radius - 2) ** 2
    assert sim.mask[disc].mean() > 0.9
    assert sim.quality_after > sim.quality_before + 0.15
    assert "right cheek" in window.whatif.banner.label.text()
    # A new photo ends the simulation.
    open_and_wait(qtbot, window, sample_path("grace_hopper"))
    assert not window.whatif.showing and not window.panes[1].isVisible()


def test_a_simulation_file_is_labelled_and_refused(qtbot, make_window, tmp_path):
    """A file written by plq whatif (PNG text field) opens labelled, and export refuses it."""
    from PIL.PngImagePlugin import PngInfo
    window = make_window()
    info = PngInfo()
    info.add_text(SIMULATION_KEY, "true")
    path = tmp_path / "x.simulation.png"
    Image.open(sample_path("grace_hopper")).save(path, pnginfo=info)
    open_and_wait(qtbot, window, path)
    assert window.whatif.photo_is_simulation and "SIMULATION" in window.windowTitle()
    assert window.export_passport(tmp_path / "p.jpg") == [] and not (tmp_path / "p.jpg").exists()
    # No what-if of a simulation: the brush is off, and a request by hand is refused with the reason.
    messages = []
    window.messageShown.connect(lambda text, error: messages.append((text, error)))
    assert not window.whatif.brush_action.isEnabled()
    assert window.whatif.run(region="nose") is None and messages[-1] == (window.whatif.refusal(), True)
    grabbed = rgb_from_qimage(window.panes[0].grab().toImage())
    assert (grabbed[-3, grabbed.shape[1] // 2] == (200, 20, 20)).all()
    # On a narrow pane the bar's text is scaled to fit: whole, inside the bar, not cut at both ends.
    pane = window.panes[0]
    pane.setMinimumWidth(120)
    window.resize(420, window.height())
    pane.resize(150, pane.height())
    grabbed = rgb_from_qimage(pane.grab(pane.rect()).toImage())
    height, width = grabbed.shape[:2]
    red_rows = (grabbed[..., 0] > 150).mean(axis=1) > 0.9     # red bar, white and pink letters: all red-rich
    top = height - int(np.argmin(red_rows[::-1]))          # the bar: the red rows at the bottom
    bar = grabbed[top:height - 6]
    white = bar[..., 1] > 100            # the letters (antialiased): far greener than the red bar
    columns = np.flatnonzero(white.any(axis=0))
    assert columns.size > 40 and columns.min() >= 6 and columns.max() <= width - 7, (width, columns[[0, -1]])


def test_what_if_on_a_clean_face_says_nothing_needs_repair_in_green(qtbot, make_window):
    window = make_window()
    open_and_wait(qtbot, window, sample_path("astronaut"))
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS,
                          check_params_cb=lambda text, error: "nothing needs repair" in text) as blocker:
        window.whatif.run(region=None, what="the weakest region")
    text, error = blocker.args
    assert not error
    assert window.banner.kind == "success" and "nothing needs repair" in window.banner.text()
    assert not window.whatif.showing, "no simulation is shown for a face that needs no repair"
