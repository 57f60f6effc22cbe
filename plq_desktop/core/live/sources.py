"""Frame sources (video file, folder of photos, OpenCV camera) and the thread that reads them into the mailbox."""

from __future__ import annotations

import logging
import os
import threading
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Callable

import cv2
import numpy as np

from plq_desktop.core.io.images import IMAGE_SUFFIXES, ImageLoadError, load_image
from plq_desktop.core.live.mailbox import Frame

log = logging.getLogger(__name__)


# -- frame sources --------------------------------------------------------------

class SourceError(Exception):
    """A source that cannot deliver frames; ``str()`` is a message for the status bar."""


class FrameSource(ABC):
    """Where frames come from: ``read()`` gives the next H x W x 3 uint8 RGB frame, None at the end.

    ``live`` sources (cameras) block in ``read()`` until the device has a frame;
    the others are paced by ``SourceReader`` at ``fps``. ``continuous`` says
    whether consecutive frames show the same scene (a camera, a video), so a
    result for an older frame may still be drawn over a newer one.
    """

    name: str = "source"
    live: bool = False
    continuous: bool = True

    @property
    @abstractmethod
    def fps(self) -> float:
        ...

    def open(self) -> None:
        """Acquire the device or file; raises SourceError."""

    @abstractmethod
    def read(self) -> np.ndarray | None:
        ...

    def close(self) -> None:
        """Release the device or file."""


def _bgr_to_rgb(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return cv2.cvtColor(frame, cv2.COLOR_GRAY2RGB)
    if frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2RGB)
    return cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)


class VideoFileSource(FrameSource):
    """A video file decoded by OpenCV, played at its own frame rate, looping by default."""

    live = False
    continuous = True
    DEFAULT_FPS = 25.0

    def __init__(self, path: str | os.PathLike, loop: bool = True):
        self.path = Path(path)
        self.name = self.path.name
        self.loop = loop
        self._capture: cv2.VideoCapture | None = None
        self._fps = self.DEFAULT_FPS

    @property
    def fps(self) -> float:
        return self._fps

    def open(self) -> None:
        if not self.path.is_file():
            raise SourceError(f"Cannot play {self.path}: the file does not exist")
        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            raise SourceError(f"Cannot play {self.path}: not a video OpenCV can decode")
        fps = capture.get(cv2.CAP_PROP_FPS)
        # Some containers report 0 or absurd rates; fall back to a common one.
        self._fps = fps if 1.0 <= fps <= 240.0 else self.DEFAULT_FPS
        self._capture = capture

    def read(self) -> np.ndarray | None:
        ok, frame = self._capture.read()
        if not ok and self.loop:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._capture.read()
        return _bgr_to_rgb(frame) if ok else None

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class ImageFolderSource(FrameSource):
    """The photos of a folder (sorted by name) played as a stream, looping by default.

    Files that cannot be read are skipped and listed in ``skipped``.
    """

    live = False
    continuous = False

    def __init__(self, folder: str | os.PathLike, fps: float = 1.0, loop: bool = True):
        self.folder = Path(folder)
        self.name = self.folder.name or str(self.folder)
        self.loop = loop
        self._fps = float(fps)
        self._files: list[Path] = []
        self._next = 0
        self.skipped: list[str] = []

    @property
    def fps(self) -> float:
        return self._fps

    def open(self) -> None:
        if not self.folder.is_dir():
            raise SourceError(f"Cannot play {self.folder}: not a folder")
        self._files = sorted(p for p in self.folder.iterdir()
                             if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
        if not self._files:
            raise SourceError(f"Cannot play {self.folder}: it holds no image files")
        self._next = 0

    def read(self) -> np.ndarray | None:
        failures = 0
        while failures < len(self._files):
            if self._next >= len(self._files):
                if not self.loop:
                    return None
                self._next = 0
            path = self._files[self._next]
            self._next += 1
            try:
                return load_image(path)
            except ImageLoadError as exc:
                failures += 1
                if str(exc) not in self.skipped:
                    self.skipped.append(str(exc))
        raise SourceError(f"Cannot play {self.folder}: none of its images can be read")


class OpenCVCameraSource(FrameSource):
    """A camera opened through OpenCV, for systems where QtMultimedia finds none."""

    live = True
    continuous = True

    def __init__(self, index: int = 0, resolution: tuple[int, int] | None = None):
        self.index = index
        self.resolution = resolution
        self.name = f"Camera {index} (OpenCV)"
        self._capture: cv2.VideoCapture | None = None
        self._fps = 30.0

    @property
    def fps(self) -> float:
        return self._fps

    def open(self) -> None:
        capture = cv2.VideoCapture(self.index)
        if not capture.isOpened():
            raise SourceError(f"{self.name} cannot be opened (not connected, or in use by another program)")
        if self.resolution:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.resolution[0])
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.resolution[1])
        fps = capture.get(cv2.CAP_PROP_FPS)
        self._fps = fps if 1.0 <= fps <= 240.0 else 30.0
        self._capture = capture

    def read(self) -> np.ndarray | None:
        ok, frame = self._capture.read()
        if not ok:
            raise SourceError(f"Camera lost: {self.name} stopped delivering frames (unplugged?)")
        return _bgr_to_rgb(frame)

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class SourceReader:
    """Reads a source on its own thread and hands each frame to ``on_frame``.

    Files and folders are paced at their frame rate (a slow consumer never
    makes them fall further behind: late frames are not made up); cameras
    are read as fast as they deliver. ``on_error`` receives the message of a
    SourceError (the reader then stops), ``on_end`` is called when a
    non-looping source runs out. All callbacks run on the reader's thread.
    """

    def __init__(self, source: FrameSource, on_frame: Callable[[Frame], None],
                 on_error: Callable[[str], None] | None = None, on_end: Callable[[], None] | None = None):
        self.source = source
        self._on_frame = on_frame
        self._on_error = on_error or (lambda message: log.warning("%s", message))
        self._on_end = on_end or (lambda: None)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"frames: {source.name}", daemon=True)
        self.frames_read = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        try:
            self.source.open()
            period = 0.0 if self.source.live else 1.0 / self.source.fps
            due = time.monotonic()
            while not self._stop.is_set():
                image = self.source.read()
                if image is None:
                    self._on_end()
                    return
                self.frames_read += 1
                self._on_frame(Frame(image=image, frame_id=self.frames_read, timestamp=time.monotonic()))
                if period:
                    due = max(due + period, time.monotonic() - period)
                    self._stop.wait(max(0.0, due - time.monotonic()))
        except SourceError as exc:
            if not self._stop.is_set():
                self._on_error(str(exc))
        finally:
            self.source.close()
