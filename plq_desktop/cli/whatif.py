"""``plq whatif``: inpaint a face region and compare quality and map before and after (a simulation)."""

from __future__ import annotations

from plq_desktop.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_device_option,
    add_palette_option,
    add_language_option,
    err,
    load_image_or_raise,
    load_model_or_raise,
    prepare_out_dir,
)


def cmd_whatif(args) -> int:
    from pathlib import Path

    from plq_desktop.core.plq.whatif import NothingToRepair, WhatIfError, what_if, write_what_if

    image = load_image_or_raise(args.photo)
    model = load_model_or_raise(args.model, args.device)   # CliError (exit 3) when missing
    try:
        sim = what_if(image, model, region=args.region, face_index=args.face - 1, thresholds=args.thresholds,
                      estimator=args.estimator)
    except NothingToRepair as exc:
        # A clean face: an answer, not an error; nothing is simulated and nothing written.
        print(f"{args.photo}: {exc}")
        return EXIT_OK
    except WhatIfError as exc:
        err(f"{args.photo}: {exc}")
        return EXIT_FAILED
    prepare_out_dir(args.out)
    written = write_what_if(sim, image, Path(args.out), Path(args.photo).stem, source=args.photo,
                            palette=args.palette)
    from plq_desktop.core.i18n import _, format_sentence
    line = _("SIMULATION {photo}: inpainting the {region} (chosen: worst by the map) changes quality {before:.0f} -> "
             "{after:.0f} ({gain:+.0f}) -> {json}") if sim.auto else \
        _("SIMULATION {photo}: inpainting the {region} changes quality {before:.0f} -> {after:.0f} ({gain:+.0f}) -> "
          "{json}")
    print(format_sentence(line, photo=args.photo, region=sim.region, before=100 * sim.quality_before,
                          after=100 * sim.quality_after, gain=100 * sim.gain, json=written["json"]))
    return EXIT_OK


def add_parser(sub) -> None:
    from plq_desktop.core.icao.thresholds import PRESETS
    from plq_desktop.core.plq.estimators import ESTIMATORS
    from plq_desktop.core.plq.whatif import REPAIRABLE
    from plq_desktop.core.zoo.registry import model_names

    p = sub.add_parser("whatif", help="simulate repairing a face region (inpainting): quality before and after")
    p.add_argument("photo")
    p.add_argument("--region", default="auto", choices=("auto",) + REPAIRABLE,
                   help="region to inpaint (eyes: both eyes and the skin between them); auto: the one the evidence "
                        "ranks worst, both eyes when both need repair (default; see docs/where-to-fix.md)")
    p.add_argument("--face", type=int, default=1, help="which face, 1 = the largest (default)")
    p.add_argument("--out", default="plq-whatif", help="output folder (default ./plq-whatif)")
    p.add_argument("--model", default="dlib-resnet", choices=model_names())
    add_device_option(p)
    p.add_argument("--estimator", choices=sorted(ESTIMATORS), help="image quality estimator (default: per model)")
    p.add_argument("--thresholds", default="icao", choices=sorted(PRESETS))
    add_palette_option(p)
    add_language_option(p)
    p.set_defaults(func=cmd_whatif)
