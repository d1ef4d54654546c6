#!/usr/bin/env bash
# The server the end-to-end tests run against: the production build of the
# app, served by the real backend on :7017 (in-memory SQLite), reading the
# demo fleet from the AWS emulator on :4577. EKS_FLEET_E2E_PORT and
# EKS_FLEET_E2E_EMULATOR_PORT move them, so two checkouts can test at once.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/bootstrap.sh
mkdir -p test-results
echo "e2e: building the app" >&2
yarn workspace app build >test-results/e2e-app-build.log 2>&1 || { tail -50 test-results/e2e-app-build.log >&2; exit 1; }
emulator_port="${EKS_FLEET_E2E_EMULATOR_PORT:-4577}"
emulator_log=e2e-aws-emulator.log
# shellcheck source=scripts/lib/start-emulator.sh
source scripts/lib/start-emulator.sh
backend_port="${EKS_FLEET_E2E_PORT:-7017}"
export APP_CONFIG_app_baseUrl="http://localhost:$backend_port"
export APP_CONFIG_backend_baseUrl="http://localhost:$backend_port"
export APP_CONFIG_backend_listen_port="$backend_port"
# Both names of the loopback address, as in the demo: the tests sign in from each.
export APP_CONFIG_backend_cors_origin="[\"http://localhost:$backend_port\",\"http://127.0.0.1:$backend_port\"]"
# A fresh fleet repository for the scaffolder templates, which the tests read.
fleet_repository="$root/test-results/e2e-fleet-repository.git"
rm -rf "$fleet_repository"
export APP_CONFIG_eksFleet_scaffolder_fleetRepository_local_path="$fleet_repository"
# 500 generated workloads on one sandbox cluster, for the blast radius at scale.
node scripts/lib/e2e-generated-catalog.js "$root/test-results"
echo "e2e: starting the backend on :$backend_port (log in test-results/e2e-backend.log)" >&2
cd packages/backend
yarn start --config ../../app-config.yaml --config ../../app-config.e2e.yaml --config ../../test-results/app-config.e2e-generated.yaml >../../test-results/e2e-backend.log 2>&1
