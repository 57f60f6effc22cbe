"""The batch page: a real batch (core run_batch) over real photos, its table, filter, histogram and double-click."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest
from PIL import Image, ImageFilter
from PySide6.QtCore import Qt, QTimer

from plq_desktop.core.io.batch import CSV_NAME, JOURNAL, read_rows, run_batch
from plq_desktop.core.io.samples import sample_path
from plq_desktop.gui.batch_page import (
    ALL,
    ANY_FAILED,
    COL_FILE,
    COL_HINTS,
    COL_QUALITY,
    PROBLEMS,
    ROW_ROLE,
)

WAIT_MS = 120_000


def _photos(folder: Path) -> Path:
    """Real portraits (small, so the batch is quick), one blurred to a low quality, one blurred past detection,
    a group photo (six faces) and a truncated JPEG."""
    folder.mkdir(parents=True, exist_ok=True)
    hopper = Image.open(sample_path("grace_hopper")).convert("RGB").resize((256, 300))
    hopper.save(folder / "hopper.jpg")
    # blur 6: detected, and reads a one-digit quality (8), so a string sort differs from a numeric one
    hopper.filter(ImageFilter.GaussianBlur(6)).save(folder / "hopper_blur.jpg")
    hopper.filter(ImageFilter.GaussianBlur(8)).save(folder / "hopper_fog.jpg")
    Image.open(sample_path("astronaut")).convert("RGB").resize((300, 300)).save(folder / "astronaut.jpg")
    Image.open(sample_path("t1")).convert("RGB").resize((800, 554)).save(folder / "group.jpg")
    (folder / "broken.jpg").write_bytes((folder / "hopper.jpg").read_bytes()[:300])
    return folder


@pytest.fixture(scope="module")
def batch(tmp_path_factory, dlib_model):
    """(photo folder, output folder) of one uninterrupted run of the real batch core."""
    root = tmp_path_factory.mktemp("batch-page")
    folder = _photos(root / "photos")
    out = root / "out"
    run_batch(folder, out, dlib_model, device="cpu", batch_faces=4)
    return folder, out


def _csv_rows(out: Path) -> list[dict]:
    with open(out / CSV_NAME, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _key(row: dict) -> tuple[str, int]:
    """(file, face) of a page row or a CSV row; -1 for a file without a face."""
    face = row.get("face", "")
    return row["file"], -1 if face in ("", None) else int(face)


def _open_page(make_window, out: Path):
    window = make_window()
    window.show_page("batch")
    page = window.batch_page
    assert page.open_results(out)
    return window, page


def test_rows_errors_and_numeric_sort(qtbot, make_window, batch):
    _, out = batch
    expected = _csv_rows(out)
    faces = [r for r in expected if r["status"] == "ok"]
    problems = {r["file"]: r["status"] for r in expected if r["status"] != "ok"}
    assert len(faces) >= 8 and problems == {"broken.jpg": "error", "hopper_fog.jpg": "no_face"}
    window, page = _open_page(make_window, out)
    assert window.pages.currentWidget() is page

    # One row per face and one per unusable file, the unusable ones said as such.
    assert page.proxy.rowCount() == len(faces) + len(problems) == len(expected)
    assert sorted(_key(r) for r in page.visible_rows()) == sorted(_key(r) for r in expected)
    texts = {page.proxy.index(i, COL_FILE).data(): page.proxy.index(i, COL_HINTS).data()
             for i in range(page.proxy.rowCount())}
    assert texts["broken.jpg"].startswith("Unreadable: ") and "broken.jpg" in texts["broken.jpg"]
    assert texts["hopper_fog.jpg"] == "No face found"
    # The officer reads words, not column names: the blurred portrait's hints say "sharpness" plainly.
    assert "✖ sharpness" in texts["hopper_blur.jpg"] and "_" not in texts["hopper_blur.jpg"]
    labels = [page.filter_combo.itemText(i) for i in range(page.filter_combo.count())]
    assert any(t.startswith("the distance between the eyes — ") for t in labels), labels

    # Quality sorts as a number: the blurred portrait's one-digit score goes before the two-digit ones.
    page.table.sortByColumn(COL_QUALITY, Qt.SortOrder.AscendingOrder)
    shown = [page.proxy.index(i, COL_QUALITY).data() for i in range(page.proxy.rowCount())]
    numbers = [int(s) for s in shown if s != "—"]
    assert shown[:len(problems)] == ["—"] * len(problems)          # unusable files sort below every face
    assert numbers == sorted(numbers) and len(numbers) == len(faces)
    assert numbers != sorted(numbers, key=str), "the photos must make a string sort differ from a numeric one"
    csv_quality = {_key(r): float(r["quality"]) for r in faces}
    in_view = [csv_quality[_key(r)] for r in page.visible_rows() if r["status"] == "ok"]
    assert in_view == sorted(in_view)
    page.table.sortByColumn(COL_QUALITY, Qt.SortOrder.DescendingOrder)
    in_view = [csv_quality[_key(r)] for r in page.visible_rows() if r["status"] == "ok"]
    assert in_view == sorted(in_view, reverse=True)

    # The face thumbnails come from their thread for the rows painted: the top ones first, the rest on scrolling.
    def thumbnails():
        return [page.rows.thumbnails.get(_key(r)) for r in page.visible_rows() if r["status"] == "ok"]
    page.table.scrollToTop()
    qtbot.waitUntil(lambda: thumbnails()[0] is not None, timeout=WAIT_MS)
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: thumbnails()[-1] is not None, timeout=WAIT_MS)
    assert all(not t.isNull() and t.height() <= 56 for t in thumbnails() if t is not None)
    painted = {r["file"]: page.proxy.index(i, 0).data(Qt.ItemDataRole.DecorationRole)
               for i, r in enumerate(page.visible_rows())}
    assert painted["broken.jpg"] is None and painted["hopper_fog.jpg"] is None     # no face, no thumbnail


def test_filter_by_check_follows_the_csv_and_the_histogram_follows(qtbot, make_window, batch):
    _, out = batch
    expected = _csv_rows(out)
    _window, page = _open_page(make_window, out)
    check_keys = [page.filter_combo.itemData(i) for i in range(page.filter_combo.count())][3:]
    columns = [c[:-len(":status")] for c in expected[0] if c.endswith(":status")]
    assert sorted(check_keys) == sorted(columns)            # every check of the CSV, nothing else

    failing_somewhere = 0
    for key in check_keys:
        page.set_filter(key)
        want = sorted(_key(r) for r in expected if r[f"{key}:status"] == "failed")
        assert sorted(_key(r) for r in page.visible_rows()) == want, key
        assert int(page.histogram_counts().sum()) == len(want) == page.proxy.rowCount(), key
        failing_somewhere += bool(want)
    assert failing_somewhere >= 3

    page.set_filter(ANY_FAILED)
    want = sorted(_key(r) for r in expected if any(r[f"{k}:status"] == "failed" for k in columns))
    assert sorted(_key(r) for r in page.visible_rows()) == want
    assert int(page.histogram_counts().sum()) == len(want)

    page.set_filter(PROBLEMS)
    assert sorted(r["file"] for r in page.visible_rows()) == ["broken.jpg", "hopper_fog.jpg"]
    assert int(page.histogram_counts().sum()) == 0

    page.set_filter(ALL)
    faces = [r for r in expected if r["status"] == "ok"]
    assert page.proxy.rowCount() == len(expected)
    assert int(page.histogram_counts().sum()) == len(faces)     # the unusable rows have no quality
    # The bars sit where the qualities are.
    counts = page.histogram_counts()
    lowest = min(100 * float(r["quality"]) for r in faces)
    assert counts[min(int(lowest // 5), len(counts) - 1)] >= 1


def test_double_click_opens_the_photo_and_its_face(qtbot, make_window, batch):
    folder, out = batch
    window, page = _open_page(make_window, out)
    target = next(i for i in range(page.proxy.rowCount())
                  if page.proxy.index(i, 0).data(ROW_ROLE)["file"] == "group.jpg"
                  and page.proxy.index(i, 0).data(ROW_ROLE)["face"] == 2)
    index = page.proxy.index(target, COL_FILE)
    page.table.scrollTo(index)
    rect = page.table.visualRect(index)
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS), \
            qtbot.waitSignal(page.photoRequested, timeout=5000) as requested:
        # A press first: the view opens on a double-click only where the press landed (as with a person).
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert requested.args == [str(folder / "group.jpg"), 2]
    assert window.pages.currentIndex() == 0 and window.mode == "photo"
    assert window._photo is not None and window._photo[1] == str(folder / "group.jpg")
    assert window.windowTitle().endswith("group.jpg")
    qtbot.waitUntil(lambda: window.result_view.selected_face == 2, timeout=5000)
    assert window.panel.face_picker.currentIndex() == 2
    # The face shown is the batch row's face: same quality.
    row = page.proxy.index(target, 0).data(ROW_ROLE)
    assert window.panel.gauges[0].value == pytest.approx(row["quality"], abs=1e-3)


def test_running_a_batch_from_the_page_keeps_the_window_responsive(qtbot, make_window, batch, tmp_path):
    reference_folder, reference_out = batch
    window = make_window()
    page = window.batch_page
    out = tmp_path / "out"

    # The GUI thread's timer keeps ticking while the batch thread works: between one photo's progress and
    # the next, the window handles its own events (a batch on the GUI thread would give no tick between).
    events: list[str] = []
    timer = QTimer()
    timer.timeout.connect(lambda: events.append("tick"))
    timer.start(20)
    said: list[str] = []
    with qtbot.waitSignal(page.finished, timeout=WAIT_MS) as finished:
        assert page.run_batch(reference_folder, out)
        assert page.running and page.cancel_button.isEnabled() and not page.run_button.isEnabled()
        # Connected after the page's own slot, so it reads what the page just wrote.
        page._run.progressed.connect(lambda done, total: said.append(page.progress_label.text()))
        page._run.progressed.connect(lambda done, total: events.append("progress"))
    timer.stop()
    assert said[0] == "0 of 6 photos" and said[-1].startswith("6 of 6 photos")
    assert any(" photos/s · " in text and text.endswith(" left") for text in said[1:]), said
    assert finished.args == [True]
    progress = [i for i, e in enumerate(events) if e == "progress"]
    assert len(progress) >= 6
    # Two progress signals may be handled back to back on a loaded machine, but not most of them.
    between = [("tick" in events[a + 1:b]) for a, b in itertools.pairwise(progress)]
    assert sum(between) >= len(between) / 2, f"the window froze: {events}"

    expected = _csv_rows(reference_out)
    assert page.proxy.rowCount() == len(expected)
    assert sorted(_key(r) for r in page.visible_rows()) == sorted(_key(r) for r in expected)
    assert page.progress.value() == page.progress.maximum() == 6
    assert not page.running and page.run_button.isEnabled()
    assert str(out / CSV_NAME) in page.progress_label.text()


def test_cancel_then_run_again_ends_with_one_row_per_face(qtbot, make_window, batch, tmp_path):
    folder, reference_out = batch
    window = make_window()
    page = window.batch_page
    out = tmp_path / "out"
    with qtbot.waitSignal(page.finished, timeout=WAIT_MS) as finished:
        assert page.run_batch(folder, out)
        # Cancel from the batch thread as soon as two photos are in: the same Event the Cancel button sets.
        run = page._run
        run.progressed.connect(lambda done, total: run.stop() if done >= 2 else None,
                               Qt.ConnectionType.DirectConnection)
    assert finished.args == [False]
    partial = read_rows(out)
    files = {r["file"] for r in partial}
    assert 2 <= len(files) < 6
    assert page.proxy.rowCount() == len(partial)
    assert "Run batch again" in page.progress_label.text()

    with qtbot.waitSignal(page.finished, timeout=WAIT_MS) as finished:
        page.run_button.click()        # the folders are still in their boxes
    assert finished.args == [True]
    lines = (out / JOURNAL).read_text().splitlines()
    rows = read_rows(out)
    keys = sorted((r["file"], r["row"]) for r in rows)
    assert len(lines) == len(rows) == len(set(keys))                 # nothing duplicated
    assert keys == sorted((r["file"], r["row"]) for r in read_rows(reference_out))   # nothing lost
    assert page.proxy.rowCount() == len(rows) == len(_csv_rows(out))


def test_command_line_batch_screenshot(batch, tmp_path):
    """``plq-desktop --batch DIR --screenshot`` in a process of its own; a folder without a batch fails in words."""
    import os
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    def run_app(*args):
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        return subprocess.run([sys.executable, "-m", "plq_desktop.gui.app", *map(str, args)], env=env,
                              check=False, capture_output=True, text=True, timeout=240)

    _, out = batch
    shot = tmp_path / "batch.png"
    done = run_app("--batch", out, "--screenshot", shot, "--size", "1000x640")
    assert done.returncode == 0, done.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1000, 640)
    # The page shows the batch: its rows carry the faces' thumbnails (skin), which an empty page has not.
    from screenshots import read_rgb
    rgb = read_rgb(shot).astype(int)
    skin = (rgb[..., 0] > rgb[..., 1] + 15) & (rgb[..., 1] > rgb[..., 2]) & (rgb[..., 0] > 90)
    assert skin.sum() > 800, skin.sum()
    done = run_app("--batch", tmp_path, "--screenshot", tmp_path / "none.png", "--size", "800x500")
    assert done.returncode == 1 and "results.jsonl" in done.stderr and str(tmp_path) in done.stderr


def test_problems_are_said_in_words(qtbot, make_window, batch, tmp_path):
    folder, out = batch
    window = make_window()
    page = window.batch_page
    messages = []
    window.messageShown.connect(lambda text, error: messages.append((text, error)))
    assert not page.run_batch(tmp_path / "nowhere", tmp_path / "out")
    assert messages[-1] == (f"{tmp_path / 'nowhere'} is not a folder", True)
    assert not page.open_results(tmp_path)
    assert "results.jsonl" in messages[-1][0] and messages[-1][1]

    # The same output folder with another estimator: refused, and the earlier rows stay as they were.
    journal = (out / JOURNAL).read_bytes()
    index = window.model_combo.findData("dlib-resnet:serfiq")
    assert index >= 0
    window.model_combo.setCurrentIndex(index)
    with qtbot.waitSignal(page.finished, timeout=WAIT_MS) as finished:
        assert page.run_batch(folder, out)
    assert finished.args == [False]
    # (The model change says its own message too, before or after.)
    refused = [text for text, error in messages if error and "other settings" in text]
    assert refused == [f"{out} holds a batch with other settings (estimator); "
                       "choose the same model, or another output folder"]
    assert (out / JOURNAL).read_bytes() == journal


def test_closing_the_window_mid_batch_stops_it_cleanly(qtbot, make_window, batch, tmp_path):
    folder, _ = batch
    window = make_window()
    page = window.batch_page
    out = tmp_path / "out"
    assert page.run_batch(folder, out)
    with qtbot.waitSignal(page._run.progressed, timeout=WAIT_MS, check_params_cb=lambda done, total: done >= 1):
        pass
    window.close()          # waits for the batch thread; the fixtures fail the test if a thread outlives it
    assert not page.running
    lines = (out / JOURNAL).read_text().splitlines()
    assert 1 <= len({r["file"] for r in read_rows(out)}) < 6 and len(lines) == len(read_rows(out))
