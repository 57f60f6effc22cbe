"""A keyboard-only workflow: every command has a shortcut, shown in its menu and tooltip, and real key presses on the
real window do what they say (file dialogs intercepted; a real group photo, a real batch)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PIL import Image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog, QTableWidget

from plq_desktop.core.io.batch import run_batch
from plq_desktop.core.io.samples import sample_path
from plq_desktop.gui.actions import shortcut_text
from plq_desktop.gui.batch_page import ROW_ROLE

WAIT_MS = 120_000
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _menu_actions(window) -> list[QAction]:
    """Every command in the menu bar (submenus opened; the recent files are paths, not commands)."""
    found, menus = [], [a.menu() for a in window.menuBar().actions()]
    while menus:
        menu = menus.pop()
        for action in menu.actions():
            if action.isSeparator():
                continue
            if action.menu() is not None:
                if action.menu() is not window.menus.recent_menu:
                    menus.append(action.menu())
                continue
            found.append(action)
    return found


def _press(qtbot, window, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the keyboard is, as a person's would land."""
    target = window.focusWidget() or window
    QTest.keyClick(target, key, modifiers)


def _active(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def test_every_menu_command_has_its_own_shortcut_shown_in_its_tooltip(make_window):
    window = make_window()
    actions = _menu_actions(window)
    assert len(actions) >= 35
    assert [a.text() for a in actions if a.shortcut().isEmpty()] == []
    every = [shortcut_text(a) for a in window.actions() if not a.shortcut().isEmpty()]
    assert [key for key, n in Counter(every).items() if n > 1] == []
    for action in actions:
        assert action.toolTip().endswith(f"({shortcut_text(action)})"), action.text()
    # The toolbar's buttons show the same tooltips: "Open a passport photo (Ctrl+O)".
    assert window.open_action.toolTip() == "Open a passport photo (Ctrl+O)"
    # The help lists them all.
    listed = dict(window.menus.shortcut_rows())
    assert all(shortcut_text(a) in listed for a in actions)


def test_f1_shows_the_table_of_every_key(qtbot, make_window):
    window = _active(qtbot, make_window())
    seen = []

    def read_and_close():
        dialog = window.findChild(QDialog, "shortcuts-dialog")
        table = dialog.findChild(QTableWidget)
        seen.extend((table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount()))
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(300, read_and_close)
    _press(qtbot, window, Qt.Key.Key_F1)            # returns when the dialog is closed
    keys = dict(seen)
    assert {shortcut_text(a) for a in _menu_actions(window)} <= set(keys)
    assert keys["Ctrl+O"] == "File › Open photo" and keys["Ctrl+Shift+D"] == "Language › Deutsch"


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
def test_alt_letters_do_not_collide_on_a_page(make_window, language):
    """Alt + a letter opens a menu or goes to a labelled field: one target per letter on each page."""
    from plq_desktop.gui import i18n
    window = make_window()
    window.choose_language(language)
    window.retranslate()            # at once, rather than at the posted LanguageChange
    try:
        menus = [a.menu().title() for a in window.menuBar().actions()]
        photo = [label.text() for label in window.display_labels.values()] + [window.panel.wording_label.text()]
        page = window.batch_page
        batch = [w.text() for w in (page.photos_label, page.out_label, page.filter_label, page.browse_folder_button,
                                    page.browse_out_button, page.run_button, page.open_button)]
        for texts in (menus + photo, menus + batch):
            letters = [_mnemonic(t) for t in texts]
            assert None not in letters, texts
            assert [t for t, k in zip(texts, letters) if letters.count(k) > 1] == []
    finally:
        i18n.set_language("en")


def test_open_faces_wording_and_display_by_keyboard(qtbot, make_window, monkeypatch):
    asked = []

    def fake_dialog(parent, caption, start, filters):
        asked.append((caption, filters))
        return str(sample_path("t1")), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_dialog))
    window = _active(qtbot, make_window())
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS):
        _press(qtbot, window, Qt.Key.Key_O, CTRL)
    assert asked and asked[0][0] == "Open a passport photo"
    faces = window.result_view.analysis.results[0].faces
    assert len(faces) == 6
    assert window.result_view.selected_face == 0

    _press(qtbot, window, Qt.Key.Key_N)                                  # next face
    assert window.result_view.selected_face == 1 and window.panel.face_picker.currentIndex() == 1
    _press(qtbot, window, Qt.Key.Key_N, SHIFT)                           # previous face
    _press(qtbot, window, Qt.Key.Key_N, SHIFT)                           # ... round to the last
    assert window.result_view.selected_face == 5 and window.panel.face_picker.currentIndex() == 5
    assert window.panel.gauges[0].value == pytest.approx(faces[5].quality)

    officer = window.panel.hint_texts()
    _press(qtbot, window, Qt.Key.Key_W, CTRL | SHIFT)                    # the applicant's wording
    assert window.panel.audience == "applicant" and window.settings.get("audience") == "applicant"
    assert window.panel.wording_combo.currentData() == "applicant"
    assert window.panel.hint_texts() == [h.text(audience="applicant") for h in faces[5].hints] != officer

    opacity = window.result_view.opacity_slider.value()
    _press(qtbot, window, Qt.Key.Key_BracketLeft)
    assert window.result_view.opacity_slider.value() == opacity - 10
    gamma = window.gamma_spin.value()
    _press(qtbot, window, Qt.Key.Key_Plus)
    assert window.gamma_spin.value() == pytest.approx(gamma + window.gamma_spin.singleStep())
    _press(qtbot, window, Qt.Key.Key_R, CTRL)
    assert window.raw_map_check.isChecked() and window.settings.get("raw_map")


def test_space_presses_the_focused_button_and_starts_the_camera_elsewhere(qtbot, make_window, monkeypatch):
    window = _active(qtbot, make_window())
    started = []
    monkeypatch.setattr(window.feed, "start_camera", lambda: started.append(True))
    window.show_page("batch")
    page = window.batch_page
    page.run_button.setFocus()
    said = []
    window.messageShown.connect(lambda text, error: said.append((text, error)))
    _press(qtbot, window, Qt.Key.Key_Space)                 # Run batch, with no folder chosen
    qtbot.waitUntil(lambda: ("Choose a folder of photos and an output folder first", True) in said, timeout=5000)
    assert started == [] and not window.live_action.isChecked()
    window.show_page("photo")
    _press(qtbot, window, Qt.Key.Key_Space)
    assert started == [True] and window.live_action.isChecked()


def test_auto_capture_by_keyboard(qtbot, make_window, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *args: str(tmp_path)))
    window = _active(qtbot, make_window())
    _press(qtbot, window, Qt.Key.Key_C, CTRL | SHIFT)
    capture = window.auto_capture
    assert capture.machine is not None and capture.out_dir == tmp_path and window.menus.capture_action.isChecked()
    _press(qtbot, window, Qt.Key.Key_C, CTRL | SHIFT)
    assert capture.machine is None and not window.menus.capture_action.isChecked()
    # A cancelled folder dialog leaves it off.
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *args: ""))
    _press(qtbot, window, Qt.Key.Key_C, CTRL | SHIFT)
    assert capture.machine is None and not window.menus.capture_action.isChecked()


@pytest.fixture(scope="module")
def small_batch(tmp_path_factory, dlib_model):
    root = tmp_path_factory.mktemp("keyboard-batch")
    folder = root / "photos"
    folder.mkdir()
    Image.open(sample_path("grace_hopper")).convert("RGB").resize((256, 300)).save(folder / "hopper.jpg")
    Image.open(sample_path("astronaut")).convert("RGB").resize((300, 300)).save(folder / "astronaut.jpg")
    run_batch(folder, root / "out", dlib_model, device="cpu", batch_faces=2)
    return folder, root / "out"


def test_batch_by_keyboard(qtbot, make_window, monkeypatch, small_batch):
    folder, out = small_batch
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *args: str(out)))
    window = _active(qtbot, make_window())
    _press(qtbot, window, Qt.Key.Key_B, CTRL | SHIFT)                     # open batch results
    page = window.batch_page
    assert window.pages.currentIndex() == 1 and page.proxy.rowCount() == 2
    assert page.table.hasFocus()
    _press(qtbot, window, Qt.Key.Key_Down)
    first = page.table.currentIndex().row()
    _press(qtbot, window, Qt.Key.Key_Down)
    second = page.table.currentIndex().row()
    assert (first, second) == (0, 1)
    row = page.proxy.index(second, 0).data(ROW_ROLE)
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS), \
            qtbot.waitSignal(page.photoRequested, timeout=5000) as requested:
        _press(qtbot, window, Qt.Key.Key_Return)                          # opens the row's photo
    assert requested.args == [str(folder / row["file"]), 0]
    assert window.pages.currentIndex() == 0 and window.mode == "photo"

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *args: str(folder)))
    _press(qtbot, window, Qt.Key.Key_A, CTRL | SHIFT)                     # a folder to audit
    assert window.pages.currentIndex() == 1 and page.folder_edit.text() == str(folder)
    _press(qtbot, window, Qt.Key.Key_1, CTRL)                             # back to the photo page
    assert window.pages.currentIndex() == 0
