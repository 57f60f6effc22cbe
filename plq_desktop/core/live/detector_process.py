"""The live face detector in a process of its own, so that it never holds the application's interpreter lock.

dlib's HOG scan and landmark fits keep Python's interpreter lock for their
whole run (measured: a Python thread beside a HOG loop gets no CPU of its
own). In the live view that is about 17 ms per analysed frame (a full scan:
about 35 ms) during which neither the finisher thread (maps, checks) nor the
window (painting the video) can run. In a child process the detector runs
beside them; the engine thread waits for its answer without the lock. A
frame goes to the child through a pipe (0.9 MB for 640 x 480, about 1 ms)
and the faces come back as plain tuples.

The child holds the detector and its state (``TrackingDetector`` tracks the
face between full scans), so ``reset`` goes to the child too. Between two
frames the child calls the detector's ``idle()``, if it has one: the live
view's tracker (``background_scans``) runs its periodic full scan there, while
the engine runs the network, instead of on every fifth frame's path.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable

import numpy as np

from plq_desktop.core.face.detection import Detection, FaceDetector

log = logging.getLogger(__name__)


class DetectorProcessError(RuntimeError):
    """The detector's process failed or is gone."""


def _serve(conn, make: Callable[[], FaceDetector]) -> None:
    """The child: make the detector, then answer requests until told to stop or the parent goes away."""
    import cv2
    cv2.setNumThreads(1)          # one core for the detector; the parent's threads need the other
    try:
        import torch  # the CNN fallback of the default detector; keep it to one thread too
        torch.set_num_threads(1)
    except ImportError:
        pass
    try:
        detector = make()
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send(("error", f"cannot make the face detector: {exc}"))
        return
    conn.send(("ready", detector.name))
    buffer = bytearray()
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        if request == "reset":
            if hasattr(detector, "reset"):
                detector.reset()
            continue
        shape = request
        size = int(np.prod(shape))
        if len(buffer) != size:
            buffer = bytearray(size)
        conn.recv_bytes_into(buffer)
        image = np.frombuffer(buffer, np.uint8).reshape(shape)
        try:
            faces = detector.detect(image)
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
            conn.send(("error", str(exc)))
            continue
        conn.send(("faces", [(d.box, d.score, np.asarray(d.landmarks5), None if d.landmarks68 is None
                               else np.asarray(d.landmarks68)) for d in faces]))
        # Between frames (the engine now runs the network): work the detector left for later, such as
        # TrackingDetector's periodic full scan with background_scans. It reads the frame in ``buffer``,
        # which the next request overwrites only after this.
        if hasattr(detector, "idle") and not conn.poll(0):
            try:
                detector.idle()
            except Exception:  # noqa: BLE001 - the next detect reports a broken detector
                log.exception("face detection between frames failed")


class DetectorProcess:
    """A FaceDetector that runs the detector ``make()`` builds in a child process (``make`` must be picklable:
    a class or a module-level function).

    Not thread-safe: one caller (the engine thread). ``close()`` ends the child; so does the parent's exit.
    """

    def __init__(self, make: Callable[[], FaceDetector], start_timeout: float = 120.0):
        context = multiprocessing.get_context("spawn")      # no fork: the parent has threads, torch and Qt
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, make), name="plq face detector", daemon=True)
        self._process.start()
        child.close()
        if not self._conn.poll(start_timeout):
            self.close()
            raise DetectorProcessError("the face detector's process did not start")
        kind, value = self._receive()
        if kind != "ready":
            self.close()
            raise DetectorProcessError(value)
        self.name = f"{value} (own process)"

    def detect(self, image_rgb: np.ndarray) -> list[Detection]:
        image = np.ascontiguousarray(image_rgb)
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"detect() takes an H x W x 3 uint8 RGB image, got {image.dtype} {image.shape}")
        try:
            self._conn.send(image.shape)
            self._conn.send_bytes(image.reshape(-1).data)      # flat: send_bytes counts the first axis
        except (OSError, ValueError) as exc:
            raise DetectorProcessError(f"the face detector's process is gone: {exc}") from None
        kind, value = self._receive()
        if kind != "faces":
            raise DetectorProcessError(f"face detection failed: {value}")
        return [Detection(box=box, score=score, landmarks5=l5, landmarks68=l68) for box, score, l5, l68 in value]

    def reset(self) -> None:
        try:
            self._conn.send("reset")
        except (OSError, ValueError):
            pass            # gone: the next detect says so

    def close(self) -> None:
        if self._process is None:
            return
        try:
            self._conn.send(None)
        except (OSError, ValueError):
            pass
        self._process.join(5.0)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(5.0)
        self._conn.close()
        self._process = None

    def _receive(self):
        try:
            return self._conn.recv()
        except (EOFError, OSError) as exc:
            raise DetectorProcessError(f"the face detector's process ended: {exc or 'no answer'}") from None

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass
