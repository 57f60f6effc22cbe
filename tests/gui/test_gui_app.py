"""``plq-desktop`` from the command line: screenshots of a photo and of a video, in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtGui import QImage

from plq_desktop.core.io.samples import sample_path


def run_app(*args, timeout=240):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "plq_desktop.gui.app", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_open_a_photo_and_save_a_screenshot(tmp_path):
    out = tmp_path / "photo.png"
    done = run_app("--open", sample_path("grace_hopper"), "--screenshot", out, "--size", "1000x640")
    assert done.returncode == 0, done.stderr
    shot = QImage(str(out))
    assert (shot.width(), shot.height()) == (1000, 640)


def test_unreadable_photo_still_gives_a_screenshot_and_fails(tmp_path):
    bad = tmp_path / "scan.tif"
    bad.write_bytes(b"II*\x00 broken tiff")
    out = tmp_path / "error.png"
    done = run_app("--open", bad, "--screenshot", out, "--size", "800x500")
    assert done.returncode == 1 and "Cannot load" in done.stderr and "scan.tif" in done.stderr
    assert not QImage(str(out)).isNull()


def test_video_source_screenshot(tmp_path):
    video = tmp_path / "demo.mp4"
    assert run_app("--write-demo-video", video).returncode == 0 and video.stat().st_size > 0
    out = tmp_path / "live.png"
    done = run_app("--source", video, "--screenshot", out, "--screenshot-after", "3", "--size", "900x600")
    assert done.returncode == 0, done.stderr
    assert QImage(str(out)).width() == 900
