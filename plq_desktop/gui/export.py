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

PASSPORT_DPI = 600


class Exporter(QObject):
    """Writes and copies what the window's result view shows."""

    def __init__(self, window: QMainWindow):  # a MainWindow (window.py imports this module)
        super().__init__(window)
        self.window = window

    def refused(self) -> bool:
        """A what-if simulation (or a simulation file) on screen is never saved, copied or exported: say so."""
        reason = self.window.whatif.refusal()
        if reason is not None:
            self.window.show_message(reason, error=True)
        return reason is not None

    def result_image(self) -> np.ndarray | None:
        """What the panes show, as the CLI renders it: each model's overlay and legend, side by side."""
        analysis = self.window.result_view.analysis
        if analysis is None:
            return None
        opacity = self.window.result_view.opacity()
        models = self.window.models
        images = [render_result(analysis.image, r, opacity, raw=models.raw_map_check.isChecked(),
                                gamma_offset=models.gamma_spin.value(), palette=self.window.engine.palette)
                  for r in analysis.results]
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
        if self.refused():
            return []
        image, report = self.result_image(), self.result_report()
        if image is None:
            self.window.show_message(self.tr("Nothing to save yet: open a photo or start the camera"), error=True)
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
            self.window.show_message(self.tr("Cannot save {path}: {reason}").format(path=png_path, reason=exc),
                                     error=True)
            return []
        self.window.show_message(self.tr("Saved {image} and {report}").format(image=png_path, report=json_path.name))
        return [png_path, json_path]

    def ask_save(self) -> None:
        if self.refused():
            return
        analysis = self.window.result_view.analysis
        if analysis is None:
            self.window.show_message(self.tr("Nothing to save yet: open a photo or start the camera"), error=True)
            return
        stem = Path(analysis.results[0].path or "plq-result").stem + ".plq.png"
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save the overlay image (and the JSON report)"),
                                              stem, self.tr("PNG image (*.png)"))
        if path:
            self.save_result(path)

    def copy_image(self) -> None:
        if self.refused():
            return
        image = self.result_image()
        if image is None:
            self.window.show_message(self.tr("Nothing to copy yet"), error=True)
            return
        QGuiApplication.clipboard().setImage(qimage_from_rgb(image))
        self.window.show_message(self.tr("Overlay image copied to the clipboard"))

    def export_passport(self, path: str | Path, fmt: str = "passport", dpi: float = PASSPORT_DPI) -> list[Path]:
        """The largest face of what is shown, cut to the ICAO passport (or token) geometry, and its JSON.

        The geometry in the JSON comes from the shown analysis' landmarks carried over by the crop
        (``plq export`` detects again on the written file).
        """
        from plq_desktop.core.icao.export import ExportError, export_photo
        from plq_desktop.core.io.passport import carried_geometry, write_export

        analysis = self._exportable()
        if analysis is None:
            return []
        result = analysis.results[0]
        face = result.faces[0]
        try:
            exported = export_photo(analysis.image, face.landmarks, fmt=fmt, dpi=dpi)
            geometry = carried_geometry(exported, face.landmarks)
            report = {"export": exported.to_dict(),
                      "source": {"image": result.path, "face_box": [round(v, 2) for v in face.box],
                                 "quality": round(face.quality, 6)},
                      "geometry": geometry, "geometry_measured": "source landmarks carried over by the crop",
                      "geometry_passed": all(g["status"] == "passed" for g in geometry.values())}
            written = list(write_export(exported, Path(path), report))
        except (ExportError, OSError) as exc:
            self.window.show_message(self.tr("Cannot export {path}: {reason}").format(path=path, reason=exc),
                                     error=True)
            return []
        notes = "; ".join(exported.notes)
        text = self.tr("Passport photo saved to {path}").format(path=written[0])
        self.window.show_message(text + (f" ({notes})" if notes else ""), error=exported.fell_back)
        return written

    def _exportable(self):
        """The shown analysis if it has a face to export (else None, said in the status bar)."""
        if self.refused():
            return None
        analysis = self.window.result_view.analysis
        if analysis is None or not analysis.results[0].faces:
            self.window.show_message(self.tr("No face to export: open a photo with a face first"), error=True)
            return None
        return analysis

    def ask_export_passport(self) -> None:
        analysis = self._exportable()
        if analysis is None:
            return
        stem = Path(analysis.results[0].path or "capture").stem + ".passport.jpg"
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Export passport photo (35 x 45 mm, 600 dpi)"),
                                              stem, self.tr("JPEG image (*.jpg *.jpeg)") + ";;"
                                              + self.tr("PNG image (*.png)"))
        if path:
            self.export_passport(path)
