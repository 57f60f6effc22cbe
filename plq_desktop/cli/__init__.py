"""The ``plq`` command line: the same core the GUI uses, one module per command.

Every expected failure ends with one line on stderr and the exit code of
``cli/common.py``; Ctrl-C ends with one line and 130. A traceback shows only
for a bug, and only with ``--verbose``.
"""

from __future__ import annotations

import logging
import os
import sys

from plq_desktop.cli import (
    amva,
    analyze,
    batch,
    compare,
    export,
    models,
    report,
    whatif,
)
from plq_desktop.cli.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    CliError,
    OneLineParser,
    err,
    remove_unused_out_dirs,
)


def build_parser() -> OneLineParser:
    parser = OneLineParser(prog="plq", description="Pixel-level face image quality (PLQ) maps.",
                           epilog="exit codes: 0 done, 1 some input failed, 2 wrong command line or output "
                                  "folder, 3 model missing or not loading, 130 interrupted")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in (analyze, amva, compare, models, export, batch, report, whatif):
        command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from plq_desktop.core.i18n import current_language, set_language

    verbose = False
    language = current_language()     # restored at the end: main may run inside another program (tests)
    try:
        args = build_parser().parse_args(argv)
        verbose = args.verbose
        logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
        set_language(getattr(args, "lang", "en"))
        return args.func(args)
    except CliError as exc:
        err(str(exc))
        return exc.code
    except KeyboardInterrupt as exc:
        # On a terminal, a fresh line: ^C is echoed after whatever it showed.
        fresh = "\n" if sys.stderr.isatty() else ""
        detail = f": {exc}" if str(exc) else ""
        print(f"{fresh}plq: interrupted{detail}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Output piped into e.g. head, which stopped reading: not an error worth a word.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as exc:
        if verbose:
            logging.exception("plq: unexpected error")
        else:
            err(f"unexpected error: {type(exc).__name__}: {exc} (run 'plq -v ...' for the details)")
        return EXIT_FAILED
    finally:
        set_language(language)
        remove_unused_out_dirs()
