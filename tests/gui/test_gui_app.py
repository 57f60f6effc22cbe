"""``plq-desktop`` from the command line, in a process of its own: screenshots, no display, Ctrl-C."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage
from screenshots import face_tags, read_rgb

from plq_desktop.core.io.samples import sample_path


def entry_point() -> list[str]:
    """The installed ``plq-desktop`` script next to this Python (what a user runs), else the module."""
    script = Path(sys.executable).parent / "plq-desktop"
    return [str(script)] if script.exists() else [sys.executable, "-m", "plq_desktop.gui.app"]


def run_app(*args, timeout=240, env=None):
    env = env if env is not None else dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([*entry_point(), *map(str, args)], env=env, check=False,
                          capture_output=True, text=True, timeout=timeout)


def test_open_a_photo_and_save_a_screenshot(tmp_path, dlib_model):
    from plq_desktop.core.analysis import analyze
    from plq_desktop.core.io.images import load_image
    from plq_desktop.core.io.render import quality_colour

    out = tmp_path / "photo.png"
    done = run_app("--open", sample_path("grace_hopper"), "--screenshot", out, "--size", "1000x640")
    assert done.returncode == 0, done.stderr
    shot = QImage(str(out))
    assert (shot.width(), shot.height()) == (1000, 640)
    # What it shows: the analysed photo, with the face's tag in the colour of its quality.
    quality = analyze(load_image(sample_path("grace_hopper")), dlib_model).faces[0].quality
    assert face_tags(read_rgb(out)) == [quality_colour(quality)]


def test_unreadable_photo_still_gives_a_screenshot_and_fails(tmp_path):
    bad = tmp_path / "scan.tif"
    bad.write_bytes(b"II*\x00 broken tiff")
    out = tmp_path / "error.png"
    done = run_app("--open", bad, "--screenshot", out, "--size", "800x500")
    assert done.returncode == 1 and "Cannot load" in done.stderr and "scan.tif" in done.stderr
    # The window shows the error: the red banner or message, and no face tag.
    rgb = read_rgb(out).astype(int)
    reddish = (rgb[..., 0] > 110) & (rgb[..., 1] < 60) & (rgb[..., 2] < 60)
    pinkish = (rgb[..., 0] > 240) & (np.abs(rgb[..., 1] - 227) < 6) & (np.abs(rgb[..., 2] - 225) < 6)
    assert reddish.sum() > 500 or pinkish.sum() > 5000
    assert face_tags(read_rgb(out)) == []


def test_video_source_screenshot(tmp_path):
    video = tmp_path / "demo.mp4"
    assert run_app("--write-demo-video", video).returncode == 0 and video.stat().st_size > 0
    out = tmp_path / "live.png"
    done = run_app("--source", video, "--screenshot", out, "--screenshot-after", "3", "--size", "900x600")
    assert done.returncode == 0, done.stderr
    assert QImage(str(out)).width() == 900
    assert len(face_tags(read_rgb(out))) == 1, "the live face's box and tag over the video"


def _without_display(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    # What importing the full cv2 leaves behind in a parent process: it must not reach Qt either.
    import cv2
    env["QT_QPA_PLATFORM_PLUGIN_PATH"] = str(Path(cv2.__file__).parent / "qt" / "plugins")
    return {**env, **extra}


def test_without_a_display_one_line_says_how_to_run_headless():
    done = run_app(env=_without_display(), timeout=120)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, (done.returncode, done.stderr)     # an exit, not abort() (-6)
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "no display" in lines[0] and "QT_QPA_PLATFORM=offscreen" in lines[0] and "xvfb-run" in lines[0]


def test_a_display_that_cannot_be_reached_gives_one_line_not_an_abort():
    number = next(n for n in range(87, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    done = run_app(env=_without_display(DISPLAY=f":{number}"), timeout=120)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"could not connect to display :{number}" in lines[0] and "xvfb-run" in lines[0]
    assert "xcb-cursor" not in lines[0]          # Qt's guess about a missing library misleads here


def _read_until(process, text: str, timeout: float) -> str:
    """stderr of ``process`` until a line containing ``text`` (or the process ends, or time runs out)."""
    seen = ""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(process.stderr, selectors.EVENT_READ)
        while text not in seen and time.monotonic() < deadline:
            if selector.select(timeout=1.0):
                line = process.stderr.readline()
                if not line:
                    break
                seen += line
    return seen


def test_ctrl_c_stops_a_running_window_with_one_line(tmp_path):
    video = tmp_path / "demo.mp4"
    assert run_app("--write-demo-video", video).returncode == 0
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # -v: the window logs "Model ... on CPU" once the models are loaded and the video plays.
    process = subprocess.Popen([*entry_point(), "--source", str(video), "-v"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        before = _read_until(process, "Model dlib-resnet on", timeout=180)
        assert "Model dlib-resnet on" in before and process.poll() is None, before
        time.sleep(1.0)                   # frames flowing through the frame slot
        process.send_signal(signal.SIGINT)
        _, after = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, (process.returncode, after)
    assert after.strip().splitlines() == ["plq-desktop: interrupted (Ctrl-C); closing"], after
    assert "Traceback" not in before + after and "KeyboardInterrupt" not in before + after


def test_qt_variables_that_point_into_cv2_are_dropped_others_kept(tmp_path):
    import cv2

    from plq_desktop.gui.qt_env import check_display, use_pyside_plugins
    cv2_qt = Path(cv2.__file__).parent / "qt"
    env = {"QT_QPA_PLATFORM_PLUGIN_PATH": str(cv2_qt / "plugins"), "QT_QPA_FONTDIR": str(cv2_qt / "fonts")}
    assert use_pyside_plugins(env) == ["QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR"] and env == {}
    mine = {"QT_QPA_PLATFORM_PLUGIN_PATH": str(tmp_path / "my-plugins")}     # the user's own: kept
    assert use_pyside_plugins(mine) == [] and mine == {"QT_QPA_PLATFORM_PLUGIN_PATH": str(tmp_path / "my-plugins")}
    # A display, or a chosen platform, is enough; on Windows and macOS there is always one.
    for ok, platform in (({"DISPLAY": ":0"}, "linux"), ({"WAYLAND_DISPLAY": "wayland-0"}, "linux"),
                         ({"QT_QPA_PLATFORM": "offscreen"}, "linux"), ({}, "win32"), ({}, "darwin")):
        check_display(ok, platform)
