"""Auto-capture in the live view: a countdown bar in the status bar, the captured frame written and signalled.

The decision is the core's ``AutoCapture`` state machine, fed with every live
result the window shows (timestamps: the frames' capture times). On a
capture the frame and its JSON go to the chosen folder, ``frameCaptured``
fires, a message says so and, unless told to keep going, the feed stops.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow, QProgressBar

from plq_desktop.core.live.autocapture import AutoCapture, AutoCaptureSettings


class AutoCaptureController(QObject):
    frameCaptured = Signal(object)      # core.live.autocapture.Capture; its files are written by then

    def __init__(self, window: QMainWindow):  # a MainWindow (window.py imports this module)
        super().__init__(window)
        self.window = window
        self.machine: AutoCapture | None = None
        self.out_dir: Path | None = None
        self.written: list[Path] = []
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setMaximumWidth(160)
        self.bar.setFormat("capture %p%")
        self.bar.setToolTip("Auto-capture: how long the face has met the conditions")
        self.bar.hide()
        window.statusBar().addPermanentWidget(self.bar)
        window.resultShown.connect(self.on_result)

    def enable(self, out_dir: str | Path, settings: AutoCaptureSettings | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.machine = AutoCapture(settings or AutoCaptureSettings())
        self.bar.setValue(0)
        self.bar.show()

    def disable(self) -> None:
        self.machine = None
        self.bar.hide()

    def on_result(self, analysis) -> None:
        if self.machine is None or analysis.kind != "live":
            return
        from plq_desktop.core.live.autocapture import write_capture

        state = self.machine.feed(analysis.frame_id, analysis.captured, analysis.image, analysis.results[0])
        self.bar.setValue(round(100 * state.progress))
        self.bar.setFormat("captured" if state.done else
                           f"capture in {state.remaining_s:.1f} s" if state.qualifies else "capture: waiting")
        self.bar.setToolTip(state.reason or "Hold still")
        if state.captured is None:
            return
        png, js = write_capture(state.captured, self.out_dir)
        self.written = [png, js]
        self.window.show_message(f"Captured frame {state.captured.frame_id}, quality "
                                 f"{100 * state.captured.quality:.0f}: {png}", sticky=True)
        if state.done:
            self.window.feed.stop()
        self.frameCaptured.emit(state.captured)
