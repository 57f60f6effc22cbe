"""Face detection and landmarks."""
