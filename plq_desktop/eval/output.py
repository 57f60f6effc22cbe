"""Where the evaluation tools write: a folder the user names, by default under the user's data folder.

Nothing here writes into the installed package. The calibration and reference
profiles that ship in ``resources/`` are replaced only on request
(``--install``), and only from a source checkout, where a maintainer commits them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from plq_desktop.core.io.paths import data_dir

# resources/ of a source checkout (the package maps it to plq_desktop.resources).
SOURCE_RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def add_output_arguments(parser: argparse.ArgumentParser, tool: str) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help=f"output folder (default: {default_output_dir(tool)})")
    parser.add_argument("--install", action="store_true",
                        help="also replace the file shipped in resources/ (maintainers, in a source checkout)")


def default_output_dir(tool: str) -> Path:
    return data_dir() / "eval" / tool


def output_dir(args: argparse.Namespace, tool: str) -> Path:
    folder = args.out or default_output_dir(tool)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shipped_resource(name: str) -> Path:
    """A file of resources/ in the source checkout, for ``--install``; refuses an installed package."""
    if not (SOURCE_RESOURCES / "__init__.py").is_file() or not (SOURCE_RESOURCES.parent / "pyproject.toml").is_file():
        raise SystemExit("--install replaces files of a source checkout's resources/; this is an installed package")
    return SOURCE_RESOURCES / name
