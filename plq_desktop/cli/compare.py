"""``plq compare``: one photo, two models, their maps side by side."""

from __future__ import annotations

from pathlib import Path

from plq_desktop.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    err,
    load_model_or_explain,
)
from plq_desktop.cli.models import spec_or_explain


def cmd_compare(args) -> int:
    from plq_desktop.core.face.detectors import make_detector
    from plq_desktop.core.io.images import ImageLoadError, load_image
    from plq_desktop.core.plq.compare import (
        NoFaceError,
        compare_models,
        write_comparison,
    )

    for name in args.models:
        if spec_or_explain(name) is None:
            return EXIT_USAGE
    try:
        image = load_image(Path(args.photo))
    except ImageLoadError as exc:
        err(str(exc))
        return EXIT_FAILED
    models = [load_model_or_explain(name, args.device) for name in args.models]
    if any(m is None for m in models):
        return EXIT_FAILED
    try:
        detector = make_detector(args.detector, args.device)
    except (FileNotFoundError, ValueError) as exc:
        err(str(exc))
        return EXIT_USAGE
    try:
        cmp = compare_models(image, (models[0], models[1]), detector, estimator=args.estimator, seed=args.seed,
                             face=args.face - 1, path=str(args.photo))
    except NoFaceError as exc:
        err(f"{args.photo}: {exc}")
        return EXIT_FAILED
    written = write_comparison(cmp, image, Path(args.out), Path(args.photo).stem)
    for m in cmp.maps:
        print(f"{m.model}: quality {100 * m.quality:.0f} ({m.estimator})")
    agreement = "undefined (a map is constant)" if cmp.spearman != cmp.spearman else f"{cmp.spearman:.3f}"
    print(f"map agreement (Spearman over {cmp.pixels} pixels): {agreement}")
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def add_parser(sub) -> None:
    from plq_desktop.core.face.detectors import DETECTORS
    from plq_desktop.core.plq.estimators import ESTIMATORS

    p = sub.add_parser("compare", help="one photo, two models: maps side by side, difference, agreement")
    p.add_argument("photo")
    p.add_argument("--models", nargs=2, required=True, metavar=("A", "B"))
    p.add_argument("--out", default="plq-out", help="output folder (default ./plq-out)")
    p.add_argument("--device", default="auto", help="auto (CUDA when present), cpu or cuda[:N]")
    p.add_argument("--estimator", choices=sorted(ESTIMATORS), help="quality estimator for both (default: per model)")
    p.add_argument("--detector", choices=DETECTORS, default="auto",
                   help="face detector: dlib (HOG, its CNN when HOG finds nothing), hog or cnn alone, "
                        "insightface's SCRFD (when a pack provides it), or auto: SCRFD on a GPU, else dlib (default)")
    p.add_argument("--face", type=int, default=1, help="which face, largest first (default 1)")
    p.add_argument("--seed", type=int, default=0, help="seed for the stochastic estimator (default 0)")
    p.set_defaults(func=cmd_compare)
