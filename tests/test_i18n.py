"""Hints, labels, report headings and CLI lines in English, German, French and Spanish (core/i18n.py).

The sentences come from the gettext catalogues in resources/locale; machine outputs (JSON keys, check names,
CSV columns, numbers) are the same in every language.
"""

import html
import json
import shutil
import string
from pathlib import Path

import pytest

from plq_desktop.cli import main
from plq_desktop.core import i18n, i18n_catalogues
from plq_desktop.core.i18n import LANGUAGES, format_number, gettext, placeholders
from plq_desktop.core.icao import texts
from plq_desktop.core.io.batch import JOURNAL, read_rows

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "faces-dev"
# Real photos whose hints cover pose, geometry, eyes, mouth, frames, colour and checks not assessed.
HINTED = ("lfw10/Tony_Blair/Tony_Blair_0001.jpg", "faceapi/raj/raj2.png", "faceapi/angry.jpg")
OTHERS = ("de", "fr", "es")
HUMAN_KEYS = {"message", "applicant_message", "region_label", "quality_means"}


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


def _sample_fields(template: str) -> dict:
    """Values for every placeholder of a template (numbers where a number format is asked for)."""
    fields = {}
    for _literal, name, spec, _conv in string.Formatter().parse(template):
        if name is not None:
            fields[name] = 0.1234 if spec else "X"
    return fields


# -- the catalogues ------------------------------------------------------------------------

def test_the_shipped_catalogues_pass_the_check():
    assert i18n_catalogues.check() == []


@pytest.mark.parametrize("language", OTHERS)
def test_every_hint_label_and_reason_has_its_own_translation_with_the_same_placeholders(language):
    allowed = i18n_catalogues.SAME_AS_ENGLISH.get(language, set())
    tables = (texts.MESSAGES, texts.APPLICANT, texts.REASONS, texts.CHECK_LABELS, texts.REGION_LABELS)
    for table in tables:
        for key, english in table.items():
            translated = gettext(english, language)
            assert translated != english or english in allowed, (language, key)
            assert placeholders(translated) == placeholders(english), (language, key)
            i18n.format_sentence(translated, language, **_sample_fields(english))   # formats without error
    assert set(texts.APPLICANT) == set(texts.MESSAGES), "every message has a sentence for the applicant"


def test_the_check_lists_a_missing_entry_a_wrong_placeholder_an_untranslated_one_and_a_stale_mo(tmp_path):
    from babel.messages.pofile import read_po, write_po

    root = tmp_path / "locale"
    shutil.copytree(i18n.locale_dir(), root)
    eye_open = texts.MESSAGES["eye_open"]
    glare = texts.MESSAGES["glare"]

    def edit(language, change):
        path = root / language / "LC_MESSAGES" / "plq.po"
        with open(path, "rb") as fh:
            catalog = read_po(fh, locale=language)
        change(catalog)
        with open(path, "wb") as fh:
            write_po(fh, catalog)

    edit("de", lambda c: c.delete(eye_open))
    edit("fr", lambda c: setattr(c[glare], "string", c[glare].string.replace("{value:.0%}", "{value:.1%}")))
    edit("es", lambda c: setattr(c["nose"], "string", "nose"))
    problems = i18n_catalogues.check(root)
    assert any(p.startswith("de: missing: ") and "looks closed" in p for p in problems), problems
    assert any(p.startswith("fr: placeholders ") and "Bright reflections" in p for p in problems), problems
    assert any(p.startswith("es: same as the English: 'nose' (plq_desktop/core/icao/texts.py:") for p in problems)
    for language in OTHERS:       # each .po was edited after its .mo was compiled
        assert any(p.startswith(f"{language}: ") and "is stale" in p for p in problems), problems
    i18n_catalogues.compile_all(root)
    assert not any("is stale" in p for p in i18n_catalogues.check(root))
    assert i18n_catalogues.main(["check", "--locale-dir", str(root)]) == 1


def test_the_check_finds_a_string_marked_inside_an_f_string(tmp_path):
    package = tmp_path / "plq_desktop"
    (package / "core").mkdir(parents=True)
    (package / "cli").mkdir()
    (package / "core" / "page.py").write_text('from plq_desktop.core.i18n import _\n'
                                             'TITLE = _("Seen")\n'
                                             'def head():\n    return f"<h1>{_(\'Hidden\')}</h1>"\n')
    problems = i18n_catalogues.check(package_dir=package)
    assert [p for p in problems if p.startswith("not extracted")] == \
        ["not extracted (marked inside an f-string?): 'Hidden' (plq_desktop/core/page.py:4)"]
    assert any(p.startswith("de: missing: 'Seen'") for p in problems)


# -- language, numbers ---------------------------------------------------------------------

def test_numbers_follow_the_language():
    assert [format_number(0.4567, ".1%", lang) for lang in LANGUAGES] == \
        ["45.7%", "45,7\u00a0%", "45,7\u00a0%", "45,7\u00a0%"]
    assert [format_number(1234.5, ",.2f", lang) for lang in LANGUAGES] == \
        ["1,234.50", "1.234,50", "1\u202f234,50", "1.234,50"]
    assert format_number(3, ".0f", "de") == "3" and format_number(-12.25, ".1f", "fr") == "-12,2"


def test_system_language_reads_the_locale_environment(monkeypatch):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    assert i18n.system_language() == "en"
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    assert i18n.system_language() == "fr"
    monkeypatch.setenv("LC_ALL", "C")
    assert i18n.system_language() == "en", "LC_ALL overrides LANG, and C is no shipped language"
    monkeypatch.setenv("LANGUAGE", "pt_BR:es:en")
    assert i18n.system_language() == "es"
    with pytest.raises(ValueError):
        i18n.set_language("xx")


def test_a_missing_translation_falls_back_to_the_english_never_to_a_key():
    assert gettext("A sentence nobody translated.", "de") == "A sentence nobody translated."


# -- real photos through the CLI ---------------------------------------------------------------

@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """The same real photos analysed with --lang en, de, fr and es: {language: {stem: JSON}}."""
    if not DATA.is_dir():
        pytest.skip("faces-dev is not at ../shared/data/faces-dev")
    photos = [str(DATA / p) for p in HINTED]
    out = {}
    for language in LANGUAGES:
        folder = tmp_path_factory.mktemp(f"analyze-{language}")
        assert main(["analyze", *photos, "--out", str(folder), "--device", "cpu", "--lang", language]) == 0
        out[language] = {p.stem: json.loads(p.read_text()) for p in folder.glob("*.json")}
    assert i18n.current_language() == "en", "the CLI leaves the process's language as it found it"
    return out


def _without_sentences(value):
    if isinstance(value, dict):
        return {k: _without_sentences(v) for k, v in value.items() if k not in HUMAN_KEYS}
    if isinstance(value, list):
        return [_without_sentences(v) for v in value]
    return value


def _keys(value, prefix=""):
    if isinstance(value, dict):
        return {f"{prefix}/{k}" for k in value} | {x for k, v in value.items() for x in _keys(v, f"{prefix}/{k}")}
    if isinstance(value, list):
        return {x for i, v in enumerate(value) for x in _keys(v, f"{prefix}[{i}]")}
    return set()


def test_analyze_writes_every_hint_of_real_photos_in_the_chosen_language(analysed):
    english = analysed["en"]
    hints = [h for doc in english.values() for face in doc["faces"] for h in face["hints"]]
    assert len(hints) >= 15 and {h["severity"] for h in hints} == {"blocking", "warning", "info"}
    for language in OTHERS:
        for stem, doc in analysed[language].items():
            for face, face_en in zip(doc["faces"], english[stem]["faces"]):
                for hint, hint_en in zip(face["hints"], face_en["hints"]):
                    key = hint["message_key"]
                    assert key == hint_en["message_key"] and key in texts.MESSAGES
                    for field in ("message", "applicant_message"):
                        assert hint[field] and hint[field] != hint_en[field], (language, key, field)
                        assert key not in hint[field] and "{" not in hint[field]
                    table = texts.MESSAGES
                    # The sentence starts as its catalogue entry does (the text before the first placeholder).
                    head = gettext(table[key], language).split("{")[0]
                    assert hint["message"].startswith(head), (language, hint["message"], head)
                    assert hint["applicant_message"] == gettext(texts.APPLICANT[key], language)
                    assert hint["region_label"] == gettext(texts.REGION_LABELS[hint["region"]], language)


def test_json_keys_check_names_and_numbers_are_the_same_in_every_language(analysed):
    for language in OTHERS:
        assert analysed[language].keys() == analysed["en"].keys()
        for stem, doc in analysed[language].items():
            assert _keys(doc) == _keys(analysed["en"][stem])
            assert _without_sentences(doc) == _without_sentences(analysed["en"][stem])


def test_numbers_inside_sentences_use_the_decimal_comma(analysed):
    doc_en, doc_de = analysed["en"]["raj2"], analysed["de"]["raj2"]
    mouth_en = next(h for h in doc_en["faces"][0]["hints"] if h["check"] == "mouth_closed")
    mouth_de = next(h for h in doc_de["faces"][0]["hints"] if h["check"] == "mouth_closed")
    shown = f"{mouth_en['threshold']:.2f}"
    assert shown in mouth_en["message"] and shown.replace(".", ",") in mouth_de["message"]


# -- batch and report ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_folder(tmp_path_factory):
    if not DATA.is_dir():
        pytest.skip("faces-dev is not at ../shared/data/faces-dev")
    folder = tmp_path_factory.mktemp("i18n-batch")
    for p in HINTED[:2]:
        shutil.copy(DATA / p, folder / Path(p).name)
    return folder


def _batch(folder, out, language):
    # One face per model batch: a face's numbers then do not depend on which faces share its batch.
    return main(["batch", str(folder), "--out", str(out), "--device", "cpu", "--threads", "1", "--batch-faces", "1",
                 "--lang", language])


def test_a_batch_resumed_in_another_language_gives_the_same_rows(small_folder, tmp_path):
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    assert _batch(small_folder, whole, "en") == 0
    assert _batch(small_folder, resumed, "de") == 0
    # Interrupted after the first photo: the journal keeps only its rows; the rest is done in French.
    lines = (resumed / JOURNAL).read_text().splitlines(keepends=True)
    first = json.loads(lines[0])["rows"]
    (resumed / JOURNAL).write_text("".join(lines[:first]))
    assert _batch(small_folder, resumed, "fr") == 0
    assert read_rows(resumed) == read_rows(whole)
    assert (resumed / "results.csv").read_text() == (whole / "results.csv").read_text()


def test_the_report_headings_and_hints_follow_the_language(small_folder, tmp_path):
    out = tmp_path / "batch"
    assert _batch(small_folder, out, "en") == 0
    pages = {}
    for language in LANGUAGES:
        path = tmp_path / f"report-{language}.html"
        assert main(["report", str(out), "--out", str(path), "--pdf", "--lang", language]) == 0
        pages[language] = path.read_text(encoding="utf-8")
        assert path.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"
    from plq_desktop.core.io.audit_report import HEADINGS
    rows = [r for r in read_rows(out) if r["status"] == "ok"]
    for language in OTHERS:
        page = pages[language]
        assert f"<html lang='{language}'>" in page
        for key in ("counts", "quality_heading", "failures", "settings"):
            assert f"<h2>{gettext(HEADINGS[key], language)}</h2>" in page, (language, key)
            assert f"<h2>{HEADINGS[key]}</h2>" not in page
        for h in (h for r in rows for h in r["hints"]):
            assert html.escape(texts.sentence(h["sentence"], language)) in page
        # The element ids and the counts stay as in English.
        assert "<td class='count' id='faces'>2</td>" in page and "<td class='count' id='faces'>2</td>" in pages["en"]
