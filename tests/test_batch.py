"""plq batch: one row per face and per unusable file, surviving SIGKILL at random points; plq report's counts."""

import contextlib
import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plq_desktop.cli import main
from plq_desktop.core.icao.texts import row_hint_text
from plq_desktop.core.io import audit_report
from plq_desktop.core.io.audit_report import summarise
from plq_desktop.core.io.batch import JOURNAL, Journal, read_rows

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def folder(audit_folder):
    return audit_folder


def _batch_cmd(folder, out):
    return [sys.executable, "-m", "plq_desktop.cli", "batch", str(folder), "--out", str(out),
            "--device", "cpu", "--threads", "1", "--batch-faces", "4"]


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.fixture(scope="module")
def reference(folder, tmp_path_factory):
    """An uninterrupted run, for comparison."""
    out = tmp_path_factory.mktemp("ref")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["batch", str(folder), "--out", str(out), "--device", "cpu", "--batch-faces", "4"]) == 1
    REFERENCE_SUMMARY.append(printed.getvalue())
    return out


REFERENCE_SUMMARY: list[str] = []     # what the reference run printed


def _key_rows(out):
    lines = (out / JOURNAL).read_bytes().split(b"\n")
    assert lines[-1] == b"", "the journal ends with a whole line"
    rows = [json.loads(line) for line in lines[:-1]]
    return rows, sorted((r["file"], r["row"]) for r in rows)


def test_rows_per_face_and_per_bad_file(reference, folder, dlib_model):
    rows, keys = _key_rows(reference)
    assert len(keys) == len(set(keys))
    by_file = {}
    for r in rows:
        by_file.setdefault(r["file"], []).append(r)
    assert set(by_file) == {"hopper.jpg", "sub/hopper_tilt.png", "sub/hopper_grey.png", "astronaut.jpg",
                            "group.jpg", "truncated.jpg", "notes.png", "empty.jpg", "wall.png"}
    for bad in ("truncated.jpg", "notes.png", "empty.jpg"):
        (r,) = by_file[bad]
        assert r["status"] == "error" and bad in r["error"]
    assert by_file["wall.png"][0]["status"] == "no_face"
    assert len(by_file["group.jpg"]) >= 3, "several faces of one photo, one row each"
    tilt = by_file["sub/hopper_tilt.png"][0]
    assert tilt["checks"]["roll"]["status"] == "failed" and any(h["check"] == "roll" for h in tilt["hints"])
    # Faces batched across photos score what the photo alone scores in the pipeline.
    from plq_desktop.core.analysis import analyze
    from plq_desktop.core.io.images import load_image
    alone = analyze(load_image(folder / "hopper.jpg"), dlib_model)
    assert by_file["hopper.jpg"][0]["quality"] == pytest.approx(alone.faces[0].quality, abs=1e-3)
    for r in rows:
        if r["status"] == "ok":
            assert (reference / r["maps"]["png"]).is_file() and (reference / r["maps"]["npz"]).is_file()
    with open(reference / "results.csv", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == len(rows)
    maps = [r["map_npz"] for r in table if r["status"] == "ok"]
    assert maps and all(m.endswith(".plq.npz") and (reference / m).is_file() for m in maps)
    # A first run names its unusable files once.
    (summary,) = REFERENCE_SUMMARY
    assert ", 4 unusable -> " in summary and "in all" not in summary and "earlier" not in summary
    assert {"quality", "hints", "map_png", "roll", "roll:status", "head_height"} <= set(table[0])


def test_sigkill_at_random_points_then_resume(folder, reference, tmp_path, capsys):
    out = tmp_path / "out"
    rng = random.Random(12)
    kills = 0
    for _ in range(2):
        proc = subprocess.Popen(_batch_cmd(folder, out), env=_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        # Wait until this run has started writing rows, then kill it at a random moment.
        before = (out / JOURNAL).stat().st_size if (out / JOURNAL).exists() else 0
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if (out / JOURNAL).exists() and (out / JOURNAL).stat().st_size > before:
                break
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.6))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 1, "at least one run was killed mid-batch"
    # The same command again (in this process, to save a start-up) finishes the batch.
    assert main(_batch_cmd(folder, out)[3:]) == 1, "bad files remain bad"
    _rows, keys = _key_rows(out)
    _, ref_keys = _key_rows(reference)
    assert keys == ref_keys, "exactly one row per face and per bad file: none lost, none duplicated"
    with open(out / "results.csv", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == len(ref_keys)
    # A further restart finds nothing to do and adds nothing.
    capsys.readouterr()
    assert main(_batch_cmd(folder, out)[3:]) == 1
    again = capsys.readouterr().out
    assert "(9 done earlier): 0 processed" in again and "0 unusable in this run, 4 in all" in again
    assert _key_rows(out)[1] == ref_keys


def test_stop_then_run_again(folder, reference, tmp_path, dlib_model):
    """``stop`` (the GUI's Cancel) ends a run between photos; the same call again completes the batch."""
    from plq_desktop.core.io.batch import run_batch
    out = tmp_path / "out"
    seen = []
    first = run_batch(folder, out, dlib_model, device="cpu", batch_faces=4,
                      progress=lambda done, total: seen.append(done), stop=lambda: len(seen) > 3)
    assert first.stopped and 0 < first.processed < first.files
    _rows, keys = _key_rows(out)
    assert len({f for f, _ in keys}) == first.processed     # whole photos only, and as many as it said
    with open(out / "results.csv", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == len(keys)   # the CSV follows the journal after a stop
    second = run_batch(folder, out, dlib_model, device="cpu", batch_faces=4)
    assert not second.stopped and second.skipped == first.processed
    assert _key_rows(out)[1] == _key_rows(reference)[1]


def test_torn_tail_is_cut_and_redone(tmp_path):
    journal = Journal(tmp_path / JOURNAL)
    journal.append([{"file": "a.jpg", "rows": 1, "row": 0, "status": "ok"}])
    journal.append([{"file": "b.jpg", "rows": 2, "row": 0, "status": "ok"},
                    {"file": "b.jpg", "rows": 2, "row": 1, "status": "ok"}])
    whole = (tmp_path / JOURNAL).read_bytes()
    # b.jpg's second row torn half-way: b.jpg is incomplete and must be redone.
    (tmp_path / JOURNAL).write_bytes(whole[:-20])
    assert list(journal.recover()) == ["a.jpg"]
    assert (tmp_path / JOURNAL).read_bytes().count(b"\n") == 1
    assert [r["file"] for r in read_rows(tmp_path)] == ["a.jpg"]


def test_other_settings_are_refused(folder, reference, capsys):
    assert main(["batch", str(folder), "--out", str(reference), "--thresholds", "lenient"]) == 2
    assert "other settings" in capsys.readouterr().err


def test_report_counts_for_known_folder(reference, tmp_path):
    html_path = tmp_path / "report.html"
    assert main(["report", str(reference), "--out", str(html_path), "--pdf", "--worst", "3"]) == 0
    s = summarise(reference, worst_n=3)
    rows = read_rows(reference)
    faces = [r for r in rows if r["status"] == "ok"]
    assert s.files == 9 and s.error_files == 3 and s.no_face_files == 1
    assert s.faces == len(faces) >= 7 and s.photos_with_faces == 5
    assert s.faces_blocking + s.faces_warning_only + s.faces_clean == s.faces
    assert sum(s.histogram[0]) == s.faces
    roll = s.failures["roll"]
    assert sum(roll.values()) >= 1
    text = html_path.read_text()
    assert "<script" not in text and "http" not in text.replace(str(reference), ""), "opens offline"
    assert text.count("data:image/jpeg;base64,") == 3 and "data:image/png;base64," in text
    assert f"<td class='count' id='faces'>{s.faces}</td>" in text
    assert "<td class='count' id='unreadable-files'>3</td>" in text
    assert "dlib-resnet" in text and "calibration" in text
    assert html_path.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"


def _hint_texts(page) -> list:
    return [t for t in page.texts if t.get_fontsize() == audit_report.HINT_FONT_SIZE]


def test_pdf_pages_show_every_hint_sentence_whole_inside_the_page(reference):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    s = summarise(reference, worst_n=3)
    # Every distinct hint of the batch on one face: more than fit under its photo.
    every_hint = {row_hint_text(h): h for r in read_rows(reference) if r["status"] == "ok" for h in r["hints"]}
    crowded = dict(s.worst[0], hints=list(every_hint.values()) * 3)
    assert max(len(m) for m in every_hint) > 110, "some sentences are longer than one line"
    for row in [*s.worst, crowded]:
        pages = audit_report.face_pages(reference, row)
        shown = []
        for page in pages:
            FigureCanvasAgg(page)
            renderer = page.canvas.get_renderer()
            page_width = page.bbox.width
            for text in _hint_texts(page):
                box = text.get_window_extent(renderer)
                assert box.x0 >= 0 and box.x1 <= page_width, f"{text.get_text()!r} runs off the page"
                assert box.y0 >= 0
                shown.append(text.get_text())
        flowing = " ".join(shown)
        for h in row["hints"]:
            assert f"[{h['severity']}] {row_hint_text(h)}" in flowing
    assert len(audit_report.face_pages(reference, crowded)) > 1, "hints that do not fit go on to a new page"


def test_ctrl_c_says_how_many_photos_are_done_and_the_same_command_goes_on(folder, tmp_path):
    out = tmp_path / "out"
    env = dict(_env(), PYTHONUNBUFFERED="1")
    # A default SIGINT disposition even when the test runner itself ignores it (background jobs).
    proc = subprocess.Popen(_batch_cmd(folder, out), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        while proc.poll() is None and not ((out / JOURNAL).exists() and (out / JOURNAL).stat().st_size):
            time.sleep(0.02)
        assert proc.poll() is None, "interrupted after its first photo, before its last"
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 130, stderr
    (line,) = [ln for ln in stderr.splitlines() if ln.startswith("plq: interrupted")]
    done = len({f for f, _ in _key_rows(out)[1]})
    assert line == f"plq: interrupted: {done} of 9 photos done; the same command goes on from there"
    assert 0 < done < 9


def test_ray_engine_without_ray_says_so_in_one_line(folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)       # what Python does when Ray is not installed
    assert main(["batch", str(folder), "--out", str(tmp_path / "out"), "--engine", "ray"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == "plq: the Ray engine needs Ray: pip install -e '.[cluster]' (or pip install ray)"
    assert main(["batch", str(folder), "--out", str(tmp_path / "out"), "--address", "auto"]) == 2
    assert capsys.readouterr().err == "plq: --address and --actors are for --engine ray\n"
