#!/usr/bin/env bash
# Installs the JavaScript test clients (Claude Code CLI, official SDKs, playwright-core) from the
# npm registry into tests/js/node_modules, exactly as pinned by tests/js/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../tests/js"
stamp=node_modules/.ccc-installed
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then exit 0; fi
npm ci --no-audit --no-fund --loglevel=error
touch "$stamp"
