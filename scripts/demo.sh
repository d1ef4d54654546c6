#!/usr/bin/env bash
# Sets up and runs the demo: the AWS emulator on http://127.0.0.1:4566 with
# the demo fleet, the backend on http://localhost:7007 (in-memory SQLite,
# guest sign-in) and the app on http://localhost:3000. Stop it with Ctrl-C.
#
# AWS_EMULATOR_PORT moves the emulator; an emulator already answering on that
# port is reused. The backend reaches it only through AWS_ENDPOINT_URL.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/bootstrap.sh

emulator_port="${AWS_EMULATOR_PORT:-4566}"
emulator_log=demo-aws-emulator.log
# shellcheck source=scripts/lib/start-emulator.sh
source scripts/lib/start-emulator.sh

echo "demo: starting the backend on http://localhost:7007 and the app on http://localhost:3000"
yarn start &
app_pid=$!
trap 'kill "$app_pid" 2>/dev/null; stop_emulator' INT TERM
wait "$app_pid"
