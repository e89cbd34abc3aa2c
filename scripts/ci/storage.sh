#!/usr/bin/env bash
# The storage suite (vitest.storage.config.ts): export files written to object-store emulators that the
# tests start on free loopback ports and kill afterwards, read back with the cloud SDKs. Installs what the
# tests need, pinned, then runs them; an emulator that cannot be installed fails this script (never a skip):
#   - moto's S3 server, from PyPI, in its own venv (.venv-storage; the schemathesis venv is .venv);
#   - fake-gcs-server, built from the Go module proxy into .cache/storage/bin;
#   - Azurite, an npm devDependency (node_modules/.bin/azurite-blob).
set -euo pipefail
cd "$(dirname "$0")/../.."

MOTO_VERSION=5.2.5
FAKE_GCS_VERSION=v1.56.1
VENV=.venv-storage
GOBIN_DIR=$PWD/.cache/storage/bin

[ -d node_modules ] || npm ci --no-audit --no-fund
[ -f dist/cli.js ] || npm run build >/dev/null

if [ ! -x "$VENV/bin/moto_server" ] || [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null)" != "$MOTO_VERSION" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi

FAKE_GCS=$GOBIN_DIR/fake-gcs-server
if [ ! -x "$FAKE_GCS" ] || [ "$(cat "$GOBIN_DIR/.version" 2>/dev/null)" != "$FAKE_GCS_VERSION" ]; then
  command -v go >/dev/null || { echo "storage.sh: Go is needed to build fake-gcs-server $FAKE_GCS_VERSION"; exit 1; }
  mkdir -p "$GOBIN_DIR"
  GOBIN=$GOBIN_DIR go install "github.com/fsouza/fake-gcs-server@$FAKE_GCS_VERSION"
  echo "$FAKE_GCS_VERSION" > "$GOBIN_DIR/.version"
fi

[ -x node_modules/.bin/azurite-blob ] || { echo "storage.sh: node_modules/.bin/azurite-blob is missing (npm ci installs the azurite devDependency)"; exit 1; }

echo "storage.sh: moto $MOTO_VERSION, fake-gcs-server $FAKE_GCS_VERSION, azurite $(node -p 'require("./node_modules/azurite/package.json").version')"
MOTO_SERVER=$PWD/$VENV/bin/moto_server FAKE_GCS_SERVER=$FAKE_GCS node node_modules/vitest/vitest.mjs run -c vitest.storage.config.ts "$@"
