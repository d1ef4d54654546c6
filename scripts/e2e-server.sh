#!/usr/bin/env bash
# The server the end-to-end tests run against: the production build of the
# app, served by the real backend on :7017 (in-memory SQLite), reading the
# demo fleet from the AWS emulator on :4577. EKS_FLEET_E2E_PORT and
# EKS_FLEET_E2E_EMULATOR_PORT move them, so two checkouts can test at once.
#
# EKS_FLEET_E2E_GUEST signs the guest in as another user (with
# EKS_FLEET_E2E_GUEST_GROUPS, a comma-separated list of the groups it is a
# member of), and EKS_FLEET_E2E_SKIP_BUILD=1 serves the app an earlier run
# built: the second server of the tests, whose guest is a team member.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/bootstrap.sh
mkdir -p test-results
# Cost inside clusters and workloads' SLOs: the OpenCost stand-in and
# Debian's prometheus over a backfilled history, started (by the first
# server only, while the app builds) on EKS_FLEET_E2E_OPENCOST_PORT and
# EKS_FLEET_E2E_PROMETHEUS_PORT; both servers read them.
opencost_port="${EKS_FLEET_E2E_OPENCOST_PORT:-4580}"
prometheus_port="${EKS_FLEET_E2E_PROMETHEUS_PORT:-9092}"
export APP_CONFIG_eksFleet_insights_cost_opencost_url="http://127.0.0.1:$opencost_port/clusters/{accountId}/{region}/{clusterName}"
export APP_CONFIG_eksFleet_insights_slo_prometheus_url="http://127.0.0.1:$prometheus_port"
source_pids=()
if [ -z "${EKS_FLEET_E2E_INSTANCE:-}" ]; then
  scripts/ensure-debian-packages.sh prometheus:/usr/bin/prometheus
  yarn workspace @internal/aws-emulator opencost --port "$opencost_port" >test-results/e2e-opencost.log 2>&1 &
  source_pids+=($!)
  yarn workspace @internal/aws-emulator prometheus --port "$prometheus_port" --dir "$root/test-results/e2e-prometheus" >test-results/e2e-prometheus.log 2>&1 &
  source_pids+=($!)
fi
stop_sources() { for pid in "${source_pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_sources EXIT
if [ "${EKS_FLEET_E2E_SKIP_BUILD:-}" != 1 ]; then
  echo "e2e: building the app" >&2
  yarn workspace app build >test-results/e2e-app-build.log 2>&1 || { tail -50 test-results/e2e-app-build.log >&2; exit 1; }
fi
emulator_port="${EKS_FLEET_E2E_EMULATOR_PORT:-4577}"
emulator_log="e2e-aws-emulator${EKS_FLEET_E2E_INSTANCE:+-$EKS_FLEET_E2E_INSTANCE}.log"
# shellcheck source=scripts/lib/start-emulator.sh
source scripts/lib/start-emulator.sh
trap 'stop_sources; stop_emulator' EXIT
backend_port="${EKS_FLEET_E2E_PORT:-7017}"
export APP_CONFIG_app_baseUrl="http://localhost:$backend_port"
export APP_CONFIG_backend_baseUrl="http://localhost:$backend_port"
export APP_CONFIG_backend_listen_port="$backend_port"
# Both names of the loopback address, as in the demo: the tests sign in from each.
export APP_CONFIG_backend_cors_origin="[\"http://localhost:$backend_port\",\"http://127.0.0.1:$backend_port\"]"
# A fresh fleet repository for the scaffolder templates, which the tests read.
fleet_repository="$root/test-results/e2e-fleet-repository${EKS_FLEET_E2E_INSTANCE:+-$EKS_FLEET_E2E_INSTANCE}.git"
rm -rf "$fleet_repository"
export APP_CONFIG_eksFleet_scaffolder_fleetRepository_local_path="$fleet_repository"
# EKS_FLEET_E2E_GITOPS_PORT: this server's rollouts go through that fleet
# repository too (app-config.e2e-gitops.yaml), as an adopted fleet's do. The
# repository starts with an empty main: a test commits the ACK manifests of
# the clusters it upgrades and removes them at its end, so the clusters of
# the other tests stay upgraded through the EKS API. The GitOps stand-in
# plays the ACK controller and Argo CD over it, applying what lands on main
# to this server's emulator a second after it lands.
extra_config=()
if [ -n "${EKS_FLEET_E2E_GITOPS_PORT:-}" ]; then
  git init --quiet --bare --initial-branch=main "$fleet_repository"
  empty_tree="$(git --git-dir "$fleet_repository" mktree </dev/null)"
  first_commit="$(GIT_AUTHOR_NAME='Fleet adoption' GIT_AUTHOR_EMAIL=platform@example.com \
    GIT_COMMITTER_NAME='Fleet adoption' GIT_COMMITTER_EMAIL=platform@example.com \
    git --git-dir "$fleet_repository" commit-tree "$empty_tree" -m 'Fleet repository: no cluster adopted yet')"
  git --git-dir "$fleet_repository" update-ref refs/heads/main "$first_commit"
  gitops_log="test-results/e2e-gitops${EKS_FLEET_E2E_INSTANCE:+-$EKS_FLEET_E2E_INSTANCE}.log"
  echo "e2e: starting the GitOps stand-in on :$EKS_FLEET_E2E_GITOPS_PORT (log in $gitops_log)" >&2
  yarn workspace @internal/aws-emulator gitops --repository "$fleet_repository" \
    --endpoint "$AWS_ENDPOINT_URL" --port "$EKS_FLEET_E2E_GITOPS_PORT" \
    --sync-delay 1000 --interval 500 >"$gitops_log" 2>&1 &
  gitops_pid=$!
  source_pids+=("$gitops_pid")
  for _ in $(seq 1 120); do
    grep -q "gitops-standin listening" "$gitops_log" 2>/dev/null && break
    kill -0 "$gitops_pid" 2>/dev/null || { cat "$gitops_log" >&2; exit 1; }
    sleep 0.5
  done
  export EKS_FLEET_E2E_FLEET_REPOSITORY="$fleet_repository"
  extra_config=(--config ../../app-config.e2e-gitops.yaml)
fi
# 500 generated workloads on one sandbox cluster, for the blast radius at scale.
node scripts/lib/e2e-generated-catalog.js "$root/test-results"
if [ -n "${EKS_FLEET_E2E_GUEST:-}" ]; then
  groups_json="$(node -e 'const [u, g] = process.argv.slice(1); console.log(JSON.stringify([u, ...g.split(",").filter(Boolean)]))' "$EKS_FLEET_E2E_GUEST" "${EKS_FLEET_E2E_GUEST_GROUPS:-}")"
  export APP_CONFIG_auth_providers_guest_userEntityRef="$EKS_FLEET_E2E_GUEST"
  export APP_CONFIG_auth_providers_guest_ownershipEntityRefs="$groups_json"
fi
backend_log="e2e-backend${EKS_FLEET_E2E_INSTANCE:+-$EKS_FLEET_E2E_INSTANCE}.log"
echo "e2e: starting the backend on :$backend_port (log in test-results/$backend_log)" >&2
cd packages/backend
yarn start --config ../../app-config.yaml --config ../../app-config.e2e.yaml --config ../../test-results/app-config.e2e-generated.yaml "${extra_config[@]}" >"../../test-results/$backend_log" 2>&1
