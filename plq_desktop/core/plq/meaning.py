"""What the 0-100 quality says to the officer, and its colour bands (CLI, GUI, batch and reports).

With the ``matchability`` estimator (dlib-resnet's default) Eq. 2 is fitted
on real photos of real people (``python -m plq_desktop.eval.edc``): the
number is the chance, in %, that this photo is matched to another good photo
of the same person at a strict threshold (dlib's distance below 0.45, a
quarter stricter than its usual 0.6). Covered eyes (a band, dark lenses)
cost the number what they cost the recogniser (the covered-eyes term of
``core.plq.estimators.Matchability``). Out of person on the dev set, 9 of
10 deciles of the score lie within 10 points of the observed rate, the
worst 18 points off, within the observed rate's 95 % interval in 9
(docs/quality-study.md). HSE's MobileNet has a matchability of its own
(its descriptor's length and blur distance), which claims the same chance
at its own strict threshold (cosine above 0.66): 8 of 10 deciles within 10
points. Other estimators keep the paper's Eq. 2 (clean sample faces near
85, destroyed ones near 15), which states no rate.
"""

from __future__ import annotations

import math

from plq_desktop.core.i18n import N_, gettext

# Bands of the match chance: good from 70 (7 in 10 or better), poor below 40.
GOOD = 0.70
FAIR = 0.40
BAND_COLOURS = {"good": (40, 160, 70), "fair": (225, 160, 20), "poor": (205, 45, 35)}   # RGB, the red-green gauge

MATCH_CHANCE = N_("chance in % that this photo is matched to another good photo of the same person "
                   "at a strict threshold")
UNCALIBRATED = N_("image quality (Eq. 2 of the paper; not calibrated on real pairs: no rate is claimed)")
CALIBRATED_ESTIMATORS = ("matchability",)


def quality_meaning(estimator: str, language: str | None = None) -> str:
    """One line: what the 0-100 number of this estimator claims (in ``language``, default the current one)."""
    return gettext(MATCH_CHANCE if estimator in CALIBRATED_ESTIMATORS else UNCALIBRATED, language)


def quality_points(quality: float) -> int:
    """Quality 0..1 as the whole number 0..100 that every label, title and gauge shows (half rounds up)."""
    return int(math.floor(100 * float(quality) + 0.5))


def quality_band(quality: float) -> str:
    """"good", "fair" or "poor" for a quality in 0..1, decided on the number shown (70 reads good)."""
    points = quality_points(quality)
    return "good" if points >= round(100 * GOOD) else "fair" if points >= round(100 * FAIR) else "poor"
