"""numpy <-> Qt image conversions (copies, so Qt never points into a numpy buffer that may go away)."""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage


def qimage_from_rgb(rgb: np.ndarray) -> QImage:
    """H x W x 3 uint8 RGB -> QImage (RGB888)."""
    rgb = np.ascontiguousarray(rgb)
    height, width = rgb.shape[:2]
    return QImage(rgb.data, width, height, rgb.strides[0], QImage.Format.Format_RGB888).copy()


def qimage_for_painting(rgb: np.ndarray) -> QImage:
    """H x W x 3 uint8 RGB -> QImage (RGB32), the format Qt's raster painter draws scaled without converting
    it first: half the painting time of an RGB888 frame (live video paints 30 of them a second)."""
    bgra = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2BGRA)    # 0xffRRGGBB in memory order
    height, width = bgra.shape[:2]
    return QImage(bgra.data, width, height, bgra.strides[0], QImage.Format.Format_RGB32).copy()


def scaled_image(image: QImage, width: int, height: int) -> QImage:
    """``image`` resampled to ``width`` x ``height`` (bilinear; area averaging when shrinking), same format.

    OpenCV releases the interpreter lock while it resamples; Qt's painter, scaling an image as it draws
    it, keeps the lock (measured: a quarter of the time, with live video, in which the analysis threads
    could not run Python). Formats of 3 or 4 bytes per pixel.
    """
    channels = image.depth() // 8
    if channels not in (3, 4):
        return image.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                            Qt.TransformationMode.SmoothTransformation)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    pixels = np.frombuffer(image.constBits(), np.uint8, count=stride * h).reshape(h, stride)[:, :w * channels]
    shrinking = width < w and height < h
    resized = cv2.resize(pixels.reshape(h, w, channels), (width, height),
                         interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR)
    return QImage(resized.data, width, height, resized.strides[0], image.format()).copy()


def qimage_from_rgba(rgba: np.ndarray, premultiplied: bool = False) -> QImage:
    """H x W x 4 uint8 RGBA (straight alpha, or ``premultiplied``) -> QImage (RGBA8888, or its premultiplied)."""
    rgba = np.ascontiguousarray(rgba)
    height, width = rgba.shape[:2]
    fmt = QImage.Format.Format_RGBA8888_Premultiplied if premultiplied else QImage.Format.Format_RGBA8888
    return QImage(rgba.data, width, height, rgba.strides[0], fmt).copy()


def rgb_from_qimage(image: QImage) -> np.ndarray:
    """Any QImage -> H x W x 3 uint8 RGB (an independent array)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    height, width, stride = image.height(), image.width(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), np.uint8, count=stride * height).reshape(height, stride)
    return rows[:, :width * 3].reshape(height, width, 3).copy()
