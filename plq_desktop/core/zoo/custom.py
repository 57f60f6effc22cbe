"""The user's own models (``models.json`` in the config folder): ONNX IResNets and TorchScript networks."""

from __future__ import annotations

import json
from pathlib import Path

from plq_desktop.core.io.files import sha256_file
from plq_desktop.core.io.paths import config_dir
from plq_desktop.core.zoo.weights import HashMismatch, WeightsError, WeightsMissing

CUSTOM_FORMATS = ("onnx-iresnet", "torchscript")


def custom_models_file() -> Path:
    return config_dir() / "models.json"


def custom_model_entries() -> dict[str, dict]:
    """The user's ``models.json`` entries, checked, with ``path`` resolved against the config folder."""
    path = custom_models_file()
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WeightsError(f"{path} is not valid JSON: {exc}") from None
    models = data.get("models") if isinstance(data, dict) else None
    if not isinstance(models, dict):
        raise WeightsError(f'{path} must hold {{"models": {{"NAME": {{...}}}}}}')
    entries = {}
    for name, entry in models.items():
        if not isinstance(entry, dict) or entry.get("format") not in CUSTOM_FORMATS or "file" not in entry:
            raise WeightsError(f"{path}: model {name!r} needs \"format\" ({' or '.join(CUSTOM_FORMATS)}) "
                               "and \"file\"")
        entries[name] = dict(entry, path=(config_dir() / Path(entry["file"]).expanduser()))
    return entries


def verify_custom_file(name: str, path: Path, sha256: str | None) -> Path:
    if not path.is_file():
        raise WeightsMissing(f"custom model {name}: {path} does not exist (see {custom_models_file()})")
    if sha256 and sha256_file(path) != sha256.lower():
        raise HashMismatch(f"custom model {name}: {path} does not have the SHA-256 {sha256} "
                           f"that {custom_models_file()} gives; not loaded")
    return path
