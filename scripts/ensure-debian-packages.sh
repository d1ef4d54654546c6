#!/usr/bin/env bash
# Installs Debian packages the tests drive when they are missing:
#   scripts/ensure-debian-packages.sh chromium:/usr/bin/chromium awscli:/usr/bin/aws
# Each argument is package:binary; the package is installed (apt-get) only
# when the binary is absent. Nothing else provides these tools here: no
# browser download by Playwright, no AWS CLI from anywhere but Debian.
set -euo pipefail
missing=()
for pair in "$@"; do
  package="${pair%%:*}"
  binary="${pair#*:}"
  [ -x "$binary" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "Missing Debian packages and this user cannot install them: run 'apt-get install -y ${missing[*]}' as root." >&2; exit 1; }
  sudo="sudo"
fi
echo "Installing Debian packages: ${missing[*]} (apt-get)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
for pair in "$@"; do
  binary="${pair#*:}"
  [ -x "$binary" ] || { echo "$binary is still missing after installing ${pair%%:*}" >&2; exit 1; }
done
