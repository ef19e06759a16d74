#!/usr/bin/env bash
# Opens the 20 MB / 1,000-cell benchmark notebook in the desktop app under Xvfb, RUNS times in each of two ways,
# alternated, and prints what the app measured (issue: desktop; docs/benchmarks.md):
#   - "in the running app": the app starts, and once its window is up, the embedded server ready and the warm-up
#     done, it opens the notebook (after a second's pause), as a user opening a notebook in the app;
#   - "at launch": the notebook is named on the command line and opened as the app starts.
# Usage: core/benchmarks/scripts/desktop-open.sh [RUNS] [NOTEBOOK]   (a built tree: ./mvnw package -DskipTests)
# The start-up cache (decision 0036) is whatever ~/.cache/quire holds: `rm -f ~/.cache/quire/*` first and the first two
# runs record and build it. QUIRE_AOT=off / QUIRE_CDS=off choose the CDS archive / neither.
set -euo pipefail
runs=${1:-3}
notebook=${2:-/tmp/do-bench/bench.ipynb}
root=$(cd "$(dirname "$0")/../../.." && pwd)
quire="$root/launcher/target/quire/bin/quire"
[ -x "$quire" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 1; }
if [ ! -f "$notebook" ]; then
    mkdir -p "$(dirname "$notebook")"
    "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" -cp "$root/launcher/target/quire/lib/*" \
        io.quire.desktop.BenchmarkNotebook "$notebook" 1000 --size 20MB
fi
for i in $(seq 1 "$runs"); do
    for mode in "in the running app" "at launch"; do
        args=(desktop --exit-after-first-screen)
        [ "$mode" = "in the running app" ] && args+=(--open-after-start)
        echo "== run $i, $mode, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%H:%M:%S) UTC"
        xvfb-run -a -s "-screen 0 1280x1024x24" "$quire" "${args[@]}" "$notebook" 2>&1 | grep '^quire-desktop:' || true
    done
done
