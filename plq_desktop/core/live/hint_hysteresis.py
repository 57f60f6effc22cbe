"""Live hints without flicker: a short hysteresis on which hints show, frame to frame.

A value near its threshold (an eye aspect ratio of 0.15 against 0.15) fails
on one frame and passes on the next, so the hint list of a live face jumped
several times a second. Here a hint appears once it has come in
``ON_AFTER`` consecutive results and goes once it has been missing from
``OFF_AFTER`` consecutive results; while it lingers it shows its latest
sentence. A photo's hints are never smoothed: each is one result.
"""

from __future__ import annotations

from plq_desktop.core.icao.hints import SEVERITY_ORDER

ON_AFTER = 2      # consecutive results with a hint before it shows
OFF_AFTER = 3     # consecutive results without it before it goes


def hint_key(hint) -> tuple[str, str]:
    return hint.check, hint.region


class HintHysteresis:
    """Feed each live result's hints of one face (``update``); show what it returns."""

    def __init__(self, on_after: int = ON_AFTER, off_after: int = OFF_AFTER):
        self.on_after, self.off_after = on_after, off_after
        self.reset()

    def reset(self) -> None:
        """Another face or another source: start from nothing."""
        self._seen: dict[tuple[str, str], int] = {}      # consecutive results with the hint
        self._missing: dict[tuple[str, str], int] = {}   # consecutive results without a shown hint
        self._latest: dict[tuple[str, str], object] = {}  # the hint's latest version
        self._shown: set[tuple[str, str]] = set()

    def update(self, hints: list) -> list:
        """The hints to show after this result's ``hints`` (most severe first, as ``make_hints`` orders)."""
        present = {hint_key(h): h for h in hints}
        for key, hint in present.items():
            self._latest[key] = hint
            self._seen[key] = self._seen.get(key, 0) + 1
            self._missing.pop(key, None)
            if self._seen[key] >= self.on_after:
                self._shown.add(key)
        for key in list(self._latest):
            if key in present:
                continue
            self._seen.pop(key, None)
            if key not in self._shown:
                del self._latest[key]
                continue
            self._missing[key] = self._missing.get(key, 0) + 1
            if self._missing[key] >= self.off_after:
                self._shown.discard(key)
                del self._missing[key], self._latest[key]
        # The order of this result first, then the lingering ones; most severe first overall (a stable sort).
        order = [hint_key(h) for h in hints] + [k for k in self._latest if k not in present]
        shown = [self._latest[k] for k in order if k in self._shown]
        return sorted(shown, key=lambda h: SEVERITY_ORDER[h.severity])
