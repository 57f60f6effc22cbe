"""Results as JSON-ready dictionaries and files (shared by the CLI and the GUI)."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np

from plq_desktop.core.analysis import ImageResult
from plq_desktop.core.io.files import atomic_write
from plq_desktop.core.io.render import render_result


def _hint_dict(hint):
    return hint.to_dict() if hasattr(hint, "to_dict") else dict(hint)


def result_dict(result: ImageResult) -> dict:
    return {
        "image": result.path,
        "width": result.width,
        "height": result.height,
        "model": result.model,
        "quality_estimator": result.estimator,
        "faces": [
            {
                "box": [round(v, 2) for v in face.box],
                "detection_score": round(face.score, 4),
                "landmarks": np.round(face.landmarks.astype(float), 2).tolist(),
                "quality": round(face.quality, 6),
                "raw_quality": round(face.raw_quality, 6),
                "mean_pixel_quality": round(float(np.mean(face.chip_plq)), 6),
                "region_pixel_quality": {name: stats.to_dict() for name, stats in face.region_stats.items()
                                         if stats is not None},
                "hints": [_hint_dict(h) for h in face.hints],
                **({"amva": face.amva.to_dict()} if getattr(face, "amva", None) is not None else {}),
            }
            for face in result.faces
        ],
    }


def write_outputs(result: ImageResult, image: np.ndarray, out_dir: Path, stem: str) -> list[Path]:
    """STEM.json, STEM.plq.npy (map in photo coordinates) and STEM.plq.png (overlay + legend)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, npy_path, png_path = (out_dir / f"{stem}{s}" for s in (".json", ".plq.npy", ".plq.png"))
    atomic_write(json_path, lambda p: Path(p).write_text(json.dumps(result_dict(result), indent=2)))
    atomic_write(npy_path, lambda p: np.save(p, result.plq_map))
    overlay = render_result(image, result)
    ok, encoded = cv2.imencode(".png", cv2.cvtColor(overlay, cv2.COLOR_RGB2BGR))
    if not ok:
        raise OSError(f"could not encode {png_path}")
    atomic_write(png_path, lambda p: Path(p).write_bytes(encoded.tobytes()))
    return [json_path, npy_path, png_path]
