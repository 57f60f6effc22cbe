"""What-if repair in the photo view: brush a region or pick a hint, see the quality before and after (a simulation).

The officer either brushes over the photo (brush mode, ``B``; the stroke is
drawn as a cyan mask; releasing the mouse runs the what-if on everything
brushed so far) or picks a hint and clicks "What if this were fixed?". The
request goes to the analysis thread (``AnalysisEngine.request_what_if``),
which runs the core's ``what_if`` (the same inpainting as ``plq whatif``)
with the model and estimator of the left pane.

The result takes over both panes: left the photo as it is, right the
inpainted photo with its map. The inpainted image carries the core's
watermark in its pixels, a red frame and a "SIMULATION - NOT FOR ENROLMENT"
bar in the pane, a banner with the gain above the images and the window
title; save, copy and passport export refuse while it is on screen (and
for a simulation file written by ``plq whatif``). Esc or "Back to the
photo" ends it; so does any new photo, source or model.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, QPointF, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMainWindow, QPushButton, QSpinBox

from plq_desktop.core.face.regions import FACE_REGIONS
from plq_desktop.core.icao.texts import region_label
from plq_desktop.core.plq.meaning import quality_points
from plq_desktop.core.live.engine import WhatIfDone
from plq_desktop.core.plq.whatif import WATERMARK, is_simulation_file, watermark
from plq_desktop.gui.actions import label, make_action, shortcut_text
from plq_desktop.gui.convert import qimage_from_rgb, qimage_from_rgba
from plq_desktop.gui.view import FaceMark, ImageView

DEFAULT_BRUSH_PX = 24
BRUSH_COLOUR = (0, 200, 255, 90)        # RGBA of the brushed mask drawn over the photo
SIMULATION_RED = QColor(200, 20, 20)
# Hints about the whole face or head: inpainting them says nothing about what to fix.
TOO_LARGE_REGIONS = ("face", "head")
SIMULATION_REFUSAL = QT_TRANSLATE_NOOP(
    "WhatIfControl", "A what-if simulation is on screen: an inpainted photo is never an enrolment photo. "
                     "Press Esc (Back to the photo) to save or export the original")


def quality_change(before: float, after: float) -> str:
    """ "Quality 41 → 63 (+22)"; one decimal when the change is under one point."""
    b, a = 100 * before, 100 * after
    digits = 1 if abs(a - b) < 1 else 0
    return QCoreApplication.translate("WhatIfControl", "Quality {before} → {after} ({change})").format(
        before=f"{b:.{digits}f}", after=f"{a:.{digits}f}", change=f"{a - b:+.{digits}f}")


def region_words(region: str) -> str:
    """What a what-if inpainted, for its messages: "the brushed region" or the region's name."""
    if region == "brush":
        return QCoreApplication.translate("WhatIfControl", "the brushed region")
    return QCoreApplication.translate("WhatIfControl", "the region “{region}”").format(region=region_label(region))


class Brush(QObject):
    """The brush on a pane: while on, the left button paints a mask in photo pixels instead of panning.

    An event filter on the pane, so the pane keeps its zoom, pan and clicks
    when the brush is off. ``radius`` is in photo pixels, so the stroke
    covers the same part of the face at any zoom.
    """

    strokeFinished = Signal()

    def __init__(self, view: ImageView):
        super().__init__(view)
        self.view = view
        self.enabled = False
        self.radius = DEFAULT_BRUSH_PX / 2
        self.mask: np.ndarray | None = None      # H x W uint8 (1 = brushed), the photo's size
        self._mask_image = None
        self._last: tuple[int, int] | None = None
        self._cursor: QPointF | None = None
        view.installEventFilter(self)
        view.decorations.append(self.paint)

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self.view.setMouseTracking(on)
        if on:
            self.view.setCursor(Qt.CursorShape.CrossCursor)
        else:
            self.view.unsetCursor()
            self._cursor, self._last = None, None
        self.view.update()

    def set_size(self, diameter_px: int) -> None:
        self.radius = max(1.0, diameter_px / 2)
        self.view.update()

    def clear(self) -> None:
        self.mask, self._mask_image, self._last = None, None, None
        self.view.update()

    def has_mask(self) -> bool:
        return self.mask is not None and bool(self.mask.any())

    def brushed(self) -> np.ndarray | None:
        """The brushed pixels (H x W bool), or None when nothing is brushed."""
        return self.mask.astype(bool) if self.has_mask() else None

    # -- painting the mask ------------------------------------------------------------------
    def _image_point(self, pos: QPointF) -> tuple[int, int]:
        p = self.view.to_image(pos)
        return round(p.x() - 0.5), round(p.y() - 0.5)

    def _stroke_to(self, point: tuple[int, int]) -> None:
        size = self.view.image_size()
        if self.mask is None or self.mask.shape != (size.height(), size.width()):
            self.mask = np.zeros((size.height(), size.width()), np.uint8)
        start = self._last or point
        cv2.line(self.mask, start, point, 1, thickness=max(1, round(2 * self.radius)), lineType=cv2.LINE_8)
        cv2.circle(self.mask, point, round(self.radius), 1, -1)
        self._last = point
        rgba = np.zeros((*self.mask.shape, 4), np.uint8)
        rgba[self.mask > 0] = BRUSH_COLOUR
        self._mask_image = qimage_from_rgba(rgba)
        self.view.update()

    def eventFilter(self, watched, event) -> bool:
        if not self.enabled or watched is not self.view or self.view.image_size() is None:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._last = None
            self._stroke_to(self._image_point(event.position()))
            return True
        if kind == QEvent.Type.MouseMove:
            self._cursor = event.position()
            if self._last is not None:
                self._stroke_to(self._image_point(event.position()))
            self.view.update()
            return True
        if kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            if self._last is not None:
                self._last = None
                self.strokeFinished.emit()
            return True
        if kind == QEvent.Type.MouseButtonDblClick:
            return True     # no "fit to window" in the middle of brushing
        if kind == QEvent.Type.Leave:
            self._cursor = None
            self.view.update()
        return False

    def paint(self, painter: QPainter, view: ImageView) -> None:
        if self._mask_image is None and not (self.enabled and self._cursor is not None):
            return
        transform = view.image_transform()
        if self._mask_image is not None:
            painter.setTransform(transform)
            painter.drawImage(QPointF(0, 0), self._mask_image)
            painter.resetTransform()
        if self.enabled and self._cursor is not None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            r = self.radius * transform.m11()
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(0, 0, 0, 160), 3))
            painter.drawEllipse(self._cursor, r, r)
            painter.setPen(QPen(QColor(0, 220, 255), 1.5))
            painter.drawEllipse(self._cursor, r, r)


# The pane's simulation bar: below this size its text goes on two lines.
MIN_STAMP_POINTS = 7.0


class SimulationBanner(QFrame):
    """Above the images while a what-if is shown: what was simulated, the gain, and the way back."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("simulation-banner")
        self.setStyleSheet("#simulation-banner { background: #c81414; }"
                           "#simulation-banner QLabel { color: white; font-weight: bold; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.back_button = QPushButton()
        layout.addWidget(self.label, 1)
        layout.addWidget(self.back_button)
        self.hide()


class WhatIfControl(QObject):
    """The what-if actions, the brush on the left pane, the request to the analysis thread and the display."""

    simulationShown = Signal(object)      # the WhatIfDone now on screen

    def __init__(self, window: QMainWindow):  # a MainWindow (window.py imports this module)
        super().__init__(window)
        self.window = window
        self.result: WhatIfDone | None = None      # the simulation on screen
        self.pending: int | None = None            # the request whose answer is awaited
        self.photo_is_simulation = False           # the photo on screen is a file written by plq whatif
        self._base = None                          # the Analysis the simulation was made from
        self._title: str | None = None             # the window title before the simulation
        self._after_frame = None                   # the watermarked inpainted photo (QImage)
        self.banner = SimulationBanner()
        self.menu = None                           # made by install()
        self.banner.back_button.clicked.connect(self.leave)

        self.brush = Brush(window.panes[0])
        self.brush.strokeFinished.connect(self.apply_brush)
        for pane in window.panes:
            pane.decorations.append(self._paint_stamp)

        self.brush_action = make_action(window, self._brush_toggled, "B", checkable=True)
        self.apply_action = make_action(window, self.apply_brush, "Ctrl+Return")
        self.clear_action = make_action(window, self.clear_brush, "Shift+B")
        self.hint_action = make_action(window, window.panel.request_what_if, "W")
        self.leave_action = make_action(window, self.leave, Qt.Key.Key_Escape)
        self.brush_bigger_action = make_action(window, lambda: self.size_spin.stepBy(4), "Ctrl+]")
        self.brush_smaller_action = make_action(window, lambda: self.size_spin.stepBy(-4), "Ctrl+[")
        self.size_spin = QSpinBox()
        self.size_spin.setRange(4, 200)
        self.size_spin.setValue(DEFAULT_BRUSH_PX)
        self.size_spin.setSuffix(" px")
        self.size_spin.valueChanged.connect(self.brush.set_size)
        self.brush.set_size(DEFAULT_BRUSH_PX)
        self._set_photo_actions(False)

        window.panel.whatIfRequested.connect(self.from_hint)
        window.resultShown.connect(self._on_result)
        window._thread.event.connect(self._on_event)

    def retranslate(self) -> None:
        label(self.brush_action, self.tr("&Brush what-if"),
              self.tr("Brush over a region of the photo; releasing the mouse simulates repairing it (inpainting)"))
        label(self.apply_action, self.tr("&Apply brush"), self.tr("Run the what-if on the brushed region"))
        label(self.clear_action, self.tr("&Clear brush"), self.tr("Remove the brushed mask"))
        label(self.brush_bigger_action, self.tr("Bigger brush"), self.tr("Brush diameter up"))
        label(self.brush_smaller_action, self.tr("Smaller brush"), self.tr("Brush diameter down"))
        label(self.hint_action, self.tr("&What if this hint were fixed?"),
              self.tr("Simulate repairing the region of the hint chosen in the list"))
        label(self.leave_action, self.tr("Back to the &photo"), self.tr("Close the what-if simulation"))
        self.size_spin.setToolTip(self.tr("Brush diameter in photo pixels"))
        self.brush_action.setIconText(self.tr("Brush"))
        self.banner.back_button.setText(self.tr("Back to the photo ({key})").format(
            key=shortcut_text(self.leave_action)))
        if self.menu is not None:
            self.menu.setTitle(self.tr("What-&if"))
        if self.result is not None:
            self._describe()        # the panes' titles and gauges follow with the window's show_analysis

    def refusal_text(self) -> str:
        return QCoreApplication.translate("WhatIfControl", SIMULATION_REFUSAL)

    def install(self, menus) -> None:
        """The What-if menu and the toolbar's brush controls (after the window's own actions)."""
        self.menu = menu = self.window.menuBar().addMenu("")
        for action in (self.brush_action, self.apply_action, self.clear_action, self.brush_bigger_action,
                       self.brush_smaller_action, None, self.hint_action, self.leave_action):
            menu.addSeparator() if action is None else menu.addAction(action)
        bar = menus.toolbar
        bar.addSeparator()
        bar.addAction(self.brush_action)
        bar.addWidget(self.size_spin)

    # -- state ------------------------------------------------------------------------------------
    @property
    def showing(self) -> bool:
        return self.result is not None

    def refusal(self) -> str | None:
        """Why the window must not save, copy or export what it shows now (None: it may)."""
        if self.showing:
            return self.refusal_text()
        analysis = self.window.result_view.analysis
        if self.photo_is_simulation and analysis is not None:
            return self.tr("{name} is a what-if simulation (inpainted): it is never an enrolment photo").format(
                name=Path(analysis.results[0].path or "").name)
        return None

    def _set_photo_actions(self, on: bool) -> None:
        for action in (self.brush_action, self.apply_action, self.clear_action, self.hint_action):
            action.setEnabled(on)
        self.size_spin.setEnabled(on)
        self.window.panel.whatif_button.setVisible(on)
        if not on and self.brush_action.isChecked():
            self.brush_action.setChecked(False)

    @Slot(object)
    def _on_result(self, analysis) -> None:
        photo = analysis.kind == "photo"
        path = analysis.results[0].path
        self.photo_is_simulation = bool(photo and path and is_simulation_file(path))
        # No what-if of a what-if: a simulation file gets no brush and no "What if" button.
        self._set_photo_actions(photo and bool(analysis.results[0].faces) and not self.photo_is_simulation)
        if self.photo_is_simulation and not self.window.windowTitle().endswith("SIMULATION"):
            self.window.setWindowTitle(f"{self.window.windowTitle()} — SIMULATION")
        if self.showing and analysis is not self._base:
            self.leave()
        for pane in self.window.panes:
            pane.update()

    # -- requests -----------------------------------------------------------------------------------
    @Slot(bool)
    def _brush_toggled(self, on: bool) -> None:
        self.brush.set_enabled(on)
        if on:
            self.window.show_message(self.tr("Brush over the region to repair; releasing the mouse runs the "
                                             "what-if (a simulation)"))

    @Slot()
    def clear_brush(self) -> None:
        self.brush.clear()

    @Slot()
    def apply_brush(self) -> None:
        mask = self.brush.brushed()
        if mask is None:
            self.window.show_message(self.tr("Nothing brushed yet: turn on the brush ({key}) and paint over the "
                                             "region").format(key=shortcut_text(self.brush_action)), error=True)
            return
        self.run(mask=mask, what=region_words("brush"))

    @Slot(str, object)
    def from_hint(self, region: str, polygon) -> None:
        if region in FACE_REGIONS:
            self.run(region=region, what=region_words(region))
            return
        if region in TOO_LARGE_REGIONS or polygon is None:
            self.window.show_message(self.tr("What-if: the hint is about the whole {region}; choose a hint about "
                                             "one part of it, or brush over that part").format(
                                                 region=region_label(region or "face")), error=True)
            return
        analysis = self.window.result_view.analysis
        if analysis is None:
            return
        mask = np.zeros(analysis.image.shape[:2], np.uint8)
        cv2.fillPoly(mask, [np.round(np.asarray(polygon) * 16).astype(np.int32)], 1, shift=4)
        self.run(mask=mask > 0, what=region_words(region))

    def run(self, region: str | None = None, mask: np.ndarray | None = None, what: str = "") -> int | None:
        """Ask the analysis thread for the what-if of ``region`` or ``mask`` on the photo on screen."""
        window = self.window
        analysis = self._base if self.showing else window.result_view.analysis
        if window.mode != "photo" or analysis is None or analysis.kind != "photo":
            window.show_message(self.tr("What-if works on a photo: open one first ({key})").format(
                key=shortcut_text(window.open_action)), error=True)
            return None
        if not analysis.results[0].faces:
            window.show_message(self.tr("What-if needs a face: none was found in this photo"), error=True)
            return None
        if self.photo_is_simulation:
            window.show_message(self.refusal(), error=True)
            return None
        face = min(window.result_view.selected_face, len(analysis.results[0].faces) - 1)
        self.pending = window.engine.request_what_if(analysis.image, analysis.results[0], region=region,
                                                     mask=mask, face_index=face)
        window.show_message(self.tr("What-if: inpainting {what} and analysing again…").format(what=what))
        return self.pending

    # -- the answer --------------------------------------------------------------------------------------
    @Slot(object)
    def _on_event(self, event) -> None:
        if not isinstance(event, WhatIfDone) or event.request != self.pending:
            return
        self.pending = None
        if event.generation != self.window.engine.generation:
            return      # the photo or the model changed meanwhile
        base = self._base if self.showing else self.window.result_view.analysis
        if self._title is None:
            self._title = self.window.windowTitle()
        if not self.window.panes[1].isVisibleTo(self.window):
            half = max(self.window.views.width(), 2) // 2
            self.window.views.setSizes([half, half])      # before and after the same size
        self.result, self._base = event, base
        self._after_frame = qimage_from_rgb(watermark(event.simulation.simulated))
        sim = event.simulation
        self._describe()
        self.banner.show()
        self.window.result_view.show_analysis()
        self.window.show_message(self.tr("What-if (simulation): {change} after inpainting {what}").format(
            change=quality_change(sim.quality_before, sim.quality_after), what=region_words(sim.region)))
        self.simulationShown.emit(event)

    def _describe(self) -> None:
        """The banner and the window title of the simulation on screen (again after a language change)."""
        sim = self.result.simulation
        # The gain depends much on the quality estimator: say which one measured it.
        self.banner.label.setText(self.tr("SIMULATION (what-if, not for enrolment): inpainting {what} — {change} "
                                          "({model})").format(what=region_words(sim.region),
                                                              change=quality_change(sim.quality_before,
                                                                                    sim.quality_after),
                                                              model=f"{sim.after.model} · {sim.after.estimator}"))
        self.window.setWindowTitle(self.tr("{title} — what-if SIMULATION").format(title=self._title))

    def draw(self) -> None:
        """Both panes: before (left) and the simulated after (right). Called by the result view."""
        if self.result is None:
            return
        sim, window = self.result.simulation, self.window
        left, right = window.panes
        right.show()
        right.set_frame_image(self._after_frame)
        face = sim.after.faces[sim.face_index]
        right.set_result(self.result.after, [FaceMark(face.box, face.quality, f"Q {quality_points(face.quality)}",
                                                      False)])
        right.set_message("")
        left.title = self.tr("Before · quality {quality}").format(quality=quality_points(sim.quality_before))
        right.title = self.tr("After · SIMULATION · {change}").format(
            change=quality_change(sim.quality_before, sim.quality_after))
        window.panel.set_gauges([(sim.quality_before, self.tr("Before")),
                                 (sim.quality_after, self.tr("After (simulation)"))])

    @Slot()
    def leave(self) -> None:
        """Back to the photo as it is (also when a new photo, source or model replaces it)."""
        if self.result is None:
            return
        window = self.window
        self.result, self._base, self._after_frame = None, None, None
        self.banner.hide()
        if self._title is not None:
            window.setWindowTitle(self._title)
            self._title = None
        frame = window.panes[0].frame_image()
        if frame is not None:
            window.panes[1].set_frame_image(frame)
        window.models.update_side_by_side_widgets()
        window.result_view.show_analysis()

    def reset(self) -> None:
        """A new photo, source or model: no simulation, no brushed mask, no answer awaited."""
        self.pending = None
        self.leave()
        self.brush.clear()
        self.photo_is_simulation = False

    # -- the marks ------------------------------------------------------------------------------------------
    def _paint_stamp(self, painter: QPainter, view: ImageView) -> None:
        """A red frame and a bottom bar on every pane that shows an inpainted photo."""
        simulated = (self.showing and view is self.window.panes[1]) or \
            (self.photo_is_simulation and view.frame_image() is not None)
        if not simulated:
            return
        rect = QRectF(view.rect())
        painter.setPen(QPen(SIMULATION_RED, 6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(3, 3, -3, -3))
        font = QFont(view.font())
        font.setBold(True)
        # Scaled to the pane's width, inside the 6 px frame: a narrow pane shows the whole warning, on two
        # lines when one would need letters too small to read.
        room = rect.width() - 24
        lines = [WATERMARK.replace(" - ", " — ")]
        if font.pointSizeF() * room / QFontMetrics(font).horizontalAdvance(lines[0]) < MIN_STAMP_POINTS:
            lines = WATERMARK.split(" - ", 1)
        widest = max(QFontMetrics(font).horizontalAdvance(line) for line in lines)
        if widest > room:
            font.setPointSizeF(max(MIN_STAMP_POINTS * 0.75, font.pointSizeF() * room / widest))
        painter.setFont(font)
        height = len(lines) * painter.fontMetrics().height() + 10
        bar = QRectF(0, rect.height() - height, rect.width(), height)
        painter.fillRect(bar, SIMULATION_RED)
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, "\n".join(lines))
