# Sourced by the demo and the end-to-end server: starts the AWS emulator with
# the demo fleet on 127.0.0.1:$emulator_port (reusing one that already answers
# there), waits until it is healthy, stops it when the calling script exits,
# and exports the endpoint and credentials the plugins use. Logs go to
# test-results/$emulator_log.
emulator_endpoint="http://127.0.0.1:$emulator_port"
emulator_pid=""
stop_emulator() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; fi
}
trap stop_emulator EXIT
emulator_healthy() { # node, not curl: a fresh machine has Node.js for certain
  node -e "fetch('$emulator_endpoint/_emulator/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
}
mkdir -p test-results
if emulator_healthy; then
  echo "reusing the AWS emulator already on $emulator_endpoint" >&2
else
  echo "starting the AWS emulator on $emulator_endpoint (log in test-results/$emulator_log)" >&2
  yarn workspace @internal/aws-emulator start --port "$emulator_port" --update-delay "${AWS_EMULATOR_UPDATE_DELAY_MS:-20000}" \
    >"test-results/$emulator_log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 120); do
    emulator_healthy && break
    kill -0 "$emulator_pid" 2>/dev/null || { cat "test-results/$emulator_log" >&2; exit 1; }
    sleep 0.5
  done
  emulator_healthy || { echo "the AWS emulator did not start" >&2; exit 1; }
  head -1 "test-results/$emulator_log" >&2
fi

# The plugins know nothing of the emulator: only the endpoint and credentials.
export AWS_ENDPOINT_URL="$emulator_endpoint"
export AWS_ACCESS_KEY_ID="${EKS_FLEET_DEMO_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY=test
export AWS_REGION="${AWS_REGION:-us-east-1}"
unset AWS_SESSION_TOKEN AWS_PROFILE
