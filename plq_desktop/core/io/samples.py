"""Real face photos that installed PyPI packages ship, for demos, tests and the study.

Nothing is downloaded: each sample lies inside a package that PLQ Desktop
already depends on.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

# name -> (package, path inside the package, description)
SAMPLES: dict[str, tuple[str, str, str]] = {
    "t1": ("insightface", "data/images/t1.jpg", "group photo, six frontal faces (insightface)"),
    "tom_hanks": ("insightface", "data/images/Tom_Hanks_54745.png", "112 x 112 aligned face crop (insightface)"),
    "mask_white": ("insightface", "data/images/mask_white.jpg", "a white medical mask alone, no face: a texture for occluders (insightface)"),
    "mask_blue": ("insightface", "data/images/mask_blue.jpg", "a blue medical mask alone, no face: a texture for occluders (insightface)"),
    "grace_hopper": ("matplotlib", "mpl-data/sample_data/grace_hopper.jpg", "portrait of Grace Hopper (matplotlib)"),
    "astronaut": ("skimage", "data/astronaut.png", "portrait of Eileen Collins (scikit-image)"),
}


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the package {package!r} that ships this sample is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def sample_path(name: str) -> Path:
    try:
        package, rel, _ = SAMPLES[name]
    except KeyError:
        raise ValueError(f"unknown sample {name!r}; choose one of {', '.join(sorted(SAMPLES))}") from None
    path = _package_dir(package) / rel
    if not path.is_file():
        raise FileNotFoundError(f"sample {name!r} is missing from the {package} package ({path})")
    return path
