"""The colour-blind-safe palette: measured on the rendered legend under simulated deuteranopia and
protanopia, and chosen with ``--palette`` on every command that draws a map."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from plq_desktop.cli import build_parser, main
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.palette import CIVIDIS, PALETTES, RED_GREEN, contrast_ratio, legible_on
from plq_desktop.core.io.render import LEGEND_BACKGROUND, legend_panel, put_text
from plq_desktop.core.io.report import load_plq_map
from plq_desktop.core.io.samples import sample_path
from plq_desktop.eval.palette_check import DEFICIENCIES, DISTINGUISHABLE, LEVELS, bar_colours, pairwise_delta_e

pytest.importorskip("colorspacious", reason="colorspacious comes with the test extra: pip install -e '.[test]'")


@pytest.mark.parametrize("height", [240, 600, 1200])
@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_cividis_legend_stays_distinguishable_for_colour_blind_readers(height, deficiency):
    colours = bar_colours(legend_panel(height, palette=CIVIDIS))
    assert set(colours) == set(LEVELS)
    delta = pairwise_delta_e(colours, deficiency)
    assert len(delta) == 10
    assert min(delta.values()) >= DISTINGUISHABLE, delta


def test_red_green_legend_fails_the_same_check():
    """The default scale is what colour-blind officers cannot read: its ends look alike (issue 23 measured
    ΔE 4.7 for 0.25 vs 0.75 and 8.4 for 0 vs 1 under deuteranopia)."""
    colours = bar_colours(legend_panel(600, palette=RED_GREEN))
    deuteranopia = pairwise_delta_e(colours, "deuteranomaly")
    assert deuteranopia[(0.25, 0.75)] < 6 and deuteranopia[(0.0, 1.0)] < DISTINGUISHABLE
    # Under protanopia it passes narrowly (13 at 0.25 vs 0.75, measured), below cividis' smallest pair.
    protanopia = pairwise_delta_e(colours, "protanomaly")
    assert min(protanopia, key=protanopia.get) == (0.25, 0.75)
    cividis = pairwise_delta_e(bar_colours(legend_panel(600, palette=CIVIDIS)), "protanomaly")
    assert min(protanopia.values()) < min(cividis.values())
    # With normal vision the same five colours are far apart: it is the deficiency that merges them.
    assert min(pairwise_delta_e(colours, None).values()) >= 2 * DISTINGUISHABLE


def test_the_legend_bar_is_read_from_the_pixels():
    """bar_colours finds the bar wherever the legend draws it: the legend at an odd size and a
    shifted copy give the same colours, and red-green's 0 is red where cividis' is dark blue."""
    legend = legend_panel(500, palette=RED_GREEN)
    shifted = np.pad(legend, ((37, 0), (23, 0), (0, 0)), mode="edge")
    assert bar_colours(shifted) == bar_colours(legend)
    low_red, low_blue = bar_colours(legend)[0.0], bar_colours(legend_panel(500, palette=CIVIDIS))[0.0]
    assert low_red[0] > 120 and low_red[2] < 60
    assert low_blue[2] > 60 and low_blue[0] < 20
    with pytest.raises(ValueError):
        bar_colours(np.full((300, 90, 3), LEGEND_BACKGROUND, np.uint8))


@pytest.mark.parametrize("palette", PALETTES.values(), ids=list(PALETTES))
def test_legend_words_read_on_the_legend(palette):
    """'much use' and 'little use' are drawn in their end's colour, lightened where it is too dark
    for the legend's dark background (cividis' dark blue)."""
    for value in (0.1, 0.9):
        words = legible_on(palette.colour(value), LEGEND_BACKGROUND)
        assert contrast_ratio(words, LEGEND_BACKGROUND) >= 4.5
    low = legible_on(CIVIDIS.colour(0.1), LEGEND_BACKGROUND)
    assert low[2] > low[0], "the lightened dark blue is still blue"


@pytest.mark.parametrize("value", [0.0, 1.0])
@pytest.mark.parametrize("palette", PALETTES.values(), ids=list(PALETTES))
def test_text_in_a_quality_colour_gets_a_halo_that_contrasts_with_it(palette, value):
    """A face label in the colour of its quality, drawn on a grey photo: the letters and the halo around
    them differ by WCAG's 4.5 at least, dark blue or yellow, red or green."""
    colour = palette.colour(value)
    image = np.full((60, 200, 3), 128, np.uint8)
    put_text(image, "#1 Q 12", (10, 40), 0.9, colour, 2)
    drawn = image.reshape(-1, 3).astype(int)
    letters = drawn[np.abs(drawn - colour).sum(axis=1) <= 3]
    halo = drawn[(np.abs(drawn - colour).sum(axis=1) > 60) & (np.abs(drawn - 128).sum(axis=1) > 150)]
    assert len(letters) > 50 and len(halo) > 50
    assert contrast_ratio(np.median(halo, axis=0), colour) >= 4.5


# -- the command line -------------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["analyze", "--sample", "grace_hopper"],
    ["compare", "--sample", "grace_hopper"],
    ["whatif", "photo.jpg"],
    ["batch", "folder", "--out", "out"],
])
def test_every_command_that_draws_a_map_takes_palette(command):
    parser = build_parser()
    assert parser.parse_args(command).palette is RED_GREEN
    assert parser.parse_args(command + ["--palette", "cividis"]).palette is CIVIDIS


def test_an_unknown_palette_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["analyze", "--sample", "grace_hopper", "--palette", "rainbow"])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "rainbow" in err and "cividis" in err


def _nearest_lut_distance(colours: np.ndarray, lut: np.ndarray) -> np.ndarray:
    return np.abs(colours[:, None, :] - lut[None].astype(float)).sum(axis=2).min(axis=1)


def test_analyze_with_cividis_draws_the_map_and_legend_in_cividis(tmp_path):
    out = tmp_path / "out"
    assert main(["analyze", "--sample", "grace_hopper", "--out", str(out), "--palette", "cividis"]) == 0
    drawn = cv2.cvtColor(cv2.imread(str(out / "grace_hopper.plq.png")), cv2.COLOR_BGR2RGB).astype(float)
    photo = load_image(sample_path("grace_hopper")).astype(float)
    h, w = photo.shape[:2]
    plq_map = load_plq_map(out / "grace_hopper.plq.npz")
    # The map's own colour, from the blend (0.6 map over 0.4 photo) on the pixels of least and most use.
    inside = np.isfinite(plq_map)
    inside[:, :] &= cv2.erode(inside.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)  # off the boxes
    values = plq_map[inside]
    colours = (drawn[:h, :w][inside] - 0.4 * photo[inside]) / 0.6
    low, high = colours[values <= np.quantile(values, 0.05)], colours[values >= np.quantile(values, 0.95)]
    assert np.median(low[:, 2]) > np.median(low[:, 0]) + 30, "a pixel of little use is blue, not red"
    assert np.median(high[:, 0]) > np.median(high[:, 2]) + 30, "a pixel of much use is yellow"
    assert np.median(_nearest_lut_distance(colours, CIVIDIS.lut())) < 6
    assert np.median(_nearest_lut_distance(colours, RED_GREEN.lut())) > 20
    # The legend beside the photo is cividis too, and passes the colour-blindness check.
    legend = bar_colours(drawn[:, w:].round().astype(np.uint8))
    assert all(np.abs(np.array(legend[p]) - CIVIDIS.colour(p)).sum() <= 9 for p in LEVELS)
    assert min(pairwise_delta_e(legend, "deuteranomaly").values()) >= DISTINGUISHABLE
