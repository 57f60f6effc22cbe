"""The window's Qt catalogues: every string the GUI's source hands to tr() is translated into each shipped language,
and the shipped .qm files are what the .ts sources compile to. The check itself fails on a doctored catalogue."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest

from plq_desktop.gui import catalogues
from plq_desktop.gui.i18n import catalogue_dir


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[catalogues.Entry]:
    return catalogues.read_ts(catalogues.extract(tmp_path_factory.mktemp("lupdate")))


def test_the_source_has_many_strings_and_german_french_spanish_ship(extracted):
    assert len(extracted) > 200          # lupdate finds the window's labels, menus, tooltips and messages
    assert {e.context for e in extracted} >= {"Actions", "MainWindow", "QualityPanel", "BatchPage", "WhatIfControl"}
    assert set(catalogues.shipped_languages()) >= {"de", "fr", "es"}


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_every_gui_string_is_translated(language, extracted):
    assert catalogues.problems(language, catalogues.ts_path(language), extracted) == []


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_shipped_qm_files_are_compiled_from_the_ts(language):
    ts = catalogues.ts_path(language)
    assert not catalogues.stale(ts, ts.with_suffix(".qm"))


def test_the_check_fails_on_a_doctored_catalogue(tmp_path, extracted):
    for path in catalogue_dir().glob("plq_desktop_*"):
        shutil.copy(path, tmp_path / path.name)
    ts = tmp_path / "plq_desktop_de.ts"
    assert catalogues.problems("de", ts, extracted) == []

    tree = ET.parse(ts)
    for context in tree.getroot().iter("context"):
        for message in list(context.iter("message")):
            source, translation = message.findtext("source"), message.find("translation")
            if source == "&Quit":
                translation.set("type", "unfinished")
            elif source == "Display":
                translation.text = "Display"                    # left in English
            elif source == "Saved {image} and {report}":
                translation.text = "{image} gespeichert"        # lost {report}
            elif source == "&File":
                translation.text = "Datei"                      # lost its mnemonic
            elif source == "Dismiss":
                context.remove(message)                         # never translated at all
    tree.write(ts, encoding="utf-8", xml_declaration=True)

    listed = catalogues.problems("de", ts, extracted)
    assert any("'&Quit': unfinished" in line for line in listed)
    assert any("'Display': the same as the English" in line for line in listed)
    assert any("'Saved {image} and {report}': placeholders" in line for line in listed)
    assert any("'&File': 0 keyboard mnemonics" in line for line in listed)
    assert any("'Dismiss': missing" in line for line in listed)
    assert len(listed) == 5
    # The .qm shipped beside it no longer matches the doctored source.
    assert catalogues.stale(ts, ts.with_suffix(".qm"))
    assert any("plq_desktop_de.qm is not compiled" in line for line in catalogues.check(tmp_path))
