#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run lint and the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -r requirements-dev.txt
# Browser tests drive Debian's chromium; the slide-rendering test needs LibreOffice Impress and
# poppler (pdftoppm, pdftotext). Install what is missing (as root, as on CI).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libreoffice-impress >/dev/null 2>&1 || missing+=(libreoffice-impress)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = "0" ] || sudo="sudo"
  ($sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}") >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
