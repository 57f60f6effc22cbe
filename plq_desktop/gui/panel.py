"""The quality panel: 0-100 gauges, quality over the last 30 s, and what to fix."""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from plq_desktop.core.i18n import AUDIENCES
from plq_desktop.core.icao.hints import Hint
from plq_desktop.core.io.palette import DEFAULT_PALETTE, Palette
from plq_desktop.core.plq.meaning import quality_band, quality_meaning, quality_points
from plq_desktop.gui.view import qcolour

HISTORY_SECONDS = 30.0
# Pens of the history curves: left pane, right pane.
CURVE_COLOURS = [(30, 110, 200), (200, 110, 20)]
# Hint severities (core.icao.hints): blocking, warning, info.
SEVERITY_COLOURS = {"blocking": QColor(185, 25, 25), "warning": QColor(175, 105, 0), "info": QColor(70, 70, 70)}


def _dot(colour: QColor) -> QIcon:
    """A filled circle: the severity at a glance in the hints list."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


class QualityGauge(QWidget):
    """An arc from 0 to 100 filled to the quality, in the map's colour for that quality."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.value: float | None = None     # 0..1
        self.caption = ""
        self.estimator = "matchability"     # what the number claims (core.plq.meaning)
        self.palette: Palette = DEFAULT_PALETTE
        self.setMinimumSize(130, 118)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_value(self, value: float | None, caption: str = "", estimator: str | None = None) -> None:
        self.value, self.caption = value, caption
        self.estimator = estimator or self.estimator
        self.setToolTip("" if value is None else self.tr("{caption}: {points} / 100 ({band}): {meaning}").format(
            caption=caption, points=quality_points(value), band=quality_band(value),
            meaning=quality_meaning(self.estimator)))
        self.update()

    @property
    def text(self) -> str:
        return "–" if self.value is None else str(quality_points(self.value))

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        side = min(self.width(), self.height() + 10) - 16
        arc = QRectF((self.width() - side) / 2, 8, side, side)
        start, span = 210 * 16, -240 * 16    # Qt angles in 1/16 degree, counter-clockwise from 3 o'clock
        painter.setPen(QPen(QColor(215, 215, 215), 12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        painter.drawArc(arc, start, span)
        colour = QColor(150, 150, 150) if self.value is None else qcolour(self.palette.band_colour(self.value))
        if self.value is not None:
            painter.setPen(QPen(colour, 12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
            painter.drawArc(arc, start, int(span * float(np.clip(self.value, 0, 1))))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(45, 45, 45) if self.value is not None else colour)
        painter.drawText(arc.adjusted(0, -6, 0, -6), Qt.AlignmentFlag.AlignCenter, self.text)
        font.setPointSizeF(self.font().pointSizeF())
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(QColor(60, 60, 60))
        caption_box = QRectF(0, arc.center().y() + side * 0.22, self.width(), painter.fontMetrics().height() + 4)
        painter.drawText(caption_box, Qt.AlignmentFlag.AlignHCenter, self.caption)
        painter.end()


class QualityHistory(pg.PlotWidget):
    """Image quality (0-100) of the live video over the last 30 s, one curve per pane."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, background="w")
        self.setMinimumHeight(150)
        self.setMouseEnabled(False, False)
        self.hideButtons()
        self.setMenuEnabled(False)
        item = self.getPlotItem()
        # pyqtgraph leaves its options menu without a parent; give it one so it goes with the plot.
        item.ctrlMenu.setParent(self, item.ctrlMenu.windowFlags())
        self.retranslate()
        item.showGrid(x=True, y=True, alpha=0.25)
        self.setXRange(-HISTORY_SECONDS, 0, padding=0.02)
        self.setYRange(0, 100, padding=0.04)
        self._curves = [self.plot(pen=pg.mkPen(c, width=2), connect="finite") for c in CURVE_COLOURS]
        self._points: deque[tuple[float, tuple[float, ...]]] = deque()

    def retranslate(self) -> None:
        item = self.getPlotItem()
        item.setLabel("bottom", self.tr("seconds ago"))
        item.setLabel("left", self.tr("quality"))

    def add(self, when: float, qualities: tuple[float, ...]) -> None:
        """One analysed frame at ``when`` (time.monotonic); NaN where no face was found."""
        self._points.append((when, qualities))
        while self._points and self._points[0][0] < when - HISTORY_SECONDS:
            self._points.popleft()
        self._redraw(when)

    def recent_median(self, pane: int, seconds: float) -> float | None:
        """Median quality (0..1) of ``pane`` over the last ``seconds``; None without a face there."""
        if not self._points:
            return None
        newest = self._points[-1][0]
        values = [q[pane] for t, q in self._points if t >= newest - seconds and pane < len(q)]
        values = [v for v in values if math.isfinite(v)]
        return float(np.median(values)) if values else None

    def clear_history(self) -> None:
        self._points.clear()
        for curve in self._curves:
            curve.setData([], [])

    def __len__(self) -> int:
        return len(self._points)

    def _redraw(self, now: float) -> None:
        times = np.array([t - now for t, _ in self._points])
        for i, curve in enumerate(self._curves):
            values = np.array([100 * q[i] if i < len(q) else math.nan for _, q in self._points])
            if np.isfinite(values).any():
                curve.setData(times, values)
            else:
                curve.setData([], [])


class QualityPanel(QWidget):
    """Gauges (one per pane), the face picker, the hints list and the history plot."""

    faceChosen = Signal(int)
    hintChosen = Signal(object)     # polygon (N x 2 photo coordinates) or None
    whatIfRequested = Signal(str, object)   # the chosen hint's region and polygon: "what if this were fixed?"
    audienceChosen = Signal(str)            # AUDIENCES: whose wording the hints show

    def __init__(self, parent: QWidget | None = None, audience: str = "officer"):
        super().__init__(parent)
        self.audience = audience if audience in AUDIENCES else AUDIENCES[0]
        self._hints_title = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        gauges = QHBoxLayout()
        self.gauges = [QualityGauge(), QualityGauge()]
        for gauge in self.gauges:
            gauges.addWidget(gauge)
        self.gauges[1].hide()
        layout.addLayout(gauges)

        faces = QHBoxLayout()
        self.face_label = QLabel()
        self.face_picker = QComboBox()
        self.face_picker.currentIndexChanged.connect(self._face_changed)
        faces.addWidget(self.face_label)
        faces.addWidget(self.face_picker, 1)
        layout.addLayout(faces)
        self._show_face_picker(False)

        self.hints_title = QLabel()
        layout.addWidget(self.hints_title)
        # What the officer reads, or the sentence said to the person in front of the camera.
        wording = QHBoxLayout()
        self.wording_label = QLabel()
        self.wording_combo = QComboBox()
        for audience in AUDIENCES:
            self.wording_combo.addItem("", audience)
        self.wording_combo.setCurrentIndex(AUDIENCES.index(self.audience))
        self.wording_combo.currentIndexChanged.connect(
            lambda index: self.audienceChosen.emit(self.wording_combo.itemData(index)))
        self.wording_label.setBuddy(self.wording_combo)
        wording.addWidget(self.wording_label)
        wording.addWidget(self.wording_combo, 1)
        layout.addLayout(wording)
        self.hints = QListWidget()
        self.hints.setWordWrap(True)
        # Qt measures a wrapped row with an icon wider than it paints it, and drops the last line of a long
        # sentence (as French and Spanish have): the rows are measured here (fit_hint_rows), on every resize too.
        self.hints.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.hints.setIconSize(QSize(12, 12))       # the severity dot
        self.hints.viewport().installEventFilter(self)
        self.hints.setSpacing(3)
        self.hints.setMinimumHeight(90)
        self.hints.currentItemChanged.connect(self._hint_changed)
        self.hints.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.hints.customContextMenuRequested.connect(self._hint_menu)
        layout.addWidget(self.hints, 1)
        self.whatif_button = QPushButton()
        self.whatif_button.setEnabled(False)
        self.whatif_button.clicked.connect(self.request_what_if)
        self.whatif_button.hide()          # shown for photos (the what-if control decides)
        layout.addWidget(self.whatif_button)

        self.history_title = QLabel()
        layout.addWidget(self.history_title)
        self.history = QualityHistory()
        layout.addWidget(self.history, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.face_label.setText(self.tr("Face:"))
        self.face_picker.setToolTip(self.tr("Several faces: choose the one to assess (the largest is chosen first)"))
        for i in range(self.face_picker.count()):
            self.face_picker.setItemText(i, self.face_name(i))
        self.wording_label.setText(self.tr("&Wording:"))
        self.wording_combo.setItemText(0, self.tr("Officer (what you read)"))
        self.wording_combo.setItemText(1, self.tr("Applicant (said to the person)"))
        self.wording_combo.setToolTip(self.tr("Whose wording the hints show: the officer's, or the sentence for "
                                              "the person in front of the camera"))
        self.whatif_button.setText(self.tr("What if this were fixed?"))
        self.whatif_button.setToolTip(self.tr("Simulate repairing the chosen hint's region (inpainting) and show "
                                              "the quality before and after.\nA simulation: never an enrolment "
                                              "photo."))
        self.history_title.setText("<b>{}</b>".format(self.tr("Quality over the last 30 s")))
        self.history.retranslate()

    def set_audience(self, audience: str) -> None:
        """Show the hints in ``audience``'s wording from the next ``set_hints`` on."""
        self.audience = audience if audience in AUDIENCES else AUDIENCES[0]
        self.wording_combo.blockSignals(True)
        self.wording_combo.setCurrentIndex(AUDIENCES.index(self.audience))
        self.wording_combo.blockSignals(False)

    def face_name(self, index: int) -> str:
        return self.tr("Face {n} (largest)").format(n=index + 1) if index == 0 else \
            self.tr("Face {n}").format(n=index + 1)

    def set_history_visible(self, visible: bool) -> None:
        self.history_title.setVisible(visible)
        self.history.setVisible(visible)

    def _show_face_picker(self, visible: bool) -> None:
        self.face_label.setVisible(visible)
        self.face_picker.setVisible(visible)

    def set_faces(self, count: int, selected: int) -> None:
        self.face_picker.blockSignals(True)
        self.face_picker.clear()
        for i in range(count):
            self.face_picker.addItem(self.face_name(i))
        self.face_picker.setCurrentIndex(selected if count else -1)
        self.face_picker.blockSignals(False)
        self._show_face_picker(count > 1)

    def set_palette(self, palette: Palette) -> None:
        for gauge in self.gauges:
            gauge.palette = palette
            gauge.update()

    def set_gauges(self, values: list[tuple[float | None, str]], estimator: str | None = None) -> None:
        for gauge, (value, caption) in zip(self.gauges, values):
            gauge.set_value(value, caption, estimator)
        self.gauges[1].setVisible(len(values) > 1)

    def set_hints(self, hints: list, title: str) -> None:
        """``hints``: objects with ``to_dict()`` (region, severity, message, polygon...).

        A core Hint shows in the core's language and the chosen audience's wording (``Hint.text``);
        the weakest regions (shown when nothing needs fixing) have one wording.
        """
        self.hints_title.setText(f"<b>{title}</b>")
        current = self.hints.currentItem()
        # Live results replace the list several times a second: keep the officer's selection.
        selected = current.data(Qt.ItemDataRole.UserRole + 1) if current is not None else None
        self.hints.blockSignals(True)
        self.hints.clear()
        reselect = -1
        for hint in hints:
            info = hint.to_dict()
            key = (info.get("check"), info.get("region"))
            if key == selected:
                reselect = self.hints.count()
            colour = SEVERITY_COLOURS.get(info.get("severity"), SEVERITY_COLOURS["info"])
            text = hint.text(audience=self.audience) if isinstance(hint, Hint) else info["message"]
            item = QListWidgetItem(_dot(colour), text)
            item.setForeground(colour)
            value, threshold, unit = info.get("value"), info.get("threshold"), info.get("unit", "")
            tip = f"{info.get('check')} ({info.get('region')}): {value} {unit}".rstrip()
            if threshold is not None:
                tip += ", " + self.tr("threshold {value}").format(value=f"{threshold} {unit}".rstrip())
            item.setToolTip(tip)
            polygon = info.get("polygon")
            item.setData(Qt.ItemDataRole.UserRole, None if polygon is None else np.asarray(polygon, float))
            item.setData(Qt.ItemDataRole.UserRole + 1, key)
            self.hints.addItem(item)
        self.fit_hint_rows()
        self.hints.blockSignals(False)
        self.whatif_button.setEnabled(False)
        if reselect >= 0:
            self.hints.setCurrentRow(reselect)     # emits hintChosen with the new outline

    def fit_hint_rows(self) -> None:
        """Each hint's row as tall as its whole sentence needs at the list's width, icon and margins aside
        (generous margins: a row a little too tall is better than a sentence cut)."""
        text_width = max(60, self.hints.viewport().width() - 2 * self.hints.spacing()
                         - self.hints.iconSize().width() - 24)
        metrics = self.hints.fontMetrics()
        for i in range(self.hints.count()):
            item = self.hints.item(i)
            height = metrics.boundingRect(QRect(0, 0, text_width, 100_000), Qt.TextFlag.TextWordWrap,
                                          item.text()).height()
            item.setSizeHint(QSize(text_width, height + 6))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.hints.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_hint_rows()
        return False

    def hint_texts(self) -> list[str]:
        return [self.hints.item(i).text() for i in range(self.hints.count())]

    def _face_changed(self, index: int) -> None:
        if index >= 0:
            self.faceChosen.emit(index)

    def _hint_changed(self, current: QListWidgetItem | None, previous) -> None:
        self.whatif_button.setEnabled(current is not None and current.data(Qt.ItemDataRole.UserRole) is not None)
        self.hintChosen.emit(None if current is None else current.data(Qt.ItemDataRole.UserRole))

    def request_what_if(self) -> None:
        """Ask for the what-if of the chosen hint's region (nothing without a hint that has a region)."""
        item = self.hints.currentItem()
        if item is None or item.data(Qt.ItemDataRole.UserRole) is None:
            return
        _check, region = item.data(Qt.ItemDataRole.UserRole + 1)
        self.whatIfRequested.emit(region or "", item.data(Qt.ItemDataRole.UserRole))

    def _hint_menu(self, pos) -> None:
        item = self.hints.itemAt(pos)
        if item is None or not self.whatif_button.isVisible():
            return
        self.hints.setCurrentItem(item)
        menu = QMenu(self)
        menu.addAction(self.whatif_button.text(), self.request_what_if).setEnabled(self.whatif_button.isEnabled())
        menu.exec(self.hints.viewport().mapToGlobal(pos))
