"""Frame feeds for the window: cameras, video files and image folders behind one interface.

A feed delivers frames from its own thread (or Qt's): each frame goes to
``on_frame`` (the analysis engine's mailbox) and becomes the feed's latest
frame; ``frameReady`` is emitted only when the window has taken the previous
one, so a busy window never builds up a queue of frames.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from plq_desktop.core.live.mailbox import Frame
from plq_desktop.core.live.sources import FrameSource, OpenCVCameraSource, SourceReader
from plq_desktop.gui.convert import rgb_from_qimage

log = logging.getLogger(__name__)

try:  # QtMultimedia needs system libraries (libpulse) that a minimal system may lack.
    from PySide6.QtMultimedia import (
        QCamera,
        QMediaCaptureSession,
        QMediaDevices,
        QVideoFrame,
        QVideoSink,
    )
    HAVE_QT_MULTIMEDIA = True
except ImportError as exc:  # pragma: no cover - depends on the system
    log.warning("QtMultimedia unavailable (%s); cameras open through OpenCV", exc)
    HAVE_QT_MULTIMEDIA = False

# Offered for OpenCV cameras, whose modes cannot be listed.
OPENCV_RESOLUTIONS = [(640, 480), (1280, 720), (1920, 1080)]


class FrameFeed(QObject):
    """A running source of frames; subclasses call ``_deliver`` from any thread."""

    frameReady = Signal()
    failed = Signal(str)

    def __init__(self, name: str, continuous: bool, on_frame: Callable[[Frame], object] | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self.continuous = continuous
        self._on_frame = on_frame
        self._lock = threading.Lock()
        self._latest: Frame | None = None
        self._pending = False
        self.delivered = 0
        self.camera: CameraChoice | None = None     # the picker entry, when this feed is a camera

    def latest(self) -> Frame | None:
        """The newest frame; the next frame will emit ``frameReady`` again."""
        with self._lock:
            self._pending = False
            return self._latest

    def _deliver(self, frame: Frame) -> None:
        if self._on_frame is not None:
            self._on_frame(frame)
        with self._lock:
            self._latest = frame
            self.delivered += 1
            notify = not self._pending
            self._pending = True
        if notify:
            self.frameReady.emit()

    def start(self) -> None:
        """Start delivering frames (each kind of feed in its own way)."""
        raise NotImplementedError

    def stop(self) -> None:
        """Stop delivering frames and release the device or file; returns when no more will come."""
        raise NotImplementedError


class ReaderFeed(FrameFeed):
    """A core FrameSource (video file, image folder, OpenCV camera) read on a thread of its own."""

    def __init__(self, source: FrameSource, on_frame: Callable[[Frame], object] | None = None,
                 parent: QObject | None = None):
        super().__init__(source.name, source.continuous, on_frame, parent)
        self.source = source
        self._reader = SourceReader(source, self._deliver, self._report, self._ended)

    def _report(self, message: str) -> None:
        self.failed.emit(message)

    def _ended(self) -> None:
        self.failed.emit(self.tr("{source} has no more frames").format(source=self.name))

    def start(self) -> None:
        self._reader.start()

    def stop(self) -> None:
        self._reader.stop()


@dataclass(frozen=True)
class CameraChoice:
    """One entry of the camera picker; ``key`` is what the settings remember."""

    label: str
    key: str
    device: object = None        # QCameraDevice, or None for an OpenCV index
    index: int = 0

    def resolutions(self) -> list[tuple[int, int]]:
        if self.device is None:
            return list(OPENCV_RESOLUTIONS)
        sizes = {(f.resolution().width(), f.resolution().height()) for f in self.device.videoFormats()}
        return sorted(sizes, key=lambda s: s[0] * s[1])


def camera_choices() -> list[CameraChoice]:
    """The cameras QtMultimedia sees; without any, OpenCV's first camera as a last resort."""
    choices = []
    if HAVE_QT_MULTIMEDIA:
        for device in QMediaDevices.videoInputs():
            key = "qt:" + bytes(device.id()).decode(errors="replace")
            choices.append(CameraChoice(device.description(), key, device))
    if not choices:
        label = QCoreApplication.translate("FeedControl", "Camera 0 (OpenCV)")
        choices.append(CameraChoice(label, "opencv:0", None, 0))
    return choices


def open_camera(choice: CameraChoice, resolution: tuple[int, int] | None,
                on_frame: Callable[[Frame], object] | None, parent: QObject | None = None) -> FrameFeed:
    if choice.device is None:
        feed = ReaderFeed(OpenCVCameraSource(choice.index, resolution), on_frame, parent)
    else:
        feed = QtCameraFeed(choice, resolution, on_frame, parent)
    feed.camera = choice
    return feed


if HAVE_QT_MULTIMEDIA:
    class QtCameraFeed(FrameFeed):
        """A QtMultimedia camera; frames arrive through a QVideoSink."""

        def __init__(self, choice: CameraChoice, resolution: tuple[int, int] | None,
                     on_frame: Callable[[Frame], object] | None = None, parent: QObject | None = None):
            super().__init__(choice.label, True, on_frame, parent)
            self._camera = QCamera(choice.device, self)
            if resolution:
                formats = [f for f in choice.device.videoFormats()
                           if (f.resolution().width(), f.resolution().height()) == tuple(resolution)]
                if formats:
                    self._camera.setCameraFormat(max(formats, key=lambda f: f.maxFrameRate()))
            self._session = QMediaCaptureSession(self)
            self._sink = QVideoSink(self)
            self._session.setCamera(self._camera)
            self._session.setVideoSink(self._sink)
            # Direct: convert on whichever thread Qt produces frames, never queue them up.
            self._sink.videoFrameChanged.connect(self._on_video_frame, Qt.ConnectionType.DirectConnection)
            self._camera.errorOccurred.connect(self._on_error)
            self._frame_id = 0

        @Slot(QVideoFrame)
        def _on_video_frame(self, video_frame: QVideoFrame) -> None:
            if not video_frame.isValid():
                return
            self._frame_id += 1
            rgb = rgb_from_qimage(video_frame.toImage())
            self._deliver(Frame(image=rgb, frame_id=self._frame_id, timestamp=time.monotonic()))

        @Slot(QCamera.Error, str)
        def _on_error(self, error, text: str) -> None:
            self.failed.emit(self.tr("Camera error ({camera}): {reason}").format(camera=self.name,
                                                                                  reason=text or error.name))

        def start(self) -> None:
            self._camera.start()

        def stop(self) -> None:
            self._sink.videoFrameChanged.disconnect(self._on_video_frame)
            self._camera.stop()
