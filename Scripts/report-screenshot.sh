#!/usr/bin/env bash
# Takes a screenshot of an `ad3d report` page in headless Chromium (Debian's `chromium`), to check
# by eye that its curves, tables and renders show. Installs chromium when missing and run as root;
# otherwise names the package and exits 1.
#   bash Scripts/report-screenshot.sh report.html report.png
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 REPORT.html OUT.png" >&2; exit 2; }
report=$1
out=$2
[ -f "$report" ] || { echo "report-screenshot: $report: no such file" >&2; exit 1; }

if ! command -v chromium >/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "report-screenshot: installing chromium" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq chromium >/dev/null
    else
        echo "report-screenshot: chromium is missing; run: sudo apt-get install chromium" >&2
        exit 1
    fi
fi

page="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
mkdir -p "$(dirname "$out")"
out_path="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
# A throwaway profile keeps the run independent of any user's Chromium settings.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --window-size=1400,3000 --screenshot="$out_path" "$page" 2>/dev/null
[ -s "$out_path" ] || { echo "report-screenshot: chromium wrote no screenshot" >&2; exit 1; }
echo "$out_path"
