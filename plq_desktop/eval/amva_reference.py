"""Build a model's AMVA reference: the mean activation map of high-quality faces.

``python -m plq_desktop.eval.amva_reference --model dlib-resnet [--out DIR] [--install]``
writes ``amva_reference_dlib-resnet.npz`` into ``--out`` (default: under the
user's data folder, ``eval.output``); ``--install`` also replaces the one in a
source checkout's ``resources/``, where ``plq analyze --explain amva`` and the
GUI read it.

How: the clean real faces of the quality study (every face the detector
finds in the sample photos that PyPI packages ship, ``eval.study``), aligned
as the model expects, each also mirrored (a frontal face's mirror image is
an equally good face, and it keeps the reference symmetric); the faces whose
quality is below the median of this set are dropped, so the reference holds
the better half ("high-quality" = high by ``reference_estimator``: recognisability where the model has its centroids).
Stored: per-pixel mean and standard deviation of their activation maps
(``core.plq.amva.activation_maps``), the faces used, and ``display_max``,
the deviation that the single-image figure shows at full colour (the 99th
percentile of the reference faces' own deviations from the mean, times 2).
"""

from __future__ import annotations

import argparse
from datetime import date

import numpy as np
import torch

from plq_desktop.core.plq import amva
from plq_desktop.core.zoo.registry import load_model
from plq_desktop.eval.output import add_output_arguments, output_dir, shipped_resource
from plq_desktop.eval.study import study_faces

TOOL = "amva-reference"


def reference_estimator(model) -> str:
    """The estimator that picks the reference's "high-quality" faces: recognisability (distance from
    damaged-beyond-recognition faces) where the model has its centroids, as when the AMVA figures were
    measured (docs/amva.md, docs/where-to-fix.md); the reference wants undamaged faces, and dlib's default,
    matchability, also ranks pose. Else the model's default."""
    return "recognisability" if model.calibration.centroids else model.default_estimator


def build_reference(model, chips: np.ndarray, labels: list[str], keep_fraction: float = 0.5) -> amva.AmvaReference:
    chips = np.concatenate([chips, chips[:, :, ::-1]])
    labels = labels + [f"{name} (mirrored)" for name in labels]
    estimator = reference_estimator(model)
    quality = np.concatenate([model.quality(chips[i:i + 16], estimator=estimator)[1]
                              for i in range(0, len(chips), 16)])
    keep = np.argsort(-quality, kind="stable")[:max(2, int(round(keep_fraction * len(chips))))]
    maps = amva.activation_maps(model, chips[keep])
    mean = maps.mean(axis=0)
    deviation = np.abs(maps - mean[None])
    return amva.AmvaReference(
        model=model.name, mean=mean, std=maps.std(axis=0), faces=len(keep),
        meta={"faces_used": [labels[i] for i in keep],
              "quality_estimator": estimator,
              "display_max": float(2 * np.quantile(deviation, 0.99)),
              "built": date.today().isoformat(),
              "how": "python -m plq_desktop.eval.amva_reference"})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="dlib-resnet")
    parser.add_argument("--device", default="cpu")
    add_output_arguments(parser, TOOL)
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    model = load_model(args.model, device=args.device)
    chips, labels = study_faces(model)
    ref = build_reference(model, chips, labels)
    name = amva.reference_filename(args.model)
    paths = [ref.save(output_dir(args, TOOL) / name)]
    if args.install:
        paths.append(ref.save(shipped_resource(name)))
    for path in paths:
        print(f"{path}: mean activation map of {ref.faces} faces, display_max {ref.meta['display_max']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
