"""Live analysis without Qt: frame sources, the one-slot mailbox and the analysis engine.

The window paints every frame at the source's rate but analyses only the
newest one. Sources hand frames to the engine's ``Mailbox``, which holds one
frame: a newer frame replaces an unread one and the drop is counted. One
engine thread owns every model (all torch/CUDA state), takes the newest
frame, and emits a result tagged with the frame id and a generation number.
The generation changes whenever the models, the photo or the source change,
so the window can discard results computed for something it no longer shows.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable

import cv2
import numpy as np

from .analysis import FaceResult, ImageResult, analyze, default_detector
from .detection import Detection, DlibHogDetector, FaceDetector
from .imageio import IMAGE_SUFFIXES, ImageLoadError, load_image
from .regions import FACE_REGIONS
from .registry import load_model
from .render import colourize, colourize_difference

log = logging.getLogger(__name__)


# -- frames and the mailbox ---------------------------------------------------

@dataclass(frozen=True, eq=False)
class Frame:
    """One RGB uint8 frame; ``timestamp`` is ``time.monotonic()`` at capture."""

    image: np.ndarray
    frame_id: int
    timestamp: float
    generation: int = 0


class Mailbox:
    """A one-slot mailbox: ``put`` replaces an unread item (counted in ``dropped``).

    ``put`` notifies ``condition``, which the owner waits on (the engine waits
    on it for frames and for commands alike).
    """

    def __init__(self, condition: threading.Condition | None = None):
        self._cond = condition or threading.Condition()
        self._item = None
        self._closed = False
        self.posted = 0
        self.dropped = 0

    def put(self, item) -> bool:
        """Store ``item``; True when it replaced one nobody had taken. Ignored once closed."""
        with self._cond:
            if self._closed:
                return False
            replaced = self._item is not None
            self.dropped += replaced
            self.posted += 1
            self._item = item
            self._cond.notify_all()
            return replaced

    def take_nowait(self):
        with self._cond:
            item, self._item = self._item, None
            return item

    def discard(self) -> None:
        """Drop an unread item (counted) because it no longer matters."""
        with self._cond:
            if self._item is not None:
                self._item = None
                self.dropped += 1

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._item = None
            self._cond.notify_all()


# -- frame sources --------------------------------------------------------------

class SourceError(Exception):
    """A source that cannot deliver frames; ``str()`` is a message for the status bar."""


class FrameSource(ABC):
    """Where frames come from: ``read()`` gives the next H x W x 3 uint8 RGB frame, None at the end.

    ``live`` sources (cameras) block in ``read()`` until the device has a frame;
    the others are paced by ``SourceReader`` at ``fps``. ``continuous`` says
    whether consecutive frames show the same scene (a camera, a video), so a
    result for an older frame may still be drawn over a newer one.
    """

    name: str = "source"
    live: bool = False
    continuous: bool = True

    @property
    @abstractmethod
    def fps(self) -> float:
        ...

    def open(self) -> None:
        """Acquire the device or file; raises SourceError."""

    @abstractmethod
    def read(self) -> np.ndarray | None:
        ...

    def close(self) -> None:
        """Release the device or file."""


def _bgr_to_rgb(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return cv2.cvtColor(frame, cv2.COLOR_GRAY2RGB)
    if frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2RGB)
    return cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)


class VideoFileSource(FrameSource):
    """A video file decoded by OpenCV, played at its own frame rate, looping by default."""

    live = False
    continuous = True
    DEFAULT_FPS = 25.0

    def __init__(self, path: str | os.PathLike, loop: bool = True):
        self.path = Path(path)
        self.name = self.path.name
        self.loop = loop
        self._capture: cv2.VideoCapture | None = None
        self._fps = self.DEFAULT_FPS

    @property
    def fps(self) -> float:
        return self._fps

    def open(self) -> None:
        if not self.path.is_file():
            raise SourceError(f"Cannot play {self.path}: the file does not exist")
        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            raise SourceError(f"Cannot play {self.path}: not a video OpenCV can decode")
        fps = capture.get(cv2.CAP_PROP_FPS)
        # Some containers report 0 or absurd rates; fall back to a common one.
        self._fps = fps if 1.0 <= fps <= 240.0 else self.DEFAULT_FPS
        self._capture = capture

    def read(self) -> np.ndarray | None:
        ok, frame = self._capture.read()
        if not ok and self.loop:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._capture.read()
        return _bgr_to_rgb(frame) if ok else None

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class ImageFolderSource(FrameSource):
    """The photos of a folder (sorted by name) played as a stream, looping by default.

    Files that cannot be read are skipped and listed in ``skipped``.
    """

    live = False
    continuous = False

    def __init__(self, folder: str | os.PathLike, fps: float = 1.0, loop: bool = True):
        self.folder = Path(folder)
        self.name = self.folder.name or str(self.folder)
        self.loop = loop
        self._fps = float(fps)
        self._files: list[Path] = []
        self._next = 0
        self.skipped: list[str] = []

    @property
    def fps(self) -> float:
        return self._fps

    def open(self) -> None:
        if not self.folder.is_dir():
            raise SourceError(f"Cannot play {self.folder}: not a folder")
        self._files = sorted(p for p in self.folder.iterdir()
                             if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
        if not self._files:
            raise SourceError(f"Cannot play {self.folder}: it holds no image files")
        self._next = 0

    def read(self) -> np.ndarray | None:
        failures = 0
        while failures < len(self._files):
            if self._next >= len(self._files):
                if not self.loop:
                    return None
                self._next = 0
            path = self._files[self._next]
            self._next += 1
            try:
                return load_image(path)
            except ImageLoadError as exc:
                failures += 1
                if str(exc) not in self.skipped:
                    self.skipped.append(str(exc))
        raise SourceError(f"Cannot play {self.folder}: none of its images can be read")


class OpenCVCameraSource(FrameSource):
    """A camera opened through OpenCV, for systems where QtMultimedia finds none."""

    live = True
    continuous = True

    def __init__(self, index: int = 0, resolution: tuple[int, int] | None = None):
        self.index = index
        self.resolution = resolution
        self.name = f"Camera {index} (OpenCV)"
        self._capture: cv2.VideoCapture | None = None
        self._fps = 30.0

    @property
    def fps(self) -> float:
        return self._fps

    def open(self) -> None:
        capture = cv2.VideoCapture(self.index)
        if not capture.isOpened():
            raise SourceError(f"{self.name} cannot be opened (not connected, or in use by another program)")
        if self.resolution:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.resolution[0])
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.resolution[1])
        fps = capture.get(cv2.CAP_PROP_FPS)
        self._fps = fps if 1.0 <= fps <= 240.0 else 30.0
        self._capture = capture

    def read(self) -> np.ndarray | None:
        ok, frame = self._capture.read()
        if not ok:
            raise SourceError(f"Camera lost: {self.name} stopped delivering frames (unplugged?)")
        return _bgr_to_rgb(frame)

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class SourceReader:
    """Reads a source on its own thread and hands each frame to ``on_frame``.

    Files and folders are paced at their frame rate (a slow consumer never
    makes them fall further behind: late frames are not made up); cameras
    are read as fast as they deliver. ``on_error`` receives the message of a
    SourceError (the reader then stops), ``on_end`` is called when a
    non-looping source runs out. All callbacks run on the reader's thread.
    """

    def __init__(self, source: FrameSource, on_frame: Callable[[Frame], None],
                 on_error: Callable[[str], None] | None = None, on_end: Callable[[], None] | None = None):
        self.source = source
        self._on_frame = on_frame
        self._on_error = on_error or (lambda message: log.warning("%s", message))
        self._on_end = on_end or (lambda: None)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"frames: {source.name}", daemon=True)
        self.frames_read = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        try:
            self.source.open()
            period = 0.0 if self.source.live else 1.0 / self.source.fps
            due = time.monotonic()
            while not self._stop.is_set():
                image = self.source.read()
                if image is None:
                    self._on_end()
                    return
                self.frames_read += 1
                self._on_frame(Frame(image=image, frame_id=self.frames_read, timestamp=time.monotonic()))
                if period:
                    due = max(due + period, time.monotonic() - period)
                    self._stop.wait(max(0.0, due - time.monotonic()))
        except SourceError as exc:
            if not self._stop.is_set():
                self._on_error(str(exc))
        finally:
            self.source.close()


def write_demo_video(path: str | os.PathLike, photo: np.ndarray, frames: int = 150, fps: float = 30.0,
                     size: tuple[int, int] = (640, 480)) -> Path:
    """Write a video of ``photo`` (RGB) swaying, turning a little and zooming, as a camera would film a person.

    For demos and tests without a camera: play it with ``VideoFileSource`` or
    ``plq-desktop --source``. MPEG-4 Part 2 ("mp4v"), which OpenCV's own
    FFmpeg build always writes.
    """
    path = Path(path)
    width, height = size
    cover = max(width / photo.shape[1], height / photo.shape[0])
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    if not writer.isOpened():
        raise OSError(f"OpenCV cannot write the video {path}")
    try:
        for i in range(frames):
            phase = 2 * np.pi * i / frames
            scale = cover * (1.04 + 0.04 * np.sin(phase))
            centre = (photo.shape[1] / 2, photo.shape[0] / 2)
            matrix = cv2.getRotationMatrix2D(centre, 3 * np.sin(2 * phase), scale)
            # Centre the photo, a little low (faces sit above a portrait's centre), and sway sideways.
            matrix[:, 2] += ((width - photo.shape[1]) / 2 + 20 * np.sin(phase),
                             (height - photo.shape[0]) / 2 + 0.08 * height)
            frame = cv2.warpAffine(photo, matrix, (width, height), flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_REFLECT101)
            writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    finally:
        writer.release()
    return path


# -- what the window draws --------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Overlay:
    """Coloured map pixels for part of the photo: RGBA rows placed with their top-left at (x, y)."""

    x: int
    y: int
    rgba: np.ndarray


def _overlay(values: np.ndarray, colours: Callable[[np.ndarray], np.ndarray]) -> Overlay | None:
    """RGBA of the finite part of a photo-sized map, cropped to its bounding box (transparent elsewhere)."""
    finite = np.isfinite(values)
    rows, cols = np.flatnonzero(finite.any(axis=1)), np.flatnonzero(finite.any(axis=0))
    if rows.size == 0:
        return None
    y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    crop, inside = values[y0:y1, x0:x1], finite[y0:y1, x0:x1]
    rgba = np.zeros((*crop.shape, 4), np.uint8)
    rgba[inside, :3] = colours(crop[inside])
    rgba[inside, 3] = 255
    return Overlay(int(x0), int(y0), rgba)


def map_overlay(plq_map: np.ndarray) -> Overlay | None:
    """The red-to-green pixel-quality colours of a photo-sized map (NaN = not analysed)."""
    return _overlay(plq_map, colourize)


def difference_overlay(left: np.ndarray, right: np.ndarray) -> Overlay | None:
    """Colours of ``right - left`` where both maps are defined (purple where the right map is higher)."""
    return _overlay(right - left, colourize_difference)


# -- regions with the lowest pixel quality (shown when a face has no hints) --------

@dataclass(frozen=True, eq=False)
class RegionQuality:
    """The mean pixel quality over one face region; shaped like a hint for the hints list."""

    region: str
    value: float
    polygon: np.ndarray   # N x 2 photo coordinates

    @property
    def message(self) -> str:
        return f"{self.region.replace('_', ' ').capitalize()}: mean pixel quality {self.value:.2f}"

    def to_dict(self) -> dict:
        return {
            "region": self.region, "check": "mean pixel quality", "value": round(self.value, 4),
            "threshold": None, "severity": "info", "message": self.message,
            "polygon": np.round(self.polygon, 1).tolist(),
        }


def weakest_regions(face: FaceResult, count: int = 3) -> list[RegionQuality]:
    """The ``count`` face regions with the lowest mean pixel quality, lowest first.

    Reads the region statistics that the hints computed (68 landmarks only;
    with 5 landmarks there are none).
    """
    if face.regions is None:
        return []
    found = [RegionQuality(name, face.region_stats[name].mean, face.regions.polygons[name])
             for name in FACE_REGIONS if face.region_stats.get(name) is not None]
    found.sort(key=lambda r: r.value)
    return found[:count]


# -- the engine -----------------------------------------------------------------

@dataclass(frozen=True)
class ModelsChanged:
    """The models now in use (after a request, a failure or a GPU fallback)."""

    generation: int
    names: tuple[str, ...]
    device: str


@dataclass(frozen=True, eq=False)
class PhotoOpened:
    generation: int
    path: str
    image: np.ndarray


@dataclass(frozen=True, eq=False)
class Analysis:
    """One frame or photo analysed by every model in use (same frame, same detections)."""

    generation: int
    frame_id: int
    kind: str                              # "live" or "photo"
    image: np.ndarray
    results: tuple[ImageResult, ...]       # one per model, in the requested order
    overlays: tuple[Overlay | None, ...]   # the map colours of each result
    difference: Overlay | None             # right minus left when two models run
    regions: tuple[tuple[list[RegionQuality], ...], ...]   # [model][face]: weakest regions
    captured: float                        # time.monotonic() of the frame's capture or request
    finished: float
    compute_s: float

    @property
    def latency_s(self) -> float:
        return self.finished - self.captured


@dataclass(frozen=True)
class Problem:
    """Something failed; ``message`` is for the status bar."""

    generation: int
    message: str


@dataclass(frozen=True)
class Notice:
    message: str


@dataclass(frozen=True)
class _SetModels:
    generation: int
    names: tuple[str, ...]
    device: str
    gamma_offset: float


@dataclass(frozen=True, eq=False)
class _OpenPhoto:
    generation: int
    path: str
    requested: float


@dataclass(frozen=True, eq=False)
class _AnalysePhoto:
    generation: int
    image: np.ndarray
    path: str | None
    requested: float


class _KnownFaces:
    """A FaceDetector answering with faces already found, so every model sees the same detections."""

    name = "shared detections"

    def __init__(self, detections: list[Detection]):
        self._detections = detections

    def detect(self, image_rgb: np.ndarray) -> list[Detection]:
        return list(self._detections)


def default_torch_threads() -> int:
    """Leave a core to the window and the frame source: 1 thread on 2 cores, at most 4."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


class AnalysisEngine:
    """Owns the models and runs every analysis on the thread that calls ``run()``.

    The other methods are thread-safe and return at once: commands (models,
    photos) queue in order and are never dropped; live frames go through the
    one-slot mailbox. ``emit`` receives ModelsChanged, PhotoOpened, Analysis,
    Problem and Notice events on the engine's thread.

    ``analyse`` and ``load`` default to the core's ``analyze`` and
    ``registry.load_model``; a caller may wrap them (a test slows ``analyse``
    down). ``live_detector`` makes the detector used for live frames (default:
    dlib HOG without upsampling, since faces in front of an enrolment camera
    are large); photos use the core's default detector.
    """

    def __init__(self, emit: Callable[[object], None], *,
                 analyse: Callable[..., ImageResult] = analyze,
                 load: Callable[..., object] = load_model,
                 live_detector: Callable[[], FaceDetector] | None = None,
                 torch_threads: int | None = None,
                 live_max_faces: int = 1):
        self._emit = emit
        self._analyse = analyse
        self._load = load
        self._make_live_detector = live_detector or (lambda: DlibHogDetector(upsample=0))
        self._live_detector: FaceDetector | None = None
        self._torch_threads = torch_threads or default_torch_threads()
        self.live_max_faces = live_max_faces
        self._cond = threading.Condition()
        self._commands: deque = deque()
        self.mailbox = Mailbox(self._cond)
        self._generation = 0
        self._stopped = False
        # Touched only on the engine thread.
        self._models: dict[str, object] = {}
        self._order: tuple[str, ...] = ()
        self._base_calibration: dict[str, object] = {}
        self._device = "auto"
        self._fallbacks_reported: set[str] = set()

    # -- any thread -----------------------------------------------------------
    @property
    def generation(self) -> int:
        return self._generation

    def new_generation(self) -> int:
        """Invalidate everything in flight (a new source, photo or model); returns the new number."""
        with self._cond:
            self._generation += 1
            self.mailbox.discard()
            return self._generation

    def set_models(self, names: list[str] | tuple[str, ...], device: str = "auto",
                   gamma_offset: float = 0.0) -> int:
        """Use these models (one, or two side by side) from now on."""
        with self._cond:
            generation = self.new_generation()
            self._commands.append(_SetModels(generation, tuple(names), device, float(gamma_offset)))
            self._cond.notify_all()
            return generation

    def open_photo(self, path: str | os.PathLike) -> int:
        """Load a photo on the engine thread (PhotoOpened), then analyse it (Analysis)."""
        with self._cond:
            generation = self.new_generation()
            self._commands.append(_OpenPhoto(generation, os.fspath(path), time.monotonic()))
            self._cond.notify_all()
            return generation

    def analyse_photo(self, image: np.ndarray, path: str | None = None) -> int:
        """Analyse an image already in memory (the photo again, after a model change)."""
        with self._cond:
            generation = self.new_generation()
            self._commands.append(_AnalysePhoto(generation, image, path, time.monotonic()))
            self._cond.notify_all()
            return generation

    def post_frame(self, frame: Frame) -> bool:
        """Offer a live frame; it replaces any frame not yet taken (returns True then)."""
        with self._cond:
            return self.mailbox.put(replace(frame, generation=self._generation))

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._commands.clear()
            self.mailbox.close()
            self._cond.notify_all()

    # -- engine thread ----------------------------------------------------------
    def run(self) -> None:
        """The engine loop; returns after ``stop()``. Every model lives and dies on this thread."""
        import torch

        # Both pools are process-wide: capped while the engine runs, restored after. On 2 cores a
        # second torch thread fights the window and the frame reader: 3 s per frame instead of 0.12 s.
        previous = torch.get_num_threads(), cv2.getNumThreads()
        torch.set_num_threads(self._torch_threads)
        cv2.setNumThreads(1)
        # Gradient mode is per thread: no graphs except inside FaceModel.plq.
        torch.set_grad_enabled(False)
        try:
            while (task := self._next_task()) is not None:
                try:
                    self._do(task)
                except Exception as exc:  # noqa: BLE001 - one failed analysis must not end the loop
                    log.exception("analysis failed")
                    self._emit(Problem(task.generation, f"Analysis failed: {exc}"))
        finally:
            self._models.clear()
            self._live_detector = None
            torch.set_num_threads(previous[0])
            cv2.setNumThreads(previous[1])

    def _next_task(self):
        with self._cond:
            while not self._stopped:
                if self._commands:
                    return self._commands.popleft()
                frame = self.mailbox.take_nowait()
                if frame is not None:
                    return frame
                self._cond.wait()
            return None

    def _do(self, task) -> None:
        if isinstance(task, _SetModels):
            self._set_models(task)
        elif isinstance(task, _OpenPhoto):
            try:
                image = load_image(task.path)
            except ImageLoadError as exc:
                self._emit(Problem(task.generation, str(exc)))
                return
            self._emit(PhotoOpened(task.generation, task.path, image))
            self._run_analysis(image, task.generation, 0, "photo", task.requested, task.path)
        elif isinstance(task, _AnalysePhoto):
            self._run_analysis(task.image, task.generation, 0, "photo", task.requested, task.path)
        else:
            self._run_analysis(task.image, task.generation, task.frame_id, "live", task.timestamp, None)

    def _set_models(self, task: _SetModels) -> None:
        """Load what was asked for; models that fail are reported and left out.

        If none of them loads, the models in use stay in use.
        """
        keep = self._models if task.device == self._device else {}
        chosen, failures = {}, []
        for name in dict.fromkeys(task.names):
            model = keep.get(name)
            if model is None:
                try:
                    model = self._load(name, device=task.device)
                except Exception as exc:  # noqa: BLE001 - any loading failure is reported, not raised
                    failures.append(f"Cannot load model {name}: {exc}")
                    continue
                self._base_calibration[name] = model.calibration
            base = self._base_calibration[name]
            model.calibration = replace(base, gamma=base.gamma + task.gamma_offset)
            chosen[name] = model
        if chosen:
            self._models, self._device = chosen, task.device
            self._order = tuple(n for n in task.names if n in chosen)
        in_use = ", ".join(dict.fromkeys(self._order)) or "none"
        for message in failures:
            self._emit(Problem(task.generation, f"{message} (using: {in_use})"))
        self._emit_models(task.generation)

    def _emit_models(self, generation: int) -> None:
        models = self._active_models()
        device = models[0].device_label if models else "no model"
        self._emit(ModelsChanged(generation, tuple(m.name for m in models), device))

    def _active_models(self) -> list:
        return [self._models[name] for name in self._order if name in self._models]

    def _detector(self, kind: str) -> FaceDetector:
        if kind == "photo":
            return default_detector()
        if self._live_detector is None:
            self._live_detector = self._make_live_detector()
        return self._live_detector

    def _run_analysis(self, image: np.ndarray, generation: int, frame_id: int, kind: str,
                      captured: float, path: str | None) -> None:
        models = self._active_models()
        if not models:
            self._emit(Problem(generation, "No model is loaded; choose one in the Model list"))
            return
        started = time.monotonic()
        faces = _KnownFaces(self._detector(kind).detect(image))
        max_faces = self.live_max_faces if kind == "live" else None
        results = tuple(self._analyse(image, model, detector=faces, max_faces=max_faces, path=path)
                        for model in models)
        overlays = tuple(map_overlay(r.plq_map) if r.faces else None for r in results)
        difference = None
        if len(results) == 2 and results[0].faces:
            difference = difference_overlay(results[0].plq_map, results[1].plq_map)
        regions = tuple(tuple(weakest_regions(face) for face in r.faces) for r in results)
        finished = time.monotonic()
        self._emit(Analysis(generation, frame_id, kind, image, results, overlays, difference, regions,
                            captured, finished, finished - started))
        for model in models:
            message = model.fallback_message
            if message and message not in self._fallbacks_reported:
                self._fallbacks_reported.add(message)
                self._emit(Notice(message))
                self._emit_models(generation)
