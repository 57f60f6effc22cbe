"""Batch audit of a folder: one row per face and one per unusable file, resumable after any kill.

Crash safety rests on one append-only journal, ``DIR/results.jsonl``:

- all rows of one photo are appended with a single ``write`` and ``fsync``ed
  before the next photo's, each row a whole line that names its file and how
  many rows that file has;
- on start the journal is read back: a torn last line (no newline, or not
  JSON) and a photo with fewer rows than it announced are cut off with
  ``truncate`` (they can only be at the end), and every photo with all its
  rows counts as done and is skipped;
- the maps are written (atomically) before the photo's rows, so a row never
  points at a missing file; a kill in between only redoes that photo;
- ``results.csv`` is rebuilt from the journal through a temporary file and
  ``os.replace``, so it is always whole (it may lag until the run ends).

The settings of a run live in ``DIR/batch.json``; a restart with other
settings is refused rather than mixing two kinds of rows.

Faces of several photos go through the model together (``batch_faces``);
with ``workers`` > 1, detection and alignment (most of the time per photo on
a CPU) run in that many processes while this one runs the model.

Where the photos are analysed is the engine's business: the local one here,
or a Ray cluster (``batch_ray``). Either yields each photo's rows and the
contents of its map files; this module alone writes them, so both engines
give the same files and the same guarantees.
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from plq_desktop.core.analysis import Prepared, finish, prepare
from plq_desktop.core.io.files import atomic_write
from plq_desktop.core.io.images import IMAGE_SUFFIXES, ImageLoadError, load_image
from plq_desktop.core.io.palette import DEFAULT_PALETTE, Palette
from plq_desktop.core.io.report import encode_outputs, output_paths, write_output_set

JOURNAL, CSV_NAME, SETTINGS, MAPS = "results.jsonl", "results.csv", "batch.json", "maps"
OK, NO_FACE, ERROR = "ok", "no_face", "error"
# Settings that must match for a restart to continue the same batch.
RESUME_KEYS = ("folder", "model", "estimator", "thresholds", "seed")
FIXED_COLUMNS = ("file", "status", "face", "faces", "quality", "raw_quality", "mean_pixel_quality",
                 "blocking", "warnings", "hints", "map_png", "map_npz", "json", "error")


class BatchError(RuntimeError):
    """The batch cannot start (other settings in DIR, no images); ``str()`` is one line."""


def list_images(folder: Path) -> list[str]:
    """Image files under ``folder`` (recursive), as sorted POSIX paths relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES and MAPS not in p.parts[:1])


def stem_for(rel: str) -> str:
    """A flat, collision-free output name: sub/a.jpg -> sub__a.jpg."""
    return rel.replace("/", "__")


def output_names(rel: str) -> dict[str, str]:
    """The map files of a photo, relative to the batch folder, as the rows name them."""
    json_path, npz_path, png_path = output_paths(Path(MAPS), stem_for(rel))
    return {"json": json_path.as_posix(), "npz": npz_path.as_posix(), "png": png_path.as_posix()}


# -- the journal --------------------------------------------------------------------------

class Journal:
    """Append-only JSON lines; ``recover`` returns the complete photos and cuts off the rest."""

    def __init__(self, path: Path):
        self.path = path

    def recover(self) -> dict[str, list[dict]]:
        if not self.path.exists():
            return {}
        data = self.path.read_bytes()
        done: dict[str, list[dict]] = {}
        group: list[dict] = []
        good_end = pos = 0
        while True:
            nl = data.find(b"\n", pos)
            if nl < 0:
                break                                    # a torn last line (or the end)
            try:
                row = json.loads(data[pos:nl])
                file, count = row["file"], int(row["rows"])
            except (ValueError, KeyError, TypeError):
                break                                    # garbage: only a torn write leaves that
            pos = nl + 1
            if group and group[0]["file"] != file:
                group = []                               # an earlier incomplete photo: drop it
            group.append(row)
            if len(group) == count:
                done.setdefault(file, group)             # first complete copy wins
                group, good_end = [], pos
        if good_end < len(data):
            with open(self.path, "r+b") as fh:
                fh.truncate(good_end)
                fh.flush()
                os.fsync(fh.fileno())
        return done

    def append(self, rows: list[dict]) -> None:
        blob = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in rows).encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            view = memoryview(blob)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)

    def rows(self) -> list[dict]:
        return [r for group in self.recover().values() for r in group]


# -- rows ---------------------------------------------------------------------------------

def check_key(check, names_seen: dict[str, int]) -> str:
    """Column name of a check: its name, with the region when a name repeats (occlusion per region)."""
    return f"{check.name}.{check.region}" if names_seen[check.name] > 1 else check.name


def face_rows(rel: str, result, outputs: dict[str, str]) -> list[dict]:
    from plq_desktop.core.io.report import result_dict

    faces = result_dict(result)["faces"]
    rows = []
    for i, (face, fd) in enumerate(zip(result.faces, faces)):
        counts: dict[str, int] = {}
        for c in face.checks:
            counts[c.name] = counts.get(c.name, 0) + 1
        checks = {check_key(c, counts): {"value": None if c.value is None else round(float(c.value), 4),
                                         "status": c.status, "severity": c.severity, "unit": c.unit}
                  for c in face.checks}
        # The sentence as its language-independent spec: a batch resumed with another --lang gives the same rows,
        # and the report writes it in its own language (texts.row_hint_text).
        hints = [{"check": h.check, "region": h.region, "severity": h.severity, "sentence": h.sentence_spec()}
                 for h in face.hints]
        rows.append({
            "file": rel, "rows": len(result.faces), "row": i, "status": OK, "face": i, "faces": len(result.faces),
            "quality": fd["quality"], "raw_quality": fd["raw_quality"],
            "mean_pixel_quality": fd["mean_pixel_quality"], "box": fd["box"],
            "blocking": sum(h["severity"] == "blocking" for h in hints),
            "warnings": sum(h["severity"] == "warning" for h in hints),
            "hints": hints, "checks": checks, "maps": outputs,
        })
    return rows


def problem_row(rel: str, status: str, message: str) -> dict:
    return {"file": rel, "rows": 1, "row": 0, "status": status, "error": message}


def csv_text(rows: list[dict]) -> str:
    check_columns: list[str] = []
    for r in rows:
        for key in r.get("checks", {}):
            if key not in check_columns:
                check_columns.append(key)
    header = list(FIXED_COLUMNS) + [c for key in check_columns for c in (key, f"{key}:status")]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for r in sorted(rows, key=lambda r: (r["file"], r["row"])):
        maps = r.get("maps", {})
        line = {
            "file": r["file"], "status": r["status"], "face": r.get("face", ""), "faces": r.get("faces", ""),
            "quality": r.get("quality", ""), "raw_quality": r.get("raw_quality", ""),
            "mean_pixel_quality": r.get("mean_pixel_quality", ""), "blocking": r.get("blocking", ""),
            "warnings": r.get("warnings", ""),
            "hints": "; ".join(f"{h['check']} ({h['severity']})" for h in r.get("hints", [])),
            # "npy": the key of journals written before issue 21.
            "map_png": maps.get("png", ""), "map_npz": maps.get("npz", maps.get("npy", "")),
            "json": maps.get("json", ""),
            "error": r.get("error", ""),
        }
        for key in check_columns:
            c = r.get("checks", {}).get(key)
            line[key] = "" if c is None or c["value"] is None else c["value"]
            line[f"{key}:status"] = "" if c is None else c["status"]
        writer.writerow([line[h] for h in header])
    return buf.getvalue()


def write_csv(out_dir: Path, rows: list[dict]) -> Path:
    path = out_dir / CSV_NAME
    text = csv_text(rows)
    atomic_write(path, lambda p: Path(p).write_text(text, encoding="utf-8"))
    return path


# -- preparing photos (here or in worker processes) ----------------------------------------

@dataclass(frozen=True)
class ModelShape:
    """What detection and alignment need to know about a model (picklable, no weights)."""

    name: str
    default_estimator: str
    alignment: str
    chip_size: tuple[int, int]

    @classmethod
    def of(cls, model) -> ModelShape:
        return cls(model.name, model.default_estimator, model.alignment, tuple(model.chip_size))


def prepare_file(job: tuple[str, str, ModelShape, str | None]) -> tuple[str, Prepared | None, str | None]:
    """One photo read, detected and aligned: (rel, the prepared photo, None) or (rel, None, one-line error)."""
    folder, rel, shape, estimator = job
    path = Path(folder) / rel
    try:
        image = load_image(path)
    except ImageLoadError as exc:
        return rel, None, str(exc)
    except Exception as exc:  # noqa: BLE001 - any decoder failure is one error row, not a dead batch
        return rel, None, f"Cannot load {path}: {exc}"
    try:
        return rel, prepare(image, shape, estimator=estimator, path=str(path)), None
    except Exception as exc:  # noqa: BLE001
        return rel, None, f"{path}: analysis failed ({exc})"


def _prepared_stream(folder: Path, todo: list[str], shape: ModelShape, estimator, workers: int) -> Iterator:
    jobs = [(str(folder), rel, shape, estimator) for rel in todo]
    if workers <= 1:
        yield from map(prepare_file, jobs)
        return
    import multiprocessing as mp

    # spawn: the parent holds torch's thread pools, which do not survive a fork.
    with mp.get_context("spawn").Pool(workers, initializer=_worker_init) as pool:
        yield from pool.imap(prepare_file, jobs, chunksize=1)


def _worker_init():
    import cv2
    cv2.setNumThreads(1)


@dataclass
class PhotoDone:
    """One photo's rows, and the contents of its map files (``encode_outputs``) when it has faces."""

    rel: str
    rows: list[dict]
    files: list[bytes] | None = None


def problem_photo(rel: str, error: str | None, folder: Path | str) -> PhotoDone:
    """The row of a photo that could not be read (``error``) or shows no face."""
    if error is not None:
        return PhotoDone(rel, [problem_row(rel, ERROR, error)])
    return PhotoDone(rel, [problem_row(rel, NO_FACE, f"{Path(folder) / rel}: no face found")])


def photo_done(rel: str, prep: Prepared, plq, model, thresholds, offset: int = 0,
               palette: Palette = DEFAULT_PALETTE) -> PhotoDone:
    """A prepared photo's rows and map files (drawn in ``palette``) from rows ``offset..`` of a PLQ batch
    (the checks run here)."""
    result = finish(prep, plq, model, thresholds=thresholds, offset=offset)
    return PhotoDone(rel, face_rows(rel, result, output_names(rel)),
                     encode_outputs(result, prep.image, palette=palette))


def analyse_prepared(pending: list[tuple[str, Prepared]], model, estimator, seed, thresholds,
                     palette: Palette = DEFAULT_PALETTE) -> list[PhotoDone]:
    """The faces of several prepared photos through the model in one batch, then each photo's rows and maps."""
    plq = model.plq(np.concatenate([p.chips for _, p in pending]), estimator=estimator, seed=seed)
    done, offset = [], 0
    for rel, prep in pending:
        done.append(photo_done(rel, prep, plq, model, thresholds, offset, palette))
        offset += len(prep.detections)
    return done


def local_engine(folder: Path, todo: list[str], model, estimator, seed, thresholds, batch_faces: int,
                 workers: int, stop: Callable[[], bool] | None,
                 palette: Palette = DEFAULT_PALETTE) -> Iterator[PhotoDone]:
    """Photos of ``todo`` analysed in this process (detection in ``workers`` processes when > 1);
    returns early when ``stop()``, dropping photos not yet through the model."""
    pending: list[tuple[str, Prepared]] = []
    stream = _prepared_stream(folder, todo, ModelShape.of(model), estimator, workers)
    try:
        for rel, prep, error in stream:
            if stop is not None and stop():
                return
            if error is not None or not prep.detections:
                yield problem_photo(rel, error, folder)
                continue
            pending.append((rel, prep))
            if sum(len(p.detections) for _, p in pending) >= batch_faces:
                yield from analyse_prepared(pending, model, estimator, seed, thresholds, palette)
                pending.clear()
    finally:
        stream.close()      # with workers: ends the pool now, not when the generator is collected
    if pending:
        yield from analyse_prepared(pending, model, estimator, seed, thresholds, palette)


# -- the run ------------------------------------------------------------------------------

@dataclass
class BatchSummary:
    files: int
    skipped: int          # done by an earlier run
    processed: int
    faces: int
    problems: int         # error and no-face rows written by this run
    problems_total: int   # error and no-face rows in the whole batch, earlier runs included
    seconds: float
    csv_path: Path
    journal_path: Path
    stopped: bool = False  # ``stop`` ended the run early; the same call again continues it

    @property
    def photos_per_second(self) -> float:
        return self.processed / self.seconds if self.seconds > 0 else 0.0


def batch_settings(folder: Path, model, estimator, thresholds, seed, device: str) -> dict:
    import platform

    import torch

    import plq_desktop
    cal = model.calibration
    est = estimator or model.default_estimator
    return {
        "folder": str(folder.resolve()), "model": model.name, "estimator": est,
        "thresholds": thresholds or "icao", "seed": seed, "device": device,
        "versions": {"plq_desktop": plq_desktop.__version__, "torch": torch.__version__,
                     "python": platform.python_version(),
                     "calibration": {"gamma": cal.gamma, "grad_clip": cal.grad_clip,
                                     "alpha_r": list(cal.alpha_r(est))}},
    }


def _check_settings(out_dir: Path, settings: dict) -> None:
    path = out_dir / SETTINGS
    if path.exists():
        try:
            old = json.loads(path.read_text())
        except ValueError:
            old = None
        if old is not None:
            diff = [k for k in RESUME_KEYS if old.get(k) != settings.get(k)]
            if diff:
                raise BatchError(f"{out_dir} holds a batch with other settings ({', '.join(diff)}); "
                                 "use the same command or another --out")
            return
    atomic_write(path, lambda p: Path(p).write_text(json.dumps(settings, indent=2)))


Engine = Callable[[list[str]], Generator[PhotoDone, None, None]]


def run_batch(folder: Path, out_dir: Path, model, estimator: str | None = None, thresholds=None,
              seed: int | None = 0, device: str = "auto", batch_faces: int = 16, workers: int = 1,
              progress: Callable[[int, int], None] | None = None, csv_every_s: float = 30.0,
              log: Callable[[str], None] | None = None, stop: Callable[[], bool] | None = None,
              engine: Engine | None = None, palette: Palette = DEFAULT_PALETTE) -> BatchSummary:
    """Audit every image under ``folder`` into ``out_dir``; continue where an earlier run stopped.

    ``stop`` (polled before each photo, e.g. a GUI's Cancel) ends the run at once: photos
    prepared but not yet through the model are dropped, not written, so the next run redoes them.
    ``palette`` colours the map images only (rows are the same in any palette, so a resumed run may
    take another one); an ``engine`` brings its own.
    ``engine`` (photos still to do -> their ``PhotoDone``s, in any order): where the photos are
    analysed, by default ``local_engine`` with ``model``; ``model`` still names the batch's settings.
    """
    folder, out_dir = Path(folder), Path(out_dir)
    if not folder.is_dir():
        raise BatchError(f"{folder} is not a folder")
    files = list_images(folder)
    if not files:
        raise BatchError(f"no image files found in {folder}")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MAPS).mkdir(exist_ok=True)
    _check_settings(out_dir, batch_settings(folder, model, estimator, thresholds, seed, device))
    journal = Journal(out_dir / JOURNAL)
    done = journal.recover()
    todo = [rel for rel in files if rel not in done]
    start = time.perf_counter()
    counts = {"processed": 0, "faces": 0, "problems": 0}
    last_csv = time.monotonic()
    total = len(files)
    if progress:
        progress(len(done), total)      # the starting point: photos done by earlier runs
    if engine is None:
        photos = local_engine(folder, todo, model, estimator, seed, thresholds, batch_faces, workers, stop,
                              palette)
    else:
        photos = engine(todo)
    stopped = False
    try:
        for photo in photos:
            if stop is not None and stop():
                stopped = True
                break
            if photo.files is not None:
                # The maps before the rows: a row never points at a missing file.
                write_output_set(out_dir / MAPS, stem_for(photo.rel), photo.files)
            journal.append(photo.rows)
            counts["processed"] += 1
            if photo.rows[0]["status"] == OK:
                counts["faces"] += len(photo.rows)
            else:
                counts["problems"] += 1
                if log:
                    log(photo.rows[0]["error"])
            if progress:
                progress(len(done) + counts["processed"], total)
            if time.monotonic() - last_csv > csv_every_s:
                write_csv(out_dir, journal.rows())
                last_csv = time.monotonic()
    finally:
        photos.close()
    # An engine returns early only when stopped.
    stopped = stopped or len(done) + counts["processed"] < total
    rows = journal.rows()
    csv_path = write_csv(out_dir, rows)
    return BatchSummary(total, len(done), counts["processed"], counts["faces"], counts["problems"],
                        sum(r["status"] != OK for r in rows), time.perf_counter() - start, csv_path, journal.path,
                        stopped)


def read_rows(out_dir: Path) -> list[dict]:
    """The rows of a batch folder, complete photos only (a torn tail is ignored, not cut)."""
    path = Path(out_dir) / JOURNAL
    if not path.exists():
        raise BatchError(f"{out_dir} holds no {JOURNAL}: run plq batch first")
    rows, group = [], []
    for line in path.read_bytes().split(b"\n")[:-1]:
        try:
            row = json.loads(line)
        except ValueError:
            break
        if group and group[0]["file"] != row["file"]:
            group = []
        group.append(row)
        if len(group) == row["rows"]:
            rows.extend(group)
            group = []
    seen, unique = set(), []
    for r in rows:
        key = (r["file"], r["row"])
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique

