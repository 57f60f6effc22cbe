"""``plq models list|download|import`` and ``plq compare``: getting weights and comparing models.

Every expected failure (no network, a wrong hash, a missing file) ends with
a one-paragraph message on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _err(message: str) -> None:
    print(f"plq: {message}", file=sys.stderr)


def _spec_or_explain(name: str):
    from .core.registry import get_spec
    from .core.weights import WeightsError
    try:
        return get_spec(name)
    except (ValueError, WeightsError) as exc:
        _err(str(exc))
        return None


def model_entry(spec) -> dict:
    """One model as ``plq models list --json`` reports it."""
    from .core import weights
    from .core.registry import is_present

    entry = {
        "name": spec.name,
        "family": spec.family,
        "description": spec.description,
        "format": spec.format or None,
        "present": is_present(spec),
        "bundled": spec.bundled,
        "custom": spec.custom,
        "licence": spec.licence,
        "source": spec.source,
        "chip_size": list(spec.chip_size),
        "alignment": spec.alignment,
        "normalisation": spec.normalisation or None,
        "embedding_dim": spec.embedding_dim,
        "default_estimator": spec.default_estimator,
        "dropout_before": spec.dropout_before or None,
        "trained_dropout": spec.trained_dropout,
    }
    if spec.bundled:
        return entry
    if spec.custom:
        path = Path(spec.source)
        entry.update(size=path.stat().st_size if path.is_file() else None, sha256=None, downloadable=False,
                     files=[{"filename": path.name, "path": str(path), "present": path.is_file()}])
        return entry
    files = [weights.file_record(spec.name, f) for f in spec.files]
    main = files[0]
    required = [f for f, wf in zip(files, spec.files) if not wf.optional]
    sizes = [f["size"] for f in required]
    entry.update(
        size=sum(sizes) if all(s is not None for s in sizes) else None,
        approx_size_mb=main["approx_mb"],
        sha256=main["sha256"],
        sha256_pinned=main["sha256_pinned"],
        downloadable=all(wf.url for wf in spec.files if not wf.optional),
        url=main["url"],
        files=files,
    )
    return entry


def _human(size: int | None, approx_mb: int | None = None) -> str:
    if size is not None:
        return f"{size / 1e6:.0f} MB" if size >= 1e6 else f"{size} B"
    return f"~{approx_mb} MB" if approx_mb else "?"


def cmd_list(args) -> int:
    from .core.onnx_weights import find_scrfd_file
    from .core.registry import all_specs
    from .core.weights import WeightsError

    try:
        entries = [model_entry(s) for s in all_specs()]
    except WeightsError as exc:
        _err(str(exc))
        return EXIT_FAILED
    if args.json:
        print(json.dumps(entries, indent=2))
        return EXIT_OK
    for e in entries:
        state = "bundled" if e["bundled"] else "present" if e["present"] else "missing"
        how = "" if e["present"] else " (download)" if e.get("downloadable") else " (import)"
        print(f"{e['name']:<26} {state + how:<20} {_human(e.get('size'), e.get('approx_size_mb')):>8}  "
              f"{e['default_estimator']:<10}  {e['family']}")
        if not e["bundled"]:
            pin = "" if e.get("sha256_pinned") else " (not pinned)"
            print(f"{'':<26} sha256 {e.get('sha256') or 'unknown'}{pin}")
        print(f"{'':<26} licence: {e['licence']}")
    scrfd = find_scrfd_file()
    print(f"\nSCRFD detector (plq compare --detector scrfd): {scrfd or 'not found; comes with the insightface packs'}")
    return EXIT_OK


def _report_installed(name: str, paths: list[Path]) -> None:
    from .core.weights import read_manifest
    manifest = read_manifest(name)
    for path in paths:
        record = manifest.get(path.name, {})
        pinned = "matches the pinned hash" if record.get("pinned") else "accepted with --trust; pin it"
        print(f"installed {path}\n  sha256 {record.get('sha256')} ({pinned})")


def _check_loads(name: str) -> int:
    from .core.iresnet import ModelFileError
    from .core.registry import check_model
    from .core.weights import WeightsError
    try:
        print(f"checked: {check_model(name)}")
    except (ModelFileError, WeightsError, ValueError, OSError) as exc:
        _err(f"the files of {name} are installed but do not load: {exc}")
        return EXIT_FAILED
    return EXIT_OK


def cmd_download(args) -> int:
    from .core import weights

    spec = _spec_or_explain(args.name)
    if spec is None:
        return EXIT_USAGE
    if spec.bundled or spec.custom:
        print(f"{spec.name} needs no download ({'ships with PLQ Desktop' if spec.bundled else spec.source})")
        return EXIT_OK
    try:
        installed = weights.download_model(spec.name, spec.files, trust=args.trust, progress=sys.stderr.isatty(),
                                           report=lambda m: print(m, file=sys.stderr))
    except weights.WeightsError as exc:
        _err(str(exc))
        return EXIT_FAILED
    if not installed:
        print(f"{spec.name} is already present in {weights.model_dir(spec.name)}")
        return EXIT_OK
    _report_installed(spec.name, installed)
    return _check_loads(spec.name)


def cmd_import(args) -> int:
    from .core import weights

    spec = _spec_or_explain(args.name)
    if spec is None:
        return EXIT_USAGE
    if spec.bundled or spec.custom:
        _err(f"{spec.name} is {'bundled' if spec.bundled else 'a custom model'}: nothing to import")
        return EXIT_USAGE
    try:
        installed = weights.import_model_files(spec.name, spec.files, args.files, trust=args.trust)
    except weights.WeightsError as exc:
        _err(str(exc))
        return EXIT_FAILED
    _report_installed(spec.name, installed)
    if not weights.is_installed(spec.name, spec.files):
        print(weights.missing_message(spec.name, spec.files))
        return EXIT_OK
    return _check_loads(spec.name)


def cmd_compare(args) -> int:
    from .cli import _load_model_or_explain
    from .core.compare import NoFaceError, compare_models, write_comparison
    from .core.imageio import ImageLoadError, load_image
    from .core.onnx_weights import make_detector

    for name in args.models:
        if _spec_or_explain(name) is None:
            return EXIT_USAGE
    try:
        image = load_image(Path(args.photo))
    except ImageLoadError as exc:
        _err(str(exc))
        return EXIT_FAILED
    models = [_load_model_or_explain(name, args.device) for name in args.models]
    if any(m is None for m in models):
        return EXIT_FAILED
    try:
        detector = make_detector(args.detector, args.device)
    except (FileNotFoundError, ValueError) as exc:
        _err(str(exc))
        return EXIT_USAGE
    try:
        cmp = compare_models(image, (models[0], models[1]), detector, estimator=args.estimator, seed=args.seed,
                             face=args.face - 1, path=str(args.photo))
    except NoFaceError as exc:
        _err(f"{args.photo}: {exc}")
        return EXIT_FAILED
    written = write_comparison(cmp, image, Path(args.out), Path(args.photo).stem)
    for m in cmp.maps:
        print(f"{m.model}: quality {100 * m.quality:.0f} ({m.estimator})")
    agreement = "undefined (a map is constant)" if cmp.spearman != cmp.spearman else f"{cmp.spearman:.3f}"
    print(f"map agreement (Spearman over {cmp.pixels} pixels): {agreement}")
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def add_subcommands(sub) -> None:
    """Add ``models`` and ``compare`` to the ``plq`` parser's subcommands."""
    from .core.onnx_weights import DETECTORS
    from .core.quality import ESTIMATORS

    p = sub.add_parser("models", help="list, download and import face-recognition models")
    msub = p.add_subparsers(dest="models_command", required=True)
    q = msub.add_parser("list", help="every model: present or not, size, licence, SHA-256")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.set_defaults(func=cmd_list)
    q = msub.add_parser("download", help="download a model's files into the cache (resumable, hash-checked)")
    q.add_argument("name")
    q.add_argument("--trust", action="store_true",
                   help="accept files whose SHA-256 PLQ Desktop does not pin (their hash is printed)")
    q.set_defaults(func=cmd_download)
    q = msub.add_parser("import", help="enrol model files copied by hand (e.g. from removable media)")
    q.add_argument("name")
    q.add_argument("files", nargs="+", help="the model's files, or the zip pack they came in")
    q.add_argument("--trust", action="store_true", help="accept files without a pinned SHA-256 (hash is printed)")
    q.set_defaults(func=cmd_import)

    p = sub.add_parser("compare", help="one photo, two models: maps side by side, difference, agreement")
    p.add_argument("photo")
    p.add_argument("--models", nargs=2, required=True, metavar=("A", "B"))
    p.add_argument("--out", default="plq-out", help="output folder (default ./plq-out)")
    p.add_argument("--device", default="auto", help="auto (CUDA when present), cpu or cuda[:N]")
    p.add_argument("--estimator", choices=sorted(ESTIMATORS), help="quality estimator for both (default: per model)")
    p.add_argument("--detector", choices=DETECTORS, default="auto",
                   help="face detector: dlib's HOG, insightface's SCRFD (when a pack provides it), or "
                        "auto: SCRFD on a GPU, else dlib (default)")
    p.add_argument("--face", type=int, default=1, help="which face, largest first (default 1)")
    p.add_argument("--seed", type=int, default=0, help="seed for the stochastic estimator (default 0)")
    p.set_defaults(func=cmd_compare)
