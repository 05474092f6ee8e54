#!/usr/bin/env bash
# Installs the Debian packages ad3d needs (CBLAS, LAPACKE, OpenBLAS, zlib) when they are missing.
# As root it installs them with apt-get; otherwise it names what is missing and exits 1.
set -euo pipefail

command -v swift >/dev/null || { echo "setup: swift (6.3 or newer) is not on PATH" >&2; exit 1; }

packages=(libblas-dev liblapacke-dev libopenblas0-pthread zlib1g-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
