"""`plq analyze` end to end on real photos and on bad input."""

import json
import subprocess
import sys

import cv2
import numpy as np
import pytest
from PIL import Image

from plq_desktop.cli import main
from plq_desktop.core.io.report import load_plq_map
from plq_desktop.core.io.samples import sample_path


@pytest.fixture(scope="module")
def photo_folder(tmp_path_factory):
    """A folder as an officer might have it: good photos, odd formats and broken files."""
    folder = tmp_path_factory.mktemp("photos")
    hopper = Image.open(sample_path("grace_hopper"))
    hopper.save(folder / "hopper.jpg")
    hopper.convert("L").save(folder / "hopper_grey.png")
    rgba = hopper.convert("RGBA")
    rgba.putalpha(200)
    rgba.save(folder / "hopper_rgba.png")
    deep = (np.asarray(hopper.convert("L"), dtype=np.uint16) * 257)
    cv2.imwrite(str(folder / "hopper_16bit.png"), deep)
    (folder / "notes.jpg").write_text("this is not an image")
    Image.fromarray(np.full((200, 200, 3), 90, np.uint8)).save(folder / "wall.png")
    return folder


def test_analyze_folder_writes_outputs_and_reports_bad_files(photo_folder, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["analyze", str(photo_folder), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1, "bad files in the batch make the exit code non-zero"
    assert "notes.jpg" in err and "Traceback" not in err
    assert "wall.png: no face found" in err
    qualities = {}
    for stem in ("hopper", "hopper_grey", "hopper_rgba", "hopper_16bit"):
        report = json.loads((out / f"{stem}.json").read_text())
        assert report["width"] == 512 and report["height"] == 600
        assert report["model"] == "dlib-resnet"
        (face,) = report["faces"]
        qualities[stem] = face["quality"]
        assert len(face["landmarks"]) == 68
        regions = face["region_pixel_quality"]
        assert {"left_eye", "right_eye", "nose", "mouth"} <= set(regions)
        # Each region's map varies: its low quantile lies below its mean.
        assert all(r["low"] < r["mean"] for r in regions.values())
        plq_map = load_plq_map(out / f"{stem}.plq.npz")
        assert plq_map.shape == (600, 512)
        inside = ~np.isnan(plq_map)
        x0, y0, x1, y1 = (int(v) for v in face["box"])
        assert inside[(y0 + y1) // 2, (x0 + x1) // 2], "the face centre is analysed"
        assert not inside[5, 5], "the photo corner is outside the analysed area"
        overlay = cv2.imread(str(out / f"{stem}.plq.png"))
        assert overlay.shape[0] == 600 and overlay.shape[1] > 512, "photo plus legend"
    assert not (out / "notes.json").exists() and not (out / "wall.json").exists()
    # The same greyscale pixels in 8 and 16 bits give the same face quality.
    assert qualities["hopper_16bit"] == pytest.approx(qualities["hopper_grey"], abs=2e-3), qualities


def test_grey_and_colour_versions_get_similar_quality(photo_folder, tmp_path):
    out = tmp_path / "out"
    main(["analyze", str(photo_folder / "hopper_grey.png"), str(photo_folder / "hopper_16bit.png"), "--out", str(out)])
    grey = json.loads((out / "hopper_grey.json").read_text())["faces"][0]["quality"]
    deep = json.loads((out / "hopper_16bit.json").read_text())["faces"][0]["quality"]
    assert deep == pytest.approx(grey, abs=0.02), "16-bit input is scaled to the same 8-bit picture"


def test_same_stem_in_two_folders_does_not_overwrite(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        Image.open(sample_path("grace_hopper")).save(tmp_path / sub / "photo.jpg")
    out = tmp_path / "out"
    assert main(["analyze", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(out)]) == 0
    assert (out / "photo.json").exists() and (out / "photo-2.json").exists()


def test_console_script_runs_on_a_sample(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "plq_desktop.cli", "analyze", "--sample", "t1", "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "t1.json").read_text())
    assert len(report["faces"]) == 6


def test_missing_file_and_unknown_model_give_one_line_messages(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "nope.jpg"), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "nope.jpg" in err and len(err.strip().splitlines()) == 1
    with pytest.raises(SystemExit):
        main(["analyze", "x.jpg", "--model", "no-such-model"])


def test_core_never_imports_qt():
    code = ("import sys, plq_desktop.core, plq_desktop.core.io.report, plq_desktop.cli; "
            "sys.exit(any(m.startswith(('PySide6', 'PyQt', 'pyqtgraph')) for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
