"""A demo video made from a real photo, for trying the live view without a camera."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np


def write_demo_video(path: str | os.PathLike, photo: np.ndarray, frames: int = 150, fps: float = 30.0,
                     size: tuple[int, int] = (640, 480), empty_frames: int = 0) -> Path:
    """Write a video of ``photo`` (RGB) swaying, turning a little and zooming, as a camera would film a person.

    For demos and tests without a camera: play it with ``VideoFileSource`` or
    ``plq-desktop --source``. MPEG-4 Part 2 ("mp4v"), which OpenCV's own
    FFmpeg build always writes. ``empty_frames`` frames of a plain wall come
    first: the person steps in partway (for auto-capture).
    """
    path = Path(path)
    width, height = size
    cover = max(width / photo.shape[1], height / photo.shape[0])
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    if not writer.isOpened():
        raise OSError(f"OpenCV cannot write the video {path}")
    try:
        wall = np.full((height, width, 3), 120, np.uint8)
        for _ in range(empty_frames):
            writer.write(wall)
        for i in range(frames):
            phase = 2 * np.pi * i / frames
            scale = cover * (1.04 + 0.04 * np.sin(phase))
            centre = (photo.shape[1] / 2, photo.shape[0] / 2)
            matrix = cv2.getRotationMatrix2D(centre, 3 * np.sin(2 * phase), scale)
            # Centre the photo, a little low (faces sit above a portrait's centre), and sway sideways.
            matrix[:, 2] += ((width - photo.shape[1]) / 2 + 20 * np.sin(phase),
                             (height - photo.shape[0]) / 2 + 0.08 * height)
            frame = cv2.warpAffine(photo, matrix, (width, height), flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_REFLECT101)
            writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    finally:
        writer.release()
    return path
