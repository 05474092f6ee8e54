#!/usr/bin/env bash
# Coverage-guided fuzzing of ad3d's readers with libFuzzer (the targets of the Fuzz/ package).
#
# Usage: Scripts/fuzz.sh READER|all [SECONDS]
#   READER: pcd ply xyz npy off obj stl lzf safetensors model-configuration
#   SECONDS (default 60): fuzzing time per reader; 0 only replays the committed seed corpus.
# The seeds of Fixtures/fuzz/READER/ are copied to ${TMPDIR:-/tmp}/ad3d-fuzz/READER/corpus, which
# libFuzzer grows (the committed corpus never changes); crash-*, timeout-*, oom-* and leak-*
# reproducers land in ${TMPDIR:-/tmp}/ad3d-fuzz/READER/. Extra libFuzzer flags come from
# FUZZ_FLAGS, e.g. FUZZ_FLAGS="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1" to
# keep going after a finding. Exits non-zero when any target crashed, hung or ran out of memory.
set -euo pipefail
cd "$(dirname "$0")/.."

readers=(pcd ply xyz npy off obj stl lzf safetensors model-configuration)
[[ $# -ge 1 ]] || { echo "usage: $0 READER|all [SECONDS]   (READER: ${readers[*]})" >&2; exit 2; }
[[ $1 == all ]] && selected=("${readers[@]}") || selected=("$1")
duration=${2:-60}

target() {
    case $1 in
        pcd | ply | xyz | npy | off | obj | stl | lzf) echo "Fuzz${1^^}" ;;
        safetensors) echo FuzzSafeTensors ;;
        model-configuration) echo FuzzModelConfiguration ;;
        *) echo "unknown reader '$1' (one of: ${readers[*]} all)" >&2; return 1 ;;
    esac
}
for reader in "${selected[@]}"; do target "$reader" >/dev/null; done

# --sanitize=fuzzer and -sanitize=fuzzer,address are both needed: see Fuzz/Package.swift.
export SWIFT_BACKTRACE=enable=no  # Swift's crash handler would hide traps behind an ASan report of its own
build=(swift build --package-path Fuzz -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
"${build[@]}"
bin=$("${build[@]}" --show-bin-path)

failed=()
for reader in "${selected[@]}"; do
    scratch=${TMPDIR:-/tmp}/ad3d-fuzz/$reader
    rm -rf "$scratch" && mkdir -p "$scratch/corpus"
    cp Fixtures/fuzz/"$reader"/* "$scratch/corpus/"
    flags=(-rss_limit_mb=512 -timeout=2 -print_final_stats=1 -artifact_prefix="$scratch/")
    [[ -f Fixtures/fuzz/$reader.dict ]] && flags+=(-dict="Fixtures/fuzz/$reader.dict")
    if [[ $duration == 0 ]]; then flags+=(-runs=0); else flags+=(-max_total_time="$duration"); fi
    echo "== $reader: $(target "$reader") for ${duration}s, log $scratch/log.txt"
    status=0
    # shellcheck disable=SC2086  # FUZZ_FLAGS is a list of flags
    "$bin/$(target "$reader")" "${flags[@]}" ${FUZZ_FLAGS:-} "$scratch/corpus" >"$scratch/log.txt" 2>&1 || status=$?
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$scratch/log.txt" \
        || grep -E '^#[0-9]+: cov' "$scratch/log.txt" | tail -n 1  # -fork=N prints no final stats
    findings=$(find "$scratch" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \))
    if [[ $status -ne 0 || -n $findings ]]; then
        echo "FOUND (exit $status):"
        declare -A seen=()
        for artifact in $findings; do  # replay each once: distinct reason + top ad3d frames, with one reproducer
            report=$("$bin/$(target "$reader")" -rss_limit_mb=512 -malloc_limit_mb=512 -timeout=2 "$artifact" 2>&1 \
                | grep -E 'ERROR: libFuzzer|ERROR: AddressSanitizer|runtime failure|7AD3DKit' | head -n 5 \
                | swift demangle --simplified | sed -E 's/==[0-9]+==//; s/^ *#[0-9]+ 0x[0-9a-f]+ in /    /' | cut -c1-200 || true)
            key=$(sed -E '1s/[0-9]+//g' <<<"$report")  # sizes and addresses in the first line vary
            [[ -n ${seen[$key]:-} ]] && continue
            seen[$key]=1
            printf '  %s\n%s\n' "$artifact" "$report"
        done
        echo "  ${#seen[@]} distinct, $(wc -w <<<"$findings") reproducers"
        unset seen
        failed+=("$reader")
    else
        echo "nothing found"
    fi
done
[[ ${#failed[@]} -eq 0 ]] || { echo "findings in: ${failed[*]}"; exit 1; }
