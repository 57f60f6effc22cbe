"""Loading real photos in every shape a file can take, and refusing bad files with one clear line."""

import pickle
import struct
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image

from plq_desktop.core.io.images import (
    IMAGE_SUFFIXES,
    ImageLoadError,
    load_image,
    to_rgb_uint8,
)
from plq_desktop.core.io.samples import sample_path


@pytest.fixture(scope="module")
def hopper() -> np.ndarray:
    return load_image(sample_path("grace_hopper"))


@pytest.fixture(scope="module")
def detector():
    from plq_desktop.core.face.detection import DlibHogDetector
    return DlibHogDetector()


def _canonical(image: np.ndarray) -> bool:
    return image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3 and image.flags.c_contiguous


def test_real_jpeg_and_png_load_as_rgb_uint8():
    t1 = load_image(sample_path("t1"))
    assert t1.shape == (886, 1280, 3) and _canonical(t1)
    astronaut = load_image(sample_path("astronaut"))
    assert astronaut.shape == (512, 512, 3) and _canonical(astronaut)
    # Same pixels as Pillow's own RGB decode.
    assert np.array_equal(t1, np.asarray(Image.open(sample_path("t1")).convert("RGB")))


def test_exif_orientation_is_applied(tmp_path, hopper, detector):
    # Store the portrait lying on its side (rotated 90 degrees counter-clockwise)
    # with orientation 6, "rotate 90 degrees clockwise to display".
    sideways = np.ascontiguousarray(np.rot90(hopper, 1))
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "sideways.jpg"
    Image.fromarray(sideways).save(path, quality=95, exif=exif)
    assert np.asarray(Image.open(path)).shape == (512, 600, 3)   # as stored: transposed

    upright = load_image(path)
    assert upright.shape == hopper.shape == (600, 512, 3)
    assert np.abs(upright.astype(int) - hopper).mean() < 3        # only JPEG loss
    faces = detector.detect(upright)
    assert len(faces) == 1
    eyes_y = faces[0].landmarks68[36:48, 1].mean()
    mouth_y = faces[0].landmarks68[48:68, 1].mean()
    assert eyes_y < mouth_y


def test_greyscale_is_replicated(tmp_path, hopper):
    grey = cv2.cvtColor(hopper, cv2.COLOR_RGB2GRAY)
    path = tmp_path / "grey.png"
    Image.fromarray(grey, mode="L").save(path)
    loaded = load_image(path)
    assert _canonical(loaded) and loaded.shape == hopper.shape
    assert all(np.array_equal(loaded[:, :, c], grey) for c in range(3))


def test_rgba_is_composited_onto_white(tmp_path, hopper):
    alpha = np.full(hopper.shape[:2], 255, np.uint8)
    alpha[:100] = 0           # fully transparent band
    alpha[100:200] = 128      # half transparent band
    path = tmp_path / "rgba.png"
    Image.fromarray(np.dstack([hopper, alpha]), mode="RGBA").save(path)
    loaded = load_image(path)
    assert _canonical(loaded)
    assert (loaded[:100] == 255).all()
    half = (hopper[100:200].astype(int) * 128 + 255 * 127 + 127) // 255
    assert np.abs(loaded[100:200].astype(int) - half).max() <= 1
    assert np.array_equal(loaded[200:], hopper[200:])


def test_grey_alpha_and_palette_transparency(tmp_path, hopper):
    grey = cv2.cvtColor(hopper, cv2.COLOR_RGB2GRAY)
    alpha = np.full(grey.shape, 255, np.uint8)
    alpha[:50] = 0
    la_path = tmp_path / "la.png"
    Image.fromarray(np.dstack([grey, alpha]), mode="LA").save(la_path)
    loaded = load_image(la_path)
    assert (loaded[:50] == 255).all() and np.array_equal(loaded[50:, :, 1], grey[50:])

    palette = Image.fromarray(hopper).quantize(64)
    index = np.asarray(palette)[0, 0]
    gif_path = tmp_path / "palette.gif"
    palette.save(gif_path, transparency=int(index))
    loaded = load_image(gif_path)
    assert _canonical(loaded)
    assert (loaded[np.asarray(palette) == index] == 255).all()


def test_16_bit_png_and_tiff_are_scaled_by_their_range(tmp_path, hopper):
    grey = cv2.cvtColor(hopper, cv2.COLOR_RGB2GRAY)
    full = grey.astype(np.uint16) * 257                     # full 16-bit range
    twelve_bit = (grey.astype(np.uint16) << 4) | 0xF        # 12-bit data in a 16-bit container
    for name, data in [("full.png", full), ("full.tif", full), ("twelve.png", twelve_bit)]:
        path = tmp_path / name
        Image.fromarray(data).save(path)
        assert Image.open(path).mode.startswith("I")        # really stored as 16 bits
        loaded = load_image(path)
        assert _canonical(loaded)
        assert np.abs(loaded[:, :, 0].astype(int) - grey).max() <= 1, name


def test_16_bit_colour_png(tmp_path, hopper):
    path = tmp_path / "rgb48.png"
    cv2.imwrite(str(path), cv2.cvtColor(hopper, cv2.COLOR_RGB2BGR).astype(np.uint16) * 257)
    assert np.abs(load_image(path).astype(int) - hopper).max() <= 1


def test_cmyk_jpeg(tmp_path, hopper):
    path = tmp_path / "cmyk.jpg"
    Image.fromarray(hopper).convert("CMYK").save(path, quality=95)
    loaded = load_image(path)
    assert _canonical(loaded)
    assert np.abs(loaded.astype(int) - hopper).mean() < 3


@pytest.mark.parametrize("suffix, options", [
    (".png", {}), (".bmp", {}), (".tif", {}), (".webp", {"lossless": True}), (".jp2", {}), (".ppm", {}),
])
def test_lossless_formats_round_trip(tmp_path, hopper, suffix, options):
    path = tmp_path / f"hopper{suffix}"
    Image.fromarray(hopper).save(path, **options)
    assert suffix in IMAGE_SUFFIXES
    assert np.array_equal(load_image(path), hopper)


def test_opencv_reads_what_pillow_cannot(tmp_path, hopper):
    # Radiance HDR: float RGB, which Pillow does not identify.
    path = tmp_path / "hopper.hdr"
    cv2.imwrite(str(path), cv2.cvtColor(hopper, cv2.COLOR_RGB2BGR).astype(np.float32) / 255)
    loaded = load_image(path)
    assert _canonical(loaded) and loaded.shape == hopper.shape
    assert np.abs(loaded.astype(int) - hopper).mean() < 2


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_huge_header_is_refused_before_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(50000, 50000))
    with pytest.raises(ImageLoadError) as info:
        load_image(path)
    # Refused from the header: the message gives the size read there (the file holds 64 bytes of
    # pixels, so a decoder would have failed on the data instead).
    message = str(info.value)
    assert "\n" not in message and "bomb.png" in message
    assert "is 50000 x 50000 pixels (2500 MP); the limit is 100 MP" in message


def test_limit_applies_to_real_photos_too():
    with pytest.raises(ImageLoadError, match=r"is 1280 x 886 pixels \(1\.1 MP\); the limit is 1 MP"):
        load_image(sample_path("t1"), max_pixels=1_000_000)
    assert load_image(sample_path("t1"), max_pixels=1_134_080).shape == (886, 1280, 3)


def test_bad_files_give_one_line_reasons(tmp_path):
    not_image = tmp_path / "notes.jpg"
    not_image.write_text("this is not a photo")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    data = sample_path("t1").read_bytes()
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(data[: len(data) // 2])
    cases = {
        tmp_path / "missing.jpg": "does not exist",
        tmp_path: "folder",
        not_image: "not an image",
        empty: "empty",
        truncated: "truncated",
    }
    for path, reason in cases.items():
        with pytest.raises(ImageLoadError) as info:
            load_image(path)
        message = str(info.value)
        assert reason in message and str(path) in message and "\n" not in message
        # No library traceback chained underneath.
        assert info.value.__context__ is None or info.value.__suppress_context__
        assert str(pickle.loads(pickle.dumps(info.value))) == message


def test_to_rgb_uint8_normalises_camera_frames():
    grey = np.array([[0, 128, 255]], np.uint8)
    assert to_rgb_uint8(grey).tolist() == [[[0, 0, 0], [128, 128, 128], [255, 255, 255]]]
    assert to_rgb_uint8(grey[:, :, None]).shape == (1, 3, 3)
    assert to_rgb_uint8(np.array([[0, 32768, 65535]], np.uint16))[0, :, 0].tolist() == [0, 128, 255]
    assert to_rgb_uint8(np.array([[0, 2048, 4095]], np.uint16))[0, :, 0].tolist() == [0, 128, 255]
    assert to_rgb_uint8(np.array([[0.0, 0.5, 1.0, 2.0, np.nan]], np.float32))[0, :, 0].tolist() == [0, 128, 255, 255, 0]
    assert to_rgb_uint8(np.array([[True, False]]))[0, :, 0].tolist() == [255, 0]
    rgba = np.array([[[10, 20, 30, 0], [10, 20, 30, 255]]], np.uint8)
    assert to_rgb_uint8(rgba).tolist() == [[[255, 255, 255], [10, 20, 30]]]
    grey_alpha = np.array([[[0, 0], [0, 65535]]], np.uint16)
    assert to_rgb_uint8(grey_alpha).tolist() == [[[255, 255, 255], [0, 0, 0]]]
    bgr_view = np.zeros((4, 6, 3), np.uint8)[:, ::2]
    assert to_rgb_uint8(bgr_view).flags.c_contiguous
    with pytest.raises(ValueError):
        to_rgb_uint8(np.zeros((4, 4, 5), np.uint8))


def test_image_suffixes_are_lower_case_with_a_dot():
    assert {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".jp2"} <= IMAGE_SUFFIXES
    assert all(s.startswith(".") and s == s.lower() for s in IMAGE_SUFFIXES)
