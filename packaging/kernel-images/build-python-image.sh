#!/usr/bin/env bash
# Builds Quire's Python kernel image without any registry: a minimal Debian 12 (bookworm) root filesystem made by
# mmdebstrap from Debian packages, imported into the local Docker engine with `docker import`.
#
#   packaging/kernel-images/build-python-image.sh [TAG]      (default tag: quire/python-kernel:dev)
#
# Environment:
#   QUIRE_DEBIAN_MIRROR   Debian mirror (default: the one this machine's apt uses, from /etc/apt/sources.list*)
#   QUIRE_DEBIAN_SECURITY_MIRROR   the security mirror (default: likewise)
#   QUIRE_IMAGE_REBUILD=1 rebuild even when TAG already exists (default: keep an existing image; idempotent)
#
# The image holds ipykernel, pandas and matplotlib, a non-root user `quire` (uid/gid 1000) and runs as that user in
# /home/quire. It has no kernel.json: Quire passes the kernel argv (with the in-container connection file path) when
# it starts a container. The default command only prints how the image is meant to be used.
# Needs: mmdebstrap, docker (a running engine), and root or a user in the docker group (mmdebstrap runs in
# unshare mode as non-root, which needs user namespaces).
set -euo pipefail

tag="${1:-quire/python-kernel:dev}"
fail() { echo "build-python-image: $*" >&2; exit 1; }

# The mirror this machine's apt is configured with (deb822 .sources files or one-line sources.list entries), for the
# suite pattern given: the image comes from the same place as the host's own packages.
apt_mirror() { # regex for the suite, e.g. '^bookworm$' or 'security'
    local pattern="$1" file uri suites
    for file in /etc/apt/sources.list.d/*.sources; do
        [ -f "$file" ] || continue
        uri=""; suites=""
        while IFS= read -r line || [ -n "$line" ]; do
            case "$line" in
                URIs:*) uri=$(echo "${line#URIs:}" | awk '{print $1}') ;;
                Suites:*) suites="${line#Suites:}" ;;
                "") if [ -n "$uri" ] && echo "$suites" | tr ' ' '\n' | grep -Eq "$pattern"; then echo "$uri"; return 0; fi
                    uri=""; suites="" ;;
            esac
        done < "$file"
        if [ -n "$uri" ] && echo "$suites" | tr ' ' '\n' | grep -Eq "$pattern"; then echo "$uri"; return 0; fi
    done
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$file" ] || continue
        uri=$(awk -v p="$pattern" '$1 == "deb" && $3 ~ p {print $2; exit}' "$file")
        [ -n "$uri" ] && { echo "$uri"; return 0; }
    done
    return 1
}

mirror="${QUIRE_DEBIAN_MIRROR:-$(apt_mirror '^bookworm$' || true)}"
security_mirror="${QUIRE_DEBIAN_SECURITY_MIRROR:-$(apt_mirror 'security' || true)}"
[ -n "$mirror" ] || fail "no Debian mirror found in /etc/apt/sources.list*; set QUIRE_DEBIAN_MIRROR"

command -v mmdebstrap >/dev/null 2>&1 \
    || fail "mmdebstrap not found; install it (Debian/Ubuntu: apt-get install mmdebstrap)"
command -v docker >/dev/null 2>&1 \
    || fail "docker not found; install it (Debian/Ubuntu: apt-get install docker.io) and start dockerd"
docker info >/dev/null 2>&1 \
    || fail "cannot reach the Docker engine (is dockerd running, and may this user use /var/run/docker.sock?)"

if [[ "${QUIRE_IMAGE_REBUILD:-0}" != 1 ]] && docker image inspect "$tag" >/dev/null 2>&1; then
    echo "build-python-image: $tag already exists (set QUIRE_IMAGE_REBUILD=1 to rebuild)"
    exit 0
fi

packages=(
    python3-ipykernel
    python3-pandas
    python3-matplotlib
    ca-certificates
    tini
)
# Docs, man pages, locales and C/C++ headers are useless in a kernel container (its root filesystem is read-only, so
# nothing gets compiled in it); dropping them keeps the image smaller. The headers come with Debian's scipy -> pythran
# dependency chain (boost alone is ~160 MiB).
dpkg_excludes=(
    --dpkgopt='path-exclude=/usr/include/*'
    --dpkgopt='path-exclude=/usr/share/man/*'
    --dpkgopt='path-exclude=/usr/share/doc/*'
    --dpkgopt='path-include=/usr/share/doc/*/copyright'
    --dpkgopt='path-exclude=/usr/share/info/*'
    --dpkgopt='path-exclude=/usr/share/locale/*'
    --dpkgopt='path-include=/usr/share/locale/locale.alias'
    --dpkgopt='path-exclude=/usr/share/lintian/*'
)

mode=root
[[ "$(id -u)" == 0 ]] || mode=unshare

started=$(date +%s)
echo "build-python-image: building $tag from Debian bookworm ($mirror), mode $mode"
# Caches, apt lists and logs go away in the customize hook; the user is created there too (useradd from passwd,
# which minbase has), with a fixed uid/gid so that Quire's `--user 1000:1000` matches the image's owner of /home/quire.
mmdebstrap \
    --mode="$mode" \
    --variant=minbase \
    --format=tar \
    --include="$(IFS=,; echo "${packages[*]}")" \
    --aptopt='APT::Install-Recommends "false"' \
    "${dpkg_excludes[@]}" \
    --customize-hook='chroot "$1" groupadd --gid 1000 quire' \
    --customize-hook='chroot "$1" useradd --uid 1000 --gid 1000 --create-home --home-dir /home/quire --shell /bin/bash quire' \
    --customize-hook='chroot "$1" python3 -m compileall -q /usr/lib/python3/dist-packages >/dev/null 2>&1 || true' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*.log "$1"/var/log/apt/*' \
    bookworm - \
    "deb $mirror bookworm main" \
    "deb $mirror bookworm-updates main" \
    ${security_mirror:+"deb $security_mirror bookworm-security main"} \
  | docker import \
    --change 'USER quire' \
    --change 'WORKDIR /home/quire' \
    --change 'ENV LANG=C.UTF-8 MPLBACKEND=agg PYTHONDONTWRITEBYTECODE=1' \
    --change 'LABEL io.quire.image=python-kernel' \
    --change 'ENTRYPOINT ["/usr/bin/tini", "--"]' \
    --change 'CMD ["python3", "-c", "print(\"Quire Python kernel image: Quire starts it with python3 -m ipykernel_launcher -f <connection file>\")"]' \
    --message "Quire Python kernel (Debian bookworm, ipykernel, pandas, matplotlib)" \
    - "$tag"

finished=$(date +%s)
size=$(docker image inspect --format '{{.Size}}' "$tag")
echo "build-python-image: built $tag in $((finished - started)) s, $((size / 1024 / 1024)) MiB"
