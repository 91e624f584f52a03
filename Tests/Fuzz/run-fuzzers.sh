#!/usr/bin/env bash
# Builds the libFuzzer target (address sanitizer on) and fuzzes every parser for a bounded
# time. Crashes are kept in .build-fuzz/crashes/<target>/ and fail the run; copy each into
# Tests/Fuzz/Regressions/<target>/ so the regression test replays it forever after.
#
# usage: Tests/Fuzz/run-fuzzers.sh [SECONDS-PER-TARGET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(database-header page tree-page log-header v8-body v7-body records checkpoint file-name)
work=.build-fuzz
mkdir -p "$work"

echo "== building the fuzz target"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name ESEFormat -package-name esecheck \
    Sources/ESEFormat/*/*.swift Tests/Fuzz/FuzzMain.swift -o "$work/ese-fuzz" 2>&1 | grep -v "Cannot export local symbol" || true

echo "== seeds"
if [ ! -d "$work/generated" ]; then
    cli=.build/debug/ese-verify
    [ -x "$cli" ] || swift build --product ese-verify >/dev/null
    for scenario in dirty-recoverable dirty-v7-logs clean-16k-pages clean-32k-pages legacy-checksum-pages; do
        "$cli" generate --quiet --scenario "$scenario" --out "$work/generated/$scenario" >/dev/null
    done
fi
rm -rf "$work/seeds"
python3 Tests/Fuzz/make-seeds.py "$work/generated" "$work/seeds" ../shared/corpus/real

status=0
printf '%-16s %10s %10s %8s %6s\n' target executions exec/s coverage crashes | tee "$work/summary.txt"
for target in "${targets[@]}"; do
    corpus="$work/corpus/$target"
    crashes="$work/crashes/$target"
    mkdir -p "$corpus" "$crashes"
    cp -n "$work/seeds/$target/"* "$corpus/" 2>/dev/null || true
    [ -d "Tests/Fuzz/Regressions/$target" ] && cp -n "Tests/Fuzz/Regressions/$target/"* "$corpus/" 2>/dev/null || true
    log="$work/$target.log"
    set +e
    FUZZ_TARGET="$target" ASAN_OPTIONS=detect_leaks=0 "$work/ese-fuzz" "$corpus" -max_total_time="$seconds" \
        -max_len=300000 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$crashes/" > "$log" 2>&1
    result=$?
    set -e
    executions=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | awk '{print $2}' | tail -1)
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
    found=$(find "$crashes" -type f | wc -l)
    printf '%-16s %10s %10s %8s %6s\n' "$target" "${executions:-?}" "${rate:-?}" "${coverage:-?}" "$found" | tee -a "$work/summary.txt"
    if [ "$result" -ne 0 ] || [ "$found" -ne 0 ]; then
        echo "!! $target failed (exit $result); see $log and $crashes" >&2
        status=1
    fi
done
exit $status
