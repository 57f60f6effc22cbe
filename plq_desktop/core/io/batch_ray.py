"""The Ray engine of ``plq batch`` (``--engine ray``): the photos analysed on a Ray cluster.

Only where the work runs changes; ``batch.run_batch`` still writes every file
(rows, maps, journal, CSV), so the local engine's guarantees hold unchanged:

- reading, detection and alignment of each photo: a CPU task (retried by Ray
  when its worker dies); the photo is read from the folder's path, which must
  be the same on every node (a shared file system);
- the network, the checks and the map files' contents: actors that keep the
  model loaded and take the faces of several photos in one batch, one actor
  per GPU where the cluster has GPUs, otherwise CPU actors (one per 16 CPUs:
  the network is a small part of a photo's time on a CPU);
- an actor that dies is restarted and its batch retried; a batch that still
  fails is split and each photo retried alone, and a photo that fails alone
  becomes an error row, as does a photo whose read task keeps failing.

Each row records in ``nodes`` the Ray node ids that read it and ran its model
(not a CSV column). Ray's usage statistics are turned off before Ray is
imported, and no dashboard is started: photos and results travel only
between the machines of the cluster the command is pointed at.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

from plq_desktop.core.io.batch import (
    BatchError,
    ModelShape,
    PhotoDone,
    _prepare_file,
    analyse_prepared,
    problem_photo,
)

ACTOR_CALLS_QUEUED = 2        # batches waiting at an actor: it never waits for the driver
CPUS_PER_CPU_ACTOR = 16


def import_ray():
    """Ray, with its usage statistics off; BatchError (one line) when the extra is not installed."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    try:
        import ray
    except ImportError:
        raise BatchError("the Ray engine needs Ray: pip install -e '.[cluster]' (or pip install ray)") from None
    return ray


def _node_id() -> str:
    import ray
    return ray.get_runtime_context().get_node_id()


def _prepare_on_node(folder: str, rel: str, shape: ModelShape, estimator):
    """A read task: (face count, error, node) for the driver, and the prepared photo for an actor."""
    import cv2
    cv2.setNumThreads(1)        # one task per CPU: Ray schedules the parallelism
    _rel, prep, error = _prepare_file((folder, rel, shape, estimator))
    faces = 0 if prep is None else len(prep.detections)
    return (faces, error, _node_id()), (prep if faces else None)


class _ModelActor:
    """Keeps one model loaded; runs the network over the faces of several photos, then their rows and maps."""

    def __init__(self, model_name: str, device: str):
        from plq_desktop.core.zoo.registry import load_model
        self.model = load_model(model_name, device=device)
        self.node = _node_id()

    def ready(self) -> str:
        return self.node

    def analyse(self, rels: list[str], estimator, seed, thresholds, *preps) -> tuple[str, list[PhotoDone]]:
        return self.node, analyse_prepared(list(zip(rels, preps)), self.model, estimator, seed, thresholds)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1] if text else ''}".strip()


class RayEngine:
    """``run_batch``'s ``engine`` on a Ray cluster: ``start`` connects and loads the model in the actors
    (Ray's start-up, kept out of the batch's time), calling it streams the photos, ``close`` disconnects.

    ``address``: a running cluster (``ray start --head`` prints it; "auto" finds the local one);
    None starts a private Ray on this machine for the run.
    """

    def __init__(self, folder: Path, model, estimator=None, seed=0, thresholds=None, batch_faces: int = 16,
                 device: str = "auto", address: str | None = None, model_actors: int | None = None,
                 log: Callable[[str], None] | None = None, stop: Callable[[], bool] | None = None):
        self.folder, self.shape = str(Path(folder).resolve()), ModelShape.of(model)
        self.estimator, self.seed, self.thresholds = estimator, seed, thresholds
        self.batch_faces, self.device, self.address = batch_faces, device, address
        self.model_actors, self.log, self.stop = model_actors, log, stop
        self.ray = import_ray()
        self.actors: list = []
        self.started_ray = False
        self.startup_seconds = 0.0

    # -- set-up -----------------------------------------------------------------------------

    def start(self) -> RayEngine:
        ray, t0 = self.ray, time.perf_counter()
        if not ray.is_initialized():
            # Connecting to a running cluster takes no dashboard setting: its head was started with its own.
            extra = {} if self.address else {"include_dashboard": False}
            try:
                ray.init(address=self.address, logging_level=logging.WARNING, **extra)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise BatchError(f"cannot reach the Ray cluster at {self.address}: {_one_line(exc)}") from None
            self.started_ray = True
        resources = ray.cluster_resources()
        cpus, gpus = int(resources.get("CPU", 0)), int(resources.get("GPU", 0))
        if self.device.startswith("cuda") and not gpus:
            raise BatchError("--device cuda: the Ray cluster has no GPU")
        on_gpu = gpus > 0 and self.device != "cpu"
        count = self.model_actors or (gpus if on_gpu else max(1, cpus // CPUS_PER_CPU_ACTOR))
        self.prepare = ray.remote(num_cpus=1, num_returns=2, max_retries=3)(_prepare_on_node)
        actor = ray.remote(_ModelActor).options(
            num_cpus=1, num_gpus=1 if on_gpu else 0, max_restarts=-1, max_task_retries=2,
            scheduling_strategy="SPREAD")
        self.actors = [actor.remote(self.shape.name, "cuda" if on_gpu else "cpu") for _ in range(count)]
        try:
            nodes = ray.get([a.ready.remote() for a in self.actors])
        except ray.exceptions.RayError as exc:
            raise BatchError(f"the model {self.shape.name!r} does not load on the cluster: {_one_line(exc)}") from None
        self.window = max(4, 2 * cpus)          # read tasks in flight: every CPU busy, memory bounded
        self.startup_seconds = time.perf_counter() - t0
        if self.log:
            self.log(f"Ray: {cpus} CPUs, {gpus} GPUs, {count} model actor(s) on {len(set(nodes))} node(s) "
                     f"(ready in {self.startup_seconds:.1f} s)")
        return self

    def close(self) -> None:
        for a in self.actors:
            self.ray.kill(a)
        self.actors = []
        if self.started_ray:
            self.ray.shutdown()
            self.started_ray = False

    def __enter__(self) -> RayEngine:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the stream -------------------------------------------------------------------------

    def __call__(self, todo: list[str]) -> Iterator[PhotoDone]:
        ray, folder = self.ray, self.folder
        queue = deque(todo)
        reading: dict = {}          # face-count ref -> (rel, prepared-photo ref)
        waiting: list = []          # photos read, for the next batch: (rel, prepared ref, faces, read node)
        alone: deque = deque()      # photos of a failed batch, to be retried one by one
        running: dict = {}          # result ref -> (actor index, photos, retried alone)
        load = [0] * len(self.actors)

        def failed(rel: str, what: str, exc: BaseException, nodes: dict) -> PhotoDone:
            photo = problem_photo(rel, f"{Path(folder) / rel}: {what} failed on the cluster ({_one_line(exc)})",
                                  folder)
            photo.rows[0]["nodes"] = nodes
            return photo

        def submit(photos: list, retried_alone: bool) -> None:
            i = min(range(len(load)), key=load.__getitem__)
            ref = self.actors[i].analyse.remote([p[0] for p in photos], self.estimator, self.seed,
                                                self.thresholds, *[p[1] for p in photos])
            running[ref] = (i, photos, retried_alone)
            load[i] += 1

        while queue or reading or waiting or alone or running:
            if self.stop is not None and self.stop():
                return
            while queue and len(reading) < self.window:
                rel = queue.popleft()
                count_ref, prep_ref = self.prepare.remote(folder, rel, self.shape, self.estimator)
                reading[count_ref] = (rel, prep_ref)
            while alone and min(load) < ACTOR_CALLS_QUEUED:
                submit([alone.popleft()], True)
            # Full batches; a smaller one only for an idle actor, or for the last photos.
            while waiting and min(load) < ACTOR_CALLS_QUEUED:
                faces = sum(p[2] for p in waiting)
                if faces < self.batch_faces and min(load) > 0 and (queue or reading):
                    break
                batch, n = [], 0
                while waiting and n < self.batch_faces:
                    batch.append(waiting.pop(0))
                    n += batch[-1][2]
                submit(batch, False)
            ready, _ = ray.wait([*reading, *running], num_returns=1)
            ref = ready[0]
            if ref in reading:
                rel, prep_ref = reading.pop(ref)
                try:
                    faces, error, node = ray.get(ref)
                except ray.exceptions.RayError as exc:      # its worker kept dying: Ray gave up retrying
                    yield failed(rel, "reading", exc, {})
                    continue
                if faces:
                    waiting.append((rel, prep_ref, faces, node))
                else:
                    photo = problem_photo(rel, error, folder)
                    photo.rows[0]["nodes"] = {"read": node}
                    yield photo
                continue
            i, photos, retried_alone = running.pop(ref)
            load[i] -= 1
            try:
                model_node, done = ray.get(ref)
            except ray.exceptions.RayError as exc:
                if retried_alone:
                    rel, _prep, _faces, node = photos[0]
                    yield failed(rel, "analysis", exc, {"read": node})
                else:
                    alone.extend(photos)
                continue
            for photo, (_rel, _prep, _faces, node) in zip(done, photos):
                for row in photo.rows:
                    row["nodes"] = {"read": node, "model": model_node}
                yield photo
