"""Finding faces: detectors, landmarks, alignment to each model's chip, and the named face regions.

A new face detector is one module here implementing ``detection.FaceDetector``, offered by ``detectors``."""
