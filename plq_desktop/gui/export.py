"""Saving and copying a result: the overlay image as the CLI renders it, and the JSON report."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMainWindow

from plq_desktop.core.io.render import render_result
from plq_desktop.core.io.report import result_dict
from plq_desktop.gui.convert import qimage_from_rgb

NOTHING_TO_SAVE = "Nothing to save yet: open a photo or start the camera"


class Exporter(QObject):
    """Writes and copies what the window's result view shows."""

    def __init__(self, window: QMainWindow):  # a MainWindow (window.py imports this module)
        super().__init__(window)
        self.window = window

    def result_image(self) -> np.ndarray | None:
        """What the panes show, as the CLI renders it: each model's overlay and legend, side by side."""
        analysis = self.window.result_view.analysis
        if analysis is None:
            return None
        opacity = self.window.result_view.opacity()
        images = [render_result(analysis.image, r, opacity) for r in analysis.results]
        if len(images) == 1:
            return images[0]
        gap = np.full((images[0].shape[0], 8, 3), 255, np.uint8)
        return np.concatenate([images[0], gap, images[1]], axis=1)

    def result_report(self) -> dict | None:
        analysis = self.window.result_view.analysis
        if analysis is None:
            return None
        reports = [result_dict(r) for r in analysis.results]
        return reports[0] if len(reports) == 1 else {"side_by_side": reports}

    def save_result(self, png_path: str | Path) -> list[Path]:
        """Write the overlay image to ``png_path`` and the JSON report next to it (same stem)."""
        image, report = self.result_image(), self.result_report()
        if image is None:
            self.window.show_message(NOTHING_TO_SAVE, error=True)
            return []
        png_path = Path(png_path).with_suffix(".png")
        json_path = png_path.with_suffix(".json")
        try:
            ok, encoded = cv2.imencode(".png", cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
            if not ok:
                raise OSError("the PNG encoder failed")
            png_path.write_bytes(encoded.tobytes())
            json_path.write_text(json.dumps(report, indent=2))
        except OSError as exc:
            self.window.show_message(f"Cannot save {png_path}: {exc}", error=True)
            return []
        self.window.show_message(f"Saved {png_path} and {json_path.name}")
        return [png_path, json_path]

    def ask_save(self) -> None:
        analysis = self.window.result_view.analysis
        if analysis is None:
            self.window.show_message(NOTHING_TO_SAVE, error=True)
            return
        stem = Path(analysis.results[0].path or "plq-result").stem + ".plq.png"
        path, _ = QFileDialog.getSaveFileName(self.window, "Save the overlay image (and the JSON report)", stem,
                                              "PNG image (*.png)")
        if path:
            self.save_result(path)

    def copy_image(self) -> None:
        image = self.result_image()
        if image is None:
            self.window.show_message("Nothing to copy yet", error=True)
            return
        QGuiApplication.clipboard().setImage(qimage_from_rgb(image))
        self.window.show_message("Overlay image copied to the clipboard")
