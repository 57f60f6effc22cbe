"""The main window: live camera or passport photo, PLQ overlay, quality panel, side-by-side models.

The window only draws, collects input and hands work to the analysis
thread; it never runs model code. Results carry a generation number and are
dropped when they belong to an older model choice, photo or source.
"""

from __future__ import annotations

import json
import logging
import time
from collections import deque
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSlider,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from plq_desktop.core.io.images import IMAGE_SUFFIXES
from plq_desktop.core.io.render import render_result
from plq_desktop.core.io.report import result_dict
from plq_desktop.core.live.engine import (
    Analysis,
    ModelsChanged,
    Notice,
    PhotoOpened,
    Problem,
)
from plq_desktop.core.live.sources import ImageFolderSource, VideoFileSource
from plq_desktop.core.zoo.registry import get_spec, is_present, model_names
from plq_desktop.gui.convert import qimage_from_rgb
from plq_desktop.gui.panel import QualityPanel
from plq_desktop.gui.settings import DEFAULTS, Settings
from plq_desktop.gui.sources import (
    HAVE_QT_MULTIMEDIA,
    FrameFeed,
    ReaderFeed,
    camera_choices,
    open_camera,
)
from plq_desktop.gui.view import ColourLegend, FaceMark, ImageView, ViewState
from plq_desktop.gui.worker import AnalysisThread

log = logging.getLogger(__name__)

VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".avi", ".mov", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv"})
PHOTO_FILTER = "Photos ({})".format(" ".join(f"*{s}" for s in sorted(IMAGE_SUFFIXES)))
VIDEO_FILTER = "Videos ({})".format(" ".join(f"*{s}" for s in sorted(VIDEO_SUFFIXES)))
IDLE_MESSAGE = "Open a passport photo (Ctrl+O) or drop one here, or start the camera (Space)"
# Rate and latency are averaged over this many seconds of results.
RATE_WINDOW_S = 5.0
LIVE_QUALITY_SECONDS = 1.0
FOLDER_FPS = 1.0

SHORTCUTS = [
    ("Ctrl+O", "Open a photo"), ("Ctrl+Shift+O", "Play a video file as the camera"),
    ("Space", "Start / stop the camera"), ("Ctrl+S", "Save the overlay image and the JSON report"),
    ("Ctrl+C", "Copy the overlay image"), ("Ctrl+2", "Side by side: two models"),
    ("Ctrl+D", "Difference view (right minus left)"), ("Ctrl++ / Ctrl+- / Ctrl+0", "Zoom in / out / fit"),
    ("[ / ]", "Overlay opacity down / up"), ("Ctrl+Q", "Quit"),
]


class ErrorBanner(QFrame):
    """The latest error in full, above the images, until dismissed or the next action."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("error-banner")
        self.setStyleSheet("#error-banner { background: #fbe3e1; border-bottom: 1px solid #d9a19c; }"
                           "#error-banner QLabel { color: #7a1410; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        self._lines: list[str] = []
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_error(self, text: str) -> None:
        """Add ``text`` to the errors shown since the banner was last hidden (the latest three)."""
        lines = self._lines if self.isVisibleTo(self.parentWidget()) else []
        self._lines = [line for line in lines if line != text][-2:] + [text]
        self.label.setText("\n".join(self._lines))
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisibleTo(self.parentWidget()) else ""


class MainWindow(QMainWindow):
    """The PLQ Desktop window.

    ``settings`` defaults to the per-user store; ``engine_options`` go to the
    AnalysisEngine (tests slow its ``analyse`` down, for instance).
    """

    resultShown = Signal(object)     # the Analysis just put on screen
    messageShown = Signal(str, bool)  # every status-bar message, and whether it reports an error

    def __init__(self, settings: Settings | None = None, engine_options: dict | None = None):
        super().__init__()
        self.settings = settings if settings is not None else Settings()
        self.setWindowTitle("PLQ Desktop")
        self.setAcceptDrops(True)
        self.mode = "idle"                      # "idle", "live" or "photo": see _set_mode
        self._feed: FrameFeed | None = None
        self._photo: tuple[np.ndarray, str] | None = None     # the photo on screen (image, path)
        self._photo_path: str | None = None                   # the photo last asked for
        self._analysis: Analysis | None = None
        self._frame = None                      # newest live Frame on screen
        self._selected_face = 0
        self._models_request = -1
        self._closed = False
        self.stale_discarded = 0                # results dropped for an older generation
        self.frames_shown = 0
        self._results: deque[tuple[float, float]] = deque()   # (finished, latency) of live results
        self._frame_times: deque[float] = deque()

        self._thread = AnalysisThread(self, **(engine_options or {}))
        self.engine = self._thread.engine
        self._thread.event.connect(self._on_event)

        self._build_ui()
        self._build_actions()
        self._restore_settings()
        self._stats_timer = QTimer(self)
        self._stats_timer.timeout.connect(self._update_stats)
        self._stats_timer.start(500)
        self._gamma_timer = QTimer(self, singleShot=True, interval=300)
        self._gamma_timer.timeout.connect(self._gamma_settled)
        self._apply_models()
        for pane in self.panes:
            pane.set_message(IDLE_MESSAGE)
        self._thread.start()

    # -- construction -------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.view_state = ViewState(self)
        self.panes = [ImageView(self.view_state), ImageView(self.view_state)]
        self.panes[1].hide()
        for pane in self.panes:
            pane.faceClicked.connect(self._choose_face)
        self.legend = ColourLegend()
        self.difference_legend = ColourLegend(difference=True)
        self.difference_legend.hide()
        self.views = views = QSplitter(Qt.Orientation.Horizontal)
        for pane in self.panes:
            views.addWidget(pane)
        images = QHBoxLayout()
        images.setContentsMargins(0, 0, 0, 0)
        images.setSpacing(0)
        images.addWidget(views, 1)
        images.addWidget(self.legend)
        images.addWidget(self.difference_legend)
        self.banner = ErrorBanner()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.banner)
        left_layout.addLayout(images, 1)

        self.panel = QualityPanel()
        self.panel.faceChosen.connect(self._choose_face)
        self.panel.hintChosen.connect(self._highlight_hint)
        display = QGroupBox("Display")
        form = QFormLayout(display)
        self.opacity_slider = QSlider(Qt.Orientation.Horizontal)
        self.opacity_slider.setRange(0, 100)
        self.opacity_slider.setToolTip("Opacity of the quality map over the face ( [ and ] )")
        self.opacity_slider.valueChanged.connect(self._opacity_changed)
        form.addRow("Map opacity", self.opacity_slider)
        self.gamma_spin = QDoubleSpinBox()
        self.gamma_spin.setRange(-3.0, 3.0)
        self.gamma_spin.setSingleStep(0.25)
        self.gamma_spin.setDecimals(2)
        self.gamma_spin.setToolTip("Added to each model's calibrated gamma: higher shows more green.\n"
                                   "It stretches the map's colours only; the image quality does not change.")
        self.gamma_spin.valueChanged.connect(self._gamma_changed)
        form.addRow("Map gamma (+/-)", self.gamma_spin)
        self.device_combo = QComboBox()
        self.device_combo.addItems(["auto", "cpu", "cuda"])
        self.device_combo.setToolTip("auto: the GPU when CUDA is available, else the CPU")
        self.device_combo.currentTextChanged.connect(self._device_changed)
        form.addRow("Device", self.device_combo)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.panel, 1)
        side_layout.addWidget(display)
        side.setMinimumWidth(300)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([900, 320])
        self.setCentralWidget(splitter)

        self.device_label = QLabel("Device: loading…")
        self.rate_label = QLabel("")
        self.statusBar().addPermanentWidget(self.rate_label)
        self.statusBar().addPermanentWidget(self.device_label)

    def _action(self, text: str, slot, shortcut=None, checkable: bool = False, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        action.setStatusTip(tip)
        action.setToolTip(f"{tip or text} ({QKeySequence(shortcut).toString()})" if shortcut else tip or text)
        (action.toggled if checkable else action.triggered).connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.open_action = self._action("Open photo…", self._ask_photo, QKeySequence.StandardKey.Open,
                                        tip="Open a passport photo")
        self.video_action = self._action("Play video file…", self._ask_video, "Ctrl+Shift+O",
                                         tip="Play a video file as if it were the camera")
        self.folder_action = self._action("Play image folder…", self._ask_folder,
                                          tip="Play the photos of a folder as a stream")
        self.live_action = self._action("Live", self._live_toggled, Qt.Key.Key_Space, checkable=True,
                                        tip="Start or stop the camera")
        self.side_action = self._action("Side by side", self._side_by_side_toggled, "Ctrl+2", checkable=True,
                                        tip="Compare two models on the same frame")
        self.diff_action = self._action("Difference", self._difference_toggled, "Ctrl+D", checkable=True,
                                        tip="Right pane: right model's map minus the left one's")
        self.save_action = self._action("Save result…", self._ask_save, QKeySequence.StandardKey.Save,
                                        tip="Save the overlay image and a JSON report")
        self.copy_action = self._action("Copy image", self.copy_image, QKeySequence.StandardKey.Copy,
                                        tip="Copy the overlay image to the clipboard")
        self.quit_action = self._action("Quit", self.close, QKeySequence.StandardKey.Quit)
        zoom_in = self._action("Zoom in", lambda: self.panes[0].zoom_by(1.25), QKeySequence.StandardKey.ZoomIn)
        zoom_out = self._action("Zoom out", lambda: self.panes[0].zoom_by(0.8), QKeySequence.StandardKey.ZoomOut)
        fit = self._action("Fit to window", self.view_state.reset, "Ctrl+0")
        less = self._action("Less opacity", lambda: self._nudge_opacity(-10), "[")
        more = self._action("More opacity", lambda: self._nudge_opacity(10), "]")
        keys = self._action("Keyboard shortcuts", self._show_shortcuts, QKeySequence.StandardKey.HelpContents)

        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.open_action)
        self.recent_menu = menu.addMenu("Open recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        menu.addAction(self.video_action)
        menu.addAction(self.folder_action)
        menu.addSeparator()
        menu.addAction(self.save_action)
        menu.addAction(self.copy_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        menu = self.menuBar().addMenu("&View")
        for action in (self.side_action, self.diff_action, None, zoom_in, zoom_out, fit, None, less, more):
            menu.addSeparator() if action is None else menu.addAction(action)
        menu = self.menuBar().addMenu("&Camera")
        menu.addAction(self.live_action)
        menu = self.menuBar().addMenu("&Help")
        menu.addAction(keys)

        bar = QToolBar("Main")
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        bar.addAction(self.open_action)
        bar.addSeparator()
        bar.addWidget(QLabel(" Camera "))
        self.camera_combo = QComboBox()
        self.camera_combo.setMinimumContentsLength(12)
        self.camera_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.camera_combo.currentIndexChanged.connect(self._camera_chosen)
        bar.addWidget(self.camera_combo)
        self.resolution_combo = QComboBox()
        self.resolution_combo.setToolTip("Camera resolution")
        self.resolution_combo.currentIndexChanged.connect(self._resolution_chosen)
        bar.addWidget(self.resolution_combo)
        bar.addAction(self.live_action)
        bar.addSeparator()
        bar.addWidget(QLabel(" Model "))
        self.model_combo, self.model_b_combo = QComboBox(), QComboBox()
        for combo in (self.model_combo, self.model_b_combo):
            self._fill_models(combo)
            combo.setMinimumContentsLength(14)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(self._model_chosen)
        bar.addWidget(self.model_combo)
        bar.addAction(self.side_action)
        self.model_b_widget = bar.addWidget(self.model_b_combo)
        bar.addAction(self.diff_action)
        bar.addSeparator()
        bar.addAction(self.save_action)
        bar.addAction(self.copy_action)

        if HAVE_QT_MULTIMEDIA:
            from PySide6.QtMultimedia import QMediaDevices
            self._media_devices = QMediaDevices(self)
            self._media_devices.videoInputsChanged.connect(self._cameras_changed)
        self._fill_cameras()

    def _restore_settings(self) -> None:
        s = self.settings
        self._select_model(self.model_combo, s.get("model"))
        self._select_model(self.model_b_combo, s.get("model_b"))
        for widget, value in ((self.side_action, s.get("side_by_side")), (self.diff_action, s.get("difference"))):
            widget.blockSignals(True)
            widget.setChecked(value)
            widget.blockSignals(False)
        self.device_combo.blockSignals(True)
        self.device_combo.setCurrentIndex(max(self.device_combo.findText(s.get("device")), 0))
        self.device_combo.blockSignals(False)
        self.gamma_spin.blockSignals(True)
        self.gamma_spin.setValue(s.get("gamma_offset"))
        self.gamma_spin.blockSignals(False)
        self.opacity_slider.setValue(round(100 * s.get("opacity")))
        self._opacity_changed(self.opacity_slider.value())
        geometry = s.store.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 820)
        self._update_side_by_side_widgets()

    # -- models ---------------------------------------------------------------------------
    @staticmethod
    def _fill_models(combo: QComboBox) -> None:
        """Every registered model; those whose weights are not installed say so (loading them explains how)."""
        for name in model_names():
            spec = get_spec(name)
            present = is_present(spec)
            combo.addItem(name if present else f"{name} (not installed)", name)
            combo.setItemData(combo.count() - 1, f"{spec.family}\n{spec.description}\nLicence: {spec.licence}"
                              + ("" if present else f"\nNot installed: see 'plq models download {name}'"),
                              Qt.ItemDataRole.ToolTipRole)

    @staticmethod
    def _select_model(combo: QComboBox, name: str) -> None:
        """Select ``name``; a name no longer registered falls back to the model that ships offline."""
        index = combo.findData(name)
        combo.blockSignals(True)
        combo.setCurrentIndex(index if index >= 0 else max(combo.findData(DEFAULTS["model"]), 0))
        combo.blockSignals(False)

    def model_choice(self) -> list[str]:
        names = [self.model_combo.currentData()]
        if self.side_action.isChecked():
            names.append(self.model_b_combo.currentData())
        return names

    def _apply_models(self) -> None:
        """Send the model choice to the engine; the photo on screen is analysed again."""
        self.banner.hide()
        self._models_request = self.engine.set_models(self.model_choice(), self.device_combo.currentText(),
                                                      self.gamma_spin.value())
        self._clear_results()
        if self.mode == "photo" and self._photo is not None:
            image, path = self._photo
            self.engine.analyse_photo(image, path)
            self._set_pane_messages("Analysing…")
        elif self.mode == "photo" and self._photo_path:
            self.engine.open_photo(self._photo_path)     # still loading: the new generation loads it again

    @Slot(int)
    def _model_chosen(self, _index: int) -> None:
        self.settings.set("model", self.model_combo.currentData())
        self.settings.set("model_b", self.model_b_combo.currentData())
        self._apply_models()

    @Slot(bool)
    def _side_by_side_toggled(self, on: bool) -> None:
        self.settings.set("side_by_side", on)
        self._update_side_by_side_widgets()
        self._apply_models()

    def _update_side_by_side_widgets(self) -> None:
        on = self.side_action.isChecked()
        if on and not self.panes[1].isVisibleTo(self):
            half = max(self.views.width(), 2) // 2
            self.views.setSizes([half, half])    # equal panes: synchronised views show the same
        self.panes[1].setVisible(on)
        self.model_b_widget.setVisible(on)
        self.diff_action.setEnabled(on)
        self.difference_legend.setVisible(on and self.diff_action.isChecked())

    @Slot(bool)
    def _difference_toggled(self, on: bool) -> None:
        self.settings.set("difference", on)
        self._update_side_by_side_widgets()
        self._show_analysis()

    @Slot(str)
    def _device_changed(self, device: str) -> None:
        self.settings.set("device", device)
        self.device_label.setText("Device: loading…")
        self._apply_models()

    @Slot(float)
    def _gamma_changed(self, value: float) -> None:
        self.settings.set("gamma_offset", value)
        self._gamma_timer.start()

    @Slot()
    def _gamma_settled(self) -> None:
        self._apply_models()

    # -- photos -----------------------------------------------------------------------------
    def open_photo(self, path: str | Path) -> None:
        """Load and analyse a photo (on the analysis thread); live video stops."""
        path = str(path)
        self.banner.hide()
        self._stop_feed()
        self._set_mode("photo")
        self._photo, self._photo_path = None, path
        self.engine.open_photo(path)
        self._clear_results()
        self._set_pane_messages(f"Opening {Path(path).name}…")
        self.show_message(f"Opening {path}")

    def _ask_photo(self) -> None:
        start = str(Path(self.settings.get("recent_files")[0]).parent) if self.settings.get("recent_files") else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open a passport photo", start,
                                              f"{PHOTO_FILTER};;All files (*)")
        if path:
            self.open_photo(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.get("recent_files")
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_photo(p))
        if not recent:
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    # -- live sources -------------------------------------------------------------------------
    def _fill_cameras(self) -> None:
        wanted = self.camera_combo.currentData() or self.settings.get("camera")
        self.camera_combo.blockSignals(True)
        self.camera_combo.clear()
        self._cameras = camera_choices()
        for choice in self._cameras:
            self.camera_combo.addItem(choice.label, choice.key)
        index = self.camera_combo.findData(wanted)
        self.camera_combo.setCurrentIndex(max(index, 0))
        self.camera_combo.blockSignals(False)
        self._fill_resolutions()

    def _fill_resolutions(self) -> None:
        choice = self._current_camera()
        self.resolution_combo.blockSignals(True)
        self.resolution_combo.clear()
        self.resolution_combo.addItem("Default size", "")
        for width, height in (choice.resolutions() if choice else []):
            self.resolution_combo.addItem(f"{width} x {height}", f"{width}x{height}")
        index = self.resolution_combo.findData(self.settings.get("resolution"))
        self.resolution_combo.setCurrentIndex(max(index, 0))
        self.resolution_combo.blockSignals(False)

    def _current_camera(self):
        index = self.camera_combo.currentIndex()
        return self._cameras[index] if 0 <= index < len(self._cameras) else None

    @Slot(int)
    def _camera_chosen(self, _index: int) -> None:
        choice = self._current_camera()
        if choice is not None:
            self.settings.set("camera", choice.key)
        self._fill_resolutions()
        if self._feed is not None and self._feed.camera is not None:
            self.start_camera()

    @Slot(int)
    def _resolution_chosen(self, _index: int) -> None:
        self.settings.set("resolution", self.resolution_combo.currentData() or "")
        if self._feed is not None and self._feed.camera is not None:
            self.start_camera()

    @Slot()
    def _cameras_changed(self) -> None:
        """Cameras plugged in or out: rebuild the picker; a vanished camera in use stops."""
        self._fill_cameras()
        choice = self._feed.camera if self._feed is not None else None
        if choice is not None and choice.key not in {c.key for c in self._cameras}:
            self._feed_failed_with(f"Camera lost: {choice.label} was disconnected")

    def start_camera(self) -> None:
        choice = self._current_camera()
        if choice is None:
            self.show_message("No camera found", error=True)
            return
        size = self.resolution_combo.currentData()
        resolution = tuple(int(v) for v in size.split("x")) if size else None
        self.start_feed(open_camera(choice, resolution, self.engine.post_frame, self))

    def play_video(self, path: str | Path) -> None:
        """Play a video file as if it were the camera (looping)."""
        self.start_feed(ReaderFeed(VideoFileSource(path), self.engine.post_frame, self))

    def play_folder(self, folder: str | Path, fps: float = FOLDER_FPS) -> None:
        """Play the photos of a folder as a stream (looping)."""
        self.start_feed(ReaderFeed(ImageFolderSource(folder, fps=fps), self.engine.post_frame, self))

    def start_feed(self, feed: FrameFeed) -> None:
        """Make ``feed`` the live source (its frames already go to the engine through ``on_frame``)."""
        self.banner.hide()
        self._stop_feed()
        self._set_mode("live")
        self._photo, self._photo_path, self._frame = None, None, None
        self.engine.new_generation()
        self._clear_results()
        self.panel.history.clear_history()
        self._results.clear()
        self._set_pane_messages(f"Starting {feed.name}…")
        feed.frameReady.connect(self._on_frame_ready)
        feed.failed.connect(self._on_feed_failed)
        self._feed = feed
        feed.start()
        self._set_live_checked(True)
        self.setWindowTitle(f"PLQ Desktop — {feed.name}")
        self.show_message(f"Live: {feed.name}")

    def _stop_feed(self) -> None:
        feed, self._feed = self._feed, None
        if feed is not None:
            feed.frameReady.disconnect(self._on_frame_ready)
            feed.failed.disconnect(self._on_feed_failed)
            feed.stop()
            feed.deleteLater()
        self._set_live_checked(False)

    def _set_live_checked(self, on: bool) -> None:
        self.live_action.blockSignals(True)
        self.live_action.setChecked(on)
        self.live_action.blockSignals(False)

    @Slot(bool)
    def _live_toggled(self, on: bool) -> None:
        if on:
            self.start_camera()
        else:
            self._stop_feed()
            self._set_mode("idle")
            self._set_pane_messages("Stopped")
            self.show_message("Live view stopped")

    def _ask_video(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Play a video file", "", f"{VIDEO_FILTER};;All files (*)")
        if path:
            self.play_video(path)

    def _ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Play the photos of a folder")
        if folder:
            self.play_folder(folder)

    @Slot()
    def _on_frame_ready(self) -> None:
        feed = self._feed
        # A notification queued before the feed was stopped may still arrive: ignore it.
        if feed is None or self.sender() is not feed:
            return
        frame = feed.latest()
        if frame is None:
            return
        self._frame = frame
        self.frames_shown += 1
        self._frame_times.append(time.monotonic())
        image = qimage_from_rgb(frame.image)
        for pane in self.panes:
            pane.set_frame_image(image)
        if self._analysis is not None and not self._overlay_applies(self._analysis):
            for pane in self.panes:
                pane.clear_result()

    @Slot(str)
    def _on_feed_failed(self, message: str) -> None:
        if self._feed is not None and self.sender() is self._feed:
            self._feed_failed_with(message)

    def _feed_failed_with(self, message: str) -> None:
        self._stop_feed()
        self._set_mode("idle")
        self._set_pane_messages("")
        self.show_message(message, error=True)

    # -- results from the analysis thread ------------------------------------------------------
    @Slot(object)
    def _on_event(self, event) -> None:
        if self._closed:
            return
        if isinstance(event, Analysis):
            self._on_analysis(event)
        elif isinstance(event, PhotoOpened):
            self._on_photo_opened(event)
        elif isinstance(event, ModelsChanged):
            self._on_models_changed(event)
        elif isinstance(event, Problem):
            self.show_message(event.message, error=True)
            if event.generation == self.engine.generation:
                self._set_pane_messages("")      # the "Opening…" or "Analysing…" that led to it
        elif isinstance(event, Notice):
            self.show_message(event.message, sticky=True)

    def _on_photo_opened(self, event: PhotoOpened) -> None:
        if event.generation != self.engine.generation:
            return
        self._photo = (event.image, event.path)
        image = qimage_from_rgb(event.image)
        for pane in self.panes:
            pane.set_frame_image(image)
        self.view_state.reset()
        self._set_pane_messages("Analysing…")
        self.settings.add_recent(event.path)
        self.setWindowTitle(f"PLQ Desktop — {Path(event.path).name}")

    def _on_models_changed(self, event: ModelsChanged) -> None:
        self.device_label.setText(f"Device: {event.device}")
        if event.generation != self._models_request or not event.names:
            return
        # A model that failed to load leaves the previous choice in use: show what is in use.
        self._select_model(self.model_combo, event.names[0])
        if len(event.names) > 1:
            self._select_model(self.model_b_combo, event.names[1])
        elif self.side_action.isChecked():
            self.side_action.blockSignals(True)
            self.side_action.setChecked(False)
            self.side_action.blockSignals(False)
            self._update_side_by_side_widgets()
        self.settings.set("model", self.model_combo.currentData())
        self.settings.set("model_b", self.model_b_combo.currentData())
        self.settings.set("side_by_side", self.side_action.isChecked())
        if self._analysis is None:
            self.panel.set_gauges([(None, name) for name in self.model_choice()])
        self.show_message(f"Model {' and '.join(event.names)} on {event.device}")

    def _on_analysis(self, analysis: Analysis) -> None:
        if analysis.generation != self.engine.generation:
            self.stale_discarded += 1
            return
        if analysis.kind == "photo" or self._analysis is None or self._analysis.kind != analysis.kind:
            self._selected_face = 0
        self._analysis = analysis
        if analysis.kind == "live":
            self._results.append((analysis.finished, analysis.latency_s))
            qualities = tuple(r.faces[0].quality if r.faces else float("nan") for r in analysis.results)
            self.panel.history.add(analysis.finished, qualities)
        else:
            self.rate_label.setText(f"Analysis took {analysis.compute_s:.2f} s")
        self._show_analysis()
        self.resultShown.emit(analysis)

    def _overlay_applies(self, analysis: Analysis) -> bool:
        """May this result be drawn over the frame on screen? Photos: yes. Live: same scene and size."""
        if analysis.kind == "photo" or self._frame is None:
            return True
        if self._frame.image.shape != analysis.image.shape:
            return False
        return self._frame.frame_id == analysis.frame_id or (self._feed is not None and self._feed.continuous)

    def _show_analysis(self) -> None:
        analysis = self._analysis
        if analysis is None:
            return
        applies = self._overlay_applies(analysis)
        live = analysis.kind == "live"
        gauges = []
        for i, pane in enumerate(self.panes):
            if i >= len(analysis.results):
                pane.clear_result()
                pane.title = ""
                continue
            result = analysis.results[i]
            faces = result.faces
            selected = min(self._selected_face, max(len(faces) - 1, 0))
            face = faces[selected] if faces else None
            difference = i == 1 and self.diff_action.isChecked() and self.side_action.isChecked()
            overlay = analysis.difference if difference else analysis.overlays[i]
            several = len(faces) > 1
            marks = [FaceMark(f.box, f.quality, (f"#{j + 1}  " if several else "") + f"Q {100 * f.quality:.0f}",
                              several and j == selected)
                     for j, f in enumerate(faces)]
            if applies:
                pane.set_result(overlay, marks)
            else:
                pane.clear_result()
            quality = face.quality if face else None
            if live and face is not None and selected == 0:
                # Landmark jitter moves a live face's quality from frame to frame; the officer
                # reads the median of the last second (the plot keeps every value).
                recent = self.panel.history.recent_median(i, LIVE_QUALITY_SECONDS)
                quality = face.quality if recent is None else recent
            pane.title = (f"Difference: {analysis.results[1].model} minus {analysis.results[0].model}"
                          if difference else
                          f"{result.model} · quality {100 * quality:.0f}" if face else result.model)
            if faces:
                pane.set_message("")
            else:
                pane.set_message("No face in view" if live else "No face found in this photo", error=not live)
            gauges.append((quality, result.model))
        self.panel.set_gauges(gauges)
        first = analysis.results[0]
        self.panel.set_faces(len(first.faces), min(self._selected_face, max(len(first.faces) - 1, 0)))
        self._show_hints()

    def _show_hints(self) -> None:
        analysis = self._analysis
        faces = analysis.results[0].faces if analysis else []
        for pane in self.panes:
            pane.set_highlight(None)       # set again below if the selected hint is still there
        if not faces:
            self.panel.set_hints([], "What to fix")
            return
        index = min(self._selected_face, len(faces) - 1)
        face = faces[index]
        if face.hints:
            self.panel.set_hints(face.hints, "What to fix")
        else:
            self.panel.set_hints(analysis.regions[0][index], "Nothing to fix · weakest face regions")

    @Slot(int)
    def _choose_face(self, index: int) -> None:
        self._selected_face = index
        self._show_analysis()

    @Slot(object)
    def _highlight_hint(self, polygon) -> None:
        for pane in self.panes:
            pane.set_highlight(polygon)

    def _clear_results(self) -> None:
        self._analysis = None
        for pane in self.panes:
            pane.clear_result()
            pane.title = ""
        self.panel.set_gauges([(None, name) for name in self.model_choice()])
        self.panel.set_faces(0, 0)
        self.panel.set_hints([], "What to fix")

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        # The 30 s history belongs to live video; a photo gives the hints list the room.
        self.panel.set_history_visible(mode != "photo")

    def _set_pane_messages(self, text: str, error: bool = False) -> None:
        for pane in self.panes:
            pane.set_message(text, error)

    # -- display settings ----------------------------------------------------------------------
    @Slot(int)
    def _opacity_changed(self, value: int) -> None:
        self.settings.set("opacity", value / 100)
        for pane in self.panes:
            pane.set_opacity(value / 100)

    def _nudge_opacity(self, step: int) -> None:
        self.opacity_slider.setValue(self.opacity_slider.value() + step)

    def _update_stats(self) -> None:
        now = time.monotonic()
        while self._results and self._results[0][0] < now - RATE_WINDOW_S:
            self._results.popleft()
        while self._frame_times and self._frame_times[0] < now - RATE_WINDOW_S:
            self._frame_times.popleft()
        if self.mode != "live":
            return
        rate, latency = self.live_stats()
        parts = [f"analysis {rate:.1f}/s, latency {1000 * latency:.0f} ms" if rate else "analysis starting"]
        if len(self._frame_times) >= 2 and self._frame_times[-1] > self._frame_times[0]:
            fps = (len(self._frame_times) - 1) / (self._frame_times[-1] - self._frame_times[0])
            parts.append(f"video {fps:.0f} fps")
        parts.append(f"{self.engine.mailbox.dropped} frames skipped")
        self.rate_label.setText(" · ".join(parts))

    def live_stats(self) -> tuple[float, float]:
        """(analyses per second, mean latency in seconds) over the last few seconds of live results."""
        if len(self._results) < 2 or self._results[-1][0] <= self._results[0][0]:
            return 0.0, float("nan")
        span = self._results[-1][0] - self._results[0][0]
        return (len(self._results) - 1) / span, float(np.mean([lat for _, lat in self._results]))

    # -- save and copy ---------------------------------------------------------------------------
    def result_image(self) -> np.ndarray | None:
        """What the panes show, as the CLI renders it: each model's overlay and legend, side by side."""
        if self._analysis is None:
            return None
        opacity = self.opacity_slider.value() / 100
        images = [render_result(self._analysis.image, r, opacity) for r in self._analysis.results]
        if len(images) == 1:
            return images[0]
        gap = np.full((images[0].shape[0], 8, 3), 255, np.uint8)
        return np.concatenate([images[0], gap, images[1]], axis=1)

    def result_report(self) -> dict | None:
        if self._analysis is None:
            return None
        reports = [result_dict(r) for r in self._analysis.results]
        return reports[0] if len(reports) == 1 else {"side_by_side": reports}

    def save_result(self, png_path: str | Path) -> list[Path]:
        """Write the overlay image to ``png_path`` and the JSON report next to it (same stem)."""
        image, report = self.result_image(), self.result_report()
        if image is None:
            self.show_message("Nothing to save yet: open a photo or start the camera", error=True)
            return []
        png_path = Path(png_path).with_suffix(".png")
        json_path = png_path.with_suffix(".json")
        try:
            ok, encoded = cv2.imencode(".png", cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
            if not ok:
                raise OSError("the PNG encoder failed")
            png_path.write_bytes(encoded.tobytes())
            json_path.write_text(json.dumps(report, indent=2))
        except OSError as exc:
            self.show_message(f"Cannot save {png_path}: {exc}", error=True)
            return []
        self.show_message(f"Saved {png_path} and {json_path.name}")
        return [png_path, json_path]

    def _ask_save(self) -> None:
        if self._analysis is None:
            self.show_message("Nothing to save yet: open a photo or start the camera", error=True)
            return
        stem = Path(self._analysis.results[0].path or "plq-result").stem + ".plq.png"
        path, _ = QFileDialog.getSaveFileName(self, "Save the overlay image (and the JSON report)", stem,
                                              "PNG image (*.png)")
        if path:
            self.save_result(path)

    def copy_image(self) -> None:
        image = self.result_image()
        if image is None:
            self.show_message("Nothing to copy yet", error=True)
            return
        QGuiApplication.clipboard().setImage(qimage_from_rgb(image))
        self.show_message("Overlay image copied to the clipboard")

    # -- misc -----------------------------------------------------------------------------------------
    def show_message(self, text: str, error: bool = False, sticky: bool = False) -> None:
        """Status bar; errors and sticky warnings (GPU fallback) also in full in the banner, and they stay."""
        (log.warning if error or sticky else log.info)("%s", text)
        self.statusBar().showMessage(text, 0 if error or sticky else 8000)
        if error or sticky:
            self.banner.show_error(text)
        self.messageShown.emit(text, error)

    def _show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;{v}</td></tr>" for k, v in SHORTCUTS)
        QMessageBox.information(self, "Keyboard shortcuts", f"<table>{rows}</table>")

    def dragEnterEvent(self, event) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            return
        event.acceptProposedAction()
        self.open_path(paths[0])

    def open_path(self, path: str | Path) -> None:
        """A folder plays as a stream, a video file as the camera, anything else opens as a photo."""
        path = Path(path)
        if path.is_dir():
            self.play_folder(path)
        elif path.suffix.lower() in VIDEO_SUFFIXES:
            self.play_video(path)
        else:
            self.open_photo(path)

    def shutdown(self) -> None:
        """Stop the source and the analysis thread (idempotent; also runs on aboutToQuit)."""
        if self._closed:
            return
        self._closed = True
        self._stats_timer.stop()
        self._gamma_timer.stop()
        self._stop_feed()
        self._thread.stop()
        self.settings.store.setValue("geometry", self.saveGeometry())
        self.settings.sync()

    def closeEvent(self, event) -> None:
        self.shutdown()
        event.accept()

