"""``plq export``: a passport (35 x 45 mm) or ISO/IEC 19794-5 token photo cut from a photo."""

from __future__ import annotations

from plq_desktop.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    add_device_option,
    add_language_option,
    err,
    load_image_or_raise,
    load_model_or_raise,
)


def cmd_export(args) -> int:
    from pathlib import Path

    from plq_desktop.core.icao.export import ExportError
    from plq_desktop.core.io.passport import export_image

    if args.dpi <= 0:
        err(f"--dpi must be positive, not {args.dpi:g}")
        return EXIT_USAGE
    if Path(args.out).suffix.lower() not in (".jpg", ".jpeg", ".png"):
        err(f"{args.out}: the output must end in .jpg, .jpeg or .png")
        return EXIT_USAGE
    image = load_image_or_raise(args.photo)
    from plq_desktop.core.plq.whatif import SimulationCheckError, simulation_marker
    try:
        simulation = simulation_marker(args.photo)
    except SimulationCheckError as exc:
        err(f"{exc}; not exported")
        return EXIT_FAILED
    if simulation:
        err(f"{args.photo} is a what-if simulation (inpainted), never an enrolment photo")
        return EXIT_FAILED
    model = load_model_or_raise(args.model, args.device)   # CliError (exit 3) when missing
    try:
        outcome = export_image(image, model, args.out, fmt=args.format, dpi=args.dpi, source_path=args.photo,
                               thresholds=args.thresholds)
    except ExportError as exc:
        err(str(exc))
        return EXIT_FAILED
    for note in outcome.export.notes:
        err(note)
    h, w = outcome.export.image.shape[:2]
    from plq_desktop.core.i18n import _, format_sentence
    dpi = f", {outcome.export.effective_dpi:.0f} dpi" if outcome.export.effective_dpi else ""
    failed = [name for name, g in outcome.geometry.items() if g["status"] != "passed"]
    verdict = _("geometry checks passed") if outcome.geometry_passed else \
        format_sentence(_("geometry checks failed: {checks}"), checks=", ".join(failed) or _("no face found again"))
    print(f"{outcome.image_path}: {args.format} {w} x {h} px{dpi}; {verdict} -> {outcome.json_path}")
    return EXIT_OK if outcome.geometry_passed and not outcome.export.fell_back else EXIT_FAILED


def add_parser(sub) -> None:
    from plq_desktop.core.icao.export import DEFAULT_DPI, FORMATS
    from plq_desktop.core.icao.thresholds import PRESETS
    from plq_desktop.core.zoo.registry import model_names

    p = sub.add_parser("export", help="cut a passport or token photo meeting the ICAO geometry")
    p.add_argument("photo", help="the source photo (the largest face is exported)")
    p.add_argument("--out", required=True, help="output image, .jpg or .png; the result JSON goes beside it")
    p.add_argument("--format", default="passport", choices=FORMATS,
                   help="passport: 35 x 45 mm at --dpi (default); token: ISO/IEC 19794-5 token image")
    p.add_argument("--dpi", type=float, default=DEFAULT_DPI,
                   help=f"passport resolution (default {DEFAULT_DPI}); never enlarged past the source")
    p.add_argument("--model", default="dlib-resnet", choices=model_names())
    add_device_option(p)
    p.add_argument("--thresholds", default="icao", choices=sorted(PRESETS))
    add_language_option(p)
    p.set_defaults(func=cmd_export)
