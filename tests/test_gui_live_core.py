"""The live pipeline behind the GUI, without Qt: mailbox, frame sources, analysis engine."""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np
import pytest

from plq_desktop.core.analysis import analyze
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.render import colourize_difference
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.live.demo_video import write_demo_video
from plq_desktop.core.live.engine import (
    Analysis,
    AnalysisEngine,
    ModelsChanged,
    PhotoOpened,
    Problem,
    WhatIfDone,
)
from plq_desktop.core.live.mailbox import Frame, Mailbox
from plq_desktop.core.live.overlay import (
    difference_overlay,
    map_overlay,
    weakest_regions,
)
from plq_desktop.core.live.sources import (
    ImageFolderSource,
    SourceError,
    SourceReader,
    VideoFileSource,
)
from plq_desktop.core.zoo.registry import calibration_for


@pytest.fixture(scope="module")
def portrait():
    return load_image(sample_path("grace_hopper"))


class EngineRun:
    """An engine (loading models from the registry) on a thread of its own, its events collected."""

    def __init__(self, **options):
        self.events = []
        self._cond = threading.Condition()
        self.engine = AnalysisEngine(self._collect, torch_threads=2, **options)
        self.thread = threading.Thread(target=self.engine.run, name="test engine")
        self.thread.start()

    def _collect(self, event):
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait_for(self, predicate, timeout=60.0):
        with self._cond:
            assert self._cond.wait_for(lambda: any(predicate(e) for e in self.events), timeout), self.events
            return next(e for e in self.events if predicate(e))

    def stop(self):
        self.engine.stop()
        self.thread.join(10)
        assert not self.thread.is_alive()


@pytest.fixture
def engine_run(_private_cache):
    runs = []

    def start(**options):
        run = EngineRun(**options)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.stop()


# -- mailbox ---------------------------------------------------------------------

def test_mailbox_keeps_only_the_newest_item_and_counts_drops():
    box = Mailbox()
    assert box.put(1) is False
    assert box.put(2) is True
    assert box.put(3) is True
    assert box.take_nowait() == 3
    assert box.take_nowait() is None
    assert (box.posted, box.dropped) == (3, 2)
    box.put(4)
    box.discard()
    assert box.take_nowait() is None and box.dropped == 3


def test_mailbox_wakes_its_owner_and_ignores_puts_once_closed():
    cond = threading.Condition()
    box = Mailbox(cond)
    got = []

    def owner():     # waits as the engine does: take what is there, else sleep until notified
        with cond:
            while not got:
                item = box.take_nowait()
                if item is None:
                    cond.wait(30)
                else:
                    got.append(item)

    thread = threading.Thread(target=owner)
    thread.start()
    box.put("frame")
    thread.join(5)
    assert got == ["frame"] and not thread.is_alive()
    box.close()
    assert box.put("late") is False and box.take_nowait() is None


# -- sources -----------------------------------------------------------------------

def test_video_file_source_decodes_loops_and_reports_its_rate(tmp_path, portrait):
    path = write_demo_video(tmp_path / "clip.mp4", portrait, frames=12, fps=24.0, size=(320, 240))
    source = VideoFileSource(path)
    source.open()
    try:
        frames = [source.read() for _ in range(30)]    # more than the file holds: it loops
    finally:
        source.close()
    assert source.fps == pytest.approx(24.0)
    assert all(f is not None and f.shape == (240, 320, 3) and f.dtype == np.uint8 for f in frames)
    assert np.abs(frames[0].astype(int) - frames[12].astype(int)).mean() < 3   # frame 12 is frame 0 again


def test_missing_or_broken_video_raises_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        VideoFileSource(tmp_path / "nothing.mp4").open()
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video at all" * 100)
    with pytest.raises(SourceError, match="Cannot play"):
        VideoFileSource(broken).open()


def test_folder_source_plays_readable_images_and_lists_the_others(tmp_path, portrait):
    import cv2
    cv2.imwrite(str(tmp_path / "a.png"), cv2.cvtColor(portrait, cv2.COLOR_RGB2BGR))
    cv2.imwrite(str(tmp_path / "c.jpg"), cv2.cvtColor(portrait[:200], cv2.COLOR_RGB2BGR))
    (tmp_path / "b.jpg").write_bytes(b"\xff\xd8 truncated")
    (tmp_path / "notes.txt").write_text("not an image")
    frames, ended = [], threading.Event()
    reader = SourceReader(ImageFolderSource(tmp_path, fps=200, loop=False), frames.append, on_end=ended.set)
    reader.start()
    assert ended.wait(10)
    reader.stop()
    assert [f.frame_id for f in frames] == [1, 2]
    assert frames[0].image.shape == portrait.shape and frames[1].image.shape == (200, *portrait.shape[1:])
    assert len(reader.source.skipped) == 1 and "b.jpg" in reader.source.skipped[0]


def test_reader_reports_a_camera_that_stops_and_ends_its_thread(portrait):
    class FlakyCamera(VideoFileSource):
        live = True

        def __init__(self):
            self.name, self.count = "flaky", 0

        def open(self):
            pass

        def read(self):
            self.count += 1
            if self.count > 3:
                raise SourceError("Camera lost: flaky stopped delivering frames")
            return portrait

        def close(self):
            pass

    frames, errors = [], []
    done = threading.Event()
    reader = SourceReader(FlakyCamera(), frames.append, lambda m: (errors.append(m), done.set()))
    reader.start()
    assert done.wait(10)
    reader.stop()
    assert len(frames) == 3 and errors == ["Camera lost: flaky stopped delivering frames"]
    assert not reader.running


# -- overlays and regions --------------------------------------------------------------

def test_overlays_cover_only_the_analysed_area():
    plq = np.full((50, 60), np.nan, np.float32)
    plq[10:20, 30:45] = 0.0
    plq[15, 40] = 1.0
    overlay = map_overlay(plq)
    assert (overlay.x, overlay.y, overlay.rgba.shape) == (30, 10, (10, 15, 4))
    assert (overlay.rgba[..., 3] == 255).all()
    red, green = overlay.rgba[0, 0, :3], overlay.rgba[5, 10, :3]
    assert red[0] > red[1] and green[1] > green[0]
    assert map_overlay(np.full((5, 5), np.nan, np.float32)) is None

    other = np.full_like(plq, np.nan)
    other[10:20, 30:38] = 0.5
    diff = difference_overlay(plq, other)          # defined where both maps are
    assert (diff.x, diff.y, diff.rgba.shape[:2]) == (30, 10, (10, 8))
    purple = diff.rgba[0, 0, :3]                   # right (0.5) above left (0.0): purple
    assert purple[2] > purple[1]


def test_weakest_regions_are_face_regions_sorted_by_mean_quality(dlib_model, portrait):
    face = analyze(portrait, dlib_model).faces[0]
    regions = weakest_regions(face, count=3)
    assert len(regions) == 3
    assert [r.value for r in regions] == sorted(r.value for r in regions)
    for r in regions:
        info = r.to_dict()
        assert set(info) >= {"region", "check", "value", "threshold", "severity", "message", "polygon"}
        xs, ys = r.polygon[:, 0], r.polygon[:, 1]
        x0, y0, x1, y1 = face.box
        # Inside the head, roughly: within a face width of the box.
        assert (xs > x0 - (x1 - x0)).all() and (xs < x1 + (x1 - x0)).all() and (ys > y0 - (y1 - y0)).all()


# -- engine ------------------------------------------------------------------------

def test_engine_opens_and_analyses_a_photo(engine_run, dlib_model, portrait):
    run = engine_run()
    run.engine.set_models(["dlib-resnet"], "cpu")
    generation = run.engine.open_photo(sample_path("grace_hopper"))
    models = run.wait_for(lambda e: isinstance(e, ModelsChanged))
    assert models.names == ("dlib-resnet",) and models.device == "CPU"
    opened = run.wait_for(lambda e: isinstance(e, PhotoOpened))
    analysis = run.wait_for(lambda e: isinstance(e, Analysis))
    assert opened.generation == analysis.generation == generation
    assert analysis.kind == "photo" and analysis.frame_id == 0
    face = analysis.results[0].faces[0]
    # The engine's photo analysis is the core's: the same face quality as analyze() on the same photo.
    assert face.quality == pytest.approx(analyze(portrait, dlib_model).faces[0].quality, abs=1e-4)
    assert analysis.overlays[0] is not None and analysis.difference is None
    assert len(analysis.regions[0][0]) == 3
    assert analysis.latency_s >= analysis.compute_s > 0


def test_engine_runs_a_what_if_on_its_own_thread_without_a_new_generation(engine_run, portrait):
    """The what-if of the photo on screen: the core's inpainting with the shown result's model and estimator."""
    run = engine_run()
    run.engine.set_models(["dlib-resnet"], "cpu", estimators=["robustness"])
    generation = run.engine.analyse_photo(portrait, "grace.jpg")
    analysis = run.wait_for(lambda e: isinstance(e, Analysis))
    before = analysis.results[0]
    mask = np.zeros(portrait.shape[:2], bool)
    mask[10:30, 10:30] = True             # the background corner: nothing of the face changes much
    request = run.engine.request_what_if(portrait, before, mask=mask)
    done = run.wait_for(lambda e: isinstance(e, WhatIfDone))
    assert run.engine.generation == generation == done.generation and done.request == request
    sim = done.simulation
    assert sim.region == "brush" and (sim.mask == mask).all() and sim.before is before
    assert sim.after.estimator == "robustness" and done.before is not None and done.after is not None
    assert (sim.simulated[mask] != portrait[mask]).any() and (sim.simulated[~mask] == portrait[~mask]).all()
    # An empty mask or an unknown region: a one-line problem, no result.
    run.engine.request_what_if(portrait, before, mask=np.zeros_like(mask))
    problem = run.wait_for(lambda e: isinstance(e, Problem))
    assert problem.message.startswith("What-if: ") and "\n" not in problem.message
    second = run.engine.request_what_if(portrait, before, region="nose")
    assert run.wait_for(lambda e: isinstance(e, WhatIfDone) and e.request == second).simulation.region == "nose"


def test_engine_reports_unreadable_files_and_models_it_cannot_load(tmp_path, engine_run):
    run = engine_run()
    run.engine.set_models(["dlib-resnet"], "cpu")
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(b"this is not a jpeg")
    run.engine.open_photo(bad)
    unreadable = run.wait_for(lambda e: isinstance(e, Problem))
    assert unreadable.message.startswith("Cannot load") and "photo.jpg" in unreadable.message
    generation = run.engine.set_models(["no-such-model"], "cpu")
    missing = run.wait_for(lambda e: isinstance(e, Problem) and e.generation == generation)
    assert "Cannot load model no-such-model" in missing.message and "(using: dlib-resnet)" in missing.message
    # Nothing new loaded: the models in use stay in use.
    in_use = run.wait_for(lambda e: isinstance(e, ModelsChanged) and e.generation == generation)
    assert in_use.names == ("dlib-resnet",)
    # Side by side with a model that cannot load: the one that loads is used alone.
    generation = run.engine.set_models(["no-such-model", "dlib-resnet"], "cpu")
    assert run.wait_for(lambda e: isinstance(e, ModelsChanged) and e.generation == generation).names == (
        "dlib-resnet",)
    assert not any(isinstance(e, (PhotoOpened, Analysis)) for e in run.events)


def test_engine_analyses_the_newest_frame_and_drops_the_rest(engine_run, portrait):
    started, release = threading.Event(), threading.Event()
    seen = []

    def gated(image, model, **kwargs):
        seen.append(int(image[0, 0, 0]))
        started.set()
        release.wait(30)
        return analyze(image, model, **kwargs)

    run = engine_run(analyse=gated)
    run.engine.set_models(["dlib-resnet"], "cpu")

    def frame(i):
        image = portrait.copy()
        image[0, 0, 0] = i
        return Frame(image=image, frame_id=i, timestamp=time.monotonic())

    run.engine.post_frame(frame(1))
    assert started.wait(30)                # frame 1 is being analysed; 2..9 arrive meanwhile
    for i in range(2, 10):
        run.engine.post_frame(frame(i))
    release.set()
    second = run.wait_for(lambda e: isinstance(e, Analysis) and e.frame_id != 1)
    assert seen == [1, 9] and second.frame_id == 9
    assert run.engine.mailbox.dropped == 7
    assert second.kind == "live" and len(second.results[0].faces) == 1


def test_engine_side_by_side_shares_one_frame_and_its_detections(engine_run, portrait):
    """One model, two estimators: the same frame and face, two different maps and their difference."""
    run = engine_run()
    run.engine.set_models(["dlib-resnet", "dlib-resnet"], "cpu", gamma_offset=0.5,
                          estimators=["robustness", "serfiq"])
    models = run.wait_for(lambda e: isinstance(e, ModelsChanged))
    assert models.names == ("dlib-resnet", "dlib-resnet") and models.estimators == ("robustness", "serfiq")
    run.engine.post_frame(Frame(image=portrait, frame_id=7, timestamp=time.monotonic()))
    analysis = run.wait_for(lambda e: isinstance(e, Analysis))
    a, b = analysis.results
    assert (a.estimator, b.estimator) == ("robustness", "serfiq")
    assert analysis.frame_id == 7 and a.faces[0].box == b.faces[0].box      # one detection for both
    qa, qb = a.faces[0].quality, b.faces[0].quality
    assert qa != pytest.approx(qb, abs=1e-3)
    # Q_hat enters the node as a constant factor (Eq. 3), so each estimator's gradient is the other's
    # scaled by the ratio of their qualities (below the clip): the maps really come from two estimators.
    ga, gb = a.faces[0].chip_gradient, b.faces[0].chip_gradient
    clip = calibration_for("dlib-resnet").grad_clip or np.inf
    usable = np.isfinite(ga) & np.isfinite(gb) & (ga > 1e-9) & (ga < clip) & (gb < clip)
    assert usable.sum() > 1000
    assert np.median(gb[usable] / ga[usable]) == pytest.approx(qb / qa, rel=0.02)
    both = np.isfinite(a.plq_map) & np.isfinite(b.plq_map)
    assert both.sum() > 1000 and np.abs(a.plq_map[both] - b.plq_map[both]).max() > 0
    # The difference view is the right map minus the left, where both are defined: not blank.
    diff = analysis.difference
    assert diff is not None and len(analysis.overlays) == 2
    zero = colourize_difference(np.zeros(1, np.float32))[0].astype(int)       # the colour of "no difference"
    away = np.abs(diff.rgba[..., :3].astype(int) - zero).sum(axis=-1) > 0
    assert away.mean() > 0.01, away.mean()
    # The display gamma changes the overlay's colours only, never the model's calibration (the checks').
    model = run.engine._models["dlib-resnet"]
    assert model.calibration.gamma == pytest.approx(calibration_for("dlib-resnet").gamma)


def test_engine_refuses_an_estimator_the_model_has_no_calibration_for(engine_run):
    run = engine_run()
    generation = run.engine.set_models(["dlib-resnet"], "cpu", estimators=["no-such-estimator"])
    problem = run.wait_for(lambda e: isinstance(e, Problem) and e.generation == generation)
    assert problem.message.startswith("Cannot use estimator no-such-estimator with model dlib-resnet")


def test_engine_stops_while_idle(engine_run):
    """The idle engine waits without a timeout: only stop()'s wake-up can end its thread."""
    run = engine_run()
    run.engine.stop()
    run.thread.join(60)
    assert not run.thread.is_alive()


@pytest.mark.parametrize("where", ["this process", "detector process"])
def test_pipelined_engine_gives_what_analyze_gives_in_order(engine_run, tmp_path, portrait, where):
    """Live frames finish on a second thread while the next one goes through the network, their photo
    checks beside it (on that thread, or in the detector's process): each result must still be
    analyze()'s, in order."""
    from functools import partial

    from plq_desktop.core.face.detection import DlibHogDetector
    from plq_desktop.core.live.detector_process import DetectorProcess

    make = {"this process": lambda: DlibHogDetector(upsample=0),
            "detector process": lambda: DetectorProcess(partial(DlibHogDetector, upsample=0))}[where]
    run = engine_run(live_detector=make, pipeline=True, rotate_views=False)
    run.engine.set_models(["dlib-resnet"], "cpu")
    run.wait_for(lambda e: isinstance(e, ModelsChanged))
    source = VideoFileSource(write_demo_video(tmp_path / "demo.mp4", portrait, frames=24), loop=False)
    source.open()
    frames = []
    while (f := source.read()) is not None:
        frames.append(f)
    frames = frames[::6]
    source.close()
    run.engine.post_frame(Frame(image=frames[0], frame_id=0, timestamp=time.monotonic()))
    run.wait_for(lambda e: isinstance(e, Analysis))          # warm: detector made, first pass done
    for i, image in enumerate(frames[1:], 1):
        run.engine.post_frame(Frame(image=image, frame_id=i, timestamp=time.monotonic()))
        time.sleep(0.03)          # the next frame arrives while this one is being finished
    run.wait_for(lambda e: isinstance(e, Analysis) and e.frame_id == len(frames) - 1)
    run.engine.post_frame(Frame(image=frames[0], frame_id=len(frames), timestamp=time.monotonic()))
    time.sleep(0.02)              # taken: the models change while it is in flight
    generation = run.engine.set_models(["dlib-resnet"], "cpu")
    run.wait_for(lambda e: isinstance(e, ModelsChanged) and e.generation == generation)
    # Every analysis of the first generation came before the models changed.
    order = [e for e in run.events if isinstance(e, (Analysis, ModelsChanged))]
    cut = next(i for i, e in enumerate(order) if isinstance(e, ModelsChanged) and e.generation == generation)
    analysed = [e for e in order[:cut] if isinstance(e, Analysis)]
    assert len(analysed) >= 2 and [a.frame_id for a in analysed] == sorted({a.frame_id for a in analysed})
    assert all(isinstance(e, ModelsChanged) for e in order[cut:])
    model = run.engine._models["dlib-resnet"]
    for a in analysed:
        (got,) = a.results[0].faces
        # The reference: analyze() on one thread, as the photo view runs it.
        (want,) = analyze(frames[a.frame_id % len(frames)], model, detector=DlibHogDetector(upsample=0),
                          max_faces=1).faces
        # Equal up to float rounding: the engine's threads sum in another order, and matchability's
        # covered-eyes term, log(1 - cos), magnifies the last bits (1.1e-6 seen in CI).
        assert got.quality == pytest.approx(want.quality, abs=1e-5)
        np.testing.assert_allclose(got.chip_gradient, want.chip_gradient, rtol=1e-4, atol=1e-9)
        assert np.array_equal(np.isnan(got.plq_map), np.isnan(want.plq_map))
        assert [h.message for h in got.hints] == [h.message for h in want.hints]
        assert [(c.name, c.region, c.status) for c in got.checks] == [(c.name, c.region, c.status) for c in want.checks]
        # The map's checks read a map equal up to float rounding (the estimator's view beside the backward pass).
        assert [c.value is None for c in got.checks] == [c.value is None for c in want.checks]
        assert [c.value for c in got.checks if c.value is not None] == \
               pytest.approx([c.value for c in want.checks if c.value is not None], rel=1e-5, abs=1e-5)
        assert a.overlays[0] is not None and a.latency_s > 0


def test_live_detection_runs_in_a_child_process_that_the_engine_replaces_and_ends(engine_run, portrait, tmp_path):
    """The default live detector runs in a process of its own (dlib keeps the interpreter lock while it
    scans); killed, it costs one frame (a Problem) and the next frame starts a new one; it ends with the engine."""
    from plq_desktop.core.live.detector_process import DetectorProcess

    run = engine_run()
    run.engine.set_models(["dlib-resnet"], "cpu")
    run.wait_for(lambda e: isinstance(e, ModelsChanged))
    source = VideoFileSource(write_demo_video(tmp_path / "demo.mp4", portrait, frames=3), loop=False)
    source.open()
    frame = source.read()
    source.close()

    def analysed(frame_id):
        run.engine.post_frame(Frame(image=frame, frame_id=frame_id, timestamp=time.monotonic()))
        return run.wait_for(lambda e: isinstance(e, (Analysis, Problem)) and getattr(e, "frame_id", frame_id) == frame_id
                            and e not in seen)

    seen = []
    first = analysed(1)
    seen.append(first)
    assert isinstance(first, Analysis) and len(first.results[0].faces) == 1
    detector = run.engine._live_detector
    assert isinstance(detector, DetectorProcess)
    child = detector._process
    assert child.is_alive()
    child.kill()
    child.join(10)
    lost = analysed(2)
    seen.append(lost)
    assert isinstance(lost, Problem) and "detector" in lost.message
    again = analysed(3)
    assert isinstance(again, Analysis) and len(again.results[0].faces) == 1
    replacement = run.engine._live_detector._process
    assert replacement is not child and replacement.is_alive()
    run.stop()
    assert not replacement.is_alive()


def test_a_faces_overlay_from_its_chip_shows_its_photo_maps_colours(portrait, dlib_model):
    """The live view colours a face's map on the chip and resamples the colours onto the frame instead of
    warping the map first: the same colours where the photo map is defined, to within interpolation."""
    from plq_desktop.core.live.overlay import face_overlay, map_overlay, result_overlay
    from plq_desktop.core.plq.display import regamma

    result = analyze(portrait, dlib_model)
    (face,) = result.faces
    for offset in (0.0, 0.5):
        new, old = face_overlay(face, offset), map_overlay(regamma(face.plq_map, offset))
        assert new.premultiplied and not old.premultiplied

        def on_photo(overlay):
            canvas = np.zeros((result.height, result.width, 4), float)
            h, w = overlay.rgba.shape[:2]
            canvas[overlay.y:overlay.y + h, overlay.x:overlay.x + w] = overlay.rgba
            return canvas

        a, b = on_photo(old), on_photo(new)
        opaque_a, opaque_b = a[..., 3] == 255, b[..., 3] == 255
        assert (opaque_a & opaque_b).sum() / (opaque_a | opaque_b).sum() > 0.98
        difference = np.abs(a[opaque_a & opaque_b, :3] - b[opaque_a & opaque_b, :3])
        assert difference.mean() < 2 and np.percentile(difference, 99) < 12
        # Beyond the soft edge (a chip pixel: two photo pixels here), nothing where the photo map is undefined.
        assert (b[..., 3][cv2.dilate((a[..., 3] > 0).astype(np.uint8), np.ones((5, 5))) == 0] == 0).all()
    assert result_overlay(result).premultiplied and not result_overlay(result, raw=True).premultiplied


def test_a_face_that_leaves_gives_a_frame_without_a_face_not_a_problem(engine_run, portrait, tmp_path):
    """The person steps away from the camera: the frame shows no face (the tracker's window scan finds
    none, the full scan neither), not a problem, and so does the next."""
    run = engine_run()
    run.engine.set_models(["dlib-resnet"], "cpu")
    run.wait_for(lambda e: isinstance(e, ModelsChanged))
    source = VideoFileSource(write_demo_video(tmp_path / "demo.mp4", portrait, frames=3), loop=False)
    source.open()
    frames = [source.read() for _ in range(3)]
    source.close()
    wall = np.full_like(frames[0], 120)
    seen = []
    for frame_id, image in enumerate(frames + [wall, wall], 1):
        run.engine.post_frame(Frame(image=image, frame_id=frame_id, timestamp=time.monotonic()))
        event = run.wait_for(lambda e: isinstance(e, (Analysis, Problem)) and e not in seen
                             and getattr(e, "frame_id", frame_id) == frame_id)
        seen.append(event)
    assert all(isinstance(e, Analysis) for e in seen), [getattr(e, "message", "") for e in seen]
    assert [len(e.results[0].faces) for e in seen] == [1, 1, 1, 0, 0]
    assert seen[3].overlays == (None,)
    run.stop()
