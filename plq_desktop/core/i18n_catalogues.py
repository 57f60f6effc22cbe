"""Keeping the gettext catalogues whole: extract, update, compile and check.

``python -m plq_desktop.core.i18n_catalogues check|update|compile`` (docs/languages.md).

The strings are what Babel's extractor finds in ``core/`` and ``cli/``
(``_``, ``gettext``, ``ngettext`` and ``N_`` with literal text). The GUI's
labels are Qt's (.ts files), not here.
"""

from __future__ import annotations

import argparse
import gettext as _gettext
import io
import sys
from pathlib import Path

from plq_desktop import __version__
from plq_desktop.core.i18n import DOMAIN, LANGUAGES, locale_dir, placeholders

PACKAGE_DIR = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("core", "cli")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}

# Translations that may equal the English: words spelt the same in that language (names and units are not
# marked for translation at all).
SAME_AS_ENGLISH: dict[str, set[str]] = {
    "fr": {"photo", "Versions", "{n} photo", "{n} photos"},
}


def extract(package_dir: Path = PACKAGE_DIR):
    """A Babel catalogue of every marked string in core/ and cli/, with where it is used."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="PLQ Desktop", domain=DOMAIN)
    for folder in SOURCE_DIRS:
        for filename, lineno, message, _comments, _context in extract_from_dir(
                str(package_dir / folder), [("**.py", "python")], keywords=KEYWORDS, comment_tags=()):
            catalog.add(message, locations=[(f"plq_desktop/{folder}/{filename}", lineno)])
    return catalog


def marked_in_source(package_dir: Path = PACKAGE_DIR) -> dict[str, str]:
    """Every literal that a marker call gets in core/ and cli/, found by Python's own parser (also inside
    f-strings, where Babel's extractor does not look), with where: a cross-check of ``extract``."""
    import ast

    found = {}
    for folder in SOURCE_DIRS:
        for path in sorted((package_dir / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS
                        and node.args and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str)):
                    found.setdefault(node.args[0].value, f"{path.relative_to(package_dir.parent)}:{node.lineno}")
    return found


def po_path(language: str, root: Path | None = None) -> Path:
    return (root or locale_dir()) / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read_po(path: Path, language: str):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    if not path.is_file():
        catalog = Catalog(locale=language, domain=DOMAIN, project="PLQ Desktop", version=__version__,
                          header_comment=f"# {LANGUAGES[language]} sentences of PLQ Desktop's core and CLI "
                                         "(docs/languages.md).", fuzzy=False)
        return catalog
    with open(path, "rb") as fh:
        return read_po(fh, locale=language, domain=DOMAIN)


def update(root: Path | None = None, package_dir: Path = PACKAGE_DIR) -> None:
    """Every extracted string into each language's .po: new ones empty, vanished ones dropped."""
    from babel.messages.pofile import write_po

    template = extract(package_dir)
    for language in LANGUAGES:
        if language == "en":
            continue
        path = po_path(language, root)
        catalog = _read_po(path, language)
        catalog.update(template, no_fuzzy_matching=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            write_po(fh, catalog, width=110, ignore_obsolete=True, include_previous=False)


def _compiled(catalog) -> bytes:
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def compile_all(root: Path | None = None) -> None:
    for language in LANGUAGES:
        if language == "en":
            continue
        path = po_path(language, root)
        path.with_suffix(".mo").write_bytes(_compiled(_read_po(path, language)))


def _mo_catalog(data: bytes) -> dict:
    return dict(_gettext.GNUTranslations(io.BytesIO(data))._catalog)


def check(root: Path | None = None, package_dir: Path = PACKAGE_DIR) -> list[str]:
    """Every problem of the shipped catalogues, one line each (none: all is well).

    First a string marked in the source that the extractor misses (inside
    an f-string). Then per language: a string of the source without a translation (or only a
    fuzzy one), a translation equal to the English (outside
    ``SAME_AS_ENGLISH``), a translation whose placeholders differ from the
    English's, and a .mo that is missing or not what its .po compiles to.
    """
    template = extract(package_dir)
    extracted = {m.id[0] if isinstance(m.id, tuple) else m.id for m in template}
    problems = [f"not extracted (marked inside an f-string?): {text!r} ({where})"
                for text, where in marked_in_source(package_dir).items() if text not in extracted]
    for language in LANGUAGES:
        if language == "en":
            continue
        path = po_path(language, root)
        if not path.is_file():
            problems.append(f"{language}: {path} is missing")
            continue
        catalog = _read_po(path, language)
        allowed = SAME_AS_ENGLISH.get(language, set())
        for message in template:
            if not message.id:
                continue
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:1])
            english = message.id if isinstance(message.id, tuple) else (message.id,)
            entry = catalog.get(message.id)
            forms = () if entry is None else entry.string if isinstance(entry.string, tuple) else (entry.string,)
            if entry is None or entry.fuzzy or not all(forms):
                problems.append(f"{language}: missing: {english[0]!r} ({where})")
                continue
            wanted = set().union(*(placeholders(e) for e in english))
            for form in forms:
                if form in english and form not in allowed:
                    problems.append(f"{language}: same as the English: {form!r} ({where})")
                if placeholders(form) != wanted and placeholders(form) | {"n"} != wanted:
                    problems.append(f"{language}: placeholders {sorted(placeholders(form))} instead of "
                                    f"{sorted(wanted)}: {english[0]!r} ({where})")
        mo = path.with_suffix(".mo")
        if not mo.is_file():
            problems.append(f"{language}: {mo} is missing (run: python -m plq_desktop.core.i18n_catalogues compile)")
        elif _mo_catalog(mo.read_bytes()) != _mo_catalog(_compiled(catalog)):
            problems.append(f"{language}: {mo} is stale: it differs from {path.name} "
                            "(run: python -m plq_desktop.core.i18n_catalogues compile)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m plq_desktop.core.i18n_catalogues",
                                     description="Maintain the gettext catalogues of the core's sentences.")
    parser.add_argument("action", choices=("check", "update", "compile"),
                        help="check: list what is missing or wrong (exit 1 if anything); update: extract the "
                             "strings into every .po; compile: write the .mo files")
    parser.add_argument("--locale-dir", type=Path, help="catalogues to work on (default: the shipped ones)")
    args = parser.parse_args(argv)
    if args.action == "update":
        update(args.locale_dir)
    elif args.action == "compile":
        compile_all(args.locale_dir)
    else:
        problems = check(args.locale_dir)
        for line in problems:
            print(line)
        print(f"{len(problems)} problems" if problems else "all translations complete")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
