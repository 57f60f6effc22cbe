"""Live detection that scans the whole frame only every few frames and looks near the face in between.

The full HOG scan is the largest cost of a live frame after the network
(about a quarter of it at 640 x 480). Between full scans the detector looks
only in a window around the face's previous box, shrunk so that the face is
about 100 px wide (``DlibHogDetector.detect_near``): a few per cent of a full
scan's pixels, and still a real detection, so a face that leaves is not
followed onto the wall. No face in the window, and every
``redetect_every``-th frame, means a full scan, so a new or larger face
entering is found within that many frames.
"""

from __future__ import annotations

import numpy as np

from plq_desktop.core.face.detection import Detection, DlibHogDetector, FaceDetector
from plq_desktop.core.face.mmod import HogThenCnnDetector


class TrackingDetector:
    """A FaceDetector for live video: the largest face; the whole frame is scanned every ``redetect_every`` frames."""

    def __init__(self, base: FaceDetector | None = None, redetect_every: int = 5):
        # Full scans: HOG without upsampling (faces before a camera are large), the CNN when HOG
        # finds nothing (sunglasses, masks). Window scans: the HOG part.
        self.base = base or HogThenCnnDetector(hog={"upsample": 0})
        self.near: DlibHogDetector = getattr(self.base, "hog", self.base)
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
        return self.near.detect_near(image, last.box)
