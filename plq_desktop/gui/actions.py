"""The window's actions: menus, toolbar, keyboard shortcuts and the recent-files menu.

Each action only calls the part of the window that does the work (feed,
models, result view, exporter); a new command is one action here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox, QToolBar

from plq_desktop.core.io.images import IMAGE_SUFFIXES

PHOTO_FILTER = "Photos ({})".format(" ".join(f"*{s}" for s in sorted(IMAGE_SUFFIXES)))

SHORTCUTS = [
    ("Ctrl+O", "Open a photo"), ("Ctrl+Shift+O", "Play a video file as the camera"),
    ("Space", "Start / stop the camera"), ("Ctrl+S", "Save the overlay image and the JSON report"),
    ("Ctrl+E", "Export the passport photo (35 x 45 mm)"), ("Ctrl+B", "Batch page: audit a folder, browse results"),
    ("Ctrl+C", "Copy the overlay image"), ("Ctrl+2", "Side by side: two models"),
    ("Ctrl+D", "Difference view (right minus left)"), ("Ctrl++ / Ctrl+- / Ctrl+0", "Zoom in / out / fit"),
    ("[ / ]", "Overlay opacity down / up"), ("B", "What-if brush on / off (inpaint what you brush)"),
    ("Esc", "Leave a what-if simulation: back to the photo"), ("Ctrl+Q", "Quit"),
]


def make_action(window: QMainWindow, text: str, slot, shortcut=None, checkable: bool = False,
                tip: str = "") -> QAction:
    """A window action (its shortcut works wherever the focus is) with its tip naming the shortcut."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setCheckable(checkable)
    action.setStatusTip(tip)
    action.setToolTip(f"{tip or text} ({QKeySequence(shortcut).toString()})" if shortcut else tip or text)
    (action.toggled if checkable else action.triggered).connect(slot)
    window.addAction(action)
    return action


class Actions(QObject):
    """Builds the window's actions, menu bar and toolbar."""

    def __init__(self, window: QMainWindow):  # a MainWindow (window.py imports this module)
        super().__init__(window)
        self.window = window
        feed, models, results, exporter = window.feed, window.models, window.result_view, window.exporter
        self.open_action = self._action("Open photo…", self._ask_photo, QKeySequence.StandardKey.Open,
                                        tip="Open a passport photo")
        self.video_action = self._action("Play video file…", feed.ask_video, "Ctrl+Shift+O",
                                         tip="Play a video file as if it were the camera")
        self.folder_action = self._action("Play image folder…", feed.ask_folder,
                                          tip="Play the photos of a folder as a stream")
        self.live_action = self._action("Live", feed.live_toggled, Qt.Key.Key_Space, checkable=True,
                                        tip="Start or stop the camera")
        self.side_action = self._action("Side by side", models.side_by_side_toggled, "Ctrl+2", checkable=True,
                                        tip="Compare two models on the same frame")
        self.diff_action = self._action("Difference", models.difference_toggled, "Ctrl+D", checkable=True,
                                        tip="Right pane: right model's map minus the left one's")
        self.save_action = self._action("Save result…", exporter.ask_save, QKeySequence.StandardKey.Save,
                                        tip="Save the overlay image and a JSON report")
        self.passport_action = self._action("Export passport photo…", exporter.ask_export_passport, "Ctrl+E",
                                            tip="Crop and scale the largest face to the ICAO 35 x 45 mm geometry")
        self.copy_action = self._action("Copy image", exporter.copy_image, QKeySequence.StandardKey.Copy,
                                        tip="Copy the overlay image to the clipboard")
        self.batch_action = self._action("Batch audit…", lambda: window.show_page("batch"), "Ctrl+B",
                                         tip="Audit a folder of photos, or browse the results of an earlier batch")
        self.batch_open_action = self._action("Open batch results…", self._ask_batch_results,
                                              tip="Open the output folder of plq batch on the batch page")
        self.quit_action = self._action("Quit", window.close, QKeySequence.StandardKey.Quit)
        panes = window.panes
        zoom_in = self._action("Zoom in", lambda: panes[0].zoom_by(1.25), QKeySequence.StandardKey.ZoomIn)
        zoom_out = self._action("Zoom out", lambda: panes[0].zoom_by(0.8), QKeySequence.StandardKey.ZoomOut)
        fit = self._action("Fit to window", window.view_state.reset, "Ctrl+0")
        less = self._action("Less opacity", lambda: results.nudge_opacity(-10), "[")
        more = self._action("More opacity", lambda: results.nudge_opacity(10), "]")
        keys = self._action("Keyboard shortcuts", self._show_shortcuts, QKeySequence.StandardKey.HelpContents)

        menu = window.menuBar().addMenu("&File")
        menu.addAction(self.open_action)
        self.recent_menu = menu.addMenu("Open recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        menu.addAction(self.video_action)
        menu.addAction(self.folder_action)
        menu.addSeparator()
        menu.addAction(self.batch_action)
        menu.addAction(self.batch_open_action)
        menu.addSeparator()
        menu.addAction(self.save_action)
        menu.addAction(self.passport_action)
        menu.addAction(self.copy_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        menu = window.menuBar().addMenu("&View")
        for action in (self.side_action, self.diff_action, None, zoom_in, zoom_out, fit, None, less, more):
            menu.addSeparator() if action is None else menu.addAction(action)
        menu = window.menuBar().addMenu("&Camera")
        menu.addAction(self.live_action)
        menu = window.menuBar().addMenu("&Help")
        menu.addAction(keys)

        bar = QToolBar("Main")
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        window.addToolBar(bar)
        bar.addAction(self.open_action)
        bar.addSeparator()
        bar.addWidget(QLabel(" Camera "))
        bar.addWidget(feed.camera_combo)
        bar.addWidget(feed.resolution_combo)
        bar.addAction(self.live_action)
        bar.addSeparator()
        bar.addWidget(QLabel(" Model "))
        bar.addWidget(models.model_combo)
        bar.addWidget(models.explain_combo)
        bar.addAction(self.side_action)
        self.model_b_widget = bar.addWidget(models.model_b_combo)
        self.explain_b_widget = bar.addWidget(models.explain_b_combo)
        bar.addAction(self.diff_action)
        bar.addSeparator()
        bar.addAction(self.save_action)
        bar.addAction(self.copy_action)
        self.toolbar = bar

    def _action(self, text: str, slot, shortcut=None, checkable: bool = False, tip: str = "") -> QAction:
        return make_action(self.window, text, slot, shortcut, checkable, tip)

    def _ask_photo(self) -> None:
        recent = self.window.settings.get("recent_files")
        start = str(Path(recent[0]).parent) if recent else ""
        path, _ = QFileDialog.getOpenFileName(self.window, "Open a passport photo", start,
                                              f"{PHOTO_FILTER};;All files (*)")
        if path:
            self.window.open_photo(path)

    def _ask_batch_results(self) -> None:
        self.window.show_page("batch")
        self.window.batch_page.ask_results()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.window.settings.get("recent_files")
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.window.open_photo(p))
        if not recent:
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def _show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;{v}</td></tr>" for k, v in SHORTCUTS)
        QMessageBox.information(self.window, "Keyboard shortcuts", f"<table>{rows}</table>")
