"""Reading photos into one canonical form: H x W x 3 uint8 RGB, C-contiguous.

Everything downstream (detection, alignment, the networks, the maps) assumes
that form, so every oddity of real files is settled here: EXIF orientation,
greyscale, transparency, 16-bit samples, CMYK. Failures surface as
``ImageLoadError`` with a one-line message an officer can read, never as a
decoder traceback.
"""

from __future__ import annotations

import io
import os
import struct
import warnings
from pathlib import Path
from typing import Callable

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

# Suffixes tried when walking folders (lower case, with the dot).
IMAGE_SUFFIXES = frozenset({
    ".jpg", ".jpeg", ".jpe", ".jfif",
    ".png", ".bmp", ".dib", ".tif", ".tiff", ".webp",
    ".jp2", ".j2k", ".j2c", ".jpf", ".jpx",
    ".pbm", ".pgm", ".ppm", ".pnm", ".gif",
})

DEFAULT_MAX_PIXELS = 100_000_000


class ImageLoadError(Exception):
    """A file that cannot be used as a photo; ``str()`` is a one-line message naming it."""

    def __init__(self, path: str | os.PathLike, reason: str):
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"Cannot load {self.path}: {reason}")

    def __reduce__(self):
        # Picklable for process pools: the default would call __init__ with the message only.
        return type(self), (self.path, self.reason)


def load_image(path: str | os.PathLike, max_pixels: int = DEFAULT_MAX_PIXELS,
               note: Callable[[str], None] | None = None) -> np.ndarray:
    """Read a photo as H x W x 3 uint8 RGB, upright as its EXIF orientation says.

    Pillow reads the common formats; OpenCV takes over for formats Pillow
    does not identify or has no codec for. Images over ``max_pixels`` are
    refused from their header, before any pixel is decoded (on the OpenCV
    path only OpenCV's own limit of 2^30 pixels applies while decoding, and
    ours right after). Samples go through ``to_rgb_uint8``, except that
    Pillow itself reduces 16-bit colour (not greyscale) to its high byte.

    Multi-page TIFFs and animated GIF/PNG/WebP files give their first frame;
    ``note`` (when given) receives a one-line message saying so.
    """
    path = Path(path)
    if not path.exists():
        if path.is_symlink():
            raise ImageLoadError(path, f"it is a broken symbolic link (to {os.readlink(path)}, which does not exist)")
        raise ImageLoadError(path, "the file does not exist")
    if path.is_dir():
        raise ImageLoadError(path, "it is a folder, not an image")
    try:
        image = _open_with_pillow(path)
    except PermissionError:
        raise ImageLoadError(path, "permission denied") from None
    except UnidentifiedImageError:
        image = None
    except OSError as exc:
        raise ImageLoadError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if image is None:
        if path.stat().st_size == 0:
            raise ImageLoadError(path, "the file is empty")
        return _load_with_opencv(path, max_pixels)

    with image:
        _check_size(path, image.size, max_pixels)
        frames = getattr(image, "n_frames", 1)
        if frames > 1 and note is not None:
            what = "pages" if image.format in ("TIFF", "MPO") else "frames"
            note(f"{path}: {image.format or 'the file'} with {frames} {what}; the first is used")
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
            return to_rgb_uint8(_pillow_to_array(upright))
        except _UnsupportedMode as exc:
            raise ImageLoadError(path, str(exc)) from None
        except MemoryError:
            raise ImageLoadError(path, "not enough memory to decode it") from None
        # Pillow reports damage through many exception types (OSError for
        # truncation, SyntaxError for broken chunks, ValueError, struct.error...);
        # at this point any of them means the file's pixel data is unusable.
        except Exception as exc:  # noqa: BLE001
            if not _missing_codec(exc):
                raise ImageLoadError(path, f"the file is damaged or truncated ({exc})") from None
    # Pillow knows the container but was built without its codec (JPEG 2000, WebP, AVIF).
    return _load_with_opencv(path, max_pixels)


def to_rgb_uint8(array: np.ndarray) -> np.ndarray:
    """Normalise an in-memory image to H x W x 3 uint8 RGB (C-contiguous).

    Accepts H x W greyscale, H x W x 1/2/3/4 (grey, grey + alpha, RGB, RGBA)
    in channel order R, G, B(, A). Integer samples wider than 8 bits are
    scaled by the range they really use: the smallest 2^k - 1 (k >= 8) that
    holds the brightest colour sample, since 10-, 12- and 14-bit data often
    sits in 16-bit containers; a full-range 16-bit image thus maps 65535 to
    255 (like ``>> 8``). Floats are taken as 0..1, booleans as 0/1. Alpha
    (full container range for integers) is composited onto white, the usual
    passport background. An array that already is H x W x 3 uint8 and
    C-contiguous comes back as itself, not a copy.
    """
    a = np.asarray(array)
    if a.ndim == 2:
        a = a[:, :, None]
    if a.ndim != 3 or a.shape[2] not in (1, 2, 3, 4) or a.shape[0] == 0 or a.shape[1] == 0:
        raise ValueError(f"expected an H x W or H x W x 1..4 image array, got shape {a.shape}")
    if a.dtype == np.uint8 and a.shape[2] in (1, 3):
        # The common case needs no arithmetic.
        return np.ascontiguousarray(np.repeat(a, 3, axis=2) if a.shape[2] == 1 else a)
    has_alpha = a.shape[2] in (2, 4)
    colour = a[:, :, :-1] if has_alpha else a
    if a.dtype == np.uint8:
        # 8-bit with alpha: integer compositing (no overflow: the sum stays <= 255 * 255 + 127)
        # keeps big RGBA PNGs from needing float copies.
        alpha = a[:, :, -1:].astype(np.uint16)
        out = ((colour * alpha + 255 * (255 - alpha) + 127) // 255).astype(np.uint8)
    else:
        rgb = _to_unit_range(colour, _colour_range(colour))
        if has_alpha:
            alpha = _to_unit_range(a[:, :, -1:], _alpha_range(a.dtype))
            rgb = rgb * alpha + (1.0 - alpha)
        out = np.rint(rgb * 255.0).astype(np.uint8)
    return np.ascontiguousarray(np.repeat(out, 3, axis=2) if out.shape[2] == 1 else out)


# -- Pillow -----------------------------------------------------------------

class _UnsupportedMode(Exception):
    pass


def _open_with_pillow(path: Path) -> Image.Image:
    """``Image.open`` with Pillow's fixed decompression-bomb limit replaced by ours.

    Pillow refuses headers over 2 x ``Image.MAX_IMAGE_PIXELS`` before telling
    the size; for those we identify the header through Pillow's format
    registry ourselves, so the caller can report the real dimensions (or
    accept the image when its own ``max_pixels`` is higher).
    """
    try:
        # Pillow's warning between 1x and 2x its limit is noise: max_pixels decides.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(path)
    except Image.DecompressionBombError:
        pass
    data = path.read_bytes()
    Image.init()
    for fmt in Image.ID:
        factory, accept = Image.OPEN[fmt]
        accepted = accept is None or accept(data[:16])
        if not accepted or isinstance(accepted, str):  # a str is Pillow's "almost, but no" warning
            continue
        try:
            return factory(io.BytesIO(data), os.fspath(path))
        except (SyntaxError, IndexError, TypeError, struct.error):
            continue
    raise UnidentifiedImageError(os.fspath(path))


def _pillow_to_array(image: Image.Image) -> np.ndarray:
    """Pillow image -> array that ``to_rgb_uint8`` understands (grey/RGB +- alpha, any depth)."""
    mode = image.mode
    if mode in ("P", "PA", "RGBa") or (mode in ("L", "RGB") and "transparency" in image.info):
        # Palette and single-colour transparency become a real alpha channel.
        image = image.convert("RGBA")
    elif not (mode in ("1", "L", "LA", "RGB", "RGBA", "I", "F") or mode.startswith("I;16")):
        try:
            # CMYK, YCbCr, LAB, HSV: Pillow knows the conversion.
            image = image.convert("RGB")
        except ValueError:
            raise _UnsupportedMode(f"its colour mode {mode!r} is not supported") from None
    return np.asarray(image)


# -- OpenCV -----------------------------------------------------------------

def _load_with_opencv(path: Path, max_pixels: int) -> np.ndarray:
    # np.fromfile + imdecode instead of imread: imread cannot open non-ASCII paths on Windows.
    try:
        buffer = np.fromfile(path, dtype=np.uint8)
        decoded = cv2.imdecode(buffer, cv2.IMREAD_UNCHANGED)
    except cv2.error:
        decoded = None
    except MemoryError:
        raise ImageLoadError(path, "not enough memory to decode it") from None
    if decoded is None or decoded.size == 0:
        raise ImageLoadError(path, "not an image file (or a format neither Pillow nor OpenCV can read)")
    _check_size(path, (decoded.shape[1], decoded.shape[0]), max_pixels)
    if decoded.ndim == 3 and decoded.shape[2] >= 3:
        # OpenCV's channel order is BGR(A).
        order = [2, 1, 0, 3][: decoded.shape[2]]
        decoded = decoded[:, :, order]
    return to_rgb_uint8(decoded)


# -- helpers ----------------------------------------------------------------

def _check_size(path: Path, size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        limit = _megapixels(max_pixels)
        raise ImageLoadError(
            path, f"it is {width} x {height} pixels ({_megapixels(width * height, above=limit)} MP); "
            f"the limit is {limit} MP")


def _missing_codec(exc: Exception) -> bool:
    # Pillow's wording since PIL: OSError("decoder jpeg2k not available").
    message = str(exc)
    return isinstance(exc, OSError) and message.startswith("decoder ") and message.endswith(" not available")


def _megapixels(pixels: int, above: str | None = None) -> str:
    """Megapixels, short; with ``above`` (a shorter figure it exceeds) as many decimals as make it differ."""
    mp = pixels / 1e6
    text = f"{mp:.0f}" if mp >= 10 else f"{mp:.2g}"
    decimals = 0
    while above is not None and float(text) <= float(above) and decimals < 6:
        decimals += 1
        text = f"{mp:.{decimals}f}"
    return text


def _colour_range(colour: np.ndarray) -> float:
    """The value that means full brightness for these colour samples."""
    if colour.dtype == np.bool_:
        return 1.0
    if np.issubdtype(colour.dtype, np.floating):
        return 1.0
    brightest = int(colour.max())
    return float(2 ** max(8, brightest.bit_length()) - 1)


def _alpha_range(dtype: np.dtype) -> float:
    if np.issubdtype(dtype, np.integer):
        return float(np.iinfo(dtype).max)
    return 1.0


def _to_unit_range(values: np.ndarray, full: float) -> np.ndarray:
    scaled = values.astype(np.float32) / np.float32(full)
    return np.nan_to_num(np.clip(scaled, 0.0, 1.0), nan=0.0)
