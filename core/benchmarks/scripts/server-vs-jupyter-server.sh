#!/usr/bin/env bash
# Measures Quire's server and Jupyter Server side by side, same machine, same run, same client (ServerBench):
# GET/PUT of a 1 MB notebook at concurrency 16, the 1+1 execute round trip over the kernel WebSocket, kernel start.
# GET/PUT are measured with wrk (a C load generator, Debian package 'wrk') when it is installed, else by ServerBench.
# Needs: python3-jupyter-server, python3-ipykernel, a built tree (./mvnw -q package -DskipTests).
# Usage: core/benchmarks/scripts/server-vs-jupyter-server.sh [SECONDS] [CONCURRENCY] [EXECUTES] [STARTS]
# WARMUP (seconds, default 20): before the measured GET and PUT, each server gets this long of unmeasured GETs, then
# of PUTs, with the same client (a server is measured warm: the JVM compiles its hot paths in its first ~20 s of
# load; Jupyter Server gets the same warm-up). WARMUP=0 measures from a cold start.
# KERNEL_CPUS and SERVER_CPUS (e.g. KERNEL_CPUS=1 SERVER_CPUS=0): the kernel on cores of its own, as a kernel has in
# its own container or pod. Every kernel (Jupyter Server's, Quire's, and the one the Python client drives directly
# as "the kernel alone") is then started from a 'python3' kernel spec in a temporary JUPYTER_PATH that runs ipykernel
# under 'taskset -c KERNEL_CPUS'. GET and PUT still use every core; for the kernel measurements both servers are
# started again under 'taskset -c SERVER_CPUS' (from the start, so that the JVM sizes its thread pools and picks its
# collector for the cores it has), and the clients run there too. Unset: everything shares every core.
# PAIRED (default 1000): round trips of each kind in the paired 1+1 measurement, after PAIRED_WARMUP (default 1000)
# unmeasured ones of each kind (GET and PUT do not warm the WebSocket relay up: its code is still being compiled
# during the first few hundred round trips). CHUNK (e.g. 2000): the paired measurement also prints what the server
# adds in each run of CHUNK consecutive pairs. The relay's methods run a few times per round trip, so the JIT reaches
# them late: a fresh server's first ~2,000 round trips are slower (docs/benchmarks.md).
# PAUSE_DAMON=1 (root): pauses the machine's DAMON memory monitors (kdamond) for the run and restarts them at the end,
# also when the run fails. On the VMs this was measured on, kdamond takes milliseconds of a core every 0.5 s, which
# lifts the 1+1 p99 through any relaying server (decision 0043). Unset: the machine is left as it is.
set -euo pipefail
# Comparable runs: the server on its class-data-sharing archive, not the ahead-of-time cache whose first runs
# record and then build it in the background (decision 0036).
export QUIRE_AOT="${QUIRE_AOT:-off}"
cd "$(dirname "$0")/../../.."
seconds=${1:-15}; concurrency=${2:-16}; executes=${3:-300}; starts=${4:-5}
work=$(mktemp -d)
jupyter_pid=""; quire_pid=""
paused=()
cleanup() {
    [ -n "$jupyter_pid" ] && kill "$jupyter_pid" 2>/dev/null || true
    [ -n "$quire_pid" ] && kill "$quire_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    for state in "${paused[@]}"; do
        echo on > "$state" && echo "DAMON monitor restarted: $state"
    done
    rm -rf "$work"
}
trap cleanup EXIT

if [ "${PAUSE_DAMON:-}" = 1 ]; then
    for state in /sys/kernel/mm/damon/admin/kdamonds/*/state; do
        [ -f "$state" ] && [ "$(cat "$state")" = on ] || continue
        echo off > "$state" || { echo "PAUSE_DAMON=1: cannot write $state (root is needed)" >&2; exit 2; }
        paused+=("$state")
        echo "DAMON monitor paused for this run: $state"
    done
fi

mkdir -p "$work/jupyter" "$work/quire"
pin=()
if [ -n "${KERNEL_CPUS:-}" ]; then
    : "${SERVER_CPUS:?SERVER_CPUS must name the cores the servers and clients use, e.g. 0}"
    command -v wrk >/dev/null || { echo "KERNEL_CPUS needs wrk (Debian package 'wrk') for GET and PUT" >&2; exit 2; }
    mkdir -p "$work/jupyter-path/kernels/python3"
    cat > "$work/jupyter-path/kernels/python3/kernel.json" <<JSON
{"argv": ["taskset", "-c", "$KERNEL_CPUS", "/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
 "display_name": "Python 3 (cores $KERNEL_CPUS)", "language": "python", "metadata": {"debugger": true}}
JSON
    export JUPYTER_PATH="$work/jupyter-path"
    pin=(taskset -c "$SERVER_CPUS")
    echo "kernels on cores $KERNEL_CPUS; servers (for the kernel measurements) and clients on cores $SERVER_CPUS"
fi
/usr/bin/python3 - "$work/jupyter/big.ipynb" <<'PY'
import base64, json, random, sys
random.seed(1)
cells = []
for i in range(40):
    image = base64.b64encode(random.randbytes(18000)).decode()
    cells.append({"cell_type": "code", "execution_count": i, "id": f"c{i}", "metadata": {},
                  "outputs": [{"output_type": "display_data", "metadata": {},
                               "data": {"image/png": image, "text/plain": ["<Figure>"]}}],
                  "source": [f"plot({i})\n"]})
nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
      "nbformat": 4, "nbformat_minor": 5}
json.dump(nb, open(sys.argv[1], "w"), indent=1)
PY
cp "$work/jupyter/big.ipynb" "$work/quire/big.ipynb"
ls -l "$work/quire/big.ipynb" | awk '{print "notebook file: " $5 " bytes"}'

token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
start_servers() { # [command prefix...]: starts both servers, each on its copy of the notebook, and waits for them
    (cd "$work/jupyter" && exec "$@" /usr/bin/python3 -m jupyter_server --allow-root --no-browser --port=18899 \
        --ServerApp.ip=127.0.0.1 --ServerApp.token="$token" --ServerApp.root_dir="$work/jupyter" \
        >> "$work/jupyter.log" 2>&1) & jupyter_pid=$!
    QUIRE_TOKEN="$token" "$@" launcher/target/quire/bin/quire server --port 18898 --root "$work/quire" \
        >> "$work/quire.log" 2>&1 &
    quire_pid=$!
    for url in http://127.0.0.1:18899/api http://127.0.0.1:18898/api; do
        for _ in $(seq 1 100); do curl -sf -H "Authorization: token $token" "$url" >/dev/null && break; sleep 0.2; done
    done
}
stop_servers() {
    kill "$jupyter_pid" "$quire_pid" 2>/dev/null || true
    wait "$jupyter_pid" "$quire_pid" 2>/dev/null || true
    jupyter_pid=""; quire_pid=""
}
start_servers

java=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -n 1); java=${java:-java}
bench="$java -cp core/benchmarks/target/quire-benchmarks.jar io.quire.benchmarks.ServerBench"
/usr/bin/python3 - "$work/quire/big.ipynb" "$work/put.json" <<'PY'
import json, sys
json.dump({"type": "notebook", "format": "json", "content": json.load(open(sys.argv[1]))}, open(sys.argv[2], "w"))
PY
warmup=${WARMUP:-20}
http_load() { # name base-url
    if command -v wrk >/dev/null; then
        if [ "$warmup" -gt 0 ]; then
            echo "warm-up: ${warmup}s of GET, ${warmup}s of PUT (not measured)"
            wrk -t2 -c"$concurrency" -d"${warmup}s" -H "Authorization: token $token" "$2api/contents/big.ipynb" \
                >/dev/null
            BODY="$work/put.json" wrk -t2 -c"$concurrency" -d"${warmup}s" -s core/benchmarks/scripts/put-body.lua \
                -H "Authorization: token $token" "$2api/contents/big.ipynb" >/dev/null
        fi
        echo "GET x$concurrency (wrk):"
        wrk -t2 -c"$concurrency" -d"${seconds}s" --latency -H "Authorization: token $token" "$2api/contents/big.ipynb" \
            | grep -E 'Requests/sec|Transfer/sec|50%|99%|Non-2xx|Socket errors'
        echo "PUT x$concurrency (wrk):"
        BODY="$work/put.json" wrk -t2 -c"$concurrency" -d"${seconds}s" --latency -s core/benchmarks/scripts/put-body.lua \
            -H "Authorization: token $token" "$2api/contents/big.ipynb" \
            | grep -E 'Requests/sec|Transfer/sec|50%|99%|Non-2xx|Socket errors'
        bench_seconds=0
    else
        bench_seconds=$seconds
    fi
}
echo "== Jupyter Server $(/usr/bin/python3 -c 'import jupyter_server; print(jupyter_server.__version__)')"
http_load jupyter http://127.0.0.1:18899/
if [ ${#pin[@]} -eq 0 ]; then
    $bench http://127.0.0.1:18899/ "$token" big.ipynb "$bench_seconds" "$concurrency" "$executes" "$starts"
fi
echo "== Quire"
http_load quire http://127.0.0.1:18898/
if [ ${#pin[@]} -gt 0 ]; then
    echo "== both servers started again on cores $SERVER_CPUS for the kernel measurements"
    stop_servers
    start_servers "${pin[@]}"
    echo "== Jupyter Server"
    "${pin[@]}" $bench http://127.0.0.1:18899/ "$token" big.ipynb "$bench_seconds" "$concurrency" "$executes" "$starts"
    echo "== Quire"
fi
"${pin[@]}" $bench http://127.0.0.1:18898/ "$token" big.ipynb "$bench_seconds" "$concurrency" "$executes" "$starts"
if /usr/bin/python3 -c 'import websocket' 2>/dev/null; then
    echo "== 1+1 with a second, independent client (Python websocket-client / jupyter_client)"
    "${pin[@]}" /usr/bin/python3 core/benchmarks/scripts/ws-latency.py kernel "$executes" 2>/dev/null
    "${pin[@]}" /usr/bin/python3 core/benchmarks/scripts/ws-latency.py ws http://127.0.0.1:18899/ "$token" "$executes"
    "${pin[@]}" /usr/bin/python3 core/benchmarks/scripts/ws-latency.py ws http://127.0.0.1:18898/ "$token" "$executes"
fi
if /usr/bin/python3 -c 'import zmq, jupyter_client' 2>/dev/null; then
    # the fairest comparison: a kernel alone (raw pyzmq) and one through Quire (a minimal WebSocket client), one
    # round trip each in turn, so that both see the same machine at the same moments
    echo "== 1+1, the kernel alone and through Quire in turn (paired: PAIRED round trips each, default 1000)"
    WARMUP="${PAIRED_WARMUP:-1000}" "${pin[@]}" /usr/bin/python3 core/benchmarks/scripts/ws-latency.py paired \
        http://127.0.0.1:18898/ "$token" "${PAIRED:-1000}" 2>/dev/null | grep '^paired'
fi
