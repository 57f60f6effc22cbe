"""ArcFace's IResNet backbones (insightface ``arcface_torch`` and MXNet "LResNetxxxE-IR") in PyTorch.

The network (Deng et al., ArcFace; Duta et al.'s improved residual unit):
112 x 112 RGB chip -> conv 3x3 -> BN -> PReLU -> four stages of residual
units (BN -> conv 3x3 -> BN -> PReLU -> conv 3x3 (stride 2 in a stage's first
unit) -> BN, plus a 1x1 conv + BN shortcut where the shape changes) -> BN ->
flatten (512 x 7 x 7) -> [dropout during training] -> fully connected ->
BN = 512-D embedding (not L2-normalised).

SER-FIQ's dropout goes where training had it: on the flattened input of the
fully connected layer, so ``features`` ends at the flatten and ``head`` is
fc + BN.

Three file formats load into the same module:
- ``arcface_torch`` state dicts (``backbone.pth``): ``load_arcface_torch`` here;
- insightface ONNX exports (``w600k_r50.onnx``, ``glintr100.onnx``):
  ``onnx_weights.load_iresnet_onnx``;
- MXNet checkpoints (``model-0000.params`` + ``model-symbol.json``):
  ``mxnet_weights.load_mxnet_iresnet``.
The two graph formats are read into the same list of ``Op`` records and
assembled by ``iresnet_from_ops``, which recovers the depth and widths from
the graph itself (so IResNet-50, -100 and any other depth load alike).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import Tensor, nn

from plq_desktop.core.formats.errors import ModelFileError
from plq_desktop.core.formats.state_dict import (
    load_checked_state_dict,
    load_state_dict_safely,
)
from plq_desktop.core.nets.base import SplitNet

# arcface_torch's depths (get_model("r50") etc.).
DEPTHS = {18: (2, 2, 2, 2), 34: (3, 4, 6, 3), 50: (3, 4, 14, 3), 100: (3, 13, 30, 3), 200: (6, 26, 60, 6)}
# Every stage halves the chip: 112 -> 7.
_DOWNSAMPLING = 16


def _bn(channels: int, eps: float) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(channels, eps=eps)


class IBasicBlock(nn.Module):
    """The improved residual unit; attribute names are arcface_torch's."""

    def __init__(self, inplanes: int, planes: int, stride: int, eps: float = 1e-5):
        super().__init__()
        self.bn1 = _bn(inplanes, eps)
        self.conv1 = nn.Conv2d(inplanes, planes, 3, 1, 1, bias=False)
        self.bn2 = _bn(planes, eps)
        self.prelu = nn.PReLU(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn3 = _bn(planes, eps)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), _bn(planes, eps))

    def forward(self, x: Tensor) -> Tensor:
        out = self.bn3(self.conv2(self.prelu(self.bn2(self.conv1(self.bn1(x))))))
        identity = x if self.downsample is None else self.downsample(x)
        return out + identity


class IResNet(SplitNet):
    """IResNet with arcface_torch's parameter names, except the embedding BN.

    arcface_torch calls the final BatchNorm1d ``features``, which would hide
    SplitNet's ``features`` method; it is ``fc_bn`` here and the state-dict
    loader renames the keys.

    ``input_mean`` / ``input_scale`` (per RGB channel) hold the model's own
    normalisation (x - mean) * scale of 0..255 input; ``trained_dropout`` is
    the dropout rate training used before ``fc`` when the file says (MXNet
    symbol, ONNX Dropout node), else None.
    """

    def __init__(self, layers=(3, 13, 30, 3), widths=(64, 128, 256, 512), stem_width: int = 64,
                 embedding_dim: int = 512, chip_size: int = 112, eps: float = 1e-5,
                 input_mean: float = 127.5, input_scale: float = 1 / 127.5):
        super().__init__()
        if chip_size % _DOWNSAMPLING:
            raise ValueError(f"IResNet chips must be a multiple of {_DOWNSAMPLING} pixels, got {chip_size}")
        self.layers = tuple(layers)
        self.widths = tuple(widths)
        self.chip_size = chip_size
        self.trained_dropout: float | None = None
        self.register_buffer("input_mean", torch.full((3,), float(input_mean)), persistent=False)
        self.register_buffer("input_scale", torch.full((3,), float(input_scale)), persistent=False)
        self.conv1 = nn.Conv2d(3, stem_width, 3, 1, 1, bias=False)
        self.bn1 = _bn(stem_width, eps)
        self.prelu = nn.PReLU(stem_width)
        inplanes = stem_width
        for i, (blocks, planes) in enumerate(zip(layers, widths), start=1):
            units = [IBasicBlock(inplanes if j == 0 else planes, planes, 2 if j == 0 else 1, eps)
                     for j in range(blocks)]
            setattr(self, f"layer{i}", nn.Sequential(*units))
            inplanes = planes
        self.bn2 = _bn(inplanes, eps)
        side = chip_size // _DOWNSAMPLING
        self.fc = nn.Linear(inplanes * side * side, embedding_dim)
        self.fc_bn = nn.BatchNorm1d(embedding_dim, eps=eps)

    def spatial_features(self, x: Tensor) -> Tensor:
        """The last BN's N x 512 x 7 x 7 output: the last spatial layer before the flatten."""
        x = (x - self.input_mean.view(1, 3, 1, 1)) * self.input_scale.view(1, 3, 1, 1)
        x = self.prelu(self.bn1(self.conv1(x)))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.bn2(x)

    def pool_spatial(self, s: Tensor) -> Tensor:
        return torch.flatten(s, 1)

    def features(self, x: Tensor) -> Tensor:
        return self.pool_spatial(self.spatial_features(x))

    def head(self, f: Tensor) -> Tensor:
        return self.fc_bn(self.fc(f))

    def set_normalisation(self, mean, scale) -> None:
        self.input_mean.copy_(torch.as_tensor(np.broadcast_to(np.asarray(mean, np.float32), (3,)).copy()))
        self.input_scale.copy_(torch.as_tensor(np.broadcast_to(np.asarray(scale, np.float32), (3,)).copy()))

    def blocks(self) -> list[IBasicBlock]:
        return [b for i in range(1, 5) for b in getattr(self, f"layer{i}")]


class CrFiqaIResNet(IResNet):
    """An IResNet with CR-FIQA's quality head (Boutros et al., CVPR 2023; code fdbtrs/CR-FIQA).

    The published checkpoints (``181952backbone.pth``: IResNet-100 on MS1MV2,
    CR-FIQA(L); ``32572backbone.pth``: IResNet-50 on CASIA-WebFace, CR-FIQA(S))
    are plain state dicts with arcface_torch's keys (``conv1``, ``bn1``,
    ``prelu``, ``layer1..4``, ``bn2``, ``fc`` 512 x 25088, ``features`` =
    the embedding BatchNorm1d(512)) plus ``qs.weight`` (1 x 512) and
    ``qs.bias`` (1): a linear node on the (not normalised) embedding that
    predicts the sample's relative classifiability. Training used dropout 0.4
    before ``fc`` and input (x / 255 - 0.5) / 0.5 = (x - 127.5) / 127.5.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.qs = nn.Linear(self.fc.out_features, 1)
        self.trained_dropout = 0.4

    def quality_score(self, embedding: Tensor) -> Tensor:
        """CR-FIQA's raw quality for each face: N embeddings -> N values."""
        return self.qs(embedding).squeeze(1)


def load_crfiqa(path: str | Path) -> CrFiqaIResNet:
    """A CR-FIQA checkpoint: arcface_torch's IResNet keys plus the quality head ``qs``."""
    state = {k.removeprefix("module."): v for k, v in load_state_dict_safely(path).items()}
    if "qs.weight" not in state or "qs.bias" not in state:
        raise ModelFileError(f"{path} holds no CR-FIQA quality head (qs.weight, qs.bias): it is not a CR-FIQA "
                             "checkpoint (a plain arcface_torch backbone loads as an ArcFace model)")
    if tuple(state["qs.weight"].shape)[0] != 1:
        raise ModelFileError(f"{path}: qs.weight has shape {tuple(state['qs.weight'].shape)}, CR-FIQA's quality "
                             "head has one output")
    return iresnet_from_state_dict(state, source=str(path), net_class=CrFiqaIResNet)


def load_arcface_torch(path: str | Path) -> IResNet:
    """An arcface_torch ``backbone.pth`` (a plain state dict)."""
    state = {k.removeprefix("module."): v for k, v in load_state_dict_safely(path).items()}  # saved from DistributedDataParallel
    return iresnet_from_state_dict(state, source=str(path))


def iresnet_from_state_dict(state: dict[str, Tensor], source: str = "state dict",
                            net_class: type[IResNet] = IResNet) -> IResNet:
    """Build the IResNet that the arcface_torch key names and shapes describe, and load it."""
    state = {("fc_bn" + k[len("features"):] if k.startswith("features.") else k): v for k, v in state.items()}
    try:
        layers = tuple(1 + max(int(m.group(1)) for k in state if (m := re.match(rf"layer{i}\.(\d+)\.", k)))
                       for i in range(1, 5))
        widths = tuple(state[f"layer{i}.0.conv1.weight"].shape[0] for i in range(1, 5))
        stem_width = state["conv1.weight"].shape[0]
        embedding_dim, fc_in = state["fc.weight"].shape
    except (KeyError, ValueError) as exc:
        raise ModelFileError(f"{source} is not an arcface_torch IResNet state dict (missing {exc})") from None
    chip = _chip_from_fc(fc_in, widths[-1], source)
    net = net_class(layers, widths, stem_width, embedding_dim, chip)
    return load_checked_state_dict(net, state, f"{source}: keys do not match an IResNet-{2 * sum(layers) + 2}")


def _chip_from_fc(fc_in: int, channels: int, source: str) -> int:
    side = math.isqrt(fc_in // channels)
    if side * side * channels != fc_in:
        raise ModelFileError(f"{source}: the fully connected layer takes {fc_in} inputs, "
                             f"not {channels} x s x s for a square feature map")
    return side * _DOWNSAMPLING


# -- graph formats (ONNX, MXNet symbol) -----------------------------------------

@dataclass
class Op:
    """One layer of a network graph, reduced to what assembling an IResNet needs.

    kind: "conv", "bn", "prelu", "fc", "add", "dropout", "sub", "mul".
    ``inputs`` are the data tensors it reads (parameters live in ``arrays``:
    conv weight/bias, bn gamma/beta/mean/var, prelu slope, fc weight (out x in)/
    bias, sub/mul value); ``attrs``: conv stride, bn eps, dropout p.
    """

    kind: str
    name: str
    inputs: list[str]
    output: str
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    attrs: dict = field(default_factory=dict)


@dataclass
class _Conv:
    op: Op
    bn: Op | None = None

    @property
    def kernel(self) -> int:
        return self.op.arrays["weight"].shape[-1]


def iresnet_from_ops(ops: list[Op], source: str) -> IResNet:
    """Assemble an IResNet from a graph's layers in topological order.

    Each kind of layer forms a chain that data dependencies order the same
    way in any valid topological sort: the 3x3 convolutions (stem, then two
    per unit), the 1x1 shortcut convolutions, the PReLUs (stem, one per unit)
    and the BNs that do not follow a convolution (one per unit, the final
    BN, the embedding BN). Exporters fold a convolution's BN into the
    convolution's bias (torch.onnx does); such a bias becomes an identity BN
    with that shift.
    """
    producer = {op.output: op for op in ops}
    convs = [_Conv(op) for op in ops if op.kind == "conv"]
    by_output = {c.op.output: c for c in convs}
    standalone: list[Op] = []
    for op in ops:
        if op.kind == "bn":
            owner = by_output.get(op.inputs[0])
            if owner is not None and owner.bn is None:
                owner.bn = op
            else:
                standalone.append(op)
    fcs = [op for op in ops if op.kind == "fc"]
    prelus = [op for op in ops if op.kind == "prelu"]

    def fail(why: str) -> ModelFileError:
        return ModelFileError(f"{source} is not an IResNet graph: {why}")

    if not convs or len(fcs) != 1:
        raise fail(f"found {len(convs)} convolutions and {len(fcs)} fully connected layers")
    stem, rest = convs[0], convs[1:]
    if stem.kernel != 3 or stem.op.attrs.get("stride", 1) != 1:
        raise fail("the input convolution is not 3x3 with stride 1 (not an 'L' / IR variant)")
    mains = [c for c in rest if c.kernel == 3]
    shortcuts = [c for c in rest if c.kernel == 1]
    if len(mains) % 2 or len(mains) + len(shortcuts) != len(rest):
        raise fail("residual units must have two 3x3 convolutions and an optional 1x1 shortcut")
    units = [(mains[2 * i], mains[2 * i + 1]) for i in range(len(mains) // 2)]
    n = len(units)
    fc = fcs[0]
    fc_bn = standalone[-1] if standalone and standalone[-1].inputs[0] == fc.output else None
    unit_bns = standalone[:n]
    final_bn = standalone[n] if len(standalone) > n else None
    if final_bn is None or len(standalone) != n + 1 + (fc_bn is not None):
        raise fail(f"{n} residual units need {n + 2} batch norms outside the convolutions, "
                   f"found {len(standalone)}")
    if len(prelus) != n + 1:
        raise fail(f"{n} residual units need {n + 1} PReLUs, found {len(prelus)}")
    for (conv1, _), bn1 in zip(units, unit_bns):
        if conv1.op.inputs[0] != bn1.output:
            raise fail(f"{conv1.op.name} does not read {bn1.name}")
    if final_bn.inputs[0] not in producer or producer[final_bn.inputs[0]].kind != "add":
        raise fail("the last batch norm does not follow a residual addition")

    # A stage starts where a unit downsamples; its shortcut convolution shows it.
    strided = [i for i, (_, conv2) in enumerate(units) if conv2.op.attrs.get("stride", 1) != 1]
    if len(strided) != 4 or strided[0] != 0 or len(shortcuts) != 4:
        raise fail(f"expected 4 stages with strided first units and 1x1 shortcuts, found "
                   f"{len(strided)} strided units and {len(shortcuts)} shortcuts")
    layers = tuple(b - a for a, b in zip(strided, strided[1:] + [n]))
    widths = tuple(units[i][0].op.arrays["weight"].shape[0] for i in strided)
    stem_width = stem.op.arrays["weight"].shape[0]
    embedding_dim, fc_in = fc.arrays["weight"].shape
    net = IResNet(layers, widths, stem_width, embedding_dim, _chip_from_fc(fc_in, widths[-1], source))

    with torch.no_grad():
        _set_conv(net.conv1, net.bn1, stem, source)
        _set_prelu(net.prelu, prelus[0], source)
        for i, block in enumerate(net.blocks()):
            conv1, conv2 = units[i]
            _set_bn(block.bn1, unit_bns[i], source)
            _set_conv(block.conv1, block.bn2, conv1, source)
            _set_prelu(block.prelu, prelus[i + 1], source)
            _set_conv(block.conv2, block.bn3, conv2, source)
            if block.downsample is not None:
                _set_conv(block.downsample[0], block.downsample[1], shortcuts[strided.index(i)], source)
        _set_bn(net.bn2, final_bn, source)
        _copy(net.fc.weight, fc.arrays["weight"], fc.name, source)
        _copy(net.fc.bias, fc.arrays.get("bias", np.zeros(embedding_dim, np.float32)), fc.name, source)
        if fc_bn is not None:
            _set_bn(net.fc_bn, fc_bn, source)
        else:
            _identity_bn(net.fc_bn, np.zeros(embedding_dim, np.float32))

    mean, scale = _normalisation(ops, stem.op, source)
    net.set_normalisation(mean, scale)
    net.trained_dropout = next((op.attrs["p"] for op in ops if op.kind == "dropout" and
                                fc.inputs[0] == op.output), None)
    return net.eval()


def _normalisation(ops: list[Op], first_conv: Op, source: str) -> tuple[np.ndarray, np.ndarray]:
    """(x - mean) * scale from the Sub/Mul layers before the first convolution.

    Without them the graph takes normalised input, and insightface's rule
    applies: (x - 127.5) / 127.5.
    """
    prefix = ops[:ops.index(first_conv)]
    if not any(op.kind in ("sub", "mul") for op in prefix):
        return np.float32(127.5), np.float32(1 / 127.5)
    # Compose the affine steps in order: x -> (x - m) * s.
    mean, scale = np.zeros(3, np.float64), np.ones(3, np.float64)
    for op in prefix:
        value = np.asarray(op.arrays.get("value", 0), np.float64).reshape(-1)
        if op.kind == "sub":
            mean = mean + value / scale
        elif op.kind == "mul":
            scale = scale * value
        else:
            raise ModelFileError(f"{source}: unexpected {op.kind} layer {op.name} before the first convolution")
    return mean.astype(np.float32), scale.astype(np.float32)


def _copy(target: Tensor, value: np.ndarray, name: str, source: str) -> None:
    value = np.asarray(value, dtype=np.float32)
    if value.size != target.numel():
        raise ModelFileError(f"{source}: {name} has {value.size} values, the network needs {target.numel()}")
    target.copy_(torch.from_numpy(value.reshape(tuple(target.shape)).copy()))


def _set_bn(bn: nn.BatchNorm2d | nn.BatchNorm1d, op: Op, source: str) -> None:
    for attr, key in (("weight", "gamma"), ("bias", "beta"), ("running_mean", "mean"), ("running_var", "var")):
        _copy(getattr(bn, attr), op.arrays[key], op.name, source)
    bn.eps = float(op.attrs.get("eps", bn.eps))


def _identity_bn(bn: nn.BatchNorm2d | nn.BatchNorm1d, shift: np.ndarray) -> None:
    """A BN that adds ``shift``: where an exporter folded the BN into the layer before."""
    bn.weight.fill_(1.0)
    bn.running_mean.zero_()
    bn.running_var.fill_(1.0 - bn.eps)  # so that sqrt(var + eps) == 1
    bn.bias.copy_(torch.from_numpy(np.asarray(shift, np.float32).reshape(-1).copy()))


def _set_conv(conv: nn.Conv2d, bn: nn.BatchNorm2d, spec: _Conv, source: str) -> None:
    _copy(conv.weight, spec.op.arrays["weight"], spec.op.name, source)
    bias = spec.op.arrays.get("bias")
    if spec.bn is None:
        _identity_bn(bn, bias if bias is not None else np.zeros(conv.out_channels, np.float32))
        return
    _set_bn(bn, spec.bn, source)
    if bias is not None:  # BN(conv + b) == BN with its mean moved by -b
        bn.running_mean.sub_(torch.from_numpy(np.asarray(bias, np.float32).reshape(-1).copy()))


def _set_prelu(prelu: nn.PReLU, op: Op, source: str) -> None:
    slope = np.asarray(op.arrays["slope"], np.float32).reshape(-1)
    if slope.size == 1:  # ReLU / LeakyReLU: one slope for every channel
        slope = np.full(prelu.num_parameters, slope[0], np.float32)
    _copy(prelu.weight, slope, op.name, source)
