"""The live source: a camera, a video file or a folder of photos, and the camera picker.

FeedControl starts and stops the window's FrameFeed (see ``sources.py``).
Each frame goes to the analysis engine straight from the feed's thread; the
window paints the newest one at source rate.
"""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QComboBox, QFileDialog, QMainWindow

from plq_desktop.core.live.mailbox import Frame
from plq_desktop.core.live.sources import ImageFolderSource, VideoFileSource
from plq_desktop.gui.convert import qimage_for_painting
from plq_desktop.gui.sources import (
    HAVE_QT_MULTIMEDIA,
    CameraChoice,
    FrameFeed,
    ReaderFeed,
    camera_choices,
    open_camera,
)

VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".avi", ".mov", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv"})
VIDEO_PATTERNS = " ".join(f"*{s}" for s in sorted(VIDEO_SUFFIXES))
FOLDER_FPS = 1.0
# The picker's entry for a video file or a folder playing as the camera (not a camera one can pick).
PLAYING_KEY = "playing:"


class FeedControl(QObject):
    """The window's live source: starts, stops and replaces it, and paints its frames."""

    def __init__(self, window: QMainWindow):  # a MainWindow (window.py imports this module)
        super().__init__(window)
        self.window = window
        self.engine = window.engine
        self.current: FrameFeed | None = None    # the running feed
        self.frame: Frame | None = None          # its newest frame on screen
        self.frames_shown = 0
        self._frame_times: deque[float] = deque()
        self._cameras: list[CameraChoice] = []

        self.camera_combo = QComboBox()
        self.camera_combo.setMinimumContentsLength(12)
        self.camera_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.camera_combo.currentIndexChanged.connect(self._camera_chosen)
        self.resolution_combo = QComboBox()
        self.resolution_combo.currentIndexChanged.connect(self._resolution_chosen)
        if HAVE_QT_MULTIMEDIA:
            from PySide6.QtMultimedia import QMediaDevices
            self._media_devices = QMediaDevices(self)
            self._media_devices.videoInputsChanged.connect(self._cameras_changed)
        self.fill_cameras()

    def retranslate(self) -> None:
        self.resolution_combo.setToolTip(self.tr("Camera resolution"))
        self.fill_cameras()         # the entries' words: "Camera 0 (OpenCV)", "Default size", "Playing: …"

    def no_camera_hint(self) -> str:
        """After a camera that gives no picture: the way to try the application without one."""
        return self.tr("No camera? Play a video file as the camera: plq-desktop --source VIDEO, or File > Play "
                       "video file… (to make a demo video: plq-desktop --write-demo-video demo.mp4)")

    # -- the camera picker --------------------------------------------------------------------
    def fill_cameras(self) -> None:
        wanted = self.camera_combo.currentData() or self.window.settings.get("camera")
        playing = self.current is not None and self.current.camera is None
        self.camera_combo.blockSignals(True)
        self.camera_combo.clear()
        self._cameras = camera_choices()
        for choice in self._cameras:
            self.camera_combo.addItem(choice.label, choice.key)
        if playing:
            self._show_playing(self.current.name)
        else:
            index = self.camera_combo.findData(wanted)
            self.camera_combo.setCurrentIndex(max(index, 0))
        self.camera_combo.blockSignals(False)
        self._fill_resolutions()

    def _show_playing(self, name: str) -> None:
        """The picker names the file or folder that plays as the camera (first entry, selected)."""
        self.camera_combo.blockSignals(True)
        self._forget_playing()
        self.camera_combo.insertItem(0, self.tr("Playing: {name}").format(name=name), PLAYING_KEY)
        self.camera_combo.setCurrentIndex(0)
        self.camera_combo.blockSignals(False)

    def _forget_playing(self) -> None:
        """Take the playing entry out; the picker shows the camera last picked again."""
        index = self.camera_combo.findData(PLAYING_KEY)
        if index < 0:
            return
        blocked = self.camera_combo.blockSignals(True)
        self.camera_combo.removeItem(index)
        self.camera_combo.setCurrentIndex(max(self.camera_combo.findData(self.window.settings.get("camera")), 0))
        self.camera_combo.blockSignals(blocked)

    def _fill_resolutions(self) -> None:
        choice = self.current_camera()
        self.resolution_combo.blockSignals(True)
        self.resolution_combo.clear()
        self.resolution_combo.addItem(self.tr("Default size"), "")
        for width, height in (choice.resolutions() if choice else []):
            self.resolution_combo.addItem(f"{width} x {height}", f"{width}x{height}")
        index = self.resolution_combo.findData(self.window.settings.get("resolution"))
        self.resolution_combo.setCurrentIndex(max(index, 0))
        self.resolution_combo.blockSignals(False)

    def current_camera(self) -> CameraChoice | None:
        """The camera picked; while a file plays, the camera that Live would start (the one last picked)."""
        key = self.camera_combo.currentData()
        if key == PLAYING_KEY:
            key = self.window.settings.get("camera")
        chosen = [c for c in self._cameras if c.key == key]
        return chosen[0] if chosen else (self._cameras[0] if self._cameras else None)

    @Slot(int)
    def _camera_chosen(self, _index: int) -> None:
        if self.camera_combo.currentData() == PLAYING_KEY:
            return
        choice = self.current_camera()
        if choice is not None:
            self.window.settings.set("camera", choice.key)
        self._fill_resolutions()
        if self.current is not None:        # a camera picked while a camera or a file plays: switch to it
            self.start_camera()

    @Slot(int)
    def _resolution_chosen(self, _index: int) -> None:
        self.window.settings.set("resolution", self.resolution_combo.currentData() or "")
        if self.current is not None and self.current.camera is not None:
            self.start_camera()

    @Slot()
    def _cameras_changed(self) -> None:
        """Cameras plugged in or out: rebuild the picker; a vanished camera in use stops."""
        self.fill_cameras()
        choice = self.current.camera if self.current is not None else None
        if choice is not None and choice.key not in {c.key for c in self._cameras}:
            self._failed_with(self.tr("Camera lost: {camera} was disconnected").format(camera=choice.label))

    # -- starting and stopping ------------------------------------------------------------------
    def start_camera(self) -> None:
        choice = self.current_camera()
        if choice is None:
            self.window.show_message(self.tr("No camera found.") + " " + self.no_camera_hint(), error=True)
            return
        size = self.resolution_combo.currentData()
        resolution = tuple(int(v) for v in size.split("x")) if size else None
        self.start_feed(open_camera(choice, resolution, self.engine.post_frame, self.window))

    def play_video(self, path: str | Path) -> None:
        """Play a video file as if it were the camera (looping)."""
        self.start_feed(ReaderFeed(VideoFileSource(path), self.engine.post_frame, self.window))

    def play_folder(self, folder: str | Path, fps: float = FOLDER_FPS) -> None:
        """Play the photos of a folder as a stream (looping)."""
        self.start_feed(ReaderFeed(ImageFolderSource(folder, fps=fps), self.engine.post_frame, self.window))

    def start_feed(self, feed: FrameFeed) -> None:
        """Make ``feed`` the live source (its frames already go to the engine through ``on_frame``)."""
        window = self.window
        window.banner.hide()
        self.stop()
        window.set_mode("live")
        window.forget_photo()
        self.frame = None
        self.engine.new_generation()
        window.result_view.clear()
        window.panel.history.clear_history()
        window.result_view.clear_live_stats()
        window.set_pane_messages(self.tr("Starting {source}…").format(source=feed.name))
        feed.frameReady.connect(self._on_frame_ready)
        feed.failed.connect(self._on_failed)
        self.current = feed
        feed.start()
        if feed.camera is None:
            self._show_playing(feed.name)
        else:
            self._forget_playing()
        self._set_live_checked(True)
        window.setWindowTitle(f"PLQ Desktop — {feed.name}")
        window.show_message(self.tr("Live: {source}").format(source=feed.name))

    def stop(self) -> None:
        """Stop the live source, if any (returns when it delivers no more frames)."""
        feed, self.current = self.current, None
        if feed is not None:
            feed.frameReady.disconnect(self._on_frame_ready)
            feed.failed.disconnect(self._on_failed)
            feed.stop()
            feed.deleteLater()
        self._forget_playing()
        self._set_live_checked(False)

    def _set_live_checked(self, on: bool) -> None:
        action = self.window.live_action
        action.blockSignals(True)
        action.setChecked(on)
        action.blockSignals(False)

    @Slot(bool)
    def live_toggled(self, on: bool) -> None:
        if on:
            self.start_camera()
        else:
            self.stop()
            self.window.set_mode("idle")
            self.window.set_pane_messages(self.tr("Stopped"))
            self.window.show_message(self.tr("Live view stopped"))

    def ask_video(self) -> None:
        filters = self.tr("Videos ({patterns})").format(patterns=VIDEO_PATTERNS) + ";;" + self.tr("All files (*)")
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Play a video file"), "", filters)
        if path:
            self.play_video(path)

    def ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Play the photos of a folder"))
        if folder:
            self.play_folder(folder)

    # -- frames -----------------------------------------------------------------------------------
    @Slot()
    def _on_frame_ready(self) -> None:
        feed = self.current
        # A notification queued before the feed was stopped may still arrive: ignore it.
        if feed is None or self.sender() is not feed:
            return
        frame = feed.latest()
        if frame is None:
            return
        self.frame = frame
        self.frames_shown += 1
        self._frame_times.append(time.monotonic())
        image = qimage_for_painting(frame.image)
        for pane in self.window.panes:
            pane.set_frame_image(image)
        self.window.result_view.frame_changed()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        feed = self.current
        if feed is not None and self.sender() is feed:
            if feed.camera is not None and feed.delivered == 0:     # no camera there, or not usable
                message = f"{message}. {self.no_camera_hint()}"
            self._failed_with(message)

    def _failed_with(self, message: str) -> None:
        self.stop()
        self.window.set_mode("idle")
        self.window.set_pane_messages("")
        self.window.show_message(message, error=True)

    def video_fps(self, now: float, window_s: float) -> float | None:
        """Frames painted per second over the last ``window_s`` seconds (None before two frames)."""
        while self._frame_times and self._frame_times[0] < now - window_s:
            self._frame_times.popleft()
        times = self._frame_times
        if len(times) >= 2 and times[-1] > times[0]:
            return (len(times) - 1) / (times[-1] - times[0])
        return None
