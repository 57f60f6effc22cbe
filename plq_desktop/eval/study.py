"""Does an image-quality estimator track recognition utility? The study behind the defaults.

Protocol (``python -m plq_desktop.eval.study --model dlib-resnet``):

1. Real faces: every face the detector finds in the sample photos that PyPI
   packages ship (``core.io.samples``), aligned as the model expects.
2. Each clean chip is degraded by every entry of ``eval.degradations`` at
   three strengths (blur, noise, JPEG, down-scaling, black square, darkening).
3. Utility of a degraded chip = cosine similarity of its embedding to the
   embedding of its own clean chip: the genuine comparison score that quality
   is meant to predict (ISO/IEC 29794-1's notion of utility).
4. For each candidate estimator: Spearman rank correlation of its raw Q with
   utility over all degraded samples, and the error-versus-discard curve:
   the false non-match rate (utility below the 20th percentile of the whole
   set, so 20 % at no discard) among the samples kept after discarding the
   lowest-quality x %.
5. A held-out check: Spearman on the same faces degraded at strengths between
   those of step 2 (``HELDOUT_DEGRADATIONS``), never used to choose.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

import numpy as np
import torch

from plq_desktop.core.analysis import align_faces
from plq_desktop.core.face.detectors import default_detector
from plq_desktop.core.io.files import atomic_write_json
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.plq.estimators import PerturbationRobustness, SerFiq, View
from plq_desktop.core.plq.model import Calibration, FaceModel
from plq_desktop.core.zoo.registry import load_model
from plq_desktop.eval.degradations import (
    DEGRADATIONS,
    HELDOUT_DEGRADATIONS,
    degraded_versions,
)
from plq_desktop.eval.output import add_output_arguments, output_dir
from plq_desktop.eval.stats import spearman

STUDY_SAMPLES = ("t1", "grace_hopper", "astronaut", "tom_hanks")
DISCARD_FRACTIONS = tuple(i / 20 for i in range(0, 19))  # 0 % .. 90 % in 5 % steps


@dataclass(frozen=True)
class EmbeddingNorm:
    """Baseline: the L2 norm of the deterministic embedding (no perturbation)."""

    name: str = "embedding-norm"

    def raw_quality(self, net, chips, features, embedding, generator):
        return embedding.norm(dim=1)


def candidate_estimators() -> dict:
    """Everything the study compares; the first two are what the product offers."""
    flip, contrast = View(mirror=True), View(contrast=0.7)
    shifts = (View(dx=2), View(dx=-2), View(dy=2), View(dy=-2))
    return {
        "serfiq p=0.5, m=100 (paper)": SerFiq(m=100, p=0.5),
        "robustness: contrast 0.7 + shift 4 px (default)": PerturbationRobustness(),
        "serfiq p=0.2, m=100": SerFiq(m=100, p=0.2),
        "robustness: flip": PerturbationRobustness(views=(flip,)),
        "robustness: 4 shifts of 2 px": PerturbationRobustness(views=shifts),
        "robustness: flip + 4 shifts of 2 px": PerturbationRobustness(views=(flip, *shifts)),
        "robustness: flip + 2 shifts of 4 px": PerturbationRobustness(views=(flip, View(dx=4), View(dy=4))),
        "robustness: contrast 0.7": PerturbationRobustness(views=(contrast,)),
        "robustness: contrast 0.5": PerturbationRobustness(views=(View(contrast=0.5),)),
        "robustness: contrast 0.7 + flip": PerturbationRobustness(views=(contrast, flip)),
        "robustness: shift 4 px": PerturbationRobustness(views=(View(dy=4),)),
        "embedding norm": EmbeddingNorm(),
    }


def study_faces(model: FaceModel, samples=STUDY_SAMPLES, max_faces_per_photo: int = 6) -> tuple[np.ndarray, list[str]]:
    """Aligned clean chips of every detected face in the sample photos."""
    detector = default_detector()
    chips, labels = [], []
    for name in samples:
        image = load_image(sample_path(name))
        detections = detector.detect(image)[:max_faces_per_photo]
        for i, a in enumerate(align_faces(image, detections, model)):
            chips.append(a.warp(image))
            labels.append(f"{name}#{i + 1}")
    return np.stack(chips), labels


@dataclass
class StudySet:
    chips: np.ndarray          # degraded chips
    face: np.ndarray           # index of the clean face
    kind: list[str]
    level: np.ndarray
    utility: np.ndarray
    clean_chips: np.ndarray
    labels: list[str] = field(default_factory=list)


def build_study_set(model: FaceModel, clean_chips: np.ndarray, labels: list[str], seed: int = 0,
                    degradations=DEGRADATIONS) -> StudySet:
    chips, face, kind, level = [], [], [], []
    for i, clean in enumerate(clean_chips):
        for k, lvl, _, degraded in degraded_versions(clean, seed=seed + i, degradations=degradations):
            chips.append(degraded)
            face.append(i)
            kind.append(k)
            level.append(lvl)
    chips = np.stack(chips)
    face = np.array(face)
    clean_emb = embed_in_batches(model, clean_chips)
    emb = embed_in_batches(model, chips)
    unit = lambda v: v / np.linalg.norm(v, axis=1, keepdims=True)  # noqa: E731
    utility = np.sum(unit(emb) * unit(clean_emb)[face], axis=1)
    return StudySet(chips, face, kind, np.array(level), utility, clean_chips, labels)


def embed_in_batches(model: FaceModel, chips: np.ndarray, batch: int = 32) -> np.ndarray:
    return np.concatenate([model.embed(chips[i:i + batch]) for i in range(0, len(chips), batch)])


def raw_qualities(model: FaceModel, estimator, chips: np.ndarray, seed: int = 0, batch: int = 16) -> np.ndarray:
    out = []
    gen = torch.Generator(device=model.device).manual_seed(seed)
    with torch.no_grad():
        for i in range(0, len(chips), batch):
            x = model._chip_tensor(chips[i:i + batch])
            f = model.net.features(x)
            e = model.net.head(f)
            out.append(estimator.raw_quality(model.net, x, f, e, gen).cpu().numpy())
    return np.concatenate(out).astype(np.float64)


def error_versus_discard(quality: np.ndarray, utility: np.ndarray, fnm_threshold: float) -> list[tuple[float, float]]:
    """(discard fraction, false non-match rate among kept samples), lowest quality discarded first."""
    order = np.argsort(quality, kind="stable")
    curve = []
    for frac in DISCARD_FRACTIONS:
        kept = utility[order[int(round(frac * len(order))):]]
        curve.append((frac, float(np.mean(kept < fnm_threshold)) if len(kept) else 0.0))
    return curve


def run_study(model_name: str = "dlib-resnet", device: str = "cpu", seed: int = 0) -> dict:
    # Raw Q needs no calibration: neutral constants keep the study independent of calibration.json.
    neutral = Calibration(gamma=0.0, grad_clip=float("inf"),
                          scaling={"serfiq": (1.0, 0.0), "robustness": (1.0, 0.0)})
    model = load_model(model_name, device=device, calibration=neutral)
    clean, labels = study_faces(model)
    data = build_study_set(model, clean, labels, seed=seed)
    heldout = build_study_set(model, clean, labels, seed=seed + 1000, degradations=HELDOUT_DEGRADATIONS)
    fnm_threshold = float(np.quantile(data.utility, 0.2))
    rows = []
    for name, est in candidate_estimators().items():
        q = raw_qualities(model, est, data.chips, seed=seed)
        per_kind = {k: spearman(q[m], data.utility[m])
                    for k in sorted(set(data.kind)) for m in [np.array(data.kind) == k]}
        curve = error_versus_discard(q, data.utility, fnm_threshold)
        q_heldout = raw_qualities(model, est, heldout.chips, seed=seed)
        rows.append({
            "estimator": name,
            "spearman": spearman(q, data.utility),
            "spearman_heldout": spearman(q_heldout, heldout.utility),
            "spearman_per_degradation": per_kind,
            "fnmr_at_discard": {f"{f:.2f}": e for f, e in curve},
        })
    return {
        "model": model_name,
        "faces": labels,
        "samples": int(len(data.chips)),
        "heldout_samples": int(len(heldout.chips)),
        "degradations": sorted(set(data.kind)),
        "utility": "cosine(embedding(degraded), embedding(clean))",
        "fnm_threshold": fnm_threshold,
        "results": rows,
    }


def markdown_table(report: dict) -> str:
    kinds = report["degradations"]
    lines = [
        f"Model `{report['model']}`: {len(report['faces'])} real faces x {report['samples'] // len(report['faces'])} "
        f"degraded versions = {report['samples']} samples. Spearman correlation of raw Q with utility "
        f"(all samples, then per degradation); FNMR = share of kept samples with utility below "
        f"{report['fnm_threshold']:.3f} (20 % at no discard). Held-out: Spearman on "
        f"{report['heldout_samples']} samples degraded at strengths between those of the main set, "
        "never used to choose an estimator.",
        "",
        "| estimator | Spearman | " + " | ".join(kinds) + " | FNMR, 20 % discarded | FNMR, 40 % discarded "
        "| held-out Spearman |",
        "|---|---|" + "---|" * len(kinds) + "---|---|---|",
    ]
    for r in report["results"]:
        per = " | ".join(f"{r['spearman_per_degradation'][k]:.2f}" for k in kinds)
        lines.append(f"| {r['estimator']} | {r['spearman']:.3f} | {per} | "
                     f"{100 * r['fnmr_at_discard']['0.20']:.1f} % | {100 * r['fnmr_at_discard']['0.40']:.1f} % | "
                     f"{r['spearman_heldout']:.3f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="dlib-resnet")
    parser.add_argument("--device", default="cpu")
    add_output_arguments(parser, "study")
    parser.add_argument("--reliability", action="store_true",
                        help="run the whole-photo reliability suite instead (plq_desktop.eval.reliability; "
                             "--model all runs every model whose weights are present)")
    args = parser.parse_args(argv)
    if args.reliability:
        from .reliability import main as reliability_main
        return reliability_main(["--model", args.model, "--device", args.device,
                                 *(["--out", str(args.out)] if args.out else [])])
    torch.manual_seed(0)
    report = run_study(args.model, args.device)
    print(markdown_table(report))
    folder = output_dir(args, "study")
    atomic_write_json(folder / f"quality-study-{args.model}.json", report)
    (folder / f"quality-study-{args.model}.md").write_text(markdown_table(report) + "\n")
    print(f"wrote {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
