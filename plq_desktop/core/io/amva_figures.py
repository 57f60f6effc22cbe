"""AMVA outputs: the single-photo deviation overlay (STEM.amva.png / .npy) and the group figures of ``plq amva``.

Colours: deviations and variations use matplotlib's "magma" (black = none,
yellow-white = most), deliberately not PLQ's red-to-green, so an AMVA figure
is never read as a quality map.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from plq_desktop.core.io.files import atomic_write
from plq_desktop.core.io.render import put_text

AMVA_COLORMAP = "magma"


@lru_cache(maxsize=1)
def amva_lut() -> np.ndarray:
    from matplotlib import colormaps
    return (colormaps[AMVA_COLORMAP](np.linspace(0.0, 1.0, 256))[:, :3] * 255).round().astype(np.uint8)


def colourize_amva(values: np.ndarray, vmax: float) -> np.ndarray:
    idx = np.nan_to_num(np.clip(values / max(vmax, 1e-12), 0.0, 1.0) * 255, nan=0.0).astype(np.uint8)
    return amva_lut()[idx]


def amva_legend(height: int, vmax: float, width: int | None = None) -> np.ndarray:
    width = width or max(100, height // 6)
    panel = np.full((height, width, 3), 32, dtype=np.uint8)
    margin = max(12, height // 20)
    bar_h = height - 2 * margin
    bar_x = max(8, width // 10)
    values = np.linspace(vmax, 0.0, bar_h)[:, None].repeat(max(12, width // 4), axis=1)
    panel[margin:margin + bar_h, bar_x:bar_x + values.shape[1]] = colourize_amva(values, vmax)
    scale = max(0.35, height / 1600)
    tx = bar_x + values.shape[1] + 6
    for f in (1.0, 0.5, 0.0):
        y = margin + int((1 - f) * (bar_h - 1))
        put_text(panel, f"{f * vmax:.2f}", (tx, y + 5), scale)
    put_text(panel, "AMVA", (bar_x, max(12, margin - 4)), scale * 0.9)
    put_text(panel, "deviation", (bar_x, height - max(4, margin // 3)), scale * 0.9)
    return panel


def render_amva(image: np.ndarray, result, vmax: float, opacity: float = 0.7) -> np.ndarray:
    """The photo with every face's AMVA deviation blended in, face numbers, and a legend."""
    out = image.copy()
    deviation = result.amva_map
    if deviation is not None:
        inside = ~np.isnan(deviation)
        colours = colourize_amva(deviation[inside], vmax).astype(np.float32)
        out[inside] = (opacity * colours + (1 - opacity) * image[inside].astype(np.float32)).round().astype(np.uint8)
    h = out.shape[0]
    scale, thickness = max(0.45, h / 1200), max(1, h // 400)
    for i, face in enumerate(result.faces):
        x0, y0, *_ = (int(round(v)) for v in face.box)
        put_text(out, f"#{i + 1}", (x0, max(int(18 * scale), y0 - 6)), scale, (255, 255, 255), thickness)
    return np.concatenate([out, amva_legend(h, vmax)], axis=1)


def write_amva_outputs(result, image: np.ndarray, out_dir: Path, stem: str, vmax: float) -> list[Path]:
    """STEM.amva.npy (deviation in photo coordinates, NaN off the faces) and STEM.amva.png."""
    out_dir.mkdir(parents=True, exist_ok=True)
    npy_path, png_path = out_dir / f"{stem}.amva.npy", out_dir / f"{stem}.amva.png"
    deviation = result.amva_map
    if deviation is None:
        deviation = np.full((result.height, result.width), np.nan, np.float32)
    atomic_write(npy_path, lambda p: np.save(p, deviation))
    ok, encoded = cv2.imencode(".png", cv2.cvtColor(render_amva(image, result, vmax), cv2.COLOR_RGB2BGR))
    if not ok:
        raise OSError(f"could not encode {png_path}")
    atomic_write(png_path, lambda p: Path(p).write_bytes(encoded.tobytes()))
    return [npy_path, png_path]


# -- plq amva: group figures (matplotlib) --------------------------------------------

def _outline(ax, mask: np.ndarray) -> None:
    ax.contour(mask.astype(float), levels=[0.5], colors="cyan", linewidths=0.8, linestyles="--")


def group_figure(path: Path, groups, key: str, mask: np.ndarray, title: str, example_chips=None) -> Path:
    """One panel per group of ``getattr(group, key)`` on one shared colour scale, with the central region."""
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    maps = [getattr(g, key) for g in groups]
    vmin = 0.0
    vmax = max(float(np.max(m)) for m in maps)
    fig, axes = plt.subplots(1, len(groups), figsize=(3.0 * len(groups) + 0.8, 3.4), squeeze=False)
    for ax, g, m in zip(axes[0], groups, maps):
        if example_chips is not None and g.name in example_chips:
            ax.imshow(example_chips[g.name], alpha=1.0)
            im = ax.imshow(m, cmap=AMVA_COLORMAP, vmin=vmin, vmax=vmax, alpha=0.75)
        else:
            im = ax.imshow(m, cmap=AMVA_COLORMAP, vmin=vmin, vmax=vmax)
        _outline(ax, mask)
        ax.set_title(f"{g.name}: {len(g.indices)} faces\nquality {g.quality_range[0]:.3g}-{g.quality_range[1]:.3g}",
                     fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(im, ax=list(axes[0]), fraction=0.03, pad=0.02)
    fig.suptitle(title, fontsize=10)
    atomic_write(path, lambda p: fig.savefig(p, dpi=110, format="png"))
    plt.close(fig)
    return path


def single_figure(path: Path, values: np.ndarray, mask: np.ndarray, title: str) -> Path:
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.0, 3.6))
    im = ax.imshow(values, cmap=AMVA_COLORMAP, vmin=0.0, vmax=max(float(np.max(values)), 1e-12))
    _outline(ax, mask)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    atomic_write(path, lambda p: fig.savefig(p, dpi=110, format="png", bbox_inches="tight"))
    plt.close(fig)
    return path
