"""What every ``plq`` command shares: exit codes, one-line errors, loading a model."""

from __future__ import annotations

import sys

# 0: all done; 1: some input failed (or a model is missing); 2: the command line itself is wrong.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_SOME_FAILED = EXIT_FAILED


def err(message: str) -> None:
    print(f"plq: {message}", file=sys.stderr)


def load_model_or_explain(name: str, device: str):
    from plq_desktop.core.zoo.registry import load_model
    try:
        return load_model(name, device=device)
    except (ValueError, RuntimeError, FileNotFoundError, OSError) as exc:
        print(f"plq: cannot load model {name!r}: {exc}", file=sys.stderr)
        return None
