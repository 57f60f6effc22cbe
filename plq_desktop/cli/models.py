"""``plq models list|download|import``: getting and enrolling model weights.

Every expected failure (no network, a wrong hash, a missing file) ends with
a one-paragraph message on stderr and a non-zero exit code, never a traceback:
1 for a file that cannot be fetched or verified, 3 for files that do not load
(an import of such files installs nothing), 2 for an unknown model name.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from plq_desktop.cli.common import (
    EXIT_FAILED,
    EXIT_MODEL_MISSING,
    EXIT_OK,
    EXIT_USAGE,
    err,
)


def spec_or_explain(name: str):
    from plq_desktop.core.zoo.registry import get_spec
    from plq_desktop.core.zoo.weights import WeightsError
    try:
        return get_spec(name)
    except (ValueError, WeightsError) as exc:
        err(str(exc))
        return None


def model_entry(spec) -> dict:
    """One model as ``plq models list --json`` reports it."""
    from plq_desktop.core.zoo import weights
    from plq_desktop.core.zoo.registry import is_present

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
        downloadable=all(wf.downloadable for wf in spec.files if not wf.optional),
        url=main["url"],
        files=files,
    )
    return entry


def _human(size: int | None, approx_mb: int | None = None) -> str:
    if size is not None:
        return f"{size / 1e6:.0f} MB" if size >= 1e6 else f"{size} B"
    return f"~{approx_mb} MB" if approx_mb else "?"


def cmd_list(args) -> int:
    from plq_desktop.core.face.scrfd import find_scrfd_file
    from plq_desktop.core.zoo.registry import all_specs
    from plq_desktop.core.zoo.weights import WeightsError

    try:
        entries = [model_entry(s) for s in all_specs()]
    except WeightsError as exc:
        err(str(exc))
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
    from plq_desktop.core.zoo.weights import read_manifest
    manifest = read_manifest(name)
    for path in paths:
        record = manifest.get(path.name, {})
        pinned = "matches the pinned hash" if record.get("pinned") else "accepted with --trust; pin it"
        print(f"installed {path}\n  sha256 {record.get('sha256')} ({pinned})")


# What a model file that does not load raises (ModelFileError and WeightsError are added where used).
_LOAD_ERRORS = (ValueError, OSError, RuntimeError, KeyError, IndexError)


def _check_loads(name: str) -> int:
    from plq_desktop.core.formats.errors import ModelFileError
    from plq_desktop.core.zoo.registry import check_model
    from plq_desktop.core.zoo.weights import WeightsError
    try:
        print(f"checked: {check_model(name)}")
    except (ModelFileError, WeightsError, *_LOAD_ERRORS) as exc:
        err(f"the files of {name} are installed but do not load: {exc}")
        return EXIT_MODEL_MISSING
    return EXIT_OK


def cmd_download(args) -> int:
    from plq_desktop.core.zoo import weights

    spec = spec_or_explain(args.name)
    if spec is None:
        return EXIT_USAGE
    if spec.bundled or spec.custom:
        print(f"{spec.name} needs no download ({'ships with PLQ Desktop' if spec.bundled else spec.source})")
        return EXIT_OK
    try:
        installed = weights.download_model(spec.name, spec.files, trust=args.trust, progress=sys.stderr.isatty(),
                                           report=lambda m: print(m, file=sys.stderr))
    except weights.WeightsError as exc:
        err(str(exc))
        return EXIT_FAILED
    if not installed:
        print(f"{spec.name} is already present in {weights.model_dir(spec.name)}")
        return EXIT_OK
    _report_installed(spec.name, installed)
    return _check_loads(spec.name)


def cmd_import(args) -> int:
    from plq_desktop.core.zoo import weights

    spec = spec_or_explain(args.name)
    if spec is None:
        return EXIT_USAGE
    if spec.bundled or spec.custom:
        err(f"{spec.name} is {'bundled' if spec.bundled else 'a custom model'}: nothing to import")
        return EXIT_USAGE
    from plq_desktop.core.formats.errors import ModelFileError
    from plq_desktop.core.zoo.registry import check_model

    class DoesNotLoad(Exception):
        pass

    checked: list[str] = []

    def verify() -> None:
        # Only a complete set can be loaded; a partial import waits for its other files.
        if weights.is_installed(spec.name, spec.files):
            try:
                checked.append(check_model(spec.name))
            except (ModelFileError, weights.WeightsError, *_LOAD_ERRORS) as exc:
                raise DoesNotLoad(str(exc)) from None

    try:
        installed = weights.import_model_files(spec.name, spec.files, args.files, trust=args.trust, verify=verify)
    except DoesNotLoad as exc:
        err(f"the files given for {spec.name} do not load, so they were not installed: {exc}")
        return EXIT_MODEL_MISSING
    except weights.WeightsError as exc:
        err(str(exc))
        return EXIT_FAILED
    _report_installed(spec.name, installed)
    for summary in checked:
        print(f"checked: {summary}")
    if not weights.is_installed(spec.name, spec.files):
        print(weights.missing_message(spec.name, spec.files))
    return EXIT_OK


def add_parser(sub) -> None:
    """``plq models list|download|import``."""
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
