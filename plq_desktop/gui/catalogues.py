"""The window's Qt translation catalogues: update them from the source, compile them, check them.

    python -m plq_desktop.gui.catalogues update   # pyside6-lupdate: new strings into every .ts
    python -m plq_desktop.gui.catalogues compile  # pyside6-lrelease: .ts -> .qm (shipped beside them)
    python -m plq_desktop.gui.catalogues check    # lists what is missing, unfinished or stale; exit 1 if any

The .ts files (resources/i18n/plq_desktop_LANG.ts) are the translators' sources
(Qt Linguist edits them); the .qm files are what the window loads. A string
is translated when its entry is finished, differs from the English (but for
the few words that are the same in that language, ALLOWED_SAME) and keeps the
English's placeholders ({name}, %1, %v...) and its one keyboard mnemonic (&).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from plq_desktop.gui.i18n import CATALOGUE, SOURCE_LANGUAGE, catalogue_dir

GUI_SOURCES = Path(__file__).resolve().parent
# Placeholders: str.format fields, Qt's %1..%99, and QProgressBar's %v %m %p.
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\d{1,2}|%[vmp]")
# (language, English) whose translation is rightly the same words: loan words and names.
ALLOWED_SAME = {
    ("de", "&Live"), ("de", "Live: {source}"), ("de", "Videos ({patterns})"),
    ("de", "{caption}: {points} / 100 ({band}): {meaning}"), ("es", "{caption}: {points} / 100 ({band}): {meaning}"),
    ("fr", "&Photos"), ("fr", "Photos ({patterns})"), ("fr", "%v / %m photos"), ("fr", "capture %p%"),
}


@dataclass(frozen=True)
class Entry:
    context: str
    source: str
    translation: str | None      # None: unfinished, obsolete or empty


def _tool(name: str) -> str:
    """A PySide6 tool (pyside6-lupdate, pyside6-lrelease) of this environment, else from the PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found: it comes with PySide6 (pip install PySide6)")
    return found


def shipped_languages() -> list[str]:
    return sorted(p.stem.rsplit("_", 1)[1] for p in catalogue_dir().glob(f"{CATALOGUE}_*.ts"))


def ts_path(language: str, folder: Path | None = None) -> Path:
    return (folder or catalogue_dir()) / f"{CATALOGUE}_{language}.ts"


def sources() -> list[Path]:
    return sorted(GUI_SOURCES.glob("*.py"))


def read_ts(path: Path) -> list[Entry]:
    entries = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            finished = translation is not None and not translation.get("type") and translation.text
            entries.append(Entry(name, message.findtext("source") or "",
                                 translation.text if finished else None))
    return entries


def extract(folder: Path) -> Path:
    """Every string the GUI's source hands to tr()/translate(), as pyside6-lupdate finds them, in a fresh .ts."""
    out = folder / "extracted.ts"
    subprocess.run([_tool("pyside6-lupdate"), *map(str, sources()), "-ts", str(out)],
                   check=True, capture_output=True, text=True)
    return out


def _mnemonics(text: str) -> int:
    return len(re.findall(r"&(?!&)", text.replace("&&", "")))


def problems(language: str, ts: Path, extracted: list[Entry]) -> list[str]:
    """What keeps ``ts`` from translating every extracted string (empty: nothing)."""
    found = {(e.context, e.source): e.translation for e in read_ts(ts)}
    listed = []
    for entry in extracted:
        key = (entry.context, entry.source)
        where = f"{language}: {entry.context}: {entry.source!r}"
        if key not in found:
            listed.append(f"{where}: missing")
            continue
        text = found[key]
        if text is None:
            listed.append(f"{where}: unfinished")
        elif text == entry.source and (language, entry.source) not in ALLOWED_SAME:
            listed.append(f"{where}: the same as the English")
        elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(entry.source)):
            listed.append(f"{where}: placeholders {sorted(PLACEHOLDER.findall(text))} instead of "
                          f"{sorted(PLACEHOLDER.findall(entry.source))}")
        elif _mnemonics(text) != _mnemonics(entry.source):
            listed.append(f"{where}: {_mnemonics(text)} keyboard mnemonics (&) instead of "
                          f"{_mnemonics(entry.source)}")
    return listed


def compile_ts(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True, text=True)


def stale(ts: Path, qm: Path) -> bool:
    """Does ``qm`` differ from what ``ts`` compiles to now (or is it missing)?"""
    if not qm.is_file():
        return True
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / qm.name
        compile_ts(ts, fresh)
        return fresh.read_bytes() != qm.read_bytes()


def check(folder: Path | None = None) -> list[str]:
    """Problems of every shipped catalogue in ``folder`` (default: the shipped resources/i18n)."""
    folder = folder or catalogue_dir()
    with tempfile.TemporaryDirectory() as scratch:
        extracted = read_ts(extract(Path(scratch)))
    listed = []
    for language in shipped_languages():
        ts = ts_path(language, folder)
        listed += problems(language, ts, extracted)
        if stale(ts, ts.with_suffix(".qm")):
            listed.append(f"{language}: {ts.with_suffix('.qm').name} is not compiled from {ts.name} "
                          "(run: python -m plq_desktop.gui.catalogues compile)")
    return listed


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "check"
    if command == "update":
        subprocess.run([_tool("pyside6-lupdate"), *map(str, sources()), "-no-obsolete", "-ts",
                        *map(str, (ts_path(code) for code in shipped_languages()))], check=True)
    elif command == "compile":
        for language in shipped_languages():
            compile_ts(ts_path(language), ts_path(language).with_suffix(".qm"))
    elif command == "check":
        listed = check()
        print("\n".join(listed) or f"every GUI string is translated into {', '.join(shipped_languages())} "
                                    f"(source language {SOURCE_LANGUAGE}); the .qm files are up to date")
        return 1 if listed else 0
    else:
        print("usage: python -m plq_desktop.gui.catalogues update|compile|check", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
