"""What-if repair: inpaint a face region and see how quality and map would change (the paper's experiment).

The region (one of the facial regions of ``core.face.regions``, or a mask
brushed by the officer) is filled from its surroundings with OpenCV's
inpainting, and the *same* face, aligned exactly as before, goes through the
model again, so before and after compare pixel for pixel. ``auto`` picks
the region the evidence ranks worst (``worst_region``): the lowest AMVA
activation z against high-quality faces, else the lowest z-score of the
map against the reference profile of compliant faces, else the lowest
mean pixel quality. A region a region hint names, or one whose activation
lies far below good faces', is repaired (``region_needing_repair``); without
such evidence the region ranked worst is simulated and kept only if the
repair raises quality. On a clean face ``auto`` says that nothing needs
repair (``NothingToRepair``) instead of blurring a real eye.

The inpainted image is a simulation and nothing else: it carries a
watermark, ``simulation: true`` in every JSON, and the PNG text field
``SIMULATION_KEY`` that ``plq export`` refuses.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from plq_desktop.core.analysis import ImageResult, Prepared, analyze, finish
from plq_desktop.core.face.regions import FACE_REGIONS

SIMULATION_KEY = "plq-simulation"
WATERMARK = "SIMULATION - NOT FOR ENROLMENT"
INPAINT_RADIUS_IED = 0.08       # inpainting neighbourhood, in inter-eye distances
MASK_GROWTH_IED = 0.04          # the region grown by this much so its rim is inpainted too
AUTO = "auto"
EYES = "eyes"                   # both eye regions and the skin between them (a composite region)
EYE_REGIONS = ("right_eye", "left_eye")
REPAIRABLE = FACE_REGIONS + (EYES,)


class WhatIfError(ValueError):
    """One-line reason why the simulation cannot run (no face, unknown region, empty mask)."""


class NothingToRepair(WhatIfError):
    """``auto`` on a face where no region needs repair: a clean face."""


# The hints that name a region something covers or hides: ``auto`` repairs only such a region ...
REGION_CHECKS = ("occlusion", "covered", "eye_frame", "eye_visible", "mouth_visible")
# ... or one whose AMVA activation lies this far below good faces' (z): the lowest region of 28 clean
# faces of faces-dev and the sample photos reached -1.98 (t1's fourth face); a hand on a cheek -1.2 to -2.8.
REPAIR_ACTIVATION_Z = -2.5


@dataclass
class WhatIf:
    region: str                    # region name, or "brush"
    auto: bool
    mask: np.ndarray               # H x W bool, the inpainted pixels
    before: ImageResult
    after: ImageResult             # the simulated photo, the same face alignment as before
    simulated: np.ndarray          # the inpainted photo, no watermark (for display beside the watermark)
    face_index: int = 0

    simulation = True

    @property
    def quality_before(self) -> float:
        return self.before.faces[self.face_index].quality

    @property
    def quality_after(self) -> float:
        return self.after.faces[self.face_index].quality

    @property
    def gain(self) -> float:
        return self.quality_after - self.quality_before

    def to_dict(self) -> dict:
        def stats(result):
            return {k: v.to_dict() for k, v in result.faces[self.face_index].region_stats.items() if v is not None}
        return {
            "simulation": True,
            "not_for_enrolment": True,
            "region": self.region,
            "region_chosen_automatically": self.auto,
            "inpainted_pixels": int(self.mask.sum()),
            "face_index": self.face_index,
            "quality_before": round(self.quality_before, 6),
            "quality_after": round(self.quality_after, 6),
            "quality_gain": round(self.gain, 6),
            "region_pixel_quality_before": stats(self.before),
            "region_pixel_quality_after": stats(self.after),
            "hints_before": [h.check for h in self.before.faces[self.face_index].hints],
            "hints_after": [h.check for h in self.after.faces[self.face_index].hints],
        }


def worst_region(face, among=FACE_REGIONS) -> str:
    """The facial region (of ``among``) the evidence ranks worst for this face.

    First AMVA's activation z against high-quality faces (where the model has
    a reference): on the occlusion benchmark it ranked the occluded region
    first in 83 % of the faces, the map's z in 67 % (docs/where-to-fix.md).
    Then the map's z against the reference profile, then the lowest mean pixel quality.
    """
    active = {r: s.mean for r, s in face.activation_stats.items() if s is not None and r in among}
    if active:
        return min(active, key=active.get)
    z = {c.region: c.value for c in face.checks
         if c.name == "occlusion" and c.value is not None and c.region in among}
    if z:
        return min(z, key=z.get)
    means = {r: s.mean for r, s in face.region_stats.items() if s is not None and r in among}
    if not means:
        raise WhatIfError("the map gives no region statistics for this face (68 landmarks needed)")
    return min(means, key=means.get)


def _needs_repair(face, region: str, named: set[str]) -> bool:
    """A region hint names the region, or its activation lies far below good faces'."""
    stats = face.activation_stats.get(region)
    return region in named or (stats is not None and stats.mean <= REPAIR_ACTIVATION_Z)


def region_needing_repair(face) -> tuple[str, bool]:
    """(the region ``auto`` repairs, whether evidence says it needs repair): the worst of the regions a
    region hint names, else the worst region, evidenced when its activation lies far below good faces'.
    When that is an eye and the other eye needs repair too, both eyes (``EYES``): a band or dark
    glasses over both eyes, half repaired, still hides the other eye from the network."""
    named = {h.region for h in face.hints
             if h.severity != "info" and h.check in REGION_CHECKS and h.region in FACE_REGIONS}
    if named:
        region, evidenced = worst_region(face, tuple(r for r in FACE_REGIONS if r in named)), True
    else:
        region = worst_region(face)
        evidenced = _needs_repair(face, region, named)
    if evidenced and region in EYE_REGIONS:
        other = EYE_REGIONS[1 - EYE_REGIONS.index(region)]
        if _needs_repair(face, other, named):
            return EYES, True
    return region, evidenced


def _nothing_to_repair(why: str) -> NothingToRepair:
    return NothingToRepair(f"nothing needs repair: no hint names a covered region, and {why}")


def region_mask(face, region: str, shape: tuple[int, ...]) -> np.ndarray:
    if face.regions is None:
        raise WhatIfError("regions need the 68 face landmarks (the detector gave only 5)")
    if region not in REPAIRABLE:
        raise WhatIfError(f"unknown region {region!r}; choose auto or one of {', '.join(REPAIRABLE)}")
    mask = np.zeros(shape[:2], np.uint8)
    pts = np.round(face.regions.polygons[region] * 16).astype(np.int32)
    cv2.fillPoly(mask, [pts], 1, lineType=cv2.LINE_8, shift=4)
    grow = max(1, round(MASK_GROWTH_IED * face.regions.frame.ied))
    return cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1))) > 0


SKIN_REGIONS = ("right_cheek", "left_cheek", "chin", "forehead", "nose")
SKIN_CHROMA_TOLERANCE = 0.05    # (r, g) chromaticity distance from the face's median skin
MIN_SKIN_TINT = 0.02            # below this the photo has no colour to tell skin from an occluder


def occluder_mask(image: np.ndarray, face, region_pixels: np.ndarray) -> np.ndarray:
    """The part of a skin region whose colour is not skin: what an occluder (patch, hand, hair) covers.

    Inpainting a whole cheek smears away its texture, which the network uses;
    filling only the off-skin pixels repairs the occluder and keeps the rest.
    Skin colour is the median chromaticity of all skin regions of the face,
    so an occluder on one of them barely moves it. In a colourless photo the
    whole region is returned.
    """
    skin = np.zeros(image.shape[:2], np.uint8)
    for name in SKIN_REGIONS:
        cv2.fillPoly(skin, [np.round(face.regions.polygons[name] * 16).astype(np.int32)], 1, shift=4)
    rgb = image.astype(np.float32)
    chroma = rgb[..., :2] / np.maximum(rgb.sum(axis=2, keepdims=True), 1.0)
    median = np.median(chroma[skin > 0], axis=0)
    if abs(median[0] - 1 / 3) + abs(median[1] - 1 / 3) < MIN_SKIN_TINT:
        return region_pixels
    off = np.abs(chroma - median).max(axis=2) > SKIN_CHROMA_TOLERANCE
    mask = (off & region_pixels).astype(np.uint8)
    # Open away single speckles, then grow over the occluder's anti-aliased rim.
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    grow = max(1, round(MASK_GROWTH_IED * face.regions.frame.ied))
    mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1)))
    return (mask > 0) & region_pixels


def inpaint(image: np.ndarray, mask: np.ndarray, ied: float) -> np.ndarray:
    radius = max(2.0, INPAINT_RADIUS_IED * ied)
    return cv2.inpaint(image, mask.astype(np.uint8), radius, cv2.INPAINT_TELEA)


def what_if(image: np.ndarray, model, region: str = AUTO, mask: np.ndarray | None = None,
            before: ImageResult | None = None, face_index: int = 0, estimator: str | None = None,
            thresholds=None, whole_region: bool = False) -> WhatIf:
    """Inpaint ``region`` (or the brushed ``mask``) of one face and analyse the same face again.

    In a skin region only the off-skin pixels are inpainted (``occluder_mask``)
    unless ``whole_region``; eyes and mouth are always inpainted whole.
    """
    if before is None:
        before = analyze(image, model, estimator=estimator, thresholds=thresholds)
    estimator = estimator or before.estimator      # after must use what before used
    if not before.faces:
        raise WhatIfError("no face found")
    if not 0 <= face_index < len(before.faces):
        raise WhatIfError(f"face {face_index + 1} does not exist (the photo shows {len(before.faces)})")
    face = before.faces[face_index]
    ied = face.regions.frame.ied if face.regions is not None else (face.box[2] - face.box[0]) / 2.5
    auto = mask is None and region == AUTO
    evidenced = True
    if mask is not None:
        mask = np.asarray(mask, bool)
        if mask.shape != image.shape[:2] or not mask.any():
            raise WhatIfError("the brushed mask is empty or not the photo's size")
        region = "brush"
    else:
        if auto:
            region, evidenced = region_needing_repair(face)
        mask = region_mask(face, region, image.shape)
        if region in SKIN_REGIONS and whole_region is False:
            mask = occluder_mask(image, face, mask)
        if not mask.any():
            if not evidenced:
                raise _nothing_to_repair(f"the region ranked worst, the {region.replace('_', ' ')}, "
                                         "shows skin throughout")
            raise WhatIfError(f"nothing to repair in the {region}: its colour is skin throughout")
    simulated = inpaint(image, mask, ied)
    # The same detections and alignments: before and after differ only in the inpainted pixels.
    result = ImageResult(before.width, before.height, before.model, before.estimator, [], path=None)
    alignments = [f.alignment for f in before.faces]
    detections = [_detection_of(f) for f in before.faces]
    chips = np.stack([a.warp(simulated) for a in alignments])
    prep = Prepared(simulated, result, detections, alignments, chips)
    plq = model.plq(chips, estimator=estimator)
    after = finish(prep, plq, model, thresholds=thresholds)
    sim = WhatIf(region, auto, mask, before, after, simulated, face_index)
    if not evidenced and sim.gain <= 0:
        raise _nothing_to_repair(f"inpainting the region ranked worst, the {region.replace('_', ' ')}, would not "
                                 f"raise quality ({100 * sim.quality_before:.1f} -> {100 * sim.quality_after:.1f})")
    return sim


def _detection_of(face):
    from plq_desktop.core.face.detection import Detection
    lm68 = face.landmarks if face.landmarks.shape[0] == 68 else None
    return Detection(box=np.asarray(face.box), score=face.score, landmarks5=face.landmarks5, landmarks68=lm68)


# Capital letters of Hershey Simplex are about 22 px tall at scale 1; below this height they blur together.
MIN_LETTER_PX = 7


def fitted_text(text: str, max_width: float, max_height: float) -> tuple[float, int, int]:
    """(scale, stroke thickness, drawn width) of ``text`` in Hershey Simplex as large as fits in
    ``max_width`` x ``max_height``: the width is measured with the stroke it is drawn with (a stroke
    measured at 1 px and drawn at 4 px ran off a narrow photo's edge)."""
    scale = max_height / 30
    for _ in range(8):
        thickness = max(1, round(scale * 2))
        (width, _h), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
        if width <= max_width:
            return scale, thickness, width
        scale *= 0.98 * max_width / width
    thickness = max(1, round(scale * 2))
    return scale, thickness, cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)[0][0]


def watermark(image: np.ndarray, text: str = WATERMARK) -> np.ndarray:
    """A red band with ``text`` across the top and a diagonal line of it across the middle, both scaled
    to the photo's width. On a photo too narrow for one legible line the band holds two."""
    out = image.copy()
    h, w = out.shape[:2]
    band = max(14, h // 18)
    margin = 4
    lines = [text]
    scale, thickness, _width = fitted_text(text, w - 2 * margin, band)
    if scale * 22 < MIN_LETTER_PX and " - " in text:
        head, tail = text.split(" - ", 1)
        lines = [f"{head} -", tail]
        scale, thickness, _width = min((fitted_text(line, w - 2 * margin, band) for line in lines),
                                       key=lambda fit: fit[0])
        band = max(band, int(2.6 * 22 * scale) + 2 * margin)
    out[:band] = (0.35 * out[:band] + 0.65 * np.array([200, 20, 20])).astype(np.uint8)
    (_tw, th), _ = cv2.getTextSize(lines[0], cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
    step = band / len(lines)
    for i, line in enumerate(lines):
        cv2.putText(out, line, (margin, int(i * step + (step + th) / 2)), cv2.FONT_HERSHEY_SIMPLEX, scale,
                    (255, 255, 255), thickness, cv2.LINE_AA)
    # The diagonal stamp, centred and blended so the face stays visible.
    stamp = np.zeros_like(out)
    # Turned by 30 degrees, a line of length L rises L / 2: on a wide, low photo the height limits it.
    big, stroke, sw = fitted_text(text, min(0.75 * w, 1.6 * h), h)
    (_sw, sh), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, big, stroke)
    cv2.putText(stamp, text, (int((w - sw) / 2), int((h + sh) / 2)), cv2.FONT_HERSHEY_SIMPLEX, big,
                (255, 255, 255), stroke, cv2.LINE_AA)
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), 30, 1.0)
    stamp = cv2.warpAffine(stamp, rot, (w, h))
    alpha = stamp[..., :1].astype(np.float32) / 255 * 0.35
    return (out * (1 - alpha) + stamp.astype(np.float32) * alpha).astype(np.uint8)


class SimulationCheckError(Exception):
    """A file's metadata cannot be read, so it cannot be cleared of being a what-if simulation."""


def simulation_marker(path) -> bool:
    """Whether a file carries the what-if tool's marker (a PNG text field); SimulationCheckError when its
    metadata cannot be read: a file that cannot be cleared is never taken for a photo."""
    from PIL import Image
    try:
        with Image.open(path) as im:
            im.load()           # text fields after the image data are read with it
            marker = im.info.get(SIMULATION_KEY)
    except Exception as exc:  # noqa: BLE001 - whatever stops the reading, the file is not cleared
        raise SimulationCheckError(f"{path}: cannot tell whether it is a what-if simulation "
                                   f"({type(exc).__name__}: {exc})") from None
    if marker is None:
        return False
    if str(marker).lower() not in ("true", "false"):     # e.g. a damaged compressed field reads as ""
        raise SimulationCheckError(f"{path}: its what-if marker cannot be read ({marker!r})")
    return str(marker).lower() == "true"


def is_simulation_file(path) -> bool:
    """Whether a file must be treated as a what-if simulation: it says so, or it cannot be cleared."""
    try:
        return simulation_marker(path)
    except SimulationCheckError:
        return True


def write_what_if(sim: WhatIf, image: np.ndarray, out_dir, stem: str, source: str | None = None,
                  palette=None) -> dict:
    """STEM.before.plq.png/.npy, STEM.after.plq.png/.npy (watermarked), STEM.simulation.png, STEM.whatif.json.

    The maps are drawn in ``palette`` (core.io.palette; None: the default)."""
    import io
    import json
    from pathlib import Path

    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    from plq_desktop.core.io.files import atomic_write
    from plq_desktop.core.io.palette import DEFAULT_PALETTE
    from plq_desktop.core.io.render import render_result

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {k: out_dir / f"{stem}{suffix}" for k, suffix in (
        ("before_png", ".before.plq.png"), ("before_npy", ".before.plq.npy"), ("after_png", ".after.plq.png"),
        ("after_npy", ".after.plq.npy"), ("simulation", ".simulation.png"), ("json", ".whatif.json"))}

    def png(array: np.ndarray, simulation: bool) -> bytes:
        info = PngInfo()
        if simulation:
            info.add_text(SIMULATION_KEY, "true")
            info.add_text("Comment", WATERMARK)
        buf = io.BytesIO()
        Image.fromarray(array).save(buf, "PNG", pnginfo=info)
        return buf.getvalue()

    palette = palette or DEFAULT_PALETTE
    before_png = png(render_result(image, sim.before, palette=palette), False)
    after_png = png(watermark(render_result(sim.simulated, sim.after, palette=palette)), True)
    simulation_png = png(watermark(sim.simulated), True)
    atomic_write(paths["before_png"], lambda p: Path(p).write_bytes(before_png))
    atomic_write(paths["after_png"], lambda p: Path(p).write_bytes(after_png))
    atomic_write(paths["simulation"], lambda p: Path(p).write_bytes(simulation_png))
    atomic_write(paths["before_npy"], lambda p: np.save(p, sim.before.plq_map))
    atomic_write(paths["after_npy"], lambda p: np.save(p, sim.after.plq_map))
    report = {"image": source, **sim.to_dict(),
              "files": {k: v.name for k, v in paths.items() if k != "json"}}
    atomic_write(paths["json"], lambda p: Path(p).write_text(json.dumps(report, indent=2)))
    return paths
