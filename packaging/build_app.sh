#!/usr/bin/env bash
# One-folder build of PLQ Desktop with PyInstaller: dist/plq-desktop/ holds the
# plq-desktop executable (and plq, the same program as the command line), Qt's
# platform and multimedia plugins, dlib, the offline model files, the .desktop
# file and the icon. Copy the folder anywhere; nothing else is needed on the
# target machine but the system libraries packaging/install.sh lists.
#
#   bash packaging/build_app.sh              # uses ./.venv (made by packaging/install.sh)
#   PYTHON=/path/to/python bash packaging/build_app.sh
#   DIST=/tmp/dist BUILD=/tmp/build bash packaging/build_app.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
DIST=${DIST:-$ROOT/dist}
BUILD=${BUILD:-$ROOT/build}

"$PYTHON" -m PyInstaller --version >/dev/null 2>&1 || "$PYTHON" -m pip install -q "pyinstaller>=6.3"
start=$(date +%s)
(cd packaging && "$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$DIST" --workpath "$BUILD/pyinstaller" plq-desktop.spec)
app="$DIST/plq-desktop"
ln -sfn plq-desktop "$app/plq"
cp packaging/plq-desktop.desktop packaging/plq-desktop.png "$app/"
echo "built $app in $(( $(date +%s) - start )) s, $(du -sh "$app" | cut -f1)"
