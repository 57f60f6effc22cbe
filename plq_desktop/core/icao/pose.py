"""Head pose (yaw, pitch, roll) from the 68 landmarks, for the pose checks and the reference profile."""

from __future__ import annotations

import math

import cv2
import numpy as np

# -- head pose -------------------------------------------------------------------------------

# A generic head (millimetres; x to the subject's left, y down, z away from the camera, nose
# tip at depth 0). x and y of the eye, nose and mouth points are dlib's mean frontal face
# (mean_face_shape in dlib/image_transforms/interpolation.h) scaled to a 63 mm distance
# between the eye centres, so an average frontal face fits with yaw = pitch = 0; the depths
# and the chin follow adult anthropometric averages (Farkas). Landmark index -> (x, y, z).
_HEAD_MODEL = {
    27: (0.0, -1.5, 20.0),       # nasion, between the eyes
    30: (0.0, 35.6, 0.0),        # nose tip
    33: (0.0, 49.0, 16.0),       # below the nose
    36: (-43.8, 0.0, 44.0),      # outer corner of the subject's right eye
    39: (-18.5, 1.8, 33.0),      # inner corners
    42: (18.5, 1.8, 33.0),
    45: (43.8, 0.0, 44.0),
    48: (-28.1, 67.1, 33.0),     # mouth corners
    54: (28.1, 67.1, 33.0),
    51: (0.0, 62.6, 15.0),       # upper lip
    57: (0.0, 82.5, 19.0),       # lower lip
    8: (0.0, 110.0, 30.0),       # chin: 1.74 eye distances below the eyes (dlib point 8)
}
_MODEL_EYE_DISTANCE_MM = 63.0
# The generic head reads frontal portraits as chin-up: -5.0 degrees on average over
# grace_hopper and astronaut, full photos and ICAO crops, each also mirrored (spread
# -8.5 .. -1.2). Subtracted, so that a frontal portrait reads about 0.
_PITCH_BIAS_DEG = -5.0


def head_pose(landmarks68: np.ndarray, image_shape: tuple[int, ...]) -> tuple[float, float] | None:
    """(yaw, pitch) in degrees of the face relative to the line of sight from the camera.

    yaw > 0: the face turns towards the subject's left (the image's right);
    pitch > 0: the chin goes down. The camera is guessed: focal length = the
    longer image side (a normal lens), principal point at the image centre.
    """
    idx = list(_HEAD_MODEL)
    model = np.array([_HEAD_MODEL[i] for i in idx], dtype=np.float64)
    points = np.asarray(landmarks68, dtype=np.float64)[idx]
    h, w = image_shape[:2]
    f = float(max(h, w))
    camera = np.array([[f, 0, (w - 1) / 2], [0, f, (h - 1) / 2], [0, 0, 1]])
    # Start from a frontal head at the distance its eye spacing implies: without a start the
    # solver may settle on the mirror solution behind the camera.
    right_eye = np.asarray(landmarks68, dtype=np.float64)[36:42].mean(axis=0)
    left_eye = np.asarray(landmarks68, dtype=np.float64)[42:48].mean(axis=0)
    distance = f * _MODEL_EYE_DISTANCE_MM / max(float(np.linalg.norm(left_eye - right_eye)), 1e-6)
    offset = ((right_eye + left_eye) / 2 - camera[:2, 2]) * distance / f
    rvec = np.zeros((3, 1))
    tvec = np.array([[offset[0]], [offset[1]], [distance]])
    ok, rvec, tvec = cv2.solvePnP(model, points, camera, None, rvec, tvec, useExtrinsicGuess=True,
                                  flags=cv2.SOLVEPNP_ITERATIVE)
    if not ok or tvec[2, 0] <= 0:
        return None
    rotation, _ = cv2.Rodrigues(rvec)
    facing = -rotation[:, 2]                 # out of the face, towards the camera when frontal
    to_camera = -tvec[:, 0] / np.linalg.norm(tvec)
    yaw = math.degrees(math.atan2(facing[0], -facing[2]) - math.atan2(to_camera[0], -to_camera[2]))
    pitch = math.degrees(math.atan2(facing[1], -facing[2]) - math.atan2(to_camera[1], -to_camera[2]))
    return yaw, pitch - _PITCH_BIAS_DEG


def roll_degrees(right_eye: np.ndarray, left_eye: np.ndarray) -> float:
    """Angle of the eye line; > 0 when the head leans towards the subject's left shoulder."""
    d = left_eye - right_eye
    return math.degrees(math.atan2(d[1], d[0]))
