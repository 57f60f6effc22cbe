"""Everything that computes: detection, alignment, models, quality, maps, reports. Never imports Qt."""

from .analysis import FaceResult, ImageResult, analyze
from .model import FaceModel, PLQResult
from .registry import load_model, model_names

__all__ = ["FaceModel", "FaceResult", "ImageResult", "PLQResult", "analyze", "load_model", "model_names"]
