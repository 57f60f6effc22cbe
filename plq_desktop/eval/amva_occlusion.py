"""Does AMVA's single-face deviation point at an occluded region? And does the set-level finding hold?

``python -m plq_desktop.eval.amva_occlusion --model dlib-resnet`` prints both.

Occlusion: every face the detector finds (with 68 landmarks) in the study's
sample photos, aligned for the model; on each chip one black occluder at a
time, drawn from the landmarks mapped onto the chip: an eye band (both eyes
and brows), a mouth patch, a nose patch, and a patch on either cheek. The
reference is rebuilt for each face from the *other* faces only (leave one
out), so no face is compared with its own clean map. A placement counts as a
hit when the mean deviation inside the occluder exceeds the mean deviation
over the rest of the central face region.

Set level (the AMVA paper's finding): the clean faces plus every study
degradation (at all strengths, or at one level of strength), ranked by the
model's default estimator and split into thirds; compared: the variation
(per-pixel std) outside the central face region of the bottom third against
the top third.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import torch

from plq_desktop.core.analysis import align_faces
from plq_desktop.core.face.detectors import default_detector
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.plq import amva
from plq_desktop.eval.degradations import DEGRADATIONS, Degradation, degraded_versions
from plq_desktop.eval.study import STUDY_SAMPLES

OCCLUDERS = ("eye band", "mouth", "nose", "right cheek", "left cheek")


def faces_with_landmarks(model, samples=STUDY_SAMPLES, max_faces_per_photo: int = 6):
    """(chips, 68 landmarks in chip coordinates, labels) of every face with 68 landmarks."""
    detector = default_detector()
    chips, points, labels = [], [], []
    for name in samples:
        image = load_image(sample_path(name))
        detections = [d for d in detector.detect(image)[:max_faces_per_photo] if d.landmarks68 is not None]
        for i, (d, a) in enumerate(zip(detections, align_faces(image, detections, model))):
            chips.append(a.warp(image))
            points.append(a.points_to_chip(d.landmarks68))
            labels.append(f"{name}#{i + 1}")
    return np.stack(chips), points, labels


def _box(points: np.ndarray, grow_x: float, grow_y: float) -> np.ndarray:
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = (hi - lo) * np.array([grow_x, grow_y])
    return np.concatenate([lo - pad, hi + pad])


def occluder_polygons(p: np.ndarray) -> dict[str, np.ndarray]:
    """Occluder rectangles (x0, y0, x1, y1, chip pixels) from the 68 landmarks (iBUG 300-W numbering)."""
    return {
        "eye band": _box(np.concatenate([p[17:27], p[36:48]]), 0.05, 0.25),
        "mouth": _box(p[48:68], 0.25, 0.45),
        "nose": _box(p[27:36], 0.35, 0.05),
        "right cheek": _box(p[[1, 2, 3, 31, 48]], 0.0, 0.0),
        "left cheek": _box(p[[13, 14, 15, 35, 54]], 0.0, 0.0),
    }


def occluder_mask(shape: tuple[int, int], box: np.ndarray) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    x0, y0, x1, y1 = np.round(box).astype(int)
    cv2.rectangle(mask, (x0, y0), (x1, y1), 1, thickness=-1)
    return mask.astype(bool)


@dataclass
class Placement:
    face: str
    occluder: str
    inside: float        # mean deviation inside the occluder
    rest: float          # mean deviation over the rest of the central face region

    @property
    def hit(self) -> bool:
        return self.inside > self.rest


def occlusion_benchmark(model, chips: np.ndarray, points: list[np.ndarray], labels: list[str]) -> list[Placement]:
    clean = amva.activation_maps(model, chips)
    central = amva.model_central_mask(model)
    out = []
    for i, label in enumerate(labels):
        others = np.delete(clean, i, axis=0)
        reference = amva.AmvaReference(model.name, others.mean(axis=0), others.std(axis=0), len(others))
        boxes = occluder_polygons(points[i])
        occluded = []
        masks = []
        for kind in OCCLUDERS:
            mask = occluder_mask(chips[i].shape[:2], boxes[kind])
            chip = chips[i].copy()
            chip[mask] = 0
            occluded.append(chip)
            masks.append(mask)
        deviations = amva.deviation_maps(amva.activation_maps(model, np.stack(occluded)), reference)
        for kind, mask, dev in zip(OCCLUDERS, masks, deviations):
            out.append(Placement(label, kind, float(dev[mask].mean()), float(dev[central & ~mask].mean())))
    return out


def localisation(model, chips: np.ndarray, points: list[np.ndarray], labels: list[str]) -> dict:
    """Which of the 5 occluder regions does each map single out? AMVA deviation against the PLQ map.

    For every placement both maps are compared with a leave-one-out reference
    of the clean faces (AMVA: mean activation map; PLQ: mean PLQ map), and the
    candidate region (the 5 occluder rectangles of that face) with the largest
    mean |map - reference| is the map's answer. Top-1 accuracy over all
    placements; chance is 1/5.
    """
    clean_act = amva.activation_maps(model, chips)
    clean_plq = model.plq(chips).maps
    hits = {"amva": 0, "plq": 0}
    total = 0
    for i in range(len(labels)):
        ref_act = np.delete(clean_act, i, axis=0).mean(axis=0)
        ref_plq = np.delete(clean_plq, i, axis=0).mean(axis=0)
        boxes = occluder_polygons(points[i])
        masks = [occluder_mask(chips[i].shape[:2], boxes[k]) for k in OCCLUDERS]
        occluded = np.stack([np.where(m[..., None], 0, chips[i]).astype(np.uint8) for m in masks])
        dev_act = np.abs(amva.activation_maps(model, occluded) - ref_act)
        dev_plq = np.abs(model.plq(occluded).maps - ref_plq)
        for j in range(len(OCCLUDERS)):
            total += 1
            hits["amva"] += int(np.argmax([dev_act[j][m].mean() for m in masks]) == j)
            hits["plq"] += int(np.argmax([dev_plq[j][m].mean() for m in masks]) == j)
    return {"placements": total, **hits}


def set_level_finding(model, chips: np.ndarray, seed: int = 0, n_groups: int = 3,
                      levels: tuple[int, ...] | None = None) -> dict:
    """Clean faces plus their degraded versions, ranked by the model's estimator: AMVA's group summary.

    ``levels``: which of each degradation's strengths to use (0 mild, 1 middle, 2 strong; default all).
    """
    degradations = DEGRADATIONS if levels is None else tuple(
        Degradation(d.kind, tuple(d.strengths[i] for i in levels), d.apply, d.unit) for d in DEGRADATIONS)
    degraded = [d for i, clean in enumerate(chips)
                for *_, d in degraded_versions(clean, seed=seed + i, degradations=degradations)]
    faces = np.concatenate([chips, np.stack(degraded)])
    quality = np.concatenate([model.quality(faces[i:i + 32], seed=0)[1] for i in range(0, len(faces), 32)])
    maps = amva.activation_maps(model, faces)
    groups = amva.group_statistics(maps, quality, n_groups)
    return {"faces": int(len(faces)), "levels": "all" if levels is None else list(levels),
            "groups": amva.summary(groups, amva.model_central_mask(model))}


def occlusion_figure(path, model, chips, points, labels, face: int = 0) -> None:
    """One real face: clean and with two occluders; chip, activation map, deviation from the reference."""
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from plq_desktop.core.io.files import atomic_write

    others = np.delete(amva.activation_maps(model, chips), face, axis=0)
    reference = amva.AmvaReference(model.name, others.mean(axis=0), others.std(axis=0), len(others))
    boxes = occluder_polygons(points[face])
    variants = [("clean", chips[face])]
    for kind in ("eye band", "mouth"):
        chip = chips[face].copy()
        chip[occluder_mask(chip.shape[:2], boxes[kind])] = 0
        variants.append((kind, chip))
    acts = amva.activation_maps(model, np.stack([c for _, c in variants]))
    devs = amva.deviation_maps(acts, reference)
    central = amva.model_central_mask(model)
    amax, dmax = float(acts.max()), float(devs.max())
    fig, axes = plt.subplots(3, len(variants), figsize=(3.0 * len(variants), 8.6))
    for col, ((name, chip), act, dev) in enumerate(zip(variants, acts, devs)):
        axes[0, col].imshow(chip)
        axes[0, col].set_title(f"{labels[face]}: {name}", fontsize=9)
        im_a = axes[1, col].imshow(act, cmap="magma", vmin=0, vmax=amax)
        im_d = axes[2, col].imshow(dev, cmap="magma", vmin=0, vmax=dmax)
        inside, outside = dev[central].mean(), dev[~central].mean()
        axes[2, col].set_title(f"deviation: central {inside:.3f}, outside {outside:.3f}", fontsize=8)
        for ax in axes[1:, col]:
            ax.contour(central.astype(float), levels=[0.5], colors="cyan", linewidths=0.8, linestyles="--")
        for ax in axes[:, col]:
            ax.set_xticks([])
            ax.set_yticks([])
    axes[1, 0].set_ylabel("activation (RMS)", fontsize=9)
    axes[2, 0].set_ylabel("|activation - reference|", fontsize=9)
    fig.colorbar(im_a, ax=list(axes[1]), fraction=0.03, pad=0.02)
    fig.colorbar(im_d, ax=list(axes[2]), fraction=0.03, pad=0.02)
    fig.suptitle(f"AMVA on {model.name}: reference = mean map of the {len(others)} other faces", fontsize=10)
    atomic_write(Path(path), lambda tmp: fig.savefig(tmp, dpi=100, format="png"))
    plt.close(fig)


def group_figures(folder, model, chips: np.ndarray, levels=(1,), seed: int = 0) -> None:
    """plq amva's figures for the clean faces plus their degraded versions (docs/amva.md)."""
    from plq_desktop.core.io import amva_figures as figs

    degradations = tuple(Degradation(d.kind, tuple(d.strengths[i] for i in levels), d.apply, d.unit)
                         for d in DEGRADATIONS)
    degraded = [d for i, clean in enumerate(chips)
                for *_, d in degraded_versions(clean, seed=seed + i, degradations=degradations)]
    faces = np.concatenate([chips, np.stack(degraded)])
    quality = np.concatenate([model.quality(faces[i:i + 32], seed=0)[0] for i in range(0, len(faces), 32)])
    groups = amva.group_statistics(amva.activation_maps(model, faces), quality)
    mask = amva.model_central_mask(model)
    what = f"{model.name}, {len(faces)} real faces (clean and degraded) ranked by {model.default_estimator}"
    means = {g.name: faces[g.indices].mean(axis=0).astype(np.uint8) for g in groups}
    figs.group_figure(Path(folder) / "amva_mean_activation.png", groups, "mean", mask,
                      f"Mean activation per quality group ({what})", means)
    figs.group_figure(Path(folder) / "amva_variation.png", groups, "std", mask,
                      f"Variation (per-pixel std) per quality group ({what})")


def main(argv=None) -> int:
    from plq_desktop.core.zoo.registry import load_model

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="dlib-resnet")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--figures", type=Path, help="also write the docs figures (amva_*.png) into this folder")
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    model = load_model(args.model, device=args.device)
    chips, points, labels = faces_with_landmarks(model)
    if args.figures:
        args.figures.mkdir(parents=True, exist_ok=True)
        occlusion_figure(args.figures / "amva_occlusion.png", model, chips, points, labels,
                         face=labels.index("grace_hopper#1"))
        group_figures(args.figures, model, chips)
    placements = occlusion_benchmark(model, chips, points, labels)
    for kind in OCCLUDERS:
        sel = [p for p in placements if p.occluder == kind]
        ratio = np.median([p.inside / max(p.rest, 1e-12) for p in sel])
        print(f"{kind:12s}: deviation inside > rest of face for {sum(p.hit for p in sel)}/{len(sel)} faces, "
              f"median ratio {ratio:.2f}")
    print(f"all: {sum(p.hit for p in placements)}/{len(placements)} placements")
    loc = localisation(model, chips, points, labels)
    print(f"localisation among the 5 occluder regions (top-1, chance 1/5): AMVA {loc['amva']}/{loc['placements']}, "
          f"PLQ {loc['plq']}/{loc['placements']}")
    for levels in (None, (0,), (1,), (2,)):
        finding = set_level_finding(model, chips, levels=levels)
        high, low = finding["groups"]["high"], finding["groups"]["low"]
        print(f"set of {finding['faces']} faces (degradation levels {finding['levels']}): variation outside the "
              f"central face high {high['variation_outside']:.4f}, low {low['variation_outside']:.4f}; inside "
              f"high {high['variation_inside']:.4f}, low {low['variation_inside']:.4f}; activation outside/inside "
              f"high {high['activation_outside']:.3f}/{high['activation_inside']:.3f}, "
              f"low {low['activation_outside']:.3f}/{low['activation_inside']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
