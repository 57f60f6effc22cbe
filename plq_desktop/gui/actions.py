"""The window's actions: menus, toolbar, keyboard shortcuts, the language menu and the recent-files menu.

Each action only calls the part of the window that does the work (feed,
models, result view, exporter); a new command is one action here. Every
command has a shortcut, shown in its menu and its tooltip; the texts are set
in ``retranslate`` (again on every language change).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
)

from plq_desktop.core.io.images import IMAGE_SUFFIXES
from plq_desktop.gui import i18n

PHOTO_PATTERNS = " ".join(f"*{s}" for s in sorted(IMAGE_SUFFIXES))
# Languages by their own names, so that anyone finds theirs; one shortcut each (the name's initial in English).
LANGUAGE_SHORTCUTS = {"en": "Ctrl+Shift+E", "de": "Ctrl+Shift+D", "fr": "Ctrl+Shift+F", "es": "Ctrl+Shift+S"}


def shortcut_text(action: QAction) -> str:
    """The shortcut as the menus show it (translated key names, e.g. "Strg+O" in German)."""
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)


def make_action(window: QMainWindow, slot, shortcut=None, checkable: bool = False) -> QAction:
    """A window action (its shortcut works wherever the focus is); ``label`` gives its texts."""
    action = QAction(window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setCheckable(checkable)
    (action.toggled if checkable else action.triggered).connect(slot)
    window.addAction(action)
    return action


def label(action: QAction, text: str, tip: str = "") -> None:
    """Set an action's text, status tip and tooltip; the tooltip names the shortcut ("Open photo (Ctrl+O)")."""
    action.setText(text)
    tip = tip or text.replace("&", "").rstrip("…")
    action.setStatusTip(tip)
    action.setToolTip(f"{tip} ({shortcut_text(action)})" if not action.shortcut().isEmpty() else tip)


class Actions(QObject):
    """Builds the window's actions, menu bar and toolbar."""

    def __init__(self, window: QMainWindow):  # a MainWindow (window.py imports this module)
        super().__init__(window)
        self.window = window
        feed, models, results, exporter = window.feed, window.models, window.result_view, window.exporter
        act = self._action
        self.open_action = act(self._ask_photo, QKeySequence.StandardKey.Open)
        self.video_action = act(feed.ask_video, "Ctrl+Shift+O")
        self.folder_action = act(feed.ask_folder, "Ctrl+Shift+I")
        self.live_action = act(feed.live_toggled, Qt.Key.Key_Space, checkable=True)
        self.capture_action = act(window.auto_capture.toggled, "Ctrl+Shift+C", checkable=True)
        self.side_action = act(models.side_by_side_toggled, "Ctrl+2", checkable=True)
        self.diff_action = act(models.difference_toggled, "Ctrl+D", checkable=True)
        self.save_action = act(exporter.ask_save, QKeySequence.StandardKey.Save)
        self.passport_action = act(exporter.ask_export_passport, "Ctrl+E")
        self.copy_action = act(exporter.copy_image, QKeySequence.StandardKey.Copy)
        self.batch_action = act(lambda: window.show_page("batch"), "Ctrl+B")
        self.batch_open_action = act(self._ask_batch_results, "Ctrl+Shift+B")
        self.batch_folder_action = act(self._ask_batch_folder, "Ctrl+Shift+A")
        self.photo_page_action = act(lambda: window.show_page("photo"), "Ctrl+1")
        self.quit_action = act(window.close, "Ctrl+Q")      # StandardKey.Quit is empty on some platforms
        panes = window.panes
        self.next_face_action = act(lambda: results.step_face(1), "N")
        self.previous_face_action = act(lambda: results.step_face(-1), "Shift+N")
        self.zoom_in_action = act(lambda: panes[0].zoom_by(1.25), QKeySequence.StandardKey.ZoomIn)
        self.zoom_out_action = act(lambda: panes[0].zoom_by(0.8), QKeySequence.StandardKey.ZoomOut)
        self.fit_action = act(window.view_state.reset, "Ctrl+0")
        self.less_action = act(lambda: results.nudge_opacity(-10), "[")
        self.more_action = act(lambda: results.nudge_opacity(10), "]")
        self.gamma_up_action = act(lambda: models.gamma_spin.stepBy(1), "+")
        self.gamma_down_action = act(lambda: models.gamma_spin.stepBy(-1), "-")
        self.raw_map_action = act(models.raw_map_check.setChecked, "Ctrl+R", checkable=True)
        models.raw_map_check.toggled.connect(self.raw_map_action.setChecked)
        self.applicant_action = act(window.set_applicant_wording, "Ctrl+Shift+W", checkable=True)
        self.keys_action = act(self._show_shortcuts, QKeySequence.StandardKey.HelpContents)

        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in i18n.languages().items():
            # triggered, not toggled: the group unchecking the previous language must not choose it again.
            action = act(lambda _checked=False, c=code: window.choose_language(c), LANGUAGE_SHORTCUTS.get(code))
            action.setCheckable(True)
            action.setText(name)
            action.setData(code)
            self.language_group.addAction(action)
            self.language_actions[code] = action

        bar = window.menuBar()
        self.file_menu = menu = bar.addMenu("")
        menu.addAction(self.open_action)
        self.recent_menu = menu.addMenu("")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        menu.addAction(self.video_action)
        menu.addAction(self.folder_action)
        menu.addSeparator()
        for action in (self.batch_action, self.batch_folder_action, self.batch_open_action, self.photo_page_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.save_action)
        menu.addAction(self.passport_action)
        menu.addAction(self.copy_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        self.view_menu = menu = bar.addMenu("")
        for action in (self.side_action, self.diff_action, None, self.next_face_action, self.previous_face_action,
                       None, self.zoom_in_action, self.zoom_out_action, self.fit_action, None, self.less_action,
                       self.more_action, self.gamma_up_action, self.gamma_down_action, self.raw_map_action, None,
                       self.applicant_action):
            menu.addSeparator() if action is None else menu.addAction(action)
        self.camera_menu = menu = bar.addMenu("")
        menu.addAction(self.live_action)
        menu.addAction(self.capture_action)
        self.language_menu = menu = bar.addMenu("")
        for action in self.language_actions.values():
            menu.addAction(action)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.keys_action)

        self.toolbar = tools = QToolBar()
        tools.setObjectName("main-toolbar")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        window.addToolBar(tools)
        tools.addAction(self.open_action)
        tools.addSeparator()
        self.camera_label = QLabel()
        tools.addWidget(self.camera_label)
        tools.addWidget(feed.camera_combo)
        tools.addWidget(feed.resolution_combo)
        tools.addAction(self.live_action)
        tools.addSeparator()
        self.model_label = QLabel()
        tools.addWidget(self.model_label)
        tools.addWidget(models.model_combo)
        tools.addWidget(models.explain_combo)
        tools.addAction(self.side_action)
        self.model_b_widget = tools.addWidget(models.model_b_combo)
        self.explain_b_widget = tools.addWidget(models.explain_b_combo)
        tools.addAction(self.diff_action)
        tools.addSeparator()
        tools.addAction(self.save_action)
        tools.addAction(self.copy_action)
        self.retranslate()

    def _action(self, slot, shortcut=None, checkable: bool = False) -> QAction:
        return make_action(self.window, slot, shortcut, checkable)

    def retranslate(self) -> None:
        label(self.open_action, self.tr("&Open photo…"), self.tr("Open a passport photo"))
        label(self.video_action, self.tr("Play &video file…"), self.tr("Play a video file as if it were the camera"))
        label(self.folder_action, self.tr("Play &image folder…"), self.tr("Play the photos of a folder as a stream"))
        label(self.live_action, self.tr("&Live"), self.tr("Start or stop the camera"))
        label(self.capture_action, self.tr("&Auto-capture…"),
              self.tr("Capture the best frame by itself once the face qualifies, into a folder you choose"))
        label(self.side_action, self.tr("&Side by side"), self.tr("Compare two models on the same frame"))
        label(self.diff_action, self.tr("&Difference"), self.tr("Right pane: right model's map minus the left one's"))
        label(self.save_action, self.tr("&Save result…"), self.tr("Save the overlay image and a JSON report"))
        label(self.passport_action, self.tr("&Export passport photo…"),
              self.tr("Crop and scale the largest face to the ICAO 35 x 45 mm geometry"))
        label(self.copy_action, self.tr("&Copy image"), self.tr("Copy the overlay image to the clipboard"))
        label(self.batch_action, self.tr("&Batch audit…"),
              self.tr("Audit a folder of photos, or browse the results of an earlier batch"))
        label(self.batch_folder_action, self.tr("Audit a &folder…"),
              self.tr("Choose a folder of photos to audit as a batch"))
        label(self.batch_open_action, self.tr("Open batch &results…"),
              self.tr("Open the output folder of plq batch on the batch page"))
        label(self.photo_page_action, self.tr("&Photo and live page"), self.tr("Back to the photo and live view"))
        label(self.quit_action, self.tr("&Quit"), self.tr("Quit PLQ Desktop"))
        label(self.next_face_action, self.tr("&Next face"), self.tr("Assess the next face of the photo"))
        label(self.previous_face_action, self.tr("&Previous face"), self.tr("Assess the previous face of the photo"))
        label(self.zoom_in_action, self.tr("Zoom &in"))
        label(self.zoom_out_action, self.tr("Zoom &out"))
        label(self.fit_action, self.tr("&Fit to window"))
        label(self.less_action, self.tr("Less opacity"), self.tr("Map opacity down"))
        label(self.more_action, self.tr("More opacity"), self.tr("Map opacity up"))
        label(self.gamma_up_action, self.tr("Map gamma up"), self.tr("More green in the map (colours only)"))
        label(self.gamma_down_action, self.tr("Map gamma down"), self.tr("More red in the map (colours only)"))
        label(self.raw_map_action, self.tr("Per-pixel map (&raw)"), self.tr("Show the unsmoothed per-pixel map"))
        label(self.applicant_action, self.tr("&Applicant's wording"),
              self.tr("Hints as said to the person in front of the camera, instead of the officer's wording"))
        label(self.keys_action, self.tr("&Keyboard shortcuts"), self.tr("List every keyboard shortcut"))
        # The toolbar's buttons: short words, so that the toolbar fits the window in every language.
        self.save_action.setIconText(self.tr("Save"))
        self.copy_action.setIconText(self.tr("Copy"))
        for action in self.language_actions.values():
            label(action, action.text(), self.tr("The window and the hints in this language"))
        self.file_menu.setTitle(self.tr("&File"))
        self.recent_menu.setTitle(self.tr("Open &recent"))
        self.view_menu.setTitle(self.tr("&View"))
        self.camera_menu.setTitle(self.tr("&Camera"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.toolbar.setWindowTitle(self.tr("Main"))
        self.camera_label.setText(self.tr(" Camera "))
        self.model_label.setText(self.tr(" Model "))

    def set_language_checked(self, code: str) -> None:
        action = self.language_actions.get(code)
        if action is not None:
            action.setChecked(True)

    def _ask_photo(self) -> None:
        recent = self.window.settings.get("recent_files")
        start = str(Path(recent[0]).parent) if recent else ""
        filters = self.tr("Photos ({patterns})").format(patterns=PHOTO_PATTERNS) + ";;" + self.tr("All files (*)")
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Open a passport photo"), start, filters)
        if path:
            self.window.open_photo(path)

    def _ask_batch_results(self) -> None:
        self.window.show_page("batch")
        self.window.batch_page.ask_results()

    def _ask_batch_folder(self) -> None:
        self.window.show_page("batch")
        self.window.batch_page.ask_folder()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.window.settings.get("recent_files")
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.window.open_photo(p))
        if not recent:
            self.recent_menu.addAction(self.tr("(none yet)")).setEnabled(False)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(key, "Menu › command") of every command in menu order, then the keys of the lists and tables."""
        rows = []
        for menu in (a.menu() for a in self.window.menuBar().actions()):
            for action in menu.actions():
                if action.menu() is None and not action.isSeparator() and not action.shortcut().isEmpty():
                    rows.append((shortcut_text(action),
                                 f"{menu.title()} › {action.text()}".replace("&", "").replace("…", "")))
        rows += [(self.tr("Tab / Shift+Tab"), self.tr("Move between the controls")),
                 (self.tr("Arrow keys"), self.tr("Move in the hints list and the batch table")),
                 (self.tr("Enter"), self.tr("Batch table: open the row's photo")),
                 (self.tr("Alt + underlined letter"), self.tr("Open a menu"))]
        return rows

    def _show_shortcuts(self) -> None:
        """A table of every key (scrolls on a small screen); Esc or Close ends it."""
        rows = self.shortcut_rows()
        dialog = QDialog(self.window)
        dialog.setObjectName("shortcuts-dialog")
        dialog.setWindowTitle(self.tr("Keyboard shortcuts"))
        table = QTableWidget(len(rows), 2, dialog)
        table.setHorizontalHeaderLabels([self.tr("Key"), self.tr("Command")])
        for row, texts in enumerate(rows):
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                table.setItem(row, column, item)
        table.verticalHeader().hide()
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialog.resize(max(520, table.horizontalHeader().length() + 40), 560)
        dialog.exec()
        dialog.deleteLater()
