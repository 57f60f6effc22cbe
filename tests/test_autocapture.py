"""Auto-capture on a generated video: a compliant face appears partway; the capture comes after, never before."""

import json

import cv2
import numpy as np
import pytest

from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.live.autocapture import AutoCapture, AutoCaptureSettings
from plq_desktop.gui.app import main as desktop_main

FPS = 10.0
NO_FACE, BLOCKED, GOOD = 6, 6, 16          # frames of each part, in this order


def _frame(photo, i, size=(640, 480)):
    """The portrait filling a 640 x 480 frame, swaying a little (as filmed)."""
    w, h = size
    cover = max(w / photo.shape[1], h / photo.shape[0]) * 1.04
    m = cv2.getRotationMatrix2D((photo.shape[1] / 2, photo.shape[0] / 2), 1.5 * np.sin(i / 3), cover)
    m[:, 2] += ((w - photo.shape[1]) / 2 + 6 * np.sin(i / 2), (h - photo.shape[0]) / 2 + 0.08 * h)
    return cv2.warpAffine(photo, m, (w, h), borderMode=cv2.BORDER_REFLECT101)


def _write(path, frames):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), FPS, (640, 480))
    assert writer.isOpened()
    for f in frames:
        writer.write(cv2.cvtColor(f, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    photo = load_image(sample_path("grace_hopper"))
    d = tmp_path_factory.mktemp("video")
    wall = np.full((480, 640, 3), 120, np.uint8)
    frames, blocked = [], []
    for i in range(NO_FACE):
        frames.append(wall)
    for i in range(NO_FACE, NO_FACE + BLOCKED):
        f = _frame(photo, i).copy()
        # A dark band over both eyes (sunglasses): eyes not visible, a blocking hint.
        cv2.rectangle(f, (180, 150), (470, 225), (15, 15, 15), -1)
        frames.append(f)
        blocked.append(f)
    for i in range(NO_FACE + BLOCKED, NO_FACE + BLOCKED + GOOD):
        frames.append(_frame(photo, i))
    return _write(d / "appears.mp4", frames), _write(d / "never.mp4", [wall] * 4 + blocked)


def test_capture_only_after_the_compliant_face_appears(videos, tmp_path, capsys):
    appears, _ = videos
    out = tmp_path / "cap"
    code = desktop_main(["--source", str(appears), "--auto-capture", str(out), "--exit-after-capture",
                         "--device", "cpu"])
    err = capsys.readouterr().err
    assert code == 0, err
    (js,) = out.glob("*.json")
    report = json.loads(js.read_text())
    first_good = NO_FACE + BLOCKED
    cap = report["capture"]
    assert cap["frame"] >= first_good, "never a frame from before the compliant face"
    assert cap["window_start_s"] >= first_good / FPS - 1e-6
    # The capture fired once the hold time (1 s = 10 frames) had passed, with the best frame of the window.
    assert cap["time_s"] <= cap["window_start_s"] + 1.0 + 1e-6
    face = report["result"]["faces"][0]
    assert face["quality"] == pytest.approx(cap["quality"], abs=1e-5) and face["quality"] >= 0.5
    assert not [h for h in face["hints"] if h["severity"] == "blocking"]
    image = cv2.imread(str(out / cap["image"]))
    assert image.shape == (480, 640, 3)


def test_nothing_qualifies_exits_non_zero_with_one_line(videos, tmp_path, capsys):
    _, never = videos
    code = desktop_main(["--source", str(never), "--auto-capture", str(tmp_path / "cap"), "--exit-after-capture",
                         "--device", "cpu"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and "nothing qualified" in err[0]
    assert not list((tmp_path / "cap").glob("*.png")) if (tmp_path / "cap").exists() else True


def test_state_machine_restarts_the_window_and_keeps_going(dlib_model):
    from plq_desktop.core.analysis import analyze
    from plq_desktop.core.face.detection import DlibHogDetector
    photo = load_image(sample_path("grace_hopper"))
    good = _frame(photo, 0)
    good_result = analyze(good, dlib_model, detector=DlibHogDetector(upsample=0), max_faces=1)
    wall = np.full((480, 640, 3), 120, np.uint8)
    wall_result = analyze(wall, dlib_model)
    # The state machine, not the threshold: this frame of Grace Hopper reads 69 on the match chance,
    # just under the default 70 (the covered-eyes fit of issue 20 moved Eq. 2), so the bar is set below it.
    assert 0.6 < good_result.faces[0].quality
    machine = AutoCapture(AutoCaptureSettings(min_quality=0.6, hold_s=0.5, keep_going=True))
    states = [machine.feed(i, i * 0.1, good, good_result) for i in range(4)]
    assert [round(s.progress, 2) for s in states] == [0.0, 0.2, 0.4, 0.6]
    assert all(s.captured is None for s in states)
    broken = machine.feed(4, 0.4, wall, wall_result)
    assert broken.reason == "no face" and broken.progress == 0
    states = [machine.feed(i, i * 0.1, good, good_result) for i in range(5, 11)]
    assert [s.captured is not None for s in states] == [False] * 5 + [True]
    assert states[-1].captured.window_start == pytest.approx(0.5) and not states[-1].done
    strict = AutoCapture(AutoCaptureSettings(blocking=("blocking", "warning")))
    assert strict.judge(good_result) is not None, "warnings block under the strict setting"
