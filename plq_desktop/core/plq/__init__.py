"""The PLQ method: the face model with its quality estimators (Eqs. 1-2), the quality node and pixel maps (Eqs. 3-6), and model comparison.

A new quality estimator is one class in ``estimators`` registered in ``ESTIMATORS``."""
