"""The model choice: the two model pickers, their explanations, side by side, the difference view, the device,
gamma and raw map.

ModelControl sends the choice to the analysis engine (which loads the models
on its own thread) and shows what the engine reports back as in use.

Each picker entry is a model with its default quality estimator ("dlib-resnet")
or with another estimator it is calibrated for ("dlib-resnet:serfiq"), so one
model can also be compared with itself under two estimators.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLabel, QMainWindow

from plq_desktop.core.live.engine import ModelsChanged
from plq_desktop.core.zoo.registry import (
    calibration_for,
    get_spec,
    is_present,
    model_names,
)
from plq_desktop.gui.settings import DEFAULTS

# The engine's words when a model does not load: "Cannot load model NAME: REASON (using: NAMES)".
_CANNOT_LOAD = re.compile(r"^Cannot load model (?P<name>\S+): .*?(?: \(using: (?P<using>[^)]*)\))?$", re.DOTALL)


class ModelControl(QObject):
    """Owns the model pickers, the device list, the gamma box and the device label."""

    def __init__(self, window: QMainWindow):  # a MainWindow (window.py imports this module)
        super().__init__(window)
        self.window = window
        self.engine = window.engine
        self._request = -1            # generation of the last set_models
        self.model_combo, self.model_b_combo = QComboBox(), QComboBox()
        for combo in (self.model_combo, self.model_b_combo):
            fill_models(combo)
            combo.setMinimumContentsLength(14)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(self._model_chosen)
        # Per pane: the PLQ map, or AMVA's deviation from high-quality faces (docs/amva.md).
        self.explain_combo, self.explain_b_combo = QComboBox(), QComboBox()
        for combo in (self.explain_combo, self.explain_b_combo):
            for label, key, _tip in EXPLANATIONS:
                combo.addItem(label, key)
            combo.currentIndexChanged.connect(self._explanation_chosen)
        self.gamma_spin = QDoubleSpinBox()
        self.gamma_spin.setRange(-3.0, 3.0)
        self.gamma_spin.setSingleStep(0.25)
        self.gamma_spin.setDecimals(2)
        self.gamma_spin.valueChanged.connect(self._gamma_changed)
        # The readable (smoothed) map is the default; the paper's per-pixel map is one click away.
        self.raw_map_check = QCheckBox()
        self.raw_map_check.toggled.connect(self._raw_map_toggled)
        self.device_combo = QComboBox()
        self.device_combo.addItems(["auto", "cpu", "cuda"])
        self.device_combo.currentTextChanged.connect(self._device_changed)
        self.device_label = QLabel()
        self._device = ""             # the device in use, as the engine reported it ("" while loading)
        self._gamma_timer = QTimer(self, singleShot=True, interval=300)
        self._gamma_timer.timeout.connect(self._gamma_settled)

    def retranslate(self) -> None:
        for combo in (self.explain_combo, self.explain_b_combo):
            for i, (_label, _key, tip) in enumerate(EXPLANATIONS):
                combo.setItemData(i, QCoreApplication.translate("ModelControl", tip), Qt.ItemDataRole.ToolTipRole)
            combo.setToolTip(self.tr("Explanation shown in this pane: PLQ (pixel-level quality) or AMVA "
                                     "(activation-map deviation from high-quality faces)"))
        self.gamma_spin.setToolTip(self.tr("Added to each model's calibrated gamma: higher shows more green.\n"
                                           "It stretches the map's colours only; the image quality does not "
                                           "change."))
        self.raw_map_check.setText(self.tr("Per-pixel map (raw)"))
        self.raw_map_check.setToolTip(self.tr("Show the unsmoothed per-pixel map (the paper's Eq. 6) instead of "
                                              "the readable one.\nColours only: the hints do not change."))
        self.device_combo.setToolTip(self.tr("auto: the GPU when CUDA is available, else the CPU"))
        self._show_device()
        for combo in (self.model_combo, self.model_b_combo):
            fill_models(combo)

    def _show_device(self) -> None:
        self.device_label.setText(self.tr("Device: {device}").format(device=self._device) if self._device
                                  else self.tr("Device: loading…"))

    def restore_settings(self) -> None:
        s, w = self.window.settings, self.window
        select_model(self.model_combo, s.get("model"))
        select_model(self.model_b_combo, s.get("model_b"))
        for combo, key in ((self.explain_combo, "explanation"), (self.explain_b_combo, "explanation_b")):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(s.get(key)), 0))
            combo.blockSignals(False)
        for widget, value in ((w.side_action, s.get("side_by_side")), (w.diff_action, s.get("difference"))):
            widget.blockSignals(True)
            widget.setChecked(value)
            widget.blockSignals(False)
        self.device_combo.blockSignals(True)
        self.device_combo.setCurrentIndex(max(self.device_combo.findText(s.get("device")), 0))
        self.device_combo.blockSignals(False)
        self.gamma_spin.blockSignals(True)
        self.gamma_spin.setValue(s.get("gamma_offset"))
        self.gamma_spin.blockSignals(False)
        self.raw_map_check.blockSignals(True)
        self.raw_map_check.setChecked(s.get("raw_map"))
        self.raw_map_check.blockSignals(False)

    def stop(self) -> None:
        self._gamma_timer.stop()

    def choice(self) -> list[str]:
        """The picker keys in use: "model" or "model:estimator", one per pane."""
        keys = [self.model_combo.currentData()]
        if self.window.side_action.isChecked():
            keys.append(self.model_b_combo.currentData())
        return keys

    def apply(self) -> None:
        """Send the model choice to the engine; the photo on screen is analysed again."""
        self.window.banner.hide()
        names, estimators = zip(*(split_key(key) for key in self.choice()))
        explanations = [self.explain_combo.currentData(), self.explain_b_combo.currentData()][:len(names)]
        self._request = self.engine.set_models(names, self.device_combo.currentText(), self.gamma_spin.value(),
                                               estimators=estimators, raw_map=self.raw_map_check.isChecked(),
                                               explanations=explanations)
        self.window.result_view.clear()
        self.window.reanalyse_photo()

    def on_models_changed(self, event: ModelsChanged) -> None:
        window = self.window
        self._device = event.device
        self._show_device()
        if event.generation != self._request or not event.names:
            return
        # A model that failed to load leaves the previous choice in use: show what is in use.
        keys = [model_key(name, estimator) for name, estimator in zip(event.names, event.estimators)] \
            or list(event.names)
        select_model(self.model_combo, keys[0])
        if len(keys) > 1:
            select_model(self.model_b_combo, keys[1])
        elif window.side_action.isChecked():
            window.side_action.blockSignals(True)
            window.side_action.setChecked(False)
            window.side_action.blockSignals(False)
            self.update_side_by_side_widgets()
        window.settings.set("model", self.model_combo.currentData())
        window.settings.set("model_b", self.model_b_combo.currentData())
        window.settings.set("side_by_side", window.side_action.isChecked())
        if window.result_view.analysis is None:
            window.panel.set_gauges([(None, key_label(key)) for key in self.choice()])
        window.show_message(self.tr("Model {models} on {device}").format(
            models=self.tr(" and ").join(key_label(key) for key in keys), device=event.device))

    # -- the controls ------------------------------------------------------------------------
    @Slot(int)
    def _model_chosen(self, _index: int) -> None:
        self.window.settings.set("model", self.model_combo.currentData())
        self.window.settings.set("model_b", self.model_b_combo.currentData())
        self.apply()

    @Slot(int)
    def _explanation_chosen(self, _index: int) -> None:
        self.window.settings.set("explanation", self.explain_combo.currentData())
        self.window.settings.set("explanation_b", self.explain_b_combo.currentData())
        self.apply()

    @Slot(bool)
    def side_by_side_toggled(self, on: bool) -> None:
        self.window.settings.set("side_by_side", on)
        self.update_side_by_side_widgets()
        self.apply()

    def update_side_by_side_widgets(self) -> None:
        window = self.window
        on = window.side_action.isChecked()
        if on and not window.panes[1].isVisibleTo(window):
            half = max(window.views.width(), 2) // 2
            window.views.setSizes([half, half])    # equal panes: synchronised views show the same
        window.panes[1].setVisible(on)
        window.menus.model_b_widget.setVisible(on)
        window.menus.explain_b_widget.setVisible(on)
        window.diff_action.setEnabled(on)
        window.difference_legend.setVisible(on and window.diff_action.isChecked())

    @Slot(bool)
    def difference_toggled(self, on: bool) -> None:
        self.window.settings.set("difference", on)
        self.update_side_by_side_widgets()
        self.window.result_view.show_analysis()

    @Slot(str)
    def _device_changed(self, device: str) -> None:
        self.window.settings.set("device", device)
        self._device = ""
        self._show_device()
        self.apply()

    @Slot(float)
    def _gamma_changed(self, value: float) -> None:
        self.window.settings.set("gamma_offset", value)
        self._gamma_timer.start()

    @Slot()
    def _gamma_settled(self) -> None:
        self.apply()

    @Slot(bool)
    def _raw_map_toggled(self, on: bool) -> None:
        self.window.settings.set("raw_map", on)
        self.apply()


# (label, engine key, tooltip) of the "Explanation" pickers.
EXPLANATIONS = (
    ("PLQ", "plq", QT_TRANSLATE_NOOP("ModelControl", "Pixel-level quality: how much each pixel is of use to "
                                                     "recognition (red to green)")),
    ("AMVA", "amva", QT_TRANSLATE_NOOP("ModelControl", "Activation-map deviation from high-quality faces (black: as "
                                                       "expected, bright: far off); points at occluders and pose "
                                                       "problems")),
)


def split_key(key: str) -> tuple[str, str | None]:
    """"dlib-resnet:serfiq" -> ("dlib-resnet", "serfiq"); "dlib-resnet" -> ("dlib-resnet", None)."""
    name, _, estimator = key.partition(":")
    return name, estimator or None


def model_key(name: str, estimator: str | None) -> str:
    """The picker key of a model and estimator: the bare name for the model's default estimator."""
    try:
        default = get_spec(name).default_estimator
    except (KeyError, ValueError):
        default = None
    return name if estimator in (None, default) else f"{name}:{estimator}"


def key_label(key: str) -> str:
    name, estimator = split_key(key)
    return f"{name} · {estimator}" if estimator else name


def other_estimators(name: str) -> list[str]:
    """The estimators besides the default that the model is calibrated for (none if uncalibrated)."""
    try:
        calibrated = calibration_for(name).scaling
    except Exception:  # noqa: BLE001 - an uncalibrated or broken custom model offers its default only
        return []
    return sorted(e for e in calibrated if e != get_spec(name).default_estimator)


def fill_models(combo: QComboBox) -> None:
    """Every registered model, then its other calibrated estimators; models not installed say so.

    Called again on a language change: the entries are made again, the choice kept, no signal sent.
    """
    blocked = combo.blockSignals(True)
    chosen = combo.currentData()
    combo.clear()
    for name in model_names():
        spec = get_spec(name)
        present = is_present(spec)
        about = f"{spec.family}\n{spec.description}\n" + QCoreApplication.translate(
            "ModelControl", "Licence: {licence}").format(licence=spec.licence)
        if not present:
            about += "\n" + QCoreApplication.translate("ModelControl", "Not installed: see '{command}'").format(
                command=f"plq models download {name}")
        for estimator in [None, *other_estimators(name)]:
            key = model_key(name, estimator)
            label = key_label(key)
            if not present:
                label = QCoreApplication.translate("ModelControl", "{model} (not installed)").format(model=label)
            combo.addItem(label, key)
            combo.setItemData(combo.count() - 1, about + "\n" + QCoreApplication.translate(
                "ModelControl", "Quality estimator: {estimator}").format(estimator=estimator or spec.default_estimator),
                Qt.ItemDataRole.ToolTipRole)
    if chosen is not None:
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
    combo.blockSignals(blocked)


def select_model(combo: QComboBox, name: str) -> None:
    """Select ``name``; a name no longer registered falls back to the model that ships offline."""
    index = combo.findData(name)
    combo.blockSignals(True)
    combo.setCurrentIndex(index if index >= 0 else max(combo.findData(DEFAULTS["model"]), 0))
    combo.blockSignals(False)


def explain_problem(message: str) -> tuple[str, str | None]:
    """(short text for the banner, details or None) for an engine Problem.

    A model whose weights are not installed gets one short line (what is
    missing, the one command that installs it); the engine's full message,
    with the cache folder and the files' checksums, becomes the details.
    """
    match = _CANNOT_LOAD.match(message)
    if match is None or match["name"] not in model_names():
        return message, None
    name = match["name"]
    spec = get_spec(name)
    if is_present(spec):
        return message, None          # installed but broken: the reason itself matters
    needed = [f for f in spec.files if not f.optional]
    command = (f"plq models download {name}" if needed and all(f.downloadable for f in needed)
               else f"plq models import {name} FILE")
    using = match["using"]
    text = QCoreApplication.translate("ModelControl", "Model {model} is not installed. To install it, run: {command}")
    if using and using != "none":
        text = QCoreApplication.translate("ModelControl", "Model {model} is not installed (still using {using}). "
                                                          "To install it, run: {command}")
    return text.format(model=name, using=using, command=command), message
