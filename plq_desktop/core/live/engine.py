"""The analysis engine of the live view (no Qt): owns the models, takes the newest frame, returns results.

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
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial

import cv2
import numpy as np

from plq_desktop.core.analysis import ImageResult, analyze, begin_analysis
from plq_desktop.core.face.detection import Detection, FaceDetector
from plq_desktop.core.face.detectors import default_detector
from plq_desktop.core.io.images import ImageLoadError, load_image
from plq_desktop.core.io.palette import DEFAULT_PALETTE, Palette
from plq_desktop.core.live.detector_process import DetectorProcess, DetectorProcessError
from plq_desktop.core.live.mailbox import Frame, Mailbox
from plq_desktop.core.live.overlay import (
    Overlay,
    RegionQuality,
    amva_overlay,
    difference_overlay,
    result_overlay,
    weakest_regions,
)
from plq_desktop.core.live.tracking import TrackingDetector
from plq_desktop.core.plq.display import regamma
from plq_desktop.core.plq.estimators import ViewRotation
from plq_desktop.core.zoo.registry import load_model

log = logging.getLogger(__name__)


# -- the engine -----------------------------------------------------------------

@dataclass(frozen=True)
class ModelsChanged:
    """The models now in use (after a request, a failure or a GPU fallback), with each one's estimator."""

    generation: int
    names: tuple[str, ...]
    device: str
    estimators: tuple[str, ...] = ()


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
    explanations: tuple[str, ...] = ()     # per pane: "plq" or "amva" (what ``overlays`` colour)

    @property
    def latency_s(self) -> float:
        return self.finished - self.captured


@dataclass(frozen=True, eq=False)
class WhatIfDone:
    """A what-if repair of the photo on screen (a simulation): the core's ``WhatIf`` and each map's colours."""

    generation: int
    request: int                           # the number ``request_what_if`` returned
    image: np.ndarray                      # the original photo
    simulation: object                     # core.plq.whatif.WhatIf
    before: Overlay | None
    after: Overlay | None
    compute_s: float


@dataclass(frozen=True)
class Problem:
    """Something failed; ``message`` is for the status bar."""

    generation: int
    message: str


@dataclass(frozen=True)
class Notice:
    message: str


@dataclass(frozen=True)
class WhatIfNotNeeded:
    """The what-if found nothing to repair on a clean face: good news, not a failure."""

    generation: int
    message: str


@dataclass(frozen=True)
class _SetModels:
    generation: int
    names: tuple[str, ...]
    device: str
    gamma_offset: float
    estimators: tuple[str | None, ...]     # per slot; None: the model's default
    raw_map: bool = False                  # display only: the per-pixel map instead of the readable one
    explanations: tuple[str, ...] = ()    # per slot: "plq" (default) or "amva"


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


@dataclass(frozen=True, eq=False)
class _WhatIf:
    generation: int
    request: int
    image: np.ndarray
    before: ImageResult                    # the analysis on screen (slot 0's model and estimator)
    region: str | None
    mask: np.ndarray | None
    face_index: int


class _KnownFaces:
    """A FaceDetector answering with faces already found, so every model sees the same detections."""

    name = "shared detections"

    def __init__(self, detections: list[Detection]):
        self._detections = detections

    def detect(self, image_rgb: np.ndarray) -> list[Detection]:
        return list(self._detections)


# Live frames between two full scans in the detector's process. A full scan takes about 35 ms of that
# process (twice the tracking of a frame), and a frame that arrives meanwhile waits for it; a new or
# larger face entering is found within this many analysed frames (under a second at 12 frames/s).
BACKGROUND_SCAN_EVERY = 10


def default_live_detector() -> FaceDetector:
    """``TrackingDetector``; on more than one core in a process of its own (``detector_process``: dlib keeps
    the interpreter lock while it scans, which would stop the finisher thread and the window meanwhile),
    which runs the periodic full scan between frames (``background_scans``)."""
    if (os.cpu_count() or 1) > 1:
        try:
            return DetectorProcess(partial(TrackingDetector, background_scans=True,
                                           redetect_every=BACKGROUND_SCAN_EVERY))
        except (DetectorProcessError, OSError) as exc:
            log.warning("live face detection runs in the application's process: %s", exc)
    return TrackingDetector()


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
    are large, with the CNN when HOG finds nothing; the whole frame every
    ``BACKGROUND_SCAN_EVERY``-th frame, a small window around the face in
    between, see ``tracking``; in a process of its own on more than one core,
    which also runs the photo checks of each pipelined live frame beside the
    network, see ``detector_process``); photos use the core's default detector.

    Live speed on two cores (``benchmarks/bench_live.py``): with ``pipeline``
    a live frame's maps, checks and overlay are built on a second thread
    while the engine thread takes the next frame through detection and the
    network (with the default ``analyse`` only). It changes no result: each
    frame's quality, map and hints are what ``analyze`` gives. With ``rotate_views`` a live frame
    analysed with the recognisability estimator computes one of its extra
    views anew and reuses the other from the frame before
    (``core.plq.estimators.ViewRotation``): one forward pass fewer per
    frame; quality then differs from the photo pipeline's by the face's
    change between two analysed frames (at most 0.04 per frame, 0.008 on
    the gauge's one-second median, measured on eight real faces). With
    ``defer_views`` (and the pipeline) the estimator's extra view runs on the
    finisher thread, beside the frame's backward pass (``FaceModel.plq_deferred``):
    the engine thread keeps detection, the forward and the backward pass; the
    quality is the same and the maps equal up to float rounding.
    """

    def __init__(self, emit: Callable[[object], None], *,
                 analyse: Callable[..., ImageResult] = analyze,
                 load: Callable[..., object] = load_model,
                 live_detector: Callable[[], FaceDetector] | None = None,
                 torch_threads: int | None = None,
                 live_max_faces: int = 1,
                 pipeline: bool | None = None,
                 rotate_views: bool = True,
                 defer_views: bool = True):
        self._emit = emit
        self._analyse = analyse
        self._load = load
        self._make_live_detector = live_detector or default_live_detector
        self._live_detector: FaceDetector | None = None
        self._live_generation = -1      # a new source or photo starts tracking afresh
        self._torch_threads = torch_threads or default_torch_threads()
        several_cores = (os.cpu_count() or 1) > 1      # a second thread only helps on a second core
        self.pipeline = several_cores if pipeline is None else bool(pipeline)
        self._finisher: ThreadPoolExecutor | None = None     # the second thread of the pipeline
        self._pending: Future | None = None                  # the live frame it is finishing
        self.rotate_views = bool(rotate_views)
        self.defer_views = bool(defer_views)
        self._rotations: dict[tuple[str, str], ViewRotation] = {}   # per slot, for the live stream
        self._rotation_generation = -1
        self.live_max_faces = live_max_faces
        self._cond = threading.Condition()
        self._commands: deque = deque()
        self.mailbox = Mailbox(self._cond)
        self._generation = 0
        self._stopped = False
        # Touched only on the engine thread.
        self._models: dict[str, object] = {}
        self._order: tuple[str, ...] = ()
        self._estimators: tuple[str, ...] = ()     # per slot of _order
        self._gamma_offset, self._raw_map = 0.0, False    # display only (set_models)
        # Display only, set from any thread (``set_palette``): each overlay reads it once.
        self.palette: Palette = DEFAULT_PALETTE
        self._explanations: tuple[str, ...] = ()   # per slot of _order: "plq" or "amva"
        self._amva_references: dict[str, object] = {}
        self._device = "auto"
        self._fallbacks_reported: set[str] = set()
        self._what_if_requests = 0

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
                   gamma_offset: float = 0.0, estimators: list | tuple | None = None,
                   raw_map: bool = False, explanations: list | tuple | None = None) -> int:
        """Use these models (one, or two side by side) from now on.

        ``estimators`` names each slot's quality estimator (None or missing: the
        model's default), so one model can run side by side with two estimators.
        ``gamma_offset`` (added to each model's calibrated gamma) and ``raw_map``
        (the per-pixel map instead of the readable one) change the overlay's
        colours only: the analysis and its checks never see them.
        ``explanations``: per slot "plq" (the default) or "amva" (the pane shows the
        AMVA deviation); the same model twice gives PLQ and AMVA of one model.
        """
        names = tuple(names)
        estimators = tuple(estimators or ())[:len(names)]
        estimators += (None,) * (len(names) - len(estimators))
        explanations = tuple(explanations or ())[:len(names)]
        explanations += ("plq",) * (len(names) - len(explanations))
        with self._cond:
            generation = self.new_generation()
            self._commands.append(_SetModels(generation, names, device, float(gamma_offset), estimators,
                                             bool(raw_map), explanations))
            self._cond.notify_all()
            return generation

    def set_palette(self, palette: Palette) -> None:
        """Colour the maps of the next results in ``palette``; ``recolour`` redraws one already shown."""
        self.palette = palette

    def recolour(self, analysis: Analysis) -> Analysis:
        """``analysis`` with its PLQ maps coloured in the current palette (AMVA and difference colours
        are no quality scale and stay): a palette change shows at once, without analysing again."""
        explanations = analysis.explanations or ("plq",) * len(analysis.results)
        overlays = tuple(result_overlay(r, self._raw_map, self._gamma_offset, self.palette)
                         if how == "plq" and r.faces else overlay
                         for r, how, overlay in zip(analysis.results, explanations, analysis.overlays))
        return replace(analysis, overlays=overlays)

    def recolour_what_if(self, done: WhatIfDone) -> WhatIfDone:
        """The same for a what-if simulation's before and after maps."""
        sim = done.simulation
        before, after = (result_overlay(r, self._raw_map, self._gamma_offset, self.palette)
                         for r in (sim.before, sim.after))
        return replace(done, before=before, after=after)

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

    def request_what_if(self, image: np.ndarray, before: ImageResult, region: str | None = None,
                        mask: np.ndarray | None = None, face_index: int = 0) -> int:
        """Inpaint ``region`` (a face region name) or ``mask`` of the photo and analyse it again (WhatIfDone).

        ``before`` is the photo's result on screen; the after uses its model and
        estimator. The generation does not change: the photo stays on screen,
        and a what-if still running when the photo or model changes is dropped
        by its old generation. Returns the request's number.
        """
        with self._cond:
            self._what_if_requests += 1
            self._commands.append(_WhatIf(self._generation, self._what_if_requests, image, before, region,
                                          None if mask is None else np.asarray(mask, bool), face_index))
            self._cond.notify_all()
            return self._what_if_requests

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
        self._finisher = ThreadPoolExecutor(1, thread_name_prefix="plq finisher") if self.pipeline else None
        try:
            while (task := self._next_task()) is not None:
                try:
                    self._do(task)
                except Exception as exc:
                    log.exception("analysis failed")
                    self._emit(Problem(task.generation, f"Analysis failed: {exc}"))
        finally:
            self._wait_for_finisher()
            if self._finisher is not None:
                self._finisher.shutdown()
                self._finisher = None
            self._models.clear()
            if hasattr(self._live_detector, "close"):
                self._live_detector.close()          # a detector process ends with the engine
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
        if not isinstance(task, Frame):
            self._wait_for_finisher()     # events keep their order: the frame in flight first
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
        elif isinstance(task, _WhatIf):
            self._what_if(task)
        elif isinstance(task, _AnalysePhoto):
            self._run_analysis(task.image, task.generation, 0, "photo", task.requested, task.path)
        else:
            self._run_analysis(task.image, task.generation, task.frame_id, "live", task.timestamp, None)

    def _what_if(self, task: _WhatIf) -> None:
        from plq_desktop.core.plq.whatif import NothingToRepair, WhatIfError, what_if
        model = self._models.get(task.before.model)
        if model is None:
            self._emit(Problem(task.generation, f"What-if: the model {task.before.model} is no longer loaded"))
            return
        started = time.monotonic()
        try:
            sim = what_if(task.image, model, region=task.region or "auto", mask=task.mask, before=task.before,
                          face_index=task.face_index, estimator=task.before.estimator)
        except NothingToRepair as exc:
            self._emit(WhatIfNotNeeded(task.generation, f"What-if: {exc}"))
            return
        except WhatIfError as exc:
            self._emit(Problem(task.generation, f"What-if: {exc}"))
            return
        before, after = (result_overlay(r, self._raw_map, self._gamma_offset, self.palette)
                         for r in (sim.before, sim.after))
        self._emit(WhatIfDone(task.generation, task.request, task.image, sim, before, after,
                              time.monotonic() - started))

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
            chosen[name] = model
        self._gamma_offset, self._raw_map = task.gamma_offset, task.raw_map
        slots = []
        explanations = task.explanations or ("plq",) * len(task.names)
        for name, estimator, how in zip(task.names, task.estimators, explanations):
            model = chosen.get(name)
            if model is None:
                continue
            estimator = estimator or model.default_estimator
            if estimator not in model.calibration.scaling:
                failures.append(f"Cannot use estimator {estimator} with model {name}: it has no calibration for it"
                                f" (calibrated: {', '.join(sorted(model.calibration.scaling)) or 'none'})")
                continue
            slots.append((name, estimator, how))
        if slots:
            self._models, self._device = chosen, task.device
            self._order = tuple(name for name, _, _ in slots)
            self._estimators = tuple(estimator for _, estimator, _ in slots)
            self._explanations = tuple(how for _, _, how in slots)
        in_use = ", ".join(dict.fromkeys(self._order)) or "none"
        for message in failures:
            self._emit(Problem(task.generation, f"{message} (using: {in_use})"))
        self._emit_models(task.generation)

    def _explain(self, model, result: ImageResult, generation: int) -> str:
        """Attach AMVA to ``result`` ("amva"), or report why not and fall back to "plq"."""
        from plq_desktop.core.plq import amva
        try:
            if model.name not in self._amva_references:
                self._amva_references[model.name] = amva.load_reference(model)
            if result.faces and result.faces[0].amva is None:
                amva.attach_amva(result, model, self._amva_references[model.name])
            return "amva"
        except amva.AmvaUnavailable as exc:
            self._emit(Problem(generation, f"AMVA: {exc}; showing PLQ"))
            return "plq"

    def _emit_models(self, generation: int) -> None:
        slots = self._active_slots()
        device = slots[0][0].device_label if slots else "no model"
        self._emit(ModelsChanged(generation, tuple(m.name for m, _, _ in slots), device,
                                 tuple(e for _, e, _ in slots)))

    def _active_slots(self) -> list[tuple[object, str, str]]:
        """(model, estimator, explanation) of each slot in use, in the requested order."""
        return [(self._models[name], estimator, how)
                for name, estimator, how in zip(self._order, self._estimators, self._explanations)
                if name in self._models]

    def _detector(self, kind: str, generation: int) -> FaceDetector:
        if kind == "photo":
            return default_detector()
        if self._live_detector is None:
            self._live_detector = self._make_live_detector()
        if generation != self._live_generation:
            self._live_generation = generation
            if hasattr(self._live_detector, "reset"):
                self._live_detector.reset()
        return self._live_detector

    def _run_analysis(self, image: np.ndarray, generation: int, frame_id: int, kind: str,
                      captured: float, path: str | None) -> None:
        slots = self._active_slots()
        if not slots:
            self._emit(Problem(generation, "No model is loaded; choose one in the Model list"))
            return
        started = time.monotonic()
        detector = self._detector(kind, generation)
        max_faces = self.live_max_faces if kind == "live" else None
        # Live frames with the core's analysis and PLQ panes: the network now, the rest on the finisher.
        pipelined = (kind == "live" and self._finisher is not None and self._analyse is analyze
                     and all(how == "plq" for _, _, how in slots))
        photo_checks = None     # pipelined: computed in the detector's process, beside the network
        try:
            if pipelined and hasattr(detector, "detect_and_check"):
                found, photo_checks = detector.detect_and_check(image, max_faces)
            else:
                found = detector.detect(image)
        except DetectorProcessError:
            detector.close()              # the next live frame starts a new one
            self._live_detector = None
            raise
        faces = _KnownFaces(found)
        rotations = self._live_rotations(generation, bool(found)) if kind == "live" else None
        begun: dict[tuple[str, str], Callable[[], ImageResult]] = {}   # one model twice (PLQ | AMVA): once
        for model, estimator, _ in slots:
            if (model.name, estimator) in begun:
                continue
            extra = {}
            if rotations is not None:
                extra["view_rotation"] = rotations.setdefault((model.name, estimator), ViewRotation())
            if pipelined:
                begun[model.name, estimator] = begin_analysis(image, model, detector=faces, max_faces=max_faces,
                                                              path=path, estimator=estimator,
                                                              defer_estimator=self.defer_views,
                                                              beside_network=self._finisher,
                                                              photo_checks=photo_checks,
                                                              **extra)
            else:
                result = self._analyse(image, model, detector=faces, max_faces=max_faces, path=path,
                                       estimator=estimator, **extra)
                begun[model.name, estimator] = lambda result=result: result
        args = (image, generation, frame_id, kind, captured, started, slots, begun)
        if not pipelined:
            self._finish(*args)
            return
        self._wait_for_finisher()         # at most one frame waits for its checks
        self._pending = self._finisher.submit(self._finish_reporting, *args)

    def _live_rotations(self, generation: int, face_found: bool) -> dict | None:
        """The view rotations of the live stream; a new stream or a frame without a face starts them afresh."""
        if not self.rotate_views:
            return None
        if generation != self._rotation_generation:
            self._rotations.clear()
            self._rotation_generation = generation
        if not face_found:
            self._wait_for_finisher()     # with deferred views the finisher may be using a rotation
            for rotation in self._rotations.values():
                rotation.reset()
        return self._rotations

    def _wait_for_finisher(self) -> None:
        if self._pending is not None:
            self._pending.result()
            self._pending = None

    def _finish_reporting(self, image, generation, *rest) -> None:
        try:
            self._finish(image, generation, *rest)
        except Exception as exc:
            log.exception("analysis failed")
            self._emit(Problem(generation, f"Analysis failed: {exc}"))

    def _finish(self, image: np.ndarray, generation: int, frame_id: int, kind: str, captured: float,
                started: float, slots, begun: dict) -> None:
        """Maps, checks, overlays and the Analysis event (on the finisher thread for pipelined live frames)."""
        done = {key: finish() for key, finish in begun.items()}
        results = tuple(done[model.name, estimator] for model, estimator, _ in slots)
        explanations = tuple(self._explain(model, result, generation) if how == "amva" else "plq"
                             for (model, _, how), result in zip(slots, results))
        palette = self.palette
        overlays = tuple(None if not r.faces else
                         amva_overlay(r.amva_map, self._amva_references[m.name].meta.get("display_max", 1.0))
                         if how == "amva" else result_overlay(r, self._raw_map, self._gamma_offset, palette)
                         for (m, _, _), r, how in zip(slots, results, explanations))
        difference = None
        if len(results) == 2 and results[0].faces and explanations == ("plq", "plq"):
            shown = [regamma(r.map(self._raw_map), self._gamma_offset) for r in results]
            difference = difference_overlay(shown[0], shown[1])
        regions = tuple(tuple(weakest_regions(face) for face in r.faces) for r in results)
        finished = time.monotonic()
        self._emit(Analysis(generation, frame_id, kind, image, results, overlays, difference, regions,
                            captured, finished, finished - started, explanations))
        for model, _, _ in slots:
            message = model.fallback_message
            if message and message not in self._fallbacks_reported:
                self._fallbacks_reported.add(message)
                self._emit(Notice(message))
                self._emit_models(generation)
