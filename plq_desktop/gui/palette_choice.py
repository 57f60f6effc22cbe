"""The Display panel's choice of map colours (core.io.palette): applied at once, remembered in the settings."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QComboBox, QMainWindow

from plq_desktop.core.io.palette import CIVIDIS, DEFAULT_PALETTE, PALETTES, RED_GREEN, Palette


class PaletteControl(QObject):
    """Owns the colours combo box; a choice recolours the legend, the gauges, the boxes and the maps on
    screen (without analysing again), and every later result, export and batch map."""

    def __init__(self, window: QMainWindow):  # a MainWindow (window.py imports this module)
        super().__init__(window)
        self.window = window
        self.combo = QComboBox()
        self.combo.addItem("", RED_GREEN.name)
        self.combo.addItem("", CIVIDIS.name)
        self.retranslate()
        self.combo.currentIndexChanged.connect(self._chosen)

    def retranslate(self) -> None:
        self.combo.setItemText(0, self.tr("Red to green"))
        self.combo.setItemText(1, self.tr("Blue to yellow (cividis)"))
        self.combo.setToolTip(self.tr("Colours of the quality map, its legend, the gauges and the face boxes.\n"
                                      "Blue to yellow (cividis) stays readable with red-green colour blindness."))

    @property
    def palette(self) -> Palette:
        return PALETTES.get(self.combo.currentData(), DEFAULT_PALETTE)

    def restore_settings(self) -> None:
        saved = self.window.settings.get("palette")
        index = self.combo.findData(saved if saved in PALETTES else DEFAULT_PALETTE.name)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)
        self.apply()

    def choose(self, name: str) -> None:
        """Select the palette called ``name`` (as the user would)."""
        self.combo.setCurrentIndex(self.combo.findData(name))

    @Slot(int)
    def _chosen(self, _index: int) -> None:
        self.window.settings.set("palette", self.palette.name)
        self.apply()

    def apply(self) -> None:
        window, palette = self.window, self.palette
        window.engine.set_palette(palette)
        window.legend.set_palette(palette)
        window.panel.set_palette(palette)
        for pane in window.panes:
            pane.palette = palette
            pane.update()
        view = window.result_view
        if view.analysis is not None:
            view.analysis = window.engine.recolour(view.analysis)
        whatif = getattr(window, "whatif", None)
        if whatif is not None and whatif.result is not None:
            whatif.result = window.engine.recolour_what_if(whatif.result)
        if view.analysis is not None:
            view.show_analysis()
