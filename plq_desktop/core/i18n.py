"""The language of every human sentence the core writes: hints, check and region names, report headings, CLI lines.

gettext with the English text as the key. The catalogues are
``resources/locale/LANG/LC_MESSAGES/plq.po`` (the sources, edited by hand)
and ``plq.mo`` beside each (compiled, read with Python's ``gettext``). A
string without a translation shows in English, never as a key; ``check``
lists it. Machine outputs (JSON keys, check names, CSV columns, numbers)
never go through here.

API (no Qt; the GUI calls the same):

- ``LANGUAGES``: code -> the language's own name, English first.
- ``set_language(code)`` / ``current_language()``: the process-wide language
  (default "en"; ValueError for a code not in LANGUAGES).
  ``system_language()``: the shipped language of the locale environment
  (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else "en"; the GUI starts with it,
  the CLI does not (``--lang``, default English).
- ``gettext(text, language=None)`` (alias ``_``) and
  ``ngettext(singular, plural, n, language=None)``: a translation, or the
  English text when there is none. ``N_(text)`` marks a string for extraction
  and returns it unchanged (for tables such as ``icao.texts.MESSAGES``).
- ``format_number(value, spec, language=None)``: a number as Python's
  ``format(value, spec)`` would write it, with the language's decimal
  separator, grouping and percent sign ("0.25" / "0,25"; "45%" / "45 %").
  ``format_sentence(template, language=None, **fields)``: ``str.format`` that
  writes numbers that way.
- A hint re-renders itself in any language and for either audience:
  ``hint.text(language=None, audience="officer" | "applicant")`` (see
  ``icao.hints.Hint``); ``icao.texts.sentence(spec, language, audience)`` does
  the same for a hint stored as JSON (a batch row's ``"sentence"``).

Maintenance (docs/languages.md): ``python -m plq_desktop.core.i18n_catalogues update``
extracts every marked string from core/ and cli/ into each .po (new ones
empty), ``compile`` writes the .mo files, ``check`` lists missing
translations, translations equal to the English, placeholder differences and
stale .mo files, and exits 1 when it lists anything.
"""

from __future__ import annotations

import gettext as _gettext
import numbers
import os
import re
import string
from functools import lru_cache
from importlib import resources
from pathlib import Path

LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
DOMAIN = "plq"
AUDIENCES = ("officer", "applicant")

_language = "en"


def set_language(code: str) -> None:
    global _language
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r} (choose from {', '.join(LANGUAGES)})")
    _language = code


def current_language() -> str:
    return _language


def system_language() -> str:
    """The first shipped language the locale environment asks for, else "en" (never the C/POSIX locale)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        # LANGUAGE is a colon-separated list of preferences; the others one locale name (de_DE.UTF-8).
        for entry in value.split(":"):
            code = entry.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
        if value:
            break
    return "en"


def _resolve(language: str | None) -> str:
    code = language or _language
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r} (choose from {', '.join(LANGUAGES)})")
    return code


def locale_dir() -> Path:
    return Path(str(resources.files("plq_desktop.resources").joinpath("locale")))


@lru_cache(maxsize=None)
def translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``language`` (English: none, every text is its own translation)."""
    if language == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=str(locale_dir()), languages=[language], fallback=True)


def gettext(text: str, language: str | None = None) -> str:
    return translations(_resolve(language)).gettext(text)


def ngettext(singular: str, plural: str, n: int, language: str | None = None) -> str:
    return translations(_resolve(language)).ngettext(singular, plural, n)


_ = gettext


def N_(text: str) -> str:
    """Marks ``text`` for extraction; translated where it is shown (``gettext``)."""
    return text


# -- numbers --------------------------------------------------------------------------------

_FIXED = re.compile(r"^([,_]?)\.(\d+)([f%])$")


def format_number(value, spec: str, language: str | None = None) -> str:
    """``format(value, spec)`` in the language's number style, for the specs sentences use (".2f", ".0%")."""
    code = _resolve(language)
    match = _FIXED.match(spec)
    if code == "en" or match is None or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return format(value, spec)
    from babel.numbers import format_decimal, format_percent

    grouping, digits, kind = match.group(1), int(match.group(2)), match.group(3)
    fraction = "." + "0" * digits if digits else ""
    number = ("#,##0" if grouping else "0") + fraction
    if kind == "%":
        return format_percent(float(value), _percent_pattern(code, number), locale=code)
    return format_decimal(float(value), number, locale=code)


@lru_cache(maxsize=None)
def _percent_pattern(code: str, number: str) -> str:
    """The locale's percent pattern ("#,##0 %" in German) with ``number`` for its digits."""
    from babel import Locale

    pattern = Locale.parse(code).percent_formats[None].pattern.split(";")[0]
    return re.sub(r"[#,0.]+", number, pattern, count=1)


class _LocaleFormatter(string.Formatter):
    def __init__(self, language: str):
        super().__init__()
        self.language = language

    def format_field(self, value, format_spec):
        widen = getattr(value, "widened_spec", None)       # icao.texts.DecidingValue: decimals that differ
        if widen is not None:
            return format_number(float(value), widen(format_spec), self.language)
        return format_number(value, format_spec, self.language)


def format_sentence(template: str, language: str | None = None, **fields) -> str:
    return _LocaleFormatter(_resolve(language)).format(template, **fields)


def placeholders(text: str) -> set[str]:
    """The ``{name:spec}`` fields of a template, as written ("value:.0%"), for comparing translations."""
    out = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            out.add(name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else ""))
    return out
