"""The batch page: run ``plq batch`` on a folder from the window, or open its output, and browse the rows.

The batch itself is the core's resumable ``run_batch`` (the one ``plq
batch`` runs) on a ``BatchRunThread``; the rows come from the core's
``read_rows`` (the journal, ``results.jsonl``), which a running batch may
append to while the page reads it. Thumbnails are cut from the photos on a
``ThumbnailThread`` when their rows are first painted, so neither the batch
nor a folder of large photos blocks the window.

The table sorts by any column (quality numerically, unreadable files below
every face, at the top of the worst-first order); the filter by check and the quality histogram (pyqtgraph)
follow the rows shown. A double-click opens the row's photo in the photo
view, with the row's face chosen.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from plq_desktop.core.icao.texts import check_label, row_hint_text
from plq_desktop.core.io.audit_report import HIST_BINS
from plq_desktop.core.io.batch import (
    CSV_NAME,
    ERROR,
    NO_FACE,
    OK,
    SETTINGS,
    BatchError,
    read_rows,
    run_batch,
)
from plq_desktop.core.io.palette import DEFAULT_PALETTE
from plq_desktop.gui.convert import qimage_from_rgb

log = logging.getLogger(__name__)

THUMB = 56                      # thumbnail height in pixels
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = ("", QT_TRANSLATE_NOOP("BatchPage", "File"), QT_TRANSLATE_NOOP("BatchPage", "Face"),
           QT_TRANSLATE_NOOP("BatchPage", "Quality"), QT_TRANSLATE_NOOP("BatchPage", "Hints"))
COL_THUMB, COL_FILE, COL_FACE, COL_QUALITY, COL_HINTS = range(len(COLUMNS))
# Filter choices besides a check's name.
ALL, ANY_FAILED, PROBLEMS = "", "*any", "*problems"
RELOAD_EVERY_S = 2.0            # while a batch runs, the table follows its journal this often
BLOCKING_COLOUR, WARNING_COLOUR, ERROR_COLOUR = QColor("#b3261e"), QColor("#9a6700"), QColor("#b3261e")


def failed_checks(row: dict) -> list[str]:
    """The check columns (as in results.csv) that failed on this row's face."""
    return [key for key, c in row.get("checks", {}).items() if c.get("status") == "failed"]


def hints_text(row: dict) -> str:
    """One line: the unreadable file's reason, or the face's blocking and warning hints by check."""
    if row["status"] == ERROR:
        return QCoreApplication.translate("BatchPage", "Unreadable: {reason}").format(reason=row.get("error", ""))
    if row["status"] == NO_FACE:
        return QCoreApplication.translate("BatchPage", "No face found")
    marks = {"blocking": "✖", "warning": "⚠"}
    parts = [f"{marks[h['severity']]} {_hint_label(h)}" for h in row.get("hints", []) if h["severity"] in marks]
    return "  ".join(parts) or "✔ " + QCoreApplication.translate("BatchPage", "no hints")


# Checks made once per region: their hints say which (the others name their region in their words).
_PER_REGION_CHECKS = ("occlusion", "covered", "eye_frame", "eye_open", "eye_visible", "glare")


def _hint_label(hint: dict) -> str:
    per_region = hint["check"] in _PER_REGION_CHECKS and hint.get("region")
    return check_label(f"{hint['check']}.{hint['region']}" if per_region else hint["check"])


def _format_duration(seconds: float) -> str:
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# -- worker threads --------------------------------------------------------------------------

class BatchRunThread(QThread):
    """Loads the model and runs the core batch; ``stop()`` ends it after the photo in hand.

    The model is loaded on this thread (it may take seconds) and kept in
    ``models`` (shared with the page) for the next run.
    """

    progressed = Signal(int, int)       # photos done (earlier runs included), photos in the folder
    failed = Signal(str)                # one line
    done = Signal(object)               # BatchSummary

    def __init__(self, folder: Path, out_dir: Path, model_key: str, device: str, models: dict, parent=None):
        super().__init__(parent)
        self.setObjectName("plq-batch")
        self.folder, self.out_dir, self.model_key, self.device = folder, out_dir, model_key, device
        self.models = models
        self.palette = DEFAULT_PALETTE          # the map images' colours (the window's choice)
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        from plq_desktop.gui.models import split_key
        name, estimator = split_key(self.model_key)
        try:
            model = self.models.get((name, self.device))
            if model is None:
                from plq_desktop.core.zoo.registry import load_model
                model = self.models[(name, self.device)] = load_model(name, device=self.device)
            if self._stop.is_set():
                self.failed.emit(self.tr("Batch cancelled before it started"))
                return
            summary = run_batch(self.folder, self.out_dir, model, estimator=estimator, device=self.device,
                                batch_faces=8, progress=self.progressed.emit, stop=self._stop.is_set,
                                palette=self.palette,
                                log=lambda message: log.info("batch: %s", message))
        except BatchError as exc:
            # The core words it for the command line; here the choice is the model or the output folder.
            self.failed.emit(str(exc).replace("use the same command or another --out",
                                              self.tr("choose the same model, or another output folder")))
        except Exception as exc:     # a model that does not load, a full disk: one line, no dead thread
            log.exception("batch failed")
            self.failed.emit(self.tr("Batch failed: {reason}").format(reason=exc))
        else:
            self.done.emit(summary)


class ThumbnailThread(QThread):
    """Cuts face thumbnails out of the photos, off the GUI thread (QImage, not QPixmap, is thread-safe)."""

    ready = Signal(object, QImage)      # key, thumbnail

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("plq-thumbnails")
        self._jobs: queue.Queue = queue.Queue()

    def request(self, key, photo: Path | None, box, fallback: Path | None) -> None:
        self._jobs.put((key, photo, box, fallback))

    def stop(self) -> None:
        self._jobs.put(None)
        self.wait()

    def run(self) -> None:
        from plq_desktop.core.io.images import load_image
        last: tuple[Path | None, np.ndarray | None] = (None, None)     # a group photo is read once
        while (job := self._jobs.get()) is not None:
            key, photo, box, fallback = job
            image = None
            for path in (photo, fallback):
                if path is None:
                    continue
                if last[0] == path:
                    image = last[1]
                else:
                    try:
                        image = load_image(path)
                    except Exception:  # noqa: BLE001 - a missing or unreadable photo just has no thumbnail
                        image = None
                    last = (path, image)
                if image is not None:
                    if path != photo:
                        box = None      # the saved map is drawn on the photo, but do not rely on its size
                    break
            if image is not None:
                self.ready.emit(key, _thumbnail(image, box))


def _thumbnail(image: np.ndarray, box) -> QImage:
    import cv2
    if box is not None:
        x0, y0, x1, y1 = box
        pad = 0.25 * max(x1 - x0, y1 - y0)
        h, w = image.shape[:2]
        x0, y0 = int(max(0, x0 - pad)), int(max(0, y0 - pad))
        x1, y1 = int(min(w, x1 + pad)), int(min(h, y1 + pad))
        if x1 > x0 and y1 > y0:
            image = image[y0:y1, x0:x1]
    h, w = image.shape[:2]
    scale = THUMB / max(h, w)
    return qimage_from_rgb(cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))),
                                      interpolation=cv2.INTER_AREA))


# -- the table --------------------------------------------------------------------------------

class BatchRows(QAbstractTableModel):
    """The rows of a batch folder; thumbnails arrive later (``set_thumbnail``).

    A thumbnail is asked for (``wants_thumbnail(row)``) the first time the
    view paints its row, so a folder of thousands costs only what is seen.
    """

    def __init__(self, parent=None, wants_thumbnail=None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self.thumbnails: dict[tuple[str, int], QPixmap] = {}
        self._where: dict[tuple[str, int], int] = {}
        self.wants_thumbnail = wants_thumbnail

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._where = {(r["file"], r["row"]): i for i, r in enumerate(rows)}
        self.endResetModel()

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("BatchPage", COLUMNS[section]) if COLUMNS[section] else ""
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        ok = row["status"] == OK
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DecorationRole and col == COL_THUMB:
            pixmap = self.thumbnails.get((row["file"], row["row"]))
            if pixmap is None and ok and self.wants_thumbnail is not None:
                self.wants_thumbnail(row)
            return pixmap
        if role == SORT_ROLE:
            if col == COL_QUALITY:
                return 100.0 * row["quality"] if ok else -1.0      # unreadable files below every face
            if col == COL_FACE:
                return row.get("face", -1) if ok else -1
            if col == COL_HINTS:
                return (-row.get("blocking", 0), -row.get("warnings", 0), hints_text(row)) if ok else (1, 0, "")
            if col == COL_THUMB:
                return row["file"], row["row"]
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_FILE:
                return row["file"]
            if col == COL_FACE:
                if not ok:
                    return "—"
                return QCoreApplication.translate("BatchPage", "{face} of {faces}").format(face=row["face"] + 1,
                                                                                           faces=row["faces"])
            if col == COL_QUALITY:
                return f"{100 * row['quality']:.0f}" if ok else "—"
            if col == COL_HINTS:
                return hints_text(row)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if not ok:
                return row.get("error", "")
            if col == COL_HINTS:
                return "\n".join(f"{h['severity']}: {row_hint_text(h)}" for h in row.get("hints", [])) \
                    or QCoreApplication.translate("BatchPage", "No hints")
            if col == COL_QUALITY:
                return QCoreApplication.translate("BatchPage", "quality {quality} (raw {raw})").format(
                    quality=f"{100 * row['quality']:.1f}", raw=f"{row['raw_quality']:.3f}")
            return None
        if role == Qt.ItemDataRole.ForegroundRole and col in (COL_HINTS, COL_FILE):
            if not ok:
                return QBrush(ERROR_COLOUR)
            if col == COL_HINTS and row.get("blocking"):
                return QBrush(BLOCKING_COLOUR)
            if col == COL_HINTS and row.get("warnings"):
                return QBrush(WARNING_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_FACE, COL_QUALITY):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def set_thumbnail(self, key: tuple[str, int], image: QImage) -> None:
        self.thumbnails[key] = QPixmap.fromImage(image)
        i = self._where.get(key)
        if i is not None:
            index = self.index(i, COL_THUMB)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class CheckFilter(QSortFilterProxyModel):
    """Shows all rows, the faces failing any check, the unusable files, or the faces failing one check."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.check = ALL
        self.setSortRole(SORT_ROLE)

    def set_check(self, check: str) -> None:
        if hasattr(self, "beginFilterChange"):      # Qt 6.10 on; invalidateFilter is deprecated there
            self.beginFilterChange()
            self.check = check
            self.endFilterChange()
        else:
            self.check = check
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        row = self.sourceModel().rows[source_row]
        if self.check == ALL:
            return True
        if self.check == PROBLEMS:
            return row["status"] != OK
        failed = failed_checks(row) if row["status"] == OK else []
        return bool(failed) if self.check == ANY_FAILED else self.check in failed

    def lessThan(self, left, right) -> bool:
        # Sort keys are numbers or tuples; Qt's own comparison would treat the tuples as unknown.
        return left.data(SORT_ROLE) < right.data(SORT_ROLE)


# -- the page -------------------------------------------------------------------------------------

class BatchPage(QWidget):
    """Run a batch or open one, and browse its rows. ``window`` is the MainWindow (for the photo view).

    ``loaded`` is emitted after rows are (re)read; ``finished`` when a run
    ends (True: completed, False: cancelled or failed); ``photoRequested``
    (path, face) on a double-click, before the photo opens.
    """

    loaded = Signal(int)
    finished = Signal(bool)
    photoRequested = Signal(str, int)

    def __init__(self, window):
        super().__init__()
        self.window = window
        self.out_dir: Path | None = None
        self.photo_folder: Path | None = None
        self._run: BatchRunThread | None = None
        self._models: dict = {}                 # loaded by the batch thread, kept for the next run
        self._thumbs = ThumbnailThread(self)
        self._thumbs.ready.connect(self._on_thumbnail)
        self._requested: set = set()
        self._closed = False
        self._pending_face: tuple[str, int] | None = None
        self._progress_start: tuple[float, int] | None = None
        self._completed = False                 # the run in hand went through every photo
        self._last_reload = 0.0

        self.rows = BatchRows(self, wants_thumbnail=self._request_thumbnail)
        self.proxy = CheckFilter(self)
        self.proxy.setSourceModel(self.rows)
        self._build()
        self.proxy.layoutChanged.connect(self._update_histogram)
        self.proxy.modelReset.connect(self._update_histogram)
        self.proxy.rowsInserted.connect(self._update_histogram)
        self.proxy.rowsRemoved.connect(self._update_histogram)
        self._update_histogram()
        window.resultShown.connect(self._on_result_shown)

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.folder_edit = QLineEdit()
        self.out_edit = QLineEdit()
        self.browse_folder_button = browse_folder = QPushButton()
        browse_folder.clicked.connect(self.ask_folder)
        self.browse_out_button = browse_out = QPushButton()
        browse_out.clicked.connect(self._ask_out)
        self.run_button = QPushButton()
        self.run_button.clicked.connect(self._run_clicked)
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.ask_results)
        # Alt + the underlined letter of a label puts the keyboard in its field.
        self.photos_label, self.out_label = QLabel(), QLabel()
        self.photos_label.setBuddy(self.folder_edit)
        self.out_label.setBuddy(self.out_edit)

        grid = QGridLayout()
        grid.addWidget(self.photos_label, 0, 0)
        grid.addWidget(self.folder_edit, 0, 1)
        grid.addWidget(browse_folder, 0, 2)
        grid.addWidget(self.run_button, 0, 3)
        grid.addWidget(self.out_label, 1, 0)
        grid.addWidget(self.out_edit, 1, 1)
        grid.addWidget(browse_out, 1, 2)
        grid.addWidget(self.open_button, 1, 3)
        grid.setColumnStretch(1, 1)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress_label = QLabel()
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.progress_label, 2)
        progress_row.addWidget(self.cancel_button)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_QUALITY, Qt.SortOrder.AscendingOrder)     # the worst faces first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setIconSize(QSize(THUMB, THUMB))
        self.table.verticalHeader().setDefaultSectionSize(THUMB + 6)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_THUMB, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(COL_THUMB, THUMB + 12)
        self.table.setColumnWidth(COL_FILE, 200)
        self.table.setColumnWidth(COL_FACE, 60)
        self.table.setColumnWidth(COL_QUALITY, 64)
        header.setStretchLastSection(True)
        # Double-click or Enter: the row's photo in the photo view.
        self.table.activated.connect(self._open_index)

        self.filter_combo = QComboBox()
        self.filter_combo.currentIndexChanged.connect(self._filter_changed)
        self._fill_filter([])

        # The histogram is made when the page is first shown: windows that never open the Batch tab
        # create no pyqtgraph objects (and do not import it).
        self.plot = None
        self.hist_item = None
        self._counts = np.zeros(HIST_BINS, int)
        self._edges = np.linspace(0, 100, HIST_BINS + 1)
        self._plot_box = QVBoxLayout()
        self._plot_box.setContentsMargins(0, 0, 0, 0)
        self.summary_label = QLabel("")
        self.summary_label.setWordWrap(True)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.filter_label = QLabel()
        self.filter_label.setBuddy(self.filter_combo)
        side_layout.addWidget(self.filter_label)
        side_layout.addWidget(self.filter_combo)
        side_layout.addLayout(self._plot_box, 1)
        side_layout.addWidget(self.summary_label)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([800, 360])

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(progress_row)
        layout.addWidget(splitter, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.folder_edit.setPlaceholderText(self.tr("Folder of photos (walked recursively)"))
        self.out_edit.setPlaceholderText(self.tr("Output folder: results.csv, results.jsonl, maps/"))
        self.browse_folder_button.setText(self.tr("&Browse…"))
        self.browse_out_button.setText(self.tr("B&rowse…"))
        self.run_button.setText(self.tr("R&un batch"))
        self.run_button.setToolTip(self.tr("Audit every photo of the folder into the output folder; "
                                           "a stopped batch continues where it stopped"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.open_button.setText(self.tr("Open re&sults…"))
        self.open_button.setToolTip(self.tr("Open the output folder of an earlier batch (plq batch)"))
        self.photos_label.setText(self.tr("&Photos"))
        self.out_label.setText(self.tr("&Output"))
        self.filter_label.setText(self.tr("Filter by chec&k"))
        self.progress.setFormat(self.tr("%v / %m photos"))
        if self.out_dir is None and self._run is None:
            self.progress_label.setText(self.tr("No batch yet: choose a folder of photos and an output folder, "
                                                "or open the results of an earlier batch"))
        elif self._run is None:
            self._say_summary()
        self.table.setToolTip(self.tr("Double-click a row or press Enter to open its photo in the photo view"))
        self.filter_combo.setToolTip(self.tr("Show only the faces that fail this check; the histogram follows"))
        self._fill_filter(self.rows.rows)
        self.rows.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self.table.viewport().update()          # the rows' words: "No face found", "2 of 6"
        if self.plot is not None:
            self._label_plot()
        self._update_histogram()

    # -- opening results --------------------------------------------------------------------------
    def ask_results(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Open the output folder of a batch"),
                                                self.out_edit.text())
        if path:
            self.open_results(path)

    def open_results(self, out_dir: str | Path) -> bool:
        """Show the rows of a batch output folder; False (and a message) when it holds none."""
        out_dir = Path(out_dir)
        try:
            rows = read_rows(out_dir)
        except (BatchError, OSError) as exc:
            self.window.show_message(str(exc) if isinstance(exc, BatchError) else
                                     self.tr("Cannot read {path}: {reason}").format(path=out_dir, reason=exc),
                                     error=True)
            return False
        if out_dir != self.out_dir:
            self.rows.thumbnails.clear()
        self.out_dir = out_dir
        self.out_edit.setText(str(out_dir))
        self.photo_folder = None
        try:
            folder = json.loads((out_dir / SETTINGS).read_text()).get("folder")
            if folder:
                self.photo_folder = Path(folder)
                if not self.folder_edit.text():
                    self.folder_edit.setText(folder)
        except (OSError, ValueError):
            pass            # without batch.json the photos are unknown: thumbnails from the saved maps
        self._show_rows(rows)
        if self._run is None:
            self._say_summary()
        return True

    def _show_rows(self, rows: list[dict]) -> None:
        self.rows.set_rows(rows)
        self._fill_filter(rows)
        self._last_reload = time.monotonic()
        self.loaded.emit(len(rows))

    def _say_summary(self) -> None:
        rows = self.rows.rows
        faces = sum(r["status"] == OK for r in rows)
        problems = len(rows) - faces
        files = len({r["file"] for r in rows})
        self.progress.setRange(0, max(files, 1))
        self.progress.setValue(files)
        self.progress_label.setText(self.tr("{files} photos, {faces} faces, {problems} unusable — {csv}").format(
            files=files, faces=faces, problems=problems, csv=self.out_dir / CSV_NAME))

    def photo_path(self, row: dict) -> Path | None:
        return None if self.photo_folder is None else self.photo_folder / row["file"]

    def _request_thumbnail(self, row: dict) -> None:
        # Keyed by the output folder too: a thumbnail still on its way from another batch is dropped.
        key = (str(self.out_dir), row["file"], row["row"])
        if key in self._requested or self.out_dir is None or self._closed:
            return
        self._requested.add(key)
        if not self._thumbs.isRunning():
            self._thumbs.start()
        png = row.get("maps", {}).get("png")
        self._thumbs.request(key, self.photo_path(row), row.get("box"), self.out_dir / png if png else None)

    @Slot(object, QImage)
    def _on_thumbnail(self, key, image: QImage) -> None:
        if key[0] == str(self.out_dir):
            self.rows.set_thumbnail(key[1:], image)

    # -- filter and histogram -------------------------------------------------------------------------
    def _fill_filter(self, rows: list[dict]) -> None:
        current = self.filter_combo.currentData()
        failing: dict[str, int] = {}
        for r in rows:
            for key in r.get("checks", {}):
                failing.setdefault(key, 0)
            for key in failed_checks(r):
                failing[key] += 1
        self.filter_combo.blockSignals(True)
        self.filter_combo.clear()
        faces = [r for r in rows if r["status"] == OK]
        self.filter_combo.addItem(self.tr("All rows ({count})").format(count=len(rows)), ALL)
        self.filter_combo.addItem(self.tr("Any failing check ({count})").format(
            count=sum(bool(failed_checks(r)) for r in faces)), ANY_FAILED)
        self.filter_combo.addItem(self.tr("Unreadable or no face ({count})").format(count=len(rows) - len(faces)),
                                  PROBLEMS)
        for key, count in sorted(failing.items(), key=lambda kv: (-kv[1], kv[0])):
            self.filter_combo.addItem(self.tr("{check} — {count} failing").format(check=check_label(key),
                                                                                   count=count), key)
        index = self.filter_combo.findData(current) if current is not None else 0
        self.filter_combo.setCurrentIndex(max(index, 0))
        self.filter_combo.blockSignals(False)
        self.proxy.set_check(self.filter_combo.currentData() or ALL)

    def set_filter(self, check: str) -> None:
        """Choose a filter by its data: a check's column name, ALL, ANY_FAILED or PROBLEMS."""
        index = self.filter_combo.findData(check)
        if index < 0:
            raise ValueError(f"no filter {check!r} in this batch")
        self.filter_combo.setCurrentIndex(index)

    def _filter_changed(self, _index: int) -> None:
        self.proxy.set_check(self.filter_combo.currentData() or ALL)
        self._update_histogram()

    def visible_rows(self) -> list[dict]:
        """The rows the table shows, in its order."""
        return [self.proxy.index(i, 0).data(ROW_ROLE) for i in range(self.proxy.rowCount())]

    def _ensure_plot(self) -> None:
        if self.plot is not None:
            return
        import pyqtgraph as pg

        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumWidth(280)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        menu = self.plot.getPlotItem().ctrlMenu      # parentless in pyqtgraph: let it go with the page
        menu.setParent(self.plot, menu.windowFlags())
        self._label_plot()
        self.plot.setXRange(0, 100, padding=0.02)
        self.hist_item = pg.BarGraphItem(x0=[], width=[], height=[], brush="#4a7fb5", pen="w")
        self.plot.addItem(self.hist_item)
        self._plot_box.addWidget(self.plot)
        self._draw_histogram()

    def _label_plot(self) -> None:
        self.plot.setLabel("bottom", self.tr("quality (0-100)"))
        self.plot.setLabel("left", self.tr("faces"))

    def showEvent(self, event) -> None:
        self._ensure_plot()
        super().showEvent(event)

    def _update_histogram(self, *_args) -> None:
        rows = self.visible_rows()
        qualities = np.array([100 * r["quality"] for r in rows if r["status"] == OK], dtype=float)
        self._counts, self._edges = np.histogram(qualities, bins=HIST_BINS, range=(0, 100))
        self._draw_histogram()
        shown = len(rows)
        text = self.tr("{shown} of {rows} rows shown; {faces} faces").format(
            shown=shown, rows=self.rows.rowCount(), faces=len(qualities))
        if len(qualities):
            text += ", " + self.tr("median quality {quality}").format(quality=f"{np.median(qualities):.0f}")
        self.summary_label.setText(text)

    def _draw_histogram(self) -> None:
        if self.plot is None:
            return
        counts = self._counts
        self.hist_item.setOpts(x0=self._edges[:-1], width=np.diff(self._edges), height=counts)
        top = max(1, int(counts.max()))
        self.plot.setYRange(0, top, padding=0.05)
        step = max(1, -(-top // 5))             # whole faces on the count axis, about five ticks
        self.plot.getAxis("left").setTickSpacing(step, step)

    def histogram_counts(self) -> np.ndarray:
        """The bar heights the plot draws (the plot is made if the page was never shown)."""
        self._ensure_plot()
        return np.asarray(self.hist_item.opts["height"])

    # -- double-click ---------------------------------------------------------------------------------
    def _open_index(self, index) -> None:
        row = index.data(ROW_ROLE)
        if row is not None:
            self.open_row(row)

    def open_row(self, row: dict) -> None:
        path = self.photo_path(row)
        if path is None or not path.is_file():
            where = path if path is not None else row["file"]
            self.window.show_message(self.tr("{path} is not there any more (moved or deleted?)").format(path=where),
                                     error=True)
            return
        face = row.get("face", 0) if row["status"] == OK else 0
        self.photoRequested.emit(str(path), face)
        self._pending_face = (str(path), face)
        self.window.show_page("photo")
        self.window.open_photo(path)

    def _on_result_shown(self, analysis) -> None:
        # The batch numbers faces as the photo view does (largest first): show the row's face.
        if self._pending_face is None or analysis.kind != "photo":
            return
        path, face = self._pending_face
        self._pending_face = None
        if analysis.results and analysis.results[0].path == path and face:
            self.window.result_view.choose_face(face)
            self.window.panel.set_faces(len(analysis.results[0].faces), face)

    # -- running a batch --------------------------------------------------------------------------------
    def ask_folder(self) -> None:
        """Choose the folder of photos to audit; then the keyboard is on Run batch."""
        path = QFileDialog.getExistingDirectory(self, self.tr("Folder of photos to audit"), self.folder_edit.text())
        if path:
            self.folder_edit.setText(path)
            (self.run_button if self.out_edit.text() else self.out_edit).setFocus()

    def _ask_out(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Output folder of the batch"), self.out_edit.text())
        if path:
            self.out_edit.setText(path)

    def _run_clicked(self) -> None:
        folder, out = self.folder_edit.text().strip(), self.out_edit.text().strip()
        if not folder or not out:
            self.window.show_message(self.tr("Choose a folder of photos and an output folder first"), error=True)
            return
        self.run_batch(folder, out)

    @property
    def running(self) -> bool:
        return self._run is not None

    def run_batch(self, folder: str | Path, out_dir: str | Path) -> bool:
        """Start auditing ``folder`` into ``out_dir`` on the batch thread (with the window's model)."""
        if self._run is not None:
            self.window.show_message(self.tr("A batch is running: cancel it first"), error=True)
            return False
        folder, out_dir = Path(folder), Path(out_dir)
        if not folder.is_dir():
            self.window.show_message(self.tr("{path} is not a folder").format(path=folder), error=True)
            return False
        self.folder_edit.setText(str(folder))
        self.out_edit.setText(str(out_dir))
        if out_dir != self.out_dir:
            self.rows.thumbnails.clear()
        self.out_dir, self.photo_folder = out_dir, folder
        try:
            self._show_rows(read_rows(out_dir))     # a batch to continue: its rows so far
        except (BatchError, OSError):
            self._show_rows([])
        model_key = self.window.models.choice()[0]
        device = self.window.models.device_combo.currentText()
        self._run = run = BatchRunThread(folder, out_dir, model_key, device, self._models, self)
        run.palette = self.window.engine.palette
        run.progressed.connect(self._on_progress)
        run.failed.connect(self._on_failed)
        run.done.connect(self._on_done)
        run.finished.connect(self._on_thread_finished)
        self._progress_start = None
        self.progress.setRange(0, 0)            # busy until the first photo count
        self.progress_label.setText(self.tr("Loading {model}…").format(model=model_key))
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        run.start()
        return True

    def cancel(self) -> None:
        if self._run is not None:
            self._run.stop()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(self.tr("Cancelling after the photo in hand…"))

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self._progress_start is None:
            self._progress_start = (now, done)      # photos done by earlier runs do not count for the rate
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        start_time, start_done = self._progress_start
        rate = (done - start_done) / (now - start_time) if now > start_time else 0.0
        text = self.tr("{done} of {total} photos").format(done=done, total=total)
        if start_done:
            text += " " + self.tr("({count} done earlier)").format(count=start_done)
        if rate > 0:
            text += " · " + self.tr("{rate} photos/s · {time} left").format(
                rate=f"{rate:.2f}", time=_format_duration((total - done) / rate))
        if self._run is not None and not self._run.stopping:
            self.progress_label.setText(text)
        if now - self._last_reload > RELOAD_EVERY_S and self.out_dir is not None:
            self._reload()

    def _reload(self) -> None:
        try:
            rows = read_rows(self.out_dir)
        except BatchError:
            return              # nothing written yet
        if len(rows) != self.rows.rowCount():
            self._show_rows(rows)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.window.show_message(message, error=True)
        self.progress_label.setText(message)

    @Slot(object)
    def _on_done(self, summary) -> None:
        done, total = self.progress.value(), self.progress.maximum()
        self._reload()
        text = self.tr("Batch stopped: {count} photos in {seconds} s ({rate} photos/s) -> {csv}") if summary.stopped \
            else self.tr("Batch done: {count} photos in {seconds} s ({rate} photos/s) -> {csv}")
        self.window.show_message(text.format(count=summary.processed, seconds=f"{summary.seconds:.1f}",
                                             rate=f"{summary.photos_per_second:.2f}", csv=summary.csv_path))
        if summary.stopped:
            self.progress_label.setText(self.tr("Stopped at {done} of {total} photos; Run batch again continues "
                                                "where it stopped").format(done=done, total=total))
        else:
            self._completed = True
            self._say_summary()

    def _on_thread_finished(self) -> None:
        run, self._run = self._run, None
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1)        # no longer busy
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if run is not None:
            run.deleteLater()
        completed, self._completed = self._completed, False
        self.finished.emit(completed)

    def shutdown(self) -> None:
        """Stop the batch (it resumes next time) and the thumbnail thread; waits for both."""
        self._closed = True
        if self._run is not None:
            self._run.stop()
            self._run.wait()
            self._run = None
        if self._thumbs.isRunning():
            self._thumbs.stop()
