"""Choose a model's display gamma (Eq. 6) as the paper's footnote 4 does, on compliant faces.

``python -m plq_desktop.eval.gamma --model dlib-resnet [--out DIR]`` writes the
choice and its held-out check to ``DIR/gamma-MODEL.json`` (default: the user's
data folder); ``--install`` also stores gamma in a source checkout's
``resources/calibration.json`` (nothing else of the model's entry changes).

Footnote 4 of the paper picks gamma on an ICAO-compliant face so that the
centre of the face shows the high-quality colour (green) and the background a
uniform low-quality colour (red). P >= 0.5 exactly where 10^gamma S^2 >= 1,
i.e. where S >= S* = 10^(-gamma / 2), so choosing gamma is choosing the
threshold S* on the merged gradient of the map the officer sees (the readable,
smoothed map, ``core.plq.display``). How:

- Faces: the clean faces of the sample photos (``eval.occlusion.benchmark_faces``).
- Per face: S on the chip, the inner face (eyes, nose, cheeks, mouth) and the
  background (``core.face.regions``) as chip masks.
- S* = the geometric mean of two levels over the faces: the median of the
  faces' INNER_SHARE-quantile of the inner face (below it, less than
  1 - INNER_SHARE of the face would be green) and the median of the faces'
  BACKGROUND_QUANTILE-quantile of the background (above it, the background
  would not be uniformly red). gamma = -2 log10 S*.
- Held out: each face is scored with the gamma chosen on the other faces
  (leave one face out): the share of its inner face at P >= 0.5, the share of
  its background below 0.5.

S is proportional to Q_hat (the quality node's weights are Q_hat / ||e||_1),
so gamma is chosen on faces of ordinary quality and a poor face shows less
green, as it should: no per-image scaling.
"""

from __future__ import annotations

import argparse
import json
import math
from datetime import date

import numpy as np

from plq_desktop.core.face.regions import face_regions
from plq_desktop.core.io.files import atomic_write_json
from plq_desktop.core.plq.display import readable_gradient
from plq_desktop.eval.output import add_output_arguments, output_dir, shipped_resource

INNER_REGIONS = ("right_eye", "left_eye", "nose", "right_cheek", "left_cheek", "mouth")
INNER_SHARE = 0.75           # aim: three quarters of the inner face green on a typical compliant face
BACKGROUND_QUANTILE = 0.95   # and 95 % of a typical background red


def face_levels(model, faces) -> list[dict]:
    """Per face: the readable map's S over the inner face and over the background (chip pixels)."""
    from plq_desktop.core.analysis import analyze
    from plq_desktop.eval.occlusion import FixedDetections

    out = []
    for face in faces:
        result = analyze(face.image, model, detector=FixedDetections([face.detection]), profile={})
        f = result.faces[0]
        masks = face_regions(f.landmarks, face.image.shape).masks(f.alignment.matrix, f.chip.shape[:2])
        s = readable_gradient(f.chip_gradient)
        inner = np.logical_or.reduce([masks[r] for r in INNER_REGIONS])
        out.append({"label": face.label, "inner": s[inner], "background": s[masks["background"]]})
    return out


def choose_threshold(levels: list[dict]) -> float:
    inner = np.median([np.quantile(x["inner"], 1 - INNER_SHARE) for x in levels])
    back = [np.quantile(x["background"], BACKGROUND_QUANTILE) for x in levels if x["background"].size >= 30]
    if not back:
        return float(inner)
    return float(math.sqrt(inner * np.median(back)))


def score(levels: dict, s_star: float) -> dict:
    back = levels["background"]
    return {"inner_green": float((levels["inner"] >= s_star).mean()),
            "background_red": float((back < s_star).mean()) if back.size else None}


def calibrate_gamma(model, faces) -> dict:
    levels = face_levels(model, faces)
    s_star = choose_threshold(levels)
    held_out = []
    for i, lv in enumerate(levels):
        s_i = choose_threshold(levels[:i] + levels[i + 1:])
        held_out.append({"face": lv["label"], "gamma": round(-2 * math.log10(s_i), 4), **score(lv, s_i)})
    greens = [h["inner_green"] for h in held_out]
    reds = [h["background_red"] for h in held_out if h["background_red"] is not None]
    return {
        "model": model.name,
        "gamma": round(-2 * math.log10(s_star), 4),
        "faces": [lv["label"] for lv in levels],
        "rule": f"S* = sqrt(median {1 - INNER_SHARE:.2f}-quantile of the inner face x median "
                f"{BACKGROUND_QUANTILE:.2f}-quantile of the background), on the readable map",
        "held_out": held_out,
        "held_out_summary": {
            "faces_with_70pct_inner_green": sum(g >= 0.7 for g in greens),
            "mean_inner_green": round(float(np.mean(greens)), 4),
            "faces_with_background_red": len(reds),
            "mean_background_red": round(float(np.mean(reds)), 4) if reds else None,
            "faces": len(held_out),
        },
        "date": date.today().isoformat(),
    }


def main(argv=None) -> int:
    import torch

    from plq_desktop.core.zoo.registry import load_model
    from plq_desktop.eval.occlusion import benchmark_faces

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="dlib-resnet")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (default 1)")
    add_output_arguments(parser, "gamma")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    model = load_model(args.model, device=args.device)
    report = calibrate_gamma(model, benchmark_faces())
    target = output_dir(args, "gamma") / f"gamma-{args.model}.json"
    atomic_write_json(target, report)
    print(json.dumps({k: report[k] for k in ("gamma", "held_out_summary")}, indent=2))
    print(f"wrote {target}")
    if args.install:
        calibration = shipped_resource("calibration.json")
        table = json.loads(calibration.read_text())
        entry = table[args.model]
        entry["gamma"] = report["gamma"]
        entry["gamma_source"] = (f"python -m plq_desktop.eval.gamma ({report['date']}): footnote 4 on "
                                 f"{len(report['faces'])} clean sample faces")
        atomic_write_json(calibration, table)
        print(f"gamma {report['gamma']} -> {calibration}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
