"""Live path speed at 640 x 480 with one face: per-stage timings, and the real window playing a video.

``python benchmarks/bench_live.py [--seconds 20] [--frames 60] [--threads N]``

1. Stages: the frames of the demo video (made from a real portrait) go one
   after the other through what the live engine runs for a frame - decoding,
   the tracking detector, alignment, the network's forward pass, the
   estimator's two extra views (in sequence; the engine computes one per
   frame, see ``ViewRotation``), the backward pass, the maps on the chip, the
   photo checks, the map's checks, the overlay - each timed on its own
   (``--threads`` torch threads, default the engine's: one on two cores).
   Then the engine's shares: detection and the photo checks (the detector's
   process), the network (the engine thread), one view, maps, map checks and
   overlay (the finisher thread, the view beside the backward pass), and a
   frame's chain from detection to overlay.
2. Window: the application's window (offscreen) plays the demo video at its
   30 fps for ``--seconds`` after a warm-up, with the engine's settings.
   Reported: analysed frames per second, capture-to-result latency (median
   and 95th percentile, from the frame's capture to the result's arrival at
   the window) and frames painted per second. ``--engine sequential`` turns
   the engine's pipeline off, ``--engine all-views`` turns the view
   rotation off, ``--engine views-on-engine`` computes the estimator's view
   on the engine thread instead of the finisher, for comparison.
3. ``--agreement``: the live quality (one estimator view per frame, see
   ``ViewRotation``) against the full estimator on eight real faces.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
import torch

from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.live.demo_video import write_demo_video


def load() -> str:
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


def pct(values, q) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


# -- 1. per stage --------------------------------------------------------------------------------

def stages(video_path: Path, frames: int) -> None:
    from concurrent.futures import Future

    from plq_desktop.core.analysis import FaceResult, pending_hints, prepare
    from plq_desktop.core.icao.hints import photo_checks
    from plq_desktop.core.live.engine import _KnownFaces
    from plq_desktop.core.live.overlay import result_overlay, weakest_regions
    from plq_desktop.core.live.sources import VideoFileSource
    from plq_desktop.core.live.tracking import TrackingDetector
    from plq_desktop.core.plq import display
    from plq_desktop.core.plq.estimators import scale_quality
    from plq_desktop.core.zoo.registry import load_model

    torch.set_grad_enabled(False)
    model = load_model("dlib-resnet", device="cpu")
    net, est = model.net, model.check_estimator(None)
    alpha, r = model.calibration.alpha_r(est.name)
    detector = TrackingDetector()
    source = VideoFileSource(video_path, loop=False)
    source.open()
    times: dict[str, list[float]] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        times.setdefault(name, []).append(1000 * (now - since))
        return now

    for index in range(frames):
        t0 = t = time.perf_counter()
        image = source.read()
        if image is None:
            break
        t = lap("decode + colour conversion (reader thread)", t)
        t_engine = t
        detections = detector.detect(image)
        t = lap("detection / tracking + landmarks", t)
        prep = prepare(image, model, _KnownFaces(detections), None, 1, None)
        if not prep.detections:
            continue
        t = lap("alignment (chip warp)", t)
        x = model._chip_tensor(prep.chips).requires_grad_(True)
        with torch.enable_grad():
            e = net.head(net.features(x))
            t = lap("forward pass (with graph)", t)
            inputs = x.detach(), None, e.detach()
            raw = est.raw_quality(net, *inputs, None)
            t = lap("estimator views, in sequence", t)
            view = est.views[index % len(est.views)] if getattr(est, "views", None) else None
            if view is not None:
                net(view.apply(inputs[0]))
                t = lap("one view (what ViewRotation computes), in sequence", t)
            weights = (1 / e.abs().sum(dim=1)).unsqueeze(1) * torch.sign(e)
            unit = (weights.detach() * e).sum(dim=1)
            (grad,) = torch.autograd.grad(unit.sum(), x)
            t = lap("backward pass", t)
        q_hat = scale_quality(raw, alpha, r)
        grad = grad * q_hat.view(-1, 1, 1, 1)
        merged = model.merged_gradient(grad)
        raw_map = model.unread_border_nan(model.pixel_quality(grad)).numpy()
        t = lap("S and P on the chip", t)
        t_finish = t
        result, a, det = prep.result, prep.alignments[0], prep.detections[0]
        readable = display.pixel_quality(merged[0].numpy(), model.calibration.gamma)
        readable[np.isnan(raw_map[0])] = np.nan
        result.faces.append(FaceResult(
            box=det.box, score=det.score, landmarks=det.landmarks68, landmarks5=det.landmarks5,
            quality=float(q_hat[0]), raw_quality=float(raw[0]), chip=prep.chips[0], chip_plq=readable,
            chip_gradient=merged[0].numpy(), image_size=image.shape[:2], alignment=a,
            chip_plq_raw=raw_map[0]))
        t = lap("readable map", t)
        hints = pending_hints(prep, model)
        done = Future()
        done.set_result(photo_checks(image, prep.found[:1]))
        t_checks = lap("photo checks (detector process, beside the network)", t)
        hints.use(done)
        hints.complete(result)
        t = lap("map checks + hints", t_checks)
        result_overlay(result)
        weakest_regions(result.faces[0])
        t = lap("overlay (from the chip) + weakest regions", t)
        # What the pipelined engine does per frame (one view, not both), and where: detection and the
        # photo checks in the detector's process, the network on the engine thread, the one view beside
        # the backward pass and the rest (maps, map checks, overlay) on the finisher thread.
        last = {name: values[-1] for name, values in times.items()}
        view = last.get("one view (what ViewRotation computes), in sequence", 0.0)
        detection = last["detection / tracking + landmarks"]
        checks = last["photo checks (detector process, beside the network)"]
        network = (1000 * (t_finish - t_engine) - last["estimator views, in sequence"] - view - detection)
        finishing = 1000 * (t - t_finish) - checks
        backward = last["backward pass"]
        times.setdefault("detector process: detection + photo checks", []).append(detection + checks)
        times.setdefault("engine thread: alignment, forward, backward, S, P", []).append(network)
        times.setdefault("finisher thread: one view, maps, map checks, overlay", []).append(view + finishing)
        # The photo checks start with the forward pass: they wait only if longer than the network.
        times.setdefault("a frame's chain: detection, forward, the longest of backward, view, photo checks, "
                         "finishing", []).append(detection + max(network - backward + max(backward, view), checks)
                                                 + finishing)
        times.setdefault("all stages, one after the other", []).append(1000 * (t - t0))
    source.close()
    print(f"\nPer stage, ms per frame, median of {len(next(iter(times.values()))) - 3} frames "
          f"({torch.get_num_threads()} torch thread(s)):")
    for name, values in times.items():
        values = values[3:]     # warm-up
        print(f"  {name:45s} {statistics.median(values):6.1f}   (p95 {pct(values, 95):6.1f})")


# -- 3. agreement of the live quality (one view per frame) with the full estimator ---------------

def real_portraits() -> dict[str, np.ndarray]:
    """grace_hopper, astronaut and the six faces of t1.jpg (each cut out with room around it, enlarged 2x)."""
    from plq_desktop.core.face.detectors import default_detector

    portraits = {name: load_image(sample_path(name)) for name in ("grace_hopper", "astronaut")}
    group = load_image(sample_path("t1"))
    for i, det in enumerate(default_detector().detect(group)[:6]):
        x0, y0, x1, y1 = det.box
        side, cx, cy = max(x1 - x0, y1 - y0), (x0 + x1) / 2, (y0 + y1) / 2
        crop = group[int(max(0, cy - 1.1 * side)):int(cy + 1.3 * side), int(max(0, cx - 1.2 * side)):int(cx + 1.2 * side)]
        portraits[f"t1#{i + 1}"] = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    return portraits


def agreement(estimator: str | None, tmp: Path) -> None:
    """Per real face, a 3 s demo video analysed on every third frame (about the live rate): the full
    estimator's quality against the live one (ViewRotation), per frame and as the gauge's 1 s median."""
    from plq_desktop.core.analysis import prepare
    from plq_desktop.core.live.engine import _KnownFaces
    from plq_desktop.core.live.sources import VideoFileSource
    from plq_desktop.core.live.tracking import TrackingDetector
    from plq_desktop.core.plq.estimators import ViewRotation
    from plq_desktop.core.zoo.registry import load_model

    torch.set_grad_enabled(False)
    model = load_model("dlib-resnet", device="cpu")
    print(f"\nLive quality (one view per frame) against the full {estimator or model.default_estimator} estimator:")
    every_frame, every_second, views, analysed = [], [], 0, 0
    for name, photo in real_portraits().items():
        source = VideoFileSource(write_demo_video(tmp / f"{name}.mp4", photo, frames=90), loop=False)
        source.open()
        detector, rotation, full, live, index = TrackingDetector(), ViewRotation(), [], [], 0
        while (frame := source.read()) is not None:
            index += 1
            if index % 3:
                continue
            prep = prepare(frame, model, _KnownFaces(detector.detect(frame)), max_faces=1)
            if not prep.detections:
                rotation.reset()
                continue
            full.append(model.quality(prep.chips, estimator=estimator)[0][0])
            live.append(model.plq(prep.chips, estimator=estimator, view_rotation=rotation).quality[0])
        source.close()
        full, live = np.array(full), np.array(live)
        diff = np.abs(full - live)
        seconds = [abs(np.median(full[i:i + 10]) - np.median(live[i:i + 10])) for i in range(len(full) - 9)]
        every_frame += list(diff)
        every_second += seconds
        views, analysed = views + rotation.computed, analysed + len(full)
        print(f"  {name:13s} {len(full)} frames, quality {full.min():.3f}-{full.max():.3f}: per frame |difference| "
              f"median {np.median(diff):.4f}, max {diff.max():.4f}; 1 s median's max {max(seconds):.4f}")
    print(f"  all: per frame median {np.median(every_frame):.4f}, p95 {pct(every_frame, 95):.4f}, "
          f"max {max(every_frame):.4f}; 1 s median's max {max(every_second):.4f}; "
          f"{views / analysed:.2f} views computed per frame (2 without the rotation)")


# -- 2. the window -------------------------------------------------------------------------------

def window_run(video_path: Path, seconds: float, warmup_s: float, engine: str) -> dict:
    from PySide6.QtCore import QSettings, QTimer

    from plq_desktop.gui import qt_env

    app = qt_env.create_application([sys.argv[0]])
    from plq_desktop.gui.settings import Settings
    from plq_desktop.gui.window import MainWindow

    scratch = tempfile.TemporaryDirectory(prefix="plq-bench-")
    settings = Settings(QSettings(str(Path(scratch.name) / "settings.ini"), QSettings.Format.IniFormat))
    options = {"default": None, "sequential": {"pipeline": False}, "all-views": {"rotate_views": False},
               "views-on-engine": {"defer_views": False}}[engine]
    window = MainWindow(settings, engine_options=options)
    window.resize(1100, 700)
    window.show()
    results: list[tuple[float, float, float, float, float]] = []  # arrival, latency, waiting, engine, delivery
    # Latency from the frame's capture to the result on screen (resultShown), not just to the engine's emit:
    # the frame's wait for the engine, the engine's work (both threads), the way to the window.
    def shown(a):
        if a.kind == "live":
            now = time.monotonic()
            started = a.finished - a.compute_s
            results.append((now, now - a.captured, started - a.captured, a.compute_s, now - a.finished))

    window.resultShown.connect(shown)
    marks: dict[str, tuple[float, int, int]] = {}

    def mark(name):
        marks[name] = (time.monotonic(), window.frames_shown, len(results))
        if name == "end":
            app.quit()

    window.play_video(video_path)
    QTimer.singleShot(int(1000 * warmup_s), lambda: mark("start"))
    QTimer.singleShot(int(1000 * (warmup_s + seconds)), lambda: mark("end"))
    app.exec()
    window.shutdown()
    window.close()
    (t0, painted0, r0), (t1, painted1, r1) = marks["start"], marks["end"]
    measured = results[r0:r1]
    latencies = [1000 * r[1] for r in measured]
    span = t1 - t0
    return {"analysed_fps": len(measured) / span, "latency_median_ms": pct(latencies, 50),
            "latency_p95_ms": pct(latencies, 95), "painted_fps": (painted1 - painted0) / span,
            "results": len(measured), "waiting_ms": pct([1000 * r[2] for r in measured], 50),
            "engine_ms": pct([1000 * r[3] for r in measured], 50),
            "delivery_ms": pct([1000 * r[4] for r in measured], 50)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60, help="frames for the per-stage timings")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds of the window run")
    parser.add_argument("--warmup", type=float, default=8.0, help="seconds before the window run is measured")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads for the per-stage timings (default: the engine's)")
    parser.add_argument("--engine", choices=("default", "sequential", "all-views", "views-on-engine"),
                        default="default",
                        help="sequential: the engine's pipeline off; all-views: every estimator view on every frame "
                             "(no ViewRotation); views-on-engine: the estimator's view on the engine thread, not the "
                             "finisher")
    parser.add_argument("--skip", choices=("stages", "window"), action="append", default=[])
    parser.add_argument("--agreement", action="store_true",
                        help="also: the live quality (one estimator view per frame) against the full estimator "
                             "on eight real faces")
    parser.add_argument("--estimator", default=None, help="for --agreement (default: the model's)")
    args = parser.parse_args()
    from plq_desktop.core.live.engine import default_torch_threads

    torch.set_num_threads(args.threads or default_torch_threads())
    cv2.setNumThreads(1)
    print(f"{os.cpu_count()} CPUs, torch {torch.__version__}; start: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        video = write_demo_video(Path(tmp) / "demo.mp4", load_image(sample_path("grace_hopper")), frames=150,
                                 fps=30.0)
        if "stages" not in args.skip:
            stages(video, args.frames)
            print(f"after the stages: {load()}")
        if "window" not in args.skip:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            got = window_run(video, args.seconds, args.warmup, args.engine)
            print(f"\nWindow, 640 x 480 video at 30 fps, one face, engine {args.engine}, {args.seconds:.0f} s:")
            print(f"  analysed {got['analysed_fps']:.1f} frames/s ({got['results']} results), "
                  f"capture-to-result latency median {got['latency_median_ms']:.0f} ms, "
                  f"p95 {got['latency_p95_ms']:.0f} ms, painted {got['painted_fps']:.1f} frames/s")
            print(f"  latency, medians: {got['waiting_ms']:.0f} ms waiting for the engine, {got['engine_ms']:.0f} ms "
                  f"in the engine (detection to overlay), {got['delivery_ms']:.0f} ms on the way to the window")
        if args.agreement:
            agreement(args.estimator, Path(tmp))
    print(f"end: {load()}")


if __name__ == "__main__":
    main()
