"""Whole-photo damage and nuisance changes for the reliability suite.

Everything here acts on the PHOTO (H x W x 3 uint8 RGB) before detection and
alignment, as a camera or a file would, so the pipeline sees what it sees in
use. Strengths are given in chip pixels (``unit`` = how many photo pixels one
chip pixel spans around the faces of that photo), so a blur of "3 px" is the
same blur on a small face in a group photo and on a large portrait.

Each generator returns ``PhotoVariant``s: the changed photo plus the 2 x 3
matrix that carries a point of the original photo to the changed one (used to
find the same face again among the detections).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

IDENTITY = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


@dataclass
class PhotoVariant:
    group: str          # "damage" or "nuisance"
    kind: str
    level: int          # 1.. for damage (stronger = higher), 0 for nuisance
    strength: float
    photo: np.ndarray
    matrix: np.ndarray = None  # original photo -> variant photo coordinates

    def __post_init__(self):
        if self.matrix is None:
            self.matrix = IDENTITY.copy()


# -- damage ----------------------------------------------------------------------------------

def _disk(radius: float) -> np.ndarray:
    r = max(radius, 0.5)
    n = int(np.ceil(r))
    y, x = np.mgrid[-n:n + 1, -n:n + 1]
    k = (x * x + y * y <= r * r).astype(np.float32)
    return k / k.sum()


def defocus(photo, radius_chip_px, unit, rng):
    return cv2.filter2D(photo, -1, _disk(radius_chip_px * unit), borderType=cv2.BORDER_REFLECT)


def motion(photo, length_chip_px, unit, rng):
    n = max(2, int(round(length_chip_px * unit)))
    k = np.zeros((n | 1, n | 1), np.float32)
    c = k.shape[0] // 2
    # a diagonal-ish streak at 20 degrees, as a hand-held shake
    for t in np.linspace(-0.5, 0.5, 4 * n):
        x = c + t * n * np.cos(np.radians(20))
        y = c + t * n * np.sin(np.radians(20))
        k[int(round(y)), int(round(x))] = 1
    k /= k.sum()
    return cv2.filter2D(photo, -1, k, borderType=cv2.BORDER_REFLECT)


def jpeg(photo, quality, unit=None, rng=None):
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(photo, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def low_resolution(photo, chip_px_per_sample, unit, rng):
    """Captured with one sample per ``chip_px_per_sample`` chip pixels, shown at the original size."""
    h, w = photo.shape[:2]
    factor = min(1.0, 1.0 / (chip_px_per_sample * unit))
    small = cv2.resize(photo, (max(2, round(w * factor)), max(2, round(h * factor))), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def sensor_noise(photo, sigma, unit, rng):
    """Gaussian noise of ``sigma`` grey levels per photo pixel, plus a little chroma noise."""
    noisy = photo.astype(np.float32) + rng.normal(0.0, sigma, photo.shape[:2] + (1,)) \
        + rng.normal(0.0, sigma / 3, photo.shape)
    return np.clip(noisy, 0, 255).round().astype(np.uint8)


def under_exposure(photo, factor, unit=None, rng=None):
    """Fewer photons: linear light times ``factor`` (sRGB gamma 2.2), then 8-bit quantisation."""
    linear = (photo.astype(np.float32) / 255) ** 2.2 * factor
    return np.clip(255 * linear ** (1 / 2.2), 0, 255).round().astype(np.uint8)


def over_exposure(photo, factor, unit=None, rng=None):
    linear = (photo.astype(np.float32) / 255) ** 2.2 * factor
    return np.clip(255 * np.minimum(linear, 1.0) ** (1 / 2.2), 0, 255).round().astype(np.uint8)


@dataclass(frozen=True)
class Damage:
    kind: str
    strengths: tuple[float, ...]   # increasing damage
    unit: str
    apply: object = None           # (photo, strength, unit, rng) -> photo; None = occluder (needs faces)


DAMAGES: tuple[Damage, ...] = (
    Damage("defocus", (1.5, 3.0, 5.0, 8.0), "disk radius, chip px", defocus),
    Damage("motion", (4.0, 8.0, 14.0, 22.0), "streak length, chip px", motion),
    Damage("jpeg", (25.0, 12.0, 6.0, 3.0), "JPEG quality of the whole photo", jpeg),
    Damage("low-resolution", (2.0, 3.5, 5.0, 7.0), "chip px per captured sample", low_resolution),
    Damage("noise", (10.0, 22.0, 40.0, 65.0), "Gaussian sigma, grey levels per photo pixel", sensor_noise),
    Damage("under-exposure", (0.25, 0.08, 0.025, 0.008), "light factor (linear)", under_exposure),
    Damage("over-exposure", (3.0, 6.0, 12.0, 24.0), "light factor (linear), clipped", over_exposure),
    Damage("occluder", (0.3, 0.45, 0.6, 0.75), "grey card over the lower part of each face, share of the face box"),
)


def occlude(photo, boxes, share):
    out = photo.copy()
    for x0, y0, x1, y1 in boxes:
        h = y1 - y0
        top = int(round(y1 + 0.1 * h - share * 1.2 * h))  # a card from just below the chin upwards
        out[max(0, top):max(0, int(round(y1 + 0.1 * h))), max(0, int(x0 - 0.1 * (x1 - x0))):int(x1 + 0.1 * (x1 - x0))] = 128
    return out


def damaged_photos(photo, boxes, unit, seed=0, damages=DAMAGES):
    rng = np.random.default_rng(seed)
    for d in damages:
        for level, s in enumerate(d.strengths, start=1):
            out = occlude(photo, boxes, s) if d.apply is None else d.apply(photo, s, unit, rng)
            yield PhotoVariant("damage", d.kind, level, float(s), out)


# -- nuisance ---------------------------------------------------------------------------------

def _translate(photo, dx, dy):
    """Pad by dx, dy at the top left (and the same at the bottom right, so the photo grows)."""
    out = cv2.copyMakeBorder(photo, dy, dy, dx, dx, cv2.BORDER_REFLECT)
    m = np.array([[1.0, 0, dx], [0, 1.0, dy]])
    return out, m


def nuisance_photos(photo, seed=0, video_frames: int = 8):
    rng = np.random.default_rng(seed)
    h, w = photo.shape[:2]
    for q in (95, 90):
        yield PhotoVariant("nuisance", f"jpeg-{q}", 0, q, jpeg(photo, q))
    for d in (+1, -1):
        out = cv2.resize(photo, (w + d, h + d), interpolation=cv2.INTER_AREA if d < 0 else cv2.INTER_LINEAR)
        m = np.array([[(w + d) / w, 0, 0.5 * ((w + d) / w - 1)], [0, (h + d) / h, 0.5 * ((h + d) / h - 1)]])
        yield PhotoVariant("nuisance", f"resize{d:+d}px", 0, d, out, m)
    for dx, dy in ((1, 0), (0, 2), (3, 3), (5, 1), (2, 6), (8, 8), (7, 4)):
        out, m = _translate(photo, dx, dy)
        yield PhotoVariant("nuisance", f"pad-{dx}-{dy}", 0, dx + dy, out, m)
    yield PhotoVariant("nuisance", "mirror", 0, 0, np.ascontiguousarray(photo[:, ::-1]),
                       np.array([[-1.0, 0, w - 1], [0, 1.0, 0]]))
    # a near-static video: sub-pixel jitter of the camera and a little sensor noise per frame
    for i in range(video_frames):
        dx, dy = rng.uniform(-0.7, 0.7, 2)
        m = np.array([[1.0, 0, dx], [0, 1.0, dy]])
        moved = cv2.warpAffine(photo, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        noisy = np.clip(moved.astype(np.float32) + rng.normal(0, 2.0, photo.shape), 0, 255).round().astype(np.uint8)
        yield PhotoVariant("nuisance", f"video-{i}", 0, i, noisy, m)


def tiled_face(photo, box, copies=(2, 2), margin: float = 0.7):
    """The crop around one face tiled copies[0] x copies[1] times: (photo, [matrix per copy])."""
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    cx0, cy0 = int(max(0, x0 - margin * bw)), int(max(0, y0 - margin * bh))
    cx1, cy1 = int(min(photo.shape[1], x1 + margin * bw)), int(min(photo.shape[0], y1 + margin * bh))
    crop = photo[cy0:cy1, cx0:cx1]
    ch, cw = crop.shape[:2]
    rows, cols = copies
    out = np.tile(crop, (rows, cols, 1))
    mats = [np.array([[1.0, 0, c * cw - cx0], [0, 1.0, r * ch - cy0]]) for r in range(rows) for c in range(cols)]
    return np.ascontiguousarray(out), mats
