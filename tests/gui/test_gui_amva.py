"""The "Explanation" choice: PLQ and AMVA of one model side by side on a real photo."""

from __future__ import annotations

import numpy as np

from plq_desktop.core.io.samples import sample_path

WAIT_MS = 60_000


def test_side_by_side_shows_plq_and_amva_of_one_model(qtbot, make_window):
    window = make_window()
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS):
        window.open_photo(sample_path("grace_hopper"))
    models = window.models
    models.model_b_combo.setCurrentIndex(models.model_b_combo.findData("dlib-resnet"))
    with qtbot.waitSignal(window.resultShown, timeout=WAIT_MS,
                          check_params_cb=lambda a: len(a.results) == 2) as blocker:
        window.side_action.setChecked(True)
        models.explain_b_combo.setCurrentIndex(models.explain_b_combo.findData("amva"))
    analysis = blocker.args[0]
    left, right = window.panes
    assert window.menus.explain_b_widget.isVisible()
    assert analysis.explanations == ("plq", "amva")
    assert analysis.results[0] is analysis.results[1], "one model, analysed once"
    assert left.has_overlay and right.has_overlay
    assert "AMVA" in right.title and "AMVA" not in left.title
    face = analysis.results[1].faces[0]
    assert face.amva is not None and np.isfinite(face.amva_map).any()
    assert not np.array_equal(analysis.overlays[0].rgba, analysis.overlays[1].rgba)
    # No PLQ difference between a PLQ and an AMVA pane: the right pane keeps the AMVA map.
    window.diff_action.setChecked(True)
    assert analysis.difference is None and "AMVA" in right.title
    assert window.settings.get("explanation_b") == "amva"
