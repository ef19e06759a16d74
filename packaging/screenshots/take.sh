#!/usr/bin/env bash
# Takes the README's screenshots of the desktop app: under Xvfb, in a real window (GTK glass, not Monocle), it opens
# docs/examples/outputs.ipynb (one cell per output type, outputs saved in the file, so no kernel runs) on an embedded
# server and writes docs/images/outputs-{light,dark}-N.png, page by page (io.quire.desktop.Screenshots).
#
# Usage: packaging/screenshots/take.sh [NOTEBOOK] [OUTPUT_DIR] [WIDTHxHEIGHT]
#        (defaults: docs/examples/outputs.ipynb docs/images 960x1100; run `./mvnw -q -B -ntp package -DskipTests`
#        first: it uses the distribution's jars in launcher/target/quire/lib)
# Needs: a JDK 25+ (QUIRE_JAVA_HOME, JAVA_HOME or /usr/lib/jvm/*), xvfb-run (Debian: xvfb xauth).
# To recompute the notebook's outputs: /usr/bin/python3 docs/examples/make_outputs_notebook.py
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
notebook=${1:-$root/docs/examples/outputs.ipynb}
out=${2:-$root/docs/images}
size=${3:-960x1100}
lib=$root/launcher/target/quire/lib
[ -f "$lib/quire-launcher.jar" ] || { echo "no distribution in $lib: run ./mvnw -q -B -ntp package -DskipTests" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing (Debian: apt-get install -y xvfb xauth)" >&2; exit 1; }

java=""
for home in "${QUIRE_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    if [ -n "$home" ] && [ -x "$home/bin/java" ] \
        && [ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null | head -n 1)" -ge 25 ] 2>/dev/null; then
        java=$home/bin/java; break
    fi
done
[ -n "$java" ] || { echo "no JDK 25+ found (set QUIRE_JAVA_HOME)" >&2; exit 1; }

# A scratch HOME and runtime dir: the embedded server's data and the single-instance lock stay out of the user's.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/run"
width=${size%x*}; height=${size#*x}
HOME=$scratch XDG_RUNTIME_DIR=$scratch/run QUIRE_ACCESS_LOG_LEVEL=WARN timeout 300 \
    xvfb-run -a -s "-screen 0 $((width + 100))x$((height + 100))x24" \
    "$java" --enable-native-access=ALL-UNNAMED -Dprism.lcdtext=false -cp "$lib/*" \
    io.quire.desktop.Screenshots "$notebook" "$out" "$size"
