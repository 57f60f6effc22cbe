"""Data files shipped with PLQ Desktop (calibrations, reference profiles)."""
