"""The settings the window keeps between sessions (QSettings underneath)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANIZATION = "PLQ Desktop"
APPLICATION = "plq-desktop"
MAX_RECENT = 8

# key -> default; the default's type is the type read back.
DEFAULTS: dict[str, object] = {
    "model": "dlib-resnet",
    "model_b": "dlib-resnet:serfiq",     # side by side without a second network: the same model under SER-FIQ
    "explanation": "plq",                # per pane: "plq" or "amva"
    "explanation_b": "plq",
    "side_by_side": False,
    "difference": False,
    "device": "auto",
    "gamma_offset": 0.0,
    "raw_map": False,
    "opacity": 0.55,
    "palette": "red-green",              # core.io.palette: the map's colours
    "camera": "",
    "resolution": "",
    "recent_files": [],
    "language": "",                      # "" follows the system's language; else a code of gui.i18n.languages()
    "audience": "officer",               # whose wording the hints show: "officer" or "applicant"
}


def second_model_default() -> str:
    """The side-by-side's second pane: a second real network when its files are installed."""
    from plq_desktop.core.zoo.registry import SECOND_NETWORK, get_spec, is_present
    return SECOND_NETWORK if is_present(get_spec(SECOND_NETWORK)) else str(DEFAULTS["model_b"])


class Settings:
    """Typed access to the persisted settings.

    The application uses the per-user store; tests and screenshot runs pass a
    QSettings on a file of their own so the user's settings stay untouched.
    """

    def __init__(self, store: QSettings | None = None):
        self.store = store if store is not None else QSettings(ORGANIZATION, APPLICATION)

    def get(self, key: str):
        default = DEFAULTS[key]
        if key == "model_b" and not self.store.contains(key):
            return second_model_default()
        raw = self.store.value(key, default)
        # INI files hand back strings (and a one-item list as a plain string).
        if isinstance(default, bool):
            return raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1", "yes")
        if isinstance(default, float):
            try:
                return float(raw)
            except (TypeError, ValueError):
                return default
        if isinstance(default, list):
            if raw is None or raw == "":
                return []
            return [str(v) for v in raw] if isinstance(raw, (list, tuple)) else [str(raw)]
        return str(raw)

    def set(self, key: str, value) -> None:
        if key not in DEFAULTS:
            raise KeyError(f"unknown setting {key!r}")
        self.store.setValue(key, value)

    def add_recent(self, path: str) -> list[str]:
        recent = [path] + [p for p in self.get("recent_files") if p != path]
        recent = recent[:MAX_RECENT]
        self.set("recent_files", recent)
        return recent

    def sync(self) -> None:
        self.store.sync()
