"""Face alignment: the affine map between a photo and a face chip.

Quality maps are computed on the chip and shown on the photo, so one
transform must warp the photo into the chip and carry chip values back.
Coordinates are pixel centres (pixel (r, c) sits at x = c, y = r) in both
the photo and the chip, as in dlib and OpenCV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from plq_desktop.core.face.detection import Detection

# dlib's 5-point chip template (get_face_chip_details in dlib/image_transforms/
# interpolation.h), in the order of shape_predictor_5_face_landmarks, as
# fractions of the unpadded face square.
DLIB_TEMPLATE_5 = np.array([
    (0.8595674595992, 0.2134981538014),
    (0.6460604764104, 0.2289674387677),
    (0.1205750620789, 0.2137274526848),
    (0.3340850613712, 0.2290642403242),
    (0.4901123135679, 0.6277975316475),
])

# InsightFace's ArcFace template for 112 x 112 chips: left eye, right eye,
# nose tip, left and right mouth corner, left/right as seen in the image.
ARCFACE_TEMPLATE_112 = np.array([
    (38.2946, 51.6963),
    (73.5318, 51.5014),
    (56.0252, 71.7366),
    (41.5493, 92.3655),
    (70.7299, 92.2041),
])

# From dlib's mean face (mean_face_shape in interpolation.h), in eye distances
# (between the means of each eye's 6 points): how far below the eyes'
# midpoint the subnasale (point 33), nose tip (30) and mouth line (48, 54)
# lie, and half the mouth's width.
_EYE_DISTANCE = 0.529269
_SUBNASALE_DROP = 0.412116 / _EYE_DISTANCE
_NOSE_TIP_DROP = 0.299635 / _EYE_DISTANCE
_MOUTH_DROP = 0.564243 / _EYE_DISTANCE
_MOUTH_HALF_WIDTH = 0.235978 / _EYE_DISTANCE


@dataclass(frozen=True, eq=False)  # eq=False: the numpy field makes generated __eq__/__hash__ unusable
class Alignment:
    """``matrix`` (2 x 3) maps photo coordinates to chip coordinates; ``chip_size`` is (h, w)."""

    matrix: np.ndarray
    chip_size: tuple[int, int]
    _inverse: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        matrix = np.array(self.matrix, dtype=np.float64).reshape(2, 3)
        matrix.setflags(write=False)
        inverse = cv2.invertAffineTransform(matrix)
        inverse.setflags(write=False)
        object.__setattr__(self, "matrix", matrix)
        object.__setattr__(self, "chip_size", (int(self.chip_size[0]), int(self.chip_size[1])))
        object.__setattr__(self, "_inverse", inverse)

    @property
    def image_pixels_per_chip_pixel(self) -> float:
        return 1.0 / math.sqrt(abs(np.linalg.det(self.matrix[:, :2])))

    def warp(self, image: np.ndarray) -> np.ndarray:
        """The chip (h x w x 3 uint8 RGB) cut from an H x W x 3 uint8 RGB photo; black outside it.

        Bilinear sampling of a photo more than twice the chip's resolution
        would alias (skip pixels), so, like dlib's extract_image_chip, it
        samples a Gaussian pyramid level of the photo instead. The geometry
        is the same either way.
        """
        h, w = self.chip_size
        matrix = self.matrix
        levels = self._pyramid_levels()
        if levels:
            # Only the chip's footprint (plus the filter's reach) needs shrinking.
            margin = 2 ** (levels + 2)
            x0, y0, x1, y1 = self.footprint(image.shape, margin)
            if x0 >= x1 or y0 >= y1:
                return np.zeros((h, w, 3), np.uint8)
            image = image[y0:y1, x0:x1]
            for _ in range(levels):
                image = cv2.pyrDown(image)
            # Pyramid pixel i is centred on crop pixel 2^levels * i.
            scale = np.diag([2.0 ** levels, 2.0 ** levels, 1.0])
            scale[:2, 2] = (x0, y0)
            matrix = matrix @ scale
        return cv2.warpAffine(np.ascontiguousarray(image), matrix, (w, h), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))

    def to_image(self, chip_values: np.ndarray, image_shape: tuple[int, ...]) -> np.ndarray:
        """Chip-sized values (h x w) carried back onto the photo: float32 H x W, NaN off the chip.

        Each photo pixel takes the bilinear value at its position in the chip,
        through the exact inverse of ``warp``'s transform; photo pixels whose
        centre falls outside the chip's area (-0.5 .. w - 0.5) are NaN.
        """
        h, w = self.chip_size
        values = np.asarray(chip_values, dtype=np.float32)
        if values.shape != (h, w):
            raise ValueError(f"expected chip values of shape {(h, w)}, got {values.shape}")
        height, width = image_shape[:2]
        out = np.full((height, width), np.nan, dtype=np.float32)
        x0, y0, x1, y1 = self.footprint((height, width), 1)
        if x0 >= x1 or y0 >= y1:
            return out
        xs, ys = np.arange(x0, x1)[None, :], np.arange(y0, y1)[:, None]
        m = self.matrix
        u = m[0, 0] * xs + m[0, 1] * ys + m[0, 2]
        v = m[1, 0] * xs + m[1, 1] * ys + m[1, 2]
        inside = (u >= -0.5) & (u <= w - 0.5) & (v >= -0.5) & (v <= h - 0.5)
        sampled = _bilinear(values, u, v)
        out[y0:y1, x0:x1] = np.where(inside, sampled, np.nan)
        return out

    def points_to_chip(self, points: np.ndarray) -> np.ndarray:
        return _apply(self.matrix, points)

    def points_to_image(self, points: np.ndarray) -> np.ndarray:
        return _apply(self._inverse, points)

    def _pyramid_levels(self) -> int:
        return _pyramid_levels(self.chip_size, self.image_pixels_per_chip_pixel)

    def footprint(self, image_shape: tuple[int, ...], margin: int = 1) -> tuple[int, int, int, int]:
        """Integer bounds [x0, x1) x [y0, y1) of the chip's area on the photo, grown by margin, clipped."""
        h, w = self.chip_size
        corners = np.array([(-0.5, -0.5), (w - 0.5, -0.5), (-0.5, h - 0.5), (w - 0.5, h - 0.5)])
        on_image = self.points_to_image(corners)
        lo = np.floor(on_image.min(axis=0)).astype(int) - margin
        hi = np.ceil(on_image.max(axis=0)).astype(int) + margin + 1
        height, width = image_shape[:2]
        return max(lo[0], 0), max(lo[1], 0), min(hi[0], width), min(hi[1], height)


def dlib_chip_alignment(landmarks5: np.ndarray, size: int = 150, padding: float = 0.25) -> Alignment:
    """The chip ``dlib.get_face_chip(img, shape5, size, padding)`` extracts.

    dlib fits a least-squares similarity from its template (scaled into the
    padded chip) to the 5 landmarks, keeps only its angle, scale and where
    it sends the chip centre (size/2, size/2), and then samples the chip from
    the corners of that rotated rectangle. The rectangle spans size * scale
    photo pixels over size - 1 chip pixel steps, so the effective scale is
    (size * scale - 1) / (size - 1); reproduced here so chips match dlib's.
    """
    if size < 2:
        raise ValueError("the chip must be at least 2 pixels wide")
    template = (padding + DLIB_TEMPLATE_5) / (1 + 2 * padding) * size
    linear, offset = _similarity(template, np.asarray(landmarks5, dtype=np.float64).reshape(5, 2))
    scale = math.hypot(linear[0, 0], linear[1, 0])
    rotation = linear / scale
    centre = linear @ np.array([size / 2, size / 2]) + offset
    step = (size * scale - 1) / (size - 1)
    chip_to_image = rotation * step
    chip_to_image_offset = centre - chip_to_image @ np.array([(size - 1) / 2, (size - 1) / 2])
    # On photos over twice the chip's resolution dlib samples a pyramid level
    # whose coordinate mapping (pyramid_down<2>::point_down) is a quarter pixel
    # off per level, so its chips show the photo (2^k - 1) / 2 pixels left of
    # and below the geometric position. Shifting the same way keeps chips equal
    # to dlib's and to_image() the exact inverse of what warp() sampled.
    shift = (2 ** _pyramid_levels((size, size), step) - 1) / 2
    chip_to_image_offset += (-shift, shift)
    return Alignment(cv2.invertAffineTransform(np.column_stack([chip_to_image, chip_to_image_offset])),
                     (size, size))


def template_alignment(landmarks5: np.ndarray, template: np.ndarray,
                       chip_size: int | tuple[int, int]) -> Alignment:
    """Least-squares similarity (Umeyama) taking the 5 landmarks onto ``template`` (chip pixels).

    The points must be in the template's order (ArcFace order for
    ``ARCFACE_TEMPLATE_112``: see ``arcface_points_from_detection``).
    """
    points = np.asarray(landmarks5, dtype=np.float64).reshape(-1, 2)
    linear, offset = _similarity(points, np.asarray(template, dtype=np.float64).reshape(-1, 2))
    size = (chip_size, chip_size) if np.isscalar(chip_size) else tuple(chip_size)
    return Alignment(np.column_stack([linear, offset]), size)


def landmark_box_alignment(landmarks68: np.ndarray, size: int, extent: float = 1.3) -> Alignment:
    """A square chip levelled on the eyes, centred on the 68 landmarks' box and ``extent`` times its side.

    The eyes (means of each eye's 6 points) set the angle; in that rotated
    frame the landmarks' bounding box sets the centre and, through its
    longer side times ``extent``, the chip's width on the photo. HSE's
    MobileNet reads faces framed this way (docs/models.md, "Alignment").
    """
    p = np.asarray(landmarks68, dtype=np.float64).reshape(68, 2)
    left, right = p[36:42].mean(axis=0), p[42:48].mean(axis=0)
    angle = math.atan2(right[1] - left[1], right[0] - left[0])
    c, s = math.cos(angle), math.sin(angle)
    to_level = np.array([[c, s], [-s, c]])          # photo -> eyes-level frame
    level = p @ to_level.T
    lo, hi = level.min(axis=0), level.max(axis=0)
    side = extent * float(max(hi - lo))
    centre = to_level.T @ ((lo + hi) / 2)           # back on the photo
    scale = size / side
    linear = scale * to_level
    offset = np.array([(size - 1) / 2, (size - 1) / 2]) - linear @ centre
    return Alignment(np.column_stack([linear, offset]), (size, size))


def arcface_points_from_detection(det: Detection) -> np.ndarray:
    """ArcFace's 5 points (left eye, right eye, nose tip, left/right mouth corner, as seen in the image).

    From the 68 landmarks when present: eye centres are the means of each
    eye's 6 points, the nose tip is point 30, the mouth corners 48 and 54.

    Otherwise from dlib's 5 points, which mark neither the nose tip nor the
    mouth: eye centres are the midpoints of each eye's two corners; along the
    line from the eyes' midpoint through the subnasale point (4), the nose tip
    lies at 0.73 of the subnasale's distance and the mouth line one mean-face
    philtrum (0.29 eye distances) beyond it, its corners 0.45 eye distances
    either side (dlib's mean face proportions). On real faces this is about
    0.02 eye distances off the 68-point eyes, 0.14 off the nose tip (point 4
    as the nose would be 0.28 off) and 0.3 off the mouth corners, which move
    with expression: prefer the 68 points where their licence allows.
    """
    if det.landmarks68 is not None:
        p = det.landmarks68.astype(np.float64)
        return np.array([p[36:42].mean(axis=0), p[42:48].mean(axis=0), p[30], p[48], p[54]])
    p = det.landmarks5.astype(np.float64)
    left_eye, right_eye = (p[2] + p[3]) / 2, (p[0] + p[1]) / 2
    eyes_mid = (left_eye + right_eye) / 2
    eye_distance = np.linalg.norm(right_eye - left_eye)
    across = (right_eye - left_eye) / eye_distance
    down = (p[4] - eyes_mid) / np.linalg.norm(p[4] - eyes_mid)
    nose = eyes_mid + (_NOSE_TIP_DROP / _SUBNASALE_DROP) * (p[4] - eyes_mid)
    mouth = p[4] + (_MOUTH_DROP - _SUBNASALE_DROP) * eye_distance * down
    half_mouth = _MOUTH_HALF_WIDTH * eye_distance * across
    return np.array([left_eye, right_eye, nose, mouth - half_mouth, mouth + half_mouth])


def _pyramid_levels(chip_size: tuple[int, int], span: float) -> int:
    """How many times warp() halves the photo first: dlib's rule, halving while the
    photo pixels between the chip's outermost pixel centres would still outnumber
    the chip's pixels after one more halving."""
    h, w = chip_size
    fw, fh = (w - 1) * span + 1, (h - 1) * span + 1
    levels = 0
    while (fw + 1) / 2 * (fh + 1) / 2 > w * h:
        fw, fh = (fw + 1) / 2, (fh + 1) / 2
        levels += 1
    return levels


def _similarity(src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares rotation + uniform scale + translation taking src onto dst (Umeyama 1991),
    as dlib's find_similarity_transform: returns (2 x 2 linear part, offset)."""
    src_mean, dst_mean = src.mean(axis=0), dst.mean(axis=0)
    src_c, dst_c = src - src_mean, dst - dst_mean
    covariance = dst_c.T @ src_c / len(src)
    u, d, vt = np.linalg.svd(covariance)
    # A reflection would fit a mirrored face; force a proper rotation.
    sign = np.diag([1.0, -1.0 if np.linalg.det(u) * np.linalg.det(vt) < 0 else 1.0])
    rotation = u @ sign @ vt
    variance = (src_c ** 2).sum() / len(src)
    scale = float(np.trace(np.diag(d) @ sign) / variance)
    linear = scale * rotation
    return linear, dst_mean - linear @ src_mean


def _apply(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    pts = np.asarray(points, dtype=np.float64)
    return pts @ matrix[:, :2].T + matrix[:, 2]


def _bilinear(values: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """values sampled at (u, v); beyond the outermost pixel centres the edge values repeat."""
    h, w = values.shape
    padded = np.pad(values, ((0, 1), (0, 1)), mode="edge").ravel()   # so c0 + 1 and r0 + 1 always exist
    u, v = np.clip(u, 0, w - 1), np.clip(v, 0, h - 1)
    c0, r0 = np.floor(u), np.floor(v)
    fu, fv = (u - c0).astype(np.float32), (v - r0).astype(np.float32)
    # Flat indices into the padded rows (w + 1 wide): half the time of 2-D fancy indexing (live frames).
    i = r0.astype(np.intp) * (w + 1) + c0.astype(np.intp)
    top = padded.take(i) * (1 - fu) + padded.take(i + 1) * fu
    bottom = padded.take(i + (w + 1)) * (1 - fu) + padded.take(i + (w + 2)) * fu
    return top * (1 - fv) + bottom * fv
