"""The numpy Spearman that replaced scipy's, checked against scipy (installed with insightface)."""

import numpy as np
import pytest

from plq_desktop.core.plq.stats import rankdata, spearman


def test_ranks_average_ties():
    assert rankdata([10, 20, 20, 5]).tolist() == [2.0, 3.5, 3.5, 1.0]


def test_matches_scipy_with_ties_and_without():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(3)
    for a, b in ((rng.normal(size=200), rng.normal(size=200)),
                 (rng.integers(0, 5, 300), rng.integers(0, 7, 300))):
        assert spearman(a, b) == pytest.approx(stats.spearmanr(a, b).statistic, abs=1e-12)


def test_monotone_and_undefined():
    x = np.arange(10.0)
    assert spearman(x, x ** 3) == pytest.approx(1.0)
    assert spearman(x, -x) == pytest.approx(-1.0)
    assert np.isnan(spearman(x, np.ones(10)))
