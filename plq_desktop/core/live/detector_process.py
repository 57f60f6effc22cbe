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
the engine runs the network, instead of on a frame's path.

``detect_and_check`` also runs the checks that need only the photo and the
landmarks (``icao.hints.photo_checks``) in the child, after sending the
faces: they run beside the engine's network without taking its interpreter
lock (in a thread of the application they slowed the forward pass from 17 to
23 ms), and the child already holds the frame.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future

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
        _, shape, checks = request        # ("frame", shape, None or (max_faces, thresholds))
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
        if checks is not None:
            conn.send(_photo_checks(image, faces, *checks))
        # Between frames (the engine now runs the network): work the detector left for later, such as
        # TrackingDetector's periodic full scan with background_scans. It reads the frame in ``buffer``,
        # which the next request overwrites only after this.
        if hasattr(detector, "idle") and not conn.poll(0):
            try:
                detector.idle()
            except Exception:  # noqa: BLE001 - the next detect reports a broken detector
                log.exception("face detection between frames failed")


def _photo_checks(image: np.ndarray, faces: list[Detection], max_faces: int | None, thresholds) -> tuple:
    """("checks", the photo checks of ``faces[:max_faces]``), or ("checks failed", why)."""
    from plq_desktop.core.analysis import FoundFace
    from plq_desktop.core.icao.hints import photo_checks
    try:
        return "checks", photo_checks(image, [FoundFace.of(d) for d in faces[:max_faces]], thresholds)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it for that frame
        log.exception("the photo checks failed")
        return "checks failed", f"the photo checks failed: {exc}"


class DetectorProcess:
    """A FaceDetector that runs the detector ``make()`` builds in a child process (``make`` must be picklable:
    a class or a module-level function).

    ``detect`` and ``detect_and_check`` are for one caller (the engine thread);
    the futures of the photo checks may be waited for on any thread. A thread
    of this object reads the child's answers. ``close()`` ends the child; so
    does the parent's exit.
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
        try:
            kind, value = self._conn.recv()
        except (EOFError, OSError):
            kind, value = "error", "the face detector's process ended while starting"
        if kind != "ready":
            self.close()
            raise DetectorProcessError(value)
        self.name = f"{value} (own process)"
        self._answers: queue.SimpleQueue = queue.SimpleQueue()    # ("faces" | "error", value), in order
        self._checks: deque[Future] = deque()                      # photo checks asked for, in order
        self._lock = threading.Lock()
        self._gone: str | None = None         # why the child is gone, once it is
        self._reader = threading.Thread(target=self._read, name="plq face detector answers", daemon=True)
        self._reader.start()

    def detect(self, image_rgb: np.ndarray) -> list[Detection]:
        self._send_frame(image_rgb, None)
        return self._faces()

    def detect_and_check(self, image_rgb: np.ndarray, max_faces: int | None = None,
                         thresholds=None) -> tuple[list[Detection], Future]:
        """The faces, and a future of ``icao.hints.photo_checks`` on the first ``max_faces`` of them, which
        the child computes after sending the faces (with ``thresholds``). The future fails with
        DetectorProcessError when the checks or the process fail."""
        checks: Future = Future()
        with self._lock:
            if self._gone:
                raise DetectorProcessError(self._gone)
            self._checks.append(checks)
        self._send_frame(image_rgb, (max_faces, thresholds))
        return self._faces(), checks

    def _send_frame(self, image_rgb: np.ndarray, checks) -> None:
        image = np.ascontiguousarray(image_rgb)
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"detect() takes an H x W x 3 uint8 RGB image, got {image.dtype} {image.shape}")
        try:
            self._conn.send(("frame", image.shape, checks))
            self._conn.send_bytes(image.reshape(-1).data)      # flat: send_bytes counts the first axis
        except (OSError, ValueError) as exc:
            raise DetectorProcessError(f"the face detector's process is gone: {exc}") from None

    def _faces(self) -> list[Detection]:
        kind, value = self._answers.get()
        if kind == "gone":
            self._answers.put((kind, value))     # every later call hears it too
        if kind != "faces":
            raise DetectorProcessError(f"face detection failed: {value}")
        return [Detection(box=box, score=score, landmarks5=l5, landmarks68=l68) for box, score, l5, l68 in value]

    def _read(self) -> None:
        """The reader thread: photo checks to their futures, everything else to ``detect``, in order."""
        while True:
            try:
                kind, value = self._conn.recv()
            except (EOFError, OSError) as exc:
                self._fail(f"the face detector's process ended: {exc or 'no answer'}")
                return
            if kind in ("checks", "checks failed"):
                with self._lock:
                    future = self._checks.popleft() if self._checks else None
                if future is None:
                    continue
                if kind == "checks":
                    future.set_result(value)
                else:
                    future.set_exception(DetectorProcessError(value))
            else:
                self._answers.put((kind, value))

    def _fail(self, message: str) -> None:
        """The child is gone: every waiting caller gets ``message``, and every later one."""
        with self._lock:
            self._gone = message
            waiting, self._checks = list(self._checks), deque()
        self._answers.put(("gone", message))
        for future in waiting:
            future.set_exception(DetectorProcessError(message))

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
        self._process = None
        reader = getattr(self, "_reader", None)
        if reader is not None:
            reader.join(5.0)       # the child's end of the pipe is closed: it reads EOF and stops
        self._conn.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass
