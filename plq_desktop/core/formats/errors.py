"""The one error every weight-file reader raises."""

from __future__ import annotations

import os
from pathlib import Path


class ModelFileError(ValueError):
    """A weight file that is truncated, corrupt or not (entirely) the network it should be."""

    def __init__(self, reason: str, path: str | os.PathLike | None = None):
        self.reason = reason
        self.path = Path(path) if path is not None else None
        super().__init__(f"{self.path}: {reason}" if self.path is not None else reason)
