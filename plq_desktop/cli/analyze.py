"""``plq analyze``: quality, PLQ map and hints for photos and folders of photos."""

from __future__ import annotations

import sys
from pathlib import Path

from plq_desktop.cli.common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    err,
    load_model_or_explain,
)


def _iter_inputs(paths: list[str], suffixes: set[str]):
    """Files as given, and image files inside folders (walked recursively, sorted)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
        else:
            yield path


def _unique_stem(path: Path, used: set[str]) -> str:
    stem, n = path.stem, 2
    while stem in used:
        stem, n = f"{path.stem}-{n}", n + 1
    used.add(stem)
    return stem


class _AmvaExplanation:
    """--explain amva: each face's deviation from the model's high-quality reference, written as STEM.amva.*"""

    def __init__(self, model):
        from plq_desktop.core.plq import amva
        self.model, self.amva = model, amva
        self.reference = amva.load_reference(model)
        self.vmax = float(self.reference.meta.get("display_max", 1.0))

    def attach(self, result) -> None:
        self.amva.attach_amva(result, self.model, self.reference)

    def write(self, result, image, out_dir, stem):
        from plq_desktop.core.io.amva_figures import write_amva_outputs
        return write_amva_outputs(result, image, out_dir, stem, self.vmax)


def _prepare_explanation(args, model):
    """Check the estimator and map source, and load what --explain needs: None (PLQ only), an explanation, or False."""
    from plq_desktop.core.plq.amva import AmvaUnavailable
    from plq_desktop.core.plq.estimators import get_estimator, require_support
    try:
        model.check_estimator(args.estimator)
        if args.map_from == "crfiqa":
            require_support(get_estimator("crfiqa"), model.net)
        return _AmvaExplanation(model) if args.explain == "amva" else None
    except (ValueError, AmvaUnavailable) as exc:
        err(str(exc))
        return False


def cmd_analyze(args) -> int:
    from plq_desktop.core.io.images import IMAGE_SUFFIXES, ImageLoadError, load_image
    from plq_desktop.core.io.samples import sample_path

    inputs = list(args.paths)
    inputs += [str(sample_path(name)) for name in args.sample]
    if not inputs:
        print("plq analyze: give at least one photo or folder (or --sample NAME)", file=sys.stderr)
        return EXIT_USAGE
    files = list(_iter_inputs(inputs, IMAGE_SUFFIXES))
    if not files:
        print("plq analyze: no image files found in " + ", ".join(inputs), file=sys.stderr)
        return EXIT_SOME_FAILED
    model = load_model_or_explain(args.model, args.device)
    if model is None:
        return EXIT_USAGE
    explain = _prepare_explanation(args, model)
    if explain is False:
        return EXIT_USAGE

    from tqdm import tqdm

    from plq_desktop.core.analysis import analyze
    from plq_desktop.core.io.report import write_outputs

    out_dir = Path(args.out)
    failures, used_stems = 0, set()
    progress = tqdm(files, unit="photo", disable=not sys.stderr.isatty(), file=sys.stderr)
    for path in progress:
        progress.set_postfix_str(path.name)
        try:
            image = load_image(path)
        except ImageLoadError as exc:
            failures += 1
            progress.write(f"plq: {exc}", file=sys.stderr)
            continue
        result = analyze(image, model, estimator=args.estimator, seed=args.seed, path=str(path),
                         thresholds=args.thresholds, map_from=args.map_from)
        if not result.faces:
            failures += 1
            progress.write(f"plq: {path}: no face found", file=sys.stderr)
            continue
        stem = _unique_stem(path, used_stems)
        if explain is not None:
            explain.attach(result)
        written = write_outputs(result, image, out_dir, stem)
        if explain is not None:
            written[-1:-1] = explain.write(result, image, out_dir, stem)
        qualities = ", ".join(f"{100 * f.quality:.0f}" for f in result.faces)
        progress.write(f"{path}: {len(result.faces)} face(s), quality {qualities} -> {written[-1]}")
    if model.fallback_message:
        print(f"plq: {model.fallback_message}", file=sys.stderr)
    return EXIT_SOME_FAILED if failures else EXIT_OK


def add_parser(sub) -> None:
    from plq_desktop.core.icao.thresholds import PRESETS
    from plq_desktop.core.io.samples import SAMPLES
    from plq_desktop.core.plq.estimators import ESTIMATORS
    from plq_desktop.core.zoo.registry import model_names

    p = sub.add_parser("analyze", help="quality and PLQ maps for photos or folders of photos")
    p.add_argument("paths", nargs="*", help="photos or folders (walked recursively)")
    p.add_argument("--sample", action="append", default=[], choices=sorted(SAMPLES),
                   help="also analyse a sample photo shipped by a package (repeatable)")
    p.add_argument("--model", default="dlib-resnet", choices=model_names())
    p.add_argument("--device", default="auto", help="auto (CUDA when present), cpu or cuda[:N]")
    p.add_argument("--estimator", choices=sorted(ESTIMATORS), help="image quality estimator (default: per model)")
    p.add_argument("--seed", type=int, default=0, help="seed for the stochastic estimator (default 0)")
    p.add_argument("--thresholds", default="icao", choices=sorted(PRESETS),
                   help="threshold preset of the ICAO-style hints (default icao)")
    p.add_argument("--explain", choices=("plq", "amva"), default="plq",
                   help="amva: also write STEM.amva.png/.npy, each face's activation-map deviation from "
                        "high-quality faces (docs/amva.md)")
    p.add_argument("--map-from", choices=("node", "crfiqa"), default="node",
                   help="gradient source of the PLQ map: the paper's quality node (default) or the "
                        "CR-FIQA output itself (CR-FIQA models only)")
    p.add_argument("--out", default="plq-out", help="output folder (default ./plq-out)")
    p.set_defaults(func=cmd_analyze)
