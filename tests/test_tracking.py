"""The live tracking detector: a full HOG scan every few frames, a scan near the face in between."""

import numpy as np
import pytest

from plq_desktop.core.face.detection import DlibHogDetector
from plq_desktop.core.io.images import load_image
from plq_desktop.core.io.samples import sample_path
from plq_desktop.core.live.demo_video import write_demo_video
from plq_desktop.core.live.sources import VideoFileSource
from plq_desktop.core.live.tracking import TrackingDetector


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    path = write_demo_video(tmp_path_factory.mktemp("v") / "demo.mp4", load_image(sample_path("grace_hopper")),
                            frames=12)
    source = VideoFileSource(path, loop=False)
    source.open()
    frames = []
    while (f := source.read()) is not None:
        frames.append(f)
    source.close()
    return frames


def test_tracked_landmarks_match_full_scans(video):
    full = DlibHogDetector(upsample=0)
    tracker = TrackingDetector(DlibHogDetector(upsample=0), redetect_every=4)
    for frame in video:
        (tracked,) = tracker.detect(frame)
        reference = full.detect(frame)[0]
        ied = np.linalg.norm(reference.landmarks68[42:48].mean(0) - reference.landmarks68[36:42].mean(0))
        error = np.linalg.norm(tracked.landmarks68 - reference.landmarks68, axis=1).mean()
        # Full scans themselves jump a pyramid level between frames (box 216 or 258 px), which moves
        # their landmarks by about 5 % of the eye distance; a lost track would be far beyond 8 %.
        assert error < 0.08 * ied, f"landmarks drift {error:.1f} px (eye distance {ied:.0f})"
    assert tracker.scans == 3, "a scan on frames 0, 4 and 8 only"


def test_background_scans_run_between_frames_and_keep_the_landmarks_on_the_face(video):
    """The live view's detector process runs the periodic full scan between frames (``idle``): ``detect``
    itself then scans only when the track is lost, and the landmarks stay as close to a full scan's."""
    full = DlibHogDetector(upsample=0)
    tracker = TrackingDetector(DlibHogDetector(upsample=0), redetect_every=4, background_scans=True)
    idle_scans = []
    for index, frame in enumerate(video):
        before = tracker.scans
        (tracked,) = tracker.detect(frame)
        assert tracker.scans == before + (index == 0), "detect scans in full only the first frame"
        reference = full.detect(frame)[0]
        ied = np.linalg.norm(reference.landmarks68[42:48].mean(0) - reference.landmarks68[36:42].mean(0))
        error = np.linalg.norm(tracked.landmarks68 - reference.landmarks68, axis=1).mean()
        assert error < 0.08 * ied, f"landmarks drift {error:.1f} px (eye distance {ied:.0f})"
        if tracker.idle():
            idle_scans.append(index)
        assert not tracker.idle(), "one scan per due frame"
    assert idle_scans == [4, 8], "a full scan every fourth frame (as without background scans), between frames"
    wall = np.full_like(video[0], 120)
    assert tracker.detect(wall) == [], "a lost face still gets a full scan at once, which finds nothing"
    assert not tracker.idle()


def test_a_vanished_face_is_noticed(video):
    tracker = TrackingDetector(DlibHogDetector(upsample=0), redetect_every=3)
    assert tracker.detect(video[0])
    wall = np.full_like(video[0], 120)
    assert tracker.detect(wall) == [], "nothing near the old box: a full scan, which finds no face"
    assert tracker.scans == 2
    assert tracker.detect(video[1]) and tracker.scans == 3
    tracker.reset()
    assert tracker.detect(video[2]) and tracker.scans == 4


def test_the_detector_process_gives_the_in_process_detectors_faces(video):
    """Live detection runs in a child process (dlib keeps the interpreter lock while it scans): the same
    faces as the detector in this process, its tracking state kept there and reset on request."""
    from plq_desktop.core.live.detector_process import DetectorProcess

    remote = DetectorProcess(TrackingDetector)
    try:
        local = TrackingDetector()
        for rounds in range(2):
            for frame in video:
                (got,), (want,) = remote.detect(frame), local.detect(frame)
                assert got.box == want.box and got.score == want.score
                assert np.array_equal(got.landmarks5, want.landmarks5)
                assert np.array_equal(got.landmarks68, want.landmarks68)
                assert not got.landmarks68.flags.writeable
            # A new stream: both start with a full scan (the tracked box would differ from a scan's otherwise).
            remote.reset()
            local.reset()
        assert remote.detect(np.full((120, 160, 3), 120, np.uint8)) == []
        with pytest.raises(ValueError, match="uint8 RGB"):
            remote.detect(video[0][..., 0])
        process = remote._process
    finally:
        remote.close()
    assert not process.is_alive()


def test_a_detector_process_that_cannot_start_says_why(tmp_path):
    from functools import partial

    from plq_desktop.core.live.detector_process import DetectorProcess, DetectorProcessError

    with pytest.raises(DetectorProcessError, match="cannot make the face detector: .*missing"):
        DetectorProcess(partial(DlibHogDetector, models=tmp_path))


def test_the_detector_process_runs_the_photo_checks_after_sending_the_faces(video):
    """``detect_and_check``: the faces, then the checks that need only the photo and the landmarks,
    computed in the child beside the engine's network: the same as in this process; a child that dies
    fails the checks still awaited instead of leaving them waiting."""
    from plq_desktop.core.analysis import FoundFace
    from plq_desktop.core.icao.hints import photo_checks
    from plq_desktop.core.live.detector_process import DetectorProcess, DetectorProcessError

    remote = DetectorProcess(TrackingDetector)
    try:
        for frame in video[:4]:
            faces, checks = remote.detect_and_check(frame, max_faces=1)
            want = photo_checks(frame, [FoundFace.of(d) for d in faces[:1]])
            got = checks.result(timeout=60)
            assert [(c.name, c.region, c.status, c.value) for c in got[0]] == \
                   [(c.name, c.region, c.status, c.value) for c in want[0]]
            assert any(c.name == "sharpness" for c in got[0]) and not any(c.name == "occlusion" for c in got[0])
        wall = np.full_like(video[0], 120)
        faces, checks = remote.detect_and_check(wall, max_faces=1)
        assert faces == [] and checks.result(timeout=60) == []
        assert remote.detect(video[0]), "plain detection still works between checked frames"
        remote._process.kill()
        remote._process.join(10)
        for _ in range(2):          # and again: no call waits for a child that is gone
            with pytest.raises(DetectorProcessError):
                remote.detect_and_check(video[1], max_faces=1)
        with pytest.raises(DetectorProcessError):
            remote.detect(video[1])
    finally:
        remote.close()
