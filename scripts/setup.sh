#!/bin/sh
# Install the Debian packages capsim needs, only those that are missing.
# Run as root (or with sudo available) on Debian 12 or later.
set -eu
pkgs="build-essential cmake pkg-config libgsl-dev libcsv-dev libyaml-dev
libcmocka-dev gnuplot-nox valgrind libxml2-utils time clang tzdata parallel"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "setup: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
