"""Live detection that runs dlib's HOG scan only every few frames and follows the face in between.

The HOG scan is the largest cost of a live frame after the network (about a
quarter of it at 640 x 480). Between scans the face's previous box is moved
and scaled with its landmarks: the landmark models are fitted in the old
box, the box follows the fitted points' centre and eye distance, and the
models are fitted once more in the moved box (two fits cost a few ms). A
fit that moved implausibly far or changed scale too much, and every
``redetect_every``-th frame, falls back to a full scan, so a face that
leaves or a new one that enters is found within that many frames.
"""

from __future__ import annotations

import numpy as np

from plq_desktop.core.face.detection import Detection, DlibHogDetector

MAX_SCALE_CHANGE = 1.25        # eye distance between frames, either way
MAX_SHIFT_IED = 0.75           # landmark centre movement between frames, in eye distances


def _eye_distance(points: np.ndarray) -> float:
    p = np.asarray(points, dtype=np.float64)
    if len(p) == 68:
        return float(np.linalg.norm(p[42:48].mean(0) - p[36:42].mean(0)))
    return float(np.linalg.norm((p[0] + p[1]) / 2 - (p[2] + p[3]) / 2))


class TrackingDetector:
    """A FaceDetector for live video: the largest face, scanned for every ``redetect_every`` frames."""

    def __init__(self, base: DlibHogDetector | None = None, redetect_every: int = 5):
        self.base = base or DlibHogDetector(upsample=0)
        self.name = f"{self.base.name}, tracked"
        self.redetect_every = max(1, int(redetect_every))
        self._last: Detection | None = None
        self._since = 0
        self.scans = 0          # full HOG scans so far (for the benchmark and the tests)

    def reset(self) -> None:
        self._last, self._since = None, 0

    def detect(self, image_rgb: np.ndarray) -> list[Detection]:
        if self._last is not None and self._since < self.redetect_every - 1:
            tracked = self._track(image_rgb, self._last)
            if tracked is not None:
                self._last, self._since = tracked, self._since + 1
                return [tracked]
        found = self.base.detect(image_rgb)
        self.scans += 1
        self._last, self._since = (found[0] if found else None), 0
        return found

    def _track(self, image: np.ndarray, last: Detection) -> Detection | None:
        old = last.landmarks68 if last.landmarks68 is not None else last.landmarks5
        first = self.base.fit_landmarks(image, last.box, last.score)
        new = first.landmarks68 if first.landmarks68 is not None else first.landmarks5
        d_old, d_new = _eye_distance(old), _eye_distance(new)
        if d_old <= 0 or d_new <= 0:
            return None
        scale = d_new / d_old
        shift = new.mean(axis=0) - old.mean(axis=0)
        if not 1 / MAX_SCALE_CHANGE <= scale <= MAX_SCALE_CHANGE or np.linalg.norm(shift) > MAX_SHIFT_IED * d_old:
            return None
        x0, y0, x1, y1 = last.box
        cx, cy = (x0 + x1) / 2 + shift[0], (y0 + y1) / 2 + shift[1]
        hw, hh = (x1 - x0) / 2 * scale, (y1 - y0) / 2 * scale
        h, w = image.shape[:2]
        if cx < 0 or cy < 0 or cx >= w or cy >= h:
            return None
        return self.base.fit_landmarks(image, (cx - hw, cy - hh, cx + hw, cy + hh), last.score)
