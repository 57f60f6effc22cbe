"""Which face crop HSE's MobileNet reads best: verification on faces-dev/lfw10 per crop convention.

``python -m plq_desktop.eval.hse_alignment [--faces ../shared/data/faces-dev/lfw10]``

Every photo's face (dlib HOG + 68 landmarks; the detection nearest the
photo's centre, LFW's convention) is cut with each convention, embedded by the
network (channels as RGB and reversed to BGR), and every pair of photos is
compared by cosine: mated pairs = same folder. Reported: verification AUC and
TAR at FMR 1 % (threshold = 99th percentile of the non-mated scores), with
dlib-resnet on its own chips for reference. The convention was chosen on these
faces and measured on them (no held-out people): treat close numbers as ties.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

from plq_desktop.core.analysis import ALIGNERS
from plq_desktop.core.face import alignment as al
from plq_desktop.core.face.detection import DlibHogDetector
from plq_desktop.core.io.images import load_image

DEFAULT_FACES = Path("../shared/data/faces-dev/lfw10")
CHIP = 224


def conventions() -> dict:
    def arcface(scale):
        template = (al.ARCFACE_TEMPLATE_112 * CHIP / 112 - (CHIP - 1) / 2) * scale + (CHIP - 1) / 2
        return lambda det: al.template_alignment(al.arcface_points_from_detection(det), template, CHIP)
    return {
        "landmark box x1.0, eyes level": lambda det: al.landmark_box_alignment(det.landmarks68, CHIP, 1.0),
        "landmark box x1.3, eyes level": lambda det: al.landmark_box_alignment(det.landmarks68, CHIP, 1.3),
        "landmark box x1.6, eyes level": lambda det: al.landmark_box_alignment(det.landmarks68, CHIP, 1.6),
        "ArcFace 5-point template at 224 (arcface-5pt)": arcface(1.0),
        "ArcFace template at 224, face 0.9x (more margin)": arcface(0.9),
    }


def verification(embeddings: np.ndarray, labels: np.ndarray) -> dict:
    e = embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True)
    i, j = np.triu_indices(len(e), 1)
    scores, mated = (e @ e.T)[i, j], labels[i] == labels[j]
    genuine, impostor = scores[mated], scores[~mated]
    auc = float((genuine[:, None] > impostor[None, :]).mean() + 0.5 * (genuine[:, None] == impostor[None, :]).mean())
    tar = float((genuine > np.quantile(impostor, 0.99)).mean())
    return {"auc": auc, "tar_at_fmr1": tar, "mated": int(mated.sum()), "non_mated": int((~mated).sum())}


def faces(folder: Path) -> tuple[list, np.ndarray]:
    detector = DlibHogDetector()
    found, labels = [], []
    for person in sorted(p for p in folder.iterdir() if p.is_dir()):
        for path in sorted(person.iterdir()):
            image = load_image(path)
            detections = detector.detect(image)
            if not detections:
                continue
            h, w = image.shape[:2]
            det = min(detections, key=lambda d: np.hypot((d.box[0] + d.box[2]) / 2 - w / 2,
                                                         (d.box[1] + d.box[3]) / 2 - h / 2))
            found.append((image, det))
            labels.append(person.name)
    return found, np.array(labels)


def embed(net, chips: np.ndarray, bgr: bool) -> np.ndarray:
    out = []
    with torch.inference_mode():
        for k in range(0, len(chips), 16):
            x = torch.from_numpy(chips[k:k + 16]).permute(0, 3, 1, 2).float()
            out.append(net(x if bgr else x.flip(1)))  # HseMobileNet reverses the channels itself
    return torch.cat(out).numpy()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    args = parser.parse_args(argv)
    from plq_desktop.core.zoo.registry import get_spec, load_model

    found, labels = faces(args.faces)
    net = get_spec("hse-mobilenet-vggface2").build()
    print(f"{len(found)} faces of {len(set(labels))} people in {args.faces}\n")
    print("| crop | channels | AUC | TAR @ FMR 1 % |\n|---|---|---|---|")
    for name, align in conventions().items():
        chips = np.stack([align(det).warp(image) for image, det in found])
        for bgr in (False, True):
            v = verification(embed(net, chips, bgr), labels)
            print(f"| {name} | {'BGR' if bgr else 'RGB'} | {v['auc']:.4f} | {v['tar_at_fmr1']:.3f} |")
    dlib = load_model("dlib-resnet", device="cpu")
    chips = np.stack([ALIGNERS[dlib.alignment](det, dlib.chip_size).warp(image) for image, det in found])
    v = verification(np.concatenate([dlib.embed(chips[k:k + 16]) for k in range(0, len(chips), 16)]), labels)
    print(f"| dlib-resnet, its own chip (reference) | RGB | {v['auc']:.4f} | {v['tar_at_fmr1']:.3f} |")
    print(f"\n{v['mated']} mated and {v['non_mated']} non-mated pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
