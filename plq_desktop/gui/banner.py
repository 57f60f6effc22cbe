"""The banner above the images: the latest errors, short, with their details one click away; or a success."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


# (background, border, text) per kind: pink for what went wrong, green for what went right (a capture).
STYLES = {"error": ("#fbe3e1", "#d9a19c", "#7a1410"), "success": ("#e2f4e4", "#8fc79a", "#14531f")}


class ErrorBanner(QFrame):
    """The latest errors (up to three) above the images, until dismissed or the next action.

    An error may carry details (a file path, a checksum) that an officer does
    not need to read: they stay hidden behind the "Details" button. A success
    (``show_success``) replaces the errors, in green: it is no error.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("error-banner")
        self.kind = ""
        self._set_kind("error")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        texts = QVBoxLayout()
        texts.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label.setStyleSheet("font-size: 90%;")
        self.details_label.hide()
        texts.addWidget(self.label)
        texts.addWidget(self.details_label)
        self.details_button = QToolButton()
        self.details_button.setCheckable(True)
        self.details_button.setAutoRaise(True)
        self.details_button.toggled.connect(self._details_toggled)
        self.close_button = close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        self._entries: list[tuple[str, str | None]] = []     # (short text, details)
        layout.addLayout(texts, 1)
        layout.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.details_button.setToolTip(self.tr("Show the full message (paths, file names, checksums)"))
        self.close_button.setToolTip(self.tr("Dismiss"))
        self._details_toggled(self.details_button.isChecked())

    def _set_kind(self, kind: str) -> None:
        if kind != self.kind:
            self.kind = kind
            background, border, text = STYLES[kind]
            self.setStyleSheet(f"#error-banner {{ background: {background}; border-bottom: 1px solid {border}; }}"
                               f"#error-banner QLabel {{ color: {text}; }}")

    def show_error(self, text: str, details: str | None = None) -> None:
        """Add ``text`` to the errors shown since the banner was last hidden (the latest three)."""
        self._show("error", text, details)

    def show_success(self, text: str, details: str | None = None) -> None:
        """Show ``text`` (a capture written) in green, in place of any errors."""
        self._show("success", text, details)

    def _show(self, kind: str, text: str, details: str | None) -> None:
        same_kind = kind == self.kind
        self._set_kind(kind)
        entries = self._entries if same_kind and self.isVisibleTo(self.parentWidget()) else []
        self._entries = [e for e in entries if e[0] != text][-2:] + [(text, details)]
        self.label.setText("\n".join(t for t, _ in self._entries))
        full = "\n\n".join(d for _, d in self._entries if d)
        self.label.setToolTip(full)
        self.details_label.setText(full)
        self.details_button.setVisible(bool(full))
        if not entries:                      # a fresh banner starts with the details folded
            self.details_button.setChecked(False)
        self._details_toggled(self.details_button.isChecked())
        self.show()

    def _details_toggled(self, on: bool) -> None:
        self.details_button.setText(self.tr("Hide details") if on else self.tr("Details"))
        self.details_label.setVisible(on and bool(self.details_label.text()))

    def text(self) -> str:
        """The short texts on show ("" when hidden)."""
        return self.label.text() if self.isVisibleTo(self.parentWidget()) else ""

    def details_text(self) -> str:
        """The details on show: "" while folded or hidden."""
        return self.details_label.text() if self.details_label.isVisibleTo(self.parentWidget()) else ""
