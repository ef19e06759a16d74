#!/usr/bin/env bash
# Builds the .deb and, where rpmbuild exists, the .rpm (build.sh all) and checks them the way a user would meet them,
# without installing them system-wide:
#   - `dpkg-deb -c` lists the launcher /opt/quire/bin/quire, the desktop entry and the icon;
#   - the package extracted into a throwaway root (`dpkg -x`) answers `quire --version` with this build's version,
#     also through a link like the /usr/bin/quire its postinst makes;
#   - the .rpm: `rpm -qpl` lists the same files, its %post makes /usr/bin/quire, and extracted (rpm2cpio | cpio) it
#     answers `quire --version` too (in CI a missing rpmbuild fails);
#   - with xvfb-run present, `quire desktop --exit-after-first-screen` opens a 1,000-cell notebook in a real (virtual)
#     X display and prints its start-up time, from the package and from the distribution's bin/quire
#     (QUIRE_CHECK_DESKTOP=off skips it; in CI a missing xvfb-run fails).
# Usage: check.sh [--no-build]   (--no-build checks the packages a previous build.sh left in packaging/target/jpackage)
# .ci/run calls it after `./mvnw verify` (which builds launcher/target/quire). Exits non-zero on the first failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/packaging/target/jpackage

fail() { echo "check: FAILED: $*" >&2; exit 1; }

if ! command -v rpmbuild >/dev/null && [ "${CI:-}" = true ]; then
    fail "rpmbuild is missing (Debian package rpm): the .rpm cannot be built and checked"
fi
[ "${1:-}" = --no-build ] || "$here/build.sh" all
deb=$(ls "$out"/quire_*_amd64.deb)
version=$(unzip -p "$root/launcher/target/quire/lib/quire-launcher.jar" quire-version.properties \
    | sed -n 's/^version=//p' | tr -d '\r')

listing=$(dpkg-deb -c "$deb")
for path in ./opt/quire/bin/quire ./opt/quire/lib/quire-quire.desktop ./opt/quire/lib/quire.png \
            ./opt/quire/lib/app/quire-launcher.jar ./opt/quire/lib/app/javafx-graphics-linux.jar \
            ./opt/quire/lib/app/libjfxwebkit.so \
            ./opt/quire/lib/runtime/lib/server/libjvm.so; do
    grep -q " $path\$" <<<"$listing" || fail "$path is not in $deb"
done
dpkg-deb -I "$deb" postinst | grep -q 'ln -sf /opt/quire/bin/quire /usr/bin/quire' || fail "postinst makes no /usr/bin/quire"
echo "check: dpkg-deb -c lists the launcher, desktop entry, icon, jars and runtime"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
dpkg -x "$deb" "$scratch/root"
mkdir -p "$scratch/root/usr/bin"
ln -s "$scratch/root/opt/quire/bin/quire" "$scratch/root/usr/bin/quire"
for launcher in "$scratch/root/opt/quire/bin/quire" "$scratch/root/usr/bin/quire"; do
    printed=$(env -u DISPLAY -u WAYLAND_DISPLAY "$launcher" --version) || fail "$launcher --version exited $?"
    grep -qx "quire $version" <<<"$printed" || fail "$launcher --version printed: $printed"
done
echo "check: the extracted package answers 'quire --version' with quire $version"

rpm_file=$(ls "$out"/quire-*.x86_64.rpm 2>/dev/null | head -n 1 || true)
if [ -n "$rpm_file" ]; then
    listing=$(rpm -qpl "$rpm_file")
    for path in /opt/quire/bin/quire /opt/quire/lib/quire-quire.desktop /opt/quire/lib/app/quire-launcher.jar \
                /opt/quire/lib/runtime/lib/server/libjvm.so; do
        grep -qx "$path" <<<"$listing" || fail "$path is not in $rpm_file"
    done
    rpm -qp --scripts "$rpm_file" | grep -q 'ln -sf /opt/quire/bin/quire /usr/bin/quire' \
        || fail "the .rpm's %post makes no /usr/bin/quire"
    mkdir -p "$scratch/rpmroot/usr/bin"
    (cd "$scratch/rpmroot" && rpm2cpio "$rpm_file" | cpio -idm --quiet)
    ln -s "$scratch/rpmroot/opt/quire/bin/quire" "$scratch/rpmroot/usr/bin/quire"
    for launcher in "$scratch/rpmroot/opt/quire/bin/quire" "$scratch/rpmroot/usr/bin/quire"; do
        printed=$(env -u DISPLAY -u WAYLAND_DISPLAY "$launcher" --version) || fail "$launcher --version exited $?"
        grep -qx "quire $version" <<<"$printed" || fail "$launcher --version printed: $printed"
    done
    rm -rf "$scratch/rpmroot"
    echo "check: the .rpm lists the launcher, desktop entry, jars and runtime, and extracted answers 'quire --version'"
else
    echo "check: no .rpm (rpmbuild is not installed here)"
fi

if [ "${QUIRE_CHECK_DESKTOP:-on}" = off ]; then
    echo "check: desktop start skipped (QUIRE_CHECK_DESKTOP=off)"
    exit 0
fi
if ! command -v xvfb-run >/dev/null; then
    [ "${CI:-}" = true ] && fail "xvfb-run is missing (Debian package xvfb)"
    echo "check: desktop start skipped: no xvfb-run (Debian package xvfb)"
    exit 0
fi
notebook=$scratch/benchmark.ipynb
# The app's runtime has no java command (jlink --strip-native-commands): write the notebook with a JDK 25.
java=""
for home in "${QUIRE_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    if [ -n "$home" ] && [ -x "$home/bin/jpackage" ]; then java=$home/bin/java; fi
    [ -n "$java" ] && "$java" -version 2>&1 | grep -q 'version "2[5-9]' && break
    java=""
done
[ -n "$java" ] || fail "no JDK 25 to write the benchmark notebook with"
"$java" -cp "$scratch/root/opt/quire/lib/app/*" \
    io.quire.desktop.BenchmarkNotebook "$notebook" 1000 >/dev/null
log=$scratch/desktop.log
HOME=$scratch XDG_RUNTIME_DIR=$scratch timeout 300 xvfb-run -a -s "-screen 0 1280x1024x24" \
    "$scratch/root/opt/quire/bin/quire" desktop --exit-after-first-screen "$notebook" >"$log" 2>&1 \
    || { cat "$log" >&2; fail "quire desktop exited $?"; }
grep 'first screen' "$log" || { cat "$log" >&2; fail "quire desktop printed no first-screen time"; }
grep 'whole notebook (1000 cells, live)' "$log" || { cat "$log" >&2; fail "quire desktop did not open the whole notebook live"; }
echo "check: the installed app opened a 1,000-cell notebook in X (xvfb) and exited 0"

# The same through the plain distribution's bin/quire script (JavaFX from lib/ on the class path, CDS archive).
HOME=$scratch XDG_RUNTIME_DIR=$scratch timeout 300 xvfb-run -a -s "-screen 0 1280x1024x24" \
    "$root/launcher/target/quire/bin/quire" desktop --exit-after-first-screen "$notebook" >"$log" 2>&1 \
    || { cat "$log" >&2; fail "bin/quire desktop exited $?"; }
grep 'first screen' "$log" || { cat "$log" >&2; fail "bin/quire desktop printed no first-screen time"; }
grep 'whole notebook (1000 cells, live)' "$log" || { cat "$log" >&2; fail "bin/quire desktop did not open the whole notebook live"; }
echo "check: the distribution's bin/quire opened it too and exited 0"
