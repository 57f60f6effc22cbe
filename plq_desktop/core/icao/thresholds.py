"""Named threshold settings for the ICAO-style checks, with presets.

Every number a check compares against lives here, with its source:
"ICAO" and the other named sources are the published values collected in
docs/icao-checks.md; "measured" means calibrated by us on the real sample
faces (see docs/icao-checks.md, "Calibration"), because no standard gives a
number for that measure. ISO/IEC 29794-5 itself sets no pass/fail thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Thresholds:
    name: str = "icao"

    # Single face. OFIQ's native value: area of the second face / area of the first.
    # A compliant photo shows one face; 0.1 (ours) still ignores a face-like speck far away.
    single_face_max_area_ratio: float = 0.1

    # Pose, degrees. ICAO: yaw and pitch within +-5, roll within +-8 (5 recommended): beyond
    # those a warning. Blocking beyond 10 for yaw and pitch (ours): the generic-head estimate
    # scatters by about +-4 degrees on frontal portraits (docs/icao-checks.md).
    yaw_warn_deg: float = 5.0
    yaw_max_deg: float = 10.0
    pitch_warn_deg: float = 5.0
    pitch_max_deg: float = 10.0
    roll_warn_deg: float = 5.0
    roll_max_deg: float = 8.0

    # Resolution: inter-eye distance in photo pixels / cos(yaw) (ICAO portrait: at least 90;
    # some capture SDKs accept 60).
    min_inter_eye_px: float = 90.0

    # Crop geometry (ICAO Doc 9303 / ISO/IEC 19794-5 token-style crops).
    head_width_range: tuple[float, float] = (0.50, 0.75)     # of the image width
    head_height_range: tuple[float, float] = (0.60, 0.90)    # chin to crown, of the image height
    eye_line_range: tuple[float, float] = (0.50, 0.70)       # from the bottom, of the image height
    eye_centre_range: tuple[float, float] = (0.45, 0.55)     # eyes' midpoint, of the image width

    # Eyes open: eye aspect ratio (Soukupova and Cech). Measured: open eyes of the sample
    # faces 0.19-0.39; eyes looking down at cards 0.12-0.18; 0.15 is the usual blink limit.
    min_eye_aspect_ratio: float = 0.15
    # Mouth closed: inner-lip gap / T (OFIQ's native value). Measured: closed mouths up to
    # 0.035, smiles showing the teeth 0.08-0.11. Warning above the first, blocking above the second.
    mouth_open_warn: float = 0.05
    mouth_open_max: float = 0.15

    # Sharpness: mean |Laplacian| of eyes, nose and mouth per skin luminance, at <= 64 px
    # between the eyes (measured: sharp sample faces 17-59, Gaussian blur of 4 % of the
    # eye distance 4-8).
    min_sharpness: float = 10.0

    # Exposure of the skin zones (OFIQ's native values: shares of pixels with luminance
    # 0..25 and 247..255). Measured on the sample faces: at most 0.04 and 0.002.
    max_under_exposed_share: float = 0.10
    max_over_exposed_share: float = 0.05
    # Dynamic range: entropy of the skin zones' luminance in bits (OFIQ's native value).
    # Measured: sample faces 5.9-7.6 bits.
    min_luminance_entropy_bits: float = 4.5

    # Illumination uniformity: mean luminance of the darker / the brighter zone (ICAO:
    # forehead, both cheeks and chin evenly lit). Measured: sample faces 0.66-1.0 left/right
    # (one side-lit face 0.50), 0.68-1.0 top/bottom; one half of the face at 35 % light: 0.33-0.39.
    left_right_warn_ratio: float = 0.6
    min_left_right_ratio: float = 0.4
    min_top_bottom_ratio: float = 0.6

    # Colour photo (ICAO): the cheeks' median (r, g) chromaticity at least this far from grey,
    # |r - 1/3| + |g - 1/3|. Measured: colour sample faces 0.057-0.18, greyscale 0.
    min_skin_tint: float = 0.02
    # Natural colour: mean CIELAB a*, b* of the cheeks (OFIQ's ranges 5..25 and 5..35).
    skin_a_range: tuple[float, float] = (5.0, 25.0)
    skin_b_range: tuple[float, float] = (5.0, 35.0)

    # Background uniformity: median gradient magnitude over the background, grey levels per
    # pixel at 64 px between the eyes (OFIQ takes the mean). Measured: a plain wall 0.5; the
    # mottled studio backdrop of the astronaut photo 0.9-1.4 (2.1 blurred); a flag behind
    # the head 2.3-2.6.
    max_background_gradient: float = 2.2

    # Glare: share of near-white, colourless pixels in an eye region (with its brow).
    # Measured: catch-lights and glasses of the sample faces up to 0.011.
    max_eye_glare_share: float = 0.03

    # Eyes visible: luminance spread of the eye opening / skin luminance. Measured: sample
    # faces 0.09-0.42, a black band 0.
    min_eye_contrast: float = 0.05
    # Mouth visible: share of the mouth region with skin or lip colour. Measured: sample
    # faces 0.45-1.0, a grey patch 0.
    min_mouth_skin_share: float = 0.25

    # Covered regions (pixel evidence, core.icao.coverage), on the analysis canvas. Forehead: share of
    # its rows mostly darker than 0.55 of the cheeks' luminance; chosen on LFW's first five people of
    # faces-dev (uncovered foreheads up to 0.30, forehead bands and fringes from 0.35). Nose and mouth:
    # mean |luminance - blur| x 100 / the cheeks' luminance. Nose: share of skin-coloured pixels
    # (colour photos). Measured on the clean sample faces and their occluded copies (docs/where-to-fix.md).
    max_forehead_covered_share: float = 0.32
    min_nose_texture: float = 1.0
    min_mouth_texture: float = 2.0
    min_nose_skin_share: float = 0.12
    # Eye frame: share of nearly black pixels around each eye opening (below the brow), both eyes
    # above it. Measured (the lower eye of each face): clean sample faces up to 0.043 (Grace
    # Hopper's own glasses), thick frames 0.006-0.54 (14 of 18 above 0.06).
    max_eye_frame_dark_share: float = 0.06

    # Occlusion from the PLQ map: z-score of the region's pixel quality relative to the face,
    # against the model's reference profile. Measured with dlib-resnet: the sample faces reach
    # -3.7 (the mouth of t1#4, since the recognisability estimator and the NaN for the chip's
    # unread border; -3.2 before) and -6.2 on a greyscale copy of grace_hopper's portrait, and the
    # map localises occluders loosely (a grey patch on the mouth pulls the cheeks and chin to -4),
    # so the map warns from -4 and blocks only from -8; the pixel checks above name the occluder.
    occlusion_warn_z: float = -4.0
    occlusion_block_z: float = -8.0


ICAO = Thresholds()

# For pre-screening and for capture conditions where the ICAO numbers cannot be met
# (rear cameras, older photos): wider pose and resolution limits, our choice.
LENIENT = replace(
    ICAO,
    name="lenient",
    yaw_warn_deg=8.0,
    yaw_max_deg=15.0,
    pitch_warn_deg=8.0,
    pitch_max_deg=15.0,
    roll_warn_deg=8.0,
    roll_max_deg=10.0,
    min_inter_eye_px=60.0,
    head_height_range=(0.50, 0.90),
    mouth_open_warn=0.12,
)

PRESETS: dict[str, Thresholds] = {t.name: t for t in (ICAO, LENIENT)}


def get_thresholds(preset: str | Thresholds | None = None) -> Thresholds:
    """A preset by name ("icao" when None), or the given settings unchanged."""
    if isinstance(preset, Thresholds):
        return preset
    name = preset or "icao"
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown threshold preset {name!r}; choose one of {', '.join(sorted(PRESETS))}") from None
