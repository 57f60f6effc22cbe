"""The contract every face-recognition network in PLQ Desktop fulfils.

SER-FIQ (Eq. 1 of the paper) puts dropout on the input of the final embedding
layer(s), so every network is written as e = head(features(x)):

- ``features(x)``: x is an N x 3 x H x W float tensor of RGB values in 0..255
  (the chip pixels themselves, so gradients reach them); the network applies
  its own normalisation. Returns the N x F input of the head, flattened.
- ``head(f)``: N x F -> N x D embedding, deterministic (the quality code adds
  the dropout itself, so the module may stay in eval mode).

For activation maps (AMVA, ``core/plq/amva.py``) a network with a spatial
last feature layer also splits ``features`` once more:
``features(x) == pool_spatial(spatial_features(x))``, where
``spatial_features(x)`` is the N x C x h x w output of its last spatial layer
and ``pool_spatial`` flattens or pools it. Networks without one (a custom
TorchScript model) leave both unimplemented.
"""

from __future__ import annotations

from torch import Tensor, nn


class SplitNet(nn.Module):
    """Base class: ``forward(x) == head(features(x))``."""

    def features(self, x: Tensor) -> Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def head(self, f: Tensor) -> Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def spatial_features(self, x: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} exposes no spatial feature layer")

    def pool_spatial(self, s: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} exposes no spatial feature layer")

    @property
    def has_spatial_features(self) -> bool:
        return type(self).spatial_features is not SplitNet.spatial_features

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.features(x))


def rms_activation(spatial: Tensor) -> Tensor:
    """AMVA's activation map on the layer's own grid: the root mean square over channels, N x h x w."""
    return spatial.float().square().mean(dim=1).sqrt()
