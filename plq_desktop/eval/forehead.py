"""The covered-forehead warning, measured: real faces with and without a band across the forehead.

``python -m plq_desktop.eval.forehead [--data DIR] [--out DIR]``

Faces: every face the HOG detector finds (with 68 landmarks) in faces-dev
(``lfw10``: 10 people x 10 colour photos; ``faceapi``: 8 people x 5
greyscale crops, the group photos and the expression photos) and in the sample
photos (``core.io.samples``). Each face is checked as it is (clean) and with
each forehead occluder of ``eval.occluders`` drawn from its landmarks
(``fringe``, ``forehead_band``; both sizes), detected again on the occluded
photo. The threshold (``Thresholds.max_forehead_covered_share``) was chosen on
``FIT_PEOPLE`` (LFW's first five people); every other face is held out.

A few clean photos show a forehead that is really covered (a cap, a beret,
a fringe down to the brows); they are listed in ``COVERED_BY_EYE`` (judged by
looking at them) and counted apart: a warning there is right.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from plq_desktop.core.face.detection import DlibHogDetector
from plq_desktop.core.icao.hints import photo_checks
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.eval.occluders import draw_occluder
from plq_desktop.eval.occlusion import same_face

FIT_PEOPLE = ("Ariel_Sharon", "Arnold_Schwarzenegger", "Colin_Powell", "Donald_Rumsfeld", "George_W_Bush")
OCCLUDERS = (("fringe", "small"), ("fringe", "large"), ("forehead_band", "small"), ("forehead_band", "large"))
# (file name, face number from 1, largest first): a cap, a beret or a fringe over the forehead, seen by eye.
COVERED_BY_EYE = frozenset({("Hugo_Chavez_0009.jpg", 1), ("howard1.png", 1), ("howard2.png", 1), ("bbt1.jpg", 4),
                            ("bbt5.jpg", 1), ("grace_hopper.jpg", 1)})
SAMPLES = ("t1", "grace_hopper", "astronaut", "tom_hanks")
LARGEST_FACE_ONLY = ("astronaut",)     # its smaller detections are a mission patch


def photos(data: Path) -> list[tuple[str, str, Path]]:
    """(set, person, path) of every photo measured."""
    out = [("lfw-fit" if p.parent.name in FIT_PEOPLE else "lfw-held-out", p.parent.name, p)
           for p in sorted(data.glob("lfw10/*/*.jpg"))]
    out += [("faceapi", p.parent.name, p) for p in sorted(data.glob("faceapi/*/*.png"))]
    out += [("faceapi-other", p.stem, p) for p in sorted(data.glob("faceapi/*.jpg"))]
    out += [("samples", name, sample_path(name)) for name in SAMPLES]
    return out


def forehead_check(image: np.ndarray, detection):
    checks = photo_checks(image, [_found(detection)])[0]
    return next(c for c in checks if c.name == "covered" and c.region == "forehead")


def _found(detection):
    from plq_desktop.core.analysis import FoundFace
    return FoundFace.of(detection)


def dev_faces(data: Path, detector, groups: tuple[str, ...] | None = None
              ) -> Iterator[tuple[str, str, Path, np.ndarray, int, object]]:
    """(set, person, path, image, face number, detection) of every face ``detector`` finds with its 68
    landmarks in the development photos of ``groups`` (default all; the largest face only where a photo
    shows bystanders)."""
    for group, person, path in photos(data):
        if groups is not None and group not in groups:
            continue
        image = load_image(path)
        detections = [d for d in detector.detect(image) if d.landmarks68 is not None]
        if person in LARGEST_FACE_ONLY:
            detections = detections[:1]
        for number, det in enumerate(detections, start=1):
            yield group, person, path, image, number, det


def occluded_face(image: np.ndarray, det, kind: str, size: str, detector):
    """The photo with the occluder drawn on the face, and that face found again on it (None if lost)."""
    occluded = draw_occluder(image, det.landmarks68, kind, size)
    return occluded, same_face([d for d in detector.detect(occluded) if d.landmarks68 is not None], det.box)


def measure(data: Path) -> list[dict]:
    detector = DlibHogDetector()
    rows = []
    for group, person, path, image, number, det in dev_faces(data, detector):
        clean = forehead_check(image, det)
        if clean.value is None:
            continue            # the forehead lies outside the photo (tight greyscale crops)
        row = {"set": group, "person": person, "file": path.name, "face": number,
               "covered_by_eye": (path.name, number) in COVERED_BY_EYE,
               "clean": {"value": clean.value, "warned": clean.status == "failed"}}
        for kind, size in OCCLUDERS:
            occluded, again = occluded_face(image, det, kind, size, detector)
            check = forehead_check(occluded, again) if again is not None else None
            row[f"{kind}-{size}"] = (None if check is None or check.value is None else
                                     {"value": check.value, "warned": check.status == "failed"})
        rows.append(row)
    return rows


def summarise(rows: list[dict]) -> dict:
    out = {}
    for group in dict.fromkeys(r["set"] for r in rows):
        mine = [r for r in rows if r["set"] == group]
        uncovered = [r for r in mine if not r["covered_by_eye"]]
        covered = [r for r in mine if r["covered_by_eye"]]
        entry = {"uncovered_faces": len(uncovered),
                 "false_warnings": [f"{r['file']}#{r['face']}" for r in uncovered if r["clean"]["warned"]],
                 "covered_faces_warned": f"{sum(r['clean']['warned'] for r in covered)} of {len(covered)}"}
        for kind, size in OCCLUDERS:
            key = f"{kind}-{size}"
            found = [r[key] for r in uncovered if r[key] is not None]
            entry[key] = {"faces": len(uncovered), "detected": len(found),
                          "warned": sum(f["warned"] for f in found)}
        out[group] = entry
    return out


def markdown(summary: dict) -> str:
    head = "| faces | uncovered foreheads | false warnings | " + " | ".join(
        f"{k} {s}: warned of found (faces)" for k, s in OCCLUDERS) + " | covered by eye, warned |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for group, e in summary.items():
        cells = [f"{e[f'{k}-{s}']['warned']} of {e[f'{k}-{s}']['detected']} ({e[f'{k}-{s}']['faces']})"
                 for k, s in OCCLUDERS]
        false = len(e["false_warnings"])
        lines.append(f"| {group} | {e['uncovered_faces']} | {false}"
                     + (f" ({', '.join(e['false_warnings'])})" if false else "")
                     + " | " + " | ".join(cells) + f" | {e['covered_faces_warned']} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data/faces-dev", type=Path)
    parser.add_argument("--out", default=".", type=Path)
    args = parser.parse_args(argv)
    rows = measure(args.data)
    summary = summarise(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "forehead.json").write_text(json.dumps({"summary": summary, "faces": rows}, indent=1))
    table = markdown(summary)
    (args.out / "forehead.md").write_text(table + "\n")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
