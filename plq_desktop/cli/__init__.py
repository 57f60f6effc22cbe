"""The ``plq`` command line: the same core the GUI uses, one module per command."""

from __future__ import annotations

import argparse
import logging

from plq_desktop.cli import amva, analyze, compare, models


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plq", description="Pixel-level face image quality (PLQ) maps.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in (analyze, amva, compare, models):
        command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    return args.func(args)

