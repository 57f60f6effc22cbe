"""Draws packaging/plq-desktop.png, the application icon (run once; the PNG is committed).

A face outline over a red-to-green pixel-quality field: the map the program draws.
"""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SIZE = 256


def main(out: Path = Path(__file__).with_name("plq-desktop.png")) -> Path:
    yy, xx = np.mgrid[0:SIZE, 0:SIZE] / (SIZE - 1)
    # Quality high in the face's centre, falling off towards the rim, like a good map.
    quality = np.clip(1.15 - 1.6 * np.hypot(xx - 0.5, (yy - 0.5) * 0.85), 0, 1)
    red = np.array([215, 48, 39], float)
    yellow = np.array([254, 224, 139], float)
    green = np.array([26, 152, 80], float)
    q = quality[..., None]
    rgb = np.where(q < 0.5, red + (yellow - red) * (q / 0.5), yellow + (green - yellow) * ((q - 0.5) / 0.5))
    field = Image.fromarray(rgb.astype(np.uint8), "RGB")

    mask = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(mask).rounded_rectangle((8, 8, SIZE - 8, SIZE - 8), radius=44, fill=255)
    icon = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    icon.paste(field, (0, 0), mask)

    draw = ImageDraw.Draw(icon)
    ink, width = (30, 30, 30, 255), 9
    draw.ellipse((64, 36, 192, 212), outline=ink, width=width)                  # head
    draw.ellipse((94, 100, 114, 116), fill=ink)                                  # eyes
    draw.ellipse((142, 100, 162, 116), fill=ink)
    draw.line((128, 118, 120, 150, 134, 150), fill=ink, width=6, joint="curve")  # nose
    draw.arc((100, 150, 156, 186), start=20, end=160, fill=ink, width=7)         # mouth
    icon = icon.filter(ImageFilter.SMOOTH)
    icon.save(out)
    return out


if __name__ == "__main__":
    print(main())
