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

# AWS Config's change events: the emulator queues one for every change of a
# cluster; Backstage's AWS SQS consumer publishes them on the
# eks-fleet-config-changes topic, and the provider reads the changed clusters
# within seconds. The delta read stays as a safety net, every 10 minutes.
demo_queue="${AWS_ENDPOINT_URL}/481620937501/eks-fleet-config-changes"
export APP_CONFIG_events_modules_awsSqs_awsSqsConsumingEventPublisher_topics="{\"eks-fleet-config-changes\":{\"queue\":{\"url\":\"${demo_queue}\",\"region\":\"us-east-1\",\"endpoint\":\"${AWS_ENDPOINT_URL}\",\"waitTime\":{\"seconds\":20}},\"waitTimeAfterEmptyReceive\":{\"seconds\":0},\"timeout\":{\"seconds\":60}}}"
export APP_CONFIG_catalog_providers_eksFleet_organization_changeEvents='{"topic":"eks-fleet-config-changes"}'
export APP_CONFIG_catalog_providers_eksFleet_organization_deltaRefresh_schedule_frequency='{"minutes":10}'

echo "demo: starting the backend on http://localhost:7007 and the app on http://localhost:3000"
yarn start &
app_pid=$!
trap 'kill "$app_pid" 2>/dev/null; stop_emulator' INT TERM
wait "$app_pid"
