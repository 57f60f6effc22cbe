"""Input and output: reading photos, per-user folders, sample photos, rendering, reports and safe file writes."""
