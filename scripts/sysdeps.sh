#!/usr/bin/env bash
# Installs the Debian packages tests rely on, only when missing. Needs root (CI and the
# developers' machines run as root); elsewhere it says what to install and carries on.
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v zip >/dev/null 2>&1 || need+=(zip)
# Browser tests drive Debian's Chromium (never a downloaded browser).
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "note: install these Debian packages for the full test suite: ${need[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
