"""Face-recognition networks in PyTorch, each split at the layer where dropout or perturbation enters.

A new network is one module here deriving from ``base.SplitNet``, with a builder in ``core.zoo.registry``."""
