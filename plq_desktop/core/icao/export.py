"""Passport-photo export: crop, level and scale a photo to the ICAO 9303 / ISO/IEC 19794-5 geometry.

Two formats:

- ``passport``: the 35 x 45 mm print/scan portrait of ICAO Doc 9303 at a
  chosen resolution (600 dpi by default, 827 x 1063 px). The head (chin to
  crown) fills HEAD_HEIGHT of the height (ICAO 9303: 32-36 mm of 45, i.e.
  71-80 %), the eye line sits EYE_LINE of the height above the bottom edge
  (the checks accept 50-70 %) and the eyes' midpoint is centred horizontally.
- ``token``: the Token Face Image of ISO/IEC 19794-5 (8.4): width W, height
  W / 0.75, eyes' midpoint at (W / 2, 0.6 W) from the top-left corner, inter-eye
  distance 0.25 W, W at least 240 px. W is the largest the source supports
  (4 x its inter-eye distance), so a token is never enlarged.

The crown has no landmark. The geometry checks and the face regions estimate
it (``FaceFrame.crown``): the eyes lie about halfway between chin and crown,
so the crown is the eye-to-chin distance T (OFIQ's T: eyes' midpoint to
landmark 8, along the face's axis) above the eyes' midpoint, and head height
= 2 T. National rules ask for the whole head, from the top of the hair to the
chin, so the passport export looks for the top of the head in the photo (the
person/background boundary above the face, ``core.face.head_top``) and frames
the whole head: it fills 75 % of the height (more for tall hair, so that 2 T
stays within the check; at most 80 %), with a margin above the hair.

The photo is rotated so that the eye line is level (roll 0) and scaled by
one factor. It is never enlarged past the source: when the requested size
would need that, the export keeps the source's scale (a lower effective
dpi), sets ``too_low`` and says so in ``notes`` (a token: when the source
gives fewer than the 240 px minimum width). Under MIN_PRINT_DPI a note says
so as well.
Where the crop reaches past the photo's edge the edge pixels are repeated
(``padded_share`` says how much of the output that is).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from plq_desktop.core.face.head_top import find_head_top
from plq_desktop.core.face.regions import FaceFrame, face_frame

FORMATS = ("passport", "token")

# Passport (ICAO Doc 9303 part 3, 35 x 45 mm): head height target in the middle of 32-36 mm of
# 45 mm (71-80 %), eye line 57.5 % of the height from the bottom (checks: 50-70 %). With the
# crown at 2 T that leaves 5 % of the height (2.25 mm) above the crown.
PASSPORT_MM = (35.0, 45.0)
HEAD_HEIGHT = 0.75
EYE_LINE = 0.575
DEFAULT_DPI = 600
MIN_PRINT_DPI = 300      # ICAO 9303: print at 300 dpi or more

# ISO/IEC 19794-5 token: eyes' midpoint at (W/2, 0.6 W), inter-eye distance W/4, height W/0.75.
TOKEN_EYE_Y = 0.6
TOKEN_IED = 0.25
TOKEN_ASPECT = 0.75
TOKEN_MIN_WIDTH = 240

# The whole head (chin to the top of the hair, national rules) fills WHOLE_HEAD_RANGE of the height
# (ICAO 9303: 32-36 mm of 45). With hair far above the crown estimate the whole head takes more of
# the range, so that the face stays as large as the geometry checks ask (landmark head height 2 T and
# face width); the eye line moves down, to EYE_LINE_MIN at most, to keep HEAD_TOP_MARGIN above the hair.
# The face's size wins over the hair: hair that still does not fit is cut, and a note says so.
WHOLE_HEAD_RANGE = (0.71, 0.80)
LANDMARK_HEAD_MIN = 0.62        # the icao preset's head_height check accepts 0.60-0.90
LANDMARK_WIDTH_MIN = 0.52       # ... and head_width 0.50-0.75 of the width
EYE_LINE_MIN = 0.52             # the eye_line check accepts 0.50-0.70 of the height above the bottom
HEAD_TOP_MARGIN = 0.03
# More than this share of the output outside the photo (edge pixels repeated) is a note and exit 1.
PADDED_NOTE_SHARE = 0.02

# A scale this close to 1 counts as "no enlargement" (landmark jitter, rounding).
_SCALE_TOLERANCE = 1.01


class ExportError(ValueError):
    """The photo cannot be exported (no face, no 68 landmarks); ``str()`` is one line."""


@dataclass
class PassportExport:
    image: np.ndarray                 # H x W x 3 uint8 RGB
    format: str
    matrix: np.ndarray                # 2 x 3, source photo -> exported image
    scale: float                      # exported pixels per source pixel
    requested_dpi: float | None
    effective_dpi: float | None
    size_mm: tuple[float, float] | None
    padded_share: float               # share of output pixels that lie outside the source photo
    too_low: bool                     # the source cannot give the requested (passport) or minimum (token) size
    notes: list[str] = field(default_factory=list)
    face_index: int = 0
    targets: dict = field(default_factory=dict)
    head_top: str = "estimate"        # where the top of the head came from: "photo", "edge of the photo", "estimate"

    @property
    def fell_back(self) -> bool:
        """The source could not give what a compliant export needs: too few pixels, or (more than a
        sliver of) the image lies outside the photo. Passport and token alike: exit code 1."""
        return self.too_low or self.padded_share > PADDED_NOTE_SHARE

    def to_dict(self) -> dict:
        h, w = self.image.shape[:2]
        return {
            "format": self.format,
            "width_px": w, "height_px": h,
            "size_mm": list(self.size_mm) if self.size_mm else None,
            "requested_dpi": self.requested_dpi,
            "effective_dpi": None if self.effective_dpi is None else round(self.effective_dpi, 1),
            "scale": round(self.scale, 5),
            "upscaled": False,
            "resolution_too_low": self.too_low,
            "padded_share": round(self.padded_share, 4),
            "matrix": np.round(self.matrix, 6).tolist(),
            "face_index": self.face_index,
            "head_top": {"photo": "the person/background boundary above the face",
                         "edge of the photo": "the hair reaches the photo's top edge; the head is cut there",
                         "estimate": "not found in the photo: eyes' midpoint minus T along the face axis"}
                        [self.head_top] if self.format == "passport" else None,
            "head_top_from": self.head_top if self.format == "passport" else None,
            "targets": self.targets,
            "notes": list(self.notes),
        }


def whole_head_share(eye_to_chin: float, whole: float, face_width_in_heights: float) -> float | None:
    """The share of the passport's height the whole head (chin to top of head) gets: HEAD_HEIGHT, more
    when tall hair would make the face too small for the geometry checks (the landmark head height 2 T
    under LANDMARK_HEAD_MIN, the face's width under LANDMARK_WIDTH_MIN); None when that would take more
    than the range's top.

    ``face_width_in_heights``: the face's width (jaw to jaw) times the frame's height / width.
    """
    needed = max(LANDMARK_HEAD_MIN * whole / (2 * eye_to_chin), LANDMARK_WIDTH_MIN * whole / face_width_in_heights)
    return None if needed > WHOLE_HEAD_RANGE[1] else float(max(HEAD_HEIGHT, needed))


def place_eye_line(h: int, scale: float, above: float) -> tuple[float, bool]:
    """(eye line's row, whether the head's top fits): EYE_LINE above the bottom, lowered (to EYE_LINE_MIN
    at most) so that the top of the head, ``above`` photo pixels over the eyes, keeps HEAD_TOP_MARGIN."""
    eye_y = (h - 0.5) - EYE_LINE * h
    lowest = (h - 0.5) - EYE_LINE_MIN * h
    margin = HEAD_TOP_MARGIN * h
    eye_y = min(lowest, max(eye_y, margin + scale * above))
    return eye_y, eye_y - scale * above >= margin - 0.5


def _level_matrix(frame: FaceFrame, scale: float, eye_xy: tuple[float, float]) -> np.ndarray:
    """Photo -> output: rotate the eye line level, scale, put the eyes' midpoint at ``eye_xy``."""
    linear = scale * np.array([frame.across, frame.down])          # rows: output x, output y axes
    offset = np.asarray(eye_xy, dtype=np.float64) - linear @ frame.eye_mid
    return np.column_stack([linear, offset])


def _warp(image: np.ndarray, matrix: np.ndarray, size: tuple[int, int], scale: float) -> tuple[np.ndarray, float]:
    h, w = size
    # Shrinking by more than 2: area-average first so fine detail does not alias.
    src, m = image, matrix.copy()
    if scale < 0.5:
        factor = 1.0 / scale
        small_w = max(1, round(image.shape[1] / factor * 2))
        small_h = max(1, round(image.shape[0] / factor * 2))
        src = cv2.resize(image, (small_w, small_h), interpolation=cv2.INTER_AREA)
        pre = np.diag([image.shape[1] / small_w, image.shape[0] / small_h])
        # out = M [x; 1] with x = pre @ x_small + shift (pixel centres)
        shift = np.array([(image.shape[1] / small_w - 1) / 2, (image.shape[0] / small_h - 1) / 2])
        m = np.column_stack([matrix[:, :2] @ pre, matrix[:, :2] @ shift + matrix[:, 2]])
    out = cv2.warpAffine(src, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    inside = cv2.warpAffine(np.ones(src.shape[:2], np.uint8), m, (w, h), flags=cv2.INTER_NEAREST,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return out, float(1.0 - inside.mean())


def export_photo(image: np.ndarray, landmarks68: np.ndarray, fmt: str = "passport",
                 dpi: float = DEFAULT_DPI, face_index: int = 0) -> PassportExport:
    """The passport or token image of the face with these 68 landmarks (photo coordinates)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    landmarks68 = np.asarray(landmarks68, dtype=np.float64)
    if landmarks68.shape != (68, 2):
        raise ExportError("the export needs the 68 face landmarks (the detector gave only 5)")
    if dpi is None or not dpi > 0:
        raise ExportError(f"the resolution must be a positive number of dpi, not {dpi!r}")
    frame = face_frame(landmarks68)
    if frame.eye_to_chin <= 0:
        raise ExportError("degenerate landmarks: the chin is not below the eyes")
    notes: list[str] = []
    head_top_from = "estimate"
    if fmt == "passport":
        mm_w, mm_h = PASSPORT_MM
        px_per_mm = dpi / 25.4
        head_top = find_head_top(image, landmarks68)
        # A head cut by the photo's top edge has no top to frame: room above it would be repeated edge
        # pixels, so the estimate stands (and a note says so).
        found = head_top is not None and not head_top.touches_edge
        above = max(frame.eye_to_chin, head_top.above_eyes) if found else frame.eye_to_chin
        whole = frame.eye_to_chin + above                    # chin to the top of the head, photo pixels
        face_width = float(abs((frame.points[16] - frame.points[0]) @ frame.across))
        share = whole_head_share(frame.eye_to_chin, whole, face_width * mm_h / mm_w)
        if share is None:
            # So far above the face that the face would be too small for the checks: more likely a person
            # or an object behind the head than hair. The estimate frames it.
            notes.append("what rises above the head (hair, a head covering, something behind it) is too tall "
                         "for the passport frame; the head is framed by its estimated crown")
            found, above = False, frame.eye_to_chin
            whole = 2 * frame.eye_to_chin
            share = whole_head_share(frame.eye_to_chin, whole, face_width * mm_h / mm_w) or HEAD_HEIGHT
        scale = share * mm_h * px_per_mm / whole
        effective = float(dpi)
        if scale > _SCALE_TOLERANCE:
            effective = dpi / scale
            notes.append(f"the photo's resolution supports only {effective:.0f} dpi at {mm_w:g} x {mm_h:g} mm "
                         f"(asked {dpi:g} dpi); exported at {effective:.0f} dpi without enlarging")
            scale, px_per_mm = 1.0, effective / 25.4
        w, h = round(mm_w * px_per_mm), round(mm_h * px_per_mm)
        # Re-fit the scale to the rounded size so the head-height target holds exactly
        # (capped at 1: rounding must not enlarge either).
        head_top_from = "photo" if found else "edge of the photo" if head_top and head_top.touches_edge \
            else "estimate"
        scale = min(1.0, share * h / whole)
        eye_y, fits = place_eye_line(h, scale, above)
        if found and not fits:
            notes.append("the hair rises too far above the face to fit the passport frame with the face at "
                         "the size the geometry checks ask for: its top is cut")
        eye_xy = ((w - 1) / 2, eye_y)
        too_low = effective < dpi / _SCALE_TOLERANCE     # the source cannot give what was asked
        if effective < MIN_PRINT_DPI:
            notes.append(f"{'resolution too low: ' if too_low else ''}{effective:.0f} dpi is under the "
                         f"{MIN_PRINT_DPI} dpi ICAO asks for a printed portrait")
        if head_top is not None and head_top.touches_edge:
            notes.append("the hair reaches the photo's top edge, so the top of the head is not in the photo: "
                         "take the photo with room above the head")
        targets = {"whole_head_height": round(scale * whole / h, 4), "eye_line": round((h - 0.5 - eye_y) / h, 4),
                   "eye_centre": 0.5, "head_top_margin": round((eye_y - scale * above + 0.5) / h, 4)}
        size_mm = (mm_w, mm_h)
    else:
        width = int(np.floor(4 * frame.ied))          # the widest token that needs no enlargement
        too_low = width < TOKEN_MIN_WIDTH
        if too_low:
            notes.append(f"resolution too low: the eyes are {frame.ied:.0f} px apart, a token needs "
                         f"{TOKEN_IED * TOKEN_MIN_WIDTH:.0f} px (width {TOKEN_MIN_WIDTH} px); "
                         f"exported at width {width} px without enlarging")
        w, h = width, round(width / TOKEN_ASPECT)
        scale = TOKEN_IED * w / frame.ied
        eye_xy = ((w - 1) / 2, TOKEN_EYE_Y * w - 0.5)
        effective, size_mm = None, None
        targets = {"eye_x": 0.5, "eye_y": TOKEN_EYE_Y, "inter_eye_distance": TOKEN_IED}
    matrix = _level_matrix(frame, scale, eye_xy)
    out, padded = _warp(image, matrix, (h, w), scale)
    if padded > PADDED_NOTE_SHARE:
        notes.append(f"{100 * padded:.0f} % of the exported image lies outside the photo "
                     "(edge pixels repeated): take the photo with more room around the head")
    return PassportExport(out, fmt, matrix, scale, float(dpi) if fmt == "passport" else None,
                          effective, size_mm, padded, too_low, notes, face_index, targets,
                          head_top_from)


def encode(image: np.ndarray, path: str, dpi: float | None = None, jpeg_quality: int = 95) -> bytes:
    """JPEG or PNG bytes by the file's suffix, with the dpi in the file's header when given."""
    import io

    from PIL import Image

    suffix = path.lower().rsplit(".", 1)[-1] if "." in path else ""
    kinds = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}
    if suffix not in kinds:
        raise ExportError(f"{path}: save as .jpg, .jpeg or .png")
    options = {"quality": jpeg_quality, "subsampling": 0} if kinds[suffix] == "JPEG" else {}
    if dpi:
        options["dpi"] = (float(dpi), float(dpi))
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, kinds[suffix], **options)
    return buf.getvalue()
