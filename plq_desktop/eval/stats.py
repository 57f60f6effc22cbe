"""Statistics for the evaluation tools: the core's rank statistics (no scipy)."""

from plq_desktop.core.plq.stats import rankdata, spearman

__all__ = ["rankdata", "spearman"]
