"""Export a passport or token photo to a file, with the re-analysed result JSON beside it.

The geometry itself is ``core.icao.export``; this module picks the face,
writes the image and checks the result by analysing the exported file again
(the JSON holds that analysis, so what it says is what the file shows).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from plq_desktop.core.analysis import ImageResult, analyze
from plq_desktop.core.icao.base import PASSED
from plq_desktop.core.icao.export import (
    DEFAULT_DPI,
    ExportError,
    PassportExport,
    encode,
    export_photo,
)
from plq_desktop.core.io.files import atomic_write
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.report import result_dict

GEOMETRY_CHECKS = ("head_width", "head_height", "eye_line", "eye_centre")


@dataclass
class ExportOutcome:
    image_path: Path
    json_path: Path
    export: PassportExport
    result: ImageResult            # the exported file, analysed again
    geometry: dict                 # check -> {"value", "threshold", "status"} on the exported file

    @property
    def geometry_passed(self) -> bool:
        return bool(self.geometry) and all(g["status"] == PASSED for g in self.geometry.values())


def json_path_for(out: Path) -> Path:
    return out.with_suffix(".json")


def geometry_of(result: ImageResult) -> dict:
    if not result.faces:
        return {}
    return {c.name: {"value": c.value, "threshold": list(c.threshold) if isinstance(c.threshold, tuple)
                     else c.threshold, "status": c.status}
            for c in result.faces[0].checks if c.name in GEOMETRY_CHECKS}


def carried_geometry(exported: PassportExport, landmarks68: np.ndarray, thresholds=None) -> dict:
    """The four geometry checks on the exported image, from the source's landmarks carried over by the
    export's transform (no second detection: for the window, where the model lives on another thread)."""
    from plq_desktop.core.face.regions import face_frame
    from plq_desktop.core.icao.base import within
    from plq_desktop.core.icao.thresholds import get_thresholds

    t = get_thresholds(thresholds)
    m = exported.matrix
    points = np.asarray(landmarks68, dtype=np.float64) @ m[:, :2].T + m[:, 2]
    frame = face_frame(points)
    h, w = exported.image.shape[:2]
    values = {"head_width": (float((points[16] - points[0]) @ frame.across) / w, t.head_width_range),
              "head_height": (2 * frame.eye_to_chin / h, t.head_height_range),
              "eye_line": ((h - 0.5 - frame.eye_mid[1]) / h, t.eye_line_range),
              "eye_centre": ((frame.eye_mid[0] + 0.5) / w, t.eye_centre_range)}
    return {name: {"value": round(v, 4), "threshold": list(r), "status": within(name, "head", v, r).status}
            for name, (v, r) in values.items()}


def write_export(exported: PassportExport, out: Path, report: dict) -> tuple[Path, Path]:
    """The image (JPEG or PNG by suffix, dpi in its header) and the JSON beside it, both atomically."""
    out = Path(out)
    data = encode(exported.image, str(out), dpi=exported.effective_dpi)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, lambda p: Path(p).write_bytes(data))
    json_path = json_path_for(out)
    atomic_write(json_path, lambda p: Path(p).write_text(json.dumps(report, indent=2)))
    return out, json_path


def export_image(image: np.ndarray, model, out: str | Path, fmt: str = "passport", dpi: float = DEFAULT_DPI,
                 source: ImageResult | None = None, source_path: str | None = None,
                 thresholds=None) -> ExportOutcome:
    """Export the largest face of ``image`` (analysed as ``source`` when given) to ``out``."""
    out = Path(out)
    if out.suffix.lower() not in (".jpg", ".jpeg", ".png"):
        raise ExportError(f"{out}: save as .jpg, .jpeg or .png")
    if source is None:
        source = analyze(image, model, path=source_path, thresholds=thresholds)
    if not source.faces:
        raise ExportError(f"{source_path or 'the photo'}: no face found")
    face = source.faces[0]
    if face.landmarks.shape[0] != 68:
        raise ExportError("the export needs the 68 face landmarks (the detector gave only 5)")
    exported = export_photo(image, face.landmarks, fmt=fmt, dpi=dpi)
    if len(source.faces) > 1:
        exported.notes.append(f"the photo shows {len(source.faces)} faces; the largest was exported")
    out.parent.mkdir(parents=True, exist_ok=True)
    data = encode(exported.image, str(out), dpi=exported.effective_dpi)
    atomic_write(out, lambda p: Path(p).write_bytes(data))
    # Analyse the file as written (JPEG losses included), not the array in memory.
    again = analyze(load_image(out), model, path=str(out), thresholds=thresholds)
    geometry = geometry_of(again)
    if not again.faces:
        exported.notes.append("no face was found again in the exported image")
    report = {
        "export": exported.to_dict(),
        "source": {"image": source_path, "width": source.width, "height": source.height,
                   "face_box": [round(v, 2) for v in face.box], "quality": round(face.quality, 6)},
        "geometry": {k: {"value": None if v["value"] is None else round(v["value"], 4),
                         "threshold": v["threshold"], "status": v["status"]} for k, v in geometry.items()},
        "result": result_dict(again),
    }
    report["geometry_passed"] = bool(geometry) and all(v["status"] == PASSED for v in geometry.values())
    json_path = json_path_for(out)
    atomic_write(json_path, lambda p: Path(p).write_text(json.dumps(report, indent=2)))
    return ExportOutcome(out, json_path, exported, again, geometry)

