"""Make tests/data/hse_reference.npz: TensorFlow.js's own descriptors of HSE's MobileNet on real face chips.

The oracle is not the port: ``tfjs_descriptors.js`` runs the faceres graph in
TensorFlow.js itself (tfjs-core + tfjs-converter + tfjs-backend-cpu, pure
JavaScript, under node). The chips are the project's own: dlib HOG detection
and the model's alignment (ArcFace template at 224 px) on the first faces of
insightface's t1.jpg and matplotlib's grace_hopper.jpg. The graph reads BGR, so
TF.js gets the chips with their channels reversed, as ``HseMobileNet`` feeds them.

Stores ``chips`` (N x 224 x 224 x 3 uint8 RGB), ``descriptors`` (N x 1024
float32, ``global_pooling/Mean``), ``sources`` and ``tfjs`` (the version line).
Needs the model installed (plq models download hse-mobilenet-vggface2) and the
three npm packages where node finds them, e.g. ``npm install --prefix .tfjs
@tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-converter@4.22.0
@tensorflow/tfjs-backend-cpu@4.22.0`` as .ci/run does. Re-run with:

    python tests/data/make_hse_reference.py
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np

# The same two photos as the dlib reference (t1.jpg of insightface, matplotlib's grace_hopper.jpg).
from make_dlib_reference import reference_photos

HERE = Path(__file__).parent
OUT = HERE / "hse_reference.npz"
ROOT = HERE.parent.parent
NODE_MODULES = ROOT / ".tfjs" / "node_modules"
DESCRIPTOR_NODE = "global_pooling/Mean"
FACES_PER_PHOTO = {"t1.jpg": 3, "grace_hopper.jpg": 1}


def tfjs_descriptors(model_json: Path, chips_bgr: np.ndarray, node: str = DESCRIPTOR_NODE,
                     node_modules: Path = NODE_MODULES) -> tuple[np.ndarray, str]:
    """TF.js's output of ``node`` for N x S x S x 3 uint8 chips (fed as they are), and its version line."""
    n, size = chips_bgr.shape[0], chips_bgr.shape[1]
    with tempfile.TemporaryDirectory() as folder:
        chips_file, out_file = Path(folder) / "chips.u8", Path(folder) / "out.f32"
        np.ascontiguousarray(chips_bgr, dtype=np.uint8).tofile(chips_file)
        done = subprocess.run(["node", str(HERE / "tfjs_descriptors.js"), str(model_json), str(chips_file),
                               str(n), str(size), node, str(out_file)],
                              env=os.environ | {"NODE_PATH": str(node_modules)},
                              capture_output=True, text=True, check=True)
        return np.fromfile(out_file, np.float32).reshape(n, -1), done.stdout.strip()


def main() -> None:
    from plq_desktop.core.analysis import ALIGNERS
    from plq_desktop.core.face.detection import DlibHogDetector
    from plq_desktop.core.io.images import load_image
    from plq_desktop.core.zoo import weights
    from plq_desktop.core.zoo.registry import get_spec

    spec = get_spec("hse-mobilenet-vggface2")
    model_json = weights.require(spec.name, spec.files)
    detector = DlibHogDetector()
    chips, sources = [], []
    for path in reference_photos():
        image = load_image(path)
        faces = sorted(detector.detect(image), key=lambda d: (d.box[1], d.box[0]))
        for i, det in enumerate(faces[:FACES_PER_PHOTO[path.name]]):
            chips.append(ALIGNERS[spec.alignment](det, spec.chip_size).warp(image))
            sources.append(f"{path.name}#{i}")
    chips = np.stack(chips).astype(np.uint8)
    descriptors, version = tfjs_descriptors(model_json, chips[..., ::-1])
    np.savez_compressed(OUT, chips=chips, descriptors=descriptors, sources=np.array(sources),
                        tfjs=np.array(version))
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB): {len(chips)} faces: {', '.join(sources)}; {version}")


if __name__ == "__main__":
    main()
