"""The one long-lived thread that owns every model (all torch/CUDA state)."""

from __future__ import annotations

from PySide6.QtCore import QThread, Signal

from plq_desktop.core.live.engine import AnalysisEngine


class AnalysisThread(QThread):
    """Runs ``AnalysisEngine.run`` and forwards its events as the ``event`` signal.

    ``event`` is emitted on this thread and delivered queued to receivers on
    the GUI thread; the engine's methods (``set_models``, ``open_photo``,
    ``post_frame``...) may be called from any thread.
    """

    event = Signal(object)

    def __init__(self, parent=None, **engine_options):
        super().__init__(parent)
        self.setObjectName("plq-analysis")
        self.engine = AnalysisEngine(self.event.emit, **engine_options)

    def run(self) -> None:
        self.engine.run()

    def stop(self) -> None:
        """Ask the engine to finish (after the analysis in flight, if any) and wait for the thread."""
        self.engine.stop()
        self.quit()
        self.wait()
