#!/usr/bin/env bash
# Regenerates the visual-regression baselines (test/e2e/__screenshots__) and
# the README's screenshot gallery (docs/gallery): runs the visual tests and
# the wave upgrade (whose rollout page is one of them) against a fresh
# end-to-end server, in Debian's Chromium at 1600x1200, accepting what they
# see as the new baselines. Look at `git diff --stat` and the images before
# committing them.
#
#   bash scripts/screenshots.sh
#
# EKS_FLEET_E2E_PORT and EKS_FLEET_E2E_EMULATOR_PORT move the server, as for
# the tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/bootstrap.sh
bash scripts/ensure-debian-packages.sh chromium:/usr/bin/chromium
export EKS_FLEET_GALLERY="$root/docs/gallery"
rm -rf "$EKS_FLEET_GALLERY"
yarn playwright test test/e2e/visual.test.ts test/e2e/wave-upgrade.test.ts \
  --update-snapshots=all --reporter=line
echo "Baselines: test/e2e/__screenshots__; gallery: docs/gallery"
ls -l test/e2e/__screenshots__/* "$EKS_FLEET_GALLERY"
