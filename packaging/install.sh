#!/usr/bin/env bash
# Installs PLQ Desktop from nothing into ./.venv: the system libraries Qt needs
# (Debian/Ubuntu, when run as root), then the Python packages.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Qt offscreen/xcb platforms, QtMultimedia (libpulse0), and Xvfb for screenshots of the real window.
  apt-get install -y -qq --no-install-recommends \
    libgl1 libegl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 libpulse0 \
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
    libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 xvfb xauth >/dev/null
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# torch first and pinned: a bare "torch" requirement would pull a multi-GB build;
# the project's range admits this release, so the next step installs no other.
.venv/bin/python -m pip install -q "torch==2.13.0"
.venv/bin/python -m pip install -q -e ".[test,cluster]"
# Exactly one cv2: an older install may still hold opencv-python-headless beside opencv-python,
# and removing either one deletes the shared cv2 folder, so reinstall the one we keep.
if .venv/bin/python -m pip show -q opencv-python-headless 2>/dev/null; then
  .venv/bin/python -m pip uninstall -q -y opencv-python-headless
  .venv/bin/python -m pip install -q --force-reinstall --no-deps "$(.venv/bin/python -m pip show opencv-python | sed -n 's/^Version: /opencv-python==/p')"
fi
# An environment that had PySide6 6.12.0 (excluded in pyproject.toml: it leaks references to None) keeps
# the packages 6.12 split off (Pdf, WebEngine), pinned to 6.12 parts; removing them deletes files the
# downgraded Essentials/Addons share with them, so reinstall those two.
pyside=$(.venv/bin/python -m pip show PySide6 2>/dev/null | sed -n 's/^Version: //p')
stale=$(.venv/bin/python -m pip list --format=freeze 2>/dev/null \
  | grep -iE '^pyside6[-_](pdf|webengine)==' | grep -v "==$pyside" | cut -d= -f1 || true)
if [ -n "$stale" ]; then
  .venv/bin/python -m pip uninstall -q -y $stale
  .venv/bin/python -m pip install -q --force-reinstall --no-deps "PySide6_Essentials==$pyside" "PySide6_Addons==$pyside"
fi
echo "PLQ Desktop installed in $(pwd)/.venv"
