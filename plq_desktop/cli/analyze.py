"""``plq analyze``: quality, PLQ map and hints for photos and folders of photos."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from plq_desktop.cli.common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    CliError,
    add_device_option,
    add_palette_option,
    add_language_option,
    input_files,
    load_model_or_raise,
    prepare_out_dir,
)

from plq_desktop.core.i18n import _

# Failures repeated in the summary line; the rest are counted.
SUMMARY_FAILURES = 5


def _unique_stem(path: Path, used: set[str]) -> str:
    stem, n = path.stem, 2
    while stem in used:
        stem, n = f"{path.stem}-{n}", n + 1
    used.add(stem)
    return stem


def _brief(reason: str) -> str:
    """A failure's reason without its parenthesised detail (the full line was printed when it happened)."""
    brief = reason.split(" (")[0].split("; ")[0]
    return brief.removeprefix("it is ")


@dataclass
class RunTally:
    photos: int = 0
    faces: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)   # (file name, short reason)

    def summary(self) -> str:
        from plq_desktop.core.i18n import format_sentence, ngettext
        line = ", ".join((
            format_sentence(ngettext("{n} photo", "{n} photos", self.photos), n=self.photos),
            format_sentence(ngettext("{n} face", "{n} faces", self.faces), n=self.faces),
            format_sentence(_("{n} failed"), n=len(self.failures))))
        if self.failures:
            shown = "; ".join(f"{name} ({_brief(reason)})" for name, reason in self.failures[:SUMMARY_FAILURES])
            more = len(self.failures) - SUMMARY_FAILURES
            line += ": " + shown + (format_sentence(_("; and {n} more"), n=more) if more > 0 else "")
        return line


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
    """Check the estimator and map source, and load what --explain needs (None: PLQ only); CliError if not possible."""
    from plq_desktop.core.plq.amva import AmvaUnavailable
    from plq_desktop.core.plq.estimators import get_estimator, require_support
    try:
        model.check_estimator(args.estimator)
        if args.map_from == "crfiqa":
            require_support(get_estimator("crfiqa"), model.net)
        return _AmvaExplanation(model) if args.explain == "amva" else None
    except (ValueError, AmvaUnavailable) as exc:
        raise CliError(str(exc), EXIT_USAGE) from None


def cmd_analyze(args) -> int:
    from plq_desktop.core.io.images import ImageLoadError, load_image

    inputs, files = input_files(args.paths, args.sample)
    # Before any work: a run must not analyse for an hour and then fail to write.
    out_dir = prepare_out_dir(args.out)
    model = load_model_or_raise(args.model, args.device)
    explain = _prepare_explanation(args, model)

    from tqdm import tqdm

    from plq_desktop.core.analysis import analyze
    from plq_desktop.core.i18n import format_sentence
    from plq_desktop.core.io.report import write_outputs

    tally, used_stems = RunTally(), set()
    current: Path | None = None   # the photo whose outputs are not complete yet
    progress = tqdm(files, unit="photo", disable=not sys.stderr.isatty(), file=sys.stderr)

    def say(message: str) -> None:
        progress.write(f"plq: {message}", file=sys.stderr)

    def failed(path: Path, reason: str, message: str | None = None) -> None:
        tally.failures.append((path.name, reason))
        say(message or f"{path}: {reason}")

    try:
        for path in progress:
            progress.set_postfix_str(path.name)
            tally.photos += 1
            current = path
            try:
                image = load_image(path, note=say)
            except ImageLoadError as exc:
                failed(path, exc.reason, str(exc))
                continue
            result = analyze(image, model, estimator=args.estimator, seed=args.seed, path=str(path),
                             thresholds=args.thresholds, map_from=args.map_from)
            if not result.faces:
                failed(path, _("no face found"))
                continue
            stem = _unique_stem(path, used_stems)
            try:
                if explain is not None:
                    explain.attach(result)
                written = write_outputs(result, image, out_dir, stem, raw_map=args.raw_map, palette=args.palette)
                if explain is not None:
                    written[-1:-1] = explain.write(result, image, out_dir, stem)
            except OSError as exc:
                failed(path, f"cannot write its outputs: {exc.strerror or exc}")
                continue
            current = None
            tally.faces += len(result.faces)
            qualities = ", ".join(f"{100 * f.quality:.0f}" for f in result.faces)
            progress.write(format_sentence(_("{path}: {count} face(s), quality {qualities} -> {output}"), path=path,
                                           count=len(result.faces), qualities=qualities, output=written[-1]))
    except KeyboardInterrupt:
        progress.close()
        done = tally.photos - (current is not None)
        left = f", {current.name} left no output" if current is not None else ""
        raise KeyboardInterrupt(f"{done} of {len(files)} photos done{left}") from None
    finally:
        progress.close()
    if model.fallback_message:
        print(f"plq: {model.fallback_message}", file=sys.stderr)
    if len(files) > 1:
        print(tally.summary())
    return EXIT_SOME_FAILED if tally.failures else EXIT_OK


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
    add_device_option(p)
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
    p.add_argument("--out", default="plq-out", help="output folder (default ./plq-out); checked before any work")
    p.add_argument("--raw-map", action="store_true",
                   help="write the per-pixel map (the paper's Eq. 6) instead of the readable, smoothed one")
    add_palette_option(p)
    add_language_option(p)
    p.set_defaults(func=cmd_analyze)
