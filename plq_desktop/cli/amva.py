"""``plq amva``: activation-map variation analysis (AMVA) over a set of photos.

Every face in the photos is aligned for the model, rated by a quality
estimator and split by rank into quality groups (default 3: the top third
"high", "middle", the bottom third "low"). Written to --out:

- ``mean_activation.png`` / ``variation.png``: each group's per-pixel mean and
  standard deviation of the activation maps, one colour scale per figure,
  the central face region dashed;
- ``variation_difference.png``: |std_high - std_low| / max (the paper's map);
- ``GROUP_mean.npy``, ``GROUP_std.npy``, ``variation_difference.npy``: the arrays (chip coordinates);
- ``amva_summary.json``: per group the faces, their quality range, and the
  activation and variation inside and outside the central face region.
"""

from __future__ import annotations

import json
import sys

from plq_desktop.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    add_device_option,
    err,
    input_files,
    load_model_or_raise,
    prepare_out_dir,
)


def _collect_faces(files, model, max_faces: int | None):
    import numpy as np

    from plq_desktop.core.analysis import align_faces
    from plq_desktop.core.face.detectors import default_detector
    from plq_desktop.core.io.images import ImageLoadError, load_image

    detector = default_detector()
    chips, labels, failures = [], [], 0
    for path in files:
        try:
            image = load_image(path)
        except ImageLoadError as exc:
            err(str(exc))
            failures += 1
            continue
        detections = detector.detect(image)[:max_faces]
        for i, a in enumerate(align_faces(image, detections, model)):
            chips.append(a.warp(image))
            labels.append(f"{path.name}#{i + 1}")
    return (np.stack(chips) if chips else None), labels, failures


def cmd_amva(args) -> int:
    if args.groups < 2:
        raise CliError("--groups must be at least 2", EXIT_USAGE)
    _, files = input_files(args.paths, args.sample)
    out = prepare_out_dir(args.out)
    model = load_model_or_raise(args.model, args.device)

    import numpy as np

    from plq_desktop.core.io import amva_figures as figs
    from plq_desktop.core.plq import amva
    from plq_desktop.core.plq.estimators import EstimatorUnavailable

    chips, labels, failures = _collect_faces(files, model, args.max_faces)
    needed = amva.faces_needed(args.groups)
    if chips is None or len(chips) < needed:
        raise CliError(f"found {0 if chips is None else len(chips)} faces in {len(files)} photos; "
                       f"{args.groups} quality groups need at least {needed} faces "
                       f"({amva.FACES_PER_GROUP} per group: one face has no variation)", EXIT_FAILED)
    estimator = args.quality_from or model.default_estimator
    try:
        quality = np.concatenate([model.quality(chips[i:i + 16], estimator=estimator, seed=0)[0]
                                  for i in range(0, len(chips), 16)])
        maps = amva.activation_maps(model, chips)
    except (EstimatorUnavailable, amva.AmvaUnavailable, ValueError) as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    groups = amva.group_statistics(maps, quality, args.groups)
    mask = amva.model_central_mask(model)
    mean_faces = {g.name: chips[g.indices].mean(axis=0).astype(np.uint8) for g in groups}
    what = f"{model.name}, {len(chips)} faces ranked by {estimator}"
    figs.group_figure(out / "mean_activation.png", groups, "mean", mask,
                      f"AMVA mean activation per quality group ({what}); background: the group's mean face",
                      mean_faces)
    figs.group_figure(out / "variation.png", groups, "std", mask,
                      f"AMVA variation (per-pixel std of the activation) per quality group ({what})")
    difference = amva.variation_map(groups[0], groups[-1])
    figs.single_figure(out / "variation_difference.png", difference, mask,
                       "|std high - std low| / max\n(dashed: central face region)")
    for g in groups:
        np.save(out / f"{g.name}_mean.npy", g.mean.astype(np.float32))
        np.save(out / f"{g.name}_std.npy", g.std.astype(np.float32))
    np.save(out / "variation_difference.npy", difference)
    group_of = {int(i): g.name for g in groups for i in g.indices}
    report = {
        "model": model.name,
        "quality_estimator": estimator,
        "faces": [{"face": label, "quality": round(float(q), 6), "group": group_of[i]}
                  for i, (label, q) in enumerate(zip(labels, quality))],
        "groups": amva.summary(groups, mask),
        "layer": type(model.net).__name__ + ".spatial_features",
        "central_region": {"centre_below_eyes_ied": amva.CENTRE_DROP, "half_width_ied": amva.HALF_WIDTH,
                           "half_height_ied": amva.HALF_HEIGHT, "pixels": int(mask.sum())},
    }
    (out / "amva_summary.json").write_text(json.dumps(report, indent=2))
    high, low = report["groups"][groups[0].name], report["groups"][groups[-1].name]
    print(f"{len(chips)} faces -> {out}: variation outside the central face high {high['variation_outside']:.4f}, "
          f"low {low['variation_outside']:.4f}")
    if model.fallback_message:
        print(f"plq: {model.fallback_message}", file=sys.stderr)
    return EXIT_FAILED if failures else EXIT_OK


def add_parser(sub) -> None:
    from plq_desktop.core.io.samples import SAMPLES
    from plq_desktop.core.plq.estimators import ESTIMATORS
    from plq_desktop.core.zoo.registry import model_names

    p = sub.add_parser("amva", help="activation-map variation analysis over quality groups of a set of faces")
    p.add_argument("paths", nargs="*", help="folders or photos (walked recursively)")
    p.add_argument("--sample", action="append", default=[], choices=sorted(SAMPLES),
                   help="also use a sample photo shipped by a package (repeatable)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--model", default="dlib-resnet", choices=model_names())
    p.add_argument("--quality-from", choices=sorted(ESTIMATORS),
                   help="estimator that ranks the faces (default: the model's)")
    p.add_argument("--groups", type=int, default=3,
                   help="number of equal quality groups by rank (default 3: top third, middle, bottom third)")
    p.add_argument("--max-faces", type=int, default=None, help="use at most this many faces per photo")
    add_device_option(p)
    p.set_defaults(func=cmd_amva)
