"""Per-face timings of the PLQ pipeline (not a test: numbers for the README).

    python benchmarks/bench_plq.py [--device cpu|cuda|auto] [--threads 2] [--repeats 5]

Reports, per face, the time of detection, alignment, image quality and the
whole PLQ map; the ratio of ``model.plq`` to one plain ``model.embed`` on the
same chips (floor about 3: one forward plus one backward); and the speed-up
over the naive SER-FIQ that re-runs the whole network m = 100 times.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch

from plq_desktop.core.analysis import align_faces
from plq_desktop.core.face.detectors import default_detector
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.plq.estimators import robustness_score, scale_quality
from plq_desktop.core.zoo.registry import load_model


def timed(fn, repeats: int, sync) -> float:
    """Median seconds of ``repeats`` calls after one warm-up call."""
    fn()
    sync()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def naive_serfiq_plq(model, chips: np.ndarray, m: int = 100, p: float = 0.5) -> None:
    """The reference implementations' way: the whole network m times, then the map."""
    x = model._chip_tensor(chips)
    alpha, r = model.calibration.alpha_r("serfiq")
    with torch.no_grad():
        stochastic = []
        for _ in range(m):
            f = model.net.features(x)
            stochastic.append(model.net.head(torch.nn.functional.dropout(f, p, training=True)))
        q_hat = scale_quality(robustness_score(torch.stack(stochastic, dim=1)), alpha, r)
    x.requires_grad_(True)
    e = model.net(x)
    node = ((q_hat / e.abs().sum(1)).unsqueeze(1).detach() * torch.sign(e).detach() * e).sum(1)
    (grad,) = torch.autograd.grad(node.sum(), x)
    model.pixel_quality(grad)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="dlib-resnet")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch", type=int, default=6, help="faces per batch (t1.jpg has six)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = load_model(args.model, device=args.device)
    sync = torch.cuda.synchronize if model.device.type == "cuda" else (lambda: None)
    print(f"model {model.name} on {model.device_label}, torch {torch.__version__}, {torch.get_num_threads()} threads")

    image = load_image(sample_path("t1"))
    detector = default_detector()
    detections = detector.detect(image)[:args.batch]
    n = len(detections)
    t_detect = timed(lambda: detector.detect(image), args.repeats, sync)
    t_align = timed(lambda: [a.warp(image) for a in align_faces(image, detections, model)], args.repeats, sync)
    chips = np.stack([a.warp(image) for a in align_faces(image, detections, model)])

    rows = [("detection + landmarks (photo 1280x886, per photo)", t_detect)]
    rows.append(("alignment (per face)", t_align / n))
    t_embed = timed(lambda: model.embed(chips), args.repeats, sync)
    rows.append(("embed, one forward (per face)", t_embed / n))
    ratios = []
    # Every estimator calibrated for this model (matchability: dlib-resnet's default; crfiqa needs its own head).
    for est in [e for e in ("serfiq", "robustness", "recognisability", "matchability") if e in model.calibration.scaling]:
        t_q = timed(lambda: model.quality(chips, estimator=est), args.repeats, sync)
        t_plq = timed(lambda: model.plq(chips, estimator=est), args.repeats, sync)
        rows.append((f"quality only, {est} (per face)", t_q / n))
        rows.append((f"quality + PLQ map, {est} (per face)", t_plq / n))
        ratios.append((est, t_plq / t_embed))
    t_naive = timed(lambda: naive_serfiq_plq(model, chips), max(1, args.repeats // 2), sync)
    t_serfiq_plq = timed(lambda: model.plq(chips, estimator="serfiq"), args.repeats, sync)
    rows.append(("naive SER-FIQ + map, network 100x (per face)", t_naive / n))

    print(f"\n{n} faces per batch\n")
    print("| step | ms per face |\n|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {1000 * seconds:.1f} |")
    print()
    for est, ratio in ratios:
        print(f"plq / embed ({est}): {ratio:.2f}x")
    print(f"naive SER-FIQ + map / our SER-FIQ + map: {t_naive / t_serfiq_plq:.1f}x faster")


if __name__ == "__main__":
    main()
