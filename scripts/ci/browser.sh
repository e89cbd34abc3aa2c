#!/usr/bin/env bash
# The browser suite: installs Debian's Chromium when it is missing (apt, as root), then runs
# `npm run test:browser` (Playwright's playwright-core drives it headless; no browser download).
set -euo pipefail
cd "$(dirname "$0")/../.."
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "browser.sh: $CHROMIUM missing, installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
"$CHROMIUM" --version 2>/dev/null | head -1 || true
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run test:browser
