"""Reliability suite: is the 0-100 quality unmoved by nothing, lowered by damage, predictive of recognition?

``python -m plq_desktop.eval.reliability --model dlib-resnet --out DIR``

1. Faces: every face the HOG detector finds in the sample photos that PyPI
   packages ship (``core.io.samples``).
2. Whole-photo damage (``eval.photo_damage.DAMAGES``: defocus and motion blur,
   JPEG, low resolution, sensor noise, under- and over-exposure, an occluding
   card; four strengths each) applied to the PHOTO, then detection and
   alignment as in use. A face the detector no longer finds is aligned on its
   clean landmarks carried into the damaged photo (flagged ``detected = 0``).
3. Nuisance changes that must not move quality: JPEG re-save at 95 and 90,
   resize by +-1 px, padding by 1-8 px (the detector's grid falls
   differently), mirror, the face tiled 2 x 2 in one photo, and 8 frames of a
   near-static video (sub-pixel camera jitter + sensor noise sigma 2).
4. Utility of a sample = cosine of its embedding to its own clean embedding.
5. Measures per candidate estimator, all out of sample by leave-one-face-out
   (LOFO) cross-validation for anything fitted or chosen (the unrecognisable-
   face centroid, the fusion weights, the Eq. 2 calibration):
   - monotonicity: share of (face, damage) pairs with Q(clean) > Q(strongest)
     and share of level-to-level steps (clean -> 1 -> 2 -> ...) where Q does
     not rise;
   - nuisance spread of the 0-100 score over {clean} + nuisance set: SD and
     max-min per face (mean and worst face);
   - Spearman of Q with utility over the damaged samples, pooled over the
     held-out faces' predictions;
   - error-versus-discard (FNMR among kept samples, threshold = 20th
     percentile of utility).

Embeddings of every sample are cached (``--cache``) so estimators can be
compared without redoing detection.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from plq_desktop.core.analysis import ALIGNERS
from plq_desktop.core.face.detection import Detection
from plq_desktop.core.face.detectors import make_detector
from plq_desktop.core.io.files import atomic_write_json
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import SAMPLES, sample_path
from plq_desktop.eval import photo_damage as pd
from plq_desktop.eval.output import add_output_arguments, output_dir, shipped_resource
from plq_desktop.eval.stats import spearman

RELIABILITY_SAMPLES = tuple(s for s in SAMPLES if not s.startswith("mask_"))  # the mask images hold no face
# Strongly damaged photos whose embeddings make the "unrecognisable face" centroid (Chai et al. 2023).
UNRECOGNISABLE_DAMAGES = (
    pd.Damage("defocus", (16.0,), "", pd.defocus),
    pd.Damage("low-resolution", (14.0,), "", pd.low_resolution),
    pd.Damage("noise", (140.0,), "", pd.sensor_noise),
    pd.Damage("under-exposure", (0.001,), "", pd.under_exposure),
    pd.Damage("occluder", (1.0,), ""),
    pd.Damage("motion", (45.0,), "", pd.motion),
    pd.Damage("jpeg", (1.0,), "", pd.jpeg),
)


# -- samples ---------------------------------------------------------------------------------

@dataclass
class SuiteSet:
    chips: np.ndarray                 # N x h x w x 3 uint8
    face: np.ndarray                  # index into labels
    group: np.ndarray                 # "clean" | "damage" | "nuisance" | "unrecognisable"
    kind: np.ndarray
    level: np.ndarray
    detected: np.ndarray              # 1 if the detector found the face in that photo
    labels: list[str] = field(default_factory=list)

    def save(self, path: Path) -> None:
        np.savez_compressed(path, chips=self.chips, face=self.face, group=self.group, kind=self.kind,
                            level=self.level, detected=self.detected, labels=np.array(self.labels))

    @classmethod
    def load(cls, path: Path) -> "SuiteSet":
        z = np.load(path, allow_pickle=False)
        return cls(z["chips"], z["face"], z["group"], z["kind"], z["level"], z["detected"], list(z["labels"]))


def _map_points(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    return points @ matrix[:, :2].T + matrix[:, 2]


def _find_face(detections: list[Detection], clean: Detection, matrix: np.ndarray, mirrored: bool):
    """The detection at the place the clean face moved to, else a stand-in on the moved clean landmarks."""
    centre = _map_points(matrix, clean.landmarks5.mean(axis=0, keepdims=True))[0]
    width = (clean.box[2] - clean.box[0]) * math.sqrt(abs(np.linalg.det(matrix[:, :2])))
    best, best_d = None, 0.3 * width
    for det in detections:
        d = float(np.linalg.norm(det.landmarks5.mean(axis=0) - centre))
        if d < best_d:
            best, best_d = det, d
    if best is not None:
        return best, 1
    p5 = _map_points(matrix, clean.landmarks5)
    p68 = None if clean.landmarks68 is None or mirrored else _map_points(matrix, clean.landmarks68)
    if mirrored:
        p5 = p5[[2, 3, 0, 1, 4]]
    corners = _map_points(matrix, np.array(clean.box).reshape(2, 2))
    box = (*corners.min(axis=0), *corners.max(axis=0))
    return Detection(box=box, score=0.0, landmarks5=p5, landmarks68=p68), 0


def build_suite_set(model, samples=RELIABILITY_SAMPLES, seed: int = 0, log=print) -> SuiteSet:
    # dlib's HOG alone, as when the suite chose the estimator; the product's default adds the CNN
    # only when HOG finds no face in the whole photo.
    detector = make_detector("hog")
    aligner = ALIGNERS[model.alignment]
    rows: list[tuple] = []  # (chip, face, group, kind, level, detected)
    labels: list[str] = []

    def add(photo, detections, clean_faces, face_ids, variant, mirrored=False, matrices=None):
        for k, (clean, fid) in enumerate(zip(clean_faces, face_ids)):
            mats = matrices[k] if matrices is not None else [variant.matrix]
            for j, m in enumerate(mats):
                det, found = _find_face(detections, clean, m, mirrored)
                chip = aligner(det, model.chip_size).warp(photo)
                kind = variant.kind if len(mats) == 1 else f"{variant.kind}-{j}"
                rows.append((chip, fid, variant.group, kind, variant.level, found))

    for name in samples:
        try:
            image = load_image(sample_path(name))
        except (FileNotFoundError, ValueError) as exc:
            log(f"skipping sample {name}: {exc}")
            continue
        faces = detector.detect(image)
        if not faces:
            continue
        ids = list(range(len(labels), len(labels) + len(faces)))
        labels += [f"{name}#{i + 1}" for i in range(len(faces))]
        alignments = [aligner(d, model.chip_size) for d in faces]
        unit = float(np.median([a.image_pixels_per_chip_pixel for a in alignments]))
        boxes = [d.box for d in faces]
        clean = pd.PhotoVariant("clean", "clean", 0, 0.0, image)
        add(image, faces, faces, ids, clean)
        t0 = time.time()
        for v in pd.damaged_photos(image, boxes, unit, seed=seed):
            add(v.photo, detector.detect(v.photo), faces, ids, v)
        for v in pd.damaged_photos(image, boxes, unit, seed=seed + 1, damages=UNRECOGNISABLE_DAMAGES):
            v.group = "unrecognisable"
            add(v.photo, detector.detect(v.photo), faces, ids, v)
        for v in pd.nuisance_photos(image, seed=seed):
            add(v.photo, detector.detect(v.photo), faces, ids, v, mirrored=v.kind == "mirror")
        for det, fid in zip(faces, ids):
            tiled, mats = pd.tiled_face(image, det.box)
            v = pd.PhotoVariant("nuisance", "tile", 0, len(mats), tiled)
            add(tiled, detector.detect(tiled), [det], [fid], v, matrices=[mats])
        log(f"{name}: {len(faces)} faces, variants in {time.time() - t0:.1f} s")
    chips, face, group, kind, level, detected = zip(*rows)
    return SuiteSet(np.stack(chips), np.array(face), np.array(group), np.array(kind), np.array(level),
                    np.array(detected), labels)


# -- cached network outputs ------------------------------------------------------------------

# Views of each chip whose embeddings the candidates use: name -> View (core.plq.estimators).
def _views():
    from plq_desktop.core.plq.estimators import View
    views = {"mirror": View(mirror=True), "c07": View(contrast=0.7), "dy4": View(dy=4)}
    for dx, dy in ((2, 0), (-2, 0), (0, 2), (0, -2)):
        views[f"s{dx},{dy}"] = View(dx=dx, dy=dy)
        views[f"s{dx},{dy}+c07"] = View(dx=dx, dy=dy, contrast=0.7)
        views[f"s{dx},{dy + 4}"] = View(dx=dx, dy=dy + 4)
    views["mirror+c07"] = View(mirror=True, contrast=0.7)
    views["mirror+dy4"] = View(mirror=True, dy=4)
    return views


def adversarial_similarity(net, x: torch.Tensor, steps: int = 1, eps: float = 2.0) -> torch.Tensor:
    """FaceQAN-style: cosine of the embedding after a small attack on it to the unattacked one.

    Each step moves every pixel by ``eps`` grey levels against the gradient of
    the cosine to the clean embedding (FGSM / PGD without projection).
    """
    with torch.no_grad():
        e0 = torch.nn.functional.normalize(net(x), dim=1)
    adv = x.clone()
    for _ in range(steps):
        adv.requires_grad_(True)
        with torch.enable_grad():
            cos = (torch.nn.functional.normalize(net(adv), dim=1) * e0).sum(dim=1)
            (g,) = torch.autograd.grad(cos.sum(), adv)
        adv = (adv.detach() - eps * g.sign()).clamp(0, 255)
    with torch.no_grad():
        return (torch.nn.functional.normalize(net(adv), dim=1) * e0).sum(dim=1)


def network_outputs(model, chips: np.ndarray, batch: int = 32, log=print,
                    chosen_only: bool = False) -> dict[str, np.ndarray]:
    """Embeddings of every chip and of its views, head inputs, and adversarial similarities.

    ``chosen_only``: only what the shipped estimator needs (embeddings of CHOSEN_VIEWS), for a
    network too slow on this machine for every candidate's outputs.
    """
    views = _views()
    out: dict[str, list] = {"emb": [], "feat": [], "adv1": [], "adv3": []}
    if chosen_only:
        views = {k: v for k, v in views.items() if k in CHOSEN_VIEWS}
        out = {"emb": []}
    out.update({f"emb:{k}": [] for k in views})
    t0 = time.time()
    for i in range(0, len(chips), batch):
        x = model._chip_tensor(chips[i:i + batch])
        with torch.no_grad():
            f = model.net.features(x)
            if not chosen_only:
                out["feat"].append(f.numpy())
            out["emb"].append(model.net.head(f).numpy())
            for k, v in views.items():
                out[f"emb:{k}"].append(model.net(v.apply(x)).numpy())
        if not chosen_only:
            out["adv1"].append(adversarial_similarity(model.net, x, steps=1, eps=2.0).numpy())
            out["adv3"].append(adversarial_similarity(model.net, x, steps=3, eps=1.0).numpy())
        log(f"  network outputs {i + len(x)}/{len(chips)} ({time.time() - t0:.0f} s)")
    return {k: np.concatenate(v).astype(np.float32) for k, v in out.items()}


# -- measures --------------------------------------------------------------------------------

def monotonicity(s: SuiteSet, q: np.ndarray) -> dict:
    """Share of (face, damage) pairs with Q(clean) > Q(strongest), and of steps where Q does not rise."""
    pairs, steps = [], []
    per_kind: dict[str, list] = {}
    for f in range(len(s.labels)):
        clean = q[(s.face == f) & (s.group == "clean")][0]
        for kind in sorted(set(s.kind[s.group == "damage"])):
            sel = (s.face == f) & (s.group == "damage") & (s.kind == kind)
            seq = [clean] + list(q[sel][np.argsort(s.level[sel])])
            pairs.append(seq[0] > seq[-1])
            st = [b <= a for a, b in zip(seq, seq[1:])]
            steps += st
            per_kind.setdefault(kind, []).extend(st)
    return {"pairs": float(np.mean(pairs)), "steps": float(np.mean(steps)), "n_pairs": len(pairs),
            "n_steps": len(steps), "steps_per_damage": {k: float(np.mean(v)) for k, v in per_kind.items()}}


def nuisance_spread(s: SuiteSet, score: np.ndarray) -> dict:
    """SD and max-min of the 0-100 score over each face's clean photo and nuisance set."""
    sds, ranges, worst_kind = [], [], {}
    for f in range(len(s.labels)):
        sel = (s.face == f) & ((s.group == "clean") | (s.group == "nuisance"))
        v = score[sel]
        sds.append(float(np.std(v, ddof=1)))
        ranges.append(float(v.max() - v.min()))
        clean = score[(s.face == f) & (s.group == "clean")][0]
        for k, x in zip(s.kind[sel], v):
            k = k.split("-")[0] if k.startswith(("video", "tile", "pad")) else k
            worst_kind[k] = max(worst_kind.get(k, 0.0), abs(float(x - clean)))
    return {"sd_mean": float(np.mean(sds)), "sd_max": float(np.max(sds)), "range_mean": float(np.mean(ranges)),
            "range_max": float(np.max(ranges)), "sd_per_face": sds, "range_per_face": ranges,
            "max_abs_change_by_kind": worst_kind}


DISCARD_FRACTIONS = tuple(i / 20 for i in range(0, 12))  # 0 .. 55 %


def error_versus_discard(q: np.ndarray, utility: np.ndarray, threshold: float) -> dict:
    order = np.argsort(q, kind="stable")
    return {f"{f:.2f}": float(np.mean(utility[order[int(round(f * len(order))):]] < threshold))
            for f in DISCARD_FRACTIONS}


def logistic_calibration(q_clean: np.ndarray, q_worst: np.ndarray, hi: float = 0.85, lo: float = 0.15):
    """Eq. 2 (alpha, r) putting the median clean face at ``hi`` and the median strongest damage at ``lo``."""
    a, b = float(np.median(q_clean)), float(np.median(q_worst))
    if a <= b:
        raise ValueError("clean faces do not score above damaged ones; cannot calibrate")
    logit = lambda p: math.log(p / (1 - p))  # noqa: E731
    alpha = (logit(hi) - logit(lo)) / (a - b)
    r = a - logit(hi) / alpha
    return alpha, r


def scores(q: np.ndarray, alpha: float, r: float) -> np.ndarray:
    return 100.0 / (1.0 + np.exp(np.clip(-alpha * (q - r), -700, 700)))


# -- candidates ------------------------------------------------------------------------------
# A candidate maps (cached network outputs, suite set, training faces) -> raw Q of every sample;
# whatever it fits (centroids, fusion weights) it fits on the training faces only.

# The shipped estimator (core.plq.estimators.Recognisability): its centroid families and views.
CENTROID_FAMILIES = (("defocus", "low-resolution", "motion"), ("noise", "under-exposure", "occluder"))
CHOSEN_VIEWS = ("", "mirror", "dy4")


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _emb(o: dict, view: str = "") -> np.ndarray:
    return o["emb" if not view else f"emb:{view}"]


def eq1_spread(embs: list[np.ndarray]) -> np.ndarray:
    """Eq. 1's 2 * sigmoid(-(2/m^2) sum_{i<j} ||x_i - x_j||) over m views (N x D each)."""
    e = _unit(np.stack(embs, axis=1))
    m = e.shape[1]
    d = np.linalg.norm(e[:, :, None] - e[:, None], axis=-1).sum(axis=(1, 2)) / 2
    return 2 / (1 + np.exp((2 / m ** 2) * d))


def unrecognisable_centroids(o: dict, s: SuiteSet, train_faces, families=CENTROID_FAMILIES) -> np.ndarray:
    """One unit centroid per family: the mean unit embedding of the training faces' unrecognisable photos."""
    base = _unit(_emb(o))
    rows = []
    for kinds in families:
        sel = np.isin(s.face, train_faces) & (s.group == "unrecognisable") & np.isin(s.kind, kinds)
        rows.append(_unit(base[sel].mean(axis=0)))
    return np.stack(rows)


def _recognisability(views=CHOSEN_VIEWS, families=CENTROID_FAMILIES, how="min"):
    def raw(o, s, train):
        u = _unit(np.mean([_unit(_emb(o, v)) for v in views], axis=0))
        d = 1 - u @ unrecognisable_centroids(o, s, train, families).T
        return d.min(axis=1) if how == "min" else d.mean(axis=1)
    return raw


def _matchability(weights, centroid, eyes=()):
    """core.plq.estimators.Matchability on the cached embeddings (weights fitted on faces-dev, eval.edc)."""
    from plq_desktop.eval.edc import eye_evidence

    def raw(o, s, train):
        u, um, ud = _unit(_emb(o)), _unit(_emb(o, "mirror")), _unit(_emb(o, "dy4"))
        distance = 1 - _unit(u + um + ud) @ _unit(np.asarray(centroid))
        consistency = ((u * um).sum(axis=1) + (u * ud).sum(axis=1)) / 2
        q = weights[0] + weights[1] * distance + weights[2] * consistency
        if len(weights) > 3:                  # the embedding's log length (HSE's MobileNet)
            q = q + weights[3] * np.log(np.linalg.norm(_emb(o), axis=1))
        if eyes:
            _top, _bottom, mean, sd, below_z, cost = eyes
            z = (eye_evidence(u, _emb(o, EYES_VIEW)) - mean) / sd
            q = q - cost * np.maximum(0.0, below_z - z)
        return q
    return raw


EYES_VIEW = "eyes black"


def add_eye_view(model, o: dict, chips: np.ndarray, batch: int = 32) -> None:
    """Embeddings of the chips with the matchability estimator's eye band made black, when its calibration has
    the covered-eyes term and the cached outputs predate it."""
    from plq_desktop.core.plq.estimators import View
    eyes = model.calibration.matchability_eyes
    if not eyes or f"emb:{EYES_VIEW}" in o:
        return
    view = View(black_rows=tuple(eyes[:2]))
    with torch.no_grad():
        o[f"emb:{EYES_VIEW}"] = np.concatenate([model.net(view.apply(model._chip_tensor(chips[i:i + batch]))).numpy()
                                                for i in range(0, len(chips), batch)]).astype(np.float32)


def _fixed(fn):
    return lambda o, s, train: fn(o)


def _serfiq_raw(model, p=0.5, m=100, seed=0):
    def raw(o, s, train):
        if "serfiq" not in o:
            f = torch.from_numpy(o["feat"])
            g = torch.Generator().manual_seed(seed)
            masks = torch.empty((m, f.shape[1])).bernoulli_(1 - p, generator=g)
            out = []
            with torch.no_grad():
                for i in range(0, len(f), 64):
                    fi = f[i:i + 64]
                    st = model.net.head((fi.unsqueeze(1) * masks / (1 - p)).reshape(-1, f.shape[1]))
                    out.append(eq1_spread(list(st.reshape(len(fi), m, -1).numpy().transpose(1, 0, 2))))
            o["serfiq"] = np.concatenate(out)
        return o["serfiq"]
    return raw


def _fusion(parts, lam: float = 1.0):
    """Ridge regression of utility on the z-scored parts, fitted on the training faces' samples."""
    def raw(o, s, train):
        x = np.column_stack([p(o, s, train) for p in parts])
        tr = np.isin(s.face, train) & np.isin(s.group, ("clean", "damage"))
        mu, sd = x[tr].mean(axis=0), x[tr].std(axis=0) + 1e-12
        z = np.column_stack([(x - mu) / sd, np.ones(len(x))])
        a = z[tr]
        w = np.linalg.solve(a.T @ a + lam * np.eye(a.shape[1]), a.T @ o["utility"][tr])
        return z @ w
    return raw


def candidates(model) -> dict:
    rob = _fixed(lambda o: eq1_spread([_emb(o), _emb(o, "c07"), _emb(o, "dy4")]))
    bases = (("", "c07", "dy4"), ("s2,0", "s2,0+c07", "s2,4"), ("s-2,0", "s-2,0+c07", "s-2,4"),
             ("s0,2", "s0,2+c07", "s0,6"), ("s0,-2", "s0,-2+c07", "s0,2"))
    rob_jitter = _fixed(lambda o: np.mean([eq1_spread([_emb(o, v) for v in b]) for b in bases], axis=0))
    rob_mirror = _fixed(lambda o: np.mean([eq1_spread([_emb(o, v) for v in b])
                                            for b in (("", "c07", "dy4"), ("mirror", "mirror+c07", "mirror+dy4"))],
                                           axis=0))
    rec = _recognisability()
    two = (("defocus", "low-resolution"), ("noise", "under-exposure", "occluder"))
    one_centroid = (two[0] + two[1],)
    mirror = ("", "mirror")
    cal = model.calibration
    shipped = ({MATCHABILITY: (_matchability(cal.matchability, cal.centroids[0], cal.matchability_eyes),
                               3 if cal.matchability_eyes else 2)} if cal.matchability else {})
    return {
        **shipped,
        "robustness: contrast 0.7 + shift 4 px (previous default)": (rob, 2),
        "robustness averaged over 5 alignment jitters": (rob_jitter, 14),
        "robustness averaged over chip and mirror": (rob_mirror, 5),
        "serfiq p=0.5, m=100 (paper)": (_serfiq_raw(model), 0),
        "faceqan-style: cosine after 1 FGSM step of 2 grey levels": (_fixed(lambda o: o["adv1"]), 4),
        "faceqan-style: cosine after 3 PGD steps of 1 grey level": (_fixed(lambda o: o["adv3"]), 10),
        "embedding norm": (_fixed(lambda o: np.linalg.norm(o["emb"], axis=1)), 0),
        "unrecognisable centroid (Chai), 1 centroid": (_recognisability(views=("",), families=one_centroid), 0),
        "unrecognisable centroid, 1 centroid, mirror-averaged": (_recognisability(mirror, one_centroid), 1),
        "centroids blur / noise+dark+cover, nearest, no view": (_recognisability(("",), two), 0),
        "centroids blur / noise+dark+cover, nearest, mirror": (_recognisability(mirror, two), 1),
        "centroids blur+motion / noise+dark+cover, mirror": (_recognisability(mirror), 1),
        CHOSEN: (rec, 2),
        "centroids, one per damage kind (7), nearest, mirror": (
            _recognisability(mirror, tuple((k,) for k in (*two[0], *two[1], "motion", "jpeg"))), 1),
        "fusion (ridge, LOFO): 1 centroid + robustness": (_fusion([_recognisability(mirror, one_centroid), rob]), 3),
        "fusion (ridge, LOFO): 2 centroids + robustness + mirror": (
            _fusion([_recognisability(mirror, two), rob_mirror]), 5),
    }


MAX_EXTRA_PASSES = 3
CHOSEN = "centroids blur+motion / noise+dark+cover, chip + mirror + shift 4 px (chosen, shipped)"
MATCHABILITY = "matchability (fitted on faces-dev's real pairs; the default)"


def shipped_scale_guards(o: dict, s: SuiteSet, model) -> dict | None:
    """The default estimator's guards on the 0-100 scale it ships with (its own Eq. 2, not refitted here):
    monotonicity under damage and the nuisance spread in the points the officer reads."""
    cal = model.calibration
    if not cal.matchability:
        return None
    q = _matchability(cal.matchability, cal.centroids[0], cal.matchability_eyes)(o, s, [])
    alpha, r = cal.alpha_r("matchability")
    score = scores(q, alpha, r)
    ev = np.isin(s.group, ("clean", "damage"))
    return {"estimator": MATCHABILITY + ", shipped 0-100", "extra_forward_passes": 3 if cal.matchability_eyes else 2,
            "monotonicity": monotonicity(s, q),
            "nuisance": nuisance_spread(s, score), "spearman": spearman(score[ev], o["utility"][ev]),
            "clean_scores": [float(v) for v in score[s.group == "clean"]]}


# -- the suite -------------------------------------------------------------------------------

def utilities(o: dict, s: SuiteSet) -> np.ndarray:
    e = _unit(_emb(o))
    clean = {f: np.where((s.group == "clean") & (s.face == f))[0][0] for f in range(len(s.labels))}
    return np.array([e[i] @ e[clean[f]] for i, f in enumerate(s.face)])


def leave_one_face_out(raw, o: dict, s: SuiteSet) -> tuple[np.ndarray, np.ndarray, list]:
    """Out-of-sample raw Q and 0-100 score of every sample; Eq. 2 and anything the candidate fits
    come from the other faces only. Returns (q, score, per-fold (alpha, r))."""
    q, score, folds = np.zeros(len(s.face)), np.zeros(len(s.face)), []
    faces = list(range(len(s.labels)))
    for f in faces:
        train = [g for g in faces if g != f]
        qq = raw(o, s, train)
        tr = np.isin(s.face, train)
        alpha, r = logistic_calibration(qq[tr & (s.group == "clean")],
                                        qq[tr & (s.group == "damage") & (s.level == s.level.max())])
        sel = s.face == f
        q[sel], score[sel] = qq[sel], scores(qq[sel], alpha, r)
        folds.append((alpha, r))
    return q, score, folds


def evaluate(name, raw, o, s, extra_passes) -> dict:
    q, score, folds = leave_one_face_out(raw, o, s)
    util = o["utility"]
    ev = np.isin(s.group, ("clean", "damage"))
    return {
        "estimator": name,
        "extra_forward_passes": extra_passes,
        "monotonicity": monotonicity(s, q),
        "nuisance": nuisance_spread(s, score),
        # on the out-of-sample 0-100 score, pooled over the held-out faces (what the product shows)
        "spearman_lofo": spearman(score[ev], util[ev]),
        "spearman_lofo_raw": spearman(q[ev], util[ev]),
        "spearman_damaged_only": spearman(score[s.group == "damage"], util[s.group == "damage"]),
        "fnmr_at_discard": error_versus_discard(score[ev], util[ev], float(np.quantile(util[ev], 0.2))),
        "eq2_per_fold": folds,
    }


def _subset(o: dict, s: SuiteSet, faces) -> tuple[dict, SuiteSet]:
    """The samples of ``faces`` only, faces renumbered 0.. in the given order."""
    sel = np.isin(s.face, faces)
    remap = {f: i for i, f in enumerate(faces)}
    sub = SuiteSet(s.chips[:0], np.array([remap[f] for f in s.face[sel]]), s.group[sel], s.kind[sel],
                   s.level[sel], s.detected[sel], [s.labels[f] for f in faces])
    return {k: v[sel] if isinstance(v, np.ndarray) and len(v) == len(s.face) else v for k, v in o.items()}, sub


def selection_criterion(r: dict) -> float:
    """What the nested check maximises: both monotonicity shares, Spearman, less the nuisance SD / 10."""
    return (r["monotonicity"]["pairs"] + r["monotonicity"]["steps"] + r["spearman_lofo"]
            - 0.1 * r["nuisance"]["sd_mean"])


def nested_selection(o: dict, s: SuiteSet, cands: dict) -> dict:
    """The whole choice made out of sample: for each held-out face, pick the candidate that the other
    faces' own leave-one-face-out suite ranks best, fit it on those faces, score the held-out face."""
    faces = list(range(len(s.labels)))
    q, score, picks = np.zeros(len(s.face)), np.zeros(len(s.face)), []
    for f in faces:
        train = [g for g in faces if g != f]
        o_in, s_in = _subset(o, s, train)
        best = max(cands, key=lambda n: selection_criterion(evaluate(n, cands[n][0], o_in, s_in, 0)))
        picks.append(best)
        qq = cands[best][0](o, s, train)
        tr = np.isin(s.face, train)
        alpha, r = logistic_calibration(qq[tr & (s.group == "clean")],
                                        qq[tr & (s.group == "damage") & (s.level == s.level.max())])
        sel = s.face == f
        q[sel], score[sel] = qq[sel], scores(qq[sel], alpha, r)
    ev = np.isin(s.group, ("clean", "damage"))
    return {"picks": dict(zip(s.labels, picks)), "monotonicity": monotonicity(s, q),
            "nuisance": nuisance_spread(s, score), "spearman_lofo": spearman(score[ev], o["utility"][ev])}


def ship_calibration(o: dict, s: SuiteSet, families=CENTROID_FAMILIES) -> dict:
    """Centroids and Eq. 2 of the chosen estimator from ALL faces (what ships)."""
    faces = list(range(len(s.labels)))
    c = unrecognisable_centroids(o, s, faces, families)
    q = _recognisability()(o, s, faces)
    alpha, r = logistic_calibration(q[s.group == "clean"], q[(s.group == "damage") & (s.level == s.level.max())])
    return {"alpha": round(alpha, 4), "r": round(r, 6), "centroids": np.round(c, 6).tolist(),
            "families": [list(f) for f in families]}


def markdown(report: dict) -> str:
    lines = [
        f"Model `{report['model']}`: {len(report['faces'])} faces; {report['counts']['damage']} whole-photo damaged "
        f"samples ({len(report['damages'])} kinds x 4 strengths), {report['counts']['nuisance']} nuisance samples; "
        "every figure out of sample (leave one face out).",
        "",
        "| estimator | extra passes | clean > strongest | steps not rising | nuisance SD (mean / worst face) "
        "| nuisance max-min (mean / worst) | Spearman (LOFO) | FNMR at 20 % / 40 % discarded |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def row(label: str, passes, r: dict, spearman: float, fnmr: str) -> str:
        mo, ns = r["monotonicity"], r["nuisance"]
        return (f"| {label} | {passes} | {100 * mo['pairs']:.0f} % | {100 * mo['steps']:.0f} % "
                f"| {ns['sd_mean']:.1f} / {ns['sd_max']:.1f} | {ns['range_mean']:.1f} / {ns['range_max']:.1f} "
                f"| {spearman:.2f} | {fnmr} |")

    for r in report["results"]:
        fnmr = f"{100 * r['fnmr_at_discard']['0.20']:.1f} % / {100 * r['fnmr_at_discard']['0.40']:.1f} %"
        lines.append(row(r["estimator"], r["extra_forward_passes"], r, r["spearman_lofo"], fnmr))
    shipped = report.get("shipped_scale")
    if shipped:
        lines.append(row(f"{shipped['estimator']} (its own Eq. 2, not refitted)", shipped["extra_forward_passes"],
                         shipped, shipped["spearman"], "-"))
    nested = report.get("nested_selection")
    if nested:
        lines.append(row("the choice itself out of sample (nested: each held-out face's estimator picked by the "
                         "other faces' suite)", "-", nested, nested["spearman_lofo"], "-"))
        picked = sorted(set(nested["picks"].values()))
        lines += ["", "Nested picks: " + "; ".join(
            f"{p} ({sum(v == p for v in nested['picks'].values())} of {len(nested['picks'])} folds)" for p in picked)]
    chosen = next((r for r in report["results"] if r["estimator"] == report.get("chosen")), None)
    if chosen:
        lines += ["", f"Steps not rising per damage, {chosen['estimator']}:", "",
                  "| " + " | ".join(chosen["monotonicity"]["steps_per_damage"]) + " |",
                  "|" + "---|" * len(chosen["monotonicity"]["steps_per_damage"]),
                  "| " + " | ".join(f"{100 * v:.0f} %" for v in chosen["monotonicity"]["steps_per_damage"].values())
                  + " |",
                  "", "Largest change of the 0-100 score from the clean photo, per nuisance:", "",
                  "| " + " | ".join(chosen["nuisance"]["max_abs_change_by_kind"]) + " |",
                  "|" + "---|" * len(chosen["nuisance"]["max_abs_change_by_kind"]),
                  "| " + " | ".join(f"{v:.1f}" for v in chosen["nuisance"]["max_abs_change_by_kind"].values()) + " |"]
    return "\n".join(lines)


def run_suite(model_name: str, out: Path, cache: Path | None = None, device: str = "cpu", log=print,
              chosen_only: bool = False) -> dict:
    from plq_desktop.core.plq.model import Calibration
    from plq_desktop.core.zoo.registry import calibration_for, load_model
    shipped = calibration_for(model_name)
    neutral = Calibration(gamma=0.0, grad_clip=float("inf"), scaling=shipped.scaling, centroids=shipped.centroids,
                          matchability=shipped.matchability, matchability_eyes=shipped.matchability_eyes)
    model = load_model(model_name, device=device, calibration=neutral)
    cache = cache or out / f"cache-{model_name}.npz"
    if cache.exists():
        z = dict(np.load(cache, allow_pickle=False))
        s = SuiteSet(z.pop("chips"), z.pop("face"), z.pop("group"), z.pop("kind"), z.pop("level"),
                     z.pop("detected"), list(z.pop("labels")))
        o = z
        log(f"cached samples and network outputs from {cache}")
    else:
        s = build_suite_set(model, log=log)
        o = network_outputs(model, s.chips, log=log, chosen_only=chosen_only)
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(cache, chips=s.chips, face=s.face, group=s.group, kind=s.kind, level=s.level,
                            detected=s.detected, labels=np.array(s.labels), **o)
    add_eye_view(model, o, s.chips)
    o["utility"] = utilities(o, s)
    cands = candidates(model)
    if chosen_only:
        cands = {CHOSEN: cands[CHOSEN]}
    results = [evaluate(name, raw, o, s, passes) for name, (raw, passes) in cands.items()]
    # The choice itself, out of sample, among the candidates that fit the time budget
    # (model.plq within 6x model.embed leaves room for about 3 extra forward passes).
    nested = None if chosen_only else nested_selection(
        o, s, {k: v for k, v in cands.items() if v[1] <= MAX_EXTRA_PASSES})
    return {
        "model": model_name,
        "faces": s.labels,
        "counts": {g: int((s.group == g).sum()) for g in ("clean", "damage", "nuisance", "unrecognisable")},
        "detected_share_damaged": float(s.detected[s.group == "damage"].mean()),
        "damages": {d.kind: {"strengths": d.strengths, "unit": d.unit} for d in pd.DAMAGES},
        "utility": "cosine(embedding(sample), embedding(own clean photo))",
        "chosen": CHOSEN,
        "results": results,
        "calibration": ship_calibration(o, s),
        "lofo_calibrations": lofo_calibrations(o, s),
        "nested_selection": nested,
        "shipped_scale": shipped_scale_guards(o, s, model),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="dlib-resnet",
                        help="a zoo model name, or 'all' for every model whose weights are present")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--cache", type=Path, default=None, help="npz of samples and network outputs to reuse")
    parser.add_argument("--chosen-only", action="store_true",
                        help="measure and calibrate only the shipped estimator (no comparison of candidates)")
    add_output_arguments(parser, "reliability")
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    out = output_dir(args, "reliability")
    names = [args.model]
    if args.model == "all":
        from plq_desktop.core.zoo.registry import all_specs, is_present
        names = [spec.name for spec in all_specs() if is_present(spec)]
        print(f"models with weights present: {', '.join(names) or 'none'}")
    for name in names:
        report = run_suite(name, out, args.cache if len(names) == 1 else None, args.device,
                           chosen_only=args.chosen_only)
        text = markdown(report)
        atomic_write_json(out / f"reliability-{name}.json", report)
        (out / f"reliability-{name}.md").write_text(text + "\n")
        atomic_write_json(out / f"recognisability-lofo-{name}.json", report["lofo_calibrations"])
        print(text)
        print(f"\nwritten to {out}")
        if args.install:  # maintainers: the shipped centroids and Eq. 2 of the chosen estimator
            write_shipped_calibration(name, report["calibration"], len(report["faces"]))
    return 0


def write_shipped_calibration(model_name: str, cal: dict, n_faces: int) -> None:
    target = shipped_resource("calibration.json")
    table = json.loads(target.read_text())
    entry = table.setdefault(model_name, {"estimators": {}})
    entry["estimators"]["recognisability"] = {"alpha": cal["alpha"], "r": cal["r"]}
    entry["unrecognisable_centroids"] = {
        "centroids": cal["centroids"], "families": cal["families"],
        "how": f"mean unit embedding of the {n_faces} sample faces' photos damaged beyond recognition "
               "(python -m plq_desktop.eval.reliability; UNRECOGNISABLE_DAMAGES), one per family",
    }
    entry["recognisability_eq2"] = ("r, alpha: median clean face -> 0.85, median strongest whole-photo damage "
                                    "-> 0.15 (reliability suite)")
    atomic_write_json(target, table)
    print(f"wrote {target}")



def lofo_calibrations(o: dict, s: SuiteSet, families=CENTROID_FAMILIES) -> dict:
    """For every face, the chosen estimator's centroids and Eq. 2 fitted WITHOUT it (for held-out tests)."""
    out = {}
    faces = list(range(len(s.labels)))
    for f in faces:
        train = [g for g in faces if g != f]
        q = _recognisability(families=families)(o, s, train)
        tr = np.isin(s.face, train)
        alpha, r = logistic_calibration(q[tr & (s.group == "clean")],
                                        q[tr & (s.group == "damage") & (s.level == s.level.max())])
        out[s.labels[f]] = {"alpha": round(alpha, 4), "r": round(r, 6),
                            "centroids": np.round(unrecognisable_centroids(o, s, train, families), 6).tolist()}
    return out


if __name__ == "__main__":
    raise SystemExit(main())
