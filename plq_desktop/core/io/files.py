"""Writing files so that a reader never sees a half-written one, and hashing them."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Callable

_CHUNK = 1 << 20


def atomic_write(path: Path, write: Callable[[str], None]) -> None:
    """Call ``write(temp_path)``, then rename the temporary file over ``path``.

    The temporary file sits in the same folder (same file system), so the rename
    is atomic: a crash or Ctrl-C leaves the old file or the new one, never half.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        write(tmp)
        # mkstemp creates 0600 files; outputs are ordinary documents (umask applies).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, data) -> None:
    atomic_write(path, lambda p: Path(p).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n"))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):  # hashlib.file_digest needs Python 3.11
            digest.update(chunk)
    return digest.hexdigest()
