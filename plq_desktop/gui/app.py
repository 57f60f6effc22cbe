"""Entry point of the desktop application (``plq-desktop``)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import tempfile
from pathlib import Path

from plq_desktop.core.io.palette import PALETTES
from plq_desktop.core.plq.meaning import GOOD

# 130: stopped by Ctrl-C (128 + SIGINT), as shells report it.
EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    return width, height


def _model(text: str) -> str:
    """MODEL, or MODEL:ESTIMATOR for one of the quality estimators (robustness, serfiq)."""
    from plq_desktop.core.plq.estimators import ESTIMATORS
    from plq_desktop.core.zoo.registry import model_names

    name, _, estimator = text.partition(":")
    if name not in model_names():
        raise argparse.ArgumentTypeError(f"unknown model {name!r}; choose from {', '.join(model_names())}")
    if estimator and estimator not in ESTIMATORS:
        raise argparse.ArgumentTypeError(f"unknown estimator {estimator!r}; choose from {', '.join(ESTIMATORS)}")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plq-desktop", description="Pixel-level face image quality: live camera, passport photos, "
                                        "side-by-side models.")
    parser.add_argument("--open", metavar="FILE", help="open this photo (a folder plays as a stream)")
    parser.add_argument("--source", metavar="VIDEO", help="play this video file as the camera")
    parser.add_argument("--batch", metavar="DIR", help="show the results of plq batch in DIR on the batch page")
    parser.add_argument("--model", type=_model, metavar="MODEL[:ESTIMATOR]",
                        help="model of the left pane (default: the last one used); see plq models list. "
                             "With :robustness or :serfiq, that quality estimator instead of the model's default")
    parser.add_argument("--compare", type=_model, metavar="MODEL[:ESTIMATOR]",
                        help="show this model side by side with --model (e.g. dlib-resnet:serfiq)")
    parser.add_argument("--difference", action="store_true", help="with --compare: show the difference view")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], help="where the models run")
    parser.add_argument("--palette", choices=list(PALETTES),
                        help="colours of the map, legend and gauges: red-green, or cividis (dark blue to yellow, "
                             "readable with red-green colour blindness); default: the last one chosen")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="save a screenshot of the window once the analysis is shown, then exit "
                             "(settings are neither read nor saved)")
    parser.add_argument("--screenshot-after", type=int, metavar="N",
                        help="results to wait for before the screenshot (default: 1 for a photo, 12 for video)")
    parser.add_argument("--size", type=_size, default=(1360, 820), metavar="WxH",
                        help="window size for --screenshot (default 1360x820)")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="with --screenshot: give up after this many seconds (default 300)")
    parser.add_argument("--write-demo-video", metavar="OUT.mp4",
                        help="write a 5 s demo video of a sample portrait (for trying --source without a "
                             "camera) and exit")
    parser.add_argument("--auto-capture", metavar="DIR",
                        help="capture the best frame by itself once the face qualifies; write it and its JSON to DIR")
    parser.add_argument("--exit-after-capture", action="store_true",
                        help="with --source and --auto-capture: analyse the video frame by frame without a "
                             "window, exit 0 after the capture or 1 with the reason if nothing qualified")
    parser.add_argument("--capture-quality", type=float, default=100 * GOOD, metavar="Q",
                        help=f"auto-capture: minimum quality 0-100 (default {100 * GOOD:.0f}: with dlib-resnet, "
                             "a 7 in 10 chance of a match with another good photo of the person)")
    parser.add_argument("--capture-hold", type=float, default=1.0, metavar="S",
                        help="auto-capture: seconds the face must qualify without a break (default 1)")
    parser.add_argument("--capture-strict", action="store_true",
                        help="auto-capture: warnings block a capture too (default: only blocking hints)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    return parser


def _auto_capture_headless(args) -> int:
    """``--source VIDEO --auto-capture DIR --exit-after-capture``: no window, every frame in order."""
    import torch

    from plq_desktop.core.live.autocapture import (
        BLOCKING_ONLY,
        STRICT,
        AutoCaptureSettings,
        run_on_video,
        write_capture,
    )
    from plq_desktop.core.live.engine import default_torch_threads
    from plq_desktop.core.live.sources import SourceError
    from plq_desktop.core.zoo.registry import load_model

    try:
        settings = AutoCaptureSettings(min_quality=args.capture_quality / 100.0, hold_s=args.capture_hold,
                                       blocking=STRICT if args.capture_strict else BLOCKING_ONLY)
    except ValueError as exc:
        print(f"plq-desktop: {exc}", file=sys.stderr)
        return EXIT_FAILED
    torch.set_num_threads(default_torch_threads())
    try:
        model = load_model(args.model or "dlib-resnet", device=args.device or "auto")
    except (ValueError, RuntimeError, OSError) as exc:
        print(f"plq-desktop: cannot load model: {exc}", file=sys.stderr)
        return EXIT_FAILED
    try:
        run = run_on_video(args.source, model, settings)
    except (SourceError, OSError) as exc:
        print(f"plq-desktop: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if run.capture is None:
        why = f"; last frame: {run.last_reason}" if run.last_reason else ""
        print(f"plq-desktop: nothing qualified for auto-capture in {run.frames} frames of {args.source}{why}",
              file=sys.stderr)
        return EXIT_FAILED
    png, _js = write_capture(run.capture, Path(args.auto_capture))
    print(f"plq-desktop: captured frame {run.capture.frame_id} ({run.capture.timestamp:.2f} s), quality "
          f"{100 * run.capture.quality:.0f} -> {png}", file=sys.stderr)
    return EXIT_OK


class _Screenshot:
    """Saves the window after ``after`` results (or after an error message) and quits."""

    def __init__(self, window, out: Path, after: int, timeout_s: float):
        from PySide6.QtCore import QTimer
        self.window, self.out, self.after = window, out, after
        self.count = 0
        self.code = EXIT_FAILED
        self._problem: str | None = None
        window.resultShown.connect(self._on_result)
        window.messageShown.connect(self._on_message)
        QTimer.singleShot(int(timeout_s * 1000), self._give_up)

    def _on_result(self, _analysis) -> None:
        self.count += 1
        if self.count == self.after:
            self.code = EXIT_OK
            self._take_soon()

    def _on_message(self, text: str, error: bool) -> None:
        # Errors (file unreadable, model missing) end the run with the message on screen.
        if error and self._problem is None:
            self._problem = text
            self._take_soon()

    def on_batch_loaded(self, _rows: int) -> None:
        if self.count == 0:
            self.count = self.after
            self.code = EXIT_OK
            self._take_soon(1500)           # the thumbnails are cut on their own thread

    def _take_soon(self, ms: int = 300) -> None:
        from PySide6.QtCore import QTimer
        QTimer.singleShot(ms, self._take)   # let the last result paint

    def _take(self) -> None:
        from PySide6.QtWidgets import QApplication
        if self.window.grab().save(str(self.out)):
            print(f"plq-desktop: screenshot saved to {self.out}", file=sys.stderr)
        else:
            print(f"plq-desktop: could not save {self.out}", file=sys.stderr)
            self.code = EXIT_FAILED
        if self._problem:
            print(f"plq-desktop: {self._problem}", file=sys.stderr)
            self.code = EXIT_FAILED
        QApplication.quit()

    def _give_up(self) -> None:
        from PySide6.QtWidgets import QApplication
        print("plq-desktop: no analysis within the time limit; no screenshot", file=sys.stderr)
        self.code = EXIT_FAILED
        QApplication.quit()


_SIGNAL_NAMES = {signal.SIGINT: "interrupted (Ctrl-C)", signal.SIGTERM: "terminated"}


class _StopOnSignal:
    """Ctrl-C (SIGINT) or SIGTERM closes the window as Quit does, with one line and no traceback."""

    def __init__(self, app):
        from PySide6.QtCore import QTimer
        self.app = app
        self.received: int | None = None
        self._previous = {signum: signal.signal(signum, self._on_signal) for signum in _SIGNAL_NAMES}
        # Python runs a signal handler only when it next runs bytecode; while Qt waits for events
        # in C++ that would be never. A do-nothing timer hands control back to Python five times a second.
        self._timer = QTimer(app)
        self._timer.timeout.connect(lambda: None)
        self._timer.start(200)

    def _on_signal(self, signum, _frame) -> None:
        if self.received is None:
            self.received = signum
            print(f"plq-desktop: {_SIGNAL_NAMES.get(signum, 'signal')}; closing", file=sys.stderr)
        from PySide6.QtCore import QTimer
        QTimer.singleShot(0, self.app.quit)     # posted: also quits an event loop that has not started yet

    def restore(self) -> None:
        self._timer.stop()
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:     # Ctrl-C before the window's own handler is in place
        print("plq-desktop: interrupted (Ctrl-C); closing", file=sys.stderr)
        return EXIT_INTERRUPTED


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    if args.write_demo_video:
        from plq_desktop.core.io.images import load_image
        from plq_desktop.core.io.samples import sample_path
        from plq_desktop.core.live.demo_video import write_demo_video
        path = write_demo_video(args.write_demo_video, load_image(sample_path("grace_hopper")))
        print(f"plq-desktop: demo video written to {path}", file=sys.stderr)
        return EXIT_OK
    if args.exit_after_capture:
        if not (args.source and args.auto_capture):
            print("plq-desktop: --exit-after-capture needs --source VIDEO and --auto-capture DIR", file=sys.stderr)
            return EXIT_FAILED
        return _auto_capture_headless(args)

    from PySide6.QtCore import QSettings

    from plq_desktop.gui import qt_env
    from plq_desktop.gui.settings import APPLICATION, ORGANIZATION, Settings

    if not args.verbose:
        qt_env.quiet_startup_notes()
    try:
        # Before the window's modules: no Qt plugin is loaded until a window can be opened.
        app = qt_env.create_application([sys.argv[0]])
    except qt_env.NoDisplay as exc:
        print(f"plq-desktop: {exc}", file=sys.stderr)
        return EXIT_FAILED
    stopper = _StopOnSignal(app)

    from plq_desktop.gui.window import MainWindow

    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)

    scratch = None
    if args.screenshot:
        # Reproducible screenshots: fresh settings in a throw-away file.
        scratch = tempfile.TemporaryDirectory(prefix="plq-desktop-")
        settings = Settings(QSettings(str(Path(scratch.name) / "settings.ini"), QSettings.Format.IniFormat))
    else:
        settings = Settings()
    for key, value in (("model", args.model), ("model_b", args.compare), ("device", args.device),
                       ("palette", args.palette)):
        if value:
            settings.set(key, value)
    if args.compare:
        settings.set("side_by_side", True)
        settings.set("difference", args.difference)

    window = MainWindow(settings)
    app.aboutToQuit.connect(window.shutdown)
    if args.screenshot:
        window.resize(*args.size)
    window.show()

    shot = None
    if args.screenshot:
        after = args.screenshot_after or (12 if args.source and not args.open else 1)
        shot = _Screenshot(window, Path(args.screenshot), after, args.timeout)
    if args.auto_capture:
        from plq_desktop.core.live.autocapture import (
            BLOCKING_ONLY,
            STRICT,
            AutoCaptureSettings,
        )
        try:
            capture_settings = AutoCaptureSettings(min_quality=args.capture_quality / 100.0,
                                                   hold_s=args.capture_hold,
                                                   blocking=STRICT if args.capture_strict else BLOCKING_ONLY)
        except ValueError as exc:
            print(f"plq-desktop: {exc}", file=sys.stderr)
            return EXIT_FAILED
        window.auto_capture.enable(args.auto_capture, capture_settings)
    if args.source:
        window.play_video(args.source)
    if args.open:
        window.open_path(args.open)
    if args.batch:
        window.show_page("batch")
        if shot is not None and not args.open and not args.source:
            window.batch_page.loaded.connect(shot.on_batch_loaded)
        window.batch_page.open_results(args.batch)

    code = app.exec()
    window.shutdown()
    stopper.restore()
    if scratch is not None:
        scratch.cleanup()
    if stopper.received is not None:
        return EXIT_INTERRUPTED
    return shot.code if shot is not None else code


if __name__ == "__main__":
    sys.exit(main())
