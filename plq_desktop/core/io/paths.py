"""Per-user folders of PLQ Desktop, where each operating system keeps them (platformdirs).

Each can be overridden by an environment variable, which tests and portable
installs use: ``$PLQ_CACHE_DIR`` (converted weights, downloads),
``$PLQ_CONFIG_DIR`` (models.json) and ``$PLQ_DATA_DIR`` (what the evaluation
tools write). Folders are not created here.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "plq-desktop"


def _user_dir(override_var: str, default: str) -> Path:
    override = os.environ.get(override_var)
    return Path(override).expanduser() if override else Path(default)


def default_cache_dir() -> Path:
    """Derived files (converted weights, downloads): ``~/.cache/plq-desktop`` on Linux."""
    return _user_dir("PLQ_CACHE_DIR", platformdirs.user_cache_dir(APP, appauthor=False))


def config_dir() -> Path:
    """The user's settings such as models.json: ``~/.config/plq-desktop`` on Linux."""
    return _user_dir("PLQ_CONFIG_DIR", platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    """What the evaluation tools write by default: ``~/.local/share/plq-desktop`` on Linux."""
    return _user_dir("PLQ_DATA_DIR", platformdirs.user_data_dir(APP, appauthor=False))
