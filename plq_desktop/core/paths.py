"""Per-user locations used by PLQ Desktop."""

from __future__ import annotations

import os
from pathlib import Path


def default_cache_dir() -> Path:
    """Folder for derived files (converted weights, ...); not created here.

    ``$PLQ_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/plq-desktop``, else
    ``~/.cache/plq-desktop``.
    """
    override = os.environ.get("PLQ_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    # The XDG spec says relative values are invalid and must be ignored.
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "plq-desktop"
    return Path.home() / ".cache" / "plq-desktop"
