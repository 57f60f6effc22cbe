"""Shared fixtures. Tests never open a camera or the network, and never touch the user's cache."""

import os

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Converted weights, downloads, the user's models.json and evaluation outputs stay out of tests."""
    saved = {k: os.environ.get(k) for k in ("PLQ_CACHE_DIR", "PLQ_CONFIG_DIR", "PLQ_DATA_DIR")}
    os.environ["PLQ_CACHE_DIR"] = str(tmp_path_factory.mktemp("plq-cache"))
    os.environ["PLQ_CONFIG_DIR"] = str(tmp_path_factory.mktemp("plq-config"))
    os.environ["PLQ_DATA_DIR"] = str(tmp_path_factory.mktemp("plq-data"))
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def dlib_model(_private_cache):
    import torch

    from plq_desktop.core import load_model
    torch.set_num_threads(2)
    return load_model("dlib-resnet", device="cpu")


@pytest.fixture(scope="session")
def t1_image():
    from plq_desktop.core.io.images import load_image
    from plq_desktop.core.io.samples import sample_path
    return load_image(sample_path("t1"))


@pytest.fixture(scope="session")
def clean_chips(dlib_model):
    """Aligned chips of the real faces used by the quality study."""
    from plq_desktop.eval.study import study_faces
    chips, labels = study_faces(dlib_model)
    assert len(chips) >= 8
    return chips, labels



@pytest.fixture(scope="session")
def audit_folder(tmp_path_factory):
    """A folder for plq batch: real portraits (small, so the tests are quick), a group photo, corrupt files
    and a faceless one."""
    import numpy as np
    from PIL import Image

    from plq_desktop.core.io.samples import sample_path
    d = tmp_path_factory.mktemp("audit")
    (d / "sub").mkdir()
    hopper = Image.open(sample_path("grace_hopper")).convert("RGB").resize((205, 240))
    hopper.save(d / "hopper.jpg")
    hopper.rotate(12, fillcolor=(30, 40, 120)).save(d / "sub" / "hopper_tilt.png")
    hopper.convert("L").save(d / "sub" / "hopper_grey.png")
    Image.open(sample_path("astronaut")).convert("RGB").resize((300, 300)).save(d / "astronaut.jpg")
    Image.open(sample_path("t1")).convert("RGB").resize((800, 554)).save(d / "group.jpg")
    (d / "truncated.jpg").write_bytes((d / "hopper.jpg").read_bytes()[:300])
    (d / "notes.png").write_text("this is not an image")
    (d / "empty.jpg").write_bytes(b"")
    Image.fromarray(np.full((100, 100, 3), 90, np.uint8)).save(d / "wall.png")
    return d
