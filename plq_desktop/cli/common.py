"""What every ``plq`` command shares: exit codes, one-line errors, loading a model, the output folder.

Exit codes, the same for every command (README, "Command line"):

    0    all done
    1    some input failed (unreadable photo, no face, an output that could not be written)
    2    the command line is wrong: an unknown option value, a device other than auto/cpu/cuda[:N],
         an output folder that cannot be used
    3    a model is not installed, or its files do not load
    130  interrupted (Ctrl-C); the photo in progress leaves no output
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_MODEL_MISSING, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_SOME_FAILED = EXIT_FAILED


class CliError(Exception):
    """An expected failure: ``main`` prints ``plq: MESSAGE`` (one line) and exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_FAILED):
        super().__init__(message)
        self.code = code


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a wrong command line gets one line (not the usage block) and exit code 2."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def add_language_option(p) -> None:
    from plq_desktop.core.i18n import LANGUAGES
    p.add_argument("--lang", choices=tuple(LANGUAGES), default="en",
                   help="language of the sentences for people: hints, summaries, report (default en); JSON keys, "
                        "check names, CSV columns and numbers stay the same in every language")


def err(message: str) -> None:
    print(f"plq: {message}", file=sys.stderr)


def device_arg(text: str) -> str:
    """argparse type of ``--device``: auto, cpu, cuda or cuda:N that this machine has, else one line (exit 2).

    Checked while the command line is read, so a device this machine lacks stops the command
    before any input is read or output folder made.
    """
    from plq_desktop.core.plq.model import DeviceUnavailable, check_device, resolve_device
    try:
        device = check_device(text)
        resolve_device(device)
        return device
    except (ValueError, DeviceUnavailable) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_device_option(parser) -> None:
    parser.add_argument("--device", default="auto", type=device_arg, metavar="auto|cpu|cuda[:N]",
                        help="where the model runs: auto (CUDA when present, the default), cpu, cuda or cuda:N")


def palette_arg(text: str):
    """argparse type of ``--palette``: a core.io.palette.Palette, else one line (exit 2)."""
    from plq_desktop.core.io.palette import get_palette
    try:
        return get_palette(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_palette_option(parser) -> None:
    from plq_desktop.core.io.palette import DEFAULT_PALETTE, PALETTES
    parser.add_argument("--palette", default=DEFAULT_PALETTE, type=palette_arg, metavar="|".join(PALETTES),
                        help="colours of the quality map, legend and boxes: red-green (red = of little use to "
                             "recognition, green = much use; the default) or cividis (dark blue to yellow, "
                             "readable with red-green colour blindness; docs/palette.md)")


def load_model_or_raise(name: str, device: str):
    """The model, or CliError: code 3 when its files are missing or do not load, 2 for a device it lacks."""
    from plq_desktop.core.formats.errors import ModelFileError
    from plq_desktop.core.plq.model import DeviceUnavailable
    from plq_desktop.core.zoo.registry import load_model
    from plq_desktop.core.zoo.weights import WeightsError
    try:
        return load_model(name, device=device)
    except (WeightsError, ModelFileError, FileNotFoundError) as exc:
        raise CliError(f"cannot load model {name!r}: {exc}", EXIT_MODEL_MISSING) from None
    except DeviceUnavailable as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    except (ValueError, RuntimeError, OSError) as exc:
        raise CliError(f"cannot load model {name!r}: {exc}", EXIT_MODEL_MISSING) from None


def load_image_or_raise(path: str | os.PathLike):
    """The photo as RGB uint8 (notes such as "first frame of 3 used" go to stderr), or CliError (exit 1)."""
    from plq_desktop.core.io.images import ImageLoadError, load_image
    try:
        return load_image(path, note=err)
    except ImageLoadError as exc:
        raise CliError(str(exc), EXIT_FAILED) from None


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return "a part of the path is a file, not a folder"
    return exc.strerror or str(exc)


def _iter_inputs(paths: list[str], suffixes) -> Iterator[Path]:
    """Files as given, and image files inside folders (walked recursively, sorted).

    Broken links inside folders are kept, so that they are reported as such
    rather than skipped without a word.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if (p.is_file() or (p.is_symlink() and not p.exists()))
                              and p.suffix.lower() in suffixes)
        else:
            yield path


def input_files(paths: list[str], samples: list[str]) -> tuple[list[str], list[Path]]:
    """(the inputs as given, with the named sample photos; the files to read) - or a one-line CliError."""
    from plq_desktop.core.io.images import IMAGE_SUFFIXES
    from plq_desktop.core.io.samples import sample_path

    inputs = list(paths) + [str(sample_path(name)) for name in samples]
    if not inputs:
        raise CliError("give at least one photo or folder (or --sample NAME)", EXIT_USAGE)
    files = list(_iter_inputs(inputs, IMAGE_SUFFIXES))
    if not files:
        raise CliError("no image files found in " + ", ".join(inputs), EXIT_FAILED)
    return inputs, files


# Output folders this command made; those still empty at its end (nothing written: a failed or
# interrupted run) are removed again, so a failed run leaves no folder behind.
CREATED_OUT_DIRS: list[Path] = []


def remove_unused_out_dirs() -> None:
    while CREATED_OUT_DIRS:
        folder = CREATED_OUT_DIRS.pop(0)
        try:
            folder.rmdir()          # only when empty
        except OSError:
            CREATED_OUT_DIRS.clear()    # not empty: its parents are not either
            return


def prepare_out_dir(raw: str | os.PathLike) -> Path:
    """The output folder, created if need be and proven writable, before any photo is analysed.

    Writability is tested by writing a file, not with ``os.access``: that
    answers yes to root on a read-only mount and no for some network shares.
    """
    path = Path(raw).expanduser()
    if path.is_symlink() and not path.exists():
        raise CliError(f"output folder {path}: it is a broken symbolic link", EXIT_USAGE)
    if path.exists() and not path.is_dir():
        raise CliError(f"output folder {path}: it is an existing file, not a folder", EXIT_USAGE)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    try:
        path.mkdir(parents=True, exist_ok=True)
        CREATED_OUT_DIRS.extend(missing)      # deepest first
    except OSError as exc:
        raise CliError(f"output folder {path} cannot be created: {_reason(exc)}", EXIT_USAGE) from None
    try:
        fd, probe = tempfile.mkstemp(dir=path, prefix=".plq-write-test-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise CliError(f"output folder {path} is not writable: {_reason(exc)}", EXIT_USAGE) from None
    return path
