"""Occluders drawn on a real photo from the face's 68 landmarks, for the localisation benchmark.

Every occluder is placed in the face's own frame (``core.face.regions``: unit
= inter-eye distance, x along the eye line, y towards the chin), so it follows
the head's size and tilt. Each kind comes in two sizes ("small", "large") and
names the regions it is drawn over (``TARGETS``); ``occluded_regions`` adds
every region the drawn occluder covers at least half of (a large mask hides
the cheeks too). A hint or a map that names one of them has found it. Left and right are the subject's own; single-sided
occluders sit on the subject's right (the image's left).

``fingers``, a second, more hand-like drawing of a hand on the cheek, is
drawn for the covered-cheek measurement (``eval.cheek``) and is not one of
the benchmark's ``KINDS``.
"""

from __future__ import annotations

import cv2
import numpy as np

from plq_desktop.core.face.regions import FaceFrame, face_frame

KINDS = ("eye_band", "sunglasses", "glasses_frame", "eye_patch", "mask", "hand", "fringe",
         "forehead_band", "nose_patch", "mouth_patch")
# Drawn only for the covered-cheek measurement (``eval.cheek``), not part of the localisation benchmark.
CHEEK_KINDS = ("hand", "fingers")
SIZES = ("small", "large")

# The regions an occluder of each kind covers; naming any of them names the occluder.
TARGETS: dict[str, tuple[str, ...]] = {
    "eye_band": ("right_eye", "left_eye"),
    "sunglasses": ("right_eye", "left_eye"),
    "glasses_frame": ("right_eye", "left_eye"),
    "eye_patch": ("right_eye",),
    "mask": ("mouth", "nose", "chin"),
    "hand": ("right_cheek",),
    "fingers": ("right_cheek",),
    "fringe": ("forehead",),
    "forehead_band": ("forehead",),
    "nose_patch": ("nose",),
    "mouth_patch": ("mouth",),
}

_SHIFT = 4   # sub-pixel drawing: coordinates in 1/16 px
# A region at least this much under the occluder counts as occluded, whatever the kind names.
MOSTLY_COVERED = 0.5


def _px(points: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(points) * (1 << _SHIFT)).astype(np.int32).reshape(-1, 1, 2)


def _ellipse(frame: FaceFrame, centre_uv, axes_uv, n: int = 48) -> np.ndarray:
    """An ellipse in face coordinates (centre, semi-axes), as a photo polygon."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    uv = np.asarray(centre_uv) + np.stack([axes_uv[0] * np.cos(t), axes_uv[1] * np.sin(t)], axis=1)
    return frame.to_photo(uv)


def _rect(frame: FaceFrame, u0, v0, u1, v1) -> np.ndarray:
    return frame.to_photo(np.array([(u0, v0), (u1, v0), (u1, v1), (u0, v1)], dtype=np.float64))


def _fill(img, polygon, colour) -> None:
    cv2.fillPoly(img, [_px(polygon)], tuple(int(c) for c in colour), lineType=cv2.LINE_AA, shift=_SHIFT)


def _outline(img, polygon, colour, thickness_px: float, closed: bool = True) -> None:
    cv2.polylines(img, [_px(polygon)], closed, tuple(int(c) for c in colour),
                  max(1, int(round(thickness_px))), lineType=cv2.LINE_AA, shift=_SHIFT)


def skin_colour(image: np.ndarray, frame: FaceFrame) -> np.ndarray:
    """Median RGB of two cheek patches beside the nose."""
    h, w = image.shape[:2]
    samples = []
    for u in (-0.45, 0.45):
        x, y = np.round(frame.to_photo(np.array([u, 0.55]))).astype(int)
        r = max(2, int(0.08 * frame.ied))
        patch = image[max(0, y - r):min(h, y + r), max(0, x - r):min(w, x + r)]
        if patch.size:
            samples.append(patch.reshape(-1, 3))
    return np.median(np.concatenate(samples), axis=0) if samples else np.array([180.0, 140.0, 120.0])


def draw_occluder(image: np.ndarray, landmarks68: np.ndarray, kind: str, size: str = "small",
                  seed: int = 0) -> np.ndarray:
    """A copy of ``image`` (H x W x 3 uint8 RGB) with one occluder over the face."""
    if kind not in TARGETS:
        raise ValueError(f"unknown occluder {kind!r}; choose one of {', '.join(TARGETS)}")
    if size not in SIZES:
        raise ValueError(f"unknown occluder size {size!r}; choose small or large")
    big = size == "large"
    frame = face_frame(landmarks68)
    f = frame.to_face(frame.points)
    out = np.ascontiguousarray(image.copy())
    ied = frame.ied
    eyes = (f[36:42].mean(axis=0), f[42:48].mean(axis=0))
    dark = (22, 22, 26)

    if kind == "eye_band":
        half = 0.30 if big else 0.20
        _fill(out, _rect(frame, f[0, 0] - 0.05, -half, f[16, 0] + 0.05, half), (8, 8, 8))
    elif kind == "sunglasses":
        axes = (0.42, 0.30) if big else (0.34, 0.23)
        for c in eyes:
            _fill(out, _ellipse(frame, c, axes), dark)
        _outline(out, frame.to_photo(np.array([eyes[0] + (axes[0], 0), eyes[1] - (axes[0], 0)])), dark,
                 0.05 * ied, closed=False)
    elif kind == "glasses_frame":
        axes, thick = ((0.44, 0.32), 0.10) if big else ((0.40, 0.28), 0.06)
        for c, side in zip(eyes, (-1, 1)):
            _outline(out, _ellipse(frame, c, axes), dark, thick * ied)
            temple = np.array([c + (side * axes[0], 0), c + (side * (axes[0] + 0.35), -0.02)])
            _outline(out, frame.to_photo(temple), dark, thick * ied, closed=False)
        _outline(out, frame.to_photo(np.array([eyes[0] + (axes[0], -0.05), eyes[1] - (axes[0], 0.05)])), dark,
                 thick * ied, closed=False)
    elif kind == "eye_patch":
        axes = (0.40, 0.32) if big else (0.30, 0.24)
        c = eyes[0]
        _outline(out, frame.to_photo(np.array([c + (-0.9, -0.45), c + (0.9, 0.25)])), (15, 15, 15), 0.04 * ied,
                 closed=False)
        _fill(out, _ellipse(frame, c, axes), (12, 12, 12))
    elif kind == "mask":
        top = f[28, 1] if big else f[33, 1] - 0.05
        jaw = list(range(2, 15)) if big else list(range(3, 14))
        outline = np.concatenate([[[f[jaw[0], 0], top]], f[jaw] + [0, 0.08], [[f[jaw[-1], 0], top]]])
        colour = (168, 200, 228)
        poly = frame.to_photo(outline)
        _fill(out, poly, colour)
        # Pleats: a few slightly darker lines across.
        for v in np.linspace(top + 0.12, f[57, 1] + 0.05, 3):
            _outline(out, frame.to_photo(np.array([(f[jaw[0], 0] + 0.1, v), (f[jaw[-1], 0] - 0.1, v)])),
                     (140, 172, 205), 0.02 * ied, closed=False)
        _outline(out, frame.to_photo(np.array([(f[jaw[0], 0], top + 0.05), (f[0, 0] - 0.05, -0.05)])),
                 (235, 235, 235), 0.03 * ied, closed=False)
    elif kind == "hand":
        # A darkened skin-coloured palm on the subject's right cheek, with finger gaps.
        skin = skin_colour(image, frame) * 0.85
        centre = np.array([(f[2, 0] + f[31, 0]) / 2 - 0.02, (f[40, 1] + f[3, 1]) / 2 + 0.05])
        axes = (0.36, 0.55) if big else (0.26, 0.42)
        rng = np.random.default_rng(seed)
        _fill(out, _ellipse(frame, centre, axes), skin)
        for du in np.linspace(-0.5, 0.5, 4)[1:-1] * axes[0] * 2:
            line = np.array([centre + (du, -axes[1] * 0.8), centre + (du * 1.1, axes[1] * 0.3)])
            _outline(out, frame.to_photo(line), skin * 0.75, 0.02 * ied, closed=False)
        # Skin is not flat: a little noise inside the palm.
        mask = np.zeros(out.shape[:2], np.uint8)
        _fill(mask, _ellipse(frame, centre, axes), (1,))
        inside = mask.astype(bool)
        noise = rng.normal(0, 4, size=(int(inside.sum()), 1))
        out[inside] = np.clip(out[inside].astype(np.float64) + noise, 0, 255).astype(np.uint8)
    elif kind == "fingers":
        _draw_fingers(out, image, frame, f, big)
    elif kind == "fringe":
        brow = min(f[17:27, 1])
        bottom = brow - (0.02 if big else 0.30)
        colour = (48, 36, 30)
        left, right = f[0, 0] - 0.1, f[16, 0] + 0.1
        # A ragged lower edge, as hair falls.
        us = np.linspace(right, left, 13)
        vs = bottom + 0.05 * np.sin(np.arange(13) * 2.1)
        poly = np.concatenate([[[left, -2.2], [right, -2.2]], np.stack([us, vs], axis=1)])
        _fill(out, frame.to_photo(poly), colour)
    elif kind == "forehead_band":
        # A headband (or a cap's band) straight across the forehead, wider than the face, above the brows.
        brow = min(f[17:27, 1])
        top, bottom = (brow - 0.75, brow - 0.12) if big else (brow - 0.58, brow - 0.30)
        _fill(out, _rect(frame, f[0, 0] - 0.2, top, f[16, 0] + 0.2, bottom), (34, 36, 48))
    elif kind == "nose_patch":
        m = 0.10 if big else 0.03
        _fill(out, _rect(frame, f[31, 0] - m, f[27, 1] - m / 2, f[35, 0] + m, f[33, 1] + m), (128, 128, 128))
    elif kind == "mouth_patch":
        m = 0.12 if big else 0.04
        _fill(out, _rect(frame, f[48, 0] - m, f[50:53, 1].min() - m, f[54, 0] + m, f[56:59, 1].max() + m),
              (128, 128, 128))
    return out


def _segment_distance(xy: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distance of each point to the segment a-b, position along it 0..1)."""
    ab = b - a
    t = np.clip(((xy - a) @ ab) / max(float(ab @ ab), 1e-9), 0.0, 1.0)
    return np.linalg.norm(xy - (a + t[..., None] * ab), axis=-1), t


def _draw_fingers(out: np.ndarray, image: np.ndarray, frame: FaceFrame, f: np.ndarray, big: bool) -> None:
    """A hand laid on the subject's right cheek, fingers up: rounded fingers with shading across each one,
    dark creases and gaps between them, and the fine texture of the person's own (other) cheek.

    A harder and more hand-like drawing than ``hand``'s flat ellipse: the cheek's real skin texture,
    no flat area, no noise of its own.
    """
    ied = frame.ied
    h, w = out.shape[:2]
    n, length, width = (3, 1.1, 0.25) if big else (2, 0.85, 0.23)
    gap = 0.03
    # Finger tips in a row under the eye, from beyond the face's edge towards the nose; the fingers come
    # from below and outside the face, fanning slightly.
    tip_v = f[41, 1] + (0.2 if big else 0.35)
    start_u = f[2, 0] - (0.05 if big else -0.05)
    tips = [np.array([start_u + i * (width + gap) + width / 2, tip_v + 0.05 * abs(i - 1)]) for i in range(n)]
    bases = [t + np.array([-0.3 + 0.08 * i, length]) for i, t in enumerate(tips)]
    tips_px = [frame.to_photo(t[None])[0] for t in tips]
    bases_px = [frame.to_photo(b[None])[0] for b in bases]
    pts = np.concatenate([tips_px, bases_px])
    x0, y0 = np.floor(pts.min(axis=0) - width * ied).astype(int)
    x1, y1 = np.ceil(pts.max(axis=0) + width * ied).astype(int)
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if x1 <= x0 or y1 <= y0:
        return
    ys, xs = np.mgrid[y0:y1, x0:x1]
    xy = np.stack([xs, ys], axis=-1).astype(np.float64) + 0.5
    half = width * ied / 2
    shade = np.zeros(xy.shape[:2])
    covered = np.zeros(xy.shape[:2], bool)
    near = np.zeros(xy.shape[:2], bool)
    for a, b in zip(bases_px, tips_px):
        d, _ = _segment_distance(xy, a, b)
        inside = d <= half
        # Round across the finger: lit in the middle, darker towards its sides.
        shade = np.where(inside, np.maximum(shade, 0.72 + 0.28 * np.cos(0.5 * np.pi * d / half)), shade)
        covered |= inside
        near |= d <= half + gap * ied * 1.2
    # Gaps between fingers show the cheek in the hand's shadow.
    gaps = near & ~covered
    # The fine texture of real skin: the other cheek's luminance minus its blur, tiled over the hand.
    cx, cy = np.round(frame.to_photo(np.array([[0.45, 0.55]]))[0]).astype(int)
    r = max(4, int(0.18 * ied))
    patch = image[max(0, cy - r):min(h, cy + r), max(0, cx - r):min(w, cx + r)].astype(np.float64)
    if patch.size == 0:
        patch = np.full((8, 8, 3), 128.0)
    luma = patch.mean(axis=2)
    detail = luma - cv2.GaussianBlur(luma, (0, 0), 2.0)
    tiled = np.tile(detail[::-1, ::-1], (int(np.ceil((y1 - y0) / detail.shape[0])) + 1,
                                         int(np.ceil((x1 - x0) / detail.shape[1])) + 1))[:y1 - y0, :x1 - x0]
    skin = skin_colour(image, frame) * np.array([1.0, 0.93, 0.9])   # a hand: a little redder, in shade
    region = out[y0:y1, x0:x1].astype(np.float64)
    hand = skin[None, None, :] * shade[..., None] + tiled[..., None]
    region = np.where(covered[..., None], hand, region)
    region = np.where(gaps[..., None], region * 0.45, region)
    soft = cv2.GaussianBlur((covered | gaps).astype(np.float64), (0, 0), 0.6)[..., None]
    original = out[y0:y1, x0:x1].astype(np.float64)
    out[y0:y1, x0:x1] = np.clip(soft * region + (1 - soft) * original, 0, 255).astype(np.uint8)


def occluder_mask(image_shape: tuple[int, ...], landmarks68: np.ndarray, kind: str, size: str = "small") -> np.ndarray:
    """The pixels an occluder of ``kind`` covers on a photo of ``image_shape`` (bool, H x W)."""
    blank = np.full((image_shape[0], image_shape[1], 3), 255, np.uint8)
    return (draw_occluder(blank, landmarks68, kind, size) != 255).any(axis=2)


def occluded_regions(image_shape: tuple[int, ...], landmarks68: np.ndarray, kind: str,
                     size: str = "small") -> tuple[str, ...]:
    """The kind's TARGETS plus every facial region the occluder covers at least MOSTLY_COVERED of."""
    from plq_desktop.core.face.regions import FACE_REGIONS, face_regions
    covered = occluder_mask(image_shape, landmarks68, kind, size)
    masks = face_regions(landmarks68, image_shape).masks(np.eye(2, 3), tuple(image_shape[:2]))
    mostly = [r for r in FACE_REGIONS if masks[r].any() and covered[masks[r]].mean() >= MOSTLY_COVERED]
    return TARGETS[kind] + tuple(r for r in mostly if r not in TARGETS[kind])
