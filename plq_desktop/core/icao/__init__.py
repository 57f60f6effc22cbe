"""ICAO-style checks and the hints built from them.

One module per family of checks over ``base`` (the per-face context and the result type); ``registry.CHECKS`` lists them in order; ``thresholds`` holds the presets and ``texts`` every sentence. A new check is one function in its family's module and one entry in ``registry``."""
