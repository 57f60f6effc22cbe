"""Where to fix, measured: does the tool find and name an occluded face region?

``python -m plq_desktop.eval.occlusion [--out DIR] [--detector dlib|hog|cnn]``
runs the benchmark and writes ``occlusion-MODEL-DETECTOR.json`` and ``.md`` to
DIR (default: the user's data folder). How:

1. Faces: every face the HOG detector finds in the sample photos that PyPI
   packages ship (``core.io.samples``), each cut from its photo with a margin so that every test image shows
   one face. The landmarks of the clean face place the occluders.
2. Occluders (``eval.occluders``): nine kinds at two sizes, drawn on the
   clean face; plus the clean face itself. The occluded regions of a case are
   those its kind is drawn over plus any region it covers at least half of.
3. Per occluded face: whether the detector under test still finds it; the
   map's top region (largest drop of the region's mean pixel quality against
   the clean face, absolute and relative to the region's clean level, and the
   lowest z against the reference profile: the officer's case, who has no
   clean photo); the region where AMVA's activation lies furthest below that
   of high-quality faces (lowest mean z against an AMVA reference built
   without the face); and whether a hint appears that the clean face did not have and
   that names an occluded region (and, as a cost, whether a new hint names a
   region the occluder does not cover). A face the detector misses counts as a
   miss for the hint; the localisation columns are measured again with the
   clean face's landmarks, to tell detection from localisation.
4. The reference profile for each face is built without that face (leave one
   face out; both the face and its mirror image are left out), and the clean
   faces are checked for false region hints against it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from plq_desktop.core.analysis import align_faces, analyze
from plq_desktop.core.face.detection import Detection, FaceDetector
from plq_desktop.core.face.detectors import default_detector
from plq_desktop.core.face.regions import FACE_REGIONS
from plq_desktop.core.icao.occlusion import region_z
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import SAMPLES, sample_path
from plq_desktop.core.plq.whatif import REGION_CHECKS
from plq_desktop.eval.occluders import KINDS, SIZES, draw_occluder, occluded_regions

# Photos whose smaller detections are not faces (scikit-image's astronaut: a mission patch).
LARGEST_FACE_ONLY = ("astronaut",)
# Margin around a face's box when it is cut from its photo, in box widths (above: more, for the hair).
_MARGIN_SIDE, _MARGIN_ABOVE, _MARGIN_BELOW = 0.9, 1.1, 0.9
# A detection on an occluded image is the same face when its box overlaps the clean one this much.
SAME_FACE_IOU = 0.3


@dataclass
class BenchFace:
    label: str                 # "t1#3": sample name and detection number
    image: np.ndarray          # the face cut from its photo, uint8 RGB
    detection: Detection       # the clean face's detection on ``image`` (68 landmarks)


def _iou(a, b) -> float:
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def same_face(detections: list[Detection], box) -> Detection | None:
    """The detection that overlaps ``box`` most, if it overlaps it at least SAME_FACE_IOU."""
    best = max(detections, key=lambda d: _iou(d.box, box), default=None)
    return best if best is not None and _iou(best.box, box) >= SAME_FACE_IOU else None


def benchmark_faces(samples=None, detector: FaceDetector | None = None) -> list[BenchFace]:
    """Every usable face of the sample photos, each cut out with a margin, with its clean detection."""
    detector = detector or make_detector("hog")
    faces = []
    for name in samples or SAMPLES:
        photo = load_image(sample_path(name))
        detections = detector.detect(photo)
        if name in LARGEST_FACE_ONLY:
            detections = detections[:1]
        for number, det in enumerate(detections, start=1):
            if det.landmarks68 is None:
                continue
            x0, y0, x1, y1 = det.box
            w = x1 - x0
            h, wd = photo.shape[:2]
            c0, r0 = max(0, int(x0 - _MARGIN_SIDE * w)), max(0, int(y0 - _MARGIN_ABOVE * w))
            c1, r1 = min(wd, int(x1 + _MARGIN_SIDE * w) + 1), min(h, int(y1 + _MARGIN_BELOW * w) + 1)
            crop = np.ascontiguousarray(photo[r0:r1, c0:c1])
            shifted = (x0 - c0, y0 - r0, x1 - c0, y1 - r0)
            again = same_face(detector.detect(crop), shifted)
            if again is None:
                continue
            faces.append(BenchFace(f"{name}#{number}", crop, again))
    return faces


class FixedDetections:
    """A detector that returns given detections: the clean face's landmarks on an occluded copy."""

    name = "clean-face landmarks"

    def __init__(self, detections: list[Detection]):
        self._detections = list(detections)

    def detect(self, image_rgb: np.ndarray) -> list[Detection]:
        return list(self._detections)


def _face_in(result, box):
    """The analysed face of ``result`` that is the benchmark face (None: not found)."""
    best = max(result.faces, key=lambda f: _iou(f.box, box), default=None)
    return best if best is not None and _iou(best.box, box) >= SAME_FACE_IOU else None


def clean_statistics(model, faces: list[BenchFace]) -> list[list[dict]]:
    """Per face: the region statistics of the clean face and of its mirror image (for the profiles)."""
    out = []
    for face in faces:
        rows = []
        for view in (face.image, np.ascontiguousarray(face.image[:, ::-1])):
            box = face.detection.box
            if view is not face.image:
                w = view.shape[1]
                box = (w - 1 - box[2], box[1], w - 1 - box[0], box[3])
            result = analyze(view, model, profile={})
            found = _face_in(result, box)
            if found is not None and found.region_stats.get("face") is not None:
                rows.append(found.region_stats)
        out.append(rows)
    return out


def leave_one_out_amva_references(model, faces: list[BenchFace]) -> list:
    """For each face, the AMVA reference built as the shipped one is (``eval.amva_reference``: the better
    half of the faces and their mirror images by quality) from the other faces only."""
    from plq_desktop.eval.amva_reference import build_reference
    chips = [clean_chip(model, face) for face in faces]
    return [build_reference(model, np.stack([c for j, c in enumerate(chips) if j != i]),
                            [f.label for j, f in enumerate(faces) if j != i]) for i in range(len(faces))]


def clean_chip(model, face: BenchFace) -> np.ndarray:
    """The clean face's chip, aligned from its own detection."""
    return align_faces(face.image, [face.detection], model)[0].warp(face.image)


def leave_one_out_profiles(model, faces: list[BenchFace], stats: list[list[dict]]) -> list[dict]:
    """For each face, the reference profile of all the other faces (and their mirror images)."""
    from plq_desktop.eval.reference_profile import summarise
    profiles = []
    for i in range(len(faces)):
        rows, labels = [], []
        for j, face in enumerate(faces):
            if j != i:
                rows += stats[j]
                labels += [face.label] * len(stats[j])
        profiles.append(summarise(model, rows, labels))
    return profiles


# -- the benchmark ---------------------------------------------------------------------------------

# Checks whose hints name a region because something covers or hides it.


def make_detector(kind: str, device: str = "cpu") -> FaceDetector:
    """'hog' (dlib's HOG alone), 'cnn' (dlib's CNN alone) or 'dlib' (HOG, then the CNN when HOG finds none)."""
    from plq_desktop.core.face.detectors import make_detector as make
    if kind not in ("hog", "cnn", "dlib"):
        raise SystemExit(f"unknown detector {kind!r}; choose hog, cnn or dlib")
    return make(kind, device=device)


def _region_hints(face) -> list[list[str]]:
    """(check, region) of the face's blocking and warning hints from the checks that name covered regions."""
    return sorted([h.check, h.region] for h in face.hints if h.severity != "info" and h.check in REGION_CHECKS)


def _measures(face, profile: dict) -> dict:
    """What one analysed face says: region means of the check map, z against the profile, AMVA's activation z
    against the (leave-one-out) AMVA reference, region hints."""
    stats = face.region_stats or {}
    activation = face.activation_stats or {}
    return {
        "means": {r: round(stats[r].mean, 5) for r in FACE_REGIONS if stats.get(r) is not None},
        "z": {r: round(v, 3) for r, v in region_z(stats, profile).items() if r in FACE_REGIONS},
        "activation_z": {r: round(activation[r].mean, 3) for r in FACE_REGIONS if activation.get(r) is not None},
        "hints": _region_hints(face),
        "quality": round(face.quality, 4),
    }


def _row(face: BenchFace, kind: str, size: str, at_clean, clean, found, clean_found, profile) -> dict:
    targets = () if kind == "clean" else occluded_regions(face.image.shape, face.detection.landmarks68, kind, size)
    m = _measures(at_clean, profile)
    c = _measures(clean, profile)
    common = [r for r in m["means"] if r in c["means"]]
    drop = {r: c["means"][r] - m["means"][r] for r in common}
    # Relative: a region's mean falls from its own clean level (the z statistic is relative too).
    log_ratio = {r: float(np.log(max(m["means"][r], 1e-6) / max(c["means"][r], 1e-6))) for r in common}
    top_drop = max(drop, key=drop.get) if drop else None
    top_ratio = min(log_ratio, key=log_ratio.get) if log_ratio else None
    top_z = min(m["z"], key=m["z"].get) if m["z"] else None
    top_activation = min(m["activation_z"], key=m["activation_z"].get) if m["activation_z"] else None
    clean_hints = {tuple(h) for h in c["hints"]}
    new_at_clean = [h for h in m["hints"] if tuple(h) not in clean_hints]
    row = {"face": face.label, "kind": kind, "size": size, "targets": list(targets),
           "found": found is not None, "top_drop": top_drop, "top_ratio": top_ratio, "top_z": top_z,
           "top_activation": top_activation,
           "new_hints_clean_landmarks": new_at_clean, "measures": m}
    if found is not None:
        base = {tuple(h) for h in _region_hints(clean_found)} if clean_found is not None else clean_hints
        row["new_hints"] = [h for h in _region_hints(found) if tuple(h) not in base]
    else:
        row["new_hints"] = []
    row["hint_names_target"] = any(h[1] in targets for h in row["new_hints"])
    row["hint_names_target_clean_landmarks"] = any(h[1] in targets for h in new_at_clean)
    return row


def run_benchmark(model, detector: FaceDetector | None = None, faces: list[BenchFace] | None = None,
                  kinds=KINDS, sizes=SIZES, log=print, rows_for=None, redetect: bool = True,
                  profiles: list[dict] | None = None, references: list | None = None) -> dict:
    """Every face clean and with every occluder; returns the per-case rows and the summary.

    ``rows_for``: labels of the faces to measure (default: all); the held-out profiles and AMVA references
    are built from all ``faces`` either way (or given, in ``faces``' order), so a subset's rows are the
    full benchmark's rows for it. ``redetect=False``: the detector is not run on the occluded photos (the
    "found" columns then repeat the clean landmarks' ones).
    """
    detector = detector or default_detector()
    faces = faces if faces is not None else benchmark_faces()
    if profiles is None:
        profiles = leave_one_out_profiles(model, faces, clean_statistics(model, faces))
    if references is None:
        references = leave_one_out_amva_references(model, faces)
    rows, times = [], []
    for i, face in enumerate(faces):
        if rows_for is not None and face.label not in rows_for:
            continue
        oracle = FixedDetections([face.detection])
        held_out = {"profile": profiles[i], "amva_reference": references[i]}
        started = time.perf_counter()
        clean = analyze(face.image, model, detector=oracle, **held_out).faces[0]
        clean_found = (_face_in(analyze(face.image, model, detector=detector, **held_out), face.detection.box)
                       if redetect else clean)
        times.append(time.perf_counter() - started)
        row = _row(face, "clean", "", clean, clean, clean_found, clean_found, profiles[i])
        row["false_region_hints"] = _region_hints(clean)
        rows.append(row)
        for kind in kinds:
            for size in sizes:
                image = draw_occluder(face.image, face.detection.landmarks68, kind, size)
                at_clean = analyze(image, model, detector=oracle, **held_out).faces[0]
                found = (_face_in(analyze(image, model, detector=detector, **held_out), face.detection.box)
                         if redetect else at_clean)
                rows.append(_row(face, kind, size, at_clean, clean, found, clean_found, profiles[i]))
        log(f"{face.label}: done")
    return {"model": model.name, "detector": detector.name if redetect else "clean-face landmarks",
            "faces": [f.label for f in faces], "seconds_per_face": round(float(np.median(times)), 3),
            "rows": rows, "summary": summarise_rows(rows)}


def summarise_rows(rows: list[dict]) -> dict:
    """Per occluder kind and overall: counts of the measures (n = occluded faces of that kind)."""
    occluded = [r for r in rows if r["kind"] != "clean"]
    table = {}
    for kind in list(dict.fromkeys(r["kind"] for r in occluded)) + ["all"]:
        sel = [r for r in occluded if kind in ("all", r["kind"])]
        table[kind] = {
            "n": len(sel),
            "found": sum(r["found"] for r in sel),
            "hint": sum(r["hint_names_target"] for r in sel),
            "hint_clean_landmarks": sum(r["hint_names_target_clean_landmarks"] for r in sel),
            "hint_elsewhere": sum(any(h[1] not in r["targets"] for h in r["new_hints"]) for r in sel),
            "top_drop": sum(r["top_drop"] in r["targets"] for r in sel),
            "top_ratio": sum(r["top_ratio"] in r["targets"] for r in sel),
            "top_z": sum(r["top_z"] in r["targets"] for r in sel),
            "top_either": sum(r["top_ratio"] in r["targets"] or r["top_z"] in r["targets"] for r in sel),
            "top_activation": sum(r["top_activation"] in r["targets"] for r in sel),
        }
    clean = [r for r in rows if r["kind"] == "clean"]
    table["clean"] = {"n": len(clean), "false_region_hints": sum(bool(r["false_region_hints"]) for r in clean)}
    return table


_COLUMNS = (("found", "face found"), ("hint", "new hint names it"),
            ("hint_clean_landmarks", "... with the clean landmarks"),
            ("hint_elsewhere", "new hint on a region it does not cover (lower is better)"),
            ("top_drop", "map top region (largest drop vs clean face)"),
            ("top_ratio", "map top region (largest relative drop vs clean face)"),
            ("top_z", "map top region (vs profile)"), ("top_either", "relative drop or profile"),
            ("top_activation", "activation deficit top region (vs AMVA reference)"))


def markdown_table(summary: dict) -> str:
    head = "| occluder | n | " + " | ".join(label for _, label in _COLUMNS) + " |"
    lines = [head, "|" + "---|" * (len(_COLUMNS) + 2)]
    for kind, s in summary.items():
        if kind == "clean":
            continue
        cells = [f"{s[k]} ({100 * s[k] / s['n']:.0f} %)" if s["n"] else "-" for k, _ in _COLUMNS]
        name = f"**{kind}**" if kind == "all" else kind
        lines.append(f"| {name} | {s['n']} | " + " | ".join(cells) + " |")
    c = summary["clean"]
    lines.append("")
    lines.append(f"Clean faces with a false region hint (reference profile without the face): "
                 f"{c['false_region_hints']} of {c['n']}.")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    import torch

    from plq_desktop.core.zoo.registry import load_model
    from plq_desktop.eval.output import default_output_dir

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="dlib-resnet")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--detector", default="dlib", choices=("hog", "cnn", "dlib"),
                        help="dlib (default, as the app: HOG, then the CNN when HOG finds none), hog or cnn alone")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (default 1)")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"output folder (default: {default_output_dir('occlusion')})")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    out = args.out or default_output_dir("occlusion")
    model = load_model(args.model, device=args.device)
    report = run_benchmark(model, make_detector(args.detector, args.device), kinds=args.kinds,
                           log=lambda m: print(m, file=sys.stderr))
    out.mkdir(parents=True, exist_ok=True)
    stem = f"occlusion-{args.model}-{args.detector}"
    (out / f"{stem}.json").write_text(json.dumps(report, indent=1) + "\n")
    table = markdown_table(report["summary"])
    (out / f"{stem}.md").write_text(f"# Occlusion benchmark: {args.model}, detector {report['detector']}\n\n"
                                    f"Faces: {', '.join(report['faces'])}. Median analysis time per clean "
                                    f"face (detection included): {report['seconds_per_face']} s.\n\n" + table)
    print(table)
    print(f"-> {out / stem}.json, .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
