"""Every sentence a hint shows, in one place so that it can be translated.

A hint's message is ``MESSAGES[key]`` formatted with the check's fields:
``{region}`` (a region name from REGION_LABELS), ``{value}`` and
``{threshold}`` (numbers; ``{low}`` / ``{high}`` for ranges), ``{abs}`` (the
value without its sign) and the check's details. The key is the check's name,
or ``name.variant`` when the sentence depends on a direction. Each sentence
says what is wrong and where, then what the person being photographed should
do. Left and right are the person's own. ``APPLICANT[key]`` is the same
hint addressed to that person, without numbers.

Every table value is English, marked with ``N_`` for extraction, and
translated where it is shown (``core.i18n``): ``sentence`` renders a hint in
any shipped language for the officer or the applicant, from the
language-independent spec a hint keeps (``Hint.sentence_spec``).
"""

from __future__ import annotations

import re

from plq_desktop.core.i18n import AUDIENCES, N_, format_sentence, gettext

REGION_LABELS: dict[str, str] = {
    "right_eye": N_("right eye"),
    "left_eye": N_("left eye"),
    "eyes": N_("eyes"),
    "nose": N_("nose"),
    "mouth": N_("mouth"),
    "chin": N_("chin"),
    "right_cheek": N_("right cheek"),
    "left_cheek": N_("left cheek"),
    "forehead": N_("forehead"),
    "hair": N_("hair and head covering"),
    "background": N_("background"),
    "face": N_("face"),
    "head": N_("head"),
    "image": N_("photo"),
    "other_face": N_("second face"),
}

CHECK_LABELS: dict[str, str] = {
    "single_face": N_("a single face"),
    "face_confidence": N_("how surely the face was found"),
    "yaw": N_("head turn (yaw)"),
    "pitch": N_("head tilt up or down (pitch)"),
    "roll": N_("head tilt to the side (roll)"),
    "inter_eye_distance": N_("the distance between the eyes"),
    "head_width": N_("head width in the frame"),
    "head_height": N_("head height in the frame"),
    "eye_line": N_("height of the eyes in the frame"),
    "eye_centre": N_("horizontal position of the face"),
    "eye_open": N_("that the eye is open"),
    "mouth_closed": N_("that the mouth is closed"),
    "glare": N_("reflections on the eye"),
    "eye_visible": N_("that the eye is visible"),
    "mouth_visible": N_("that the mouth is visible"),
    "sharpness": N_("sharpness"),
    "under_exposure": N_("under-exposure"),
    "over_exposure": N_("over-exposure"),
    "dynamic_range": N_("dynamic range"),
    "illumination_left_right": N_("even lighting from left to right"),
    "illumination_top_bottom": N_("even lighting from forehead to chin"),
    "colour_photo": N_("that the photo is in colour"),
    "skin_colour_a": N_("colour balance (red-green)"),
    "skin_colour_b": N_("colour balance (yellow-blue)"),
    "background_uniformity": N_("a plain background"),
    "occlusion": N_("pixel quality of the region"),
    "covered": N_("that the region is uncovered"),
    "eye_frame": N_("that no dark frame covers the eye"),
}

MESSAGES: dict[str, str] = {
    "single_face": N_("A second face is visible in the photo: only the person being photographed may be in the picture."),
    "face_confidence": N_("The face was found only with low confidence: something may cover part of it "
                          "(a mask, dark glasses, a hand). Uncover the face."),
    "yaw.left": N_("Head turned about {abs:.0f} degrees to your left: look straight at the camera."),
    "yaw.right": N_("Head turned about {abs:.0f} degrees to your right: look straight at the camera."),
    "pitch.down": N_("Head tilted down about {abs:.0f} degrees: raise your chin until your face is level."),
    "pitch.up": N_("Head tilted up about {abs:.0f} degrees: lower your chin until your face is level."),
    "roll.left": N_("Head tilted about {abs:.0f} degrees towards your left shoulder: hold your head upright."),
    "roll.right": N_("Head tilted about {abs:.0f} degrees towards your right shoulder: hold your head upright."),
    "inter_eye_distance": N_("The eyes are only {value:.0f} pixels apart (at least {threshold:.0f} needed): "
                             "move closer to the camera or use a higher resolution."),
    "head_width.small": N_("The head fills only {value:.0%} of the photo's width ({low:.0%} to {high:.0%} needed): "
                           "move closer to the camera."),
    "head_width.large": N_("The head fills {value:.0%} of the photo's width ({low:.0%} to {high:.0%} allowed): "
                           "move back from the camera."),
    "head_height.small": N_("The head fills only {value:.0%} of the photo's height ({low:.0%} to {high:.0%} needed): "
                            "move closer to the camera."),
    "head_height.large": N_("The head fills {value:.0%} of the photo's height ({low:.0%} to {high:.0%} allowed): "
                            "move back from the camera."),
    "eye_line.low": N_("The eyes are too low in the photo ({value:.0%} of the height from the bottom, "
                       "{low:.0%} to {high:.0%} needed): sit up straight or lower the camera."),
    "eye_line.high": N_("The eyes are too high in the photo ({value:.0%} of the height from the bottom, "
                        "{low:.0%} to {high:.0%} needed): raise the camera or step back."),
    "eye_centre.left": N_("The face is off-centre, towards the left edge of the photo: move to your left "
                          "(to the middle of the frame)."),
    "eye_centre.right": N_("The face is off-centre, towards the right edge of the photo: move to your right "
                           "(to the middle of the frame)."),
    "eye_open": N_("Your {region} looks closed (eye aspect ratio {value:.2f}, at least {threshold:.2f}): "
                   "keep both eyes open and look at the camera."),
    "mouth_closed": N_("Your mouth is open (opening {value:.2f} of the eye-to-chin distance, at most {threshold:.2f}): "
                       "close your mouth and keep a neutral expression."),
    "glare": N_("Bright reflections cover {value:.0%} of your {region}: tilt your glasses slightly down or remove them, "
                "and avoid direct flash."),
    "eye_visible": N_("Your {region} cannot be seen (contrast {value:.2f}, at least {threshold:.2f}): remove "
                      "sunglasses, hair or anything covering the eyes."),
    "mouth_visible": N_("Your mouth is covered (only {value:.0%} of the mouth area shows skin, at least "
                        "{threshold:.0%}): remove the mask, scarf or hand in front of it."),
    "mouth_visible.lower_face": N_("Your mouth and chin are covered (only {value:.0%} of them show skin, at least "
                                   "{threshold:.0%}): remove the mask, scarf or hand in front of them."),
    "sharpness": N_("The face is blurred (sharpness {value:.1f}, at least {threshold:.1f}): hold still and let the "
                    "camera focus on the face."),
    "under_exposure": N_("The face is too dark ({value:.0%} of the skin is nearly black, at most {threshold:.0%}): "
                         "add light in front of you."),
    "over_exposure": N_("The face is burnt out ({value:.0%} of the skin is nearly white, at most {threshold:.0%}): "
                        "reduce the light or the flash."),
    "dynamic_range": N_("The face shows too few shades of brightness ({value:.1f} bits, at least {threshold:.1f}): "
                        "improve the lighting and the camera's exposure."),
    "illumination_left_right.right_cheek": N_("Your right cheek is much darker than your left (brightness ratio "
                                              "{value:.2f}, at least {threshold:.2f}): light your face evenly "
                                              "from both sides."),
    "illumination_left_right.left_cheek": N_("Your left cheek is much darker than your right (brightness ratio "
                                             "{value:.2f}, at least {threshold:.2f}): light your face evenly "
                                             "from both sides."),
    "illumination_top_bottom.forehead": N_("Your forehead is much darker than your chin (brightness ratio "
                                           "{value:.2f}, at least {threshold:.2f}): remove shadows from above, "
                                           "such as a cap's brim, and light the face evenly."),
    "illumination_top_bottom.chin": N_("Your chin is much darker than your forehead (brightness ratio "
                                       "{value:.2f}, at least {threshold:.2f}): light the face evenly, "
                                       "not only from above."),
    "colour_photo": N_("The photo has no colour (skin tint {value:.3f}, at least {threshold:.3f}): take a colour "
                       "photo."),
    "skin_colour_a.red": N_("The face looks too red (CIELAB a* {value:.0f}, {low:.0f} to {high:.0f} expected): "
                            "fix the camera's white balance."),
    "skin_colour_a.green": N_("The face looks too green (CIELAB a* {value:.0f}, {low:.0f} to {high:.0f} expected): "
                              "fix the camera's white balance."),
    "skin_colour_b.yellow": N_("The face looks too yellow (CIELAB b* {value:.0f}, {low:.0f} to {high:.0f} "
                               "expected): fix the camera's white balance."),
    "skin_colour_b.blue": N_("The face looks too blue (CIELAB b* {value:.0f}, {low:.0f} to {high:.0f} expected): "
                             "fix the camera's white balance."),
    "background_uniformity": N_("The background is not plain (texture {value:.1f}, at most {threshold:.1f}): "
                                "stand in front of a plain, light, evenly lit wall."),
    "eye_frame": N_("A dark frame or band covers part of your {region} ({value:.0%} of the area around the eye is "
                    "nearly black, at most {threshold:.0%}): wear glasses with thin frames that leave the eyes free, "
                    "or take them off."),
    "covered.forehead": N_("Your forehead is covered: a dark band (hair, a cap's brim or a headband) lies across "
                           "{value:.0%} of its height (at most {threshold:.0%}; brightness {band_brightness:.2f} of "
                           "your cheeks'): keep your hair away from your "
                           "forehead and eyebrows, and take off any cap, hat or headband unless you wear it for "
                           "religious reasons."),
    "covered.nose": N_("Something flat covers your nose (detail {value:.1f}, at least {threshold:.1f}): remove "
                       "the mask, tape, hand or hair in front of it."),
    "covered.nose_colour": N_("Your nose does not show skin ({value:.0%} skin-coloured, at least {threshold:.0%}): "
                              "remove whatever covers it."),
    "covered.mouth": N_("Something flat covers your mouth (detail {value:.1f}, at least {threshold:.1f}): remove the "
                        "mask, scarf or hand in front of it."),
    "occlusion.right_eye": N_("Your right eye area helps recognition far less than on good photos: check for "
                              "glasses frames, reflections, hair or shadows over it."),
    "occlusion.left_eye": N_("Your left eye area helps recognition far less than on good photos: check for "
                             "glasses frames, reflections, hair or shadows over it."),
    "occlusion.nose": N_("Your nose area helps recognition far less than on good photos: check for anything "
                         "covering it or a shadow across it."),
    "occlusion.mouth": N_("Your mouth area helps recognition far less than on good photos: remove any mask, "
                          "scarf or hand in front of it and close your mouth."),
    "occlusion.chin": N_("Your chin area helps recognition far less than on good photos: lower any scarf or "
                         "collar and check for shadows under the face."),
    "occlusion.right_cheek": N_("Your right cheek helps recognition far less than on good photos: move hair or "
                                "hands away from it and check for shadows on it."),
    "occlusion.left_cheek": N_("Your left cheek helps recognition far less than on good photos: move hair or "
                               "hands away from it and check for shadows on it."),
    "occlusion.forehead": N_("Your forehead helps recognition far less than on good photos: keep your hair away "
                             "from your forehead and eyebrows, and take off any cap or hat unless you wear it for "
                             "religious reasons."),
    "occlusion.hair": N_("Something on your head changes how you are recognised: remove hats and caps "
                         "(religious head coverings are allowed)."),
    "not_assessed": N_("Could not check {check}: {reason}"),
}

REASONS: dict[str, str] = {
    "no_landmarks68": N_("needs the 68-point landmarks, which this detector does not give."),
    "pose_fit": N_("the landmarks do not fit a head model."),
    "outside_photo": N_("too little of the face lies inside the photo."),
    "outside_chip": N_("the model's face crop shows too little of the {where}."),
    "skin_hidden": N_("too little skin is visible on the {where}."),
    "colourless": N_("the photo has no colour."),
    "no_background": N_("too little background is visible."),
    "no_profile": N_("no reference profile for this model (run python -m plq_desktop.eval.reference_profile)."),
    "profile_stale": N_("the reference profile was made with another quality estimator or model calibration "
                        "(use the model's default estimator, or run python -m plq_desktop.eval.reference_profile "
                        "again)."),
}


# What the person in front of the camera is asked to do: one short, polite sentence per message key,
# without numbers (the officer's sentence has them). Left and right are the person's own.
APPLICANT: dict[str, str] = {
    "single_face": N_("Please make sure that nobody else is in the picture."),
    "face_confidence": N_("Please uncover your face: no mask, dark glasses or hand in front of it."),
    "yaw.left": N_("Please turn your head a little to your right and look straight at the camera."),
    "yaw.right": N_("Please turn your head a little to your left and look straight at the camera."),
    "pitch.down": N_("Please raise your chin a little."),
    "pitch.up": N_("Please lower your chin a little."),
    "roll.left": N_("Please hold your head upright, not tilted towards your left shoulder."),
    "roll.right": N_("Please hold your head upright, not tilted towards your right shoulder."),
    "inter_eye_distance": N_("Please come a little closer to the camera."),
    "head_width.small": N_("Please come a little closer to the camera."),
    "head_width.large": N_("Please move back a little from the camera."),
    "head_height.small": N_("Please come a little closer to the camera."),
    "head_height.large": N_("Please move back a little from the camera."),
    "eye_line.low": N_("Please sit up straight."),
    "eye_line.high": N_("Please sit a little lower, or step back a little."),
    "eye_centre.left": N_("Please move a little to your left, to the middle of the picture."),
    "eye_centre.right": N_("Please move a little to your right, to the middle of the picture."),
    "eye_open": N_("Please keep both eyes open and look at the camera."),
    "mouth_closed": N_("Please close your mouth and keep a neutral expression."),
    "glare": N_("Please tilt your glasses slightly down or take them off."),
    "eye_visible": N_("Please make sure that both eyes can be seen: no sunglasses, no hair over them."),
    "mouth_visible": N_("Please uncover your mouth."),
    "mouth_visible.lower_face": N_("Please uncover your mouth and chin."),
    "sharpness": N_("Please hold still for a moment."),
    "under_exposure": N_("Please wait a moment: the light is being adjusted."),
    "over_exposure": N_("Please wait a moment: the light is being adjusted."),
    "dynamic_range": N_("Please wait a moment: the light is being adjusted."),
    "illumination_left_right.right_cheek": N_("Please wait a moment: the light is being adjusted."),
    "illumination_left_right.left_cheek": N_("Please wait a moment: the light is being adjusted."),
    "illumination_top_bottom.forehead": N_("Please take off your cap or move your hair away from your forehead."),
    "illumination_top_bottom.chin": N_("Please wait a moment: the light is being adjusted."),
    "colour_photo": N_("Please wait a moment: the camera is being adjusted."),
    "skin_colour_a.red": N_("Please wait a moment: the camera is being adjusted."),
    "skin_colour_a.green": N_("Please wait a moment: the camera is being adjusted."),
    "skin_colour_b.yellow": N_("Please wait a moment: the camera is being adjusted."),
    "skin_colour_b.blue": N_("Please wait a moment: the camera is being adjusted."),
    "background_uniformity": N_("Please stand in front of the plain wall."),
    "eye_frame": N_("Please take off your glasses, or wear glasses with thin frames."),
    "covered.forehead": N_("Please move your hair away from your forehead and eyebrows, and take off any cap or "
                           "headband unless you wear it for religious reasons."),
    "covered.nose": N_("Please uncover your nose."),
    "covered.nose_colour": N_("Please uncover your nose."),
    "covered.mouth": N_("Please uncover your mouth."),
    "occlusion.right_eye": N_("Please make sure that nothing covers your right eye: no hair, frame or reflection."),
    "occlusion.left_eye": N_("Please make sure that nothing covers your left eye: no hair, frame or reflection."),
    "occlusion.nose": N_("Please uncover your nose."),
    "occlusion.mouth": N_("Please uncover your mouth and close it."),
    "occlusion.chin": N_("Please lower your scarf or collar so that your chin can be seen."),
    "occlusion.right_cheek": N_("Please move your hair or hands away from your right cheek."),
    "occlusion.left_cheek": N_("Please move your hair or hands away from your left cheek."),
    "occlusion.forehead": N_("Please move your hair away from your forehead and eyebrows, and take off any cap or "
                             "hat unless you wear it for religious reasons."),
    "occlusion.hair": N_("Please take off your hat or cap (religious head coverings are allowed)."),
    "not_assessed": N_("Please hold still while the officer checks the photo."),
}


def region_label(region: str | None, language: str | None = None) -> str:
    if region is None:
        return ""
    label = REGION_LABELS.get(region)
    return gettext(label, language) if label else region.replace("_", " ")


def check_label(key: str, language: str | None = None) -> str:
    """Short words for a check column ("check" or "check.region", as in a batch's results.csv)."""
    name, _sep, region = key.partition(".")
    label = CHECK_LABELS.get(name)
    label = gettext(label, language) if label else name.replace("_", " ")
    return f"{label} ({region_label(region, language)})" if region else label


def reason(key: str, language: str | None = None, **fields) -> str:
    """Why a check could not run; ``where`` is a region name (right_cheek), written as its label."""
    if "where" in fields:
        fields["where"] = region_label(fields["where"], language)
    return format_sentence(gettext(REASONS[key], language), language, **fields)


class DecidingValue(float):
    """A check's value that a sentence shows with as many more decimals as it takes to differ from the
    limits it was compared with: 0.1496 against "at least 0.15" reads "0.1496", never "0.15, at least 0.15"."""

    limits: tuple[float, ...] = ()

    def __new__(cls, value: float, limits) -> DecidingValue:
        out = super().__new__(cls, value)
        out.limits = tuple(float(v) for v in limits)
        return out

    def widened_spec(self, spec: str) -> str:
        """``spec`` with the decimals that tell the value from its limits (the same in every language)."""
        match = _PRECISION.fullmatch(spec)
        if not match or float(self) in self.limits:
            return spec
        head, digits, kind = match.groups()
        wider = spec
        for extra in range(0, _MAX_EXTRA_DECIMALS + 1):
            wider = f"{head}.{int(digits) + extra}{kind}"
            text = format(float(self), wider)
            if all(text != format(limit, wider) for limit in self.limits):
                return wider
        return wider

    def __format__(self, spec: str) -> str:
        return format(float(self), self.widened_spec(spec))


_PRECISION = re.compile(r"(.*)\.(\d+)([f%])")
_MAX_EXTRA_DECIMALS = 4


def sentence(spec: dict, language: str | None = None, audience: str = "officer") -> str:
    """A hint's sentence from its language-independent ``spec`` (``Hint.sentence_spec``).

    ``spec``: "key" ("check" or "check.variant"), "check", "region", "value",
    "threshold" (a number or [low, high]), "fields" (the check's other
    numbers), and for a check not assessed "reason" and "reason_fields".
    """
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r} (choose from {', '.join(AUDIENCES)})")
    key = spec["key"]
    table = APPLICANT if audience == "applicant" else MESSAGES
    template = gettext(table.get(key) or table[key.split(".", 1)[0]], language)
    if key == "not_assessed":
        why = reason(spec["reason"], language, **spec.get("reason_fields", {})) if spec.get("reason") else ""
        return format_sentence(template, language, check=check_label(spec["check"], language), reason=why)
    fields = dict(spec.get("fields", {}))
    threshold, value = spec.get("threshold"), spec.get("value")
    limits = tuple(v for v in (threshold if isinstance(threshold, (list, tuple)) else (threshold,))
                   if v is not None)
    fields.update(region=region_label(spec.get("region"), language), threshold=threshold)
    if value is not None:
        fields.update(value=DecidingValue(value, limits), abs=DecidingValue(abs(value), tuple(abs(v) for v in limits)))
    if isinstance(threshold, (list, tuple)):
        fields.update(low=threshold[0], high=threshold[1])
    return format_sentence(template, language, **fields)


def row_hint_text(hint: dict, language: str | None = None, audience: str = "officer") -> str:
    """The sentence of a hint stored as JSON (a batch row's, with "sentence"; older rows kept "message")."""
    if "sentence" in hint:
        return sentence(hint["sentence"], language, audience)
    return hint.get("message", "")
