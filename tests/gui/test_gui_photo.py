"""Passport photos in the window: overlay, quality, several faces, errors, save, side by side, settings."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication

from plq_desktop.core.io.render import colourize_difference
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.zoo import weights
from plq_desktop.core.zoo.registry import get_spec

WAIT_MS = 60_000

DEFAULT_ESTIMATOR = get_spec("dlib-resnet").default_estimator


def open_and_wait(qtbot, window, path):
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS) as blocker:
        window.open_photo(path)
    return blocker.args[0]


def test_opening_a_real_photo_shows_its_overlay_and_quality(qtbot, make_window):
    window = make_window()
    analysis = open_and_wait(qtbot, window, sample_path("grace_hopper"))
    pane = window.panes[0]
    face = analysis.results[0].faces[0]
    assert analysis.kind == "photo" and window.mode == "photo"
    assert pane.has_overlay and pane.message == ""
    assert pane.image_size().width() == 512 and pane.image_size().height() == 600
    gauge = window.panel.gauges[0]
    assert gauge.value == pytest.approx(face.quality) and gauge.text == f"{100 * face.quality:.0f}"
    assert f"quality {100 * face.quality:.0f}" in pane.title
    # The face's hints, most severe first; a face without any shows its weakest regions instead.
    expected = [h.message for h in face.hints] or [r.message for r in analysis.regions[0][0]]
    assert window.panel.hint_texts() == expected and len(expected) >= 1
    window.panel.hints.setCurrentRow(0)              # the region of a hint is outlined on the photo
    assert pane._highlight is not None and pane._highlight.size() >= 3
    assert not window.panel.face_picker.isVisible()      # one face: no picker
    assert window.settings.get("recent_files")[0] == str(sample_path("grace_hopper"))
    # The GUI thread never ran model code: the models live on the analysis thread.
    assert window.engine._models and window._thread.isRunning()


def test_passport_formats_and_exif_orientation(qtbot, make_window, tmp_path, grace_hopper):
    from PIL import Image
    window = make_window()
    bgr = cv2.cvtColor(grace_hopper, cv2.COLOR_RGB2BGR)
    paths = []
    for suffix in (".png", ".bmp", ".tif", ".jp2"):
        paths.append(tmp_path / f"passport{suffix}")
        assert cv2.imwrite(str(paths[-1]), bgr)
    # A phone photo stored sideways, with EXIF orientation 6 ("rotate 90 degrees clockwise to view").
    sideways = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(np.ascontiguousarray(np.rot90(grace_hopper, 1))).save(sideways, exif=exif, quality=95)
    for path in [*paths, sideways]:
        analysis = open_and_wait(qtbot, window, path)
        assert len(analysis.results[0].faces) == 1, path.name
        size = window.panes[0].image_size()
        assert (size.width(), size.height()) == (512, 600), path.name     # upright, as the photo was taken


def test_several_faces_largest_first_and_pickable(qtbot, make_window):
    window = make_window()
    analysis = open_and_wait(qtbot, window, sample_path("t1"))
    faces = analysis.results[0].faces
    assert len(faces) == 6
    areas = [(f.box[2] - f.box[0]) * (f.box[3] - f.box[1]) for f in faces]
    assert areas == sorted(areas, reverse=True)
    picker = window.panel.face_picker
    assert picker.isVisible() and picker.count() == 6 and picker.currentIndex() == 0
    assert window.panel.gauges[0].value == pytest.approx(faces[0].quality)
    picker.setCurrentIndex(3)
    assert window.panel.gauges[0].value == pytest.approx(faces[3].quality)
    # A click on a face box picks that face.
    pane = window.panes[0]
    x0, y0, x1, y1 = faces[5].box
    centre = pane.image_transform().map(QPointF((x0 + x1) / 2, (y0 + y1) / 2)).toPoint()
    qtbot.mouseClick(pane, Qt.MouseButton.LeftButton, pos=centre)
    assert picker.currentIndex() == 5
    assert window.panel.gauges[0].value == pytest.approx(faces[5].quality)


def test_unreadable_file_says_so_and_the_next_photo_works(qtbot, make_window, tmp_path):
    window = make_window()
    bad = tmp_path / "passport.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS,
                          check_params_cb=lambda text, error: error and "passport.jpg" in text):
        window.open_photo(bad)
    assert "Cannot load" in window.statusBar().currentMessage()
    assert "passport.jpg" in window.banner.text()
    analysis = open_and_wait(qtbot, window, sample_path("grace_hopper"))
    assert analysis.results[0].faces and window.panes[0].has_overlay
    assert window.banner.text() == ""           # the next action clears the error


def test_model_without_weights_names_the_command_and_the_old_model_stays(qtbot, make_window):
    window = make_window()
    open_and_wait(qtbot, window, sample_path("grace_hopper"))
    missing = window.model_combo.findData("facenet-vggface2")
    assert "not installed" in window.model_combo.itemText(missing)
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS,
                          check_params_cb=lambda text, error: error and "facenet-vggface2" in text):
        window.model_combo.setCurrentIndex(missing)
    # Short for an officer: what is missing and the one command; the cache path and checksum on click.
    short = window.banner.text()
    assert short == ("Model facenet-vggface2 is not installed (still using dlib-resnet). "
                     "To install it, run: plq models download facenet-vggface2"), short
    cache = str(weights.model_dir("facenet-vggface2"))
    sha256 = next(f.sha256 for f in get_spec("facenet-vggface2").files if f.sha256)
    assert cache not in short and sha256 not in short and window.banner.details_text() == ""
    button = window.banner.details_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert cache in window.banner.details_text() and sha256 in window.banner.details_text()
    assert button.text() == "Hide details"
    qtbot.waitUntil(lambda: window.model_combo.currentData() == "dlib-resnet", timeout=WAIT_MS)
    assert window.settings.get("model") == "dlib-resnet"
    # The photo is analysed again with the model still in use.
    qtbot.waitUntil(lambda: window.result_view.analysis is not None and window.panes[0].has_overlay,
                    timeout=WAIT_MS)


def test_photo_without_a_face_says_so_on_the_image(qtbot, make_window, tmp_path, grace_hopper):
    window = make_window()
    flag = tmp_path / "flag.png"
    cv2.imwrite(str(flag), cv2.cvtColor(np.ascontiguousarray(grace_hopper[:130, :300]), cv2.COLOR_RGB2BGR))
    analysis = open_and_wait(qtbot, window, flag)
    assert analysis.results[0].faces == []
    assert window.panes[0].message == "No face found in this photo" and window.panes[0].message_is_error
    assert not window.panes[0].has_overlay and window.panel.gauges[0].value is None


def test_save_writes_the_overlay_and_the_json_report_and_copy_fills_the_clipboard(qtbot, make_window, tmp_path):
    window = make_window()
    analysis = open_and_wait(qtbot, window, sample_path("grace_hopper"))
    png, report = window.save_result(tmp_path / "result.png")
    assert report.name == "result.json"
    image = cv2.imread(str(png))
    assert image.shape[0] == 600 and image.shape[1] > 512          # the photo plus the legend
    data = json.loads(report.read_text())
    assert data["faces"][0]["quality"] == pytest.approx(analysis.results[0].faces[0].quality, abs=1e-5)
    assert len(data["faces"][0]["hints"]) == len(analysis.results[0].faces[0].hints)
    window.copy_image()
    assert QGuiApplication.clipboard().image().width() == image.shape[1]


def test_export_passport_photo_from_the_window(qtbot, make_window, tmp_path):
    window = make_window()
    open_and_wait(qtbot, window, sample_path("grace_hopper"))
    file_menu = window.menuBar().actions()[0].menu()
    assert "Export passport photo…" in [a.text().replace("&", "") for a in file_menu.actions()]
    image_path, json_path = window.export_passport(tmp_path / "passport.jpg", dpi=150)
    report = json.loads(json_path.read_text())
    exported = cv2.imread(str(image_path))
    assert exported.shape[:2] == (266, 207)                       # 35 x 45 mm at 150 dpi
    assert report["geometry_passed"] is True and set(report["geometry"]) == {
        "head_width", "head_height", "eye_line", "eye_centre"}
    assert report["export"]["scale"] <= 1
    # At 600 dpi the photo is too small: exported without enlarging, and the window says so.
    messages = []
    window.messageShown.connect(lambda text, error: messages.append((text, error)))
    window.export_passport(tmp_path / "p600.png")
    assert messages and "supports only" in messages[-1][0] and messages[-1][1], "said, as an error"
    assert json.loads((tmp_path / "p600.json").read_text())["export"]["resolution_too_low"] is True


def test_side_by_side_two_models_same_photo_synchronised_zoom_and_difference(qtbot, make_window):
    window = make_window()
    open_and_wait(qtbot, window, sample_path("grace_hopper"))
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS) as blocker:
        window.side_action.setChecked(True)
    analysis = blocker.args[0]
    left, right = window.panes
    assert right.isVisible() and len(analysis.results) == 2
    assert left.has_overlay and right.has_overlay and window.panel.hint_texts()
    # Two configurations, not one twice: dlib-resnet with its default estimator, then with SER-FIQ.
    assert window.model_choice() == ["dlib-resnet", "dlib-resnet:serfiq"]
    first, second = analysis.results
    assert (first.estimator, second.estimator) == (DEFAULT_ESTIMATOR, "serfiq")
    assert first.faces[0].quality != pytest.approx(second.faces[0].quality, abs=1e-3)
    both = np.isfinite(first.plq_map) & np.isfinite(second.plq_map)
    assert np.abs(first.plq_map[both] - second.plq_map[both]).max() > 0.005
    assert [g.caption for g in window.panel.gauges] == [f"dlib-resnet · {DEFAULT_ESTIMATOR}", "dlib-resnet · serfiq"]
    assert [g.value for g in window.panel.gauges] == pytest.approx([f.faces[0].quality for f in analysis.results])

    qtbot.waitUntil(lambda: abs(left.width() - right.width()) <= 1)
    left.zoom_by(2.0, QPointF(left.width() / 3, left.height() / 3))
    left.pan_by(QPointF(25, -10))
    assert window.view_state.zoom == pytest.approx(2.0)
    # Same zoom and pan in both panes: the same photo point lands at the same place.
    for point in (QPointF(300, 250), QPointF(10, 590)):
        a, b = left.image_transform().map(point), right.image_transform().map(point)
        assert abs(a.x() - b.x()) < 1 and abs(a.y() - b.y()) < 1

    right_map = right._overlay[0]
    window.diff_action.setChecked(True)
    assert window.difference_legend.isVisible()
    assert right.title == f"Difference: serfiq minus {DEFAULT_ESTIMATOR} (dlib-resnet)"
    # The right pane now draws the difference, and it is not "no difference" everywhere.
    assert right.has_overlay and right._overlay[0] != right_map
    zero = colourize_difference(np.zeros(1, np.float32))[0].astype(int)
    away = np.abs(analysis.difference.rgba[..., :3].astype(int) - zero).sum(axis=-1) > 0
    assert away.mean() > 0.01
    window.view_state.reset()
    assert window.view_state.zoom == 1.0


def _green(overlay) -> float:
    inside = overlay.rgba[..., 3] > 0
    return float(overlay.rgba[inside, 1].astype(float).mean() - overlay.rgba[inside, 0].astype(float).mean())


def test_gamma_stretches_the_colours_not_the_quality_nor_a_check(qtbot, make_window):
    window = make_window()
    first = open_and_wait(qtbot, window, sample_path("grace_hopper"))
    before = first.results[0].faces[0]
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS) as blocker:
        window.gamma_spin.setValue(2.0)
    second = blocker.args[0]
    after = second.results[0].faces[0]
    assert after.quality == pytest.approx(before.quality)
    assert _green(second.overlays[0]) > _green(first.overlays[0]) + 5
    # The display gamma never reaches a check: the same hints, no "reference profile stale".
    assert [(h.check, h.region, h.severity) for h in after.hints] == \
        [(h.check, h.region, h.severity) for h in before.hints]
    assert not [h for h in after.hints if "reference profile" in h.message]
    assert window.settings.get("gamma_offset") == 2.0


def test_drop_a_photo_on_the_window(qtbot, make_window):
    window = make_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_path("grace_hopper")))])
    event = QDropEvent(QPointF(QPoint(50, 50)), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS):
        window.dropEvent(event)
    assert window.mode == "photo" and window.panes[0].has_overlay


def test_settings_are_kept_between_sessions(qtbot, make_window, gui_settings):
    first = make_window()
    first.opacity_slider.setValue(30)
    first.side_action.setChecked(True)
    first.device_combo.setCurrentText("cpu")
    first.close()
    second = make_window(gui_settings)
    assert second.opacity_slider.value() == 30 and second.panes[0].opacity == pytest.approx(0.3)
    assert second.side_action.isChecked() and second.panes[1].isVisibleTo(second)
    assert second.device_combo.currentText() == "cpu"
    assert second.model_choice() == ["dlib-resnet", "dlib-resnet:serfiq"]


def test_missing_model_texts_name_the_one_command(_private_cache):
    """Import-only models name 'plq models import'; other problems pass through whole."""
    from plq_desktop.core.zoo.weights import missing_message
    from plq_desktop.gui.models import explain_problem
    spec = get_spec("arcface-r100")
    full = f"Cannot load model arcface-r100: {missing_message('arcface-r100', spec.files)} (using: none)"
    short, details = explain_problem(full)
    assert short == "Model arcface-r100 is not installed. To install it, run: plq models import arcface-r100 FILE"
    assert details == full
    for message in ("Cannot load dlib-resnet: out of memory (using: none)", "Cannot load /tmp/x.jpg: broken",
                    "Cannot load model dlib-resnet: CUDA error (using: none)"):     # installed: the reason matters
        assert explain_problem(message) == (message, None)


def test_raw_map_is_one_click_away_and_changes_colours_only(qtbot, make_window):
    window = make_window()
    first = open_and_wait(qtbot, window, sample_path("grace_hopper"))
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS) as blocker:
        window.raw_map_check.setChecked(True)
    second = blocker.args[0]
    smooth, raw = first.overlays[0].rgba[..., :3].astype(float), second.overlays[0].rgba[..., :3].astype(float)
    # The per-pixel map is speckled: neighbouring pixels differ more than on the readable map.
    assert np.abs(np.diff(raw, axis=1)).mean() > 1.5 * np.abs(np.diff(smooth, axis=1)).mean()
    assert [(h.check, h.region) for h in second.results[0].faces[0].hints] == \
        [(h.check, h.region) for h in first.results[0].faces[0].hints]
    assert window.settings.get("raw_map") is True
