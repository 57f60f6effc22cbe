"""Passport and token export: the exported file, analysed again, meets the ICAO geometry."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from plq_desktop.cli import main
from plq_desktop.core.analysis import analyze
from plq_desktop.core.face.regions import face_frame
from plq_desktop.core.icao.export import (
    EYE_LINE,
    HEAD_HEIGHT,
    LANDMARK_HEAD_MIN,
    TOKEN_EYE_Y,
    ExportError,
    export_photo,
)
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.passport import GEOMETRY_CHECKS, export_image
from plq_desktop.core.io.samples import sample_path


@pytest.fixture(scope="module")
def hopper():
    return load_image(sample_path("grace_hopper"))


def _assert_geometry_passes(report):
    assert set(report["geometry"]) == set(GEOMETRY_CHECKS)
    for name, g in report["geometry"].items():
        assert g["status"] == "passed", (name, g)
    assert report["geometry_passed"] is True


def test_passport_export_passes_geometry_on_reanalysis(hopper, dlib_model, tmp_path):
    # The source photo itself fails the crop geometry (head too small, eyes off centre).
    source = analyze(hopper, dlib_model)
    assert {"head_width", "head_height"} & {h.check for h in source.faces[0].hints}
    out = tmp_path / "passport.jpg"
    code = main(["export", str(sample_path("grace_hopper")), "--out", str(out), "--dpi", "150", "--device", "cpu"])
    assert code == 0
    report = json.loads(out.with_suffix(".json").read_text())
    _assert_geometry_passes(report)
    exported = Image.open(out)
    # 35 x 45 mm at 150 dpi, a downscale of the source, dpi in the file header.
    assert exported.size == (207, 266) == (report["export"]["width_px"], report["export"]["height_px"])
    assert round(exported.info["dpi"][0]) == 150
    assert report["export"]["scale"] < 1 and report["export"]["resolution_too_low"] is False
    # Measured again by our own landmarks. Her cap rises above the crown estimate: the whole head (chin to
    # the cap's top, found in the photo) gets the head-height target, the landmark head height (2 T) less.
    frame = face_frame(report["result"]["faces"][0]["landmarks"])
    assert report["export"]["head_top_from"] == "photo"
    assert report["export"]["targets"]["whole_head_height"] == pytest.approx(HEAD_HEIGHT, abs=0.01)
    assert LANDMARK_HEAD_MIN - 0.03 <= 2 * frame.eye_to_chin / 266 < HEAD_HEIGHT - 0.03
    assert (266 - frame.eye_mid[1]) / 266 == pytest.approx(EYE_LINE, abs=0.03)
    # The report describes the exported file: analysing that file again gives its quality.
    again = analyze(load_image(out), dlib_model).faces[0].quality
    assert report["result"]["faces"][0]["quality"] == pytest.approx(again, abs=0.02)


def test_low_resolution_is_never_enlarged_and_said(hopper, dlib_model, tmp_path, capsys):
    out = tmp_path / "p.png"
    code = main(["export", str(sample_path("grace_hopper")), "--out", str(out), "--device", "cpu"])  # 600 dpi
    err = capsys.readouterr().err
    assert code == 1, "a print below 300 dpi is reported as a failure"
    assert "supports only" in err and "resolution too low" in err and "Traceback" not in err
    report = json.loads(out.with_suffix(".json").read_text())
    assert report["export"]["scale"] <= 1.0 and report["export"]["upscaled"] is False
    assert report["export"]["effective_dpi"] < 300
    _assert_geometry_passes(report)


def test_tilted_real_photo_is_levelled(hopper, dlib_model, tmp_path):
    tilted = np.asarray(Image.fromarray(hopper).rotate(9, resample=Image.BICUBIC, fillcolor=(40, 60, 140)))
    before = analyze(tilted, dlib_model)
    assert "roll" in {h.check for h in before.faces[0].hints}
    outcome = export_image(tilted, dlib_model, tmp_path / "t.jpg", dpi=150, source=before)
    assert outcome.geometry_passed, outcome.geometry
    assert "roll" not in {h.check for h in outcome.result.faces[0].hints}


def test_token_format_puts_the_eyes_where_iso_19794_5_says(dlib_model, tmp_path):
    image = load_image(sample_path("grace_hopper"))
    outcome = export_image(image, dlib_model, tmp_path / "token.png", fmt="token")
    h, w = outcome.export.image.shape[:2]
    assert h == round(w / 0.75) and w >= 240 and not outcome.export.too_low
    frame = face_frame(outcome.result.faces[0].landmarks)
    assert frame.ied / w == pytest.approx(0.25, abs=0.015)
    assert (frame.eye_mid[0] + 0.5) / w == pytest.approx(0.5, abs=0.015)
    assert (frame.eye_mid[1] + 0.5) / w == pytest.approx(TOKEN_EYE_Y, abs=0.015)
    assert outcome.geometry_passed, outcome.geometry


def test_bad_input_gets_one_line(tmp_path, capsys):
    (tmp_path / "x.jpg").write_text("no image")
    assert main(["export", str(tmp_path / "x.jpg"), "--out", str(tmp_path / "o.jpg")]) == 1
    assert main(["export", str(sample_path("grace_hopper")), "--out", str(tmp_path / "o.gif")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 2
    with pytest.raises(ExportError):
        export_photo(np.zeros((10, 10, 3), np.uint8), np.zeros((5, 2)))


def _marked_png(path, marker: str, compressed: bool) -> bytes:
    """A real portrait saved as PNG with the what-if marker as a text field."""
    from PIL.PngImagePlugin import PngInfo

    from plq_desktop.core.plq.whatif import SIMULATION_KEY
    info = PngInfo()
    info.add_text(SIMULATION_KEY, marker, zip=compressed)
    Image.open(sample_path("grace_hopper")).convert("RGB").save(path, pnginfo=info)
    return path.read_bytes()


def test_export_refuses_a_file_whose_what_if_marker_cannot_be_read(tmp_path, capsys):
    """Fail closed: a what-if PNG with a damaged marker is still a simulation, never exported."""
    import struct
    import zlib

    from plq_desktop.core.plq.whatif import is_simulation_file

    # The marker's text field with a broken checksum: Pillow gives up on the file, OpenCV still reads the photo.
    bad_crc = tmp_path / "bad_crc.png"
    data = bytearray(_marked_png(bad_crc, "true", compressed=False))
    at = data.find(b"tEXt")
    length = struct.unpack(">I", data[at - 4:at])[0]
    data[at + 4 + length] ^= 0xFF
    bad_crc.write_bytes(bytes(data))
    # The marker compressed, its stream damaged (the checksum made right): Pillow reads it as "".
    bad_zip = tmp_path / "bad_zip.png"
    data = bytearray(_marked_png(bad_zip, "true", compressed=True))
    at = data.find(b"zTXt")
    length = struct.unpack(">I", data[at - 4:at])[0]
    payload = bytearray(data[at + 4:at + 4 + length])
    payload[-3] ^= 0xFF
    data[at + 4:at + 4 + length] = payload
    data[at + 4 + length:at + 8 + length] = struct.pack(">I", zlib.crc32(b"zTXt" + bytes(payload)))
    bad_zip.write_bytes(bytes(data))

    for path in (bad_crc, bad_zip):
        assert load_image(path).shape[:2] == (600, 512), "the photo itself is readable"
        assert is_simulation_file(path)
        out = tmp_path / f"{path.stem}.passport.jpg"
        assert main(["export", str(path), "--out", str(out), "--device", "cpu"]) == 1
        err = capsys.readouterr().err
        assert "what-if" in err and "not exported" in err, err
        assert not out.exists()
    # A readable marker that says "false" and a photo without one are cleared and exported.
    cleared = tmp_path / "cleared.png"
    _marked_png(cleared, "false", compressed=True)
    assert not is_simulation_file(cleared)


FACES_DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "faces-dev"


@pytest.mark.parametrize("name", ["angry.jpg", "disgusted.jpg"])
def test_passport_keeps_tall_hair_inside_the_frame(name, dlib_model, tmp_path):
    """Real portraits whose hair rises above the crown estimate (spiky hair, an afro) on a plain wall:
    the exported passport shows the whole head, with a margin above the hair, within the ICAO range."""
    from plq_desktop.core.face.head_top import find_head_top
    from plq_desktop.core.icao.export import HEAD_TOP_MARGIN, WHOLE_HEAD_RANGE

    photo = FACES_DEV / "faceapi" / name
    if not photo.is_file():
        pytest.skip(f"{photo} is absent (the developers' face set, ../shared/data/faces-dev)")
    source = load_image(photo)
    landmarks = analyze(source, dlib_model).faces[0].landmarks
    frame = face_frame(landmarks)
    top = find_head_top(source, landmarks)
    assert top is not None and not top.touches_edge
    assert top.above_eyes > 1.05 * frame.eye_to_chin, "the hair rises above the crown estimate"

    out = tmp_path / "passport.jpg"
    outcome = export_image(source, dlib_model, out, dpi=150, source_path=str(photo))
    assert outcome.geometry_passed, outcome.geometry
    # Measured again on the exported file, independently: row by row, the wall's colour near both sides;
    # the hair's top is the first row whose middle differs from it; the chin from the file's landmarks.
    exported = load_image(out).astype(np.float64)
    h, w = exported.shape[:2]
    sides = np.concatenate([exported[:, int(0.05 * w):int(0.15 * w)], exported[:, int(0.85 * w):int(0.95 * w)]], 1)
    middle = exported[:, int(0.4 * w):int(0.6 * w)].mean(axis=1)
    hair_y = int(np.argmax(np.linalg.norm(middle - np.median(sides, axis=1), axis=1) > 40))
    assert hair_y >= (HEAD_TOP_MARGIN - 0.015) * h, f"the hair is {hair_y} px from the top edge of {h}"
    chin_y = analyze(exported.astype(np.uint8), dlib_model).faces[0].landmarks[8][1]
    whole = (chin_y - hair_y) / h
    assert WHOLE_HEAD_RANGE[0] - 0.03 <= whole <= WHOLE_HEAD_RANGE[1] + 0.03, whole
    assert json.loads(out.with_suffix(".json").read_text())["export"]["head_top_from"] == "photo"


@pytest.mark.parametrize("fmt", ["passport", "token"])
def test_an_export_partly_outside_the_photo_exits_1_in_both_formats(fmt, hopper, tmp_path, capsys):
    """One rule: edge pixels repeated over more than a sliver of the image is a fallback, exit 1."""
    tight = tmp_path / "tight.png"
    Image.fromarray(hopper[60:420, 90:440]).save(tight)       # the cap and the chin close to the edges
    out = tmp_path / f"{fmt}.png"
    code = main(["export", str(tight), "--out", str(out), "--format", fmt, "--device", "cpu"])
    err = capsys.readouterr().err
    report = json.loads(out.with_suffix(".json").read_text())
    assert report["export"]["padded_share"] > 0.02
    assert "outside the photo" in err and code == 1
