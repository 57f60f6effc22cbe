"""Can a colour-blind officer tell the legend's colours apart? ``python -m plq_desktop.eval.palette_check``

Reads the colours *drawn* on the rendered legend (``core.io.render.legend_panel``, the one every
``plq`` image carries) at P = 0, 0.25, 0.5, 0.75 and 1, simulates deuteranopia and protanopia
(colorspacious, Machado et al. 2009 at severity 100) and prints the colour difference ΔE in
CAM02-UCS between every pair, for every palette. A pair under 10 is hard to tell apart; the
colour-blind-safe palette must keep all of them at 10 or more (docs/palette.md, tests/test_palette.py).

colorspacious comes with the test extra: ``pip install -e ".[test]"``.
"""

from __future__ import annotations

import argparse
from itertools import combinations

import numpy as np

LEVELS = (0.0, 0.25, 0.5, 0.75, 1.0)
DEFICIENCIES = ("deuteranomaly", "protanomaly")     # at severity 100: deuteranopia and protanopia
DISTINGUISHABLE = 10.0                               # ΔE (CAM02-UCS) the safe palette keeps between any two


def bar_colours(legend: np.ndarray, levels=LEVELS) -> dict[float, tuple[int, int, int]]:
    """The colours drawn on a legend image's colour bar (RGB uint8, the bar vertical, 1 at the top) at ``levels``.

    The bar is found in the pixels, not taken from the code that drew it: the longest vertical run of
    pixels unlike the background (the top-left pixel); tick labels and words are short runs.
    """
    image = legend.astype(int)
    unlike = np.abs(image - image[0, 0]).sum(axis=2) > 30
    runs = np.zeros(unlike.shape, int)               # length of the run ending at each pixel
    runs[0] = unlike[0]
    for y in range(1, len(unlike)):
        runs[y] = (runs[y - 1] + 1) * unlike[y]
    longest = runs.max(axis=0)
    columns = np.flatnonzero(longest >= longest.max() - 2)
    x = int(columns[len(columns) // 2])
    bottom = int(np.argmax(runs[:, x]))
    top = bottom - int(runs[bottom, x]) + 1
    if bottom - top < 20:
        raise ValueError("no colour bar found in the legend image")
    colours = {}
    for p in levels:
        y = round(top + (1 - p) * (bottom - top))
        patch = image[max(top, y - 1):min(bottom, y + 1) + 1, x - 1:x + 2].reshape(-1, 3)
        colours[p] = tuple(int(v) for v in np.median(patch, axis=0))
    return colours


def pairwise_delta_e(colours: dict[float, tuple[int, int, int]], deficiency: str | None) -> dict[tuple[float, float], float]:
    """ΔE (CAM02-UCS) between every two colours as seen with ``deficiency`` (None: normal vision)."""
    from colorspacious import cspace_convert, deltaE
    levels = sorted(colours)
    rgb = np.array([colours[p] for p in levels], float) / 255.0
    if deficiency is not None:
        cvd = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
        rgb = cspace_convert(rgb, cvd, "sRGB1")     # unclipped, as the issue measured (a hair over 1 at most)
    return {(levels[i], levels[j]): float(deltaE(rgb[i], rgb[j], input_space="sRGB1", uniform_space="CAM02-UCS"))
            for i, j in combinations(range(len(levels)), 2)}


def measure(palette, height: int = 600) -> dict[str | None, dict[tuple[float, float], float]]:
    """Per vision (None: normal, then each deficiency): ΔE of every pair of the palette's rendered legend."""
    from plq_desktop.core.io.render import legend_panel
    colours = bar_colours(legend_panel(height, palette=palette))
    return {deficiency: pairwise_delta_e(colours, deficiency) for deficiency in (None,) + DEFICIENCIES}


def table(palettes) -> str:
    """A Markdown table: one row per pair of levels, one column per palette and vision."""
    seen = {"None": "normal", "deuteranomaly": "deuteranopia", "protanomaly": "protanopia"}
    results = {p.name: measure(p) for p in palettes}
    head = [f"{name} {seen[str(d)]}" for name in results for d in (None,) + DEFICIENCIES]
    lines = ["| P pair | " + " | ".join(head) + " |", "|---" * (len(head) + 1) + "|"]
    pairs = list(next(iter(results.values()))[None])
    for pair in pairs:
        cells = [f"{results[name][d][pair]:.1f}" for name in results for d in (None,) + DEFICIENCIES]
        lines.append(f"| {pair[0]:g} vs {pair[1]:g} | " + " | ".join(cells) + " |")
    lowest = [f"**{min(results[name][d].values()):.1f}**" for name in results for d in (None,) + DEFICIENCIES]
    lines.append("| smallest | " + " | ".join(lowest) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from plq_desktop.core.io.palette import PALETTES
    parser = argparse.ArgumentParser(prog="python -m plq_desktop.eval.palette_check", description=__doc__.split("\n")[0])
    parser.parse_args(argv)
    print(f"ΔE (CAM02-UCS) between the rendered legend's colours at P = {', '.join(f'{p:g}' for p in LEVELS)}; "
          f"under {DISTINGUISHABLE:g} the two are hard to tell apart.\n")
    print(table(PALETTES.values()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
