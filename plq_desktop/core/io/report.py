"""Results as JSON-ready dictionaries and files (shared by the CLI and the GUI)."""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from plq_desktop.core.analysis import ImageResult
from plq_desktop.core.face.alignment import Alignment
from plq_desktop.core.io.palette import DEFAULT_PALETTE, Palette
from plq_desktop.core.io.render import render_result
from plq_desktop.core.plq.meaning import quality_meaning


def _hint_dict(hint):
    return hint.to_dict() if hasattr(hint, "to_dict") else dict(hint)


def result_dict(result: ImageResult) -> dict:
    return {
        "image": result.path,
        "width": result.width,
        "height": result.height,
        "model": result.model,
        "quality_estimator": result.estimator,
        "quality_means": quality_meaning(result.estimator),
        "faces": [
            {
                "box": [round(v, 2) for v in face.box],
                "detection_score": round(face.score, 4),
                "landmarks": np.round(face.landmarks.astype(float), 2).tolist(),
                "quality": round(face.quality, 6),
                "raw_quality": round(face.raw_quality, 6),
                "mean_pixel_quality": round(float(np.nanmean(face.chip_plq)), 6),
                "region_pixel_quality": {name: stats.to_dict() for name, stats in face.region_stats.items()
                                         if stats is not None},
                # AMVA's activation against high-quality faces per region: far below 0 where something covers
                # the face (docs/where-to-fix.md); absent for a model without an AMVA reference.
                **({"region_activation_z": {name: round(stats.mean, 4) for name, stats in face.activation_stats.items()
                                            if stats is not None}} if face.activation_stats else {}),
                "hints": [_hint_dict(h) for h in face.hints],
                **({"amva": face.amva.to_dict()} if getattr(face, "amva", None) is not None else {}),
            }
            for face in result.faces
        ],
    }


# -- the PLQ map file (.plq.npz) ---------------------------------------------------------

MAP_FORMAT = "plq-map/1"
MAP_SUFFIX = ".plq.npz"


@dataclass(frozen=True)
class FaceMap:
    """One face of a map file: its PLQ on the model's chip and where that chip lies on the photo."""

    chip_plq: np.ndarray   # h x w float32 in [0, 1]
    matrix: np.ndarray     # 2 x 3 affine, photo (x, y, 1) -> chip (u, v)
    box: tuple[float, float, float, float]

    @property
    def alignment(self) -> Alignment:
        return Alignment(self.matrix, self.chip_plq.shape)

    def to_image(self, shape: tuple[int, int]) -> np.ndarray:
        """This face's map on a photo of ``shape`` (H, W): float32, NaN off the chip."""
        return self.alignment.to_image(self.chip_plq, shape)


@dataclass(frozen=True)
class PlqMapFile:
    width: int
    height: int
    model: str
    faces: tuple[FaceMap, ...]

    def full(self) -> np.ndarray:
        """H x W float32, NaN where no face was analysed: exactly ``ImageResult.plq_map``."""
        out = np.full((self.height, self.width), np.nan, dtype=np.float32)
        for face in self.faces:
            out = np.fmax(out, face.to_image((self.height, self.width)))
        return out


def save_plq_map(path: str | Path, result: ImageResult, raw: bool = False) -> None:
    """Write ``result``'s maps compactly: per face the chip map and its alignment (a few tens of kB).

    The readable map, or with ``raw`` the per-pixel one (the paper's Eq. 6).
    """
    Path(path).write_bytes(plq_map_bytes(result, raw))


def plq_map_bytes(result: ImageResult, raw: bool = False) -> bytes:
    """The content of ``save_plq_map``'s file."""
    faces = result.faces
    h, w = faces[0].chip_plq.shape if faces else (0, 0)
    chips = np.stack([face.chip_plq_raw if raw else face.chip_plq for face in faces]) if faces else np.zeros((0, h, w))
    matrices = np.stack([face.alignment.matrix for face in faces]) if faces else np.zeros((0, 2, 3))
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        format=np.array(MAP_FORMAT),
        image_size=np.array([result.width, result.height], dtype=np.int64),
        model=np.array(result.model),
        chip_plq=chips.astype(np.float32),
        matrix=matrices.astype(np.float64),
        box=np.array([face.box for face in faces], dtype=np.float64).reshape(-1, 4),
    )
    return buf.getvalue()


def read_plq_map(path: str | Path) -> PlqMapFile:
    """A ``.plq.npz`` map file with per-face access; ValueError if it is not one."""
    try:
        data = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ValueError(f"{path}: not a readable PLQ map file ({exc})") from None
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise ValueError(f"{path}: not a PLQ map file ({MAP_FORMAT}): a single array")
    with data:
        if "format" not in data or str(data["format"]) != MAP_FORMAT:
            raise ValueError(f"{path}: not a PLQ map file ({MAP_FORMAT})")
        try:
            width, height = (int(v) for v in data["image_size"])
            chips, matrices, boxes = data["chip_plq"], data["matrix"], data["box"]
            model = str(data["model"])
        except (KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise ValueError(f"{path}: a damaged PLQ map file ({exc})") from None
    faces = tuple(FaceMap(chips[i], matrices[i], tuple(float(v) for v in boxes[i])) for i in range(len(chips)))
    return PlqMapFile(width, height, model, faces)


def load_plq_map(path: str | Path) -> np.ndarray:
    """The map of a ``.plq.npz`` file in photo coordinates: H x W float32, NaN outside the faces."""
    return read_plq_map(path).full()


# -- one photo's outputs, written as a set -----------------------------------------------

OUTPUT_SUFFIXES = (".json", MAP_SUFFIX, ".plq.png")


def output_paths(out_dir: Path, stem: str) -> list[Path]:
    return [out_dir / f"{stem}{s}" for s in OUTPUT_SUFFIXES]


def encode_outputs(result: ImageResult, image: np.ndarray, raw_map: bool = False,
                   palette: Palette = DEFAULT_PALETTE) -> list[bytes]:
    """The contents of STEM.json, STEM.plq.npz (the maps, see ``read_plq_map``) and STEM.plq.png
    (overlay + legend in ``palette``), in ``OUTPUT_SUFFIXES`` order; ``write_output_set`` writes them."""
    ok, png = cv2.imencode(".png", cv2.cvtColor(render_result(image, result, raw=raw_map, palette=palette),
                                                cv2.COLOR_RGB2BGR))
    if not ok:
        raise OSError("could not encode the PLQ overlay as PNG")
    return [json.dumps(result_dict(result), indent=2).encode(), plq_map_bytes(result, raw_map), png.tobytes()]


def write_outputs(result: ImageResult, image: np.ndarray, out_dir: Path, stem: str,
                  raw_map: bool = False, palette: Palette = DEFAULT_PALETTE) -> list[Path]:
    """STEM.json, STEM.plq.npz and STEM.plq.png (in ``palette``), all or none (``write_output_set``)."""
    return write_output_set(out_dir, stem, encode_outputs(result, image, raw_map, palette))


def write_output_set(out_dir: Path, stem: str, contents: list[bytes]) -> list[Path]:
    """Write ``encode_outputs``' contents as STEM.json, STEM.plq.npz and STEM.plq.png.

    All or none: each is written under a temporary name and the three are
    renamed only when all are complete; any failure or interrupt (Ctrl-C
    included) removes the temporaries and whatever of the set was renamed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    finals = output_paths(out_dir, stem)
    temps: list[Path] = []
    renamed: list[Path] = []
    try:
        for final, content in zip(finals, contents, strict=True):
            fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{final.name}.", suffix=".part")
            os.close(fd)
            temps.append(Path(tmp))
            Path(tmp).write_bytes(content)
        # mkstemp creates 0600 files; outputs are ordinary documents (umask applies).
        umask = os.umask(0)
        os.umask(umask)
        for tmp in temps:
            os.chmod(tmp, 0o666 & ~umask)
        for tmp, final in zip(temps, finals):
            os.replace(tmp, final)
            renamed.append(final)
    except BaseException:
        # Once one file of the set was replaced, the others (maybe from an earlier run) go too:
        # no photo is left with a mixed set.
        for path in temps + (finals if renamed else []):
            path.unlink(missing_ok=True)
        raise
    return finals
