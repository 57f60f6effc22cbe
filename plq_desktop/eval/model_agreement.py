"""How far two networks' PLQ maps agree, per face region, on compliant and on occluded faces.

``python -m plq_desktop.eval.model_agreement [--models dlib-resnet hse-mobilenet-vggface2]``

Faces: the first ``--per-person`` photos of every person in faces-dev/lfw10
(dlib HOG + 68 landmarks, the face nearest the photo's centre). Each photo as
it is ("compliant": press photos, not passport photos) and with one synthetic
occluder at a time (``eval.occluders``: sunglasses, a mask, a hand), drawn from
the clean photo's landmarks; every version is aligned on the clean detection,
so both networks see the same face where it was. ``core.plq.compare`` maps both
networks onto the photo; per region (``core.face.regions``): the Spearman
correlation of the two maps over the region's pixels, the mean of each map, and
for occluded versions the drop of each map's mean inside the occluded regions.
Nothing is fitted here: every figure is measured on these faces.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

from plq_desktop.core.face.regions import FACE_REGIONS, face_regions
from plq_desktop.core.plq.compare import compare_models
from plq_desktop.core.plq.stats import spearman
from plq_desktop.eval.hse_alignment import DEFAULT_FACES, faces
from plq_desktop.eval.occluders import draw_occluder, occluded_regions

CONDITIONS = ("compliant", "sunglasses", "mask", "hand")


class _Fixed:
    """The clean photo's detection, handed to compare_models for every version of the photo."""

    def __init__(self, detection):
        self.detection = detection

    def detect(self, image):
        return [self.detection]


def measure(models, found, per_person_labels, log=print) -> list[dict]:
    rows = []
    for k, ((image, det), label) in enumerate(zip(found, per_person_labels)):
        regions = face_regions(det.landmarks68, image.shape).masks(np.eye(2, 3), image.shape[:2])
        clean_means = None
        for condition in CONDITIONS:
            photo = image if condition == "compliant" else draw_occluder(image, det.landmarks68, condition)
            cmp = compare_models(photo, models, _Fixed(det))
            a, b = cmp.maps[0].plq_map, cmp.maps[1].plq_map
            both = ~np.isnan(a) & ~np.isnan(b)
            row = {"face": label, "condition": condition, "spearman": cmp.spearman,
                   "quality": [m.quality for m in cmp.maps], "regions": {}}
            for region in FACE_REGIONS:
                inside = regions[region] & both
                row["regions"][region] = {
                    "spearman": spearman(a[inside], b[inside]) if inside.sum() > 2 else float("nan"),
                    "mean": [float(a[inside].mean()), float(b[inside].mean())] if inside.any() else [np.nan] * 2}
            if condition == "compliant":
                clean_means = row["regions"]
            else:
                covered = [r for r in occluded_regions(image.shape, det.landmarks68, condition) if r in FACE_REGIONS]
                row["occluded"] = covered
                row["drop"] = [float(np.nanmean([clean_means[r]["mean"][i] - row["regions"][r]["mean"][i]
                                                 for r in covered])) for i in (0, 1)]
            rows.append(row)
        log(f"{k + 1}/{len(found)} {label}: " + ", ".join(
            f"{r['condition']} {r['spearman']:.2f}" for r in rows[-len(CONDITIONS):]))
    return rows


def markdown(rows: list[dict], names: tuple[str, str]) -> str:
    lines = ["| condition | faces | whole map | " + " | ".join(FACE_REGIONS) + " |",
             "|---|---|---|" + "---|" * len(FACE_REGIONS)]
    for condition in CONDITIONS:
        sel = [r for r in rows if r["condition"] == condition]
        cells = [f"{np.nanmedian([r['regions'][g]['spearman'] for r in sel]):.2f}" for g in FACE_REGIONS]
        lines.append(f"| {condition} | {len(sel)} | {np.nanmedian([r['spearman'] for r in sel]):.2f} | "
                     + " | ".join(cells) + " |")
    lines += ["", f"Median Spearman of the two maps ({names[0]} vs {names[1]}), over the photo and per region.", "",
              f"| condition | mean P of the occluded regions, drop from the compliant photo: {names[0]} | "
              f"{names[1]} | faces where {names[1]} drops more |", "|---|---|---|---|"]
    for condition in CONDITIONS[1:]:
        sel = [r for r in rows if r["condition"] == condition]
        d = np.array([r["drop"] for r in sel])
        lines.append(f"| {condition} | {np.median(d[:, 0]):+.3f} | {np.median(d[:, 1]):+.3f} | "
                     f"{int((d[:, 1] > d[:, 0]).sum())} of {len(sel)} |")
    sel = [r for r in rows if r["condition"] == "compliant"]
    lines += ["", f"Compliant faces, mean P per region ({names[0]} / {names[1]}, medians):", "",
              "| " + " | ".join(FACE_REGIONS) + " |", "|" + "---|" * len(FACE_REGIONS),
              "| " + " | ".join(f"{np.nanmedian([r['regions'][g]['mean'][0] for r in sel]):.2f} / "
                                f"{np.nanmedian([r['regions'][g]['mean'][1] for r in sel]):.2f}"
                                for g in FACE_REGIONS) + " |"]
    return "\n".join(lines)


def main(argv=None) -> int:
    from plq_desktop.core.zoo.registry import load_model

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs=2, default=["dlib-resnet", "hse-mobilenet-vggface2"])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    parser.add_argument("--per-person", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    models = tuple(load_model(n, device=args.device) for n in args.models)
    found, labels = faces(args.faces)
    keep = [i for i, name in enumerate(labels) if list(labels[:i]).count(name) < args.per_person]
    rows = measure(models, [found[i] for i in keep], [f"{labels[i]}#{list(labels[:i]).count(labels[i]) + 1}"
                                                       for i in keep])
    print(markdown(rows, tuple(args.models)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
