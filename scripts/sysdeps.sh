#!/usr/bin/env bash
# Installs the Debian packages tests rely on, only when missing. Needs root (CI and the
# developers' machines run as root); elsewhere it says what to install and carries on.
# Usage: sysdeps.sh [run|test]  — "run" installs what the pipeline itself needs (the demo);
# "test" (the default) adds what only the tests use (browser, PDF and archive tools).
set -euo pipefail
mode="${1:-test}"
need=()
# WeasyPrint (letters, reports, HHS PDFs) needs Pango and a serif/sans font family.
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || need+=(libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi 'DejaVu Sans' || need+=(fonts-dejavu-core)
fc-list 2>/dev/null | grep -qi 'Liberation Serif' || need+=(fonts-liberation)
# The compiled detector's candidate search (detect/_re2scan.cc): a C++ compiler and RE2.
command -v g++ >/dev/null 2>&1 || need+=(g++)
[ -e /usr/include/re2/re2.h ] || need+=(libre2-dev)
# Issue 3 formats: OCR of scans (Tesseract + English), legacy Word (antiword, catdoc as the
# fallback), 7z archives (libarchive through libarchive-c) and the 7z CLI the archive tests
# use to make an encrypted 7z (libarchive cannot write one).
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || need+=(tesseract-ocr-eng)
command -v antiword >/dev/null 2>&1 || need+=(antiword)
command -v catdoc >/dev/null 2>&1 || need+=(catdoc)
ldconfig -p 2>/dev/null | grep -q 'libarchive.so.13' || need+=(libarchive13)
if [ "$mode" = "test" ]; then
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  command -v zip >/dev/null 2>&1 || need+=(zip)
  command -v 7zz >/dev/null 2>&1 || need+=(7zip)
  # Browser tests drive Debian's Chromium (never a downloaded browser).
  [ -x /usr/bin/chromium ] || need+=(chromium)
fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "note: install these Debian packages for the full test suite: ${need[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
