"""Live detection that scans the whole frame only every few frames and looks near the face in between.

The full HOG scan is the largest cost of a live frame after the network
(about a quarter of it at 640 x 480). Between full scans the detector looks
only in a window around the face's previous box, shrunk so that the face is
about 100 px wide (``DlibHogDetector.detect_near``): a few per cent of a full
scan's pixels, and still a real detection, so a face that leaves is not
followed onto the wall. No face in the window, and every
``redetect_every``-th frame, means a full scan, so a new or larger face
entering is found within that many frames.

The window scan only confirms that the face is still there: its box is
coarser than a full scan's (HOG cells of 8 px on the shrunk window), and the
landmark models are sensitive to the box (a box one pyramid level too large
put the chin landmarks on the neck). The box comes from the previous
frame's landmarks with the box-to-eyes relation of the last full scan; the
landmarks are fitted in it, the box is set again from them and they are
fitted once more (about 2 ms each).

With ``background_scans`` the periodic full scan moves off the frame's path:
``detect`` keeps tracking, and ``idle()``, called between frames (the
detector's own process calls it while the engine runs the network), scans the
last frame in full; the next frame is tracked from what that scan found (a new
or larger face one frame later than without). A frame whose face the window
scan loses still gets a full scan at once.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from plq_desktop.core.face.detection import Detection, DlibHogDetector, FaceDetector
from plq_desktop.core.face.mmod import HogThenCnnDetector


class TrackingDetector:
    """A FaceDetector for live video: the largest face; the whole frame is scanned every ``redetect_every`` frames."""

    def __init__(self, base: FaceDetector | None = None, redetect_every: int = 5, background_scans: bool = False):
        # Full scans: HOG without upsampling (faces before a camera are large), the CNN when HOG
        # finds nothing (sunglasses, masks). Window scans: the HOG part.
        self.base = base or HogThenCnnDetector(hog={"upsample": 0}, retry_max_side=None, low_threshold=None)
        self.near: DlibHogDetector = getattr(self.base, "hog", self.base)
        self.name = f"{self.base.name}, tracked"
        self.redetect_every = max(1, int(redetect_every))
        self._last: Detection | None = None
        self._since = 0
        self._relation: tuple[np.ndarray, float] | None = None   # box centre - eyes, box side; per eye distance
        self.scans = 0          # full HOG scans so far (for the benchmark and the tests)
        self.background_scans = bool(background_scans)
        self._frame: np.ndarray | None = None      # the last frame, for ``idle``'s scan

    def reset(self) -> None:
        self._last, self._since, self._frame = None, 0, None

    def detect(self, image_rgb: np.ndarray) -> list[Detection]:
        due = self._since >= self.redetect_every - 1
        if self._last is not None and (not due or self.background_scans):
            tracked = self._track(image_rgb, self._last)
            if tracked is not None:
                self._last, self._since = tracked, self._since + 1
                self._frame = image_rgb if self.background_scans else None
                return [tracked]
        self._frame = None
        return self._full_scan(image_rgb)

    def idle(self) -> bool:
        """With ``background_scans``: the periodic full scan, on the last frame, if one is due (True then)."""
        # The scanned frame was tracked too: scanning after every ``redetect_every``-th tracked frame keeps
        # the period of the scans in ``detect``.
        if self._frame is None or self._last is None or self._since < self.redetect_every:
            return False
        frame, self._frame = self._frame, None
        self._full_scan(frame)
        return True

    def _full_scan(self, image_rgb: np.ndarray) -> list[Detection]:
        found = self.base.detect(image_rgb)
        self.scans += 1
        self._last, self._since = (found[0] if found else None), 0
        self._relation = _box_relation(found[0]) if found else None
        return found

    def _track(self, image: np.ndarray, last: Detection) -> Detection | None:
        if self._relation is None:
            return self.near.detect_near(image, last.box)
        # The window scan says only whether the face is still there: its landmarks are not needed.
        rough = self.near.find_near(image, last.box)
        if rough is None:
            return None
        score = rough[1]
        # The box from the previous frame's landmarks (faces move little between frames), then once
        # more from the 68 landmarks fitted in it (the five-point fit only for the final box).
        box = self._box_from(last)
        if box is None:
            return None
        points = self.near.fit_landmarks68(image, box)
        first = replace(last, landmarks68=points) if points is not None else self.near.fit_landmarks(image, box, score)
        box = self._box_from(first)
        return None if box is None else self.near.fit_landmarks(image, box, score)

    def _box_from(self, det: Detection) -> tuple[float, float, float, float] | None:
        eyes, ied = _eyes(det)
        if ied <= 0:
            return None
        offset, side = self._relation
        cx, cy = eyes + offset * ied
        half = side * ied / 2
        return (cx - half, cy - half, cx + half, cy + half)


def _eyes(det: Detection) -> tuple[np.ndarray, float]:
    """Eyes' midpoint and eye distance from the 68 (or 5) landmarks."""
    p = np.asarray(det.landmarks68 if det.landmarks68 is not None else det.landmarks5, dtype=np.float64)
    if len(p) == 68:
        right, left = p[36:42].mean(0), p[42:48].mean(0)
    else:
        right, left = (p[2] + p[3]) / 2, (p[0] + p[1]) / 2
    return (right + left) / 2, float(np.linalg.norm(left - right))


def _box_relation(det: Detection) -> tuple[np.ndarray, float] | None:
    eyes, ied = _eyes(det)
    if ied <= 0:
        return None
    x0, y0, x1, y1 = det.box
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    return (centre - eyes) / ied, float(np.sqrt((x1 - x0) * (y1 - y0))) / ied
