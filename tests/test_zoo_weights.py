"""Getting weights: download (resume, SHA-256, atomic rename), import, and the model list.

Every download goes to a FileServer on 127.0.0.1 started by the test; the
cache and config folders are per-test temporary folders.
"""

import dataclasses
import hashlib
import io
import json
import socket
import zipfile

import numpy as np
import pytest
from test_zoo_support import FileServer

from plq_desktop.cli import main
from plq_desktop.core.zoo import registry, weights
from plq_desktop.core.zoo.weights import (
    DownloadFailed,
    HashMismatch,
    UnverifiedFile,
    WeightFile,
    WeightsMissing,
    download_model,
    import_model_files,
    installed_path,
)

PAYLOAD = np.random.default_rng(0).integers(0, 256, 3_000_000, dtype=np.uint8).tobytes()
SHA = hashlib.sha256(PAYLOAD).hexdigest()


def quiet(_message):
    pass


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PLQ_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PLQ_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "cache"


def files_in(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_download_checks_the_hash_and_installs(cache):
    with FileServer() as server:
        server.files["/w.bin"] = PAYLOAD
        wf = WeightFile("w.bin", url=server.url + "/w.bin", sha256=SHA)
        [path] = download_model("m", (wf,), report=quiet)
        assert path.read_bytes() == PAYLOAD
        assert files_in(cache) == ["models/m/manifest.json", "models/m/w.bin"]
        record = json.loads((cache / "models/m/manifest.json").read_text())["w.bin"]
        assert record["sha256"] == SHA and record["pinned"] is True
        assert download_model("m", (wf,), report=quiet) == []  # present: nothing fetched
        assert len(server.requests) == 1


def test_interrupted_download_resumes_and_only_then_appears(cache):
    with FileServer() as server:
        server.files["/w.bin"] = PAYLOAD
        server.cut_after["/w.bin"] = 1_200_000
        wf = WeightFile("w.bin", url=server.url + "/w.bin", sha256=SHA)
        with pytest.raises(DownloadFailed, match="resume"):
            download_model("m", (wf,), report=quiet)
        # Atomic: the loaders' folder has nothing, the partial file waits in downloads/.
        assert installed_path("m", wf) is None
        assert files_in(cache) == ["downloads/w.bin.part"]
        assert (cache / "downloads/w.bin.part").stat().st_size == 1_200_000
        [path] = download_model("m", (wf,), report=quiet)
        assert server.requests[-1] == ("/w.bin", "bytes=1200000-")
        assert path.read_bytes() == PAYLOAD
        assert files_in(cache) == ["models/m/manifest.json", "models/m/w.bin"]


def test_hash_mismatch_rejects_the_file_and_leaves_nothing(cache):
    with FileServer() as server:
        server.files["/w.bin"] = PAYLOAD
        wf = WeightFile("w.bin", url=server.url + "/w.bin", sha256="0" * 64)
        with pytest.raises(HashMismatch, match=SHA):
            download_model("m", (wf,), report=quiet)
    assert files_in(cache) == []


def test_unpinned_download_needs_trust_and_is_not_fetched_twice(cache):
    with FileServer() as server:
        server.files["/w.bin"] = PAYLOAD
        wf = WeightFile("w.bin", url=server.url + "/w.bin")
        with pytest.raises(UnverifiedFile, match="--trust") as info:
            download_model("m", (wf,), report=quiet)
        assert SHA in str(info.value) and info.value.hashes == {"w.bin": SHA}
        assert installed_path("m", wf) is None
        [path] = download_model("m", (wf,), trust=True, report=quiet)
        # The finished download was kept: the second run asked only for what follows it.
        assert server.requests[-1] == ("/w.bin", f"bytes={len(PAYLOAD)}-")
    assert path.read_bytes() == PAYLOAD
    assert json.loads((cache / "models/m/manifest.json").read_text())["w.bin"]["pinned"] is False
    assert files_in(cache) == ["models/m/manifest.json", "models/m/w.bin"]


def _pack(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_pack_download_extracts_its_members(cache):
    detector = b"scrfd" * 1000
    pack = _pack({"antelopev2/glintr100.onnx": PAYLOAD, "antelopev2/scrfd_10g_bnkps.onnx": detector,
                  "antelopev2/genderage.onnx": b"other"})
    with FileServer() as server:
        server.files["/antelopev2.zip"] = pack
        url = server.url + "/antelopev2.zip"
        files = (WeightFile("glintr100.onnx", url=url, sha256=SHA, archive_member="glintr100.onnx"),
                 WeightFile("scrfd_10g_bnkps.onnx", url=url, archive_member="scrfd_10g_bnkps.onnx",
                            sha256=hashlib.sha256(detector).hexdigest(), role="detector", optional=True))
        paths = download_model("m", files, report=quiet)
    assert [p.name for p in paths] == ["glintr100.onnx", "scrfd_10g_bnkps.onnx"]
    assert files_in(cache) == ["models/m/glintr100.onnx", "models/m/manifest.json", "models/m/scrfd_10g_bnkps.onnx"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_download_without_network_fails_and_explains(cache, monkeypatch, capsys):
    spec = registry.get_spec("facenet-vggface2")
    unreachable = f"http://127.0.0.1:{_closed_port()}/20180402-114759-vggface2.pt"
    monkeypatch.setitem(registry._MODELS, spec.name, dataclasses.replace(
        spec, files=(dataclasses.replace(spec.files[0], url=unreachable),)))
    rc = main(["models", "download", "facenet-vggface2"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "20180402-114759-vggface2.pt" in err and spec.files[0].sha256 in err
    # The hash is pinned, so the import needs no --trust.
    assert "plq models import facenet-vggface2 /path/to/20180402-114759-vggface2.pt\n" in err
    assert "Traceback" not in err
    assert files_in(cache) == []


def test_cli_import_verifies_pinned_hashes(cache, tmp_path, monkeypatch, capsys):
    spec = registry.get_spec("facenet-vggface2")
    monkeypatch.setitem(registry._MODELS, spec.name, dataclasses.replace(
        spec, files=(dataclasses.replace(spec.files[0], sha256=SHA),)))
    wrong = tmp_path / "20180402-114759-vggface2.pt"
    wrong.write_bytes(PAYLOAD[:-1] + b"x")
    assert main(["models", "import", "facenet-vggface2", str(wrong)]) == 1
    assert "rejected" in capsys.readouterr().err
    assert files_in(cache) == []


def test_import_of_an_unpinned_file_shows_its_hash_and_needs_trust(cache, tmp_path):
    files = (WeightFile("w.bin"),)
    media = tmp_path / "media" / "w.bin"
    media.parent.mkdir()
    media.write_bytes(PAYLOAD)
    with pytest.raises(UnverifiedFile, match=SHA):
        import_model_files("m", files, [media])
    assert files_in(cache) == []
    [path] = import_model_files("m", files, [media], trust=True)
    assert path.read_bytes() == PAYLOAD and media.exists()  # copied, the medium is untouched


def test_import_recognises_files_by_name_hash_or_extension(cache, tmp_path):
    symbol = b'{"nodes": []}'
    files = (WeightFile("model-0000.params"), WeightFile("model-symbol.json", role="symbol"),
             WeightFile("extra.bin", sha256=SHA, optional=True))
    (tmp_path / "r100-0000.params").write_bytes(b"params")
    (tmp_path / "r100-symbol.json").write_bytes(symbol)
    (tmp_path / "renamed.dat").write_bytes(PAYLOAD)
    paths = import_model_files("m", files, [tmp_path / "r100-symbol.json", tmp_path / "r100-0000.params",
                                            tmp_path / "renamed.dat"], trust=True)
    assert sorted(p.name for p in paths) == ["extra.bin", "model-0000.params", "model-symbol.json"]
    assert (cache / "models/m/model-symbol.json").read_bytes() == symbol
    (tmp_path / "notes.txt").write_text("?")
    with pytest.raises(weights.WeightsError, match="not one of the files"):
        import_model_files("m2", files, [tmp_path / "notes.txt"], trust=True)
    assert not (cache / "models/m2").exists()


def test_loading_a_model_whose_files_are_missing_says_how_to_get_them(cache):
    with pytest.raises(WeightsMissing, match="plq models download facenet-casia"):
        registry.load_model("facenet-casia", device="cpu")
    with pytest.raises(FileNotFoundError, match="plq models import arcface-r100"):
        registry.load_model("arcface-r100", device="cpu")


def test_models_list_json(cache, capsys):
    assert main(["models", "list", "--json"]) == 0
    entries = {e["name"]: e for e in json.loads(capsys.readouterr().out)}
    # The paper's two models and the offline one.
    assert {"arcface-r100", "facenet-vggface2", "dlib-resnet"} <= set(entries)
    dlib = entries["dlib-resnet"]
    assert dlib["bundled"] is True and dlib["present"] is True
    from plq_desktop.core.nets.dlib_resnet import dlib_model_path
    dat = dlib_model_path()
    assert dlib["size"] == dat.stat().st_size and dlib["files"][0]["path"] == str(dat)
    assert dlib["sha256"] == hashlib.sha256(dat.read_bytes()).hexdigest()
    assert main(["models", "list"]) == 0
    (line,) = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("dlib-resnet ")]
    assert f"{dat.stat().st_size / 1e6:.0f} MB" in line and "?" not in line
    for name in ("arcface-r100", "facenet-vggface2"):
        e = entries[name]
        assert e["present"] is False and e["bundled"] is False
        assert {"size", "licence", "sha256", "family", "files"} <= set(e)
    assert entries["arcface-r100"]["trained_dropout"] == 0.4
    assert entries["arcface-r100"]["default_estimator"] == "serfiq"
    assert entries["arcface-r50-buffalo"]["default_estimator"] == "robustness"
    assert entries["facenet-vggface2"]["url"].startswith("https://github.com/timesler/facenet-pytorch/")
    assert entries["facenet-vggface2"]["chip_size"] == [160, 160]
