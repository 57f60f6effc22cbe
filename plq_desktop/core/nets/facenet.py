"""FaceNet: Inception-ResNet-v1 (Schroff et al.; Szegedy et al.) as trained by davidsandberg/facenet.

The module reproduces facenet-pytorch's ``InceptionResnetV1`` layer for
layer with the same attribute names, so its published state dicts
(``20180402-114759-vggface2.pt``, ``20180408-102900-casia-webface.pt``) load
directly, without the ``facenet-pytorch`` package (which pins torch < 2.3 and
numpy < 2). Their ``logits.*`` keys are the training classifier and are not
needed for embeddings.

160 x 160 RGB chip, normalised (x - 127.5) / 128 -> stem -> 5 x Block35 ->
Mixed_6a -> 10 x Block17 -> Mixed_7a -> 5 x Block8 -> Block8 (no ReLU) ->
global average pool (1792) -> [dropout in training] -> linear (no bias) ->
BN -> L2 normalisation = 512-D embedding. SER-FIQ's dropout goes on the
pooled 1792 features, where training had it.
"""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from plq_desktop.core.formats.state_dict import (
    load_checked_state_dict,
    load_state_dict_safely,
)
from plq_desktop.core.nets.base import SplitNet


class BasicConv2d(nn.Module):
    def __init__(self, cin: int, cout: int, kernel_size, stride: int, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel_size, stride=stride, padding=padding, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=0.001, momentum=0.1)
        self.relu = nn.ReLU()

    def forward(self, x: Tensor) -> Tensor:
        return self.relu(self.bn(self.conv(x)))


class Block35(nn.Module):
    def __init__(self, scale: float):
        super().__init__()
        self.scale = scale
        self.branch0 = BasicConv2d(256, 32, 1, 1)
        self.branch1 = nn.Sequential(BasicConv2d(256, 32, 1, 1), BasicConv2d(32, 32, 3, 1, 1))
        self.branch2 = nn.Sequential(BasicConv2d(256, 32, 1, 1), BasicConv2d(32, 32, 3, 1, 1),
                                     BasicConv2d(32, 32, 3, 1, 1))
        self.conv2d = nn.Conv2d(96, 256, 1)
        self.relu = nn.ReLU()

    def forward(self, x: Tensor) -> Tensor:
        out = self.conv2d(torch.cat((self.branch0(x), self.branch1(x), self.branch2(x)), 1))
        return self.relu(out * self.scale + x)


class Block17(nn.Module):
    def __init__(self, scale: float):
        super().__init__()
        self.scale = scale
        self.branch0 = BasicConv2d(896, 128, 1, 1)
        self.branch1 = nn.Sequential(BasicConv2d(896, 128, 1, 1), BasicConv2d(128, 128, (1, 7), 1, (0, 3)),
                                     BasicConv2d(128, 128, (7, 1), 1, (3, 0)))
        self.conv2d = nn.Conv2d(256, 896, 1)
        self.relu = nn.ReLU()

    def forward(self, x: Tensor) -> Tensor:
        out = self.conv2d(torch.cat((self.branch0(x), self.branch1(x)), 1))
        return self.relu(out * self.scale + x)


class Block8(nn.Module):
    def __init__(self, scale: float = 1.0, relu: bool = True):
        super().__init__()
        self.scale = scale
        self.branch0 = BasicConv2d(1792, 192, 1, 1)
        self.branch1 = nn.Sequential(BasicConv2d(1792, 192, 1, 1), BasicConv2d(192, 192, (1, 3), 1, (0, 1)),
                                     BasicConv2d(192, 192, (3, 1), 1, (1, 0)))
        self.conv2d = nn.Conv2d(384, 1792, 1)
        self.relu = nn.ReLU() if relu else None

    def forward(self, x: Tensor) -> Tensor:
        out = self.conv2d(torch.cat((self.branch0(x), self.branch1(x)), 1)) * self.scale + x
        return out if self.relu is None else self.relu(out)


class Mixed6a(nn.Module):
    def __init__(self):
        super().__init__()
        self.branch0 = BasicConv2d(256, 384, 3, 2)
        self.branch1 = nn.Sequential(BasicConv2d(256, 192, 1, 1), BasicConv2d(192, 192, 3, 1, 1),
                                     BasicConv2d(192, 256, 3, 2))
        self.branch2 = nn.MaxPool2d(3, stride=2)

    def forward(self, x: Tensor) -> Tensor:
        return torch.cat((self.branch0(x), self.branch1(x), self.branch2(x)), 1)


class Mixed7a(nn.Module):
    def __init__(self):
        super().__init__()
        self.branch0 = nn.Sequential(BasicConv2d(896, 256, 1, 1), BasicConv2d(256, 384, 3, 2))
        self.branch1 = nn.Sequential(BasicConv2d(896, 256, 1, 1), BasicConv2d(256, 256, 3, 2))
        self.branch2 = nn.Sequential(BasicConv2d(896, 256, 1, 1), BasicConv2d(256, 256, 3, 1, 1),
                                     BasicConv2d(256, 256, 3, 2))
        self.branch3 = nn.MaxPool2d(3, stride=2)

    def forward(self, x: Tensor) -> Tensor:
        return torch.cat((self.branch0(x), self.branch1(x), self.branch2(x), self.branch3(x)), 1)


class InceptionResnetV1(SplitNet):
    """facenet-pytorch's network (same parameter names), without the classifier."""

    chip_size = 160

    def __init__(self):
        super().__init__()
        self.conv2d_1a = BasicConv2d(3, 32, 3, 2)
        self.conv2d_2a = BasicConv2d(32, 32, 3, 1)
        self.conv2d_2b = BasicConv2d(32, 64, 3, 1, 1)
        self.maxpool_3a = nn.MaxPool2d(3, stride=2)
        self.conv2d_3b = BasicConv2d(64, 80, 1, 1)
        self.conv2d_4a = BasicConv2d(80, 192, 3, 1)
        self.conv2d_4b = BasicConv2d(192, 256, 3, 2)
        self.repeat_1 = nn.Sequential(*[Block35(0.17) for _ in range(5)])
        self.mixed_6a = Mixed6a()
        self.repeat_2 = nn.Sequential(*[Block17(0.10) for _ in range(10)])
        self.mixed_7a = Mixed7a()
        self.repeat_3 = nn.Sequential(*[Block8(0.20) for _ in range(5)])
        self.block8 = Block8(relu=False)
        self.avgpool_1a = nn.AdaptiveAvgPool2d(1)
        self.last_linear = nn.Linear(1792, 512, bias=False)
        self.last_bn = nn.BatchNorm1d(512, eps=0.001, momentum=0.1)

    def spatial_features(self, x: Tensor) -> Tensor:
        """block8's N x 1792 x 3 x 3 output, before the average pool."""
        x = (x - 127.5) / 128.0  # facenet-pytorch's fixed_image_standardization
        x = self.conv2d_2b(self.conv2d_2a(self.conv2d_1a(x)))
        x = self.conv2d_4b(self.conv2d_4a(self.conv2d_3b(self.maxpool_3a(x))))
        x = self.mixed_7a(self.repeat_2(self.mixed_6a(self.repeat_1(x))))
        return self.block8(self.repeat_3(x))

    def pool_spatial(self, s: Tensor) -> Tensor:
        return torch.flatten(self.avgpool_1a(s), 1)

    def features(self, x: Tensor) -> Tensor:
        return self.pool_spatial(self.spatial_features(x))

    def head(self, f: Tensor) -> Tensor:
        return F.normalize(self.last_bn(self.last_linear(f)), p=2, dim=1)


# The training classifier: not part of the embedding network.
_CLASSIFIER_PREFIX = "logits."


def load_facenet(path: str | Path) -> InceptionResnetV1:
    """A facenet-pytorch state dict, loaded with ``weights_only=True`` (no code runs from the file)."""
    state = load_state_dict_safely(path)
    state = {k: v for k, v in state.items() if not k.startswith(_CLASSIFIER_PREFIX)}
    return load_checked_state_dict(InceptionResnetV1(), state,
                                   f"{path} is not a facenet-pytorch InceptionResnetV1 state dict")
