"""AMVA: activation maps of a face-recognition network and their variation over quality groups.

After Fu and Damer, "Explainability of the implications of supervised and
unsupervised face image quality estimations through activation map variation
analyses in face recognition models" (reference code
fbiying87/Explainable_FIQA_WITH_AMVA, which ships only precomputed maps).
Training-free and independent of the quality estimator: the estimator only
decides which faces go into which group.

Activation map of one aligned chip (``activation_maps``):

1. Layer: the network's spatial feature layer ``net.spatial_features``
   (``core/nets/base.py``): IResNet's last BN before the flatten (512 x 7 x 7
   on a 112 px chip), FaceNet's block8 (1792 x 3 x 3 on 160 px), and for
   dlib's ResNet the output of its third stage (128 x 8 x 8 on 150 px): its
   true last spatial layer is 2 x 2, too coarse to show where on the face
   anything happens (see docs/amva.md for the measurement).
2. Aggregation: the root mean square over the layer's C channels at each
   location, m(i, j) = sqrt(mean_c A_c(i, j)^2): how strongly the layer
   responds there. No per-image rescaling, so maps of different faces (and
   a face with and without an occluder) compare in the same units; figures
   use one colour scale per figure. (Gradient x activation along the
   embedding, the CAM-style alternative, was measured and rejected: on 9
   real faces with 5 landmark-placed occluders each its deviation fell
   inside the occluder for 19 of 45 placements, the RMS map's for 44 of 45;
   docs/amva.md.)
3. Resizing: bilinear from the h x w grid to the chip (``align_corners=False``:
   each cell covers an equal share of the chip, as the reference code's
   F.interpolate does), then through the face's alignment to the photo
   (``Alignment.to_image``: NaN off the chip), like the PLQ map.

Set level (``group_statistics``): faces ranked by a quality estimator, split
into groups; per group the per-pixel mean and standard deviation of the maps;
variation map = |std_high - std_low| / its maximum (the reference code's
"diff_std"). Single image (``deviation_maps``): |m - mean of a reference of
high-quality faces| per pixel, in activation units (no per-image rescaling,
so a face that matches the reference shows no deviation at all).

Central face region (``central_face_mask``): an ellipse on the chip from the
alignment template's eye positions (so the same for every face a model
aligns): centre 0.55 inter-eye distances (IED) below the eyes' midpoint,
semi-axes 0.95 IED across and 1.3 IED along the face: brows to chin, cheek
to cheek.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from plq_desktop.core.face import alignment as al
from plq_desktop.core.nets.base import rms_activation
from plq_desktop.core.plq.model import FaceModel

# Central face ellipse, in inter-eye distances from the eyes' midpoint (see the module docstring).
CENTRE_DROP = 0.55
HALF_WIDTH = 0.95
HALF_HEIGHT = 1.3
_EPS = 1e-12


class AmvaUnavailable(RuntimeError):
    """AMVA cannot run for this model (no spatial layer, no reference): the message says what to do."""


# -- activation maps ---------------------------------------------------------------

def _check_spatial(model: FaceModel) -> None:
    if not getattr(model.net, "has_spatial_features", False):
        raise AmvaUnavailable(f"model {model.name} exposes no spatial feature layer, so AMVA cannot "
                              "map its activations (custom TorchScript models: export "
                              "spatial_features and pool_spatial methods)")


def activation_grid(model: FaceModel, chips: np.ndarray) -> torch.Tensor:
    """RMS-over-channels activation on the layer's own grid: N x h x w."""
    _check_spatial(model)
    x = model._chip_tensor(chips)
    with torch.no_grad():
        return rms_activation(model.net.spatial_features(x))


def grid_to_chip(grid, chip_size: tuple[int, int]) -> np.ndarray:
    """An N x h x w activation grid (tensor or array) resized to the chip: float32 N x H x W (step 3)."""
    grid = torch.as_tensor(grid)
    return F.interpolate(grid[:, None].float(), size=tuple(chip_size), mode="bilinear",
                         align_corners=False)[:, 0].cpu().numpy()


def activation_maps(model: FaceModel, chips: np.ndarray, batch: int = 16) -> np.ndarray:
    """AMVA activation maps on the chip: float32 N x h x w, >= 0 (see the module docstring)."""
    chips = np.asarray(chips)
    if chips.ndim == 3:
        chips = chips[None]
    out = []
    for i in range(0, len(chips), batch):
        part = chips[i:i + batch]
        grid = model._with_oom_fallback(lambda part=part: activation_grid(model, part))
        out.append(grid_to_chip(grid, model.chip_size))
    if not out:
        return np.zeros((0, *model.chip_size), np.float32)
    return np.concatenate(out)


# -- the central face region ----------------------------------------------------------

def canonical_eyes(alignment: str, chip_size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Where the aligner puts the two eye centres on the chip (image-left eye first)."""
    w = chip_size[1]
    if alignment == "arcface-5pt":
        points = al.ARCFACE_TEMPLATE_112 * (w / 112.0)
        return points[0], points[1]
    if alignment == "dlib-chip":
        padding = 0.25  # core.analysis.ALIGNERS
        points = (padding + al.DLIB_TEMPLATE_5) / (1 + 2 * padding) * w
        return points[2:4].mean(axis=0), points[0:2].mean(axis=0)
    raise ValueError(f"unknown alignment {alignment!r}")


def central_face_mask(alignment: str, chip_size: tuple[int, int]) -> np.ndarray:
    """Boolean h x w mask of the central face ellipse on the chip."""
    left, right = canonical_eyes(alignment, chip_size)
    ied = float(np.linalg.norm(right - left))
    across = (right - left) / ied
    down = np.array([-across[1], across[0]])
    centre = (left + right) / 2 + CENTRE_DROP * ied * down
    ys, xs = np.mgrid[0:chip_size[0], 0:chip_size[1]]
    d = np.stack([xs - centre[0], ys - centre[1]], axis=-1)
    u, v = d @ across / (HALF_WIDTH * ied), d @ down / (HALF_HEIGHT * ied)
    return u * u + v * v <= 1.0


def model_central_mask(model: FaceModel) -> np.ndarray:
    return central_face_mask(model.alignment, model.chip_size)


def inside_outside(maps: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per map: (mean inside the mask, mean outside it), ignoring NaN."""
    maps = np.asarray(maps, dtype=np.float64)
    squeeze = maps.ndim == 2
    maps = maps[None] if squeeze else maps
    inside = np.nanmean(maps[:, mask], axis=1)
    outside = np.nanmean(maps[:, ~mask], axis=1)
    return (inside[0], outside[0]) if squeeze else (inside, outside)


# -- quality groups ------------------------------------------------------------------

@dataclass
class Group:
    name: str
    indices: np.ndarray       # into the analysed faces, highest quality first
    mean: np.ndarray          # per-pixel mean activation, chip-sized
    std: np.ndarray           # per-pixel standard deviation
    quality_range: tuple[float, float]


def group_names(n_groups: int) -> list[str]:
    if n_groups < 2:
        raise ValueError("AMVA needs at least 2 quality groups")
    middle = [f"middle{i}" if n_groups > 3 else "middle" for i in range(1, n_groups - 1)]
    return ["high", *middle, "low"]


# A group's variation is the spread of its faces' activations: one face has none (a black panel).
FACES_PER_GROUP = 2


def faces_needed(n_groups: int) -> int:
    return FACES_PER_GROUP * n_groups


def split_by_quality(quality: np.ndarray, n_groups: int = 3) -> dict[str, np.ndarray]:
    """Rank by quality (highest first) and cut into n equal groups: high, middle..., low."""
    quality = np.asarray(quality, dtype=np.float64)
    if len(quality) < faces_needed(n_groups):
        raise ValueError(f"{len(quality)} faces cannot fill {n_groups} quality groups: "
                         f"they need at least {faces_needed(n_groups)} ({FACES_PER_GROUP} per group)")
    order = np.argsort(-quality, kind="stable")
    return dict(zip(group_names(n_groups), np.array_split(order, n_groups)))


def group_statistics(maps: np.ndarray, quality: np.ndarray, n_groups: int = 3) -> list[Group]:
    groups = []
    for name, idx in split_by_quality(quality, n_groups).items():
        sel = maps[idx]
        groups.append(Group(name, idx, sel.mean(axis=0), sel.std(axis=0),
                            (float(quality[idx].min()), float(quality[idx].max()))))
    return groups


def variation_map(high: Group, low: Group) -> np.ndarray:
    """|std_high - std_low| divided by its maximum (the reference code's variation map)."""
    diff = np.abs(high.std - low.std)
    return (diff / max(float(diff.max()), _EPS)).astype(np.float32)


def summary(groups: list[Group], mask: np.ndarray, qualities: np.ndarray | None = None) -> dict:
    """Activation and variation inside and outside the central face region, per group."""
    out = {}
    for g in groups:
        a_in, a_out = inside_outside(g.mean, mask)
        s_in, s_out = inside_outside(g.std, mask)
        out[g.name] = {
            "faces": int(len(g.indices)),
            "quality_min": round(g.quality_range[0], 6), "quality_max": round(g.quality_range[1], 6),
            "activation_inside": round(float(a_in), 6), "activation_outside": round(float(a_out), 6),
            "variation_inside": round(float(s_in), 6), "variation_outside": round(float(s_out), 6),
        }
    return out


# -- the high-quality reference and a single face's deviation ----------------------------

@dataclass
class AmvaReference:
    model: str
    mean: np.ndarray            # chip-sized mean activation map of high-quality faces
    std: np.ndarray
    faces: int
    meta: dict = field(default_factory=dict)

    def save(self, path: str | Path) -> Path:
        from plq_desktop.core.io.files import atomic_write

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = dict(self.meta, model=self.model, faces=self.faces)
        atomic_write(path, lambda tmp: np.savez_compressed(
            tmp, mean=self.mean.astype(np.float32), std=self.std.astype(np.float32), meta=np.array(json.dumps(meta))))
        return path

    @classmethod
    def load(cls, path: str | Path) -> AmvaReference:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            return cls(meta["model"], data["mean"], data["std"], int(meta["faces"]), meta)


def reference_filename(model_name: str) -> str:
    return f"amva_reference_{model_name}.npz"


def load_reference(model: FaceModel) -> AmvaReference:
    """The reference shipped in resources/ for this model, checked against its chip size."""
    return _load_shipped(model.name, tuple(model.chip_size))


def shipped_reference(model: FaceModel) -> AmvaReference | None:
    """``load_reference`` for the checks: None when the model has no usable reference (read once per model)."""
    try:
        return _cached_shipped(model.name, tuple(model.chip_size))
    except (AmvaUnavailable, OSError, ValueError, KeyError):
        return None


def _load_shipped(name: str, chip_size: tuple[int, int]) -> AmvaReference:
    item = resources.files("plq_desktop.resources").joinpath(reference_filename(name))
    if not item.is_file():
        raise AmvaUnavailable(
            f"no AMVA reference for model {name}; build one from high-quality faces with "
            f"python -m plq_desktop.eval.amva_reference --model {name} --install")
    with resources.as_file(item) as path:
        ref = AmvaReference.load(path)
    if ref.mean.shape != chip_size:
        raise AmvaUnavailable(f"the AMVA reference for {name} is {ref.mean.shape}, the model's chips "
                              f"are {chip_size}; rebuild it")
    return ref


_cached_shipped = lru_cache(maxsize=8)(_load_shipped)     # every analysis's checks ask for it


# The reference's per-pixel spread is floored so that a location where the good faces happen to agree
# closely does not turn a small difference into a large z.
Z_STD_FLOOR = 1e-3


def activation_z(activation: np.ndarray, reference: AmvaReference) -> np.ndarray:
    """Per chip pixel, (activation - reference mean) / reference std: below 0, the layer responds less there
    than on high-quality faces, which is what covering a region does (occlusion evidence, docs/where-to-fix.md).
    """
    return ((np.asarray(activation, np.float32) - reference.mean) / (reference.std + Z_STD_FLOOR)).astype(np.float32)


def deviation_maps(activations: np.ndarray, reference: AmvaReference) -> np.ndarray:
    """|activation - reference mean| per pixel: how far a face's map is from a high-quality face's."""
    return np.abs(np.asarray(activations, np.float32) - reference.mean[None]).astype(np.float32)


@dataclass
class FaceAmva:
    activation: np.ndarray      # chip-sized activation map (RMS activation)
    deviation: np.ndarray       # chip-sized |activation - reference mean|
    deviation_inside: float     # mean deviation inside the central face region
    deviation_outside: float

    def to_dict(self) -> dict:
        return {"deviation_inside_central": round(self.deviation_inside, 6),
                "deviation_outside_central": round(self.deviation_outside, 6)}


def explain_chips(model: FaceModel, chips: np.ndarray, reference: AmvaReference | None = None) -> list[FaceAmva]:
    reference = reference or load_reference(model)
    acts = activation_maps(model, chips)
    devs = deviation_maps(acts, reference)
    # Chip rows and columns the network never reads are NaN, as in the PLQ map (FaceModel.pixel_quality).
    border = int(getattr(model.net, "no_gradient_border", 0))
    if border:
        devs[:, -border:, :] = np.nan
        devs[:, :, -border:] = np.nan
    inside, outside = inside_outside(devs, model_central_mask(model))
    return [FaceAmva(a, d, float(i), float(o)) for a, d, i, o in
            zip(acts, devs, np.atleast_1d(inside), np.atleast_1d(outside))]


def attach_amva(result, model: FaceModel, reference: AmvaReference | None = None) -> None:
    """Fill each face of an ``ImageResult`` with its AMVA deviation (chip and photo coordinates)."""
    if not result.faces:
        return
    for face, amva in zip(result.faces, explain_chips(model, np.stack([f.chip for f in result.faces]),
                                                      reference)):
        face.amva = amva
        face.amva_map = face.alignment.to_image(amva.deviation, (result.height, result.width))
