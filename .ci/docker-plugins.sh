#!/usr/bin/env bash
# Install the Docker CLI plugins and the registry the compose, bake and registry tests use:
# Debian's docker-compose (Compose v2) and docker-buildx packages, which put their plugins in
# /usr/libexec/docker/cli-plugins/, and docker-registry (distribution 2.8, run on loopback by the
# tests). Idempotent and quick when they are already there: nothing is downloaded.
#
# Compose v2 and buildx are packaged from Debian 13 (trixie) on; on an older release they come
# from the trixie suite of this machine's own Debian mirror (read from its apt sources), fetched
# with a private apt state so the machine's sources and package pins stay as they are. Their only
# dependency is libc6 (>= 2.34), which Debian 12 has.
set -euo pipefail

DOCKER_CLI=/usr/bin/docker
PLUGIN_SUITE=trixie

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

missing=()
"$DOCKER_CLI" compose version > /dev/null 2>&1 || missing+=(docker-compose)
"$DOCKER_CLI" buildx version > /dev/null 2>&1 || missing+=(docker-buildx)
command -v docker-registry > /dev/null 2>&1 || missing+=(docker-registry)
if [ ${#missing[@]} -eq 0 ]; then
    echo "docker-plugins: $("$DOCKER_CLI" compose version), $("$DOCKER_CLI" buildx version | cut -d' ' -f1-2)," \
         "$(docker-registry --version 2> /dev/null | awk '{ print $1, $3 }') already installed"
    exit 0
fi
echo "docker-plugins: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

# Never start the registry's service on install: the tests start their own on a loopback port.
no_start=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$no_start" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$no_start" > /dev/null
    as_root chmod 755 "$no_start"
    made_policy=1
fi
trap '[ -z "$made_policy" ] || as_root rm -f "$no_start"' EXIT

apt_has() {  # the package has an install candidate in the machine's own sources
    apt-cache policy "$1" 2> /dev/null | awk '/Candidate:/ { found = ($2 != "(none)") } END { exit !found }'
}

own=() foreign=()
as_root apt-get update -q > /dev/null
for pkg in "${missing[@]}"; do
    # Debian 12's docker-compose is Compose v1 (a Python program, no CLI plugin): take trixie's.
    if [ "$pkg" != docker-compose ] && apt_has "$pkg"; then
        own+=("$pkg")
    elif [ "$pkg" = docker-compose ] && apt-cache show docker-compose 2> /dev/null | grep -q '^Version: 2\.'; then
        own+=("$pkg")
    else
        foreign+=("$pkg")
    fi
done

if [ ${#own[@]} -gt 0 ]; then
    as_root apt-get install -y -q --no-install-recommends "${own[@]}" < /dev/null
fi

if [ ${#foreign[@]} -gt 0 ]; then
    archive=$(apt-get indextargets --format '$(SITE) $(RELEASE)' 'Identifier: Packages' \
              | awk '$2 !~ /-/ { print $1; exit }')
    if [ -z "$archive" ]; then
        echo "docker-plugins: ERROR: no Debian archive in this machine's apt sources" >&2
        exit 1
    fi
    state=$(mktemp -d)
    trap '[ -z "$made_policy" ] || as_root rm -f "$no_start"; rm -rf "$state"' EXIT
    mkdir -p "$state/parts" "$state/lists/partial" "$state/cache/archives/partial" "$state/debs"
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$archive" "$PLUGIN_SUITE" > "$state/parts/$PLUGIN_SUITE.sources"
    apt_private=(-o "APT::Sandbox::User=root" -o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$state/parts"
                 -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache"
                 -o "Dir::Etc::Preferences=/dev/null" -o "Dir::Etc::PreferencesParts=/dev/null")
    echo "docker-plugins: ${foreign[*]} from $PLUGIN_SUITE on $archive"
    apt-get "${apt_private[@]}" update -q > /dev/null
    (cd "$state/debs" && apt-get "${apt_private[@]}" download "${foreign[@]}")
    as_root dpkg -i "$state"/debs/*.deb < /dev/null
fi

"$DOCKER_CLI" compose version
"$DOCKER_CLI" buildx version
docker-registry --version
