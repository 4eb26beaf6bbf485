#!/usr/bin/env bash
# Installs the system packages the build and the tests need, when any is missing.
# Waits for another apt/dpkg process to let go of the lock, and retries.
set -euo pipefail

packages=(pkg-config librdkafka-dev libcurl4-openssl-dev libsqlite3-dev kcat prometheus prometheus-alertmanager python3-prometheus-client openssl)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive

apt_retry() {
  for attempt in $(seq 1 30); do
    if $sudo apt-get -o DPkg::Lock::Timeout=120 "$@"; then return 0; fi
    echo "apt-get $1 failed (attempt $attempt), retrying in 10s" >&2
    sleep 10
  done
  return 1
}

echo "installing: ${missing[*]}" >&2
apt_retry update -qq
apt_retry install -y -qq --no-install-recommends "${missing[@]}"
# Debian's packages may start their own daemons; the tests start their own on other ports.
for svc in prometheus prometheus-alertmanager prometheus-node-exporter; do
  $sudo service "$svc" stop >/dev/null 2>&1 || true
done
