"""Auto-capture: take the best frame once the face has been good enough for long enough (no Qt, no threads).

``AutoCapture`` is a pure state machine fed with analysis results in frame
order. A frame *qualifies* when its largest face has no hint of a blocking
severity (``AutoCaptureSettings.blocking``: "blocking" by default, warnings
too under the strict setting) and a quality of at least ``min_quality``. Once
frames have qualified without a break for ``hold_s`` seconds (of the
frames' own timestamps, so a video analysed slower than real time still
needs a second of video), the best frame of that window is captured. A
frame that does not qualify restarts the window. After a capture the
machine stops, or with ``keep_going`` starts a new window.

``run_on_video`` drives it over a video file frame by frame (for
``plq-desktop --source VIDEO --auto-capture DIR --exit-after-capture``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from plq_desktop.core.plq.meaning import GOOD

BLOCKING_ONLY = ("blocking",)
STRICT = ("blocking", "warning")


@dataclass(frozen=True)
class AutoCaptureSettings:
    min_quality: float = GOOD          # Q_hat, 0..1: the match chance's "good" band (core.plq.meaning)
    hold_s: float = 1.0                # how long frames must qualify without a break
    blocking: tuple[str, ...] = BLOCKING_ONLY   # hint severities that stop a capture
    keep_going: bool = False           # after a capture, start a new window instead of stopping

    def __post_init__(self):
        if not 0.0 <= self.min_quality <= 1.0:
            raise ValueError(f"min_quality must lie in 0..1, not {self.min_quality}")
        if self.hold_s < 0:
            raise ValueError(f"hold_s must not be negative, not {self.hold_s}")
        unknown = set(self.blocking) - {"blocking", "warning", "info"}
        if unknown:
            raise ValueError(f"unknown hint severities {sorted(unknown)}")


@dataclass(frozen=True, eq=False)
class Capture:
    frame_id: int
    timestamp: float
    image: np.ndarray
    result: object                     # ImageResult
    quality: float
    window_start: float                # timestamp of the first frame of the qualifying window


@dataclass(frozen=True)
class CaptureState:
    """What the live view shows: how close the person is, and why not yet."""

    qualifies: bool
    progress: float                    # 0..1 of the hold time
    remaining_s: float
    reason: str | None                 # why this frame does not qualify (None when it does)
    captured: Capture | None = None    # set on the frame that triggers a capture
    done: bool = False                 # stopped after a capture


class AutoCapture:
    def __init__(self, settings: AutoCaptureSettings | None = None):
        self.settings = settings or AutoCaptureSettings()
        self.captures: list[Capture] = []
        self._start: float | None = None     # timestamp of the window's first frame
        self._best: tuple | None = None      # (quality, frame_id, timestamp, image, result) of the window
        self._done = False

    def reset(self) -> None:
        """Start over (a new person, a new source)."""
        self._start, self._best, self._done = None, None, False

    def judge(self, result) -> str | None:
        """None when the result's largest face qualifies, else a short reason."""
        if result is None or not result.faces:
            return "no face"
        face = result.faces[0]
        blocking = [h for h in face.hints if h.severity in self.settings.blocking]
        if blocking:
            return blocking[0].message
        if face.quality < self.settings.min_quality:
            return f"quality {100 * face.quality:.0f} below {100 * self.settings.min_quality:.0f}"
        return None

    def feed(self, frame_id: int, timestamp: float, image: np.ndarray, result) -> CaptureState:
        s = self.settings
        if self._done:
            return CaptureState(False, 1.0, 0.0, "captured", done=True)
        reason = self.judge(result)
        if reason is not None:
            self._start, self._best = None, None
            return CaptureState(False, 0.0, s.hold_s, reason)
        quality = result.faces[0].quality
        if self._start is None:
            self._start = timestamp
        # Only the best frame of the window is kept, not every frame's pixels.
        if self._best is None or quality > self._best[0]:
            self._best = (quality, frame_id, timestamp, image, result)
        held = timestamp - self._start
        if held + 1e-9 < s.hold_s:
            return CaptureState(True, held / s.hold_s, s.hold_s - held, None)
        q, fid, ts, img, res = self._best
        capture = Capture(fid, ts, img, res, q, self._start)
        self.captures.append(capture)
        self._start, self._best = None, None
        self._done = not s.keep_going
        return CaptureState(True, 1.0, 0.0, None, captured=capture, done=self._done)


# -- writing a capture and the scripted run on a video ---------------------------------------

def write_capture(capture: Capture, out_dir: Path, stem: str | None = None,
                  quality_from: str | None = None) -> tuple[Path, Path]:
    """``DIR/STEM.png`` (the frame, lossless) and ``DIR/STEM.json`` (its analysis and the capture's timing).

    ``quality_from``: how the result was computed when it is not the photo pipeline's (the live
    view's estimator views are spread over frames); recorded in the JSON.
    """
    import cv2

    from plq_desktop.core.io.files import atomic_write
    from plq_desktop.core.io.report import result_dict

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = stem or f"capture-{capture.frame_id:06d}"
    png, js = out_dir / f"{stem}.png", out_dir / f"{stem}.json"
    ok, data = cv2.imencode(".png", cv2.cvtColor(capture.image, cv2.COLOR_RGB2BGR))
    if not ok:
        raise OSError(f"could not encode {png}")
    report = {"capture": {"frame": capture.frame_id, "time_s": round(capture.timestamp, 3),
                          "window_start_s": round(capture.window_start, 3), "quality": round(capture.quality, 6),
                          "image": png.name, **({"quality_from": quality_from} if quality_from else {})},
              "result": result_dict(capture.result)}
    atomic_write(png, lambda p: Path(p).write_bytes(data.tobytes()))
    atomic_write(js, lambda p: Path(p).write_text(json.dumps(report, indent=2)))
    return png, js


@dataclass
class VideoRun:
    frames: int
    capture: Capture | None
    last_reason: str | None


def run_on_video(path: str, model, settings: AutoCaptureSettings = AutoCaptureSettings(),
                 thresholds=None, on_state: Callable[[int, CaptureState], None] | None = None,
                 max_frames: int | None = None) -> VideoRun:
    """Analyse every frame of a video in order (timestamps = frame / fps) until the first capture."""
    from plq_desktop.core.analysis import analyze
    from plq_desktop.core.live.sources import VideoFileSource
    from plq_desktop.core.live.tracking import TrackingDetector

    source = VideoFileSource(path, loop=False)
    source.open()
    fps = source.fps if source.fps and source.fps > 0 else 30.0
    detector = TrackingDetector()    # the live view's detector
    machine = AutoCapture(settings)
    frame_id, reason = 0, None
    try:
        while max_frames is None or frame_id < max_frames:
            image = source.read()
            if image is None:
                break
            result = analyze(image, model, detector=detector, max_faces=1, thresholds=thresholds)
            state = machine.feed(frame_id, frame_id / fps, image, result)
            if on_state:
                on_state(frame_id, state)
            reason = state.reason or reason
            frame_id += 1
            if state.captured is not None:
                return VideoRun(frame_id, state.captured, None)
    finally:
        source.close()
    return VideoRun(frame_id, None, reason)
