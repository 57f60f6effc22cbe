"""The window's language: chosen from the system at start, switched live from the Language menu (or its keys),
remembered; the hints follow in the core's words for that language, in the officer's or the applicant's wording."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest

from plq_desktop.core import i18n as core_i18n
from plq_desktop.core.io.samples import sample_path
from plq_desktop.gui import i18n

WAIT_MS = 120_000
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def english_after():
    """Translators are the application's: the next test starts in English again."""
    yield
    i18n.set_language("en")
    assert core_i18n.current_language() == "en"


def _menu_titles(window) -> list[str]:
    return [a.menu().title() for a in window.menuBar().actions()]


def _hints(window, language: str, audience: str = "officer") -> list[str]:
    face = window.result_view.analysis.results[0].faces[window.result_view.selected_face]
    return [h.text(language=language, audience=audience) for h in face.hints]


def test_language_menu_switches_live_and_is_remembered(qtbot, make_window, gui_settings, english_after):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS):
        window.open_photo(sample_path("t1"))
    english = window.panel.hint_texts()
    assert english == _hints(window, "en") and english
    assert window.menus.language_actions["en"].isChecked()
    assert [a.text() for a in window.menus.language_menu.actions()] == ["English", "Deutsch", "Français", "Español"]

    QTest.keyClick(window.focusWidget() or window, Qt.Key.Key_D, CTRL_SHIFT)      # Deutsch
    qtbot.waitUntil(lambda: window.open_action.text() == "Foto ö&ffnen…", timeout=5000)
    assert _menu_titles(window)[:4] == ["&Datei", "&Ansicht", "&Kamera", "&Sprache"]
    assert window.open_action.toolTip() == "Ein Passfoto öffnen (Strg+O)"     # Qt's own words for the keys
    assert window.display_box.title() == "Anzeige"
    assert [window.pages.tabText(i) for i in range(2)] == ["Foto / live", "Stapel"]
    assert window.panel.hints_title.text() == "<b>Was zu beheben ist</b>"
    assert window.batch_page.run_button.text() == "Stapel sta&rten"
    # Qt's standard dialogs and buttons speak German too (qtbase translations).
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    assert window.menus.language_actions["de"].isChecked()
    assert gui_settings.get("language") == "de" and core_i18n.current_language() == "de"
    # The hints are the core's German sentences (numbers written the German way), not the English ones.
    german = window.panel.hint_texts()
    assert german == _hints(window, "de") and german != english

    window.menus.language_actions["fr"].trigger()
    qtbot.waitUntil(lambda: window.open_action.text() == "&Ouvrir une photo…", timeout=5000)
    assert window.panel.hint_texts() == _hints(window, "fr")
    assert window.menus.language_actions["fr"].isChecked() and not window.menus.language_actions["de"].isChecked()

    # The toolbar fits the default window in every language (no button hidden behind the overflow arrow).
    for code in ("en", "de", "fr", "es"):
        window.choose_language(code)
        qtbot.waitUntil(lambda: window.menus.language_actions[code].isChecked(), timeout=5000)
        qtbot.wait(10)          # the posted LanguageChange
        assert window.menus.toolbar.sizeHint().width() < 1360, code
    window.choose_language("fr")
    qtbot.waitUntil(lambda: window.open_action.text() == "&Ouvrir une photo…", timeout=5000)

    # Remembered: a window opened with these settings starts in French.
    second = make_window(gui_settings)
    assert second.open_action.text() == "&Ouvrir une photo…"
    assert second.menus.language_actions["fr"].isChecked()
    second.close()

    QTest.keyClick(window.focusWidget() or window, Qt.Key.Key_E, CTRL_SHIFT)      # English
    qtbot.waitUntil(lambda: window.open_action.text() == "&Open photo…", timeout=5000)
    assert window.display_box.title() == "Display" and window.panel.hint_texts() == english


def test_wording_selector_shows_the_applicants_sentences(qtbot, make_window, gui_settings, english_after):
    window = make_window()
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS):
        window.open_photo(sample_path("t1"))
    officer = window.panel.hint_texts()
    window.panel.wording_combo.setCurrentIndex(window.panel.wording_combo.findData("applicant"))
    applicant = window.panel.hint_texts()
    assert applicant == _hints(window, "en", "applicant") and applicant != officer
    assert all(text.startswith("Please") for text in applicant)
    assert window.menus.applicant_action.isChecked() and gui_settings.get("audience") == "applicant"
    window.choose_language("es")
    assert window.panel.hint_texts() == _hints(window, "es", "applicant")
    # Remembered with the language.
    second = make_window(gui_settings)
    assert second.panel.audience == "applicant" and second.panel.wording_combo.currentData() == "applicant"
    second.close()


def test_the_window_starts_in_the_systems_language(tmp_path):
    """A real window in a fresh process whose locale is Spanish, with no language saved."""
    script = (
        "import sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from plq_desktop.gui import qt_env\n"
        "app = qt_env.create_application(['plq-desktop'])\n"
        "from plq_desktop.gui.settings import Settings\n"
        "from plq_desktop.gui.window import MainWindow\n"
        "window = MainWindow(Settings(QSettings(sys.argv[1], QSettings.Format.IniFormat)))\n"
        "print(window.open_action.text())\n"
        "print(window.menus.language_group.checkedAction().data())\n"
        "window.shutdown()\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(LANG="es_ES.UTF-8", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "settings.ini")], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["&Abrir foto…", "es"]


def test_a_what_if_on_screen_changes_language_with_the_window(qtbot, make_window, english_after):
    window = make_window()
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS):
        window.open_photo(sample_path("grace_hopper"))
    with qtbot.waitSignal(window.whatif.simulationShown, timeout=WAIT_MS):
        window.whatif.run(region="left_cheek", what="the left cheek")
    assert window.whatif.banner.label.text().startswith("SIMULATION (what-if, not for enrolment)")
    window.choose_language("de")
    qtbot.waitUntil(lambda: window.whatif.banner.back_button.text() == "Zurück zum Foto (Esc)", timeout=5000)
    assert window.whatif.banner.label.text().startswith("SIMULATION (Was-wäre-wenn, nicht für die Erfassung)")
    assert window.windowTitle().endswith("Was-wäre-wenn-SIMULATION")
    assert window.panes[0].title.startswith("Vorher · Qualität") and window.panes[1].title.startswith("Nachher")
    assert [g.caption for g in window.panel.gauges] == ["Vorher", "Nachher (Simulation)"]
    # Save refuses in German too.
    assert window.exporter.refused() and window.banner.text().startswith("Eine Was-wäre-wenn-Simulation")
