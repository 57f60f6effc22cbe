"""Calibrate a model's Eq. 2 scaling (alpha, r), gradient clip and Eq. 6 gamma.

``python -m plq_desktop.eval.calibrate --model dlib-resnet [--out DIR]`` writes that
model's entry into ``DIR/calibration.json`` (default: the user's data folder);
``--install`` also replaces it in a source checkout's ``resources/calibration.json``. How:

- Development set: the real faces of the quality study (``eval.study``), clean
  and with every degradation at every strength, so that the set spans good to
  useless images.
- Eq. 2, per estimator: r = median raw Q of the development set; alpha maps the
  10th and 90th percentiles to Q_hat = 0.1 and 0.9
  (``quality.spread_calibration``). The paper did the same by hand (r near the
  mean Q of Adience, alpha to stretch).
- Gradient clip: the 99.99th percentile of |dM_Q/dI| over the clean faces, so
  that a single exploding pixel cannot dominate; ordinary pixels are never
  clipped.
- gamma (Eq. 6) belongs to ``eval.gamma`` (the paper's footnote 4, on compliant
  faces); an entry's gamma is kept. A model without one gets a first guess:
  the median merged gradient S_hat of the clean faces' chips maps to P = 0.5
  (10^gamma * S_med^2 = 1); run ``python -m plq_desktop.eval.gamma
  --install`` after this script (S scales with Q_hat, so new alpha, r
  can move gamma).
"""

from __future__ import annotations

import argparse
import json
import math
from datetime import date

import numpy as np

from plq_desktop.core.io.files import atomic_write_json
from plq_desktop.core.plq.estimators import ESTIMATORS, spread_calibration, supports
from plq_desktop.core.plq.model import Calibration
from plq_desktop.core.zoo.registry import _calibration_table, get_spec, load_model
from plq_desktop.eval.output import add_output_arguments, output_dir, shipped_resource
from plq_desktop.eval.study import build_study_set, raw_qualities, study_faces


def calibrate(model_name: str, device: str = "cpu") -> dict:
    # The recognisability estimator's centroids and Eq. 2 come from the reliability suite, which
    # may have written them before this tool ever ran for the model (an entry without gamma yet).
    existing = _existing_entry(model_name)
    centroids = tuple(tuple(float(x) for x in c)
                      for c in existing.get("unrecognisable_centroids", {}).get("centroids", []))
    earlier = {k: (float(v["alpha"]), float(v["r"])) for k, v in existing.get("estimators", {}).items()}
    neutral = Calibration(gamma=0.0, grad_clip=float("inf"), scaling={k: (1.0, 0.0) for k in ESTIMATORS},
                          centroids=centroids)
    model = load_model(model_name, device=device, calibration=neutral)
    clean, labels = study_faces(model)
    data = build_study_set(model, clean, labels)
    development = np.concatenate([clean, data.chips])
    scaling = {}
    for name, est in ESTIMATORS.items():
        if name == "recognisability":
            continue  # needs its centroids: python -m plq_desktop.eval.reliability --write-shipped-calibration
        if not supports(est, model.net):  # crfiqa needs a CR-FIQA network
            continue
        alpha, r = spread_calibration(raw_qualities(model, est, development))
        scaling[name] = {"alpha": round(alpha, 4), "r": round(r, 6)}

    # Gradients of the default estimator's node on the clean faces, with the new alpha, r.
    model.calibration = Calibration(
        gamma=0.0, grad_clip=float("inf"),
        scaling={**{k: (v["alpha"], v["r"]) for k, v in scaling.items()},
                 **{k: v for k, v in earlier.items() if k not in scaling}},
        centroids=centroids)
    grads = _node_gradients(model, clean)
    grad_clip = float(np.quantile(np.abs(grads), 0.9999))
    merged = np.minimum(np.abs(grads), grad_clip).mean(axis=1)
    s_med = float(np.median(merged))
    gamma = -2.0 * math.log10(s_med)
    return {
        "gamma": round(gamma, 4),
        "grad_clip": float(f"{grad_clip:.6g}"),
        "estimators": scaling,
        "calibrated_on": f"{len(clean)} real faces ({', '.join(labels)}) and {len(data.chips)} degraded versions",
        "date": date.today().isoformat(),
    }


def _existing_entry(model_name: str) -> dict:
    try:
        return get_spec(model_name).calibration or _calibration_table().get(model_name, {})
    except ValueError:
        return {}


def _node_gradients(model, chips: np.ndarray) -> np.ndarray:
    """dM_Q/dI for each chip (N x 3 x h x w) with the model's default estimator."""
    est = model.estimator()
    grads = [model.node_gradients(chips[i:i + 8], est, seed=0)[0].cpu().numpy() for i in range(0, len(chips), 8)]
    return np.concatenate(grads)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="dlib-resnet")
    parser.add_argument("--device", default="cpu")
    add_output_arguments(parser, "calibrate")
    args = parser.parse_args(argv)
    entry = calibrate(args.model, args.device)
    targets = [output_dir(args, "calibrate") / "calibration.json"]
    if args.install:
        targets.append(shipped_resource("calibration.json"))
    for target in targets:
        table = json.loads(target.read_text()) if target.exists() else {}
        old = table.get(args.model, {})
        # Keep what this tool does not compute (the reliability suite's estimator and centroids).
        merged = {**old, **entry, "estimators": {**old.get("estimators", {}), **entry["estimators"]}}
        if "gamma_source" in old:   # eval.gamma's choice (footnote 4) stays; rerun eval.gamma after this
            merged["gamma"], merged["gamma_source"] = old["gamma"], old["gamma_source"]
        table[args.model] = merged
        atomic_write_json(target, table)
        print(f"wrote {target}")
    print(json.dumps(entry, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
