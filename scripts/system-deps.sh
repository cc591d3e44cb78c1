#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages dvc-desk needs: `run` (Qt's libraries, fonts) or
# `test` (those plus Xvfb, SoftHSM2, poppler-utils, the OCR and PDF/A tools, ...). As root
# it runs apt-get; as another user it prints the exact command and stops.
# `run` adds the OCR tools (ocrmypdf, tesseract with Vietnamese) when DVC_DESK_OCR=1
# (`make run DVC_DESK_OCR=1`): the clerk asked for a text layer on scans.
set -euo pipefail
profile="${1:-test}"

run_pkgs=(
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-xkb1 libxcb-xfixes0 libx11-xcb1 libnss3 libasound2
  fonts-dejavu-core fonts-liberation2 fonts-noto-core
)
# OCR (docs/intake.md): ocrmypdf drives tesseract; ghostscript and qpdf are its helpers
# and the PDF/A cross-checks of the tests.
ocr_pkgs=(tesseract-ocr tesseract-ocr-vie ocrmypdf ghostscript qpdf)
# A shared office database (issue #17): the storage, queue and engine tests start a
# throwaway PostgreSQL cluster of their own (tests/pg_cluster.py); contrib has pg_trgm.
pg_pkgs=(postgresql postgresql-contrib)
test_pkgs=(xvfb xauth softhsm2 opensc poppler-utils libnss3-tools gcc libc6-dev "${ocr_pkgs[@]}" "${pg_pkgs[@]}")
# The OpenID log-in is tested in a real browser: Debian's chromium and its chromedriver.
test_pkgs+=(chromium chromium-driver)

pkgs=("${run_pkgs[@]}")
[ "$profile" = "test" ] && pkgs+=("${test_pkgs[@]}")
[ "$profile" = "run" ] && [ "${DVC_DESK_OCR:-0}" = "1" ] && pkgs+=("${ocr_pkgs[@]}")
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  pkgs+=(python3-venv python3-pip)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian/Ubuntu system; install the equivalents of: ${pkgs[*]}" >&2
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  # Some names differ between releases (libasound2 → libasound2t64): accept either.
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
     && ! dpkg-query -W -f='${Status}' "${p}t64" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "dvc-desk needs these system packages, which are not installed:" >&2
  echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  echo "Run that line, then run make again." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "system-deps: installing ${missing[*]}"
apt-get update -qq
installable=()
for p in "${missing[@]}"; do
  if apt-cache show "$p" >/dev/null 2>&1; then
    installable+=("$p")
  elif apt-cache show "${p}t64" >/dev/null 2>&1; then
    installable+=("${p}t64")
  else
    echo "system-deps: package $p is not known to apt here; skipping it" >&2
  fi
done
apt-get install -y -qq --no-install-recommends "${installable[@]}"
