#!/usr/bin/env bash
# `npm run test:interop`: the official Atlas Go SDK against the mock (test/interop/go, docs/clients.md).
# Builds the mock when dist/ is missing or older than src/, checks that Go is there, runs `go test -v` (each
# test starts its own mock from dist/cli.js; MOCK_URL points them at a running one instead) and ends with
# one summary line `go: N passed, N failed[, N skipped]` counting the top-level tests.
# `--replicas`: once more through a shared mock (docs/shared-service.md): a redis-server on a free loopback
# port, two replicas on it and a round-robin proxy (scripts/rr-proxy.mjs) in front, MOCK_URL at the proxy,
# so every request of the SDK (Digest challenge and answer, create and polls) alternates between replicas.
set -uo pipefail
replicas=false
[ "${1:-}" = "--replicas" ] && replicas=true
root=$(cd "$(dirname "$0")/.." && pwd)
suite="$root/test/interop/go"
cd "$root"

need_go=$(awk '$1=="go"{print $2; exit}' "$suite/go.mod")
if ! command -v go >/dev/null 2>&1; then
  [ -x /usr/local/go/bin/go ] && export PATH="$PATH:/usr/local/go/bin"
fi
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<EOF
interop: Go is not installed, so the Go SDK suite cannot run.
  It needs Go $need_go or newer (test/interop/go/go.mod; the Atlas Go SDK requires it) on the PATH:
  https://go.dev/doc/install, or your package manager if it has $need_go+. Modules come from the Go module
  proxy on the first run (go.sum pins them). The rest of the project does not need Go: \`npm test\` runs without it.
EOF
  echo "go: 0 passed, 1 failed"
  exit 2
fi
echo "interop: $(go version) (go.mod asks for $need_go)"

if [ ! -f dist/cli.js ] || [ -n "$(find src -newer dist/cli.js -print -quit)" ]; then
  echo "interop: building the mock (npm run build)"
  npm run --silent build || { echo "interop: the build failed" >&2; echo "go: 0 passed, 1 failed"; exit 1; }
fi

log=$(mktemp)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -f "$log"; [ -n "${rdir:-}" ] && rm -rf "$rdir"; }
trap cleanup EXIT
if $replicas; then
  command -v redis-server >/dev/null || { echo "interop: --replicas needs redis-server (apt-get install redis-server)" >&2; echo "go: 0 passed, 1 failed"; exit 2; }
  free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
  rport=$(free_port); rdir=$(mktemp -d)
  redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$rdir" >"$rdir/redis.log" 2>&1 & pids+=($!)
  for _ in $(seq 50); do (echo PING >/dev/tcp/127.0.0.1/"$rport") 2>/dev/null && break; sleep 0.1; done
  urls=()
  for n in 1 2; do
    out="$rdir/replica$n.log"
    node dist/cli.js --port 0 --host 127.0.0.1 --clock manual --log-level warn --store "redis://127.0.0.1:$rport/0" --store-prefix interop >"$out" 2>&1 & pids+=($!)
    for _ in $(seq 100); do grep -q 'listening on' "$out" && break; sleep 0.1; done
    urls+=("$(grep -o 'listening on http://[^ ]*' "$out" | head -1 | cut -d' ' -f3)")
  done
  node scripts/rr-proxy.mjs "${urls[@]}" >"$rdir/proxy.log" 2>&1 & pids+=($!)
  for _ in $(seq 50); do grep -q 'listening on' "$rdir/proxy.log" && break; sleep 0.1; done
  export MOCK_URL=$(grep -o 'http://[^ ]*' "$rdir/proxy.log" | head -1)
  echo "interop: through a round-robin proxy ($MOCK_URL) over two replicas (${urls[*]}) on redis-server :$rport"
fi
start=$(date +%s)
(cd "$suite" && go test -count=1 -v ./...) 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
secs=$(( $(date +%s) - start ))

passed=$(grep -cE '^--- PASS: ' "$log")
failed=$(grep -cE '^--- FAIL: ' "$log")
skipped=$(grep -cE '^--- SKIP: ' "$log")
# A build or set-up failure fails without any test line: count it as one failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "interop: go test took ${secs} s"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "interop: go test ran no test" >&2; status=1; fi
echo "go: $passed passed, $failed failed$([ "$skipped" -gt 0 ] && echo ", $skipped skipped")"
exit "$status"
