#!/usr/bin/env bash
# What Quire's kernel-channel WebSocket adds to a `1+1` round trip, measured with a kernel that answers at once
# (echo-kernel.py), so that the kernel's own time and its run-to-run swings (several ms for ipykernel here) do not hide
# the server's share. The clients are ws-latency.py: raw pyzmq to the kernel; to Quire, websocket-client (TCP_NODELAY)
# and a minimal WebSocket client (wsraw) as light as the raw pyzmq one.
#
# Usage: core/benchmarks/scripts/ws-overhead.sh [round-trips] [rounds]   (defaults 2000 and 3; WARMUP=500 by default)
# Needs a built tree (./mvnw -q package -DskipTests), python3-zmq, python3-jupyter-client, python3-websocket.
# Prints, per round, p50/p90/p99 of the kernel alone (raw pyzmq straight to the echo kernel, a client as light as the
# WebSocket one) and through Quire.
set -euo pipefail
# Comparable runs: the server on its class-data-sharing archive, not the ahead-of-time cache whose first runs
# record and then build it in the background (decision 0036).
export QUIRE_AOT="${QUIRE_AOT:-off}"
cd "$(dirname "$0")/../../.."
n=${1:-2000}; rounds=${2:-3}
export WARMUP=${WARMUP:-500}
work=$(mktemp -d)
quire_pid=""
cleanup() { [ -n "$quire_pid" ] && kill "$quire_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/jupyter/kernels/echo" "$work/root"
# PIN=1: the server on CPU 0, the kernel and the client on CPU 1 (in both measurements), as when a kernel runs in a
# container of its own and the client on another machine: the server's work then does not steal the kernel's CPU.
server_prefix=(); client_prefix=(); kernel_prefix=""
if [ "${PIN:-0}" = 1 ]; then
    server_prefix=(taskset -c 0); client_prefix=(taskset -c 1); kernel_prefix='"taskset", "-c", "1", '
fi
cat > "$work/jupyter/kernels/echo/kernel.json" <<JSON
{"argv": [$kernel_prefix"/usr/bin/python3", "$PWD/core/benchmarks/scripts/echo-kernel.py", "{connection_file}"],
 "display_name": "Echo (benchmark)", "language": "python"}
JSON
export JUPYTER_PATH=$work/jupyter
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
QUIRE_ACCESS_LOG_LEVEL=OFF QUIRE_TOKEN="$token" "${server_prefix[@]}" launcher/target/quire/bin/quire server --port 18897 --root "$work/root" \
    > "$work/quire.log" 2>&1 &
quire_pid=$!
for _ in $(seq 1 100); do curl -sf -H "Authorization: token $token" http://127.0.0.1:18897/api >/dev/null && break; sleep 0.2; done
for round in $(seq 1 "$rounds"); do
    echo "== round $round (n=$n after $WARMUP warm-up round trips)"
    "${client_prefix[@]}" /usr/bin/python3 core/benchmarks/scripts/ws-latency.py zmq "$n" echo 2>/dev/null
    "${client_prefix[@]}" /usr/bin/python3 core/benchmarks/scripts/ws-latency.py ws http://127.0.0.1:18897/ "$token" "$n" echo
    "${client_prefix[@]}" /usr/bin/python3 core/benchmarks/scripts/ws-latency.py wsraw http://127.0.0.1:18897/ "$token" "$n" echo
done
