"""Qt's environment before the QApplication exists: PySide6's own plugins, a display, quiet start-up notes.

opencv-python (the build with GUI support) sets ``QT_QPA_PLATFORM_PLUGIN_PATH``
and ``QT_QPA_FONTDIR`` to folders inside the cv2 package when cv2 is imported;
Qt then loads cv2's xcb plugin, built against another Qt, and aborts. Every
QApplication of this project is created through ``create_application`` (or
calls ``use_pyside_plugins`` first), so what cv2 set never reaches Qt.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from PySide6.QtCore import QLoggingCategory, QtMsgType, qInstallMessageHandler

# Environment variables through which a cv2 wheel points Qt at its own folders.
CV2_QT_VARIABLES = ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR")

HEADLESS_HOW = "set QT_QPA_PLATFORM=offscreen or run it under xvfb-run (xvfb-run -a plq-desktop ...)"

# Notes about optional system libraries (PipeWire, VA-API) and the FFmpeg version, printed by
# QtMultimedia on every start: noise for an officer at a terminal (--verbose keeps them).
QUIET_RULES = "qt.multimedia.symbolsresolver.warning=false\nqt.multimedia.ffmpeg.info=false"


class NoDisplay(RuntimeError):
    """No window can be opened; the message is one line for the terminal."""


def _cv2_folder() -> Path | None:
    try:
        spec = importlib.util.find_spec("cv2")    # finds the package without importing it
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).resolve().parent


def use_pyside_plugins(environ=os.environ) -> list[str]:
    """Drop the Qt variables that point into the cv2 package; returns the names dropped.

    Without them Qt finds the platform plugins and fonts of PySide6's own Qt.
    Values the user set to other folders are left alone.
    """
    cv2_folder = _cv2_folder()
    dropped = []
    for name in CV2_QT_VARIABLES:
        value = environ.get(name)
        if not value:
            continue
        path = Path(value).resolve()
        # Also a cv2 folder of another environment (inherited from a parent process).
        inside = cv2_folder is not None and (path == cv2_folder or cv2_folder in path.parents)
        if inside or "cv2" in path.parts:
            del environ[name]
            dropped.append(name)
    return dropped


def check_display(environ=os.environ, platform: str = sys.platform) -> None:
    """Raise NoDisplay on Linux when no display is set and no Qt platform was chosen."""
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return
    raise NoDisplay(f"no display (DISPLAY and WAYLAND_DISPLAY are not set); to run without one, {HEADLESS_HOW}")


def quiet_startup_notes() -> None:
    """Hide QtMultimedia's notes about optional libraries unless the user set QT_LOGGING_RULES."""
    if not os.environ.get("QT_LOGGING_RULES"):
        QLoggingCategory.setFilterRules(QUIET_RULES)


def create_application(argv: list[str]):
    """The QApplication, on PySide6's plugins; NoDisplay (one line) where Qt cannot open a window.

    Qt ends the process with abort() when no platform plugin starts (a
    display that cannot be reached, a missing system library); its fatal
    message comes through a message handler first, which turns it and the
    warnings before it into one line and exits with status 1.
    """
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if existing is not None:
        return existing
    check_display()
    use_pyside_plugins()
    notes: list[str] = []

    def handler(mode, context, message):
        if mode == QtMsgType.QtFatalMsg:
            # The first of: an unreachable display, a missing system library, Qt's own words.
            reasons = ([n for n in notes if "connect to display" in n] or [n for n in notes if "needed" in n]
                       or [message.splitlines()[0]])
            where = os.environ.get("QT_QPA_PLATFORM") or os.environ.get("WAYLAND_DISPLAY") \
                or os.environ.get("DISPLAY", "")
            sys.stderr.write(f"plq-desktop: cannot open a window on {where!r} ({'; '.join(reasons)}); "
                             f"to run without a display, {HEADLESS_HOW}\n")
            sys.stderr.flush()
            os._exit(1)      # Qt would abort() right after this handler returns
        notes.append(f"{context.category}: {message}" if context.category not in (None, "default") else message)

    previous = qInstallMessageHandler(handler)
    try:
        app = QApplication(argv)
    finally:
        qInstallMessageHandler(previous)
    for note in notes:        # warnings of a start that went well: shown as Qt would have
        print(note, file=sys.stderr)
    return app
