"""plq batch --engine ray on a real Ray cluster of two worker nodes on this machine (Ray's own test cluster):
the photos are read on both nodes, the rows equal the local engine's, the resume after SIGKILL of the driver
loses and repeats nothing, and a model actor killed mid-run is restarted and its photos redone."""

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plq_desktop.cli import main
from plq_desktop.core.io.batch import JOURNAL, read_rows, run_batch
from plq_desktop.core.io.report import read_plq_map

ray_batch = pytest.importorskip("plq_desktop.core.io.batch_ray")
try:
    ray = ray_batch.import_ray()
except ray_batch.BatchError as exc:
    pytest.skip(str(exc), allow_module_level=True)

from ray.cluster_utils import Cluster  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
STORE = 100 * 1024 * 1024      # each node's object store: the test photos need a few MB


@pytest.fixture(scope="module")
def cluster():
    """A head that runs nothing (num_cpus=0) and two worker nodes with two logical CPUs each."""
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0, "object_store_memory": STORE,
                                                            "include_dashboard": False})
    workers = [cluster.add_node(num_cpus=2, object_store_memory=STORE) for _ in range(2)]
    cluster.wait_for_nodes()
    yield cluster, {w.node_id for w in workers}
    cluster.shutdown()


@pytest.fixture(scope="module")
def local_reference(audit_folder, dlib_model, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    run_batch(audit_folder, out, dlib_model, device="cpu", batch_faces=4)
    return out


def _journal(out: Path) -> list[dict]:
    data = (out / JOURNAL).read_bytes()
    assert data.endswith(b"\n"), "the journal ends with a whole line"
    return [json.loads(line) for line in data.split(b"\n")[:-1]]


def _keys(out: Path) -> list[tuple[str, int]]:
    return sorted((r["file"], r["row"]) for r in _journal(out))


def _table(out: Path) -> dict[tuple[str, str], dict]:
    with open(out / "results.csv", newline="") as fh:
        return {(r["file"], r["face"]): r for r in csv.DictReader(fh)}


# Float columns: the network's sums run in another order in other batches (and thread counts); checks are
# rounded to 4 decimals, so their last digit may differ. Every other column is compared exactly.
TOLERANCE = {"quality": 1e-5, "mean_pixel_quality": 1e-5, "raw_quality": 1e-4}


def _assert_same_rows(ray_out: Path, local_out: Path) -> None:
    ray_table, local_table = _table(ray_out), _table(local_out)
    assert list(ray_table) == list(local_table), "the same rows, in the same order"
    for key, local_row in local_table.items():
        ray_row = ray_table[key]
        assert list(ray_row) == list(local_row), "the same columns"
        for column, value in local_row.items():
            other = ray_row[column]
            try:
                number, other_number = float(value), float(other)
            except ValueError:
                assert other == value, (key, column)
                continue
            assert other_number == pytest.approx(number, abs=TOLERANCE.get(column, 2e-4)), (key, column)


def _usage_lib():
    """Ray's own switch for its usage statistics (the module moved between Ray releases)."""
    try:
        from ray._common.usage import usage_lib
    except ImportError:
        from ray._private.usage import usage_lib
    return usage_lib


def _engine(cluster, folder, model, **kw):
    return ray_batch.RayEngine(folder, model, batch_faces=4, device="cpu", address=cluster[0].address, **kw)


def test_ray_rows_equal_the_local_engine_and_both_nodes_read_photos(cluster, audit_folder, local_reference,
                                                                    dlib_model, tmp_path):
    out = tmp_path / "ray"
    messages = []
    with _engine(cluster, audit_folder, dlib_model, log=messages.append) as engine:
        summary = run_batch(audit_folder, out, dlib_model, device="cpu", batch_faces=4, engine=engine)
    assert summary.processed == summary.files == 9 and summary.problems == 4
    assert "2 model actor(s) on 2 node(s)" in messages[0], "4 CPUs: 2 for the network, 2 for the tasks"
    assert not _usage_lib().usage_stats_enabled(), "Ray's usage statistics are off"
    _assert_same_rows(out, local_reference)
    rows = _journal(out)
    assert _keys(out) == _keys(local_reference), "exactly one row per face and per bad file"
    workers = cluster[1]
    read_on = {r["nodes"]["read"] for r in rows if "read" in r["nodes"]}
    assert read_on == workers, "photos were read on both worker nodes, none on the head (no CPUs there)"
    assert {r["nodes"]["network"] for r in rows if r["status"] == "ok"} <= workers
    assert {r["nodes"]["finish"] for r in rows if r["status"] == "ok"} <= workers
    for r in rows:
        if r["status"] == "ok":
            assert read_plq_map(out / r["maps"]["npz"]).faces, "the driver wrote each photo's map files"
            assert (out / r["maps"]["png"]).is_file() and (out / r["maps"]["json"]).is_file()
    assert not any(p.name.endswith(".part") for p in (out / "maps").iterdir())


def test_driver_killed_mid_run_then_resumed(cluster, audit_folder, local_reference, tmp_path):
    out = tmp_path / "out"
    command = ["batch", str(audit_folder), "--out", str(out), "--device", "cpu", "--batch-faces", "4",
               "--engine", "ray", "--address", cluster[0].address, "--actors", "1"]
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "plq_desktop.cli", *command], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Once the driver has written its first photo, kill it at a random moment.
        while proc.poll() is None and not ((out / JOURNAL).exists() and (out / JOURNAL).stat().st_size):
            time.sleep(0.02)
        time.sleep(random.Random(22).uniform(0.0, 0.5))
        assert proc.poll() is None, "the driver was still running: killed mid-batch"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert 0 < len({r["file"] for r in read_rows(out)}) < 9
    # The same command again (in this process, to save a start-up) finishes the batch.
    assert main(command) == 1, "bad files remain bad"
    assert _keys(out) == _keys(local_reference), "nothing lost, nothing duplicated"
    _assert_same_rows(out, local_reference)


def test_a_model_actor_killed_mid_run_is_restarted_and_its_photos_redone(cluster, audit_folder, local_reference,
                                                                           dlib_model, tmp_path):
    out = tmp_path / "out"
    with _engine(cluster, audit_folder, dlib_model) as engine:
        actor = engine.actors[0]
        pid = ray.get(actor.__ray_call__.remote(lambda _self: os.getpid()))
        killed = []

        def kill_after_first_photo(done: int, _total: int) -> None:
            if done and not killed:
                os.kill(pid, signal.SIGKILL)        # a process of this test's own cluster
                killed.append(done)

        summary = run_batch(audit_folder, out, dlib_model, device="cpu", batch_faces=4, engine=engine,
                            progress=kill_after_first_photo)
        restarted = ray.get(actor.__ray_call__.remote(lambda _self: os.getpid()))
    assert killed and restarted != pid
    assert summary.processed == 9 and not summary.stopped
    assert _keys(out) == _keys(local_reference)
    _assert_same_rows(out, local_reference)
