"""``plq report``: one self-contained HTML (and PDF) report of a ``plq batch`` folder."""

from __future__ import annotations

from plq_desktop.cli.common import EXIT_OK, EXIT_USAGE, add_language_option, err


def cmd_report(args) -> int:
    from pathlib import Path

    from plq_desktop.core.io.audit_report import write_report
    from plq_desktop.core.io.batch import BatchError

    if args.worst < 0:
        err("--worst must be 0 or more")
        return EXIT_USAGE
    try:
        s = write_report(Path(args.dir), Path(args.out), pdf=args.pdf, worst_n=args.worst)
    except BatchError as exc:
        err(str(exc))
        return EXIT_USAGE
    from plq_desktop.core.i18n import _, format_sentence
    line = _("{files} files, {faces} faces, {blocking} with a blocking hint, {unusable} unusable -> {html} and {pdf}") \
        if args.pdf else _("{files} files, {faces} faces, {blocking} with a blocking hint, {unusable} unusable -> {html}")
    print(format_sentence(line, files=s.files, faces=s.faces, blocking=s.faces_blocking,
                          unusable=s.no_face_files + s.error_files, html=args.out,
                          pdf=Path(args.out).with_suffix(".pdf")))
    return EXIT_OK


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="HTML (and PDF) report of a plq batch folder")
    p.add_argument("dir", help="the --out folder of plq batch")
    p.add_argument("--out", default="report.html", help="the HTML file (default report.html)")
    p.add_argument("--pdf", action="store_true", help="also write the same report as PDF beside it")
    p.add_argument("--worst", type=int, default=10, help="how many lowest-quality faces to show (default 10)")
    add_language_option(p)
    p.set_defaults(func=cmd_report)
