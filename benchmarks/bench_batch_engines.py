"""plq batch: the local engine against the Ray engine on this machine (not a test: numbers for docs/cluster.md).

    python benchmarks/bench_batch_engines.py [--photos 24] [--rounds 2] [--folder ../shared/data/faces-dev/lfw10]
    python benchmarks/bench_batch_engines.py --stages     # the time of each stage, and the network's FLOPs

Runs the same photos (the first N of the folder, sorted) through the local
engine (one process with torch's threads, with one thread, and with
``--workers 2``) and through the Ray engine on a
private Ray of this machine, interleaved (local, local x2, Ray, local, ...) so
that a machine shared with other jobs slows all of them alike. Ray's start-up
(the local cluster, the model loaded in its actor) is timed apart and not
counted, as the issue asks, nor is a first round that warms every engine up
(Ray's worker processes start and load the model then); each run writes a fresh output folder, so every
photo is analysed in every run.

``--stages``: the CPU seconds of each stage per photo or face, in one process
(one torch thread, like one Ray CPU; the second of two passes), and the floating-point operations of the
network's forward and backward pass per face: the inputs of the archive plan
in docs/cluster.md.
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


def stages(photos: Path, model, batch_faces: int) -> None:
    import numpy as np
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    from plq_desktop.core.analysis import finish
    from plq_desktop.core.io.batch import Journal, ModelShape, face_rows, output_names, prepare_file
    from plq_desktop.core.io.report import encode_outputs, write_output_set

    torch.set_num_threads(1)
    shape, rels = ModelShape.of(model), list_images(photos)
    out = Path(tempfile.mkdtemp(prefix="bench-driver-"))

    def one_pass() -> tuple:
        t0 = time.perf_counter()
        prepared = [(rel, prepare_file((str(photos), rel, shape, None))[1]) for rel in rels]
        t_prepare = (time.perf_counter() - t0) / len(rels)
        prepared = [(rel, p) for rel, p in prepared if p is not None and p.detections]
        batches, batch = [], []
        for item in prepared:                         # as the engines group them: batch_faces faces or more
            batch.append(item)
            if sum(len(p.detections) for _, p in batch) >= batch_faces:
                batches.append(batch)
                batch = []
        batches += [batch] if batch else []
        t_network = t_finish = t_encode = t_write = 0.0
        journal = Journal(out / "results.jsonl")
        for batch in batches:
            t0 = time.perf_counter()
            plq = model.plq(np.concatenate([p.chips for _, p in batch]))
            t_network += time.perf_counter() - t0
            offset = 0
            for rel, prep in batch:
                t0 = time.perf_counter()
                result = finish(prep, plq, model, offset=offset)
                rows = face_rows(rel, result, output_names(rel))
                t1 = time.perf_counter()
                files = encode_outputs(result, prep.image)
                t2 = time.perf_counter()
                write_output_set(out, rel, files)           # what the driver does per photo
                journal.append(rows)
                t_finish, t_encode, t_write = t_finish + t1 - t0, t_encode + t2 - t1, t_write + time.perf_counter() - t2
                offset += len(prep.detections)
        chips = np.concatenate([p.chips for _, p in prepared])
        return prepared, chips, t_prepare, t_network / len(chips), t_finish, t_encode, t_write

    one_pass()          # the first pass loads the detector, the reference profiles and fills torch's caches
    prepared, chips, t_prepare, t_network, t_finish, t_encode, t_write = one_pass()
    with FlopCounterMode(display=False) as counter:
        model.plq(chips[:batch_faces])
    flops = counter.get_total_flops() / batch_faces
    with FlopCounterMode(display=False) as counter:
        model.embed(chips[:batch_faces])
    forward = counter.get_total_flops() / batch_faces
    n = len(prepared)
    print(f"{len(rels)} photos, {len(chips)} faces, one torch thread:")
    print(f"  read + detect + align   {1000 * t_prepare:7.1f} ms per photo")
    print(f"  network (batch {batch_faces:2d})      {1000 * t_network:7.1f} ms per face")
    print(f"  checks + rows           {1000 * t_finish / n:7.1f} ms per photo")
    print(f"  map files (json/npz/png){1000 * t_encode / n:7.1f} ms per photo")
    print(f"  driver: files + journal {1000 * t_write / n:7.1f} ms per photo (written to {out.parent}, fsync)")
    print(f"  network FLOPs per face: {flops / 1e9:.2f} GFLOP for quality + map ({forward / 1e9:.2f} GFLOP "
          f"one forward pass)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=REPO.parent / "shared/data/faces-dev/lfw10")
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch-faces", type=int, default=16)
    parser.add_argument("--model", default="dlib-resnet")
    parser.add_argument("--stages", action="store_true", help="time each stage in one process instead")
    args = parser.parse_args()

    import torch

    from plq_desktop.core.io.batch_ray import RayEngine

    work = Path(tempfile.mkdtemp(prefix="bench-engines-"))
    photos = work / "photos"
    photos.mkdir()
    for rel in list_images(args.folder)[:args.photos]:
        (photos / rel.replace("/", "__")).symlink_to((args.folder / rel).resolve())
    model = load_model(args.model, device="cpu")
    if args.stages:
        stages(photos, model, args.batch_faces)
        return
    common = dict(device="cpu", batch_faces=args.batch_faces)

    t0 = time.perf_counter()
    ray_engine = RayEngine(photos, model, batch_faces=args.batch_faces, device="cpu").start()
    startup = time.perf_counter() - t0
    torch_threads = torch.get_num_threads()

    def local_one_thread(out):
        torch.set_num_threads(1)        # as each Ray worker (Ray sets OMP_NUM_THREADS=1 there)
        try:
            return run_batch(photos, out, model, **common)
        finally:
            torch.set_num_threads(torch_threads)

    engines = {
        "local": lambda out: run_batch(photos, out, model, **common),
        "local --threads 1": local_one_thread,
        "local --workers 2": lambda out: run_batch(photos, out, model, workers=2, **common),
        "ray": lambda out: run_batch(photos, out, model, engine=ray_engine, **common),
    }
    seconds: dict[str, list[float]] = {name: [] for name in engines}
    faces = {}
    try:
        # Round 0 warms up, not counted: Ray starts a worker process per CPU and each loads the model on
        # first use (its start-up); the local engine's pool of --workers 2 starts again in every run.
        for r in range(args.rounds + 1):
            for name, run in engines.items():
                summary = run(work / f"{name.replace(' ', '')}-{r}")
                assert summary.processed == args.photos
                if r:
                    seconds[name].append(summary.seconds)
                faces[name] = summary.faces
                print(f"round {r} {name:18s} {summary.seconds:6.1f} s{'' if r else ' (warm-up)'}", flush=True)
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
