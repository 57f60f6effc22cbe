"""A covered cheek (a hand), measured: do one cheek's pixels against the other's tell it from an uncovered one?

``python -m plq_desktop.eval.cheek [--data DIR] [--out DIR]``

Faces: the same as ``eval.forehead`` (every face HOG finds with 68 landmarks
in faces-dev and the sample photos). Each face is measured as it is (clean,
both cheeks) and with each cheek occluder of ``eval.occluders`` on the
subject's right cheek (``hand``: a flat darkened skin-coloured ellipse;
``fingers``: three or two shaded fingers with gaps and the person's own skin
texture; both sizes), detected again on the occluded photo.

Statistics per cheek, on the check canvas (``FaceContext``: 64 px between the
eyes), the cheek's mask eroded by 2 px, each also taken minus the other cheek's:

- ``plateau``: the largest share of the cheek's pixels whose log luminance
  (Gaussian sigma 1 px) lies within +-2 % of one level: a flat patch;
- ``steps``: the share of pixels whose log-luminance gradient exceeds 0.06 per
  pixel: edges and gaps across the cheek;
- ``chroma_a``, ``chroma_b``: median CIELAB a*, b* (side light changes
  luminance far more than chroma);
- ``jaw``: how much further the jaw contour (points 2-4) lies from the nose
  line than its mirror (points 12-14), relative, minus the same for the eye
  corners (36 / 45, which carry the head's turn): a hand that pushes the fit;
- ``refit``: the 68 landmarks fitted again on the mirrored photo (mirrored
  box) and mirrored back; the mean distance (per inter-eye distance) between
  the two fits on this side's jaw points (1-7 or 9-15) minus the other
  side's: where the face is hidden, the fit leans on its prior, which need
  not be mirror-symmetric.

With ``--network`` (dlib-resnet; LFW and the sample photos), a counterfactual
through the network as well: each cheek of the model's chip replaced by the
mirrored chip's (gain-matched per colour channel, feathered), and the
embedding's cosine distance to the unchanged chip; the statistic is the larger
(or smaller) of the two sides' distances.

Two rules are judged: "flat" (plateau > 0.4 and plateau minus the other
cheek's above a threshold) or "edges" (steps > 0.3 and steps minus the other
cheek's above a threshold), either one warning. Their thresholds are taken
(a) from the clean faces of ``FIT_PEOPLE`` (LFW's first five people; every
other face held out) and (b) leaving one person out: for each person, the
largest value among every other person's clean cheeks. Results in
docs/where-to-fix.md ("The cheek").
"""

from __future__ import annotations

import argparse
import json
from types import SimpleNamespace
from pathlib import Path

import cv2
import numpy as np

from plq_desktop.core.analysis import FoundFace
from plq_desktop.core.face.detection import DlibHogDetector
from plq_desktop.core.icao.base import FaceContext
from plq_desktop.core.icao.thresholds import get_thresholds
from plq_desktop.eval.forehead import dev_faces, occluded_face
from plq_desktop.eval.occluders import CHEEK_KINDS, SIZES

OCCLUDERS = tuple((kind, size) for kind in CHEEK_KINDS for size in SIZES)
SIDES = ("right_cheek", "left_cheek")
STATISTICS = ("plateau", "steps", "chroma_a", "chroma_b", "jaw", "refit")
# The rules' fixed parts: the cheek itself must be this flat / this edgy before its difference counts.
MIN_PLATEAU, MIN_STEPS = 0.4, 0.3
_PLATEAU_HALF_WIDTH = 0.02      # log luminance, about +-2 %
_STEP_GRADIENT = 0.06           # log luminance per canvas pixel


def _plateau_share(values: np.ndarray) -> float:
    if values.size < 30:
        return 0.0
    bin_width = 0.005
    hist = np.histogram(values, bins=np.arange(values.min(), values.max() + 2 * bin_width, bin_width))[0]
    k = int(round(2 * _PLATEAU_HALF_WIDTH / bin_width))
    return float(np.convolve(hist, np.ones(k), "valid").max() / values.size) if hist.size >= k else 1.0


def cheek_statistics(ctx: FaceContext) -> dict[str, dict[str, float]] | None:
    """STATISTICS of each cheek (not yet against the other), or None without 68 landmarks or cheeks."""
    if not ctx.has_68 or ctx.skin_luma is None:
        return None
    luma = ctx.luma
    log_luma = cv2.GaussianBlur(np.log(luma + 8.0), (0, 0), 1.0)
    gradient = np.hypot(cv2.Sobel(log_luma, cv2.CV_32F, 1, 0), cv2.Sobel(log_luma, cv2.CV_32F, 0, 1)) / 8
    usable = (luma > 20) & (luma < 245)         # no clipped pixels: a burnt-out cheek is flat too
    lab = ctx.lab
    out = {}
    for side in SIDES:
        mask = cv2.erode(ctx.masks[side].astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
        if mask.sum() < 50:
            mask = ctx.masks[side]
        if mask.sum() < 30:
            return None
        out[side] = {"plateau": _plateau_share(log_luma[mask & usable]),
                     "steps": float((gradient[mask] > _STEP_GRADIENT).mean()),
                     "chroma_a": float(np.median(lab[..., 1][mask])), "chroma_b": float(np.median(lab[..., 2][mask]))}
    p = ctx.canvas.points_to_chip(ctx.face.landmarks.astype(np.float64))
    axis = p[27:31, 0].mean()
    jaw_r, jaw_l = axis - p[[2, 3, 4], 0], p[[14, 13, 12], 0] - axis
    eye_r, eye_l = axis - p[36, 0], p[45, 0] - axis
    asym = float(np.mean((jaw_r - jaw_l) / np.maximum(jaw_r + jaw_l, 1e-6))
                 - (eye_r - eye_l) / max(eye_r + eye_l, 1e-6))
    out["right_cheek"]["jaw"], out["left_cheek"]["jaw"] = asym, -asym
    return out


def against_other(stats: dict) -> dict[str, dict[str, float]]:
    """Each side's statistics with ``NAME_diff``: the side's value minus the other side's."""
    out = {}
    for side, other in zip(SIDES, reversed(SIDES)):
        mine = dict(stats[side])
        for name in ("plateau", "steps", "chroma_a", "chroma_b"):
            mine[f"{name}_diff"] = stats[side][name] - stats[other][name]
        out[side] = mine
    return out


# The 68-point index of each point's mirror image (iBUG layout).
_MIRROR_68 = (list(range(16, -1, -1)) + list(range(26, 16, -1)) + [27, 28, 29, 30] + [35, 34, 33, 32, 31]
              + [45, 44, 43, 42, 47, 46] + [39, 38, 37, 36, 41, 40] + list(range(54, 47, -1))
              + list(range(59, 54, -1)) + list(range(64, 59, -1)) + [67, 66, 65])


def mirror_refit(detector: DlibHogDetector, image: np.ndarray, detection) -> tuple[float, float]:
    """(right, left): mean distance per inter-eye distance between the jaw points (1-7, 9-15) and those
    fitted on the mirrored photo, mirrored back."""
    w = image.shape[1]
    x0, y0, x1, y1 = detection.box
    mirrored = np.ascontiguousarray(image[:, ::-1])
    again = detector.fit_landmarks(mirrored, (w - 1 - x1, y0, w - 1 - x0, y1), detection.score).landmarks68
    again = again.astype(np.float64)
    again[:, 0] = w - 1 - again[:, 0]
    again = again[_MIRROR_68]
    points = detection.landmarks68
    ied = float(np.linalg.norm(points[42:48].mean(axis=0) - points[36:42].mean(axis=0)))
    gap = np.linalg.norm(again - points, axis=1) / ied
    return float(gap[1:8].mean()), float(gap[9:16].mean())


def cheek_statistics_of(image: np.ndarray, detection, detector: DlibHogDetector | None = None) -> dict | None:
    """Both cheeks of the face ``detection`` found in ``image``, each against the other, and the yaw."""
    found = SimpleNamespace(faces=[FoundFace.of(detection)], estimator=None)
    ctx = FaceContext(found, 0, image, None, get_thresholds(None), None)
    stats = cheek_statistics(ctx)
    if stats is None:
        return None
    right, left = mirror_refit(detector or DlibHogDetector(), image, detection)
    stats["right_cheek"]["refit"], stats["left_cheek"]["refit"] = right - left, left - right
    return dict(against_other(stats), yaw=None if ctx.pose is None else ctx.pose[0])


def measure(data: Path) -> list[dict]:
    detector = DlibHogDetector()
    rows = []
    for group, person, path, image, number, det in dev_faces(data, detector):
        clean = cheek_statistics_of(image, det, detector)
        if clean is None:
            continue
        # A person: LFW's and faceapi's folders name one; every other photo's face counts as its own.
        who = person if group in ("lfw-fit", "lfw-held-out", "faceapi") else f"{path.name}#{number}"
        row = {"set": group, "person": who, "file": path.name, "face": number, "clean": clean}
        for kind, size in OCCLUDERS:
            occluded, again = occluded_face(image, det, kind, size, detector)
            row[f"{kind}-{size}"] = None if again is None else cheek_statistics_of(occluded, again, detector)
        rows.append(row)
    return rows


def mirror_counterfactual(model, image: np.ndarray, detection) -> tuple[float, float]:
    """(right, left): the embedding's cosine distance when that cheek is replaced by the mirrored other one."""
    from plq_desktop.core.analysis import align_faces
    from plq_desktop.core.face.regions import face_regions
    alignment = align_faces(image, [detection], model)[0]
    chip = alignment.warp(image).astype(np.float32)
    masks = face_regions(detection.landmarks68, image.shape).masks(alignment.matrix, chip.shape[:2])
    mirrored = chip[:, ::-1]
    chips = [chip]
    for side in SIDES:
        mask = masks[side]
        gain = chip[mask].mean(axis=0) / np.maximum(mirrored[mask].mean(axis=0), 1.0)
        soft = cv2.GaussianBlur(mask.astype(np.float32), (0, 0), 2.0)[..., None]
        chips.append(soft * np.clip(mirrored * gain, 0, 255) + (1 - soft) * chip)
    e = model.embed(np.stack(chips).round().astype(np.uint8))
    e = e / np.linalg.norm(e, axis=1, keepdims=True)
    return float(1 - e[0] @ e[1]), float(1 - e[0] @ e[2])


def measure_network(data: Path, model) -> dict:
    """The mirror counterfactual on LFW and the samples: thresholds from the fit people's clean faces."""
    detector = DlibHogDetector()
    rows = []
    for group, _person, _path, image, _number, det in dev_faces(data, detector,
                                                              ("lfw-fit", "lfw-held-out", "samples")):
        row = {"set": group, "clean": mirror_counterfactual(model, image, det)}
        for kind, size in OCCLUDERS:
            occluded, again = occluded_face(image, det, kind, size, detector)
            row[f"{kind}-{size}"] = None if again is None else mirror_counterfactual(model, occluded, again)
        rows.append(row)
    out = {}
    for name, pick in (("larger", max), ("smaller", min)):
        threshold = max(pick(r["clean"]) for r in rows if r["set"] == "lfw-fit")
        entry = {"threshold": threshold}
        for group in ("lfw-fit", "lfw-held-out", "samples"):
            mine = [r for r in rows if r["set"] == group]
            e = {"clean": f"{sum(pick(r['clean']) > threshold for r in mine)} of {len(mine)} "
                          f"(median {np.median([pick(r['clean']) for r in mine]):.4f})"}
            for kind, size in OCCLUDERS:
                v = [pick(r[f"{kind}-{size}"]) for r in mine if r[f"{kind}-{size}"] is not None]
                e[f"{kind}-{size}"] = f"{sum(x > threshold for x in v)} of {len(v)} (median {np.median(v):.4f})"
            entry[group] = e
        out[name] = entry
    return out


def rule_values(side: dict) -> tuple[float, float]:
    """(flat, edges): the difference to the other cheek where the cheek itself passes its floor, else 0."""
    flat = side["plateau_diff"] if side["plateau"] > MIN_PLATEAU else 0.0
    edges = side["steps_diff"] if side["steps"] > MIN_STEPS else 0.0
    return flat, edges


def warns(side: dict, thresholds: tuple[float, float]) -> bool:
    flat, edges = rule_values(side)
    return flat > thresholds[0] or edges > thresholds[1]


def _clean_maxima(rows: list[dict]) -> tuple[float, float]:
    values = [rule_values(r["clean"][s]) for r in rows for s in SIDES]
    return max(v[0] for v in values), max(v[1] for v in values)


# Faces turned further than these (degrees, the pose check's estimate) left unassessed, as a variant.
YAW_LIMITS = (10, 15, 20)


def _turned_at_most(faces: dict | None, limit: float) -> bool:
    return faces is not None and faces["yaw"] is not None and abs(faces["yaw"]) <= limit


def by_yaw(rows: list[dict]) -> dict:
    """Leaving one person out, with only faces turned at most each of YAW_LIMITS assessed (thresholds too);
    an occluded face not assessed counts as a miss."""
    out = {}
    for limit in YAW_LIMITS:
        assessed = [r for r in rows if _turned_at_most(r["clean"], limit)]
        thresholds = {p: _clean_maxima([r for r in assessed if r["person"] != p]) for p in {r["person"] for r in rows}}
        entry = {"clean_assessed": f"{len(assessed)} of {len(rows)}",
                 "false_warnings": [f"{r['file']}#{r['face']}" for r in assessed
                                    if any(warns(r["clean"][s], thresholds[r["person"]]) for s in SIDES)]}
        for kind, size in OCCLUDERS:
            key = f"{kind}-{size}"
            found = [r for r in rows if r[key] is not None]
            warned = sum(_turned_at_most(r[key], limit) and warns(r[key]["right_cheek"], thresholds[r["person"]])
                         for r in found)
            entry[key] = f"{warned} of {len(found)}"
        out[str(limit)] = entry
    return out


def summarise(rows: list[dict]) -> dict:
    fit = [r for r in rows if r["set"] == "lfw-fit"]
    people = sorted({r["person"] for r in rows})
    schemes = {"fit_people": {p: _clean_maxima(fit) for p in people},
               "leave_one_person_out": {p: _clean_maxima([r for r in rows if r["person"] != p]) for p in people}}
    out = {"statistics": _separation(rows), "leave_one_person_out_by_yaw": by_yaw(rows)}
    for scheme, thresholds in schemes.items():
        per_set = {}
        for group in dict.fromkeys(r["set"] for r in rows):
            mine = [r for r in rows if r["set"] == group]
            entry = {"clean_faces": len(mine),
                     "false_warnings": [f"{r['file']}#{r['face']}" for r in mine
                                        if any(warns(r["clean"][s], thresholds[r["person"]]) for s in SIDES)]}
            for kind, size in OCCLUDERS:
                found = [r for r in mine if r[f"{kind}-{size}"] is not None]
                entry[f"{kind}-{size}"] = {"faces": len(mine), "detected": len(found), "warned": sum(
                    warns(r[f"{kind}-{size}"]["right_cheek"], thresholds[r["person"]]) for r in found)}
            per_set[group] = entry
        values = list(thresholds.values())
        out[scheme] = {"thresholds": {"flat": [min(v[0] for v in values), max(v[0] for v in values)],
                                      "edges": [min(v[1] for v in values), max(v[1] for v in values)]},
                       "sets": per_set}
    return out


def _separation(rows: list[dict]) -> dict:
    """Each statistic alone: the fit people's largest clean value (either cheek) as the threshold, and how
    many held-out clean faces and occluded cheeks pass it."""
    fit = [r for r in rows if r["set"] == "lfw-fit"]
    held = [r for r in rows if r["set"] != "lfw-fit"]
    out = {}
    for name in ("plateau_diff", "steps_diff", "chroma_a_diff", "chroma_b_diff", "jaw", "refit"):
        threshold = max(r["clean"][s][name] for r in fit for s in SIDES)
        entry = {"threshold": threshold,
                 "held_out_false": sum(any(r["clean"][s][name] > threshold for s in SIDES) for r in held),
                 "held_out_clean": len(held)}
        for kind, size in OCCLUDERS:
            found = [r[f"{kind}-{size}"]["right_cheek"][name] for r in held if r[f"{kind}-{size}"] is not None]
            entry[f"{kind}-{size}"] = f"{sum(v > threshold for v in found)} of {len(found)}"
        out[name] = entry
    return out


def markdown(summary: dict) -> str:
    lines = []
    for scheme in ("fit_people", "leave_one_person_out"):
        s = summary[scheme]
        t = s["thresholds"]
        lines.append(f"{scheme}: flat threshold {t['flat'][0]:.3f}-{t['flat'][1]:.3f}, "
                     f"edges {t['edges'][0]:.3f}-{t['edges'][1]:.3f}")
        head = "| faces | clean | false warnings | " + " | ".join(f"{k} {z}" for k, z in OCCLUDERS) + " |"
        lines += ["", head, "|" + "---|" * (head.count("|") - 1)]
        for group, e in s["sets"].items():
            cells = [f"{e[f'{k}-{z}']['warned']} of {e[f'{k}-{z}']['detected']}" for k, z in OCCLUDERS]
            false = e["false_warnings"]
            lines.append(f"| {group} | {e['clean_faces']} | {len(false)}" + (f" ({', '.join(false)})" if false else "")
                         + " | " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["leave one person out, only faces turned at most N degrees:", "",
              "| N | clean assessed | false warnings | " + " | ".join(f"{k} {z}" for k, z in OCCLUDERS) + " |",
              "|---|---|---|" + "---|" * len(OCCLUDERS)]
    for limit, e in summary["leave_one_person_out_by_yaw"].items():
        false = f"{len(e['false_warnings'])} ({', '.join(e['false_warnings'])})"
        lines.append(f"| {limit} | {e['clean_assessed']} | {false} | " + " | ".join(e[f"{k}-{z}"] for k, z in OCCLUDERS)
                     + " |")
    lines.append("")
    head = ("| statistic | threshold (fit people) | held-out false | "
            + " | ".join(f"{k} {z}" for k, z in OCCLUDERS) + " |")
    lines += [head, "|" + "---|" * (head.count("|") - 1)]
    for name, e in summary["statistics"].items():
        lines.append(f"| {name} | {e['threshold']:.3f} | {e['held_out_false']} of {e['held_out_clean']} | "
                     + " | ".join(e[f"{k}-{z}"] for k, z in OCCLUDERS) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data/faces-dev", type=Path)
    parser.add_argument("--out", default=".", type=Path)
    parser.add_argument("--network", action="store_true", help="also the mirror counterfactual through dlib-resnet")
    args = parser.parse_args(argv)
    rows = measure(args.data)
    summary = summarise(rows)
    if args.network:
        from plq_desktop.core import load_model
        summary["mirror_counterfactual"] = measure_network(args.data, load_model("dlib-resnet", device="cpu"))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "cheek.json").write_text(json.dumps({"summary": summary, "faces": rows}, indent=1))
    table = markdown(summary)
    if args.network:
        table += "\n\nmirror counterfactual (dlib-resnet): " + json.dumps(summary["mirror_counterfactual"], indent=1)
    (args.out / "cheek.md").write_text(table + "\n")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
