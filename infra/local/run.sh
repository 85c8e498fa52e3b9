#!/usr/bin/env bash
# The local stack, offline: a BIG-register stand-in with demo persons, both functions in local
# mode against it, dev keys generated on first run into .local/keys (ignored by git), then the
# demo that plays the IRMA server's part. `--demo-only` stops everything after the demo.
set -euo pipefail
cd "$(dirname "$0")/../.."

STATE=.local
BIN=target/debug
REGISTER_PORT=${REGISTER_PORT:-8090}
ISSUANCE_PORT=${ISSUANCE_PORT:-8081}
CALLBACK_PORT=${CALLBACK_PORT:-8082}
mkdir -p "$STATE"

echo "building (first run: a few minutes)..."
cargo build --quiet --workspace --bins --locked
"$BIN/devkeys" "$STATE/keys"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

"$BIN/big-register-standin" --port "$REGISTER_PORT" > "$STATE/register.out" 2> "$STATE/register.log" &
pids+=($!)

common=(
  IRMA_SERVER_URL="${IRMA_SERVER_URL:-http://127.0.0.1:8088}"
  IRMA_SERVER_PUBLIC_KEY_FILE="$STATE/keys/irma-server.pub.pem"
  BIG_REGISTER_URL="http://127.0.0.1:$REGISTER_PORT"
)
env "${common[@]}" PORT="$CALLBACK_PORT" "$BIN/disclosure-callback" 2> "$STATE/disclosure-callback.log" &
pids+=($!)
env "${common[@]}" PORT="$ISSUANCE_PORT" SIGNING_KEY_FILE="$STATE/keys/requestor.pem" \
  DISCLOSURE_CALLBACK_URL="http://127.0.0.1:$CALLBACK_PORT/" \
  ALLOWED_ORIGINS="http://127.0.0.1:8080,http://localhost:8080" \
  "$BIN/issuance-request" 2> "$STATE/issuance-request.log" &
pids+=($!)

healthy() { # port: GET /health answers 200 (bash's /dev/tcp, so curl is not needed)
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  local status; read -r -t 2 status <&3 || true; exec 3<&-
  [[ "$status" == "HTTP/1.1 200"* ]]
}
wait_for() { # port
  for _ in $(seq 1 400); do healthy "$1" && return 0; sleep 0.05; done
  echo "did not start on port $1 (logs in $STATE/)" >&2
  exit 1
}
for _ in $(seq 1 200); do grep -q listening "$STATE/register.out" 2>/dev/null && break; sleep 0.05; done
wait_for "$ISSUANCE_PORT"
wait_for "$CALLBACK_PORT"

echo
ISSUANCE_REQUEST_URL="http://127.0.0.1:$ISSUANCE_PORT" \
DISCLOSURE_CALLBACK_URL="http://127.0.0.1:$CALLBACK_PORT/" \
IRMA_SERVER_PRIVATE_KEY_FILE="$STATE/keys/irma-server.pem" \
IRMA_SERVER_PUBLIC_KEY_FILE="$STATE/keys/irma-server.pub.pem" \
  "$BIN/big-issuer-demo" || demo_failed=1

[ "${1:-}" = "--demo-only" ] && exit "${demo_failed:-0}"

cat <<EOF

Running on 127.0.0.1 (Ctrl-C stops everything; logs in $STATE/*.log):
  issuance-request     http://127.0.0.1:$ISSUANCE_PORT   (GET /disclosure-request, POST /issuance-request, GET /health)
  disclosure-callback  http://127.0.0.1:$CALLBACK_PORT   (POST /, GET /health)
  BIG-register stand-in http://127.0.0.1:$REGISTER_PORT  (SOAP ListHcpApprox4, demo persons)

Try:
  curl -s http://127.0.0.1:$ISSUANCE_PORT/disclosure-request
  make demo      # the table above again
EOF
wait
