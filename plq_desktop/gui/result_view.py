"""A result on screen: each model's map and face boxes, the gauges, the hints, the live statistics.

ResultView keeps the Analysis on screen and draws it into the window's panes
and quality panel: again when the officer picks another face or the
difference view, and only over the frame it belongs to.
"""

from __future__ import annotations

import time
from collections import deque

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QLabel, QMainWindow, QSlider

from plq_desktop.core.plq.meaning import quality_points
from plq_desktop.core.live.engine import Analysis
from plq_desktop.core.live.hint_hysteresis import HintHysteresis
from plq_desktop.gui.models import key_label
from plq_desktop.gui.view import FaceMark

# Rate and latency are averaged over this many seconds of results.
RATE_WINDOW_S = 5.0
LIVE_QUALITY_SECONDS = 1.0


class ResultView(QObject):
    """Shows the window's current Analysis; owns the opacity slider and the rate label."""

    def __init__(self, window: QMainWindow):  # a MainWindow (window.py imports this module)
        super().__init__(window)
        self.window = window
        self.panes, self.panel = window.panes, window.panel
        self.analysis: Analysis | None = None
        self.selected_face = 0
        self.stale_discarded = 0                # results dropped for an older generation
        self._results: deque[tuple[float, float]] = deque()   # (finished, latency) of live results
        self.live_hints = HintHysteresis()      # the selected live face's hints, without flicker
        self._shown_hints: list = []

        for pane in self.panes:
            pane.faceClicked.connect(self.choose_face)
        self.panel.faceChosen.connect(self.choose_face)
        self.panel.hintChosen.connect(self.highlight_hint)
        self.opacity_slider = QSlider(Qt.Orientation.Horizontal)
        self.opacity_slider.setRange(0, 100)
        self.opacity_slider.valueChanged.connect(self._opacity_changed)
        self.rate_label = QLabel("")
        self._stats_timer = QTimer(self)
        self._stats_timer.timeout.connect(self.update_stats)

    def retranslate(self) -> None:
        self.opacity_slider.setToolTip(self.tr("Opacity of the quality map over the face ( [ and ] )"))
        if self.analysis is not None and self.analysis.kind == "photo":
            self.rate_label.setText(self.tr("Analysis took {seconds} s").format(
                seconds=f"{self.analysis.compute_s:.2f}"))

    def step_face(self, step: int) -> None:
        """The next (``step`` 1) or previous (-1) face of the result on screen, round the faces."""
        faces = self.analysis.results[0].faces if self.analysis is not None else []
        if len(faces) > 1:
            index = (min(self.selected_face, len(faces) - 1) + step) % len(faces)
            self.choose_face(index)

    def restore_settings(self) -> None:
        self.opacity_slider.setValue(round(100 * self.window.settings.get("opacity")))
        self._opacity_changed(self.opacity_slider.value())

    def start(self) -> None:
        self._stats_timer.start(500)

    def stop(self) -> None:
        self._stats_timer.stop()

    # -- a new result ---------------------------------------------------------------------------
    def on_analysis(self, analysis: Analysis) -> None:
        if analysis.generation != self.window.engine.generation:
            self.stale_discarded += 1
            return
        if analysis.kind == "photo" or self.analysis is None or self.analysis.kind != analysis.kind:
            self.selected_face = 0
            self.live_hints.reset()
        self.analysis = analysis
        if analysis.kind == "live":
            faces = analysis.results[0].faces
            hints = faces[min(self.selected_face, len(faces) - 1)].hints if faces else []
            self._shown_hints = self.live_hints.update(hints)
            self._results.append((analysis.finished, analysis.latency_s))
            qualities = tuple(r.faces[0].quality if r.faces else float("nan") for r in analysis.results)
            self.panel.history.add(analysis.finished, qualities)
        else:
            self.rate_label.setText(self.tr("Analysis took {seconds} s").format(seconds=f"{analysis.compute_s:.2f}"))
        self.show_analysis()
        self.window.resultShown.emit(analysis)

    def overlay_applies(self, analysis: Analysis) -> bool:
        """May this result be drawn over the frame on screen? Photos: yes. Live: same scene and size."""
        frame, feed = self.window.feed.frame, self.window.feed.current
        if analysis.kind == "photo" or frame is None:
            return True
        if frame.image.shape != analysis.image.shape:
            return False
        return frame.frame_id == analysis.frame_id or (feed is not None and feed.continuous)

    def frame_changed(self) -> None:
        """A new live frame is on screen: take the overlay off if it no longer fits."""
        if self.analysis is not None and not self.overlay_applies(self.analysis):
            for pane in self.panes:
                pane.clear_result()

    # -- drawing ------------------------------------------------------------------------------------
    def show_analysis(self) -> None:
        analysis = self.analysis
        if analysis is None:
            return
        applies = self.overlay_applies(analysis)
        live = analysis.kind == "live"
        difference_on = self.window.diff_action.isChecked() and self.window.side_action.isChecked()
        labels = result_labels(analysis)
        gauges = []
        for i, pane in enumerate(self.panes):
            if i >= len(analysis.results):
                pane.clear_result()
                pane.title = ""
                continue
            result = analysis.results[i]
            faces = result.faces
            selected = min(self.selected_face, max(len(faces) - 1, 0))
            face = faces[selected] if faces else None
            # No PLQ difference next to an AMVA pane: the right pane keeps its own map.
            difference = i == 1 and difference_on and "amva" not in analysis.explanations
            overlay = analysis.difference if difference else analysis.overlays[i]
            several = len(faces) > 1
            shown = [f.quality for f in faces]
            if live and faces:
                # Landmark jitter moves a live face's quality from frame to frame; the officer
                # reads the median of the last second (the plot keeps every value) on the largest face's
                # box, the pane's title and the gauge alike.
                recent = self.panel.history.recent_median(i, LIVE_QUALITY_SECONDS)
                shown[0] = faces[0].quality if recent is None else recent
            marks = [FaceMark(f.box, q, (f"#{j + 1}  " if several else "") + f"Q {quality_points(q)}",
                              several and j == selected)
                     for j, (f, q) in enumerate(zip(faces, shown))]
            if applies:
                pane.set_result(overlay, marks)
            else:
                pane.clear_result()
            quality = shown[selected] if face else None
            pane.title = (difference_title(analysis) if difference else
                          self.tr("{model} · quality {quality}").format(model=labels[i],
                                                                        quality=quality_points(quality))
                          if face else labels[i])
            if faces:
                pane.set_message("")
            else:
                pane.set_message(self.tr("No face in view") if live else self.tr("No face found in this photo"),
                                 error=not live)
            gauges.append((quality, labels[i]))
        self.panel.set_gauges(gauges, analysis.results[0].estimator)
        first = analysis.results[0]
        self.panel.set_faces(len(first.faces), min(self.selected_face, max(len(first.faces) - 1, 0)))
        self._show_hints()
        whatif = getattr(self.window, "whatif", None)
        if whatif is not None:
            whatif.draw()          # a what-if simulation on screen keeps the right pane

    def _show_hints(self) -> None:
        analysis = self.analysis
        faces = analysis.results[0].faces if analysis else []
        for pane in self.panes:
            pane.set_highlight(None)       # set again below if the selected hint is still there
        if not faces:
            self.panel.set_hints([], self.tr("What to fix"))
            return
        index = min(self.selected_face, len(faces) - 1)
        face = faces[index]
        hints = self._shown_hints if analysis.kind == "live" else face.hints
        if hints:
            self.panel.set_hints(hints, self.tr("What to fix"))
        else:
            self.panel.set_hints(analysis.regions[0][index], self.tr("Nothing to fix · weakest face regions"))

    @Slot(int)
    def choose_face(self, index: int) -> None:
        if index != self.selected_face:
            self.live_hints.reset()
            self._shown_hints = []
        self.selected_face = index
        self.show_analysis()

    @Slot(object)
    def highlight_hint(self, polygon) -> None:
        for pane in self.panes:
            pane.set_highlight(polygon)

    def clear(self) -> None:
        self.analysis = None
        self.live_hints.reset()
        self._shown_hints = []
        whatif = getattr(self.window, "whatif", None)
        if whatif is not None:
            whatif.reset()         # a new photo, source or model ends any simulation
        for pane in self.panes:
            pane.clear_result()
            pane.title = ""
        self.panel.set_gauges([(None, key_label(key)) for key in self.window.models.choice()])
        self.panel.set_faces(0, 0)
        self.panel.set_hints([], self.tr("What to fix"))

    # -- opacity --------------------------------------------------------------------------------------
    @Slot(int)
    def _opacity_changed(self, value: int) -> None:
        self.window.settings.set("opacity", value / 100)
        for pane in self.panes:
            pane.set_opacity(value / 100)

    def nudge_opacity(self, step: int) -> None:
        self.opacity_slider.setValue(self.opacity_slider.value() + step)

    def opacity(self) -> float:
        return self.opacity_slider.value() / 100

    # -- live statistics --------------------------------------------------------------------------------
    def clear_live_stats(self) -> None:
        self._results.clear()

    @Slot()
    def update_stats(self) -> None:
        now = time.monotonic()
        while self._results and self._results[0][0] < now - RATE_WINDOW_S:
            self._results.popleft()
        fps = self.window.feed.video_fps(now, RATE_WINDOW_S)
        if self.window.mode != "live":
            return
        rate, latency = self.live_stats()
        parts = [self.tr("analysis {rate}/s, latency {ms} ms").format(rate=f"{rate:.1f}", ms=f"{1000 * latency:.0f}")
                 if rate else self.tr("analysis starting")]
        if fps is not None:
            parts.append(self.tr("video {fps} fps").format(fps=f"{fps:.0f}"))
        parts.append(self.tr("{count} frames skipped").format(count=self.window.engine.mailbox.dropped))
        self.rate_label.setText(" · ".join(parts))

    def live_stats(self) -> tuple[float, float]:
        """(analyses per second, mean latency in seconds) over the last few seconds of live results."""
        if len(self._results) < 2 or self._results[-1][0] <= self._results[0][0]:
            return 0.0, float("nan")
        span = self._results[-1][0] - self._results[0][0]
        return (len(self._results) - 1) / span, float(np.mean([lat for _, lat in self._results]))


def result_labels(analysis: Analysis) -> list[str]:
    """Each result's model name, with its estimator when one model runs twice (two estimators),
    and "AMVA" on a pane that shows the AMVA deviation instead of the PLQ map."""
    names = [(r.model, r.estimator) for r in analysis.results]
    twice = len({n for n, _ in names}) < len(names) and len(set(names)) == len(names)
    labels = [f"{r.model} · {r.estimator}" if twice else r.model for r in analysis.results]
    explanations = analysis.explanations or ("plq",) * len(labels)
    return [f"{label} · AMVA" if how == "amva" else label for label, how in zip(labels, explanations)]


def difference_title(analysis: Analysis) -> str:
    """The right pane's title in the difference view (short enough for half a window)."""
    first, second = analysis.results[:2]
    text = QCoreApplication.translate("ResultView", "Difference: {right} minus {left}")
    if first.model == second.model:
        return text.format(right=second.estimator, left=first.estimator) + f" ({first.model})"
    return text.format(right=second.model, left=first.model)
