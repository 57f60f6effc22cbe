"""Live path speed: analysed frames per second and per-frame compute time at 640 x 480, one face.

Runs what the live engine runs for each frame (detection, alignment, PLQ,
hints, map overlay, weakest regions) over the frames of the demo video made
from a real portrait, one after the other on one torch thread (the engine's
setting on 2 cores), once with a HOG scan on every frame and once with the
tracking detector. ``python benchmarks/bench_live.py [--frames 60]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
import torch

from plq_desktop.core.analysis import analyze
from plq_desktop.core.face.detection import DlibHogDetector
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.live.demo_video import write_demo_video
from plq_desktop.core.live.engine import _KnownFaces
from plq_desktop.core.live.overlay import map_overlay, weakest_regions
from plq_desktop.core.live.sources import VideoFileSource
from plq_desktop.core.live.tracking import TrackingDetector
from plq_desktop.core.zoo.registry import load_model


def frames(count: int) -> list[np.ndarray]:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_demo_video(Path(tmp) / "demo.mp4", load_image(sample_path("grace_hopper")), frames=count)
        source = VideoFileSource(path, loop=False)
        source.open()
        out = []
        while (f := source.read()) is not None:
            out.append(f)
        source.close()
    return out


def run(model, detector, video) -> list[float]:
    times = []
    for image in video:
        start = time.perf_counter()
        result = analyze(image, model, detector=_KnownFaces(detector.detect(image)), max_faces=1)
        if result.faces:
            map_overlay(result.plq_map)
            [weakest_regions(f) for f in result.faces]
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    cv2.setNumThreads(1)
    torch.set_grad_enabled(False)
    model = load_model("dlib-resnet", device="cpu")
    video = frames(args.frames)
    for name, detector in (("HOG every frame", DlibHogDetector(upsample=0)), ("tracking", TrackingDetector())):
        run(model, detector, video[:3])                  # warm-up
        t = run(model, detector, video)
        ms = [1000 * v for v in t]
        print(f"{name:16s} {len(t) / sum(t):5.1f} frames/s, compute per frame median {statistics.median(ms):.0f} ms, "
              f"90th pct {np.percentile(ms, 90):.0f} ms")


if __name__ == "__main__":
    main()
