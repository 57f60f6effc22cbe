"""Readers of weight-file formats (dlib, MXNet, ONNX, PyTorch state dicts); each raises ``errors.ModelFileError``.

A new format is one reader module here that returns tensors or a network from ``core.nets``."""
