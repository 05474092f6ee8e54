#!/usr/bin/env bash
# Installs what the tests need, then builds and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
swift test "$@"
