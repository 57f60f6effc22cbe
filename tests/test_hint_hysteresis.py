"""Live hints do not flicker: a hint shows after two results in a row and goes after three without it."""

import numpy as np

from plq_desktop.core.icao.hints import Hint
from plq_desktop.core.live.hint_hysteresis import OFF_AFTER, ON_AFTER, HintHysteresis


def hint(check, region, severity="warning", value=0.1):
    return Hint(region, check, value, 0.15, severity, check, np.zeros((4, 2)))


def test_a_hint_that_comes_and_goes_every_other_frame_shows_steadily_or_not_at_all():
    smooth = HintHysteresis()
    eye = hint("eye_open", "left_eye")
    raw = [[eye] if i % 2 == 0 else [] for i in range(20)]
    shown = [len(smooth.update(h)) for h in raw]
    changes = sum(a != b for a, b in zip(shown, shown[1:]))
    assert changes == 0, shown                      # never shown: it never came twice in a row


def test_a_lasting_hint_appears_on_its_second_result_and_lingers_for_three():
    smooth = HintHysteresis()
    eye = hint("eye_open", "left_eye")
    shown = [bool(smooth.update(h)) for h in [[eye]] * 4 + [[]] * 5]
    assert shown == [False, True, True, True, True, True, False, False, False]
    assert ON_AFTER == 2 and OFF_AFTER == 3


def test_a_lingering_hint_shows_its_latest_sentence_and_the_order_stays_most_severe_first():
    smooth = HintHysteresis()
    for value in (0.10, 0.12):
        smooth.update([hint("mouth_closed", "mouth", value=value), hint("roll", "face", "blocking")])
    shown = smooth.update([hint("roll", "face", "blocking")])          # the mouth hint missing once
    assert [h.check for h in shown] == ["roll", "mouth_closed"]
    assert shown[1].value == 0.12


def test_reset_forgets_everything():
    smooth = HintHysteresis()
    eye = hint("eye_open", "left_eye")
    smooth.update([eye])
    smooth.update([eye])
    smooth.reset()
    assert smooth.update([]) == [] and smooth.update([eye]) == []
