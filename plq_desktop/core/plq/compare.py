"""Two models on the same face: their PLQ maps side by side, the difference, and their agreement.

Both maps are carried back onto the photo (each model aligns the face its
own way), so they are compared pixel for pixel where both are defined, on
the same fixed colour scale as every other map (no per-image scaling).
Agreement is the Spearman rank correlation of the two maps over those
pixels: whether the models rank the same regions as helpful or harmful,
whatever their absolute levels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from plq_desktop.core.analysis import align_faces
from plq_desktop.core.face.detection import FaceDetector
from plq_desktop.core.i18n import _
from plq_desktop.core.io.files import atomic_write
from plq_desktop.core.io.palette import DEFAULT_PALETTE, Palette
from plq_desktop.core.io.render import (
    DIFFERENCE_RANGE,
    blend_map,
    colourize_difference,
    legend_panel,
    put_text,
)
from plq_desktop.core.plq import display
from plq_desktop.core.plq.meaning import quality_points
from plq_desktop.core.plq.model import FaceModel
from plq_desktop.core.plq.stats import spearman


class NoFaceError(ValueError):
    pass


@dataclass
class ModelMap:
    model: str
    estimator: str
    quality: float
    raw_quality: float
    chip_size: tuple[int, int]
    alignment: str
    chip_plq: np.ndarray   # P on the model's own chip
    plq_map: np.ndarray    # P on the photo, NaN off the chip


@dataclass
class Comparison:
    face_index: int        # 0-based, largest face first
    faces_found: int
    box: tuple[float, float, float, float]
    landmarks5: np.ndarray
    maps: tuple[ModelMap, ModelMap]
    difference: np.ndarray  # second minus first on the photo, NaN where either map is undefined
    spearman: float
    pixels: int
    path: str | None = None
    raw: bool = False       # the paper's per-pixel maps instead of the readable ones


def compare_models(image: np.ndarray, models: tuple[FaceModel, FaceModel], detector: FaceDetector,
                   estimator: str | None = None, seed: int | None = 0, face: int = 0,
                   path: str | None = None,
                   estimators: tuple[str | None, str | None] | None = None, raw: bool = False) -> Comparison:
    """Detect once, then align, score and map the chosen face with each model.

    The maps are the readable ones that ``plq analyze`` and the window show (``core.plq.display``);
    ``raw``: the paper's per-pixel maps.

    ``estimators`` gives each side its own quality estimator (None: the
    model's default), so one model can be compared with itself under two
    estimators; otherwise ``estimator`` applies to both.
    """
    detections = detector.detect(image)
    if not detections:
        raise NoFaceError("no face found")
    if not 0 <= face < len(detections):
        raise NoFaceError(f"face {face + 1} requested, {len(detections)} found")
    det = detections[face]
    maps = []
    for model, side_estimator in zip(models, estimators or (estimator, estimator)):
        alignment = align_faces(image, [det], model)[0]
        result = model.plq(alignment.warp(image)[None], estimator=side_estimator, seed=seed)
        chip_plq = result.maps[0]
        if not raw:
            chip_plq = display.pixel_quality(result.gradients[0], model.calibration.gamma)
            chip_plq[np.isnan(result.maps[0])] = np.nan     # the chip's unread border: not analysed
        maps.append(ModelMap(model.name, result.estimator, float(result.quality[0]), float(result.raw_quality[0]),
                             model.chip_size, model.alignment, chip_plq, alignment.to_image(chip_plq, image.shape)))
    a, b = maps[0].plq_map, maps[1].plq_map
    both = ~np.isnan(a) & ~np.isnan(b)
    difference = np.where(both, b - a, np.nan).astype(np.float32)
    pixels = int(both.sum())
    # Undefined when a map is constant (e.g. a face whose quality is 0 has no gradient at all).
    defined = pixels > 2 and np.ptp(a[both]) > 0 and np.ptp(b[both]) > 0
    rho = spearman(a[both], b[both]) if defined else float("nan")
    return Comparison(face, len(detections), det.box, det.landmarks5, (maps[0], maps[1]), difference,
                      rho, pixels, path, raw)


# -- rendering -----------------------------------------------------------------------

def _difference_legend(height: int, width: int) -> np.ndarray:
    panel = np.full((height, width, 3), 32, dtype=np.uint8)
    margin = max(12, height // 20)
    bar = colourize_difference(np.linspace(DIFFERENCE_RANGE, -DIFFERENCE_RANGE, height - 2 * margin))
    bar = bar[:, None].repeat(width // 4, axis=1)
    x = max(8, width // 10)
    panel[margin:height - margin, x:x + bar.shape[1]] = bar
    scale = max(0.35, height / 1600)
    for v in np.linspace(DIFFERENCE_RANGE, -DIFFERENCE_RANGE, 5):
        y = margin + int((1 - v / DIFFERENCE_RANGE) / 2 * (height - 2 * margin - 1))
        put_text(panel, f"{v:+.2f}", (x + bar.shape[1] + 4, y + 5), scale)
    put_text(panel, _("2nd higher"), (x, max(12, margin - 4)), scale * 0.9)
    put_text(panel, _("1st higher"), (x, height - max(4, margin // 3)), scale * 0.9)
    return panel


def _crop_box(cmp: Comparison, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    covered = ~np.isnan(cmp.maps[0].plq_map) | ~np.isnan(cmp.maps[1].plq_map)
    ys, xs = np.nonzero(covered)
    pad = int(0.05 * max(np.ptp(xs), np.ptp(ys)) + 1)
    return (max(0, xs.min() - pad), max(0, ys.min() - pad),
            min(shape[1], xs.max() + pad + 1), min(shape[0], ys.max() + pad + 1))


def render_comparison(image: np.ndarray, cmp: Comparison, height: int = 360,
                      palette: Palette = DEFAULT_PALETTE) -> np.ndarray:
    """[first model's map | second model's map | difference | legends], the face cropped alike in all."""
    x0, y0, x1, y1 = _crop_box(cmp, image.shape)
    width = max(1, round((x1 - x0) * height / (y1 - y0)))

    def fit(a: np.ndarray, interpolation) -> np.ndarray:
        return cv2.resize(np.ascontiguousarray(a[y0:y1, x0:x1]), (width, height), interpolation=interpolation)

    photo = fit(image, cv2.INTER_AREA)
    scale = max(0.45, height / 800)
    line1, line2 = 6 + int(24 * scale), 10 + int(56 * scale)
    panels = []
    for m in cmp.maps:
        panel = blend_map(photo, fit(m.plq_map, cv2.INTER_NEAREST), palette=palette)
        put_text(panel, m.model, (6, line1), scale)
        put_text(panel, f"Q {quality_points(m.quality)} ({m.estimator})", (6, line2), scale, palette.colour(m.quality))
        panels.append(panel)
    diff = fit(cmp.difference, cv2.INTER_NEAREST)
    # Over the grey photo, so the face stays visible where the models agree (white).
    diff_panel = cv2.cvtColor(cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    inside = ~np.isnan(diff)
    diff_panel[inside] = (0.6 * colourize_difference(diff[inside]) + 0.4 * diff_panel[inside]).astype(np.uint8)
    put_text(diff_panel, _("second - first"), (6, line1), scale)
    put_text(diff_panel, f"Spearman {cmp.spearman:.2f}", (6, line2), scale)
    legend_width = max(90, height // 6)
    return np.concatenate(panels + [diff_panel, legend_panel(height, legend_width, palette=palette),
                                    _difference_legend(height, legend_width)], axis=1)


# -- outputs -------------------------------------------------------------------------

def comparison_dict(cmp: Comparison, png: str | None = None) -> dict:
    both = ~np.isnan(cmp.difference)
    return {
        "image": cmp.path,
        "face": {"index": cmp.face_index + 1, "faces_found": cmp.faces_found,
                 "box": [round(float(v), 2) for v in cmp.box],
                 "landmarks5": np.round(cmp.landmarks5.astype(float), 2).tolist()},
        "models": [
            {"name": m.model, "estimator": m.estimator, "quality": round(m.quality, 6),
             "raw_quality": round(m.raw_quality, 6), "mean_pixel_quality": round(float(np.nanmean(m.chip_plq)), 6),
             "chip_size": list(m.chip_size), "alignment": m.alignment}
            for m in cmp.maps
        ],
        "maps": {
            "kind": "raw (per pixel)" if cmp.raw else "readable (smoothed, as plq analyze draws it)",
            "spearman": None if np.isnan(cmp.spearman) else round(cmp.spearman, 6),
            "pixels_compared": cmp.pixels,
            "mean_difference": round(float(cmp.difference[both].mean()), 6) if cmp.pixels else None,
            "mean_abs_difference": round(float(np.abs(cmp.difference[both]).mean()), 6) if cmp.pixels else None,
            "difference": "second model's pixel quality minus the first's, on the photo pixels both maps cover",
        },
        "png": png,
    }


def write_comparison(cmp: Comparison, image: np.ndarray, out_dir: Path, stem: str,
                     palette: Palette = DEFAULT_PALETTE) -> list[Path]:
    """STEM.compare.png (maps in ``palette``) and STEM.compare.json in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    png_path, json_path = out_dir / f"{stem}.compare.png", out_dir / f"{stem}.compare.json"
    ok, encoded = cv2.imencode(".png", cv2.cvtColor(render_comparison(image, cmp, palette=palette), cv2.COLOR_RGB2BGR))
    if not ok:
        raise OSError(f"could not encode {png_path}")
    atomic_write(png_path, lambda p: Path(p).write_bytes(encoded.tobytes()))
    data = comparison_dict(cmp, png_path.name)
    atomic_write(json_path, lambda p: Path(p).write_text(json.dumps(data, indent=2)))
    return [png_path, json_path]
