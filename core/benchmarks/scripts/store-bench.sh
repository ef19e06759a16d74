#!/usr/bin/env bash
# The database store (core/store) under the load issue 4 names: saves/s and version reads/s of a 1 MB notebook with
# one cell changed per save, at concurrency 1 and 16, on H2 (file) and PostgreSQL (embedded server binaries from
# Maven), and the storage each one-cell save adds. See io.quire.benchmarks.StoreBench for what is measured.
# Needs a built tree: ./mvnw -q -B -ntp package -DskipTests -pl core/benchmarks -am
# Usage: core/benchmarks/scripts/store-bench.sh [SECONDS] [WARMUP] [STORAGE_SAVES] [more StoreBench --options]
set -euo pipefail
cd "$(dirname "$0")/../../.."
seconds=${1:-20}; warmup=${2:-5}; storage_saves=${3:-50}
shift $(( $# < 3 ? $# : 3 ))
jar=core/benchmarks/target/quire-benchmarks.jar
[ -f "$jar" ] || { echo "missing $jar: run ./mvnw -q -B -ntp package -DskipTests -pl core/benchmarks -am" >&2; exit 1; }
java=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -n 1); java=${java:-java}
exec "$java" -Xmx2g -cp "$jar" io.quire.benchmarks.StoreBench --seconds="$seconds" --warmup="$warmup" \
    --storage-saves="$storage_saves" --concurrency=1,16 --db=h2,postgresql "$@"
