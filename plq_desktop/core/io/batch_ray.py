"""The Ray engine of ``plq batch`` (``--engine ray``): the photos analysed on a Ray cluster.

Only where the work runs changes; ``batch.run_batch`` still writes every file
(rows, maps, journal, CSV), so the local engine's guarantees hold unchanged.
Three stages, each photo's data passed between them inside the cluster:

1. read: reading, detection and alignment of a photo, a CPU task; the photo
   is read from the folder's path, which must be the same on every node (a
   shared file system);
2. network: actors that keep the model loaded and take the faces of several
   photos in one batch, one per GPU where the cluster has GPUs, otherwise CPU
   actors on ``NETWORK_SHARE`` of the CPUs (the network's share of a photo's
   CPU time);
3. finish: the checks, the rows and the map files' contents, a CPU task.

Ray retries a task whose worker dies and restarts a dead actor and retries its
batch; a photo whose batch still fails is retried alone, and a photo that
fails alone, or whose read task keeps failing, becomes an error row.

Each row records in ``nodes`` the Ray node ids that read it, ran its network
and finished it (not a CSV column). Ray's usage statistics are turned off
before Ray is imported, and no dashboard is started: photos and results travel
only between the machines of the cluster the command is pointed at.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from plq_desktop.core.io.batch import (
    BatchError,
    ModelShape,
    PhotoDone,
    prepare_file,
    photo_done,
    problem_photo,
)
from plq_desktop.core.io.palette import DEFAULT_PALETTE, Palette, get_palette

ACTOR_CALLS_QUEUED = 2        # batches waiting at an actor: it never waits for the driver
# CPU clusters: the share of CPUs given to network actors, the network's share of a photo's CPU time
# (dlib-resnet, about 0.4: docs/cluster.md).
NETWORK_SHARE = 0.4


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


def _read(folder: str, rel: str, shape: ModelShape, estimator):
    """Stage 1: (face count, error, node) for the driver; the prepared photo and its chips for the next stages."""
    import cv2
    cv2.setNumThreads(1)        # one task per CPU: Ray schedules the parallelism
    _rel, prep, error = prepare_file((folder, rel, shape, estimator))
    faces = 0 if prep is None else len(prep.detections)
    return (faces, error, _node_id()), (prep if faces else None), (prep.chips if faces else None)


class _NetworkActor:
    """Stage 2: keeps the model loaded; one batch of the faces of several photos, each photo's share returned."""

    def __init__(self, model_name: str, device: str):
        from plq_desktop.core.zoo.registry import load_model
        self.model = load_model(model_name, device=device)
        self.node = _node_id()

    def ready(self) -> str:
        return self.node

    def network(self, estimator, seed, *chips) -> list | tuple:
        plq = self.model.plq(np.concatenate(chips), estimator=estimator, seed=seed)
        shares, start = [], 0
        for c in chips:
            shares.append((self.node, _share(plq, start, start + len(c))))
            start += len(c)
        return shares if len(shares) > 1 else shares[0]        # num_returns=1 takes the value itself


def _share(plq, start: int, stop: int, take=lambda a: a):
    """Rows ``start:stop`` of a PLQ batch, each array passed through ``take``."""
    def rows(a):
        return None if a is None else take(a[start:stop])
    return dataclasses.replace(plq, quality=rows(plq.quality), raw_quality=rows(plq.raw_quality),
                               maps=rows(plq.maps), gradients=rows(plq.gradients),
                               node_output=rows(plq.node_output), activations=rows(plq.activations))


@functools.lru_cache(maxsize=2)
def _checks_model(name: str):
    """The model in a finishing worker (loaded once per worker process): the checks read its calibration,
    reference profile and AMVA reference; its network does not run there."""
    from plq_desktop.core.zoo.registry import load_model
    return load_model(name, device="cpu")


def _finish(rel: str, model_name: str, thresholds, palette: str, read_node: str, prep, share) -> PhotoDone:
    """Stage 3: a photo's checks, rows and map files (drawn in the palette called ``palette``)."""
    import cv2
    cv2.setNumThreads(1)
    network_node, plq = share
    plq = _share(plq, 0, len(plq.quality), np.array)      # writable copies: the object store's are read-only
    photo = photo_done(rel, prep, plq, _checks_model(model_name), thresholds, palette=get_palette(palette))
    for row in photo.rows:
        row["nodes"] = {"read": read_node, "network": network_node, "finish": _node_id()}
    return photo


def _check_reachable(address: str | None, timeout_s: float = 10.0) -> None:
    """BatchError at once when a HOST:PORT address does not answer (Ray itself would keep retrying for minutes)."""
    import socket
    host, _, port = (address or "").rpartition(":")
    if not host or not port.isdigit() or "://" in address:
        return          # None (a private Ray), "auto", or a ray:// client address: Ray's own checks
    try:
        socket.create_connection((host, int(port)), timeout=timeout_s).close()
    except OSError as exc:
        raise BatchError(f"cannot reach the Ray cluster at {address}: {exc.strerror or exc}") from None


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
                 log: Callable[[str], None] | None = None, stop: Callable[[], bool] | None = None,
                 palette: Palette = DEFAULT_PALETTE):
        self.folder, self.shape = str(Path(folder).resolve()), ModelShape.of(model)
        self.palette = palette
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
            _check_reachable(self.address)
            # Connecting to a running cluster takes no dashboard setting: its head was started with its own.
            extra = {} if self.address else {"include_dashboard": False}
            try:
                ray.init(address=self.address, logging_level=logging.WARNING, **extra)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise BatchError(f"cannot reach the Ray cluster at {self.address}: {_one_line(exc)}") from None
            self.started_ray = True
        try:
            count, nodes = self._start_actors()
        except BaseException:
            self.close()
            raise
        # Photos in flight: every CPU busy and every actor's queue full, memory bounded.
        self.window = 2 * self.cpus + self.batch_faces * count * ACTOR_CALLS_QUEUED
        self.startup_seconds = time.perf_counter() - t0
        if self.log:
            self.log(f"Ray: {self.cpus} CPUs, {self.gpus} GPUs, {count} model actor(s) on {len(set(nodes))} "
                     f"node(s) (ready in {self.startup_seconds:.1f} s)")
        return self

    def _start_actors(self) -> tuple[int, list[str]]:
        ray = self.ray
        resources = ray.cluster_resources()
        self.cpus, self.gpus = cpus, gpus = int(resources.get("CPU", 0)), int(resources.get("GPU", 0))
        if not cpus:
            raise BatchError("the Ray cluster has no CPU to read photos on")
        if self.device.startswith("cuda") and not gpus:
            raise BatchError("--device cuda: the Ray cluster has no GPU")
        on_gpu = gpus > 0 and self.device != "cpu"
        count = self.model_actors or (gpus if on_gpu else max(1, round(cpus * NETWORK_SHARE)))
        self.model_name = self.shape.name
        self.read = ray.remote(num_cpus=1, num_returns=3, max_retries=3)(_read)
        self.finish = ray.remote(num_cpus=1, max_retries=3)(_finish)
        # An actor holds a CPU for its host side, unless that would leave none for the tasks (a 1-CPU machine).
        actor = ray.remote(_NetworkActor).options(
            num_cpus=1 if cpus > count else 0, num_gpus=1 if on_gpu else 0, max_restarts=-1, max_task_retries=2,
            scheduling_strategy="SPREAD")
        self.actors = [actor.remote(self.shape.name, "cuda" if on_gpu else "cpu") for _ in range(count)]
        try:
            return count, ray.get([a.ready.remote() for a in self.actors])
        except ray.exceptions.RayError as exc:
            raise BatchError(f"the model {self.shape.name!r} does not load on the cluster: {_one_line(exc)}") from None

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
        reading: dict = {}          # face-count ref -> (rel, prepared ref, chips ref)
        waiting: list = []          # photos read, for the next batch: Photo
        alone: deque = deque()      # photos of a failed batch, to be retried one by one
        networks: dict = {}         # first share ref of a batch -> actor index (its load)
        finishing: dict = {}        # finished-photo ref -> (Photo, retried alone)
        load = [0] * len(self.actors)

        def failed(rel: str, what: str, exc: BaseException, nodes: dict) -> PhotoDone:
            photo = problem_photo(rel, f"{Path(folder) / rel}: {what} failed on the cluster ({_one_line(exc)})",
                                  folder)
            photo.rows[0]["nodes"] = nodes
            return photo

        def submit(photos: list, retried_alone: bool) -> None:
            i = min(range(len(load)), key=load.__getitem__)
            shares = self.actors[i].network.options(num_returns=len(photos)).remote(
                self.estimator, self.seed, *[p.chips for p in photos])
            shares = shares if len(photos) > 1 else [shares]
            networks[shares[0]] = i
            load[i] += 1
            for p, share in zip(photos, shares):
                ref = self.finish.remote(p.rel, self.model_name, self.thresholds, self.palette.name, p.node,
                                         p.prep, share)
                finishing[ref] = (p, retried_alone)

        while queue or reading or waiting or alone or finishing:
            if self.stop is not None and self.stop():
                return
            while queue and len(reading) + len(waiting) + len(finishing) < self.window:
                rel = queue.popleft()
                count_ref, prep_ref, chips_ref = self.read.remote(folder, rel, self.shape, self.estimator)
                reading[count_ref] = (rel, prep_ref, chips_ref)
            while alone and min(load) < ACTOR_CALLS_QUEUED:
                submit([alone.popleft()], True)
            # Full batches; a smaller one only for an idle actor, or for the last photos.
            while waiting and min(load) < ACTOR_CALLS_QUEUED:
                if sum(p.faces for p in waiting) < self.batch_faces and min(load) > 0 and (queue or reading):
                    break
                batch, n = [], 0
                while waiting and n < self.batch_faces:
                    batch.append(waiting.pop(0))
                    n += batch[-1].faces
                submit(batch, False)
            # Not fetched here: the shares go from the actor to the finishing task, not through the driver.
            ready, _ = ray.wait([*reading, *networks, *finishing], num_returns=1, fetch_local=False)
            ref = ready[0]
            if ref in networks:
                load[networks.pop(ref)] -= 1
            elif ref in reading:
                rel, prep_ref, chips_ref = reading.pop(ref)
                try:
                    faces, error, node = ray.get(ref)
                except ray.exceptions.RayError as exc:      # its worker kept dying: Ray gave up retrying
                    yield failed(rel, "reading", exc, {})
                    continue
                if faces:
                    waiting.append(_Photo(rel, prep_ref, chips_ref, faces, node))
                else:
                    photo = problem_photo(rel, error, folder)
                    photo.rows[0]["nodes"] = {"read": node}
                    yield photo
            else:
                p, retried_alone = finishing.pop(ref)
                try:
                    yield ray.get(ref)
                except ray.exceptions.RayError as exc:     # its batch, or its checks, failed
                    if retried_alone:
                        yield failed(p.rel, "analysis", exc, {"read": p.node})
                    else:
                        alone.append(p)


@dataclasses.dataclass(frozen=True)
class _Photo:
    """A photo read on the cluster: where its prepared data and chips are, its face count and its read node."""

    rel: str
    prep: object
    chips: object
    faces: int
    node: str
