"""Error-versus-discard (plq_desktop.eval.edc): the machinery on cases computed by hand, then on real
comparisons of real people (a small subset of ../shared/data/faces-dev)."""

from pathlib import Path

import numpy as np
import pytest

from plq_desktop.eval import edc

FACES_DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "faces-dev"


def test_edc_curve_by_hand():
    # qualities 1..4, the lowest and the third are false non-matches
    q, err = np.array([1.0, 2.0, 3.0, 4.0]), np.array([1, 0, 1, 0])
    curve = edc.edc_curve(q, err, np.array([0.0, 0.25, 0.5, 0.75, 1.0]))
    assert curve == pytest.approx([2 / 4, 1 / 3, 1 / 2, 0.0, 0.0])


def test_edc_curve_ties_count_as_random_discard():
    # two comparisons tied at the lowest quality, one of them an error: discarding one of the two at
    # random removes half an error on average -> (1 - 0.5) / 3 kept
    q, err = np.array([1.0, 1.0, 2.0, 2.0]), np.array([1, 0, 0, 0])
    assert edc.edc_curve(q, err, np.array([0.25]))[0] == pytest.approx(0.5 / 3)
    # a constant quality is random discard: FNMR stays flat
    flat = edc.edc_curve(np.zeros(10), np.r_[np.ones(3), np.zeros(7)], np.linspace(0, 0.5, 6))
    assert flat == pytest.approx(np.full(6, 0.3))


def test_ideal_curve_and_partial_area_by_hand():
    err = np.r_[np.ones(2), np.zeros(8)]
    fractions = np.array([0.0, 0.1, 0.2])
    assert edc.ideal_curve(err, fractions) == pytest.approx([0.2, 1 / 9, 0.0])
    # trapezoids: 0.1 * (0.2 + 1/9) / 2 + 0.1 * (1/9 + 0) / 2
    assert edc.partial_area(fractions, edc.ideal_curve(err, fractions)) == pytest.approx(
        0.05 * (0.2 + 1 / 9) + 0.05 / 9)


def test_threshold_at_fmr_by_hand():
    nonmated = np.arange(1, 201) / 200.0         # 0.005 .. 1.0
    t = edc.threshold_at_fmr(nonmated, 0.01)     # 2 of 200 may lie above
    assert np.sum(nonmated > t) == 2 and t == pytest.approx(0.99)
    assert edc.fmrs_allowed(4500) == [0.01, 0.001] and edc.fmrs_allowed(700) == [0.01]


def test_weights_count_a_comparison_as_often_as_it_is_repeated():
    rng = np.random.default_rng(5)
    q, err = rng.integers(0, 8, 40).astype(float), rng.random(40) < 0.3     # ties on purpose
    w = rng.integers(0, 4, 40)
    fractions = np.linspace(0, 0.5, 26)
    assert edc.edc_curve(q, err, fractions, w) == pytest.approx(
        edc.edc_curve(np.repeat(q, w), np.repeat(err, w), fractions))
    scores = rng.normal(size=300)
    counts = rng.integers(0, 3, 300)
    assert edc.threshold_at_fmr(scores, 0.02, counts) == edc.threshold_at_fmr(np.repeat(scores, counts), 0.02)


def _people_comparisons(failing_pairs, people: int = 12, photos: int = 4, seed: int = 0):
    """Comparisons of ``people`` x ``photos``: non-mated scores N(0, 0.1), mated 0.8, except the mated
    pairs (k, l) of a person that ``failing_pairs(person)`` lists, which score 0.1 (false non-matches)."""
    rng = np.random.default_rng(seed)
    person = np.repeat(np.arange(people), photos)
    i, j = np.triu_indices(len(person), k=1)
    mated = person[i] == person[j]
    score = rng.normal(0, 0.1, len(i))
    score[mated] = 0.8
    for a, (pi, pj) in enumerate(zip(i, j)):
        if mated[a] and (pi % photos, pj % photos) in failing_pairs(person[pi]):
            score[a] = 0.1
    return edc.Comparisons(i, j, score, mated), person


def test_photo_oracle_reaches_ideal_only_when_the_errors_belong_to_photos():
    # half the people have one bad photo that fails with all its mates: a photo property
    comps, _ = _people_comparisons(lambda p: {(0, 1), (0, 2), (0, 3)} if p % 2 else set())
    t = edc.threshold_at_fmr(comps.score[~comps.mated], 0.01)
    r = edc.photo_oracle_result(comps, {0.01: t})["edc"]["0.01"]
    assert r["fnmr"] == pytest.approx(0.25) and r["pauc"] == pytest.approx(r["pauc_ideal"])
    # every photo fails with exactly one of its three mates: no photo is worse than another
    comps, _ = _people_comparisons(lambda p: {(0, 1), (2, 3)})
    r = edc.photo_oracle_result(comps, {0.01: t})["edc"]["0.01"]
    assert r["fnmr"] == pytest.approx(1 / 3) and r["pauc_over_random"] == pytest.approx(1.0)


def test_person_bootstrap_brackets_a_true_quality_away_from_random_and_a_random_one_around_it():
    comps, person = _people_comparisons(lambda p: {(0, 1), (0, 2), (0, 3)} if p % 3 == 0 else set())
    bad = (np.arange(len(person)) % 4 == 0) & (person % 3 == 0)
    qualities = {"knows the bad photos": -bad.astype(float),
                 "random": np.random.default_rng(1).random(len(person))}
    intervals = edc.person_bootstrap(qualities, comps, person, [0.01], draws=300)
    # errors on 1 of 6 mated pairs (e): knowing them gives (e + (1 - e) ln(1 - e)) / 0.2e = 0.44 of random;
    # with more bad people drawn, more
    lo, hi = intervals["knows the bad photos"]["0.01"]
    t = edc.threshold_at_fmr(comps.score[~comps.mated], 0.01)
    point = edc.evaluate_quality(qualities["knows the bad photos"], comps, {0.01: t})["edc"]["0.01"]
    assert point["pauc_over_random"] == pytest.approx(0.442, abs=0.001)
    assert lo <= point["pauc_over_random"] <= hi < 0.8
    lo, hi = intervals["random"]["0.01"]
    assert lo < 1.0 < hi and hi - lo > 0.1


def test_pair_quality_is_the_lower_photo():
    comps = edc.Comparisons.of(np.eye(3) + 0.1, np.array(["a", "a", "b"]))
    assert list(comps.mated) == [True, False, False]
    assert list(edc.pair_quality(np.array([3.0, 1.0, 2.0]), comps)) == [1.0, 2.0, 1.0]


def real_lfw_subset(model, cache: Path):
    """3 people x 4 LFW photos of faces-dev through the product's detection, alignment and ``model``."""
    if not (FACES_DEV / "lfw10").is_dir():
        pytest.skip(f"the dev set of real people is not at {FACES_DEV}")
    full = edc.list_set(FACES_DEV, "lfw10")
    keep = [k for k, p in enumerate(full.person) if p in full.people[:3]
            and int(Path(full.paths[k]).stem[-4:]) <= 4]
    photos = edc.PhotoSet("lfw10", [full.paths[k] for k in keep], full.person[keep])
    o = edc.photo_outputs(model, FACES_DEV, photos, cache, log=lambda *a: None)
    assert o["found"].all()
    return photos, o


@pytest.fixture(scope="module")
def real_subset(dlib_model, tmp_path_factory):
    return real_lfw_subset(dlib_model, tmp_path_factory.mktemp("edc-cache"))


def test_oracle_quality_beats_random_on_real_comparisons(real_subset):
    photos, o = real_subset
    comps = edc.Comparisons.of(o["emb"], photos.person)
    mated = comps.score[comps.mated]
    assert comps.mated.sum() == 18 and (~comps.mated).sum() == 48
    threshold = float(np.median(mated))      # half the mated pairs are errors: the curve has room
    # the oracle's pair quality is the mated score itself
    oracle = edc.edc_measures(mated, mated, threshold)
    assert oracle["pauc"] == pytest.approx(oracle["pauc_ideal"])
    assert oracle["pauc_ideal"] < oracle["pauc_random"]
    # the reverse oracle is worse than random
    assert edc.edc_measures(-mated, mated, threshold)["pauc"] > oracle["pauc_random"]
    # a photo's oracle quality (its mean mated score) through the min-of-two pair quality
    s = np.zeros((len(o["emb"]),) * 2)
    s[comps.i, comps.j] = s[comps.j, comps.i] = comps.score
    same = (photos.person[:, None] == photos.person[None]) & ~np.eye(len(s), dtype=bool)
    photo_oracle = (s * same).sum(axis=1) / same.sum(axis=1)
    result = edc.evaluate_quality(photo_oracle, comps, {0.5: threshold})
    assert result["edc"]["0.5"]["pauc"] < result["edc"]["0.5"]["pauc_random"]
    assert result["spearman"] > 0.3


def test_cached_photos_give_the_same_outputs(real_subset, dlib_model, tmp_path):
    photos, o = real_subset
    one = edc.PhotoSet("lfw10", photos.paths[:1], photos.person[:1])
    fresh = edc.photo_outputs(dlib_model, FACES_DEV, one, tmp_path, log=lambda *a: None)
    again = edc.photo_outputs(dlib_model, FACES_DEV, one, tmp_path, log=lambda *a: None)
    assert len(list(tmp_path.iterdir())) == 1
    np.testing.assert_array_equal(fresh["emb"], again["emb"])
    np.testing.assert_allclose(fresh["emb"][0], o["emb"][0], atol=1e-6)
    assert fresh["ied"][0] > 20


def test_logistic_fit_recovers_eq2_constants():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1.0, 0.0, 20000)
    y = (rng.random(len(x)) < 1 / (1 + np.exp(-8.0 * (x + 0.4)))).astype(float)
    alpha, r = edc.logistic_fit(x, y)
    assert alpha == pytest.approx(8.0, rel=0.1) and r == pytest.approx(-0.4, abs=0.02)


def _pairs_of_a_score(says_shift: float, n: int = 600, seed: int = 3):
    """Pairs whose true match chance is spread over 0.3-0.95; the score says that chance + ``says_shift``."""
    rng = np.random.default_rng(seed)
    truth = rng.uniform(0.3, 0.95, n)
    matched = rng.random(n) < truth
    says = np.clip(truth + says_shift, 0.01, 0.99)
    decile = np.clip(np.searchsorted(np.quantile(says, np.linspace(0, 1, 11)), says, side="right") - 1, 0, 9)
    return says, matched, decile


def test_calibrated_reference_tells_a_true_score_from_one_that_overstates():
    true = edc.calibrated_reference(*_pairs_of_a_score(0.0), draws=400)
    assert true["p_worst"] > 0.05 and true["p_hosmer_lemeshow"] > 0.05
    # With 60 pairs per decile even a true score misses 10 points somewhere now and then, never mostly.
    assert 0.3 < true["share_all_within_10"] < 1.0
    over = edc.calibrated_reference(*_pairs_of_a_score(0.15), draws=400)
    assert over["p_worst"] < 0.01 and over["p_hosmer_lemeshow"] < 0.01


def test_ridge_weights_recover_a_linear_rule():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(400, 2))
    w = edc.fit_weights(x, 0.5 + 2.0 * x[:, 0] - 1.0 * x[:, 1], lam=1e-6)
    assert w == pytest.approx([0.5, 2.0, -1.0], abs=1e-4)


def test_matchability_in_core_is_what_the_evaluation_fitted(real_subset, dlib_model):
    """The shipped estimator computes exactly the combination eval.edc fitted and measured."""
    photos, o = real_subset
    cal = dlib_model.calibration
    signals = edc.view_signals(o, cal.centroids)
    assert cal.matchability_eyes, "the shipped matchability has its covered-eyes term"
    top, bottom, mean, sd, below_z, cost = cal.matchability_eyes
    assert (top, bottom) == edc.EYE_ROWS["dlib-resnet"]
    want = edc.apply_weights(np.r_[cal.matchability, mean, sd, below_z, cost],
                             np.column_stack([signals[c] for c in edc.CANDIDATES[edc.SHIPPED][0]]))
    q_hat, raw = dlib_model.quality(o["chip"], estimator="matchability")
    np.testing.assert_allclose(raw, want, atol=1e-4)
    alpha, r = cal.alpha_r("matchability")
    np.testing.assert_allclose(q_hat, 1 / (1 + np.exp(-alpha * (want - r))), atol=1e-4)


def test_blur_lowers_the_match_chance_of_real_photos(real_subset, dlib_model):
    import cv2
    photos, o = real_subset
    clean = dlib_model.quality(o["chip"], estimator="matchability")[0]
    # LFW chips are enlarged from faces about 100 px wide, already soft: a chip blur of sigma 5 px is
    # clearly visible on them (on all 100 lfw10 photos it lowers 98 %, median 43 points; sigma 3: 78 %)
    blurred = np.stack([cv2.GaussianBlur(c, (0, 0), 5.0) for c in o["chip"]])
    worse = dlib_model.quality(blurred, estimator="matchability")[0]
    assert (worse < clean).mean() >= 0.9
    assert np.median(clean - worse) > 0.25


def test_a_cached_photo_gains_a_view_added_later(real_subset, dlib_model, tmp_path):
    """A cache written before the eye view existed is completed from its stored chip, not recomputed."""
    photos, o = real_subset
    one = edc.PhotoSet("lfw10", photos.paths[:1], photos.person[:1])
    edc.photo_outputs(dlib_model, FACES_DEV, one, tmp_path, log=lambda *a: None)
    (path,) = tmp_path.iterdir()
    old = {k: v for k, v in np.load(path).items() if k != "emb:eyes black"}
    np.savez_compressed(path, **old)
    again = edc.photo_outputs(dlib_model, FACES_DEV, one, tmp_path, log=lambda *a: None)
    np.testing.assert_allclose(again["emb:eyes black"][0], o["emb:eyes black"][0], atol=1e-5)


def test_covering_both_eyes_costs_more_than_any_uncovered_photo_pays(real_subset, dlib_model):
    """Black over the eye band (as a band or dark glasses would): the covered-eyes term takes the score
    down; most uncovered real photos pay nothing (their eye evidence lies above the hinge: 128 of the 140
    photos of faces-dev), and none pays near what a covered one does."""
    from plq_desktop.core.plq.estimators import View
    import torch
    photos, o = real_subset
    clean = dlib_model.quality(o["chip"], estimator="matchability")[0]
    banded = View(black_rows=edc.EYE_ROWS["dlib-resnet"]).apply(torch.from_numpy(o["chip"]).permute(0, 3, 1, 2))
    covered = dlib_model.quality(banded.permute(0, 2, 3, 1).numpy().astype(np.uint8), estimator="matchability")[0]
    assert (clean - covered > 0.25).mean() >= 0.9
    cal = dlib_model.calibration
    signals = edc.view_signals(o, cal.centroids)
    top, bottom, mean, sd, below_z, cost = cal.matchability_eyes

    def paid(chips_evidence):
        return cost * np.maximum(0.0, below_z - (chips_evidence - mean) / sd)
    uncovered = paid(signals["eye evidence"])
    covered = dlib_model.embed(banded.permute(0, 2, 3, 1).numpy().astype(np.uint8))
    unit = covered / np.linalg.norm(covered, axis=1, keepdims=True)
    covered_paid = paid(edc.eye_evidence(unit, covered))   # its band blacked again: nothing left to read
    assert np.median(uncovered) == 0.0
    assert covered_paid.min() > 3 * uncovered.max()
