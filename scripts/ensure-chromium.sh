#!/usr/bin/env bash
# Installs Debian's Chromium for the end-to-end tests when it is missing.
# Nothing else provides a browser here: Playwright's own download is never used.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "Chromium is missing and this user cannot install it: run 'apt-get install -y chromium' as root." >&2; exit 1; }
  sudo="sudo"
fi
echo "Installing Debian's chromium package (apt-get)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
