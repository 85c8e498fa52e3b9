#!/usr/bin/env bash
# The local stack, offline: a BIG-register stand-in with demo persons, both functions in local
# mode against it, dev keys generated on first run into .local/keys (ignored by git), then the
# demo that plays the IRMA server's part. `--demo-only` stops everything after the demo.
# Without --demo-only, and with Node.js and a built page (`make web`), it also serves the page
# (web/dist) on :8080 and, unless IRMA_SERVER_URL names a real IRMA server, starts the IRMA-server
# stand-in of testing/web on :8088, through which you play the Yivi app's part with curl.
set -euo pipefail
cd "$(dirname "$0")/../.."

STATE=.local
BIN=target/debug
REGISTER_PORT=${REGISTER_PORT:-8090}
ISSUANCE_PORT=${ISSUANCE_PORT:-8081}
CALLBACK_PORT=${CALLBACK_PORT:-8082}
WEB_PORT=${WEB_PORT:-8080}
IRMA_PORT=${IRMA_PORT:-8088}
mkdir -p "$STATE"

echo "building (first run: a few minutes)..."
cargo build --quiet --workspace --bins --locked
"$BIN/devkeys" "$STATE/keys"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

"$BIN/big-register-standin" --port "$REGISTER_PORT" > "$STATE/register.out" 2> "$STATE/register.log" &
pids+=($!)

# The page and the IRMA-server stand-in need Node.js and `make web` (which `make run` does).
web=0
[ "${1:-}" != "--demo-only" ] && command -v node >/dev/null && [ -f web/dist/index.html ] && web=1
irma_standin=0
if [ "$web" = 1 ] && [ -z "${IRMA_SERVER_URL:-}" ]; then
  node testing/web/irma-standin.mjs --port "$IRMA_PORT" --private-key "$STATE/keys/irma-server.pem" \
    --requestor-public-key "$STATE/keys/requestor.pub.pem" > "$STATE/irma-standin.log" 2>&1 &
  pids+=($!)
  irma_standin=1
fi

common=(
  IRMA_SERVER_URL="${IRMA_SERVER_URL:-http://127.0.0.1:$IRMA_PORT}"
  IRMA_SERVER_PUBLIC_KEY_FILE="$STATE/keys/irma-server.pub.pem"
  BIG_REGISTER_URL="http://127.0.0.1:$REGISTER_PORT"
)
env "${common[@]}" PORT="$CALLBACK_PORT" "$BIN/disclosure-callback" 2> "$STATE/disclosure-callback.log" &
pids+=($!)
env "${common[@]}" PORT="$ISSUANCE_PORT" SIGNING_KEY_FILE="$STATE/keys/requestor.pem" \
  DISCLOSURE_CALLBACK_URL="http://127.0.0.1:$CALLBACK_PORT/" \
  ALLOWED_ORIGINS="http://127.0.0.1:$WEB_PORT,http://localhost:$WEB_PORT" \
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

if [ "$web" = 1 ]; then
  node web/serve.mjs --port "$WEB_PORT" --issuance-request-url "http://127.0.0.1:$ISSUANCE_PORT" \
    > "$STATE/web.log" 2>&1 &
  pids+=($!)
fi

cat <<EOF

Running on 127.0.0.1 (Ctrl-C stops everything; logs in $STATE/*.log):
  issuance-request     http://127.0.0.1:$ISSUANCE_PORT   (GET /disclosure-request, POST /issuance-request, GET /health)
  disclosure-callback  http://127.0.0.1:$CALLBACK_PORT   (POST /, GET /health)
  BIG-register stand-in http://127.0.0.1:$REGISTER_PORT  (SOAP ListHcpApprox4, demo persons)
EOF
if [ "$web" = 1 ]; then
  cat <<EOF
  web page             http://127.0.0.1:$WEB_PORT/   (?lang=en for English)
EOF
fi
if [ "$irma_standin" = 1 ]; then
  cat <<EOF
  IRMA-server stand-in http://127.0.0.1:$IRMA_PORT   play the app once the QR code shows:
    curl -X POST http://127.0.0.1:$IRMA_PORT/_app/disclose -d '{"initials":"A.M.","familyname":"den Hollander","dateofbirth":"20-02-1970","gender":"female"}'
    curl -X POST http://127.0.0.1:$IRMA_PORT/_app/issue     (flow B's second scan)
EOF
fi
cat <<EOF

Try:
  curl -s http://127.0.0.1:$ISSUANCE_PORT/disclosure-request
  make demo      # the table above again
EOF
wait
