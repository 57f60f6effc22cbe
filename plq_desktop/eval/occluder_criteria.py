"""Occluders over both eyes on real photos of real people: does the 0-100 fall, as the recogniser does?

``python -m plq_desktop.eval.occluder_criteria --out DIR`` (issue 20's occluder criteria):

1. Photos: ``../shared/data/faces-dev`` (lfw10 and faceapi's labelled crops,
   ``eval.edc.list_set``); the product's analysis (detection, alignment,
   quality, map, hints); the face nearest the photo's centre, with 68
   landmarks.
2. Occluders (``eval.occluders.draw_occluder``, size "large"): ``eye_band``, a
   black band across the face from the brows to below the lower lids, and
   ``sunglasses``, two dark lenses over the eyes.
3. The occluded photo is analysed with the clean photo's detection and
   alignment (the pixels are the only difference, as in ``plq whatif``).
   Measured: the drop of the 0-100 score; the recogniser's own loss, the
   Euclidean distance of the occluded descriptor from the clean one (dlib:
   same person below 0.6); and the paper's inpainting experiment,
   ``what_if`` with region ``auto`` on the occluded photo, which should
   raise the score.
4. Criteria: on faces reading >= 60 when clean, a drop of >= 25 points on
   >= 80 % of them; Spearman(drop, loss) >= 0.5; inpainting raises the score
   by > 0.1 point on >= 65 % of occluded faces.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from plq_desktop.eval.edc import DEFAULT_DATA, SETS, list_set
from plq_desktop.eval.stats import spearman

KINDS = ("eye_band", "sunglasses")
READS_CLEAN = 60.0
MIN_DROP = 25.0


def nearest_centre(result) -> int | None:
    faces = [k for k, f in enumerate(result.faces) if f.landmarks.shape[0] == 68]
    if not faces:
        return None
    centre = np.array([result.width, result.height]) / 2
    return min(faces, key=lambda k: float(np.linalg.norm(result.faces[k].landmarks5.mean(axis=0) - centre)))


def analyse_as(image, before, model):
    """``image`` analysed with ``before``'s detections and alignments (only pixels differ)."""
    from plq_desktop.core.analysis import ImageResult, Prepared, finish
    from plq_desktop.core.plq.whatif import _detection_of
    result = ImageResult(before.width, before.height, before.model, before.estimator, [], path=None)
    alignments = [f.alignment for f in before.faces]
    chips = np.stack([a.warp(image) for a in alignments])
    prep = Prepared(image, result, [_detection_of(f) for f in before.faces], alignments, chips)
    return finish(prep, model.plq(chips), model)


def measure_photo(model, image) -> list[dict]:
    from plq_desktop.core.analysis import analyze
    from plq_desktop.core.plq.whatif import WhatIfError, what_if
    from plq_desktop.eval.occluders import draw_occluder
    clean = analyze(image, model)
    k = nearest_centre(clean)
    if k is None:
        return []
    face = clean.faces[k]
    rows = []
    for kind in KINDS:
        occluded = draw_occluder(image, face.landmarks, kind, "large")
        after = analyse_as(occluded, clean, model)
        e0, e1 = model.embed(np.stack([face.chip, after.faces[k].chip]))
        row = {"kind": kind, "clean": 100 * face.quality, "occluded": 100 * after.faces[k].quality,
               "descriptor_move": float(np.linalg.norm(e0 - e1))}
        try:
            sim = what_if(occluded, model, before=after, face_index=k)
            row.update(inpainted=100 * sim.quality_after, region=sim.region)
        except WhatIfError as exc:
            row.update(inpainted=None, region=f"none ({exc})")
        rows.append(row)
    return rows


def summarise(rows: list[dict]) -> dict:
    out = {}
    for kind in (*KINDS, "both"):
        sel = [r for r in rows if kind == "both" or r["kind"] == kind]
        if not sel:
            continue
        clean = np.array([r["clean"] for r in sel])
        drop = clean - np.array([r["occluded"] for r in sel])
        move = np.array([r["descriptor_move"] for r in sel])
        good = clean >= READS_CLEAN
        gains = np.array([r["inpainted"] - r["occluded"] for r in sel if r["inpainted"] is not None])
        out[kind] = {
            "faces": len(sel), "reading_at_least_60_clean": int(good.sum()),
            "share_drop_at_least_25_of_those": float(np.mean(drop[good] >= MIN_DROP)) if good.any() else None,
            "median_drop": float(np.median(drop)), "median_clean": float(np.median(clean)),
            "spearman_drop_vs_descriptor_move": spearman(drop, move),
            "median_descriptor_move": float(np.median(move)),
            "share_inpainting_raises": float(np.mean(gains > 0.1)) if len(gains) else None,
            "median_inpainting_gain": float(np.median(gains)) if len(gains) else None,
            "regions_chosen": {g: sum(r.get("region") == g for r in sel) for g in sorted({r.get("region") for r in sel})},
        }
    return out


def markdown(summary: dict) -> str:
    lines = ["| occluder | faces | clean >= 60 | drop >= 25 among those | median drop | Spearman(drop, descriptor move) "
             "| inpainting (auto region) raises | median gain |", "|---|---|---|---|---|---|---|---|"]
    for kind, s in summary.items():
        share = "-" if s["share_drop_at_least_25_of_those"] is None else f"{100 * s['share_drop_at_least_25_of_those']:.0f} %"
        raise_share = "-" if s["share_inpainting_raises"] is None else f"{100 * s['share_inpainting_raises']:.0f} %"
        gain = "-" if s["median_inpainting_gain"] is None else f"{s['median_inpainting_gain']:+.1f}"
        lines.append(f"| {kind} | {s['faces']} | {s['reading_at_least_60_clean']} | {share} | {s['median_drop']:.1f} "
                     f"| {s['spearman_drop_vs_descriptor_move']:.2f} | {raise_share} | {gain} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    import torch

    from plq_desktop.core.io.files import atomic_write_json
    from plq_desktop.core.io.images import load_image
    from plq_desktop.core.zoo.registry import load_model
    from plq_desktop.eval.output import add_output_arguments, output_dir

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="dlib-resnet")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", nargs="+", default=list(SETS))
    parser.add_argument("--every", type=int, default=1, help="every n-th photo of each set (a quicker sample)")
    parser.add_argument("--first", type=int, default=0,
                        help="with --every: start at this photo (--every 2 --first 1: the photos --every 2 skips)")
    parser.add_argument("--device", default="cpu")
    add_output_arguments(parser, "occluder-criteria")
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    out = output_dir(args, "occluder-criteria")
    model = load_model(args.model, device=args.device)
    rows, t0 = [], time.time()
    for name in args.sets:
        photos = list_set(args.data, name)
        for i, rel in enumerate(photos.paths[args.first::args.every]):
            for row in measure_photo(model, load_image(args.data / rel)):
                rows.append({"photo": rel, **row})
            if (i + 1) % 10 == 0:
                print(f"  {name}: {i + 1} photos ({time.time() - t0:.0f} s)", flush=True)
                # what is measured so far stays on disk (a long run on a shared machine)
                atomic_write_json(out / f"occluder-criteria-{args.model}.json", {"summary": summarise(rows), "rows": rows})
    summary = summarise(rows)
    atomic_write_json(out / f"occluder-criteria-{args.model}.json", {"summary": summary, "rows": rows})
    text = markdown(summary)
    (out / f"occluder-criteria-{args.model}.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
