"""The ``plq`` command line as a new user meets it: one-line messages, exit codes, Ctrl-C, summaries.

Everything runs through the real entry point in a subprocess (``python -m
plq_desktop.cli``), so exit codes, stderr and signals are the ones a shell sees.
"""

import json
import os
import signal
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from plq_desktop.cli.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_MODEL_MISSING,
    EXIT_OK,
    EXIT_USAGE,
)
from plq_desktop.core.io.samples import sample_path

ROOT = Path(__file__).resolve().parents[1]


def plq(*args, timeout=300, **kwargs) -> subprocess.CompletedProcess:
    env = dict(kwargs.pop("env", os.environ), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "plq_desktop.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=kwargs.pop("cwd", None), **kwargs)


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def hopper_photo(path: Path) -> Path:
    Image.open(sample_path("grace_hopper")).save(path)
    return path


def big_png_header(path: Path, width: int, height: int) -> Path:
    """A valid 1-bit PNG of width x height (all black): a few kB on disk, refused from its header."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\0" * (1 + (width + 7) // 8)
    pixels = zlib.compressobj(9)
    body = b"".join(pixels.compress(row) for _ in range(height)) + pixels.flush()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
                     + chunk(b"IDAT", body) + chunk(b"IEND", b""))
    return path


# -- the output folder, checked before any work -------------------------------------------

def test_out_that_is_an_existing_file(tmp_path):
    photo = hopper_photo(tmp_path / "p.jpg")
    target = tmp_path / "report.txt"
    target.write_text("keep me")
    proc = plq("analyze", photo, "--out", target)
    assert proc.returncode == EXIT_USAGE
    line = one_line(proc.stderr)
    assert str(target) in line and "existing file" in line
    assert target.read_text() == "keep me"


def test_out_that_cannot_be_created(tmp_path):
    photo = hopper_photo(tmp_path / "p.jpg")
    (tmp_path / "afile").write_text("")
    target = tmp_path / "afile" / "out"
    proc = plq("analyze", photo, "--out", target)
    assert proc.returncode == EXIT_USAGE
    line = one_line(proc.stderr)
    assert str(target) in line and "cannot be created" in line and "not a folder" in line


def test_out_that_is_read_only(tmp_path):
    photo = hopper_photo(tmp_path / "p.jpg")
    target = tmp_path / "locked"
    target.mkdir()
    # Root writes through permission bits; an immutable folder stops it too.
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(target)], capture_output=True).returncode != 0:
            pytest.skip("running as root on a file system without chattr +i")
    else:
        target.chmod(0o555)
    try:
        proc = plq("analyze", photo, "--out", target)
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(target)], check=True)
        target.chmod(0o755)
    assert proc.returncode == EXIT_USAGE, proc.stderr
    line = one_line(proc.stderr)
    assert str(target) in line and "not writable" in line and "permission denied" in line
    assert list(target.iterdir()) == []


# -- a folder run: notes, failures, summary ---------------------------------------------------

def test_folder_run_notes_first_frames_and_ends_with_a_summary(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hopper = Image.open(sample_path("grace_hopper"))
    hopper.save(folder / "a_hopper.jpg")
    frames = [hopper.convert("P"), hopper.rotate(8).convert("P")]
    frames[0].save(folder / "b_animated.gif", save_all=True, append_images=frames[1:], duration=100)
    hopper.save(folder / "c_pages.tif", save_all=True, append_images=[hopper.rotate(5), hopper.rotate(-5)])
    (folder / "d_notes.jpg").write_text("not a photo")
    os.symlink(tmp_path / "gone.jpg", folder / "e_link.jpg")
    big_png_header(folder / "f_huge.png", 10001, 10000)
    out = tmp_path / "out"
    proc = plq("analyze", folder, "--out", out, "--device", "cpu")
    assert proc.returncode == EXIT_FAILED, proc.stderr
    assert "Traceback" not in proc.stderr
    err = proc.stderr
    assert "b_animated.gif: GIF with 2 frames; the first is used" in err
    assert "c_pages.tif: TIFF with 3 pages; the first is used" in err
    assert "e_link.jpg: it is a broken symbolic link" in err and "does not exist" in err
    assert "10001 x 10000 pixels (100.01 MP); the limit is 100 MP" in err
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary.startswith("6 photos, 3 faces, 3 failed: ")
    for name in ("d_notes.jpg (not an image file)", "e_link.jpg (a broken symbolic link)", "f_huge.png ("):
        assert name in summary
    for stem in ("a_hopper", "b_animated", "c_pages"):
        assert {p.name for p in out.glob(f"{stem}.*")} == {f"{stem}.json", f"{stem}.plq.npz", f"{stem}.plq.png"}


# -- Ctrl-C -----------------------------------------------------------------------------

def test_ctrl_c_stops_with_one_line_and_leaves_only_complete_sets(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        hopper_photo(folder / f"p{i}.jpg")
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    # A default SIGINT disposition even when the test runner itself ignores it (background jobs).
    proc = subprocess.Popen([sys.executable, "-m", "plq_desktop.cli", "analyze", str(folder), "--out", str(out),
                             "--device", "cpu"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        first = proc.stdout.readline()
        assert "p0.jpg: 1 face(s)" in first, first + proc.stderr.read()
        # p0 is written (its line comes after its files); the run is now in p1's analysis or writing.
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == EXIT_INTERRUPTED, stderr
    line = one_line(stderr)
    assert line.startswith("plq: interrupted: ") and " of 6 photos done" in line
    names = {p.name for p in out.iterdir()}
    assert not [n for n in names if n.startswith(".")], f"temporary files left: {names}"
    stems = {n.split(".")[0] for n in names}
    assert "p0" in stems and len(stems) < 6
    for stem in stems:
        assert {f"{stem}.json", f"{stem}.plq.npz", f"{stem}.plq.png"} <= names, names


def test_a_failed_write_leaves_no_partial_set(tmp_path, dlib_model):
    from plq_desktop.core.analysis import analyze
    from plq_desktop.core.io.images import load_image
    from plq_desktop.core.io.report import write_outputs

    image = load_image(sample_path("grace_hopper"))
    result = analyze(image, dlib_model)
    out = tmp_path / "out"
    write_outputs(result, image, out, "old")
    # The last of the three names is taken by a folder: its rename fails after the first two succeeded.
    (out / "photo.plq.png").mkdir(parents=True)
    with pytest.raises(OSError):
        write_outputs(result, image, out, "photo")
    assert sorted(p.name for p in out.iterdir()) == ["old.json", "old.plq.npz", "old.plq.png", "photo.plq.png"]


# -- the map file ----------------------------------------------------------------------------

def test_map_file_is_compact_and_loads_back_exactly(tmp_path, dlib_model):
    import cv2

    from plq_desktop.core.analysis import analyze
    from plq_desktop.core.io.images import load_image
    from plq_desktop.core.io.report import load_plq_map, read_plq_map, write_outputs

    small = load_image(sample_path("t1"))
    # The same faces on a 4x larger photo (5120 x 3544, 18 MP): the file must not grow with the photo.
    large = cv2.resize(small, None, fx=4, fy=4, interpolation=cv2.INTER_CUBIC)
    sizes = []
    for name, image in (("small", small), ("large", large)):
        result = analyze(image, dlib_model)
        json_path, map_path, _ = write_outputs(result, image, tmp_path, name)
        sizes.append(map_path.stat().st_size)
        full = load_plq_map(map_path)
        assert full.shape == image.shape[:2] and full.dtype == np.float32
        np.testing.assert_array_equal(full, result.plq_map)   # NaN where no face, equal elsewhere
        stored = read_plq_map(map_path)
        assert stored.model == "dlib-resnet" and len(stored.faces) == len(result.faces) == 6
        for face, res in zip(stored.faces, result.faces):
            np.testing.assert_array_equal(face.chip_plq, res.chip_plq)
            np.testing.assert_array_equal(face.to_image(image.shape[:2]), res.plq_map)
        assert len(json.loads(json_path.read_text())["faces"]) == 6
    assert sizes[0] < 1_000_000 and sizes[1] < 1.2 * sizes[0], sizes
    # The naive float32 photo-sized array of the large photo would be 72 MB.
    assert sizes[1] < large.shape[0] * large.shape[1] * 4 / 50


def test_load_plq_map_refuses_other_files(tmp_path):
    from plq_desktop.core.io.report import load_plq_map
    np.savez(tmp_path / "x.npz", a=np.zeros(3))
    (tmp_path / "y.plq.npz").write_text("nope")
    for path in (tmp_path / "x.npz", tmp_path / "y.plq.npz"):
        with pytest.raises(ValueError, match="PLQ map file"):
            load_plq_map(path)


# -- devices, missing models, compare ------------------------------------------------------------

def test_unknown_device_gets_one_line_with_the_accepted_values(tmp_path):
    proc = plq("analyze", "--sample", "grace_hopper", "--out", tmp_path, "--device", "gpu")
    assert proc.returncode == EXIT_USAGE
    line = one_line(proc.stderr)
    assert "'gpu'" in line and "auto, cpu, cuda or cuda:N" in line
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="this machine has a CUDA device")
def test_cuda_without_a_cuda_device_exits_2_in_every_command_and_makes_no_folder(tmp_path):
    photo = hopper_photo(tmp_path / "p.jpg")
    runs = {"analyze": ("analyze", photo), "compare": ("compare", photo, "--estimators", "robustness", "serfiq"),
            "batch": ("batch", tmp_path), "whatif": ("whatif", photo), "amva": ("amva", tmp_path),
            "export": ("export", photo)}
    for name, args in runs.items():
        out = tmp_path / f"out-{name}" / "deeper"
        target = out / "x.jpg" if name == "export" else out
        proc = plq(*args, "--out", target, "--device", "cuda")
        assert proc.returncode == EXIT_USAGE, (name, proc.stderr)
        line = one_line(proc.stderr)
        assert "no CUDA device is available" in line and "cannot load model" not in line, line
        assert not (tmp_path / f"out-{name}").exists(), f"plq {name} left a folder"


def test_a_missing_input_makes_no_output_folder(tmp_path):
    out = tmp_path / "new" / "out"
    proc = plq("analyze", tmp_path / "absent.jpg", "--out", out, "--device", "cpu")
    assert proc.returncode == EXIT_FAILED, proc.stderr
    assert "absent.jpg" in one_line(proc.stderr)
    assert not (tmp_path / "new").exists()
    # An output folder that existed before stays, and so does one the run wrote into.
    kept = tmp_path / "kept"
    kept.mkdir()
    assert plq("analyze", tmp_path / "absent.jpg", "--out", kept, "--device", "cpu").returncode == EXIT_FAILED
    assert kept.is_dir()
    (tmp_path / "in").mkdir()
    hopper_photo(tmp_path / "in" / "p.jpg")
    written = tmp_path / "written"
    assert plq("analyze", tmp_path / "in", "--out", written, "--device", "cpu").returncode == EXIT_OK
    assert (written / "p.json").is_file()


def test_a_missing_model_exits_3_in_every_command(tmp_path):
    photo = hopper_photo(tmp_path / "p.jpg")
    for args in (("analyze", photo, "--model", "arcface-r100", "--out", tmp_path / "a"),
                 ("compare", photo, "--models", "dlib-resnet", "arcface-r100", "--out", tmp_path / "c")):
        proc = plq(*args, "--device", "cpu")
        assert proc.returncode == EXIT_MODEL_MISSING, (args, proc.stderr)
        line = one_line(proc.stderr)
        assert "arcface-r100" in line and "plq models import arcface-r100" in line


def test_compare_one_model_under_two_estimators_offline(tmp_path):
    proc = plq("compare", "--sample", "grace_hopper", "--models", "dlib-resnet",
               "--estimators", "robustness", "serfiq", "--out", tmp_path, "--device", "cpu")
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "dlib-resnet: quality" in proc.stdout and "(robustness)" in proc.stdout and "(serfiq)" in proc.stdout
    data = json.loads((tmp_path / "grace_hopper.compare.json").read_text())
    assert [m["estimator"] for m in data["models"]] == ["robustness", "serfiq"]
    assert (tmp_path / "grace_hopper.compare.png").stat().st_size > 1000

    same = plq("compare", "--sample", "grace_hopper", "--models", "dlib-resnet", "--out", tmp_path)
    assert same.returncode == EXIT_USAGE and "nothing to compare" in one_line(same.stderr)


# -- models import -------------------------------------------------------------------------------

def test_import_of_files_that_do_not_load_installs_nothing(tmp_path):
    params = tmp_path / "model-0000.params"
    params.write_bytes(b"12345678")
    symbol = tmp_path / "model-symbol.json"
    symbol.write_text('{"nodes": []}')
    cache = tmp_path / "cache"
    env = dict(os.environ, PLQ_CACHE_DIR=str(cache))
    proc = plq("models", "import", "arcface-r100", params, symbol, "--trust", env=env)
    assert proc.returncode == EXIT_MODEL_MISSING
    assert "do not load, so they were not installed" in one_line(proc.stderr)
    listing = plq("models", "list", "--json", env=env)
    assert listing.returncode == EXIT_OK
    entry = next(e for e in json.loads(listing.stdout) if e["name"] == "arcface-r100")
    assert entry["present"] is False and entry["size"] is None
    assert not [p for p in cache.rglob("*") if p.is_file()]


def test_a_failed_import_restores_the_files_it_replaced(tmp_path, monkeypatch):
    from plq_desktop.core.zoo.weights import (
        WeightFile,
        import_model_files,
        model_dir,
        read_manifest,
    )

    monkeypatch.setenv("PLQ_CACHE_DIR", str(tmp_path / "cache"))
    files = (WeightFile("w.bin"),)
    good, bad = tmp_path / "good" / "w.bin", tmp_path / "bad" / "w.bin"
    for path, data in ((good, b"good weights"), (bad, b"bad")):
        path.parent.mkdir()
        path.write_bytes(data)
    import_model_files("m", files, [good], trust=True)
    manifest = read_manifest("m")

    def does_not_load():
        raise ValueError("not a model")

    with pytest.raises(ValueError):
        import_model_files("m", files, [bad], trust=True, verify=does_not_load)
    assert (model_dir("m") / "w.bin").read_bytes() == b"good weights"
    assert read_manifest("m") == manifest
    assert sorted(p.name for p in model_dir("m").iterdir()) == ["manifest.json", "w.bin"]
