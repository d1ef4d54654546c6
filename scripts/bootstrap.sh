#!/usr/bin/env bash
# Sets up everything the repo needs on a machine that has only Node.js (>= 18)
# and npm: Node 22 and Yarn 4 from the npm registry into .toolchain/ (git-ignored),
# then the workspace dependencies, with native modules built from source
# against Node 22's own headers.
#
# Source it to get the toolchain on PATH in the current shell:
#   source scripts/bootstrap.sh
# or run it to just install:
#   bash scripts/bootstrap.sh
#
# Idempotent: a run that finds the toolchain and an up-to-date install takes
# a second or two.

# Pinned so that every machine builds with the same toolchain.
EKS_FLEET_NODE_VERSION="22.23.3"
EKS_FLEET_YARN_VERSION="4.18.1"

_eks_fleet_bootstrap() {
  set -euo pipefail
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  local toolchain="$root/.toolchain"

  local platform arch
  case "$(uname -s)" in
    Linux) platform=linux ;;
    Darwin) platform=darwin ;;
    *) echo "bootstrap: unsupported OS $(uname -s)" >&2; return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "bootstrap: unsupported CPU $(uname -m)" >&2; return 1 ;;
  esac

  # The npm package node@22 is a thin wrapper whose install script fetches
  # node-<platform>-<arch>; we install that binary package directly, which
  # needs no install script and also carries the C headers node-gyp needs.
  local node_pkg="node-$platform-$arch"
  local node_dir="$toolchain/node_modules/$node_pkg"
  local yarn_js="$toolchain/node_modules/@yarnpkg/cli-dist/bin/yarn.js"

  local have_node="" have_yarn=""
  [ -x "$node_dir/bin/node" ] && have_node="$("$node_dir/bin/node" --version 2>/dev/null || true)"
  [ -f "$yarn_js" ] && have_yarn="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$toolchain/node_modules/@yarnpkg/cli-dist/package.json" | head -n1)"

  if [ "$have_node" != "v$EKS_FLEET_NODE_VERSION" ] || [ "$have_yarn" != "$EKS_FLEET_YARN_VERSION" ]; then
    command -v npm >/dev/null || { echo "bootstrap: npm is required (it comes with Node.js)" >&2; return 1; }
    echo "bootstrap: installing Node $EKS_FLEET_NODE_VERSION and Yarn $EKS_FLEET_YARN_VERSION into .toolchain/ (from the npm registry)"
    mkdir -p "$toolchain"
    # A package.json of its own keeps npm from walking up into the workspace.
    printf '{"name":"eks-fleet-toolchain","private":true}\n' >"$toolchain/package.json"
    (cd "$toolchain" && npm install --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "$node_pkg@$EKS_FLEET_NODE_VERSION" "@yarnpkg/cli-dist@$EKS_FLEET_YARN_VERSION")
  fi

  mkdir -p "$toolchain/bin"
  ln -sf "$node_dir/bin/node" "$toolchain/bin/node"
  # Our own yarn launcher: no corepack, no yarn release file in the repo.
  printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$node_dir/bin/node" "$yarn_js" >"$toolchain/bin/yarn"
  chmod +x "$toolchain/bin/yarn"

  export PATH="$toolchain/bin:$root/node_modules/.bin:$PATH"
  # Native modules (better-sqlite3, isolated-vm) compile against Node 22's headers,
  # never against whatever Node the machine has; no prebuilt binary is downloaded.
  export npm_config_nodedir="$node_dir"
  export npm_config_build_from_source=true
  export YARN_ENABLE_TELEMETRY=0
  export YARN_ENABLE_PROGRESS_BARS=0
  export COREPACK_ENABLE_STRICT=0
  export SCARF_ANALYTICS=false

  # Install the workspace when anything that decides the install has changed.
  local stamp="$root/node_modules/.eks-fleet-install-stamp"
  _eks_fleet_install_hash() {
    (cd "$root" && { echo "$EKS_FLEET_NODE_VERSION $EKS_FLEET_YARN_VERSION"; cat yarn.lock .yarnrc.yml package.json packages/*/package.json plugins/*/package.json 2>/dev/null; } | cksum | cut -d' ' -f1)
  }
  if [ -d "$root/node_modules" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(_eks_fleet_install_hash)" ]; then
    return 0
  fi
  echo "bootstrap: installing workspace dependencies (yarn install)"
  local immutable=()
  # CI must never rewrite the lockfile it was given.
  if [ "${CI:-}" = "true" ]; then immutable=(--immutable); fi
  (cd "$root" && yarn install "${immutable[@]}")
  # Hashed after the install, which may have written yarn.lock.
  _eks_fleet_install_hash >"$stamp"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  _eks_fleet_bootstrap
else
  # Sourced: keep the caller's shell options.
  _eks_fleet_saved_opts="$(set +o)"
  _eks_fleet_bootstrap
  _eks_fleet_rc=$?
  eval "$_eks_fleet_saved_opts"
  unset _eks_fleet_saved_opts
  return $_eks_fleet_rc
fi
