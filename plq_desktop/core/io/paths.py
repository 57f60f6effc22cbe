"""Per-user locations used by PLQ Desktop."""

from __future__ import annotations

import os
from pathlib import Path


def _user_dir(override_var: str, xdg_var: str, fallback: str) -> Path:
    override = os.environ.get(override_var)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get(xdg_var)
    # The XDG spec says relative values are invalid and must be ignored.
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "plq-desktop"
    return Path.home() / fallback / "plq-desktop"


def default_cache_dir() -> Path:
    """Folder for derived files (converted weights, downloads); not created here.

    ``$PLQ_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/plq-desktop``, else
    ``~/.cache/plq-desktop``.
    """
    return _user_dir("PLQ_CACHE_DIR", "XDG_CACHE_HOME", ".cache")


def config_dir() -> Path:
    """Folder for the user's settings such as models.json.

    ``$PLQ_CONFIG_DIR`` if set, else ``$XDG_CONFIG_HOME/plq-desktop``, else
    ``~/.config/plq-desktop``.
    """
    return _user_dir("PLQ_CONFIG_DIR", "XDG_CONFIG_HOME", ".config")
