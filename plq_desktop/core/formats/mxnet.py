"""MXNet checkpoints read without MXNet: the paper's ArcFace (LResNet100E-IR, MS1M).

A checkpoint is two files:

- ``PREFIX-0000.params``: MXNet's NDArray list. Little-endian: uint64 magic
  0x112, uint64 reserved, uint64 count, then each array (uint32 magic: V2
  0xF993FAC9 / V3 0xF993FACA followed by int32 storage type, V1 0xF993FAC8
  without it, or, in the oldest files, no magic at all: that word is the
  number of dimensions and the dimensions are uint32), the shape (int32 ndim,
  int64 dims), the context (int32 device type, int32 device id), an int32
  dtype flag and the raw values; then uint64 count of names and each name as
  uint64 length + bytes ("arg:conv0_weight", "aux:bn0_moving_mean").
- ``PREFIX-symbol.json``: the graph, a JSON object whose "nodes" list each
  layer (op, name, attrs, inputs as [node index, output index, version]);
  parameters are "null" nodes.

Nothing in either file is executed: the values are copied into numpy arrays
and the graph is read as data, reduced to ``iresnet.Op`` records and
assembled into the PyTorch ``IResNet`` (which also recovers the units per
stage and the training dropout before ``pre_fc1``).
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np

from plq_desktop.core.formats.errors import ModelFileError
from plq_desktop.core.nets.iresnet import IResNet, Op, iresnet_from_ops

NDARRAY_LIST_MAGIC = 0x112
NDARRAY_V1_MAGIC = 0xF993FAC8
NDARRAY_V2_MAGIC = 0xF993FAC9
NDARRAY_V3_MAGIC = 0xF993FACA
# mshadow's type flags.
DTYPES = {0: np.float32, 1: np.float64, 2: np.float16, 3: np.uint8, 4: np.int32, 5: np.int8, 6: np.int64,
          7: np.bool_}


class _Reader:
    def __init__(self, data: bytes, source: str):
        self.data, self.pos, self.source = data, 0, source

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise ModelFileError(f"{self.source} ends early (truncated download?)")
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return values if len(values) > 1 else values[0]

    def array(self, dtype, shape: tuple[int, ...]) -> np.ndarray:
        count = int(np.prod(shape, dtype=np.int64))
        nbytes = count * np.dtype(dtype).itemsize
        if self.pos + nbytes > len(self.data):
            raise ModelFileError(f"{self.source} ends early (truncated download?)")
        values = np.frombuffer(self.data, dtype=np.dtype(dtype).newbyteorder("<"), count=count, offset=self.pos)
        self.pos += nbytes
        return values.reshape(shape).astype(np.dtype(dtype).newbyteorder("="))


def read_ndarray_list(path: str | Path) -> dict[str, np.ndarray]:
    """The named arrays of a ``.params`` file; names keep MXNet's "arg:" / "aux:" prefix."""
    source = str(path)
    r = _Reader(Path(path).read_bytes(), source)
    magic, _reserved = r.take("<QQ")
    if magic != NDARRAY_LIST_MAGIC:
        raise ModelFileError(f"{source} is not an MXNet .params file (magic {magic:#x})")
    arrays = [_read_ndarray(r) for _ in range(r.take("<Q"))]
    names = [bytes(r.array(np.uint8, (r.take("<Q"),))).decode("utf-8") for _ in range(r.take("<Q"))]
    if len(names) != len(arrays):
        raise ModelFileError(f"{source} names {len(names)} of its {len(arrays)} arrays")
    return {name: a for name, a in zip(names, arrays) if a is not None}


def _read_ndarray(r: _Reader) -> np.ndarray | None:
    magic = r.take("<I")
    if magic in (NDARRAY_V2_MAGIC, NDARRAY_V3_MAGIC):
        stype = r.take("<i")
        if stype != 0:
            raise ModelFileError(f"{r.source} holds a sparse array (storage type {stype}); weights are dense")
    if magic in (NDARRAY_V1_MAGIC, NDARRAY_V2_MAGIC, NDARRAY_V3_MAGIC):
        ndim = r.take("<i")
        shape = tuple(int(d) for d in r.array(np.int64, (max(ndim, 0),)))
        # V3 (NumPy semantics): ndim -1 = no array, 0 = a scalar; before it ndim 0 meant no array.
        if ndim < 0 or (ndim == 0 and magic != NDARRAY_V3_MAGIC) or any(d < 0 for d in shape):
            return None
    else:  # oldest layout: the word read was ndim, dimensions are uint32
        shape = tuple(int(d) for d in r.array(np.uint32, (magic,)))
        if not shape:
            return None
    _dev_type, _dev_id, type_flag = r.take("<iii")
    if type_flag not in DTYPES:
        raise ModelFileError(f"{r.source}: unknown dtype flag {type_flag}")
    return r.array(DTYPES[type_flag], shape)


def _attrs(node: dict) -> dict:
    # The key was "param" (MXNet < 0.9), then "attr", then "attrs".
    return node.get("attrs") or node.get("attr") or node.get("param") or {}


def _flag(value, default: bool) -> bool:
    if value is None:
        return default
    return str(value).strip().lower() in ("true", "1")


def _ints(value, default: tuple[int, ...]) -> tuple[int, ...]:
    if value is None:
        return default
    return tuple(int(v) for v in str(value).strip("()[] ").split(",") if v.strip())


_ADD = {"elemwise_add", "_Plus", "_plus", "broadcast_add", "_add"}
_PASSTHROUGH = {"Flatten", "flatten", "_copy", "identity", "BlockGrad", "Reshape"}


def mxnet_ops(symbol: dict, params: dict[str, np.ndarray], source: str) -> list[Op]:
    """The layers leading to the embedding ("fc1", else the symbol's first head) as ``Op`` records."""
    nodes = symbol.get("nodes")
    if not isinstance(nodes, list):
        raise ModelFileError(f"{source} is not an MXNet symbol file (no 'nodes')")
    names = [n["name"] for n in nodes]
    if "fc1" in names:
        output = names.index("fc1")
    else:
        output = symbol["heads"][0][0]
    needed, stack = set(), [output]
    while stack:
        i = stack.pop()
        if i not in needed:
            needed.add(i)
            stack.extend(j for j, *_ in nodes[i]["inputs"])

    def param(node_index: int, fill: np.ndarray | None = None) -> np.ndarray:
        name = names[node_index]
        for key in (f"arg:{name}", f"aux:{name}", name):
            if key in params:
                return np.asarray(params[key], np.float32)
        if fill is not None:
            return fill
        raise ModelFileError(f"{source}: the symbol needs parameter {name!r}, which the .params file lacks")

    alias: dict[str, str] = {}

    def resolve(name: str) -> str:
        while name in alias:
            name = alias[name]
        return name

    ops: list[Op] = []
    for i in sorted(needed):
        node = nodes[i]
        kind, name, a = node["op"], node["name"], _attrs(node)
        if kind == "null":
            continue
        ins = [j for j, *_ in node["inputs"]]
        x = resolve(names[ins[0]])
        if kind in _PASSTHROUGH:
            alias[name] = x
        elif kind == "Convolution":
            kernel = _ints(a.get("kernel"), (1, 1))
            if _ints(a.get("num_group"), (1,)) != (1,) or _ints(a.get("dilate"), (1, 1)) != (1, 1):
                raise ModelFileError(f"{source}: grouped or dilated convolution {name!r} is not part of an IResNet")
            if _ints(a.get("pad"), (0, 0)) != (kernel[0] // 2, kernel[1] // 2):
                raise ModelFileError(f"{source}: convolution {name!r} is not padded like an IResNet's")
            arrays = {"weight": param(ins[1])}
            if not _flag(a.get("no_bias"), False):
                arrays["bias"] = param(ins[2])
            ops.append(Op("conv", name, [x], name, arrays, {"stride": _ints(a.get("stride"), (1, 1))[0]}))
        elif kind == "BatchNorm":
            beta = param(ins[2])
            gamma = param(ins[1])
            if _flag(a.get("fix_gamma"), True):  # MXNet's default: gamma is held at 1, whatever is stored
                gamma = np.ones_like(beta)
            ops.append(Op("bn", name, [x], name,
                          {"gamma": gamma, "beta": beta, "mean": param(ins[3]), "var": param(ins[4])},
                          {"eps": float(a.get("eps", 1e-3))}))
        elif kind == "LeakyReLU":
            act = a.get("act_type", "leaky")
            if act == "prelu":
                slope = param(ins[1])
            elif act == "leaky":
                slope = np.array([float(a.get("slope", 0.25))], np.float32)
            else:
                raise ModelFileError(f"{source}: activation {act!r} of {name!r} is not part of an IResNet")
            ops.append(Op("prelu", name, [x], name, {"slope": slope}))
        elif kind in ("Activation", "relu") and a.get("act_type", "relu") == "relu":
            ops.append(Op("prelu", name, [x], name, {"slope": np.zeros(1, np.float32)}))
        elif kind in _ADD:
            ops.append(Op("add", name, [x, resolve(names[ins[1]])], name))
        elif kind == "Dropout":
            ops.append(Op("dropout", name, [x], name, attrs={"p": float(a.get("p", 0.5))}))
        elif kind == "FullyConnected":
            if not _flag(a.get("flatten"), True):
                raise ModelFileError(f"{source}: FullyConnected {name!r} without flatten is not an IResNet head")
            arrays = {"weight": param(ins[1])}
            if not _flag(a.get("no_bias"), False):
                arrays["bias"] = param(ins[2])
            ops.append(Op("fc", name, [x], name, arrays))
        elif kind in ("_minus_scalar", "_plus_scalar", "_mul_scalar", "_div_scalar"):
            scalar = float(a["scalar"])
            op_kind, value = {"_minus_scalar": ("sub", scalar), "_plus_scalar": ("sub", -scalar),
                              "_mul_scalar": ("mul", scalar), "_div_scalar": ("mul", 1 / scalar)}[kind]
            ops.append(Op(op_kind, name, [x], name, {"value": np.float32(value)}))
        else:
            raise ModelFileError(f"{source}: layer {name!r} ({kind}) is not part of an IResNet")
    return ops


def load_mxnet_iresnet(params_path: str | Path, symbol_path: str | Path) -> IResNet:
    """An MXNet IResNet checkpoint (``-0000.params`` + ``-symbol.json``) as a PyTorch ``IResNet``."""
    try:
        symbol = json.loads(Path(symbol_path).read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{symbol_path} is not an MXNet symbol file: {exc}") from None
    params = read_ndarray_list(params_path)
    return iresnet_from_ops(mxnet_ops(symbol, params, str(symbol_path)), f"{params_path} + {symbol_path}")
