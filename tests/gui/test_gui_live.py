"""Live video in the window: responsiveness, newest frame wins, stale results, side by side, lost camera."""

from __future__ import annotations

import json
import threading
import time
import tracemalloc

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from plq_desktop.core.analysis import analyze
from plq_desktop.core.face.detection import DlibHogDetector
from plq_desktop.core.live.sources import FrameSource, SourceError
from plq_desktop.core.zoo.registry import get_spec
from plq_desktop.gui.convert import rgb_from_qimage
from plq_desktop.gui.sources import CameraChoice, ReaderFeed

WAIT_MS = 60_000

DEFAULT_ESTIMATOR = get_spec("dlib-resnet").default_estimator


class SlowPipeline:
    """The real live pipeline with a delay, recording which frame each analysis took and how new it was.

    ``engine_options`` plug it into the engine: the detector (the first step
    after a frame is taken) records, ``analyse`` waits at ``gate`` and sleeps.
    """

    def __init__(self, source, frame_number, delay_s: float = 0.15):
        self.source, self.frame_number, self.delay_s = source, frame_number, delay_s
        self.calls: list[tuple[int, int]] = []    # (frame taken, newest frame made by then)
        self.started = threading.Event()
        self.gate = threading.Event()
        self.gate.set()

    def engine_options(self) -> dict:
        return {"analyse": self.analyse, "live_detector": self.detector}

    def detector(self):
        pipeline, detector = self, DlibHogDetector(upsample=0)

        class Recording:
            name = "recording"

            def detect(self, image):
                pipeline.calls.append((pipeline.frame_number(image), pipeline.source.count))
                return detector.detect(image)

        return Recording()

    def analyse(self, image, model, **kwargs):
        self.started.set()
        self.gate.wait(30)
        time.sleep(self.delay_s)
        return analyze(image, model, **kwargs)


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def test_fast_source_slow_pipeline_stays_responsive_drops_frames_and_shows_the_newest(
        qtbot, make_window, moving_face, frame_number):
    source = moving_face(fps=60)
    slow = SlowPipeline(source, frame_number)
    window = make_window(**slow.engine_options())
    shown = []      # (frame id, faces found, generation) only: keeping the results would grow memory
    window.resultShown.connect(lambda a: shown.append((a.frame_id, len(a.results[0].faces), a.generation)))
    feed = ReaderFeed(source, window.engine.post_frame, window)
    window.start_feed(feed)
    qtbot.waitUntil(lambda: len(shown) >= 3, timeout=WAIT_MS)     # models loaded, pipeline warm

    tracemalloc.start()
    try:
        # Traced from here on: the baseline must already hold the working set (the frame on screen, the
        # analysis shown and its maps), or the comparison counts that set as growth.
        warm = feed.delivered
        qtbot.waitUntil(lambda: feed.delivered >= warm + 30 and len(shown) >= 5, timeout=WAIT_MS)
        start_frames, start_calls, start_rss = feed.delivered, len(slow.calls), rss_bytes()
        painted_at_start = window.frames_shown
        baseline = tracemalloc.take_snapshot()
        qtbot.waitUntil(lambda: feed.delivered >= start_frames + 200, timeout=WAIT_MS)
        end = tracemalloc.take_snapshot()
        end_rss = rss_bytes()
    finally:
        tracemalloc.stop()

    # Frames were painted as they came, and most were never analysed.
    qtbot.waitUntil(lambda: window.frames_shown >= painted_at_start + 150, timeout=WAIT_MS)
    assert window.engine.mailbox.dropped > 100
    # Each analysis took the newest frame there was (one more may have arrived as it started).
    measured = slow.calls[start_calls:]
    assert len(measured) >= 5 and all(made - seen <= 1 for seen, made in measured), measured
    ids = [frame_id for frame_id, _, _ in shown]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert window.result_view.analysis.frame_id == ids[-1] and all(faces == 1 for _, faces, _ in shown)
    # Memory does not grow with the number of frames.
    grown = sum(s.size_diff for s in end.compare_to(baseline, "filename"))
    assert grown < 10e6, f"Python allocations grew by {grown / 1e6:.1f} MB over 200 frames"
    assert end_rss - start_rss < 80e6, f"RSS grew by {(end_rss - start_rss) / 1e6:.1f} MB over 200 frames"
    rate, latency = window.live_stats()
    # Results come no faster than the pipeline's delay allows, and each took at least that long.
    assert 0 < rate < 1 / slow.delay_s and latency > slow.delay_s
    # Responsive: with the analysis held (the network "busy" for as long as it takes), the window still
    # paints the video, and no result arrives meanwhile.
    slow.gate.clear()
    results, painted = len(shown), window.frames_shown
    qtbot.waitUntil(lambda: window.frames_shown >= painted + 60, timeout=WAIT_MS)
    assert len(shown) <= results + 1           # one analysis may have passed the gate already
    slow.gate.set()


def test_model_switch_mid_stream_discards_the_stale_result(qtbot, make_window, moving_face, frame_number):
    source = moving_face(fps=60)
    slow = SlowPipeline(source, frame_number, delay_s=0.0)
    window = make_window(**slow.engine_options())
    shown = []
    window.resultShown.connect(shown.append)
    window.start_feed(ReaderFeed(source, window.engine.post_frame, window))
    qtbot.waitUntil(lambda: len(shown) >= 1, timeout=WAIT_MS)

    slow.gate.clear()
    slow.started.clear()
    assert slow.started.wait(30)                  # an analysis with the one-model set is in flight
    window.side_action.setChecked(True)           # switch to two models meanwhile
    generation = window.engine.generation
    slow.gate.set()
    qtbot.waitUntil(lambda: shown[-1].generation == generation, timeout=WAIT_MS)
    assert window.stale_discarded >= 1
    assert [len(a.results) for a in shown if a.generation == generation] and len(shown[-1].results) == 2
    assert all(len(a.results) == 1 for a in shown if a.generation < generation)


def test_side_by_side_live_shows_two_results_for_the_same_frame(qtbot, make_window, moving_face, frame_number,
                                                                  gui_settings):
    gui_settings.set("side_by_side", True)
    window = make_window()
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS) as blocker:
        window.start_feed(ReaderFeed(moving_face(fps=30), window.engine.post_frame, window))
    analysis = blocker.args[0]
    left, right = analysis.results
    assert (left.width, left.height) == (right.width, right.height) == (640, 480)
    # Two configurations (dlib-resnet with its default estimator and with SER-FIQ) on one frame and detection.
    assert (left.estimator, right.estimator) == (DEFAULT_ESTIMATOR, "serfiq")
    assert left.faces[0].box == right.faces[0].box
    assert left.faces[0].quality != pytest.approx(right.faces[0].quality, abs=1e-3)
    both = np.isfinite(left.plq_map) & np.isfinite(right.plq_map)
    assert both.any() and np.abs(left.plq_map[both] - right.plq_map[both]).max() > 0.005
    assert frame_number(analysis.image) == analysis.frame_id
    assert window.panes[0].has_overlay and window.panes[1].has_overlay
    assert all(g.value is not None for g in window.panel.gauges)
    qtbot.waitUntil(lambda: len(window.panel.history) >= 2, timeout=WAIT_MS)


def test_video_file_as_camera(qtbot, make_window, demo_video):
    window = make_window()
    shown = []
    window.resultShown.connect(shown.append)
    window.play_video(demo_video)
    qtbot.waitUntil(lambda: len(shown) >= 8, timeout=WAIT_MS)
    assert window.mode == "live" and all(a.results[0].faces for a in shown)
    # The camera picker names the file that plays as the camera, not a camera.
    assert demo_video.name in window.camera_combo.currentText()
    assert "Camera" not in window.camera_combo.currentText()
    # One number everywhere: the face box's label, the pane's title and the gauge (the median of the last second).
    gauge = window.panel.gauges[0].text
    assert window.panes[0]._faces[0].label == f"Q {gauge}" and window.panes[0].title.endswith(f"quality {gauge}")
    # A hint chosen by the officer stays chosen (and outlined) while new results replace the list.
    hints = window.panel.hints
    key_role = Qt.ItemDataRole.UserRole + 1
    hints.setCurrentRow(0)
    chosen = hints.currentItem().data(key_role)             # (check, region)
    count = len(shown)
    qtbot.waitUntil(lambda: len(shown) > count, timeout=WAIT_MS)
    keys = [hints.item(i).data(key_role) for i in range(hints.count())]
    if chosen in keys:                                       # the same problem is still there
        assert hints.currentItem().data(key_role) == chosen and window.panes[0]._highlight is not None
    qtbot.waitUntil(lambda: "analysis" in window.rate_label.text() and "/s" in window.rate_label.text(),
                    timeout=5000)
    rate, latency = window.live_stats()
    print(f"\nlive analysis on this machine: {rate:.1f} results/s, latency {1000 * latency:.0f} ms "
          f"({window.engine.mailbox.dropped} of {window.engine.mailbox.posted} frames skipped)")
    assert rate > 0.5 and len(window.panel.history) >= 8
    # The pane paints the newest frame's own pixels (converted for painting, RGB32, not altered).
    frame = window.feed.frame.image
    assert window.panes[0].frame_image().format() == QImage.Format.Format_RGB32
    assert (rgb_from_qimage(window.panes[0].frame_image()) == frame).all()


def test_lost_camera_gives_a_message_and_no_crash(qtbot, make_window, moving_face):
    window = make_window()
    feed = ReaderFeed(moving_face(fps=60, fail_after=20), window.engine.post_frame, window)
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS,
                          check_params_cb=lambda text, error: error and text.startswith("Camera lost")):
        window.start_feed(feed)
    assert window.mode == "idle" and not window.live_action.isChecked()
    assert window.banner.text().startswith("Camera lost")
    assert window.feed.current is None and not feed._reader.running
    # The window still works: a photo opens after the camera is gone.
    from plq_desktop.core.io.samples import sample_path
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS):
        window.open_photo(sample_path("grace_hopper"))


class NoCamera(FrameSource):
    """What OpenCV reports when no camera is connected (no device is opened here)."""

    name = "Camera 0 (OpenCV)"
    live = True
    fps = 30.0

    def open(self):
        raise SourceError(f"{self.name} cannot be opened (not connected, or in use by another program)")

    def read(self):
        raise AssertionError("never read: open() failed")


def test_no_camera_says_how_to_play_a_video_instead(qtbot, make_window, moving_face):
    window = make_window()
    feed = ReaderFeed(NoCamera(), window.engine.post_frame, window)
    feed.camera = CameraChoice("Camera 0 (OpenCV)", "opencv:0")
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS, check_params_cb=lambda text, error: error):
        window.start_feed(feed)
    text = window.banner.text()
    assert text.startswith("Camera 0 (OpenCV) cannot be opened"), text
    assert "plq-desktop --source VIDEO" in text and "plq-desktop --write-demo-video demo.mp4" in text
    assert window.mode == "idle" and not window.live_action.isChecked()
    # A camera that worked and then stopped is no missing camera: no such advice.
    window.banner.hide()
    lost = ReaderFeed(moving_face(fps=60, fail_after=3), window.engine.post_frame, window)
    lost.camera = feed.camera
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS, check_params_cb=lambda text, error: error):
        window.start_feed(lost)
    assert window.banner.text().startswith("Camera lost") and "--source" not in window.banner.text()


def test_closing_the_window_stops_the_worker_and_the_source(qtbot, make_window, moving_face):
    window = make_window()
    feed = ReaderFeed(moving_face(fps=60), window.engine.post_frame, window)
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS):
        window.start_feed(feed)
    reader = feed._reader
    window.close()
    assert not window._thread.isRunning() and not reader.running
    window.close()   # a second close (and aboutToQuit later) is harmless


def test_folder_stream_draws_a_result_only_over_its_own_photo(qtbot, make_window, tmp_path, grace_hopper):
    import cv2
    for i, photo in enumerate((grace_hopper, grace_hopper[:, ::-1], grace_hopper[40:])):
        cv2.imwrite(str(tmp_path / f"{i}.png"), cv2.cvtColor(photo, cv2.COLOR_RGB2BGR))
    window = make_window()
    seen = []    # (frame on screen, frame of the result, overlay drawn) after every frame and result

    def record(*_):
        analysis = window.result_view.analysis
        seen.append((window.feed.frame.frame_id if window.feed.frame else 0, analysis.frame_id if analysis else -1,
                     window.panes[0].has_overlay))

    window.resultShown.connect(record)
    window.play_folder(tmp_path, fps=3)
    window.feed.current.frameReady.connect(record)      # runs after the window took the frame
    qtbot.waitUntil(lambda: sum(1 for shown, result, drawn in seen if drawn) >= 3, timeout=WAIT_MS)
    # A folder's frames are unrelated photos: an overlay only ever sits on its own frame.
    assert all(shown == result for shown, result, drawn in seen if drawn), seen
    assert any(not drawn for _, _, drawn in seen)


def test_camera_frames_convert_to_rgb(grace_hopper):
    from PySide6.QtMultimedia import QVideoFrame

    from plq_desktop.gui.convert import qimage_from_rgb, rgb_from_qimage
    # What QtCameraFeed does with each QVideoFrame the camera sends.
    frame = QVideoFrame(qimage_from_rgb(grace_hopper))
    assert (rgb_from_qimage(frame.toImage()) == grace_hopper).all()


def test_live_gauge_reads_the_median_of_the_last_second(qtbot):
    """One jittery frame must not swing the gauge; a face lost for a moment is ignored."""
    from plq_desktop.gui.panel import QualityHistory
    history = QualityHistory()
    qtbot.addWidget(history)
    assert history.recent_median(0, 1.0) is None
    for t, q in [(0.0, 0.2), (9.1, 0.8), (9.4, 0.75), (9.6, float("nan")), (9.8, 0.3), (10.0, 0.78)]:
        history.add(t, (q,))
    assert abs(history.recent_median(0, 1.0) - 0.765) < 1e-9
    assert history.recent_median(1, 1.0) is None


def test_auto_capture_in_the_live_view_writes_the_frame_and_stops(qtbot, make_window, demo_video, tmp_path):
    from plq_desktop.core.live.autocapture import AutoCaptureSettings
    window = make_window()
    window.auto_capture.enable(tmp_path / "cap", AutoCaptureSettings(hold_s=0.5))
    assert window.auto_capture.bar.isVisible()
    with qtbot.waitSignal(window.auto_capture.frameCaptured, timeout=WAIT_MS) as blocker:
        window.play_video(demo_video)
    capture = blocker.args[0]
    png, js = window.auto_capture.written
    assert png.is_file() and js.is_file()
    report = json.loads(js.read_text())
    assert report["capture"]["frame"] == capture.frame_id and capture.quality >= 0.5
    assert "live view" in report["capture"]["quality_from"]      # said: not the photo pipeline's own value
    assert not [h for h in report["result"]["faces"][0]["hints"] if h["severity"] == "blocking"]
    assert capture.timestamp - capture.window_start >= 0 and window.auto_capture.bar.value() == 100
    qtbot.waitUntil(lambda: window.feed.current is None, timeout=WAIT_MS)   # stopped after the capture
    # A success, in green: not the pink error banner.
    banner = window.banner
    assert banner.kind == "success" and banner.text().startswith(f"Captured frame {capture.frame_id}")
    red, green, blue = rgb_from_qimage(banner.grab().toImage())[2, banner.width() // 2]
    assert green > red and green > blue, (red, green, blue)
    # Not frozen on a bare frame: the captured frame opens as a photo with its own map, boxes and hints,
    # and the live statistics ("analysis starting") are gone.
    qtbot.waitUntil(lambda: window.result_view.analysis is not None
                    and window.result_view.analysis.kind == "photo", timeout=WAIT_MS)
    assert window.mode == "photo" and window.panes[0]._faces and window.panes[0]._overlay is not None
    assert (rgb_from_qimage(window.panes[0].frame_image()) == capture.image).all()
    assert "analysis starting" not in window.rate_label.text()
    assert banner.kind == "success" and banner.text(), "the capture's message stays while its photo opens"


def test_capture_ring_follows_the_auto_capture_state(qtbot, make_window, grace_hopper, tmp_path):
    """A generated video: a plain wall, then a compliant face steps in. The ring over the video shows the
    core's state on every result: empty while nobody is there, filling while the face qualifies, a check and
    a flash on the capture, empty again when the video loops back to the wall."""
    from plq_desktop.core.live.autocapture import AutoCapture, AutoCaptureSettings
    from plq_desktop.core.live.demo_video import write_demo_video
    from plq_desktop.gui.capture import RING_COLOURS
    from plq_desktop.gui.convert import rgb_from_qimage

    video = write_demo_video(tmp_path / "steps-in.mp4", grace_hopper, frames=36, fps=12.0, empty_frames=18)
    settings = AutoCaptureSettings(hold_s=0.8, keep_going=True)
    window = make_window()
    control, ring = window.auto_capture, window.auto_capture.ring
    control.enable(tmp_path / "cap", settings)
    assert ring.active and ring.phase == "waiting" and ring.progress == 0
    mirror = AutoCapture(settings)      # the core's machine, fed the same results independently
    seen = []

    def record(analysis):   # connected after the controller: the ring already shows this result
        expected = mirror.feed(analysis.frame_id, analysis.captured, analysis.image, analysis.results[0])
        flat = float(analysis.image.std()) < 5.0       # the wall (its codec noise: std 1.2)
        seen.append((flat, expected, ring.progress, ring.phase, control.state.progress))

    window.resultShown.connect(record)
    with qtbot.waitSignal(control.frameCaptured, timeout=WAIT_MS) as blocker:
        window.play_video(video)
    capture = blocker.args[0]
    assert ring.phase == "captured" and ring.flashing
    grabbed = rgb_from_qimage(window.panes[0].grab().toImage())
    x, y = window.panes[0].width() - 30 - 8 - 10, 30 + 8 + 10 - 20      # inside the ring, above the check
    assert (grabbed[y, x] == RING_COLOURS["captured"].getRgb()[:3]).all()
    # Keep going until the video has looped back to the wall: the ring empties again.
    captured_at = len(seen)
    qtbot.waitUntil(lambda: any(flat for flat, *_ in seen[captured_at:]), timeout=WAIT_MS)
    window.feed.stop()
    assert float(capture.image.std()) > 5.0, "captured after the face stepped in, never before"
    assert seen[0][0], "the video starts without a face"
    for flat, expected, progress, phase, state_progress in seen:
        assert progress == pytest.approx(expected.progress) == pytest.approx(state_progress)
        if flat:
            assert progress == 0 and phase in ("waiting", "captured")     # "captured" only while flashing
        elif expected.captured is not None:
            assert phase == "captured"
    holding = [p for flat, e, p, phase, _ in seen if not flat and 0 < p < 1 and phase == "holding"]
    assert holding, "the ring filled while the face qualified"
    assert seen[-1][2] == 0 and seen[-1][0], "and emptied when the face left"

