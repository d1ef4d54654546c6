#!/usr/bin/env bash
# The server the end-to-end tests run against: the production build of the
# app, served by the real backend on :7017 (in-memory SQLite).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/bootstrap.sh
mkdir -p test-results
echo "e2e: building the app" >&2
yarn workspace app build >test-results/e2e-app-build.log 2>&1 || { tail -50 test-results/e2e-app-build.log >&2; exit 1; }
echo "e2e: starting the backend on :7017 (log in test-results/e2e-backend.log)" >&2
cd packages/backend
exec yarn start --config ../../app-config.yaml --config ../../app-config.e2e.yaml >../../test-results/e2e-backend.log 2>&1
