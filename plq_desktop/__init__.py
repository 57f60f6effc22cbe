"""PLQ Desktop: pixel-level face image quality for enrolment officers."""

__version__ = "0.1.0"
