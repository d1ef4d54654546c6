#!/usr/bin/env bash
# Runs every test of the repo: type check, lint (with the API reports and
# the OpenAPI documents), unit
# tests of every package
# (database tests on SQLite and, when configured, PostgreSQL) and end-to-end
# tests in Debian's Chromium against the real backend and app, two backend
# replicas from the built bundle on PostgreSQL, and the install test (a fresh
# create-app app gets the suite as the README says).
#
#   npm test                       # everything
#   EKS_FLEET_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432 npm test
#
# Stages can be picked for a quicker loop: EKS_FLEET_TEST_STAGES="unit e2e".
# Exits non-zero when any stage fails and ends with one summary line,
# "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# shellcheck source=scripts/bootstrap.sh
source scripts/bootstrap.sh || { echo "bootstrap failed"; exit 1; }

stages="${EKS_FLEET_TEST_STAGES:-typecheck lint unit e2e install replicas}"
results_dir="$root/test-results"
mkdir -p "$results_dir"
failed_stages=()
total_passed=0
total_failed=0
started=$SECONDS

stage() { echo; echo "==== $1 ===="; }
has_stage() { [[ " $stages " == *" $1 "* ]]; }
record() { # stage-name passed failed exit-code
  total_passed=$((total_passed + $2))
  total_failed=$((total_failed + $3))
  if [ "$4" != 0 ] || [ "$3" != 0 ]; then failed_stages+=("$1"); fi
  echo "---- $1: $2 passed, $3 failed (exit $4, $((SECONDS - started))s elapsed)"
}

# PostgreSQL for the database tests: Backstage's TestDatabases reads a
# connection string per server version, so ask the server its version.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
if [ -n "${EKS_FLEET_TEST_POSTGRES_URL:-}" ]; then
  pg_major="$(node scripts/lib/postgres-major-version.js "$EKS_FLEET_TEST_POSTGRES_URL")" || {
    echo "PostgreSQL at EKS_FLEET_TEST_POSTGRES_URL does not answer; refusing to run the database tests on SQLite alone."
    exit 1
  }
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${pg_major}_CONNECTION_STRING=$EKS_FLEET_TEST_POSTGRES_URL"
  echo "Database tests run on SQLite and PostgreSQL $pg_major."
else
  echo "Database tests run on SQLite only: set EKS_FLEET_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432) to add PostgreSQL."
fi

# ESLint and Prettier need no types: they run beside the type check, which
# keeps one core busy; the API reports wait for its declarations.
lint_log="$results_dir/eslint-prettier.log"
lint_pid=""
lint_sources() {
  yarn backstage-cli repo lint
  local r=$?
  yarn prettier --check --loglevel warn .
  local r2=$?
  [ $r = 0 ] && r=$r2
  return $r
}
if has_stage typecheck; then
  stage "Type check (tsc)"
  if has_stage lint; then
    echo "(the lint stage's ESLint and Prettier run beside it; their output follows in the lint stage)"
    rm -f "$lint_log.rc"
    ( lint_sources >"$lint_log" 2>&1; echo $? >"$lint_log.rc" ) &
    lint_pid=$!
  fi
  yarn tsc:full
  rc=$?
  record typecheck "$([ $rc = 0 ] && echo 1 || echo 0)" "$([ $rc = 0 ] && echo 0 || echo 1)" $rc
fi

if has_stage lint; then
  stage "Lint (eslint, every package), formatting (prettier) and API reports"
  if [ -n "$lint_pid" ]; then
    wait "$lint_pid"
    cat "$lint_log"
    rc="$(cat "$lint_log.rc" 2>/dev/null || echo 1)"
  else
    lint_sources
    rc=$?
  fi
  # The committed API reports (plugins/*/report*.api.md) must match the
  # public API: a change to an exported type without `yarn build:api-reports`
  # fails here. The reports read the type declarations tsc writes to
  # dist-types, which the typecheck stage leaves behind.
  has_stage typecheck || yarn tsc:full >/dev/null
  yarn lint:api-reports
  rc3=$?
  [ $rc = 0 ] && rc=$rc3
  # The OpenAPI documents (src/schema/openapi.yaml): the generated routers
  # match them (`yarn build:openapi` rewrites them) and they pass Backstage's
  # OpenAPI lint.
  yarn lint:openapi
  rc4=$?
  [ $rc = 0 ] && rc=$rc4
  record lint "$([ $rc = 0 ] && echo 1 || echo 0)" "$([ $rc = 0 ] && echo 0 || echo 1)" $rc
fi

if has_stage unit; then
  stage "Unit tests of every package (jest)"
  # Debian's AWS CLI is the emulator's independent client.
  bash scripts/ensure-debian-packages.sh awscli:/usr/bin/aws || echo "The AWS CLI tests will fail: /usr/bin/aws is missing."
  rm -f "$results_dir/unit.json"
  CI=true yarn backstage-cli repo test --maxWorkers=2 --json --outputFile="$results_dir/unit.json"
  rc=$?
  read -r p f < <(node scripts/lib/count-results.js jest "$results_dir/unit.json")
  record unit "$p" "$f" $rc
fi

# The e2e, install and replicas stages overlap when all are asked for. The
# e2e tests mostly wait (on the engine, the emulator's updates, the pages'
# answers), so the fresh app's install and the two replicas run beside
# them. The packages are built and packed first: packing rewrites each
# package.json for a moment, which the e2e backends' watcher must not see.
# The two start once both e2e servers answer, when the app the replicas'
# bundle serves is built; their output follows the e2e stage's.
beside=""
if has_stage e2e && has_stage install; then beside=1; fi
replicas_beside=""
if [ -n "$beside" ] && has_stage replicas && [ -n "${EKS_FLEET_TEST_POSTGRES_URL:-}" ]; then
  replicas_beside=1
fi
install_log="$results_dir/install-stage.log"
replicas_log="$results_dir/replicas-stage.log"
e2e_done="$results_dir/e2e-stage.done"
beside_pid=""
pack_rc=0
# The typecheck stage has written the type declarations the packages' build reads.
if has_stage typecheck; then export EKS_FLEET_INSTALL_TYPES_BUILT=1; fi

if [ -n "$beside" ]; then
  stage "Build and pack the six packages (the install stage runs beside the e2e tests)"
  bash scripts/ensure-debian-packages.sh chromium:/usr/bin/chromium
  pack_rc=$?
  tarballs="$results_dir/install-tarballs"
  if [ $pack_rc = 0 ]; then
    rm -rf "$tarballs"
    EKS_FLEET_INSTALL_PACK_TO="$tarballs" yarn test:install
    pack_rc=$?
  fi
  if [ $pack_rc = 0 ]; then
    e2e_port="${EKS_FLEET_E2E_PORT:-7017}"
    rm -f "$e2e_done" "$install_log.rc" "$replicas_log.rc"
    (
      for port in "$e2e_port" "$((e2e_port + 1))"; do
        until node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
          "http://localhost:$port/.backstage/health/v1/readiness" || [ -f "$e2e_done" ]; do
          sleep 5
        done
      done
      replicas_pid=""
      if [ -n "$replicas_beside" ]; then
        ( EKS_FLEET_REPLICAS_DEPENDENCIES_BUILT=1 yarn test:replicas >"$replicas_log" 2>&1
          echo $? >"$replicas_log.rc" ) &
        replicas_pid=$!
      fi
      EKS_FLEET_INSTALL_REUSE_TARBALLS="$tarballs" yarn test:install >"$install_log" 2>&1
      echo $? >"$install_log.rc"
      if [ -n "$replicas_pid" ]; then wait "$replicas_pid"; fi
    ) &
    beside_pid=$!
  fi
fi

if has_stage e2e; then
  stage "End-to-end tests (Playwright on Debian's Chromium)"
  if [ -n "$beside_pid" ]; then
    echo "(the install stage, and the replicas stage with PostgreSQL, start beside it once its servers answer)"
  fi
  bash scripts/ensure-debian-packages.sh chromium:/usr/bin/chromium
  rc=$?
  if [ $rc = 0 ]; then
    rm -f "$results_dir/e2e.json"
    PLAYWRIGHT_JSON_OUTPUT_NAME="$results_dir/e2e.json" CI=true yarn playwright test
    rc=$?
  fi
  touch "$e2e_done"
  read -r p f < <(node scripts/lib/count-results.js playwright "$results_dir/e2e.json")
  record e2e "$p" "$f" $rc
fi

if has_stage install; then
  stage "Install into a fresh create-app Backstage, as the README says"
  if [ -n "$beside" ]; then
    rc=$pack_rc
    if [ -n "$beside_pid" ]; then
      echo "(it ran beside the e2e tests; its output follows)"
      wait "$beside_pid"
      cat "$install_log"
      rc="$(cat "$install_log.rc" 2>/dev/null || echo 1)"
    fi
  else
    bash scripts/ensure-debian-packages.sh chromium:/usr/bin/chromium
    rc=$?
    if [ $rc = 0 ]; then
      yarn test:install
      rc=$?
    fi
  fi
  record install "$([ "$rc" = 0 ] && echo 1 || echo 0)" "$([ "$rc" = 0 ] && echo 0 || echo 1)" "$rc"
fi

if has_stage replicas; then
  stage "Two backend replicas from the built bundle on one PostgreSQL"
  if [ -n "$replicas_beside" ] && [ -n "$beside_pid" ]; then
    echo "(it ran beside the e2e tests; its output follows)"
    wait "$beside_pid"
    cat "$replicas_log"
    rc="$(cat "$replicas_log.rc" 2>/dev/null || echo 1)"
    record replicas "$([ "$rc" = 0 ] && echo 1 || echo 0)" "$([ "$rc" = 0 ] && echo 0 || echo 1)" "$rc"
  elif [ -n "$replicas_beside" ]; then
    echo "Not run: the packages were not built and packed."
    record replicas 0 1 1
  elif [ -n "${EKS_FLEET_TEST_POSTGRES_URL:-}" ]; then
    yarn test:replicas
    rc=$?
    record replicas "$([ $rc = 0 ] && echo 1 || echo 0)" "$([ $rc = 0 ] && echo 0 || echo 1)" $rc
  else
    echo "Skipped: set EKS_FLEET_TEST_POSTGRES_URL to run the replicas on PostgreSQL."
  fi
fi

echo
echo "==== Summary ($((SECONDS - started))s) ===="
if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "Failed stages: ${failed_stages[*]}"
fi
echo "$total_passed passed, $total_failed failed"
[ ${#failed_stages[@]} -eq 0 ]
