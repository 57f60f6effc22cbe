"""``plq compare``: one photo, two models (or one model under two estimators), their maps side by side."""

from __future__ import annotations

from pathlib import Path

from plq_desktop.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    add_device_option,
    add_palette_option,
    add_language_option,
    load_image_or_raise,
    load_model_or_raise,
    prepare_out_dir,
)
from plq_desktop.cli.models import spec_or_explain


def _sides(args) -> tuple[tuple[str, str], tuple[str | None, str | None]]:
    """(model A, model B), (estimator A, estimator B) from --models, --estimators and --estimator."""
    names = list(args.models)
    if len(names) > 2:
        raise CliError("--models takes one or two model names", EXIT_USAGE)
    if args.estimators and args.estimator:
        raise CliError("give --estimator (both sides) or --estimators A B, not both", EXIT_USAGE)
    estimators = list(args.estimators or [args.estimator])
    if len(estimators) > 2:
        raise CliError("--estimators takes one or two estimators", EXIT_USAGE)
    a, b = (names * 2)[:2]
    ea, eb = (estimators * 2)[:2]
    if a == b and ea == eb:
        raise CliError(f"nothing to compare: {a} against itself with the same estimator; give two models "
                       "(--models A B) or two estimators (--estimators robustness serfiq)", EXIT_USAGE)
    return (a, b), (ea, eb)


def cmd_compare(args) -> int:
    from plq_desktop.core.face.detectors import make_detector
    from plq_desktop.core.io.samples import sample_path
    from plq_desktop.core.plq.compare import (
        NoFaceError,
        compare_models,
        write_comparison,
    )

    if bool(args.photo) == bool(args.sample):
        raise CliError("give one photo, or --sample NAME", EXIT_USAGE)
    photo = Path(args.photo) if args.photo else sample_path(args.sample)
    names, estimators = _sides(args)
    for name in names:
        if spec_or_explain(name) is None:
            return EXIT_USAGE
    image = load_image_or_raise(photo)
    out_dir = prepare_out_dir(args.out)
    first = load_model_or_raise(names[0], args.device)
    second = first if names[1] == names[0] else load_model_or_raise(names[1], args.device)
    try:
        detector = make_detector(args.detector, args.device)
    except (FileNotFoundError, ValueError) as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    try:
        cmp = compare_models(image, (first, second), detector, seed=args.seed, face=args.face - 1,
                             path=str(photo), estimators=estimators, raw=args.raw_map)
    except NoFaceError as exc:
        raise CliError(f"{photo}: {exc}", EXIT_FAILED) from None
    written = write_comparison(cmp, image, out_dir, photo.stem, palette=args.palette)
    from plq_desktop.core.i18n import _, format_number, format_sentence
    for m in cmp.maps:
        print(format_sentence(_("{model}: quality {quality:.0f} ({estimator})"), model=m.model,
                              quality=100 * m.quality, estimator=m.estimator))
    agreement = _("undefined (a map is constant)") if cmp.spearman != cmp.spearman else \
        format_number(cmp.spearman, ".3f")
    print(format_sentence(_("map agreement (Spearman over {pixels} pixels): {agreement}"), pixels=cmp.pixels,
                          agreement=agreement))
    print(format_sentence(_("wrote {files}"), files=", ".join(str(p) for p in written)))
    return EXIT_OK


def add_parser(sub) -> None:
    from plq_desktop.core.face.detectors import DETECTORS
    from plq_desktop.core.io.samples import SAMPLES
    from plq_desktop.core.plq.estimators import ESTIMATORS

    p = sub.add_parser("compare", help="one photo, two models (or two estimators): maps side by side, "
                                       "difference, agreement")
    p.add_argument("photo", nargs="?", help="the photo (or use --sample)")
    p.add_argument("--sample", choices=sorted(SAMPLES), help="use a sample photo shipped by a package")
    p.add_argument("--models", nargs="+", default=["dlib-resnet"], metavar="MODEL",
                   help="one or two models (default dlib-resnet); with one, give two --estimators")
    p.add_argument("--estimators", nargs="+", choices=sorted(ESTIMATORS), metavar="ESTIMATOR",
                   help=f"one or two quality estimators ({', '.join(sorted(ESTIMATORS))}), "
                        "e.g. --estimators robustness serfiq to compare them on one model")
    p.add_argument("--estimator", choices=sorted(ESTIMATORS), help="one quality estimator for both (default: per model)")
    p.add_argument("--out", default="plq-out", help="output folder (default ./plq-out)")
    add_device_option(p)
    p.add_argument("--detector", choices=DETECTORS, default="auto",
                   help="face detector: dlib (HOG, its CNN when HOG finds nothing), hog or cnn alone, "
                        "insightface's SCRFD (when a pack provides it), or auto: SCRFD on a GPU, else dlib (default)")
    p.add_argument("--face", type=int, default=1, help="which face, largest first (default 1)")
    p.add_argument("--seed", type=int, default=0, help="seed for the stochastic estimator (default 0)")
    p.add_argument("--raw-map", action="store_true",
                   help="compare the paper's per-pixel maps instead of the readable (smoothed) ones plq analyze draws")
    add_palette_option(p)
    add_language_option(p)
    p.set_defaults(func=cmd_compare)
