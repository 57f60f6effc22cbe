"""PyTorch state dicts: loaded without unpickling code, and checked key by key against the network."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from plq_desktop.core.formats.errors import ModelFileError

# -- arcface_torch state dicts ---------------------------------------------------

def load_state_dict_safely(path: str | Path) -> dict:
    """A plain PyTorch state dict, loaded with ``weights_only=True``: no code in the file runs."""
    try:
        state = torch.load(str(path), map_location="cpu", weights_only=True)
    except Exception as exc:  # a pickle that weights_only refuses, a truncated file, ...
        raise ModelFileError(f"{path} is not a PyTorch state dict that loads safely: {exc}") from None
    if not isinstance(state, dict):
        raise ModelFileError(f"{path} holds a {type(state).__name__}, not a state dict")
    return state


def load_checked_state_dict(net: nn.Module, state: dict, mismatch: str) -> nn.Module:
    """Load ``state`` into ``net`` after checking every key and shape (clear errors, no silent gaps)."""
    expected = net.state_dict()
    missing = [k for k in expected if k not in state and not k.endswith("num_batches_tracked")]
    unexpected = [k for k in state if k not in expected]
    if missing or unexpected:
        raise ModelFileError(f"{mismatch}: missing {missing[:5]}, unexpected {unexpected[:5]}")
    for key, value in state.items():
        if tuple(value.shape) != tuple(expected[key].shape):
            raise ModelFileError(f"{mismatch}: {key} has shape {tuple(value.shape)}, "
                                 f"expected {tuple(expected[key].shape)}")
    net.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in state.items()}, strict=False)
    return net.eval()
