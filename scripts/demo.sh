#!/usr/bin/env bash
# Sets up and runs the demo: the backend on http://localhost:7007 (in-memory
# SQLite, guest sign-in) and the app on http://localhost:3000.
# Stop it with Ctrl-C.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/bootstrap.sh

echo "demo: starting the backend on http://localhost:7007 and the app on http://localhost:3000"
exec yarn start
