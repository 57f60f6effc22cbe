"""Every sentence a hint shows, in one place so that it can be translated.

A hint's message is ``MESSAGES[key]`` formatted with the check's fields:
``{region}`` (a region name from REGION_LABELS), ``{value}`` and
``{threshold}`` (numbers; ``{low}`` / ``{high}`` for ranges), ``{abs}`` (the
value without its sign) and the check's details. The key is the check's name,
or ``name.variant`` when the sentence depends on a direction. Each sentence
says what is wrong and where, then what the person being photographed should
do. Left and right are the person's own.
"""

from __future__ import annotations

REGION_LABELS: dict[str, str] = {
    "right_eye": "right eye",
    "left_eye": "left eye",
    "eyes": "eyes",
    "nose": "nose",
    "mouth": "mouth",
    "chin": "chin",
    "right_cheek": "right cheek",
    "left_cheek": "left cheek",
    "forehead": "forehead",
    "hair": "hair and head covering",
    "background": "background",
    "face": "face",
    "head": "head",
    "image": "photo",
    "other_face": "second face",
}

CHECK_LABELS: dict[str, str] = {
    "single_face": "a single face",
    "face_confidence": "how surely the face was found",
    "yaw": "head turn (yaw)",
    "pitch": "head tilt up or down (pitch)",
    "roll": "head tilt to the side (roll)",
    "inter_eye_distance": "the distance between the eyes",
    "head_width": "head width in the frame",
    "head_height": "head height in the frame",
    "eye_line": "height of the eyes in the frame",
    "eye_centre": "horizontal position of the face",
    "eye_open": "that the eye is open",
    "mouth_closed": "that the mouth is closed",
    "glare": "reflections on the eye",
    "eye_visible": "that the eye is visible",
    "mouth_visible": "that the mouth is visible",
    "sharpness": "sharpness",
    "under_exposure": "under-exposure",
    "over_exposure": "over-exposure",
    "dynamic_range": "dynamic range",
    "illumination_left_right": "even lighting from left to right",
    "illumination_top_bottom": "even lighting from forehead to chin",
    "colour_photo": "that the photo is in colour",
    "skin_colour_a": "colour balance (red-green)",
    "skin_colour_b": "colour balance (yellow-blue)",
    "background_uniformity": "a plain background",
    "occlusion": "pixel quality of the region",
    "covered": "that the region is uncovered",
    "eye_frame": "that no dark frame covers the eye",
}

MESSAGES: dict[str, str] = {
    "single_face": "A second face is visible in the photo: only the person being photographed may be in the picture.",
    "face_confidence": "The face was found only with low confidence: something may cover part of it "
                       "(a mask, dark glasses, a hand). Uncover the face.",
    "yaw.left": "Head turned about {abs:.0f} degrees to your left: look straight at the camera.",
    "yaw.right": "Head turned about {abs:.0f} degrees to your right: look straight at the camera.",
    "pitch.down": "Head tilted down about {abs:.0f} degrees: raise your chin until your face is level.",
    "pitch.up": "Head tilted up about {abs:.0f} degrees: lower your chin until your face is level.",
    "roll.left": "Head tilted about {abs:.0f} degrees towards your left shoulder: hold your head upright.",
    "roll.right": "Head tilted about {abs:.0f} degrees towards your right shoulder: hold your head upright.",
    "inter_eye_distance": "The eyes are only {value:.0f} pixels apart (at least {threshold:.0f} needed): "
                          "move closer to the camera or use a higher resolution.",
    "head_width.small": "The head fills only {value:.0%} of the photo's width ({low:.0%} to {high:.0%} needed): "
                        "move closer to the camera.",
    "head_width.large": "The head fills {value:.0%} of the photo's width ({low:.0%} to {high:.0%} allowed): "
                        "move back from the camera.",
    "head_height.small": "The head fills only {value:.0%} of the photo's height ({low:.0%} to {high:.0%} needed): "
                         "move closer to the camera.",
    "head_height.large": "The head fills {value:.0%} of the photo's height ({low:.0%} to {high:.0%} allowed): "
                         "move back from the camera.",
    "eye_line.low": "The eyes are too low in the photo ({value:.0%} of the height from the bottom, "
                    "{low:.0%} to {high:.0%} needed): sit up straight or lower the camera.",
    "eye_line.high": "The eyes are too high in the photo ({value:.0%} of the height from the bottom, "
                     "{low:.0%} to {high:.0%} needed): raise the camera or step back.",
    "eye_centre.left": "The face is off-centre, towards the left edge of the photo: move to your left "
                       "(to the middle of the frame).",
    "eye_centre.right": "The face is off-centre, towards the right edge of the photo: move to your right "
                        "(to the middle of the frame).",
    "eye_open": "Your {region} looks closed (eye aspect ratio {value:.2f}, at least {threshold:.2f}): "
                "keep both eyes open and look at the camera.",
    "mouth_closed": "Your mouth is open (opening {value:.2f} of the eye-to-chin distance, at most {threshold:.2f}): "
                    "close your mouth and keep a neutral expression.",
    "glare": "Bright reflections cover {value:.0%} of your {region}: tilt your glasses slightly down or remove them, "
             "and avoid direct flash.",
    "eye_visible": "Your {region} cannot be seen (contrast {value:.2f}, at least {threshold:.2f}): remove "
                   "sunglasses, hair or anything covering the eyes.",
    "mouth_visible": "Your mouth is covered (only {value:.0%} of the mouth area shows skin, at least "
                     "{threshold:.0%}): remove the mask, scarf or hand in front of it.",
    "mouth_visible.lower_face": "Your mouth and chin are covered (only {value:.0%} of them show skin, at least "
                                "{threshold:.0%}): remove the mask, scarf or hand in front of them.",
    "sharpness": "The face is blurred (sharpness {value:.1f}, at least {threshold:.1f}): hold still and let the "
                 "camera focus on the face.",
    "under_exposure": "The face is too dark ({value:.0%} of the skin is nearly black, at most {threshold:.0%}): "
                      "add light in front of you.",
    "over_exposure": "The face is burnt out ({value:.0%} of the skin is nearly white, at most {threshold:.0%}): "
                     "reduce the light or the flash.",
    "dynamic_range": "The face shows too few shades of brightness ({value:.1f} bits, at least {threshold:.1f}): "
                     "improve the lighting and the camera's exposure.",
    "illumination_left_right.right_cheek": "Your right cheek is much darker than your left (brightness ratio "
                                           "{value:.2f}, at least {threshold:.2f}): light your face evenly "
                                           "from both sides.",
    "illumination_left_right.left_cheek": "Your left cheek is much darker than your right (brightness ratio "
                                          "{value:.2f}, at least {threshold:.2f}): light your face evenly "
                                          "from both sides.",
    "illumination_top_bottom.forehead": "Your forehead is much darker than your chin (brightness ratio "
                                        "{value:.2f}, at least {threshold:.2f}): remove shadows from above, "
                                        "such as a cap's brim, and light the face evenly.",
    "illumination_top_bottom.chin": "Your chin is much darker than your forehead (brightness ratio "
                                    "{value:.2f}, at least {threshold:.2f}): light the face evenly, "
                                    "not only from above.",
    "colour_photo": "The photo has no colour (skin tint {value:.3f}, at least {threshold:.3f}): take a colour "
                    "photo.",
    "skin_colour_a.red": "The face looks too red (CIELAB a* {value:.0f}, {low:.0f} to {high:.0f} expected): "
                         "fix the camera's white balance.",
    "skin_colour_a.green": "The face looks too green (CIELAB a* {value:.0f}, {low:.0f} to {high:.0f} expected): "
                           "fix the camera's white balance.",
    "skin_colour_b.yellow": "The face looks too yellow (CIELAB b* {value:.0f}, {low:.0f} to {high:.0f} "
                            "expected): fix the camera's white balance.",
    "skin_colour_b.blue": "The face looks too blue (CIELAB b* {value:.0f}, {low:.0f} to {high:.0f} expected): "
                          "fix the camera's white balance.",
    "background_uniformity": "The background is not plain (texture {value:.1f}, at most {threshold:.1f}): "
                             "stand in front of a plain, light, evenly lit wall.",
    "eye_frame": "A dark frame or band covers part of your {region} ({value:.0%} of the area around the eye is "
                 "nearly black, at most {threshold:.0%}): wear glasses with thin frames that leave the eyes free, "
                 "or take them off.",
    "covered.forehead": "Your forehead is covered: a dark band (hair, a cap's brim or a headband) lies across "
                        "{value:.0%} of its height (at most {threshold:.0%}; brightness {band_brightness:.2f} of "
                        "your cheeks'): keep your hair away from your "
                        "forehead and eyebrows, and take off any cap, hat or headband unless you wear it for "
                        "religious reasons.",
    "covered.nose": "Something flat covers your nose (detail {value:.1f}, at least {threshold:.1f}): remove "
                    "the mask, tape, hand or hair in front of it.",
    "covered.nose_colour": "Your nose does not show skin ({value:.0%} skin-coloured, at least {threshold:.0%}): "
                           "remove whatever covers it.",
    "covered.mouth": "Something flat covers your mouth (detail {value:.1f}, at least {threshold:.1f}): remove the "
                     "mask, scarf or hand in front of it.",
    "occlusion.right_eye": "Your right eye area helps recognition far less than on good photos: check for "
                           "glasses frames, reflections, hair or shadows over it.",
    "occlusion.left_eye": "Your left eye area helps recognition far less than on good photos: check for "
                          "glasses frames, reflections, hair or shadows over it.",
    "occlusion.nose": "Your nose area helps recognition far less than on good photos: check for anything "
                      "covering it or a shadow across it.",
    "occlusion.mouth": "Your mouth area helps recognition far less than on good photos: remove any mask, "
                       "scarf or hand in front of it and close your mouth.",
    "occlusion.chin": "Your chin area helps recognition far less than on good photos: lower any scarf or "
                      "collar and check for shadows under the face.",
    "occlusion.right_cheek": "Your right cheek helps recognition far less than on good photos: move hair or "
                             "hands away from it and check for shadows on it.",
    "occlusion.left_cheek": "Your left cheek helps recognition far less than on good photos: move hair or "
                            "hands away from it and check for shadows on it.",
    "occlusion.forehead": "Your forehead helps recognition far less than on good photos: keep your hair away "
                          "from your forehead and eyebrows, and take off any cap or hat unless you wear it for "
                          "religious reasons.",
    "occlusion.hair": "Something on your head changes how you are recognised: remove hats and caps "
                      "(religious head coverings are allowed).",
    "not_assessed": "Could not check {check}: {reason}",
}

REASONS: dict[str, str] = {
    "no_landmarks68": "needs the 68-point landmarks, which this detector does not give.",
    "pose_fit": "the landmarks do not fit a head model.",
    "outside_photo": "too little of the face lies inside the photo.",
    "outside_chip": "the model's face crop shows too little of the {where}.",
    "skin_hidden": "too little skin is visible on the {where}.",
    "colourless": "the photo has no colour.",
    "no_background": "too little background is visible.",
    "no_profile": "no reference profile for this model (run python -m plq_desktop.eval.reference_profile).",
    "profile_stale": "the reference profile was made with another quality estimator or model calibration "
                     "(use the model's default estimator, or run python -m plq_desktop.eval.reference_profile "
                     "again).",
}


def region_label(region: str) -> str:
    return REGION_LABELS.get(region, region.replace("_", " "))


def check_label(key: str) -> str:
    """Short words for a check column ("check" or "check.region", as in a batch's results.csv)."""
    name, _, region = key.partition(".")
    label = CHECK_LABELS.get(name, name.replace("_", " "))
    return f"{label} ({region_label(region)})" if region else label


def reason(key: str, **fields) -> str:
    return REASONS[key].format(**fields)


def message(key: str, **fields) -> str:
    """The sentence for ``key`` ("check" or "check.variant"), falling back to the check's own key."""
    template = MESSAGES.get(key) or MESSAGES[key.split(".", 1)[0]]
    return template.format(**fields)
