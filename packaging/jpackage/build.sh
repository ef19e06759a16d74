#!/usr/bin/env bash
# Builds Quire's installers with JDK 25's jpackage from the launcher distribution (launcher/target/quire):
# an app image with a jlinked runtime (JavaFX stays on the class path, as in the distribution) and, on Debian-like
# systems, a .deb that adds a desktop entry (menu + .ipynb association) and /usr/bin/quire; where rpmbuild exists,
# the same as an .rpm.
#
# Usage: packaging/jpackage/build.sh [app-image|deb|rpm|all]   (default: deb; each builds the app image first; all =
#        the .deb, and the .rpm when rpmbuild is installed; run `./mvnw package` first)
# Output: packaging/target/jpackage/quire (app image), packaging/target/jpackage/quire_<version>_amd64.deb,
#         packaging/target/jpackage/quire-<version>-1.x86_64.rpm
# Needs a JDK 25+ (QUIRE_JAVA_HOME, JAVA_HOME or /usr/lib/jvm/*); a .deb needs dpkg-deb and fakeroot; an .rpm needs
# rpmbuild (Debian package rpm).
# See packaging/README.md for .msi (Windows) and .dmg (macOS).
set -euo pipefail

what=${1:-deb}
case "$what" in app-image|deb|rpm|all) ;; *) echo "usage: $0 [app-image|deb|rpm|all]" >&2; exit 2 ;; esac

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dist=$root/launcher/target/quire
out=$root/packaging/target/jpackage
[ -f "$dist/lib/quire-launcher.jar" ] || { echo "no distribution at $dist: run ./mvnw package first" >&2; exit 1; }

jdk_major() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n 1; }
find_jdk() {
    for home in "${QUIRE_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/*; do
        if [ -n "$home" ] && [ -x "$home/bin/jpackage" ] && [ "$(jdk_major "$home")" -ge 25 ] 2>/dev/null; then
            echo "$home"; return 0
        fi
    done
    return 1
}
jdk=$(find_jdk) || { echo "no JDK 25+ with jpackage found (set QUIRE_JAVA_HOME)" >&2; exit 1; }

# jpackage wants a plain numeric version: 0.1.0-SNAPSHOT -> 0.1.0
version=$(unzip -p "$dist/lib/quire-launcher.jar" quire-version.properties | sed -n 's/^version=//p' | tr -d '\r')
app_version=${version%%-*}

# The runtime: the modules the jars need (jdeps, class-path mode) plus those reached only through services or
# reflection (zip file systems, extra charsets, JMX beans for metrics, socket options), and what javafx.web's
# module-info requires (WebView renders HTML and SVG outputs; its jar is class-path code here, so jdeps may not see
# these through the class path alone), and java.desktop (JLaTeXMath typesets math with Java2D).
modules=$("$jdk/bin/jdeps" -q --print-module-deps --ignore-missing-deps --multi-release 25 \
    -cp "$dist/lib/*" -R "$dist/lib/quire-launcher.jar")
modules="$modules,jdk.zipfs,jdk.charsets,jdk.management,jdk.net,jdk.crypto.cryptoki"
modules="$modules,java.net.http,jdk.xml.dom,jdk.jsobject,java.desktop"

rm -rf "$out"
mkdir -p "$out/input"
cp "$dist"/lib/*.jar "$out/input/"
# JavaFX's native libraries beside its jars, where it loads them without extracting them to ~/.openjfx first.
cp "$dist"/lib/*.so "$out/input/" 2>/dev/null || true

# The same JVM options as bin/quire (warnings to stderr, JavaFX's native libraries from the class path).
common=(--name quire --app-version "$app_version" --vendor "Quire" \
    --description "Quire: a Jupyter-compatible notebook platform (desktop app, headless runner, server)" \
    --icon "$here/resources/quire.png")

echo "jpackage: app image (modules: $modules)"
"$jdk/bin/jpackage" --type app-image "${common[@]}" --dest "$out" \
    --input "$out/input" --main-jar quire-launcher.jar --main-class io.quire.launcher.QuireCommand \
    --add-modules "$modules" --jlink-options "--strip-debug --no-header-files --no-man-pages --strip-native-commands" \
    --java-options "-Xlog:disable -Xlog:all=warning:stderr --enable-native-access=ALL-UNNAMED"
rm -rf "$out/input"
echo "app image: $out/quire ($(du -sh "$out/quire" | cut -f1))"

if [ "$what" = app-image ]; then exit 0; fi

# What the installers share: the desktop entry (menu + .ipynb association) under /opt/quire.
installer=(--app-image "$out/quire" --resource-dir "$here/resources/linux" \
    --file-associations "$here/resources/ipynb.properties" \
    --install-dir /opt --linux-shortcut --linux-menu-group "Development;Science;" --linux-app-category devel \
    --linux-package-name quire)

if [ "$what" = deb ] || [ "$what" = all ]; then
    command -v dpkg-deb >/dev/null || { echo "dpkg-deb is missing: cannot build a .deb here" >&2; exit 1; }
    echo "jpackage: deb"
    "$jdk/bin/jpackage" --type deb "${common[@]}" "${installer[@]}" --dest "$out" \
        --linux-deb-maintainer "quire@example.org" --linux-package-deps "libgtk-3-0 | libgtk-3-0t64, libgl1"
    ls -la "$out"/*.deb
fi

if [ "$what" = rpm ] || { [ "$what" = all ] && command -v rpmbuild >/dev/null; }; then
    command -v rpmbuild >/dev/null || { echo "rpmbuild is missing: cannot build an .rpm here (package rpm)" >&2; exit 1; }
    echo "jpackage: rpm"
    "$jdk/bin/jpackage" --type rpm "${common[@]}" "${installer[@]}" --dest "$out" \
        --linux-rpm-license-type "Proprietary" --linux-package-deps "gtk3, mesa-libGL"
    ls -la "$out"/*.rpm
elif [ "$what" = all ]; then
    echo "no rpmbuild: .rpm not built"
fi
