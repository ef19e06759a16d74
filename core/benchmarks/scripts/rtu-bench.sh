#!/usr/bin/env bash
# The real-time channel's numbers (issue 7): starts a Quire server on 127.0.0.1 (single-user, -Xmx1g), then with
# io.quire.benchmarks.RtuBench (the SDK):
#   1. latency:    CLIENTS sessions on one notebook, each typing RATE deltas/s for SECONDS: ack and fan-out p50/p99;
#   2. throughput: K sessions in a closed loop for SECONDS: deltas/s one file absorbs;
#   3. idle:       IDLE subscribed sessions held open: server heap used after a full GC (jcmd), before and with them,
#                  divided by IDLE = bytes per idle subscribed connection.
# Needs a built tree (./mvnw -q package -DskipTests): launcher/target/quire and core/benchmarks/target/quire-benchmarks.jar
# (QUIRE=/path/to/bin/quire and BENCH_JAR=... override them). Raises the open-files limit for IDLE connections.
# The load generator applies every delta in every session (as real clients do), so with many sessions it needs CPU
# of its own: SERVER_CPUS / BENCH_CPUS (taskset lists, e.g. 0-3 and 4-7) pin the two processes apart.
# Usage: core/benchmarks/scripts/rtu-bench.sh [CLIENTS=100] [RATE=5] [SECONDS=30] [K=16] [IDLE=10000]
set -euo pipefail
# Comparable runs: the server on its class-data-sharing archive, not the ahead-of-time cache whose first runs
# record and then build it in the background (decision 0036).
export QUIRE_AOT="${QUIRE_AOT:-off}"
cd "$(dirname "$0")/../../.."
clients=${1:-100}; rate=${2:-5}; seconds=${3:-30}; writers=${4:-16}; idle=${5:-10000}
quire=${QUIRE:-launcher/target/quire/bin/quire}
jar=${BENCH_JAR:-core/benchmarks/target/quire-benchmarks.jar}
jdk=$(ls -d /usr/lib/jvm/*25*/bin 2>/dev/null | head -n 1); jdk=${jdk:-$(dirname "$(command -v java)")}
port=${PORT:-18897}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
echo "open files limit: $(ulimit -n)"
work=$(mktemp -d)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/root"
cells=$(( clients > writers ? clients : writers ))
/usr/bin/python3 - "$work/root" "$cells" <<'PY'
import json, sys
root, n = sys.argv[1], int(sys.argv[2])
cells = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
          "source": f"# cell {i}\n"} for i in range(n)]
nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
for name in ("latency", "light", "throughput", "idle"):
    json.dump(nb, open(f"{root}/{name}.ipynb", "w"))
PY
file_id() { printf 'f_%s' "$(printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '=')"; }

token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
pin_server=(); [ -n "${SERVER_CPUS:-}" ] && pin_server=(taskset -c "$SERVER_CPUS")
pin_bench=(); [ -n "${BENCH_CPUS:-}" ] && pin_bench=(taskset -c "$BENCH_CPUS")
QUIRE_TOKEN="$token" QUIRE_JAVA_OPTS="${QUIRE_JAVA_OPTS:--Xmx1g}" "${pin_server[@]}" "$quire" server --port "$port" \
    --root "$work/root" > "$work/quire.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do curl -sf -H "Authorization: token $token" "http://127.0.0.1:$port/api" >/dev/null && break; sleep 0.2; done
curl -sf -H "Authorization: token $token" "http://127.0.0.1:$port/api" >/dev/null || { cat "$work/quire.log"; exit 1; }
# the java process (bin/quire execs it)
jpid=$(pgrep -P "$server_pid" java || echo "$server_pid")
bench_mode() { local mode=$1; shift; "${pin_bench[@]}" "$jdk/java" -Xss512k ${BENCH_JAVA_OPTS:-} -cp "$jar" io.quire.benchmarks.RtuBench "$mode" \
    "http://127.0.0.1:$port" "$token" "$@"; }
heap_used_kib() {
    "$jdk/jcmd" "$jpid" GC.run >/dev/null
    "$jdk/jcmd" "$jpid" GC.heap_info | grep -oE 'used [0-9]+K' | head -n 1 | grep -oE '[0-9]+'
}

echo "== latency: $clients clients x $rate deltas/s for $seconds s"
bench_mode latency "$(file_id latency.ipynb)" "$clients" "$rate" "$seconds"
echo "== latency, light clients (no documents in the load generator): $clients clients x $rate deltas/s for $seconds s"
bench_mode latency-light "$(file_id light.ipynb)" "$clients" "$rate" "$seconds"
echo "== throughput: $writers clients, closed loop, $seconds s"
bench_mode throughput "$(file_id throughput.ipynb)" "$writers" "$seconds"
echo "== idle: $idle subscribed connections"
before=$(heap_used_kib)
hold=$(( 60 + idle / 100 ))
: > "$work/idle.log"
"${pin_bench[@]}" "$jdk/java" -Xss512k -Xmx2g -cp "$jar" io.quire.benchmarks.RtuBench idle "http://127.0.0.1:$port" "$token" \
    "$(file_id idle.ipynb)" "$idle" "$hold" > "$work/idle.log" 2>&1 &
idle_pid=$!
for _ in $(seq 1 $(( hold * 5 ))); do grep -q '^READY' "$work/idle.log" && break; sleep 0.2; done
grep -q '^READY' "$work/idle.log" || { cat "$work/idle.log"; kill "$idle_pid"; exit 1; }
sleep 2
with=$(heap_used_kib)
echo "server heap used after GC: ${before} KiB before, ${with} KiB with $idle idle subscribers"
echo "per idle subscribed connection: $(( (with - before) * 1024 / idle )) bytes"
curl -sf -H "Authorization: token $token" "http://127.0.0.1:$port/metrics" | grep -E '^jvm_memory_used_bytes\{.*heap' | head -n 3 || true
kill "$idle_pid" 2>/dev/null || true
wait "$idle_pid" 2>/dev/null || true
