"""The model zoo: which models exist, where their weights come from, and the per-user cache.

``registry`` names every model; ``weights`` downloads, imports and verifies files; ``custom`` reads the user's own models.json."""
