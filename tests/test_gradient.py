"""The map is built from dM_Q/dI (Eq. 4): check that gradient against finite differences of the node."""

import copy

import numpy as np
import torch


def test_node_gradient_matches_finite_differences(dlib_model, clean_chips):
    chips, _ = clean_chips
    chip = chips[:1]
    est = dlib_model.estimator()
    grad, q_hat, _, node, _ = dlib_model.node_gradients(chip, est, seed=0)
    grad = grad.double()

    # The node M_Q(I) = sum_k w_k e_k(I) with w = Q_hat sign(e) / ||e||_1 fixed at the photo (Eq. 3),
    # re-evaluated in float64 so that central differences are accurate.
    net = copy.deepcopy(dlib_model.net).double()
    x0 = torch.from_numpy(chip).permute(0, 3, 1, 2).double()
    with torch.no_grad():
        e0 = net(x0)
        w = (q_hat.double() / e0.abs().sum(dim=1)).unsqueeze(1) * torch.sign(e0)
        assert torch.allclose((w * e0).sum(), node.double(), rtol=1e-4)

        def m(x):
            return float((w * net(x)).sum())

        # Smooth random directions over the inner face (the black chip border has max-pool
        # ties, where the backward pass picks one valid subgradient and differences another).
        rng = np.random.default_rng(7)
        inner = torch.zeros_like(x0)
        inner[..., 25:125, 25:125] = 1
        eps, checked = 0.05, 0
        for _ in range(6):
            low = torch.from_numpy(rng.normal(size=(1, 3, 10, 10)))
            v = torch.nn.functional.interpolate(low, size=x0.shape[-2:], mode="bilinear") * inner
            v /= v.norm()
            finite = (m(x0 + eps * v) - m(x0 - eps * v)) / (2 * eps)
            analytic = float((grad * v).sum())
            assert abs(finite - analytic) <= 0.02 * abs(analytic) + 1e-9, (finite, analytic)
            checked += 1
    assert checked == 6 and float(grad.abs().sum()) > 0


def test_gradient_reaches_only_pixels_that_change_the_embedding(dlib_model, clean_chips):
    """A pixel whose change moves the node has a gradient; the map is not a function of the photo alone."""
    chips, _ = clean_chips
    est = dlib_model.estimator()
    g_a, *_ = dlib_model.node_gradients(chips[:1], est, seed=0)
    g_b, *_ = dlib_model.node_gradients(chips[1:2], est, seed=0)
    assert not torch.allclose(g_a, g_b), "two different faces must give different gradients"
