"""plq batch: the local engine against the Ray engine on this machine (not a test: numbers for docs/cluster.md).

    python benchmarks/bench_batch_engines.py [--photos 24] [--rounds 2] [--folder ../shared/data/faces-dev/lfw10]

Runs the same photos (the first N of the folder, sorted) through the local
engine (one process, and with ``--workers 2``) and through the Ray engine on a
private Ray of this machine, interleaved (local, local x2, Ray, local, ...) so
that a machine shared with other jobs slows all of them alike. Ray's start-up
(the local cluster, the model loaded in its actor) is timed apart and not
counted, as the issue asks; each run writes a fresh output folder, so every
photo is analysed in every run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from plq_desktop.core.io.batch import list_images, run_batch
from plq_desktop.core.zoo.registry import load_model

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=REPO.parent / "shared/data/faces-dev/lfw10")
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch-faces", type=int, default=16)
    parser.add_argument("--model", default="dlib-resnet")
    args = parser.parse_args()

    from plq_desktop.core.io.batch_ray import RayEngine

    work = Path(tempfile.mkdtemp(prefix="bench-engines-"))
    photos = work / "photos"
    photos.mkdir()
    for rel in list_images(args.folder)[:args.photos]:
        (photos / rel.replace("/", "__")).symlink_to((args.folder / rel).resolve())
    model = load_model(args.model, device="cpu")
    common = dict(device="cpu", batch_faces=args.batch_faces)

    t0 = time.perf_counter()
    ray_engine = RayEngine(photos, model, batch_faces=args.batch_faces, device="cpu").start()
    startup = time.perf_counter() - t0
    engines = {
        "local": lambda out: run_batch(photos, out, model, **common),
        "local --workers 2": lambda out: run_batch(photos, out, model, workers=2, **common),
        "ray": lambda out: run_batch(photos, out, model, engine=ray_engine, **common),
    }
    seconds: dict[str, list[float]] = {name: [] for name in engines}
    faces = {}
    try:
        for r in range(args.rounds):
            for name, run in engines.items():
                summary = run(work / f"{name.replace(' ', '')}-{r}")
                assert summary.processed == args.photos
                seconds[name].append(summary.seconds)
                faces[name] = summary.faces
                print(f"round {r + 1} {name:18s} {summary.seconds:6.1f} s", flush=True)
    finally:
        ray_engine.close()
    print(f"\n{args.photos} photos of {args.folder}, {args.rounds} interleaved rounds; "
          f"Ray start-up {startup:.1f} s (not counted)")
    print(f"{'engine':18s} {'median s':>8s} {'photos/s':>8s} {'faces/s':>8s} {'x local':>8s}")
    base = statistics.median(seconds["local"])
    for name, times in seconds.items():
        s = statistics.median(times)
        print(f"{name:18s} {s:8.1f} {args.photos / s:8.2f} {faces[name] / s:8.2f} {s / base:8.2f}")


if __name__ == "__main__":
    main()
