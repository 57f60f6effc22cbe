"""``plq batch``: audit a folder of photos into results.csv / results.jsonl, resumable after a kill."""

from __future__ import annotations

import contextlib
import sys

from plq_desktop.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    add_device_option,
    add_palette_option,
    add_language_option,
    err,
    load_model_or_raise,
    prepare_out_dir,
)


def cmd_batch(args) -> int:
    from pathlib import Path

    from plq_desktop.core.io.batch import BatchError, list_images, read_rows, run_batch

    folder = Path(args.folder)
    if not folder.is_dir():
        err(f"{folder} is not a folder")
        return EXIT_USAGE
    if args.workers < 1 or args.batch_faces < 1:
        err("--workers and --batch-faces must be at least 1")
        return EXIT_USAGE
    if args.engine == "local" and (args.address or args.actors):
        err("--address and --actors are for --engine ray")
        return EXIT_USAGE
    if args.actors is not None and args.actors < 1:
        err("--actors must be at least 1")
        return EXIT_USAGE
    if args.engine == "ray" and args.workers > 1:
        err("--workers is for the local engine; with --engine ray every CPU of the cluster reads photos")
        return EXIT_USAGE
    if args.engine == "ray":
        from plq_desktop.core.io.batch_ray import import_ray
        try:
            import_ray()        # a missing extra is said before the model loads
        except BatchError as exc:
            err(str(exc))
            return EXIT_USAGE
    prepare_out_dir(args.out)      # a bad --out is said before the model loads (exit 2)
    if args.threads:
        import torch
        torch.set_num_threads(args.threads)
    model = load_model_or_raise(args.model, args.device)   # CliError (exit 3) when missing

    from tqdm import tqdm

    bar = tqdm(total=len(list_images(folder)), unit="photo", file=sys.stderr, disable=not sys.stderr.isatty(),
               smoothing=0.1)

    started = []

    def progress(done: int, total: int) -> None:
        if not started:     # a resumed run starts at the photos already done; rate and ETA count this run
            started.append(done)
            bar.initial = bar.n = bar.last_print_n = done
            bar.refresh()
            return
        bar.update(done - bar.n)

    def log(message: str) -> None:
        bar.write(f"plq: {message}", file=sys.stderr)

    try:
        with contextlib.ExitStack() as stack:
            engine = None
            if args.engine == "ray":
                from plq_desktop.core.io.batch_ray import RayEngine
                engine = stack.enter_context(RayEngine(
                    folder, model, estimator=args.estimator, seed=args.seed, thresholds=args.thresholds,
                    batch_faces=args.batch_faces, device=args.device, address=args.address,
                    model_actors=args.actors, log=log, palette=args.palette))
            summary = run_batch(folder, Path(args.out), model, estimator=args.estimator, thresholds=args.thresholds,
                                seed=args.seed, device=args.device, batch_faces=args.batch_faces,
                                workers=args.workers, palette=args.palette, progress=progress, log=log,
                                engine=engine)
    except BatchError as exc:
        bar.close()
        err(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        bar.close()
        # Counted from the journal: Ctrl-C may come between a photo's rows and the progress call.
        try:
            done = len({r["file"] for r in read_rows(Path(args.out))})
        except BatchError:
            done = 0
        raise KeyboardInterrupt(f"{done} of {bar.total} photos done; "
                                "the same command goes on from there") from None
    bar.close()
    from plq_desktop.core.i18n import _, format_sentence
    s = summary
    if s.skipped:
        line = _("{files} photos ({skipped} done earlier): {processed} processed in {seconds:.1f} s "
                 "({rate:.2f} photos/s), {faces} faces, {problems} unusable in this run, {total} in all -> {csv}")
    else:
        line = _("{files} photos: {processed} processed in {seconds:.1f} s ({rate:.2f} photos/s), {faces} faces, "
                 "{problems} unusable -> {csv}")
    print(format_sentence(line, files=s.files, skipped=s.skipped, processed=s.processed, seconds=s.seconds,
                          rate=s.photos_per_second, faces=s.faces, problems=s.problems, total=s.problems_total,
                          csv=s.csv_path))
    return EXIT_FAILED if summary.problems_total else EXIT_OK


def add_parser(sub) -> None:
    from plq_desktop.core.icao.thresholds import PRESETS
    from plq_desktop.core.plq.estimators import ESTIMATORS
    from plq_desktop.core.zoo.registry import model_names

    p = sub.add_parser("batch", help="audit a folder: one CSV/JSONL row per face, resumable")
    p.add_argument("folder", help="folder of photos (walked recursively)")
    p.add_argument("--out", required=True, help="output folder: results.csv, results.jsonl, maps/")
    p.add_argument("--model", default="dlib-resnet", choices=model_names())
    add_device_option(p)
    p.add_argument("--estimator", choices=sorted(ESTIMATORS), help="image quality estimator (default: per model)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--thresholds", default="icao", choices=sorted(PRESETS))
    p.add_argument("--batch-faces", type=int, default=16, help="faces per model batch, across photos (default 16)")
    p.add_argument("--workers", type=int, default=1,
                   help="processes for reading and detection; the model runs in the main one (default 1)")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (default: torch's choice)")
    add_palette_option(p)
    add_language_option(p)
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local: this machine (default); ray: a Ray cluster (docs/cluster.md; the [cluster] extra)")
    p.add_argument("--address", help="with --engine ray: the cluster's address (ray start --head prints it); "
                                     "default: a private Ray on this machine")
    p.add_argument("--actors", type=int, help="with --engine ray: network actors (default: one per GPU, "
                                              "else 0.4 of the CPUs; docs/cluster.md)")
    p.set_defaults(func=cmd_batch)
