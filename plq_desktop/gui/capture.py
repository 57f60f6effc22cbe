"""Auto-capture in the live view: a progress ring over the video, the captured frame written and signalled.

The decision is the core's ``AutoCapture`` state machine, fed with every live
result the window shows (timestamps: the frames' capture times). On a
capture the frame and its JSON go to the chosen folder, ``frameCaptured``
fires, a message says so and, unless told to keep going, the feed stops.

``CaptureRing`` draws the machine's state in the top-right corner of the
video: a ring that fills as the qualifying window runs (the seconds left
inside it), empty and grey with the reason below while the face does not
qualify, and a green check with a white flash over the video on a capture.
A countdown bar in the status bar says the same in words.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QFileDialog, QMainWindow, QProgressBar

from plq_desktop.core.plq.meaning import quality_points
from plq_desktop.core.live.autocapture import AutoCapture, AutoCaptureSettings, CaptureState
from plq_desktop.gui.actions import shortcut_text

# The live view may spread the estimator's views over consecutive frames (core.plq.estimators.ViewRotation):
# its quality can differ from the photo pipeline's by a few hundredths.
LIVE_QUALITY_NOTE = ("live view: the estimator's views may come from consecutive frames; "
                     "plq analyze on the saved PNG gives the photo pipeline's value")
RING_RADIUS = 30
RING_WIDTH = 8
FLASH_S = 0.6                   # the white flash over the video on a capture fades out in this time
RING_COLOURS = {"waiting": QColor(150, 150, 150), "holding": QColor(240, 170, 20), "captured": QColor(30, 170, 60)}


class CaptureRing(QObject):
    """The auto-capture progress ring painted over a pane (one of the pane's decorations)."""

    def __init__(self, view):   # an ImageView
        super().__init__(view)
        self.view = view
        self.active = False
        self.progress = 0.0         # 0..1 of the hold time (the core's CaptureState.progress)
        self.qualifies = False
        self.captured = False
        self.remaining_s = 0.0
        self.reason = ""
        self._flash_until = 0.0
        self._flash_timer = QTimer(self, interval=30)
        self._flash_timer.timeout.connect(self._fade)
        view.decorations.append(self.paint)

    @property
    def phase(self) -> str:
        """"captured" (stopped after a capture, or for the flash after one), "holding" or "waiting"."""
        return "captured" if self.captured or self.flashing else "holding" if self.qualifies else "waiting"

    def start(self) -> None:
        self.active, self.progress, self.qualifies, self.captured, self.reason = True, 0.0, False, False, ""
        self._flash_until = 0.0
        self.view.update()

    def stop(self) -> None:
        self.active = False
        self._flash_timer.stop()
        self.view.update()

    def set_state(self, state: CaptureState) -> None:
        """Show the core's state as it is: the ring's progress is the state's progress."""
        self.progress = float(state.progress)
        self.qualifies = state.qualifies
        self.captured = state.done
        self.remaining_s = state.remaining_s
        self.reason = state.reason or ""
        if state.captured is not None:
            self._flash_until = time.monotonic() + FLASH_S
            self._flash_timer.start()
        self.view.update()

    @property
    def flashing(self) -> bool:
        return time.monotonic() < self._flash_until

    def _fade(self) -> None:
        if not self.flashing:
            self._flash_timer.stop()
        self.view.update()

    def paint(self, painter: QPainter, view) -> None:
        if not self.active:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        left = self._flash_until - time.monotonic()
        if left > 0:
            painter.fillRect(view.rect(), QColor(255, 255, 255, int(200 * left / FLASH_S)))
        centre = QPointF(view.width() - RING_RADIUS - RING_WIDTH - 10, RING_RADIUS + RING_WIDTH + 10)
        box = QRectF(centre.x() - RING_RADIUS, centre.y() - RING_RADIUS, 2 * RING_RADIUS, 2 * RING_RADIUS)
        phase = self.phase
        captured = phase == "captured"
        colour = RING_COLOURS[phase]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour if captured else QColor(0, 0, 0, 150))
        painter.drawEllipse(box.adjusted(-RING_WIDTH / 2, -RING_WIDTH / 2, RING_WIDTH / 2, RING_WIDTH / 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(255, 255, 255, 70), RING_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        painter.drawEllipse(box)
        if self.progress > 0 and not captured:
            painter.setPen(QPen(colour, RING_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawArc(box, 90 * 16, -round(360 * 16 * min(self.progress, 1.0)))   # clockwise from 12
        font = QFont(view.font())
        font.setBold(True)
        painter.setFont(font)
        if captured:
            check = QPainterPath(QPointF(centre.x() - 13, centre.y() + 1))
            check.lineTo(centre.x() - 4, centre.y() + 10)
            check.lineTo(centre.x() + 14, centre.y() - 10)
            painter.setPen(QPen(QColor(255, 255, 255), 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                                Qt.PenJoinStyle.RoundJoin))
            painter.drawPath(check)
            caption = self.tr("Captured")
        else:
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter,
                             f"{self.remaining_s:.1f} s" if self.qualifies else "–")
            caption = self.tr("Hold still") if self.qualifies else self.reason[:1].upper() + self.reason[1:]
        if caption:
            metrics = painter.fontMetrics()
            caption = metrics.elidedText(caption, Qt.TextElideMode.ElideRight, 220)
            width = metrics.horizontalAdvance(caption) + 12
            label = QRectF(min(centre.x() - width / 2, view.width() - width - 4), box.bottom() + RING_WIDTH + 4,
                           width, metrics.height() + 4)
            painter.fillRect(label, QColor(0, 0, 0, 170))
            painter.setPen(colour if not captured else QColor(120, 230, 140))
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, caption)


class AutoCaptureController(QObject):
    frameCaptured = Signal(object)      # core.live.autocapture.Capture; its files are written by then

    def __init__(self, window: QMainWindow):  # a MainWindow (window.py imports this module)
        super().__init__(window)
        self.window = window
        self.machine: AutoCapture | None = None
        self.out_dir: Path | None = None
        self.written: list[Path] = []
        self.state: CaptureState | None = None      # the machine's answer to the latest live result
        self.ring = CaptureRing(window.panes[0])
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setMaximumWidth(160)
        self.bar.hide()
        window.statusBar().addPermanentWidget(self.bar)
        window.resultShown.connect(self.on_result)

    def retranslate(self) -> None:
        self.bar.setFormat(self.tr("capture %p%"))
        self.bar.setToolTip(self.tr("Auto-capture: how long the face has met the conditions"))

    def toggled(self, on: bool) -> None:
        """The Auto-capture action: on asks for the folder the capture goes to (cancel: stays off)."""
        action = self.window.menus.capture_action
        if not on:
            self.disable()
            return
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Folder for the captured photo"),
                                                  str(self.out_dir or ""))
        if folder:
            self.enable(folder)
            self.window.show_message(self.tr("Auto-capture into {folder}: start the camera ({key})").format(
                folder=folder, key=shortcut_text(self.window.live_action)))
        else:
            action.blockSignals(True)
            action.setChecked(False)
            action.blockSignals(False)

    def enable(self, out_dir: str | Path, settings: AutoCaptureSettings | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.machine = AutoCapture(settings or AutoCaptureSettings())
        self.state = None
        self.bar.setValue(0)
        self.bar.show()
        self.ring.start()
        self._set_action_checked(True)

    def _set_action_checked(self, on: bool) -> None:
        menus = getattr(self.window, "menus", None)
        if menus is not None:
            blocked = menus.capture_action.blockSignals(True)
            menus.capture_action.setChecked(on)
            menus.capture_action.blockSignals(blocked)

    def disable(self) -> None:
        self.machine = None
        self.bar.hide()
        self.ring.stop()
        self._set_action_checked(False)

    def on_result(self, analysis) -> None:
        if self.machine is None or analysis.kind != "live":
            return
        from plq_desktop.core.live.autocapture import write_capture

        state = self.machine.feed(analysis.frame_id, analysis.captured, analysis.image, analysis.results[0])
        self.state = state
        self.ring.set_state(state)
        self.bar.setValue(round(100 * state.progress))
        self.bar.setFormat(self.tr("captured") if state.done else
                           self.tr("capture in {seconds} s").format(seconds=f"{state.remaining_s:.1f}")
                           if state.qualifies else self.tr("capture: waiting"))
        self.bar.setToolTip(state.reason or self.tr("Hold still"))
        if state.captured is None:
            return
        png, js = write_capture(state.captured, self.out_dir, quality_from=LIVE_QUALITY_NOTE)
        self.written = [png, js]
        if state.done:
            # The feed stops and the captured frame opens as a photo: its own map, boxes and hints, not
            # the last video frame without an overlay under live statistics that run dry.
            self.window.open_photo(png)
        self.window.show_message(self.tr("Captured frame {frame}, quality {quality}: {path}").format(
            frame=state.captured.frame_id, quality=quality_points(state.captured.quality), path=png), success=True)
        self.frameCaptured.emit(state.captured)
