"""The report of a batch audit: one self-contained HTML file (and a PDF) from a ``plq batch`` folder.

Everything is embedded (charts and photos as data URIs, no script, no web
font), so the file opens offline and can be mailed. The PDF uses
matplotlib's PdfPages, which the project already depends on.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from plq_desktop.core.i18n import N_, _, format_number, format_sentence
from plq_desktop.core.icao.texts import check_label, row_hint_text
from plq_desktop.core.io.batch import ERROR, NO_FACE, OK, SETTINGS, read_rows
from plq_desktop.core.plq.meaning import quality_meaning

HIST_BINS = 20
THUMB_WIDTH = 480


@dataclass
class AuditSummary:
    files: int
    photos_with_faces: int
    faces: int
    no_face_files: int
    error_files: int
    faces_blocking: int            # faces with at least one blocking hint
    faces_warning_only: int        # warnings but nothing blocking
    faces_clean: int               # no blocking and no warning hint
    failures: dict[str, dict[str, int]] = field(default_factory=dict)   # check -> severity -> faces
    histogram: tuple[list[int], list[float]] = ((), ())                 # counts, bin edges (quality 0..100)
    mean_quality: float | None = None
    worst: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    settings: dict = field(default_factory=dict)


def summarise(out_dir: Path, worst_n: int = 10) -> AuditSummary:
    out_dir = Path(out_dir)
    rows = read_rows(out_dir)
    settings_path = out_dir / SETTINGS
    settings = json.loads(settings_path.read_text()) if settings_path.exists() else {}
    faces = [r for r in rows if r["status"] == OK]
    problems = [r for r in rows if r["status"] != OK]
    failures: dict[str, Counter] = {}
    for r in faces:
        for h in r["hints"]:
            if h["severity"] in ("blocking", "warning"):
                failures.setdefault(h["check"], Counter())[h["severity"]] += 1
    qualities = np.array([100 * r["quality"] for r in faces], dtype=float)
    counts, edges = np.histogram(qualities, bins=HIST_BINS, range=(0, 100))
    return AuditSummary(
        files=len({r["file"] for r in rows}),
        photos_with_faces=len({r["file"] for r in faces}),
        faces=len(faces),
        no_face_files=sum(r["status"] == NO_FACE for r in problems),
        error_files=sum(r["status"] == ERROR for r in problems),
        faces_blocking=sum(r["blocking"] > 0 for r in faces),
        faces_warning_only=sum(r["blocking"] == 0 and r["warnings"] > 0 for r in faces),
        faces_clean=sum(r["blocking"] == 0 and r["warnings"] == 0 for r in faces),
        failures={k: dict(v) for k, v in sorted(failures.items(), key=lambda kv: -sum(kv[1].values()))},
        histogram=(counts.tolist(), edges.tolist()),
        mean_quality=float(qualities.mean()) if len(qualities) else None,
        worst=sorted(faces, key=lambda r: r["quality"])[:worst_n],
        problems=problems,
        settings=settings,
    )


# -- pictures -----------------------------------------------------------------------------

def _png_data_uri(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def _histogram_figure(summary: AuditSummary):
    import matplotlib
    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 2.8), dpi=100)
    ax = fig.add_subplot(111)
    counts, edges = summary.histogram
    if counts:
        ax.bar(edges[:-1], counts, width=np.diff(edges), align="edge", color="#4a7fb5", edgecolor="white")
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("image quality (0-100)"))
    ax.set_ylabel(_("faces"))
    ax.set_title(_("Quality of all faces"))
    fig.tight_layout()
    return fig


def _failures_figure(summary: AuditSummary):
    from matplotlib.figure import Figure

    names = list(summary.failures)[:20]
    fig = Figure(figsize=(6.4, max(1.6, 0.28 * len(names) + 0.9)), dpi=100)
    ax = fig.add_subplot(111)
    if names:
        blocking = [summary.failures[n].get("blocking", 0) for n in names]
        warning = [summary.failures[n].get("warning", 0) for n in names]
        y = np.arange(len(names))[::-1]
        ax.barh(y, blocking, color="#c0392b", label=_("blocking"))
        ax.barh(y, warning, left=blocking, color="#e0a030", label=_("warning"))
        ax.set_yticks(y, names)
        ax.legend(loc="lower right", fontsize=8)
    ax.set_xlabel(_("faces"))
    ax.set_title(_("Failed checks"))
    fig.tight_layout()
    return fig


def _figure_png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _thumbnail(out_dir: Path, row: dict) -> bytes | None:
    """The row's saved map overlay (photo + map + legend), shrunk, as JPEG bytes."""
    rel = row.get("maps", {}).get("png")
    if not rel:
        return None
    image = cv2.imread(str(out_dir / rel), cv2.IMREAD_COLOR)
    if image is None:
        return None
    h, w = image.shape[:2]
    if w > THUMB_WIDTH:
        image = cv2.resize(image, (THUMB_WIDTH, max(1, round(h * THUMB_WIDTH / w))), interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    return data.tobytes() if ok else None


# -- HTML ---------------------------------------------------------------------------------

_CSS = """body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f2f2f2}.face{display:flex;gap:1em;margin:1em 0;border-top:1px solid #ddd;padding-top:1em}
.blocking{color:#b02a1a}.warning{color:#a06800}.info{color:#666}img{max-width:100%}code{font-size:90%}"""


# The report's words (ids and class names stay English: they are for machines).
HEADINGS = {
    "folder": N_("Folder"),
    "counts": N_("Counts"),
    "quality_heading": N_("Quality"),
    "meaning": N_("Quality 0-100 = {meaning}."),
    "histogram": N_("quality histogram"),
    "failures": N_("Failures per check"),
    "check": N_("check"),
    "blocking": N_("blocking"),
    "warning": N_("warning"),
    "failures_alt": N_("failures per check"),
    "worst": N_("The {count} lowest-quality faces"),
    "map_of": N_("map of {file}"),
    "map_missing": N_("map missing"),
    "no_hints": N_("no hints"),
    "quality": N_("quality"),
    "problems": N_("Files that could not be assessed"),
    "file": N_("file"),
    "reason": N_("reason"),
    "settings": N_("Settings and model versions"),
    "versions": N_("Versions"),
}


def _h(key: str) -> str:
    return _(HEADINGS[key])


def _counts(s: AuditSummary) -> list[tuple[str, str, str]]:
    """(element id, label, value) of the report's counts; the ids stay English in every language."""
    mean = _("n/a") if s.mean_quality is None else format_number(s.mean_quality, ".1f")
    return [("files", _("files"), s.files), ("photos-with-faces", _("photos with faces"), s.photos_with_faces),
            ("faces", _("faces"), s.faces), ("files-without-a-face", _("files without a face"), s.no_face_files),
            ("unreadable-files", _("unreadable files"), s.error_files),
            ("faces-with-a-blocking-hint", _("faces with a blocking hint"), s.faces_blocking),
            ("faces-with-warnings-only", _("faces with warnings only"), s.faces_warning_only),
            ("faces-with-no-hint", _("faces with no hint"), s.faces_clean), ("mean-quality", _("mean quality"), mean)]


def _face_title(r: dict) -> str:
    return format_sentence(_("{file} (face {face} of {faces})"), file=r["file"], face=r["face"] + 1, faces=r["faces"])


def _severity(severity: str) -> str:
    return {"blocking": _("blocking"), "warning": _("warning"), "info": _("info")}.get(severity, severity)


def render_html(out_dir: Path, summary: AuditSummary) -> str:
    """The report in the current language (``core.i18n``); element ids and class names stay English."""
    from plq_desktop.core.i18n import current_language

    out_dir = Path(out_dir)
    e = html.escape
    s = summary
    title = _("PLQ batch audit")
    parts = [f"<!DOCTYPE html><html lang='{current_language()}'><head><meta charset='utf-8'><title>{e(title)}</title>",
             f"<style>{_CSS}</style></head><body>", f"<h1>{e(title)}</h1>"]
    folder = s.settings.get("folder", str(out_dir))
    parts.append(f"<p>{e(_h('folder'))} <code>{e(str(folder))}</code></p>")
    parts.append(f"<h2>{e(_h('counts'))}</h2><table>" + "".join(
        f"<tr><th>{e(label)}</th><td class='count' id='{key}'>{e(str(v))}</td></tr>"
        for key, label, v in _counts(s)) + "</table>")
    parts.append(f"<h2>{e(_h('quality_heading'))}</h2>")
    meaning = quality_meaning(s.settings.get("estimator", ""))
    parts.append(f"<p>{e(format_sentence(_h('meaning'), meaning=meaning))}</p>")
    parts.append(f"<img alt='{e(_h('histogram'))}' src='{_png_data_uri(_figure_png(_histogram_figure(s)))}'>")
    parts.append(f"<h2>{e(_h('failures'))}</h2><table><tr><th>{e(_h('check'))}</th>"
                 f"<th>{e(_h('blocking'))}</th><th>{e(_h('warning'))}</th></tr>")
    parts += [f"<tr><td>{e(check_label(k))} <code>{e(k)}</code></td><td>{v.get('blocking', 0)}</td>"
              f"<td>{v.get('warning', 0)}</td></tr>" for k, v in s.failures.items()]
    parts.append("</table>")
    if s.failures:
        parts.append(f"<img alt='{e(_h('failures_alt'))}' "
                     f"src='{_png_data_uri(_figure_png(_failures_figure(s)))}'>")
    parts.append(f"<h2>{e(format_sentence(_h('worst'), count=len(s.worst)))}</h2>")
    for r in s.worst:
        thumb = _thumbnail(out_dir, r)
        img = (f"<img alt='{e(format_sentence(_h('map_of'), file=r['file']))}' "
               f"src='{_png_data_uri(thumb, 'image/jpeg')}'>" if thumb else f"<p>({e(_h('map_missing'))})</p>")
        hints = "".join(f"<li class='{e(h['severity'])}'>{e(row_hint_text(h))}</li>" for h in r["hints"]) or \
            f"<li>{e(_h('no_hints'))}</li>"
        parts.append(f"<div class='face'><div style='flex:0 0 {THUMB_WIDTH}px'>{img}</div><div>"
                     f"<h3>{e(_face_title(r))}</h3>"
                     f"<p>{e(_h('quality'))} <b>{100 * r['quality']:.0f}</b></p><ul>{hints}</ul></div></div>")
    if s.problems:
        parts.append(f"<h2>{e(_h('problems'))}</h2><table><tr><th>{e(_h('file'))}</th>"
                     f"<th>{e(_h('reason'))}</th></tr>")
        parts += [f"<tr><td>{e(r['file'])}</td><td>{e(r.get('error', r['status']))}</td></tr>" for r in s.problems]
        parts.append("</table>")
    parts.append(f"<h2>{e(_h('settings'))}</h2>")
    parts.append(f"<pre>{e(json.dumps(s.settings, indent=2))}</pre></body></html>")
    return "\n".join(parts)


def write_pdf(out_dir: Path, summary: AuditSummary, path: Path) -> None:
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    s = summary
    with PdfPages(path) as pdf:
        page = Figure(figsize=(8.27, 11.69))
        page.text(0.08, 0.95, _("PLQ batch audit"), fontsize=18, weight="bold")
        lines = [f"{_h('folder')}: {s.settings.get('folder', out_dir)}"]
        lines += [f"{label[:1].upper()}{label[1:]}: {v}" for _key, label, v in _counts(s)]
        lines += [format_sentence(_("Quality 0-100 = {meaning}."),
                                  meaning=quality_meaning(s.settings.get("estimator", ""))),
                  format_sentence(_("Model: {model} ({estimator}), thresholds {thresholds}"),
                                  model=s.settings.get("model"), estimator=s.settings.get("estimator"),
                                  thresholds=s.settings.get("thresholds")),
                  f"{_h('versions')}: " + ", ".join(f"{k} {v}" for k, v in s.settings.get("versions", {}).items()
                                                  if isinstance(v, str))]
        for i, line in enumerate(lines):
            page.text(0.08, 0.90 - 0.025 * i, line, fontsize=10)
        for fig, rect in ((_histogram_figure(s), [0.08, 0.36, 0.84, 0.2]),
                          (_failures_figure(s), [0.08, 0.05, 0.84, 0.26])):
            img = cv2.imdecode(np.frombuffer(_figure_png(fig), np.uint8), cv2.IMREAD_COLOR)[..., ::-1]
            ax = page.add_axes(rect)
            ax.imshow(img)
            ax.axis("off")
        pdf.savefig(page)
        for r in s.worst:
            for page in face_pages(out_dir, r):
                pdf.savefig(page)


A4 = (8.27, 11.69)
HINT_FONT_SIZE = 8
HINT_LINE_STEP = 0.016      # of the page height, per line of a hint


def _wrap_to_width(text: str, width_in: float, font_size: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width_in`` inches, measured with matplotlib's font."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    font, layout = FontProperties(size=font_size), TextToPath()

    def width(line: str) -> float:
        # The font's advance widths, as the renderer lays the line out (a TextPath's extents trace every
        # glyph's outline: 60 times slower, minutes for a crowded report).
        return layout.get_text_width_height_descent(line, font, ismath=False)[0] / 72.0   # points to inches

    lines: list[str] = []
    for word in text.split():
        if lines and width(f"{lines[-1]} {word}") <= width_in:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def face_pages(out_dir: Path, row: dict) -> list:
    """The report's pages of one face: title, photo with its map, then every hint, wrapped, never cut.

    Hints that do not fit under the photo continue on a page of their own.
    """
    from matplotlib.figure import Figure

    left, right, bottom = 0.08, 0.92, 0.04
    width_in = (right - left) * A4[0]
    page = Figure(figsize=A4)
    pages = [page]
    page.text(left, 0.95, f"{_face_title(row)}  {_h('quality')} {100 * row['quality']:.0f}", fontsize=12,
              weight="bold")
    thumb = _thumbnail(out_dir, row)
    if thumb:
        ax = page.add_axes([left, 0.45, right - left, 0.47])
        ax.imshow(cv2.imdecode(np.frombuffer(thumb, np.uint8), cv2.IMREAD_COLOR)[..., ::-1])
        ax.axis("off")
    y = 0.40
    for h in row["hints"]:
        lines = _wrap_to_width(f"[{_severity(h['severity'])}] {row_hint_text(h)}", width_in, HINT_FONT_SIZE)
        if y - HINT_LINE_STEP * len(lines) < bottom:
            page = Figure(figsize=A4)
            pages.append(page)
            page.text(left, 0.95, format_sentence(_("{file} (face {face}): hints, continued"), file=row["file"],
                                                  face=row["face"] + 1), fontsize=12)
            y = 0.90
        for line in lines:
            page.text(left, y, line, fontsize=HINT_FONT_SIZE)
            y -= HINT_LINE_STEP
        y -= HINT_LINE_STEP / 3
    return pages


def write_report(out_dir: Path, html_path: Path, pdf: bool = False, worst_n: int = 10) -> AuditSummary:
    from plq_desktop.core.io.files import atomic_write

    summary = summarise(out_dir, worst_n)
    text = render_html(out_dir, summary)
    html_path = Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(html_path, lambda p: Path(p).write_text(text, encoding="utf-8"))
    if pdf:
        atomic_write(html_path.with_suffix(".pdf"), lambda p: write_pdf(out_dir, summary, Path(p)))
    return summary
