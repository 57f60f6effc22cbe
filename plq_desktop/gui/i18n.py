"""The window's language: Qt translators for its labels and the core's language for the hints.

The GUI's texts are translated by Qt (``self.tr`` / ``QCoreApplication.translate``);
their sources are ``resources/i18n/plq_desktop_LANG.ts``, compiled to ``.qm``
with ``pyside6-lrelease`` (see docs/gui.md). Qt's own ``qtbase`` translations
cover the standard dialogs (file dialogs, message-box buttons). Installing or
removing a translator sends every widget a LanguageChange event: the window
then sets its texts again (``MainWindow.changeEvent``).

English is the source language: it needs no translator, and a string missing
from a catalogue shows in English.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from plq_desktop.core import i18n as core_i18n

CATALOGUE = "plq_desktop"
SOURCE_LANGUAGE = "en"

_installed: list[QTranslator] = []
_language = SOURCE_LANGUAGE


def catalogue_dir() -> Path:
    """resources/ installs as plq_desktop.resources; in a checkout it is the top-level folder."""
    from plq_desktop import resources
    return Path(resources.__file__).resolve().parent / "i18n"


def languages() -> dict[str, str]:
    """Language code -> its own name ("de" -> "Deutsch"): the languages the GUI and the hints ship in."""
    return dict(core_i18n.LANGUAGES)


def system_language() -> str:
    """The first of the system's UI languages that ships, else English."""
    for name in QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in core_i18n.LANGUAGES:
            return code
    return SOURCE_LANGUAGE


def resolve(choice: str) -> str:
    """A saved choice ("" = follow the system) -> a shipped language code."""
    return choice if choice in core_i18n.LANGUAGES else system_language()


def current_language() -> str:
    return _language


def set_language(code: str) -> str:
    """Translate the GUI (and the core's hints) into ``code``; returns the language now in use.

    Needs a QCoreApplication. A language without a shipped catalogue stays English.
    """
    global _language
    app = QCoreApplication.instance()
    code = code if code in core_i18n.LANGUAGES else SOURCE_LANGUAGE
    if app is not None and code != _language:
        for translator in _installed:
            app.removeTranslator(translator)
        _installed.clear()
        if code != SOURCE_LANGUAGE:
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            for name, folder in ((f"{CATALOGUE}_{code}", str(catalogue_dir())), (f"qtbase_{code}", qt_dir)):
                translator = QTranslator(app)
                if translator.load(name, folder):
                    app.installTranslator(translator)
                    _installed.append(translator)
        _language = code
    core_i18n.set_language(code)
    QLocale.setDefault(QLocale(code))     # numbers in spin boxes and the like, as in that language
    return code
