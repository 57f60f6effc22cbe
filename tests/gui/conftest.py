"""Fixtures of the GUI tests (pytest-qt, offscreen platform, no camera, no network).

Every test here fails if it leaves a thread running or a top-level widget
alive, and runs with settings in a throw-away file, never the user's.
"""

from __future__ import annotations

import gc
import threading
import time
import warnings
from pathlib import Path

import cv2
import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QThread
from PySide6.QtWidgets import QApplication

from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.live.demo_video import write_demo_video
from plq_desktop.core.live.sources import FrameSource, SourceError
from plq_desktop.gui.qt_env import use_pyside_plugins

HERE = Path(__file__).parent

# cv2 (imported above) points Qt at its own plugin folder; pytest-qt's QApplication must use PySide6's.
use_pyside_plugins()

# Qt warnings fail these tests, except the multimedia backend's notes about
# optional system libraries (VA-API, PipeWire, GPU conversion) and the offscreen platform's.
QT_LOG_IGNORE = [
    r"qt\.multimedia\..*", r".*symbolsresolver.*", r"Couldn't (load|resolve) .*",
    r"This plugin does not support .*", r"Using Qt multimedia with FFmpeg.*", r".*No RHI backend.*",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*QT_LOG_IGNORE))


@pytest.fixture(autouse=True)
def _no_user_settings(tmp_path, monkeypatch):
    """Any QSettings opened by default lands in the test's folder."""
    folder = tmp_path / "qsettings"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))


def _running_qthreads() -> list[QThread]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # isinstance() on every object pokes deprecated torch aliases
        threads = [o for o in gc.get_objects() if isinstance(o, QThread)]
    return [t for t in threads if shiboken6.isValid(t) and t.isRunning()]


@pytest.fixture(autouse=True)
def _no_leaks(qapp):
    """Fail a test that leaves a QThread or Python thread running, or a top-level widget alive.

    pytest-qt closes the widgets registered with qtbot before this runs.
    """
    threads_before = set(threading.enumerate())
    yield
    gc.collect()    # parentless widgets go with their Python wrapper
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()
    widgets = [w for w in QApplication.topLevelWidgets() if not w.isHidden() or w.parent() is None]
    running_qthreads = _running_qthreads()
    deadline = time.monotonic() + 2.0
    while True:
        new_threads = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()
                       and not isinstance(t, threading._DummyThread)]
        if not new_threads or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert not running_qthreads, f"QThreads still running: {running_qthreads}"
    assert not new_threads, f"threads still running: {[t.name for t in new_threads]}"
    assert not widgets, f"top-level widgets left alive: {[(w, w.windowTitle()) for w in widgets]}"


@pytest.fixture
def gui_settings(tmp_path):
    from plq_desktop.gui.settings import Settings
    settings = Settings(QSettings(str(tmp_path / "plq-desktop.ini"), QSettings.Format.IniFormat))
    settings.set("language", "en")      # the tests read English, whatever the machine's language
    return settings


@pytest.fixture
def make_window(qtbot, gui_settings, _private_cache):
    """Builds MainWindows; each is closed (worker stopped) when the test ends."""
    from plq_desktop.gui.window import MainWindow

    def make(settings=None, **engine_options):
        window = MainWindow(settings or gui_settings, engine_options=engine_options or None)
        qtbot.addWidget(window)
        window.resize(1100, 700)
        window.show()
        return window

    return make


@pytest.fixture(scope="session")
def grace_hopper():
    return load_image(sample_path("grace_hopper"))


@pytest.fixture(scope="session")
def demo_video(tmp_path_factory, grace_hopper):
    """A 5 s, 30 fps video of a real portrait moving as in front of a camera."""
    return write_demo_video(tmp_path_factory.mktemp("video") / "demo.mp4", grace_hopper, frames=150, fps=30.0)


class MovingFace(FrameSource):
    """A fake camera: a real portrait drifting in a 640 x 480 frame.

    Frame k (counting from 1, as SourceReader numbers them) carries k in its
    top-left pixel (k = R + 256 G + 65536 B), so a test can tell which frame
    an analysis saw. ``fail_after`` makes it stop like an unplugged camera.
    """

    name = "moving face"
    continuous = True

    def __init__(self, photo: np.ndarray, fps: float = 60.0, fail_after: int | None = None):
        self.photo = photo
        self._fps = fps
        self.fail_after = fail_after
        self.count = 0
        height, width = 480, 640
        ph, pw = photo.shape[:2]
        scale = min(height / ph, width / pw)
        self._small = cv2.resize(photo, (int(pw * scale), int(ph * scale)), interpolation=cv2.INTER_AREA)
        self._canvas = np.full((height, width, 3), 200, np.uint8)

    @property
    def fps(self) -> float:
        return self._fps

    def read(self) -> np.ndarray:
        self.count += 1
        if self.fail_after is not None and self.count > self.fail_after:
            raise SourceError("Camera lost: moving face stopped delivering frames (unplugged?)")
        frame = self._canvas.copy()
        h, w = self._small.shape[:2]
        x = (frame.shape[1] - w) // 2 + int(40 * np.sin(self.count / 20))
        frame[:h, x:x + w] = self._small
        frame[0, 0] = (self.count % 256, self.count // 256 % 256, self.count // 65536)
        return frame


def _frame_number(image: np.ndarray) -> int:
    r, g, b = (int(v) for v in image[0, 0])
    return r + 256 * g + 65536 * b


@pytest.fixture
def moving_face(grace_hopper):
    """Makes MovingFace sources: ``moving_face(fps=60, fail_after=None)``."""
    return lambda **kwargs: MovingFace(grace_hopper, **kwargs)


@pytest.fixture
def frame_number():
    """The number MovingFace wrote into a frame."""
    return _frame_number
