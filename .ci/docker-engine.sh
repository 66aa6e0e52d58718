#!/usr/bin/env bash
# Provision a Docker engine for the image tests: Debian's docker.io (engine 20.10 with built-in
# BuildKit) plus debootstrap for the base-image stand-ins. Idempotent: when `/usr/bin/docker info`
# already answers, nothing is done.
#
# Use /usr/bin/docker (Debian's CLI) with DOCKER_BUILDKIT=1: another docker CLI on PATH without
# buildx would fall back to the legacy builder, where `RUN --mount` fails.
set -euo pipefail

DOCKER_CLI=/usr/bin/docker
LOG_DIR=${SCAFFOLD_DOCKER_LOG_DIR:-/tmp/scaffold-docker}
WAIT_SECONDS=${SCAFFOLD_DOCKER_WAIT:-60}

engine_answers() {
    [ -x "$DOCKER_CLI" ] && timeout 20 "$DOCKER_CLI" info > /dev/null 2>&1
}

if engine_answers; then
    echo "docker-engine: $("$DOCKER_CLI" version --format 'engine {{.Server.Version}}') already answers"
    exit 0
fi

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

missing=()
[ -x "$DOCKER_CLI" ] && command -v dockerd > /dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap > /dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
    echo "docker-engine: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}" < /dev/null
fi

mkdir -p "$LOG_DIR"
start_daemon() {  # name, then the command line
    local name=$1; shift
    if pgrep -x "$name" > /dev/null 2>&1; then
        echo "docker-engine: $name already running"
        return
    fi
    echo "docker-engine: starting $name (log: $LOG_DIR/$name.log)"
    as_root nohup "$@" >> "$LOG_DIR/$name.log" 2>&1 < /dev/null &
}

# The packaged systemd units are not usable in a container or CI runner without systemd:
# start the daemons directly, containerd first (dockerd connects to its socket).
start_daemon containerd containerd
for _ in $(seq 1 20); do
    [ -S /run/containerd/containerd.sock ] && break
    sleep 0.5
done
start_daemon dockerd dockerd --containerd=/run/containerd/containerd.sock

deadline=$((SECONDS + WAIT_SECONDS))
until engine_answers; do
    if [ $SECONDS -ge $deadline ]; then
        echo "docker-engine: ERROR: the Docker engine did not answer within ${WAIT_SECONDS}s" >&2
        for log in "$LOG_DIR/containerd.log" "$LOG_DIR/dockerd.log"; do
            [ -f "$log" ] || continue
            echo "---- last lines of $log ----" >&2
            tail -n 40 "$log" >&2
        done
        exit 1
    fi
    sleep 1
done
echo "docker-engine: $("$DOCKER_CLI" version --format 'engine {{.Server.Version}}') is up"
