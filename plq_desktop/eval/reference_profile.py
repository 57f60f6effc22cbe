"""Reference profile: per-region pixel quality of good faces, per model.

``python -m plq_desktop.eval.reference_profile --model dlib-resnet [--out DIR] [--install]``
writes ``reference_profile_dlib-resnet.json`` into DIR (default: the user's data folder) and,
with ``--install``, into a source checkout's ``resources/``; the occlusion check of the
hints engine compares every face with it. How:

1. Faces: every face the detector finds in the given photos (default: the
   real sample photos that PyPI packages ship, ``core.io.samples``), and in their
   mirror images, kept when the head is turned by at most MAX_YAW degrees. On
   the astronaut photo only the largest detection is a face. Pass your own
   compliant portraits with ``--images`` to build a profile for your setting.
2. For each face: the PLQ map of its chip, exactly as ``analyze`` computes
   it, and per region (``core.face.regions``) the mean and the low percentile of
   the map, and the region's mean relative to the whole face's mean.
3. Per region over the faces: mean and standard deviation of those values.
   The relative value is kept in log units, with its standard deviation
   floored at RELATIVE_STD_FLOOR: a few faces underestimate the spread, and
   a floor keeps a z-score from calling ordinary variation an occlusion.

The profile records the model calibration it was made with: a map computed
with other constants is not comparable, and the check then says so instead
of guessing.
"""

from __future__ import annotations

import argparse
import math
from datetime import date
from pathlib import Path

import numpy as np

from plq_desktop.core.analysis import align_faces
from plq_desktop.core.face.detectors import default_detector
from plq_desktop.core.face.regions import (
    FACE_REGIONS,
    REGIONS,
    face_regions,
    region_plq_stats,
)
from plq_desktop.core.icao.occlusion import calibration_signature
from plq_desktop.core.icao.pose import head_pose
from plq_desktop.core.io.files import atomic_write_json
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.plq.model import FaceModel
from plq_desktop.core.zoo.registry import load_model
from plq_desktop.eval.output import add_output_arguments, output_dir, shipped_resource

PROFILE_SAMPLES = ("grace_hopper", "astronaut", "t1", "tom_hanks")
# Photos whose smaller detections are not faces (scikit-image's astronaut: a mission patch).
LARGEST_FACE_ONLY = ("astronaut",)
MAX_YAW = 30.0
RELATIVE_STD_FLOOR = 0.1


def face_statistics(model: FaceModel, image: np.ndarray, max_faces: int | None = None) -> list[tuple[int, dict]]:
    """(detection number from 1, region statistics) of every usable face in one photo (one model batch)."""
    kept = []
    for number, det in enumerate(default_detector().detect(image)[:max_faces], start=1):
        pose = head_pose(det.landmarks68, image.shape) if det.landmarks68 is not None else None
        if pose is not None and abs(pose[0]) <= MAX_YAW:
            kept.append((number, det))
    if not kept:
        return []
    alignments = align_faces(image, [det for _, det in kept], model)
    plq = model.plq(np.stack([a.warp(image) for a in alignments]))
    out = []
    for (number, det), alignment, chip_plq in zip(kept, alignments, plq.maps):
        stats = region_plq_stats(chip_plq, alignment.matrix, face_regions(det.landmarks68, image.shape))
        if stats["face"] is not None:
            out.append((number, stats))
    return out


def build_profile(model: FaceModel, photos: list[tuple[str, np.ndarray]]) -> dict:
    faces, labels = [], []
    for label, image in photos:
        max_faces = 1 if label in LARGEST_FACE_ONLY else None
        for suffix, view in (("", image), (" mirrored", np.ascontiguousarray(image[:, ::-1]))):
            for number, stats in face_statistics(model, view, max_faces):
                faces.append(stats)
                labels.append(f"{label}#{number}{suffix}")
    if not faces:
        raise ValueError("no usable face in the given photos")
    return summarise(model, faces, labels)


def summarise(model: FaceModel, faces: list[dict], labels: list[str]) -> dict:
    """The profile of faces' region statistics (one dict per face, as ``region_plq_stats`` gives)."""
    regions = {}
    for name in REGIONS:
        rows = [f for f in faces if f[name] is not None]
        if not rows:
            continue
        means = np.array([f[name].mean for f in rows])
        lows = np.array([f[name].low for f in rows])
        relative = np.log(np.maximum(means, 1e-6) / np.array([f["face"].mean for f in rows]))
        regions[name] = {
            "faces": len(rows),
            "mean": _summary(means),
            "low": _summary(lows),
            "relative": {"mean": round(float(relative.mean()), 5),
                         "std": round(max(float(relative.std(ddof=1)) if len(rows) > 1 else 0.0,
                                          RELATIVE_STD_FLOOR), 5)},
        }
    face_means = np.array([f["face"].mean for f in faces])
    return {
        "model": model.name,
        "calibration": calibration_signature(model),
        "faces": labels,
        "face": _summary(face_means),
        "regions": regions,
        "facial_regions": list(FACE_REGIONS),
        "relative": "log(region mean / face mean), face = all facial regions together",
        "max_yaw_deg": MAX_YAW,
        "relative_std_floor": RELATIVE_STD_FLOOR,
        "date": date.today().isoformat(),
        "made_by": "python -m plq_desktop.eval.reference_profile",
    }


def _summary(values: np.ndarray) -> dict:
    std = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    return {"mean": round(float(values.mean()), 5), "std": round(std, 5)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="dlib-resnet")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--images", nargs="+", help="compliant portraits (default: the shipped sample photos)")
    add_output_arguments(parser, "reference_profile")
    args = parser.parse_args(argv)
    model = load_model(args.model, device=args.device)
    if args.images:
        photos = [(Path(p).stem, load_image(p)) for p in args.images]
    else:
        photos = [(name, load_image(sample_path(name))) for name in PROFILE_SAMPLES]
    profile = build_profile(model, photos)
    name = f"reference_profile_{args.model}.json"
    targets = [output_dir(args, "reference_profile") / name] + ([shipped_resource(name)] if args.install else [])
    for out in targets:
        atomic_write_json(out, profile)
        print(f"{len(profile['faces'])} faces -> {out}")
    for name, entry in profile["regions"].items():
        rel = entry["relative"]
        print(f"  {name:12s} mean {entry['mean']['mean']:.3f} +- {entry['mean']['std']:.3f}   "
              f"relative x{math.exp(rel['mean']):.2f} (log sd {rel['std']:.3f}, {entry['faces']} faces)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
