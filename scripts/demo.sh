#!/usr/bin/env bash
# Sets up and runs the demo: the AWS emulator on http://127.0.0.1:4566 with
# the demo fleet, the backend on http://localhost:7007 (guest sign-in) and
# the app on http://localhost:3000. Stop it with Ctrl-C.
#
# The backend's data (catalog, rollouts, audit trail) is kept in SQLite files
# under .demo/database (git-ignored, app-config.demo.yaml), so a rollout
# started in the demo survives a restart. Start from an empty database with
#   npm run demo -- --reset      (or EKS_FLEET_DEMO_RESET=1 npm run demo)
#
# AWS_EMULATOR_PORT moves the emulator; an emulator already answering on that
# port is reused. The backend reaches it only through AWS_ENDPOINT_URL.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

reset="${EKS_FLEET_DEMO_RESET:-}"
for arg in "$@"; do
  case "$arg" in
    --reset) reset=1 ;;
    *) echo "demo: unknown argument $arg (the only one is --reset)" >&2; exit 2 ;;
  esac
done

source scripts/bootstrap.sh

export EKS_FLEET_DEMO_DATABASE_DIR="$root/.demo/database"
if [ -n "$reset" ]; then
  echo "demo: --reset: removing the demo's database ($EKS_FLEET_DEMO_DATABASE_DIR)"
  rm -rf "$EKS_FLEET_DEMO_DATABASE_DIR"
elif [ -d "$EKS_FLEET_DEMO_DATABASE_DIR" ]; then
  echo "demo: keeping the data of earlier runs in $EKS_FLEET_DEMO_DATABASE_DIR (npm run demo -- --reset starts afresh)"
fi

emulator_port="${AWS_EMULATOR_PORT:-4566}"
emulator_log=demo-aws-emulator.log
# shellcheck source=scripts/lib/start-emulator.sh
source scripts/lib/start-emulator.sh

# Cost inside clusters and workloads' SLOs: the OpenCost stand-in on :9003
# and Debian's prometheus on :9090 over a backfilled history of the demo
# fleet and workloads (app-config.yaml points the backend at both).
opencost_port="${OPENCOST_PORT:-9003}"
prometheus_port="${PROMETHEUS_PORT:-9090}"
scripts/ensure-debian-packages.sh prometheus:/usr/bin/prometheus
echo "demo: starting the OpenCost stand-in on http://127.0.0.1:$opencost_port (log in test-results/demo-opencost.log)"
yarn workspace @internal/aws-emulator opencost --port "$opencost_port" >test-results/demo-opencost.log 2>&1 &
opencost_pid=$!
echo "demo: starting prometheus on http://127.0.0.1:$prometheus_port, backfilled once a day (log in test-results/demo-prometheus.log)"
yarn workspace @internal/aws-emulator prometheus --port "$prometheus_port" >test-results/demo-prometheus.log 2>&1 &
prometheus_pid=$!
# The fleet repository as an adopted fleet has it: the ACK manifests of the
# demo's clusters, committed at start when missing; the GitOps stand-in plays
# the ACK controller and Argo CD over it, applying what lands on main to the
# AWS emulator after a sync delay (Argo CD's API on :4580).
fleet_repository="$root/.demo/fleet-repository.git"
if [ -n "$reset" ]; then
  echo "demo: --reset: removing the demo's fleet repository ($fleet_repository)"
  rm -rf "$fleet_repository"
fi
gitops_port="${GITOPS_STANDIN_PORT:-4580}"
echo "demo: starting the GitOps stand-in on http://127.0.0.1:$gitops_port over $fleet_repository (log in test-results/demo-gitops.log)"
yarn workspace @internal/aws-emulator gitops --repository "$fleet_repository" \
  --seed "$root/packages/aws-emulator/fleets/demo.yaml" \
  --endpoint "$AWS_ENDPOINT_URL" --port "$gitops_port" >test-results/demo-gitops.log 2>&1 &
gitops_pid=$!
# The backend opens the repository the stand-in seeds: wait for the seed.
for _ in $(seq 1 120); do
  grep -q "gitops-standin listening" test-results/demo-gitops.log 2>/dev/null && break
  kill -0 "$gitops_pid" 2>/dev/null || { cat test-results/demo-gitops.log >&2; exit 1; }
  sleep 0.5
done
stop_insight_sources() {
  kill "$opencost_pid" "$prometheus_pid" "$gitops_pid" 2>/dev/null || true
}
trap 'stop_insight_sources; stop_emulator' EXIT

# AWS Config's change events: the emulator queues one for every change of a
# cluster; Backstage's AWS SQS consumer publishes them on the
# eks-fleet-config-changes topic, and the provider reads the changed clusters
# within seconds. The delta read stays as a safety net, every 10 minutes. A
# message the consumer cannot read moves to eks-fleet-config-changes-dlq
# after 5 receives (the queue's redrive policy).
demo_queue="${AWS_ENDPOINT_URL}/481620937501/eks-fleet-config-changes"
export APP_CONFIG_events_modules_awsSqs_awsSqsConsumingEventPublisher_topics="{\"eks-fleet-config-changes\":{\"queue\":{\"url\":\"${demo_queue}\",\"region\":\"us-east-1\",\"endpoint\":\"${AWS_ENDPOINT_URL}\",\"waitTime\":{\"seconds\":20}},\"waitTimeAfterEmptyReceive\":{\"seconds\":0},\"timeout\":{\"seconds\":60}}}"
export APP_CONFIG_catalog_providers_eksFleet_organization_changeEvents='{"topic":"eks-fleet-config-changes"}'
export APP_CONFIG_catalog_providers_eksFleet_organization_deltaRefresh_schedule_frequency='{"minutes":10}'

# Node refreshes move Karpenter's EC2NodeClasses (platform-staging-use1 runs
# Karpenter) through each cluster's Kubernetes API: the emulator's stand-in.
export APP_CONFIG_eksFleet_rollouts_kubernetesApi_endpoint="${AWS_ENDPOINT_URL}/_k8s/{accountId}/{region}/{clusterName}"

echo "demo: starting the backend on http://localhost:7007 and the app on http://localhost:3000"
# Absolute paths: `repo start` hands them to each package, which runs in its own folder.
yarn start --config "$root/app-config.yaml" --config "$root/app-config.demo.yaml" &
app_pid=$!
trap 'kill "$app_pid" 2>/dev/null; stop_insight_sources; stop_emulator' INT TERM
wait "$app_pid"
