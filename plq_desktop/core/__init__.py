"""Everything that computes: detection, alignment, models, quality, maps, reports. Never imports Qt."""

from plq_desktop.core.analysis import FaceResult, ImageResult, analyze
from plq_desktop.core.plq.model import FaceModel, PLQResult
from plq_desktop.core.zoo.registry import load_model, model_names

__all__ = ["FaceModel", "FaceResult", "ImageResult", "PLQResult", "analyze", "load_model", "model_names"]
