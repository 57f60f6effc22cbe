"""The photo/video pane with its PLQ overlay, zoom and pan, and the colour legend."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QLocale, QObject, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from plq_desktop.core.io.palette import DEFAULT_PALETTE, Palette
from plq_desktop.core.io.render import (
    DIFFERENCE_RANGE,
    difference_lut,
)
from plq_desktop.core.live.overlay import Overlay
from plq_desktop.gui.convert import qimage_from_rgb, qimage_from_rgba, scaled_image

MIN_ZOOM, MAX_ZOOM = 1.0, 40.0
BACKGROUND = QColor(28, 30, 34)


class ViewState(QObject):
    """Zoom and pan shared by panes showing the same image, so they move together.

    ``zoom`` 1 fits the image to the pane; ``centre`` is the image point shown
    at the pane's centre (None: the image centre).
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.zoom = 1.0
        self.centre: QPointF | None = None

    def set(self, zoom: float, centre: QPointF | None) -> None:
        self.zoom = float(np.clip(zoom, MIN_ZOOM, MAX_ZOOM))
        self.centre = None if self.zoom == MIN_ZOOM else centre
        self.changed.emit()

    def reset(self) -> None:
        self.set(MIN_ZOOM, None)


@dataclass(frozen=True)
class FaceMark:
    box: tuple[float, float, float, float]
    quality: float
    label: str
    selected: bool


def _outline(painter: QPainter, rect: QRect, width: int, colour: QColor) -> None:
    """An upright rectangle's outline, ``width`` pixels wide on its edges, as four filled bands: a wide,
    antialiased pen's stroke took 1.5-2 ms, holding the interpreter lock."""
    inner, outer = width // 2, width - width // 2
    x0, y0, x1, y1 = rect.left() - inner, rect.top() - inner, rect.right() + outer, rect.bottom() + outer
    for band in (QRect(x0, y0, x1 - x0, width), QRect(x0, y1 - width, x1 - x0, width),
                 QRect(x0, y0 + width, width, y1 - y0 - 2 * width), QRect(x1 - width, y0 + width, width,
                                                                          y1 - y0 - 2 * width)):
        painter.fillRect(band, colour)


def _relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio (1..21) of two colours."""
    hi, lo = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def label_text_colour(background: QColor) -> QColor:
    """Black or white, whichever contrasts more with ``background``."""
    black, white = QColor(0, 0, 0), QColor(255, 255, 255)
    return black if contrast_ratio(black, background) >= contrast_ratio(white, background) else white


def qcolour(rgb) -> QColor:
    return QColor(int(rgb[0]), int(rgb[1]), int(rgb[2]))


class ImageView(QWidget):
    """Paints a frame and, on top, a map overlay (at ``opacity``), face boxes and a message.

    Everything drawn over the image is in image coordinates, so it follows
    zoom and pan. Wheel zooms about the pointer, dragging pans, a double
    click fits the image again; a click on a face box emits ``faceClicked``.
    """

    faceClicked = Signal(int)

    def __init__(self, state: ViewState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        state.changed.connect(self.update)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 180)
        self._frame: QImage | None = None
        self._overlay: tuple[QImage, int, int] | None = None
        # (image's cache key, size) -> the image resampled for painting; one frame and one overlay
        self._frame_scaled: tuple[tuple, QImage] | None = None
        self._overlay_scaled: tuple[tuple, QImage] | None = None
        self._layer: tuple[tuple, tuple[QPoint, QImage] | None] | None = None     # see _result_layer
        self._faces: list[FaceMark] = []
        self._highlight: QPolygonF | None = None
        self.title = ""
        self.message = ""
        self.message_is_error = False
        self.opacity = 0.55
        self.palette: Palette = DEFAULT_PALETTE     # the face boxes' colours (the overlay comes coloured)
        self._drag_from: QPointF | None = None
        self._pressed_at: QPointF | None = None
        # Drawn last, over everything: each is called as paint(painter, view) (the what-if brush and
        # simulation stamp, the auto-capture ring); they live with the feature they belong to.
        self.decorations: list = []

    # -- content ----------------------------------------------------------------
    def set_frame(self, rgb: np.ndarray) -> None:
        self.set_frame_image(qimage_from_rgb(rgb))

    def set_frame_image(self, image: QImage) -> None:
        """Show ``image`` (panes showing the same frame share one QImage)."""
        self._frame = image
        self.update()

    def frame_image(self) -> QImage | None:
        return self._frame

    def image_size(self) -> QSize | None:
        return None if self._frame is None else self._frame.size()

    def set_result(self, overlay: Overlay | None, faces: list[FaceMark]) -> None:
        # Premultiplied once here, not by the painter on every frame painted until the next result.
        self._overlay = None if overlay is None else (
            qimage_from_rgba(overlay.rgba, overlay.premultiplied).convertToFormat(
                QImage.Format.Format_ARGB32_Premultiplied), overlay.x, overlay.y)
        self._faces = faces
        self.update()

    def clear_result(self) -> None:
        self._overlay, self._faces, self._highlight = None, [], None
        self.update()

    def set_highlight(self, polygon: np.ndarray | None) -> None:
        # +0.5: pixel (r, c) has its centre at (c, r) but covers [c, c+1) in the painted image.
        self._highlight = None if polygon is None else QPolygonF([QPointF(x + 0.5, y + 0.5) for x, y in polygon])
        self.update()

    def set_message(self, text: str, error: bool = False) -> None:
        self.message, self.message_is_error = text, error
        self.update()

    def set_opacity(self, opacity: float) -> None:
        self.opacity = opacity
        self.update()

    @property
    def has_overlay(self) -> bool:
        return self._overlay is not None

    # -- geometry -----------------------------------------------------------------
    def image_transform(self) -> QTransform:
        """Image coordinates -> widget coordinates for the current zoom and pan."""
        if self._frame is None:
            return QTransform()
        iw, ih = self._frame.width(), self._frame.height()
        fit = min(self.width() / iw, self.height() / ih)
        scale = fit * self.state.zoom
        centre = self.state.centre if self.state.centre is not None else QPointF(iw / 2, ih / 2)
        # Keep the image on screen: the centre may not leave the half-view margins.
        half_w, half_h = self.width() / (2 * scale), self.height() / (2 * scale)
        cx = iw / 2 if half_w * 2 >= iw else min(max(centre.x(), half_w), iw - half_w)
        cy = ih / 2 if half_h * 2 >= ih else min(max(centre.y(), half_h), ih - half_h)
        transform = QTransform()
        transform.translate(self.width() / 2, self.height() / 2)
        transform.scale(scale, scale)
        transform.translate(-cx, -cy)
        return transform

    def to_image(self, point: QPointF) -> QPointF:
        inverse, _ = self.image_transform().inverted()
        return inverse.map(point)

    # -- painting -------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        if self._frame is not None:
            transform = self.image_transform()
            if transform.m11() < 2.0:
                self._paint_resampled(painter, transform)
            else:
                # Zoomed in: pixels drawn as squares, which the painter does cheaply itself.
                painter.save()
                painter.setTransform(transform)
                painter.drawImage(QPointF(0, 0), self._frame)
                if self._overlay is not None:
                    image, x, y = self._overlay
                    painter.setOpacity(self.opacity)
                    painter.drawImage(QPointF(x, y), image)
                painter.restore()
                self._paint_boxes(painter, transform)
            self._paint_highlight(painter, transform)
        self._paint_texts(painter)
        for decoration in self.decorations:
            painter.save()
            decoration(painter, self)
            painter.restore()
        painter.end()

    def _paint_resampled(self, painter: QPainter, transform: QTransform) -> None:
        """The frame resampled to the pane's scale (``scaled_image``, once per frame) and drawn unscaled,
        then the result's layer (``_result_layer``): the same picture as the painter scaling both, to
        within a pixel, with a few calls into Qt per paint instead of dozens. Each call may wait for the
        interpreter lock, which the analysis threads hold; live video paints 30 times a second."""
        origin = transform.map(QPointF(0, 0))
        painter.drawImage(QPoint(round(origin.x()), round(origin.y())),
                          self._resampled("_frame_scaled", self._frame, transform.m11()))
        layer = self._result_layer(transform)
        if layer is not None:
            painter.drawImage(*layer)

    def _result_layer(self, transform: QTransform) -> tuple[QPoint, QImage] | None:
        """The overlay (at its opacity), the face boxes and their labels in one transparent image, drawn
        when the result, the zoom or the pane change (12 times a second in live video), not every paint."""
        overlay_key = None if self._overlay is None else self._overlay[0].cacheKey()
        key = (overlay_key, tuple(self._faces), transform.m11(), transform.dx(), transform.dy(), self.opacity,
               self.width(), self.height(), self.palette.name)
        if self._layer is not None and self._layer[0] == key:
            return self._layer[1]
        parts, scaled = [], None
        if self._overlay is not None:
            image, x, y = self._overlay
            scaled = self._resampled("_overlay_scaled", image, transform.m11())
            corner = transform.map(QPointF(x, y))
            corner = QPoint(round(corner.x()), round(corner.y()))
            parts.append(QRect(corner, scaled.deviceIndependentSize().toSize()))
        font = self._label_font()
        for face, rect in self._face_rects(transform):
            parts.append(rect.adjusted(-4, -4, 4, 4))
            if face.label:
                parts.append(self._label_box(QFontMetrics(font), face.label, rect.topLeft()).toAlignedRect())
        area = QRect()
        for part in parts:
            area = area.united(part)
        area = area.intersected(self.rect())
        layer = None
        if not area.isEmpty():
            ratio = self.devicePixelRatioF()
            image = QImage(round(area.width() * ratio), round(area.height() * ratio),
                           QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(ratio)
            image.fill(0)
            p = QPainter(image)
            p.translate(-area.x(), -area.y())
            if scaled is not None:
                p.setOpacity(self.opacity)
                p.drawImage(corner, scaled)
                p.setOpacity(1.0)
            self._paint_boxes(p, transform)
            p.end()
            layer = (area.topLeft(), image)
        self._layer = (key, layer)
        return layer

    def _resampled(self, cache: str, image: QImage, scale: float) -> QImage:
        """``image`` at ``scale`` in the screen's own pixels (on a high-density screen, more than the
        pane's logical pixels), cached in the attribute ``cache`` until the image or the scale change."""
        ratio = self.devicePixelRatioF()
        size = (max(1, round(image.width() * scale * ratio)), max(1, round(image.height() * scale * ratio)))
        key = (image.cacheKey(), size)
        cached = getattr(self, cache)
        if cached is None or cached[0] != key:
            scaled = QImage(image) if size == (image.width(), image.height()) else scaled_image(image, *size)
            scaled.setDevicePixelRatio(ratio)
            cached = (key, scaled)
            setattr(self, cache, cached)
        return cached[1]

    def _label_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _face_rects(self, transform: QTransform) -> list[tuple[FaceMark, QRect]]:
        return [(face, transform.mapRect(QRectF(face.box[0] + 0.5, face.box[1] + 0.5, face.box[2] - face.box[0],
                                                face.box[3] - face.box[1])).toRect()) for face in self._faces]

    def _paint_highlight(self, painter: QPainter, transform: QTransform) -> None:
        if self._highlight is not None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(QColor(255, 255, 255), 2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolygon(transform.map(self._highlight))

    def _paint_boxes(self, painter: QPainter, transform: QTransform) -> None:
        """Each face's box in its quality's colour, and its label."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self._label_font())
        for face, rect in self._face_rects(transform):
            colour = qcolour(self.palette.colour(face.quality))
            _outline(painter, rect, 5 if face.selected else 3, QColor(0, 0, 0, 160))
            _outline(painter, rect, 3 if face.selected else 1, colour)
            if face.label:
                self._paint_label(painter, face.label, rect.topLeft(), colour)

    def _label_box(self, metrics: QFontMetrics, text: str, anchor: QPointF) -> QRectF:
        width, height = metrics.horizontalAdvance(text) + 10, metrics.height() + 4
        top = anchor.y() - height if anchor.y() - height >= 0 else anchor.y()
        left = min(max(anchor.x(), 0.0), self.width() - width)    # keep the whole label on screen
        return QRectF(left, top, width, height)

    def _paint_label(self, painter: QPainter, text: str, anchor: QPointF, colour: QColor) -> None:
        """An opaque tag in the quality's colour with black or white text, whichever contrasts more:
        coloured text on a see-through tag vanished over a dark map (dark green on dark green)."""
        box = self._label_box(painter.fontMetrics(), text, anchor)
        painter.fillRect(box, colour)
        painter.setPen(label_text_colour(colour))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_texts(self, painter: QPainter) -> None:
        if self.title:
            font = QFont(self.font())
            font.setBold(True)
            painter.setFont(font)
            metrics = painter.fontMetrics()
            # A narrow pane (side by side in a small window) shows the title cut with "…", not clipped.
            title = metrics.elidedText(self.title, Qt.TextElideMode.ElideRight, max(self.width() - 32, 40))
            box = QRectF(8, 8, metrics.horizontalAdvance(title) + 16, metrics.height() + 8)
            painter.fillRect(box, QColor(0, 0, 0, 150))
            painter.setPen(QColor(235, 235, 235))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, title)
        if self.message:
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * 1.3)
            font.setBold(True)
            painter.setFont(font)
            area = QRectF(self.rect()).adjusted(20, 0, -20, -24)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap
            bounds = painter.boundingRect(area, flags, self.message).adjusted(-12, -6, 12, 6)
            path = QPainterPath()
            path.addRoundedRect(bounds, 6, 6)
            painter.fillPath(path, QColor(150, 20, 20, 220) if self.message_is_error else QColor(0, 0, 0, 180))
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(area, flags, self.message)

    # -- zoom and pan -----------------------------------------------------------------
    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom keeping the image point under ``anchor`` (widget coordinates) where it is."""
        if self._frame is None:
            return
        anchor = anchor if anchor is not None else QPointF(self.width() / 2, self.height() / 2)
        before = self.to_image(anchor)
        zoom = float(np.clip(self.state.zoom * factor, MIN_ZOOM, MAX_ZOOM))
        iw, ih = self._frame.width(), self._frame.height()
        scale = min(self.width() / iw, self.height() / ih) * zoom
        offset = anchor - QPointF(self.width() / 2, self.height() / 2)
        self.state.set(zoom, QPointF(before.x() - offset.x() / scale, before.y() - offset.y() / scale))

    def pan_by(self, delta: QPointF) -> None:
        """Move the image by ``delta`` widget pixels."""
        if self._frame is None or self.state.zoom == MIN_ZOOM:
            return
        transform = self.image_transform()
        scale = transform.m11()
        centre = self.to_image(QPointF(self.width() / 2, self.height() / 2))
        self.state.set(self.state.zoom, QPointF(centre.x() - delta.x() / scale, centre.y() - delta.y() / scale))

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.25 ** steps, event.position())
        event.accept()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = self._pressed_at = event.position()

    def mouseMoveEvent(self, event) -> None:
        if self._drag_from is not None:
            self.pan_by(event.position() - self._drag_from)
            self._drag_from = event.position()

    def mouseReleaseEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._pressed_at is None:
            return
        moved = (event.position() - self._pressed_at).manhattanLength()
        self._drag_from = self._pressed_at = None
        if moved < 4:
            point = self.to_image(event.position())
            for index, face in enumerate(self._faces):
                x0, y0, x1, y1 = face.box
                if x0 <= point.x() <= x1 and y0 <= point.y() <= y1:
                    self.faceClicked.emit(index)
                    return

    def mouseDoubleClickEvent(self, event) -> None:
        self.state.reset()


class ColourLegend(QWidget):
    """A colour bar: pixel quality 0 to 1 in the palette, the one scale of every pane; or the difference scale."""

    def __init__(self, difference: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.difference = difference
        self.fit_width()
        self.set_palette(DEFAULT_PALETTE)

    def set_palette(self, palette: Palette) -> None:
        """Quality in ``palette`` from now on (the difference scale is no quality and keeps its colours)."""
        self.palette = palette
        lut = difference_lut() if self.difference else palette.lut()
        self._bar = qimage_from_rgb(np.ascontiguousarray(lut[::-1][:, None, :]))   # top = high values
        self.update()

    def captions(self) -> tuple[list[str], list[str]]:
        """The lines above and below the bar, in the window's language."""
        if self.difference:
            return self.tr("right\nhigher").split("\n"), self.tr("left\nhigher").split("\n")
        return self.tr("much use\nto recognition").split("\n"), self.tr("little use\nto recognition").split("\n")

    def fit_width(self) -> None:
        """92 px, or wider where a language's captions need it (none is cut)."""
        head, foot = self.captions()
        self.setFixedWidth(max(92, 8 + max(self.fontMetrics().horizontalAdvance(t) for t in head + foot)))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.fit_width()
        super().changeEvent(event)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        metrics = painter.fontMetrics()
        top, bottom = metrics.height() * 2 + 10, self.height() - metrics.height() * 2 - 10
        bar = QRectF(10, top, 18, max(10, bottom - top))
        painter.drawImage(bar, self._bar)
        painter.setPen(QColor(220, 220, 220))
        if self.difference:
            ticks = [(1.0, f"+{DIFFERENCE_RANGE:.1f}"), (0.5, "0"), (0.0, f"-{DIFFERENCE_RANGE:.1f}")]
        else:
            ticks = [(v, QLocale().toString(v, "f", 2)) for v in (1.0, 0.75, 0.5, 0.25, 0.0)]   # 0,75 in German
        for value, text in ticks:
            y = bar.bottom() - value * bar.height()
            painter.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 4, y))
            painter.drawText(QRectF(bar.right() + 7, y - 10, 60, 20), Qt.AlignmentFlag.AlignVCenter, text)
        line = metrics.height()
        head, foot = self.captions()
        for i, text in enumerate(head):
            painter.drawText(QRectF(4, 4 + i * line, self.width() - 8, line), Qt.AlignmentFlag.AlignLeft, text)
        for i, text in enumerate(foot):
            painter.drawText(QRectF(4, bottom + 8 + i * line, self.width() - 8, line), Qt.AlignmentFlag.AlignLeft,
                             text)
        painter.end()
