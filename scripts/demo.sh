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

port="${AWS_EMULATOR_PORT:-4566}"
endpoint="http://127.0.0.1:$port"
mkdir -p test-results
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
healthy() { # node, not curl: a fresh machine has Node.js for certain
  node -e "fetch('$endpoint/_emulator/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
}

if healthy; then
  echo "demo: reusing the AWS emulator already on $endpoint"
else
  echo "demo: starting the AWS emulator on $endpoint (log in test-results/demo-aws-emulator.log)"
  yarn workspace @internal/aws-emulator start --port "$port" --update-delay "${AWS_EMULATOR_UPDATE_DELAY_MS:-20000}" \
    >test-results/demo-aws-emulator.log 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 120); do
    healthy && break
    kill -0 "$emulator_pid" 2>/dev/null || { cat test-results/demo-aws-emulator.log >&2; exit 1; }
    sleep 0.5
  done
  healthy || { echo "demo: the emulator did not start" >&2; exit 1; }
  head -1 test-results/demo-aws-emulator.log
fi

# The plugins know nothing of the emulator: only the endpoint and credentials.
export AWS_ENDPOINT_URL="$endpoint"
export AWS_ACCESS_KEY_ID="${EKS_FLEET_DEMO_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY=test
export AWS_REGION="${AWS_REGION:-us-east-1}"
unset AWS_SESSION_TOKEN AWS_PROFILE

echo "demo: starting the backend on http://localhost:7007 and the app on http://localhost:3000"
yarn start &
app_pid=$!
trap 'kill "$app_pid" 2>/dev/null; cleanup' INT TERM
wait "$app_pid"
