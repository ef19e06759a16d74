#!/usr/bin/env bash
# Time from "create session" to a kernel that answers, on one Quire server, same run:
#   (a) local ipykernel, cold; (b) Docker kernel, cold; (c) Docker kernel from a warm pool;
# then the memory of idle pooled Docker kernels (docker stats) and of idle local ipykernels (RSS).
# Needs: a built tree (./mvnw -q package -DskipTests), python3-ipykernel, dockerd, the image quire/python-kernel:dev,
# python3-websocket. Usage: core/benchmarks/scripts/kernel-start.sh [ROUNDS] [POOL_KERNELS_FOR_MEMORY]
set -euo pipefail
# Comparable runs: the server on its class-data-sharing archive, not the ahead-of-time cache whose first runs
# record and then build it in the background (decision 0036).
export QUIRE_AOT="${QUIRE_AOT:-off}"
cd "$(dirname "$0")/../../.."
rounds=${1:-20}; memory_pool=${2:-8}
work=$(mktemp -d); quire_pid=""
cleanup() { [ -n "$quire_pid" ] && kill "$quire_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
scope="bench-$$"
cat > "$work/quire.yaml" <<YAML
kernels:
  local-specs: true
  docker: {scope: $scope}
  sizes: {small: {cpus: 1, memory: 1GiB, pids: 256}}
  images:
    - {name: python3-docker, display-name: Python 3 (Docker), image: quire/python-kernel:dev}
    - {name: python3-pooled, display-name: Python 3 (Docker pool), image: quire/python-kernel:dev}
  pools:
    - {spec: python3-pooled, min-idle: 2, max-idle: 2}
YAML
mkdir -p "$work/root"
QUIRE_ACCESS_LOG_LEVEL=OFF QUIRE_TOKEN="$token" launcher/target/quire/bin/quire server --port 18897 \
    --root "$work/root" --config "$work/quire.yaml" > "$work/quire.log" 2>&1 & quire_pid=$!
for _ in $(seq 1 100); do curl -sf -H "Authorization: token $token" http://127.0.0.1:18897/api >/dev/null && break; sleep 0.2; done
until curl -s -H "Authorization: token $token" http://127.0.0.1:18897/metrics \
      | grep -q 'quire_kernel_pool_kernels{spec="python3-pooled",size="",state="idle"} 2'; do sleep 0.5; done
start=core/benchmarks/scripts/session-start.py
/usr/bin/python3 $start http://127.0.0.1:18897/ "$token" python3 "$rounds" 0.5
/usr/bin/python3 $start http://127.0.0.1:18897/ "$token" python3-docker "$rounds" 0.5
/usr/bin/python3 $start http://127.0.0.1:18897/ "$token" python3-pooled "$rounds" 3
kill "$quire_pid"; wait "$quire_pid" 2>/dev/null || true; quire_pid=""

# Memory: a pool of N idle kernels, measured once all are ready and have settled.
sed -i "s/min-idle: 2, max-idle: 2/min-idle: $memory_pool, max-idle: $memory_pool/" "$work/quire.yaml"
QUIRE_ACCESS_LOG_LEVEL=OFF QUIRE_TOKEN="$token" launcher/target/quire/bin/quire server --port 18897 \
    --root "$work/root" --config "$work/quire.yaml" > "$work/quire2.log" 2>&1 & quire_pid=$!
for _ in $(seq 1 100); do curl -sf -H "Authorization: token $token" http://127.0.0.1:18897/api >/dev/null && break; sleep 0.2; done
until curl -s -H "Authorization: token $token" http://127.0.0.1:18897/metrics \
      | grep -q "quire_kernel_pool_kernels{spec=\"python3-pooled\",size=\"\",state=\"idle\"} $memory_pool"; do sleep 1; done
sleep 5
docker stats --no-stream --format '{{.Name}} {{.MemUsage}}' $(docker ps -q --filter label=io.quire.scope="$scope") \
    | awk '{v=$2; u=v; gsub(/[0-9.]/,"",u); gsub(/[A-Za-z]/,"",v); m=(u=="GiB")?v*1024:(u=="KiB")?v/1024:v; s+=m; n++}
           END {printf "idle pooled Docker kernels: %d, memory %.1f MiB each (docker stats), %d fit in 24 GiB by memory\n", n, s/n, 24*1024/(s/n)}'
kill "$quire_pid"; wait "$quire_pid" 2>/dev/null || true; quire_pid=""
/usr/bin/python3 - <<'PY'
from jupyter_client.manager import start_new_kernel
import time
ks = [start_new_kernel(kernel_name="python3") for _ in range(4)]
time.sleep(3)
rss = []
for km, kc in ks:
    pid = km.provisioner.process.pid
    rss.append(int(open(f"/proc/{pid}/status").read().split("VmRSS:")[1].split()[0]) / 1024)
    kc.stop_channels(); km.shutdown_kernel(now=True)
print(f"idle local ipykernel: RSS {sum(rss)/len(rss):.1f} MiB each (4 kernels)")
PY
