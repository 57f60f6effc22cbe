"""Face regions from the 68 landmarks: polygons on the photo, masks in any frame, PLQ statistics.

Landmarks follow iBUG 300-W (0-16 jaw, 17-26 brows, 27-35 nose, 36-47 eyes,
48-67 mouth). Left and right are the subject's own, as in ISO/IEC 19794-5:
the subject's right eye (points 36-41) appears on the left of the image.

Every polygon is built in the face's own frame (origin at the eyes' midpoint,
x along the eye line, y towards the chin, unit = inter-eye distance), so the
regions follow the head when it is tilted. Forehead and hair band lie above
the brows, where there are no landmarks: they are extrapolated with the
proportions of an average head (eyes halfway between chin and crown).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# Facial regions, in the order their masks claim pixels (smaller, more
# specific regions first; an overlapping pixel belongs to the first).
FACE_REGIONS = ("right_eye", "left_eye", "mouth", "nose", "right_cheek", "left_cheek", "chin", "forehead")
REGIONS = FACE_REGIONS + ("hair", "background")
# Drawn for checks about more than one region.
COMPOSITE_REGIONS = ("eyes", "face", "head")

# Extrapolation above the brows, in inter-eye distances.
_BROW_MARGIN = 0.08        # eye region starts this far above the brow line
_FOREHEAD_HEIGHT = 0.65    # skin above the brows before a typical hairline
_CROWN_MARGIN = 0.15       # hair band reaches this far above the estimated crown
_EYE_BELOW_LID = 0.22      # eye region reaches this far below the lower lid (glasses rims, eye bags)
_EYE_BEYOND_CORNER = 0.12
_HAIR_BEYOND_JAW = 0.25    # hair band reaches this far beyond the jaw contour at either side
_HEAD_CLEARANCE = 0.4      # background starts this far outside the head outline (hair volume)


@dataclass(frozen=True)
class FaceFrame:
    """The face's own axes in photo coordinates, from the 68 landmarks."""

    points: np.ndarray        # 68 x 2 photo coordinates
    right_eye: np.ndarray     # centre of the subject's right eye (image left)
    left_eye: np.ndarray
    ied: float                # inter-eye distance between the eye centres, photo pixels
    across: np.ndarray        # unit vector from the right to the left eye
    down: np.ndarray          # unit vector towards the chin, perpendicular to the eye line

    @property
    def eye_mid(self) -> np.ndarray:
        return (self.right_eye + self.left_eye) / 2

    @property
    def eye_to_chin(self) -> float:
        """OFIQ's T: distance from the eyes' midpoint to the chin (point 8), along the face's axis."""
        return float((self.points[8] - self.eye_mid) @ self.down)

    @property
    def crown(self) -> np.ndarray:
        """Estimated top of the head: the eyes lie about halfway between chin and crown."""
        return self.eye_mid - self.eye_to_chin * self.down

    def to_face(self, xy: np.ndarray) -> np.ndarray:
        """Photo coordinates -> face coordinates (inter-eye distances from the eyes' midpoint)."""
        d = np.asarray(xy, dtype=np.float64) - self.eye_mid
        return np.stack([d @ self.across, d @ self.down], axis=-1) / self.ied

    def to_photo(self, uv: np.ndarray) -> np.ndarray:
        uv = np.asarray(uv, dtype=np.float64) * self.ied
        return self.eye_mid + uv[..., :1] * self.across + uv[..., 1:] * self.down


def face_frame(landmarks68: np.ndarray) -> FaceFrame:
    p = np.asarray(landmarks68, dtype=np.float64).reshape(68, 2)
    right_eye, left_eye = p[36:42].mean(axis=0), p[42:48].mean(axis=0)
    ied = float(np.linalg.norm(left_eye - right_eye))
    if ied <= 0:
        raise ValueError("degenerate landmarks: both eyes at the same point")
    across = (left_eye - right_eye) / ied
    return FaceFrame(p, right_eye, left_eye, ied, across, np.array([-across[1], across[0]]))


def _hull(points: np.ndarray) -> np.ndarray:
    return cv2.convexHull(np.asarray(points, dtype=np.float32)).reshape(-1, 2).astype(np.float64)


def _eye_polygon(f: np.ndarray, brow: slice, eye: slice, outer: int, lower: list[int], outward: float) -> np.ndarray:
    """Eye with its brow, in face coordinates: room for a glasses rim below and beside it."""
    up = np.array([0.0, -_BROW_MARGIN])
    below = np.array([0.0, _EYE_BELOW_LID])
    beside = np.array([outward * _EYE_BEYOND_CORNER, 0.0])
    return _hull(np.concatenate([f[brow] + up, f[eye], f[lower] + below, f[[outer]] + beside]))


def face_polygons(frame: FaceFrame) -> dict[str, np.ndarray]:
    """Polygons (photo coordinates, N x 2) of the facial regions, the hair band and the composites."""
    f = frame.to_face(frame.points)
    nose_tip = f[30]

    def inward(idx, amount):  # jaw-contour points pulled towards the nose, onto skin
        return f[idx] + amount * (nose_tip - f[idx])

    brow_top = min(f[17:27, 1]) - _BROW_MARGIN
    forehead_top = brow_top - _FOREHEAD_HEIGHT
    crown = -frame.eye_to_chin / frame.ied - _CROWN_MARGIN
    left_x, right_x = f[0, 0] - _HAIR_BEYOND_JAW, f[16, 0] + _HAIR_BEYOND_JAW
    mouth_centre = f[48:60].mean(axis=0)
    below_lid = np.array([0.0, _EYE_BELOW_LID])

    face = {
        "right_eye": _eye_polygon(f, slice(17, 22), slice(36, 42), 36, [41, 40], -1.0),
        "left_eye": _eye_polygon(f, slice(22, 27), slice(42, 48), 45, [47, 46], 1.0),
        "mouth": _hull(mouth_centre + 1.3 * (f[48:60] - mouth_centre)),
        "nose": np.array([f[27] - [0.1, 0], f[27] + [0.1, 0], f[35] + [0.06, 0], f[33] + [0, 0.06],
                          f[31] - [0.06, 0]]),
        "right_cheek": np.concatenate([f[[39, 40, 41, 36]] + below_lid, inward([1, 2, 3, 4], 0.12), f[[48, 31]]]),
        "left_cheek": np.concatenate([f[[42, 47, 46, 45]] + below_lid, inward([15, 14, 13, 12], 0.12), f[[54, 35]]]),
        "chin": np.concatenate([inward(list(range(4, 13)), 0.05), f[[54, 55, 56, 57, 58, 59, 48]]]),
        "forehead": np.concatenate([f[17:27] - [0, _BROW_MARGIN],
                                    [[f[26, 0], forehead_top], [f[17, 0], forehead_top]]]),
        # Rounded at the top like a skull: the upper corners are set in by a quarter of the width.
        "hair": np.array([[left_x, forehead_top], [right_x, forehead_top],
                          [right_x, (forehead_top + crown) / 2],
                          [right_x - 0.25 * (right_x - left_x), crown],
                          [left_x + 0.25 * (right_x - left_x), crown],
                          [left_x, (forehead_top + crown) / 2]]),
    }
    face["eyes"] = _hull(np.concatenate([face["right_eye"], face["left_eye"]]))
    face["face"] = _hull(np.concatenate([f[0:17], face["forehead"]]))
    face["head"] = _hull(np.concatenate([face["face"], face["hair"]]))
    return {name: frame.to_photo(poly) for name, poly in face.items()}


def background_polygon(frame: FaceFrame, image_shape: tuple[int, ...]) -> np.ndarray:
    """The photo above the nose tip (photo coordinates); the background is this minus the head.

    Lower down, long hair, the neck and the shoulders fill the sides; without a
    segmentation they cannot be told from the background.
    """
    h, w = image_shape[:2]
    rect = np.array([(-0.5, -0.5), (w - 0.5, -0.5), (w - 0.5, h - 0.5), (-0.5, h - 0.5)])
    return _clip_half_plane(rect, frame.points[30], frame.down)


def _clip_half_plane(polygon: np.ndarray, origin: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """The part of a convex polygon where (p - origin) . normal <= 0 (Sutherland-Hodgman, one edge)."""
    out = []
    side = (polygon - origin) @ normal
    for i in range(len(polygon)):
        j = (i + 1) % len(polygon)
        if side[i] <= 0:
            out.append(polygon[i])
        if (side[i] <= 0) != (side[j] <= 0):
            t = side[i] / (side[i] - side[j])
            out.append(polygon[i] + t * (polygon[j] - polygon[i]))
    return np.array(out).reshape(-1, 2)


def _grown(polygon: np.ndarray, centre: np.ndarray, distance: float) -> np.ndarray:
    """A star-shaped polygon pushed outwards from ``centre`` by ``distance`` at every vertex."""
    spread = np.linalg.norm(polygon - centre, axis=1, keepdims=True)
    return centre + (polygon - centre) * (1 + distance / np.maximum(spread, 1e-9))


def _fill(polygon: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Boolean mask of the pixels (centres) inside a polygon given in the frame's coordinates."""
    mask = np.zeros(size, np.uint8)
    if len(polygon) >= 3:
        shift = 4   # sub-pixel vertices: 1/16 px
        pts = np.round(np.asarray(polygon) * (1 << shift)).astype(np.int32)
        cv2.fillPoly(mask, [pts], 1, lineType=cv2.LINE_8, shift=shift)
    return mask.astype(bool)


def _apply(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    return np.asarray(points, dtype=np.float64) @ matrix[:, :2].T + matrix[:, 2]


def photo_validity(matrix: np.ndarray, size: tuple[int, int], image_shape: tuple[int, ...]) -> np.ndarray:
    """Pixels of a frame (chip, canvas) whose position on the photo lies inside the photo."""
    h, w = image_shape[:2]
    corners = np.array([(-0.5, -0.5), (w - 0.5, -0.5), (w - 0.5, h - 0.5), (-0.5, h - 0.5)])
    return _fill(_apply(matrix, corners), size)


@dataclass(frozen=True, eq=False)
class FaceRegions:
    """One face's regions: polygons on the photo, masks in any frame that a 2 x 3 matrix maps to."""

    frame: FaceFrame
    polygons: dict[str, np.ndarray]     # REGIONS + COMPOSITE_REGIONS, photo coordinates
    head_clearance: np.ndarray          # the head outline grown; the background starts outside it
    image_shape: tuple[int, int]

    def masks(self, matrix: np.ndarray, size: tuple[int, int]) -> dict[str, np.ndarray]:
        """Disjoint boolean masks of REGIONS in the frame ``matrix`` maps the photo to (``size`` = (h, w)).

        Only frame pixels that show the photo count (a chip hanging over the
        photo's edge shows black padding there). The background is the part
        of the photo above the nose tip that lies clear of the head.
        """
        valid = photo_validity(matrix, size, self.image_shape)
        taken = np.zeros(size, bool)
        masks = {}
        for name in FACE_REGIONS + ("hair",):
            mask = _fill(_apply(matrix, self.polygons[name]), size) & ~taken
            taken |= mask
            masks[name] = mask & valid
        masks["background"] = (_fill(_apply(matrix, self.polygons["background"]), size)
                               & ~_fill(_apply(matrix, self.head_clearance), size) & valid)
        return masks

    def coverage(self, matrix: np.ndarray, size: tuple[int, int]) -> dict[str, float]:
        """Share of each region that the frame shows (the background: of its part inside the frame)."""
        valid = photo_validity(matrix, size, self.image_shape)
        out = {}
        for name in FACE_REGIONS + ("hair",):
            polygon = _apply(matrix, self.polygons[name])
            area = polygon_area(polygon)
            out[name] = min(1.0, float((_fill(polygon, size) & valid).sum()) / area) if area > 0 else 0.0
        background = (_fill(_apply(matrix, self.polygons["background"]), size)
                      & ~_fill(_apply(matrix, self.head_clearance), size))
        total = int(background.sum())
        out["background"] = float((background & valid).sum()) / total if total else 0.0
        return out


def face_regions(landmarks68: np.ndarray, image_shape: tuple[int, ...]) -> FaceRegions:
    frame = face_frame(landmarks68)
    polygons = face_polygons(frame)
    polygons["background"] = background_polygon(frame, image_shape)
    head = polygons["head"]
    clearance = _grown(head, head.mean(axis=0), _HEAD_CLEARANCE * frame.ied)
    return FaceRegions(frame, polygons, clearance, tuple(image_shape[:2]))


def polygon_area(polygon: np.ndarray) -> float:
    return float(abs(cv2.contourArea(np.asarray(polygon, dtype=np.float32))))


LOW_PERCENTILE = 10
# A region the chip shows less of than this has no statistics.
MIN_COVERAGE = 0.5
# Fewer chip pixels than this give no statistics either (a tiny background strip).
MIN_PIXELS = 30


@dataclass(frozen=True)
class RegionStats:
    """Pixel quality of one region on the chip."""

    mean: float
    low: float        # LOW_PERCENTILE-th percentile
    pixels: int
    coverage: float   # share of the region that the chip shows

    def to_dict(self) -> dict:
        return {"mean": round(self.mean, 4), "low": round(self.low, 4), "pixels": self.pixels,
                "coverage": round(self.coverage, 3)}


@dataclass(frozen=True)
class ChipLayout:
    """The regions' masks on a chip and the share of each that the chip shows; "face" is all FACE_REGIONS."""

    masks: dict[str, np.ndarray]
    coverage: dict[str, float]


def chip_layout(chip_matrix: np.ndarray, size: tuple[int, int], regions: FaceRegions) -> ChipLayout:
    masks = regions.masks(chip_matrix, size)
    coverage = regions.coverage(chip_matrix, size)
    masks["face"] = np.logical_or.reduce([masks[r] for r in FACE_REGIONS])
    coverage["face"] = float(np.mean([coverage[r] for r in FACE_REGIONS]))
    return ChipLayout(masks, coverage)


def region_plq_stats(chip_plq: np.ndarray, chip_matrix: np.ndarray, regions: FaceRegions,
                     layout: ChipLayout | None = None) -> dict[str, RegionStats | None]:
    """Per-region statistics of a chip's PLQ map (or any chip map); None where the chip shows too little
    of a region. Besides REGIONS, "face" sums up all FACE_REGIONS together. ``layout``: the chip's
    ``chip_layout``, when several maps of one chip are summarised.
    """
    values = np.asarray(chip_plq, dtype=np.float64)
    size = values.shape
    layout = layout or chip_layout(chip_matrix, size, regions)
    masks, coverage = layout.masks, layout.coverage
    stats: dict[str, RegionStats | None] = {}
    for name in REGIONS + ("face",):
        mask = masks[name]
        pixels = int(mask.sum())
        if coverage[name] < MIN_COVERAGE or pixels < MIN_PIXELS:
            stats[name] = None
            continue
        v = values[mask & np.isfinite(values)]  # NaN: pixels the network never reads
        if len(v) < MIN_PIXELS:
            stats[name] = None
            continue
        stats[name] = RegionStats(float(v.mean()), percentile(v, LOW_PERCENTILE), pixels, coverage[name])
    return stats


def percentile(values: np.ndarray, q: float) -> float:
    """``np.percentile(values, q)`` (linear, of a 1-D array), to the bit, in a sixth of its time: its
    checks and dispatch cost more than the partition (the live view takes about 18 per frame)."""
    n = len(values)
    index = (n - 1) * (q / 100)
    lo = int(np.floor(index))
    hi = min(lo + 1, n - 1)
    t = index - lo
    part = np.partition(values, [lo, hi]) if hi != lo else np.partition(values, lo)
    a, b = part[lo], part[hi]
    # numpy's lerp: from the nearer end, so that t = 1 gives b exactly.
    return float(b - (b - a) * (1 - t)) if t >= 0.5 else float(a + (b - a) * t)
