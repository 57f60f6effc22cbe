"""A frame and the one-slot mailbox between the frame reader and the analysis worker (latest frame wins)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

# -- frames and the mailbox ---------------------------------------------------

@dataclass(frozen=True, eq=False)
class Frame:
    """One RGB uint8 frame; ``timestamp`` is ``time.monotonic()`` at capture."""

    image: np.ndarray
    frame_id: int
    timestamp: float
    generation: int = 0


class Mailbox:
    """A one-slot mailbox: ``put`` replaces an unread item (counted in ``dropped``).

    ``put`` notifies ``condition``, which the owner waits on (the engine waits
    on it for frames and for commands alike).
    """

    def __init__(self, condition: threading.Condition | None = None):
        self._cond = condition or threading.Condition()
        self._item = None
        self._closed = False
        self.posted = 0
        self.dropped = 0

    def put(self, item) -> bool:
        """Store ``item``; True when it replaced one nobody had taken. Ignored once closed."""
        with self._cond:
            if self._closed:
                return False
            replaced = self._item is not None
            self.dropped += replaced
            self.posted += 1
            self._item = item
            self._cond.notify_all()
            return replaced

    def take_nowait(self):
        with self._cond:
            item, self._item = self._item, None
            return item

    def discard(self) -> None:
        """Drop an unread item (counted) because it no longer matters."""
        with self._cond:
            if self._item is not None:
                self._item = None
                self.dropped += 1

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._item = None
            self._cond.notify_all()
