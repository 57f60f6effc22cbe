"""The main window: the shell that lays out the panes and the quality panel and owns the parts that run them.

Where things are in ``plq_desktop/gui``:

- ``window.py`` (this file): the layout, the state every part reads (mode, photo, engine), the
  analysis thread's events, messages, drag and drop, opening a photo, shutdown;
- ``actions.py``: menus, toolbar, keyboard shortcuts, recent files;
- ``feed.py``: a camera, video file or image folder as the live source; the camera picker;
- ``models.py``: the model pickers, side by side, difference, device and gamma;
- ``result_view.py``: a result on screen (maps, face boxes, gauges, hints) and the live statistics;
- ``export.py``: saving and copying the result image and its JSON report;
- ``batch_page.py``: the Batch tab (run or open a batch audit, its table, histogram and filter);
- ``whatif.py``: what-if repair (brush or hint, inpainted on the analysis thread, before and after);
- ``banner.py``, ``view.py``, ``panel.py``: the widgets; ``sources.py``: the frame feeds;
  ``worker.py``: the analysis thread.

The window only draws, collects input and hands work to the analysis
thread; it never runs model code. Results carry a generation number and are
dropped when they belong to an older model choice, photo or source.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QLocale, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from plq_desktop.core.live.engine import (
    Analysis,
    ModelsChanged,
    Notice,
    PhotoOpened,
    Problem,
    WhatIfNotNeeded,
)
from plq_desktop.gui import i18n
from plq_desktop.gui.actions import Actions, shortcut_text
from plq_desktop.gui.banner import ErrorBanner
from plq_desktop.gui.batch_page import BatchPage
from plq_desktop.gui.capture import AutoCaptureController
from plq_desktop.gui.convert import qimage_from_rgb
from plq_desktop.gui.export import Exporter
from plq_desktop.gui.feed import FOLDER_FPS, VIDEO_SUFFIXES, FeedControl
from plq_desktop.gui.models import ModelControl, explain_problem
from plq_desktop.gui.palette_choice import PaletteControl
from plq_desktop.gui.panel import QualityPanel
from plq_desktop.gui.result_view import ResultView
from plq_desktop.gui.settings import Settings
from plq_desktop.gui.sources import FrameFeed
from plq_desktop.gui.view import ColourLegend, ImageView, ViewState
from plq_desktop.gui.whatif import WhatIfControl
from plq_desktop.gui.worker import AnalysisThread

log = logging.getLogger(__name__)

class SpaceForButtons(QObject):
    """Space presses the focused button or opens the focused list, as it does everywhere, rather than
    starting the camera (the window's Space shortcut): a keyboard-only officer tabs to a button and presses Space."""

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Space \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            event.accept()      # the focused widget gets the key press; the shortcut does not fire
        return False


class MainWindow(QMainWindow):
    """The PLQ Desktop window.

    ``settings`` defaults to the per-user store; ``engine_options`` go to the
    AnalysisEngine (tests slow its ``analyse`` down, for instance).

    The work is done by parts the window owns: ``feed`` (live source),
    ``models`` (model choice), ``result_view`` (what a result shows),
    ``exporter`` (save and copy) and ``menus`` (actions, menus, toolbar).
    """

    resultShown = Signal(object)     # the Analysis just put on screen
    messageShown = Signal(str, bool)  # every status-bar message, and whether it reports an error

    def __init__(self, settings: Settings | None = None, engine_options: dict | None = None):
        super().__init__()
        self.settings = settings if settings is not None else Settings()
        # Before any widget: their texts are translated as they are made.
        i18n.set_language(i18n.resolve(self.settings.get("language")))
        self.setWindowTitle("PLQ Desktop")
        self.setAcceptDrops(True)
        self.mode = "idle"                      # "idle", "live" or "photo": see set_mode
        self._photo: tuple[np.ndarray, str] | None = None     # the photo on screen (image, path)
        self._photo_path: str | None = None                   # the photo last asked for
        self._closed = False

        self._thread = AnalysisThread(self, **(engine_options or {}))
        self.engine = self._thread.engine
        self._thread.event.connect(self._on_event)

        # The shell's own widgets first: the parts below connect to them.
        self.view_state = ViewState(self)
        self.panes = [ImageView(self.view_state), ImageView(self.view_state)]
        self.panes[1].hide()
        self.legend = ColourLegend()
        self.difference_legend = ColourLegend(difference=True)
        self.difference_legend.hide()
        self.banner = ErrorBanner()
        self.panel = QualityPanel(audience=self.settings.get("audience"))
        self.panel.audienceChosen.connect(self.set_audience)

        self.result_view = ResultView(self)
        self.feed = FeedControl(self)
        self.models = ModelControl(self)
        self.exporter = Exporter(self)
        self.palette_control = PaletteControl(self)
        self._build_layout()
        self.menus = Actions(self)
        self.whatif.install(self.menus)
        # The controls tests and scripts reach for, under the names they always had.
        self.open_action, self.live_action = self.menus.open_action, self.menus.live_action
        self.side_action, self.diff_action = self.menus.side_action, self.menus.diff_action
        self.save_action, self.copy_action = self.menus.save_action, self.menus.copy_action
        self.model_combo, self.model_b_combo = self.models.model_combo, self.models.model_b_combo
        self.device_combo, self.gamma_spin = self.models.device_combo, self.models.gamma_spin
        self.raw_map_check = self.models.raw_map_check
        self.opacity_slider, self.rate_label = self.result_view.opacity_slider, self.result_view.rate_label
        self.camera_combo, self.resolution_combo = self.feed.camera_combo, self.feed.resolution_combo

        self._restore_settings()
        self.result_view.start()
        self.models.apply()
        self.menus.set_language_checked(i18n.current_language())
        self.retranslate()
        self._space_keeper = SpaceForButtons(self)
        for widget in self.findChildren(QAbstractButton) + self.findChildren(QComboBox):
            widget.installEventFilter(self._space_keeper)
        self._thread.start()

    # -- construction -------------------------------------------------------------------
    def _build_layout(self) -> None:
        self.views = views = QSplitter(Qt.Orientation.Horizontal)
        for pane in self.panes:
            views.addWidget(pane)
        images = QHBoxLayout()
        images.setContentsMargins(0, 0, 0, 0)
        images.setSpacing(0)
        images.addWidget(views, 1)
        images.addWidget(self.legend)
        images.addWidget(self.difference_legend)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.banner)
        self.whatif = WhatIfControl(self)        # what-if repair: brush, hint, before/after (a simulation)
        left_layout.addWidget(self.whatif.banner)
        left_layout.addLayout(images, 1)

        self.display_box = display = QGroupBox()
        form = QFormLayout(display)
        self.display_labels = {widget: QLabel() for widget in (self.result_view.opacity_slider,
                                                               self.models.gamma_spin, self.palette_control.combo,
                                                               self.models.device_combo)}
        for widget, label in self.display_labels.items():
            label.setBuddy(widget)
        form.addRow(self.display_labels[self.result_view.opacity_slider], self.result_view.opacity_slider)
        form.addRow(self.display_labels[self.models.gamma_spin], self.models.gamma_spin)
        form.addRow(self.display_labels[self.palette_control.combo], self.palette_control.combo)
        form.addRow("", self.models.raw_map_check)
        form.addRow(self.display_labels[self.models.device_combo], self.models.device_combo)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.panel, 1)
        side_layout.addWidget(display)
        side.setMinimumWidth(300)
        # Scrolls rather than forcing the window taller than a small screen (or a requested size).
        side_scroll = QScrollArea()
        side_scroll.setWidget(side)
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_scroll.setMinimumWidth(side.minimumWidth() + side_scroll.verticalScrollBar().sizeHint().width())

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(side_scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([900, 320])
        self.batch_page = BatchPage(self)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(splitter, "")
        self.pages.addTab(self.batch_page, "")
        self.setCentralWidget(self.pages)

        self.statusBar().addPermanentWidget(self.result_view.rate_label)
        self.statusBar().addPermanentWidget(self.models.device_label)
        self.auto_capture = AutoCaptureController(self)

    def _restore_settings(self) -> None:
        self.models.restore_settings()
        self.result_view.restore_settings()
        self.palette_control.restore_settings()
        geometry = self.settings.store.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 820)
        self.models.update_side_by_side_widgets()
        self.menus.raw_map_action.setChecked(self.models.raw_map_check.isChecked())
        self.menus.applicant_action.setChecked(self.panel.audience == "applicant")

    # -- language and wording ------------------------------------------------------------------
    def idle_message(self) -> str:
        return self.tr("Open a passport photo ({open}) or drop one here, or start the camera ({live})").format(
            open=shortcut_text(self.menus.open_action), live=shortcut_text(self.menus.live_action))

    def choose_language(self, code: str) -> None:
        """Show the window and the hints in ``code`` (a key of i18n.languages()); remembered."""
        self.settings.set("language", code)
        if i18n.set_language(code) != code:
            return
        self.menus.set_language_checked(code)
        # Installing the translator posts LanguageChange; the hints depend on the core's language alone.
        self.result_view.show_analysis()

    def set_applicant_wording(self, on: bool) -> None:
        self.set_audience("applicant" if on else "officer")

    def set_audience(self, audience: str) -> None:
        """Whose wording the hints show: "officer" (what the officer reads) or "applicant" (said to the person)."""
        self.settings.set("audience", audience)
        self.panel.set_audience(audience)
        action = self.menus.applicant_action
        action.blockSignals(True)
        action.setChecked(audience == "applicant")
        action.blockSignals(False)
        self.result_view.show_analysis()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Every text of the window again, in the language now installed (see gui/i18n.py)."""
        self.display_box.setTitle(self.tr("Display"))
        for widget, text in ((self.result_view.opacity_slider, self.tr("Map &opacity")),
                             (self.models.gamma_spin, self.tr("Map &gamma (+/-)")),
                             (self.palette_control.combo, self.tr("&Map colours")),
                             (self.models.device_combo, self.tr("&Device"))):
            self.display_labels[widget].setText(text)
        self.pages.setTabText(0, self.tr("Photo / live"))
        self.pages.setTabText(1, self.tr("Batch"))
        self.pages.setTabToolTip(0, self.menus.photo_page_action.toolTip())
        self.pages.setTabToolTip(1, self.menus.batch_action.toolTip())
        self.models.gamma_spin.setLocale(QLocale())
        for part in (self.menus, self.models, self.panel, self.feed, self.result_view, self.banner, self.whatif,
                     self.batch_page, self.auto_capture, self.palette_control):
            part.retranslate()
        if self.mode == "idle" and self.result_view.analysis is None:
            self.set_pane_messages(self.idle_message())
        for widget in (self.legend, self.difference_legend, *self.panes):
            widget.update()         # painted words: the legend's captions, the panes' messages

    # -- the shared state -------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        self.mode = mode
        # The 30 s history belongs to live video; a photo gives the hints list the room.
        self.panel.set_history_visible(mode != "photo")

    def show_page(self, name: str) -> None:
        """Bring "photo" (photo and live view) or "batch" (the batch page) to the front.

        The keyboard goes with it: to the batch table, or to the hints list.
        """
        self.pages.setCurrentIndex({"photo": 0, "batch": 1}[name])
        (self.batch_page.table if name == "batch" else self.panel.hints).setFocus()

    def set_pane_messages(self, text: str, error: bool = False) -> None:
        for pane in self.panes:
            pane.set_message(text, error)

    def forget_photo(self) -> None:
        """A live source replaces the photo: a model change must not analyse it again."""
        self._photo, self._photo_path = None, None

    def reanalyse_photo(self) -> None:
        """After a model change: the photo on screen (or still loading) is analysed again."""
        if self.mode == "photo" and self._photo is not None:
            image, path = self._photo
            self.engine.analyse_photo(image, path)
            self.set_pane_messages("Analysing…")
        elif self.mode == "photo" and self._photo_path:
            self.engine.open_photo(self._photo_path)     # still loading: the new generation loads it again

    # -- photos -----------------------------------------------------------------------------
    def open_photo(self, path: str | Path) -> None:
        """Load and analyse a photo (on the analysis thread); live video stops."""
        path = str(path)
        self.banner.hide()
        self.feed.stop()
        self.set_mode("photo")
        self._photo, self._photo_path = None, path
        self.engine.open_photo(path)
        self.result_view.clear()
        self.set_pane_messages(f"Opening {Path(path).name}…")
        self.show_message(f"Opening {path}")

    def _on_photo_opened(self, event: PhotoOpened) -> None:
        if event.generation != self.engine.generation:
            return
        self._photo = (event.image, event.path)
        image = qimage_from_rgb(event.image)
        for pane in self.panes:
            pane.set_frame_image(image)
        self.view_state.reset()
        self.set_pane_messages("Analysing…")
        self.settings.add_recent(event.path)
        self.setWindowTitle(f"PLQ Desktop — {Path(event.path).name}")

    def open_path(self, path: str | Path) -> None:
        """A folder plays as a stream, a video file as the camera, anything else opens as a photo."""
        path = Path(path)
        if path.is_dir():
            self.play_folder(path)
        elif path.suffix.lower() in VIDEO_SUFFIXES:
            self.play_video(path)
        else:
            self.open_photo(path)

    # -- what the parts do, under the window's name (scripts and tests call these) ----------------
    def play_video(self, path: str | Path) -> None:
        self.feed.play_video(path)

    def play_folder(self, folder: str | Path, fps: float = FOLDER_FPS) -> None:
        self.feed.play_folder(folder, fps)

    def start_camera(self) -> None:
        self.feed.start_camera()

    def start_feed(self, feed: FrameFeed) -> None:
        self.feed.start_feed(feed)

    def model_choice(self) -> list[str]:
        return self.models.choice()

    def live_stats(self) -> tuple[float, float]:
        return self.result_view.live_stats()

    @property
    def frames_shown(self) -> int:
        return self.feed.frames_shown

    @property
    def stale_discarded(self) -> int:
        return self.result_view.stale_discarded

    def result_image(self) -> np.ndarray | None:
        return self.exporter.result_image()

    def save_result(self, png_path: str | Path) -> list[Path]:
        return self.exporter.save_result(png_path)

    def copy_image(self) -> None:
        self.exporter.copy_image()

    def export_passport(self, path: str | Path, fmt: str = "passport", dpi: float = 600) -> list[Path]:
        return self.exporter.export_passport(path, fmt=fmt, dpi=dpi)

    # -- events from the analysis thread ---------------------------------------------------------
    @Slot(object)
    def _on_event(self, event) -> None:
        if self._closed:
            return
        if isinstance(event, Analysis):
            self.result_view.on_analysis(event)
        elif isinstance(event, PhotoOpened):
            self._on_photo_opened(event)
        elif isinstance(event, ModelsChanged):
            self.models.on_models_changed(event)
        elif isinstance(event, Problem):
            short, details = explain_problem(event.message)
            self.show_message(short, error=True, details=details)
            if event.generation == self.engine.generation:
                self.set_pane_messages("")      # the "Opening…" or "Analysing…" that led to it
        elif isinstance(event, WhatIfNotNeeded):
            self.show_message(event.message, success=True)
        elif isinstance(event, Notice):
            self.show_message(event.message, sticky=True)

    # -- misc -----------------------------------------------------------------------------------------
    def show_message(self, text: str, error: bool = False, sticky: bool = False, details: str | None = None,
                     success: bool = False) -> None:
        """Status bar; errors and sticky warnings (GPU fallback) also in the banner, and they stay;
        a ``success`` (a capture written) stays in the banner in green.

        ``details`` (the full message behind a short ``text``) go to the log and behind the banner's Details button.
        """
        (log.warning if error or sticky else log.info)("%s", details or text)
        self.statusBar().showMessage(text, 0 if error or sticky or success else 8000)
        if success:
            self.banner.show_success(text, details)
        elif error or sticky:
            self.banner.show_error(text, details)
        self.messageShown.emit(text, error)

    def dragEnterEvent(self, event) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            return
        event.acceptProposedAction()
        self.open_path(paths[0])

    def shutdown(self) -> None:
        """Stop the source and the analysis thread (idempotent; also runs on aboutToQuit)."""
        if self._closed:
            return
        self._closed = True
        self.batch_page.shutdown()
        self.result_view.stop()
        self.models.stop()
        self.feed.stop()
        self._thread.stop()
        self.settings.store.setValue("geometry", self.saveGeometry())
        self.settings.sync()

    def closeEvent(self, event) -> None:
        self.shutdown()
        event.accept()
